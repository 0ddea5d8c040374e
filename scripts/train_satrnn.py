"""Train the sat-rnn of Parts I–II and write its weights to book/part1/data/satrnn.npz.

Usage: UMBOOK_DATA=../shared/data python scripts/train_satrnn.py [--out PATH] [--quiet]

The run is seeded and single-threaded (BLAS threads are pinned to 1 before numpy
loads, which is also the fastest setting for these small matrix-vector products), so
``tests/text/test_satrnn.py`` can re-run it and compare the weights with the shipped file.
A progress bar is drawn on stderr.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from umlib.text import corpus, satrnn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The training recipe (also stored in the .npz).
CONFIG = dict(hidden=128, bptt=50, epochs=100, lr=5e-3, clip=1.0, cosine=True, scale_x=8.0,
              gain_h=4.0, rng=20260211)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "book" / "part1" / "data" / "satrnn.npz"))
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    data = corpus.load_corpus()
    result = satrnn.train(data, progress=not args.quiet, **CONFIG)
    bpc = satrnn.bits_per_char(result.model, data)
    satrnn.save(result.model, args.out, bpc=bpc, seconds=round(result.seconds, 1),
                epochs=result.epochs, history=np.array(result.bpc_history),
                corpus_sha256=corpus.SHA256,
                **{f"config_{k}": v for k, v in CONFIG.items()})
    print(f"trained in {result.seconds:.1f} s, {result.epochs} epochs: {bpc:.4f} bpc -> {args.out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
