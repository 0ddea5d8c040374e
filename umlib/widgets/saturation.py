r"""The saturation dial of the sat-rnn chapters: the share of unit-steps whose
:math:`\beta |D|` lies below a threshold, as the inverse temperature :math:`\beta = 1/T` moves
(:math:`k_B = 1`).

The dial splits unit-steps with ONE threshold on :math:`\beta|D|` into
``below_threshold`` and ``at_or_above_threshold`` (complements).  That is not the
source's two-threshold reading ("frozen" :math:`\beta|D| > \theta_f`, "critical"
:math:`|D| < \theta_c`, which can leave a band or overlap), computed by
:func:`umlib.text.saturation.saturation_fractions`.  At ``threshold = beta`` the dial's
``below_threshold`` share is that function's ``"critical"`` share with ``critical = 1``.

Used in Part I, "The Boltzmann distribution in detail".
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np

from ..core import thermo
from ..core.validate import finite_result, positive_scalar, real_array, record_fields
from ..text.saturation import LN2
from .protocol import Control, Dial, Readout
from .svg import histogram_svg

__all__ = ["SaturationReadout", "SaturationDial"]


@dataclass(frozen=True)
class SaturationReadout(Readout):
    """What the saturation dial shows at one setting.

    Parameters
    ----------
    beta : float
        Inverse temperature 1/T.
    threshold : float
        Threshold on ``beta |D|``.
    below_threshold : float
        Share of unit-steps with ``beta |D| < threshold`` (the dial's "critical"; one
        threshold, not :func:`umlib.text.saturation.saturation_fractions`' ``"critical"``,
        which thresholds ``|D|`` itself).
    at_or_above_threshold : float
        ``1 - below_threshold``: share with ``beta |D| >= threshold`` (the dial's
        "frozen").
    mean_entropy_bits : float
        Mean over unit-steps of the Shannon entropy (bits) of the two-state Gibbs law
        at this beta.
    median_log10_odds : float
        Median of log10 of the odds ``2^(beta |D| / ln 2)``; ``+inf`` when ``beta |D|``
        exceeds the float range (the odds are then beyond any float, and the readout says
        so rather than rounding them to a finite number).

    Notes
    -----
    Used in Part I, "The Boltzmann distribution in detail".
    """

    def __post_init__(self) -> None:
        record_fields(self, nonfinite=("median_log10_odds",))

    beta: float
    threshold: float
    below_threshold: float
    at_or_above_threshold: float
    mean_entropy_bits: float
    median_log10_odds: float


class SaturationDial(Dial):
    r"""Live control of the saturation picture: inverse temperature and a threshold on :math:`\beta |D|`.

    At inverse temperature :math:`\beta = 1/T` a unit with accumulator difference :math:`D`
    has the two-state Gibbs law :math:`P(h^+) = \sigma(\beta D)`, computed as
    ``thermo.gibbs`` of the reduced energies :math:`(0, \beta|D|)` and its entropy by
    ``thermo.shannon_entropy`` (:mod:`umlib.core.thermo`).  A unit-step is counted in
    ``below_threshold`` (shown as "critical") when :math:`\beta|D|` is below the threshold
    and in ``at_or_above_threshold`` (shown as "frozen") otherwise: one threshold, so the
    two shares add to 1.  This is *not* the two-threshold split of
    :func:`umlib.text.saturation.saturation_fractions`.
    Controls: ``beta`` (log, 0.01 .. 10, a tenth of a decade a step) and ``threshold``
    (log, 0.01 .. 100, a fifth of a decade a step).

    Parameters
    ----------
    D : array_like
        Accumulator differences in bits of every unit-step.
    beta : float
        Default inverse temperature (default :math:`\ln 2`, the network's own).
    threshold : float
        Default threshold on :math:`\beta |D|`.

    Notes
    -----
    Used in Part I, "The Boltzmann distribution in detail".

    Examples
    --------
    >>> from umlib.widgets.saturation import SaturationDial
    >>> r = SaturationDial([0.5, 3.0, -40.0]).at(beta=1.0, threshold=1.0)
    >>> round(r.below_threshold, 4), round(r.at_or_above_threshold, 4)
    (0.3333, 0.6667)
    """

    def __init__(self, D, beta: float = LN2, threshold: float = 1.0) -> None:
        self.D = np.abs(real_array("D", D)).reshape(-1)
        beta = positive_scalar("beta", beta)
        threshold = positive_scalar("threshold", threshold)
        self.edges = finite_result("D", lambda: np.linspace(
            0.0, max(float(self.D.max()), 1.0) * LN2 * 4, 61))
        self._per_beta: dict[float, tuple[float, float]] = {}
        super().__init__((
            Control("beta", "β", "log", beta, lo=1e-2, hi=1e1, step=0.1),
            Control("threshold", "β|D| <", "log", threshold, lo=1e-2, hi=1e2, step=0.2),
        ))

    @classmethod
    def from_satrnn(cls, weights, beta: float = LN2, threshold: float = 1.0):
        """The dial of the shipped sat-rnn read over the corpus (the chapter's ``D``).

        Made this way, the dial's :meth:`~umlib.widgets.protocol.Dial.spec` names the
        weights file rather than carrying ``D``: the accumulator differences are computed
        from the corpus, which is third-party data and never stored with the book.

        Parameters
        ----------
        weights : str or os.PathLike
            The sat-rnn's ``.npz`` (checked against its SHA-256 by
            ``umlib.text.satrnn.load``).
        beta, threshold : float
            As for the constructor.

        Returns
        -------
        SaturationDial

        Notes
        -----
        Used in Part I, "The Boltzmann distribution in detail".
        """
        from ..text import corpus, satrnn

        if not isinstance(weights, (str, os.PathLike)):
            raise TypeError(f"weights must be a path, got {type(weights).__name__}")
        model, _ = satrnn.load(weights)
        D = satrnn.accumulator_difference(satrnn.forward(model, corpus.load_corpus()).a)
        dial = cls(D, beta=beta, threshold=threshold)
        dial._made_by = (f"{cls.__module__}:{cls.__qualname__}.from_satrnn",
                         {"weights": os.fspath(weights), "beta": dial.control("beta").default,
                          "threshold": dial.control("threshold").default})
        return dial

    def readout(self, state) -> SaturationReadout:
        """Shares, mean unit entropy and median odds at ``state`` (pure).

        Parameters
        ----------
        state : mapping
            ``{"beta": beta, "threshold": threshold}``.

        Returns
        -------
        SaturationReadout

        Notes
        -----
        Used in Part I, "The Boltzmann distribution in detail".
        """
        s = self.validate(state)
        beta, threshold = s["beta"], s["threshold"]
        with np.errstate(over="ignore"):    # beta |D| beyond the float range: +inf
            x = beta * self.D                             # beta |D| in nats
        below = float(np.count_nonzero(x < threshold)) / x.size
        if beta not in self._per_beta:        # what depends on beta alone, kept per beta
            # The two-state Gibbs law in reduced energies (units of T): the likelier state
            # at 0, the other at beta |D| (+inf is a forbidden state, probability exactly 0).
            E = np.stack([np.zeros_like(x), x], axis=-1)
            p = thermo.gibbs(E, 1.0, axis=-1)                 # (sigma(beta|D|), 1 - ...)
            S = thermo.shannon_entropy(p, 2.0, axis=-1)       # bits, one per unit-step
            if len(self._per_beta) >= 4096:
                self._per_beta.clear()
            self._per_beta[beta] = (float(np.mean(S)) + 0.0,
                                    float(np.median(x)) / math.log(10.0))
        mean_S, median_odds = self._per_beta[beta]
        return SaturationReadout(beta=beta, threshold=threshold, below_threshold=below,
                                 at_or_above_threshold=1.0 - below,
                                 mean_entropy_bits=mean_S, median_log10_odds=median_odds)

    def render(self, r: SaturationReadout) -> str:
        """The histogram of ``beta |D|`` (below-threshold part in red) and the meter (pure).

        Parameters
        ----------
        r : SaturationReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part I, "The Boltzmann distribution in detail".
        """
        hist = histogram_svg(np.minimum(r.beta * self.D, self.edges[-1]), self.edges,
                             mark=r.threshold,
                             title=f"beta |D| at beta={r.beta:.3g}; red: below the threshold")
        return (f"{hist}<p>below the threshold (critical) {100 * r.below_threshold:.2f} % · "
                f"at or above (frozen) {100 * r.at_or_above_threshold:.2f} % · "
                f"mean unit entropy {r.mean_entropy_bits:.4f} bits · "
                f"median odds 10^{r.median_log10_odds:.1f} : 1</p>")
