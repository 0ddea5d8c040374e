"""Binder-cumulant crossings of the square-lattice Ising model, for Part IV, chapter 6.

Usage: python scripts/binder_crossings.py [--out DIR] [--scale F] [--quiet]

Runs the multi-spin Metropolis sampler (:func:`umlib.physics.ising.multispin_metropolis`,
64 independent replicas per run) at the sizes ``SIZES``, each on its own grid of
temperatures around the critical point (the grid narrows as L grows), and writes
``<DIR>/binder.npz`` with ``binder.npz.sha256`` beside it (default DIR:
book/part4/data).  For every (L, T) it stores the per-replica time averages of
|m|, m^2 and m^4 (m the magnetisation per spin) after the discarded sweeps, and the
integrated autocorrelation time of m^2; the recipe (seed, sizes, grids, sweeps,
discards) is stored as ``run_*`` metadata, so the chapter can check it against
the recipe it shows.

Autocorrelation.  Metropolis slows down near T_c like tau ~ L^2.17.  The script
measures tau_int of m^2 in every replica (Sokal's window,
:func:`umlib.core.montecarlo.autocorrelation_time`), stores it, and exits with an
error (after writing the file, for inspection) unless, at every (L, T), the
discarded sweeps are at least ``MIN_DISCARD_TAU`` times tau (the mean over the
replicas) and the kept sweeps at least ``MIN_KEPT_TAU`` times it.  No thinning is needed:
each replica's time average is one number, and the 64 replicas are independent
chains, so a jackknife over replicas gives honest errors whatever the
autocorrelation.

Crossings.  For each pair (L, 2L) each curve U_L(T) = 1 - <m^4> / (3 <m^2>^2) is
fitted by a quadratic on its own grid and the crossing is the root of the
difference inside the overlap of the two grids; the error is a leave-one-replica-out
jackknife.  The script prints the table; the chapter recomputes it from the file.

The sampler draws integers only and the magnetisations are exact integers, so two
runs give the same arrays on any machine (the metadata ``seconds``, the time the
sampling took, differs).  ``--scale`` multiplies all sweep counts (e.g. 0.05 for a
quick test; the file then stores the reduced counts, which do not match the
recipe the chapter shows, so the chapter rejects it).  The full run takes about
20 minutes on two shared, loaded cores.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from umlib.book import weights  # noqa: E402
from umlib.core.montecarlo import autocorrelation_time  # noqa: E402
from umlib.physics.ising import multispin_metropolis  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "part4" / "data"

#: The recipe.  Replicas of (L, T_k) use the generator default_rng([SEED, L, k]).
SEED = 2026
SIZES = (8, 16, 32, 64, 128)
#: Temperature grids (units of J), narrowing with L; 2.2692 is Onsager's T_c.
GRIDS = {
    8: (2.24, 2.25, 2.26, 2.27, 2.28, 2.29, 2.30),
    16: (2.24, 2.25, 2.26, 2.27, 2.28, 2.29, 2.30),
    32: (2.25, 2.255, 2.26, 2.265, 2.27, 2.275, 2.28, 2.285, 2.29),
    64: (2.26, 2.265, 2.27, 2.275, 2.28),
    128: (2.262, 2.266, 2.27, 2.274, 2.278),
}
#: Sweeps per (L, T), including the discarded ones, and the discarded sweeps.
SWEEPS = {8: 20_000, 16: 20_000, 32: 20_000, 64: 40_000, 128: 100_000}
DISCARD = {8: 2_000, 16: 2_000, 32: 2_000, 64: 5_000, 128: 20_000}
#: Polynomial degree of each U_L(T) fit.
DEG = 2
#: Checks on the measured tau_int of m^2, averaged over the 64 replicas (one
#: replica's estimate is noisy: its chain holds only some 100 tau).
MIN_DISCARD_TAU = 10
MIN_KEPT_TAU = 50
REPLICAS = 64


def counts(L: int, scale: float = 1.0) -> tuple[int, int]:
    """(sweeps, discarded sweeps) of size L, multiplied by ``scale``."""
    return (max(round(SWEEPS[L] * scale), 20),
            max(round(DISCARD[L] * scale), 10))


def recipe(scale: float = 1.0) -> dict:
    """The recipe as the ``run_*`` metadata stored in the file (sweeps as run)."""
    r = {"seed": SEED, "sizes": np.array(SIZES), "deg": DEG,
         "sweeps": np.array([counts(L, scale)[0] for L in SIZES]),
         "discard": np.array([counts(L, scale)[1] for L in SIZES])}
    r.update({f"T{L}": np.array(GRIDS[L]) for L in SIZES})
    return r


def run_size(L: int, scale: float = 1.0, quiet: bool = False) -> dict:
    """Per-replica moments and tau_int of m^2 at every temperature of size L."""
    n, d = counts(L, scale)
    T = np.array(GRIDS[L])
    m1, m2, m4 = (np.empty((REPLICAS, T.size)) for _ in range(3))
    tau = np.empty((REPLICAS, T.size))
    for k, t in enumerate(T):
        t0 = time.perf_counter()
        S = np.ones((REPLICAS, L, L), dtype=np.int8)
        ch = multispin_metropolis(S, float(t), n, rng=np.random.default_rng([SEED, L, k]),
                                  measure=False)
        m = ch.M[d:] / (L * L)                      # (kept sweeps, replicas)
        m1[:, k] = np.abs(m).mean(0)
        m2[:, k] = (m ** 2).mean(0)
        m4[:, k] = (m ** 4).mean(0)
        tau[:, k] = [autocorrelation_time(m[:, r] ** 2) for r in range(REPLICAS)]
        if not quiet:
            U = 1 - m4[:, k].mean() / (3 * m2[:, k].mean() ** 2)
            print(f"L = {L:3d}  T = {t:.3f}  U = {U:.4f}  tau(m^2) mean "
                  f"{tau[:, k].mean():6.1f} max {tau[:, k].max():6.1f}  "
                  f"{time.perf_counter() - t0:5.1f} s", flush=True)
    return {"T": T, "m1": m1, "m2": m2, "m4": m4, "tau": tau}


def binder(m2: np.ndarray, m4: np.ndarray) -> np.ndarray:
    """U = 1 - <m^4> / (3 <m^2>^2), replicas (axis 0) pooled."""
    return 1.0 - m4.mean(0) / (3.0 * m2.mean(0) ** 2)


def crossing(Ta, Ua, Tb, Ub, deg: int = DEG) -> float:
    """Root inside the overlap of the grids of the difference of two polynomial fits."""
    lo, hi = max(Ta.min(), Tb.min()), min(Ta.max(), Tb.max())
    c = 0.5 * (lo + hi)
    diff = np.polysub(np.polyfit(Ta - c, Ua, deg), np.polyfit(Tb - c, Ub, deg))
    r = np.roots(diff)
    r = r[np.abs(r.imag) < 1e-12].real + c
    r = r[(r >= lo) & (r <= hi)]
    if r.size != 1:
        raise ValueError(f"{r.size} crossings inside [{lo}, {hi}]; need exactly one")
    return float(r[0])


def crossing_jackknife(a: dict, b: dict, deg: int = DEG) -> tuple[float, float]:
    """Crossing of two sizes' curves and its leave-one-replica-out jackknife error."""
    full = crossing(a["T"], binder(a["m2"], a["m4"]), b["T"], binder(b["m2"], b["m4"]), deg)
    n = a["m2"].shape[0]
    keep = ~np.eye(n, dtype=bool)
    loo = np.array([crossing(a["T"], binder(a["m2"][k], a["m4"][k]),
                             b["T"], binder(b["m2"][k], b["m4"][k]), deg) for k in keep])
    return full, math.sqrt((n - 1) / n * ((loo - loo.mean()) ** 2).sum())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    runs = {L: run_size(L, args.scale, args.quiet) for L in SIZES}
    seconds = time.perf_counter() - t0
    arrays = {}
    for L, r in runs.items():
        for k in ("m1", "m2", "m4", "tau"):
            arrays[f"{k}_{L}"] = r[k]
    meta = {f"run_{k}": v for k, v in recipe(args.scale).items()}
    meta["scale"] = args.scale
    meta["seconds"] = round(seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    path = weights.write(args.out / "binder.npz", arrays, meta)
    print(f"wrote {path} and {weights.sidecar(path).name}")
    Tc = 2 / math.log(1 + math.sqrt(2))
    print(f"sampling took {seconds:.0f} s")
    print("pair       T_cross            dev from Onsager")
    for La, Lb in itertools.pairwise(SIZES):
        try:
            Tx, se = crossing_jackknife(runs[La], runs[Lb])
        except ValueError as e:
            print(f"({La:3d},{Lb:3d})  {e}")
            continue
        print(f"({La:3d},{Lb:3d})  {Tx:.5f} ± {se:.5f}  {100 * (Tx / Tc - 1):+.3f} % "
              f"± {100 * se / Tc:.3f} %")
    bad = short_runs(runs, args.scale)
    for line in bad:
        print("TOO SHORT:", line)
    if bad and args.scale == 1.0:
        raise SystemExit("some runs are too short for their autocorrelation time: "
                         "raise SWEEPS / DISCARD and rerun")


def short_runs(runs: dict, scale: float = 1.0) -> list[str]:
    """(L, T) whose discard or kept sweeps are short of the tau_int(m^2) rules."""
    bad = []
    for L, r in runs.items():
        n, d = counts(L, scale)
        for t, tau in zip(r["T"], r["tau"].mean(0)):
            if d < MIN_DISCARD_TAU * tau or n - d < MIN_KEPT_TAU * tau:
                bad.append(f"L = {L}, T = {t}: discard {d}, kept {n - d}, "
                           f"tau_int(m^2) {tau:.0f}")
    return bad


if __name__ == "__main__":
    main()
