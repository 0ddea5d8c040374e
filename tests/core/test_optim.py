"""The Adam update of ``umlib.core.optim``, step by step against the textbook formula.

Written to kill surviving mutants of ``adam_update`` found by mutation testing
(benchmarks/mutation.md): before these tests the core suite never called it, so every
constant, operator and in-place update in it was unchecked.
"""

import math

import numpy as np
import pytest

from umlib.core.optim import adam_update


def _reference(p, grads, lr, b1, b2, eps):
    """Adam written out scalar by scalar (Kingma & Ba, Algorithm 1)."""
    m = v = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p = p - lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + eps)
        out.append((p, m, v))
    return out


@pytest.mark.parametrize("scale", [1.0, 1e-8, 3e-9])
@pytest.mark.parametrize("hyper", [dict(), dict(b1=0.8, b2=0.99, eps=1e-9),
                                   dict(b1=0.5, b2=0.9, eps=2e-8)])
def test_several_steps_match_the_formula_in_place(scale, hyper):
    """p, m and v are all updated in place and match the formula after each of 4 steps.

    Gradients of order 1e-8 make ``eps`` matter as much as the gradient itself."""
    grads = [g * scale for g in (0.5, -1.5, 2.0, 0.25)]
    full = dict(b1=0.9, b2=0.999, eps=1e-8) | hyper
    ref = _reference(1.25, grads, 0.1, **full)
    p = np.array([1.25])
    m = np.zeros(1)
    v = np.zeros(1)
    ids = (id(p), id(m), id(v))
    for t, g in enumerate(grads, start=1):
        assert adam_update(p, np.array([g]), m, v, t, 0.1, **hyper) is None
        rp, rm, rv = ref[t - 1]
        assert m[0] == pytest.approx(rm, rel=1e-13, abs=0)
        assert v[0] == pytest.approx(rv, rel=1e-13, abs=0)
        assert p[0] == pytest.approx(rp, rel=1e-13, abs=0)
    assert (id(p), id(m), id(v)) == ids


def test_first_step_is_lr_times_the_sign_for_large_gradients():
    """With bias correction the first step is lr * g/|g| (up to eps), whatever b1 and b2."""
    p = np.array([0.0, 0.0, 0.0])
    g = np.array([3.0, -0.002, 50.0])
    m, v = np.zeros(3), np.zeros(3)
    adam_update(p, g, m, v, 1, 0.01)
    np.testing.assert_allclose(p, [-0.01, 0.01, -0.01], rtol=1e-5)
    np.testing.assert_allclose(m, 0.1 * g, rtol=1e-15)
    np.testing.assert_allclose(v, 0.001 * g * g, rtol=1e-14)


def test_zero_gradient_moves_nothing_but_decays_the_moments():
    p = np.array([2.0])
    m, v = np.array([0.3]), np.array([0.04])
    adam_update(p, np.zeros(1), m, v, 5, 0.1)
    assert m[0] == pytest.approx(0.27, rel=1e-15)
    assert v[0] == pytest.approx(0.04 * 0.999, rel=1e-15)
    expected = 2.0 - 0.1 * (0.27 / (1 - 0.9 ** 5)) / (math.sqrt(0.04 * 0.999 / (1 - 0.999 ** 5)) + 1e-8)
    assert p[0] == pytest.approx(expected, rel=1e-14)
