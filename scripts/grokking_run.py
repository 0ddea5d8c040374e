"""Train the grokking runs of Part V ch. 2 and write them with their SHA-256.

Usage: python scripts/grokking_run.py [--out DIR]

Modular addition mod 23, half the pairs for training, a 128-wide quadratic network,
full-batch AdamW (lr 3e-3), 3000 steps, accuracies every 20 steps: three seeds with
weight decay 1 and the same three seeds without weight decay. Written to
``<DIR>/grokking.npz`` with ``grokking.npz.sha256`` beside it (default DIR:
book/part5/data). Long training is chaotic: the last bits of a matrix product differ
between CPUs and grow, so the chapter plots these stored accuracies and re-runs a
coarser check live. BLAS threads are pinned to 1. About 20 s.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"

import argparse  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from umlib.book import weights  # noqa: E402
from umlib.networks import grokking as gk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "part5" / "data"

#: The task and the training recipe of the shipped runs.
TASK = dict(p=23, train_frac=0.5, rng=0)
RECIPE = dict(hidden=128, lr=3e-3, steps=3000, eval_every=20)
SEEDS = (0, 1, 2)
DECAYS = (1.0, 0.0)


def main(argv=None) -> Path:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    task = gk.modular_addition(**TASK)
    arrays = {}
    for wd in DECAYS:
        tag = "wd1" if wd else "wd0"
        runs = [gk.train_modular_addition(task, weight_decay=wd, rng=s, **RECIPE)
                for s in SEEDS]
        arrays["steps"] = runs[0].steps
        arrays[f"{tag}.train_acc"] = np.stack([r.train_acc for r in runs])
        arrays[f"{tag}.test_acc"] = np.stack([r.test_acc for r in runs])
        arrays[f"{tag}.weight_norm"] = np.stack([r.weight_norm for r in runs])
    meta = {**{f"task_{k}": v for k, v in TASK.items()},
            **{f"train_{k}": v for k, v in RECIPE.items()},
            "seeds": list(SEEDS), "decays": list(DECAYS)}
    path = weights.write(args.out / "grokking.npz", arrays, meta)
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
