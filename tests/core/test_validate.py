"""umlib.core.validate: the exact contract of the argument checks every module relies on.

Written from the mutation-testing review (benchmarks/mutation.md): each test pins
behaviour that a surviving mutant had changed without any test noticing.  Error
messages are matched in full (anchored) because the message *is* the contract:
it must name the argument and say what is wrong.
"""

import re

import numpy as np
import pytest

from umlib.core.validate import as_rng, check_axis, positive_scalar, real_array


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
