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


def test_hidden_svg_names_short_arrows_in_a_corner_not_on_the_origin():
    """A feature whose arrow is too short for a label (Part V, the sparsity dial at
    S = 0.6) is named in the corner; a long arrow keeps its label beyond its tip."""
    import re

    from umlib.widgets.svg import hidden_svg

    out = hidden_svg([[1.0, 0.0, 0.01], [0.0, 1.0, 0.0]], title="t")
    labels = {m[2]: (float(m[0]), float(m[1])) for m in
              re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)</text>', out)}
    assert labels["\u2248 0: 2"][0] < 20            # the corner, far from the origin (110)
    assert "2" not in labels
    x0, y0 = labels["0"]
    assert x0 > 198 and abs(y0 - 114) < 1          # beyond the tip of arrow 0 (198, 110)
    # control: with every arrow long, no corner note
    assert "\u2248 0" not in hidden_svg([[1.0, 0.0], [0.0, 1.0]], title="t")
