"""umlib.physics.learning.skills: the domino loss of skills that unlock one another."""

import math

import numpy as np
import pytest

from umlib.physics import learning as Lg


@pytest.mark.parametrize("eta", [0.02, 0.05, 0.1, 0.3])
@pytest.mark.parametrize("c", [0.3, 0.5, 0.9, 0.99])
def test_onsets_are_equally_spaced_by_the_predicted_gap(eta, c):
    n_star = Lg.domino_gap(eta, c)
    on = Lg.onset_steps(Lg.domino_descent(5, eta, c, 5 * n_star + 5))
    assert on.tolist() == [1 + k * n_star for k in range(5)]


def test_gap_is_the_first_step_past_the_threshold():
    for eta, c in [(0.05, 0.9), (0.1, 0.5), (0.5, 0.6)]:
        n = Lg.domino_gap(eta, c)
        assert 1 - (1 - eta) ** n >= c > 1 - (1 - eta) ** (n - 1)
    assert Lg.domino_gap(0.5, 0.5) == 1                   # an exact tie opens the gate


def test_loss_after_onset_follows_the_closed_form():
    eta, c, K = 0.1, 0.9, 3
    L = Lg.domino_descent(K, eta, c, 200)
    on = Lg.onset_steps(L)
    for k in range(K):
        t = np.arange(on[k], 201)
        assert np.allclose(L[t, k], 0.5 * (1 - eta) ** (2 * (t - on[k] + 1)), rtol=1e-12)
        assert np.all(L[:on[k], k] == 0.5)                # a flat plateau before the onset


def test_uncoupled_control_learns_every_skill_at_once():
    on = Lg.onset_steps(Lg.domino_descent(4, 0.05, 0.9, 100, coupled=False))
    assert on.tolist() == [1, 1, 1, 1]
    # and the domino prediction rejects it
    assert on.tolist() != [1 + k * Lg.domino_gap(0.05, 0.9) for k in range(4)]


def test_total_loss_never_rises():
    tot = Lg.domino_descent(6, 0.05, 0.9, 400).sum(1)
    assert np.all(np.diff(tot) <= 0)
    assert tot[0] == 3.0


def test_onset_steps_marks_a_skill_that_never_starts():
    on = Lg.onset_steps(Lg.domino_descent(3, 0.05, 0.9, 50))
    assert on.tolist() == [1, 46, -1]


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="eta"):
        Lg.domino_descent(3, 1.0, 0.5, 10)
    with pytest.raises(ValueError, match="threshold"):
        Lg.domino_gap(0.1, 0.0)
    with pytest.raises(TypeError, match="n_skills"):
        Lg.domino_descent(2.0, 0.1, 0.5, 10)
    with pytest.raises(ValueError, match="n_steps"):
        Lg.domino_descent(1000, 0.1, 0.5, 100_000)
    with pytest.raises(TypeError, match="coupled"):
        Lg.domino_descent(2, 0.1, 0.5, 10, coupled=1)
    with pytest.raises(ValueError, match="losses"):
        Lg.onset_steps(np.zeros(3))
    with pytest.raises(OverflowError, match="eta"):
        Lg.domino_gap(5e-324, 0.5)
    assert math.isfinite(Lg.domino_gap(1e-12, 0.5))


def test_gap_agrees_with_the_descent_where_c_sits_on_a_power():
    """At c = 1 - (1 - η)^n the closed form's ceiling says n + 1 (the control below);
    the gap counted with the descent's arithmetic says n, as the descent does."""
    import math

    import numpy as np

    from umlib.physics.learning import domino_descent, domino_gap, onset_steps

    assert math.ceil(math.log1p(-0.51) / math.log1p(-0.3)) == 3     # control: off by one
    assert domino_gap(0.3, 0.51) == 2
    for eta in np.linspace(0.01, 0.9, 30):
        for c in np.linspace(0.05, 0.99, 11):
            g = domino_gap(float(eta), float(c))
            onsets = onset_steps(domino_descent(3, float(eta), float(c), 3 * g + 5))
            assert list(np.diff(onsets)) == [g, g], (eta, c)
