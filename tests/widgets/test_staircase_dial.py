"""The staircase dial (Part II, "The factoring hierarchy")."""

import numpy as np
import pytest

from umlib.text import bridge
from umlib.widgets.staircase import StaircaseDial


def _stats():
    x = np.frombuffer(b"the cat sat on the mat; the cat sat.", np.uint8).astype(np.int64)
    y = x[1:]
    lv = {"unfactored": bridge.context_labels(x, [])[:-1],
          "order-1": bridge.context_labels(x, [0])[:-1],
          "order-3": bridge.context_labels(x, range(3))[:-1],
          "full": np.arange(y.size)}
    return bridge.staircase(lv, y, {"order-3": 0.25})


def test_readout_and_render_are_pure():
    s = _stats()
    dial = StaircaseDial(s, level="order-3")
    assert dial.state() == {"level": "order-3"}
    r = dial.at(level="order-1")
    assert r == dial.at(level="order-1")
    html = dial.render(r)
    assert html == dial.render(r) and html.startswith("<svg") and "order-1" in html


def test_dial_driven_by_its_picker():
    s = _stats()
    dial = StaircaseDial(s)
    dial.build()
    assert dial.last.name == "unfactored" and dial.last.macrostates == 1
    dial.widgets["level"].value = "order-3"                 # what clicking does in Jupyter
    r = dial.last
    want = {x.name: x for x in s}["order-3"]
    assert (r.name, r.macrostates, r.mean_S_B, r.H, r.residual) == (
        "order-3", want.K, want.mean_S_B, want.H, want.residual)
    assert r.pct_absorbed == pytest.approx(100 * want.mean_S_B / want.log2N)
    assert r.model_bpc == 0.25
    assert f"{want.K}" in dial.view.value and "order-3" in dial.view.value
    assert "0.2500" in dial.view.value
    dial.widgets["level"].value = "full"
    assert dial.last.macrostates == len(s[-1:]) * s[-1].K and dial.last.mean_S_B == 0.0


def test_dial_rejects():
    s = _stats()
    with pytest.raises(ValueError, match="level"):
        StaircaseDial(s, level="nope")
    with pytest.raises(ValueError, match="stats"):
        StaircaseDial([])
    with pytest.raises(ValueError, match="level must be one of"):
        StaircaseDial(s).at(level="nope")


def test_dial_control_wrong_level_shows_wrong_numbers():
    """Negative control: the readout of one level is not that of another."""
    dial = StaircaseDial(_stats())
    dial.build()
    dial.widgets["level"].value = "order-1"
    assert dial.last != dial.at(level="order-3")
