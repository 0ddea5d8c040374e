r"""Kaufman's exact solution of the finite L x M torus at zero field.

:func:`torus_log_z` evaluates Kaufman's four-term closed form in log space with signed
sums; :func:`torus_energy` and :func:`torus_heat_capacity` are its first two temperature
derivatives in closed form, and :func:`torus_heat_capacity_peak` finds the specific-heat
maximum.  Used in "What the essay promises" (part4/01-opening) and
"The Ising model, exactly" (part4/03-ising-model).
"""

from __future__ import annotations

import math

import numpy as np

from ...core.validate import count, positive_scalar, real_scalar
from ._common import _beta
from .exact import _logsinh_abs, _signed_logsumexp

__all__ = [
    "torus_log_z",
    "torus_energy",
    "torus_heat_capacity",
    "torus_heat_capacity_peak",
]


def _log2cosh(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    return x + np.log1p(np.exp(-2 * x))


def _log2sinh_abs(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    with np.errstate(divide="ignore"):
        return x + np.log(-np.expm1(-2 * x))


def torus_log_z(L: int, M: int, T: float, J: float = 1.0) -> float:
    r"""Kaufman's exact ln Z of the L x M periodic square lattice at zero field.

    With K = J/T and n = M columns, m = L rows,

    .. math::

        Z = \tfrac12 (2\sinh 2K)^{mn/2} \sum_{i=1}^4 Z_i, \quad
        Z_{1,2} = \prod_{r=0}^{n-1} 2\cosh, 2\sinh\big(\tfrac m2 γ_{2r+1}\big), \quad
        Z_{3,4} = \prod_{r=0}^{n-1} 2\cosh, 2\sinh\big(\tfrac m2 γ_{2r}\big),

    :math:`\cosh γ_k = \cosh 2K \coth 2K - \cos(πk/n)` and
    :math:`γ_0 = 2K + \ln\tanh K` (negative above T_c, which makes Z_4 negative).
    Every product is formed as a sum of logarithms and the four terms are added with
    their signs, so ln Z is finite for any L, M (Kaufman 1949; Beale 1996).
    Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T : float
        Temperature in units of J (k_B = 1), > 0.
    J : float
        Coupling, > 0 (ferromagnet).

    Returns
    -------
    float
        ln Z (dimensionless); the free energy per spin is ``-T ln Z / (L M)``.

    Raises
    ------
    ValueError
        J <= 0, or L, M below 2.
    OverflowError
        T so small that 1/T or ln Z overflows float64.

    Examples
    --------
    >>> from umlib.physics.ising import torus_log_z, strip_log_z
    >>> bool(abs(torus_log_z(3, 4, 2.0) - strip_log_z(3, 4, 2.0)) < 1e-12)
    True
    """
    m = count("L", L, minimum=2)
    n = count("M", M, minimum=2)
    T, _ = _beta(T)
    J = real_scalar("J", J)
    if J <= 0:
        raise ValueError(f"J must be > 0 (ferromagnet) for Kaufman's formula, got {J}")
    K = J / T
    if not math.isfinite(2.0 * m * n * K):
        raise OverflowError(f"T = {T!r} is too small: ln Z ≈ 2 L M J/T overflows float64")
    if K < 1e-150:
        # J/T so small that ln Z = L M ln 2 + O(L M K^2) to double precision (and the
        # mode sum below would divide by tanh 2K, which underflows)
        return m * n * math.log(2.0)
    if K > 300:
        # cosh 2K would overflow; here every γ_k equals 2K to double precision
        # (γ_k = ln(2 cosh 2K coth 2K - 2 cos) + O(e^{-4K}) = 2K + O(e^{-2K}))
        gam = np.full(2 * n, 2 * K)
    else:
        k = np.arange(2 * n)
        c = math.cosh(2 * K) / math.tanh(2 * K) - np.cos(np.pi * k / n)
        gam = np.arccosh(np.maximum(c, 1.0))
        gam[0] = 2 * K + math.log(math.tanh(K))
    odd, even = gam[1::2], gam[0::2]
    logs = np.array([_log2cosh(0.5 * m * odd).sum(), _log2sinh_abs(0.5 * m * odd).sum(),
                     _log2cosh(0.5 * m * even).sum(), _log2sinh_abs(0.5 * m * even).sum()])
    signs = np.array([1.0, float(np.prod(np.sign(odd))), 1.0, float(np.prod(np.sign(even)))])
    # 2 sinh 2K may be huge/small: log form
    pre = 0.5 * m * n * (math.log(2.0) + _logsinh_abs(2 * K)) - math.log(2.0)
    return pre + _signed_logsumexp(logs, signs)


# Kaufman's derivatives keep a relative accuracy of about 1e-9 (far better near T_c)
# only for 1e-3 <= J/T <= 2.5: below, the mode sums cancel like e^{8J/T}; above,
# like (T/J)^2 (see torus_heat_capacity, Notes).
_KAUFMAN_K_MIN, _KAUFMAN_K_MAX = 1e-3, 2.5


def _kaufman_K(T, J, name: str = "T") -> float:
    """Validate (T, J) for the Kaufman derivatives and return K = J/T."""
    T = positive_scalar(name, T)
    J = real_scalar("J", J)
    if J <= 0:
        raise ValueError(f"J must be > 0 (ferromagnet) for Kaufman's formula, got {J}")
    with np.errstate(over="ignore", under="ignore"):
        K = J / T
    if not _KAUFMAN_K_MIN <= K <= _KAUFMAN_K_MAX:
        raise ValueError(
            f"{name} = {T!r} is outside {J / _KAUFMAN_K_MAX:g} <= {name} <= "
            f"{J / _KAUFMAN_K_MIN:g} (J = {J:g}), the range where the exact derivatives "
            "of Kaufman's ln Z keep their accuracy in double precision")
    return K


def _kaufman_derivatives(m: int, n: int, K: float) -> tuple[float, float, float]:
    r"""The first three derivatives of Kaufman's ln Z in K = J/T (m rows, n columns).

    Each factor of Kaufman's four products is differentiated in closed form, and the
    four terms are combined as signed weights: with μ = (ln Z)', the second and third
    derivatives are the central moments Σ_i (∂ - μ)^j Z_i / Σ_i Z_i, so no large
    numbers are subtracted.  For k >= 1, cosh γ_k = 1 + δ_k with
    δ_k = (s - 1)²/s + 2 sin²(πk/2n), s = sinh 2K, a sum of non-negative terms.
    """
    s, ch = math.sinh(2 * K), math.cosh(2 * K)
    sm1 = s - 1.0
    N = m * n
    # prefactor (mn/2) ln(2 sinh 2K) - ln 2
    pre = (N * ch / s, -2.0 * N / s ** 2, 8.0 * N * ch / s ** 3)
    # modes k >= 1: δ = A + b, γ = arccosh(1 + δ), derivatives of A in closed form
    A = sm1 * sm1 / s
    A1 = 2 * ch * sm1 * (s + 1) / s ** 2
    A2 = 4 * s + 4 / s + 8 / s ** 3
    A3 = 8 * ch * (1 - 1 / s ** 2 - 6 / s ** 4)
    # γ'' = [A2 δ(δ+2) - A1²(1+δ)] / q³, numerator expanded so that it is formed
    # from terms without cancellation: -4(s-1)³(s²+1)²/s⁵ + 4bP(s)/s⁴ + b² A2
    P = s ** 4 * sm1 ** 2 + s * s * (4 * s * s - 2 * s + 1) + 6 * s * s - 4 * s + 3
    k = np.arange(1, 2 * n)
    b = 2 * np.sin(np.pi * k / (2 * n)) ** 2
    d = A + b
    q = np.sqrt(d) * np.sqrt(d + 2)                      # sinh γ_k
    g = np.log1p(d + q)
    g1 = A1 / q
    g2 = (-4 * sm1 ** 3 * (s * s + 1) ** 2 / s ** 5 + 4 * b * P / s ** 4 + b * b * A2) / q ** 3
    g3 = (A3 - A1 * g1 ** 2 - 3 * (1 + d) * g1 * g2) / q
    h = 0.5 * m
    x = (h * g, h * g1, h * g2, h * g3)                  # x_k = m γ_k / 2 and derivatives
    # mode 0: γ_0 = 2K + ln tanh K, negative above T_c
    y = tuple(h * v for v in (2 * K + math.log(math.tanh(K)), 2 + 2 / s, -4 * ch / s ** 2,
                              8 * (s * s + 2) / s ** 3))

    def log_products(xs, kind):
        """ln Π f(x_k) for f = 2 cosh or 2 sinh (x_k > 0) and its first three derivatives."""
        x0, x1, x2, x3 = xs
        e, em = np.exp(-2 * x0), -np.expm1(-2 * x0)     # e^{-2x}, 1 - e^{-2x}
        if kind == "cosh":
            lf = x0 + np.log1p(e)
            t = em / (1 + e)                            # tanh
            t2 = 4 * e / (1 + e) ** 2                   # 1 - tanh²
        else:
            lf = x0 + np.log(em)
            t = (1 + e) / em                            # coth
            t2 = -4 * e / em ** 2                       # 1 - coth²
        t3 = -2 * t * t2
        return (float(lf.sum()), float((t * x1).sum()), float((t2 * x1 ** 2 + t * x2).sum()),
                float((t3 * x1 ** 3 + 3 * t2 * x1 * x2 + t * x3).sum()))

    odd = tuple(v[0::2] for v in x)                     # k = 1, 3, ..., 2n - 1
    even = tuple(v[1::2] for v in x)                    # k = 2, 4, ..., 2n - 2
    sgn = 1.0 if y[0] >= 0 else -1.0
    even0 = tuple(np.concatenate([[a], v]) for a, v in
                  zip((abs(y[0]), sgn * y[1], sgn * y[2], sgn * y[3]), even))
    one = (1.0, 0.0, 0.0, 0.0)
    terms = [(*log_products(odd, "cosh"), one), (*log_products(odd, "sinh"), one),
             (*log_products(even0, "cosh"), one)]
    # Z_4 = 2 sinh(y) Π_{k even >= 2} 2 sinh(x_k): the factor 2 sinh(y) vanishes at T_c,
    # so it is kept as a factor e^{|y|} (a, a', a'', a''') instead of a logarithm
    E = math.exp(-2 * abs(y[0]))
    sh = math.copysign(-math.expm1(-2 * abs(y[0])), y[0])   # e^{-|y|} 2 sinh y
    co = 1 + E                                              # e^{-|y|} 2 cosh y
    y1, y2, y3 = y[1:]
    fac = (sh, co * y1, sh * y1 ** 2 + co * y2, co * (y1 ** 3 + y3) + 3 * sh * y1 * y2)
    L0, L1, L2, L3 = log_products(even, "sinh")
    terms.append((L0 + abs(y[0]), L1, L2, L3, fac))
    top = max(t[0] for t in terms)

    def central(mu):
        """Σ_i (∂ - μ)^j Z_i for j = 0..3, every Z_i scaled by e^{-top}."""
        out = [0.0, 0.0, 0.0, 0.0]
        for l0, l1, l2, l3, f in terms:
            dd = l1 - mu
            rho = (1.0, dd, dd * dd + l2, dd ** 3 + 3 * dd * l2 + l3)
            w = math.exp(l0 - top)
            for j in range(4):
                out[j] += w * sum(math.comb(j, p) * f[p] * rho[j - p] for p in range(j + 1))
        return out

    first = central(0.0)
    mu = first[1] / first[0]
    mom = central(mu)
    if not mom[0] > 0:
        raise ValueError("the signed sum of Kaufman's terms is not positive "
                         "(cancellation beyond float64)")
    return mu + pre[0], mom[2] / mom[0] + pre[1], mom[3] / mom[0] + pre[2]


def torus_energy(L: int, M: int, T: float, J: float = 1.0) -> float:
    """Exact energy per spin u = U/N of the L x M periodic square lattice at zero field.

    ``u = -(J/N) ∂ ln Z/∂K`` with Kaufman's ln Z (:func:`torus_log_z`)
    differentiated in closed form; see :func:`torus_heat_capacity` for the method
    and the range of T.  Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T : float
        Temperature in units of J (k_B = 1), 0.4 J <= T <= 1000 J.
    J : float
        Coupling, > 0.

    Returns
    -------
    float
        U/N in units of J (between -2J and 0).

    Examples
    --------
    >>> from umlib.physics.ising import torus_energy
    >>> round(torus_energy(64, 64, 1.0), 9)
    -1.997160204
    """
    m, n = count("L", L, minimum=2), count("M", M, minimum=2)
    K = _kaufman_K(T, J)
    d1, _, _ = _kaufman_derivatives(m, n, K)
    return -J * d1 / (m * n)


def torus_heat_capacity(L: int, M: int, T: float, J: float = 1.0, slope: bool = False):
    r"""Exact specific heat per spin of the L x M periodic square lattice at zero field.

    The heat capacity is the variance of the energy,

    .. math::

        c = \frac{\operatorname{Var}E}{N T^2} = \frac{K^2}{N}\,
        \frac{\partial^2 \ln Z}{\partial K^2}, \qquad K = J/T,

    and Kaufman's ln Z (:func:`torus_log_z`) is differentiated analytically, term by term:
    no finite difference is taken.  Used in Part IV, "What the essay promises" (the growth
    of the specific-heat peak with L) and "The Ising model, exactly" (the energy
    variance).

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T : float
        Temperature in units of J (k_B = 1), 0.4 J <= T <= 1000 J (see Notes).
    J : float
        Coupling, > 0 (ferromagnet).
    slope : bool
        Also return dc/dT (from the third derivative of ln Z), whose zero is the peak.

    Returns
    -------
    float or (float, float)
        c per spin (dimensionless, k_B = 1), or (c, dc/dT) with dc/dT in 1/J when
        ``slope`` is True.

    Raises
    ------
    TypeError
        L or M not an int; T or J not a real number; slope not a bool.
    ValueError
        L or M below 2; T not positive and finite, or outside 0.4 J <= T <= 1000 J;
        J <= 0.

    Notes
    -----
    With s = sinh 2K, Kaufman's modes satisfy cosh γ_k = 1 + δ_k,
    δ_k = (s - 1)²/s + 2 sin²(πk/2M) for k >= 1, and γ_0 = 2K + ln tanh K.  Their
    K-derivatives follow from sinh γ · γ' = δ', so each ln(2 cosh) or ln(2 sinh) of
    (L/2) γ_k has closed-form derivatives; the four products are combined as
    weights (one of them negative above T_c), and the derivatives of ln Z are their
    central moments.

    Near T_c the relative error is a few 1e-14.  Far from it the representation
    itself cancels: the error grows like u e^{8J/T} at low T and like
    u (T/J)² at high T (u = 2⁻⁵³), which is why T is restricted to the range where it
    stays below about 1e-9.

    Examples
    --------
    >>> from umlib.physics.ising import (enumerate_energy_magnetization, exact_observables,
    ...                          square_lattice, torus_heat_capacity)
    >>> E, Mg = enumerate_energy_magnetization(square_lattice(4))
    >>> c_enum = exact_observables(E, Mg, 16, 2.3).c
    >>> bool(abs(torus_heat_capacity(4, 4, 2.3) / c_enum - 1) < 1e-12)
    True
    """
    m, n = count("L", L, minimum=2), count("M", M, minimum=2)
    if not isinstance(slope, (bool, np.bool_)):
        raise TypeError(f"slope must be True or False, got {type(slope).__name__}")
    K = _kaufman_K(T, J)
    T = J / K
    N = m * n
    _, d2, d3 = _kaufman_derivatives(m, n, K)
    c = K * K * d2 / N
    if not slope:
        return c
    return c, -(K / T) * (2 * K * d2 + K * K * d3) / N


def torus_heat_capacity_peak(L: int, M: int, T_lo: float, T_hi: float,
                             J: float = 1.0) -> tuple[float, float]:
    """Temperature and height of the specific-heat maximum of the L x M torus.

    The peak is the zero of dc/dT (:func:`torus_heat_capacity` with ``slope=True``,
    an exact third derivative of ln Z), found by Brent's method in [T_lo, T_hi];
    the bracket must hold one maximum.  Used in Part IV, "What the essay promises",
    which follows the peak towards T_c as L grows.

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T_lo, T_hi : float
        A bracket in units of J, inside 0.4 J..1000 J, with dc/dT > 0 at T_lo and
        < 0 at T_hi.
    J : float
        Coupling, > 0.

    Returns
    -------
    (float, float)
        T at the peak in units of J (to about 1e-13) and c there (per spin,
        dimensionless).

    Raises
    ------
    ValueError
        T_hi <= T_lo, or dc/dT does not change sign from + to - across the bracket.

    Examples
    --------
    >>> from umlib.physics.ising import torus_heat_capacity_peak
    >>> T, c = torus_heat_capacity_peak(16, 16, 2.2, 2.4)
    >>> round(T, 6), round(c, 6)
    (2.317507, 1.552204)
    """
    from scipy.optimize import brentq

    m, n = count("L", L, minimum=2), count("M", M, minimum=2)
    _kaufman_K(T_lo, J, "T_lo")
    _kaufman_K(T_hi, J, "T_hi")
    T_lo, T_hi = float(T_lo), float(T_hi)
    if not T_lo < T_hi:
        raise ValueError(f"T_hi must exceed T_lo, got T_lo = {T_lo}, T_hi = {T_hi}")
    lo = torus_heat_capacity(m, n, T_lo, J, slope=True)[1]
    hi = torus_heat_capacity(m, n, T_hi, J, slope=True)[1]
    if not (lo > 0 > hi):
        raise ValueError(f"c has no maximum between T_lo = {T_lo} and T_hi = {T_hi} "
                         f"(dc/dT = {lo:.3g} at T_lo and {hi:.3g} at T_hi)")
    T_pk = brentq(lambda t: torus_heat_capacity(m, n, t, J, slope=True)[1], T_lo, T_hi,
                  xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=200)
    return T_pk, torus_heat_capacity(m, n, T_pk, J)
