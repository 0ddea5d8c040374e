r"""One sampler for tokens and for positions, and the test that checks it.

Derived in Part III, "The temperature dial and the measurement": a language
model picks a token and a quantum measurement picks a position by the same
operation, drawing an index from a discrete law by inverting its cumulative
sum with one uniform number.

The goodness-of-fit check is Pearson's chi-square with the Wilson-Hilferty
normal approximation, so that it can be stated as a number of sigmas:

.. math::

    z = \frac{(\chi^2/k)^{1/3} - (1 - 2/(9k))}{\sqrt{2/(9k)}}, \qquad k = \text{bins} - 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .validate import as_rng, count, real_array, record_fields

# the most draws sample_indices makes in one call (8 bytes each)
MAX_DRAWS = 10 ** 8

__all__ = ["sample_index", "sample_indices", "ChiSquare", "chi_square_gof"]


def _law(p) -> tuple[np.ndarray, int]:
    p = real_array("p", p)
    if p.ndim != 1:
        raise ValueError(f"p must be one-dimensional, got shape {p.shape}")
    if (p < 0).any():
        raise ValueError("p contains negative entries")
    total = float(np.sum(p))
    if not total > 0:
        raise ValueError("p has no positive entry")
    cdf = np.cumsum(p / total)
    last = int(np.flatnonzero(p > 0)[-1])
    return cdf, last


def sample_indices(p, size: int, rng) -> np.ndarray:
    """Draw ``size`` indices i with probability p_i by inverting the cumulative sum.

    ``p`` need not be normalised; outcomes with p_i = 0 are never drawn.

    Used in Part III, "Face A, the guess" and "The temperature dial and the measurement".

    Parameters
    ----------
    p : array_like of float, shape (n,)
        Non-negative weights with at least one positive entry.
    size : int
        Number of draws, >= 0.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    numpy.ndarray of int, shape (size,)
        The drawn indices, each in 0..n-1.

    Examples
    --------
    >>> from umlib.core.sampling import sample_indices
    >>> sample_indices([0.0, 1.0, 0.0], 4, rng=0).tolist()
    [1, 1, 1, 1]
    """
    cdf, last = _law(p)
    size = count("size", size, minimum=0, maximum=MAX_DRAWS)
    u = as_rng(rng).random(int(size))
    idx = np.searchsorted(cdf, u, side="right")
    return np.minimum(idx, last)


def sample_index(p, rng) -> int:
    """Draw one index with probability p_i: the sampler that picks a token.

    Identical to ``sample_indices(p, 1, rng)[0]`` for the same generator state.

    Used in Part III, "The temperature dial and the measurement".

    Parameters
    ----------
    p : array_like of float, shape (n,)
        Non-negative weights with at least one positive entry.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    int
        The drawn index, in 0..n-1.

    Examples
    --------
    >>> from umlib.core.sampling import sample_index
    >>> sample_index([0.2, 0.8], rng=1) in (0, 1)
    True
    """
    return int(sample_indices(p, 1, rng)[0])


@dataclass(frozen=True)
class ChiSquare:
    """Result of a chi-square goodness-of-fit test (a record returned by :func:`chi_square_gof`).

    Used in Part III, "The temperature dial and the measurement".

    Parameters
    ----------
    statistic : float
        Pearson's chi-square.
    dof : int
        Degrees of freedom (bins - 1).
    z : float
        Wilson-Hilferty normal deviate, in sigmas.
    p_value : float
        Upper-tail probability of ``statistic``.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    statistic: float
    dof: int
    z: float
    p_value: float


def chi_square_gof(counts, p) -> ChiSquare:
    """Pearson chi-square of observed ``counts`` against the law ``p``.

    Every expected count must be at least 5 (merge bins otherwise).

    Used in Part III, "The temperature dial and the measurement".

    Parameters
    ----------
    counts : array_like of int, shape (k,)
        Observed counts, non-negative integers, k >= 2.
    p : array_like of float, shape (k,)
        Probabilities of the bins, summing to 1 within 1e-9.

    Returns
    -------
    ChiSquare
        The statistic, its degrees of freedom, its z-score and its p-value.

    Examples
    --------
    >>> from umlib.core.sampling import chi_square_gof
    >>> r = chi_square_gof([50, 50], [0.5, 0.5])
    >>> r.statistic, r.dof
    (0.0, 1)
    """
    counts = real_array("counts", counts)
    p = real_array("p", p)
    if counts.shape != p.shape or counts.ndim != 1:
        raise ValueError(f"counts and p must be 1-D of equal length, got {counts.shape} and {p.shape}")
    if counts.size < 2:
        raise ValueError("at least two bins are needed")
    if (counts < 0).any() or (np.floor(counts) != counts).any():
        raise ValueError("counts must be non-negative integers")
    if (p < 0).any() or abs(float(p.sum()) - 1.0) > 1e-9:
        raise ValueError("p must be non-negative and sum to 1 (within 1e-9)")
    n = float(counts.sum())
    expected = n * p
    if (expected < 5).any():
        raise ValueError("every expected count must be >= 5; merge bins or draw more samples")
    stat = float(np.sum((counts - expected) ** 2 / expected))
    k = counts.size - 1
    a = 2.0 / (9.0 * k)
    z = ((stat / k) ** (1.0 / 3.0) - (1.0 - a)) / math.sqrt(a)
    return ChiSquare(statistic=stat, dof=k, z=float(z), p_value=float(stats.chi2.sf(stat, k)))
