"""Unit, edge-case and property tests of umlib.core.thermo (Part III's library core)."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from umlib.core import thermo
from umlib.book.gates import ulp_distance

FUNCS_E = [thermo.gibbs, thermo.log_z, thermo.free_energy, thermo.mean_energy,
           thermo.heat_capacity, thermo.gibbs_entropy]

spectrum = arrays(np.float64, st.integers(1, 12),
                  elements=st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False))
temperature = st.floats(1e-300, 1e300)


# --- the identity -----------------------------------------------------------

@given(E=spectrum, T=temperature)
@settings(max_examples=300, deadline=None)
def test_gibbs_is_softmax_of_minus_E_bit_for_bit(E, T):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, b = thermo.gibbs(E, T), thermo.softmax(-E, T)
    assert np.array_equal(a.view(np.uint64), b.view(np.uint64))


@given(E=spectrum, T=temperature)
@settings(max_examples=300, deadline=None)
def test_probabilities_are_a_distribution_and_quiet(E, T):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = thermo.gibbs(E, T)
        S = thermo.gibbs_entropy(E, T)
        H = thermo.shannon_entropy(p)
        C = thermo.heat_capacity(E, T)
        F = thermo.free_energy(E, T)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert abs(p.sum() - 1.0) <= 2 * E.size * 2.0 ** -52
    assert p[np.argmin(E)] == p.max()                 # the ground state is the most likely
    assert 0.0 <= S <= math.log(E.size) * (1 + 1e-12) + 1e-15
    assert abs(S - H * math.log(2)) <= 4 * E.size * 2.0 ** -53 * max(1.0, S) + 1e-300
    assert math.isfinite(C) and C >= 0 and math.isfinite(F)
    assert F <= E.min()   # F = E0 - T ln s with s >= 1: exact in floating point too


@given(E=spectrum, T=st.floats(1e-3, 1e3), shift=st.floats(-1e3, 1e3))
@settings(max_examples=200, deadline=None)
def test_shifting_energies_leaves_probabilities_and_shifts_F(E, T, shift):
    E = E / max(1.0, float(np.abs(E).max())) * 100.0   # moderate spread: shifting is exact-ish
    p, q = thermo.gibbs(E, T), thermo.gibbs(E + shift, T)
    assert np.allclose(p, q, rtol=1e-9, atol=1e-300)
    F1, F2 = thermo.free_energy(E, T), thermo.free_energy(E + shift, T)
    assert F2 - F1 == pytest.approx(shift, rel=1e-9, abs=1e-9 * (1 + abs(F1)))


@given(E=arrays(np.float64, st.integers(1, 10), elements=st.floats(-50, 50)),
       T=st.floats(0.05, 50))
@settings(max_examples=200, deadline=None)
def test_log_partition_agrees_with_decimal_oracle(E, T):
    lz = thermo.log_z(E, T)
    ref = thermo.log_z_reference(E, T)
    scale = abs(E.min()) / T + math.log(E.size) + 1.0   # condition of the sum -E0/T + ln s
    assert abs(lz - ref) <= 4 * 2.0 ** -52 * scale


def test_direct_partition_function_matches_reference_and_log_route():
    E = np.array([0.5, 1.5, 2.5, 3.5])
    for T in [0.1, 1.0, 10.0]:
        Z = thermo.partition_function(E, T)
        Zr = thermo.partition_function_reference(E, T)
        assert ulp_distance(Z, Zr) <= abs(math.log(Zr)) + 3
        assert ulp_distance(Z, math.exp(thermo.log_z(E, T))) <= 4 + abs(math.log(Zr))


def test_two_level_closed_forms():
    # p1 = 1/(1+e^{1/T}); U = p1; C = (1/T)^2 p0 p1; S = -p0 ln p0 - p1 ln p1
    for T in [0.2, 1.0, 5.0]:
        p1 = 1.0 / (1.0 + math.exp(1.0 / T))
        p0 = 1.0 - p1
        assert thermo.gibbs([0.0, 1.0], T)[1] == pytest.approx(p1, rel=1e-14)
        assert thermo.mean_energy([0.0, 1.0], T) == pytest.approx(p1, rel=1e-14)
        assert thermo.heat_capacity([0.0, 1.0], T) == pytest.approx(p0 * p1 / T**2, rel=1e-12)
        assert thermo.gibbs_entropy([0.0, 1.0], T) == pytest.approx(
            -p0 * math.log(p0) - p1 * math.log(p1), rel=1e-13)
        assert thermo.free_energy([0.0, 1.0], T) == pytest.approx(
            -T * math.log(1 + math.exp(-1 / T)), rel=1e-14)


def test_heat_capacity_is_derivative_of_mean_energy():
    E = np.array([0.0, 0.7, 1.1, 3.0])
    for T in [0.3, 1.0, 3.0]:
        h = 1e-5 * T
        dU = (thermo.mean_energy(E, T + h) - thermo.mean_energy(E, T - h)) / (2 * h)
        assert thermo.heat_capacity(E, T) == pytest.approx(dU, rel=1e-7)


def test_entropy_is_U_minus_F_over_kT():
    E = np.array([0.0, 0.7, 1.1, 3.0])
    for T in [0.3, 1.0, 3.0]:
        S = (thermo.mean_energy(E, T) - thermo.free_energy(E, T)) / T
        assert thermo.gibbs_entropy(E, T) == pytest.approx(S, rel=1e-13)


# --- limits and extremes -----------------------------------------------------

def test_limits_are_exact():
    E = np.array([3.0, 1.0, 2.0])
    assert thermo.gibbs(E, 1e-300).tolist() == [0.0, 1.0, 0.0]
    assert thermo.gibbs(E, 1e300).tolist() == [1 / 3] * 3
    assert thermo.gibbs(E, 5e-324).tolist() == [0.0, 1.0, 0.0]   # subnormal T


@pytest.mark.parametrize("T", [1e-300, 1e-10, 1.0, 1e10, 1e300])
def test_extreme_spreads_are_quiet(T):
    E = np.array([-1e300, 0.0, 1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for f in [thermo.gibbs, thermo.free_energy, thermo.mean_energy, thermo.heat_capacity,
                  thermo.gibbs_entropy]:
            out = np.asarray(f(E, T))
            assert np.all(np.isfinite(out)), f.__name__


def test_spread_beyond_float_range_takes_the_limit():
    p = thermo.gibbs([-1e308, 1e308], 1e308)     # E - E0 overflows; rescaled instead
    assert p[0] == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-15)
    assert np.array_equal(p, thermo.softmax([1e308, -1e308], 1e308))


def test_forbidden_states_have_probability_zero():
    E = np.array([0.0, np.inf, 1.0])
    p = thermo.gibbs(E, 1.0)
    assert p[1] == 0.0 and p.sum() == pytest.approx(1.0)
    assert math.isfinite(thermo.mean_energy(E, 1.0))
    assert math.isfinite(thermo.heat_capacity(E, 1.0))
    assert thermo.gibbs_entropy(E, 1.0) == pytest.approx(thermo.gibbs_entropy([0.0, 1.0], 1.0))
    assert thermo.softmax([0.0, -np.inf]).tolist() == [1.0, 0.0]
    assert thermo.log_softmax([0.0, -np.inf])[1] == -np.inf


def test_log_partition_overflow_is_a_clear_error():
    with pytest.raises(OverflowError, match="free_energy"):
        thermo.log_z([1e300, 2e300], 1e-300)
    assert thermo.free_energy([1e300, 2e300], 1e-300) == 1e300
    with pytest.raises(OverflowError, match="log_z"):
        thermo.partition_function([-1000.0, 0.0], 1.0)
    with pytest.raises(OverflowError, match="underflows"):
        thermo.partition_function([1000.0, 2000.0], 1.0)


def test_axis_argument():
    z = np.array([[1.0, 2.0], [3.0, 5.0]])
    p0 = thermo.softmax(z, 1.0, axis=0)
    assert np.allclose(p0.sum(axis=0), 1.0)
    assert np.array_equal(thermo.softmax(z, 2.0, axis=-1)[1], thermo.softmax(z[1], 2.0))
    assert np.array_equal(thermo.gibbs(-z, 2.0, axis=0), thermo.softmax(z, 2.0, axis=0))
    assert thermo.log_z(z, 1.0, axis=1).shape == (2,)


def test_temperature_scales_scores():
    z = np.array([0.3, -1.2, 2.0])
    assert np.allclose(thermo.softmax(z, 2.0), thermo.softmax(z / 2.0, 1.0), rtol=1e-15)


# --- bad input: a clear error naming the argument ------------------------------

@pytest.mark.parametrize("f", FUNCS_E)
@pytest.mark.parametrize("E,match", [
    ([], "E must have at least 1"),
    ([0.0, np.nan], "E contains NaN"),
    ([0.0, -np.inf], "E contains -inf"),
    ([np.inf, np.inf], "every state"),
    (5.0, "at least one dimension"),
    (["a", "b"], "E must hold real numbers"),
    ([1 + 2j], "E must hold real numbers"),
])
def test_bad_energies(f, E, match):
    with pytest.raises((ValueError, TypeError), match=match):
        f(E, 1.0)


@pytest.mark.parametrize("f", FUNCS_E + [lambda E, T: thermo.softmax(E, T)])
@pytest.mark.parametrize("T,match", [(0.0, "> 0"), (-1.0, "> 0"), (np.nan, "NaN"),
                                      (np.inf, "finite"), ("1", "real scalar"),
                                      ([1.0, 2.0], "real scalar"), (True, "real scalar")])
def test_bad_temperatures(f, T, match):
    with pytest.raises((ValueError, TypeError), match=match):
        f([0.0, 1.0], T)


def test_bad_axis_and_scores():
    with pytest.raises(ValueError, match="axis=2"):
        thermo.softmax([1.0, 2.0], 1.0, axis=2)
    with pytest.raises(ValueError, match="z contains \\+inf"):
        thermo.softmax([np.inf, 0.0])
    with pytest.raises(ValueError, match="every score"):
        thermo.softmax([-np.inf, -np.inf])


def test_shannon_entropy_inputs():
    assert thermo.shannon_entropy([1.0, 0.0]) == 0.0
    assert thermo.shannon_entropy([0.5, 0.5], base=math.e) == pytest.approx(math.log(2))
    assert thermo.shannon_entropy([0.25] * 4, base=4.0) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="sum to 1"):
        thermo.shannon_entropy([0.5, 0.6])
    with pytest.raises(ValueError, match="negative"):
        thermo.shannon_entropy([1.5, -0.5])
    with pytest.raises(ValueError, match="base must not be 1"):
        thermo.shannon_entropy([1.0], base=1.0)


def test_thermo_state_bundles_consistent_values():
    E = np.array([0.0, 1.0, 2.5])
    s = thermo.thermo_state(E, 0.8)
    assert np.array_equal(s.p, thermo.gibbs(E, 0.8))
    assert s.S_nats == thermo.gibbs_entropy(E, 0.8)
    assert s.F == pytest.approx(-0.8 * s.log_Z)
    assert s.argmax == 0


def test_regression_fsum_intermediate_overflow_gets_the_documented_message():
    # two finite Boltzmann factors whose sum overflows: math.fsum raises its own
    # OverflowError first (found by mutation testing, benchmarks/mutation.md)
    with pytest.raises(OverflowError, match="Z overflows for these E and T; use log_z"):
        thermo.partition_function([-709.7, -709.7], 1.0)
