"""umlib.core.spectra: ladders, eigensolves, bin probabilities and the convergence-order fit.

Many of these tests were written in the mutation-testing review (benchmarks/mutation.md),
among them the whole-message check of ``convergence_order``'s refusal of equal spacings
(a surviving mutant: the regression test matched the message as a substring).
Eigensolves are checked against an independent dense construction of the same
finite-difference Hamiltonian (numpy.linalg.eigvalsh), bin probabilities against
numerical quadrature of |psi_n|^2, and the convergence-order fit against
scipy.stats.linregress.
"""

import math
import re
import warnings

import numpy as np
import pytest
from scipy import integrate, stats

from umlib.core import spectra


TINY = 2.2250738585072014e-308


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


def dense_levels(V, h, k):
    """Lowest k eigenvalues of -1/2 D2 + diag(V) (three-point D2, Dirichlet walls)."""
    n = V.size
    H = np.diag(1.0 / h**2 + V) - 0.5 / h**2 * (np.eye(n, k=1) + np.eye(n, k=-1))
    return np.linalg.eigvalsh(H)[:k]


# --- eigensolves against a dense reference ---------------------------------------
@pytest.mark.parametrize("n_grid,omega,x_max", [(40, 1.7, 6.0), (41, 0.5, 9.0), (7, 1.0, 10.0)])
def test_oscillator_eigensolve_is_the_stated_discretisation(n_grid, omega, x_max):
    h = 2 * x_max / (n_grid + 1)
    x = -x_max + h * np.arange(1, n_grid + 1)
    k = min(5, n_grid)
    ref = dense_levels(0.5 * omega**2 * x**2, h, k)
    got = spectra.oscillator_eigensolve(n_grid, k, omega=omega, x_max=x_max)
    assert got.shape == (k,)
    assert np.allclose(got, ref, rtol=1e-11, atol=0)


def test_oscillator_eigensolve_default_window_is_ten():
    assert np.array_equal(spectra.oscillator_eigensolve(30, 3),
                          spectra.oscillator_eigensolve(30, 3, x_max=10.0))


@pytest.mark.parametrize("L", [1.0, 2.0, 0.3])
def test_box_eigensolve_and_fd_closed_form_for_any_width(L):
    n_grid = 25
    h = L / (n_grid + 1)
    ref = dense_levels(np.zeros(n_grid), h, 4)
    assert np.allclose(spectra.box_eigensolve(n_grid, 4, L=L), ref, rtol=1e-11)
    assert np.allclose(spectra.box_fd_levels_exact(n_grid, 4, L=L), ref, rtol=1e-11)


def test_as_many_levels_as_grid_points_is_allowed():
    assert np.allclose(spectra.box_eigensolve(3, 3), spectra.box_fd_levels_exact(3, 3),
                       rtol=1e-12)
    assert spectra.oscillator_eigensolve(3, 3).shape == (3,)


def test_smallest_normal_grid_scale_is_accepted():
    # n_grid = 1, L = 2^512: h = 2^511 and 1/h^2 = 2^-1022, the smallest normal float;
    # the 1x1 Hamiltonian's only eigenvalue is 1/h^2
    assert spectra.box_eigensolve(1, 1, L=2.0**512).tolist() == [TINY]
    with pytest.raises(OverflowError, match=full(
            "the grid spacing 1/h^2 is not representable for this L")):
        spectra.box_eigensolve(1, 1, L=2.0**513)


def test_grid_scale_errors_are_clean_under_a_strict_fp_policy():
    with np.errstate(all="raise"):
        with pytest.raises(OverflowError, match=full(
                "the grid spacing 1/h^2 is not representable for this L")):
            spectra.box_eigensolve(1, 1, L=2.0**520)     # h*h overflows: 1/h^2 = 0
        with pytest.raises(OverflowError, match=full(
                "the grid spacing 1/h^2 is not representable for this L")):
            spectra.box_eigensolve(1, 1, L=1.5 * 2.0**512)   # 1/h^2 would be subnormal
    with pytest.raises(OverflowError, match=full(
            "the grid spacing 1/h^2 is not representable for this x_max")):
        spectra.oscillator_eigensolve(3, 1, x_max=1e-200)


def test_largest_allowed_window():
    e = spectra.oscillator_eigensolve(3, 1, x_max=1e150)
    assert np.all(np.isfinite(e))
    with pytest.raises(OverflowError, match=full(
            "x_max=2e+150 is too large for a grid (x_max**2 must be finite)")):
        spectra.oscillator_eigensolve(3, 1, x_max=2e150)


def test_overflows_are_reported_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OverflowError, match=full(
                "the result overflows for this L; choose a value nearer 1")):
            spectra.box_levels(1, L=1e-160)
        with pytest.raises(OverflowError, match=full(
                "the result overflows for this omega; choose a value nearer 1")):
            spectra.oscillator_levels(3, omega=1e308)
        with pytest.raises(OverflowError, match=full(
                "the result overflows for this omega and x_max; choose a value nearer 1")):
            spectra.oscillator_eigensolve(3, 1, omega=1e200)     # inf * 0 at x = 0
        with pytest.raises(OverflowError, match=full(
                "the result overflows for this L; choose a value nearer 1")):
            spectra.box_fd_levels_exact(2, 1, L=5e-324)           # h = 0: inf * sin(0)


# --- densities and bins ------------------------------------------------------------
def test_box_density_closed_form_values():
    assert spectra.box_density(0.5, 1, L=2.0) == pytest.approx(0.5, rel=1e-15)
    assert spectra.box_density([0.75], 2, L=3.0).tolist() == pytest.approx([2 / 3], rel=1e-15)
    assert spectra.box_density([0.0, -1e-300, 3.0 + 1e-15], 2, L=3.0).tolist() == [0.0] * 3
    out = spectra.box_density([], 1)
    assert out.shape == (0,)


@pytest.mark.parametrize("n,n_bins,L", [(1, 4, 1.0), (3, 5, 2.5), (2, 1, 0.7), (5, 7, 1.0)])
def test_box_bins_are_integrals_of_the_density(n, n_bins, L):
    p = spectra.box_bin_probabilities(n, n_bins, L=L)
    assert p.shape == (n_bins,)
    edges = np.linspace(0.0, L, n_bins + 1)
    ref = [integrate.quad(lambda x: 2 / L * math.sin(n * math.pi * x / L) ** 2, a, b,
                          epsabs=1e-15, epsrel=1e-13)[0] for a, b in zip(edges[:-1], edges[1:])]
    assert np.allclose(p, ref, rtol=1e-12, atol=1e-15)
    assert p.sum() == pytest.approx(1.0, abs=1e-15)


def test_first_quarter_bin_of_the_ground_state():
    # int_0^{1/4} 2 sin^2(pi x) dx = 1/4 - 1/(2 pi)
    p = spectra.box_bin_probabilities(1, 4)
    assert p[0] == pytest.approx(0.25 - 1 / (2 * math.pi), rel=1e-14)
    assert p[3] == pytest.approx(p[0], rel=1e-14)


# --- the convergence-order fit -------------------------------------------------------
@pytest.mark.parametrize("h,err", [
    ([0.1, 0.05, 0.025], [3e-2, 8e-3, 1.9e-3]),
    ([0.4, 0.2, 0.1, 0.05, 0.025], [-1.0, 0.3, -0.06, 0.017, -0.004]),
])
def test_convergence_order_matches_linregress(h, err):
    fit = stats.linregress(np.log(h), np.log(np.abs(err)))
    p, se = spectra.convergence_order(h, err)
    assert type(p) is float and type(se) is float
    assert p == pytest.approx(fit.slope, rel=1e-12)
    assert se == pytest.approx(fit.stderr, rel=1e-10)
    assert se > 0


def test_exact_power_law_has_zero_standard_error():
    h = np.array([0.5, 0.25, 0.125, 0.0625])
    p, se = spectra.convergence_order(h, 7.0 * h**3)
    assert p == pytest.approx(3.0, rel=1e-14) and se < 1e-13


def test_errors_equal_to_one_are_fine():
    p, _ = spectra.convergence_order([1.0, 2.0, 4.0], [1.0, 2.0, 4.0])
    assert p == pytest.approx(1.0, rel=1e-14)


# --- error messages name the argument and say what is wrong ---------------------------
@pytest.mark.parametrize("call,exc,msg", [
    (lambda: spectra.box_levels(2.0), TypeError, "n_levels must be an int, got float"),
    (lambda: spectra.box_levels(True), TypeError, "n_levels must be an int, got bool"),
    (lambda: spectra.box_levels(0), ValueError, "n_levels must be >= 1, got 0"),
    (lambda: spectra.oscillator_levels(0), ValueError, "n_levels must be >= 1, got 0"),
    (lambda: spectra.oscillator_levels(1, omega=0), ValueError, "omega must be > 0, got 0.0"),
    (lambda: spectra.box_eigensolve(0, 1), ValueError, "n_grid must be >= 1, got 0"),
    (lambda: spectra.box_eigensolve(3, 0), ValueError, "n_levels must be >= 1, got 0"),
    (lambda: spectra.box_eigensolve(3, 4), ValueError, "n_levels=4 exceeds n_grid=3"),
    (lambda: spectra.box_eigensolve(3, 1, L=-1), ValueError, "L must be > 0, got -1.0"),
    (lambda: spectra.box_fd_levels_exact(0, 1), ValueError, "n_grid must be >= 1, got 0"),
    (lambda: spectra.box_fd_levels_exact(3, 0), ValueError, "n_levels must be >= 1, got 0"),
    (lambda: spectra.box_fd_levels_exact(3, 1, L=0), ValueError, "L must be > 0, got 0.0"),
    (lambda: spectra.oscillator_eigensolve(0, 1), ValueError, "n_grid must be >= 1, got 0"),
    (lambda: spectra.oscillator_eigensolve(3, 0), ValueError, "n_levels must be >= 1, got 0"),
    (lambda: spectra.oscillator_eigensolve(3, 5), ValueError, "n_levels=5 exceeds n_grid=3"),
    (lambda: spectra.oscillator_eigensolve(3, 1, omega=-2), ValueError,
     "omega must be > 0, got -2.0"),
    (lambda: spectra.oscillator_eigensolve(3, 1, x_max=0), ValueError,
     "x_max must be > 0, got 0.0"),
    (lambda: spectra.box_density([0.5], 0), ValueError, "n must be >= 1, got 0"),
    (lambda: spectra.box_density([0.5], 1, L=0), ValueError, "L must be > 0, got 0.0"),
    (lambda: spectra.box_density([np.nan], 1), ValueError, "x contains NaN"),
    (lambda: spectra.box_bin_probabilities(0, 3), ValueError, "n must be >= 1, got 0"),
    (lambda: spectra.box_bin_probabilities(1, 0), ValueError, "n_bins must be >= 1, got 0"),
    (lambda: spectra.box_bin_probabilities(1, 3, L=np.nan), ValueError, "L is NaN"),
    (lambda: spectra.convergence_order([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError,
     "h must have at least 3 element(s), got 2"),
    (lambda: spectra.convergence_order([1.0, 2.0, 3.0], [1.0, 2.0]), ValueError,
     "err must have at least 3 element(s), got 2"),
    (lambda: spectra.convergence_order([1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0]), ValueError,
     "h and err must be 1-D of equal length, got (3,) and (4,)"),
    (lambda: spectra.convergence_order([0.0, 1.0, 2.0], [1.0, 2.0, 3.0]), ValueError,
     "h must be > 0"),
    (lambda: spectra.convergence_order([-1.0, 1.0, 2.0], [1.0, 2.0, 3.0]), ValueError,
     "h must be > 0"),
    (lambda: spectra.convergence_order([1.0, 2.0, 3.0], [1.0, 0.0, 3.0]), ValueError,
     "err has exact zeros: the order is undefined there"),
])
def test_error_messages(call, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        call()


# --- unit tests: ladders, eigensolves, bins, the fit ------------------------------


def test_ladders():
    assert np.allclose(spectra.box_levels(3, L=2.0), np.pi**2 * np.array([1, 4, 9]) / 8)
    assert spectra.oscillator_levels(2, omega=3.0).tolist() == [1.5, 4.5]


def test_box_eigensolve_matches_discrete_closed_form_and_converges():
    for n in (20, 200):
        e = spectra.box_eigensolve(n, 4)
        assert np.allclose(e, spectra.box_fd_levels_exact(n, 4), rtol=1e-10)
    h = 1.0 / (np.array([50, 100, 200, 400]) + 1)
    err = [spectra.box_eigensolve(n, 1)[0] - spectra.box_levels(1)[0] for n in (50, 100, 200, 400)]
    p, se = spectra.convergence_order(h, err)
    assert abs(p - 2.0) < 0.01


def test_oscillator_eigensolve_converges_to_ladder():
    e = spectra.oscillator_eigensolve(2000, 4)
    assert np.allclose(e, spectra.oscillator_levels(4), atol=1e-4)


def test_box_bins_and_density():
    p = spectra.box_bin_probabilities(3, 30)
    assert p.sum() == pytest.approx(1.0, abs=1e-15) and np.all(p >= 0)
    x = np.linspace(0, 1, 200001)
    assert np.trapezoid(spectra.box_density(x, 2), x) == pytest.approx(1.0, rel=1e-9)
    assert spectra.box_density([-0.1, 1.1], 1).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("call,match", [
    (lambda: spectra.box_levels(0), "n_levels must be >= 1"),
    (lambda: spectra.box_levels(2.5), "n_levels must be an int"),
    (lambda: spectra.box_levels(2, L=-1), "L must be > 0"),
    (lambda: spectra.box_eigensolve(3, 5), "exceeds"),
    (lambda: spectra.convergence_order([1, 2], [1, 2]), "at least 3"),
    (lambda: spectra.convergence_order([1, 2, 3], [1, 0, 2]), "exact zeros"),
])
def test_spectra_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_regression_convergence_order_needs_distinct_spacings():
    # all-equal h used to leak a RuntimeWarning and return se = nan (benchmarks/mutation.md)
    with pytest.raises(ValueError, match="h must contain at least two distinct values"):
        spectra.convergence_order([0.1, 0.1, 0.1], [1.0, 2.0, 3.0])


# --- convergence_order refuses spacings that cannot give a slope --------------------
# Written to kill a surviving mutant found by mutation testing (benchmarks/mutation.md):
# the regression test above matched the "two distinct values" message as a substring.


@pytest.mark.parametrize("h", [[0.1, 0.1, 0.1], [2.0, 2.0, 2.0, 2.0]])
def test_equal_spacings_are_refused(h):
    with pytest.raises(ValueError, match="^" + re.escape("h must contain at least two distinct values") + "$"):
        spectra.convergence_order(h, [1.0, 2.0, 3.0, 4.0][:len(h)])
