"""Markov chains as text sources: stationary laws, entropy rates, sampling, bigram counts and a bigram model fitted by gradient descent.

Used in "The final turn: information entropy".
"""

from __future__ import annotations
import math
import numpy as np
from ...core.validate import as_array, as_rng, count, real_array, real_scalar
from .information import _row_entropies, check_tpm

__all__ = [
    "stationary_distribution",
    "entropy_rate",
    "sample_chain",
    "bigram_counts",
    "cross_entropy_bits",
    "fit_bigram",
]


def stationary_distribution(tpm) -> np.ndarray:
    """The stationary law ``pi`` of a Markov chain: ``pi T = pi``, the left eigenvector for 1.

    Used in Part V, "The final turn: information entropy".

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` probabilities summing to 1 (least squares; unique for an
        irreducible chain).

    Raises
    ------
    ValueError
        The solution has a clearly negative entry (no unique non-negative law).

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
    """Entropy rate ``sum_a pi_a H(T_a)`` of the stationary chain, in bits per symbol.

    Used in Part V, "The final turn: information entropy" (the floor for a model's
    cross-entropy on the chain's text).

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.

    Returns
    -------
    float
        Bits per symbol.

    Examples
    --------
    >>> from umlib.networks.emergence import entropy_rate
    >>> entropy_rate([[0.5, 0.5], [0.5, 0.5]])
    1.0
    """
    T = check_tpm(tpm)
    return float(stationary_distribution(T) @ _row_entropies(T))


def sample_chain(tpm, n: int, rng=0, start: int | None = None) -> np.ndarray:
    """A sample path of ``n`` symbols of a Markov chain.

    The first symbol is drawn from the stationary law unless ``start`` is given.
    Used in Part V, "The final turn: information entropy" (training and test text).

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.
    n : int
        Length of the path, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    start : int, optional
        First state.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` states (intp).

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

    Used in Part V, "The final turn: information entropy".

    Parameters
    ----------
    seq : array_like
        1-D integer sequence, length >= 2, symbols in ``0..n_symbols-1``.
    n_symbols : int
        Alphabet size, >= 1.

    Returns
    -------
    numpy.ndarray
        ``(n_symbols, n_symbols)`` float counts, summing to ``len(seq) - 1``.

    Examples
    --------
    >>> from umlib.networks.emergence import bigram_counts
    >>> bigram_counts([0, 1, 1, 0], 2).tolist()
    [[0.0, 1.0], [1.0, 1.0]]
    """
    n_symbols = count("n_symbols", n_symbols, minimum=1)
    s = as_array("seq", seq)
    if s.ndim != 1 or s.size < 2 or s.dtype.kind not in "iu":
        raise ValueError("seq must be a 1-D integer sequence of length >= 2")
    if s.min() < 0 or s.max() >= n_symbols:
        raise ValueError("seq has symbols outside 0..n_symbols-1")
    N = np.zeros((n_symbols, n_symbols))
    np.add.at(N, (s[:-1], s[1:]), 1.0)
    return N


def cross_entropy_bits(W, seq) -> float:
    """Cross-entropy of a bigram softmax model, mean ``-log2 softmax(W[a])[b]`` over transitions.

    Used in Part V, "The final turn: information entropy" (training and test loss,
    against the entropy rate).

    Parameters
    ----------
    W : array_like
        ``(V, V)`` logits; row ``a`` gives q(. | a).
    seq : array_like
        1-D integer sequence, length >= 2, symbols in ``0..V-1``.

    Returns
    -------
    float
        Bits per transition (log2 V for W = 0).
    """
    from ...core.thermo import log_softmax

    W = real_array("W", W)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be a square 2-D matrix, got shape {W.shape}")
    s = as_array("seq", seq)
    if s.ndim != 1 or s.size < 2 or s.dtype.kind not in "iu":
        raise ValueError("seq must be a 1-D integer sequence of length >= 2")
    if s.min() < 0 or s.max() >= W.shape[0]:
        raise ValueError(f"seq has symbols outside 0..{W.shape[0] - 1} (the rows of W)")
    logq = log_softmax(W, 1.0, axis=1)
    return float(-np.mean(logq[s[:-1], s[1:]]) / math.log(2))


def fit_bigram(seq, n_symbols: int, steps: int = 500, lr: float = 1.0,
               W0=None) -> tuple[np.ndarray, np.ndarray]:
    """Fit a bigram softmax model ``q(b | a) = softmax(W[a])_b`` by full-batch gradient descent.

    Minimises the mean cross-entropy over the transitions of ``seq``; its
    gradient is ``(n_a q(.|a) - N[a, .]) / n``.  The Hessian of softmax
    cross-entropy has eigenvalues at most 1/2, so ``lr <= 2`` makes every step
    lower the loss.  Used in Part V, "The final turn: information entropy".

    Parameters
    ----------
    seq : array_like
        1-D integer training sequence, length >= 2.
    n_symbols : int
        Alphabet size V.
    steps : int
        Gradient steps, >= 0.
    lr : float
        Learning rate, finite and > 0.
    W0 : array_like, optional
        ``(V, V)`` starting logits; zeros (the flat, maximum-entropy start) if None.

    Returns
    -------
    W : numpy.ndarray
        ``(V, V)`` fitted logits.
    bits : numpy.ndarray
        ``(steps + 1,)`` training cross-entropy in bits before each step and after
        the last.

    Examples
    --------
    >>> from umlib.networks.emergence import fit_bigram
    >>> W, bits = fit_bigram([0, 1, 0, 1, 0, 1], 2, steps=50)
    >>> float(bits[0]), bool(bits[-1] < 0.1)
    (1.0, True)
    """
    from ...core.thermo import softmax

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
    s = as_array("seq", seq)
    bits = [cross_entropy_bits(W, s)]
    for _ in range(steps):
        q = softmax(W, 1.0, axis=1)
        W -= lr * (na * q - N) / n
        bits.append(cross_entropy_bits(W, s))
    return W, np.array(bits)
