"""A built dial's display carries its picture as HTML, for a notebook opened unrun."""

import pytest

from umlib.core import spectra
from umlib.widgets import protocol
from umlib.widgets.temperature import TemperatureDial


def _bundle(box):
    out = box._repr_mimebundle_()
    return out[0] if isinstance(out, tuple) else out


def test_the_display_holds_the_view_as_saved():
    ladders = {"box": spectra.box_levels(8), "oscillator": spectra.oscillator_levels(8)}
    dial = TemperatureDial(ladders, T=1.0, T_min=1e-2, T_max=1e4)
    box = dial.build()
    data = _bundle(box)
    html = data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in data and "text/plain" in data
    assert html.startswith('<div class="umbook-dial-saved">')
    assert protocol.SAVED_NOTE in html and dial.view.value in html
    # moved, the dial's display shows the new picture, not the first one
    first = dial.view.value
    dial.preset("uniform")
    assert dial.view.value != first
    assert dial.view.value in _bundle(box)["text/html"] and first not in _bundle(box)["text/html"]


def test_a_box_without_a_view_has_no_picture_and_bad_input_is_named():
    import ipywidgets as w

    assert protocol._saved_picture(w.VBox([])) == ""
    with pytest.raises(TypeError, match="box"):
        protocol._saved_picture(3.0)
