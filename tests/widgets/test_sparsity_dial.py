"""The sparsity dial (Part V, "Superposition and sparse autoencoders")."""

from pathlib import Path

import pytest

from umlib.networks import superposition as sp
from umlib.widgets.sparsity import SparsityDial

DATA = Path(__file__).resolve().parents[2] / "book" / "part5" / "data"


def test_sparsity_dial_driven_by_its_slider():
    dial = SparsityDial(values=(0.0, 0.9), steps=800, n_restarts=2)
    dial.build()
    dial.widgets["S"].value = 0.9
    assert dial.last.n_represented == 5 and "<svg" in dial.view.value
    dial.widgets["S"].value = 0.0
    assert dial.last.n_represented < 5
    assert dial.at(S=0.9) is dial.at(S=0.9)                 # trained once, remembered
    html = dial.render(dial.last)
    assert html == dial.view.value and "features represented" in html
    with pytest.raises(ValueError, match="S must be one of"):
        dial.at(S=0.5)
    with pytest.raises(ValueError, match="value 0.5 is not one of"):
        SparsityDial(values=(0.0, 0.9), value=0.5)


@pytest.mark.skipif(not (DATA / "toy_models.npz").exists(), reason="shipped data missing")
def test_the_dial_shows_given_models_without_training():
    models, _ = sp.load_toy_models(DATA / "toy_models.npz")
    dial = SparsityDial(values=tuple(models), value=0.9, models=models, steps=0)
    dial.build()
    assert dial.last.W is models[0.9].W and dial.last.n_represented == 5
    with pytest.raises(ValueError, match="^models: key 0.5 is not the model's sparsity 0.9$"):
        SparsityDial(values=(0.9,), models={0.5: models[0.9]})
