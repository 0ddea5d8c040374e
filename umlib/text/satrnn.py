r"""The sat-rnn: a 256 → 128 (tanh) → 256 softmax byte RNN, trained by truncated BPTT in numpy.

The model of Parts I and II.  At position :math:`t` it reads the byte :math:`x_t`,
updates its hidden state and scores every possible next byte:

.. math::

    a_t = W_x e_{x_t} + W_h h_{t-1} + b_h, \qquad h_t = \tanh a_t, \qquad
    A(o, t) = (W_y h_t + b_y)_o, \qquad P(o \mid h_t) = \frac{e^{A(o,t)}}{\sum_{o'} e^{A(o',t)}},

with :math:`h_{-1} = 0`.  The bits per character are
:math:`\mathrm{bpc} = \frac{1}{N-1}\sum_{t=0}^{N-2} -\log_2 P(x_{t+1} \mid h_t)`
(there are :math:`N-1` next bytes in :math:`N` bytes).

Two readings of the hidden unit used in Part I ("The partition function"): since
:math:`\tanh a = P_+ - P_-` with :math:`P_+ = \sigma(2a)`, the unit is a two-state
Boltzmann system whose accumulator difference *in bits* is
:math:`D = 2a/\ln 2` (:func:`accumulator_difference`), so that
:math:`P(h^+) = 1/(1 + 2^{-D}) = \sigma(D \ln 2)`.  The binary hidden event is the sign
of :math:`h_t` (:func:`binary_states`).

Training (:func:`train`) is plain truncated backpropagation through time over
consecutive windows of ``bptt`` steps with the hidden state carried across windows,
Adam updates and global-norm gradient clipping, all in float64 and seeded.  Weights are
stored as ``.npz`` and read with ``allow_pickle=False`` (:func:`save`, :func:`load`).

Derived in Part I, chapters "The microstate space", "The partition function" and
"The free energy landscape".
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..core.validate import as_rng, positive_scalar, real_array
from ..book import weights

__all__ = ["VOCAB", "HIDDEN", "SatRNN", "Trace", "init_params", "forward", "bits_per_char",
           "bpc_per_position", "accumulator_difference", "binary_states", "train",
           "TrainResult", "save", "load", "analytic_bigram", "attribution",
           "sign_readout_bpc", "blend"]

VOCAB = 256
HIDDEN = 128
_LN2 = math.log(2.0)


@dataclass(frozen=True)
class SatRNN:
    """The weights of the sat-rnn (float64 arrays).

    Attributes
    ----------
    Wx : (H, 256)    input byte → hidden
    Wh : (H, H)      hidden → hidden
    bh : (H,)        hidden bias
    Wy : (256, H)    hidden → output scores
    by : (256,)      output bias
    """

    Wx: np.ndarray
    Wh: np.ndarray
    bh: np.ndarray
    Wy: np.ndarray
    by: np.ndarray

    def __post_init__(self) -> None:
        H = np.shape(self.Wh)[0] if np.ndim(self.Wh) == 2 else -1
        shapes = {"Wx": (H, VOCAB), "Wh": (H, H), "bh": (H,), "Wy": (VOCAB, H), "by": (VOCAB,)}
        for name, shape in shapes.items():
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.dtype != np.float64:
                raise TypeError(f"{name} must be a float64 numpy array")
            if arr.shape != shape or H < 1:
                raise ValueError(f"{name} has shape {arr.shape}, expected {shape}")
            if not np.isfinite(arr).all():
                raise ValueError(f"{name} contains non-finite values")

    @property
    def hidden(self) -> int:
        """Number of hidden units H."""
        return self.Wh.shape[0]

    @property
    def n_params(self) -> int:
        """Number of weights and biases (82,304 for H = 128)."""
        return sum(getattr(self, k).size for k in ("Wx", "Wh", "bh", "Wy", "by"))

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights as a dict of arrays (the ``.npz`` layout)."""
        return {k: getattr(self, k) for k in ("Wx", "Wh", "bh", "Wy", "by")}


@dataclass(frozen=True)
class Trace:
    """What one forward pass computes, per position ``t`` (rows)."""

    a: np.ndarray        # (T, H) pre-activations
    h: np.ndarray        # (T, H) hidden states tanh(a)
    logits: np.ndarray   # (T, 256) output scores A(o, t) in nats


def _bytes(name: str, data) -> np.ndarray:
    if isinstance(data, (bytes, bytearray, memoryview)):
        x = np.frombuffer(bytes(data), dtype=np.uint8).astype(np.int64)
    else:
        arr = np.asarray(data)
        if arr.dtype.kind not in "iu":
            raise TypeError(f"{name} must be bytes or an integer array, got dtype {arr.dtype}")
        x = arr.astype(np.int64)
        if x.size and (x.min() < 0 or x.max() >= VOCAB):
            raise ValueError(f"{name} must hold byte values 0..255")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"{name} must be a 1-D sequence of at least 2 bytes")
    return x


def init_params(hidden: int = HIDDEN, rng=0, scale_x: float = 0.5, gain_h: float = 1.0) -> SatRNN:
    """Seeded initial weights: Gaussian input and output weights, scaled-orthogonal recurrence.

    Examples
    --------
    >>> from umlib.text.satrnn import init_params
    >>> init_params(128, rng=0).n_params
    82304
    """
    if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)) or hidden < 1:
        raise ValueError(f"hidden must be an int >= 1, got {hidden!r}")
    scale_x = positive_scalar("scale_x", scale_x)
    gain_h = positive_scalar("gain_h", gain_h)
    g = as_rng(rng)
    H = int(hidden)
    q, r = np.linalg.qr(g.standard_normal((H, H)))
    q = q * np.sign(np.diag(r))
    return SatRNN(Wx=scale_x * g.standard_normal((H, VOCAB)), Wh=gain_h * q,
                  bh=np.zeros(H), Wy=g.standard_normal((VOCAB, H)) / math.sqrt(H),
                  by=np.zeros(VOCAB))


def forward(model: SatRNN, data, h0=None) -> Trace:
    """Run the model over ``data`` (bytes) from ``h0`` (default zeros).

    Examples
    --------
    >>> from umlib.text.satrnn import init_params, forward
    >>> tr = forward(init_params(8, rng=1), b"hello")
    >>> tr.a.shape, tr.logits.shape
    ((5, 8), (5, 256))
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    x = _bytes("data", data)
    H = model.hidden
    h = np.zeros(H) if h0 is None else np.asarray(h0, dtype=np.float64)
    if h.shape != (H,):
        raise ValueError(f"h0 must have shape ({H},)")
    T = x.size
    a = np.empty((T, H))
    hs = np.empty((T, H))
    xin = model.Wx[:, x].T + model.bh
    for t in range(T):
        a[t] = xin[t] + model.Wh @ h
        h = np.tanh(a[t])
        hs[t] = h
    logits = hs @ model.Wy.T + model.by
    return Trace(a=a, h=hs, logits=logits)


def _log2_softmax_at(logits: np.ndarray, idx: np.ndarray) -> np.ndarray:
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
    return (logits[np.arange(len(idx)), idx] - lse) / _LN2


def bpc_per_position(model: SatRNN, data, trace: Trace | None = None) -> np.ndarray:
    """Surprise :math:`-\\log_2 P(x_{t+1} \\mid h_t)` in bits for t = 0 .. N-2.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, bpc_per_position
    >>> bpc_per_position(init_params(8, rng=1), b"abcab").shape
    (4,)
    """
    x = _bytes("data", data)
    tr = forward(model, x) if trace is None else trace
    return -_log2_softmax_at(tr.logits[:-1], x[1:])


def bits_per_char(model: SatRNN, data) -> float:
    """Mean surprise in bits over the N-1 next bytes of ``data``."""
    return float(bpc_per_position(model, data).mean())


def accumulator_difference(a) -> np.ndarray:
    r"""The binary event space's accumulator difference in bits, :math:`D = 2a/\ln 2`.

    With it, :math:`P(h^+) = \sigma(2a) = 1/(1 + 2^{-D})` and
    :math:`\tanh a = P(h^+) - P(h^-)` (Part I, "The partition function").

    Examples
    --------
    >>> import math
    >>> from umlib.text.satrnn import accumulator_difference
    >>> float(accumulator_difference(math.log(2) / 2))
    1.0
    """
    arr = real_array("a", a, min_size=0)
    with np.errstate(over="ignore"):
        D = 2.0 * arr / _LN2
    if not np.isfinite(D).all():
        raise OverflowError("a is so large that D = 2a/ln 2 overflows")
    return D


def binary_states(h) -> np.ndarray:
    """The binary hidden events: +1 where :math:`h > 0`, else -1 (int8; h = 0 counts as -1).

    Examples
    --------
    >>> from umlib.text.satrnn import binary_states
    >>> binary_states([[0.3, -0.2, 0.0]]).tolist()
    [[1, -1, -1]]
    """
    arr = real_array("h", h, min_size=0)
    if arr.ndim != 2:
        raise ValueError("h must be a 2-D array (positions × units)")
    return np.where(arr > 0, 1, -1).astype(np.int8)


@dataclass
class TrainResult:
    """A trained model and its history."""

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
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    p = e / s
    tgt = x[t0 + 1:t1 + 1]
    loss = float(np.sum(np.log(s[:, 0]) + m[:, 0] - logits[np.arange(T), tgt])) / _LN2
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
    per window.  Training stops after ``epochs`` or, if ``target_bpc`` is given, at the
    end of the first epoch whose full-sequence bpc is at or below it.

    Parameters
    ----------
    data : bytes
        The training sequence.
    hidden, bptt, epochs : int
        Hidden units, window length, maximum number of passes.
    lr, clip : float
        Adam step size; global gradient-norm clip.
    scale_x, gain_h : float
        Initial scales (see :func:`init_params`).
    cosine : bool
        Anneal the step size from ``lr`` to 0 along a half cosine over all steps.
    rng : int or numpy.random.Generator
        Seed of the initial weights (the only randomness).
    target_bpc : float, optional
        Early-stopping threshold in bits per character.
    progress : bool
        Draw a text progress bar on stderr.

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
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be an int >= 1, got {v!r}")
    lr = positive_scalar("lr", lr)
    clip = positive_scalar("clip", clip)
    if target_bpc is not None:
        target_bpc = positive_scalar("target_bpc", target_bpc)
    model = init_params(hidden, rng=rng, scale_x=scale_x, gain_h=gain_h)
    params = [model.Wx.copy(), model.Wh.copy(), model.bh.copy(), model.Wy.copy(),
              model.by.copy()]
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    step = 0
    n_pred = x.size - 1
    total_steps = int(epochs) * (-(-n_pred // int(bptt)))
    history = []
    start = time.perf_counter()
    epoch = 0
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
            c1, c2 = 1 - b1 ** step, 1 - b2 ** step
            rate = lr * 0.5 * (1 + math.cos(math.pi * (step - 1) / total_steps)) if cosine else lr
            for p, g, u, v in zip(params, grads, m1, m2):
                u *= b1
                u += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                p -= rate * (u / c1) / (np.sqrt(v / c2) + eps)
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
    :mod:`umlib.book.weights`."""
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    weights.write(path, model.arrays(), meta)


def load(path) -> tuple[SatRNN, dict]:
    """Read weights written by :func:`save`: ``(model, meta)``.

    The file's SHA-256 must match ``<path>.sha256`` (a ``ValueError`` says
    otherwise, a ``FileNotFoundError`` if either file is missing), and nothing
    is unpickled (``allow_pickle=False``).
    """
    arrays, meta = weights.read(path, TRAINING_SCRIPT)
    missing = [k for k in ("Wx", "Wh", "bh", "Wy", "by") if k not in arrays]
    if missing:
        raise ValueError(f"{path}: not a sat-rnn file (missing {', '.join(missing)})")
    model = SatRNN(**{k: arrays[k].astype(np.float64) for k in ("Wx", "Wh", "bh", "Wy", "by")})
    return model, meta


def analytic_bigram(data, hidden: int = HIDDEN, floor: float = -30.0,
                    gain: float = 30.0) -> SatRNN:
    r"""The counting construction: sat-rnn weights that realise the bigram counts exactly.

    Each distinct input byte gets its own hidden unit (needs ``hidden`` >= number of
    distinct bytes).  With :math:`W_h = 0` and a large input gain the unit of the current
    byte saturates at +1 and every other at -1, so :math:`h_t = 2e_{x_t} - 1`.  Output
    weights :math:`W_y[:, j] = L[:, j]/2` and bias :math:`b_y = \sum_j L[:, j]/2` with
    :math:`L[o, j] = \ln\big(c(j, o)/c(j)\big)` (``floor`` nats where the pair never occurs)
    give :math:`A(o, t) = L[o, x_t]`: the model predicts with the empirical conditional
    counts, and its bpc approaches :math:`H(Y \mid X)` as ``floor`` → −∞.

    Derived in Part I, "The free energy landscape".

    Examples
    --------
    >>> from umlib.text.satrnn import analytic_bigram, bits_per_char
    >>> m = analytic_bigram(b"abababab", hidden=4)
    >>> bits_per_char(m, b"abababab") < 1e-6
    True
    """
    x = _bytes("data", data)
    if not floor < 0 or not math.isfinite(floor):
        raise ValueError(f"floor must be a finite negative number, got {floor!r}")
    gain = positive_scalar("gain", gain)
    syms = np.unique(x[:-1])
    if syms.size > hidden:
        raise ValueError(f"hidden={hidden} is smaller than the {syms.size} distinct input bytes")
    unit = np.full(VOCAB, -1)
    unit[syms] = np.arange(syms.size)
    c = np.zeros((hidden, VOCAB))
    np.add.at(c, (unit[x[:-1]], x[1:]), 1.0)
    L = np.full((VOCAB, hidden), 0.0)
    for j in range(syms.size):
        with np.errstate(divide="ignore"):
            lp = np.log(c[j] / c[j].sum())
        L[:, j] = np.where(np.isfinite(lp), lp, floor)
    Wx = np.full((hidden, VOCAB), -gain)
    Wx[unit[syms], syms] = gain
    # bytes never seen as input: all units -1 (h = -1 vector), any prediction will do
    Wy = L / 2.0
    by = L.sum(axis=1) / 2.0
    return SatRNN(Wx=Wx, Wh=np.zeros((hidden, hidden)), bh=np.zeros(hidden), Wy=Wy, by=by)


def attribution(model: SatRNN, data, t: int, trace: Trace | None = None) -> np.ndarray:
    r"""The backward pass of one prediction: :math:`g_s = \partial\,\mathrm{bpc}(t)/\partial a_s`.

    The surprise :math:`\mathrm{bpc}(t) = -\log_2 P(x_{t+1} \mid h_t)` is differentiated
    with respect to the pre-activations :math:`a_s` of every earlier step
    :math:`s = 0, \dots, t`.  The chain is the forward pass run backwards:

    .. math::

        \frac{\partial\,\mathrm{bpc}(t)}{\partial A(o, t)} = \frac{P(o \mid h_t) -
        [o = x_{t+1}]}{\ln 2}, \qquad
        g_t = (1 - h_t^2) \odot W_y^\top \frac{\partial\,\mathrm{bpc}(t)}{\partial A},
        \qquad g_{s} = (1 - h_s^2) \odot W_h^\top g_{s+1}.

    The factor :math:`1 - h_s^2 = 4 P(h^+) P(h^-)` is the variance of the unit's spin,
    so a saturated unit passes almost nothing back.  The input event :math:`x_s` enters
    :math:`a_s` through the column :math:`W_x e_{x_s}`, so :math:`g_s` is also the
    gradient with respect to that column's contribution at step :math:`s`, and
    :math:`\partial\,\mathrm{bpc}(t)/\partial b_h = \sum_s g_s`.

    Derived in Part I, "The two directions of the thermodynamic map".

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        The sequence; ``t + 1`` must be a valid index (the next byte exists).
    t : int
        The prediction position, ``0 <= t <= len(data) - 2``.
    trace : Trace, optional
        A forward pass of ``model`` over ``data`` (recomputed when omitted).

    Returns
    -------
    numpy.ndarray, shape (t + 1, H)
        Row ``s`` is :math:`g_s`.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, attribution, bpc_per_position
    >>> m = init_params(6, rng=0, scale_x=0.5)
    >>> g = attribution(m, b"abcab", 3)
    >>> g.shape
    (4, 6)
    >>> eps = 1e-6   # the bias receives the sum of the g_s
    >>> from umlib.text.satrnn import SatRNN
    >>> up = SatRNN(**{**m.arrays(), "bh": m.bh + eps * np.eye(6)[2]})
    >>> dn = SatRNN(**{**m.arrays(), "bh": m.bh - eps * np.eye(6)[2]})
    >>> fd = (bpc_per_position(up, b"abcab")[3] - bpc_per_position(dn, b"abcab")[3]) / (2 * eps)
    >>> bool(abs(fd - g[:, 2].sum()) < 1e-8)
    True
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    x = _bytes("data", data)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 0 <= t <= x.size - 2:
        raise ValueError(f"t must be an int in 0..{x.size - 2}, got {t!r}")
    tr = forward(model, x) if trace is None else trace
    if tr.h.shape != (x.size, model.hidden):
        raise ValueError("trace does not belong to this model and data")
    z = tr.logits[t]
    p = np.exp(z - z.max())
    p /= p.sum()
    dA = p.copy()
    dA[x[t + 1]] -= 1.0
    dA /= _LN2
    g = np.empty((t + 1, model.hidden))
    back = model.Wy.T @ dA
    for s in range(t, -1, -1):
        g[s] = back * (1.0 - tr.h[s] * tr.h[s])
        back = model.Wh.T @ g[s]
    return g


def sign_readout_bpc(model: SatRNN, data, recurrent: bool = False,
                     trace: Trace | None = None) -> np.ndarray:
    r"""Surprise per position when the hidden units are replaced by their signs.

    The *mantissa* of a unit is what :math:`h_t` carries beyond its sign
    (:func:`binary_states`).  With ``recurrent=False`` only the readout sees signs:
    :math:`A(o,t) = (W_y\,\mathrm{sign}(h_t) + b_y)_o`, the recurrence is unchanged.  With
    ``recurrent=True`` the network runs on signs throughout,
    :math:`h_t = \mathrm{sign}(W_x e_{x_t} + W_h h_{t-1} + b_h)` (sign 0 counts as -1).

    Derived in Part I, "The Boltzmann distribution in detail".

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, sign_readout_bpc
    >>> m = init_params(8, rng=1)
    >>> sign_readout_bpc(m, b"abcab").shape, sign_readout_bpc(m, b"abcab", recurrent=True).shape
    ((4,), (4,))
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    if not isinstance(recurrent, (bool, np.bool_)):
        raise TypeError("recurrent must be a bool")
    x = _bytes("data", data)
    if recurrent:
        H = model.hidden
        h = np.zeros(H)
        hs = np.empty((x.size, H))
        xin = model.Wx[:, x].T + model.bh
        for t in range(x.size):
            h = np.where(xin[t] + model.Wh @ h > 0, 1.0, -1.0)
            hs[t] = h
    else:
        tr = forward(model, x) if trace is None else trace
        hs = np.where(tr.h > 0, 1.0, -1.0)
    logits = hs @ model.Wy.T + model.by
    return -_log2_softmax_at(logits[:-1], x[1:])


def blend(m0: SatRNN, m1: SatRNN, alpha: float) -> SatRNN:
    r"""The point :math:`(1-\alpha)\,\theta_0 + \alpha\,\theta_1` on the segment between two models.

    Used to draw the loss along a line in weight space (Part I, "The free energy
    landscape").  ``alpha`` may lie outside [0, 1] (extrapolation).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, blend
    >>> a, b = init_params(4, rng=0), init_params(4, rng=1)
    >>> np.array_equal(blend(a, b, 0.0).Wh, a.Wh), np.array_equal(blend(a, b, 1.0).Wh, b.Wh)
    (True, True)
    """
    if not isinstance(m0, SatRNN) or not isinstance(m1, SatRNN):
        raise TypeError("m0 and m1 must be SatRNN models")
    if m0.hidden != m1.hidden:
        raise ValueError(f"m0 has {m0.hidden} hidden units, m1 has {m1.hidden}")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)):
        raise TypeError("alpha must be a real number")
    alpha = float(alpha)
    if not math.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha}")
    if alpha == 0.0:
        return m0
    if alpha == 1.0:
        return m1
    return SatRNN(**{k: (1.0 - alpha) * getattr(m0, k) + alpha * getattr(m1, k)
                     for k in ("Wx", "Wh", "bh", "Wy", "by")})
