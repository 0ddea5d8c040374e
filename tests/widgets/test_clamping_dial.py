"""The clamping dial (Part V, "Feature clamping")."""

import numpy as np
import pytest

from umlib.networks import features as ft
from umlib.widgets.intervention import ClampingDial


def _direction(task, net):
    _, st_ = net.run(task.tokens)
    x = st_[f"resid.{net.n_layers}"][:, -1]
    return ft.difference_of_means(x[task.label == 0], x[task.label == 1])


def test_readout_and_render(small_net):
    task, net = small_net
    v = _direction(task, net)
    dial = ClampingDial(net, task, v, depth=net.n_layers, target=0)
    assert np.linalg.norm(dial.v) == pytest.approx(1.0)
    r = dial.at(value=40.0)
    assert r.share_target == 1.0
    html = dial.render(r)
    assert "<svg" in html and "λ = 40.00" in html and html == dial.render(r)


def test_dial_driven_by_its_slider(small_net):
    task, net = small_net
    dial = ClampingDial(net, task, _direction(task, net), depth=net.n_layers, target=0,
                        value=0.0)
    dial.build()
    dial.widgets["value"].value = 40.0
    assert dial.last.share_target == 1.0
    assert "<svg" in dial.view.value


def test_dial_rejects_a_zero_direction(small_net):
    task, net = small_net
    with pytest.raises(ValueError, match="v must be non-zero"):
        ClampingDial(net, task, np.zeros(net.d), depth=0, target=0)
