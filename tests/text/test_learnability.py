"""Tests of umlib.text.learnability: contexts as binary factors, the table, the factored fit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from umlib.text import learnability as L


def _ring(n=96, seed=0):
    rng = np.random.default_rng(seed)
    return rng.choice(np.frombuffer(b"abcde <>/", np.uint8), size=n).astype(np.int64)


def test_context_bits_reads_the_ring():
    x = np.array([5, 200, 7])
    s = L.context_bits(x, 2)
    assert s.shape == (3, 16)
    back = lambda row: sum(1 << b for b in range(8) if row[b] > 0)   # noqa: E731
    assert [back(s[t, :8]) for t in range(3)] == [7, 5, 200]        # x[t-1]
    assert [back(s[t, 8:]) for t in range(3)] == [200, 7, 5]        # x[t-2]
    assert L.context_bits(x, 0).shape == (3, 0)


def test_fold_split_blocks_and_training_before_them():
    tr, te = L.fold_split(16, 4, 1, 6)
    assert te.tolist() == [4, 5, 6, 7]
    assert tr.tolist() == [14, 15, 0, 1, 2, 3]
    assert not set(tr) & set(te)
    with pytest.raises(ValueError, match="n"):
        L.fold_split(16, 4, 1, 13)
    with pytest.raises(ValueError, match="folds"):
        L.fold_split(15, 4, 1, 3)


def test_table_counts_exactly():
    s = np.array([[1, -1], [1, -1], [1, -1], [-1, -1]])
    r = L.table_bits(s, [3, 3, 4, 9], [[1, -1], [-1, 1], [-1, -1]], [3, 3, 5])
    expect = [-math.log2((2 + 1 / 256) / 4), 8.0, -math.log2((1 / 256) / 2)]
    assert r.bits == pytest.approx(expect, abs=1e-13)


def test_unseen_context_costs_eight_bits_any_mass():
    for mass in (0.01, 1.0, 256.0):
        r = L.table_bits([[1]], [3], [[-1]], [3], mass=mass)
        assert r.bits[0] == 8.0


def _full_fit(st, yt, se, ye):
    """The 256-class problem solved directly (the specification of factored_bits)."""
    X = np.hstack([np.ones((len(yt), 1)), st])
    Y1 = np.zeros((len(yt), 256))
    Y1[np.arange(len(yt)), yt] = 1

    def f(th):
        W = th.reshape(256, X.shape[1])
        Z = X @ W.T
        Z -= Z.max(1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(1, keepdims=True)
        return (-np.log(P[Y1 > 0]).sum() + 0.5 * (W * W).sum(),
                ((P - Y1).T @ X + W).ravel())

    res = minimize(f, np.zeros(256 * X.shape[1]), jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-10, "ftol": 0, "maxiter": 20000})
    W = res.x.reshape(256, -1)
    Xe = np.hstack([np.ones((len(ye), 1)), se])
    Z = Xe @ W.T
    m = Z.max(1)
    lse = np.log(np.exp(Z - m[:, None]).sum(1)) + m
    return (lse - Z[np.arange(len(ye)), ye]) / math.log(2)


def test_factored_fit_equals_the_full_256_byte_problem():
    """Regression: the shared row of the bytes never seen is the full problem's minimum."""
    x = _ring()
    s = L.context_bits(x, 1)
    tr, te = L.fold_split(x.size, 4, 2, 48)
    r = L.factored_bits(s[tr], x[tr], s[te], x[te], gtol=1e-8)
    ref = _full_fit(s[tr], x[tr], s[te], x[te])
    assert np.abs(r.bits - ref).max() <= max(r.err, 1e-6)
    assert r.err < 1e-6


def test_factored_without_factors_is_a_smoothed_frequency():
    """With no factors and every byte equally often, the prior keeps the law uniform over
    the seen bytes, with less than their share left for the 256 - m unseen ones."""
    y = np.array([1, 2, 3, 4] * 5)
    e = np.zeros((20, 0))
    r = L.factored_bits(e, y, e[:4], y[:4], gtol=1e-9)
    assert np.ptp(r.bits) < 1e-9
    assert 2.0 < r.bits[0] < 8.0


def test_grid_matches_cell_by_cell_and_shuffle_control():
    x = _ring(64, seed=1)
    g = L.heldout_grid(x, ks=(1, 2), ns=(8, 24), folds=4)
    s = L.context_bits(x, 2)
    tr, te = L.fold_split(64, 4, 3, 24)
    assert g.table[1, 1, 3] == L.table_bits(s[tr], x[tr], s[te], x[te]).bpc
    f = L.factored_bits(s[tr], x[tr], s[te], x[te])
    assert abs(g.factored[1, 1, 3] - f.bpc) <= g.err + f.err
    c = L.heldout_grid(x, ks=(2,), ns=(8, 24), folds=4, shuffle=0)
    assert np.array_equal(c.context_free[0], g.context_free[1])     # byte counts are kept
    assert not np.array_equal(c.table[0], g.table[1])


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="s_train"):
        L.table_bits([[0.5]], [1], [[1]], [1])
    with pytest.raises(ValueError, match="s_test"):
        L.factored_bits([[1]], [1], [[1, 1]], [1])
    with pytest.raises(ValueError, match="y_train"):
        L.table_bits([[1]], [300], [[1]], [1])
    with pytest.raises(ValueError, match="gtol"):
        L.factored_bits([[1]], [1], [[1]], [1], gtol=1.0)
    with pytest.raises(ValueError, match="ns"):
        L.heldout_grid(list(b"abcdabcd"), ks=(1,), ns=(4, 2), folds=2)


def test_grid_keeps_every_held_out_position():
    """Each position is held out in exactly one block: the mean of its block's positions
    is that block's entry (a shifted block would not be)."""
    import numpy as np

    from umlib.text.learnability import heldout_grid

    x = list(b"the cat sat on the mat; the dog sat on the log. " * 2)[:96]
    g = heldout_grid(x, ks=(1, 2), ns=(8, 16), folds=4)
    for P, B in ((g.table_positions, g.table), (g.factored_positions, g.factored)):
        assert P.shape == (2, 2, 96)
        blocks = P.reshape(2, 2, 4, 24).mean(axis=3)
        np.testing.assert_allclose(blocks, B, rtol=1e-12)
        assert not np.allclose(np.roll(P, 24, axis=2).reshape(2, 2, 4, 24).mean(axis=3), B)
