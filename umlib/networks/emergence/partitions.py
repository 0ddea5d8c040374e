"""Coarse-graining a Markov chain by a set partition of its states, and the search for the partition with the most effective information.

Derived in "Emergence and effective information".
"""

from __future__ import annotations
import math
from collections.abc import Iterator, Sequence
import numpy as np
from ...core.validate import as_array, count, real_scalar

# Bounds on the exhaustive searches: Bell(12) = 4,213,597 partitions is minutes of work,
# Bell(1000) has 1928 digits and takes 0.1 s; the book uses n <= 8.
MAX_SEARCH_STATES = 12
MAX_SET_SIZE = 200
MAX_BELL = 1000
from .information import check_tpm, effective_information

__all__ = [
    "coarse_grain",
    "set_partitions",
    "bell_number",
    "best_partition",
    "add_noise",
    "hoel_example",
    "partition_blocks",
]


def _labels(partition, n: int) -> np.ndarray:
    """Block label of each state; ``partition`` is a list of blocks or a label array."""
    if isinstance(partition, (str, bytes)) or not isinstance(partition, (Sequence, np.ndarray, range)):
        raise TypeError("partition must be a sequence of blocks or an array of labels")
    if isinstance(partition, np.ndarray) or all(isinstance(b, (int, np.integer))
                                                for b in partition):
        lab = as_array("partition", partition)
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
    """Macro TPM of ``tpm`` under a partition (uniform intervention within each block).

    ``T^macro_AB = (1/|A|) Σ_{i∈A} Σ_{j∈B} T_ij``.  Derived in Part V,
    "Emergence and effective information".

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.
    partition : sequence of sequences of int, or array_like of int
        Blocks (each a collection of state indices, covering every state once) or an
        array of ``n`` integer block labels.

    Returns
    -------
    numpy.ndarray
        ``(k, k)`` row-stochastic macro TPM, k the number of blocks (in label order).

    Raises
    ------
    ValueError, TypeError
        A partition that misses, repeats or invents a state, or has an empty block.

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
    """Every partition of ``{0..n-1}``, as label arrays (restricted growth strings).

    Used in Part V, "Emergence and effective information" (the exhaustive search
    over scales; there are ``bell_number(n)`` of them).

    Parameters
    ----------
    n : int
        Number of states, 1 to 200 (checked when called, not when first iterated).

    Yields
    ------
    numpy.ndarray
        ``(n,)`` labels, state 0 in block 0 and each new block numbered next.

    Examples
    --------
    >>> from umlib.networks.emergence import set_partitions
    >>> [p.tolist() for p in set_partitions(3)]
    [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [0, 1, 2]]
    """
    n = count("n", n, minimum=1, maximum=MAX_SET_SIZE)
    return _set_partitions(n)


def _set_partitions(n: int) -> Iterator[np.ndarray]:
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

    Used in Part V, "Emergence and effective information" (how many scales the
    exhaustive search compares).

    Parameters
    ----------
    n : int
        Size of the set, 0 to 1000 (the cost grows like n**2 big-integer additions).

    Returns
    -------
    int
        The Bell number B_n.

    Examples
    --------
    >>> from umlib.networks.emergence import bell_number
    >>> [bell_number(k) for k in range(1, 9)]
    [1, 2, 5, 15, 52, 203, 877, 4140]
    """
    n = count("n", n, minimum=0, maximum=MAX_BELL)
    row = [1]
    for _ in range(n):
        new = [row[-1]]
        for x in row:
            new.append(new[-1] + x)
        row = new
    return row[0]


def best_partition(tpm, max_states: int = 10) -> tuple[float, np.ndarray, np.ndarray]:
    """Search every partition of a small system for the largest EI.

    Ties go to the first partition found, i.e. the coarsest in restricted-growth
    order.  Used in Part V, "Emergence and effective information".

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.
    max_states : int
        Refuse systems with more states (Bell(10) = 115975 partitions); 1 to 12.

    Returns
    -------
    best_ei : float
        The largest EI over all partitions, in bits.
    labels : numpy.ndarray
        ``(n,)`` labels of the best partition.
    all_ei : numpy.ndarray
        EI of every partition, in :func:`set_partitions` order.

    Examples
    --------
    >>> from umlib.networks.emergence import best_partition, hoel_example
    >>> ei, labels, _ = best_partition(hoel_example())
    >>> round(ei, 12), labels.tolist()
    (1.0, [0, 0, 0, 0, 0, 0, 0, 1])
    """
    T = check_tpm(tpm)
    max_states = count("max_states", max_states, minimum=1, maximum=MAX_SEARCH_STATES)
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
    """Mix every row with the uniform law: ``(1 - eps) T + eps / n``.

    Used in Part V, "Emergence and effective information" (how EI and causal
    emergence fade with noise).

    Parameters
    ----------
    tpm : array_like
        ``(n, n)`` transition probability matrix: rows the current state, columns the
        next, each row summing to 1 within 1e-9.
    eps : float
        Weight of the uniform law, ``0 <= eps <= 1``.

    Returns
    -------
    numpy.ndarray
        The noisy TPM, same shape.

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
    """The classic causal-emergence system: noisy states mixing among themselves, one fixed state.

    With ``n_noisy = 7`` (eight states) the micro EI is ``3 - (7/8) log2 7``
    and the two-block macro scale is a deterministic, non-degenerate 2x2
    system with EI = 1 bit; with ``n_noisy = 3`` (four states) the micro EI is
    ``2 - (3/4) log2 3``.  Used in Part V, "Emergence and effective information".

    Parameters
    ----------
    n_noisy : int
        Number of noisy states, >= 1; each moves to one of them uniformly.

    Returns
    -------
    numpy.ndarray
        ``(n_noisy + 1, n_noisy + 1)`` TPM; the last state maps to itself.

    Examples
    --------
    >>> from umlib.networks.emergence import hoel_example, effective_information
    >>> round(effective_information(hoel_example()), 4)
    0.5436
    """
    n_noisy = count("n_noisy", n_noisy, minimum=1, maximum=10_000)
    n = n_noisy + 1
    T = np.zeros((n, n))
    T[:n_noisy, :n_noisy] = 1.0 / n_noisy
    T[n_noisy, n_noisy] = 1.0
    return T


def partition_blocks(labels) -> list[list[int]]:
    """Blocks of a label array, as lists of states, for printing.

    Used in Part V, "Emergence and effective information".

    Parameters
    ----------
    labels : array_like
        Non-empty 1-D array of non-negative integer block labels.

    Returns
    -------
    list of list of int
        The states of block 0, 1, ... (an unused label gives an empty list).

    Examples
    --------
    >>> from umlib.networks.emergence import partition_blocks
    >>> partition_blocks([0, 1, 0])
    [[0, 2], [1]]
    """
    lab = as_array("labels", labels)
    if lab.ndim != 1 or lab.size < 1 or lab.dtype.kind not in "iu":
        raise ValueError("labels must be a non-empty 1-D integer array of block labels")
    if lab.min() < 0:
        raise ValueError("labels must hold non-negative block labels")
    return [np.flatnonzero(lab == k).tolist() for k in range(int(lab.max()) + 1)]
