"""The staircase dial: pick a factoring level, see what it absorbs.

Used in Part II, "The factoring hierarchy".
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.validate import sequence
from ..text.bridge import LevelStats
from .protocol import Control, Dial, Readout
from .svg import staircase_svg

__all__ = ["LevelReadout", "StaircaseDial"]


@dataclass(frozen=True)
class LevelReadout(Readout):
    """What the staircase control shows for one level.

    Parameters
    ----------
    name : str
        The level.
    macrostates : int
        Its number of macrostates K.
    mean_S_B, H, residual, gap, explained : float
        Absorbed entropy, H = log2 N - <S_B>, residual bpc, H - residual and the explained
        part of the exact split, in bits.
    pct_absorbed : float
        Percentage of log2 N absorbed.
    model_bpc : float or None
        The trained model's bpc, where the level has one.

    Notes
    -----
    Used in Part II, "The factoring hierarchy".
    """

    name: str
    macrostates: int
    mean_S_B: float
    H: float
    residual: float
    pct_absorbed: float
    gap: float
    explained: float
    model_bpc: float | None


class StaircaseDial(Dial):
    """Pick a factoring level; see its macrostate count, <S_B>, H, residual bpc, % absorbed.

    One control, ``level`` (a choice among the levels' names).

    Parameters
    ----------
    stats : sequence of LevelStats
        The staircase (from :func:`umlib.text.bridge.staircase`).
    level : str, optional
        The default level (default: the first).

    Notes
    -----
    Used in Part II, "The factoring hierarchy".
    """

    def __init__(self, stats: Sequence[LevelStats], level: str | None = None) -> None:
        stats = sequence("stats", stats)
        if not stats or not all(isinstance(s, LevelStats) for s in stats):
            raise ValueError("stats must be a non-empty sequence of LevelStats")
        self.stats = {s.name: s for s in stats}
        if len(self.stats) != len(stats):
            raise ValueError("stats has repeated level names")
        self.names = [s.name for s in stats]
        level = self.names[0] if level is None else level
        if not isinstance(level, str) or level not in self.stats:
            raise ValueError(f"level {level!r} is not one of {self.names}")
        super().__init__((Control("level", "level", "choice", level,
                                  options=tuple(self.names)),))

    def readout(self, state) -> LevelReadout:
        """Everything the control displays for ``state["level"]`` (pure).

        Parameters
        ----------
        state : mapping
            ``{"level": name}``.

        Returns
        -------
        LevelReadout

        Notes
        -----
        Used in Part II, "The factoring hierarchy".
        """
        name = self.validate(state)["level"]
        s = self.stats[name]
        return LevelReadout(name=name, macrostates=s.K, mean_S_B=s.mean_S_B, H=s.H,
                            residual=s.residual, pct_absorbed=s.pct_absorbed, gap=s.gap,
                            explained=s.explained, model_bpc=s.model_bpc)

    def chart_svg(self, r: LevelReadout) -> str:
        """The staircase chart with the level of ``r`` highlighted.

        Parameters
        ----------
        r : LevelReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part II, "The factoring hierarchy".
        """
        return staircase_svg(list(self.stats.values()), highlight=self.names.index(r.name))

    @staticmethod
    def details_html(r: LevelReadout) -> str:
        """The table of the level's numbers.

        Parameters
        ----------
        r : LevelReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part II, "The factoring hierarchy".
        """
        model = ("" if r.model_bpc is None else
                 f"<tr><td>trained model's bpc</td><td>{r.model_bpc:.4f}</td></tr>")
        return (
            f"<table><caption><b>{html.escape(r.name)}</b></caption>"
            f"<tr><td>macrostates</td><td>{r.macrostates}</td></tr>"
            f"<tr><td>⟨S<sub>B</sub>⟩ (absorbed)</td><td>{r.mean_S_B:.4f} bits</td></tr>"
            f"<tr><td>H = log<sub>2</sub>N − ⟨S<sub>B</sub>⟩</td><td>{r.H:.4f} bits</td></tr>"
            f"<tr><td>residual H(y | macrostate)</td><td>{r.residual:.4f} bits</td></tr>"
            f"<tr><td>% absorbed</td><td>{r.pct_absorbed:.1f} %</td></tr>"
            f"<tr><td>gap H − residual</td><td>{r.gap:+.4f} bits</td></tr>"
            f"<tr><td>exact split: ⟨S<sub>B</sub>⟩<sub>y</sub> + I + residual</td>"
            f"<td>{r.explained:.4f} + {r.residual:.4f} bits</td></tr>{model}</table>")

    def render(self, r: LevelReadout) -> str:
        """The chart and the table (pure).

        Parameters
        ----------
        r : LevelReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part II, "The factoring hierarchy".
        """
        return self.chart_svg(r) + self.details_html(r)
