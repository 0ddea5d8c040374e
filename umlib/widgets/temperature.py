"""The temperature dial: one logarithmic control of ``T`` driving both faces of the identity
softmax(z = -E, T) = exp(-E/T)/Z (k_B = 1).

The arithmetic is :meth:`TemperatureDial.readout`, a pure function of the state
``{"spectrum": name, "T": T}``; the picture is :meth:`TemperatureDial.render`.  In a
notebook, move the slider a few dozen times at most in one cell (each move sends widget
messages) and sweep the pure readout instead.  The bars are inline SVG strings, which
render in Jupyter and in the static HTML book.

Derived in Part III, "One dial"; used again in "The temperature dial and the measurement".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .protocol import Control, Dial, Readout
from .svg import bars_svg
from ..core.validate import positive_scalar, real_array
from ..core.thermo import gibbs, log_z, shannon_entropy, gibbs_entropy, softmax

__all__ = ["DialReadout", "TemperatureDial"]

PRESETS = ("ground", "warm", "uniform")
ICONS = {"ground": "❄ T→0 ground", "warm": "◷ T=1 warm", "uniform": "☀ T→∞ uniform"}


@dataclass(frozen=True)
class DialReadout(Readout):
    """What the temperature dial shows at one setting.

    Parameters
    ----------
    T : float
        The temperature (k_B = 1).
    p_softmax, p_gibbs : numpy.ndarray
        Face A, softmax(-E, T), and face B, exp(-E/T)/Z.
    identical : bool
        Whether the two faces agree bit for bit.
    argmax : int
        The most probable level.
    log_Z : float
        ln Z at T.
    H_bits : float
        Shannon entropy of face B in bits.
    S_nats : float
        Gibbs entropy in nats (k_B = 1).
    spectrum : str
        The spectrum shown.

    Notes
    -----
    Used in Part III, "One dial" and "The temperature dial and the measurement".
    """

    T: float
    p_softmax: np.ndarray
    p_gibbs: np.ndarray
    identical: bool
    argmax: int
    log_Z: float
    H_bits: float
    S_nats: float
    spectrum: str = ""


class TemperatureDial(Dial):
    """One logarithmic temperature control ``T`` driving both faces of the identity.

    Controls: ``spectrum`` (a choice among the named ladders) and ``T`` (logarithmic,
    ``T_min`` .. ``T_max``).  Presets are a method, :meth:`preset`, and three buttons
    under the controls: "ground" jumps to ``T_min``, "warm" to 1, "uniform" to ``T_max``.

    Parameters
    ----------
    spectra : dict[str, array_like]
        Named energy ladders E (or negated scores).
    labels : dict[str, list[str]], optional
        Bar labels per spectrum (default: the level index).
    T : float
        Default temperature.
    T_min, T_max : float
        Ends of the logarithmic slider.

    Notes
    -----
    Used in Part III, "One dial" and "The temperature dial and the measurement" (and
    Part V, "The final turn: information entropy").

    Examples
    --------
    >>> from umlib.widgets.temperature import TemperatureDial
    >>> dial = TemperatureDial({"pair": [0.0, 1.0]})
    >>> r = dial.at(T=1.0)
    >>> r.identical, r.argmax
    (True, 0)
    """

    def __init__(self, spectra: dict, labels: dict | None = None, T: float = 1.0,
                 T_min: float = 1e-2, T_max: float = 1e2) -> None:
        if not isinstance(spectra, dict) or not spectra:
            raise ValueError("spectra must be a non-empty dict of name -> energies")
        self.spectra = {k: real_array(f"spectra[{k!r}]", v) for k, v in spectra.items()}
        for k, v in self.spectra.items():
            if v.ndim != 1:
                raise ValueError(f"spectra[{k!r}] must be one-dimensional")
        if labels is not None and not isinstance(labels, dict):
            raise TypeError(f"labels must be a dict or None, got {type(labels).__name__}")
        self.labels = labels or {}
        self.T_min = positive_scalar("T_min", T_min)
        self.T_max = positive_scalar("T_max", T_max)
        if not self.T_min < self.T_max:
            raise ValueError("T_min must be < T_max")
        names = tuple(self.spectra)
        super().__init__((
            Control("spectrum", "spectrum", "choice", names[0], options=names),
            Control("T", "T", "log", positive_scalar("T", T), lo=self.T_min,
                    hi=self.T_max, step=0.01),
        ))

    # -- the arithmetic: a pure function of (spectrum, T) --------------------
    def readout(self, state) -> DialReadout:
        """Everything the dial displays at ``state`` (pure).

        Parameters
        ----------
        state : mapping
            ``{"spectrum": name, "T": T}``.

        Returns
        -------
        DialReadout

        Notes
        -----
        Used in Part III, "One dial" and "The temperature dial and the measurement".
        """
        s = self.validate(state)
        E, T = self.spectra[s["spectrum"]], s["T"]
        p_a = softmax(-E, T)
        p_b = gibbs(E, T)
        same = bool(np.array_equal(p_a.view(np.uint64), p_b.view(np.uint64)))
        return DialReadout(T=T, p_softmax=p_a, p_gibbs=p_b, identical=same,
                           argmax=int(np.argmax(p_a)), log_Z=float(log_z(E, T)),
                           H_bits=float(shannon_entropy(p_b, 2.0)),
                           S_nats=float(gibbs_entropy(E, T)), spectrum=s["spectrum"])

    # -- the view (pure) -----------------------------------------------------
    def face_a_svg(self, r: DialReadout) -> str:
        """Face A, the guess: bars of softmax(-E, T), the argmax crowned.

        Parameters
        ----------
        r : DialReadout
            Bars are labelled with the labels of ``r.spectrum`` (default: level index).

        Returns
        -------
        str
            An ``<svg>`` string.

        Notes
        -----
        Used in Part III, "One dial" and Part V, "The final turn: information entropy".
        """
        return bars_svg(r.p_softmax, self.labels.get(r.spectrum), highlight=r.argmax,
                        title=f"softmax at T={r.T:.3g}")

    def face_b_svg(self, r: DialReadout) -> str:
        """Face B, the heat bath: bars of exp(-E/T)/Z.

        Parameters
        ----------
        r : DialReadout
            Bars are labelled with the labels of ``r.spectrum``.

        Returns
        -------
        str
            An ``<svg>`` string.

        Notes
        -----
        Used in Part III, "One dial".
        """
        return bars_svg(r.p_gibbs, self.labels.get(r.spectrum), highlight=None,
                        color="#c4a000", title=f"Boltzmann fill at T={r.T:.3g}")

    @staticmethod
    def meter_text(r: DialReadout) -> str:
        """The meter line: ln Z, H, S and whether the faces are bit-identical.

        Parameters
        ----------
        r : DialReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part III, "One dial".
        """
        return (f"ln Z = {r.log_Z:.6g} &nbsp;·&nbsp; H = {r.H_bits:.4f} bits &nbsp;·&nbsp; "
                f"S = {r.S_nats:.4f} nats (k<sub>B</sub> = 1; = H·ln 2 = "
                f"{r.H_bits * math.log(2):.4f}) &nbsp;·&nbsp; faces bit-identical: "
                f"<b>{'yes' if r.identical else 'NO'}</b>")

    def render(self, r: DialReadout) -> str:
        """Both faces side by side and the meter, as one HTML string (pure).

        Parameters
        ----------
        r : DialReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part III, "One dial" and "The temperature dial and the measurement".
        """
        return ('<div style="display:flex;gap:1em">'
                f'<div><b>Face A · the guess</b>: softmax(z = −E, T)<br>'
                f'{self.face_a_svg(r)}</div>'
                f'<div><b>Face B · the heat bath</b>: exp(−E/T)/Z<br>'
                f'{self.face_b_svg(r)}</div></div>'
                f'<p>{self.meter_text(r)}</p>')

    # -- presets and the live view -------------------------------------------
    def preset(self, name: str) -> float:
        """The temperature of preset ``name``; moves the slider there once built.

        Parameters
        ----------
        name : {"ground", "warm", "uniform"}
            T_min, 1 or T_max.

        Returns
        -------
        float
            The preset's T.

        Notes
        -----
        Used in Part III, "One dial".
        """
        targets = {"ground": self.T_min, "warm": 1.0, "uniform": self.T_max}
        if name not in targets:
            raise ValueError(f"preset must be one of {list(targets)}, got {name!r}")
        if self._box is not None:
            self.widgets["T"].value = targets[name]
        return targets[name]

    def presets(self) -> dict:
        """The three presets as button labels -> settings (see :meth:`preset`).

        Returns
        -------
        dict

        Notes
        -----
        Used in Part III, "One dial".
        """
        targets = {"ground": self.T_min, "warm": 1.0, "uniform": self.T_max}
        return {ICONS[name]: {"T": targets[name]} for name in PRESETS
                if self.T_min <= targets[name] <= self.T_max}

    def active_preset(self) -> str | None:
        """The preset the dial's last readout sits on, or None.

        Returns
        -------
        str or None
            "ground", "warm" or "uniform".

        Notes
        -----
        Used in Part III, "One dial".
        """
        if self.last is None:
            return None
        targets = {"ground": self.T_min, "warm": 1.0, "uniform": self.T_max}
        return next((n for n in PRESETS if targets[n] == self.last.T), None)

    def _extras(self, w) -> list:
        self.preset_buttons = {}
        for name in PRESETS:
            b = w.Button(description=ICONS[name])
            b.on_click(lambda _b, name=name: self.preset(name))
            self.preset_buttons[name] = b
        return [w.HBox(list(self.preset_buttons.values()))]

    def _updated(self, r) -> None:
        active = self.active_preset()
        for name, b in getattr(self, "preset_buttons", {}).items():
            b.button_style = "info" if name == active else ""
