"""Part IV argument validation: umlib.physics.ising, umlib.physics.spinglass and umlib.physics.learning refuse bad
input with an error naming the argument, and the low-temperature limits that used to
overflow (math range errors, RuntimeWarnings) now give the exact limit or a named error."""

import math

import numpy as np
import pytest

from umlib.physics import ising as I, learning as Lr, spinglass as SG
from umlib.core import montecarlo

TINY_T = 1e-320          # subnormal: 1/T overflows float64
BAD_SCALARS = [np.nan, np.inf, "1", None, [1.0], True]


# -- scalar couplings and fields --------------------------------------------------------
@pytest.mark.parametrize("bad", BAD_SCALARS)
@pytest.mark.parametrize("call,arg", [
    (lambda v: I.square_lattice(3, J=v), "J"),
    (lambda v: I.random_graph(10, 2.0, rng=0, J=v), "J"),
    (lambda v: I.lattice_energy(np.ones((2, 2)), J=v), "J"),
    (lambda v: I.lattice_energy(np.ones((2, 2)), h=v), "h"),
    (lambda v: I.chain_log_z(4, 1.0, J=v), "J"),
    (lambda v: I.chain_log_z(4, 1.0, h=v), "h"),
    (lambda v: I.chain_magnetization(1.0, J=v), "J"),
    (lambda v: I.chain_magnetization(1.0, h=v), "h"),
    (lambda v: I.strip_log_z(2, 3, 1.0, J=v), "J"),
    (lambda v: I.strip_log_z(2, 3, 1.0, h=v), "h"),
    (lambda v: I.torus_log_z(4, 4, 2.0, J=v), "J"),
    (lambda v: I.metropolis(np.ones((1, 2, 2)), 1.0, 1, rng=0, J=v), "J"),
    (lambda v: I.metropolis(np.ones((1, 2, 2)), 1.0, 1, rng=0, h=v), "h"),
    (lambda v: I.swendsen_wang(np.ones((1, 2, 2)), 1.0, 1, rng=0, J=v), "J"),
    (lambda v: I.block_graph([3, 3], 0.5, 0.1, rng=0, J_in=v), "J_in"),
    (lambda v: I.block_graph([3, 3], 0.5, 0.1, rng=0, J_out=v), "J_out"),
    (lambda v: SG.sk_couplings(4, rng=0, J0=v), "J0"),
    (lambda v: Lr.DoubleWell(h=v), "h"),
    (lambda v: Lr.langevin_sgd_1d(lambda t: t, v, 1.0, 2, rng=0, x0=[0.0]), "eta"),
    (lambda v: Lr.langevin_sgd_1d(lambda t: t, 0.1, v, 2, rng=0, x0=[0.0]), "sigma"),
])
def test_scalar_arguments_are_named(call, arg, bad):
    with pytest.raises((ValueError, TypeError)) as exc:
        call(bad)
    assert arg in str(exc.value)


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan, "x", None])
@pytest.mark.parametrize("call,arg", [
    (lambda v: SG.pm_j_lattice(3, rng=0, p_negative=v), "p_negative"),
    (lambda v: I.block_graph([3, 3], v, 0.1, rng=0), "p_in"),
    (lambda v: I.block_graph([3, 3], 0.5, v, rng=0), "p_out"),
    (lambda v: SG.retrieval_overlap(20, 2, rng=0, flip_fraction=v), "flip_fraction"),
])
def test_probabilities_are_named(call, arg, bad):
    with pytest.raises((ValueError, TypeError)) as exc:
        call(bad)
    assert arg in str(exc.value)


@pytest.mark.parametrize("bad", [np.nan, "x", None, [0.1]])
@pytest.mark.parametrize("arg", ["warmup", "decay"])
def test_wsd_fractions_are_named(arg, bad):
    with pytest.raises((ValueError, TypeError)) as exc:
        Lr.wsd_schedule(100, 0.1, 0.001, **{arg: bad})
    assert arg in str(exc.value) or "warmup and decay" in str(exc.value)


@pytest.mark.parametrize("bad", [1.5, "3", None, True, -1])
def test_integer_offsets_are_not_truncated(bad):
    ch = I.metropolis(np.ones((1, 4, 4), dtype=np.int8), 1.0, 40, rng=0)
    with pytest.raises((ValueError, TypeError), match="discard"):
        I.estimates(ch, discard=bad, n_blocks=5)
    with pytest.raises((ValueError, TypeError), match="burn_in"):
        Lr.sgd_quadratic([1.0], np.full(10, 0.1), rng=0, n_chains=2, burn_in=bad)


def test_c_of_double_well_is_named():
    for bad in (np.nan, "x", None, [0.1]):
        with pytest.raises((ValueError, TypeError), match="c"):
            Lr.DoubleWell(c=bad)


# -- temperatures too small for 1/T ----------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda T: I.exact_observables([-4.0, 0.0, 4.0], [2.0, 0.0, -2.0], 2, T),
    lambda T: I.chain_log_z(4, T),
    lambda T: I.chain_magnetization(T, h=0.1),
    lambda T: I.strip_log_z(2, 3, T),
    lambda T: I.torus_log_z(4, 4, T),
    lambda T: I.metropolis(np.ones((1, 2, 2)), T, 2, rng=0),
    lambda T: I.swendsen_wang(np.ones((1, 2, 2)), T, 2, rng=0),
    lambda T: I.metropolis_graph(np.ones((1, 9)), I.square_lattice(3), T, 2, rng=0),
])
def test_subnormal_temperature_is_a_named_overflow(call):
    with pytest.raises(OverflowError, match="T"):
        call(TINY_T)


def test_low_temperature_limits_no_longer_overflow():
    # chain: aligned with the field, or (antiferromagnet, weak field) unmagnetised
    assert I.chain_magnetization(1e-3, J=1.0, h=1.0) == 1.0
    assert I.chain_magnetization(1e-3, J=1.0, h=-1.0) == -1.0
    assert I.chain_magnetization(1e-3, J=-1.0, h=0.1) == 0.0
    assert I.chain_magnetization(1e-3, J=1.0, h=0.0) == 0.0
    # the large-argument branch agrees with the plain formula where both are valid
    for T, J, h in [(0.2, 1.0, 0.5), (0.05, -1.0, 0.3), (0.3, 0.5, -1.0)]:
        b = 1.0 / T
        sh = math.sinh(b * h)
        plain = sh / math.sqrt(sh * sh + math.exp(-4 * b * J))
        assert I.chain_magnetization(T, J, h) == pytest.approx(plain, rel=1e-12)
    # Kaufman at low T: ln Z -> 2 L M J / T + ln 2 (two ground states)
    for T in (1e-2, 1e-3, 1e-6):
        assert I.torus_log_z(4, 6, T) == pytest.approx(48 / T + math.log(2), rel=1e-15)
        if T >= 1e-3:
            assert I.torus_log_z(3, 4, T) == pytest.approx(
                I.strip_log_z(3, 4, T), rel=1e-13)
    # K just either side of the branch point
    for T in (1 / 299.0, 1 / 301.0):
        assert I.torus_log_z(4, 4, T) == pytest.approx(
            I.strip_log_z(4, 4, T), rel=1e-14)


def test_metropolis_at_low_temperature_is_frozen_without_warnings():
    for h in (0.0, 0.3):
        ch = I.metropolis(np.ones((1, 4, 4), dtype=np.int8), 1e-3, 5, rng=0, h=h)
        assert (ch.M == 16).all()
    ch = I.swendsen_wang(np.ones((1, 4, 4), dtype=np.int8), 1e-300, 3, rng=0)
    assert set(np.abs(ch.M[:, 0]).tolist()) == {16.0}
    g = I.square_lattice(3)
    ch = I.metropolis_graph(np.ones((1, 9)), g, 1e-300, 3, rng=0)
    assert (ch.M == 9).all()


def test_exact_observables_near_zero_temperature():
    g = I.square_lattice(2, 3)
    E, M = I.enumerate_energy_magnetization(g)
    ob = I.exact_observables(E, M, 6, 1e-200)
    assert ob.c == 0.0 and ob.abs_m == 1.0 and ob.e == -2.0
    assert ob.log_Z == pytest.approx(12.0 / 1e-200, rel=1e-15)


# -- the Binder cumulant ----------------------------------------------------------------
def test_binder_is_scale_free_at_extreme_magnitudes():
    M = np.array([0.1, 0.5, -0.2, 0.9])
    ref = montecarlo.binder(M)
    for scale in (2.0 ** 900, 2.0 ** -900):
        assert montecarlo.binder(M * scale) == ref            # power-of-two scaling is exact
    assert montecarlo.binder(np.full(200_000, 1e300)) == pytest.approx(2 / 3, rel=1e-14)
    assert montecarlo.binder(np.array([1e308, -1e308])) == pytest.approx(2 / 3, rel=1e-14)
    two = np.stack([M, M * 1e200], axis=1)
    assert np.allclose(montecarlo.binder(two), [ref, ref], rtol=1e-14)


def test_binder_refuses_scalars_bad_axes_and_zeros():
    with pytest.raises(ValueError, match="M"):
        montecarlo.binder(7.0)
    with pytest.raises(ValueError, match="axis"):
        montecarlo.binder(np.ones(3), axis=1)
    with pytest.raises(ValueError, match="M"):
        montecarlo.binder(np.zeros(4))


# -- learning rates ---------------------------------------------------------------------
@pytest.mark.parametrize("f", [Lr.stationary_variance, Lr.stationary_loss])
def test_huge_eta_is_refused_without_overflow_warning(f):
    with pytest.raises(ValueError, match="eta"):
        f([1.0, 2.0], 1e308)


def test_block_spins_wants_an_odd_block():
    # the hostile registry's "valid" call (2 x 2 lattice, b = 2) is invalid by design
    with pytest.raises(ValueError, match="b must be odd"):
        I.block_spins([[1, -1], [-1, 1]], 2)
    assert I.block_spins([[1, -1, 1], [-1, 1, 1], [1, 1, -1]], 3).tolist() == [[1]]
