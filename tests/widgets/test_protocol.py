"""The dial protocol: Control, Dial's lifecycle, every dial keeps it, and the mathematics
never imports the widgets."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pathlib
import pkgutil

import numpy as np
import pytest

import umlib
import umlib.widgets
from umlib.widgets.protocol import Control, Dial, Readout



# -- Control -----------------------------------------------------------------
def test_control_validates_by_kind():
    log = Control("T", "T", "log", 1.0, lo=0.01, hi=100.0, step=0.01)
    assert log.validate(1e-300) == 1e-300 and log.validate(3) == 3.0   # domain, not range
    with pytest.raises(ValueError, match="T must be > 0"):
        log.validate(0.0)
    lin = Control("h", "h", "linear", 0.0, lo=-1.0, hi=1.0, step=0.1)
    assert lin.validate(-7.5) == -7.5
    with pytest.raises(ValueError, match="h"):
        lin.validate(float("nan"))
    n = Control("n", "n", "int", 3, lo=1, hi=9, step=1)
    assert n.validate(np.int64(4)) == 4
    with pytest.raises(TypeError, match="n must be an integer"):
        n.validate(2.5)
    ch = Control("level", "level", "choice", "a", options=("a", "b"))
    assert ch.validate("b") == "b"
    with pytest.raises(ValueError, match="level must be one of"):
        ch.validate("c")
    with pytest.raises(ValueError, match="level must be one of"):
        ch.validate(np.array([1.0, 2.0]))


def test_control_rejects_bad_declarations():
    with pytest.raises(ValueError, match="kind"):
        Control("x", "x", "dial", 1.0, lo=0, hi=1, step=0.1)
    with pytest.raises(ValueError, match="lo, hi and step"):
        Control("x", "x", "linear", 0.5)
    with pytest.raises(ValueError, match="lo must be < hi"):
        Control("x", "x", "linear", 0.5, lo=1.0, hi=0.0, step=0.1)
    with pytest.raises(ValueError, match="lo must be > 0"):
        Control("x", "x", "log", 0.5, lo=0.0, hi=1.0, step=0.1)
    with pytest.raises(ValueError, match="x: default 5.0 is outside"):
        Control("x", "x", "linear", 5.0, lo=0.0, hi=1.0, step=0.1)
    with pytest.raises(ValueError, match="options"):
        Control("x", "x", "choice", "a")
    with pytest.raises(ValueError, match="x must be one of"):
        Control("x", "x", "choice", "z", options=("a",))
    c = Control("x", "x", "linear", 0.5, lo=0.0, hi=1.0, step=0.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.default = 0.7


# -- a minimal dial, to drive the lifecycle ----------------------------------
@dataclasses.dataclass(frozen=True)
class _SquareReadout(Readout):
    x: float
    y: float
    mode: str


class _Square(Dial):
    def __init__(self, x=2.0):
        super().__init__((Control("x", "x", "linear", x, lo=-5.0, hi=5.0, step=0.5),
                          Control("mode", "mode", "choice", "square",
                                  options=("square", "cube"))))

    def readout(self, state):
        s = self.validate(state)
        return _SquareReadout(x=s["x"], y=s["x"] ** (2 if s["mode"] == "square" else 3),
                              mode=s["mode"])

    def render(self, r):
        return f"<b>{r.x:g}</b> -> {r.y:g}"


def test_lifecycle_build_update_set():
    d = _Square()
    assert d.state() == {"x": 2.0, "mode": "square"}
    assert d.at(x=3.0).y == 9.0 and d.last is None
    with pytest.raises(RuntimeError, match="build"):
        d.update()
    box = d.build()
    assert d.build() is box                               # one box, built once
    assert set(d.widgets) == {"x", "mode"} and d.last.y == 4.0
    d.widgets["x"].value = -3.0                           # what dragging does
    assert d.last == _SquareReadout(-3.0, 9.0, "square")
    assert d.view.value == "<b>-3</b> -> 9"
    d.widgets["mode"].value = "cube"
    assert d.last.y == -27.0 and d.view.value.endswith("-27")
    assert d.set(x=1.5, mode="square").y == 2.25
    with pytest.raises(KeyError, match="nope"):
        d.set(nope=1)
    assert box.children[-1] is d.view


def test_dial_rejects_bad_controls_and_states():
    with pytest.raises(TypeError, match="controls"):
        Dial(())
    c = Control("x", "x", "linear", 0.0, lo=-1.0, hi=1.0, step=0.1)
    with pytest.raises(ValueError, match="repeated"):
        Dial((c, c))
    d = _Square()
    with pytest.raises(TypeError, match="state must be a mapping"):
        d.readout([("x", 1.0)])
    with pytest.raises(ValueError, match="missing control 'mode'"):
        d.readout({"x": 1.0})
    with pytest.raises(ValueError, match="unknown control 'y'"):
        d.readout({"x": 1.0, "mode": "cube", "y": 2})


# -- every dial keeps the protocol --------------------------------------------
def _stats():
    from umlib.text import bridge

    x = np.frombuffer(b"the cat sat on the mat; the cat sat.", np.uint8).astype(np.int64)
    y = x[1:]
    lv = {"unfactored": bridge.context_labels(x, [])[:-1],
          "order-3": bridge.context_labels(x, range(3))[:-1]}
    return bridge.staircase(lv, y)


def _factories(small_net):
    from umlib.widgets import intervention, lattice, saturation, sparsity, staircase, temperature
    from umlib.widgets import double_well
    task, net = small_net
    v = np.random.default_rng(0).normal(size=net.d)
    return {
        temperature.TemperatureDial: lambda: temperature.TemperatureDial(
            {"a": [0.0, 1.0, 3.0], "b": [0.0, 0.5]}),
        saturation.SaturationDial: lambda: saturation.SaturationDial([0.5, 3.0, -40.0]),
        staircase.StaircaseDial: lambda: staircase.StaircaseDial(_stats()),
        lattice.IsingDial: lambda: lattice.IsingDial(L=4, n_sweeps=5),
        intervention.SteeringDial: lambda: intervention.SteeringDial(
            net, task, v, depth=2, target=0),
        intervention.ClampingDial: lambda: intervention.ClampingDial(
            net, task, v, depth=2, target=0),
        sparsity.SparsityDial: lambda: sparsity.SparsityDial(
            values=(0.0, 0.9), steps=200, n_restarts=1),
        double_well.DoubleWellDial: lambda: double_well.DoubleWellDial(T_max=1.0),
    }


def dial_classes():
    """Every public Dial subclass defined in a module of umlib.widgets."""
    found = set()
    for m in pkgutil.walk_packages(umlib.widgets.__path__, "umlib.widgets."):
        mod = importlib.import_module(m.name)
        for _, obj in inspect.getmembers(mod, inspect.isclass):
            if (issubclass(obj, Dial) and obj is not Dial and obj.__module__ == mod.__name__
                    and not obj.__name__.startswith("_")):
                found.add(obj)
    return found


def test_every_dial_class_is_found_and_has_a_factory(small_net):
    classes = dial_classes()
    assert {c.__name__ for c in classes} == {
        "TemperatureDial", "SaturationDial", "StaircaseDial", "IsingDial", "SteeringDial",
        "ClampingDial", "SparsityDial", "DoubleWellDial"}
    assert classes == set(_factories(small_net))


def test_every_dial_keeps_the_protocol(small_net, protocol_check, same):
    for cls, make in _factories(small_net).items():
        dial = make()
        protocol_check(dial)
        r = dial.readout(dial.state())
        box = dial.build()
        assert dial.build() is box
        assert dial.last is not None and dial.view.value == dial.render(dial.last)
        assert same(dial.last, r), cls.__name__


# -- negative controls: broken dials are caught ---------------------------------
class _IgnoresState(_Square):
    def readout(self, state):
        self.validate(state)
        return _SquareReadout(x=2.0, y=4.0, mode="square")


class _UndeclaredControl(_Square):
    def readout(self, state):
        return _SquareReadout(x=state["x"], y=state["x"] * state["scale"], mode="square")


class _NoValidation(_Square):
    def readout(self, state):
        x, mode = state.get("x", 0.0), state.get("mode", "square")
        return _SquareReadout(x=x, y=x ** 2, mode=mode)


class _NotAReadout(_Square):
    def readout(self, state):
        s = self.validate(state)
        return {"x": s["x"], "y": s["x"] ** 2}


def test_the_check_passes_a_good_dial(protocol_check):
    protocol_check(_Square())


@pytest.mark.parametrize("broken", [_IgnoresState, _UndeclaredControl, _NoValidation,
                                    _NotAReadout])
def test_the_check_catches_a_broken_dial(broken, protocol_check):
    with pytest.raises((AssertionError, KeyError, pytest.fail.Exception)):
        protocol_check(broken())


# -- the mathematics never imports the widgets --------------------------------
MATH_PACKAGES = ("core", "text", "physics", "networks", "book")


def imports_widgets(source: str, module: str) -> list[int]:
    """Line numbers of imports of umlib.widgets in ``source`` (module ``module``)."""
    pkg = module.split(".")[:-1]
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg[:len(pkg) - node.level + 1] if node.level else []
            root = ".".join(base + ([node.module] if node.module else []))
            targets = [root] + [f"{root}.{a.name}" for a in node.names]
        else:
            continue
        if any(t == "umlib.widgets" or t.startswith("umlib.widgets.") for t in targets):
            hits.append(node.lineno)
    return hits


def _math_files():
    root = pathlib.Path(umlib.__file__).parent
    for sub in MATH_PACKAGES:
        for path in sorted((root / sub).rglob("*.py")):
            rel = path.relative_to(root.parent).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1] + ["__init__"]
            yield path, ".".join(parts)


def test_no_mathematics_module_imports_the_widgets():
    files = list(_math_files())
    assert len(files) > 20 and {m.split(".")[1] for _, m in files} == set(MATH_PACKAGES)
    bad = {m: imports_widgets(p.read_text(encoding="utf-8"), m) for p, m in files}
    assert not {m: ln for m, ln in bad.items() if ln}


@pytest.mark.parametrize("src", [
    "import umlib.widgets",
    "import umlib.widgets.svg as s",
    "from umlib.widgets.temperature import TemperatureDial",
    "from umlib import widgets",
    "from ..widgets import svg",
    "from .. import widgets",
    "from ..widgets.svg import bars_svg",
    "def f():\n    from ..widgets import lattice\n    return lattice",
])
def test_the_import_check_sees_an_injected_import(src):
    clean = "import numpy as np\nfrom ..core.validate import count\n"
    assert imports_widgets(clean, "umlib.physics.ising") == []
    assert imports_widgets(clean + src, "umlib.physics.ising"), src


def test_the_import_check_is_not_fooled_by_names():
    src = "from ..core import widgets_helpers\nimport umlib.widgetsmith\nx = 'umlib.widgets'\n"
    assert imports_widgets(src, "umlib.physics.ising") == []
