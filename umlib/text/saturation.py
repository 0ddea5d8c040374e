r"""The Boltzmann distribution of a binary event space, its variational origin, and saturation.

Definitions (Part I, "The Boltzmann distribution in detail"):

* A unit with accumulator difference :math:`D` (bits) has two states with energies
  :math:`E_\pm = \mp D/2` in units of :math:`k_B T` at :math:`\beta = \ln 2`.  Among all
  distributions :math:`(p, 1-p)` the **free energy**
  :math:`\mathcal F(p) = \langle E \rangle - S(p)/\beta` (:math:`S` in nats) is smallest
  at the Boltzmann weight :math:`p^* = \sigma(\beta D) = 1/(1 + 2^{-D})`; the Gibbs
  variational principle.  The sigmoid is the two-state Gibbs law:
  :math:`\sigma(\beta D)` is ``thermo.gibbs([-D/2, D/2], T=1/beta)[0]``
  (:mod:`umlib.core.thermo`).  :func:`variational_two_state` finds :math:`p^*` numerically,
  without the formula.
* For many states with scores :math:`A_o`, the **maximum-entropy** distribution with a
  prescribed mean score :math:`\langle A \rangle = m` is :math:`\propto e^{\lambda A_o}`,
  i.e. ``thermo.softmax(lam * A)``; :func:`maxent_multiplier` solves for :math:`\lambda`
  by root finding.
* A unit-step is **frozen** when :math:`\beta |D| > \theta_f` and **critical** when
  :math:`|D| < \theta_c` (:func:`saturation_fractions`, the source's two-threshold
  reading); the source uses :math:`\theta_f = 1`, :math:`\theta_c = 1` bit, so the two
  are not complements.  With :math:`\theta_f = \beta\theta_c` they are (one threshold).
* :class:`~umlib.widgets.saturation.SaturationDial` shows the histogram of
  :math:`\beta|D|` live, for a chosen :math:`\beta` and threshold (pattern of
  :mod:`umlib.widgets.temperature`).  Its shares are a *different*, one-threshold split,
  named for what they are: ``below_threshold`` (:math:`\beta|D| <` threshold) and
  ``at_or_above_threshold`` (its complement); its unit entropies are
  ``thermo.shannon_entropy`` of ``thermo.gibbs`` of the two states.

All logarithms of probabilities are natural unless a name says ``bits``.
"""

from __future__ import annotations

import math

import numpy as np

from ..core import thermo
from ..core.validate import positive_scalar, real_array, real_scalar

__all__ = ["LN2", "variational_two_state", "maxent_multiplier", "saturation_fractions"]

#: The inverse temperature of the base-2 convention.
LN2 = math.log(2.0)


def _free_energy_two_state(p: float, D: float, beta: float) -> float:
    """F(p) = <E> - S/beta with E_+ = -D/2, E_- = +D/2 (units of bits), S in nats."""
    q = 1.0 - p
    S = -(p * math.log(p) if p > 0 else 0.0) - (q * math.log(q) if q > 0 else 0.0)
    return -0.5 * D * p + 0.5 * D * q - S / beta


def variational_two_state(D, beta: float = LN2, xtol: float = 1e-12) -> np.ndarray:
    r"""Minimise the two-state free energy over :math:`p` numerically (no sigmoid used).

    :math:`\mathcal F(p) = -\tfrac{D}{2}p + \tfrac{D}{2}(1-p) + \tfrac1\beta\,[p\ln p +
    (1-p)\ln(1-p)]` is strictly convex on (0, 1).  It is minimised by bisection on the
    sign of its derivative :math:`-D + \tfrac1\beta \ln\frac{p}{1-p}`, evaluated as a
    plain difference (the log-odds are *not* inverted in closed form), until the bracket
    is narrower than ``xtol`` or than the float spacing at ``p`` (so a tolerance below
    the spacing still terminates).  The exact answer is :math:`\sigma(\beta D)`, the two-state
    Gibbs law (``thermo.gibbs([-D/2, D/2], T=1/beta)[0]``).

    Derived in Part I, "The Boltzmann distribution in detail".

    Parameters
    ----------
    D : array_like
        Accumulator differences (finite).
    beta : float
        Inverse temperature (> 0); default :math:`\ln 2`.
    xtol : float
        Width of the final bracket on :math:`p` (> 0).

    Returns
    -------
    numpy.ndarray
        The minimiser :math:`p^*` for each ``D`` (midpoint of the final bracket).

    Examples
    --------
    >>> import math
    >>> from umlib.text.saturation import variational_two_state
    >>> p = float(variational_two_state(1.0))      # one bit: odds 2 : 1
    >>> abs(p - 2 / 3) < 1e-12
    True
    """
    D = real_array("D", D, min_size=0)
    beta = positive_scalar("beta", beta)
    xtol = positive_scalar("xtol", xtol)
    flat = D.reshape(-1)
    out = np.empty_like(flat)
    for i, d in enumerate(flat.tolist()):
        lo, hi = 0.0, 1.0
        while hi - lo > xtol:
            mid = 0.5 * (lo + hi)
            if mid <= lo or mid >= hi:     # the bracket is one float wide: xtol unreachable
                break
            slope = -d + (math.log(mid) - math.log1p(-mid)) / beta
            if slope > 0:
                hi = mid
            else:
                lo = mid
        out[i] = 0.5 * (lo + hi)
    return out.reshape(D.shape)


def maxent_multiplier(A, mean: float, lo: float = -50.0, hi: float = 50.0,
                      xtol: float = 1e-13) -> float:
    r"""The multiplier :math:`\lambda` of the maximum-entropy distribution with a given mean.

    Maximising :math:`-\sum_o p_o \ln p_o` subject to :math:`\sum_o p_o = 1` and
    :math:`\sum_o p_o A_o = m` gives :math:`p_o \propto e^{\lambda A_o}` (Lagrange).  The
    mean :math:`\langle A \rangle_\lambda` increases with :math:`\lambda` (its derivative is
    the variance), so :math:`\lambda` is found by bisection on ``[lo, hi]``.  The law
    itself is the softmax of :math:`\lambda A` at :math:`T = 1`, evaluated by
    :func:`umlib.core.thermo.softmax`.

    Derived in Part I, "The Boltzmann distribution in detail".

    Parameters
    ----------
    A : array_like, shape (n,)
        Scores (log-weights), at least two distinct values.
    mean : float
        The prescribed mean, strictly between ``min(A)`` and ``max(A)``.
    lo, hi : float
        Bracket for :math:`\lambda`.
    xtol : float
        Width of the final bracket (> 0); the bisection also stops when the bracket is
        one float wide, so a tolerance below the float spacing terminates.

    Returns
    -------
    float
        :math:`\lambda`, the midpoint of the final bracket.

    Raises
    ------
    ValueError
        If the multiplier lies outside ``[lo, hi]``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.thermo import softmax
    >>> from umlib.text.saturation import maxent_multiplier
    >>> A = np.array([0.0, 1.0, 3.0])
    >>> p = softmax(2.0 * A)
    >>> round(maxent_multiplier(A, float(p @ A)), 10)
    2.0
    """
    A = real_array("A", A, min_size=2)
    if A.ndim != 1:
        raise ValueError("A must be one-dimensional")
    if not A.min() < A.max():
        raise ValueError("A must hold at least two distinct values")
    m = real_scalar("mean", mean)
    lo = real_scalar("lo", lo)
    hi = real_scalar("hi", hi)
    if not lo < hi:
        raise ValueError(f"lo must be < hi, got lo={lo}, hi={hi}")
    if not A.min() < m < A.max():
        raise ValueError(f"mean must lie strictly between min(A) and max(A), got {m}")
    xtol = positive_scalar("xtol", xtol)

    for name, lam in (("lo", lo), ("hi", hi)):
        with np.errstate(over="ignore"):
            if not np.isfinite(lam * A).all():
                raise OverflowError(f"{name} * A overflows (|{name}| = {abs(lam)!r})")

    def mean_at(lam: float) -> float:
        return float(thermo.softmax(lam * A) @ A)     # <A> under p = softmax(lam A)

    if not (mean_at(lo) < m < mean_at(hi)):
        raise ValueError(f"the multiplier lies outside the bracket [lo, hi] = [{lo}, {hi}]")
    while hi - lo > xtol:
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:         # the bracket is one float wide: xtol unreachable
            break
        if mean_at(mid) < m:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def saturation_fractions(D, beta: float = LN2, frozen: float = 1.0,
                         critical: float = 1.0) -> dict:
    r"""Shares of unit-steps that are frozen (:math:`\beta|D| >` ``frozen``), critical
    (:math:`|D| <` ``critical``), or neither.

    This is the source's two-threshold reading: the thresholds apply to different
    quantities, so the shares can leave a band that is neither (or overlap).  With
    ``frozen = beta * critical`` it becomes a one-threshold split (up to the rounding of
    the two comparisons and the tie :math:`\beta|D| =` ``frozen``, counted in neither).
    :class:`~umlib.widgets.saturation.SaturationDial` reports its own one-threshold split
    on :math:`\beta|D|` under other names (``below_threshold``,
    ``at_or_above_threshold``).

    Derived in Part I, "The Boltzmann distribution in detail" (used again in
    "Conclusion: the whole map").

    Parameters
    ----------
    D : array_like
        Accumulator differences in bits (non-empty, finite).
    beta : float
        Inverse temperature (> 0); default :math:`\ln 2`.
    frozen : float
        Threshold on :math:`\beta|D|` above which a unit-step is frozen (> 0).
    critical : float
        Threshold on :math:`|D|` below which a unit-step is critical (> 0).

    Returns
    -------
    dict
        ``"frozen"``, ``"critical"``, ``"between"`` (neither) and ``"overlap"`` (both),
        each a fraction of all entries of ``D``.

    Examples
    --------
    >>> from umlib.text.saturation import saturation_fractions
    >>> f = saturation_fractions([0.5, 1.2, 3.0, -40.0])
    >>> f["frozen"], f["critical"], f["between"]
    (0.5, 0.25, 0.25)
    """
    D = real_array("D", D)
    beta = positive_scalar("beta", beta)
    frozen = positive_scalar("frozen", frozen)
    critical = positive_scalar("critical", critical)
    a = np.abs(D).reshape(-1)
    with np.errstate(over="ignore"):   # beta*|D| beyond the float range is frozen (inf > 1)
        fz = beta * a > frozen
    cr = a < critical
    n = a.size
    return {"frozen": float(np.count_nonzero(fz)) / n,
            "critical": float(np.count_nonzero(cr)) / n,
            "between": float(np.count_nonzero(~fz & ~cr)) / n,
            "overlap": float(np.count_nonzero(fz & cr)) / n}
