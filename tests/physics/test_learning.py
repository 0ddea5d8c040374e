"""umlib.physics.learning: SGD moments exactly and by simulation, the double well, the first law."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.physics import learning as Lg


@given(st.floats(0.01, 1.9), st.floats(0.1, 3.0), st.integers(1, 64))
@settings(max_examples=50, deadline=None)
def test_moment_recursion_converges_to_stationary_variance(eta_a, sigma, B):
    a = 1.0
    _, v = Lg.moment_recursion([a], np.full(20000, eta_a), sigma=sigma, batch=B)
    assert v[-1, 0] == pytest.approx(Lg.stationary_variance(a, eta_a, sigma, B)[0], rel=1e-9)


def test_equipartition_small_step_and_its_failures():
    a = np.array([0.1, 1.0, 10.0])
    eta = 1e-5
    T = Lg.training_temperature(eta)
    assert np.allclose(Lg.stationary_loss(a, eta), T / 2, rtol=1e-4)
    big = Lg.stationary_loss(a, 0.15)                    # eta * a up to 1.5
    assert big[2] / big[0] > 2
    hess = Lg.stationary_loss(a, eta, noise="hessian")   # noise covariance ~ curvature
    assert hess[2] / hess[0] == pytest.approx(100, rel=1e-3)


def test_simulation_matches_exact_variance():
    a = np.array([0.5, 2.0])
    run = Lg.sgd_quadratic(a, np.full(3000, 0.2), rng=0, n_chains=400, burn_in=300)
    exact = Lg.stationary_variance(a, 0.2)
    mean, se = run.sq.mean(0), run.sq.std(0, ddof=1) / math.sqrt(400)
    assert np.all(np.abs(mean - exact) < 4.5 * se)
    wrong = 0.2 / (2 * a)                     # the Gibbs T/a with T = eta sigma^2 / 2
    assert np.any(np.abs(mean - wrong) > 4.5 * se)              # negative control


def test_temperature_scales_with_eta_over_batch():
    assert Lg.training_temperature(0.2, 1.0, 4) == 2 * Lg.training_temperature(0.1, 1.0, 4)
    assert Lg.training_temperature(0.1, 1.0, 8) == 0.5 * Lg.training_temperature(0.1, 1.0, 4)


def test_instability_is_an_error_not_a_nan():
    with pytest.raises(ValueError, match="eta \\* a must be < 2"):
        Lg.stationary_variance(1.0, 2.5)
    with pytest.raises(ValueError, match="noise"):
        Lg.stationary_variance(1.0, 0.1, noise="pink")
    with pytest.raises(ValueError, match="a must be"):
        Lg.stationary_variance([-1.0], 0.1)


def test_double_well_laplace_limit_and_free_energy():
    w = Lg.DoubleWell(0.5)
    ratios = []
    for T in (0.02, 0.01):
        zl, zr = w.basin_Z(T)
        ratios.append(zl / zr)
    errs = [abs(r / w.laplace_ratio() - 1) for r in ratios]
    assert errs[1] < errs[0] < 0.1                      # converges as T -> 0
    T, dT = 0.2, 1e-4
    S_fd = -(w.free_energy(T + dT) - w.free_energy(T - dT)) / (2 * dT)
    assert w.entropy(T) == pytest.approx(S_fd, rel=1e-5)


def test_metropolis_1d_samples_the_double_well():
    w = Lg.DoubleWell(0.5)
    zl, zr = w.basin_Z(0.25)
    x = Lg.metropolis_1d(w.loss, 0.25, 3000, rng=0, x0=np.repeat([-1.0, 1.0], 200), step=0.6)
    frac = (x[500:] < w.barrier()).mean(0)
    assert abs(frac.mean() - zl / (zl + zr)) < 4.5 * frac.std(ddof=1) / math.sqrt(frac.size)


def test_first_law_is_exact_bookkeeping():
    w = Lg.DoubleWell(0.3)
    rng = np.random.default_rng(0)
    xi = rng.normal(size=500)
    x = [0.5]
    for k in range(500):
        x.append(x[-1] - 0.01 * (float(w.grad(x[-1])) + xi[k]))
    dL, W, Q = Lg.first_law_split(w.loss, w.grad, np.array(x), 0.01, xi)
    assert np.max(np.abs(dL - (W + Q))) < 1e-14
    assert abs(np.sum(dL) - (w.loss(x[-1]) - w.loss(x[0]))) < 1e-12


def test_zero_noise_freezes():
    x = Lg.langevin_sgd_1d(lambda t: Lg.DoubleWell(0.5).grad(t), 0.01, 0.0, 3000, rng=0,
                           x0=np.array([-0.3, 0.3]))
    assert np.allclose(x[-1], [-1, 1], atol=1e-3)


def test_wsd_and_lineage():
    s = Lg.wsd_schedule(1000, 0.1, 0.001)
    assert s.max() == 0.1 and s[-1] == pytest.approx(0.001)
    assert Lg.lineage_anachronisms() == [("Hop", "BGN", 1982, 1969)]
    with pytest.raises(ValueError, match="warmup"):
        Lg.wsd_schedule(100, 0.1, 0.01, warmup=0.5, decay=0.6)


def test_minibatch_noise_exact_vs_sampled():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    th = np.array([0.5, -1.0, 2.0])
    for B, rep in [(4, False), (20, False), (4, True)]:
        g = Lg.minibatch_gradients(X, y, th, B, 20000, rng=B, replace=rep)
        v = ((g - g.mean(0)) ** 2).sum(1).mean()
        assert v == pytest.approx(Lg.minibatch_noise_variance(X, y, th, B, rep), rel=0.05)
    with pytest.raises(ValueError, match="exceeds"):
        Lg.minibatch_noise_variance(X, y, th, 41)


def test_corrected_laplace_is_second_order_and_importance_Z_agrees():
    w = Lg.DoubleWell(0.5)
    err = []
    for T in (0.02, 0.01):
        zl, zr = w.basin_Z(T)
        err.append(abs(zl / zr / w.laplace_ratio(T) - 1))
    assert err[0] / err[1] == pytest.approx(4, rel=0.1)
    Z, se = Lg.importance_Z(w.loss, 0.25, 100000, rng=0, widths=(0.45, 0.3))
    assert abs(Z - sum(w.basin_Z(0.25))) < 4.5 * se
    with pytest.raises(ValueError, match="minima"):
        w.higher_derivatives(0.0)


def test_gibbs_variational_principle_and_basin_entropy():
    w = Lg.DoubleWell(0.5)
    x = np.linspace(-3, 3, 6001)
    T = 0.3
    F = w.free_energy(T)
    gibbs = np.exp(-w.loss(x) / T)
    assert Lg.variational_free_energy(w.loss, gibbs, x, T) == pytest.approx(F, abs=1e-6)
    for trial in (np.ones_like(x), np.exp(-w.loss(x) / (2 * T)), gibbs * (x > 0)):
        assert Lg.variational_free_energy(w.loss, trial, x, T) > F
    SL, SR = w.basin_entropy(0.05)
    assert SL > SR
