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

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.validate import positive_scalar, real_scalar, record_fields, sequence

__all__ = ["Control", "Readout", "Dial"]

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
        self._box = w.VBox([*self.widgets.values(), *self._extras(w), self.view])
        self.update()
        return self._box

    def _on_change(self, change) -> None:
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
        r = self.readout({name: wd.value for name, wd in self.widgets.items()})
        self.view.value = self.render(r)
        self.last = r
        return r

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
