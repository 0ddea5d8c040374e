"""The temperature dial as Part III's chapters build it ("One dial", "Face A, the guess",
"The temperature dial and the measurement"): its widgets, tested here rather than in the
chapters, which teach the identity the dial shows.

Each check has a negative control: a wrong expectation that the same comparison rejects.
"""

import re

import numpy as np
import pytest

from umlib.core import spectra
from umlib.widgets.svg import bars_svg
from umlib.widgets.temperature import TemperatureDial

pytest.importorskip("ipywidgets")

LADDERS = {"box": spectra.box_levels(8), "oscillator": spectra.oscillator_levels(8)}
KT_MIN, KT_MAX = 1e-2, 1e4                       # the ends of the dial in "One dial"
SETTINGS = 10.0 ** (np.arange(-200, 401) / 100)  # its slider positions, 0.01 decade


def faces(r):
    """What a readout shows: both faces, ln Z and the meter."""
    return np.concatenate([r.p_softmax, r.p_gibbs, [r.log_Z, r.H_bits, r.S_nats]])


@pytest.fixture
def dial():
    d = TemperatureDial(LADDERS, T=1.0, T_min=KT_MIN, T_max=KT_MAX)
    d.build()
    return d


def test_default_is_box_at_one(dial):
    r = dial.last
    assert dial.widgets["spectrum"].value == "box"
    assert r.T == 1.0 and r.identical
    assert dial.widgets["T"].value != 2.0          # control: not some other setting


def test_slider_move_shows_the_readout_at_the_slider_value(dial):
    moves = 0
    for name in LADDERS:
        dial.widgets["spectrum"].value = name
        for kT in SETTINGS[::25]:
            dial.widgets["T"].value = kT
            v = dial.widgets["T"].value
            assert np.array_equal(faces(dial.last), faces(dial.at(spectrum=name, T=v)))
            moves += 1
    assert moves == 50
    # negative control: the readout one slider step warmer is a different picture
    dial.widgets["T"].value = SETTINGS[300]
    other = dial.at(spectrum=dial.widgets["spectrum"].value, T=SETTINGS[301])
    assert not np.array_equal(faces(dial.last), faces(other))


def test_presets_land_on_the_ends_and_one(dial):
    landed = []
    for preset in ("ground", "warm", "uniform"):
        dial.preset_buttons[preset].click()        # what pressing the button does
        landed.append(dial.widgets["T"].value)
        assert dial.last.T == landed[-1]
        assert dial.active_preset() == preset
    assert landed == [KT_MIN, 1.0, KT_MAX]
    assert landed != [KT_MIN, 1.0, 1e300]           # control: not the float range's end


def test_set_resets_the_dial(dial):
    dial.set(spectrum="oscillator", T=30.0)
    assert dial.last.spectrum == "oscillator" and dial.last.T == 30.0
    dial.set(spectrum="box", T=1.0)
    assert dial.widgets["spectrum"].value == "box" and dial.last.T == 1.0
    assert dial.state() == {"spectrum": "box", "T": 1.0}


def crowned_bar(svg):
    """Index of the bar under the crown's x position (None if no single crown)."""
    crowns = re.findall(r'<text x="([\d.]+)"[^>]*>♛</text>', svg)
    labels = dict(re.findall(r'<text x="([\d.]+)" y="\d+"[^>]*>(\d+)</text>', svg))
    return int(labels[crowns[0]]) if len(crowns) == 1 else None


def test_crown_is_drawn_over_the_argmax_bar():
    # "Face A, the guess": the dial spans the float range of its slider positions
    d = TemperatureDial(LADDERS, T=1.0, T_min=SETTINGS[0], T_max=SETTINGS[-1])
    d.build()
    pictures = 0
    for name in LADDERS:
        d.widgets["spectrum"].value = name
        for T in SETTINGS[::25]:
            d.widgets["T"].value = T
            assert crowned_bar(d.view.value) == d.last.argmax
            pictures += 1
    assert pictures == 50
    # negative control: a picture crowned on another bar is caught by the same parser
    r = d.last
    wrong = bars_svg(r.p_softmax, highlight=(r.argmax + 1) % r.p_softmax.size)
    assert crowned_bar(wrong) == (r.argmax + 1) % r.p_softmax.size != r.argmax


def test_toy_vocabulary_slider_keeps_both_faces_identical():
    # "The temperature dial and the measurement": the toy vocabulary's logits
    tokens = ["mat", "sofa", "floor", "roof", "bed", "dog", "moon", "piano"]
    z = np.array([3.0, 2.2, 1.9, 1.1, 0.6, -0.4, -1.3, -2.5])
    vocab = "toy vocabulary"
    d = TemperatureDial(spectra={vocab: -z}, labels={vocab: tokens})
    grid = np.array(d.positions()["T"])[::5]
    bad = 0
    for T in grid:
        d.set(T=float(T))
        bad += (d.last.T != float(T)) or not d.last.identical
    assert bad == 0 and grid.size == 81
    # negative control: faces at two different settings are not identical
    a, b = d.at(T=float(grid[10])), d.at(T=float(grid[11]))
    assert not np.array_equal(a.p_softmax, b.p_gibbs)
