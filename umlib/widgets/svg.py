"""The book's SVG pictures: pure functions from numbers to an ``<svg>`` string, shared by
every dial and by the chapters' static figures."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

from ..text.bridge import LevelStats
from ..core.validate import count, real_array, real_scalar, sequence, spins, text

# the largest picture drawn, in pixels a side (the book's are a few hundred)
MAX_PIXELS = 100_000


_NO_TITLE = object()


def _frame(title=_NO_TITLE, **sizes) -> list[int]:
    """Check a picture's title (a str) and sizes (ints 1..MAX_PIXELS), naming each."""
    if title is not _NO_TITLE:
        text("title", title)
    return [count(name, v, minimum=1, maximum=MAX_PIXELS) for name, v in sizes.items()]

__all__ = ["bars_svg", "lattice_svg", "histogram_svg", "hidden_svg", "staircase_svg"]


def bars_svg(p, labels=None, highlight: int | None = None, title: str = "",
             width: int = 360, height: int = 140, color: str = "#3465a4") -> str:
    """An accessible SVG bar chart of probabilities ``p`` (heights scaled to max(p, 1e-300)).

    Parameters
    ----------
    p : array_like
        Non-negative bar heights (probabilities), one-dimensional.
    labels : sequence of str, optional
        One label per bar (default: the index).
    highlight : int, optional
        The bar to crown.
    title : str
        The accessible title.
    width, height : int
        Size in pixels.
    color : str
        Fill of the ordinary bars.

    Returns
    -------
    str
        An ``<svg>`` string.

    Notes
    -----
    Used in Part III, "One dial", and by the dials of Part V, "Activation engineering:
    steering a concept" and "Feature clamping".

    ``highlight`` marks one bar (the argmax) with a crown and a darker fill.

    Examples
    --------
    >>> from umlib.widgets.svg import bars_svg
    >>> s = bars_svg([0.25, 0.75], ["a", "b"], highlight=1, title="demo")
    >>> s.startswith("<svg") and 'aria-label="demo' in s
    True
    """
    _frame(title, width=width, height=height)
    text("color", color)
    p = real_array("p", p)
    if p.ndim != 1 or (p < 0).any():
        raise ValueError("p must be a 1-D array of non-negative numbers")
    n = p.size
    labels = [str(i) for i in range(n)] if labels is None else \
        [str(s) for s in sequence("labels", labels)]
    if highlight is not None:
        highlight = count("highlight", highlight, minimum=0)
    if len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries for {n} bars")
    top = max(float(p.max()), 1e-300)
    pad, base = 4, height - 18
    bw = (width - 2 * pad) / n
    desc = ", ".join(f"{lab}: {v:.3f}" for lab, v in zip(labels, p.tolist()))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}: {html.escape(desc)}">']
    for i, v in enumerate(p.tolist()):
        h = (base - 14) * v / top
        x = pad + i * bw
        fill = "#204a87" if i == highlight else color
        parts.append(f'<rect x="{x + 1:.1f}" y="{base - h:.1f}" width="{bw - 2:.1f}" '
                     f'height="{h:.1f}" fill="{fill}"/>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - 4}" font-size="10" '
                     f'text-anchor="middle">{html.escape(labels[i])}</text>')
        if i == highlight:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{max(base - h - 2, 10):.1f}" '
                         f'font-size="11" text-anchor="middle">♛</text>')
    parts.append("</svg>")
    return "".join(parts)


def lattice_svg(S, cell: int = 6, title: str = "spins") -> str:
    """An SVG picture of a ±1 lattice: up spins dark, down spins light (one path per row run).

    Parameters
    ----------
    S : array_like
        A two-dimensional array of ±1 spins.
    cell : int
        Pixels per spin.
    title : str
        The accessible title.

    Returns
    -------
    str
        An ``<svg>`` string.

    Notes
    -----
    Used in Part IV, "The Ising model, exactly".

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.widgets.svg import lattice_svg
    >>> lattice_svg(np.ones((2, 2))).startswith("<svg")
    True
    """
    _frame(title, cell=cell)
    S = spins("S", S)
    if S.ndim != 2:
        raise ValueError("S must be a 2-D lattice")
    L, M = S.shape
    d = []
    for r in range(L):
        row = S[r]
        c = 0
        while c < M:
            if row[c] == 1:
                c0 = c
                while c < M and row[c] == 1:
                    c += 1
                d.append(f"M{c0 * cell} {r * cell}h{(c - c0) * cell}v{cell}h{-(c - c0) * cell}z")
            else:
                c += 1
    w, hgt = M * cell, L * cell
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" role="img" '
            f'aria-label="{html.escape(title)}"><rect width="{w}" height="{hgt}" fill="#e9eef5"/>'
            f'<path d="{"".join(d)}" fill="#204a87"/></svg>')


def histogram_svg(values, edges, mark: float | None = None, title: str = "",
                  width: int = 420, height: int = 150) -> str:
    """An SVG histogram of ``values`` over ``edges`` (log-count heights); ``mark`` draws a line.

    Parameters
    ----------
    values : array_like
        The numbers to count.
    edges : array_like
        Increasing bin edges.
    mark : float, optional
        Where to draw the threshold line.
    title : str
        The accessible title.

    Returns
    -------
    str
        An ``<svg>`` string.

    Notes
    -----
    Used in Part I, "The Boltzmann distribution in detail".

    Examples
    --------
    >>> from umlib.widgets.svg import histogram_svg
    >>> histogram_svg([0.5, 1.5, 1.7], [0, 1, 2], mark=1.0, title="t").startswith("<svg")
    True
    """
    _frame(title, width=width, height=height)
    if mark is not None:
        mark = real_scalar("mark", mark)
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
    # the bars as one path per colour (below the mark red, else blue); empty bins drawn
    # as nothing
    bars = {"#cc0000": [], "#3465a4": []}
    w = max(bw - 1, 0.5)
    for i, c in enumerate(counts.tolist()):
        h = (base - 10) * math.log1p(c) / top
        if f"{h:.1f}" == "0.0":
            continue
        fill = "#cc0000" if (mark is not None and e[i] < mark) else "#3465a4"
        bars[fill].append(f"M{pad + i * bw:.1f} {base - h:.1f}h{w:.1f}v{h:.1f}h-{w:.1f}z")
    for fill, d in bars.items():
        if d:
            parts.append(f'<path d="{"".join(d)}" fill="{fill}"/>')
    if mark is not None and e[0] <= mark <= e[-1]:
        xm = pad + (mark - e[0]) / (e[-1] - e[0]) * (width - 2 * pad)
        parts.append(f'<line x1="{xm:.1f}" y1="4" x2="{xm:.1f}" y2="{base}" stroke="black" '
                     f'stroke-dasharray="3,2"/>')
    parts.append(f'<text x="{pad}" y="{height - 3}" font-size="10">{e[0]:g}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 3}" font-size="10" '
                 f'text-anchor="end">{e[-1]:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def hidden_svg(W, size: int = 220, title: str = "") -> str:
    """The columns of a 2-row ``W`` drawn as arrows from the origin (inline SVG).

    Parameters
    ----------
    W : array_like
        Weights of shape (2, n_features).
    size : int
        Width and height in pixels.
    title : str
        The accessible title.

    Returns
    -------
    str
        An ``<svg>`` string.

    Notes
    -----
    Used in Part V, "Superposition and sparse autoencoders".
    """
    import html

    _frame(title, size=size)
    W = real_array("W", W)
    if W.ndim != 2 or W.shape[0] != 2:
        raise ValueError("W must have 2 rows")
    norms = np.linalg.norm(W, axis=0)
    c, s = size / 2, size / 2 * 0.8 / max(1.0, float(norms.max(initial=0.0)))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
             f'role="img" aria-label="{html.escape(title)}">',
             f'<circle cx="{c}" cy="{c}" r="{s:.1f}" fill="none" stroke="#ccc"/>']
    # an arrow shorter than a tenth of the circle has no room for its label at its
    # tip (it would sit on the origin): such features are named in a corner instead
    short = []
    for i, (a, b) in enumerate(W.T.tolist()):
        x, y = c + s * a, c - s * b
        parts.append(f'<line x1="{c}" y1="{c}" x2="{x:.1f}" y2="{y:.1f}" stroke="#204a87" '
                     f'stroke-width="2"/>')
        if norms[i] * s < 0.1 * size / 2 * 0.8:
            short.append(str(i))
            continue
        # the label just beyond the tip, along the arrow
        lx, ly = x + 8 * (x - c) / max(abs(x - c) + abs(y - c), 1e-9), \
            y + 8 * (y - c) / max(abs(x - c) + abs(y - c), 1e-9)
        parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="11" '
                     f'text-anchor="middle">{i}</text>')
    if short:
        parts.append(f'<text x="4" y="{size - 6}" font-size="11">'
                     f'\u2248 0: {", ".join(short)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def staircase_svg(stats: Sequence[LevelStats], highlight: int | None = None,
                  width: int = 560, height: int = 200) -> str:
    """An accessible stacked-bar SVG: <S_B> (purple) under H (gold), residual bpc as a tick.

    Parameters
    ----------
    stats : sequence of LevelStats
        The staircase's levels.
    highlight : int, optional
        The level to outline.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        An ``<svg>`` string.

    Notes
    -----
    Used in Part II, "The factoring hierarchy".

    Examples
    --------
    >>> from umlib.text.bridge import staircase
    >>> from umlib.widgets.svg import staircase_svg
    >>> s = staircase({"one": [0, 0], "all": [0, 1]}, [0, 1])
    >>> staircase_svg(s, highlight=1).startswith("<svg")
    True
    """
    _frame(width=width, height=height)
    stats = sequence("stats", stats)
    if not stats or not all(isinstance(s, LevelStats) for s in stats):
        raise ValueError("stats must be a non-empty sequence of LevelStats")
    n = len(stats)
    if highlight is not None and not (isinstance(highlight, (int, np.integer))
                                      and 0 <= highlight < n):
        raise ValueError(f"highlight must be an index 0..{n - 1} or None")
    top = max(s.log2N for s in stats)
    pad, base = 6, height - 30
    bw = (width - 2 * pad) / n
    scale = (base - 8) / top
    desc = "; ".join(f"{s.name}: <S_B> {s.mean_S_B:.3f}, H {s.H:.3f}, residual {s.residual:.3f}"
                     for s in stats)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="factoring staircase: {html.escape(desc)}">']
    for i, s in enumerate(stats):
        x = pad + i * bw
        hs, hh = s.mean_S_B * scale, s.H * scale
        stroke = ' stroke="#000" stroke-width="2"' if i == highlight else ""
        parts.append(f'<rect x="{x + 2:.1f}" y="{base - hs:.1f}" width="{bw - 4:.1f}" '
                     f'height="{hs:.1f}" fill="#5c3566"{stroke}/>')
        parts.append(f'<rect x="{x + 2:.1f}" y="{base - hs - hh:.1f}" width="{bw - 4:.1f}" '
                     f'height="{hh:.1f}" fill="#c4a000"{stroke}/>')
        yr = base - s.residual * scale
        parts.append(f'<line x1="{x + 2:.1f}" x2="{x + bw - 2:.1f}" y1="{yr:.1f}" '
                     f'y2="{yr:.1f}" stroke="#cc0000" stroke-width="2"/>')
        label = s.name if len(s.name) <= 12 else s.name[:11] + "…"
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{base + 14}" font-size="9" '
                     f'text-anchor="middle">{html.escape(label)}</text>')
    parts.append(f'<text x="{pad}" y="{height - 2}" font-size="9">purple: &lt;S_B&gt; · '
                 f'gold: H = log2 N − &lt;S_B&gt; · red tick: residual H(y|macrostate)</text>')
    parts.append("</svg>")
    return "".join(parts)
