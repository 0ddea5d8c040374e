"""One protocol for every dial of the book.

A dial is three things kept apart:

* its **controls** — a tuple of :class:`Control`, declared by the subclass from its
  constructor arguments (a name, a label, a kind, a range or a list of options, a default);
* its **arithmetic** — :meth:`Dial.readout`, a pure function from a *state* (a mapping
  control name -> value) to a frozen :class:`Readout`; no widget is involved, so tests and
  chapters sweep it directly;
* its **view** — :meth:`Dial.render`, a pure function from a readout to an HTML/SVG string.

The base class supplies the one lifecycle shared by all dials: :meth:`Dial.state` (the
defaults), :meth:`Dial.build` (imports ipywidgets lazily, makes one widget per control,
observes them and returns the box; a second call returns the same box) and
:meth:`Dial.update` (widget values -> readout -> render -> the HTML view, stored in
``dial.last``).  Setting ``dial.widgets[name].value`` in a test runs exactly what moving
that control runs in Jupyter.

Temperature is ``T`` throughout, with k_B = 1.

Used by every dial chapter: Part I "The Boltzmann distribution in detail", Part II "The
factoring hierarchy", Part III "One dial" and "The temperature dial and the measurement",
Part IV "The Ising model, exactly", Part V "Activation engineering: steering a concept",
"Feature clamping" and "Superposition and sparse autoencoders".
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import importlib
import inspect
import itertools
import json
import math
import numbers
import os
import zlib
from decimal import Decimal
from pathlib import Path
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.validate import positive_scalar, real_scalar, record_fields, sequence

__all__ = ["Control", "Readout", "Dial", "encode", "decode", "remake", "state_table",
           "pack_table", "unpack_table"]

KINDS = ("log", "linear", "int", "choice")


@dataclass(frozen=True)
class Control:
    """One declared control of a dial.

    The range ``[lo, hi]`` bounds the widget (and the default), not the arithmetic:
    :meth:`Dial.readout` accepts any value in the control's domain (a positive float for
    ``"log"``, a finite float for ``"linear"``, an integer for ``"int"``, one of
    ``options`` for ``"choice"``), so a chapter can sweep far past the slider's ends.

    Parameters
    ----------
    name : str
        The key of this control in a dial's state (``"T"``, ``"h"``, ``"spectrum"``...).
    label : str
        What the widget shows next to the control.
    kind : {"log", "linear", "int", "choice"}
        A logarithmic slider, a linear slider, an integer slider or a finite choice.
    default : object
        The value of the control in :meth:`Dial.state`.
    lo, hi : float, optional
        Ends of the slider (continuous and integer kinds; ``0 < lo < hi`` for ``"log"``).
    step : float, optional
        Slider step; for ``"log"`` it is in decades.
    options : tuple, optional
        The choices (``"choice"`` only), in the order shown.

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial".

    Examples
    --------
    >>> from umlib.widgets.protocol import Control
    >>> c = Control("T", "T", "log", 1.0, lo=0.01, hi=100.0, step=0.01)
    >>> c.validate(2)
    2.0
    """

    name: str
    label: str
    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    options: tuple = ()

    def __post_init__(self) -> None:
        record_fields(self)
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("Control name must be a non-empty string")
        if self.kind not in KINDS:
            raise ValueError(f"control {self.name!r}: kind must be one of {KINDS}, "
                             f"got {self.kind!r}")
        if self.kind == "choice":
            object.__setattr__(self, "options", tuple(self.options))
            if not self.options:
                raise ValueError(f"control {self.name!r}: a choice needs options")
            if len(set(self.options)) != len(self.options):
                raise ValueError(f"control {self.name!r}: options repeat")
        else:
            if self.lo is None or self.hi is None or self.step is None:
                raise ValueError(f"control {self.name!r}: lo, hi and step are required "
                                 f"for kind {self.kind!r}")
            lo = real_scalar(f"{self.name} (lo)", self.lo)
            hi = real_scalar(f"{self.name} (hi)", self.hi)
            if not lo < hi:
                raise ValueError(f"control {self.name!r}: lo must be < hi")
            if self.kind == "log" and lo <= 0:
                raise ValueError(f"control {self.name!r}: lo must be > 0 on a log slider")
            positive_scalar(f"{self.name} (step)", self.step)
        if self.kind != "choice" and self.options != ():
            raise ValueError(f"control {self.name!r}: options are only for kind 'choice'")
        try:
            value = self.validate(self.default)
        except (TypeError, ValueError, OverflowError) as exc:
            raise type(exc)(f"default: {exc}") from None
        if self.kind != "choice" and not self.lo <= value <= self.hi:
            raise ValueError(f"{self.name}: default {value!r} is outside the dial's range "
                             f"[{self.lo!r}, {self.hi!r}]")
        object.__setattr__(self, "default", value)

    def validate(self, value):
        """Return ``value`` in this control's domain, or raise naming the control.

        Parameters
        ----------
        value : object
            A proposed setting.

        Returns
        -------
        object
            A Python float (``"log"``, ``"linear"``), int (``"int"``) or the matching
            option (``"choice"``).

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        if self.kind == "log":
            return positive_scalar(self.name, value)
        if self.kind == "linear":
            return real_scalar(self.name, value)
        if self.kind == "int":
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{self.name} must be an integer, got {type(value).__name__}")
            return int(value)
        try:
            hit = value in self.options
        except (TypeError, ValueError):
            hit = False
        if not hit:
            raise ValueError(f"{self.name} must be one of {list(self.options)}, "
                             f"got {value!r}")
        return self.options[self.options.index(value)]

    # -- the slider's reachable settings -------------------------------------
    def _grid(self) -> tuple:
        """The slider's own positions (no default added): lo + k*step, in decades for log."""
        if self.kind == "choice":
            return self.options
        if self.kind == "int":
            return tuple(range(int(self.lo), int(self.hi) + 1, max(int(self.step), 1)))
        step = Decimal(repr(float(self.step)))
        if self.kind == "log":
            e_lo, e_hi = math.log10(self.lo), math.log10(self.hi)
            n = math.floor((e_hi - e_lo) / self.step + 1e-9)
            grid = [10.0 ** float(Decimal(repr(e_lo)) + k * step) for k in range(n + 1)]
            grid[0] = float(self.lo)
        else:
            n = math.floor((self.hi - self.lo) / self.step + 1e-9)
            grid = [float(Decimal(repr(float(self.lo))) + k * step) for k in range(n + 1)]
        if abs(self.snap_scale(grid[-1]) - self.snap_scale(self.hi)) <= 1e-6 * self.step:
            grid[-1] = float(self.hi)          # the end, up to rounding: the end itself
        elif grid[-1] < self.hi:
            grid.append(float(self.hi))        # a range that is not whole steps: its end too
        return tuple(grid)

    def snap_scale(self, value: float) -> float:
        """Where ``value`` sits on the slider's axis: log10 on a log slider, else itself.

        Parameters
        ----------
        value : float

        Returns
        -------
        float

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        value = self.validate(value)
        return math.log10(value) if self.kind == "log" else float(value)

    def positions(self) -> tuple:
        """Every setting a reader can reach with this control, in slider order.

        The slider's grid (``lo + k*step``; for ``"log"`` the exponent moves by ``step``
        decades, each position computed once in decimal and rounded once, so
        ``10**0 = 1`` exactly), with the default inserted in order when it is off the
        grid (a reader sees it before the first move).  A choice's positions are its
        options.

        Returns
        -------
        tuple

        Notes
        -----
        The live dials of the HTML book are tables over these positions; used in every
        dial chapter, e.g. Part III, "One dial".

        Examples
        --------
        >>> from umlib.widgets.protocol import Control
        >>> Control("T", "T", "log", 1.0, lo=0.1, hi=10.0, step=0.5).positions()
        (0.1, 0.31622776601683794, 1.0, 3.1622776601683795, 10.0)
        """
        grid = self._grid()
        if self.kind == "choice" or self.default in grid:
            return grid
        return tuple(sorted((*grid, self.default)))

    def snap(self, value, extra=()):
        """``value`` moved onto the nearest position when it is that position up to rounding.

        A browser's slider computes its value in its own floating point (``10**x`` of a
        log slider gives 0.9999999999999994 for 1); the dial reads the position it means.
        A value farther than a millionth of a step from every position is returned as it
        is (controls accept any value in their domain).

        Parameters
        ----------
        value : object
            A widget's value.
        extra : sequence, optional
            Further settings that count as positions (a dial's presets).

        Returns
        -------
        object
            The position, or ``value`` validated.

        Notes
        -----
        Used by :meth:`Dial.update` in every dial chapter, e.g. Part III, "One dial".

        Examples
        --------
        >>> from umlib.widgets.protocol import Control
        >>> Control("T", "T", "log", 1.0, lo=0.01, hi=100.0, step=0.01).snap(0.9999999999999994)
        1.0
        """
        value = self.validate(value)
        extra = [self.validate(x) for x in sequence("extra", extra)]
        if self.kind in ("choice", "int"):
            return value
        e = self.snap_scale(value)
        k = round((e - self.snap_scale(self.lo)) / self.step)
        grid = self._grid()
        near = [grid[j] for j in (k, len(grid) - 1) if 0 <= j < len(grid)]
        for p in (*near, self.default, *extra):
            if abs(self.snap_scale(p) - e) <= 1e-6 * self.step:
                return p
        return value

    def format(self, value) -> str:
        """The control's value as the slider's readout shows it.

        Parameters
        ----------
        value : object
            A setting.

        Returns
        -------
        str
            3 significant digits on a log slider, 2 decimals on a linear one, the
            integer or the option otherwise.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        value = self.validate(value)
        if self.kind == "log":
            return f"{value:.3g}"
        if self.kind == "linear":
            return f"{value:.2f}"
        return str(value)


@dataclass(frozen=True)
class Readout:
    """Base of every dial's readout: a frozen record of what the dial shows at one state.

    Parameters
    ----------
    (none)
        Subclasses (frozen dataclasses) declare the fields.

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial".
    """

    def __post_init__(self) -> None:
        record_fields(self)


class Dial:
    """The dial protocol: declared controls, a pure readout, a pure render, one lifecycle.

    Subclasses build their :class:`Control` s from their constructor arguments and call
    ``super().__init__(controls)``; they implement :meth:`readout` (starting with
    :meth:`validate`) and :meth:`render`.

    Parameters
    ----------
    controls : sequence of Control
        The dial's controls, with distinct names.

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial", and Part IV, "The Ising
    model, exactly".
    """

    def __init_subclass__(cls, **kwargs) -> None:
        # Record how each dial was made (its class and the arguments of the outermost
        # __init__), so that spec() can describe it and the book's build can remake it.
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return
        signature = inspect.signature(init)

        @functools.wraps(init)
        def recorded(self, *args, **kw):
            if "_made_by" not in self.__dict__:
                bound = signature.bind(self, *args, **kw)
                bound.apply_defaults()
                made = dict(bound.arguments)
                made.pop(next(iter(signature.parameters)))
                self.__dict__["_made_by"] = (
                    f"{type(self).__module__}:{type(self).__qualname__}", made)
            init(self, *args, **kw)

        cls.__init__ = recorded

    def __init__(self, controls) -> None:
        controls = tuple(sequence("controls", controls))
        if not controls or not all(isinstance(c, Control) for c in controls):
            raise TypeError("controls must be a non-empty sequence of Control")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"controls have repeated names: {names}")
        self.controls = controls
        self.widgets: dict = {}
        self.view = None
        self.last = None
        self._box = None
        self._updating = False

    # -- the arithmetic side -------------------------------------------------
    def control(self, name: str) -> Control:
        """The control called ``name``.

        Parameters
        ----------
        name : str
            A control name.

        Returns
        -------
        Control

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        for c in self.controls:
            if c.name == name:
                return c
        raise KeyError(f"no control {name!r}; the controls are "
                       f"{[c.name for c in self.controls]}")

    def state(self) -> dict:
        """The default state: every control at its default.

        Returns
        -------
        dict
            Control name -> default value.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        return {c.name: c.default for c in self.controls}

    def validate(self, state: Mapping) -> dict:
        """Check a state against the controls; raise naming the offending control.

        Parameters
        ----------
        state : mapping
            Control name -> value, one entry per control.

        Returns
        -------
        dict
            The validated values, in the controls' order.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"state must be a mapping of control name -> value, "
                            f"got {type(state).__name__}")
        names = [c.name for c in self.controls]
        extra = [k for k in state if k not in names]
        if extra:
            raise ValueError(f"state has unknown control {extra[0]!r}; the controls are "
                             f"{names}")
        for c in self.controls:
            if c.name not in state:
                raise ValueError(f"state is missing control {c.name!r}")
        return {c.name: c.validate(state[c.name]) for c in self.controls}

    def readout(self, state: Mapping) -> Readout:  # pragma: no cover - abstract
        """What the dial shows at ``state`` (pure; subclasses implement it).

        Parameters
        ----------
        state : mapping
            Control name -> value.

        Returns
        -------
        Readout

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        raise NotImplementedError

    def render(self, readout: Readout) -> str:  # pragma: no cover - abstract
        """The HTML/SVG view of ``readout`` (pure; subclasses implement it).

        Parameters
        ----------
        readout : Readout

        Returns
        -------
        str

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        raise NotImplementedError

    def at(self, **values) -> Readout:
        """The readout at the defaults with ``values`` changed (pure).

        Parameters
        ----------
        **values
            Control name -> value for the controls to change.

        Returns
        -------
        Readout

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        return self.readout({**self.state(), **values})

    def positions(self) -> dict:
        """Every setting of every control a reader can reach (see ``Control.positions``;
        a preset's setting counts as a position).

        Returns
        -------
        dict
            Control name -> tuple of settings, in the controls' order.

        Notes
        -----
        The live dials of the HTML book are tables over the product of these; used in
        every dial chapter, e.g. Part III, "One dial".
        """
        out = {}
        for c in self.controls:
            pos = c.positions()
            if c.kind in ("log", "linear", "int"):
                more = {c.validate(v[c.name]) for v in self.presets().values() if c.name in v}
                more = {m for m in more if c.lo <= m <= c.hi and c.snap(m) not in pos}
                pos = tuple(sorted((*pos, *more)))
            out[c.name] = pos
        return out

    def _preset_values(self, name: str) -> list:
        return [v[name] for v in self.presets().values() if name in v]

    def presets(self) -> dict:
        """Named settings offered as buttons (none unless a dial declares some).

        Returns
        -------
        dict
            Button label -> mapping of control name -> setting.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        return {}

    def spec(self) -> dict:
        """How this dial was made, as JSON-ready data from which the dial is made again.

        Returns
        -------
        dict
            ``{"make": "module:Class", "args": ...}`` (the constructor, or a named
            recipe such as ``SaturationDial.from_satrnn``, and its arguments encoded by
            ``encode``); ``remake`` reads it.

        Notes
        -----
        The HTML book remakes every dial from its spec at build time; used in every dial
        chapter, e.g. Part III, "One dial".
        """
        if "_made_by" not in self.__dict__:
            raise TypeError(f"{type(self).__name__} was not made through a dial constructor")
        make, args = self._made_by
        return {"make": make, "args": encode(args)}

    # -- the lifecycle -------------------------------------------------------
    def _make_widget(self, w, c: Control):
        layout = w.Layout(width="480px")
        if c.kind == "log":
            return w.FloatLogSlider(value=c.default, base=10, min=math.log10(c.lo),
                                    max=math.log10(c.hi), step=c.step, description=c.label,
                                    readout_format=".3g", layout=layout)
        if c.kind == "linear":
            return w.FloatSlider(value=c.default, min=c.lo, max=c.hi, step=c.step,
                                 description=c.label, readout_format=".2f", layout=layout)
        if c.kind == "int":
            return w.IntSlider(value=c.default, min=int(c.lo), max=int(c.hi),
                               step=max(int(c.step), 1), description=c.label, layout=layout)
        if all(isinstance(o, str) for o in c.options):
            return w.ToggleButtons(options=list(c.options), value=c.default,
                                   description=c.label, style={"button_width": "auto"})
        return w.SelectionSlider(options=list(c.options), value=c.default,
                                 description=c.label, layout=layout)

    def _extras(self, w) -> list:
        """Extra widgets placed under the controls (e.g. preset buttons); none by default."""
        return []

    def build(self):
        """Create the widgets (importing ipywidgets only now) and return the box.

        One widget per control, each observed so that a change runs :meth:`update`;
        calling ``build()`` again returns the same box.

        Returns
        -------
        ipywidgets.VBox
            The controls, any extras and the HTML view.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        if self._box is not None:
            return self._box
        import ipywidgets as w

        self.widgets = {c.name: self._make_widget(w, c) for c in self.controls}
        self.view = w.HTML()
        for wd in self.widgets.values():
            wd.observe(self._on_change, names="value")
        self._box = _dial_box(w)([*self.widgets.values(), *self._extras(w), self.view])
        self._box.dial_spec = self._spec_or_none()
        self.update()
        return self._box

    def _spec_or_none(self):
        try:
            return self.spec()
        except (TypeError, ValueError):
            return None

    def _on_change(self, change) -> None:
        if not self._updating:
            self.update()

    def update(self) -> Readout:
        """Read the widgets, compute the readout, render it into the view.

        Returns
        -------
        Readout
            The new readout, also stored as ``self.last``.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        if self._box is None:
            raise RuntimeError("call build() first")
        state = {name: self.control(name).snap(wd.value, self._preset_values(name))
                 for name, wd in self.widgets.items()}
        busy = self.pending(state)
        if busy:
            self.view.value = busy
        r = self.readout(state)
        self.view.value = self.render(r)
        self.last = r
        if not self._updating:
            self._updating = True
            try:      # the widgets show the positions read (a browser's rounding undone)
                for name, wd in self.widgets.items():
                    if wd.value != state[name]:
                        wd.value = state[name]
            finally:
                self._updating = False
        self._updated(r)
        return r

    def pending(self, state) -> str | None:
        """A message to show while :meth:`readout` computes at ``state``, or None (fast).

        Parameters
        ----------
        state : mapping
            Control name -> value.

        Returns
        -------
        str or None

        Notes
        -----
        Used in every dial chapter, e.g. Part V, "Superposition and sparse autoencoders".
        """
        return None

    def _updated(self, r) -> None:
        """Hook run after each update (e.g. to mark the active preset); nothing by default."""

    def set(self, **values) -> Readout:
        """Move controls through their widgets (building them if needed).

        Parameters
        ----------
        **values
            Control name -> new widget value.

        Returns
        -------
        Readout
            ``self.last`` after the moves.

        Notes
        -----
        Used in every dial chapter, e.g. Part III, "One dial".
        """
        self.build()
        for name, value in values.items():
            self.control(name)
            self.widgets[name].value = value
        return self.last


#: The key under which a built dial's output metadata carries its spec (read by the
#: book's build, book/_ext/umbook_live.py, to make the dial live in the HTML book).
SPEC_MIME = "application/vnd.umbook.dial+json"

_BOX_CLASS = None


def _dial_box(w):
    """The VBox subclass whose display also carries the dial's spec (made once, lazily)."""
    global _BOX_CLASS
    if _BOX_CLASS is None:
        class DialBox(w.VBox):
            """A dial's box; its display's metadata holds the dial's spec (``SPEC_MIME``).

            Its display also carries the picture the dial shows as ``text/html``: a
            notebook opened without running it (JupyterLab has no widget model yet)
            shows that picture, where it would otherwise show the box's repr.
            """

            dial_spec = None

            def _repr_mimebundle_(self, **kwargs):
                data = super()._repr_mimebundle_(**kwargs)
                if not isinstance(data, dict):
                    return data
                picture = _saved_picture(self)
                if picture:
                    data["text/html"] = picture
                if self.dial_spec is None:
                    return data
                return data, {SPEC_MIME: {"model_id": self.model_id, "spec": self.dial_spec}}

        _BOX_CLASS = DialBox
    return _BOX_CLASS


SAVED_NOTE = "The dial as it was saved: run the chapter's cells to move it."


def _saved_picture(box) -> str:
    """The picture a built dial's box shows, as stand-alone HTML with a one-line note.

    Parameters
    ----------
    box : ipywidgets.Box
        A dial's box (:meth:`Dial.build`); its last child is the dial's HTML view.

    Returns
    -------
    str
        ``<div class="umbook-dial-saved">`` holding the note and the view's HTML, or ""
        when the box has no HTML view yet.

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial": what a reader sees of a
    dial in a notebook opened without running it.
    """
    children = getattr(box, "children", None)
    if not isinstance(children, (tuple, list)):
        raise TypeError(f"box must be a dial's ipywidgets box, got {type(box).__name__}")
    view = children[-1] if children else None
    html = getattr(view, "value", "")
    if not isinstance(html, str) or not html:
        return ""
    return (f'<div class="umbook-dial-saved"><p><em>{SAVED_NOTE}</em></p>'
            f'{html}</div>')


# ---------------------------------------------------------------------------
# The dials of the HTML book, live without a kernel: specs and state tables.
#
# A built dial's output carries its Dial.spec() (how it was made).  When the book is
# built, remake() makes the same dial again from that spec and state_table() runs the
# dial's own readout and render at every reachable setting (the product of
# Dial.positions()); the page then only switches between those pictures.  No arithmetic
# of the dial runs in the browser.
#
# The encoding is JSON: numbers, strings, lists and dicts as they are (floats written by
# repr, so they read back bit for bit), with tagged objects for what JSON lacks:
# non-finite floats, tuples, dicts with non-string keys, numpy arrays (little-endian
# bytes, base64, deflated when that halves them) and the dataclasses of umlib (by field).
# Nothing is unpickled and only umlib names are ever imported.
# ---------------------------------------------------------------------------

_TAGS = ("__float__", "__tuple__", "__items__", "__ndarray__", "__dataclass__")


def encode(obj):
    """``obj`` as JSON-ready data that :func:`decode` reads back equal (bit for bit).

    Parameters
    ----------
    obj : object
        None, bool, int, float, str, numpy scalars and arrays (numeric or boolean), lists,
        tuples, dicts, and dataclass instances defined in ``umlib``, nested.

    Returns
    -------
    object
        JSON-ready data.

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial".

    Examples
    --------
    >>> from umlib.widgets.protocol import decode, encode
    >>> decode(encode({0.5: (1, float("inf"))}))
    {0.5: (1, inf)}
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        return x if math.isfinite(x) else {"__float__": repr(x)}
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biuf" or obj.dtype.byteorder == ">":
            raise TypeError(f"obj: cannot encode an array of dtype {obj.dtype}")
        a = np.ascontiguousarray(obj)
        raw = a.tobytes()
        packed = zlib.compress(raw, 9)
        if len(packed) < len(raw) // 2:      # e.g. integer prompts: stored deflated
            return {"__ndarray__": base64.b64encode(packed).decode("ascii"), "zlib": True,
                    "dtype": a.dtype.str, "shape": list(a.shape)}
        return {"__ndarray__": base64.b64encode(raw).decode("ascii"),
                "dtype": a.dtype.str, "shape": list(a.shape)}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v) for v in obj]}
    if isinstance(obj, list):
        return [encode(v) for v in obj]
    if isinstance(obj, Mapping):
        if all(isinstance(k, str) and k not in _TAGS for k in obj):
            return {k: encode(v) for k, v in obj.items()}
        return {"__items__": [[encode(k), encode(v)] for k, v in obj.items()]}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        if not cls.__module__.startswith("umlib."):
            raise TypeError(f"obj: cannot encode {cls.__name__}: only umlib's dataclasses")
        fields = {f.name: encode(getattr(obj, f.name))
                  for f in dataclasses.fields(obj) if f.init}
        return {"__dataclass__": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    raise TypeError(f"obj: cannot encode an object of type {type(obj).__name__}")


def _umlib_name(path: str):
    """The object named ``module:qualname`` inside umlib (nothing else is imported)."""
    if not isinstance(path, str) or ":" not in path:
        raise ValueError(f"a name must read 'module:qualname', got {path!r}")
    module, qualname = path.split(":", 1)
    if module != "umlib" and not module.startswith("umlib."):
        raise ValueError(f"only umlib names can be remade, got {path!r}")
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        if part.startswith("_") and part != "__init__":
            raise ValueError(f"a private name cannot be remade: {path!r}")
        obj = getattr(obj, part)
    return obj


def decode(data):
    """Read back what :func:`encode` wrote (an error names ``data`` if it is not that).

    Parameters
    ----------
    data : object
        JSON-ready data from :func:`encode`.

    Returns
    -------
    object

    Notes
    -----
    Used in every dial chapter, e.g. Part III, "One dial".
    """
    try:
        return _decode(data)
    except (ValueError, TypeError, KeyError, AttributeError, ImportError, OverflowError,
            RecursionError, zlib.error) as exc:
        raise ValueError(f"data is not what encode() writes: {exc}") from None


def _decode(data):
    decode = _decode
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        if isinstance(data, float) and not math.isfinite(data):
            raise ValueError("a non-finite float must be tagged, as encode() writes it")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        raise TypeError(f"cannot decode an object of type {type(data).__name__}")
    if "__float__" in data:
        x = float(data["__float__"])
        if math.isfinite(x):
            raise ValueError(f"a tagged float must be non-finite, got {data['__float__']!r}")
        return x
    if "__tuple__" in data:
        return tuple(decode(v) for v in data["__tuple__"])
    if "__items__" in data:
        return {decode(k): decode(v) for k, v in data["__items__"]}
    if "__ndarray__" in data:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in "biuf":
            raise ValueError(f"cannot decode an array of dtype {dtype}")
        raw = base64.b64decode(data["__ndarray__"], validate=True)
        if data.get("zlib"):
            raw = zlib.decompress(raw)
        return np.frombuffer(raw, dtype=dtype).reshape(data["shape"]).copy()
    if "__dataclass__" in data:
        cls = _umlib_name(data["__dataclass__"])
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise ValueError(f"{data['__dataclass__']!r} is not a dataclass")
        return cls(**{k: decode(v) for k, v in data["fields"].items()})
    return {k: decode(v) for k, v in data.items()}


@contextlib.contextmanager
def _in_folder(folder):
    if folder is None:
        yield
        return
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def remake(spec: Mapping, folder=None) -> "Dial":
    """The dial described by ``spec`` (from :meth:`~umlib.widgets.protocol.Dial.spec`).

    Parameters
    ----------
    spec : mapping
        ``{"make": "module:qualname", "args": ...}``; the maker must be a dial class of
        ``umlib.widgets`` or one of its public class methods.
    folder : path-like, optional
        The folder the dial was made in (relative paths in a recipe, such as a weights
        file, are read from there); default: the current folder.

    Returns
    -------
    Dial

    Notes
    -----
    Used when the HTML book is built and by its browser test; every dial chapter, e.g.
    Part III, "One dial".
    """
    if folder is not None and not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path or None, got {type(folder).__name__}")
    if not isinstance(spec, Mapping) or set(spec) != {"make", "args"}:
        raise ValueError("spec must be a mapping with exactly the keys 'make' and 'args'")
    if not str(spec["make"]).startswith("umlib.widgets."):
        raise ValueError(f"spec: only dials of umlib.widgets can be remade, "
                         f"got {spec['make']!r}")
    try:
        maker = _umlib_name(spec["make"])
        args = decode(spec["args"])
    except (ValueError, TypeError, AttributeError, ImportError) as exc:
        raise ValueError(f"spec: {exc}") from None
    if not isinstance(args, dict):
        raise ValueError("spec: args must decode to a dict of argument name -> value")
    if folder is not None and not Path(folder).is_dir():
        raise ValueError(f"folder {folder!r} is not a folder")
    with _in_folder(folder):
        dial = maker(**args)
    if not isinstance(dial, Dial):
        raise ValueError(f"spec: {spec['make']!r} did not make a dial")
    return dial


def state_table(dial: "Dial") -> dict:
    """Every picture the dial can show, computed by its own readout and render.

    The settings are the product of :meth:`~umlib.widgets.protocol.Dial.positions`
    (row-major, the first control slowest); each distinct picture is stored once.

    Parameters
    ----------
    dial : Dial

    Returns
    -------
    dict
        ``controls`` (name, label, kind, the label of each position, the default
        position), ``presets`` (label and the position of each control it sets, None
        for the others), ``html`` (the distinct pictures)
        and ``states`` (for each setting, the index of its picture).

    Notes
    -----
    Used when the HTML book is built; every dial chapter, e.g. Part III, "One dial".
    """
    if not isinstance(dial, Dial):
        raise TypeError(f"dial must be a Dial, got {type(dial).__name__}")
    positions = dial.positions()
    default = dial.state()
    controls = []
    for c in dial.controls:
        pos = positions[c.name]
        controls.append({"name": c.name, "label": c.label, "kind": c.kind,
                         "labels": [c.format(v) for v in pos],
                         "default": pos.index(c.snap(default[c.name],
                                                     dial._preset_values(c.name)))})
    presets = []
    for label, values in dial.presets().items():
        at = {**default, **values}
        try:
            presets.append({"label": label,
                            "positions": [positions[c.name].index(
                                c.snap(at[c.name], dial._preset_values(c.name)))
                                if c.name in values else None for c in dial.controls]})
        except ValueError:
            raise ValueError(f"preset {label!r} is not on the dial's positions") from None
    pictures: dict[str, int] = {}
    states = []
    names = [c.name for c in dial.controls]
    for setting in itertools.product(*(positions[n] for n in names)):
        picture = dial.render(dial.readout(dict(zip(names, setting))))
        states.append(pictures.setdefault(picture, len(pictures)))
    return {"controls": controls, "presets": presets, "html": list(pictures),
            "states": states}


def pack_table(table: Mapping, model_id: str) -> tuple[str, str]:
    """A state table as the script the HTML book loads, and that script's integrity.

    Parameters
    ----------
    table : mapping
        From :func:`state_table`.
    model_id : str
        The widget model of the dial's saved view (the page pairs table and view by it).

    Returns
    -------
    (str, str)
        The script ``umbookLiveTable(model_id, table);`` and its Subresource Integrity
        string ``"sha256-<base64>"``: the browser runs the script only if its bytes
        have that SHA-256.

    Notes
    -----
    Used when the HTML book is built; every dial chapter, e.g. Part III, "One dial".
    """
    if not isinstance(table, Mapping):
        raise TypeError(f"table must be a mapping, got {type(table).__name__}")
    if not isinstance(model_id, str) or not model_id:
        raise TypeError("model_id must be a non-empty str")
    try:
        body = json.dumps(table, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"table cannot be written as JSON: {exc}") from None
    script = f"umbookLiveTable({json.dumps(model_id)}, {body});\n"
    return script, _integrity(script)


def _integrity(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def unpack_table(script: str, integrity: str) -> tuple[str, dict]:
    """Read a table script back, refusing it unless its integrity is ``integrity``.

    Parameters
    ----------
    script : str
        From :func:`pack_table`.
    integrity : str
        The expected ``"sha256-<base64>"``.

    Returns
    -------
    (str, dict)
        The model id and the table.

    Notes
    -----
    Used by the HTML book's browser test; every dial chapter, e.g. Part III, "One dial".
    """
    if not isinstance(script, str):
        raise TypeError(f"script must be a str, got {type(script).__name__}")
    if not isinstance(integrity, str):
        raise TypeError(f"integrity must be a str, got {type(integrity).__name__}")
    if _integrity(script) != integrity:
        raise ValueError("script: its SHA-256 is not the one integrity names "
                         "(tampered or stale)")
    head, tail = "umbookLiveTable(", ");\n"
    if not (script.startswith(head) and script.endswith(tail)):
        raise ValueError("script is not a table script written by pack_table")
    try:
        model_id, at = json.JSONDecoder().raw_decode(script, len(head))
        table = json.loads(script[at + 2:-len(tail)])
    except ValueError as exc:
        raise ValueError(f"script is not a table script written by pack_table: {exc}") \
            from None
    return model_id, table
