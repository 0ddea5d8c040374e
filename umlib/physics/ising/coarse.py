"""Block spins and Binder-cumulant crossings, with jackknife error bars over replicas.

Derived in Part IV, "Coarse-graining and the critical point"
(part4/06-coarse-graining); the correlation length it also measures is
:func:`~umlib.physics.ising.samplers.second_moment_xi`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.validate import count, real_array, real_scalar, spins, record_fields
from ...core.montecarlo import jackknife
from .samplers import _sweeps, swendsen_wang

__all__ = [
    "binder_crossing",
    "BinderRun",
    "binder_run",
    "binder_crossing_error",
    "block_spins",
]


def binder_crossing(T, U_a, U_b, deg: int = 2) -> float:
    """Temperature where two Binder curves U_a(T), U_b(T) cross.

    The difference U_a - U_b is fitted by a polynomial of degree ``deg`` on the grid
    ``T`` and its one real root inside the grid is returned.  No chapter calls it
    directly: it is the statistic of :func:`binder_crossing_error`, used in Part IV,
    "Coarse-graining and the critical point".

    Parameters
    ----------
    T : array_like
        1-D grid of temperatures in units of J (k_B = 1), at least ``deg + 1`` points.
    U_a, U_b : array_like
        Binder cumulants of two sizes on that grid.
    deg : int
        Degree of the polynomial fit.

    Returns
    -------
    float
        Crossing temperature in units of J.

    Raises
    ------
    ValueError
        Arrays of different shapes, or not exactly one crossing inside the grid.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import binder_crossing
    >>> T = np.linspace(2.0, 2.5, 6)
    >>> round(binder_crossing(T, 0.6 - 0.5 * (T - 2.27), 0.6 - 1.0 * (T - 2.27)), 6)
    2.27
    """
    deg = count("deg", deg, minimum=1, maximum=10)
    T = real_array("T", T, min_size=deg + 1)
    U_a, U_b = real_array("U_a", U_a), real_array("U_b", U_b)
    if not (T.shape == U_a.shape == U_b.shape) or T.ndim != 1:
        raise ValueError("T, U_a and U_b must be 1-D arrays of one length")
    x = T - T.mean()
    d = np.polyfit(x, U_a - U_b, deg)
    roots = np.roots(d)
    real = roots[np.abs(roots.imag) < 1e-12].real + T.mean()
    inside = real[(real >= T.min()) & (real <= T.max())]
    if inside.size != 1:
        raise ValueError(f"the curves cross {inside.size} times inside the grid; need exactly once")
    return float(inside[0])


@dataclass(frozen=True)
class BinderRun:
    """Per-replica magnetisation moments of one lattice size on a grid of temperatures.

    Replicas are independent chains, so a jackknife over replicas gives honest error
    bars whatever the autocorrelation.  Returned by :func:`binder_run`; used in
    Part IV, "Coarse-graining and the critical point".

    Parameters
    ----------
    L : int
        Linear size of the lattice.
    T : numpy.ndarray
        ``(n_T,)`` temperatures in units of J (k_B = 1).
    m1, m2, m4 : numpy.ndarray
        ``(n_replicas, n_T)`` time averages of ``|m|``, ``m²`` and ``m⁴`` (m the
        magnetisation per spin) after the discarded sweeps.
    sweeps : int
        Sweeps run at each temperature (including the discarded ones).
    """

    def __post_init__(self) -> None:
        record_fields(self)

    L: int
    T: np.ndarray
    m1: np.ndarray
    m2: np.ndarray
    m4: np.ndarray
    sweeps: int

    def binder(self) -> np.ndarray:
        """Binder cumulant U = 1 - <m⁴> / (3 <m²>²) at each temperature, replicas pooled.

        Returns
        -------
        numpy.ndarray
            ``(n_T,)`` cumulants: 2/3 deep in the ordered phase, 0 for a Gaussian m.
        """
        return 1.0 - self.m4.mean(0) / (3.0 * self.m2.mean(0) ** 2)


def binder_run(L: int, T, n_sweeps: int, n_replicas: int, rng, discard: float = 0.1) -> BinderRun:
    """Swendsen–Wang runs of an L x L lattice at every temperature, returning Binder moments.

    Each temperature gets ``n_replicas`` independent replicas, all in one batch and
    started ordered.  Used in Part IV, "Coarse-graining and the critical point".

    Parameters
    ----------
    L : int
        Linear size, >= 2.
    T : array_like
        Temperatures in units of J (k_B = 1).
    n_sweeps : int
        Sweeps per replica, >= 1.
    n_replicas : int
        Independent replicas per temperature, >= 2.
    rng : int or numpy.random.Generator
        Seed or generator.
    discard : float
        Fraction of the sweeps dropped before averaging; must leave at least one.

    Returns
    -------
    BinderRun
        The moments, shape ``(n_replicas, len(T))`` each.

    Examples
    --------
    >>> from umlib.physics.ising import binder_run
    >>> run = binder_run(4, [2.0, 3.0], 50, 3, rng=0)
    >>> run.m2.shape, bool(run.binder()[0] > run.binder()[1])
    ((3, 2), True)
    """
    L = count("L", L, minimum=2)
    T = np.atleast_1d(real_array("T", T))
    R = count("n_replicas", n_replicas, minimum=2)
    n = _sweeps(n_sweeps)
    d = int(round(real_scalar("discard", discard) * n))
    if not 0 <= d < n:
        raise ValueError("discard must leave at least one sweep")
    Tall = np.tile(T, R)
    ch = swendsen_wang(np.ones((Tall.size, L, L), dtype=np.int8), Tall, n, rng=rng, measure=False)
    m = ch.M[d:].reshape(n - d, R, T.size) / (L * L)
    return BinderRun(L=L, T=T, m1=np.abs(m).mean(0), m2=(m ** 2).mean(0), m4=(m ** 4).mean(0),
                     sweeps=n)


def binder_crossing_error(a: BinderRun, b: BinderRun, deg: int = 2) -> tuple[float, float]:
    """Crossing temperature of two sizes' Binder curves, with its jackknife error over replicas.

    Used in Part IV, "Coarse-graining and the critical point" (the crossing of
    L = 8 and L = 16 against Onsager's T_c).

    Parameters
    ----------
    a, b : BinderRun
        Runs of two sizes sharing their temperature grid and replica count.
    deg : int
        Degree of the polynomial fit in :func:`binder_crossing`.

    Returns
    -------
    (float, float)
        Crossing temperature and its standard error, both in units of J.

    Raises
    ------
    ValueError
        The runs do not share their grid and replica count, or the curves do not
        cross exactly once.

    Examples
    --------
    >>> from umlib.physics.ising import binder_run, binder_crossing_error
    >>> import numpy as np
    >>> T = np.linspace(2.0, 2.6, 4)
    >>> a, b = binder_run(4, T, 200, 4, rng=0), binder_run(8, T, 200, 4, rng=1)
    >>> Tx, se = binder_crossing_error(a, b)
    >>> bool(2.0 < Tx < 2.6 and se > 0)
    True
    """
    for name, run in (("a", a), ("b", b)):
        if not isinstance(run, BinderRun):
            raise TypeError(f"{name} must be a BinderRun, got {type(run).__name__}")
    deg = count("deg", deg, minimum=1, maximum=10)
    if not (np.array_equal(a.T, b.T) and a.m2.shape == b.m2.shape):
        raise ValueError("the two runs must share their temperatures and replica count")

    def stat(a2, a4, b2, b4):
        Ua = 1.0 - a4.mean(0) / (3.0 * a2.mean(0) ** 2)
        Ub = 1.0 - b4.mean(0) / (3.0 * b2.mean(0) ** 2)
        return binder_crossing(a.T, Ua, Ub, deg)

    return jackknife(stat, [a.m2, a.m4, b.m2, b.m4], n_blocks=a.m2.shape[0])


def block_spins(S, b: int) -> np.ndarray:
    """Majority-rule block spins: each b x b block becomes the sign of its sum.

    With b odd a block's majority is never tied.  Used in Part IV,
    "Coarse-graining and the critical point" (the renormalisation-group flow of block
    spins).

    Parameters
    ----------
    S : array_like
        Spins ±1 of shape ``(..., L, L)``, L divisible by ``b``.
    b : int
        Block side, odd and >= 1.

    Returns
    -------
    numpy.ndarray
        int8 block spins of shape ``(..., L // b, L // b)``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import block_spins
    >>> S = np.ones((6, 6), dtype=np.int8); S[0, :2] = -1
    >>> block_spins(S, 3).tolist()
    [[1, 1], [1, 1]]
    """
    S = spins("S", S)
    b = count("b", b, minimum=1)
    if b % 2 == 0:
        raise ValueError(f"b must be odd so that a block's majority is never tied, got {b}")
    L = S.shape[-1]
    if S.ndim < 2 or S.shape[-2] != L or L % b:
        raise ValueError(f"S must end in a square L x L lattice with L divisible by b = {b}")
    k = L // b
    blocks = S.reshape(*S.shape[:-2], k, b, k, b).sum(axis=(-3, -1), dtype=np.int64)
    return np.sign(blocks).astype(np.int8)
