"""The record a chapter's gates leave: one :class:`GateResult` per gate, collected in a
:class:`GateLog` that a notebook displays as a table and stores under its own MIME type,
which :class:`GateRecordRenderer` prints as a table in the PDF.

Used by every chapter (through :mod:`umlib.book.gates`) and by the ledger appendix, which
reads the stored records.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict, dataclass

from ..core.validate import record_fields


__all__ = ["MIME_TYPE", "GateResult", "GateLog", "print_table"]


MIME_TYPE = "application/vnd.umlib.gates+json"


def _sig(x: float, digits: int = 4) -> float:
    """Round to ``digits`` significant digits so that stored outputs are platform-stable."""
    x = float(x)
    if x == 0.0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


@dataclass(frozen=True)
class GateResult:
    """One gate's outcome as recorded in the log.

    Read by the ledger test and shown in the appendix "The claim ledger"; used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name.
    kind : str
        One of ``exact``, ``ulp``, ``rel``, ``abs``, ``sigma``, ``count``, ``source``.
    tolerance : float
        The tolerance, in the kind's unit.
    measured : float
        The measured quantity, same unit.
    passed : bool
        Whether ``measured <= tolerance``.
    role : str, default "check"
        ``check``, ``control``, ``refutes`` or ``compares`` (a source's printed figure
        set beside ours: the record says whether they agree, and raises neither way).
    n : int, default 1
        Number of values compared.
    note : str, default ""
        Free text stored with the record.
    last_bits : bool, default False
        Whether the measured value is a last-bit figure (the record shows its bound).
    source : str, default ""
        For a ``compares`` record, the source's figure exactly as it printed it.
    """

    def __post_init__(self) -> None:
        record_fields(self, nonfinite=("measured",))

    name: str
    kind: str
    tolerance: float
    measured: float
    passed: bool
    role: str = "check"
    n: int = 1
    note: str = ""
    last_bits: bool = False
    source: str = ""

    @property
    def status(self) -> str:
        if self.role == "compares":
            return "agrees" if self.passed else "differs"
        if self.role == "check":
            return "pass" if self.passed else "FAIL"
        return "failed as expected" if not self.passed else "PASSED (control broken)"

    @property
    def bound(self) -> str | None:
        """The bound a last-bit measurement meets (``'<= tol'`` or ``'> tol'``), else None."""
        if not self.last_bits:
            return None
        return f"{'<=' if self.passed else '>'} {_sig(self.tolerance):.4g}"

    @property
    def shown(self) -> str:
        """The measured value as stored outputs show it: the bound, or 4 significant digits."""
        return self.bound or f"{_sig(self.measured):.4g}"

    def __repr__(self) -> str:
        return (f"{self.status}: {self.name} [{self.kind}, measured {self.shown}"
                f" vs tolerance {_sig(self.tolerance):.4g}, n={self.n}]")

    def record(self) -> dict:
        """The stored record: only machine-independent values (see the module docstring)."""
        d = asdict(self)
        del d["last_bits"]
        if self.role != "compares":
            del d["source"]
        d["tolerance"] = _sig(self.tolerance)
        d["measured"] = None if self.last_bits else _sig(self.measured)
        if self.last_bits:
            d["bound"] = self.bound
        d["status"] = self.status
        return d


class GateLog:
    """An ordered record of the gates run in one chapter.

    Displayed at the end of every chapter; its machine-readable records feed the
    appendix "The claim ledger".

    Parameters
    ----------
    chapter : str
        The chapter's name, shown in the table's caption.
    """

    def __init__(self, chapter: str) -> None:
        self.chapter = chapter
        self.results: list[GateResult] = []
        self._role_stack: list[str] = []

    def add(self, result: GateResult) -> None:
        if any(r.name == result.name for r in self.results):
            raise ValueError(f"gate name {result.name!r} is used twice in {self.chapter!r}")
        self.results.append(result)

    # -- rendering ---------------------------------------------------------
    def records(self) -> list[dict]:
        return [r.record() for r in self.results]

    def _rows(self) -> list[tuple[str, ...]]:
        rows = []
        for r in self.results:
            d = r.record()
            rows.append((r.name, r.kind, r.role, r.shown,
                         f"{d['tolerance']:.4g}", str(r.n), r.status))
        return rows

    _HEAD = ("gate", "kind", "role", "measured", "tolerance", "n", "status")

    def __repr__(self) -> str:
        rows = [self._HEAD] + self._rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(self._HEAD))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return f"Gates of {self.chapter}\n" + "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in self._HEAD)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._rows())
        return (f'<table class="umlib-gates"><caption>Gates of {html.escape(self.chapter)}'
                f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        payload = {"chapter": self.chapter, "gates": self.records()}
        return {
            "text/plain": repr(self),
            "text/html": self._repr_html_(),
            MIME_TYPE: json.loads(json.dumps(payload)),
        }

    def assert_all(self) -> "GateLog":
        """Raise if any recorded gate is not in the state its role requires."""
        bad = [r.name for r in self.results
               if r.status not in ("pass", "failed as expected", "agrees", "differs")]
        if bad:
            from .gates import GateFailure  # gates imports this module: import late

            raise GateFailure(f"gates in a wrong state: {bad}")
        return self


#: Relative widths of the printed gate table's columns (the gate's name wraps).
_PRINT_WIDTHS = (34, 9, 10, 14, 13, 7, 13)


def print_table(payload: dict):
    """The gate table of a stored record as a docutils table, for the printed book.

    Parameters
    ----------
    payload : dict
        The record a :class:`GateLog` stores under ``MIME_TYPE``: ``chapter`` (str)
        and ``gates`` (a list of :meth:`GateResult.record` dicts).

    Returns
    -------
    docutils.nodes.table
        A captioned table with the columns of the HTML table, marked ``longtable`` (it
        breaks across pages) with fixed column widths (long gate names wrap).

    Notes
    -----
    Every chapter's gate table in the PDF is this table (e.g. Part III, "An identity,
    not an analogy"); the HTML book shows the same output's ``text/html``.
    """
    from docutils import nodes

    if not isinstance(payload, dict) or not isinstance(payload.get("gates"), list) \
            or not isinstance(payload.get("chapter"), str):
        raise TypeError("payload must be a gate record: a dict with 'chapter' (str) "
                        f"and 'gates' (list), got {type(payload).__name__}")
    rows = []
    for d in payload["gates"]:
        if not isinstance(d, dict):
            raise TypeError(f"payload['gates'] must hold dicts, got {type(d).__name__}")
        shown = d.get("bound") or (f"{d['measured']:.4g}" if d.get("measured") is not None
                                   else "")
        rows.append((d["name"], d["kind"], d["role"], shown, f"{d['tolerance']:.4g}",
                     str(d["n"]), d["status"]))

    def row(cells):
        r = nodes.row()
        for c in cells:
            r += nodes.entry("", nodes.paragraph(text=c))
        return r

    table = nodes.table(classes=["longtable", "colwidths-given", "umlib-gates"])
    table += nodes.title(text=f"Gates of {payload['chapter']}")
    group = nodes.tgroup(cols=len(GateLog._HEAD))
    table += group
    for w in _PRINT_WIDTHS:
        group += nodes.colspec(colwidth=w)
    group += nodes.thead("", row(GateLog._HEAD))
    body = nodes.tbody()
    for cells in rows:
        body += row(cells)
    group += body
    return table


class GateRecordRenderer:
    """myst-nb mime renderer plugin: the gate records are data, not display.

    The gate table's machine-readable record (:data:`MIME_TYPE`) is read by
    the ledger test; in the HTML book the ``text/html`` table of the same output
    is shown, so there the record is never chosen.  The printed book (the LaTeX
    builder) chooses the record first and prints it as a table
    (:func:`print_table`), where it would otherwise print the plain-text table's
    long lines.  Registered under the ``myst_nb.mime_renderers`` entry point in
    ``pyproject.toml``.
    """

    mime_priority_overrides = [("*", MIME_TYPE, None), ("latex", MIME_TYPE, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != MIME_TYPE:
            return None
        return [] if inline else [print_table(data.content)]
