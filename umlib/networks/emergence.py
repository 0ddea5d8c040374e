r"""Effective information and causal emergence of a discrete Markov system.

Definitions (Part V, chapter "Emergence and effective information"; Hoel,
Albantakis & Tononi 2013, Hoel 2017).  A system with ``n`` states and
transition probability matrix (TPM) ``T`` (rows: current state, columns:
next state, each row a probability vector) is *intervened on* with the
uniform distribution over its states.  Its effective information is the
mutual information between the intervention and the effect:

.. math::

    \mathrm{EI}(T) = \frac1n \sum_i D_{\mathrm{KL}}\!\left(T_{i\cdot}\,\middle\|\,\bar T\right)
                   = H(\bar T) - \frac1n\sum_i H(T_{i\cdot}),
    \qquad \bar T = \frac1n \sum_i T_{i\cdot},

in bits.  For a square TPM it splits exactly into

.. math::

    \mathrm{EI} = \underbrace{\Big(\log_2 n - \tfrac1n\sum_i H(T_{i\cdot})\Big)}_{\text{determinism}}
                - \underbrace{\Big(\log_2 n - H(\bar T)\Big)}_{\text{degeneracy}}.

A *coarse-graining* groups the states into blocks; the macro TPM intervenes
uniformly on the micro states of a block and sums the probabilities of
landing in each block:

.. math::

    T^{\mathrm{macro}}_{AB} = \frac{1}{|A|}\sum_{i\in A}\sum_{j\in B} T_{ij}.

Causal emergence is ``EI(macro) > EI(micro)``.  :func:`best_partition`
searches every partition of a small system (Bell-number many) for the
largest EI.

Edge cases: a TPM that is not a 2-D array of finite, non-negative numbers
whose rows sum to 1 within 1e-9 raises ``ValueError`` naming ``tpm``; a
partition that does not cover each state exactly once raises ``ValueError``
naming ``partition``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np

from ..core.validate import as_rng, count, real_array, real_scalar
from ..core.thermo import shannon_entropy

__all__ = [
    "check_tpm",
    "effective_information",
    "determinism",
    "degeneracy",
    "ei_decomposition",
    "mutual_information",
    "intervention_joint",
    "coarse_grain",
    "set_partitions",
    "bell_number",
    "best_partition",
    "add_noise",
    "hoel_example",
    "partition_blocks",
    "stationary_distribution",
    "entropy_rate",
    "sample_chain",
    "bigram_counts",
    "cross_entropy_bits",
    "fit_bigram",
]


def check_tpm(tpm, square: bool = True) -> np.ndarray:
    """Return ``tpm`` as a float64 row-stochastic matrix, or raise naming ``tpm``.

    Examples
    --------
    >>> from umlib.networks.emergence import check_tpm
    >>> check_tpm([[0.5, 0.5], [0.0, 1.0]]).shape
    (2, 2)
    """
    T = real_array("tpm", tpm)
    if T.ndim != 2:
        raise ValueError(f"tpm must be a 2-D matrix, got {T.ndim} dimension(s)")
    if square and T.shape[0] != T.shape[1]:
        raise ValueError(f"tpm must be square, got shape {T.shape}")
    if (T < 0).any():
        raise ValueError("tpm has negative entries")
    if np.any(np.abs(T.sum(axis=1) - 1.0) > 1e-9):
        raise ValueError("tpm rows must each sum to 1 (within 1e-9)")
    return T


def _row_entropies(T: np.ndarray) -> np.ndarray:
    return np.asarray(shannon_entropy(T, 2.0, axis=1), dtype=np.float64).reshape(-1)


def effective_information(tpm, square: bool = True) -> float:
    r"""Effective information of ``tpm`` under the uniform intervention, in bits.

    ``EI = H(mean row) - mean H(row)``.  With ``square=False`` any
    row-stochastic matrix (a channel from ``n`` inputs to ``k`` outputs) is
    accepted.  Derived in Part V, "Emergence and effective information".

    Examples
    --------
    >>> from umlib.networks.emergence import effective_information
    >>> effective_information([[0, 1], [1, 0]])
    1.0
    >>> effective_information([[0.5, 0.5], [0.5, 0.5]])
    0.0
    """
    T = check_tpm(tpm, square=square)
    ei = shannon_entropy(T.mean(axis=0)) - float(np.mean(_row_entropies(T)))
    return max(float(ei), 0.0) + 0.0


def determinism(tpm) -> float:
    """``log2 n - mean H(row)``: how far the rows are from uniform noise (bits).

    Examples
    --------
    >>> from umlib.networks.emergence import determinism
    >>> determinism([[1, 0], [1, 0]])
    1.0
    """
    T = check_tpm(tpm)
    return float(math.log2(T.shape[0]) - np.mean(_row_entropies(T)))


def degeneracy(tpm) -> float:
    """``log2 n - H(mean row)``: how much the rows pile onto the same effects (bits).

    Examples
    --------
    >>> from umlib.networks.emergence import degeneracy
    >>> degeneracy([[1, 0], [1, 0]])
    1.0
    """
    T = check_tpm(tpm)
    return float(math.log2(T.shape[0]) - shannon_entropy(T.mean(axis=0)))


def ei_decomposition(tpm) -> tuple[float, float, float]:
    """``(EI, determinism, degeneracy)`` with ``EI = determinism - degeneracy``.

    Examples
    --------
    >>> from umlib.networks.emergence import ei_decomposition
    >>> ei_decomposition([[0, 1], [1, 0]])
    (1.0, 1.0, 0.0)
    """
    return effective_information(tpm), determinism(tpm), degeneracy(tpm)


def intervention_joint(tpm, square: bool = True) -> np.ndarray:
    """Joint law ``p(x, y) = T[x, y] / n`` of the uniform intervention and its effect.

    Examples
    --------
    >>> from umlib.networks.emergence import intervention_joint
    >>> intervention_joint([[0, 1], [1, 0]]).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    """
    T = check_tpm(tpm, square=square)
    return T / T.shape[0]


def mutual_information(joint) -> float:
    r"""``I(X;Y) = H(X) + H(Y) - H(X,Y)`` of a joint probability table, in bits.

    Computed from three entropies, independently of
    :func:`effective_information` (which averages row entropies), so the two
    can check each other.

    Examples
    --------
    >>> from umlib.networks.emergence import mutual_information
    >>> mutual_information([[0.5, 0.0], [0.0, 0.5]])
    1.0
    """
    P = real_array("joint", joint)
    if P.ndim != 2:
        raise ValueError("joint must be a 2-D table")
    if (P < 0).any() or abs(P.sum() - 1.0) > 1e-9:
        raise ValueError("joint must be non-negative and sum to 1 (within 1e-9)")
    hx = shannon_entropy(P.sum(axis=1))
    hy = shannon_entropy(P.sum(axis=0))
    hxy = shannon_entropy(P.reshape(-1))
    return float(hx + hy - hxy) + 0.0


def _labels(partition, n: int) -> np.ndarray:
    """Block label of each state; ``partition`` is a list of blocks or a label array."""
    if isinstance(partition, (str, bytes)) or not isinstance(partition, (Sequence, np.ndarray, range)):
        raise TypeError("partition must be a sequence of blocks or an array of labels")
    if isinstance(partition, np.ndarray) or all(isinstance(b, (int, np.integer))
                                                for b in partition):
        lab = np.asarray(partition)
        if lab.shape != (n,) or lab.dtype.kind not in "iu":
            raise ValueError(f"partition as labels must be {n} integers")
        _, lab = np.unique(lab, return_inverse=True)
        return lab.astype(np.intp)
    lab = np.full(n, -1, dtype=np.intp)
    blocks = []
    for b in partition:
        if isinstance(b, (str, bytes)):
            raise TypeError(f"partition block {b!r} is not a collection of state indices")
        try:
            blocks.append(list(b))
        except TypeError:
            raise TypeError("partition must be a sequence of blocks (collections of state "
                            f"indices) or an array of integer labels; got the entry {b!r}"
                            ) from None
    partition = blocks
    for k, block in enumerate(partition):
        for i in block:
            if not isinstance(i, (int, np.integer)) or not 0 <= int(i) < n:
                raise ValueError(f"partition names state {i!r}, not in 0..{n - 1}")
            if lab[int(i)] != -1:
                raise ValueError(f"partition puts state {i} in two blocks")
            lab[int(i)] = k
    if (lab == -1).any():
        raise ValueError(f"partition leaves states {np.flatnonzero(lab == -1).tolist()} out")
    if any(len(b) == 0 for b in partition):
        raise ValueError("partition has an empty block")
    return lab


def coarse_grain(tpm, partition) -> np.ndarray:
    r"""Macro TPM of ``tpm`` under ``partition`` (uniform intervention within each block).

    ``partition`` is a sequence of blocks (lists of state indices) or an
    array of ``n`` integer block labels.  Derived in Part V, "Emergence and
    effective information".

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.emergence import coarse_grain, hoel_example
    >>> coarse_grain(hoel_example(), [range(7), [7]]).round(12).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    T = check_tpm(tpm)
    n = T.shape[0]
    lab = _labels(partition, n)
    k = int(lab.max()) + 1
    onehot = np.zeros((n, k))
    onehot[np.arange(n), lab] = 1.0
    sizes = onehot.sum(axis=0)
    return (onehot.T @ T @ onehot) / sizes[:, None]


def set_partitions(n: int) -> Iterator[np.ndarray]:
    """Every partition of ``{0..n-1}`` as a label array (restricted growth strings).

    Examples
    --------
    >>> from umlib.networks.emergence import set_partitions
    >>> [p.tolist() for p in set_partitions(3)]
    [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [0, 1, 2]]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    a = [0] * n

    def rec(i: int, m: int):
        if i == n:
            yield np.array(a, dtype=np.intp)
            return
        for v in range(m + 2):
            a[i] = v
            yield from rec(i + 1, max(m, v))

    a[0] = 0
    yield from rec(1, 0)


def bell_number(n: int) -> int:
    """Number of partitions of an ``n``-set (Bell triangle).

    Examples
    --------
    >>> from umlib.networks.emergence import bell_number
    >>> [bell_number(k) for k in range(1, 9)]
    [1, 2, 5, 15, 52, 203, 877, 4140]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    row = [1]
    for _ in range(n):
        new = [row[-1]]
        for x in row:
            new.append(new[-1] + x)
        row = new
    return row[0]


def best_partition(tpm, max_states: int = 10) -> tuple[float, np.ndarray, np.ndarray]:
    """Search every partition for the largest EI.

    Returns ``(best EI, its labels, EI of every partition in
    :func:`set_partitions` order)``.  Ties go to the first partition found,
    i.e. the coarsest in restricted-growth order.  Refuses systems with more
    than ``max_states`` states (Bell(10) = 115975 partitions).

    Examples
    --------
    >>> from umlib.networks.emergence import best_partition, hoel_example
    >>> ei, labels, _ = best_partition(hoel_example())
    >>> round(ei, 12), labels.tolist()
    (1.0, [0, 0, 0, 0, 0, 0, 0, 1])
    """
    T = check_tpm(tpm)
    n = T.shape[0]
    if n > max_states:
        raise ValueError(f"tpm has {n} states; the exhaustive search is limited to "
                         f"max_states={max_states}")
    eis, parts = [], []
    for lab in set_partitions(n):
        eis.append(effective_information(coarse_grain(T, lab)))
        parts.append(lab)
    eis = np.array(eis)
    best = int(np.argmax(eis))
    return float(eis[best]), parts[best], eis


def add_noise(tpm, eps: float) -> np.ndarray:
    """Mix every row with the uniform law: ``(1 - eps) T + eps / n``, ``0 <= eps <= 1``.

    Examples
    --------
    >>> from umlib.networks.emergence import add_noise
    >>> add_noise([[1, 0], [0, 1]], 0.5).tolist()
    [[0.75, 0.25], [0.25, 0.75]]
    """
    T = check_tpm(tpm)
    e = real_scalar("eps", eps, finite=False)
    if not 0.0 <= e <= 1.0 or math.isnan(e):
        raise ValueError(f"eps must be in [0, 1], got {eps!r}")
    return (1.0 - e) * T + e / T.shape[0]


def hoel_example(n_noisy: int = 7) -> np.ndarray:
    """The classic causal-emergence system: ``n_noisy`` states that move uniformly among
    themselves and one state that maps to itself.

    With ``n_noisy = 7`` (eight states) the micro EI is ``3 - (7/8) log2 7``
    and the two-block macro scale is a deterministic, non-degenerate 2x2
    system with EI = 1 bit; with ``n_noisy = 3`` (four states) the micro EI is
    ``2 - (3/4) log2 3``.

    Examples
    --------
    >>> from umlib.networks.emergence import hoel_example, effective_information
    >>> round(effective_information(hoel_example()), 4)
    0.5436
    """
    if isinstance(n_noisy, bool) or not isinstance(n_noisy, (int, np.integer)) or n_noisy < 1:
        raise ValueError(f"n_noisy must be a positive int, got {n_noisy!r}")
    n = n_noisy + 1
    T = np.zeros((n, n))
    T[:n_noisy, :n_noisy] = 1.0 / n_noisy
    T[n_noisy, n_noisy] = 1.0
    return T


def partition_blocks(labels) -> list[list[int]]:
    """Blocks of a label array, for printing.

    Examples
    --------
    >>> from umlib.networks.emergence import partition_blocks
    >>> partition_blocks([0, 1, 0])
    [[0, 2], [1]]
    """
    lab = np.asarray(labels)
    if lab.ndim != 1 or lab.size < 1 or lab.dtype.kind not in "iu":
        raise ValueError("labels must be a non-empty 1-D integer array of block labels")
    if lab.min() < 0:
        raise ValueError("labels must hold non-negative block labels")
    return [np.flatnonzero(lab == k).tolist() for k in range(int(lab.max()) + 1)]


# ---------------------------------------------------------------------------
# Markov chains as data: entropy rate, sampling, and a bigram model trained by
# cross-entropy (Part V, chapter "The final turn: information entropy")
# ---------------------------------------------------------------------------

def stationary_distribution(tpm) -> np.ndarray:
    """The stationary law ``pi`` with ``pi T = pi`` (left eigenvector for eigenvalue 1).

    Examples
    --------
    >>> from umlib.networks.emergence import stationary_distribution
    >>> stationary_distribution([[0.5, 0.5], [0.25, 0.75]]).round(12).tolist()
    [0.333333333333, 0.666666666667]
    """
    T = check_tpm(tpm)
    n = T.shape[0]
    A = np.vstack([T.T - np.eye(n), np.ones((1, n))])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    pi, *_ = np.linalg.lstsq(A, b, rcond=None)
    if np.any(pi < -1e-9):
        raise ValueError("tpm has no unique non-negative stationary law")
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def entropy_rate(tpm) -> float:
    """``sum_a pi_a H(T_a)``: bits per symbol of the stationary chain.

    Examples
    --------
    >>> from umlib.networks.emergence import entropy_rate
    >>> entropy_rate([[0.5, 0.5], [0.5, 0.5]])
    1.0
    """
    T = check_tpm(tpm)
    return float(stationary_distribution(T) @ _row_entropies(T))


def sample_chain(tpm, n: int, rng=0, start: int | None = None) -> np.ndarray:
    """``n`` symbols of the chain; the first drawn from the stationary law unless ``start``.

    Examples
    --------
    >>> from umlib.networks.emergence import sample_chain
    >>> sample_chain([[0.0, 1.0], [1.0, 0.0]], 5, start=0).tolist()
    [0, 1, 0, 1, 0]
    """
    T = check_tpm(tpm)
    g = as_rng(rng)
    n = count("n", n, minimum=1)
    if start is not None:
        start = count("start", start, minimum=None)
    cdf = np.cumsum(T, axis=1)
    cdf[:, -1] = 1.0
    u = g.random(n)
    out = np.empty(n, dtype=np.intp)
    if start is None:
        out[0] = int(np.searchsorted(np.cumsum(stationary_distribution(T)), u[0], side="right"))
        out[0] = min(out[0], T.shape[0] - 1)
    else:
        if not 0 <= int(start) < T.shape[0]:
            raise ValueError("start is not a state of tpm")
        out[0] = int(start)
    for t in range(1, n):
        out[t] = int(np.searchsorted(cdf[out[t - 1]], u[t], side="right"))
    return out


def bigram_counts(seq, n_symbols: int) -> np.ndarray:
    """Matrix of transition counts ``N[a, b]`` of a symbol sequence.

    Examples
    --------
    >>> from umlib.networks.emergence import bigram_counts
    >>> bigram_counts([0, 1, 1, 0], 2).tolist()
    [[0.0, 1.0], [1.0, 1.0]]
    """
    n_symbols = count("n_symbols", n_symbols, minimum=1)
    s = np.asarray(seq)
    if s.ndim != 1 or s.size < 2 or s.dtype.kind not in "iu":
        raise ValueError("seq must be a 1-D integer sequence of length >= 2")
    if s.min() < 0 or s.max() >= n_symbols:
        raise ValueError("seq has symbols outside 0..n_symbols-1")
    N = np.zeros((n_symbols, n_symbols))
    np.add.at(N, (s[:-1], s[1:]), 1.0)
    return N


def cross_entropy_bits(W, seq) -> float:
    """Mean ``-log2 softmax(W[a])[b]`` over the transitions ``a -> b`` of ``seq``."""
    from ..core.thermo import log_softmax

    W = real_array("W", W)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square 2-D matrix, got shape {W.shape}")
    s = np.asarray(seq)
    if s.ndim != 1 or s.size < 2 or s.dtype.kind not in "iu":
        raise ValueError("seq must be a 1-D integer sequence of length >= 2")
    if s.min() < 0 or s.max() >= W.shape[0]:
        raise ValueError(f"seq has symbols outside 0..{W.shape[0] - 1} (the rows of W)")
    logq = log_softmax(W, 1.0, axis=1)
    return float(-np.mean(logq[s[:-1], s[1:]]) / math.log(2))


def fit_bigram(seq, n_symbols: int, steps: int = 500, lr: float = 1.0,
               W0=None) -> tuple[np.ndarray, np.ndarray]:
    r"""Fit a bigram softmax model ``q(b | a) = softmax(W[a])_b`` by full-batch gradient descent.

    Minimises the mean cross-entropy over the transitions of ``seq``; its
    gradient is ``(n_a q(.|a) - N[a, .]) / n``.  The Hessian of softmax
    cross-entropy has eigenvalues at most 1/2, so ``lr <= 2`` makes every step
    lower the loss.  Returns ``(W, bits)`` with ``bits[t]`` the training
    cross-entropy in bits before step ``t`` (and after the last one).
    ``W0`` defaults to zeros: the flat, maximum-entropy start.

    Examples
    --------
    >>> from umlib.networks.emergence import fit_bigram
    >>> W, bits = fit_bigram([0, 1, 0, 1, 0, 1], 2, steps=50)
    >>> float(bits[0]), bool(bits[-1] < 0.1)
    (1.0, True)
    """
    from ..core.thermo import softmax

    N = bigram_counts(seq, n_symbols)
    n_symbols = int(n_symbols)
    n = N.sum()
    na = N.sum(axis=1, keepdims=True)
    lr = real_scalar("lr", lr, finite=False)
    if lr <= 0 or not math.isfinite(lr):
        raise ValueError("lr must be finite and > 0")
    steps = count("steps", steps, minimum=0)
    W = np.zeros((n_symbols, n_symbols)) if W0 is None else real_array("W0", W0).copy()
    if W.shape != (n_symbols, n_symbols):
        raise ValueError(f"W0 must have shape ({n_symbols}, {n_symbols})")
    s = np.asarray(seq)
    bits = [cross_entropy_bits(W, s)]
    for _ in range(steps):
        q = softmax(W, 1.0, axis=1)
        W -= lr * (na * q - N) / n
        bits.append(cross_entropy_bits(W, s))
    return W, np.array(bits)
