"""Benchmark (not a test): attempted spin flips per second of the Ising samplers.

Usage: python benchmarks/ising_throughput.py [--L 64] [--sweeps 200] [--replicas 16]

Runs, side by side on the same lattice and temperature:

* a plain Python loop of single-spin Metropolis (the specification: one site at a time,
  random site order, exactly the textbook algorithm);
* ``umlib.physics.ising.metropolis`` (checkerboard, vectorised over sites and replicas);
* ``umlib.physics.ising.swendsen_wang`` (cluster updates; one "flip attempt" counted per site
  per sweep);
* ``umlib.physics.ising.metropolis_graph`` on a random graph of the same size (colour classes).

Writes benchmarks/ising_throughput.json and prints a table.  Timings vary between
machines and runs; they are reported here and never asserted in the tests.  Part IV,
"The Ising model, exactly", derives the samplers.
"""

from __future__ import annotations

import argparse
import json
import math
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--L", type=int, default=64)
    ap.add_argument("--sweeps", type=int, default=200)
    ap.add_argument("--replicas", type=int, default=16)
    ap.add_argument("--T", type=float, default=2.3)
    args = ap.parse_args(argv)
    L, n, R, T = args.L, args.sweeps, args.replicas, args.T
    rows = []

    def add(name, secs, flips):
        rows.append({"sampler": name, "seconds": round(secs, 3), "attempted_flips": flips,
                     "flips_per_second": flips / secs})

    n_py = max(1, n // 10)          # the Python loop is slow: fewer sweeps, same rate
    add(f"plain Python loop, 1 x {L}x{L}, {n_py} sweeps", *python_loop(L, T, n_py, 0))
    add(f"checkerboard Metropolis, 1 x {L}x{L}",
        *timed(ising.metropolis, np.ones((1, L, L), dtype=np.int8), T, n, 0, measure=False))
    add(f"checkerboard Metropolis, {R} x {L}x{L}",
        *timed(ising.metropolis, np.ones((R, L, L), dtype=np.int8), T, n, 0, measure=False))
    add(f"Swendsen-Wang, {R} x {L}x{L}",
        *timed(ising.swendsen_wang, np.ones((R, L, L), dtype=np.int8), T, n, 0, measure=False))
    g = ising.random_graph(L * L, 4.0, rng=0)
    add(f"graph Metropolis, {R} x ER(N={L * L}, c=4)",
        *timed(ising.metropolis_graph, np.ones((R, L * L)), g, T, n, 0))
    base = rows[0]["flips_per_second"]
    print(f"{'sampler':<48} {'flips/s':>12} {'x Python':>9}")
    for r in rows:
        r["speedup_vs_python"] = round(r["flips_per_second"] / base, 1)
        print(f"{r['sampler']:<48} {r['flips_per_second']:12.3e} {r['speedup_vs_python']:9.1f}")
    out = {"machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                       "processor": platform.machine()},
           "T": T, "L": L, "sweeps": n, "replicas": R, "rows": rows}
    (ROOT / "benchmarks" / "ising_throughput.json").write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
