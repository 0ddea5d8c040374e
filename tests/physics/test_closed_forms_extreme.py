"""The closed forms against exact arithmetic over their whole float range.

Each closed form of Part IV (the Ising chain, Onsager's free energy and energy,
Yang's magnetisation, the enumeration of exact_observables) and of the thermodynamics
of SGD (the training temperature, the stationary variance) is evaluated on a grid
spanning the float range of its arguments -- temperatures and couplings from 1e-300
to 1e300, not only moderate T -- and compared with an independent route: 50-digit
:mod:`decimal` arithmetic, exact :mod:`fractions`, or (Onsager at moderate J/T, where
no closed decimal route exists) Onsager's double integral by scipy's dblquad.  Where
the true value is not a float, the function must raise an OverflowError naming an
argument instead of returning inf.  No warning may escape.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from scipy import integrate

from umlib.physics import ising
from umlib.physics import learning

TEMPS = [10.0 ** k for k in range(-300, 301, 30)] + [0.5, 1.0, 2.0, 3.0, 7.5, 60.0, 1e4]
FMAX = Decimal(np.finfo(float).max)
FTINY = Decimal(np.finfo(float).tiny)


def _quiet(fn, *a, **k):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*a, **k)


def _rel(ours: float, exact: Decimal) -> float:
    if exact == 0:
        return abs(ours)
    return float(abs(Decimal(ours) - exact) / abs(exact))


def _ctx(ctx):
    ctx.prec = 50
    ctx.Emax = 999_999_999
    ctx.Emin = -999_999_999
    return ctx


def _sinh(x: Decimal) -> Decimal:
    return (x.exp() - (-x).exp()) / 2


def _cosh(x: Decimal) -> Decimal:
    return (x.exp() + (-x).exp()) / 2


# ---------------------------------------------------------------------------
# the Ising chain: transfer-matrix eigenvalues in 50 digits
# ---------------------------------------------------------------------------

def _chain_exact(N: int, T: float, J: float, h: float) -> Decimal | None:
    with localcontext() as ctx:
        _ctx(ctx)
        b = 1 / Decimal(T)
        bJ, bh = b * Decimal(J), b * Decimal(h)
        if abs(bJ) > 10 ** 8 or abs(bh) > 10 ** 8:
            return None          # beyond decimal's exponent range: see the asymptotic check
        root = ((2 * bJ).exp() * _sinh(bh) ** 2 + (-2 * bJ).exp()).sqrt()
        lp = bJ.exp() * _cosh(bh) + root
        lm = bJ.exp() * _cosh(bh) - root
        return +(lp ** N + lm ** N).ln()


@pytest.mark.parametrize("J, h", [(1.0, 0.0), (1.0, 0.3), (-1.0, 0.0), (-1.0, 2.0),
                                  (1e-100, 0.0), (1e100, 1e100), (0.5, -1e-200)])
@pytest.mark.parametrize("N", [1, 2, 7, 64])
def test_chain_log_z_over_the_float_range(N, J, h):
    for T in TEMPS:
        exact = _chain_exact(N, T, J, h)
        try:
            ours = _quiet(ising.chain_log_z, N, T, J=J, h=h)
        except OverflowError as exc:
            assert "T" in str(exc).split() or "T =" in str(exc)
            # then ln Z itself (~ N (|J| + |h|) / T) is beyond the float range
            assert N * (abs(J) + abs(h)) / T > 1e300 or exact is None or abs(exact) > FMAX
            continue
        if exact is None:
            # |J|/T or |h|/T > 1e8: ln Z = N (max(J, |h|... ) / T to double precision;
            # the leading term of ln λ+ is (J + |h|)/T for J > -|h|, else -J/T
            # (the leading term of ln Z: N (J + |h|)/T for a ferromagnet; for an
            # antiferromagnet without field λ- = -λ+ (1 - 2 e^{-2|J|/T}), so odd N loses
            # two powers: (N - 2)|J|/T)
            if J > 0:
                lead = Decimal(N) * (Decimal(J) + abs(Decimal(h))) / Decimal(T)
            elif h == 0:
                lead = Decimal(N - 2 * (N % 2)) * abs(Decimal(J)) / Decimal(T)
            else:
                assert math.isfinite(ours)
                continue
            assert _rel(ours, lead) <= 1e-7, (N, T, J, h, ours, lead)
            continue
        assert _rel(ours, exact) <= 2e-12, (N, T, J, h, ours, exact)


# ---------------------------------------------------------------------------
# Onsager: asymptotic expansions in decimal at both ends, the double integral between
# ---------------------------------------------------------------------------

def _onsager_f_double_integral(K: float) -> float:
    """-βf from Onsager's double integral (an independent route, double precision)."""
    c2, s2 = math.cosh(2 * K) ** 2, math.sinh(2 * K)
    with warnings.catch_warnings():       # the reference's own quadrature diagnostics
        warnings.simplefilter("ignore")
        val, _ = integrate.dblquad(lambda a, b: math.log(c2 - s2 * (math.cos(a) + math.cos(b))),
                                   0, math.pi, 0, math.pi, epsabs=1e-13, epsrel=1e-13)
    return math.log(2.0) + val / (2 * math.pi ** 2)


def _onsager_f_exact(T: float, J: float) -> Decimal | float:
    K = J / T
    with localcontext() as ctx:
        _ctx(ctx)
        Kd = Decimal(J) / Decimal(T)
        if K > 40:                     # -βf = 2K + e^{-8K} + ...: the correction < 1e-139
            return -2 * Decimal(J)
        if K < 1e-6:                   # -βf = ln 2 + K² + O(K⁴)
            return -Decimal(T) * (Decimal(2).ln() + Kd * Kd)
    return -T * _onsager_f_double_integral(K)


@pytest.mark.parametrize("J", [1.0, 1e-150, 1e150])
def test_onsager_free_energy_over_the_float_range(J):
    for T in TEMPS:
        K = J / T
        if 1e-6 <= K <= 40 and abs(K - 0.4406867935097715) < 1e-3:
            continue                   # the double integral's log singularity at T_c
        exact = _onsager_f_exact(T, J)
        try:
            ours = _quiet(ising.onsager_free_energy, T, J)
        except OverflowError as exc:
            assert abs(Decimal(exact)) > FMAX and ("T" in str(exc) or "J" in str(exc))
            continue
        tol = 1e-10 if isinstance(exact, float) else 1e-14
        assert _rel(ours, Decimal(exact)) <= tol, (T, J, ours, exact)


def _onsager_u_exact(T: float, J: float) -> Decimal | float:
    K = J / T
    with localcontext() as ctx:
        _ctx(ctx)
        if K > 40:
            return -2 * Decimal(J)
        if K < 1e-6:                   # u = -2J tanh K (1 + O(K²)): -2JK (1 + O(K²))
            return -2 * Decimal(J) * Decimal(J) / Decimal(T)
    # u = -J d(-βf)/dK: the K-derivative of Onsager's double integral, integrated
    c, s = math.cosh(2 * K), math.sinh(2 * K)
    with warnings.catch_warnings():       # the reference's own quadrature diagnostics
        warnings.simplefilter("ignore")
        val, _ = integrate.dblquad(
            lambda x, y: (4 * c * s - 2 * c * (math.cos(x) + math.cos(y)))
            / (c * c - s * (math.cos(x) + math.cos(y))),
            0, math.pi, 0, math.pi, epsabs=1e-14, epsrel=1e-12)
    return -J * val / (2 * math.pi ** 2)


@pytest.mark.parametrize("J", [1.0, 1e-150, 1e150])
def test_onsager_energy_over_the_float_range(J):
    for T in TEMPS:
        K = J / T
        if abs(K - 0.4406867935097715) < 1e-2:
            continue
        exact = _onsager_u_exact(T, J)
        if isinstance(exact, Decimal) and abs(exact) < FTINY:
            assert _quiet(ising.onsager_energy, T, J) == 0.0 or \
                abs(Decimal(_quiet(ising.onsager_energy, T, J))) < 4 * FTINY
            continue
        try:
            ours = _quiet(ising.onsager_energy, T, J)
        except OverflowError as exc:
            assert abs(Decimal(exact)) > FMAX and "J" in str(exc)
            continue
        tol = 1e-8 if isinstance(exact, float) else 1e-11
        assert _rel(ours, Decimal(exact)) <= tol, (T, J, ours, exact)


@pytest.mark.parametrize("J", [1.0, 1e-150, 1e150])
def test_yang_magnetization_over_the_float_range(J):
    for T in TEMPS:
        with localcontext() as ctx:
            _ctx(ctx)
            K = Decimal(J) / Decimal(T)
            if K > 100:                # 1 - s^-4 = 1 - 16 e^{-8K}: m = 1 to 300 digits
                exact = Decimal(1)
            else:
                s = _sinh(2 * K)
                exact = ((1 - s ** -4).ln() / 8).exp() if s > 1 else Decimal(0)
        ours = _quiet(ising.yang_magnetization, T, J)
        assert _rel(ours, exact) <= 1e-13 if exact else ours == 0.0, (T, J, ours, exact)


def test_exact_observables_over_the_float_range():
    """A four-state spectrum at temperatures 1e-300..1e300, against 50-digit sums."""
    E = [-4.0, 0.0, 0.0, 4.0]
    M = [2.0, 0.0, 0.0, -2.0]
    for scale in (1.0, 1e-200, 1e150):
        Es = [e * scale for e in E]
        for T in TEMPS:
            with localcontext() as ctx:
                _ctx(ctx)
                b = 1 / Decimal(T)
                E0 = Decimal(min(Es))
                if abs(b * (Decimal(max(Es)) - E0)) > 10 ** 8:
                    w = [Decimal(1) if Decimal(e) == E0 else Decimal(0) for e in Es]
                else:
                    w = [(-b * (Decimal(e) - E0)).exp() for e in Es]
                Z = sum(w)
                logZ = -b * E0 + Z.ln()
                mean = sum(wi * Decimal(e) for wi, e in zip(w, Es)) / Z
                var = sum(wi * (Decimal(e) - mean) ** 2 for wi, e in zip(w, Es)) / Z
                c = var * b * b / 2
            try:
                r = _quiet(ising.exact_observables, Es, M, 2, T)
            except OverflowError as exc:
                assert "T" in str(exc)
                assert abs(logZ) > FMAX or abs(c) > FMAX
                continue
            # e and c are differences of nearly equal terms at high T: in float64 they
            # are good to ~1e-15 of the spectrum's scale (max |E|, and max |E| / T for
            # c), which is the bound when that exceeds the relative one
            spread = Decimal(4 * scale)
            for ours, exact, tol, floor in (
                    (r.log_Z, logZ, 1e-12, Decimal(0)),
                    (r.e, mean / 2, 1e-12, Decimal("1e-15") * spread),
                    (r.c, c, 1e-9, Decimal("1e-15") * (spread / Decimal(T)) ** 2)):
                err = abs(Decimal(ours) - exact)
                assert err <= max(Decimal(tol) * abs(exact), floor, Decimal("1e-300")), \
                    (scale, T, ours, exact)


# ---------------------------------------------------------------------------
# the SGD formulas in exact rational arithmetic
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("eta", [5e-324, 1e-300, 1e-5, 0.1, 1.0, 1e100, 1e300])
@pytest.mark.parametrize("sigma", [1e-300, 1.0, 1e150])
@pytest.mark.parametrize("batch", [1, 7, 2 ** 31 - 1])
def test_training_temperature_exactly(eta, sigma, batch):
    exact = Fraction(eta) * Fraction(sigma) ** 2 / (2 * batch)
    try:
        ours = _quiet(learning.training_temperature, eta, sigma, batch)
    except OverflowError as exc:
        assert "eta" in str(exc) and exact > Fraction(np.finfo(float).max)
        return
    if exact < Fraction(np.finfo(float).tiny):
        # gradual underflow: within a few subnormal spacings of the exact value
        assert abs(Fraction(ours) - exact) <= 4 * Fraction(5e-324)
        return
    assert abs(Fraction(ours) - exact) / exact <= Fraction(3, 2 ** 53)


@pytest.mark.parametrize("a", [1e-300, 1e-3, 1.0, 1e100])
@pytest.mark.parametrize("eta", [1e-300, 1e-5, 0.1])
@pytest.mark.parametrize("sigma", [1e-100, 1.0, 1e100])
def test_stationary_variance_exactly(a, eta, sigma):
    if eta * a >= 2:
        with pytest.raises(ValueError, match=r"\beta\b"):
            learning.stationary_variance(a, eta, sigma)
        return
    A, H, S = Fraction(a), Fraction(eta), Fraction(sigma)
    exact = H * S * S / (A * (2 - H * A))
    try:
        ours = float(_quiet(learning.stationary_variance, a, eta, sigma)[0])
    except OverflowError as exc:
        assert exact > Fraction(np.finfo(float).max), exc
        assert "sigma" in str(exc)
        return
    if exact < Fraction(np.finfo(float).tiny):
        assert abs(Fraction(ours) - exact) <= 8 * Fraction(5e-324)
        return
    assert abs(Fraction(ours) - exact) / exact <= Fraction(8, 2 ** 53)
