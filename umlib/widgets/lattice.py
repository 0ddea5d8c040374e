"""The Ising lattice dial: temperature ``T`` (k_B = J = 1) and field ``h`` on an L x L lattice.

Used in Part IV, "The Ising model, exactly".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.validate import count, positive_scalar, real_scalar
from ..physics.ising import domain_walls, lattice_energy, metropolis, onsager_Tc, onsager_energy, yang_magnetization
from .protocol import Control, Dial, Readout
from .svg import lattice_svg

__all__ = ["LatticeReadout", "IsingDial"]


@dataclass(frozen=True)
class LatticeReadout(Readout):
    """What the lattice dial shows at one (T, h).

    Parameters
    ----------
    T, h : float
        Temperature and field.
    S : numpy.ndarray
        The L x L spins after the sweeps.
    m, e : float
        Magnetisation and energy per spin.
    walls : int
        Number of unsatisfied bonds.
    m_yang, e_onsager : float
        The exact h = 0 values at T (Yang, Onsager).

    Notes
    -----
    Used in Part IV, "The Ising model, exactly".
    """

    T: float
    h: float
    S: np.ndarray
    m: float
    e: float
    walls: int
    m_yang: float
    e_onsager: float


class IsingDial(Dial):
    """Temperature and field controls on an L x L lattice.

    ``readout({"T": T, "h": h})`` is pure: it starts from all spins up and runs
    ``n_sweeps`` Metropolis sweeps with the fixed seed, so a setting always shows the same
    picture.  Controls: ``T`` (linear, 0.5 .. 5 in steps of 0.1) and ``h`` (linear, -1 .. 1
    in steps of 0.5).

    Parameters
    ----------
    L : int
        Even lattice size.
    n_sweeps : int
        Sweeps per setting.
    seed : int
        The sampler's seed.
    T : float
        Default temperature.
    h : float
        Default field.

    Notes
    -----
    Used in Part IV, "The Ising model, exactly".
    """

    def __init__(self, L: int = 32, n_sweeps: int = 200, seed: int = 0, T: float = 2.0,
                 h: float = 0.0) -> None:
        self.L = count("L", L, minimum=2)
        if self.L % 2:
            raise ValueError("L must be even")
        self.n_sweeps = count("n_sweeps", n_sweeps)
        self.seed = count("seed", seed, minimum=0)
        super().__init__((
            Control("T", "T", "linear", positive_scalar("T", T), lo=0.5, hi=5.0, step=0.1),
            Control("h", "h", "linear", real_scalar("h", h), lo=-1.0, hi=1.0, step=0.5),
        ))

    def readout(self, state) -> LatticeReadout:
        """The lattice after the sweeps at ``state`` and its meters (pure).

        Parameters
        ----------
        state : mapping
            ``{"T": T, "h": h}``; T must be positive.

        Returns
        -------
        LatticeReadout

        Notes
        -----
        Used in Part IV, "The Ising model, exactly".
        """
        s = self.validate(state)
        T = positive_scalar("T", s["T"])
        h = s["h"]
        ch = metropolis(np.ones((1, self.L, self.L), dtype=np.int8), T, self.n_sweeps,
                        rng=self.seed, h=h, measure=False)
        S = ch.S[0]
        N = self.L * self.L
        return LatticeReadout(T=T, h=h, S=S, m=float(S.sum()) / N,
                              e=float(lattice_energy(S)) / N, walls=domain_walls(S),
                              m_yang=yang_magnetization(T), e_onsager=onsager_energy(T))

    @staticmethod
    def meter_text(r: LatticeReadout) -> str:
        """The meter line: T, h, m and E/N beside their exact h = 0 values.

        Parameters
        ----------
        r : LatticeReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part IV, "The Ising model, exactly".
        """
        return (f"T = {r.T:.3f} (T_c = {onsager_Tc():.3f}) · h = {r.h:+.3f} · "
                f"m = {r.m:+.3f} (Yang, h = 0: ±{r.m_yang:.3f}) · "
                f"E/N = {r.e:.3f} (Onsager, h = 0: {r.e_onsager:.3f}) · wall bonds = {r.walls}")

    @staticmethod
    def picture_svg(r: LatticeReadout) -> str:
        """The spins as an SVG picture.

        Parameters
        ----------
        r : LatticeReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part IV, "The Ising model, exactly".
        """
        return lattice_svg(r.S, title=f"spins at T={r.T:.2f}, h={r.h:+.2f}")

    def render(self, r: LatticeReadout) -> str:
        """The picture and the meter (pure).

        Parameters
        ----------
        r : LatticeReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part IV, "The Ising model, exactly".
        """
        return f"{self.picture_svg(r)}<br>{self.meter_text(r)}"
