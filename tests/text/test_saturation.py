"""umlib.text.saturation: the Boltzmann distribution's variational origin, max-ent
multipliers, saturation fractions.

The route tests (the max-ent multiplier and the two-state law go through
:mod:`umlib.core.thermo`) were written when Part I was routed through umlib.core.thermo.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.core import thermo
from umlib.text import saturation
from umlib.text.saturation import LN2


@settings(max_examples=40, deadline=None)
@given(st.floats(-40, 40), st.floats(0.1, 3.0))
def test_variational_minimum_is_the_sigmoid(D, beta):
    p = float(saturation.variational_two_state(D, beta=beta))
    exact = 1.0 / (1.0 + math.exp(-beta * D))
    assert abs(p - exact) <= 1e-11


def test_variational_check_can_fail():
    # the minimiser at beta = ln 2 is not the sigmoid of the raw D (beta = 1)
    p = saturation.variational_two_state(np.array([2.0, -3.0]))
    assert np.abs(p - 1 / (1 + np.exp(-np.array([2.0, -3.0])))).max() > 0.05


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=3, max_size=12, unique=True), st.floats(-3, 3))
def test_maxent_multiplier_recovers_lambda(A, lam):
    A = np.array(A)
    if A.max() - A.min() < 0.1:
        return
    w = np.exp(lam * A - (lam * A).max())
    m = float(w @ A / w.sum())
    if not A.min() + 1e-6 < m < A.max() - 1e-6:
        return
    assert saturation.maxent_multiplier(A, m) == pytest.approx(lam, abs=1e-7)


def test_fractions_and_their_gap():
    D = np.array([0.5, 1.2, 3.0, -40.0])
    f = saturation.saturation_fractions(D)
    assert f["frozen"] + f["critical"] + f["between"] == pytest.approx(1.0)
    # one threshold on beta |D|: no gap
    g = saturation.saturation_fractions(D, frozen=1.0, critical=1 / LN2)
    assert g["between"] == 0.0 and g["frozen"] + g["critical"] == 1.0


def test_bad_input():
    with pytest.raises(ValueError, match="beta"):
        saturation.variational_two_state(1.0, beta=0.0)
    with pytest.raises(ValueError, match="D"):
        saturation.variational_two_state([np.nan])
    with pytest.raises(ValueError, match="mean"):
        saturation.maxent_multiplier([0.0, 1.0], 2.0)
    with pytest.raises(ValueError, match="distinct"):
        saturation.maxent_multiplier([1.0, 1.0], 1.0)
    with pytest.raises(TypeError, match="mean"):
        saturation.maxent_multiplier([0.0, 1.0], "a")


# --- routes through umlib.core.thermo ---------------------------------------------------


def test_maxent_multiplier_uses_the_core_softmax(monkeypatch):
    seen = []
    real = thermo.softmax

    def spy(z, *args, **kwargs):
        seen.append(np.asarray(z).shape)
        return real(z, *args, **kwargs)

    monkeypatch.setattr(saturation.thermo, "softmax", spy)
    A = np.array([0.0, 0.5, 1.0, 3.0])
    target = float(real(1.25 * A) @ A)
    assert saturation.maxent_multiplier(A, target) == pytest.approx(1.25, abs=1e-10)
    assert seen and all(s == (4,) for s in seen)


def test_two_state_law_is_the_gibbs_law():
    for D in (-3.0, -0.2, 0.0, 1.0, 7.5):
        p = float(saturation.variational_two_state(D))
        gibbs = float(thermo.gibbs([-D / 2, D / 2], 1.0 / saturation.LN2)[0])
        assert p == pytest.approx(gibbs, abs=1e-11)
