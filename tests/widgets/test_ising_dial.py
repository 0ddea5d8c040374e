"""The Ising lattice dial (Part IV, "The Ising model, exactly")."""

import numpy as np
import pytest

from umlib.widgets.lattice import IsingDial


def test_readout_is_pure_and_render_shows_it():
    dial = IsingDial(L=8, n_sweeps=20, seed=0, T=1.5)
    a, b = dial.at(T=4.0, h=0.5), dial.readout({"T": 4.0, "h": 0.5})
    assert np.array_equal(a.S, b.S) and a.m == b.m
    html = dial.render(a)
    assert html == dial.render(a) and html.startswith("<svg") and "T = 4.000" in html
    with pytest.raises(ValueError, match="T must be > 0"):
        dial.at(T=0.0)
    with pytest.raises(ValueError, match="h"):
        dial.at(h=float("nan"))


def test_dial_driven_by_its_sliders():
    dial = IsingDial(L=16, n_sweeps=60, seed=0, T=1.5)
    dial.build()
    assert dial.last.m > 0.9
    dial.widgets["T"].value = 4.0
    assert abs(dial.last.m) < 0.3 and dial.last.T == 4.0
    assert "T = 4.000" in dial.view.value
    pic = dial.view.value
    dial.widgets["h"].value = 1.0
    assert dial.last.m > 0.3 and dial.view.value != pic
    r = dial.at(T=4.0, h=1.0)
    assert np.array_equal(r.S, dial.last.S)               # pure: same setting, same picture


def test_dial_requires_build_and_even_L():
    with pytest.raises(ValueError, match="even"):
        IsingDial(L=5)
    with pytest.raises(RuntimeError, match="build"):
        IsingDial(L=4).update()
    with pytest.raises(ValueError, match="T: default 9.0 is outside"):
        IsingDial(L=4, T=9.0)
