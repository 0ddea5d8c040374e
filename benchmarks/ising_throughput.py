"""Benchmark (not a test): attempted spin flips per second of the Ising samplers.

Usage: python benchmarks/ising_throughput.py [--sizes 32 64 128] [--sweeps 200] [--replicas 16]
[--repeat 3]

Runs, side by side on the same lattice and temperature, for each L in ``--sizes``:

* a plain Python loop of single-spin Metropolis (the specification: one site at a time,
  random site order, exactly the textbook algorithm);
* ``umlib.physics.ising.metropolis`` (checkerboard, vectorised over sites and replicas);
* ``umlib.physics.ising.swendsen_wang`` (cluster updates; one "flip attempt" counted per site
  per sweep);
* ``umlib.physics.ising.metropolis_graph`` on a random graph of the same size (colour classes);
* ``umlib.physics.ising.multispin_metropolis`` (checkerboard on 64 replicas packed in the
  bits of a uint64 lattice), once recording M only (like the rows above) and once
  recording E and M every sweep.

Each sampler is timed ``--repeat`` times, the repeats interleaved (so a change in the
machine's load hits every sampler alike), and the fastest run is kept.  Speed-ups are
against the plain loop at the same L; the multi-spin rows also give their ratio to the
checkerboard with ``--replicas`` replicas.

Writes benchmarks/ising_throughput.json and prints a table.  Timings vary between
machines and runs; they are reported here and never asserted in the tests.  Part IV,
"The Ising model, exactly", derives the samplers.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from umlib.physics import ising  # noqa: E402


def python_loop(L: int, T: float, n_sweeps: int, seed: int) -> tuple[float, int]:
    """Textbook single-spin Metropolis in pure Python; returns (seconds, attempted flips)."""
    rnd = random.Random(seed)
    S = [[1] * L for _ in range(L)]
    boltz = {dE: math.exp(-dE / T) for dE in (4, 8)}
    t0 = time.perf_counter()
    for _ in range(n_sweeps):
        for _ in range(L * L):
            i, j = rnd.randrange(L), rnd.randrange(L)
            s = S[i][j]
            nb = S[(i + 1) % L][j] + S[i - 1][j] + S[i][(j + 1) % L] + S[i][j - 1]
            dE = 2 * s * nb
            if dE <= 0 or rnd.random() < boltz[dE]:
                S[i][j] = -s
    return time.perf_counter() - t0, n_sweeps * L * L


def timed(fn, *args, **kw) -> tuple[float, int]:
    t0 = time.perf_counter()
    ch = fn(*args, **kw)
    return time.perf_counter() - t0, ch.flips


def samplers(L: int, T: float, n: int, n_py: int, R: int) -> dict:
    """Name -> a call returning (seconds, attempted flips), for one lattice size L."""
    g = ising.random_graph(L * L, 4.0, rng=0)
    return {
        f"plain Python loop, 1 x {L}x{L}, {n_py} sweeps": lambda: python_loop(L, T, n_py, 0),
        f"checkerboard Metropolis, 1 x {L}x{L}": lambda: timed(
            ising.metropolis, np.ones((1, L, L), dtype=np.int8), T, n, 0, measure=False),
        f"checkerboard Metropolis, {R} x {L}x{L}": lambda: timed(
            ising.metropolis, np.ones((R, L, L), dtype=np.int8), T, n, 0, measure=False),
        f"Swendsen-Wang, {R} x {L}x{L}": lambda: timed(
            ising.swendsen_wang, np.ones((R, L, L), dtype=np.int8), T, n, 0, measure=False),
        f"graph Metropolis, {R} x ER(N={L * L}, c=4)": lambda: timed(
            ising.metropolis_graph, np.ones((R, L * L)), g, T, n, 0),
        f"multi-spin Metropolis, 64 x {L}x{L} (M only)": lambda: timed(
            ising.multispin_metropolis, np.ones((64, L, L), dtype=np.int8), T, n, 0,
            measure=False),
        f"multi-spin Metropolis, 64 x {L}x{L} (E and M)": lambda: timed(
            ising.multispin_metropolis, np.ones((64, L, L), dtype=np.int8), T, n, 0),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128])
    ap.add_argument("--sweeps", type=int, default=200)
    ap.add_argument("--replicas", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--T", type=float, default=2.3)
    args = ap.parse_args(argv)
    n, R, T = args.sweeps, args.replicas, args.T
    n_py = max(1, n // 10)          # the Python loop is slow: fewer sweeps, same rate
    rows = []
    for L in args.sizes:
        runs = samplers(L, T, n, n_py, R)
        best: dict[str, tuple[float, int]] = {}
        for _ in range(args.repeat):
            for name, run in runs.items():
                secs, flips = run()
                if name not in best or secs < best[name][0]:
                    best[name] = (secs, flips)
        names = list(runs)
        base = best[names[0]][1] / best[names[0]][0]
        cb = best[names[2]][1] / best[names[2]][0]
        for name in names:
            secs, flips = best[name]
            r = {"L": L, "sampler": name, "seconds": round(secs, 3), "attempted_flips": flips,
                 "flips_per_second": flips / secs,
                 "speedup_vs_python": round(flips / secs / base, 1)}
            if name.startswith("multi-spin"):
                r[f"speedup_vs_checkerboard_{R}"] = round(flips / secs / cb, 1)
            rows.append(r)
    print(f"{'sampler':<50} {'flips/s':>10} {'x Python':>9} {'x checkerboard':>15}")
    for r in rows:
        x = r.get(f"speedup_vs_checkerboard_{R}")
        print(f"{r['sampler']:<50} {r['flips_per_second']:10.3e} {r['speedup_vs_python']:9.1f}"
              f" {'' if x is None else f'{x:15.1f}'}")
    out = {"machine": {"python": sys.version.split()[0], "numpy": np.__version__,
                       "platform": platform.platform(), "processor": platform.machine(),
                       "cpus": os.cpu_count(), "load_average": list(os.getloadavg())},
           "T": T, "sizes": args.sizes, "sweeps": n, "python_sweeps": n_py, "replicas": R,
           "repeat": args.repeat, "rows": rows}
    (ROOT / "benchmarks" / "ising_throughput.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
