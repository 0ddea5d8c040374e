"""The double-well dial (Part IV, "A thermodynamic model of training, solved"): what it
shows is the quadrature's Gibbs law, and moving its slider moves the picture.

Each check has a negative control: a wrong expectation that the same comparison rejects.
"""

import json
import math

import numpy as np
import pytest

from umlib.physics.learning import DoubleWell
from umlib.widgets import protocol as live
from umlib.widgets.double_well import THETA, DoubleWellDial


def test_readout_is_the_gibbs_law_of_the_well():
    dial, w = DoubleWellDial(), DoubleWell(0.5)
    r = dial.at(T=0.25)
    Z_L, Z_R = w.basin_Z(0.25)
    assert r.p_left == Z_L / (Z_L + Z_R)
    assert np.array_equal(r.density, np.exp(-w.loss(THETA) / 0.25) / (Z_L + Z_R))
    assert r.free_energy == pytest.approx(w.free_energy(0.25), rel=1e-12)
    # the trapezoid rule on the drawn grid integrates the density to about 1
    assert np.trapezoid(r.density, r.theta) == pytest.approx(1.0, abs=1e-3)
    assert r.p_left != pytest.approx(0.5, abs=0.05)       # control: not an even split


def test_cold_occupancy_reaches_the_laplace_limit():
    dial = DoubleWellDial(T_min=0.001)
    r = dial.at(T=0.001)
    assert r.p_left == pytest.approx(r.p_left_limit, rel=1e-4)
    assert dial.at(T=1.0).p_left != pytest.approx(r.p_left_limit, rel=1e-4)  # control


def test_render_shows_the_readout():
    dial = DoubleWellDial()
    r = dial.at(T=1.0)
    html = dial.render(r)
    assert html.startswith("<svg") and html == dial.render(dial.readout({"T": 1.0}))
    assert f"P(left, wide) = {r.p_left:.4f}" in html
    assert f"P(left, wide) = {dial.at(T=0.1).p_left:.4f}" not in html    # control


def test_dial_driven_by_its_slider():
    dial = DoubleWellDial()
    dial.build()
    assert dial.last.T == 0.25
    pic = dial.view.value
    dial.widgets["T"].value = 0.01
    assert dial.last.T == 0.01 and dial.view.value != pic
    assert dial.view.value == dial.render(dial.at(T=0.01))


def test_remade_dial_has_the_same_table():
    dial = DoubleWellDial(c=0.3, T=0.1, T_min=0.01, T_max=1.0)
    again = live.remake(json.loads(json.dumps(dial.spec())))
    assert again.positions() == dial.positions()
    T = dial.positions()["T"][-1]
    assert again.render(again.at(T=T)) == dial.render(dial.at(T=T))
    # two decades in steps of 0.05 decade: 41 positions, the default 0.1 among them
    assert len(dial.positions()["T"]) == 41 and 0.1 in dial.positions()["T"]
    assert dial.positions()["T"][0] == 0.01 and math.isclose(T, 1.0)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="c"):
        DoubleWellDial(c=1.5)
    with pytest.raises(ValueError, match="T_min"):
        DoubleWellDial(T_min=1e-5)
    with pytest.raises(ValueError, match="T: default"):
        DoubleWellDial(T=50.0)
    with pytest.raises(ValueError, match="T must be in"):
        DoubleWellDial().at(T=1e-308)
    with pytest.raises(RuntimeError, match="build"):
        DoubleWellDial().update()
