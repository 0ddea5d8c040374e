"""umlib.physics.ising.multispin: 64 replicas in the bits of a uint64 lattice.

The bit layout and the bitwise adder are checked exactly (packing round trips, and the
zero-temperature dynamics against a plain ±1 checkerboard); the random acceptance bits
against their binomial error; the sampler against the enumerated 4x4 torus, Kaufman's
32x32 torus and Onsager's energy within stated statistical errors (the 64 replicas are
independent chains, so the error of a replica average is the spread of the 64 chain
means over √64, cross-checked by the autocorrelation time); and each check has a
negative control that it must reject.
"""

import math

import numpy as np
import pytest

from umlib.core import montecarlo, thermo
from umlib.physics import ising as I
from umlib.physics.ising import multispin as MS

N_SIGMA = 4.0


# -- the bit layout -----------------------------------------------------------
def test_pack_unpack_round_trip_and_bit_order():
    S = I.random_spins((64, 6, 6), 0)
    W = I.pack_spins(S)
    assert W.dtype == np.uint64 and W.shape == (6, 6)
    assert np.array_equal(I.unpack_spins(W), S)
    assert np.array_equal(I.pack_spins(I.unpack_spins(W)), W)
    one = -np.ones((64, 1), dtype=np.int8)
    one[5] = 1
    assert int(I.pack_spins(one)[0]) == 1 << 5          # replica r is bit r
    assert int(I.pack_spins(np.ones((64, 1)))[0]) == 2 ** 64 - 1


def test_lane_counts_are_per_replica_sums():
    S = I.random_spins((64, 300, 7), 1)                  # 2100 words: several 255-blocks
    W = I.pack_spins(S)
    assert np.array_equal(I.lane_counts(W), (S > 0).sum(axis=(1, 2)))


def _checkerboard_T0(S, n_sweeps):
    """Zero-temperature checkerboard on ±1 spins (flip iff ΔE <= 0), colour 0 first."""
    S = S.astype(np.int64)
    L = S.shape[1]
    i, j = np.indices((L, L))
    for _ in range(n_sweeps):
        for c in (0, 1):
            nb = (np.roll(S, 1, 1) + np.roll(S, -1, 1) + np.roll(S, 1, 2) + np.roll(S, -1, 2))
            S = np.where((2 * S * nb <= 0) & ((i + j) % 2 == c), -S, S)
    return S


@pytest.mark.parametrize("L", [2, 4, 6, 10])
def test_zero_temperature_dynamics_are_exact(L):
    """Acceptance 0 for ΔE = 4, 8: the bitwise neighbour count must reproduce the ±1 rule."""
    S = I.random_spins((64, L, L), L)
    ch = MS._run(S, [0, 0], 6, np.random.default_rng(0), 64, True, 1.0)
    ref = _checkerboard_T0(S, 6)
    assert np.array_equal(ch.S, ref)
    assert np.array_equal(ch.E[-1], I.lattice_energy(ref.astype(np.float64)))
    assert np.array_equal(ch.M[-1], ref.sum(axis=(1, 2)))


@pytest.mark.parametrize("h", [0.5, 2.0, -3.0])
def test_zero_temperature_dynamics_in_a_field_are_exact(h):
    """In a field: the three-bit count and the ten (n, s) cases against flip iff ΔE <= 0."""
    S = I.random_spins((64, 6, 6), 7)
    ch = MS._run(S, MS._thresholds(1e3, h, 64), 4, np.random.default_rng(0), 64, True,
                 1e-3, h)
    R = S.astype(np.int64)
    i, j = np.indices((6, 6))
    for _ in range(4):
        for c in (0, 1):
            nb = np.roll(R, 1, 1) + np.roll(R, -1, 1) + np.roll(R, 1, 2) + np.roll(R, -1, 2)
            R = np.where((2 * R * (nb + h) <= 0) & ((i + j) % 2 == c), -R, R)
    assert np.array_equal(ch.S, R)
    assert np.allclose(ch.E[-1], I.lattice_energy(R.astype(np.float64), 1.0, h))


def test_infinite_temperature_flips_every_spin():
    """Acceptance 1: each half-sweep flips its whole colour, so a sweep negates the lattice."""
    S = I.random_spins((64, 8, 8), 2)
    ch = MS._run(S, [2 ** 64, 2 ** 64], 3, np.random.default_rng(0), 64, True, 1.0)
    assert np.array_equal(ch.S, -S)
    assert np.array_equal(ch.M[:, 0], [-S[0].sum(), S[0].sum(), -S[0].sum()])


# -- the random acceptance bits -------------------------------------------------
@pytest.mark.parametrize("p", [0.3, math.exp(-4 / 2.3), math.exp(-8 / 2.3), math.exp(-8 / 1.0),
                               2.0 ** -11 + 2.0 ** -30])
def test_bernoulli_words_rate_within_binomial_error(p):
    n = 64 * 40_000
    w = I.bernoulli_words(p, 40_000, rng=int(p * 1e6))
    k = int(np.bitwise_count(w).sum())
    assert abs(k / n - p) < N_SIGMA * math.sqrt(p * (1 - p) / n), (k / n, p)


def test_bernoulli_words_truncates_p_to_its_bits():
    """With 3 binary digits p = 0.3 is 0.010 in binary: the rate is 1/4, not 0.3."""
    n = 64 * 40_000
    k = int(np.bitwise_count(I.bernoulli_words(0.3, 40_000, rng=5, bits=3)).sum())
    assert abs(k / n - 0.25) < N_SIGMA * math.sqrt(0.25 * 0.75 / n)
    assert abs(k / n - 0.3) > 50 * math.sqrt(0.3 * 0.7 / n)       # negative control
    assert np.all(I.bernoulli_words(1.0, 10, rng=0) == np.uint64(2 ** 64 - 1))
    assert np.all(I.bernoulli_words(0.0, 10, rng=0) == 0)


def test_bernoulli_lanes_are_independent():
    """Each lane has the rate p and no two lanes are correlated (|r| < 5/√n for all pairs)."""
    n, p = 20_000, 0.2
    bits = MS._bits_of(I.bernoulli_words(p, n, rng=7)).astype(np.float64)    # (n, 64)
    rates = bits.mean(axis=0)
    assert np.all(np.abs(rates - p) < N_SIGMA * math.sqrt(p * (1 - p) / n))
    r = np.corrcoef(bits.T)[np.triu_indices(64, 1)]
    assert np.abs(r).max() < 5 / math.sqrt(n)
    shared = np.repeat(bits[:, :1], 64, axis=1)           # negative control: one lane copied
    assert np.corrcoef(shared.T)[0, 1] > 0.99


# -- the sampler against exact values -------------------------------------------
def _replica_mean(x):
    """Mean over the 64 independent replicas of their time averages, and its standard error."""
    means = x.mean(axis=0)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(means.size))


@pytest.fixture(scope="module")
def exact4():
    E, M = I.enumerate_energy_magnetization(I.square_lattice(4))
    return {T: I.exact_observables(E, M, 16, T) for T in (1.5, 2.3, 3.5)}


@pytest.mark.parametrize("T", [1.5, 2.3, 3.5])
def test_4x4_matches_enumeration(exact4, T):
    ch = I.multispin_metropolis(I.random_spins((64, 4, 4), 3), T, 1500, rng=11)
    e, m = ch.E[200:] / 16, ch.M[200:] / 16
    ex = exact4[T]
    for name, x, exact in (("e", e, ex.e), ("abs_m", np.abs(m), ex.abs_m), ("m2", m ** 2, ex.m2)):
        v, se = _replica_mean(x)
        # the replica spread against the chain's own autocorrelation time: the same error
        tau = montecarlo.autocorrelation_time(x[:, 0])
        se_tau = math.sqrt(2 * tau * x.var() / x.shape[0] / 64)
        assert 0.6 < se / se_tau < 1.6, (name, se, se_tau)
        assert abs(v - exact) < N_SIGMA * se, (T, name, v, exact, se)


@pytest.mark.parametrize("T,h,start", [(2.3, 0.3, 1), (3.0, 1.0, 1), (1.5, -0.5, -1)])
def test_4x4_in_a_field_matches_enumeration(T, h, start):
    E, M = I.enumerate_energy_magnetization(I.square_lattice(4), h=h)
    p = thermo.gibbs(E, T)
    ch = I.multispin_metropolis(start * np.ones((64, 4, 4), dtype=np.int8), T, 1500, rng=12,
                                h=h)
    assert np.allclose(ch.E[-1], I.lattice_energy(ch.S.astype(np.float64), 1.0, h))
    for x, exact in ((ch.E[200:] / 16, p @ E / 16), (ch.M[200:] / 16, p @ M / 16)):
        v, se = _replica_mean(x)
        assert abs(v - exact) < N_SIGMA * se, (T, h, v, exact, se)


def test_field_negative_control_wrong_sign_is_rejected():
    """The field with the wrong sign in ΔE (a classic slip) fails the same check."""
    T, h = 3.0, 1.0
    E, M = I.enumerate_energy_magnetization(I.square_lattice(4), h=h)
    m_exact = thermo.gibbs(E, T) @ M / 16
    bad = MS._run(np.ones((64, 4, 4), dtype=np.int8), MS._thresholds(1 / T, -h, 64), 1500,
                  np.random.default_rng(12), 64, True, T, h)
    v, se = _replica_mean(bad.M[200:] / 16)
    assert abs(v - m_exact) > N_SIGMA * se


def test_4x4_chain_reads_into_estimates(exact4):
    ch = I.multispin_metropolis(np.ones((64, 4, 4), dtype=np.int8), 2.3, 1000, rng=4)
    est = I.estimates(ch, discard=100)
    v, s = est["e"]
    se = math.sqrt((s ** 2).sum()) / v.size
    assert abs(v.mean() - exact4[2.3].e) < N_SIGMA * se
    assert "xi" not in est


@pytest.fixture(scope="module")
def runs32():
    """32x32 chains at T = 2.0 and 3.0 (300 sweeps, the first 100 discarded)."""
    S = np.ones((64, 32, 32), dtype=np.int8)
    return {T: I.multispin_metropolis(S, T, 300, rng=int(10 * T)) for T in (2.0, 3.0)}


@pytest.mark.parametrize("T", [2.0, 3.0])
def test_32x32_energy_matches_kaufman_and_onsager(runs32, T):
    v, se = _replica_mean(runs32[T].E[100:] / 1024)
    assert se < 2e-3
    assert abs(v - I.torus_energy(32, 32, T)) < N_SIGMA * se       # per spin
    assert abs(v - I.onsager_energy(T)) < N_SIGMA * se     # finite-size shift << se here


@pytest.mark.parametrize("T", [2.0, 3.0])
def test_negative_control_wrong_acceptance_is_rejected(runs32, T):
    """Accepting ΔE = 8 with e^{-4/T} (a wrong threshold) fails the same energy check."""
    th4 = MS._threshold(math.exp(-4 / T), 64)
    bad = MS._run(np.ones((64, 32, 32), dtype=np.int8), [th4, th4], 300,
                  np.random.default_rng(int(10 * T)), 64, True, T)
    v, se = _replica_mean(bad.E[100:] / 1024)
    assert abs(v - I.onsager_energy(T)) > N_SIGMA * se


def test_replicas_are_independent(runs32):
    """Started identical, the 64 chains at T = 3 decorrelate: their M series are uncorrelated.

    For independent series the correlation coefficient of n samples with integrated
    autocorrelation time τ has standard deviation about sqrt(2τ/n).
    """
    M = runs32[3.0].M[100:]
    n = M.shape[0]
    tau = np.mean([montecarlo.autocorrelation_time(M[:, k]) for k in range(64)])
    sd = math.sqrt(2 * tau / n)
    r = np.corrcoef(M.T)[np.triu_indices(64, 1)]
    assert np.abs(r).max() < 5 * sd, (np.abs(r).max(), sd)
    assert abs(r.mean()) < 5 * sd / math.sqrt(64), (r.mean(), sd)
    assert np.unique(runs32[3.0].S.reshape(64, -1), axis=0).shape[0] == 64
    # negative control: lanes that share their random bits stay identical
    same = MS._run(np.ones((64, 32, 32), dtype=np.int8), [2 ** 64, 0], 5,
                   np.random.default_rng(0), 64, True, 3.0)
    assert np.unique(same.S.reshape(64, -1), axis=0).shape[0] == 1


# -- bookkeeping and arguments ----------------------------------------------------
def test_seeded_and_counted():
    S = I.random_spins((64, 6, 6), 9)
    a = I.multispin_metropolis(S, 2.3, 10, rng=3)
    b = I.multispin_metropolis(S, 2.3, 10, rng=np.random.default_rng(3), h=0.0)
    assert np.array_equal(a.S, b.S) and np.array_equal(a.E, b.E)
    assert a.flips == 10 * 64 * 36 and a.n_sites == 36 and np.all(a.T == 2.3)
    c = I.multispin_metropolis(S, 2.3, 10, rng=3, measure=False)
    assert np.array_equal(c.M, a.M) and not c.E.any()


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="S must have shape"):
        I.multispin_metropolis(np.ones((63, 4, 4)), 2.0, 1, rng=0)
    with pytest.raises(ValueError, match="even L"):
        I.multispin_metropolis(np.ones((64, 5, 5)), 2.0, 1, rng=0)
    with pytest.raises(ValueError, match="S must contain only"):
        I.multispin_metropolis(np.zeros((64, 4, 4)), 2.0, 1, rng=0)
    with pytest.raises(ValueError, match="T"):
        I.multispin_metropolis(np.ones((64, 4, 4)), float("nan"), 1, rng=0)
    with pytest.raises(OverflowError, match="T"):
        I.multispin_metropolis(np.ones((64, 4, 4)), 1e-320, 1, rng=0)
    with pytest.raises(ValueError, match="h must be finite"):
        I.multispin_metropolis(np.ones((64, 4, 4)), 2.0, 1, rng=0, h=float("inf"))
    with pytest.raises(ValueError, match="p must be"):
        I.bernoulli_words(1.5, 3, rng=0)
    with pytest.raises(ValueError, match="bits"):
        I.bernoulli_words(0.5, 3, rng=0, bits=65)
    with pytest.raises(TypeError, match="W must be a uint64"):
        I.unpack_spins(np.ones(3))
    with pytest.raises(ValueError, match="S must have shape"):
        I.pack_spins(np.ones((8, 2)))
