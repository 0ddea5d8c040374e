"""Train the models of Part V and write them to book/part5/data/ with their SHA-256.

Usage: python scripts/train_part5.py [--out DIR] [--quiet] [NAME ...]

NAME is any of ``resnet`` (the planted-concept network of chapters 2, 3, 4
and 6), ``toy_models`` (the toy models of superposition of chapter 5, one per
sparsity) and ``saes`` (the sparse autoencoders of chapter 5, one per
dictionary size); with none, all three are trained.  Each is written to
``<DIR>/<NAME>.npz`` with ``<NAME>.npz.sha256`` beside it.

The recipes are the module-level constants below; ``tests/networks/test_shipped_weights.py``
imports them and re-runs the training.  Training is seeded, so two runs on one
machine give the same bytes; on another CPU the last bits of the matrix
products differ and so do the last bits of the weights, which is why the
chapters load these files instead of training.  Run as a script, BLAS threads
are pinned to 1 (set before numpy loads).  The whole run takes a few seconds.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from umlib.networks import features as ft  # noqa: E402
from umlib.networks import superposition as sp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "part5" / "data"

#: The planted-concept task and the network trained on it (chapters 2, 3, 4, 6).
TASK = dict(n_classes=4, subjects_per_class=4, n_fillers=6, seq_len=4)
RESNET = dict(d=16, d_mlp=32, n_layers=3, steps=150, batch=128, rng=0)
#: The toy models of superposition (chapter 5): one per sparsity, the library's
#: default training (2000 Adam steps of 512, 4 restarts) from seed 0.
TOY = dict(n_features=5, n_hidden=2, rng=0)
SPARSITIES = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
#: The planted directions, the activations built from them, and the autoencoders.
PLANTED = dict(n_features=20, dim=10, rng=0)
ACTIVATIONS = dict(n_samples=20000, p_active=0.06, rng=1)
SAE = dict(alpha=0.4, steps=3000, rng=2)
SIZES = (10, 20, 40, 80)

NAMES = ("resnet", "toy_models", "saes")


def _recipe(prefix: str, d: dict) -> dict:
    return {f"{prefix}_{k}": v for k, v in d.items()}


def train_resnet() -> ft.ResNet:
    """The planted-concept network, exactly as the chapters describe it."""
    return ft.train_resnet(ft.make_task(**TASK), **RESNET)


def train_toy_models() -> dict:
    """``{S: toy model}`` for every sparsity of chapter 5."""
    return {S: sp.train_toy_model(sparsity=S, **TOY) for S in SPARSITIES}


def planted_activations() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dictionary, x, f)``: the planted directions and the activations built from them."""
    D = sp.planted_dictionary(**PLANTED)
    x, f = sp.planted_activations(D, **ACTIVATIONS)
    return D, x, f


def train_saes() -> dict:
    """``{k: autoencoder}`` for every dictionary size of chapter 5."""
    _, x, _ = planted_activations()
    return {k: sp.train_sae(x, k, **SAE) for k in SIZES}


def write(name: str, out: Path) -> Path:
    """Train ``name`` and write ``<out>/<name>.npz`` (and its ``.sha256``)."""
    path = Path(out) / f"{name}.npz"
    if name == "resnet":
        task = ft.make_task(**TASK)
        net = train_resnet()
        acc = float(np.mean(net.predict(task.tokens) == task.label))
        ft.save_resnet(net, path, accuracy=acc, **_recipe("task", TASK),
                       **_recipe("train", RESNET))
    elif name == "toy_models":
        sp.save_toy_models(train_toy_models(), path, **_recipe("train", TOY))
    elif name == "saes":
        sp.save_saes(train_saes(), path, **_recipe("planted", PLANTED),
                     **_recipe("activations", ACTIVATIONS), **_recipe("train", SAE))
    else:
        raise ValueError(f"name must be one of {', '.join(NAMES)}, got {name!r}")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"what to train ({', '.join(NAMES)}; default: all)")
    ap.add_argument("--out", default=str(OUT), help="folder to write to")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    for name in args.names:
        if name not in NAMES:
            ap.error(f"NAME must be one of {', '.join(NAMES)}, got {name!r}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.names or NAMES:
        t0 = time.perf_counter()
        path = write(name, out)
        if not args.quiet:
            print(f"{name}: {time.perf_counter() - t0:.1f} s -> {path} "
                  f"({path.stat().st_size} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
