"""The sat-rnn itself: parameters, the forward pass, and its bits per character.

Used in every chapter of Parts I and II.
"""

from __future__ import annotations
import math
from dataclasses import dataclass
import numpy as np
from ...core import thermo
from ...core.validate import (as_array, as_rng, count, finite_result, positive_scalar, real_array,
                               real_scalar, record_fields)
from ..saturation import LN2 as _LN2

# the widest hidden layer init_params builds (the book uses 128)
MAX_HIDDEN = 100_000

__all__ = [
    "VOCAB",
    "HIDDEN",
    "SatRNN",
    "Trace",
    "init_params",
    "forward",
    "bpc_per_position",
    "bits_per_char",
    "blend",
]


VOCAB = 256


HIDDEN = 128


@dataclass(frozen=True)
class SatRNN:
    """The weights of the sat-rnn (float64 arrays).

    Defined in Part I, "The microstate space".

    Parameters
    ----------
    Wx : numpy.ndarray, shape (H, 256)
        Input byte → hidden.
    Wh : numpy.ndarray, shape (H, H)
        Hidden → hidden.
    bh : numpy.ndarray, shape (H,)
        Hidden bias.
    Wy : numpy.ndarray, shape (256, H)
        Hidden → output scores.
    by : numpy.ndarray, shape (256,)
        Output bias.

    Returns
    -------
    SatRNN
        A frozen, validated model (finite float64 arrays of matching shapes).
    """

    Wx: np.ndarray
    Wh: np.ndarray
    bh: np.ndarray
    Wy: np.ndarray
    by: np.ndarray

    def __post_init__(self) -> None:
        record_fields(self)
        if np.ndim(self.Wh) != 2 or np.shape(self.Wh)[0] != np.shape(self.Wh)[1]:
            raise ValueError(f"Wh must be a square (H, H) matrix, got shape {np.shape(self.Wh)}")
        H = np.shape(self.Wh)[0]
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
        """Number of hidden units H.

        Returns
        -------
        int
        """
        return self.Wh.shape[0]

    @property
    def n_params(self) -> int:
        """Number of weights and biases (82,304 for H = 128).

        Returns
        -------
        int
        """
        return sum(getattr(self, k).size for k in ("Wx", "Wh", "bh", "Wy", "by"))

    def arrays(self) -> dict[str, np.ndarray]:
        """The weights as a dict of arrays (the ``.npz`` layout).

        Returns
        -------
        dict of str to numpy.ndarray
            Keys ``Wx``, ``Wh``, ``bh``, ``Wy``, ``by`` (the arrays themselves, not copies).
        """
        return {k: getattr(self, k) for k in ("Wx", "Wh", "bh", "Wy", "by")}


@dataclass(frozen=True)
class Trace:
    """What one forward pass computes, per position ``t`` (rows).

    Returned by :func:`forward`; Part I, "The microstate space".

    Parameters
    ----------
    a : numpy.ndarray, shape (T, H)
        Pre-activations.
    h : numpy.ndarray, shape (T, H)
        Hidden states tanh(a).
    logits : numpy.ndarray, shape (T, 256)
        Output scores A(o, t) in nats (minus the energies of the output Gibbs law at T = 1).

    Returns
    -------
    Trace
        A frozen record.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    a: np.ndarray        # (T, H) pre-activations
    h: np.ndarray        # (T, H) hidden states tanh(a)
    logits: np.ndarray   # (T, 256) output scores A(o, t) in nats


def _bytes(name: str, data) -> np.ndarray:
    if isinstance(data, (bytes, bytearray, memoryview)):
        x = np.frombuffer(bytes(data), dtype=np.uint8).astype(np.int64)
    else:
        arr = as_array("data", data)
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

    Part I, "The microstate space" (the starting point of :func:`~umlib.text.satrnn.training.train`).

    Parameters
    ----------
    hidden : int, default 128
        Hidden units H (>= 1).
    rng : int or numpy.random.Generator, default 0
        Seed or generator.
    scale_x : float, default 0.5
        Standard deviation of the input weights (> 0).
    gain_h : float, default 1.0
        Gain of the orthogonal recurrence (> 0).

    Returns
    -------
    SatRNN
        Zero biases, ``Wx ~ N(0, scale_x²)``, ``Wh = gain_h·Q`` (Q orthogonal),
        ``Wy ~ N(0, 1/H)``.

    Examples
    --------
    >>> from umlib.text.satrnn import init_params
    >>> init_params(128, rng=0).n_params
    82304
    """
    hidden = count("hidden", hidden, minimum=1, maximum=MAX_HIDDEN)
    scale_x = positive_scalar("scale_x", scale_x)
    gain_h = positive_scalar("gain_h", gain_h)
    g = as_rng(rng)
    H = int(hidden)
    q, r = np.linalg.qr(g.standard_normal((H, H)))
    q = q * np.sign(np.diag(r))
    Wx, Wh = finite_result("scale_x, gain_h",
                           lambda: (scale_x * g.standard_normal((H, VOCAB)), gain_h * q))
    return SatRNN(Wx=Wx, Wh=Wh, bh=np.zeros(H), Wy=g.standard_normal((VOCAB, H)) / math.sqrt(H),
                  by=np.zeros(VOCAB))


def _trace(trace) -> "Trace":
    if not isinstance(trace, Trace):
        raise TypeError(f"trace must be a Trace (from forward), got {type(trace).__name__}")
    return trace


def forward(model: SatRNN, data, h0=None) -> Trace:
    """Run the model over ``data`` (bytes) from ``h0`` (default zeros).

    Part I, "The microstate space".

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        At least 2 byte values.
    h0 : array_like, shape (H,), optional
        Initial hidden state (zeros when omitted).

    Returns
    -------
    Trace
        Pre-activations, hidden states and output scores at every position.

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
    h = np.zeros(H) if h0 is None else real_array("h0", h0)
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
    """log2 P(idx[t] | row t) of the output softmax at T = 1, via :func:`thermo.log_softmax`."""
    logp = thermo.log_softmax(logits, 1.0, axis=1)
    return logp[np.arange(len(idx)), idx] / _LN2


def bpc_per_position(model: SatRNN, data, trace: Trace | None = None) -> np.ndarray:
    """Surprise :math:`-\\log_2 P(x_{t+1} \\mid h_t)` in bits for t = 0 .. N-2.

    :math:`\\log P` is the output log-softmax at T = 1, computed by
    :func:`umlib.core.thermo.log_softmax`.  Part I, "The partition function".

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        The sequence (N >= 2 bytes).
    trace : Trace, optional
        A forward pass of ``model`` over ``data`` (recomputed when omitted).

    Returns
    -------
    numpy.ndarray, shape (N - 1,)
        Bits of surprise per next byte.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, bpc_per_position
    >>> bpc_per_position(init_params(8, rng=1), b"abcab").shape
    (4,)
    """
    x = _bytes("data", data)
    tr = forward(model, x) if trace is None else _trace(trace)
    return -_log2_softmax_at(tr.logits[:-1], x[1:])


def bits_per_char(model: SatRNN, data) -> float:
    """Mean surprise in bits over the N-1 next bytes of ``data``.

    Part I, "The microstate space" (and "The partition function", Corollary 1).

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        The sequence (N >= 2 bytes).

    Returns
    -------
    float
        The mean of :func:`bpc_per_position`.

    Examples
    --------
    >>> from umlib.text.satrnn import init_params, bits_per_char
    >>> bits_per_char(init_params(8, rng=1), b"abcab") > 0
    True
    """
    return float(bpc_per_position(model, data).mean())


def blend(m0: SatRNN, m1: SatRNN, alpha: float) -> SatRNN:
    r"""The point :math:`(1-\alpha)\,\theta_0 + \alpha\,\theta_1` on the segment between two models.

    Used to draw the loss along a line in weight space, in Part I,
    "The free energy landscape".  ``alpha`` may lie outside [0, 1] (extrapolation).

    Parameters
    ----------
    m0, m1 : SatRNN
        The end points (same hidden size).
    alpha : float
        Position on the line (finite).

    Returns
    -------
    SatRNN
        ``m0`` at alpha = 0 and ``m1`` at alpha = 1 exactly (the same objects).

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
    alpha = real_scalar("alpha", alpha, finite=False)
    if not math.isfinite(alpha):
        raise ValueError(f"alpha must be finite, got {alpha}")
    if alpha == 0.0:
        return m0
    if alpha == 1.0:
        return m1
    return SatRNN(**{k: (1.0 - alpha) * getattr(m0, k) + alpha * getattr(m1, k)
                     for k in ("Wx", "Wh", "bh", "Wy", "by")})
