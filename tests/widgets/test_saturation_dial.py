"""The saturation dial (Part I, "The Boltzmann distribution in detail")."""

import math
import warnings

import numpy as np
import pytest

from umlib.book.gates import ulp_distance
from umlib.core import thermo
from umlib.text import saturation
from umlib.text.saturation import LN2
from umlib.widgets import saturation as wsat
from umlib.widgets.saturation import SaturationDial


def test_readout_counts_and_entropy():
    dial = SaturationDial([0.5, 3.0, -40.0])
    r = dial.at(beta=1.0, threshold=1.0)
    assert (r.below_threshold, r.at_or_above_threshold) == (1 / 3, 1 - 1 / 3)
    assert dial.state() == {"beta": LN2, "threshold": 1.0}
    assert dial.readout(dial.state()).beta == LN2
    with pytest.raises(ValueError, match="beta must be > 0"):
        dial.at(beta=-1.0)


def test_render_is_pure():
    dial = SaturationDial([0.5, 3.0, -40.0])
    r = dial.at(beta=0.1)
    html = dial.render(r)
    assert html == dial.render(r) and html.startswith("<svg")
    assert f"below the threshold (critical) {100 * r.below_threshold:.2f} %" in html
    assert f"at or above (frozen) {100 * r.at_or_above_threshold:.2f} %" in html


def test_dial_is_driven_by_its_sliders():
    rng = np.random.default_rng(0)
    D = rng.normal(0, 20, 2000)
    dial = SaturationDial(D)
    w = dial.build()
    assert w is dial.build() and dial.last.beta == pytest.approx(LN2)
    seen = []
    for beta in (0.01, 0.1, 0.693, 3.0):
        dial.widgets["beta"].value = beta
        r = dial.last
        assert r.beta == pytest.approx(beta, rel=1e-9)
        assert r == dial.readout({"beta": r.beta, "threshold": r.threshold})
        assert f"(critical) {100 * r.below_threshold:.2f} %" in dial.view.value
        seen.append(r)
    # heating (smaller beta) makes more units critical and raises their entropy
    assert seen[0].below_threshold > seen[-1].below_threshold
    assert seen[0].mean_entropy_bits > seen[-1].mean_entropy_bits
    dial.widgets["threshold"].value = 10.0
    assert dial.last.below_threshold > seen[-1].below_threshold
    assert dial.view.value.startswith("<svg")


def test_bad_input():
    with pytest.raises(ValueError, match="threshold"):
        SaturationDial([1.0], threshold=-1)
    with pytest.raises(ValueError, match="beta: default 100.0 is outside"):
        SaturationDial([1.0], beta=100.0)


# --- the readouts go through umlib.core.thermo and did not move ------------------------

# Readouts of SaturationDial([0.5, 3.0, -40.0]).at(beta, threshold=1.0) computed by the
# hand-written sigmoid/binary entropy before the dial was routed through thermo:
# beta -> (below, at_or_above, mean_entropy_bits, median_log10_odds).
BEFORE = {
    0.01: (1.0, 0.0, 0.9905154320788018, 0.013028834457097554),
    0.05: (0.6666666666666666, 0.33333333333333337, 0.8409688143122911, 0.06514417228548777),
    LN2 / 20: (0.6666666666666666, 0.33333333333333337, 0.9066423664892188,
               0.04515449934959717),
    0.3: (0.6666666666666666, 0.33333333333333337, 0.6211868627971942, 0.3908650337129266),
    LN2: (0.3333333333333333, 0.6666666666666667, 0.4939728063878324, 0.9030899869919434),
    1.0: (0.3333333333333333, 0.6666666666666667, 0.4105488288918029, 1.3028834457097553),
    3.0: (0.0, 1.0, 0.22904491783939665, 3.908650337129266),
    10.0: (0.0, 1.0, 0.019322304718883652, 13.028834457097554),
}


@pytest.mark.parametrize("beta", sorted(BEFORE))
def test_readouts_match_the_values_before_thermo(beta):
    r = SaturationDial([0.5, 3.0, -40.0]).at(beta=beta, threshold=1.0)
    below, above, S, odds = BEFORE[beta]
    assert (r.below_threshold, r.at_or_above_threshold, r.median_log10_odds) == (below, above,
                                                                                  odds)
    assert ulp_distance(r.mean_entropy_bits, S) <= 2


def _hand_entropy_bits(x):
    """The independent check: sigma and the binary entropy written by hand (not thermo)."""
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-x))
        q = 1.0 / (1.0 + np.exp(x))
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(np.where(p > 0, p * np.log2(p), 0.0) + np.where(q > 0, q * np.log2(q), 0.0))


def test_mean_entropy_agrees_with_the_hand_formula():
    rng = np.random.default_rng(3)
    for scale in (0.3, 5.0, 60.0, 500.0):
        D = rng.normal(0, scale, 4000)
        dial = SaturationDial(D)
        for beta in (0.01, 0.2, LN2, 4.0):
            r = dial.at(beta=beta, threshold=1.0)
            ref = float(_hand_entropy_bits(beta * np.abs(D)).mean())
            assert ulp_distance(r.mean_entropy_bits, ref) <= 4, (scale, beta)


def test_readout_calls_the_core_gibbs_law_and_entropy(monkeypatch):
    calls = []
    real_gibbs, real_h = thermo.gibbs, thermo.shannon_entropy

    def gibbs(E, *a, **k):
        calls.append(("gibbs", np.shape(E)))
        return real_gibbs(E, *a, **k)

    def shannon(p, *a, **k):
        calls.append(("shannon", np.shape(p)))
        return real_h(p, *a, **k)

    monkeypatch.setattr(wsat.thermo, "gibbs", gibbs)
    monkeypatch.setattr(wsat.thermo, "shannon_entropy", shannon)
    SaturationDial([0.5, 3.0, -40.0]).at(beta=1.0, threshold=1.0)
    assert calls == [("gibbs", (3, 2)), ("shannon", (3, 2))]


def test_the_likelier_state_has_the_sigmoid_weight():
    """thermo.gibbs of reduced energies (0, beta|D|) is (sigma(beta|D|), 1 - sigma)."""
    D = np.array([0.0, 0.25, 1.0, 7.0])
    x = LN2 * D
    p = thermo.gibbs(np.stack([np.zeros_like(x), x], -1), 1.0)
    assert np.array_equal(p[:, 0], 1.0 / (1.0 + np.exp(-x)))
    assert np.allclose(p[:, 1], 1.0 / (1.0 + np.exp(x)), rtol=1e-15, atol=0)


def test_huge_margins_are_frozen_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = SaturationDial([1e300, -1e300, 0.0]).at(beta=1e10, threshold=1.0)
    assert r.below_threshold == 1 / 3 and r.mean_entropy_bits == pytest.approx(1 / 3, abs=0)
    assert math.isinf(r.median_log10_odds)


def test_below_threshold_is_not_the_two_threshold_split():
    """At threshold = beta the dial's share is saturation_fractions' critical (|D| < 1);
    its complement is not that function's frozen share (beta|D| > 1), which leaves a band."""
    D = np.array([0.5, 1.2, 3.0, -40.0, 0.99, 1.0])
    r = SaturationDial(D).at(beta=LN2, threshold=LN2)
    f = saturation.saturation_fractions(D, beta=LN2, frozen=1.0, critical=1.0)
    assert r.below_threshold == f["critical"]
    assert r.at_or_above_threshold != f["frozen"] and f["between"] > 0
    assert r.below_threshold + r.at_or_above_threshold == 1.0
