r"""The double-well dial: one logarithmic temperature control ``T`` over the Gibbs density
of the double well, :math:`p_T(θ) = e^{-L(θ)/T}/Z`, and the occupancy of its two basins
(k_B = 1).

The arithmetic is :meth:`DoubleWellDial.readout`, a pure function of the state
``{"T": T}`` (Z of each basin by quadrature,
:meth:`umlib.physics.learning.landscape.DoubleWell.basin_Z`); the picture is
:meth:`DoubleWellDial.render`, an inline SVG that renders in Jupyter and in the static
HTML book.

Used in Part IV, "A thermodynamic model of training, solved".
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

from ..core.validate import positive_scalar, real_scalar
from ..physics.learning.landscape import DoubleWell
from .protocol import Control, Dial, Readout

__all__ = ["DoubleWellReadout", "DoubleWellDial"]

#: The θ grid the density is drawn on.
THETA = np.linspace(-3.0, 3.0, 241)   # all but 0.2 % of the law even at T = 10

#: The temperatures at which the quadrature on [-4, 4] holds the whole Gibbs law.
T_RANGE = (1e-3, 10.0)

WIDTH, HEIGHT, PAD = 420, 170, 6
LEFT_FILL, RIGHT_FILL = "#3465a4", "#f57900"


@dataclass(frozen=True)
class DoubleWellReadout(Readout):
    """What the double-well dial shows at one temperature.

    Parameters
    ----------
    T : float
        The temperature (k_B = 1, in units of the loss).
    theta : numpy.ndarray
        The grid of θ on which the density is drawn.
    density : numpy.ndarray
        The Gibbs density e^{-L(θ)/T}/Z on ``theta``.
    p_left : float
        Occupancy of the left (wide) basin, Z_L / (Z_L + Z_R).
    p_left_limit : float
        Its T → 0 limit r/(1 + r), r = sqrt(a_R/a_L).
    free_energy : float
        F = -T ln Z.

    Notes
    -----
    Used in Part IV, "A thermodynamic model of training, solved".
    """

    T: float
    theta: np.ndarray
    density: np.ndarray
    p_left: float
    p_left_limit: float
    free_energy: float


class DoubleWellDial(Dial):
    """One logarithmic temperature control over the double well's Gibbs density.

    Control: ``T`` (logarithmic, ``T_min`` .. ``T_max`` in steps of 0.05 decade).

    Parameters
    ----------
    c : float
        Asymmetry of the well, ``|c| < 1`` (see
        :class:`~umlib.physics.learning.landscape.DoubleWell`; the left well is the
        wider for c > 0).
    T : float
        Default temperature.
    T_min, T_max : float
        Ends of the logarithmic slider, 1e-3 <= T_min < T_max <= 10.

    Notes
    -----
    Used in Part IV, "A thermodynamic model of training, solved".

    Examples
    --------
    >>> from umlib.widgets.double_well import DoubleWellDial
    >>> r = DoubleWellDial().at(T=0.01)
    >>> round(r.p_left, 3), round(r.p_left_limit, 3)
    (0.599, 0.599)
    """

    def __init__(self, c: float = 0.5, T: float = 0.25, T_min: float = 0.01,
                 T_max: float = 10.0) -> None:
        self.well = DoubleWell(real_scalar("c", c))
        self.T_min = positive_scalar("T_min", T_min)
        self.T_max = positive_scalar("T_max", T_max)
        if not T_RANGE[0] <= self.T_min < self.T_max <= T_RANGE[1]:
            raise ValueError(f"T_min and T_max must satisfy {T_RANGE[0]} <= T_min < T_max "
                             f"<= {T_RANGE[1]}, got {self.T_min} and {self.T_max}")
        self.barrier = self.well.barrier()
        self.loss = self.well.loss(THETA)
        r = self.well.laplace_ratio()
        self.p_limit = r / (1.0 + r)
        super().__init__((
            Control("T", "T", "log", positive_scalar("T", T), lo=self.T_min,
                    hi=self.T_max, step=0.05),
        ))

    # -- the arithmetic: a pure function of T ---------------------------------
    def readout(self, state) -> DoubleWellReadout:
        """The density and the basin occupancy at ``state`` (pure).

        Parameters
        ----------
        state : mapping
            ``{"T": T}``, 1e-3 <= T <= 10.

        Returns
        -------
        DoubleWellReadout

        Notes
        -----
        Used in Part IV, "A thermodynamic model of training, solved".
        """
        T = self.validate(state)["T"]
        if not T_RANGE[0] <= T <= T_RANGE[1]:
            raise ValueError(f"T must be in [{T_RANGE[0]}, {T_RANGE[1]}] (where the "
                             f"quadrature on [-4, 4] holds the whole law), got {T!r}")
        Z_L, Z_R = self.well.basin_Z(T)
        Z = Z_L + Z_R
        density = np.exp(-self.loss / T) / Z
        return DoubleWellReadout(T=T, theta=THETA, density=density, p_left=Z_L / Z,
                                 p_left_limit=self.p_limit, free_energy=-T * math.log(Z))

    # -- the view (pure) -------------------------------------------------------
    def picture_svg(self, r: DoubleWellReadout) -> str:
        """The loss (grey) and the density, each basin in its colour, as SVG.

        The density is scaled to its own peak (printed in the corner); the loss is
        drawn on a fixed scale, where it is at most 2.

        Parameters
        ----------
        r : DoubleWellReadout

        Returns
        -------
        str
            An ``<svg>`` string.

        Notes
        -----
        Used in Part IV, "A thermodynamic model of training, solved".
        """
        base, top = HEIGHT - 18, 14
        span = base - top
        x = PAD + (r.theta - r.theta[0]) / (r.theta[-1] - r.theta[0]) * (WIDTH - 2 * PAD)
        peak = float(r.density.max())
        y_p = base - span * r.density / peak
        shown = self.loss <= 2.0               # the loss is drawn up to L = 2
        y_L = base - span * self.loss / 2.0
        xb = float(np.interp(self.barrier, r.theta, x))
        title = (f"Gibbs density of the double well at T = {r.T:.3g}: left basin "
                 f"{r.p_left:.1%}, right basin {1 - r.p_left:.1%}")
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
                 f'height="{HEIGHT}" role="img" aria-label="{html.escape(title)}">']
        for side, fill in ((r.theta <= self.barrier, LEFT_FILL),
                           (r.theta >= self.barrier, RIGHT_FILL)):
            xs, ys = x[side], y_p[side]
            d = f"M{xs[0]:.1f} {base}" + "".join(
                f"L{a:.1f} {b:.1f}" for a, b in zip(xs, ys)) + f"L{xs[-1]:.1f} {base}z"
            parts.append(f'<path d="{d}" fill="{fill}" fill-opacity="0.55"/>')
        d = "M" + "L".join(f"{a:.1f} {b:.1f}" for a, b in zip(x[shown], y_L[shown]))
        parts.append(f'<path d="{d}" fill="none" stroke="#555" stroke-width="1.2"/>')
        parts.append(f'<line x1="{xb:.1f}" y1="{top}" x2="{xb:.1f}" y2="{base}" '
                     f'stroke="black" stroke-dasharray="3,2"/>')
        parts.append(f'<line x1="{PAD}" y1="{base}" x2="{WIDTH - PAD}" y2="{base}" '
                     f'stroke="black"/>')
        lo, hi = round(float(THETA[0])), round(float(THETA[-1]))
        for v in range(lo, hi + 1):
            xv = PAD + (v - lo) / (hi - lo) * (WIDTH - 2 * PAD)
            anchor = "start" if v == lo else "end" if v == hi else "middle"
            parts.append(f'<text x="{xv:.1f}" y="{HEIGHT - 4}" font-size="10" '
                         f'text-anchor="{anchor}">θ = {v}</text>')
        parts.append(f'<text x="{PAD}" y="10" font-size="10">grey: loss L(θ), 0 to 2'
                     f'</text>')
        parts.append(f'<text x="{WIDTH - PAD}" y="10" font-size="10" text-anchor="end">'
                     f'density, peak {peak:.3g}</text>')
        parts.append("</svg>")
        return "".join(parts)

    @staticmethod
    def occupancy_svg(r: DoubleWellReadout) -> str:
        """The two basins' shares as one bar, with the T → 0 limit marked.

        Parameters
        ----------
        r : DoubleWellReadout

        Returns
        -------
        str
            An ``<svg>`` string.

        Notes
        -----
        Used in Part IV, "A thermodynamic model of training, solved".
        """
        w, h = WIDTH - 2 * PAD, 16
        xl = PAD + w * r.p_left
        xm = PAD + w * r.p_left_limit
        label = (f"occupancy: left {r.p_left:.1%}, right {1 - r.p_left:.1%}; "
                 f"T → 0 limit {r.p_left_limit:.1%}")
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="30" '
                f'role="img" aria-label="{html.escape(label)}">'
                f'<rect x="{PAD}" y="4" width="{xl - PAD:.1f}" height="{h}" '
                f'fill="{LEFT_FILL}"/>'
                f'<rect x="{xl:.1f}" y="4" width="{PAD + w - xl:.1f}" height="{h}" '
                f'fill="{RIGHT_FILL}"/>'
                f'<line x1="{xm:.1f}" y1="1" x2="{xm:.1f}" y2="{h + 7}" stroke="black" '
                f'stroke-width="2"/></svg>')

    @staticmethod
    def meter_text(r: DoubleWellReadout) -> str:
        """The meter line: T, the two occupancies, their T → 0 limit and F.

        Parameters
        ----------
        r : DoubleWellReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part IV, "A thermodynamic model of training, solved".
        """
        return (f"T = {r.T:.3g} &nbsp;·&nbsp; P(left, wide) = {r.p_left:.4f}, "
                f"P(right, narrow) = {1 - r.p_left:.4f} &nbsp;·&nbsp; T → 0 limit "
                f"(black mark) {r.p_left_limit:.4f} &nbsp;·&nbsp; "
                f"F = −T ln Z = {r.free_energy:.4f}")

    def render(self, r: DoubleWellReadout) -> str:
        """The density, the occupancy bar and the meter, as one HTML string (pure).

        Parameters
        ----------
        r : DoubleWellReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part IV, "A thermodynamic model of training, solved".
        """
        return f"{self.picture_svg(r)}<br>{self.occupancy_svg(r)}<p>{self.meter_text(r)}</p>"
