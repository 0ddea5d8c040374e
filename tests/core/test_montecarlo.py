"""Monte Carlo statistics of ``umlib.core.montecarlo`` against independent references.

Written to kill surviving mutants of ``autocorrelation_time``, ``jackknife`` and
``binder`` found by mutation testing (benchmarks/mutation.md).  The physics tests check
these only to a few per cent on long chains; here each is compared with a direct
(O(n²) or written-out) computation, and every error message is pinned.
"""

import math
import re

import numpy as np
import pytest

from umlib.core import montecarlo as mc


def _tau_reference(x, c):
    """τ_int with Sokal's window, from the autocorrelation summed directly."""
    x = np.asarray(x, dtype=float)
    y = x - x.mean()
    var = float(y @ y)
    n = y.size
    tau = 0.5
    for W in range(1, n):
        tau += float(y[:-W] @ y[W:]) / var
        if W >= c * tau:
            break
    return max(tau, 0.5)


def _ar1(n, phi, seed):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    x = np.empty(n)
    x[0] = e[0]
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return x


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("c", [1.5, 5.0, 8.0])
def test_autocorrelation_time_matches_the_direct_sum(phi, c):
    x = _ar1(300, phi, seed=int(10 * phi) + 1)
    got = mc.autocorrelation_time(x, c=c)
    assert type(got) is float
    assert got == pytest.approx(_tau_reference(x, c), rel=1e-9)


def test_autocorrelation_time_default_window_is_c_5():
    x = _ar1(400, 0.8, seed=3)
    assert mc.autocorrelation_time(x) == pytest.approx(_tau_reference(x, 5.0), rel=1e-9)
    assert mc.autocorrelation_time(x) == mc.autocorrelation_time(x, c=5.0)
    assert mc.autocorrelation_time(x) != pytest.approx(_tau_reference(x, 6.0), rel=1e-9)


def test_autocorrelation_time_runs_to_the_end_when_the_window_never_closes():
    """A linear trend keeps ρ(t) large: the loop stops at W = n - 1 without a break."""
    x = np.arange(6.0)
    assert mc.autocorrelation_time(x, c=50.0) == pytest.approx(_tau_reference(x, 50.0), rel=1e-12)


def test_autocorrelation_time_is_at_least_one_half():
    """An alternating series has τ_int < ½ by the sum; the result is clamped to ½."""
    x = np.array([1.0, -1.0] * 10)
    assert _tau_reference(x, 5.0) > 0.0  # the clamp matters only below ½:
    raw = 0.5 + sum(float((x - x.mean())[:-W] @ (x - x.mean())[W:]) / 20.0 for W in range(1, 2))
    assert raw < 0.5
    assert mc.autocorrelation_time(x) == 0.5


def test_autocorrelation_time_of_a_constant_series_is_one_half():
    assert mc.autocorrelation_time([3.0, 3.0, 3.0, 3.0]) == 0.5
    assert mc.autocorrelation_time(np.full(10, -2.5)) == 0.5


@pytest.mark.parametrize("x, c, exc, msg", [
    ([1.0, 2.0, 3.0], 5.0, ValueError, "x must have at least 4 element(s), got 3"),
    (np.ones((2, 3)), 5.0, ValueError, "x must be one-dimensional"),
    ([1.0, 2.0, np.nan, 4.0], 5.0, ValueError, "x contains NaN"),
    ([1.0, 2.0, 3.0, 4.0], 0.0, ValueError, "c must be > 0, got 0.0"),
    ([1.0, 2.0, 3.0, 4.0], -1.0, ValueError, "c must be > 0, got -1.0"),
])
def test_autocorrelation_time_messages(x, c, exc, msg):
    with pytest.raises(exc, match="^" + re.escape(msg) + "$"):
        mc.autocorrelation_time(x, c=c)


def _jackknife_reference(stat, data, nb):
    n = data[0].shape[0]
    edges = [int(b * n / nb) for b in range(nb + 1)]
    reps = []
    for b in range(nb):
        keep = [i for i in range(n) if not edges[b] <= i < edges[b + 1]]
        reps.append(np.asarray(stat(*[d[keep] for d in data]), dtype=float))
    reps = np.array(reps)
    mean = reps.mean(axis=0)
    se = np.sqrt((nb - 1) / nb * ((reps - mean) ** 2).sum(axis=0))
    return np.asarray(stat(*data), dtype=float), se


@pytest.mark.parametrize("n, nb", [(10, 2), (37, 5), (37, 37), (100, 20), (101, 7)])
def test_jackknife_matches_the_written_out_estimator(n, nb):
    rng = np.random.default_rng(n + nb)
    x = rng.normal(1.0, 1.0, size=n)
    y = rng.normal(2.0, 0.5, size=n)

    def ratio(a, b):
        return a.mean() ** 2 / b.mean()

    v, se = mc.jackknife(ratio, [x, y], n_blocks=nb)
    rv, rse = _jackknife_reference(ratio, [x, y], nb)
    assert type(v) is float and type(se) is float
    assert v == pytest.approx(float(rv), rel=1e-13)
    assert se == pytest.approx(float(rse), rel=1e-10)
    assert se > 0


def test_jackknife_default_is_twenty_blocks_and_accepts_one_bare_array():
    x = np.random.default_rng(5).normal(size=203)
    v, se = mc.jackknife(np.mean, x)
    rv, rse = _jackknife_reference(np.mean, [x], 20)
    assert v == pytest.approx(float(rv), rel=1e-13)
    assert se == pytest.approx(float(rse), rel=1e-10)
    assert (v, se) == mc.jackknife(np.mean, [x], n_blocks=20)
    assert se != pytest.approx(mc.jackknife(np.mean, [x], n_blocks=21)[1], rel=1e-9)


def test_jackknife_of_the_mean_equals_the_block_mean_standard_error():
    """For the mean with equal blocks the jackknife error is exactly the standard error of
    the block means: sqrt(var(block means, ddof=1) / nb)."""
    x = np.random.default_rng(8).normal(size=120)
    nb = 12
    _, se = mc.jackknife(np.mean, [x], n_blocks=nb)
    bm = x.reshape(nb, -1).mean(axis=1)
    assert se == pytest.approx(math.sqrt(bm.var(ddof=1) / nb), rel=1e-10)


def test_jackknife_of_a_vector_statistic_returns_arrays():
    rng = np.random.default_rng(2)
    data = rng.normal(size=(60, 3))
    v, se = mc.jackknife(lambda d: d.mean(axis=0), [data], n_blocks=6)
    rv, rse = _jackknife_reference(lambda d: d.mean(axis=0), [data], 6)
    assert isinstance(v, np.ndarray) and isinstance(se, np.ndarray)
    assert v.shape == se.shape == (3,)
    np.testing.assert_allclose(v, rv, rtol=1e-13)
    np.testing.assert_allclose(se, rse, rtol=1e-10)


def test_jackknife_of_a_constant_statistic_has_zero_error():
    v, se = mc.jackknife(lambda a: 4.0, [np.arange(10.0)], n_blocks=5)
    assert (v, se) == (4.0, 0.0)


def test_jackknife_accepts_integer_lists():
    v, se = mc.jackknife(np.mean, [[1, 2, 3, 4]], n_blocks=2)
    assert v == 2.5
    assert se == pytest.approx(1.0, rel=1e-15)   # block means 1.5, 3.5: sqrt(1/2 * 2 * 1) = 1


@pytest.mark.parametrize("data, nb, exc, msg", [
    ([np.ones(5), np.ones(6)], 2, ValueError, "data arrays must share their first axis"),
    ([np.ones(5)], 1, ValueError, "n_blocks must be an int >= 2, got 1"),
    ([np.ones(5)], 2.0, TypeError, "n_blocks must be an int, got float"),
    ([np.ones(5)], 6, ValueError, "n_blocks = 6 exceeds the series length 5 of data"),
])
def test_jackknife_messages(data, nb, exc, msg):
    with pytest.raises(exc, match="^" + re.escape(msg) + "$"):
        mc.jackknife(np.mean, data, n_blocks=nb)


def test_jackknife_allows_one_sample_per_block():
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    v, se = mc.jackknife(np.mean, [x], n_blocks=5)
    assert v == pytest.approx(6.2, rel=1e-15)
    assert se == pytest.approx(x.std(ddof=1) / math.sqrt(5), rel=1e-12)


def _binder_reference(M):
    M = np.asarray(M, dtype=float)
    return 1.0 - np.mean(M ** 4) / (3.0 * np.mean(M ** 2) ** 2)


@pytest.mark.parametrize("M, expected", [
    ([1.0, -1.0, 1.0, 1.0], 2.0 / 3.0),          # ordered
    ([1.0, 3.0], 1.0 - 41.0 / 75.0),             # <m^4> = 41, <m^2> = 5
    ([0.0, 2.0], 1.0 - 8.0 / 12.0),              # <m^4> = 8, <m^2> = 2
])
def test_binder_closed_forms(M, expected):
    assert float(mc.binder(M)) == pytest.approx(expected, rel=1e-15)


def test_binder_along_each_axis():
    rng = np.random.default_rng(4)
    M = rng.normal(size=(5, 7))
    got0 = mc.binder(M)                       # default axis 0
    assert got0.shape == (7,)
    np.testing.assert_allclose(got0, [_binder_reference(M[:, j]) for j in range(7)], rtol=1e-14)
    got1 = mc.binder(M, axis=1)
    assert got1.shape == (5,)
    np.testing.assert_allclose(got1, [_binder_reference(M[i]) for i in range(5)], rtol=1e-14)
    np.testing.assert_array_equal(mc.binder(M, axis=-1), got1)


@pytest.mark.parametrize("scale", [2.0 ** 300, 2.0 ** -300, 2.0 ** 260, 2.0 ** -260])
def test_binder_rescales_each_sample_set_exactly(scale):
    """Columns on wildly different scales: each is rescaled on its own, by a power of two,
    so the result is bit-identical to the unscaled one and no warning escapes."""
    rng = np.random.default_rng(9)
    M = rng.normal(size=(6, 2))
    big = M.copy()
    big[:, 1] *= scale
    with np.errstate(all="raise"):
        got = mc.binder(big)
    np.testing.assert_array_equal(got, mc.binder(M))


def test_binder_leaves_moderate_magnitudes_unscaled():
    """Between 1e-75 and 1e75 no rescaling is done (the moments are computed directly)."""
    M = np.array([3e-70, -1e-70, 2e-70])
    assert mc.binder(M) == _binder_reference(M)
    M = np.array([3e70, -1e70, 2e70])
    assert mc.binder(M) == _binder_reference(M)


def test_binder_with_a_zero_column_beside_a_tiny_one_raises_for_the_zero_column():
    M = np.array([[0.0, 1e-200], [0.0, -2e-200]])
    with pytest.raises(ValueError, match="^M is identically zero: the Binder cumulant is undefined$"):
        mc.binder(M)


@pytest.mark.parametrize("M, kw, exc, msg", [
    (7.0, {}, ValueError, "M must be an array of magnetisation samples, got a scalar"),
    (np.zeros(4), {}, ValueError, "M is identically zero: the Binder cumulant is undefined"),
    (np.ones(3), {"axis": 1}, ValueError,
     "axis=1 is out of range for an array of 1 dimension(s)"),
    ([1.0, np.inf], {}, ValueError, "M contains +inf"),
])
def test_binder_messages(M, kw, exc, msg):
    with pytest.raises(exc, match="^" + re.escape(msg) + "$"):
        mc.binder(M, **kw)


@pytest.mark.parametrize("shape", [(3, 5), (4, 4)])
def test_binder_rescales_along_axis_1(shape):
    """Each row rescaled on its own (the maxima keep their reduced axis for broadcasting)."""
    rng = np.random.default_rng(11)
    M = rng.normal(size=shape)
    big = M * (2.0 ** np.array([300, -300, 0, 280][:shape[0]]))[:, None]
    with np.errstate(all="raise"):
        got = mc.binder(big, axis=1)
    np.testing.assert_array_equal(got, mc.binder(M, axis=1))
