"""umlib.physics.ising: energies, the exact references against each other, samplers against them."""

import math
from decimal import Decimal, getcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.physics import ising as I
from umlib.core import montecarlo, thermo

TC = I.onsager_Tc()


# -- energy -----------------------------------------------------------------
def test_energy_matches_lattice_energy_and_graph_form():
    rng = np.random.default_rng(0)
    S = I.random_spins((5, 4, 6), rng)
    g = I.square_lattice(4, 6)
    assert np.allclose(I.lattice_energy(S, h=0.3), I.energy(S.reshape(5, -1), g, h=0.3))


@given(st.integers(0, 2 ** 12 - 1), st.floats(-2, 2), st.integers(0, 11))
@settings(max_examples=60, deadline=None)
def test_single_flip_energy_change(k, h, i):
    """ΔE of flipping spin i is 2 s_i (Σ_j J_ij s_j + h): the Metropolis formula."""
    g = I.square_lattice(3, 4)
    s = 2.0 * ((k >> np.arange(12)) & 1) - 1
    t = s.copy()
    t[i] *= -1
    nb = sum(s[j] for a, j in g.edges.tolist() if a == i) + \
        sum(s[a] for a, j in g.edges.tolist() if j == i)
    assert I.energy(t, g, h) - I.energy(s, g, h) == pytest.approx(2 * s[i] * (nb + h), abs=1e-12)


@given(st.integers(0, 2 ** 9 - 1))
def test_global_flip_symmetry_at_zero_field(k):
    g = I.square_lattice(3)
    s = 2.0 * ((k >> np.arange(9)) & 1) - 1
    assert I.energy(s, g) == I.energy(-s, g)


def test_bad_inputs_name_the_argument():
    g = I.square_lattice(3)
    with pytest.raises(ValueError, match="s must contain only"):
        I.energy(np.zeros(9), g)
    with pytest.raises(ValueError, match="h must be"):
        I.energy(np.ones(9), g, h=np.ones(4))
    with pytest.raises(TypeError, match="graph"):
        I.energy(np.ones(9), "lattice")
    with pytest.raises(ValueError, match="T must be > 0"):
        I.metropolis(np.ones((1, 4, 4)), -1.0, 1, rng=0)
    with pytest.raises(ValueError, match="even L"):
        I.metropolis(np.ones((1, 3, 3)), 1.0, 1, rng=0)
    with pytest.raises(TypeError, match="rng"):
        I.metropolis(np.ones((1, 4, 4)), 1.0, 1, rng=None)
    with pytest.raises(ValueError, match="T is NaN"):
        I.onsager_energy(float("nan"))
    with pytest.raises(ValueError, match="enumeration is limited"):
        I.enumerate_energy_magnetization(I.square_lattice(5))
    with pytest.raises(ValueError, match="J must be > 0"):
        I.torus_log_z(4, 4, 1.0, J=-1.0)
    with pytest.raises(ValueError, match="self-loop"):
        I.Graph(2, np.array([[0, 0]]), np.ones(1))
    with pytest.raises(ValueError, match="M is identically zero"):
        montecarlo.binder(np.zeros(5))


# -- exact references -------------------------------------------------------
@pytest.mark.parametrize("L,M", [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 5)])
def test_enumeration_strip_and_kaufman_agree(L, M):
    E, Mg = I.enumerate_energy_magnetization(I.square_lattice(L, M))
    for T in (0.3, 1.0, TC, 3.0, 50.0):
        ex = I.exact_observables(E, Mg, L * M, T).log_Z
        assert I.strip_log_z(M, L, T) == pytest.approx(ex, rel=1e-14)
        assert I.torus_log_z(L, M, T) == pytest.approx(ex, rel=1e-14)


@given(st.integers(2, 7), st.integers(2, 9), st.floats(0.2, 20.0))
@settings(max_examples=40, deadline=None)
def test_kaufman_equals_transfer_matrix(L, M, T):
    assert I.torus_log_z(L, M, T) == pytest.approx(I.strip_log_z(L, M, T),
                                                           rel=1e-12)


def test_kaufman_negative_control_wrong_gamma0_sign():
    """The sign of γ0 (negative above T_c) is what makes Z4 negative; dropping it must break agreement."""
    E, Mg = I.enumerate_energy_magnetization(I.square_lattice(4))
    T = 3.0
    K = 1 / T
    m = n = 4
    k = np.arange(2 * n)
    gam = np.arccosh(math.cosh(2 * K) / math.tanh(2 * K) - np.cos(np.pi * k / n))
    gam[0] = abs(2 * K + math.log(math.tanh(K)))            # wrong: |γ0|
    terms = [np.prod(2 * np.cosh(m * gam[1::2] / 2)), np.prod(2 * np.sinh(m * gam[1::2] / 2)),
             np.prod(2 * np.cosh(m * gam[0::2] / 2)), np.prod(2 * np.sinh(m * gam[0::2] / 2))]
    wrong = math.log(0.5 * (2 * math.sinh(2 * K)) ** (m * n / 2) * sum(terms))
    exact = I.exact_observables(E, Mg, 16, T).log_Z
    assert abs(wrong - exact) > 1e-3


def test_kaufman_no_overflow_and_onsager_limit():
    for T in (1.0, 2.0, TC, 3.0):
        lz = I.torus_log_z(2048, 2048, T)
        assert math.isfinite(lz)
        f_L = -T * lz / 2048 ** 2
        assert f_L == pytest.approx(I.onsager_free_energy(T), abs=1e-6)


# -- Kaufman's derivatives: energy, heat capacity and its peak -----------------
@pytest.mark.parametrize("L,M", [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4), (4, 5)])
def test_kaufman_heat_capacity_and_energy_equal_enumeration(L, M):
    """c = Var(E)/(N T²) and u = <E>/N of the enumeration, to rounding (relative 1e-12)."""
    E, Mg = I.enumerate_energy_magnetization(I.square_lattice(L, M))
    for T in (0.8, 1.0, 1.5, TC, 2.3, 3.0, 10.0, 30.0):
        ex = I.exact_observables(E, Mg, L * M, T)
        assert I.torus_heat_capacity(L, M, T) == pytest.approx(ex.c, rel=1e-12)
        assert I.torus_energy(L, M, T) == pytest.approx(ex.e, rel=1e-13)


def test_kaufman_heat_capacity_with_a_coupling_scales():
    """c depends on J/T only; u is J times a function of J/T."""
    for J, T in ((0.5, 1.2), (2.0, 4.4), (3.0, 10.0)):
        assert I.torus_heat_capacity(5, 6, T, J=J) == pytest.approx(
            I.torus_heat_capacity(5, 6, T / J), rel=1e-13)
        assert I.torus_energy(5, 6, T, J=J) == pytest.approx(J * I.torus_energy(5, 6, T / J),
                                                             rel=1e-13)


@given(st.integers(2, 9), st.integers(2, 40), st.floats(0.6, 25.0))
@settings(max_examples=60, deadline=None)
def test_kaufman_heat_capacity_is_symmetric_in_rows_and_columns(L, M, T):
    """Kaufman's formula treats rows and columns differently; the torus does not."""
    assert I.torus_heat_capacity(L, M, T) == pytest.approx(I.torus_heat_capacity(M, L, T),
                                                           rel=1e-11)
    assert I.torus_energy(L, M, T) == pytest.approx(I.torus_energy(M, L, T), rel=1e-12)


def test_kaufman_derivatives_against_finite_differences():
    """A loose cross-check: central differences of ln Z in beta (step 2e-5: truncation
    and rounding both below 1e-6 relative here) and of c in T."""
    for L, T in ((8, 1.7), (32, 2.3), (128, 2.28), (64, 4.0)):
        b, d = 1 / T, 2e-5
        f = lambda bb: I.torus_log_z(L, L, 1 / bb)  # noqa: E731
        u_fd = -(f(b + d) - f(b - d)) / (2 * d) / L ** 2
        c_fd = b * b * (f(b + d) - 2 * f(b) + f(b - d)) / d ** 2 / L ** 2
        assert I.torus_energy(L, L, T) == pytest.approx(u_fd, rel=1e-7)
        assert I.torus_heat_capacity(L, L, T) == pytest.approx(c_fd, rel=1e-5)
        h = 1e-5
        slope_fd = (I.torus_heat_capacity(L, L, T + h)
                    - I.torus_heat_capacity(L, L, T - h)) / (2 * h)
        c, slope = I.torus_heat_capacity(L, L, T, slope=True)
        assert c == I.torus_heat_capacity(L, L, T)
        assert slope == pytest.approx(slope_fd, rel=1e-6)


def test_kaufman_energy_approaches_onsager():
    """At L = 1024 and T away from T_c the finite-size correction is exponentially small."""
    for T in (1.5, 2.0, 2.6, 3.5):
        assert I.torus_energy(1024, 1024, T) == pytest.approx(I.onsager_energy(T), abs=1e-11)


def test_heat_capacity_peak_is_a_maximum_and_moves_to_tc():
    T_prev = math.inf
    for L in (4, 8, 16, 64, 256):
        T_pk, c_pk = I.torus_heat_capacity_peak(L, L, 2.1, 3.0)
        assert I.torus_heat_capacity(L, L, T_pk, slope=True)[1] == pytest.approx(0.0, abs=1e-8)
        for dT in (1e-3, -1e-3):
            assert I.torus_heat_capacity(L, L, T_pk + dT) < c_pk
        assert TC < T_pk < T_prev
        T_prev = T_pk
    # the peak height grows like (8 Kc²/π) ln L (Ferdinand & Fisher)
    c128 = I.torus_heat_capacity_peak(128, 128, 2.2, 2.4)[1]
    c256 = I.torus_heat_capacity_peak(256, 256, 2.2, 2.4)[1]
    assert (c256 - c128) / math.log(2) == pytest.approx(8 / TC ** 2 / math.pi, rel=0.01)


def test_heat_capacity_peak_negative_control_bracket_without_maximum():
    with pytest.raises(ValueError, match="no maximum between T_lo"):
        I.torus_heat_capacity_peak(16, 16, 2.4, 3.0)      # c falls all the way
    with pytest.raises(ValueError, match="T_hi must exceed T_lo"):
        I.torus_heat_capacity_peak(16, 16, 2.4, 2.2)


def test_kaufman_derivatives_name_bad_arguments():
    for bad_L, err in ((1, ValueError), (0, ValueError), (2.5, TypeError), ("4", TypeError),
                       (True, TypeError)):
        with pytest.raises(err, match="L"):
            I.torus_heat_capacity(bad_L, 4, 2.0)
        with pytest.raises(err, match="M"):
            I.torus_energy(4, bad_L, 2.0)
    for bad_T, msg in ((0.0, "T must be > 0"), (-1.0, "T must be > 0"),
                       (float("nan"), "T is NaN"), (float("inf"), "T must be finite"),
                       (0.1, "T = 0.1 is outside"), (1e4, "T = 10000.0 is outside")):
        with pytest.raises(ValueError, match=msg):
            I.torus_heat_capacity(4, 4, bad_T)
        with pytest.raises(ValueError, match=msg):
            I.torus_energy(4, 4, bad_T)
    with pytest.raises(ValueError, match="J must be > 0"):
        I.torus_heat_capacity(4, 4, 2.0, J=-1.0)
    with pytest.raises(TypeError, match="slope"):
        I.torus_heat_capacity(4, 4, 2.0, slope="yes")
    with pytest.raises(ValueError, match="T_lo"):
        I.torus_heat_capacity_peak(4, 4, float("nan"), 3.0)
    # the edges of the documented range are accepted and finite
    for T in (0.4, 1000.0):
        assert math.isfinite(I.torus_heat_capacity(6, 6, T)) and I.torus_heat_capacity(6, 6, T) > 0


def test_chain_transfer_matrix_against_enumeration():
    for J, h, N in [(1.0, 0.3, 5), (-1.0, 0.3, 5), (-1.0, 0.1, 6), (0.5, -0.7, 7)]:
        g = I.Graph(N, np.array([[i, (i + 1) % N] for i in range(N)]), np.full(N, J))
        E, Mg = I.enumerate_energy_magnetization(g, h=h)
        for T in (0.4, 1.0, 3.0):
            assert I.chain_log_z(N, T, J, h) == pytest.approx(
                I.exact_observables(E, Mg, N, T).log_Z, rel=1e-13)


def test_chain_magnetization_is_derivative_of_free_energy():
    N, T, h, dh = 4000, 1.3, 0.2, 1e-5
    d = (I.chain_log_z(N, T, 1.0, h + dh) - I.chain_log_z(N, T, 1.0, h - dh))
    assert T * d / (2 * dh) / N == pytest.approx(I.chain_magnetization(T, 1.0, h), rel=1e-6)


def test_onsager_energy_is_derivative_of_free_energy_and_yang_limits():
    for T in (1.0, 2.0, 2.5, 4.0):
        b, db = 1 / T, 1e-5
        bf = lambda bb: bb * I.onsager_free_energy(1 / bb)  # noqa: E731
        assert (bf(b + db) - bf(b - db)) / (2 * db) == pytest.approx(I.onsager_energy(T), abs=1e-7)
    assert I.onsager_energy(TC) == pytest.approx(-math.sqrt(2), rel=1e-12)
    assert I.yang_magnetization(TC * 1.0001) == 0.0
    assert I.yang_magnetization(TC * 0.9999) > 0.0
    assert I.yang_magnetization(1e-3) == 1.0


# -- exact_observables: the core thermo functions, checked against a decimal reference
# (written when Part I/IV were routed through umlib.core.thermo)


@pytest.fixture(scope="module")
def lattice33():
    return I.enumerate_energy_magnetization(I.square_lattice(3))


@pytest.mark.parametrize("T", [0.3, 1.0, 2.269, 4.0, 50.0])
def test_exact_observables_are_the_core_thermo(lattice33, T):
    E, M = lattice33
    ob = I.exact_observables(E, M, 9, T)
    assert ob.log_Z == thermo.log_z(E, T)
    assert ob.e == thermo.mean_energy(E, T) / 9
    assert ob.c == thermo.heat_capacity(E, T) / 9
    p = thermo.gibbs(E, T)
    assert ob.abs_m == float(p @ np.abs(M / 9))


def test_exact_observables_match_a_decimal_reference(lattice33):
    E, M = lattice33
    vals, g = np.unique(E, return_counts=True)
    getcontext().prec = 40
    for T in np.linspace(0.5, 5.0, 10):
        Td, E0 = Decimal(float(T)), Decimal(float(vals.min()))
        w = [int(k) * (-(Decimal(float(v)) - E0) / Td).exp() for v, k in zip(vals, g)]
        Z = sum(w)
        e = sum(wi * Decimal(float(v)) for wi, v in zip(w, vals)) / Z
        e2 = sum(wi * Decimal(float(v)) ** 2 for wi, v in zip(w, vals)) / Z
        ob = I.exact_observables(E, M, 9, float(T))
        assert ob.log_Z == pytest.approx(float(-E0 / Td + Z.ln()), rel=1e-15)
        assert ob.e == pytest.approx(float(e / 9), rel=1e-14)
        assert ob.c == pytest.approx(float((e2 - e * e) / (Td * Td) / 9), rel=1e-14)


def test_exact_observables_tiny_T_is_a_named_overflow():
    with pytest.raises(OverflowError, match="T"):
        I.exact_observables([-4.0, 0.0, 4.0], [2.0, 0.0, -2.0], 2, 5e-324)
    with pytest.raises(OverflowError, match="T = "):
        I.exact_observables([-1e300, 0.0], [1.0, -1.0], 1, 1e-10)   # ln Z beyond float64


# -- samplers ---------------------------------------------------------------
@pytest.fixture(scope="module")
def exact4():
    E, M = I.enumerate_energy_magnetization(I.square_lattice(4))
    return {T: I.exact_observables(E, M, 16, T) for T in (1.8, 2.5)}


def _pooled(est, key):
    v, s = est[key]
    return v.mean(), np.sqrt((s ** 2).sum()) / v.size


@pytest.mark.parametrize("sampler", ["metropolis", "swendsen_wang"])
def test_samplers_match_enumeration(sampler, exact4):
    for T, ex in exact4.items():
        S0 = I.random_spins((8, 4, 4), 3)
        ch = getattr(I, sampler)(S0, T, 3000, rng=11)
        est = I.estimates(ch, discard=300)
        for key in ("e", "abs_m", "c", "chi", "binder"):
            v, se = _pooled(est, key)
            assert abs(v - getattr(ex, key)) < 4.5 * se, (sampler, T, key)


def test_sampler_negative_control_wrong_temperature(exact4):
    """A sampler run at the wrong temperature must fail the same 4.5-sigma check."""
    ch = I.metropolis(I.random_spins((8, 4, 4), 3), 2.2, 3000, rng=11)
    v, se = _pooled(I.estimates(ch, discard=300), "e")
    assert abs(v - exact4[2.5].e) > 4.5 * se


def test_metropolis_graph_matches_enumeration():
    g = I.random_graph(12, 3.0, rng=4)
    E, M = I.enumerate_energy_magnetization(g, h=0.2)
    ex = I.exact_observables(E, M, 12, 1.5)
    ch = I.metropolis_graph(np.ones((16, 12)), g, 1.5, 3000, rng=5, h=0.2)
    e = ch.E[300:] / 12
    v, se = montecarlo.jackknife(lambda x: x.mean(), [e.mean(1)], 20)
    assert abs(v - ex.e) < 4.5 * se


def test_coloring_is_proper():
    g = I.random_graph(300, 6.0, rng=0)
    c = I.graph_coloring(g)
    assert not np.any(c[g.edges[:, 0]] == c[g.edges[:, 1]])


def test_seeded_samplers_are_reproducible():
    a = I.swendsen_wang(np.ones((2, 8, 8)), 2.3, 20, rng=7)
    b = I.swendsen_wang(np.ones((2, 8, 8)), 2.3, 20, rng=np.random.default_rng(7))
    assert np.array_equal(a.M, b.M)


# -- error bars and observables ---------------------------------------------
def test_autocorrelation_time_of_ar1():
    rng = np.random.default_rng(0)
    phi, n = 0.8, 200_000
    x = np.empty(n)
    x[0] = 0
    eps = rng.normal(size=n)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + eps[t]
    assert montecarlo.autocorrelation_time(x) == pytest.approx(0.5 * (1 + phi) / (1 - phi), rel=0.05)


def test_jackknife_matches_known_errors_and_binder_limits():
    rng = np.random.default_rng(2)
    x = rng.normal(size=10000)
    v, se = montecarlo.jackknife(np.mean, [x], 50)
    assert se == pytest.approx(1 / 100, rel=0.25)
    assert float(montecarlo.binder(rng.normal(size=200000))) == pytest.approx(0.0, abs=0.01)
    with pytest.raises(ValueError, match="n_blocks"):
        montecarlo.jackknife(np.mean, [x[:5]], 10)


def test_binder_crossing_needs_exactly_one_root():
    T = np.linspace(2, 2.5, 5)
    with pytest.raises(ValueError, match="cross 0 times"):
        I.binder_crossing(T, T, T, T + 1)
    with pytest.raises(ValueError, match="do not overlap"):
        I.binder_crossing(T, T, T + 1, T)
    with pytest.raises(ValueError, match="T_b and U_b"):
        I.binder_crossing(T, T, T, T[:4])


def test_binder_crossing_on_different_grids_finds_the_exact_root():
    # two exact quadratics on grids of different spacing cross at 2.27 and 2.61
    Ta, Tb = np.linspace(2.0, 2.5, 6), np.linspace(2.2, 2.4, 5)
    Ua = 0.6 - 0.5 * (Ta - 2.27) + 0.3 * (Ta - 2.27) ** 2
    Ub = 0.6 - 0.6 * (Tb - 2.27) + 0.1 * (Tb - 2.27) ** 2
    assert I.binder_crossing(Ta, Ua, Tb, Ub) == pytest.approx(2.27, abs=1e-12)
    # control: the second curve shifted by 0.01 crosses elsewhere
    assert I.binder_crossing(Ta, Ua, Tb, Ub + 0.01) != pytest.approx(2.27, abs=1e-3)


def test_binder_crossing_error_is_the_leave_one_replica_out_jackknife():
    rng = np.random.default_rng(5)
    Ta, Tb = np.array([2.2, 2.25, 2.3, 2.35]), np.array([2.24, 2.27, 2.3])
    R = 8
    m2a = 0.5 + 0.01 * rng.normal(size=(R, 4)) - 0.4 * (Ta - 2.27)
    m2b = 0.5 + 0.01 * rng.normal(size=(R, 3)) - 0.8 * (Tb - 2.27)
    m4a, m4b = 1.1 * m2a ** 2, 1.1 * m2b ** 2 * (1 + 0.3 * (Tb - 2.27))
    Tx, se = I.binder_crossing_error(Ta, m2a, m4a, Tb, m2b, m4b)

    def U(a2, a4):
        return 1 - a4.mean(0) / (3 * a2.mean(0) ** 2)
    assert Tx == I.binder_crossing(Ta, U(m2a, m4a), Tb, U(m2b, m4b))
    keep = ~np.eye(R, dtype=bool)
    loo = np.array([I.binder_crossing(Ta, U(m2a[k], m4a[k]), Tb, U(m2b[k], m4b[k]))
                    for k in keep])
    ref = np.sqrt((R - 1) / R * ((loo - loo.mean()) ** 2).sum())
    assert se == pytest.approx(ref, rel=1e-9)
    assert se > 0
    with pytest.raises(ValueError, match="replica count"):
        I.binder_crossing_error(Ta, m2a, m4a, Tb, m2b[:5], m4b[:5])
    with pytest.raises(ValueError, match="m4_b must have shape"):
        I.binder_crossing_error(Ta, m2a, m4a, Tb, m2b, m4b[:, :2])


def test_domain_walls_and_unsatisfied_bonds_agree():
    S = I.random_spins((3, 6, 6), 0)
    g = I.square_lattice(6)
    assert np.array_equal(I.domain_walls(S), I.unsatisfied_bonds(S.reshape(3, -1), g))
    # on a ferromagnet E = -(n_bonds - 2 * walls)
    assert np.allclose(I.lattice_energy(S), -(72 - 2 * I.domain_walls(S)))


def test_correlation_length_small_at_high_T_large_at_low_T():
    hot = I.estimates(I.swendsen_wang(np.ones((4, 16, 16)), 5.0, 400, rng=1), discard=50)["xi"][0]
    cold = I.estimates(I.swendsen_wang(np.ones((4, 16, 16)), 2.27, 400, rng=1), discard=50)["xi"][0]
    assert hot.mean() < 1.5 < 8 < cold.mean()


def test_block_spins_majority_and_flow():
    S = I.random_spins((2, 9, 9), 0)
    B = I.block_spins(S, 3)
    assert B.shape == (2, 3, 3)
    assert np.array_equal(B, np.sign(S.reshape(2, 3, 3, 3, 3).sum(axis=(2, 4))))
    assert np.array_equal(I.block_spins(-S, 3), -B)                    # odd under the flip
    with pytest.raises(ValueError, match="odd"):
        I.block_spins(S, 2)


def test_field_sweep_hysteresis_below_tc_only():
    hs = np.concatenate([np.linspace(-1, 1, 11), np.linspace(1, -1, 11)])
    cold = I.field_sweep(-np.ones((4, 16, 16)), 1.5, hs, 10, rng=0)
    hot = I.field_sweep(-np.ones((4, 16, 16)), 4.0, hs, 10, rng=0)
    # at h = 0 on the way up the cold lattice still remembers the down state
    assert cold[5].mean() < -0.5 and cold[16].mean() > 0.5
    assert abs(hot[5].mean() - hot[16].mean()) < 0.2
