r"""The entropy bridge: Shannon entropy of a partition from Boltzmann entropies of its classes.

Definitions (Part II, "The entropy bridge" to "Compression is factoring").  A factoring
partitions the :math:`N` positions of the dataset into macrostates of sizes :math:`W_k`
(:mod:`umlib.text.counting` builds the partitions).  Three exact identities of the counts hold
for every partition :math:`C` and every target labelling :math:`Y` (the next byte):

.. math::

    H(C) &= \log_2 N - \langle S_B \rangle_C, \qquad
    \langle S_B \rangle_C = \sum_k \frac{W_k}{N}\log_2 W_k
    \quad\text{(the bridge)}\\
    H(Y \mid C) &= \langle S_B \rangle_C - \langle S_B \rangle_{C \wedge Y}
    \quad\text{(residual bits per character)}\\
    \log_2 N &= \langle S_B \rangle_{C\wedge Y} + H(C) + H(Y \mid C)
    \quad\text{(the three-way budget)}

where :math:`C \wedge Y` is the common refinement (positions that share both the
macrostate and the next byte).  The residual bits per character therefore equal
:math:`\log_2 N - \langle S_B\rangle_C` only when :math:`H(C) = H(Y\mid C)`; the gap
is :func:`residual_split`'s ``gap``.

The quotient of a macrostate is :math:`Q = N/W = 1/p` (:func:`quotients`); its
conditional version :math:`W(c)/W(c, y) = 1/p(y \mid c)` (:func:`conditional_quotients`)
is the one whose mean logarithm is the residual bits per character.

:class:`~umlib.widgets.staircase.StaircaseDial` is the "click a bar" control of Part II, "The factoring
hierarchy": a pure :meth:`~umlib.widgets.staircase.StaircaseDial.readout` and lazily built ipywidgets.

All entropies are in bits.  Counts are exact integers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Sequence

import numpy as np

from ..core.validate import as_array, class_labels, count, record_fields, sequence

from . import counting

__all__ = ["START", "context_labels", "factoring_levels", "BridgeTerms", "bridge_terms", "bridge_reference",
           "ResidualSplit", "residual_split", "quotients", "conditional_quotients",
           "LevelStats", "staircase", "rnn_param_count", "lookup_table_size"]

#: The symbol standing for "before the first byte" in a context (bytes are 0..255).
START = 256


_labels = class_labels


def context_labels(x, offsets: Sequence[int]) -> np.ndarray:
    """Macrostate labels of a context model: position t's class is ``(x[t-o] for o in offsets)``.

    Offsets reaching before the first byte read :data:`START`.  ``offsets=range(k)`` is
    the order-k context (the last k bytes read, the current one included); ``(0, 8)``
    is a skip context that pairs the current byte with the byte eight back and skips
    the bytes between; an empty ``offsets`` is the unfactored level (one class).

    Derived in Part II, "The factoring hierarchy".

    Parameters
    ----------
    x : array_like of int, shape (N,)
        Bytes, 0..255.
    offsets : sequence of int
        How far back each context byte is read, each >= 0.

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        Class labels of the context partition.

    Examples
    --------
    >>> from umlib.text.bridge import context_labels
    >>> context_labels([97, 98, 97, 98], [0]).tolist()
    [0, 1, 0, 1]
    >>> int(context_labels([97, 98, 97, 98], [0, 2]).max()) + 1   # START makes 4 classes
    4
    """
    xa = as_array("x", x)
    if xa.ndim != 1 or xa.size < 1 or xa.dtype.kind not in "iu":
        raise ValueError("x must be a non-empty 1-D integer array of bytes")
    if xa.min() < 0 or xa.max() > 255:
        raise ValueError("x must hold byte values 0..255")
    if isinstance(offsets, (str, bytes)):
        raise TypeError("offsets must be a sequence of ints")
    offs = sequence("offsets", offsets)
    for o in offs:
        if isinstance(o, bool) or not isinstance(o, (int, np.integer)) or o < 0:
            raise ValueError(f"offsets must be non-negative ints, got {o!r}")
    n = xa.size
    cols = []
    for o in offs:
        c = np.full(n, START, dtype=np.int64)
        if o < n:  # an offset at or past N reaches before the first byte everywhere
            c[o:] = xa[:n - o] if o else xa
        cols.append(c)
    proj = np.stack(cols, axis=1) if cols else np.zeros((n, 0), dtype=np.int64)
    return counting.partition(proj)


def factoring_levels(x, h=None, orders: Sequence[int] = (3, 4, 6, 8, 10),
                     skip: int = 8) -> dict:
    """The staircase of Part II: labels of each factoring level over all N positions, coarse to fine.

    Levels: ``unfactored`` (one macrostate), ``unigram`` (x_t), ``bigram``
    (x_{t-1}, x_t), ``order-k`` for each k in ``orders`` (the last k bytes),
    ``skip-<skip>`` (x_t, x_{t-skip}), ``sat-rnn`` (the binary hidden state, when
    ``h`` is given) and ``full`` (the position itself).  Slice ``[:-1]`` for the
    positions that have a next byte.

    Derived in Part II, "The factoring hierarchy".

    Parameters
    ----------
    x : array_like of int, shape (N,)
        Bytes, 0..255.
    h : array_like of int, shape (N, H), optional
        Binary hidden states of the sat-rnn.
    orders : sequence of int, default (3, 4, 6, 8, 10)
        Context orders beyond the bigram, each >= 3.
    skip : int, default 8
        Offset of the skip context, >= 1.

    Returns
    -------
    dict of str to numpy.ndarray
        Level name -> class labels (int64, shape (N,)), coarse to fine.

    Examples
    --------
    >>> from umlib.text.bridge import factoring_levels
    >>> lv = factoring_levels(list(b"abcabc"), orders=(3,), skip=2)
    >>> {k: int(v.max()) + 1 for k, v in lv.items()}
    {'unfactored': 1, 'unigram': 3, 'bigram': 4, 'order-3': 5, 'skip-2': 5, 'full': 6}
    """
    xa = as_array("x", x)
    if isinstance(orders, (str, bytes)):
        raise TypeError("orders must be a sequence of ints")
    orders = sequence("orders", orders)
    for k in orders:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 3:
            raise ValueError(f"orders must be ints >= 3 (unigram and bigram are built in), got {k!r}")
    skip = count("skip", skip, minimum=1)
    levels = {"unfactored": context_labels(xa, []), "unigram": context_labels(xa, [0]),
              "bigram": context_labels(xa, [0, 1])}
    for k in orders:
        levels[f"order-{int(k)}"] = context_labels(xa, range(int(k)))
    levels[f"skip-{int(skip)}"] = context_labels(xa, [0, int(skip)])
    if h is not None:
        hb = as_array("h", h)
        if hb.ndim != 2 or hb.shape[0] != xa.size or hb.dtype.kind not in "iu":
            raise ValueError(f"h must be an integer array of binary states of shape ({xa.size}, H)")
        levels["sat-rnn"] = counting.partition(hb)
    levels["full"] = np.arange(xa.size, dtype=np.int64)
    return levels


@dataclass(frozen=True)
class BridgeTerms:
    """Both sides of the bridge for one partition, in float64 (bits).

    A record built by :func:`bridge_terms`.  Derived in Part II, "The entropy bridge".

    Parameters
    ----------
    N : int
        Number of positions.
    K : int
        Number of macrostates.
    mean_S_B : float
        <S_B> = (1/N) sum_t log2 W(t), bits.
    H : float
        -sum_k (W_k/N) log2(W_k/N), computed directly, bits.
    H_bridge : float
        log2 N - <S_B>, bits.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    N: int
    K: int
    mean_S_B: float       # <S_B> = (1/N) sum_t log2 W(t)
    H: float             # -sum_k (W_k/N) log2(W_k/N), computed directly
    H_bridge: float      # log2 N - <S_B>


def bridge_terms(labels) -> BridgeTerms:
    """Shannon entropy of a partition computed directly and through the bridge.

    Derived in Part II, "The entropy bridge".

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    BridgeTerms
        N, K, <S_B>, H and log2 N - <S_B> (bits).

    Examples
    --------
    >>> from umlib.text.bridge import bridge_terms
    >>> t = bridge_terms([0, 0, 1, 2])
    >>> t.K, t.mean_S_B, t.H, t.H_bridge
    (3, 0.5, 1.5, 1.5)
    """
    lab = _labels("labels", labels)
    N = int(lab.size)
    return BridgeTerms(N=N, K=int(counting.class_sizes(lab).size),
                       mean_S_B=counting.mean_boltzmann_entropy(lab),
                       H=counting.partition_entropy(lab),
                       H_bridge=math.log2(N) - counting.mean_boltzmann_entropy(lab))


def bridge_reference(sizes, digits: int = 50) -> tuple[Decimal, Decimal]:
    r"""Both sides of the bridge in ``digits``-digit decimal arithmetic, by different routes.

    Returns ``(H, log2 N - <S_B>)``: the first as :math:`-\sum_k p_k \log_2 p_k` with
    :math:`p_k = W_k/N` (a sum over classes), the second as
    :math:`\log_2 N - \frac1N \sum_k W_k \log_2 W_k`.  They agree to about ``digits``
    digits because the bridge is an identity; each rounds to the float64 value of
    the entropy.

    Derived in Part II, "The entropy bridge".

    Parameters
    ----------
    sizes : array_like of int, shape (K,)
        Class sizes W_k, each >= 1.
    digits : int, default 50
        Working precision in significant digits, 20 to 200.

    Returns
    -------
    H : decimal.Decimal
        Shannon entropy in bits, summed over classes.
    H_bridge : decimal.Decimal
        log2 N - <S_B> in bits.

    Examples
    --------
    >>> from umlib.text.bridge import bridge_reference
    >>> H, Hb = bridge_reference([2, 1, 1])
    >>> float(H), abs(H - Hb) < 1e-45
    (1.5, True)
    """
    W = as_array("sizes", sizes)
    if W.ndim != 1 or W.size < 1 or W.dtype.kind not in "iu":
        raise ValueError("sizes must be a non-empty 1-D integer array of class sizes")
    if W.min() < 1:
        raise ValueError("sizes must be >= 1 (an empty macrostate is not a class)")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 20 <= digits <= 200:
        raise ValueError(f"digits must be an int from 20 to 200, got {digits!r}")
    with localcontext() as ctx:
        ctx.prec = digits + 10
        ln2 = Decimal(2).ln()
        N = Decimal(int(W.sum()))
        H = Decimal(0)
        SB = Decimal(0)
        for w in W.tolist():
            p = Decimal(w) / N
            H -= p * p.ln() / ln2
            SB += Decimal(w) * Decimal(w).ln() / ln2
        Hb = N.ln() / ln2 - SB / N
        return +H, +Hb


@dataclass(frozen=True)
class ResidualSplit:
    """How log2 N splits for a context partition C and a target Y (bits).

    A record built by :func:`residual_split`.  Derived in Part II, "The entropy bridge".

    Parameters
    ----------
    N : int
        Number of positions.
    K_C, K_CY : int
        Number of context macrostates, and of (context, target) macrostates.
    S_C, S_CY, S_Y : float
        <S_B> of the context, joint and target partitions, bits.
    H_C, H_Y : float
        H(C) = log2 N - S_C and H(Y), bits.
    H_Y_given_C : float
        Residual bits per character, counted: H(Y | C).
    I_CY : float
        I(C; Y), bits.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    N: int
    K_C: int             # number of context macrostates
    K_CY: int            # number of (context, target) macrostates
    S_C: float           # <S_B> of the context partition
    S_CY: float          # <S_B> of the joint partition C ∧ Y
    S_Y: float           # <S_B> of the target partition
    H_C: float           # H(C) = log2 N - S_C
    H_Y: float           # H(Y)
    H_Y_given_C: float   # residual bpc, counted: H(Y | C)
    I_CY: float          # I(C; Y)

    @property
    def log2N(self) -> float:
        return math.log2(self.N)

    @property
    def gap(self) -> float:
        """(log2 N - <S_B>_C) - H(Y|C) = H(C) - H(Y|C): how far the bridge's H is from the bpc."""
        return self.H_C - self.H_Y_given_C


def residual_split(context, target) -> ResidualSplit:
    """The Boltzmann and Shannon terms of a context partition and its target.

    Derived in Part II, "The entropy bridge".

    Parameters
    ----------
    context : array_like of int, shape (N,)
        Labels of the context partition C.
    target : array_like of int, shape (N,)
        Labels of the target Y (the next byte).

    Returns
    -------
    ResidualSplit
        Counts, Boltzmann and Shannon terms, all in bits.

    Examples
    --------
    >>> from umlib.text.bridge import residual_split
    >>> r = residual_split([0, 0, 1, 1], [0, 1, 2, 2])
    >>> r.H_C, r.H_Y_given_C, r.S_C - r.S_CY, r.gap
    (1.0, 0.5, 0.5, 0.5)
    """
    c = _labels("context", context)
    y = _labels("target", target)
    if c.size != y.size:
        raise ValueError(f"context and target have different lengths {c.size} and {y.size}")
    cy = counting.joint_partition(c, y)
    S_C = counting.mean_boltzmann_entropy(c)
    return ResidualSplit(
        N=int(c.size), K_C=int(counting.class_sizes(c).size),
        K_CY=int(counting.class_sizes(cy).size), S_C=S_C,
        S_CY=counting.mean_boltzmann_entropy(cy), S_Y=counting.mean_boltzmann_entropy(y),
        H_C=counting.partition_entropy(c), H_Y=counting.partition_entropy(y),
        H_Y_given_C=counting.conditional_entropy(y, c),
        I_CY=counting.mutual_information(c, y))


def quotients(labels) -> np.ndarray:
    """The quotient :math:`Q(t) = N / W(t)` of each position's macrostate (float64).

    Derived in Part II, "Q = λ: the quotient is the luck".

    Used also in Part II, "The partition function".

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        Q(t) = N / W(t), >= 1 (dimensionless).

    Examples
    --------
    >>> from umlib.text.bridge import quotients
    >>> quotients([0, 0, 0, 1]).tolist()
    [1.3333333333333333, 1.3333333333333333, 1.3333333333333333, 4.0]
    """
    lab = _labels("labels", labels)
    return lab.size / counting.omega(lab).astype(np.float64)


def conditional_quotients(context, target) -> np.ndarray:
    r"""The conditional quotient :math:`W(c_t) / W(c_t, y_t) = 1/p(y_t \mid c_t)` (float64).

    Its mean base-2 logarithm is :math:`H(Y \mid C)`.

    Derived in Part II, "Q = λ: the quotient is the luck".

    Parameters
    ----------
    context : array_like of int, shape (N,)
        Labels of the context partition C.
    target : array_like of int, shape (N,)
        Labels of the target Y (the next byte).

    Returns
    -------
    numpy.ndarray of float64, shape (N,)
        W(c_t) / W(c_t, y_t), >= 1 (dimensionless).

    Examples
    --------
    >>> from umlib.text.bridge import conditional_quotients
    >>> conditional_quotients([0, 0, 0, 1], [5, 5, 6, 5]).tolist()
    [1.5, 1.5, 3.0, 1.0]
    """
    c = _labels("context", context)
    y = _labels("target", target)
    if c.size != y.size:
        raise ValueError(f"context and target have different lengths {c.size} and {y.size}")
    return counting.omega(c) / counting.omega(counting.joint_partition(c, y)).astype(np.float64)


@dataclass(frozen=True)
class LevelStats:
    """One step of the factoring staircase (bits throughout).

    A record built by :func:`staircase` and drawn by the staircase dial.  Derived in
    Part II, "The factoring hierarchy".

    Parameters
    ----------
    name : str
        The level's name.
    K : int
        Number of macrostates.
    mean_S_B : float
        <S_B>: Boltzmann entropy absorbed by the macrostates.
    H : float
        log2 N - <S_B>: Shannon entropy of the macrostate label.
    residual : float
        H(Y | macrostate): counted residual bits per character.
    log2N : float
        log2 N.
    S_Y : float, default 0.0
        <S_B> of the next-byte classes.
    I : float, default 0.0
        I(macrostate; next byte).
    model_bpc : float or None, default None
        A trained model's bits per character at this level, if any.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    name: str
    K: int                   # macrostates
    mean_S_B: float               # <S_B>: Boltzmann entropy absorbed by the macrostates
    H: float                 # log2 N - <S_B>: Shannon entropy of the macrostate label
    residual: float          # H(Y | macrostate): counted residual bits per character
    log2N: float
    S_Y: float = 0.0         # <S_B> of the next-byte classes
    I: float = 0.0           # I(macrostate; next byte)
    model_bpc: float | None = None   # a trained model's bpc at this level, if any

    @property
    def explained(self) -> float:
        """<S_B>_Y + I(C; Y) = log2 N - residual: the exact "absorbed" bar."""
        return self.S_Y + self.I

    @property
    def pct_absorbed(self) -> float:
        """100 <S_B> / log2 N."""
        return 100.0 * self.mean_S_B / self.log2N

    @property
    def gap(self) -> float:
        """H - residual: how far the bridge's H is from the residual bpc."""
        return self.H - self.residual


def staircase(levels: dict, target, model_bpc: dict | None = None) -> list[LevelStats]:
    """The staircase: for each named partition, its count, <S_B>, H and residual H(Y|C).

    Parameters
    ----------
    levels : dict[str, array_like of int]
        Name -> class labels over the same positions as ``target``, coarse to fine.
    target : array_like of int
        The next byte at each position.
    model_bpc : dict[str, float], optional
        A trained model's bits per character for some levels (shown beside the count).

    Derived in Part II, "The factoring hierarchy".

    Returns
    -------
    list of LevelStats
        One entry per level, in the order of ``levels``.

    Examples
    --------
    >>> from umlib.text.bridge import staircase
    >>> s = staircase({"one": [0, 0, 0, 0], "all": [0, 1, 2, 3]}, [0, 1, 0, 1])
    >>> [(r.name, r.K, r.mean_S_B, r.H, r.residual) for r in s]
    [('one', 1, 2.0, 0.0, 1.0), ('all', 4, 0.0, 2.0, 0.0)]
    """
    if not isinstance(levels, dict) or not levels:
        raise ValueError("levels must be a non-empty dict of name -> labels")
    y = _labels("target", target)
    if model_bpc is not None and not isinstance(model_bpc, dict):
        raise TypeError(f"model_bpc must be a dict or None, got {type(model_bpc).__name__}")
    model_bpc = {} if model_bpc is None else dict(model_bpc)
    for k in model_bpc:
        if k not in levels:
            raise ValueError(f"model_bpc names an unknown level {k!r}")
    out = []
    for name, lab in levels.items():
        r = residual_split(_labels(f"levels[{name!r}]", lab), y)
        m = model_bpc.get(name)
        if m is not None:
            m = float(m)
            if not math.isfinite(m) or m < 0:
                raise ValueError(f"model_bpc[{name!r}] must be a finite number >= 0")
        out.append(LevelStats(name=str(name), K=r.K_C, mean_S_B=r.S_C, H=r.H_C,
                              residual=r.H_Y_given_C, log2N=r.log2N, S_Y=r.S_Y, I=r.I_CY,
                              model_bpc=m))
    return out


def rnn_param_count(vocab: int, hidden: int) -> int:
    """Weights and biases of a vocab → hidden (tanh) → vocab Elman RNN.

    :math:`H V` (input) + :math:`H^2` (recurrence) + :math:`H` (hidden bias) + :math:`V H`
    (output) + :math:`V` (output bias).

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    vocab : int
        Vocabulary size V, >= 1.
    hidden : int
        Hidden units H, >= 1.

    Returns
    -------
    int
        Number of parameters.

    Examples
    --------
    >>> from umlib.text.bridge import rnn_param_count
    >>> rnn_param_count(256, 128)
    82304
    """
    for name, v in (("vocab", vocab), ("hidden", hidden)):
        count(name, v, minimum=1)
    V, H = int(vocab), int(hidden)
    return H * V + H * H + H + V * H + V


def lookup_table_size(n_bits: int, vocab: int | None = None) -> int:
    """Entries of a lookup table over ``n_bits`` binary factors (exact Python int).

    With ``vocab``, the free parameters of a table that stores a next-symbol
    distribution per entry: :math:`2^{n}(V - 1)`.

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    n_bits : int
        Number of binary factors, 0 to 4096.
    vocab : int, optional
        Vocabulary size V, >= 1.

    Returns
    -------
    int
        2**n_bits entries, or 2**n_bits (V - 1) free parameters with ``vocab``.

    Examples
    --------
    >>> from umlib.text.bridge import lookup_table_size
    >>> lookup_table_size(128) == 2 ** 128, lookup_table_size(3, vocab=256)
    (True, 2040)
    """
    if isinstance(n_bits, bool) or not isinstance(n_bits, (int, np.integer)) or not \
            0 <= n_bits <= 4096:
        raise ValueError(f"n_bits must be an int from 0 to 4096, got {n_bits!r}")
    entries = 2 ** int(n_bits)
    if vocab is None:
        return entries
    vocab = count("vocab", vocab, minimum=1)
    return entries * (int(vocab) - 1)
