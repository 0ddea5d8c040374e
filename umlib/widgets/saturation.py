"""The saturation dial of the sat-rnn chapters: frozen and critical unit-steps as the
temperature moves."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.validate import positive_scalar, real_array
from ..text.saturation import LN2
from .svg import histogram_svg

__all__ = ["SaturationReadout", "SaturationDial"]


@dataclass(frozen=True)
class SaturationReadout:
    """What the saturation dial shows at one setting."""

    beta: float
    threshold: float
    frozen: float          # share with beta |D| > threshold
    critical: float        # share with beta |D| < threshold (the complement)
    mean_entropy_bits: float   # mean unit entropy S_j at this beta
    median_log10_odds: float   # median of log10 of the odds 2^(beta |D| / ln 2)


class SaturationDial:
    r"""Live control of the saturation picture: inverse temperature and critical threshold.

    At inverse temperature :math:`\beta` a unit with accumulator difference :math:`D` has
    :math:`P(h^+) = \sigma(\beta D)`; it is counted *critical* when :math:`\beta|D|` is below
    the threshold and *frozen* otherwise (one threshold, so the two shares add to 1).

    Parameters
    ----------
    D : array_like
        Accumulator differences in bits of every unit-step.
    beta : float
        Initial inverse temperature (default :math:`\ln 2`, the network's own).
    threshold : float
        Initial threshold on :math:`\beta |D|`.

    Examples
    --------
    >>> from umlib.widgets.saturation import SaturationDial
    >>> r = SaturationDial([0.5, 3.0, -40.0]).readout(1.0, 1.0)
    >>> round(r.critical, 4), round(r.frozen, 4)
    (0.3333, 0.6667)
    """

    def __init__(self, D, beta: float = LN2, threshold: float = 1.0) -> None:
        self.D = np.abs(real_array("D", D)).reshape(-1)
        beta = positive_scalar("beta", beta)
        threshold = positive_scalar("threshold", threshold)
        self.edges = np.linspace(0.0, max(float(self.D.max()), 1.0) * LN2 * 4, 61)
        self._widgets = None
        self._beta0, self._thr0 = beta, threshold

    # -- the arithmetic ------------------------------------------------------
    def readout(self, beta: float, threshold: float) -> SaturationReadout:
        """Shares, mean unit entropy and median odds at ``beta`` and ``threshold``."""
        beta = positive_scalar("beta", beta)
        threshold = positive_scalar("threshold", threshold)
        x = beta * self.D                                 # beta |D| in nats
        crit = float(np.count_nonzero(x < threshold)) / x.size
        p = 1.0 / (1.0 + np.exp(-x))                      # the likelier state
        q = 1.0 / (1.0 + np.exp(x))
        with np.errstate(divide="ignore", invalid="ignore"):
            S = -(np.where(p > 0, p * np.log2(p), 0.0) + np.where(q > 0, q * np.log2(q), 0.0))
        return SaturationReadout(beta=beta, threshold=threshold, frozen=1.0 - crit,
                                 critical=crit, mean_entropy_bits=float(S.mean()) + 0.0,
                                 median_log10_odds=float(np.median(x)) / math.log(10.0))

    # -- the view ------------------------------------------------------------
    @property
    def widget(self):
        """The control (built on first use; needs ipywidgets)."""
        if self._widgets is None:
            self._build()
        return self._widgets

    def _build(self) -> None:
        import ipywidgets as w

        self.beta_slider = w.FloatLogSlider(value=self._beta0, base=10, min=-2, max=1,
                                            step=0.01, description="β",
                                            readout_format=".3g",
                                            layout=w.Layout(width="460px"))
        self.threshold_slider = w.FloatLogSlider(value=self._thr0, base=10, min=-2, max=2,
                                                 step=0.01, description="β|D| <",
                                                 readout_format=".3g",
                                                 layout=w.Layout(width="460px"))
        self.hist = w.HTML()
        self.meter = w.HTML()
        self.beta_slider.observe(self._on_change, names="value")
        self.threshold_slider.observe(self._on_change, names="value")
        self._widgets = w.VBox([self.beta_slider, self.threshold_slider, self.hist,
                                self.meter])
        self.update()

    def _on_change(self, change) -> None:
        self.update()

    def update(self) -> SaturationReadout:
        """Recompute from the sliders and refresh the view."""
        if self._widgets is None:
            self._build()
            return self.last
        r = self.readout(float(self.beta_slider.value), float(self.threshold_slider.value))
        self.hist.value = histogram_svg(
            np.minimum(r.beta * self.D, self.edges[-1]), self.edges, mark=r.threshold,
            title=f"beta |D| at beta={r.beta:.3g}; red: critical")
        self.meter.value = (
            f"critical {100 * r.critical:.2f} % · frozen {100 * r.frozen:.2f} % · "
            f"mean unit entropy {r.mean_entropy_bits:.4f} bits · "
            f"median odds 10^{r.median_log10_odds:.1f} : 1")
        self.last = r
        return r
