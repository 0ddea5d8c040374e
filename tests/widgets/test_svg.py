"""umlib.widgets.svg: the SVG pictures the dials and chapters draw.

Moved here from the tests of the modules whose data they draw (the staircase from
tests/text/test_bridge.py, the histogram's edge check from tests/text/test_saturation.py).
Argument checks of bars_svg, lattice_svg, histogram_svg and hidden_svg are also exercised
by tests/test_hostile.py.
"""

import numpy as np
import pytest

from umlib.text import bridge
from umlib.widgets.svg import histogram_svg, staircase_svg


def _stats():
    x = np.frombuffer(b"the cat sat on the mat; the cat sat.", np.uint8).astype(np.int64)
    y = x[1:]
    lv = {"unfactored": bridge.context_labels(x, [])[:-1],
          "order-1": bridge.context_labels(x, [0])[:-1],
          "order-3": bridge.context_labels(x, range(3))[:-1],
          "full": np.arange(y.size)}
    return bridge.staircase(lv, y, {"order-3": 0.25})


# --- staircase_svg ---------------------------------------------------------------------

def test_staircase_svg():
    s = _stats()
    svg = staircase_svg(s, highlight=2)
    assert svg.startswith("<svg") and svg.count('stroke="#000"') == 2
    with pytest.raises(ValueError, match="highlight"):
        staircase_svg(s, highlight=9)
    with pytest.raises(ValueError, match="stats"):
        staircase_svg([])


# --- histogram_svg ---------------------------------------------------------------------

def test_histogram_svg_rejects_decreasing_edges():
    """(Was the last check of tests/text/test_saturation.py::test_bad_input.)"""
    with pytest.raises(ValueError, match="edges"):
        histogram_svg([1.0], [1.0, 0.0])
