"""Tests of umlib.networks.features: the residual network, its gradient, and the stream operations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from umlib.networks import features as ft
from umlib.book import gates


@pytest.fixture(scope="module")
def small():
    task = ft.make_task(2, 2, 3, 3)
    net = ft.train_resnet(task, d=8, d_mlp=8, n_layers=2, steps=200, batch=36, rng=1)
    return task, net


def test_run_by_position_is_the_full_pass_and_forgetting_changes_it(small):
    task, net = small
    full = net.logits(task.tokens)
    tol = 64 * gates.UNIT_ROUNDOFF * np.abs(full).max()
    assert np.abs(net.run_by_position(task.tokens) - full).max() <= tol
    for l in range(net.n_layers):   # each layer's mixing reads the earlier positions
        assert np.abs(net.run_by_position(task.tokens, [l]) - full).max() > tol
    with pytest.raises(ValueError, match="forget"):
        net.run_by_position(task.tokens, [net.n_layers])
    with pytest.raises(ValueError, match="forget"):
        net.run_by_position(task.tokens, [True])
    with pytest.raises(TypeError, match="forget"):
        net.run_by_position(task.tokens, "0")
    with pytest.raises(ValueError, match="tokens"):
        net.run_by_position(task.tokens[:, :2])


def test_task_enumerates_every_prompt():
    task = ft.make_task(4, 4, 6, 4)
    assert task.tokens.shape == (16 * 6 ** 3, 4)
    assert len({tuple(r) for r in task.tokens}) == task.tokens.shape[0]
    assert (task.label == task.subject // 4).all()
    assert (task.tokens[:, 1:] >= 16).all()


def test_gradient_matches_finite_differences():
    task = ft.make_task(2, 2, 3, 3)
    net = ft.ResNet.init(task.vocab, task.seq_len, 5, 6, 2, 2, rng=3)
    tok, lab = task.tokens[:12], task.label[:12]
    _, grads = net.loss_and_grads(tok, lab)
    g = np.random.default_rng(0)
    for p, gr in zip(net.params(), grads):
        i = tuple(int(g.integers(0, s)) for s in p.shape)
        old = p[i]
        p[i] = old + 1e-6
        lp, _ = net.loss_and_grads(tok, lab)
        p[i] = old - 1e-6
        lm, _ = net.loss_and_grads(tok, lab)
        p[i] = old
        assert (lp - lm) / 2e-6 == pytest.approx(gr[i], abs=1e-7)


def test_training_is_seeded_and_learns(small):
    task, net = small
    assert (net.predict(task.tokens) == task.label).all()
    again = ft.train_resnet(task, d=8, d_mlp=8, n_layers=2, steps=200, batch=36, rng=1)
    assert all(np.array_equal(a, b) for a, b in zip(net.params(), again.params()))
    assert net.history[-1] < net.history[0]


def test_cache_holds_what_cache_bytes_says(small):
    task, net = small
    _, st_ = net.run(task.tokens, cache=True)
    assert sum(a.nbytes for a in st_.values()) == ft.cache_bytes(net, task.tokens.shape[0])


def test_identity_hooks_change_nothing(small):
    task, net = small
    base = net.logits(task.tokens)
    for s in range(net.n_layers + 1):
        out = net.logits(task.tokens, {s: lambda x: ft.steer(x, np.ones(net.d), 0.0)})
        assert np.array_equal(out, base)


def test_logit_lens_last_layer_is_the_output(small):
    task, net = small
    logits, st_ = net.run(task.tokens)
    lens = ft.logit_lens(net, st_)
    assert lens.shape == (net.n_layers + 1, task.tokens.shape[0], task.n_classes)
    assert np.array_equal(lens[-1], logits)


x3 = arrays(np.float64, (2, 3, 4), elements=st.floats(-10, 10))


@given(x=x3, lam=st.floats(-50, 50), seed=st.integers(0, 100))
@settings(max_examples=100, deadline=None)
def test_clamp_sets_the_feature_and_keeps_the_rest(x, lam, seed):
    v = np.random.default_rng(seed).normal(size=4)
    v /= np.linalg.norm(v)
    y = ft.clamp(x, v, lam)
    assert np.allclose(y[:, -1] @ v, lam, atol=1e-9)
    perp = lambda z: z - (z @ v)[..., None] * v  # noqa: E731
    assert np.allclose(perp(y[:, -1]), perp(x[:, -1]), atol=1e-9)
    assert np.array_equal(y[:, :-1], x[:, :-1])


@given(a=arrays(np.float64, 5, elements=st.floats(-10, 10)),
       b=arrays(np.float64, 5, elements=st.floats(-10, 10)))
@settings(max_examples=100, deadline=None)
def test_full_patch_is_replacement(a, b):
    assert np.allclose(ft.patch(a, a, b), b, atol=1e-12)


def test_memory_arithmetic():
    shp = ft.TransformerShape()
    assert 6.5e9 < shp.n_params() < 7.0e9
    w = ft.weights_bytes(shp, 2.0)
    c1 = ft.transformer_cache_bytes(shp, 512)
    # linear in depth and batch, at most quadratic in context: never exponential
    deeper = ft.TransformerShape(n_layers=64)
    assert ft.transformer_cache_bytes(deeper, 512) == 2 * c1
    assert ft.transformer_cache_bytes(shp, 512, batch=3) == 3 * c1
    c2 = ft.transformer_cache_bytes(shp, 1024)
    assert 2 * c1 < c2 < 4 * c1
    assert w > 1e10


def test_bad_inputs(small):
    task, net = small
    with pytest.raises(ValueError, match="tokens"):
        net.run(task.tokens[:, :2])
    with pytest.raises(ValueError, match="vocabulary"):
        net.run(np.full((1, 3), 99))
    with pytest.raises(ValueError, match="hooks"):
        net.run(task.tokens, {9: lambda x: x})
    with pytest.raises(ValueError, match="unit norm"):
        ft.clamp(np.zeros((1, 1, 2)), [2.0, 0.0], 1.0)
    with pytest.raises(ValueError, match="shape"):
        ft.patch([1.0], [1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="v must have shape"):
        ft.steer(np.zeros((1, 2, 3)), [1.0], 1.0)
    with pytest.raises(ValueError, match="n_classes"):
        ft.make_task(1)
    with pytest.raises(ValueError, match="n_ctx"):
        ft.transformer_cache_bytes(ft.TransformerShape(), 0)
    with pytest.raises(TypeError, match="rng"):
        ft.train_resnet(task, rng=None)


def test_gate_families_can_fail_on_stream_claims(small):
    task, net = small
    gates.new_log("test")
    _, st_ = net.run(task.tokens)
    v = np.random.default_rng(0).normal(size=net.d)
    base = net.logits(task.tokens)
    # steering with c != 0 is not a no-op: the exact gate must see it
    with gates.expect_failure("a non-zero steer changes the logits"):
        gates.gate_exact("steer c=1 is a no-op",
                         net.logits(task.tokens, {1: lambda x: ft.steer(x, v, 1.0)}), base)


def test_clamp_per_state_lambda_and_with_weight():
    x = np.random.default_rng(0).normal(size=(3, 2, 4))
    v = np.array([0.0, 1.0, 0.0, 0.0])
    same = ft.clamp(x, v, x[:, -1] @ v)
    assert np.allclose(same, x, atol=1e-15)
    with pytest.raises(ValueError, match="broadcast"):
        ft.clamp(x, v, [1.0, 2.0])
    net = ft.ResNet.init(5, 3, 4, 8, 2, 2)
    with pytest.raises(ValueError, match="not a parameter"):
        ft.with_weight(net, "W9.0", (0, 0), 1.0)
    with pytest.raises(ValueError, match="out of range"):
        ft.with_weight(net, "U", (9, 9), 1.0)
    assert ft.output_channel([[0, 1]], 2).tolist() == [[0.5, 0.5]]
