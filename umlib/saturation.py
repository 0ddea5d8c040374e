r"""The Boltzmann distribution of a binary event space, its variational origin, and saturation.

Definitions (Part I, "The Boltzmann distribution in detail"):

* A unit with accumulator difference :math:`D` (bits) has two states with energies
  :math:`E_\pm = \mp D/2` in units of :math:`k_B T` at :math:`\beta = \ln 2`.  Among all
  distributions :math:`(p, 1-p)` the **free energy**
  :math:`\mathcal F(p) = \langle E \rangle - S(p)/\beta` (:math:`S` in nats) is smallest
  at the Boltzmann weight :math:`p^* = \sigma(\beta D) = 1/(1 + 2^{-D})`; the Gibbs
  variational principle.  :func:`variational_two_state` finds :math:`p^*` numerically,
  without the formula.
* For many states with scores :math:`A_o`, the **maximum-entropy** distribution with a
  prescribed mean score :math:`\langle A \rangle = m` is :math:`\propto e^{\lambda A_o}`;
  :func:`maxent_multiplier` solves for :math:`\lambda` by root finding.
* A unit-step is **frozen** when :math:`\beta |D| > \theta_f` and **critical** when
  :math:`|D| < \theta_c` (:func:`saturation_fractions`); the source uses
  :math:`\theta_f = 1`, :math:`\theta_c = 1` bit, so the two are not complements.
* :class:`SaturationDial` shows the histogram of :math:`|D|` and the fractions live, for a
  chosen :math:`\beta` and threshold (pattern of :mod:`umlib.dials`).

All logarithms of probabilities are natural unless a name says ``bits``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from ._checks import positive_scalar, real_array

__all__ = ["LN2", "variational_two_state", "maxent_multiplier", "saturation_fractions",
           "histogram_svg", "SaturationReadout", "SaturationDial"]

#: The inverse temperature of the base-2 convention.
LN2 = math.log(2.0)


def _free_energy_two_state(p: float, D: float, beta: float) -> float:
    """F(p) = <E> - S/beta with E_+ = -D/2, E_- = +D/2 (units of bits), S in nats."""
    q = 1.0 - p
    S = -(p * math.log(p) if p > 0 else 0.0) - (q * math.log(q) if q > 0 else 0.0)
    return -0.5 * D * p + 0.5 * D * q - S / beta


def variational_two_state(D, beta: float = LN2, xtol: float = 1e-12) -> np.ndarray:
    r"""Minimise the two-state free energy over :math:`p` numerically (no sigmoid used).

    :math:`\mathcal F(p) = -\tfrac{D}{2}p + \tfrac{D}{2}(1-p) + \tfrac1\beta\,[p\ln p +
    (1-p)\ln(1-p)]` is strictly convex on (0, 1).  It is minimised by bisection on the
    sign of its derivative :math:`-D + \tfrac1\beta \ln\frac{p}{1-p}`, evaluated as a
    plain difference (the log-odds are *not* inverted in closed form), until the bracket
    is narrower than ``xtol``.  The exact answer is :math:`\sigma(\beta D)`.

    Parameters
    ----------
    D : array_like
        Accumulator differences (finite).
    beta : float
        Inverse temperature (> 0); default :math:`\ln 2`.
    xtol : float
        Width of the final bracket on :math:`p` (> 0).

    Returns
    -------
    numpy.ndarray
        The minimiser :math:`p^*` for each ``D`` (midpoint of the final bracket).

    Examples
    --------
    >>> import math
    >>> from umlib.saturation import variational_two_state
    >>> p = float(variational_two_state(1.0))      # one bit: odds 2 : 1
    >>> abs(p - 2 / 3) < 1e-12
    True
    """
    D = real_array("D", D, min_size=0)
    beta = positive_scalar("beta", beta)
    xtol = positive_scalar("xtol", xtol)
    flat = D.reshape(-1)
    out = np.empty_like(flat)
    for i, d in enumerate(flat.tolist()):
        lo, hi = 0.0, 1.0
        while hi - lo > xtol:
            mid = 0.5 * (lo + hi)
            if mid <= 0.0 or mid >= 1.0:
                break
            slope = -d + (math.log(mid) - math.log1p(-mid)) / beta
            if slope > 0:
                hi = mid
            else:
                lo = mid
        out[i] = 0.5 * (lo + hi)
    return out.reshape(D.shape)


def maxent_multiplier(A, mean: float, lo: float = -50.0, hi: float = 50.0,
                      xtol: float = 1e-13) -> float:
    r"""The multiplier :math:`\lambda` of the maximum-entropy distribution with a given mean.

    Maximising :math:`-\sum_o p_o \ln p_o` subject to :math:`\sum_o p_o = 1` and
    :math:`\sum_o p_o A_o = m` gives :math:`p_o \propto e^{\lambda A_o}` (Lagrange).  The
    mean :math:`\langle A \rangle_\lambda` increases with :math:`\lambda` (its derivative is
    the variance), so :math:`\lambda` is found by bisection on ``[lo, hi]``.

    Parameters
    ----------
    A : array_like, shape (n,)
        Scores (log-weights), at least two distinct values.
    mean : float
        The prescribed mean, strictly between ``min(A)`` and ``max(A)``.
    lo, hi : float
        Bracket for :math:`\lambda`.
    xtol : float
        Width of the final bracket.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.saturation import maxent_multiplier
    >>> A = np.array([0.0, 1.0, 3.0])
    >>> p = np.exp(2.0 * A) / np.exp(2.0 * A).sum()
    >>> round(maxent_multiplier(A, float(p @ A)), 10)
    2.0
    """
    A = real_array("A", A, min_size=2)
    if A.ndim != 1:
        raise ValueError("A must be one-dimensional")
    if not A.min() < A.max():
        raise ValueError("A must hold at least two distinct values")
    if isinstance(mean, bool) or not isinstance(mean, (int, float, np.integer, np.floating)):
        raise TypeError("mean must be a real number")
    m = float(mean)
    if not A.min() < m < A.max():
        raise ValueError(f"mean must lie strictly between min(A) and max(A), got {m}")
    xtol = positive_scalar("xtol", xtol)

    def mean_at(lam: float) -> float:
        z = lam * A
        w = np.exp(z - z.max())
        return float(w @ A / w.sum())

    if not (mean_at(lo) < m < mean_at(hi)):
        raise ValueError(f"the multiplier lies outside the bracket [{lo}, {hi}]")
    while hi - lo > xtol:
        mid = 0.5 * (lo + hi)
        if mean_at(mid) < m:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def saturation_fractions(D, beta: float = LN2, frozen: float = 1.0,
                         critical: float = 1.0) -> dict:
    r"""Shares of unit-steps that are frozen (:math:`\beta|D| >` ``frozen``), critical
    (:math:`|D| <` ``critical``), or neither.

    Examples
    --------
    >>> from umlib.saturation import saturation_fractions
    >>> f = saturation_fractions([0.5, 1.2, 3.0, -40.0])
    >>> f["frozen"], f["critical"], f["between"]
    (0.5, 0.25, 0.25)
    """
    D = real_array("D", D)
    beta = positive_scalar("beta", beta)
    frozen = positive_scalar("frozen", frozen)
    critical = positive_scalar("critical", critical)
    a = np.abs(D).reshape(-1)
    with np.errstate(over="ignore"):   # beta*|D| beyond the float range is frozen (inf > 1)
        fz = beta * a > frozen
    cr = a < critical
    n = a.size
    return {"frozen": float(np.count_nonzero(fz)) / n,
            "critical": float(np.count_nonzero(cr)) / n,
            "between": float(np.count_nonzero(~fz & ~cr)) / n,
            "overlap": float(np.count_nonzero(fz & cr)) / n}


def histogram_svg(values, edges, mark: float | None = None, title: str = "",
                  width: int = 420, height: int = 150) -> str:
    """An SVG histogram of ``values`` over ``edges`` (log-count heights); ``mark`` draws a line.

    Examples
    --------
    >>> from umlib.saturation import histogram_svg
    >>> histogram_svg([0.5, 1.5, 1.7], [0, 1, 2], mark=1.0, title="t").startswith("<svg")
    True
    """
    v = real_array("values", values).reshape(-1)
    e = real_array("edges", edges)
    if e.ndim != 1 or e.size < 2 or not (np.diff(e) > 0).all():
        raise ValueError("edges must be an increasing 1-D array of at least 2 numbers")
    counts, _ = np.histogram(v, bins=e)
    top = math.log1p(float(counts.max())) or 1.0
    pad, base = 4, height - 16
    bw = (width - 2 * pad) / counts.size
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}">']
    for i, c in enumerate(counts.tolist()):
        h = (base - 10) * math.log1p(c) / top
        fill = "#cc0000" if (mark is not None and e[i] < mark) else "#3465a4"
        parts.append(f'<rect x="{pad + i * bw:.1f}" y="{base - h:.1f}" width="{max(bw - 1, 0.5):.1f}" '
                     f'height="{h:.1f}" fill="{fill}"/>')
    if mark is not None and e[0] <= mark <= e[-1]:
        xm = pad + (mark - e[0]) / (e[-1] - e[0]) * (width - 2 * pad)
        parts.append(f'<line x1="{xm:.1f}" y1="4" x2="{xm:.1f}" y2="{base}" stroke="black" '
                     f'stroke-dasharray="3,2"/>')
    parts.append(f'<text x="{pad}" y="{height - 3}" font-size="10">{e[0]:g}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 3}" font-size="10" '
                 f'text-anchor="end">{e[-1]:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


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
    >>> from umlib.saturation import SaturationDial
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
