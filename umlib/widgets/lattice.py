"""The Ising lattice dial of "The Ising model, exactly" (part4/03-ising-model)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.validate import count, positive_scalar, real_scalar
from ..physics.ising import domain_walls, lattice_energy, metropolis, onsager_Tc, onsager_energy, yang_magnetization
from .svg import lattice_svg

__all__ = ["LatticeReadout", "IsingDial"]


@dataclass(frozen=True)
class LatticeReadout:
    """What the lattice dial shows at one (T, h)."""

    T: float
    h: float
    S: np.ndarray
    m: float
    e: float
    walls: int
    m_yang: float
    e_onsager: float


class IsingDial:
    """Temperature and field controls on an L x L lattice (Part IV, "The Ising model for
    vector-cowboys").

    ``readout(T, h)`` is pure: it starts from all spins up and runs ``n_sweeps``
    Metropolis sweeps with the fixed seed, so a setting always shows the same picture.

    Parameters
    ----------
    L : int
        Even lattice size.
    n_sweeps : int
        Sweeps per setting.
    seed : int
        The sampler's seed.
    """

    def __init__(self, L: int = 32, n_sweeps: int = 200, seed: int = 0, T: float = 2.0,
                 h: float = 0.0) -> None:
        self.L = count("L", L, minimum=2)
        if self.L % 2:
            raise ValueError("L must be even")
        self.n_sweeps = count("n_sweeps", n_sweeps)
        self.seed = count("seed", seed, minimum=0)
        self._T0 = positive_scalar("T", T)
        self._h0 = real_scalar("h", h)
        self.slider_T = self.slider_h = None

    def readout(self, T: float, h: float) -> LatticeReadout:
        T = positive_scalar("T", T)
        h = real_scalar("h", h)
        ch = metropolis(np.ones((1, self.L, self.L), dtype=np.int8), T, self.n_sweeps,
                        rng=self.seed, h=h, measure=False)
        S = ch.S[0]
        N = self.L * self.L
        return LatticeReadout(T=T, h=h, S=S, m=float(S.sum()) / N,
                              e=float(lattice_energy(S)) / N, walls=domain_walls(S),
                              m_yang=yang_magnetization(T), e_onsager=onsager_energy(T))

    def meter_text(self, r: LatticeReadout) -> str:
        return (f"T = {r.T:.3f} (T_c = {onsager_Tc():.3f}) · h = {r.h:+.3f} · "
                f"m = {r.m:+.3f} (Yang, h = 0: ±{r.m_yang:.3f}) · "
                f"E/N = {r.e:.3f} (Onsager, h = 0: {r.e_onsager:.3f}) · wall bonds = {r.walls}")

    def build(self):
        """Create the widgets (lazily: only notebooks need ipywidgets) and return the box."""
        import ipywidgets as w

        self.slider_T = w.FloatSlider(value=self._T0, min=0.5, max=5.0, step=0.05,
                                      description="T", readout_format=".2f")
        self.slider_h = w.FloatSlider(value=self._h0, min=-1.0, max=1.0, step=0.02,
                                      description="h", readout_format="+.2f")
        self.picture = w.HTML()
        self.meter = w.HTML()
        self.slider_T.observe(lambda ch: self.update(), names="value")
        self.slider_h.observe(lambda ch: self.update(), names="value")
        self.widget = w.VBox([self.slider_T, self.slider_h, self.picture, self.meter])
        self.update()
        return self.widget

    def update(self) -> LatticeReadout:
        """Recompute from the sliders and refresh the picture and the meter."""
        if self.slider_T is None:
            raise RuntimeError("call build() first")
        r = self.readout(float(self.slider_T.value), float(self.slider_h.value))
        self.picture.value = lattice_svg(r.S, title=f"spins at T={r.T:.2f}, h={r.h:+.2f}")
        self.meter.value = self.meter_text(r)
        self.last = r
        return r
