"""Argument validation of the Part V modules (emergence, features, superposition).

Each bad argument must end in a ValueError/TypeError/OverflowError whose message
names it -- never an IndexError, a bare int()/float() conversion error, a NaN or
a numpy warning (warnings are errors in this suite).  The valid answers these
checks guard are pinned alongside, so tightening a check cannot change them.
"""

import re

import numpy as np
import pytest

from umlib.networks import emergence as em, features as ft, superposition as sp
from umlib.core.validate import count, real_scalar


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


# --- the new validators in umlib.core.validate ----------------------------------------

@pytest.mark.parametrize("n", [3, np.int64(3), np.uint8(3)])
def test_count_accepts_python_and_numpy_ints(n):
    out = count("n", n)
    assert out == 3 and type(out) is int


@pytest.mark.parametrize("bad,kind", [(2.5, "float"), (3.0, "float"), ("3", "str"),
                                      (None, "NoneType"), (True, "bool"),
                                      (np.bool_(True), "bool"), (np.nan, "float")])
def test_count_refuses_non_integers(bad, kind):
    with pytest.raises(TypeError, match=full(f"n must be an int, got {kind}")):
        count("n", bad)


def test_count_bounds():
    with pytest.raises(ValueError, match=full("n must be an int >= 1, got 0")):
        count("n", 0)
    with pytest.raises(ValueError, match=full("k must be an int <= 4, got 5")):
        count("k", 5, minimum=0, maximum=4)
    assert count("start", -7, minimum=None) == -7


@pytest.mark.parametrize("x", [0.5, 2, np.float32(0.5), np.int16(2), np.array(0.5)])
def test_real_scalar_accepts_real_numbers(x):
    out = real_scalar("c", x)
    assert out == float(x) and type(out) is float


@pytest.mark.parametrize("bad,kind", [("1", "str"), (None, "NoneType"), ([1.0], "list"),
                                      (True, "bool"), (1 + 2j, "complex"),
                                      ([[1.0], [2.0, 3.0]], "list")])
def test_real_scalar_refuses_non_scalars(bad, kind):
    with pytest.raises(TypeError, match=full(f"c must be a real scalar, got {kind}")):
        real_scalar("c", bad)


def test_real_scalar_finiteness():
    with pytest.raises(ValueError, match=full("c must be finite, got nan")):
        real_scalar("c", np.nan)
    with pytest.raises(ValueError, match=full("c must be finite, got -inf")):
        real_scalar("c", -np.inf)
    assert np.isnan(real_scalar("c", np.nan, finite=False))


# --- emergence ------------------------------------------------------------------

T2 = [[0.5, 0.5], [0.0, 1.0]]


@pytest.mark.parametrize("bad", [[np.nan], [1.5, 2.5], [None, 1], [2.5]])
def test_coarse_grain_partition_of_non_blocks_names_partition(bad):
    with pytest.raises(TypeError, match="partition"):
        em.coarse_grain(T2, bad)


def test_coarse_grain_valid_forms_unchanged():
    T = em.hoel_example(3)
    by_blocks = em.coarse_grain(T, [range(3), [3]])
    assert np.array_equal(by_blocks, em.coarse_grain(T, np.array([0, 0, 0, 1])))
    assert np.array_equal(by_blocks, em.coarse_grain(T, [(0, 1, 2), {3}]))


@pytest.mark.parametrize("bad,exc", [(None, TypeError), ([0.1], TypeError), ("0.1", TypeError),
                                     (True, TypeError), (np.nan, ValueError),
                                     (np.inf, ValueError), (-0.1, ValueError)])
def test_add_noise_eps(bad, exc):
    with pytest.raises(exc, match="eps"):
        em.add_noise(T2, bad)


def test_add_noise_keeps_its_range_message():
    with pytest.raises(ValueError, match=full("eps must be in [0, 1], got 1.5")):
        em.add_noise(T2, 1.5)
    assert em.add_noise(T2, np.float32(0.5)).tolist() == em.add_noise(T2, 0.5).tolist()


@pytest.mark.parametrize("bad", [[], [np.nan], "abc", [[1, 2], [3, 4]], [1.5, 2.5], [None, 1],
                                 [0, -1]])
def test_partition_blocks_labels(bad):
    with pytest.raises(ValueError, match="labels"):
        em.partition_blocks(bad)


def test_partition_blocks_valid_unchanged():
    assert em.partition_blocks(np.array([0, 1, 0], dtype=np.uint8)) == [[0, 2], [1]]
    assert em.partition_blocks([0, 2]) == [[0], [], [1]]


@pytest.mark.parametrize("bad,exc", [(2.5, TypeError), ("3", TypeError), (None, TypeError),
                                     (True, TypeError), (np.nan, TypeError), (0, ValueError)])
def test_bigram_counts_n_symbols(bad, exc):
    with pytest.raises(exc, match="n_symbols"):
        em.bigram_counts([0, 1, 1, 0], bad)


def test_chain_arguments():
    with pytest.raises(TypeError, match="n must be an int"):
        em.sample_chain(np.eye(2), 2.5)
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        em.sample_chain(np.eye(2), 0)
    with pytest.raises(TypeError, match="start"):
        em.sample_chain(np.eye(2), 3, start="0")
    with pytest.raises(ValueError, match="start is not a state"):
        em.sample_chain(np.eye(2), 3, start=-1)
    with pytest.raises(TypeError, match="steps"):
        em.fit_bigram([0, 1, 0], 2, steps=2.5)
    with pytest.raises(TypeError, match="lr"):
        em.fit_bigram([0, 1, 0], 2, lr="1")
    with pytest.raises(ValueError, match="seq has symbols outside"):
        em.cross_entropy_bits(np.zeros((2, 2)), [0, 5])
    with pytest.raises(ValueError, match="W must be a square"):
        em.cross_entropy_bits(np.zeros(2), [0, 1])


# --- features -------------------------------------------------------------------

@pytest.mark.parametrize("fn,kw", [(ft.steer, {"c": 0.5}), (ft.clamp, {"lam": 2.0})])
@pytest.mark.parametrize("bad", [7.0, [1e308, -1e308], [0.0, 1.0]])
def test_states_without_a_positions_axis_name_x(fn, kw, bad):
    with pytest.raises(ValueError, match="x must be at least 2-D"):
        fn(bad, [1.0, 0.0], **kw)


@pytest.mark.parametrize("fn,kw", [(ft.steer, {"c": 0.5}), (ft.clamp, {"lam": 2.0})])
def test_position_is_checked(fn, kw):
    x = np.zeros((1, 3, 2))
    with pytest.raises(ValueError, match=full("position must be in -3..2, got 3")):
        fn(x, [1.0, 0.0], position=3, **kw)
    with pytest.raises(TypeError, match="position"):
        fn(x, [1.0, 0.0], position=1.0, **kw)


def test_a_single_state_with_position_none():
    assert ft.steer([1.0, 0.0], [1.0, 0.0], 2.0, position=None).tolist() == [3.0, 0.0]
    assert ft.clamp([3.0, 4.0], [1.0, 0.0], 10.0, position=None).tolist() == [10.0, 4.0]


@pytest.mark.parametrize("bad,exc", [(None, TypeError), ("1", TypeError), (True, TypeError),
                                     (np.nan, ValueError), ([1.0, 2.0], ValueError)])
def test_steer_c(bad, exc):
    with pytest.raises(exc, match="c "):
        ft.steer(np.zeros((1, 2, 2)), [1.0, 0.0], bad)


def test_steer_c_as_one_element_array_still_works():
    x = np.zeros((1, 2, 2))
    assert np.array_equal(ft.steer(x, [1.0, 0.0], [3.0]), ft.steer(x, [1.0, 0.0], 3.0))
    assert np.array_equal(ft.steer(x, [1.0, 0.0], np.float64(3.0)), ft.steer(x, [1.0, 0.0], 3))


@pytest.mark.parametrize("call", [
    lambda: ft.steer([[1e308, 0.0]], [1.0, 0.0], 1e308),
    lambda: ft.patch([1e308], [-1e308], [1e308]),
    lambda: ft.difference_of_means([[1e308, 0.0]], [[-1e308, 0.0]]),
])
def test_overflow_is_an_overflow_error_not_a_warning(call):
    with pytest.raises(OverflowError, match="overflows the float64 range"):
        call()


@pytest.mark.parametrize("bad,exc", [(2.5, TypeError), ("3", TypeError), (None, TypeError),
                                     (True, TypeError), (np.nan, TypeError), (0, ValueError)])
def test_output_channel_n_classes(bad, exc):
    with pytest.raises(exc, match="n_classes"):
        ft.output_channel([[0, 1, 1]], bad)


def test_output_channel_empty_outcomes():
    with pytest.raises(ValueError, match="outcomes"):
        ft.output_channel(np.zeros((1, 0), dtype=int), 2)


# --- superposition --------------------------------------------------------------

@pytest.mark.parametrize("arg", ["n_samples", "n_features"])
@pytest.mark.parametrize("bad,exc", [(-3, ValueError), (0, ValueError), (2.5, TypeError),
                                     ("3", TypeError), (None, TypeError), (np.nan, TypeError)])
def test_sparse_features_counts(arg, bad, exc):
    kw = {"n_samples": 4, "n_features": 3, "sparsity": 0.5, arg: bad}
    with pytest.raises(exc, match=arg):
        sp.sparse_features(**kw)


@pytest.mark.parametrize("bad,exc", [("x", TypeError), (None, TypeError), (np.nan, ValueError),
                                     (1.0, ValueError), (-0.1, ValueError)])
def test_sparse_features_sparsity(bad, exc):
    with pytest.raises(exc, match="sparsity"):
        sp.sparse_features(4, 3, bad)


@pytest.mark.parametrize("arg", ["n_features", "dim"])
@pytest.mark.parametrize("bad,exc", [(0, ValueError), (-3, ValueError), (None, TypeError),
                                     (np.nan, TypeError), (2.5, TypeError)])
def test_planted_dictionary_counts(arg, bad, exc):
    kw = {"n_features": 3, "dim": 2, arg: bad}
    with pytest.raises(exc, match=arg):
        sp.planted_dictionary(**kw)


def test_other_superposition_arguments():
    with pytest.raises(ValueError, match="dictionary must be 2-D"):
        sp.planted_activations([1.0, 0.0], 5, 0.5)
    with pytest.raises(TypeError, match="p_active"):
        sp.planted_activations(np.eye(2), 5, None)
    with pytest.raises(TypeError, match="n_dict"):
        sp.train_sae(np.zeros((4, 2)), 2.5)
    with pytest.raises(TypeError, match="alpha"):
        sp.train_sae(np.zeros((4, 2)), 2, alpha="0.1")
    with pytest.raises(TypeError, match="bar"):
        sp.recovery(np.eye(2), np.eye(2), None)
    with pytest.raises(TypeError, match="n_hidden"):
        sp.train_toy_model(n_hidden=2.0)
    with pytest.raises(ValueError, match="planted has a zero row"):
        sp.max_cosine([[0.0, 0.0]], [[1.0, 0.0]])
    with pytest.raises(ValueError, match="learned has a row too large"):
        sp.max_cosine([[1.0, 0.0]], [[1e308, 1e308]])
