"""umlib.physics.spinglass: frustration, exhaustive ground states, annealing, Hopfield recall."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.physics import ising as I, spinglass as G


def test_dense_energy_equals_graph_energy():
    g = G.pm_j_lattice(4, rng=1)
    A = G.coupling_matrix(g)
    s = I.random_spins((10, 16), 2)
    assert np.allclose(G.dense_energy(s, A, 0.3), I.energy(s, g, 0.3))


@given(st.integers(0, 10_000))
@settings(max_examples=20, deadline=None)
def test_gauge_invariance_of_frustration(seed):
    """A gauge transformation J_ij -> e_i J_ij e_j leaves every plaquette product unchanged."""
    g = G.pm_j_lattice(4, rng=seed)
    e = 2.0 * np.random.default_rng(seed + 1).integers(0, 2, 16) - 1
    gg = I.Graph(16, g.edges, g.J * e[g.edges[:, 0]] * e[g.edges[:, 1]])
    assert np.array_equal(G.frustrated_plaquettes(g, 4), G.frustrated_plaquettes(gg, 4))


def test_frustration_bounds_the_ground_state():
    """Each frustrated plaquette holds at least one unsatisfied bond (each bond is in two)."""
    for seed in range(4):
        g = G.pm_j_lattice(4, rng=seed)
        E0, states = G.ground_states(G.coupling_matrix(g))
        unsat = I.unsatisfied_bonds(states[0], g)
        assert unsat >= G.frustrated_plaquettes(g, 4).sum() / 2
        assert E0 == pytest.approx(-(len(g.J) - 2 * unsat))


def test_ground_states_agree_with_enumeration_and_include_flips():
    J = G.sk_couplings(10, rng=0)
    E0, states = G.ground_states(J)
    allE = G.dense_energy(I.enumerate_states(10), J)
    assert E0 == pytest.approx(allE.min())
    assert len(states) == 2 and np.array_equal(states[0], -states[1])


def test_anneal_reaches_ground_state_and_quench_does_not():
    J = G.sk_couplings(14, rng=5)
    E0, _ = G.ground_states(J)
    _, E = G.anneal(J, G.geometric_schedule(3.0, 0.05, 200), rng=1, n_replicas=16,
                    sweeps_per_T=3)
    assert E.min() == pytest.approx(E0)                           # best of 16 restarts
    _, Eq = G.anneal(J, np.zeros(5), rng=1, n_replicas=16)       # negative control: a quench
    assert Eq.mean() > E.mean() + 0.1 and not np.all(np.isclose(Eq, E0))


def test_hopfield_below_and_above_capacity():
    low = G.retrieval_overlap(300, 15, rng=0, n_probe=15)         # alpha = 0.05
    high = G.retrieval_overlap(300, 90, rng=0, n_probe=15)        # alpha = 0.30
    assert low.min() > 0.95
    assert high.mean() < 0.8


def test_hopfield_single_pattern_is_a_gauge_ferromagnet():
    xi = 2 * np.random.default_rng(0).integers(0, 2, (1, 30)) - 1
    assert G.frustrated_triangles(G.hebbian(xi)) == 0.0
    many = 2 * np.random.default_rng(0).integers(0, 2, (60, 30)) - 1
    assert G.frustrated_triangles(G.hebbian(many)) > 0.3


def test_bad_inputs():
    with pytest.raises(ValueError, match="symmetric"):
        G.dense_energy(np.ones(2), np.array([[0.0, 1.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="zero diagonal"):
        G.ground_states(np.eye(3))
    with pytest.raises(ValueError, match="limited to 24"):
        G.ground_states(np.zeros((25, 25)))
    with pytest.raises(ValueError, match="p_negative"):
        G.pm_j_lattice(4, rng=0, p_negative=2)
    with pytest.raises(ValueError, match="flip_fraction"):
        G.retrieval_overlap(10, 1, rng=0, flip_fraction=0.9)
    with pytest.raises(ValueError, match="schedule"):
        G.anneal(np.zeros((3, 3)), [-1.0], rng=0)
    with pytest.raises(TypeError, match="rng"):
        G.sk_couplings(4, rng=1.5)
