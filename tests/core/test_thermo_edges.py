"""umlib.core.thermo: behaviour pinned by the mutation-testing review (benchmarks/mutation.md).

Every expected value is derived (closed form, the decimal oracle, or an independent
1-D computation), never copied from the library's own output.
"""

import math
import re
import warnings

import numpy as np
import pytest

from umlib.core import thermo

E_FUNCS = [thermo.gibbs, thermo.log_z, thermo.free_energy, thermo.mean_energy,
           thermo.heat_capacity, thermo.gibbs_entropy]
Z_FUNCS = [thermo.softmax, thermo.log_softmax]
TINY = 2.2250738585072014e-308          # smallest normal float64


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
    assert thermo.partition_function_reference(E) == pytest.approx(Z1, rel=1e-15)
    assert thermo.log_z_reference(E) == pytest.approx(math.log(Z1), rel=1e-15)
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
    assert thermo.partition_function_reference([0.0, np.inf], 1.0) == 1.0
    assert thermo.log_z_reference([0.0, np.inf], 1.0) == 0.0
    st = thermo.thermo_state([0.0, np.inf], 1.0)
    assert st.p.tolist() == [1.0, 0.0] and st.log_Z == 0.0


def test_reference_digits_bounds():
    # 17 significant digits is the smallest precision accepted, and it is enough
    # for ln 2 to be correctly rounded
    assert thermo.log_z_reference([0.0, 0.0], 1.0, digits=17) == math.log(2)
    assert thermo.partition_function_reference([0.0, 0.0], 1.0, digits=17) == 2.0
    for bad in (16, 20.0, "40"):
        with pytest.raises(ValueError, match=full(f"digits must be an int >= 17, got {bad!r}")):
            thermo.log_z_reference([0.0], 1.0, digits=bad)


def test_reference_smallest_normal_Z_is_accepted_and_below_it_is_not():
    # found by search: these two energies give a Z that rounds to exactly the smallest
    # normal float, which is representable and must be returned
    E = [708.3964185322642, 738.4783922640778]
    assert thermo.partition_function_reference(E, 1.0) == TINY
    with pytest.raises(OverflowError, match=full(
            "ln Z is outside the float range for these E and T")):
        thermo.partition_function_reference(E[:1], 1.0)       # e^-E0 alone is subnormal
    assert thermo.log_z_reference(E[:1], 1.0) == pytest.approx(-E[0], rel=1e-16)


def test_reference_ln_Z_overflow_is_an_error():
    with pytest.raises(OverflowError, match=full(
            "ln Z is outside the float range for these E and T")):
        thermo.log_z_reference([-1e308], 1e-10)


def test_reference_matches_closed_form_for_many_levels():
    # equally spaced ladder: Z = (1 - q^N)/(1 - q), q = e^{-1/T}
    N, T = 60, 2.0
    q = math.exp(-1.0 / T)
    E = np.arange(N, dtype=float)
    assert thermo.log_z_reference(E, T) == pytest.approx(
        math.log((1 - q**N) / (1 - q)), rel=2e-16)


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
    for f in (thermo.log_z_reference, thermo.partition_function_reference):
        c += [
            (f, ([np.nan],), ValueError, "E contains NaN"),
            (f, ([0.0], 0.0), ValueError, "T must be > 0, got 0.0"),
            (f, ([[0.0]],), ValueError, "E must be one-dimensional, got shape (1, 1)"),
            (f, ([np.inf],), ValueError, "E: every state is forbidden (+inf)"),
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
