"""Drive the dials programmatically: set a control, read what the view shows."""

import math

import numpy as np
import pytest

from umlib.widgets import temperature as dials
from umlib.core import spectra, thermo
from umlib.widgets.svg import bars_svg


@pytest.fixture
def dial():
    return dials.TemperatureDial({"box": spectra.box_levels(6),
                                  "oscillator": spectra.oscillator_levels(6)}, T=1.0)


def test_slider_drives_both_faces(dial):
    seen = []
    for T in np.logspace(-2, 2, 25):
        dial.slider.value = float(T)
        r = dial.last
        assert r.identical
        assert r.T == pytest.approx(T, rel=1e-12)
        assert np.array_equal(r.p_gibbs, thermo.gibbs(spectra.box_levels(6), r.T))
        assert f"{r.H_bits:.4f} bits" in dial.meter.value
        seen.append(r.H_bits)
    assert all(b >= a for a, b in zip(seen, seen[1:]))        # entropy rises with T here
    assert seen[-1] > seen[0]


def test_spectrum_toggle_and_presets(dial):
    dial.spectrum.value = "oscillator"
    assert np.array_equal(dial.last.p_softmax,
                          thermo.softmax(-spectra.oscillator_levels(6), dial.slider.value))
    dial.presets.value = "uniform"
    assert dial.slider.value == pytest.approx(100.0)
    assert dial.last.H_bits > 0.9 * math.log2(6)
    dial.presets.value = "ground"
    assert dial.slider.value == pytest.approx(0.01)
    assert dial.last.argmax == 0 and dial.last.H_bits < 1e-6
    dial.presets.value = "warm"
    assert dial.slider.value == pytest.approx(1.0)


def test_same_preset_again_after_moving_the_slider(dial):
    dial.presets.value = "ground"
    dial.slider.value = 3.0
    assert dial.presets.value is None
    dial.presets.value = "ground"
    assert dial.slider.value == pytest.approx(dial.T_min)


def test_view_changes_with_the_value(dial):
    dial.slider.value = 0.5
    a = dial.face_b.value
    dial.slider.value = 5.0
    assert dial.face_b.value != a
    assert "♛" in dial.face_a.value


def test_bars_svg_and_bad_input():
    s = bars_svg([0.1, 0.9], ["x", "y"], highlight=1, title="t")
    assert s.count("<rect") == 2 and "♛" in s and 'role="img"' in s
    with pytest.raises(ValueError, match="labels"):
        bars_svg([0.5, 0.5], ["only one"])
    with pytest.raises(ValueError, match="spectra"):
        dials.TemperatureDial({})
    with pytest.raises(ValueError, match="T_min must be < T_max"):
        dials.TemperatureDial({"a": [0.0, 1.0]}, T_min=10, T_max=1)
