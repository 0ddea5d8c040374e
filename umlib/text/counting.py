r"""Counting microstates: events, patterns, macrostates, factorings and their entropies.

Definitions (Part I, "The microstate space" to "Bidirectional factoring"; reused by Part II):

* A **microstate** is one dataset position :math:`t` with everything known there:
  :math:`\mu_t = (t, x_t, h_t, y_{t+1})`.  A :class:`Microstates` table holds one row
  per position; its *event spaces* are ``"t"``, ``"x"``, ``"y"`` and one ``"h<j>"`` per
  hidden unit (values ±1).  ``y`` of the last position is :data:`END` (no next byte).
* An **event** fixes one event space to one value; a **pattern** is a conjunction of
  events.  The **macrostate** of a pattern is the set of positions where it holds and
  :math:`\Omega` is its size, an exact integer (:func:`omega`); its Boltzmann entropy is
  :math:`S = \log_2 \Omega` bits (:func:`boltzmann_entropy`).
* A **factoring** is a projection of the microstate onto some event spaces; it
  partitions the positions into classes of equal projection (:func:`partition`).  For
  a partition with class sizes :math:`\Omega_k` over :math:`N` positions,

  .. math::

     \langle S_B \rangle = \frac1N \sum_t \log_2 \Omega(t), \qquad
     H = -\sum_k \frac{\Omega_k}{N}\log_2\frac{\Omega_k}{N} = \log_2 N - \langle S_B\rangle,

  which is an identity of the counts (Part II, "The entropy bridge").  Joint and
  conditional entropies and mutual information are computed from exact integer
  counts of joint partitions.

All entropies are in bits.  Counts are Python/numpy integers, never floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..core import thermo
from ..core.validate import as_array, class_labels, record_fields

__all__ = ["END", "Event", "Pattern", "Microstates", "partition", "class_sizes", "omega",
           "boltzmann_entropy", "mean_boltzmann_entropy", "partition_entropy",
           "joint_partition", "joint_entropy", "conditional_entropy", "mutual_information",
           "refines", "conditional_log_count", "greedy_refinement"]

#: The value of ``y`` at the last position (there is no next byte).
END = -1


@dataclass(frozen=True)
class Event:
    """One event: event space ``space`` takes value ``value`` (e.g. ``Event("x", ord("a"))``).

    Used in Part I, "The macrostate space" and Part II, "Microstates and macrostates".

    Parameters
    ----------
    space : str
        An event space of :class:`Microstates` (``"t"``, ``"x"``, ``"y"``, ``"h<j>"``).
    value : int
        The value it takes.
    """

    space: str
    value: int

    def __post_init__(self) -> None:
        record_fields(self)
        if not isinstance(self.space, str) or not self.space:
            raise TypeError("space must be a non-empty string")
        if isinstance(self.value, bool) or not isinstance(self.value, (int, np.integer)):
            raise TypeError(f"value must be an int, got {type(self.value).__name__}")


@dataclass(frozen=True)
class Pattern:
    """A conjunction of events; the empty pattern constrains nothing.

    ``pattern & event`` (or ``& pattern``) adds events.  Used in Part I, "The macrostate
    space" and "The two directions of the thermodynamic map".

    Parameters
    ----------
    events : tuple of Event, default ()
        The events that must all hold.
    """

    events: tuple = ()

    def __post_init__(self) -> None:
        record_fields(self)
        for e in self.events:
            if not isinstance(e, Event):
                raise TypeError("events must be Event objects")

    def __and__(self, other: "Pattern | Event") -> "Pattern":
        extra = (other,) if isinstance(other, Event) else tuple(other.events)
        return Pattern(tuple(self.events) + extra)


class Microstates:
    """The microstate table: one row per dataset position.

    Derived in Part I, "The microstate space".

    Parameters
    ----------
    x : array_like of int, shape (N,)
        Input bytes.
    h : array_like of ±1, shape (N, H), optional
        Binary hidden events (from :func:`umlib.text.satrnn.analysis.binary_states`).
    y : array_like of int, shape (N,), optional
        Next bytes; default ``x`` shifted by one with :data:`END` at the last position.

    Examples
    --------
    >>> from umlib.text.counting import Microstates, Event, Pattern
    >>> ms = Microstates.from_bytes(b"abab")
    >>> ms.N, ms.count(Pattern((Event("x", ord("a")),)))
    (4, 2)
    """

    def __init__(self, x, h=None, y=None) -> None:
        x = as_array("x", x)
        if x.ndim != 1 or x.size < 1 or x.dtype.kind not in "iu":
            raise ValueError("x must be a non-empty 1-D integer array")
        self.x = x.astype(np.int64)
        N = self.x.size
        if y is None:
            y = np.append(self.x[1:], END)
        y = as_array("y", y)
        if y.shape != (N,) or y.dtype.kind not in "iu":
            raise ValueError(f"y must be an integer array of shape ({N},)")
        self.y = y.astype(np.int64)
        if h is None:
            h = np.zeros((N, 0), dtype=np.int8)
        h = as_array("h", h)
        if h.ndim != 2 or h.shape[0] != N:
            raise ValueError(f"h must have shape ({N}, H)")
        if h.size and not np.isin(h, (-1, 1)).all():
            raise ValueError("h must hold binary events ±1")
        self.h = h.astype(np.int8)
        self.t = np.arange(N, dtype=np.int64)

    @classmethod
    def from_bytes(cls, data: bytes, h=None) -> "Microstates":
        """The table of a byte string (``y`` = the next byte, END at the last position)."""
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("data must be bytes")
        return cls(np.frombuffer(bytes(data), dtype=np.uint8), h=h)

    @property
    def N(self) -> int:
        """Number of positions (microstates)."""
        return int(self.x.size)

    @property
    def spaces(self) -> list[str]:
        """Names of the event spaces."""
        return ["t", "x"] + [f"h{j}" for j in range(self.h.shape[1])] + ["y"]

    def column(self, space: str) -> np.ndarray:
        """The values of one event space at every position."""
        if space == "t":
            return self.t
        if space == "x":
            return self.x
        if space == "y":
            return self.y
        if space.startswith("h") and space[1:].isdigit():
            j = int(space[1:])
            if j < self.h.shape[1]:
                return self.h[:, j].astype(np.int64)
        raise ValueError(f"unknown event space {space!r}; known: t, x, y, h0..h{self.h.shape[1] - 1}")

    def project(self, spaces: Sequence[str]) -> np.ndarray:
        """The factoring π onto ``spaces``: an (N, k) integer array (k may be 0)."""
        if isinstance(spaces, str):
            raise TypeError("spaces must be a sequence of event-space names, not a string")
        cols = [self.column(s) for s in spaces]
        return np.stack(cols, axis=1) if cols else np.zeros((self.N, 0), dtype=np.int64)

    def holds(self, pattern: "Pattern | Event") -> np.ndarray:
        """Boolean mask of the positions where ``pattern`` holds (its macrostate)."""
        if isinstance(pattern, Event):
            pattern = Pattern((pattern,))
        if not isinstance(pattern, Pattern):
            raise TypeError("pattern must be a Pattern or an Event")
        mask = np.ones(self.N, dtype=bool)
        for e in pattern.events:
            mask &= self.column(e.space) == e.value
        return mask

    def count(self, pattern: "Pattern | Event") -> int:
        """:math:`c(p) = \\Omega(M_p)`, the exact number of positions where ``pattern`` holds."""
        return int(np.count_nonzero(self.holds(pattern)))

    def restrict(self, n: int) -> "Microstates":
        """The table of the first ``n`` positions (e.g. the N-1 that have a next byte)."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= self.N:
            raise ValueError(f"n must be an int in 1..{self.N}, got {n!r}")
        out = Microstates(self.x[:n], self.h[:n], self.y[:n])
        return out

    def pattern_at(self, t: int, spaces: Iterable[str]) -> Pattern:
        """The pattern that fixes ``spaces`` to their values at position ``t``."""
        return Pattern(tuple(Event(s, int(self.column(s)[t])) for s in spaces))


_labels = class_labels


def partition(projection) -> np.ndarray:
    """Class labels 0..K-1 of the partition that a projection induces (equal rows, one class).

    Derived in Part I, "Factoring as coarse-graining" (first used in "The microstate
    space").

    Parameters
    ----------
    projection : array_like of int, shape (N,) or (N, k)
        The projected microstate of each position (k may be 0: one class).

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        Class labels, numbered in the sorted order of the distinct rows.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.counting import partition
    >>> partition(np.array([[1, 0], [2, 0], [1, 0]])).tolist()
    [0, 1, 0]
    """
    p = as_array("projection", projection)
    if p.ndim == 1:
        p = p[:, None]
    if p.ndim != 2 or p.shape[0] < 1 or p.dtype.kind not in "iub":
        raise ValueError("projection must be a non-empty (N,) or (N, k) integer array")
    if p.shape[1] == 0:
        return np.zeros(p.shape[0], dtype=np.int64)
    _, inv = np.unique(p, axis=0, return_inverse=True)
    return inv.reshape(-1).astype(np.int64)


def class_sizes(labels) -> np.ndarray:
    r""":math:`\Omega_k` for every class k (integers, summing to N).

    Used in Part I, "The microstate space" and Part II, "The entropy bridge".

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    numpy.ndarray of int, shape (K,)
        The size of each non-empty class, in label order.
    """
    lab = _labels("labels", labels)
    sizes = np.bincount(lab)
    return sizes[sizes > 0]


def omega(labels) -> np.ndarray:
    r""":math:`\Omega(\pi(\mu_t))`: the size of each position's class (exact integers).

    Derived in Part I, "The macrostate space".

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    numpy.ndarray of int, shape (N,)
        The size of the class of each position.

    Examples
    --------
    >>> from umlib.text.counting import omega
    >>> omega([0, 1, 0, 0]).tolist()
    [3, 1, 3, 3]
    """
    lab = _labels("labels", labels)
    return np.bincount(lab)[lab]


def boltzmann_entropy(count) -> np.ndarray | float:
    r""":math:`S = \log_2 \Omega` in bits (``count`` >= 1, integers).

    Derived in Part I, "The macrostate space".

    Parameters
    ----------
    count : int or array_like of int
        Numbers of microstates, >= 1.

    Returns
    -------
    float or numpy.ndarray
        S in bits, same shape as ``count``.

    Examples
    --------
    >>> from umlib.text.counting import boltzmann_entropy
    >>> float(boltzmann_entropy(1024))
    10.0
    """
    c = as_array("count", count)
    if c.dtype.kind not in "iu":
        raise TypeError("count must be an integer (a number of microstates)")
    if (c < 1).any():
        raise ValueError("count must be >= 1: an empty macrostate has no entropy")
    out = np.log2(c.astype(np.float64))
    return float(out) if out.ndim == 0 else out


def mean_boltzmann_entropy(labels) -> float:
    r""":math:`\langle S_B \rangle = \frac1N\sum_t \log_2 \Omega(t)` in bits.

    Derived in Part I, "Factoring as coarse-graining".

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    float
        The mean Boltzmann entropy in bits.
    """
    return float(np.mean(boltzmann_entropy(omega(labels))))


def partition_entropy(labels) -> float:
    r"""Shannon entropy H (bits) of the class distribution :math:`\Omega_k / N`.

    Used in Part I, "Factoring as coarse-graining"; equal to log2 N - <S_B> (Part II,
    "The entropy bridge").

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class labels of a partition of the N positions, >= 0.

    Returns
    -------
    float
        H in bits.

    Examples
    --------
    >>> from umlib.text.counting import partition_entropy, mean_boltzmann_entropy
    >>> lab = [0, 0, 1, 2]
    >>> partition_entropy(lab), 2 - mean_boltzmann_entropy(lab)
    (1.5, 1.5)
    """
    sizes = class_sizes(labels)
    N = int(sizes.sum())
    return float(thermo.shannon_entropy(sizes / N, 2.0)) + 0.0


def joint_partition(*labels) -> np.ndarray:
    """The partition by several factorings at once (the common refinement).

    Used in Part I, "The entropy budget" and "Bidirectional factoring".

    Parameters
    ----------
    *labels : array_like of int, shape (N,)
        One or more labellings of the same N positions.

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        Labels of the common refinement.
    """
    if not labels:
        raise ValueError("give at least one labelling")
    cols = [_labels(f"labels[{i}]", lab) for i, lab in enumerate(labels)]
    n = {c.size for c in cols}
    if len(n) != 1:
        raise ValueError(f"labellings have different lengths {sorted(n)}")
    return partition(np.stack(cols, axis=1))


def joint_entropy(*labels) -> float:
    r""":math:`H(A, B, \dots)` in bits, from exact joint counts.

    Used in Part I, "The two directions of the thermodynamic map".

    Parameters
    ----------
    *labels : array_like of int, shape (N,)
        One or more labellings of the same N positions.

    Returns
    -------
    float
        The joint entropy in bits.
    """
    return partition_entropy(joint_partition(*labels))


def conditional_entropy(target, given) -> float:
    r""":math:`H(Y \mid X) = \frac1N \sum_t \log_2 \frac{c(x_t)}{c(x_t, y_t)}` in bits.

    Used in Part I, "Factoring as coarse-graining" and Part II, "The factoring
    hierarchy" (the residual bits per character).

    Parameters
    ----------
    target : array_like of int, shape (N,)
        Labels of Y.
    given : array_like of int, shape (N,)
        Labels of X.

    Returns
    -------
    float
        H(Y | X) in bits, >= 0.

    Examples
    --------
    >>> from umlib.text.counting import conditional_entropy
    >>> conditional_entropy([0, 1, 0, 1], [0, 0, 1, 1])
    1.0
    """
    y = _labels("target", target)
    x = _labels("given", given)
    if x.size != y.size:
        raise ValueError("target and given must have the same length")
    cx = omega(x)
    cxy = omega(joint_partition(x, y))
    return float(np.mean(np.log2(cx / cxy))) + 0.0


def mutual_information(a, b) -> float:
    r""":math:`I(A;B) = \frac1N\sum_t \log_2 \frac{N\,c(a_t,b_t)}{c(a_t)\,c(b_t)}` in bits.

    Equal to :math:`H(A) - H(A \mid B)`; each ratio is formed from exact integers, so
    independent labellings give exactly 0.

    Used in Part I, "The entropy budget" (and in Part V, "Emergence and effective
    information").

    Parameters
    ----------
    a, b : array_like of int, shape (N,)
        Two labellings of the same positions.

    Returns
    -------
    float
        I(A; B) in bits, >= 0.

    Examples
    --------
    >>> from umlib.text.counting import mutual_information
    >>> mutual_information([0, 0, 1, 1], [0, 1, 0, 1]), mutual_information([0, 1], [1, 0])
    (0.0, 1.0)
    """
    x = _labels("a", a)
    y = _labels("b", b)
    if x.size != y.size:
        raise ValueError("a and b must have the same length")
    N = x.size
    num = N * omega(joint_partition(x, y))
    den = omega(x) * omega(y)
    return float(np.mean(np.log2(num / den))) + 0.0


def refines(fine, coarse) -> bool:
    """True when every class of ``fine`` lies inside one class of ``coarse``.

    Used in Part I, "Factoring as coarse-graining" and "Bidirectional factoring".

    Parameters
    ----------
    fine, coarse : array_like of int, shape (N,)
        Two labellings of the same positions.

    Returns
    -------
    bool
        Whether ``fine`` refines ``coarse``.

    Examples
    --------
    >>> from umlib.text.counting import refines
    >>> refines([0, 1, 2], [0, 0, 1]), refines([0, 0, 1], [0, 1, 1])
    (True, False)
    """
    f = _labels("fine", fine)
    c = _labels("coarse", coarse)
    if f.size != c.size:
        raise ValueError("fine and coarse must have the same length")
    return int(joint_partition(f, c).max()) == int(partition(f).max())


def conditional_log_count(target, given) -> np.ndarray:
    r"""The per-position log-count ratio :math:`\log_2 \frac{c(x_t, y_t)}{c(x_t)}` in bits.

    This is the source's eq. 17 read pointwise: the change of Boltzmann entropy when the
    event :math:`y_t` is added to the macrostate of :math:`x_t`.  It equals
    :math:`\log_2 \hat P(y_t \mid x_t) \le 0`, and the conditional entropy is minus
    its average, :math:`H(Y \mid X) = -\frac1N \sum_t \log_2 \frac{c(x_t,y_t)}{c(x_t)}`
    (:func:`conditional_entropy`).

    Derived in Part I, "The two directions of the thermodynamic map".

    Parameters
    ----------
    target : array_like of int, shape (N,)
        Labels of Y.
    given : array_like of int, shape (N,)
        Labels of X.

    Returns
    -------
    numpy.ndarray of float, shape (N,)
        The ratio at each position, in bits (<= 0).

    Examples
    --------
    >>> from umlib.text.counting import conditional_log_count
    >>> conditional_log_count([0, 1, 0, 1], [0, 0, 1, 1]).tolist()
    [-1.0, -1.0, -1.0, -1.0]
    """
    y = _labels("target", target)
    x = _labels("given", given)
    if x.size != y.size:
        raise ValueError("target and given must have the same length")
    return np.log2(omega(joint_partition(x, y)) / omega(x))


def greedy_refinement(base, candidates, target, steps: int):
    r"""Refine a partition one event space at a time, most informative about ``target`` first.

    Starting from the partition ``base``, each step adds the candidate column whose
    joint partition with the current one has the smallest conditional entropy
    :math:`H(\text{target} \mid \cdot)` (ties: the lowest column index).  This is the
    source's refinement direction ("add events to narrow the set of consistent
    microstates"), made definite.

    Derived in Part I, "Bidirectional factoring".

    Parameters
    ----------
    base : array_like of int, shape (N,)
        Class labels of the starting partition.
    candidates : array_like of int, shape (N, k)
        One column per event space that may be added.
    target : array_like of int, shape (N,)
        Labels of the variable to predict.
    steps : int
        How many columns to add (at most k).

    Returns
    -------
    order : list of int
        The chosen columns, in order.
    labels : list of numpy.ndarray
        The partition after 0, 1, ..., ``steps`` additions (``labels[0]`` is ``base``
        relabelled).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.counting import greedy_refinement
    >>> cand = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> order, labs = greedy_refinement([0, 0, 0, 0], cand, [0, 1, 0, 1], steps=1)
    >>> order, labs[-1].tolist()
    ([1], [0, 1, 0, 1])
    """
    lab = partition(_labels("base", base))
    C = as_array("candidates", candidates)
    if C.ndim != 2 or C.shape[0] != lab.size or C.dtype.kind not in "iu":
        raise ValueError(f"candidates must be an integer array of shape ({lab.size}, k)")
    y = _labels("target", target)
    if y.size != lab.size:
        raise ValueError("target and base must have the same length")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or \
            not 0 <= steps <= C.shape[1]:
        raise ValueError(f"steps must be an int in 0..{C.shape[1]}, got {steps!r}")
    order: list[int] = []
    labels = [lab]
    for _ in range(int(steps)):
        best, best_h, best_lab = -1, math.inf, lab
        for j in range(C.shape[1]):
            if j in order:
                continue
            new = partition(np.stack([lab, C[:, j].astype(np.int64)], axis=1))
            h = conditional_entropy(y, new)
            if h < best_h:
                best, best_h, best_lab = j, h, new
        order.append(best)
        lab = best_lab
        labels.append(lab)
    return order, labels
