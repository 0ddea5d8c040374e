r"""Learning from a context, whole or factored: held-out bits per character.

Definitions (Part II, "Compression is factoring").  The context of position :math:`t`
is the :math:`k` bytes before it, read on the corpus closed into a ring, and written as
its :math:`8k` bits :math:`s \in \{-1, +1\}^{8k}` (:func:`context_bits`): :math:`8k`
binary event spaces, :math:`2^{8k}` joint states.  Two predictors of the next byte
:math:`y` learn from the same training pairs :math:`(s, y)`:

* the **lookup table** (unfactored) keeps one entry per joint state it has seen, its own
  counts plus one pseudo-count spread evenly over the :math:`V = 256` bytes
  (:func:`table_bits`):

  .. math:: P_T(y \mid s) = \frac{n(s, y) + 1/V}{n(s) + 1};

  a state never seen gets the uniform law, :math:`\log_2 V` bits;

* the **factored** predictor gives each binary event space one weight vector
  (:func:`factored_bits`):

  .. math:: P_F(y \mid s) = \operatorname{softmax}_y\Bigl(w_{y,0} + \sum_{i=1}^{8k}
            w_{y,i}\, s_i\Bigr),

  :math:`V (8k + 1)` weights, fitted by maximum a posteriori under a unit Gaussian prior
  on every weight: minimise :math:`\sum_j -\ln P_F(y_j \mid s_j) + \tfrac12 \lVert w
  \rVert^2`.  The objective is strictly convex, so its minimiser is unique and a
  machine-independent quantity; the fit stops at a gradient norm :math:`g` and the
  distance to the minimiser is at most :math:`g` (strong convexity with modulus 1),
  which bounds each held-out :math:`\log_2 P_F` to within
  :math:`\sqrt{2(8k+1)}\, g / \ln 2` bits (``HeldOut.err``).

Bytes absent from the training targets are interchangeable in the objective, so their
weight vectors are equal at the minimiser; the fit keeps one shared vector for them
(scaled by the square root of their number, which makes the reduced problem an isometric
copy of the full one).

:func:`fold_split` cuts the ring into equal held-out blocks and trains on the ``n``
positions just before a block.  All results are in bits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.validate import as_array, as_rng, count, positive_scalar, record_fields

__all__ = ["context_bits", "fold_split", "HeldOut", "table_bits", "factored_bits", "Grid",
           "heldout_grid"]

V_BYTES = 256


def _bytes(name: str, x) -> np.ndarray:
    xa = as_array(name, x)
    if xa.ndim != 1 or xa.size < 1 or xa.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a non-empty 1-D integer array of bytes")
    if xa.min() < 0 or xa.max() > 255:
        raise ValueError(f"{name} must hold byte values 0..255")
    return xa.astype(np.int64)


def context_bits(x, k: int) -> np.ndarray:
    """The k bytes before each position of a ring of bytes, as 8k binary factors of ±1.

    Row ``t`` holds the bits of ``x[t-1], x[t-2], ..., x[t-k]`` (indices mod N, so the
    text is read as a ring), least significant bit first, a set bit as +1.

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    x : array_like of int, shape (N,)
        Bytes, 0..255.
    k : int
        Context length in bytes, 0 to 64 (0 gives an empty context).

    Returns
    -------
    numpy.ndarray of float64, shape (N, 8k)
        The context's binary event spaces, each +1 or -1.

    Examples
    --------
    >>> from umlib.text.learnability import context_bits
    >>> context_bits([1, 2], 1).astype(int).tolist()     # x[t-1] read on a ring
    [[-1, 1, -1, -1, -1, -1, -1, -1], [1, -1, -1, -1, -1, -1, -1, -1]]
    """
    xa = _bytes("x", x)
    k = count("k", k, minimum=0, maximum=64)
    cols = [np.roll(xa, j) for j in range(1, k + 1)]
    if not cols:
        return np.zeros((xa.size, 0))
    back = np.stack(cols, axis=1)                        # (N, k): x[t-1..t-k]
    bits = (back[:, :, None] >> np.arange(8)) & 1        # (N, k, 8)
    return (2.0 * bits - 1.0).reshape(xa.size, 8 * k)


def fold_split(N: int, folds: int, fold: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and held-out positions on a ring of N positions cut into equal blocks.

    The held-out positions are block ``fold`` of ``folds`` equal blocks; the training
    positions are the ``n`` positions just before that block, going round the ring.

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    N : int
        Positions on the ring, a multiple of ``folds``.
    folds : int
        Number of blocks, >= 2.
    fold : int
        The held-out block, 0 to ``folds - 1``.
    n : int
        Training positions, 1 to ``N - N // folds``.

    Returns
    -------
    train : numpy.ndarray of int64, shape (n,)
        Training positions, in reading order.
    test : numpy.ndarray of int64, shape (N // folds,)
        Held-out positions.

    Examples
    --------
    >>> from umlib.text.learnability import fold_split
    >>> [a.tolist() for a in fold_split(8, 4, 0, 3)]
    [[5, 6, 7], [0, 1]]
    """
    N = count("N", N, minimum=2)
    folds = count("folds", folds, minimum=2, maximum=N)
    if N % folds:
        raise ValueError(f"N must be a multiple of folds, got N={N}, folds={folds}")
    fold = count("fold", fold, minimum=0, maximum=folds - 1)
    B = N // folds
    n = count("n", n, minimum=1, maximum=N - B)
    start = fold * B
    test = np.arange(start, start + B, dtype=np.int64)
    train = (start - n + np.arange(n, dtype=np.int64)) % N
    return train, test


@dataclass(frozen=True)
class HeldOut:
    """Held-out cost of a predictor: bits per target and a bound on their error.

    Returned by :func:`table_bits` and :func:`factored_bits`; derived in Part II,
    "Compression is factoring".

    Parameters
    ----------
    bits : numpy.ndarray of float64
        :math:`-\\log_2 P(y \\mid s)` for each held-out target.
    err : float
        Bound on the distance of each entry of ``bits`` from its exact value (the
        table's counts are exact, so only rounding; the factored fit's stopping point).
    """

    bits: np.ndarray
    err: float

    def __post_init__(self) -> None:
        record_fields(self)

    @property
    def bpc(self) -> float:
        """Mean held-out bits per character."""
        return float(np.mean(self.bits))


def _pairs(s_train, y_train, s_test, y_test):
    st, se = as_array("s_train", s_train), as_array("s_test", s_test)
    for name, s in (("s_train", st), ("s_test", se)):
        if s.ndim != 2 or s.dtype.kind not in "iuf" or not np.all((s == 1) | (s == -1)):
            raise ValueError(f"{name} must be a 2-D array of +1/-1 binary factors")
    if st.shape[1] != se.shape[1]:
        raise ValueError(f"s_test must have the {st.shape[1]} columns of s_train, "
                         f"got {se.shape[1]}")
    yt, ye = _bytes("y_train", y_train), _bytes("y_test", y_test)
    if yt.size != st.shape[0]:
        raise ValueError(f"y_train must have one byte per row of s_train ({st.shape[0]})")
    if ye.size != se.shape[0]:
        raise ValueError(f"y_test must have one byte per row of s_test ({se.shape[0]})")
    return st.astype(np.float64), yt, se.astype(np.float64), ye


def table_bits(s_train, y_train, s_test, y_test, mass: float = 1.0) -> HeldOut:
    """Held-out bits of the lookup table: one entry per joint state of the factors.

    :math:`P_T(y \\mid s) = (n(s, y) + m/256) / (n(s) + m)` with the counts of the
    training pairs; a state not seen in training gets the uniform law (8 bits).

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    s_train : array_like, shape (n, d)
        Training contexts, each entry +1 or -1.
    y_train : array_like of int, shape (n,)
        Training next bytes, 0..255.
    s_test : array_like, shape (m, d)
        Held-out contexts.
    y_test : array_like of int, shape (m,)
        Held-out next bytes.
    mass : float, default 1.0
        Pseudo-counts per entry, spread evenly over the 256 bytes, > 0.

    Returns
    -------
    HeldOut
        ``bits`` per held-out target; ``err`` a rounding bound (4 ulp of the largest).

    Examples
    --------
    >>> from umlib.text.learnability import table_bits
    >>> s = [[1], [1], [-1]]
    >>> r = table_bits(s, [7, 7, 9], [[1], [-1], [1]], [7, 7, 9])
    >>> [round(float(b), 3) for b in r.bits]    # seen twice; wrong byte; wrong byte
    [0.582, 9.0, 9.585]
    """
    st, yt, se, ye = _pairs(s_train, y_train, s_test, y_test)
    mass = positive_scalar("mass", mass)
    keys = {}
    tr = np.array([keys.setdefault(r.tobytes(), len(keys)) for r in st], dtype=np.int64)
    te = np.array([keys.get(r.tobytes(), -1) for r in se], dtype=np.int64)
    K = len(keys)
    n_sy = np.zeros((K + 1, V_BYTES))                    # row K: the unseen states
    np.add.at(n_sy, (tr, yt), 1.0)
    n_s = n_sy.sum(axis=1)
    rows = np.where(te < 0, K, te)
    p = (n_sy[rows, ye] + mass / V_BYTES) / (n_s[rows] + mass)
    bits = -np.log2(p)
    return HeldOut(bits=bits, err=4 * np.spacing(float(bits.max(initial=8.0))))


def _dot(A, B):
    """``A @ B`` in row blocks of at most 2**18 multiply-adds each.

    OpenBLAS runs products of that size on one thread; larger ones it splits across
    threads, and on a loaded machine the hand-offs of many small products can cost more
    than the products (a fit then slows a hundredfold).  Blocking only regroups rows;
    each entry is the same dot product."""
    rows = max(1, (1 << 18) // max(1, A.shape[1] * B.shape[1]))
    if A.shape[0] <= rows:
        return A @ B
    return np.vstack([A[i:i + rows] @ B for i in range(0, A.shape[0], rows)])


def _scores(W, X, root_r):
    """Class scores ``X W^T``; the last row, if shared by ``r = root_r**2`` bytes, is
    stored scaled by ``root_r`` and its class stands for all r (score + ln r)."""
    Z = _dot(X, W.T)
    if root_r:
        Z[:, -1] = Z[:, -1] / root_r + 2 * math.log(root_r)
    return Z


def _state(W, X, Nc, root_r):
    """Loss (nats, prior included), class probabilities and gradient at ``W``."""
    Z = _scores(W, X, root_r)
    m = Z.max(axis=1, keepdims=True)
    E = np.exp(Z - m)
    S = E.sum(axis=1, keepdims=True)
    w = Nc.sum(axis=1)
    loss = (w @ (np.log(S[:, 0]) + m[:, 0]) - np.sum(Nc * Z)) + 0.5 * np.sum(W * W)
    P = E / S
    return loss, P, _back(w[:, None] * P - Nc, X, root_r) + W


def _back(D, X, root_r):
    """``D^T X`` with the shared row scaled back."""
    G = _dot(X.T, D).T
    if root_r:
        G[-1] /= root_r
    return G


def _newton(X, Nc, root_r, gtol, W=None, gram=None):
    """Minimise the regularised loss by Newton's method with conjugate gradients.

    ``X`` holds the distinct training contexts, ``Nc`` how often each was followed by
    each class.  A step is taken when it lowers the loss enough (Armijo) or, near the
    minimum where changes of the loss fall below its rounding, the gradient norm, which
    is what bounds the error."""
    C, d = Nc.shape[1], X.shape[1]
    w = Nc.sum(axis=1)
    if gram is None:                                 # the factors' Gram matrix
        gram = np.linalg.eigh(_dot(X.T, w[:, None] * X))
    lam, Q = gram
    W = np.zeros((C, d)) if W is None else W
    f, P, G = _state(W, X, Nc, root_r)
    g = float(np.linalg.norm(G))
    for _ in range(100):
        if g <= gtol:
            return W, g
        Pw = w[:, None] * P

        def H(U):
            dZ = _scores(U, X, 0.0)
            if root_r:
                dZ[:, -1] /= root_r
            return _back(Pw * dZ - P * np.sum(Pw * dZ, axis=1, keepdims=True), X,
                         root_r) + U

        # preconditioner: class c's curvature ~ a_c X^T X + 1, a_c = mean p(1-p)
        a = np.sum(w[:, None] * P * (1 - P), axis=0) / w.sum()
        if root_r:
            a[-1] /= root_r ** 2
        scale = 1.0 / (a[:, None] * lam[None, :] + 1.0)

        def Minv(R):
            return _dot(_dot(R, Q) * scale, Q.T)

        D = np.zeros_like(W)                            # preconditioned CG on H D = -G
        R = -G
        Zr = Minv(R)
        Pd = Zr.copy()
        rz = np.sum(R * Zr)
        for _ in range(250):
            HP = H(Pd)
            step = rz / np.sum(Pd * HP)
            D += step * Pd
            R -= step * HP
            if np.linalg.norm(R) <= min(0.1, math.sqrt(g)) * g:
                break
            Zr = Minv(R)
            rz, rz_old = np.sum(R * Zr), rz
            Pd = Zr + (rz / rz_old) * Pd
        slope = float(np.sum(G * D))
        t = 1.0
        for _ in range(60):
            Wn = W + t * D
            fn, Pn, Gn = _state(Wn, X, Nc, root_r)
            gn = float(np.linalg.norm(Gn))
            if fn <= f + 1e-4 * t * slope:
                break
            # a decrease the rounding of the loss cannot show: judge by the gradient
            if -t * slope < 1e-9 * (1 + abs(f)) and gn <= (1 - 1e-4 * t) * g:
                break
            t /= 2
        else:
            break
        W, f, P, G, g = Wn, fn, Pn, Gn, gn
    if g > gtol:
        raise RuntimeError(f"the fit stopped at gradient norm {g:.3g} > gtol {gtol}")
    return W, g


def factored_bits(s_train, y_train, s_test, y_test, gtol: float = 1e-6) -> HeldOut:
    """Held-out bits of the factored (log-linear) predictor: one weight vector per factor.

    :math:`P_F(y \\mid s) = \\operatorname{softmax}_y(w_{y,0} + \\sum_i w_{y,i} s_i)`
    over the 256 bytes, the weights at the unique minimum of the training loss in nats
    plus :math:`\\tfrac12\\lVert w\\rVert^2` (a unit Gaussian prior), found by
    Newton's method with conjugate-gradient steps.  With no columns (``d = 0``) it is
    the factored predictor deprived of its factors: a smoothed byte frequency.

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    s_train : array_like, shape (n, d)
        Training contexts, each entry +1 or -1.
    y_train : array_like of int, shape (n,)
        Training next bytes, 0..255.
    s_test : array_like, shape (m, d)
        Held-out contexts.
    y_test : array_like of int, shape (m,)
        Held-out next bytes.
    gtol : float, default 1e-6
        Gradient norm at which the fit stops, from 1e-10 to 1e-2.

    Returns
    -------
    HeldOut
        ``bits`` per held-out target; ``err`` bounds each entry's distance from the
        value at the exact minimiser, :math:`\\sqrt{2(d+1)}\\,g/\\ln 2`.

    Raises
    ------
    RuntimeError
        If Newton's method stops above ``gtol`` (its step search fails).

    Examples
    --------
    >>> from umlib.text.learnability import factored_bits
    >>> s = [[1], [1], [-1], [-1]]
    >>> r = factored_bits(s, [7, 7, 9, 9], [[1], [-1]], [7, 9])
    >>> [round(float(b), 2) for b in r.bits], r.err < 1e-5
    ([3.07, 3.07], True)
    """
    st, yt, se, ye = _pairs(s_train, y_train, s_test, y_test)
    gtol = _gtol(gtol)
    W, g = _fit(st, yt, gtol)
    return _evaluate(W, g, se, ye)


def _gtol(gtol):
    gtol = positive_scalar("gtol", gtol)
    if not 1e-10 <= gtol <= 1e-2:
        raise ValueError(f"gtol must be from 1e-10 to 1e-2, got {gtol}")
    return gtol


def _fit(st, yt, gtol, start=None, gram=None):
    """Weights of all 256 bytes (rows) at the minimum, and the gradient norm reached.

    ``start``, a previous fit on a subset of these bytes' targets, is a warm start."""
    classes = np.unique(yt)
    r = V_BYTES - classes.size                           # bytes never a training target
    root_r = math.sqrt(r) if r else 0.0
    X = np.hstack([np.ones((st.shape[0], 1)), st])
    rows, inv = np.unique(X, axis=0, return_inverse=True)   # distinct contexts
    Nc = np.zeros((rows.shape[0], classes.size + bool(r)))
    np.add.at(Nc, (inv.ravel(), np.searchsorted(classes, yt)), 1.0)
    W0 = None
    if start is not None:
        unseen = np.setdiff1d(np.arange(V_BYTES), classes)
        W0 = start[classes]
        if r:
            W0 = np.vstack([W0, start[unseen[:1]] * root_r])
    Wr, g = _newton(rows, Nc, root_r, gtol, W0, gram)
    W = np.empty((V_BYTES, X.shape[1]))
    W[:] = Wr[-1] / root_r if r else 0.0
    W[classes] = Wr[:classes.size]
    return W, g


def _evaluate(W, g, se, ye):
    """Held-out bits of the fitted weights ``W`` (one row per byte)."""
    Xe = np.hstack([np.ones((se.shape[0], 1)), se])
    Z = _dot(Xe, W.T)
    Z -= Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z).sum(axis=1))
    bits = (lse - Z[np.arange(ye.size), ye]) / math.log(2)
    err = math.sqrt(2 * Xe.shape[1]) * g / math.log(2)
    return HeldOut(bits=bits, err=err)


@dataclass(frozen=True)
class Grid:
    """Held-out bits per character of the three predictors over a grid.

    Returned by :func:`heldout_grid` (Part II, "Compression is factoring").  Each array
    has shape ``(len(ks), len(ns), folds)``: the mean held-out bits of one held-out
    block.

    Parameters
    ----------
    ks : tuple of int
        Context lengths in bytes.
    ns : tuple of int
        Training sizes.
    table : numpy.ndarray
        The lookup table (:func:`table_bits`).
    factored : numpy.ndarray
        The factored predictor (:func:`factored_bits`).
    context_free : numpy.ndarray
        The factored predictor deprived of its factors (the byte frequencies).
    err : float
        Bound on the error of every factored entry.
    table_positions, factored_positions : numpy.ndarray, optional
        ``(len(ks), len(ns), N)``: the held-out bits of every position (each position
        is held out in one block), for errors finer than the blocks'.
    """

    ks: tuple
    ns: tuple
    table: np.ndarray
    factored: np.ndarray
    context_free: np.ndarray
    err: float
    table_positions: np.ndarray | None = None
    factored_positions: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("ks", "ns"):
            v = getattr(self, name)
            if not isinstance(v, tuple) or not v:
                raise TypeError(f"{name} must be a non-empty tuple of ints")
            for i in v:
                count(name, i)
        record_fields(self, optional=("table_positions", "factored_positions"))


def heldout_grid(x, ks=(1, 2, 4, 8, 16), ns=(32, 64, 128, 256, 512, 768),
                 folds: int = 4, gtol: float = 1e-6, shuffle=None) -> Grid:
    """Held-out bits of the table, the factored predictor and its context-free version.

    For each context length k, training size n and held-out block (:func:`fold_split`
    on the ring of ``x``), the three predictors learn from the same n pairs and are
    scored on the block.  The fits along n start from the previous n's minimum (the
    training sets are nested); the minimum is unique, so only the work changes.

    Derived in Part II, "Compression is factoring".

    Parameters
    ----------
    x : array_like of int, shape (N,)
        Bytes, 0..255; N a multiple of ``folds``.
    ks : sequence of int, default (1, 2, 4, 8, 16)
        Context lengths, each 1 to 64.
    ns : sequence of int, default (32, 64, 128, 256, 512, 768)
        Training sizes, increasing, each at most ``N - N // folds``.
    folds : int, default 4
        Held-out blocks, >= 2.
    gtol : float, default 1e-6
        As for :func:`factored_bits`.
    shuffle : int or numpy.random.Generator, optional
        If given, the seed of a control: each training set's next bytes are permuted
        among its positions (the byte counts kept, their link to the context cut), the
        same permutation for every k.

    Returns
    -------
    Grid
        The held-out bits per character of each block.

    Examples
    --------
    >>> from umlib.text.learnability import heldout_grid
    >>> g = heldout_grid(list(b"abcd" * 8), ks=(1,), ns=(8, 16), folds=2)
    >>> g.table.shape, bool((g.factored < g.context_free).all())
    ((1, 2, 2), True)
    """
    xa = _bytes("x", x)
    folds = count("folds", folds, minimum=2, maximum=xa.size)
    gtol = _gtol(gtol)
    ks = tuple(count("ks", k, minimum=1, maximum=64) for k in _ints("ks", ks))
    ns = tuple(count("ns", n, minimum=1, maximum=xa.size) for n in _ints("ns", ns))
    if list(ns) != sorted(set(ns)):
        raise ValueError(f"ns must be increasing, got {ns}")
    try:
        rng = None if shuffle is None else as_rng(shuffle)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"shuffle: {exc}".replace("rng", "the seed")) from None
    targets = {}
    for f in range(folds):
        for n in ns:
            tr, _ = fold_split(xa.size, folds, f, n)
            targets[f, n] = xa[tr] if rng is None else rng.permutation(xa[tr])
    shape = (len(ks), len(ns), folds)
    T, F, F0 = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    TP, FP = np.zeros((len(ks), len(ns), xa.size)), np.zeros((len(ks), len(ns), xa.size))
    err = 0.0
    empty = np.zeros((xa.size, 0))
    for f in range(folds):
        W0 = None
        for j, n in enumerate(ns):
            tr, te = fold_split(xa.size, folds, f, n)
            W0, g = _fit(empty[tr], targets[f, n], gtol, W0)
            F0[:, j, f] = _evaluate(W0, g, empty[te], xa[te]).bpc
    for i, k in enumerate(ks):
        S = context_bits(xa, k)
        Xr = np.hstack([np.ones((xa.size, 1)), S])
        lam, Q = np.linalg.eigh(_dot(Xr.T, Xr) / xa.size)   # preconditioner only
        for f in range(folds):
            W = None
            for j, n in enumerate(ns):
                tr, te = fold_split(xa.size, folds, f, n)
                y = targets[f, n]
                t = table_bits(S[tr], y, S[te], xa[te])
                T[i, j, f], TP[i, j, te] = t.bpc, t.bits
                W, g = _fit(S[tr], y, gtol, W, (lam * n, Q))
                r = _evaluate(W, g, S[te], xa[te])
                F[i, j, f], err = r.bpc, max(err, r.err)
                FP[i, j, te] = r.bits
    return Grid(ks=ks, ns=ns, table=T, factored=F, context_free=F0, err=err,
                table_positions=TP, factored_positions=FP)


def _ints(name, v):
    if isinstance(v, (str, bytes)) or not isinstance(v, (list, tuple, range, np.ndarray)) \
            or (isinstance(v, np.ndarray) and v.ndim != 1):
        raise TypeError(f"{name} must be a sequence of ints")
    if len(v) < 1:
        raise ValueError(f"{name} must not be empty")
    return list(v)
