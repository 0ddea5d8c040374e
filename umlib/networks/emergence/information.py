"""Effective information of a transition matrix and its split into determinism and degeneracy.

Derived in "Emergence and effective information".
"""

from __future__ import annotations
import math
import numpy as np
from ...core.validate import flag, real_array
from ...core.thermo import shannon_entropy

__all__ = [
    "check_tpm",
    "effective_information",
    "determinism",
    "degeneracy",
    "ei_decomposition",
    "intervention_joint",
    "mutual_information",
]


def check_tpm(tpm, square: bool = True) -> np.ndarray:
    """Return ``tpm`` as a float64 row-stochastic matrix, or raise naming ``tpm``.

    Every function of this module checks its TPM with it; no chapter calls it
    directly (it guards the arguments of Part V, "Emergence and effective information").

    Parameters
    ----------
    tpm : array_like
        Candidate transition probability matrix.
    square : bool
        Also require as many columns as rows.

    Returns
    -------
    numpy.ndarray
        The matrix as float64.

    Raises
    ------
    ValueError
        Not 2-D, not square (when required), a negative entry, or a row not summing to 1.

    Examples
    --------
    >>> from umlib.networks.emergence import check_tpm
    >>> check_tpm([[0.5, 0.5], [0.0, 1.0]]).shape
    (2, 2)
    """
    T = real_array("tpm", tpm)
    if T.ndim != 2:
        raise ValueError(f"tpm must be a 2-D matrix, got {T.ndim} dimension(s)")
    if flag("square", square) and T.shape[0] != T.shape[1]:
        raise ValueError(f"tpm must be square, got shape {T.shape}")
    if (T < 0).any():
        raise ValueError("tpm has negative entries")
    if np.any(np.abs(T.sum(axis=1) - 1.0) > 1e-9):
        raise ValueError("tpm rows must each sum to 1 (within 1e-9)")
    return T


def _row_entropies(T: np.ndarray) -> np.ndarray:
    return np.asarray(shannon_entropy(T, 2.0, axis=1), dtype=np.float64).reshape(-1)


def effective_information(tpm, square: bool = True) -> float:
    """Effective information of a TPM under the uniform intervention, in bits.

    ``EI = H(mean row) - mean H(row)``.  Derived in Part V,
    "Emergence and effective information"; used in "Causal emergence in a trained network"
    on the channels from interventions to a network's answers.

    Parameters
    ----------
    tpm : array_like
        Row-stochastic matrix (rows: interventions, columns: effects).
    square : bool
        Require a square TPM; with False any row-stochastic matrix (a channel from
        ``n`` inputs to ``k`` outputs) is accepted.

    Returns
    -------
    float
        EI in bits, between 0 and log2 of the number of rows.

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
    """Determinism ``log2 n - mean H(row)``: how far the rows are from uniform noise, in bits.

    Derived in Part V, "Emergence and effective information".

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.

    Returns
    -------
    float
        Determinism in bits, between 0 and log2 n.

    Examples
    --------
    >>> from umlib.networks.emergence import determinism
    >>> determinism([[1, 0], [1, 0]])
    1.0
    """
    T = check_tpm(tpm)
    return float(math.log2(T.shape[0]) - np.mean(_row_entropies(T)))


def degeneracy(tpm) -> float:
    """Degeneracy ``log2 n - H(mean row)``: how much the rows pile onto the same effects, in bits.

    Derived in Part V, "Emergence and effective information".

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.

    Returns
    -------
    float
        Degeneracy in bits, between 0 and log2 n.

    Examples
    --------
    >>> from umlib.networks.emergence import degeneracy
    >>> degeneracy([[1, 0], [1, 0]])
    1.0
    """
    T = check_tpm(tpm)
    return float(math.log2(T.shape[0]) - shannon_entropy(T.mean(axis=0)))


def ei_decomposition(tpm) -> tuple[float, float, float]:
    """EI with its two parts, ``(EI, determinism, degeneracy)``: EI = determinism - degeneracy.

    Used in Part V, "Emergence and effective information" (micro and macro scale
    of Hoel's example).

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.

    Returns
    -------
    (float, float, float)
        EI, determinism and degeneracy, in bits.

    Examples
    --------
    >>> from umlib.networks.emergence import ei_decomposition
    >>> ei_decomposition([[0, 1], [1, 0]])
    (1.0, 1.0, 0.0)
    """
    return effective_information(tpm), determinism(tpm), degeneracy(tpm)


def intervention_joint(tpm, square: bool = True) -> np.ndarray:
    """Joint law ``p(x, y) = T[x, y] / n`` of the uniform intervention and its effect.

    Used in Part V, "Emergence and effective information", where its mutual
    information is checked to equal EI.

    Parameters
    ----------
    tpm : array_like
        Row-stochastic matrix, ``n`` rows.
    square : bool
        Require a square TPM.

    Returns
    -------
    numpy.ndarray
        The joint probability table, same shape as ``tpm``, summing to 1.

    Examples
    --------
    >>> from umlib.networks.emergence import intervention_joint
    >>> intervention_joint([[0, 1], [1, 0]]).tolist()
    [[0.0, 0.5], [0.5, 0.0]]
    """
    T = check_tpm(tpm, square=square)
    return T / T.shape[0]


def mutual_information(joint) -> float:
    """Mutual information ``I(X;Y) = H(X) + H(Y) - H(X,Y)`` of a joint probability table, in bits.

    Computed from three entropies, independently of :func:`effective_information` (which
    averages row entropies), so the two can check each other.  Used in Part V,
    "Emergence and effective information" and "Causal emergence in a trained network".

    Parameters
    ----------
    joint : array_like
        2-D table of non-negative probabilities summing to 1 within 1e-9.

    Returns
    -------
    float
        I(X;Y) in bits.

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
