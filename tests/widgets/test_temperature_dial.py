"""The temperature dial (Part III, "One dial"): pure readout and render, then the widgets."""

import math

import numpy as np
import pytest

from umlib.core import spectra, thermo
from umlib.widgets import temperature as dials
from umlib.widgets.svg import bars_svg


@pytest.fixture
def dial():
    return dials.TemperatureDial({"box": spectra.box_levels(6),
                                  "oscillator": spectra.oscillator_levels(6)}, T=1.0)


def test_controls_and_state(dial):
    assert [c.name for c in dial.controls] == ["spectrum", "T"]
    assert dial.state() == {"spectrum": "box", "T": 1.0}
    T = dial.control("T")
    assert (T.kind, T.lo, T.hi) == ("log", 0.01, 100.0)


def test_readout_is_both_faces_bit_for_bit(dial):
    for T in np.logspace(-300, 300, 61):
        r = dial.at(T=T)
        assert r.identical and r.T == T and r.spectrum == "box"
        assert np.array_equal(r.p_gibbs, thermo.gibbs(spectra.box_levels(6), T))
        assert np.array_equal(r.p_softmax, thermo.softmax(-spectra.box_levels(6), T))
    r = dial.readout({"spectrum": "oscillator", "T": 2.0})
    assert r.log_Z == pytest.approx(float(thermo.log_z(spectra.oscillator_levels(6), 2.0)))
    assert r.S_nats == pytest.approx(r.H_bits * math.log(2))


def test_readout_names_the_bad_control(dial):
    with pytest.raises(ValueError, match="T must be > 0"):
        dial.at(T=0.0)
    with pytest.raises(ValueError, match="spectrum must be one of"):
        dial.at(spectrum="nope")
    with pytest.raises(ValueError, match="missing control 'T'"):
        dial.readout({"spectrum": "box"})


def test_render_is_pure_and_shows_the_meter(dial):
    r = dial.at(T=0.5)
    html = dial.render(r)
    assert html == dial.render(r)
    assert f"H = {r.H_bits:.4f} bits" in html and "bit-identical: <b>yes</b>" in html
    assert html.count("♛") == 1 and html.count("<svg") == 2
    assert dial.face_a_svg(r) in html and dial.face_b_svg(r) in html


def test_labels_follow_the_spectrum():
    d = dials.TemperatureDial({"toy": [0.0, 1.0], "other": [0.0, 2.0, 3.0]},
                              labels={"toy": ["cat", "dog"]})
    assert ">cat</text>" in d.render(d.at(spectrum="toy"))
    assert ">cat</text>" not in d.render(d.at(spectrum="other"))


def test_slider_drives_both_faces(dial):
    dial.build()
    seen = []
    for T in np.logspace(-2, 2, 25):
        dial.widgets["T"].value = float(T)
        r = dial.last
        assert r.identical
        assert r.T == pytest.approx(T, rel=1e-12)
        assert np.array_equal(r.p_gibbs, thermo.gibbs(spectra.box_levels(6), r.T))
        assert f"{r.H_bits:.4f} bits" in dial.view.value
        seen.append(r.H_bits)
    assert all(b >= a for a, b in zip(seen, seen[1:]))        # entropy rises with T here
    assert seen[-1] > seen[0]


def test_spectrum_toggle_and_presets(dial):
    dial.build()
    dial.widgets["spectrum"].value = "oscillator"
    assert np.array_equal(dial.last.p_softmax,
                          thermo.softmax(-spectra.oscillator_levels(6), dial.widgets["T"].value))
    assert dial.preset("uniform") == 100.0
    assert dial.widgets["T"].value == pytest.approx(100.0)
    assert dial.last.H_bits > 0.9 * math.log2(6)
    dial.preset_buttons["ground"].click()                     # what pressing does
    assert dial.widgets["T"].value == pytest.approx(0.01)
    assert dial.last.argmax == 0 and dial.last.H_bits < 1e-6
    dial.preset("warm")
    assert dial.widgets["T"].value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="preset"):
        dial.preset("boiling")


def test_same_preset_again_after_moving_the_slider(dial):
    dial.build()
    dial.preset("ground")
    dial.widgets["T"].value = 3.0
    dial.preset_buttons["ground"].click()
    assert dial.widgets["T"].value == pytest.approx(dial.T_min)


def test_preset_before_build_only_reports(dial):
    assert dial.preset("uniform") == dial.T_max and dial.last is None


def test_view_changes_with_the_value(dial):
    dial.build()
    dial.set(T=0.5)
    a = dial.view.value
    dial.set(T=5.0)
    assert dial.view.value != a
    assert "♛" in dial.view.value


def test_bars_svg_and_bad_input():
    s = bars_svg([0.1, 0.9], ["x", "y"], highlight=1, title="t")
    assert s.count("<rect") == 2 and "♛" in s and 'role="img"' in s
    with pytest.raises(ValueError, match="labels"):
        bars_svg([0.5, 0.5], ["only one"])
    with pytest.raises(ValueError, match="spectra"):
        dials.TemperatureDial({})
    with pytest.raises(ValueError, match="T_min must be < T_max"):
        dials.TemperatureDial({"a": [0.0, 1.0]}, T_min=10, T_max=1)
    with pytest.raises(ValueError, match="T: default 1000.0 is outside"):
        dials.TemperatureDial({"a": [0.0, 1.0]}, T=1e3)
