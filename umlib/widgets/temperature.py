"""The book's live controls (ipywidgets), built so that a test can drive them.

A dial separates the arithmetic (:meth:`TemperatureDial.readout`, a pure
function of the setting) from the view (widgets whose values it fills).
Setting ``dial.slider.value`` in a test runs exactly what dragging the slider
runs in Jupyter; no browser is needed.  In a notebook, move the slider a few
dozen times at most in one cell (each move sends widget messages; a sweep of
hundreds can outrun the output channel under nbval) and sweep the pure
:meth:`TemperatureDial.readout` instead.  The bars are drawn as inline SVG
strings, which render in Jupyter, in the static HTML book (from the saved
widget state) and cost well under a millisecond to rebuild.

Derived in Part III, "One dial".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .svg import bars_svg
from ..core.validate import positive_scalar, real_array
from ..core.thermo import gibbs, log_z, shannon_entropy, gibbs_entropy, softmax

__all__ = [ "DialReadout", "TemperatureDial"]


@dataclass(frozen=True)
class DialReadout:
    """What the dial shows at one setting."""

    T: float
    p_softmax: np.ndarray
    p_gibbs: np.ndarray
    identical: bool
    argmax: int
    log_Z: float
    H_bits: float
    S_nats: float


class TemperatureDial:
    """One logarithmic temperature control driving both faces of the identity.

    Parameters
    ----------
    spectra : dict[str, array_like]
        Named energy ladders E (or negated scores); a toggle picks one.
    labels : dict[str, list[str]], optional
        Bar labels per spectrum (default: the level index).
    T : float
        Initial setting.
    T_min, T_max : float
        Ends of the logarithmic slider; the "ground" and "uniform" presets
        jump to them.
    """

    def __init__(self, spectra: dict, labels: dict | None = None, T: float = 1.0,
                 T_min: float = 1e-2, T_max: float = 1e2) -> None:
        if not isinstance(spectra, dict) or not spectra:
            raise ValueError("spectra must be a non-empty dict of name -> energies")
        self.spectra = {k: real_array(f"spectra[{k!r}]", v) for k, v in spectra.items()}
        for k, v in self.spectra.items():
            if v.ndim != 1:
                raise ValueError(f"spectra[{k!r}] must be one-dimensional")
        self.labels = labels or {}
        self.T_min = positive_scalar("T_min", T_min)
        self.T_max = positive_scalar("T_max", T_max)
        if not self.T_min < self.T_max:
            raise ValueError("T_min must be < T_max")
        T = positive_scalar("T", T)
        self._build(T)

    # -- the arithmetic: a pure function of (spectrum, T) --------------------
    def readout(self, name: str, T: float) -> DialReadout:
        """Everything the dial displays for spectrum ``name`` at ``T``."""
        E = self.spectra[name]
        p_a = softmax(-E, T)
        p_b = gibbs(E, T)
        same = bool(np.array_equal(p_a.view(np.uint64), p_b.view(np.uint64)))
        return DialReadout(T=T, p_softmax=p_a, p_gibbs=p_b, identical=same,
                           argmax=int(np.argmax(p_a)), log_Z=float(log_z(E, T)),
                           H_bits=float(shannon_entropy(p_b, 2.0)),
                           S_nats=float(gibbs_entropy(E, T)))

    # -- the view ------------------------------------------------------------
    def _build(self, T: float) -> None:
        import ipywidgets as w

        names = list(self.spectra)
        self.slider = w.FloatLogSlider(value=T, base=10, min=math.log10(self.T_min),
                                       max=math.log10(self.T_max), step=0.01,
                                       description="T", readout_format=".3g",
                                       continuous_update=True,
                                       layout=w.Layout(width="480px"))
        self.spectrum = w.ToggleButtons(options=names, value=names[0],
                                        description="spectrum",
                                        style={"button_width": "auto"})
        self.presets = w.ToggleButtons(
            options=[("❄ T→0 ground", "ground"), ("◷ T=1 warm", "warm"),
                     ("☀ T→∞ uniform", "uniform")],
            value=None, description="presets", style={"button_width": "auto"})
        self.face_a = w.HTML()
        self.face_b = w.HTML()
        self.meter = w.HTML()
        self.slider.observe(self._on_change, names="value")
        self.spectrum.observe(self._on_change, names="value")
        self.presets.observe(self._on_preset, names="value")
        self.widget = w.VBox([
            self.slider, self.spectrum, self.presets,
            w.HBox([w.VBox([w.HTML("<b>Face A · the guess</b>: softmax(z = −E, T)"),
                            self.face_a]),
                    w.VBox([w.HTML("<b>Face B · the heat bath</b>: exp(−E/T)/Z"),
                            self.face_b])]),
            self.meter])
        self.update()

    def _on_preset(self, change) -> None:
        target = {"ground": self.T_min, "warm": 1.0, "uniform": self.T_max}.get(change["new"])
        if target is not None:
            self.slider.value = target

    def _on_change(self, change) -> None:
        # a slider moved away from a preset releases the preset, so that
        # pressing the same preset again jumps back
        if change.get("owner") is self.slider:
            want = {"ground": self.T_min, "warm": 1.0,
                    "uniform": self.T_max}.get(self.presets.value)
            if want is not None and change["new"] != want:
                self.presets.value = None
        self.update()

    def update(self) -> DialReadout:
        """Recompute from the widgets' current values and refresh the view."""
        name = self.spectrum.value
        r = self.readout(name, float(self.slider.value))
        labels = self.labels.get(name)
        self.face_a.value = bars_svg(r.p_softmax, labels, highlight=r.argmax,
                                     title=f"softmax at T={r.T:.3g}")
        self.face_b.value = bars_svg(r.p_gibbs, labels, highlight=None, color="#c4a000",
                                     title=f"Boltzmann fill at T={r.T:.3g}")
        self.meter.value = (
            f"ln Z = {r.log_Z:.6g} &nbsp;·&nbsp; H = {r.H_bits:.4f} bits &nbsp;·&nbsp; "
            f"S = {r.S_nats:.4f} k<sub>B</sub> (= H·ln 2 = {r.H_bits * math.log(2):.4f})"
            f" &nbsp;·&nbsp; faces bit-identical: <b>{'yes' if r.identical else 'NO'}</b>")
        self.last = r
        return r
