"""The Boltzmann distribution's variational origin, max-ent multipliers, saturation, the dial."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.text import saturation
from umlib.text.saturation import LN2
from umlib.widgets.saturation import SaturationDial
from umlib.widgets.svg import histogram_svg


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


def test_dial_is_driven_by_its_sliders():
    rng = np.random.default_rng(0)
    D = rng.normal(0, 20, 2000)
    dial = SaturationDial(D)
    w = dial.widget
    assert w is not None and dial.last.beta == pytest.approx(LN2)
    seen = []
    for beta in (0.01, 0.1, 0.693, 3.0):
        dial.beta_slider.value = beta
        r = dial.last
        assert r.beta == pytest.approx(beta, rel=1e-9)
        assert r == dial.readout(r.beta, r.threshold)
        assert f"critical {100 * r.critical:.2f} %" in dial.meter.value
        seen.append(r)
    # heating (smaller beta) makes more units critical and raises their entropy
    assert seen[0].critical > seen[-1].critical
    assert seen[0].mean_entropy_bits > seen[-1].mean_entropy_bits
    dial.threshold_slider.value = 10.0
    assert dial.last.critical > seen[-1].critical
    assert dial.hist.value.startswith("<svg")


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
    with pytest.raises(ValueError, match="threshold"):
        SaturationDial([1.0], threshold=-1)
    with pytest.raises(ValueError, match="edges"):
        histogram_svg([1.0], [1.0, 0.0])
