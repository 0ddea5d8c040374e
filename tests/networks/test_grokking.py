"""Unit tests of umlib.networks.grokking (Part V, chapter 2: grokking on modular addition)."""

import numpy as np
import pytest

from umlib.networks import grokking as gk


def test_task_enumerates_every_pair_once_with_a_disjoint_split():
    task = gk.modular_addition(7, 0.3, rng=4)
    assert task.x.shape == (49, 14)
    assert np.all(task.x.sum(axis=1) == 2)
    a = np.argmax(task.x[:, :7], axis=1)
    b = np.argmax(task.x[:, 7:], axis=1)
    assert len(set(zip(a.tolist(), b.tolist()))) == 49
    assert np.array_equal(task.y, (a + b) % 7)
    both = np.concatenate([task.train, task.test])
    assert np.array_equal(np.sort(both), np.arange(49))
    assert task.train.size == round(0.3 * 49)


def test_split_depends_on_the_seed():
    one, two = gk.modular_addition(7, 0.5, rng=0), gk.modular_addition(7, 0.5, rng=1)
    assert not np.array_equal(one.train, two.train)


def _grad_check_loss(task, W1, W2):
    x, y = task.x[task.train], task.y[task.train]
    logits = (x @ W1) ** 2 @ W2
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -float(np.mean(logp[np.arange(y.size), y]))


def test_gradients_match_finite_differences():
    task = gk.modular_addition(5, 0.6, rng=0)
    a, b = np.divmod(task.train, 5)
    y = task.y[task.train]
    g = np.random.default_rng(0)
    W = [g.normal(size=(10, 8)) / np.sqrt(10), g.normal(size=(8, 5)) / np.sqrt(8)]
    grads = gk._gradients(a, b + 5, y, W)
    h = 1e-6
    nums = []
    for k in range(2):
        num = np.zeros_like(W[k])
        for idx in np.ndindex(*W[k].shape):
            Wp = [w.copy() for w in W]
            Wm = [w.copy() for w in W]
            Wp[k][idx] += h
            Wm[k][idx] -= h
            num[idx] = (_grad_check_loss(task, *Wp) - _grad_check_loss(task, *Wm)) / (2 * h)
        assert np.allclose(grads[k], num, atol=1e-7)
        nums.append(num)
    # control: the check catches a gradient with a wrong factor (z in place of 2z)
    wrong = gk._gradients(a, b + 5, y, W)[0] / 2
    assert not np.allclose(wrong, nums[0], atol=1e-7)


def test_weight_decay_groks_and_its_absence_does_not():
    task = gk.modular_addition(23, 0.5, rng=0)
    with_wd = gk.train_modular_addition(task, weight_decay=1.0, steps=2000,
                                        eval_every=200, rng=0)
    without = gk.train_modular_addition(task, weight_decay=0.0, steps=2000,
                                        eval_every=200, rng=0)
    assert gk.first_step_at(with_wd, 0.99, "train") <= 200
    assert with_wd.test_acc[0] < 0.5 and with_wd.test_acc[-1] > 0.95
    assert without.train_acc[-1] == 1.0 and without.test_acc[-1] < 0.5
    assert with_wd.weight_norm[-1] < without.weight_norm[-1]


def test_runs_are_reproducible_from_the_seed():
    task = gk.modular_addition(5, 0.6)
    r1 = gk.train_modular_addition(task, hidden=8, steps=20, eval_every=5, rng=3)
    r2 = gk.train_modular_addition(task, hidden=8, steps=20, eval_every=5, rng=3)
    assert np.array_equal(r1.weight_norm, r2.weight_norm)
    assert r1.steps.tolist() == [5, 10, 15, 20]


def test_first_step_at():
    run = gk.GrokRun(np.array([10, 20, 30]), np.array([0.2, 1.0, 1.0]),
                     np.array([0.0, 0.4, 0.9]), np.ones(3))
    assert gk.first_step_at(run, 0.9, "train") == 20
    assert gk.first_step_at(run, 0.9) == 30
    assert gk.first_step_at(run, 0.95) == -1


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(p=1), ValueError, "p"),
    (dict(p=5.0), TypeError, "p"),
    (dict(train_frac=0.0), ValueError, "train_frac"),
    (dict(train_frac=1.5), ValueError, "train_frac"),
    (dict(rng=-1), ValueError, "rng"),
])
def test_bad_task_arguments_are_named(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        gk.modular_addition(**kwargs)


@pytest.mark.parametrize("kwargs, exc, word", [
    (dict(hidden=0), ValueError, "hidden"),
    (dict(weight_decay=-1.0), ValueError, "weight_decay"),
    (dict(lr=0.0), ValueError, "lr"),
    (dict(lr=0.5, weight_decay=2.0), ValueError, "lr"),
    (dict(steps=0), ValueError, "steps"),
    (dict(eval_every="5"), TypeError, "eval_every"),
])
def test_bad_training_arguments_are_named(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        gk.train_modular_addition(gk.modular_addition(5, 0.6), **kwargs)
    with pytest.raises(TypeError, match="task"):
        gk.train_modular_addition("not a task")


@pytest.mark.parametrize("p", [3, 5, 23, 31])
def test_fourier_solution_gives_the_exact_logits(p):
    W1, W2 = gk.fourier_solution(p)
    task = gk.modular_addition(p, 0.5)
    logits = (task.x @ W1) ** 2 @ W2
    exact = 2.0 * p * (np.arange(p) == task.y[:, None]) - 2.0
    assert W1.shape == (2 * p, 4 * (p - 1))
    assert np.max(np.abs(logits - exact)) < 1e-11 * p * p


def test_fourier_solution_needs_its_cancelling_units():
    """Control: keep only the first pair of each four and the a - b term survives."""
    p = 23
    W1, W2 = gk.fourier_solution(p)
    keep = np.arange(W1.shape[1]) % 4 < 2
    task = gk.modular_addition(p, 0.5)
    logits = (task.x @ W1[:, keep]) ** 2 @ W2[keep]
    exact = 2.0 * p * (np.arange(p) == task.y[:, None]) - 2.0
    assert np.max(np.abs(logits - exact)) > 1.0


@pytest.mark.parametrize("p, exc", [(4, ValueError), (1, ValueError), (5.0, TypeError)])
def test_fourier_solution_refuses_bad_p(p, exc):
    with pytest.raises(exc, match="p"):
        gk.fourier_solution(p)
