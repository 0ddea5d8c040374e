r"""Coarse-graining and the critical point: block spins, correlation length and Binder
crossings with error bars.  Derived in "Coarse-graining and the critical point"
(part4/06-coarse-graining).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.validate import count, real_array, real_scalar, spins
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
    """Temperature where two Binder curves U_a(T), U_b(T) cross, from polynomial fits of
    degree ``deg`` on the grid ``T`` (the root of the difference inside the grid).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import binder_crossing
    >>> T = np.linspace(2.0, 2.5, 6)
    >>> round(binder_crossing(T, 0.6 - 0.5 * (T - 2.27), 0.6 - 1.0 * (T - 2.27)), 6)
    2.27
    """
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
    """Per-replica moments ``<|m|>``, ``<m²>``, ``<m⁴>`` (time averages after ``discard``) on a grid of T.

    ``m1``, ``m2`` and ``m4`` have shape (n_replicas, n_T); replicas are independent chains, so
    a jackknife over replicas gives honest error bars whatever the autocorrelation.
    """

    L: int
    T: np.ndarray
    m1: np.ndarray
    m2: np.ndarray
    m4: np.ndarray
    sweeps: int

    def binder(self) -> np.ndarray:
        return 1.0 - self.m4.mean(0) / (3.0 * self.m2.mean(0) ** 2)


def binder_run(L: int, T, n_sweeps: int, n_replicas: int, rng, discard: float = 0.1) -> BinderRun:
    """Swendsen–Wang at every temperature of ``T`` with ``n_replicas`` independent replicas
    each (all in one batch, started ordered), returning their Binder moments.

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
    """Crossing temperature of two sizes' Binder curves and its jackknife error over replicas
    (both runs must share the grid and the number of replicas).

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
    if not (np.array_equal(a.T, b.T) and a.m2.shape == b.m2.shape):
        raise ValueError("the two runs must share their temperatures and replica count")

    def stat(a2, a4, b2, b4):
        Ua = 1.0 - a4.mean(0) / (3.0 * a2.mean(0) ** 2)
        Ub = 1.0 - b4.mean(0) / (3.0 * b2.mean(0) ** 2)
        return binder_crossing(a.T, Ua, Ub, deg)

    return jackknife(stat, [a.m2, a.m4, b.m2, b.m4], n_blocks=a.m2.shape[0])


def block_spins(S, b: int) -> np.ndarray:
    """Majority-rule block spins: each b x b block (b odd, so no ties) becomes the sign of
    its sum.  S has shape (..., L, L) with L divisible by b.

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
