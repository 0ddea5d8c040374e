"""umlib.core.spectra and umlib.core.sampling: ladders, eigensolves, the sampler and its test."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.core import sampling, spectra


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


def test_regression_convergence_order_needs_distinct_spacings():
    # all-equal h used to leak a RuntimeWarning and return se = nan (benchmarks/mutation.md)
    with pytest.raises(ValueError, match="h must contain at least two distinct values"):
        spectra.convergence_order([0.1, 0.1, 0.1], [1.0, 2.0, 3.0])
