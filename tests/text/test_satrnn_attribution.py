"""Part I, chapters 5-9: the backward (attribution) pass, the sign readout, blending, and
the counting helpers for the two directions and for refinement."""

import numpy as np
import pytest

from umlib.text import counting, satrnn


def _fd_bias(m, data, t, j, eps=1e-6):
    def f(delta):
        bh = m.bh.copy()
        bh[j] += delta
        return satrnn.bpc_per_position(satrnn.SatRNN(**{**m.arrays(), "bh": bh}), data)[t]
    return (f(eps) - f(-eps)) / (2 * eps)


def test_attribution_matches_finite_differences():
    m = satrnn.init_params(6, rng=3, scale_x=0.5)
    data = b"abcabdab"
    for t in (0, 3, 6):
        g = satrnn.attribution(m, data, t)
        for j in range(6):
            assert g[:, j].sum() == pytest.approx(_fd_bias(m, data, t, j), rel=1e-5, abs=1e-8)
    # the check can fail: dropping the tanh derivative gives a different gradient
    g = satrnn.attribution(m, data, 6)
    tr = satrnn.forward(m, data)
    assert not np.allclose(g / (1 - tr.h[:7] ** 2), g)


def test_attribution_agrees_with_training_gradient():
    # summed over t, the per-prediction chains give the BPTT gradient of the bias
    m = satrnn.init_params(5, rng=4, scale_x=0.5)
    x = np.frombuffer(b"abcaab", np.uint8).astype(np.int64)
    _, grads, _ = satrnn._segment_grads(m, x, 0, 5, np.zeros(5))
    total = sum(satrnn.attribution(m, x, t).sum(axis=0) for t in range(5))
    assert np.allclose(total, grads[2], rtol=1e-10, atol=1e-13)


def test_sign_readout():
    m = satrnn.init_params(8, rng=1)
    data = b"abcabcab"
    full = satrnn.bpc_per_position(m, data)
    s1 = satrnn.sign_readout_bpc(m, data)
    s2 = satrnn.sign_readout_bpc(m, data, recurrent=True)
    assert s1.shape == s2.shape == full.shape and (s1 > 0).all()
    # a model whose units are exactly ±1 loses nothing to the sign readout
    sat = satrnn.SatRNN(**{**m.arrays(), "Wx": 1e3 * np.sign(m.Wx), "Wh": np.zeros((8, 8))})
    assert np.allclose(satrnn.sign_readout_bpc(sat, data), satrnn.bpc_per_position(sat, data))
    assert np.allclose(satrnn.sign_readout_bpc(sat, data, recurrent=True),
                       satrnn.bpc_per_position(sat, data))


def test_blend_is_affine():
    a, b = satrnn.init_params(4, rng=0), satrnn.init_params(4, rng=1)
    mid = satrnn.blend(a, b, 0.25)
    assert np.allclose(mid.Wy, 0.75 * a.Wy + 0.25 * b.Wy)
    with pytest.raises(ValueError, match="hidden"):
        satrnn.blend(a, satrnn.init_params(5, rng=0), 0.5)
    with pytest.raises(ValueError, match="alpha"):
        satrnn.blend(a, b, float("nan"))


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


def test_bad_input():
    m = satrnn.init_params(4, rng=0)
    with pytest.raises(ValueError, match="t must"):
        satrnn.attribution(m, b"abc", 2)
    with pytest.raises(TypeError, match="model"):
        satrnn.attribution("m", b"abc", 0)
    with pytest.raises(TypeError, match="recurrent"):
        satrnn.sign_readout_bpc(m, b"abc", recurrent=1)
