"""Tests of umlib.networks.superposition: the toy model's geometry and the sparse autoencoder."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.book import gates
from umlib.networks import superposition as sp


@given(k=st.integers(3, 12), r=st.floats(0.1, 10), phase=st.floats(0, 6.3))
@settings(max_examples=100, deadline=None)
def test_regular_polygon_dimensionality_is_2_over_k(k, r, phase):
    a = phase + 2 * np.pi * np.arange(k) / k
    W = r * np.stack([np.cos(a), np.sin(a)])
    assert np.allclose(sp.feature_dimensionality(W), 2 / k, atol=1e-12)


def test_dimensionality_edge_cases():
    assert sp.feature_dimensionality(np.eye(3)).tolist() == [1.0, 1.0, 1.0]
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])
    assert sp.feature_dimensionality(W).tolist() == [0.5, 0.5, 0.0]   # antipodal pair


def test_toy_model_phases():
    dense = sp.train_toy_model(sparsity=0.0, steps=1500, rng=0)
    sparse = sp.train_toy_model(sparsity=0.9, steps=1500, rng=0)
    assert sp.n_represented(sparse) == 5
    assert np.allclose(np.diff(sp.feature_angles(sparse.W)), 72.0, atol=1.5)
    assert np.allclose(sp.feature_dimensionality(sparse.W), 0.4, atol=0.02)
    assert sp.n_represented(dense) < 5
    again = sp.train_toy_model(sparsity=0.9, steps=1500, rng=0)
    assert np.array_equal(again.W, sparse.W)


def test_sae_recovers_planted_directions_and_small_dictionary_cannot():
    D = sp.planted_dictionary(20, 10, rng=0)
    x, f = sp.planted_activations(D, 8000, 0.06, rng=1)
    assert np.allclose(x, f @ D)
    big = sp.train_sae(x, 40, alpha=0.4, steps=2000, rng=2)
    n, mean = sp.recovery(D, big.Wd, 0.9)
    assert n >= 19 and mean > 0.95
    assert np.allclose(np.linalg.norm(big.Wd, axis=1), 1.0)
    small = sp.train_sae(x, 3, alpha=0.4, steps=500, rng=2)
    # bound: with bar b, one atom can match two planted directions only if
    # their cosine is >= 2 b^2 - 1
    planted_cos = np.abs(D @ D.T - np.eye(20)).max()
    bar = 0.95
    assert 2 * bar ** 2 - 1 > planted_cos
    assert sp.recovery(D, small.Wd, bar)[0] <= 3
    m = big.metrics(x)
    assert m["mse"] >= 0 and m["l0"] > 0


def test_max_cosine_and_bad_inputs():
    assert sp.max_cosine([[1.0, 0.0]], [[-1.0, 0.0], [1.0, 1.0]])[0] == pytest.approx(
        1 / math.sqrt(2))
    with pytest.raises(ValueError, match="sparsity"):
        sp.sparse_features(10, 5, 1.0)
    with pytest.raises(ValueError, match="importance"):
        sp.train_toy_model(importance=[1.0, 2.0])
    with pytest.raises(ValueError, match="W must have 2 rows"):
        sp.feature_angles(np.eye(3))
    with pytest.raises(ValueError, match="p_active"):
        sp.planted_activations(np.eye(2), 5, 0.0)
    with pytest.raises(ValueError, match="n_dict"):
        sp.train_sae(np.zeros((4, 2)), 0)
    with pytest.raises(ValueError, match="bar"):
        sp.recovery(np.eye(2), np.eye(2), 1.5)
    with pytest.raises(TypeError, match="rng"):
        sp.sparse_features(3, 2, 0.5, rng=1.5)


def test_gate_families_can_fail_on_geometry():
    gates.new_log("test")
    square = np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 0.0, -1.0]])
    with gates.expect_failure("a square is not a pentagon"):
        gates.gate_abs("D_i = 2/5", sp.feature_dimensionality(square), 0.4, atol=0.02)
