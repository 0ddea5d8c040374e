"""umlib.core.sampling: the inverse-CDF sampler and its chi-square goodness-of-fit test.

Most of these tests were written in the mutation-testing review (benchmarks/mutation.md).
The inverse-CDF sampler is driven by a Generator whose uniforms we choose, so the
edge cases (u = 0, u = the largest value below 1) are tested exactly instead of
waiting for them to come up by chance.  Chi-square results are checked against
hand-computed statistics and the Wilson-Hilferty formula at points where it has a
closed form.
"""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from umlib.core import sampling


U_MAX = 1.0 - 2.0**-53        # the largest value Generator.random() can return


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


class FixedUniforms(np.random.Generator):
    """A Generator whose random() returns the given uniforms, in order."""

    def __init__(self, u):
        super().__init__(np.random.PCG64(0))
        self._u = list(u)

    def random(self, size=None):
        out, self._u = self._u[:size], self._u[size:]
        return np.array(out, dtype=np.float64)


# --- the sampler ------------------------------------------------------------------
def test_inverse_cdf_with_chosen_uniforms():
    p = [0.25, 0.0, 0.5, 0.25]            # cdf 0.25, 0.25, 0.75, 1.0
    u = [0.0, 0.2499, 0.25, 0.7499, 0.75, U_MAX]
    assert sampling.sample_indices(p, 6, FixedUniforms(u)).tolist() == [0, 0, 2, 2, 3, 3]


def test_leading_zero_probability_is_never_drawn_even_at_u_zero():
    assert sampling.sample_indices([0.0, 1.0], 1, FixedUniforms([0.0])).tolist() == [1]
    assert sampling.sample_index([0.0, 0.0, 2.0], FixedUniforms([0.0])) == 2


def test_trailing_zero_probability_is_never_drawn_even_when_the_cdf_falls_short_of_1():
    # sevenths add up to 0.9999999999999998 < U_MAX: without the clamp u = U_MAX would
    # land past the last positive entry
    p = np.array([1 / 7] * 7 + [0.0])
    assert np.cumsum(p / p.sum())[6] < U_MAX
    assert sampling.sample_indices(p, 1, FixedUniforms([U_MAX])).tolist() == [6]


def test_unnormalised_weights_are_normalised():
    a = sampling.sample_indices([1.0, 3.0], 500, rng=11)
    b = sampling.sample_indices([0.25, 0.75], 500, rng=11)
    assert np.array_equal(a, b)
    assert sampling.sample_indices([2.0, 6.0], 4, FixedUniforms([0.0, 0.2, 0.3, 0.9])).tolist() \
        == [0, 0, 1, 1]


def test_size_zero_gives_an_empty_draw():
    out = sampling.sample_indices([0.5, 0.5], 0, rng=0)
    assert out.shape == (0,)


def test_single_draw_consumes_exactly_one_uniform():
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    i = sampling.sample_index([0.3, 0.7], g1)
    j = sampling.sample_indices([0.3, 0.7], 1, g2)[0]
    assert i == j and type(i) is int
    assert g1.random() == g2.random()      # same generator state afterwards


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: sampling.sample_index([np.nan, 1.0], 0), ValueError, "p contains NaN"),
    (lambda: sampling.sample_index([[0.5, 0.5]], 0), ValueError,
     "p must be one-dimensional, got shape (1, 2)"),
    (lambda: sampling.sample_index([0.5, -0.1], 0), ValueError, "p contains negative entries"),
    (lambda: sampling.sample_index([0.0, 0.0], 0), ValueError, "p has no positive entry"),
    (lambda: sampling.sample_indices([1.0], -1, 0), ValueError, "size must be an int >= 0, got -1"),
    (lambda: sampling.sample_indices([1.0], 2.0, 0), TypeError, "size must be an int, got float"),
    (lambda: sampling.sample_indices([1.0], True, 0), TypeError, "size must be an int, got bool"),
    (lambda: sampling.sample_indices([1.0], 10 ** 9, 0), ValueError,
     "size must be an int <= 100000000, got 1000000000"),
])
def test_sampler_errors(call, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        call()


# --- chi-square -----------------------------------------------------------------------
def test_chi_square_at_stat_equal_to_dof():
    # stat/k = 1 gives z = sqrt(a) = sqrt(2/(9k)) exactly; here k = 2 so z = 1/3
    r = sampling.chi_square_gof([50, 30, 20], [0.5, 0.25, 0.25])
    assert r.statistic == 2.0 and r.dof == 2 and type(r.dof) is int
    assert r.z == pytest.approx(1 / 3, rel=1e-14)
    assert r.p_value == pytest.approx(math.exp(-1.0), rel=1e-14)    # chi2(2) sf = e^{-x/2}


def test_chi_square_at_stat_eight_times_dof():
    # stat/k = 8: cube root 2, z = (2 - 1 + a)/sqrt(a) = (10/9)/(1/3) = 10/3 for k = 2
    r = sampling.chi_square_gof([100, 70, 30], [0.5, 0.25, 0.25])
    assert r.statistic == 16.0
    assert r.z == pytest.approx(10 / 3, rel=1e-14)
    assert r.p_value == pytest.approx(math.exp(-8.0), rel=1e-13)


def test_chi_square_wilson_hilferty_tracks_the_exact_tail():
    # for 9 dof the WH z is within 0.02 of the exact normal quantile of the p-value
    p = np.full(10, 0.1)
    counts = np.array([12, 8, 10, 15, 5, 9, 11, 10, 7, 13])
    r = sampling.chi_square_gof(counts, p)
    expected = counts.sum() * p
    assert r.statistic == pytest.approx(((counts - expected) ** 2 / expected).sum(), rel=1e-14)
    assert r.dof == 9
    assert r.p_value == pytest.approx(stats.chi2.sf(r.statistic, 9), rel=1e-12)
    assert abs(r.z - stats.norm.isf(r.p_value)) < 0.02


def test_chi_square_accepts_zero_counts_and_expected_exactly_five():
    r = sampling.chi_square_gof([0, 10], [0.5, 0.5])        # expected 5 and 5
    assert r.statistic == 10.0 and r.dof == 1
    r0 = sampling.chi_square_gof([5, 5], [0.5, 0.5])
    assert r0.statistic == 0.0 and r0.z == pytest.approx(-math.sqrt(4.5) * (1 - 2 / 9),
                                                         rel=1e-14)


@pytest.mark.parametrize("call,msg", [
    (lambda: sampling.chi_square_gof([np.nan, 1], [0.5, 0.5]), "counts contains NaN"),
    (lambda: sampling.chi_square_gof([10, 10], [np.nan, 0.5]), "p contains NaN"),
    (lambda: sampling.chi_square_gof([[10, 10]], [[0.5, 0.5]]),
     "counts and p must be 1-D of equal length, got (1, 2) and (1, 2)"),
    (lambda: sampling.chi_square_gof([10, 10, 10], [0.5, 0.5]),
     "counts and p must be 1-D of equal length, got (3,) and (2,)"),
    (lambda: sampling.chi_square_gof([10], [1.0]), "at least two bins are needed"),
    (lambda: sampling.chi_square_gof([-1, 10], [0.5, 0.5]),
     "counts must be non-negative integers"),
    (lambda: sampling.chi_square_gof([10.5, 10], [0.5, 0.5]),
     "counts must be non-negative integers"),
    (lambda: sampling.chi_square_gof([10, 10], [0.6, 0.6]),
     "p must be non-negative and sum to 1 (within 1e-9)"),
    (lambda: sampling.chi_square_gof([10, 10], [1.5, -0.5]),
     "p must be non-negative and sum to 1 (within 1e-9)"),
    (lambda: sampling.chi_square_gof([0, 10], [0.0, 1.0]),
     "every expected count must be >= 5; merge bins or draw more samples"),
    (lambda: sampling.chi_square_gof([4, 5], [0.5, 0.5]),
     "every expected count must be >= 5; merge bins or draw more samples"),
])
def test_chi_square_errors(call, msg):
    with pytest.raises(ValueError, match=full(msg)):
        call()


# --- unit and property tests: the sampler and its test -----------------------------


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=50, deadline=None)
def test_single_and_batched_sampler_agree(seed):
    p = [0.1, 0.0, 0.6, 0.3]
    assert sampling.sample_index(p, seed) == sampling.sample_indices(p, 1, seed)[0]


def test_zero_probability_never_drawn_and_frequencies_fit():
    p = np.array([0.2, 0.0, 0.5, 0.3, 0.0])
    x = sampling.sample_indices(p, 20000, rng=3)
    assert not np.isin(x, [1, 4]).any()
    counts = np.bincount(x, minlength=5)[[0, 2, 3]]
    r = sampling.chi_square_gof(counts, p[[0, 2, 3]])
    assert abs(r.z) < 4
    wrong = sampling.chi_square_gof(counts, np.array([0.3, 0.4, 0.3]))
    assert wrong.z > 10


def test_sampler_is_seeded():
    a = sampling.sample_indices([0.5, 0.5], 10, rng=7)
    b = sampling.sample_indices([0.5, 0.5], 10, rng=np.random.default_rng(7))
    assert np.array_equal(a, b)
    with pytest.raises(TypeError, match="unseeded"):
        sampling.sample_indices([0.5, 0.5], 10, rng=None)


@pytest.mark.parametrize("call,match", [
    (lambda: sampling.sample_index([0.0, 0.0], 0), "no positive entry"),
    (lambda: sampling.sample_index([0.5, -0.1], 0), "negative"),
    (lambda: sampling.sample_index([[0.5, 0.5]], 0), "one-dimensional"),
    (lambda: sampling.sample_indices([1.0], -1, 0), "size"),
    (lambda: sampling.chi_square_gof([1, 2], [0.5, 0.5]), ">= 5"),
    (lambda: sampling.chi_square_gof([10, 10], [0.7, 0.7]), "sum to 1"),
    (lambda: sampling.chi_square_gof([10.5, 10], [0.5, 0.5]), "integers"),
])
def test_sampling_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
