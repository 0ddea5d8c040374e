"""umlib.core.validate: the exact contract of the argument checks every module relies on
(real_array, positive_scalar, check_axis, as_rng, real_scalar, count, class_labels, spins,
fraction, mapping and vector).

Written from the mutation-testing review (benchmarks/mutation.md): each test pins
behaviour that a surviving mutant had changed without any test noticing.  Error
messages are matched in full (anchored) because the message *is* the contract:
it must name the argument and say what is wrong.
"""

import re
from collections import OrderedDict
from types import MappingProxyType

import numpy as np
import pytest

from umlib.core.validate import (as_rng, check_axis, class_labels, count, fraction, mapping,
                                 positive_scalar, real_array, real_scalar, spins, vector)


def full(msg: str) -> str:
    """An anchored regex matching exactly ``msg``."""
    return "^" + re.escape(msg) + "$"


# --- real_array ----------------------------------------------------------------
def test_ragged_input_is_a_value_error_naming_the_argument():
    with pytest.raises(ValueError, match=r"^E must be an array of real numbers \(.+\)$"):
        real_array("E", [[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("x,msg", [
    ([np.nan], "E contains NaN"),
    ([np.inf], "E contains +inf"),
    ([-np.inf], "E contains -inf"),
    ([], "E must have at least 1 element(s), got 0"),
])
def test_real_array_value_messages(x, msg):
    with pytest.raises(ValueError, match=full(msg)):
        real_array("E", x)


@pytest.mark.parametrize("x,dtype", [(["a"], "<U1"), ([1 + 2j], "complex128"),
                                     (np.array([1, None], dtype=object), "object")])
def test_real_array_type_messages(x, dtype):
    with pytest.raises(TypeError, match=full(f"E must hold real numbers, got dtype {dtype}")):
        real_array("E", x)


def test_real_array_accepts_bool_int_float_and_returns_float64():
    for x in ([True, False], np.array([1, 2], dtype=np.int8), np.array([3], dtype=np.uint16),
              np.array([0.5], dtype=np.float32)):
        out = real_array("x", x)
        assert out.dtype == np.float64
        assert out.tolist() == np.asarray(x).astype(float).tolist()


def test_real_array_flags_let_the_allowed_values_through():
    x = [np.nan, np.inf, -np.inf]
    out = real_array("x", x, allow_nan=True, allow_posinf=True, allow_neginf=True)
    assert np.isnan(out[0]) and out[1] == np.inf and out[2] == -np.inf
    assert real_array("x", [], min_size=0).shape == (0,)


# --- positive_scalar -----------------------------------------------------------
def test_positive_scalar_accepts_zero_dimensional_arrays_and_numpy_scalars():
    assert positive_scalar("T", np.array(2.5)) == 2.5
    assert type(positive_scalar("T", np.array(2.5))) is float
    assert positive_scalar("T", np.array(3, dtype=np.int64)) == 3.0
    assert type(positive_scalar("T", np.float32(0.5))) is float
    assert positive_scalar("T", 5e-324) == 5e-324          # the smallest subnormal is > 0


@pytest.mark.parametrize("x,exc,msg", [
    ("1", TypeError, "T must be a real scalar, got str"),
    ([1.0], TypeError, "T must be a real scalar, got list"),
    (np.array([1.0]), TypeError, "T must be a real scalar, got ndarray"),
    (True, TypeError, "T must be a real scalar, got bool"),
    (np.array(True), TypeError, "T must be a real scalar, got ndarray"),
    (np.nan, ValueError, "T is NaN"),
    (np.inf, ValueError, "T must be finite, got inf"),
    (-np.inf, ValueError, "T must be finite, got -inf"),
    (0.0, ValueError, "T must be > 0, got 0.0"),
    (-0.0, ValueError, "T must be > 0, got -0.0"),
    (-2, ValueError, "T must be > 0, got -2.0"),
])
def test_positive_scalar_messages(x, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        positive_scalar("T", x)


# --- check_axis ----------------------------------------------------------------
@pytest.mark.parametrize("axis,ndim,expected", [(0, 1, 0), (-1, 1, 0), (-2, 2, 0), (1, 2, 1),
                                                (-1, 3, 2), (np.int64(-3), 3, 0)])
def test_check_axis_normalises(axis, ndim, expected):
    out = check_axis("axis", axis, ndim)
    assert out == expected and type(out) is int


@pytest.mark.parametrize("axis,ndim", [(1, 1), (-2, 1), (2, 2), (-3, 2)])
def test_check_axis_rejects_out_of_range_including_the_first_index_past_the_end(axis, ndim):
    with pytest.raises(ValueError, match=full(
            f"axis={axis} is out of range for an array of {ndim} dimension(s)")):
        check_axis("axis", axis, ndim)


@pytest.mark.parametrize("axis,tname", [(1.0, "float"), (0.5, "float"), (True, "bool"),
                                        ("0", "str"), (None, "NoneType")])
def test_check_axis_rejects_non_integers(axis, tname):
    with pytest.raises(TypeError, match=full(f"axis must be an int, got {tname}")):
        check_axis("axis", axis, 2)


# --- as_rng --------------------------------------------------------------------
def test_as_rng_passes_generators_through_and_seeds_ints():
    g = np.random.default_rng(1)
    assert as_rng(g) is g
    assert as_rng(7).random() == np.random.default_rng(7).random()
    assert as_rng(np.uint8(7)).random() == np.random.default_rng(7).random()
    assert as_rng(0).random() == np.random.default_rng(0).random()


@pytest.mark.parametrize("rng,tname", [(None, "NoneType"), (1.5, "float"), (True, "bool"),
                                       ("seed", "str"), (np.random.RandomState(0), "RandomState")])
def test_as_rng_rejects_unseeded_or_legacy_generators(rng, tname):
    with pytest.raises(TypeError, match=full(
            "rng must be an int seed or a numpy.random.Generator "
            f"(got {tname}); unseeded randomness is not allowed")):
        as_rng(rng)


def test_as_rng_rejects_negative_seeds():
    with pytest.raises(ValueError, match=full("rng seed must be >= 0, got -1")):
        as_rng(-1)


# === the newer checks: real_scalar, count, class_labels, spins, fraction, mapping, vector
# Written to kill surviving mutants found by mutation testing (benchmarks/mutation.md):
# exact messages, boundaries, return types.


def _raises(exc, msg):
    return pytest.raises(exc, match="^" + re.escape(msg) + "$")


# --- real_scalar --------------------------------------------------------------------------
@pytest.mark.parametrize("x, expected", [
    (3, 3.0), (-2.5, -2.5), (0, 0.0), (np.float32(0.5), 0.5), (np.int64(-7), -7.0),
    (np.uint8(200), 200.0), (np.array(1.25), 1.25), (np.array(4, dtype=np.int16), 4.0),
    (np.array(9, dtype=np.uint32), 9.0),
])
def test_real_scalar_accepts_real_numbers_and_returns_a_python_float(x, expected):
    got = real_scalar("a", x)
    assert type(got) is float and got == expected


@pytest.mark.parametrize("x, tname", [
    (True, "bool"), (np.bool_(False), "bool"), ("1.0", "str"), (None, "NoneType"),
    ([1.0], "list"), (np.array([1.0]), "ndarray"), (np.array(True), "ndarray"),
    (1 + 2j, "complex"), (np.array(1 + 0j), "ndarray"), ([[1.0], [1.0, 2.0]], "list"),
])
def test_real_scalar_type_errors(x, tname):
    with _raises(TypeError, f"a must be a real scalar, got {tname}"):
        real_scalar("a", x)


@pytest.mark.parametrize("x, shown", [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf"),
                                      (np.array(np.inf), "inf")])
def test_real_scalar_non_finite(x, shown):
    with _raises(ValueError, f"a must be finite, got {shown}"):
        real_scalar("a", x)
    got = real_scalar("a", x, finite=False)
    assert type(got) is float
    assert got == float(x) or (np.isnan(got) and np.isnan(float(x)))


def test_real_scalar_default_is_finite():
    with _raises(ValueError, "b must be finite, got inf"):
        real_scalar("b", float("inf"))


# --- count --------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 5, np.int64(3), np.uint8(2), np.int32(1)])
def test_count_accepts_integers_from_one_by_default(n):
    got = count("n", n)
    assert type(got) is int and got == int(n)


@pytest.mark.parametrize("n, tname", [(True, "bool"), (np.bool_(True), "bool"),
                                      (2.0, "float"), (np.float64(2.0), "float64"),
                                      ("2", "str"), (None, "NoneType"),
                                      (np.array(2), "ndarray")])
def test_count_type_errors(n, tname):
    with _raises(TypeError, f"n must be an int, got {tname}"):
        count("n", n)


def test_count_bounds_are_inclusive_and_messages_exact():
    with _raises(ValueError, "n must be an int >= 1, got 0"):
        count("n", 0)
    assert count("n", 0, minimum=0) == 0
    assert count("n", -5, minimum=None) == -5
    with _raises(ValueError, "n must be an int >= 3, got 2"):
        count("n", 2, minimum=3)
    assert count("n", 3, minimum=3) == 3
    assert count("n", 7, maximum=7) == 7
    with _raises(ValueError, "n must be an int <= 7, got 8"):
        count("n", 8, maximum=7)
    assert count("n", 10**30, maximum=None) == 10**30
    with _raises(ValueError, "k must be an int <= 0, got 1"):
        count("k", 1, minimum=None, maximum=0)
    assert count("k", -1, minimum=-1, maximum=-1) == -1


# --- class_labels -------------------------------------------------------------------------
def test_class_labels_returns_int64():
    for lab in ([0, 2, 1], np.array([3], dtype=np.uint8), np.array([0, 0], dtype=np.int32)):
        got = class_labels("y", lab)
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, np.asarray(lab))


@pytest.mark.parametrize("lab", [[], [[0, 1]], [0.0, 1.0], [True, False], ["a"], 3])
def test_class_labels_shape_and_dtype_errors(lab):
    with _raises(ValueError, "y must be a non-empty 1-D integer array of class labels"):
        class_labels("y", lab)


def test_class_labels_refuses_negatives():
    with _raises(ValueError, "y must hold non-negative class labels"):
        class_labels("y", [0, -1, 2])
    assert class_labels("y", [0])[0] == 0


# --- spins --------------------------------------------------------------------------------
@pytest.mark.parametrize("s", [[1, -1], np.array([1.0, -1.0, 1.0]), np.array([[-1]], dtype=np.int8),
                               [1]])
def test_spins_accepts_plus_minus_one_and_keeps_dtype(s):
    got = spins("s", s)
    np.testing.assert_array_equal(got, np.asarray(s))
    assert got.dtype == np.asarray(s).dtype


@pytest.mark.parametrize("s", [[], [1, 0], [1, 2], [-1, 1.5], [np.nan], [0]])
def test_spins_value_errors(s):
    with _raises(ValueError, "s must contain only +1 and -1"):
        spins("s", s)


@pytest.mark.parametrize("s, dt", [(["1"], "<U1"), ([1 + 0j], "complex128"),
                                   (np.array([1], dtype=object), "object")])
def test_spins_type_errors(s, dt):
    with _raises(TypeError, f"s must hold numbers +1/-1, got dtype {dt}"):
        spins("s", s)


# --- fraction -----------------------------------------------------------------------------
@pytest.mark.parametrize("x", [0, 0.0, 0.5, np.float32(0.25), 1 - 2 ** -53])
def test_fraction_accepts_the_half_open_unit_interval(x):
    got = fraction("f", x)
    assert type(got) is float and got == float(x)


@pytest.mark.parametrize("x, shown", [(1.0, "1.0"), (1, "1.0"), (-1e-300, "-1e-300"),
                                      (np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_fraction_out_of_range(x, shown):
    with _raises(ValueError, f"f must be in [0, 1), got {shown}"):
        fraction("f", x)


def test_fraction_type_error():
    with _raises(TypeError, "f must be a real scalar, got str"):
        fraction("f", "0.5")


# --- mapping ------------------------------------------------------------------------------
def test_mapping_returns_the_object_itself():
    for m in ({"a": 1}, OrderedDict(b=2), MappingProxyType({"c": 3})):
        assert mapping("models", m) is m


@pytest.mark.parametrize("x, tname", [([("a", 1)], "list"), (None, "NoneType"), ("ab", "str")])
def test_mapping_type_errors(x, tname):
    with _raises(TypeError, f"models must be a mapping (a dict), got {tname}"):
        mapping("models", x)


def test_mapping_refuses_empty():
    with _raises(ValueError, "models must hold at least one model"):
        mapping("models", {})


# --- vector -------------------------------------------------------------------------------
def test_vector_returns_float64_of_the_right_shape():
    got = vector("v", [1, 2, 3], 3)
    assert got.dtype == np.float64 and got.shape == (3,)
    np.testing.assert_array_equal(got, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("v, d, shown", [([1.0, 2.0], 3, "(2,)"), ([[1.0, 2.0]], 2, "(1, 2)"),
                                         (5.0, 1, "()")])
def test_vector_shape_errors(v, d, shown):
    with _raises(ValueError, f"v must have shape ({d},), got {shown}"):
        vector("v", v, d)


def test_vector_refuses_non_finite():
    with _raises(ValueError, "v contains NaN"):
        vector("v", [1.0, np.nan], 2)
    with _raises(ValueError, "v contains +inf"):
        vector("v", [1.0, np.inf], 2)
