"""Shared fixtures and the protocol checker for the dial tests."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from umlib.widgets.protocol import Control, Dial, Readout


@pytest.fixture(scope="session")
def small_net():
    """A small trained residual network and its task (for the steering and clamping dials)."""
    from umlib.networks import features as ft

    task = ft.make_task(2, 2, 3, 3)
    net = ft.train_resnet(task, d=8, d_mlp=8, n_layers=2, steps=200, batch=36, rng=1)
    return task, net


def same_readout(a, b) -> bool:
    """Field-by-field equality of two readouts, arrays compared exactly."""
    if type(a) is not type(b):
        return False
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (np.shape(x) == np.shape(y) and np.array_equal(x, y)):
                return False
        elif x != y:
            return False
    return True


def _other_value(c: Control):
    if c.kind == "choice":
        others = [o for o in c.options if o != c.default]
        return others[0] if others else None
    return c.hi if c.default != c.hi else c.lo


def check_dial(dial) -> None:
    """Raise AssertionError unless ``dial`` keeps the protocol.

    Declared controls with distinct names; ``state()`` holds exactly their defaults;
    ``readout(state())`` is a frozen Readout, the same on a second call; ``render`` gives
    a non-empty string; moving any control (with a second value) changes the readout; a
    missing or an unknown control is refused with a message naming it.
    """
    assert isinstance(dial, Dial)
    cs = dial.controls
    assert isinstance(cs, tuple) and cs and all(isinstance(c, Control) for c in cs)
    names = [c.name for c in cs]
    assert len(set(names)) == len(names)
    state = dial.state()
    assert list(state) == names and all(state[c.name] == c.default for c in cs)
    r = dial.readout(state)
    assert isinstance(r, Readout) and dataclasses.is_dataclass(r)
    assert type(r).__dataclass_params__.frozen
    assert same_readout(r, dial.readout(dict(state))), "readout is not a function of state"
    html = dial.render(r)
    assert isinstance(html, str) and html
    for c in cs:
        other = _other_value(c)
        if other is None:
            continue
        moved = dial.readout({**state, c.name: other})
        assert not same_readout(r, moved), f"readout ignores control {c.name!r}"
    for c in cs:
        partial = {k: v for k, v in state.items() if k != c.name}
        with pytest.raises((ValueError, TypeError), match=c.name):
            dial.readout(partial)
    with pytest.raises((ValueError, TypeError), match="no_such_control"):
        dial.readout({**state, "no_such_control": 1})


@pytest.fixture(scope="session")
def protocol_check():
    """The protocol checker, :func:`check_dial`."""
    return check_dial


@pytest.fixture(scope="session")
def same():
    """Exact field-by-field comparison of two readouts, :func:`same_readout`."""
    return same_readout
