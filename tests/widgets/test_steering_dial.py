"""The steering dial (Part V, "Activation engineering: steering a concept")."""

import numpy as np
import pytest

from umlib.networks import features as ft
from umlib.widgets.intervention import SteeringDial


def _direction(task, net):
    _, st_ = net.run(task.tokens)
    x = st_[f"resid.{net.n_layers}"][:, -1]
    return ft.difference_of_means(x[task.label == 0], x[task.label == 1])


def test_readout_and_render_are_pure(small_net):
    task, net = small_net
    dial = SteeringDial(net, task, _direction(task, net), depth=net.n_layers, target=0,
                        prompts=task.tokens[task.label == 1])
    assert dial.state() == {"value": 0.0}
    a, b = dial.at(value=2.0), dial.at(value=2.0)
    assert a.share_target == b.share_target == 1.0
    assert np.array_equal(a.share_by_class, b.share_by_class)
    html = dial.render(a)
    assert html == dial.render(a) and "share answering the target = 1.000" in html
    with pytest.raises(ValueError, match="value"):
        dial.at(value=float("inf"))


def test_dial_driven_by_its_slider(small_net):
    task, net = small_net
    dial = SteeringDial(net, task, _direction(task, net), depth=net.n_layers, target=0,
                        value=0.0, prompts=task.tokens[task.label == 1])
    dial.build()
    assert dial.last.share_target == 0.0
    dial.widgets["value"].value = 2.0
    assert dial.last.share_target == 1.0 and "share answering" in dial.view.value
    assert dial.at(value=2.0).share_target == dial.last.share_target
    at0 = SteeringDial(net, task, np.ones(net.d), depth=0, target=0, value=0.0, position=0)
    assert at0.position == 0
    with pytest.raises(ValueError, match="position"):
        SteeringDial(net, task, np.ones(net.d), depth=0, target=0, position=7)
    with pytest.raises(ValueError, match=r"value = 9.0 must lie in \[vmin, vmax\]"):
        SteeringDial(net, task, np.ones(net.d), depth=0, target=0, value=9.0)
