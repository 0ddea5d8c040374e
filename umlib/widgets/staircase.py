"""The staircase dial of "The entropy bridge" (part2/02-staircase)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass


from ..text.bridge import LevelStats
from .svg import staircase_svg

__all__ = ["LevelReadout", "StaircaseDial"]


@dataclass(frozen=True)
class LevelReadout:
    """What the staircase control shows for one level."""

    name: str
    macrostates: int
    mean_S_B: float
    H: float
    residual: float
    pct_absorbed: float
    gap: float
    explained: float
    model_bpc: float | None


class StaircaseDial:
    """Pick a factoring level; see its macrostate count, <S_B>, H, residual bpc, % absorbed.

    Parameters
    ----------
    stats : sequence of LevelStats
        The staircase (from :func:`umlib.text.bridge.staircase`).
    level : str, optional
        The level shown first (default: the first).

    Notes
    -----
    Setting ``dial.picker.value`` to a level name runs what clicking runs in Jupyter;
    :meth:`readout` is the pure arithmetic and ``dial.last`` the latest readout.

    Derived in Part II, "The factoring hierarchy".
    """

    def __init__(self, stats: Sequence[LevelStats], level: str | None = None) -> None:
        stats = list(stats)
        if not stats or not all(isinstance(s, LevelStats) for s in stats):
            raise ValueError("stats must be a non-empty sequence of LevelStats")
        self.stats = {s.name: s for s in stats}
        if len(self.stats) != len(stats):
            raise ValueError("stats has repeated level names")
        self.names = [s.name for s in stats]
        level = self.names[0] if level is None else level
        if level not in self.stats:
            raise ValueError(f"level {level!r} is not one of {self.names}")
        self._build(level)

    def readout(self, name: str) -> LevelReadout:
        """Everything the control displays for level ``name`` (pure)."""
        if name not in self.stats:
            raise ValueError(f"name {name!r} is not one of {self.names}")
        s = self.stats[name]
        return LevelReadout(name=name, macrostates=s.K, mean_S_B=s.mean_S_B, H=s.H, residual=s.residual,
                            pct_absorbed=s.pct_absorbed, gap=s.gap, explained=s.explained,
                            model_bpc=s.model_bpc)

    def _build(self, level: str) -> None:
        import ipywidgets as w

        self.picker = w.ToggleButtons(options=self.names, value=level,
                                      description="level", style={"button_width": "auto"})
        self.chart = w.HTML()
        self.details = w.HTML()
        self.picker.observe(lambda change: self.update(), names="value")
        self.widget = w.VBox([self.picker, self.chart, self.details])
        self.update()

    def update(self) -> LevelReadout:
        """Recompute from the picker's value and refresh the view."""
        r = self.readout(self.picker.value)
        self.chart.value = staircase_svg(list(self.stats.values()),
                                         highlight=self.names.index(r.name))
        model = ("" if r.model_bpc is None else
                 f"<tr><td>trained model's bpc</td><td>{r.model_bpc:.4f}</td></tr>")
        self.details.value = (
            f"<table><caption><b>{html.escape(r.name)}</b></caption>"
            f"<tr><td>macrostates</td><td>{r.macrostates}</td></tr>"
            f"<tr><td>⟨S<sub>B</sub>⟩ (absorbed)</td><td>{r.mean_S_B:.4f} bits</td></tr>"
            f"<tr><td>H = log<sub>2</sub>N − ⟨S<sub>B</sub>⟩</td><td>{r.H:.4f} bits</td></tr>"
            f"<tr><td>residual H(y | macrostate)</td><td>{r.residual:.4f} bits</td></tr>"
            f"<tr><td>% absorbed</td><td>{r.pct_absorbed:.1f} %</td></tr>"
            f"<tr><td>gap H − residual</td><td>{r.gap:+.4f} bits</td></tr>"
            f"<tr><td>exact split: ⟨S<sub>B</sub>⟩<sub>y</sub> + I + residual</td>"
            f"<td>{r.explained:.4f} + {r.residual:.4f} bits</td></tr>{model}</table>")
        self.last = r
        return r
