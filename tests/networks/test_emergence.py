"""Unit, edge-case and property tests of umlib.networks.emergence (Part V, chapter 1)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.networks import emergence as em
from umlib.book import gates


@st.composite
def tpms(draw, n_min=1, n_max=6):
    n = draw(st.integers(n_min, n_max))
    k = draw(st.integers(n, n))
    raw = np.array(draw(st.lists(st.lists(st.floats(0, 1), min_size=k, max_size=k),
                                 min_size=n, max_size=n)))
    raw[:, 0] += 1e-3  # no all-zero row
    return raw / raw.sum(axis=1, keepdims=True)


@given(T=tpms())
@settings(max_examples=200, deadline=None)
def test_ei_is_the_mutual_information_of_the_intervention(T):
    ei = em.effective_information(T)
    mi = em.mutual_information(em.intervention_joint(T))
    assert ei == pytest.approx(max(mi, 0.0), abs=1e-12)


@given(T=tpms())
@settings(max_examples=200, deadline=None)
def test_decomposition_and_bounds(T):
    ei, det, deg = em.ei_decomposition(T)
    n = T.shape[0]
    assert ei == pytest.approx(det - deg, abs=1e-12)
    assert -1e-12 <= ei <= math.log2(n) + 1e-12
    assert -1e-12 <= deg <= math.log2(n) + 1e-12


@given(T=tpms(n_min=2), eps=st.floats(0, 1), eps2=st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_noise_never_raises_ei(T, eps, eps2):
    a, b = sorted([eps, eps2])
    assert em.effective_information(em.add_noise(T, b)) <= \
        em.effective_information(em.add_noise(T, a)) + 1e-12


@given(T=tpms(n_min=2, n_max=5))
@settings(max_examples=50, deadline=None)
def test_coarse_grained_tpm_is_a_tpm_and_trivial_partitions(T):
    n = T.shape[0]
    lab = np.arange(n) % 2
    M = em.coarse_grain(T, lab)
    assert M.shape == (min(n, 2), min(n, 2))
    assert np.allclose(M.sum(axis=1), 1.0)
    assert np.allclose(em.coarse_grain(T, [[i] for i in range(n)]), T)
    assert em.effective_information(em.coarse_grain(T, [list(range(n))])) == 0.0


def test_classic_examples_closed_form():
    T8 = em.hoel_example(7)
    assert em.effective_information(T8) == pytest.approx(3 - 7 / 8 * math.log2(7), abs=1e-15)
    assert em.effective_information(em.coarse_grain(T8, [range(7), [7]])) == pytest.approx(1.0, abs=1e-15)
    T4 = em.hoel_example(3)
    assert em.effective_information(T4) == pytest.approx(2 - 3 / 4 * math.log2(3), abs=1e-15)
    ei, lab, eis = em.best_partition(T4)
    assert ei == pytest.approx(1.0) and lab.tolist() == [0, 0, 0, 1]
    assert eis.size == em.bell_number(4) == 15


def test_permutation_cannot_gain_by_coarse_graining():
    P = np.eye(5)[[1, 2, 3, 4, 0]]
    ei, lab, eis = em.best_partition(P)
    assert ei == pytest.approx(math.log2(5))
    assert lab.tolist() == [0, 1, 2, 3, 4]
    assert (eis <= math.log2(5) + 1e-12).all()


def test_set_partitions_counts():
    for n in range(1, 7):
        parts = list(em.set_partitions(n))
        assert len(parts) == em.bell_number(n)
        assert len({tuple(p) for p in parts}) == len(parts)


@pytest.mark.parametrize("bad, match", [
    ([[0.5, 0.6], [0.5, 0.5]], "sum to 1"),
    ([[1.0, 0.0]], "square"),
    ([[-0.5, 1.5], [0.5, 0.5]], "negative"),
    ([1.0], "2-D"),
    ([[np.nan, 1.0], [0.0, 1.0]], "NaN"),
])
def test_bad_tpm(bad, match):
    with pytest.raises(ValueError, match=match):
        em.effective_information(bad)


def test_bad_partitions_and_args():
    T = em.hoel_example(3)
    with pytest.raises(ValueError, match="two blocks"):
        em.coarse_grain(T, [[0, 1], [1, 2, 3]])
    with pytest.raises(ValueError, match="out"):
        em.coarse_grain(T, [[0, 1], [2]])
    with pytest.raises(ValueError, match="not in"):
        em.coarse_grain(T, [[0, 1, 2, 9]])
    with pytest.raises(TypeError, match="partition"):
        em.coarse_grain(T, "0011")
    with pytest.raises(ValueError, match="eps"):
        em.add_noise(T, 1.5)
    with pytest.raises(ValueError, match="max_states"):
        em.best_partition(np.eye(11))
    with pytest.raises(ValueError, match="n_noisy"):
        em.hoel_example(0)
    with pytest.raises(ValueError, match="joint"):
        em.mutual_information([[0.5, 0.6]])


def test_gate_families_can_fail_on_emergence_claims():
    gates.new_log("test")
    # a coarse-graining of a permutation never raises EI: the claim "it does" must fail
    P = np.eye(4)[[1, 2, 3, 0]]
    best, _, _ = em.best_partition(P)
    with gates.expect_failure("no macro scale beats a permutation"):
        gates.gate_count("macro beats micro", int(best <= em.effective_information(P)))
    # the decomposition gate fails if degeneracy is dropped
    T = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    with gates.expect_failure("EI is not determinism alone"):
        gates.gate_abs("EI = determinism", em.effective_information(T), em.determinism(T),
                       atol=1e-12)


# --- Markov chains and the bigram model (Part V, chapter 7) ------------------

def test_chain_sampling_and_entropy_rate():
    g = np.random.default_rng(0)
    T = g.dirichlet(np.full(4, 0.5), size=4)
    pi = em.stationary_distribution(T)
    assert np.allclose(pi @ T, pi) and pi.sum() == pytest.approx(1.0)
    seq = em.sample_chain(T, 50000, rng=1)
    N = em.bigram_counts(seq, 4)
    assert np.allclose(N / N.sum(axis=1, keepdims=True), T, atol=0.03)
    assert em.entropy_rate(T) <= math.log2(4)
    assert np.array_equal(seq, em.sample_chain(T, 50000, rng=1))


def test_fit_bigram_descends_to_the_empirical_conditional_entropy():
    T = np.random.default_rng(2).dirichlet(np.full(5, 0.5), size=5)
    seq = em.sample_chain(T, 5000, rng=3)
    W, bits = em.fit_bigram(seq, 5, steps=3000, lr=1.0)
    assert bits[0] == pytest.approx(math.log2(5), abs=1e-12)
    assert (np.diff(bits) <= 1e-15).all()
    N = em.bigram_counts(seq, 5)
    Q = N / N.sum(axis=1, keepdims=True)
    logQ = np.log2(Q, out=np.zeros_like(Q), where=Q > 0)
    H_emp = -np.sum(N * logQ) / N.sum()
    assert (bits >= H_emp - 1e-12).all()
    assert bits[-1] - H_emp < 1e-3


def test_chain_bad_inputs():
    with pytest.raises(ValueError, match="seq"):
        em.bigram_counts([0], 2)
    with pytest.raises(ValueError, match="outside"):
        em.bigram_counts([0, 3], 2)
    with pytest.raises(ValueError, match="lr"):
        em.fit_bigram([0, 1, 0], 2, lr=-1.0)
    with pytest.raises(ValueError, match="start"):
        em.sample_chain(np.eye(2), 3, start=5)
    with pytest.raises(TypeError, match="rng"):
        em.sample_chain(np.eye(2), 3, rng="x")
