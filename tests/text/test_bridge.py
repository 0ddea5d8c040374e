"""Tests of umlib.text.bridge: the entropy bridge, the residual split, quotients, the staircase."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.text import bridge, counting
from umlib.book import gates

labels_st = st.lists(st.integers(0, 6), min_size=1, max_size=60)


def pair_st():
    return st.integers(1, 60).flatmap(lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 4), min_size=n, max_size=n)))


# ---- the bridge -----------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(labels_st)
def test_bridge_identity_property(lab):
    t = bridge.bridge_terms(lab)
    assert t.H_bridge == pytest.approx(t.H, abs=64 * 2.0 ** -52 * max(1.0, math.log2(t.N)))
    H, Hb = bridge.bridge_reference(counting.class_sizes(lab))
    assert abs(H - Hb) < 1e-45
    assert abs(float(H) - t.H) <= 64 * 2.0 ** -52 * max(1.0, math.log2(t.N))


def test_bridge_edges():
    one = bridge.bridge_terms([3, 3, 3, 3])
    assert (one.K, one.mean_S_B, one.H, one.H_bridge) == (1, 2.0, 0.0, 0.0)
    allc = bridge.bridge_terms(np.arange(8))
    assert (allc.K, allc.mean_S_B, allc.H, allc.H_bridge) == (8, 0.0, 3.0, 3.0)


def test_bridge_control_fails_with_wrong_N():
    """Negative control: with log2 K in place of log2 N the 'bridge' is wrong."""
    lab = [0, 0, 0, 1]
    t = bridge.bridge_terms(lab)
    gates.new_log("test")
    with gates.expect_failure("log2 K is not log2 N"):
        gates.gate_abs("bridge with K (control)", math.log2(t.K) - t.mean_S_B, t.H, atol=1e-12)


def test_bridge_reference_rejects():
    with pytest.raises(ValueError, match="sizes"):
        bridge.bridge_reference([0, 2])
    with pytest.raises(ValueError, match="sizes"):
        bridge.bridge_reference([1.5])
    with pytest.raises(ValueError, match="digits"):
        bridge.bridge_reference([1, 2], digits=5)


# ---- the residual split -----------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(pair_st())
def test_residual_identities(pair):
    c, y = pair
    r = bridge.residual_split(c, y)
    tol = 64 * 2.0 ** -52 * max(1.0, math.log2(r.N))
    assert r.H_Y_given_C == pytest.approx(r.S_C - r.S_CY, abs=tol)
    assert r.log2N == pytest.approx(r.S_CY + r.H_C + r.H_Y_given_C, abs=tol)
    assert r.log2N - r.H_Y_given_C == pytest.approx(r.S_Y + r.I_CY, abs=tol)
    assert r.gap == pytest.approx(r.H_C - r.H_Y_given_C, abs=0)
    q = bridge.conditional_quotients(c, y)
    assert np.mean(np.log2(q)) == pytest.approx(r.H_Y_given_C, abs=tol)
    assert (q >= 1).all()


def test_residual_trivial_context_is_the_bridge_on_y():
    y = [0, 1, 1, 2, 2, 2]
    r = bridge.residual_split([0] * 6, y)
    assert r.H_C == 0.0 and r.gap == -r.H_Y_given_C
    assert r.H_Y_given_C == pytest.approx(math.log2(6) - r.S_CY, abs=1e-15)


def test_residual_split_rejects():
    with pytest.raises(ValueError, match="lengths"):
        bridge.residual_split([0, 1], [0])
    with pytest.raises(ValueError, match="context"):
        bridge.residual_split([], [])
    with pytest.raises(ValueError, match="target"):
        bridge.residual_split([0, 1], [-1, 0])


# ---- contexts and quotients ----------------------------------------------------------

def test_context_labels():
    x = np.frombuffer(b"abcabd", np.uint8)
    assert bridge.context_labels(x, []).tolist() == [0] * 6
    assert counting.class_sizes(bridge.context_labels(x, [0])).tolist() == [2, 2, 1, 1]
    two = bridge.context_labels(x, [0, 1])
    assert int(two.max()) + 1 == 5          # ab occurs twice, the rest once (with START)
    assert counting.refines(two, bridge.context_labels(x, [0]))
    with pytest.raises(ValueError, match="offsets"):
        bridge.context_labels(x, [-1])
    with pytest.raises(TypeError, match="offsets"):
        bridge.context_labels(x, "01")
    with pytest.raises(ValueError, match="x"):
        bridge.context_labels([300], [0])


def _labels_by_definition(x, offsets):
    """Class labels straight from the definition: position t's key is (x[t-o] or START)."""
    keys = [tuple(int(x[t - o]) if t >= o else bridge.START for o in offsets)
            for t in range(len(x))]
    first = {}
    return [first.setdefault(k, len(first)) for k in keys]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=12),
       st.lists(st.integers(0, 20), max_size=4))
def test_context_labels_match_the_definition_also_for_offsets_past_the_end(x, offsets):
    # offsets at or past N read START at every position (a short input once failed there)
    got = bridge.context_labels(np.array(x, dtype=np.int64), offsets)
    want = _labels_by_definition(x, offsets)
    # the same partition: equal keys <-> equal labels
    assert all((got[i] == got[j]) == (want[i] == want[j])
               for i in range(len(x)) for j in range(len(x)))


def test_factoring_levels_of_inputs_shorter_than_their_contexts():
    for n in range(1, 12):
        lv = bridge.factoring_levels(list(range(n)))
        assert all(v.shape == (n,) for v in lv.values()), n
        assert lv["full"].tolist() == list(range(n))


def test_quotients_exact_for_power_of_two_N():
    lab = np.repeat(np.arange(7), [1, 2, 3, 5, 8, 13, 32])[:64]
    q = bridge.quotients(lab)
    p = counting.omega(lab) / lab.size
    assert np.array_equal(q, 1.0 / p)                        # N = 64: W/N is exact
    assert np.mean(q) == pytest.approx(int(lab.max()) + 1)   # mean quotient = K


def test_quotient_control_non_power_of_two_can_differ():
    """N/W and 1/(W/N) differ in the last bit for some W when N is not a power of two."""
    N = 1023
    W = np.arange(1, N + 1, dtype=np.float64)
    assert np.count_nonzero(N / W != 1.0 / (W / N)) > 0


# ---- staircase, counts, svg, dial -----------------------------------------------------

def _stats():
    x = np.frombuffer(b"the cat sat on the mat; the cat sat.", np.uint8).astype(np.int64)
    y = x[1:]
    lv = {"unfactored": bridge.context_labels(x, [])[:-1],
          "order-1": bridge.context_labels(x, [0])[:-1],
          "order-3": bridge.context_labels(x, range(3))[:-1],
          "full": np.arange(y.size)}
    return bridge.staircase(lv, y, {"order-3": 0.25})


def test_staircase_monotone_along_nested_levels():
    s = _stats()
    assert [r.K for r in s] == sorted(r.K for r in s)
    assert all(a.mean_S_B >= b.mean_S_B and a.residual >= b.residual for a, b in zip(s, s[1:]))
    for r in s:
        assert r.mean_S_B + r.H == pytest.approx(r.log2N, abs=1e-14)
        assert r.explained + r.residual == pytest.approx(r.log2N, abs=1e-13)
    assert s[0].pct_absorbed == pytest.approx(100.0) and s[-1].residual == 0.0
    assert s[2].model_bpc == 0.25 and s[0].model_bpc is None


def test_staircase_rejects():
    with pytest.raises(ValueError, match="levels"):
        bridge.staircase({}, [0])
    with pytest.raises(ValueError, match="model_bpc"):
        bridge.staircase({"a": [0, 0]}, [0, 1], {"b": 1.0})
    with pytest.raises(ValueError, match="model_bpc"):
        bridge.staircase({"a": [0, 0]}, [0, 1], {"a": float("nan")})


def test_param_counts():
    assert bridge.rnn_param_count(256, 128) == 82304
    assert bridge.lookup_table_size(128) == 2 ** 128
    assert bridge.lookup_table_size(0) == 1
    assert bridge.lookup_table_size(2, vocab=256) == 4 * 255
    for bad in (0, -1):
        with pytest.raises(ValueError, match=r"\bhidden\b"):
            bridge.rnn_param_count(256, bad)
    for bad in (2.5, True, "3"):      # not an int at all: the convention's TypeError
        with pytest.raises(TypeError, match=r"\bhidden\b"):
            bridge.rnn_param_count(256, bad)
    with pytest.raises(ValueError, match="n_bits"):
        bridge.lookup_table_size(-1)


def test_factoring_levels():
    x = np.frombuffer(b"abcabcabd", np.uint8).astype(np.int64)
    h = np.where(np.arange(18).reshape(9, 2) % 3 == 0, 1, -1)
    lv = bridge.factoring_levels(x, h, orders=(3,), skip=3)
    assert list(lv) == ["unfactored", "unigram", "bigram", "order-3", "skip-3", "sat-rnn",
                        "full"]
    assert counting.refines(lv["order-3"], lv["bigram"])
    assert counting.refines(lv["bigram"], lv["unigram"])
    assert int(lv["full"].max()) + 1 == 9
    with pytest.raises(ValueError, match="orders"):
        bridge.factoring_levels(x, orders=(2,))
    with pytest.raises(ValueError, match="skip"):
        bridge.factoring_levels(x, skip=0)
    with pytest.raises(ValueError, match="h"):
        bridge.factoring_levels(x, h=np.ones((3, 2), int))
