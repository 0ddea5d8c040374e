"""Unit, edge-case and property tests of umlib.core.thermo (Part III's library core).

Many of these tests were written in the mutation-testing review (benchmarks/mutation.md)
to pin behaviour that a surviving mutant had changed: documented defaults, the axis
argument and the shapes of results, exact values, quiet floating point under a strict
policy, and error messages matched whole (among them ``partition_function``'s
"Z overflows" message, which a regression test matched only as a substring).  Every
expected value there is derived (closed form, the decimal oracle, or an independent 1-D
computation), never copied from the library's own output.  The decimal oracle itself,
:mod:`umlib.core.reference`, is tested in test_reference.py.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from umlib.core import thermo
from umlib.book.gates import ulp_distance
from umlib.core import reference


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
    ref = reference.log_z_reference(E, T)
    scale = abs(E.min()) / T + math.log(E.size) + 1.0   # condition of the sum -E0/T + ln s
    assert abs(lz - ref) <= 4 * 2.0 ** -52 * scale


def test_direct_partition_function_matches_reference_and_log_route():
    E = np.array([0.5, 1.5, 2.5, 3.5])
    for T in [0.1, 1.0, 10.0]:
        Z = thermo.partition_function(E, T)
        Zr = reference.partition_function_reference(E, T)
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


# === behaviour pinned by the mutation-testing review (benchmarks/mutation.md) =======


E_FUNCS = [thermo.gibbs, thermo.log_z, thermo.free_energy, thermo.mean_energy,
           thermo.heat_capacity, thermo.gibbs_entropy]


Z_FUNCS = [thermo.softmax, thermo.log_softmax]


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


# --- defaults are the documented ones ------------------------------------------
@pytest.mark.parametrize("f", E_FUNCS + Z_FUNCS)
def test_default_temperature_is_one(f):
    E = np.array([0.0, 0.4, 1.7])
    assert np.array_equal(np.asarray(f(E)), np.asarray(f(E, 1.0)))
    assert not np.array_equal(np.asarray(f(E)), np.asarray(f(E, 2.0)))


def test_default_temperature_of_the_scalar_routes():
    E = [0.0, 0.4, 1.7]
    Z1 = sum(math.exp(-e) for e in E)
    assert thermo.partition_function(E) == pytest.approx(Z1, rel=1e-15)
    assert reference.partition_function_reference(E) == pytest.approx(Z1, rel=1e-15)
    assert reference.log_z_reference(E) == pytest.approx(math.log(Z1), rel=1e-15)
    st = thermo.thermo_state(E)
    assert st.T == 1.0 and st.F == pytest.approx(-math.log(Z1), rel=1e-15)


# --- the axis argument and the shapes of results ---------------------------------

# rows on very different scales: a shift by the *global* extreme instead of the row's
# own would underflow every weight of one row (0/0)
M = np.array([[0.0, 1.0, 3.0], [1000.0, 1001.5, 1000.25]])


@pytest.mark.parametrize("f", E_FUNCS + Z_FUNCS)
@pytest.mark.parametrize("axis", [-1, 1])
def test_rows_are_independent_along_the_last_axis(f, axis):
    out = np.asarray(f(M, 0.7, axis=axis))
    for i in range(M.shape[0]):
        assert np.array_equal(out[i], np.asarray(f(M[i], 0.7))), (f.__name__, i)


@pytest.mark.parametrize("f", E_FUNCS + Z_FUNCS)
@pytest.mark.parametrize("axis", [0, -2])
def test_columns_are_independent_along_axis_0(f, axis):
    A = M.T                                            # shape (3, 2): not square
    out = np.asarray(f(A, 0.7, axis=axis))
    for j in range(A.shape[1]):
        assert np.array_equal(out[..., j], np.asarray(f(A[:, j], 0.7))), (f.__name__, j)


@pytest.mark.parametrize("f", E_FUNCS + Z_FUNCS)
def test_square_input_along_both_axes(f):
    S = np.array([[0.0, 2.0], [5.0, 0.5]])
    for axis in (0, 1):
        out = np.asarray(f(S, 1.3, axis=axis))
        ref = [np.asarray(f(np.take(S, k, axis=1 - axis), 1.3)) for k in range(2)]
        want = np.array(ref) if ref[0].ndim == 0 else np.stack(ref, axis=1 - axis)
        assert np.array_equal(out, want), (f.__name__, axis)


@pytest.mark.parametrize("f", [thermo.log_z, thermo.free_energy, thermo.mean_energy,
                               thermo.heat_capacity, thermo.gibbs_entropy])
def test_reductions_drop_only_the_reduced_axis(f):
    E = np.zeros((1, 3))
    assert np.shape(f(E, 1.0)) == (1,)
    assert np.shape(f(E, 1.0, axis=0)) == (3,)
    assert np.shape(f(np.zeros((2, 1, 4)), 1.0, axis=1)) == (2, 4)
    r = f([0.0, 1.0], 1.0)
    assert type(r) is float                            # 1-D input: a Python float
    assert isinstance(f(np.zeros((2, 3)), 1.0), np.ndarray)


def test_shannon_entropy_axis_and_types():
    P = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])     # each row sums to 1
    H = thermo.shannon_entropy(P, axis=1)
    assert isinstance(H, np.ndarray) and H.shape == (3,)
    assert H[0] == 1.0 and H[1] == 0.0
    assert H[2] == pytest.approx(-(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75)), rel=1e-15)
    assert np.array_equal(thermo.shannon_entropy(P.T, axis=0), H)
    assert type(thermo.shannon_entropy([0.5, 0.5])) is float
    with pytest.raises(ValueError, match=full("p must sum to 1 along the axis (within 1e-9)")):
        thermo.shannon_entropy(P, axis=0)                     # columns do not sum to 1


# --- exact values ---------------------------------------------------------------
def test_log_softmax_is_the_log_of_softmax():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    for T in (0.5, 1.0, 3.0):
        lse = math.log(sum(math.exp(v / T) for v in z))
        assert np.allclose(thermo.log_softmax(z, T), z / T - lse, rtol=0, atol=1e-15)
    assert thermo.log_softmax([5.0], 2.0).tolist() == [0.0]


def test_entropies_of_pure_states_are_plus_zero():
    for S in (thermo.gibbs_entropy([0.0, np.inf], 1.0), thermo.gibbs_entropy([3.0], 0.1),
              thermo.shannon_entropy([1.0, 0.0]), thermo.shannon_entropy([0.0, 1.0], math.e),
              thermo.shannon_entropy([1.0], 10.0)):
        assert S == 0.0 and math.copysign(1.0, S) == 1.0


def test_shannon_entropy_other_bases():
    assert thermo.shannon_entropy([1 / 3] * 3, base=3.0) == pytest.approx(1.0, rel=1e-15)
    assert thermo.shannon_entropy([0.125] * 8) == 3.0
    assert thermo.shannon_entropy([0.5, 0.5], base=10.0) == pytest.approx(math.log10(2), rel=1e-15)
    assert thermo.shannon_entropy([0.5, 0.5], base=0.5) == pytest.approx(-1.0, rel=1e-15)


def test_shannon_entropy_zero_entries_are_quiet_in_every_base():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for base in (2.0, math.e, 3.0):
            H = thermo.shannon_entropy([0.5, 0.0, 0.5], base=base)
            assert H == pytest.approx(math.log(2) / math.log(base), rel=1e-15)


def test_heat_capacity_and_entropy_of_a_degenerate_ground_level():
    # two ground states and one excited state: C, U, S from the closed forms
    T = 0.8
    w = np.array([1.0, 1.0, math.exp(-1.0 / T)])
    p = w / w.sum()
    E = np.array([0.0, 0.0, 1.0])
    U = p[2]
    assert thermo.mean_energy(E, T) == pytest.approx(U, rel=1e-14)
    assert thermo.heat_capacity(E, T) == pytest.approx((U - U * U) / T**2, rel=1e-13)
    assert thermo.gibbs_entropy(E, T) == pytest.approx(-(p * np.log(p)).sum(), rel=1e-14)
    assert thermo.heat_capacity([0.0, 0.0], 1e-300) == 0.0


def test_mean_energy_with_forbidden_state_is_exact():
    assert thermo.mean_energy([1.0, np.inf, 3.0], 1e300) == 2.0


# --- quiet even under a strict floating-point policy -----------------------------
def test_everything_is_quiet_under_errstate_raise():
    """The library ignores under/overflow *itself*; a caller's np.seterr(all='raise')
    (a common way to make a notebook strict) must not break it."""
    with np.errstate(all="raise"):
        assert thermo.softmax([1e308, -1e308], 1e-300).tolist() == [1.0, 0.0]
        # (z - zmax)/T and (E - E0)/T underflow to subnormals; e^x underflows to 0
        assert thermo.softmax([0.0, -1e-300], 1e10).tolist() == [0.5, 0.5]
        assert thermo.gibbs([0.0, 1e-300], 1e10).tolist() == [0.5, 0.5]
        assert thermo.softmax([0.0, -1000.0], 1e-3).tolist() == [1.0, 0.0]
        assert thermo.log_softmax([1e308, -1e308], 1e-300)[0] == 0.0
        assert thermo.gibbs([-1e308, 1e308], 1e-300).tolist() == [1.0, 0.0]
        E = [0.0, 1000.0]
        T = 1e-3
        assert thermo.gibbs(E, T).tolist() == [1.0, 0.0]
        assert thermo.log_softmax([0.0, -1000.0], T).tolist() == [0.0, -1e6]
        assert thermo.log_z(E, T) == 0.0
        assert thermo.free_energy(E, T) == 0.0
        assert thermo.mean_energy(E, T) == 0.0
        assert thermo.heat_capacity(E, T) == 0.0
        assert thermo.gibbs_entropy(E, T) == 0.0
        assert thermo.gibbs_entropy([0.0, np.inf], 1.0) == 0.0
        assert thermo.partition_function([0.0, 800.0], 1.0) == 1.0
        st = thermo.thermo_state(E, T)
        assert st.p.tolist() == [1.0, 0.0] and st.H_bits == 0.0


# --- partition functions and the decimal oracle ------------------------------------
def test_partition_function_accepts_forbidden_states():
    assert thermo.partition_function([0.0, np.inf], 1.0) == 1.0
    assert reference.partition_function_reference([0.0, np.inf], 1.0) == 1.0
    assert reference.log_z_reference([0.0, np.inf], 1.0) == 0.0
    st = thermo.thermo_state([0.0, np.inf], 1.0)
    assert st.p.tolist() == [1.0, 0.0] and st.log_Z == 0.0


# --- error messages name the argument and say what is wrong ------------------------
def _cases():
    c = []
    for f in Z_FUNCS:
        c += [
            (f, ([-np.inf, -np.inf],), ValueError,
             "z: every score along the axis is -inf (no allowed outcome)"),
            (f, (1.0,), ValueError, "z must have at least one dimension"),
            (f, ([np.nan],), ValueError, "z contains NaN"),
            (f, ([0.0], 0.0), ValueError, "T must be > 0, got 0.0"),
            (f, ([0.0, 1.0], 1.0, 1), ValueError,
             "axis=1 is out of range for an array of 1 dimension(s)"),
            (f, ([0.0, 1.0], 1.0, 0.0), TypeError, "axis must be an int, got float"),
        ]
    for f in E_FUNCS:
        c += [
            (f, ([np.inf, np.inf],), ValueError,
             "E: every state along the axis is forbidden (+inf)"),
            (f, ([[0.0, np.inf], [np.inf, np.inf]], 1.0, 1), ValueError,
             "E: every state along the axis is forbidden (+inf)"),
            (f, (1.0,), ValueError, "E must have at least one dimension"),
            (f, ([0.0], -1.0), ValueError, "T must be > 0, got -1.0"),
            (f, ([0.0, 1.0], 1.0, -2), ValueError,
             "axis=-2 is out of range for an array of 1 dimension(s)"),
        ]
    pf = thermo.partition_function
    c += [
        (thermo.log_z, ([1e300, 2e300], 1e-300), OverflowError,
         "ln Z is outside the float range for these E and T (``|E0|/T`` overflows); "
         "use free_energy(E, T) instead"),
        (pf, ([np.nan],), ValueError, "E contains NaN"),
        (pf, ([0.0], np.nan), ValueError, "T is NaN"),
        (pf, ([[0.0, 1.0]],), ValueError, "E must be one-dimensional, got shape (1, 2)"),
        (pf, ([np.inf, np.inf],), ValueError, "E: every state is forbidden (+inf)"),
        (pf, ([-1000.0, 0.0],), OverflowError,
         "a Boltzmann factor exp(-E/T) overflows for these E and T; use log_z"),
        (pf, ([1000.0, 2000.0],), OverflowError,
         "Z underflows to 0 for these E and T; use log_z"),
    ]
    sh = thermo.shannon_entropy
    c += [
        (sh, ([np.nan, 1.0],), ValueError, "p contains NaN"),
        (sh, (1.0,), ValueError, "p must have at least one dimension"),
        (sh, ([1.5, -0.5],), ValueError, "p contains negative entries"),
        (sh, ([0.5, 0.6],), ValueError, "p must sum to 1 along the axis (within 1e-9)"),
        (sh, ([1.0], 0.0), ValueError, "base must be > 0, got 0.0"),
        (sh, ([1.0], 1.0), ValueError, "base must not be 1"),
        (sh, ([1.0], 2.0, 1), ValueError,
         "axis=1 is out of range for an array of 1 dimension(s)"),
        (thermo.thermo_state, ([np.nan],), ValueError, "E contains NaN"),
        (thermo.thermo_state, ([0.0], np.inf), ValueError, "T must be finite, got inf"),
        (thermo.thermo_state, ([[0.0]],), ValueError,
         "E must be one-dimensional, got shape (1, 1)"),
    ]
    return c


CASES = _cases()


@pytest.mark.parametrize("f,args,exc,msg", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_error_messages(f, args, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        f(*args)


# --- thermo_state bundles the right things ---------------------------------------
def test_thermo_state_fields_are_the_module_functions():
    E = np.array([0.0, 0.3, 1.0, 2.5])
    T = 0.6
    st = thermo.thermo_state(E, T)
    assert st.T == T
    assert np.array_equal(st.p, thermo.gibbs(E, T))
    assert st.log_Z == thermo.log_z(E, T)
    assert st.F == thermo.free_energy(E, T)
    assert st.U == thermo.mean_energy(E, T)
    assert st.S_nats == thermo.gibbs_entropy(E, T)
    assert st.C == thermo.heat_capacity(E, T)
    assert st.H_bits == pytest.approx(st.S_nats / math.log(2), rel=1e-14)
    assert st.argmax == 0
    st2 = thermo.thermo_state([2.0, 0.5, 1.0], 0.3)
    assert st2.argmax == 1 and type(st2.argmax) is int


# --- partition_function's overflow messages, matched whole -------------------------
# Written to kill a surviving mutant found by mutation testing (benchmarks/mutation.md):
# the regression test above matches the "Z overflows" message as a substring, so a
# message with text added around it survived.


def test_sum_overflow_message_is_exact():
    """Two finite Boltzmann factors whose sum overflows (math.fsum's intermediate overflow)."""
    with pytest.raises(OverflowError, match="^" + re.escape("Z overflows for these E and T; use log_z") + "$"):
        thermo.partition_function([-709.7, -709.7])


def test_sum_overflow_message_is_exact_at_another_temperature():
    with pytest.raises(OverflowError, match="^" + re.escape("Z overflows for these E and T; use log_z") + "$"):
        thermo.partition_function([-7.097, -7.097, 0.0], T=0.01)
