"""Training the sat-rnn by truncated backpropagation through time with Adam, and its weights shipped checksummed.

The recipe is in scripts/train_satrnn.py; the shipped weights are loaded in every chapter of Parts I and II.
"""

from __future__ import annotations
import math
import sys
import time
from dataclasses import dataclass, field
import numpy as np
from ...core import thermo
from ...core.optim import adam_update
from ...core.validate import (count, diverging, flag, positive_scalar, record_fields)
from ...book import weights
from .model import HIDDEN, SatRNN, _LN2, _bytes, bits_per_char, init_params

__all__ = ["TrainResult", "train", "save", "load"]


@dataclass
class TrainResult:
    """A trained model and its history (returned by :func:`train`).

    Part I, "The microstate space".

    Parameters
    ----------
    model : SatRNN
        The final weights.
    bpc_history : list of float
        Full-sequence bpc after each epoch.
    seconds : float
        Wall-clock training time.
    epochs : int
        Epochs actually run.

    Returns
    -------
    TrainResult
    """

    def __post_init__(self) -> None:
        record_fields(self, classes={"model": SatRNN})

    model: SatRNN
    bpc_history: list = field(default_factory=list)   # full-sequence bpc after each epoch
    seconds: float = 0.0
    epochs: int = 0


def _segment_grads(model: SatRNN, x: np.ndarray, t0: int, t1: int, h_prev: np.ndarray):
    """Loss (bits) and gradients for predicting x[t0+1 .. t1] from x[t0 .. t1-1]."""
    Wx, Wh, bh, Wy, by = model.Wx, model.Wh, model.bh, model.Wy, model.by
    T = t1 - t0
    H = model.hidden
    hs = np.empty((T + 1, H))
    hs[0] = h_prev
    xin = Wx[:, x[t0:t1]].T + bh
    for k in range(T):
        hs[k + 1] = np.tanh(xin[k] + Wh @ hs[k])
    h = hs[1:]
    logits = h @ Wy.T + by
    p = thermo.softmax(logits, 1.0, axis=1)          # the output Gibbs law at T = 1
    tgt = x[t0 + 1:t1 + 1]
    loss = -float(np.sum(thermo.log_softmax(logits, 1.0, axis=1)[np.arange(T), tgt])) / _LN2
    d = p
    d[np.arange(T), tgt] -= 1.0
    d /= _LN2
    gWy = d.T @ h
    gby = d.sum(axis=0)
    dh = d @ Wy
    da = np.empty((T, H))
    carry = np.zeros(H)
    for k in range(T - 1, -1, -1):
        da[k] = (dh[k] + carry) * (1.0 - h[k] * h[k])
        carry = Wh.T @ da[k]
    gWh = da.T @ hs[:-1]
    gbh = da.sum(axis=0)
    gWx = np.zeros_like(Wx)
    np.add.at(gWx.T, x[t0:t1], da)
    return loss, (gWx, gWh, gbh, gWy, gby), hs[-1]


def train(data, *, hidden: int = HIDDEN, bptt: int = 50, epochs: int = 100, lr: float = 5e-3,
          clip: float = 1.0, cosine: bool = True, scale_x: float = 8.0, gain_h: float = 4.0,
          rng=0, target_bpc: float | None = None,
          progress: bool = False) -> TrainResult:
    """Train the sat-rnn on ``data`` by truncated BPTT with Adam (seeded, float64).

    Each epoch runs once over the sequence in windows of ``bptt`` steps, carrying the
    hidden state across windows (gradients do not cross them) and taking one Adam step
    per window (:func:`umlib.core.optim.adam_update`).  Training stops after ``epochs``
    or, if ``target_bpc`` is given, at the end of the first epoch whose full-sequence bpc
    is at or below it.  The output probabilities of the gradient are the softmax of the
    scores at T = 1 (:func:`umlib.core.thermo.softmax`).

    Trains the model of Part I, "The microstate space" (``scripts/train_satrnn.py``).

    Parameters
    ----------
    data : bytes
        The training sequence.
    hidden, bptt, epochs : int
        Hidden units, window length, maximum number of passes.
    lr, clip : float
        Adam step size; global gradient-norm clip.
    scale_x, gain_h : float
        Initial scales (see :func:`~umlib.text.satrnn.model.init_params`).
    cosine : bool
        Anneal the step size from ``lr`` to 0 along a half cosine over all steps.
    rng : int or numpy.random.Generator
        Seed of the initial weights (the only randomness).
    target_bpc : float, optional
        Early-stopping threshold in bits per character.
    progress : bool
        Draw a text progress bar on stderr.

    Returns
    -------
    TrainResult
        The final model, the bpc after each epoch, the time and the epochs run.

    Examples
    --------
    >>> from umlib.text.satrnn import train
    >>> r = train(b"abcabcabcabc" * 4, hidden=8, bptt=10, epochs=40, lr=3e-2, scale_x=0.5,
    ...           gain_h=1.0, rng=0)
    >>> r.bpc_history[-1] < 0.5 < r.bpc_history[0]
    True
    """
    x = _bytes("data", data)
    for name, v in (("bptt", bptt), ("epochs", epochs)):
        count(name, v, minimum=1)
    lr = positive_scalar("lr", lr)
    clip = positive_scalar("clip", clip)
    cosine, progress = flag("cosine", cosine), flag("progress", progress)
    if target_bpc is not None:
        target_bpc = positive_scalar("target_bpc", target_bpc)
    model = init_params(hidden, rng=rng, scale_x=scale_x, gain_h=gain_h)
    params = [model.Wx.copy(), model.Wh.copy(), model.bh.copy(), model.Wy.copy(),
              model.by.copy()]
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8     # adam_update's defaults, spelled out
    step = 0
    n_pred = x.size - 1
    total_steps = int(epochs) * (-(-n_pred // int(bptt)))
    history = []
    start = time.perf_counter()
    epoch = 0
    with diverging("lr, scale_x, gain_h"):
        for epoch in range(1, int(epochs) + 1):
            h = np.zeros(model.hidden)
            for t0 in range(0, n_pred, int(bptt)):
                t1 = min(t0 + int(bptt), n_pred)
                cur = SatRNN(*params)
                _, grads, h = _segment_grads(cur, x, t0, t1, h)
                norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
                if norm > clip:
                    grads = [g * (clip / norm) for g in grads]
                step += 1
                rate = lr * 0.5 * (1 + math.cos(math.pi * (step - 1) / total_steps)) if cosine else lr
                for p, g, u, v in zip(params, grads, m1, m2):
                    adam_update(p, g, u, v, step, rate, b1, b2, eps)
            bpc = bits_per_char(SatRNN(*params), x)
            history.append(bpc)
            if progress:
                done = epoch / epochs
                bar = "#" * int(30 * done)
                print(f"\r[{bar:<30}] epoch {epoch}/{epochs} bpc {bpc:.4f} "
                      f"{time.perf_counter() - start:.1f}s", end="", file=sys.stderr, flush=True)
            if target_bpc is not None and bpc <= target_bpc:
                break
    if progress:
        print(file=sys.stderr)
    return TrainResult(model=SatRNN(*params), bpc_history=history,
                       seconds=time.perf_counter() - start, epochs=epoch)


#: What writes the shipped weights of Parts I and II (named in error messages).
TRAINING_SCRIPT = "scripts/train_satrnn.py"


def save(model: SatRNN, path, **meta) -> None:
    """Write the weights (and numeric or string metadata, scalars or arrays) to an ``.npz``,
    and its SHA-256 to ``<path>.sha256`` beside it (checked by :func:`load`); see
    :mod:`umlib.book.weights`.

    Writes the shipped model of Part I, "The microstate space".

    Parameters
    ----------
    model : SatRNN
    path : str or os.PathLike
        The ``.npz`` to write.
    **meta
        Metadata stored beside the weights.

    Returns
    -------
    None
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    weights.write(path, model.arrays(), meta)


def load(path) -> tuple[SatRNN, dict]:
    """Read weights written by :func:`save`: ``(model, meta)``.

    The file's SHA-256 must match ``<path>.sha256`` (a ``ValueError`` says
    otherwise, a ``FileNotFoundError`` if either file is missing), and nothing
    is unpickled (``allow_pickle=False``).

    Reads the shipped model of Part I, "The microstate space".

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` written by :func:`save`.

    Returns
    -------
    model : SatRNN
    meta : dict
        The stored metadata.
    """
    arrays, meta = weights.read(path, TRAINING_SCRIPT)
    missing = [k for k in ("Wx", "Wh", "bh", "Wy", "by") if k not in arrays]
    if missing:
        raise ValueError(f"{path}: not a sat-rnn file (missing {', '.join(missing)})")
    model = SatRNN(**{k: arrays[k].astype(np.float64) for k in ("Wx", "Wh", "bh", "Wy", "by")})
    return model, meta
