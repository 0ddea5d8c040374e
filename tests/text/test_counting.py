"""Counting microstates: unit tests, identities as hypothesis properties, failing checks."""

import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from umlib.text import counting
from umlib.text.counting import Event, Microstates, Pattern

labels = st.lists(st.integers(0, 5), min_size=1, max_size=60)


def pair(min_size=1):
    return st.integers(min_size, 60).flatmap(
        lambda n: st.tuples(st.lists(st.integers(0, 4), min_size=n, max_size=n),
                            st.lists(st.integers(0, 4), min_size=n, max_size=n)))


def test_table_and_counts():
    h = np.array([[1, -1], [1, 1], [-1, 1], [1, -1]])
    ms = Microstates.from_bytes(b"abab", h=h)
    assert ms.y.tolist() == [ord("b"), ord("a"), ord("b"), counting.END]
    assert ms.spaces == ["t", "x", "h0", "h1", "y"]
    a = Event("x", ord("a"))
    assert ms.count(a) == 2
    assert ms.count(Pattern((a, Event("h0", 1)))) == 1
    assert ms.count(Pattern((a, Event("h1", 1)))) == 1
    assert ms.count(Pattern()) == 4
    assert ms.count(ms.pattern_at(2, ms.spaces)) == 1
    assert ms.restrict(3).N == 3
    assert isinstance(ms.count(a), int)


@given(labels)
def test_bridge_identity(lab):
    """H = log2 N - <S_B> (the entropy bridge), for every partition."""
    N = len(lab)
    assert counting.partition_entropy(lab) == pytest.approx(
        math.log2(N) - counting.mean_boltzmann_entropy(lab), abs=1e-12)


@given(pair())
def test_chain_rule_and_mi(ab):
    a, b = ab
    Hab = counting.joint_entropy(a, b)
    assert Hab == pytest.approx(counting.partition_entropy(b) + counting.conditional_entropy(a, b),
                                abs=1e-12)
    I = counting.mutual_information(a, b)
    assert I >= -1e-12
    assert I == pytest.approx(counting.partition_entropy(a) - counting.conditional_entropy(a, b),
                              abs=1e-12)
    assert I <= min(counting.partition_entropy(a), counting.partition_entropy(b)) + 1e-12


@given(pair())
def test_coarse_graining_never_lowers_entropy(ab):
    """Theorem 3 per position: a coarser factoring has Omega >= the finer one's."""
    a, b = ab
    fine = counting.joint_partition(a, b)
    assert counting.refines(fine, a)
    assert (counting.omega(a) >= counting.omega(fine)).all()
    # data processing: coarsening the given variable cannot lower H(target | given)
    assert counting.conditional_entropy(b, a) >= counting.conditional_entropy(b, fine) - 1e-12


def test_checks_can_fail():
    """Negative controls: the inequalities are not vacuous."""
    a, b = [0, 0, 1, 1], [0, 1, 0, 1]
    assert not counting.refines(a, b)
    assert counting.conditional_entropy(b, a) > counting.conditional_entropy(b, b)
    # a finer labelling has smaller classes: the reverse inequality fails
    assert not (counting.omega(counting.joint_partition(a, b)) >= counting.omega(a)).all()
    assert counting.mutual_information(a, b) == 0.0
    assert counting.mutual_information(a, a) == 1.0


def test_exact_integers():
    om = counting.omega([3, 3, 1])
    assert om.dtype.kind == "i" and om.tolist() == [2, 2, 1]
    assert counting.class_sizes([3, 3, 1]).tolist() == [1, 2]
    assert counting.boltzmann_entropy(np.array([1, 2, 4])).tolist() == [0.0, 1.0, 2.0]
    assert counting.partition([[1, 2], [1, 2], [0, 0]]).tolist() == [1, 1, 0]
    assert counting.partition(np.zeros((3, 0), int)).tolist() == [0, 0, 0]


def test_bad_input():
    with pytest.raises(ValueError, match="count must be >= 1"):
        counting.boltzmann_entropy(0)
    with pytest.raises(TypeError, match="count must be an integer"):
        counting.boltzmann_entropy(2.0)
    with pytest.raises(ValueError, match="labels"):
        counting.omega([])
    with pytest.raises(ValueError, match="same length"):
        counting.conditional_entropy([0, 1], [0])
    with pytest.raises(ValueError, match="unknown event space"):
        Microstates.from_bytes(b"ab").column("h3")
    with pytest.raises(ValueError, match="binary events"):
        Microstates(np.array([1, 2]), h=np.array([[0], [1]]))
    with pytest.raises(TypeError, match="value must be an int"):
        Event("x", "a")
    with pytest.raises(TypeError, match="not a string"):
        Microstates.from_bytes(b"ab").project("x")


# --- the counting helpers of the two directions and of refinement (Part I, ch. 5-9) --


def test_conditional_log_count_is_minus_conditional_entropy():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 4, 200)
    y = (x + rng.integers(0, 2, 200)) % 5
    r = counting.conditional_log_count(y, x)
    assert (r <= 0).all()
    assert -r.mean() == pytest.approx(counting.conditional_entropy(y, x), abs=1e-12)


def test_greedy_refinement_lowers_conditional_entropy():
    rng = np.random.default_rng(1)
    cand = rng.integers(0, 2, (300, 6))
    y = cand[:, 2] * 2 + cand[:, 4]
    order, labs = counting.greedy_refinement(np.zeros(300, int), cand, y, steps=3)
    assert set(order[:2]) == {2, 4}
    H = [counting.conditional_entropy(y, lab) for lab in labs]
    assert all(b <= a + 1e-12 for a, b in zip(H, H[1:])) and H[2] == 0.0
    for fine, coarse in zip(labs[1:], labs):
        assert counting.refines(fine, coarse)
    with pytest.raises(ValueError, match="steps"):
        counting.greedy_refinement(np.zeros(300, int), cand, y, steps=7)
    with pytest.raises(ValueError, match="candidates"):
        counting.greedy_refinement(np.zeros(300, int), cand[:10], y, steps=1)


# --- partition_entropy goes through umlib.core.thermo -----------------------------------


def test_partition_entropy_uses_the_core_shannon_entropy(monkeypatch):
    from umlib.core import thermo

    seen = []
    real = thermo.shannon_entropy

    def spy(p, *a, **k):
        seen.append(np.asarray(p).copy())
        return real(p, *a, **k)

    monkeypatch.setattr(counting.thermo, "shannon_entropy", spy)
    assert counting.partition_entropy([0, 0, 1, 2]) == 1.5
    assert len(seen) == 1 and seen[0].tolist() == [0.5, 0.25, 0.25]


@given(st.lists(st.integers(0, 40), min_size=1, max_size=300))
def test_partition_entropy_equals_the_hand_formula(lab):
    """The independent check: -sum p log2 p written by hand, to within 2 ULPs."""
    from umlib.book.gates import ulp_distance

    sizes = np.bincount(lab)
    p = sizes[sizes > 0] / len(lab)
    ref = float(-np.sum(p * np.log2(p))) + 0.0
    assert ulp_distance(counting.partition_entropy(lab), ref) <= 2
