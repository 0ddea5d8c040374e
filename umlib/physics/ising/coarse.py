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


def binder_crossing(T_a, U_a, T_b, U_b, deg: int = 2) -> float:
    """Temperature where two Binder curves U_a(T), U_b(T) cross, each on its own grid.

    Each curve is fitted by a polynomial of degree ``deg`` on its own temperature grid;
    the crossing is the one real root of the difference of the two fits inside the
    overlap of the grids.  Derived in Part IV,
    "Coarse-graining and the critical point" (part4/06-coarse-graining), where the
    grids narrow as the lattice grows.

    Parameters
    ----------
    T_a, T_b : array_like
        1-D grids of temperatures in units of J (k_B = 1), each of at least
        ``deg + 1`` points; they must overlap.
    U_a, U_b : array_like
        Binder cumulants of the two sizes on their grids (same shapes as ``T_a``,
        ``T_b``).
    deg : int
        Degree of the polynomial fits.

    Returns
    -------
    float
        Crossing temperature in units of J.

    Raises
    ------
    ValueError
        A curve and its grid of different shapes, grids that do not overlap, or not
        exactly one crossing inside the overlap.

    Notes
    -----
    Both fits are made in the variable ``T - lo``, with ``lo`` the lower end of the
    overlap, so the root is found near zero whatever the temperatures.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import binder_crossing
    >>> Ta, Tb = np.linspace(2.0, 2.5, 6), np.linspace(2.2, 2.4, 5)
    >>> round(binder_crossing(Ta, 0.6 - 0.5 * (Ta - 2.27),
    ...                       Tb, 0.6 - 1.0 * (Tb - 2.27)), 6)
    2.27
    """
    deg = count("deg", deg, minimum=1, maximum=10)
    T_a = real_array("T_a", T_a, min_size=deg + 1)
    T_b = real_array("T_b", T_b, min_size=deg + 1)
    U_a, U_b = real_array("U_a", U_a), real_array("U_b", U_b)
    if T_a.ndim != 1 or T_a.shape != U_a.shape:
        raise ValueError("T_a and U_a must be 1-D arrays of one length")
    if T_b.ndim != 1 or T_b.shape != U_b.shape:
        raise ValueError("T_b and U_b must be 1-D arrays of one length")
    lo, hi = max(T_a.min(), T_b.min()), min(T_a.max(), T_b.max())
    if not lo < hi:
        raise ValueError("the grids T_a and T_b do not overlap")
    d = np.polysub(np.polyfit(T_a - lo, U_a, deg), np.polyfit(T_b - lo, U_b, deg))
    roots = np.roots(d)
    real = roots[np.abs(roots.imag) < 1e-12].real + lo
    inside = real[(real >= lo) & (real <= hi)]
    if inside.size != 1:
        raise ValueError(f"the curves cross {inside.size} times inside the overlap "
                         f"[{lo}, {hi}]; need exactly once")
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


def binder_crossing_error(T_a, m2_a, m4_a, T_b, m2_b, m4_b,
                          deg: int = 2) -> tuple[float, float]:
    """Crossing of two sizes' Binder curves, with its jackknife error over replicas.

    The replicas are independent chains, so leaving one out at a time (in both sizes
    and at every temperature) gives an error bar that needs no estimate of the
    autocorrelation time.  Derived in Part IV,
    "Coarse-graining and the critical point" (part4/06-coarse-graining: the crossing
    of L = 64 and 128 against Onsager's T_c).

    Parameters
    ----------
    T_a, T_b : array_like
        1-D temperature grids of the two sizes, in units of J (k_B = 1).
    m2_a, m4_a, m2_b, m4_b : array_like
        ``(n_replicas, n_T)`` per-replica time averages of ``m²`` and ``m⁴`` (m the
        magnetisation per spin); both sizes have the same number of replicas.
    deg : int
        Degree of the polynomial fits in :func:`binder_crossing`.

    Returns
    -------
    (float, float)
        Crossing temperature and its standard error, both in units of J.

    Raises
    ------
    ValueError
        Moments whose shapes do not match their grids or each other's replica count,
        or curves that do not cross exactly once inside the overlap.

    Examples
    --------
    >>> from umlib.physics.ising import binder_run, binder_crossing_error
    >>> import numpy as np
    >>> T = np.linspace(2.0, 2.6, 4)
    >>> a, b = binder_run(4, T, 200, 4, rng=0), binder_run(8, T, 200, 4, rng=1)
    >>> Tx, se = binder_crossing_error(a.T, a.m2, a.m4, b.T, b.m2, b.m4)
    >>> bool(2.0 < Tx < 2.6 and se > 0)
    True
    """
    deg = count("deg", deg, minimum=1, maximum=10)
    T_a, T_b = real_array("T_a", T_a), real_array("T_b", T_b)
    for name, T in (("T_a", T_a), ("T_b", T_b)):
        if T.ndim != 1 or T.size < deg + 1:
            raise ValueError(f"{name} must be a 1-D grid of at least {deg + 1} "
                             f"temperatures")
    m = {}
    for name, x, T, tn in (("m2_a", m2_a, T_a, "T_a"), ("m4_a", m4_a, T_a, "T_a"),
                           ("m2_b", m2_b, T_b, "T_b"), ("m4_b", m4_b, T_b, "T_b")):
        m[name] = real_array(name, x)
        if m[name].ndim != 2 or m[name].shape[1:] != T.shape:
            raise ValueError(f"{name} must have shape (n_replicas, {T.size}) "
                             f"to match {tn}")
    R = m["m2_a"].shape[0]
    if any(v.shape[0] != R for v in m.values()) or R < 2:
        raise ValueError("m2_a, m4_a, m2_b and m4_b must share one replica count >= 2")

    def stat(a2, a4, b2, b4):
        Ua = 1.0 - a4.mean(0) / (3.0 * a2.mean(0) ** 2)
        Ub = 1.0 - b4.mean(0) / (3.0 * b2.mean(0) ** 2)
        return binder_crossing(T_a, Ua, T_b, Ub, deg)

    return jackknife(stat, list(m.values()), n_blocks=R)


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
