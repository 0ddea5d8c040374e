"""Specs, positions, snapping and state tables: what the live dials of the HTML book rest on."""

import json
import math

import numpy as np
import pytest

from umlib.core import spectra
from umlib.widgets import protocol as live
from umlib.widgets.intervention import slider_step
from umlib.widgets.lattice import IsingDial
from umlib.widgets.protocol import SPEC_MIME, Control
from umlib.widgets.staircase import StaircaseDial
from umlib.widgets.temperature import TemperatureDial
from umlib.widgets.sparsity import SparsityDial


def _temperature():
    return TemperatureDial({"box": spectra.box_levels(8), "osc": spectra.oscillator_levels(8)},
                           labels={"box": list("abcdefgh")}, T_min=1e-2, T_max=1e4)


def test_encode_round_trip_is_exact():
    obj = {0.9: (1, float("inf"), -0.0), "a": [np.arange(5), np.linspace(0, 1, 7)],
           "b": np.float64(0.1), "c": None, "d": np.zeros((300, 4), dtype=np.int64)}
    back = live.decode(json.loads(json.dumps(live.encode(obj))))
    assert back.keys() == obj.keys()
    assert back[0.9][:2] == (1, math.inf) and math.copysign(1, back[0.9][2]) == -1
    for x, y in zip(back["a"], obj["a"]):
        assert x.dtype == y.dtype and np.array_equal(x.view(np.uint8), y.view(np.uint8))
    assert back["d"].shape == (300, 4) and not back["d"].any()


def test_decode_refuses_what_is_not_umlib():
    with pytest.raises(ValueError, match="data"):
        live.decode({"__dataclass__": "os:path", "fields": {}})
    with pytest.raises(ValueError, match="spec"):
        live.remake({"make": "os:system", "args": {"command": "true"}})
    with pytest.raises(ValueError, match="spec"):
        live.remake({"make": "umlib.widgets.protocol:_umlib_name", "args": {}})


@pytest.mark.parametrize("make", [
    _temperature,
    lambda: IsingDial(L=4, n_sweeps=2),
    lambda: SparsityDial(values=(0.0, 0.9), steps=50, n_restarts=1),
])
def test_remade_dial_reads_out_the_same(make):
    dial = make()
    again = live.remake(json.loads(json.dumps(dial.spec())))
    assert type(again) is type(dial) and again.positions() == dial.positions()
    state = {c.name: c.positions()[-1] for c in dial.controls}
    assert again.render(again.readout(state)) == dial.render(dial.readout(state))


def test_spec_travels_in_the_output_metadata():
    box = _temperature().build()
    data, meta = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert meta[SPEC_MIME]["model_id"] == box.model_id
    assert live.remake(meta[SPEC_MIME]["spec"]).at(T=2.0).T == 2.0


def test_positions_are_the_grid_with_the_default():
    c = Control("T", "T", "log", 1.0, lo=0.01, hi=100.0, step=0.01)
    pos = c.positions()
    assert len(pos) == 401 and pos[0] == 0.01 and pos[200] == 1.0 and pos[-1] == 100.0
    off = Control("b", "b", "log", math.log(2), lo=0.01, hi=10.0, step=0.1)
    assert math.log(2) in off.positions() and len(off.positions()) == 32
    assert list(off.positions()) == sorted(off.positions())
    lin = Control("h", "h", "linear", 0.0, lo=-1.0, hi=1.0, step=0.1)
    assert lin.positions()[13] == 0.3      # 0.3, not -1 + 13 * 0.1 = 0.30000000000000004


def test_a_browsers_rounding_is_snapped_and_the_warm_preset_stays():
    dial = _temperature()
    dial.build()
    dial.widgets["T"].value = 10 ** -2.2e-16          # what the browser's log slider sends
    assert dial.last.T == 1.0 and dial.widgets["T"].value == 1.0
    assert dial.active_preset() == "warm"
    assert dial.preset_buttons["warm"].button_style == "info"
    dial.widgets["T"].value = 2.0
    assert dial.active_preset() is None and dial.preset_buttons["warm"].button_style == ""
    # control: a value a whole step off is not snapped
    c = dial.control("T")
    assert c.snap(10 ** 0.01) == 10.0 ** 0.01 and c.snap(10 ** 0.005) == 10 ** 0.005


def test_the_table_holds_each_settings_own_picture():
    from umlib.text import bridge
    stats = bridge.staircase({"a": np.array([0, 0, 1, 1, 0, 1]),
                              "b": np.array([0, 1, 2, 3, 0, 1])}, np.array([0, 1, 1, 0, 0, 1]))
    dial = StaircaseDial(stats)
    table = live.state_table(dial)
    assert [table["html"][i] for i in table["states"]] == [
        dial.render(dial.at(level=n)) for n in ("a", "b")]
    t = live.state_table(_temperature())
    assert len(t["states"]) == 2 * 601
    warm = next(p for p in t["presets"] if "warm" in p["label"])
    assert warm["positions"] == [None, 200]
    # control: a table whose pictures are shifted no longer matches
    shifted = t["states"][1:] + t["states"][:1]
    assert [t["html"][i] for i in shifted[:3]] != [t["html"][i] for i in t["states"][:3]]


def test_packed_table_refuses_a_changed_byte():
    script, integrity = live.pack_table({"html": ["<p>x</p>"], "states": [0]}, "m1")
    assert live.unpack_table(script, integrity) == ("m1", {"html": ["<p>x</p>"], "states": [0]})
    with pytest.raises(ValueError, match="integrity"):
        live.unpack_table(script.replace("x", "y"), integrity)
    other, _ = live.pack_table({"html": ["<p>x</p>"], "states": [0]}, "m2")
    with pytest.raises(ValueError, match="integrity"):
        live.unpack_table(other, integrity)


def test_sparsity_dial_says_it_is_training():
    dial = SparsityDial(values=(0.0, 0.9), steps=30, n_restarts=1)
    seen = []
    dial.build()
    dial.view.observe(lambda ch: seen.append(ch["new"]), names="value")
    dial.widgets["S"].value = 0.0
    assert any("training" in v for v in seen[:-1]) and "training" not in seen[-1]
    seen.clear()
    dial.widgets["S"].value = 0.9
    dial.widgets["S"].value = 0.0                    # seen before: no busy message
    assert not any("training" in v for v in seen)


def test_slider_step_keeps_dose_dials_small():
    assert slider_step(7.0) == 0.05 and slider_step(108.3) == 1.0
    assert all(span / slider_step(span) <= 150 for span in (0.1, 3.3, 7.5, 151.0, 1e6))
