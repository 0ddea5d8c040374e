"""The claim ledger: one row per checkable statement of a source document.

The ledger is a folder of CSV files, one per chapter (``book/appendix/ledger/``).  Each
tested row names the gate that decides it and, in its ``decision`` column, *how* that
gate decides the claim as the source words it.  The decision fixes the verdict and the
state the gate's stored record must be in (:data:`DECISIONS`, enforced row by row by
:func:`check_row`, which ``tests/whole_book/test_ledger.py`` runs on every row):

==================  ==========  ===========  ===================  =====================
decision            verdict     gate role    gate status          meaning
==================  ==========  ===========  ===================  =====================
confirms            holds       check        pass                 the claim, run, passes
control-confirms    holds       control      failed as expected   the claim says this
                                                                  case fails, and it does
agrees              holds       compares     agrees               the source's figure,
                                                                  reproduced to its
                                                                  printed digits
refutes             fails       refutes      failed as expected   the claim, run, fails
differs             differs     compares     differs              the source's figure and
                                                                  ours, beyond its digits
==================  ==========  ===========  ===================  =====================

Each stored (role, status) pair belongs to one decision, so a row's verdict is fixed by
its gate's record alone.  A negative control whose failure shows that the claim *as the
source words it* is false is therefore run with role ``refutes`` (it is the source's
claim, run, failing), not ``control``.

A row marked *not testable* names no gate, and its decision says why in a word:
``interpretation`` (a reading, not a statement of fact), ``history`` (who did what, when)
or ``no-data`` (it needs a model or data the book does not have).
"""

from __future__ import annotations

import csv
import html
import math
import os
from pathlib import Path

__all__ = ["COLUMNS", "KINDS", "VERDICTS", "DECISIONS", "UNTESTABLE", "load_ledger",
           "load_ledger_dir", "check_row", "summary", "ledger_html", "errata_html",
           "source_box"]

COLUMNS = ("id", "part", "source", "claim", "kind", "verdict", "decision", "measured",
           "chapter", "gate", "correction")
KINDS = ("identity", "measurement", "unreproducible", "interpretation", "history")
VERDICTS = ("holds", "fails", "differs", "not testable")
#: decision -> (verdict, gate role, gate status)
DECISIONS = {
    "confirms": ("holds", "check", "pass"),
    "control-confirms": ("holds", "control", "failed as expected"),
    "agrees": ("holds", "compares", "agrees"),
    "refutes": ("fails", "refutes", "failed as expected"),
    "differs": ("differs", "compares", "differs"),
}
#: the reasons a row may give for *not testable*
UNTESTABLE = ("interpretation", "history", "no-data")


def _path(name: str, value, want: str) -> Path:
    """``value`` as a Path to an existing file (``want="file"``) or folder, or raise naming it."""
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got "
                        f"{type(value).__name__}")
    path = Path(value)
    ok = path.is_file() if want == "file" else path.is_dir()
    if not ok:
        raise ValueError(f"{name} must name an existing {want}, got {str(value)!r}")
    return path


def _rows(rows, columns=("verdict",)) -> list[dict]:
    """``rows`` as a list of ledger-row dicts holding ``columns`` as strings, or raise."""
    if isinstance(rows, (str, bytes, dict)) or not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of ledger rows (dicts), got "
                        f"{type(rows).__name__}")
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise TypeError(f"rows[{i}] must be a dict, got {type(r).__name__}")
        for c in columns:
            if not isinstance(r.get(c), str):
                raise ValueError(f"rows[{i}] must hold column {c!r} as a string")
    return list(rows)


def load_ledger(path) -> list[dict]:
    """Read and validate one ledger CSV file.

    Used (through :func:`load_ledger_dir`) in the appendix "The claim ledger" and the
    appendix "Errata".

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file, with the columns ``COLUMNS`` in that order.

    Returns
    -------
    list of dict
        One dict per row, column name -> string.

    Raises
    ------
    ValueError
        Naming the row and column at fault.
    """
    path = _path("path", path, "file")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {COLUMNS}, got {reader.fieldnames}")
        rows = [dict(r) for r in reader]
    seen = set()
    for i, r in enumerate(rows, start=2):
        where = f"{path}:{i} ({r.get('id')})"
        if not r["id"] or r["id"] in seen:
            raise ValueError(f"{where}: id missing or repeated")
        seen.add(r["id"])
        if r["kind"] not in KINDS:
            raise ValueError(f"{where}: kind {r['kind']!r} not in {KINDS}")
        if r["verdict"] not in VERDICTS:
            raise ValueError(f"{where}: verdict {r['verdict']!r} not in {VERDICTS}")
        if r["verdict"] == "not testable":
            if r["gate"]:
                raise ValueError(f"{where}: a 'not testable' row names no gate")
            if r["decision"] not in UNTESTABLE:
                raise ValueError(f"{where}: a 'not testable' row gives its reason in "
                                 f"{UNTESTABLE}, got {r['decision']!r}")
        else:
            if not (r["gate"] and r["chapter"]):
                raise ValueError(f"{where}: a tested row names its chapter and gate")
            if r["decision"] not in DECISIONS:
                raise ValueError(f"{where}: decision {r['decision']!r} not in "
                                 f"{tuple(DECISIONS)}")
            if DECISIONS[r["decision"]][0] != r["verdict"]:
                raise ValueError(f"{where}: decision {r['decision']!r} gives the verdict "
                                 f"{DECISIONS[r['decision']][0]!r}, not {r['verdict']!r}")
        if r["verdict"] == "fails" and not r["correction"]:
            raise ValueError(f"{where}: a failing claim needs its corrected statement")
        if not r["claim"] or not r["source"]:
            raise ValueError(f"{where}: claim and source are required")
    return rows


def load_ledger_dir(folder) -> list[dict]:
    """Read every ``*.csv`` in ``folder`` (sorted by name); ids must be unique across files.

    Used in the appendix "The claim ledger" and the appendix "Errata".

    Parameters
    ----------
    folder : str or os.PathLike
        The ledger folder (``book/appendix/ledger/``).

    Returns
    -------
    list of dict
        All rows, file by file.
    """
    folder = _path("folder", folder, "folder")
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise ValueError(f"{folder}: no ledger files")
    rows, seen = [], {}
    for f in files:
        for r in load_ledger(f):
            if r["id"] in seen:
                raise ValueError(f"id {r['id']} appears in {seen[r['id']]} and {f.name}")
            seen[r["id"]] = f.name
            rows.append(r)
    return rows


def check_row(row: dict, record: dict | None) -> None:
    """Check that a ledger row's verdict is what its gate's stored record decides.

    Used by the test of the appendix "The claim ledger" on every row.

    Parameters
    ----------
    row : dict
        One ledger row (as returned by :func:`load_ledger`).
    record : dict or None
        The stored record of the gate the row names (a ``GateResult.record()``), or
        None if the chapter stores no gate of that name.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        Naming the row and saying what disagrees: a missing gate, a role or status the
        decision does not allow, a ``compares`` record whose tolerance is not half a
        unit of the source's printed figure, or a ``measured`` value that is not the
        record's.
    """
    from .gates import printed_half_unit

    if not isinstance(row, dict):
        raise TypeError(f"row must be a dict, got {type(row).__name__}")
    if record is not None and not isinstance(record, dict):
        raise TypeError(f"record must be a dict or None, got {type(record).__name__}")
    where = f"ledger row {row.get('id')}"
    if row.get("verdict") == "not testable":
        if row.get("gate"):
            raise ValueError(f"{where}: a 'not testable' row names no gate")
        if record is not None:
            raise ValueError(f"{where}: a 'not testable' row has no gate, so record must "
                             f"be None")
        return
    if record is None:
        raise ValueError(f"{where}: gate {row.get('gate')!r} is not in "
                         f"{row.get('chapter')}")
    decision = row.get("decision")
    if decision not in DECISIONS:
        raise ValueError(f"{where}: decision {decision!r} not in {tuple(DECISIONS)}")
    verdict, role, status = DECISIONS[decision]
    got = (row.get("verdict"), record.get("role"), record.get("status"))
    if got != (verdict, role, status):
        raise ValueError(f"{where}: decision {decision!r} needs verdict {verdict!r} from a "
                         f"{role!r} gate in state {status!r}; got verdict {got[0]!r}, "
                         f"role {got[1]!r}, state {got[2]!r}")
    if role == "compares":
        value, half = printed_half_unit(record.get("source", ""))
        if record.get("kind") != "source" or not math.isclose(record["tolerance"], half,
                                                               rel_tol=1e-3):
            raise ValueError(f"{where}: a comparison's tolerance must be half a unit of "
                             f"the source's printed figure {record.get('source')!r}")
        if row.get("measured"):
            # the row quotes ours to its own digits, the record the exact distance to 4
            # significant digits: they agree within those two roundings
            ours, ours_half = printed_half_unit(row["measured"])
            distance = abs(ours - value)
            if abs(distance - record["measured"]) > ours_half + 5e-4 * record["measured"]:
                raise ValueError(f"{where}: ours {row['measured']} is "
                                 f"{distance:.4g} from the source's {record['source']}, "
                                 f"but the record says {record['measured']}")
        return
    if record.get("bound"):
        # a last-bit figure: the record keeps only the bound it meets, and so does the row
        if row.get("measured") != record["bound"]:
            raise ValueError(f"{where}: ledger says {row.get('measured')!r}, the gate "
                             f"table shows the bound {record['bound']!r}")
    elif row.get("measured"):
        if not math.isclose(float(row["measured"]), record["measured"], rel_tol=1e-3):
            raise ValueError(f"{where}: ledger says {row['measured']}, gate table says "
                             f"{record['measured']}")


def summary(rows) -> dict[str, int]:
    """Number of rows per verdict, in the order of ``VERDICTS``.

    Used in the appendix "The claim ledger".

    Parameters
    ----------
    rows : list of dict
        Ledger rows, as returned by :func:`load_ledger_dir`.

    Returns
    -------
    dict of str to int
        Verdict -> number of rows.
    """
    rows = _rows(rows)
    return {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}


def _table(rows, cols, caption) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(r[c])}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return (f'<table class="umlib-ledger"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def ledger_html(rows, part: str | None = None) -> str:
    """The ledger (or one part of it) as an HTML table.

    Used in the appendix "The claim ledger".

    Parameters
    ----------
    rows : list of dict
        Ledger rows, as returned by :func:`load_ledger_dir`.
    part : str, optional
        Keep only the rows of this part (the ``part`` column); default all.

    Returns
    -------
    str
        An HTML ``<table>`` with a caption giving the row count.
    """
    if part is not None and not isinstance(part, str):
        raise TypeError(f"part must be a str or None, got {type(part).__name__}")
    cols = ("id", "source", "claim", "kind", "verdict", "decision", "measured", "chapter",
            "gate")
    rows = _rows(rows, cols + ("part",))
    sel = [r for r in rows if part is None or r["part"] == part]
    return _table(sel, cols, f"Claim ledger{'' if part is None else ', part ' + part}"
                  f" ({len(sel)} rows)")


def errata_html(rows) -> str:
    """The failing claims with their corrected statements, as an HTML table.

    Used in the appendix "Errata".

    Parameters
    ----------
    rows : list of dict
        Ledger rows, as returned by :func:`load_ledger_dir`.

    Returns
    -------
    str
        An HTML ``<table>`` of the rows with verdict ``fails``.
    """
    cols = ("id", "source", "claim", "correction", "chapter", "gate")
    rows = _rows(rows, cols + ("verdict",))
    sel = [r for r in rows if r["verdict"] == "fails"]
    return _table(sel, cols,
                  f"Errata ({len(sel)} claim{'' if len(sel) == 1 else 's'} that "
                  f"fail{'s' if len(sel) == 1 else ''})")


#: The ledger folder of the book this package sits in (``book/appendix/ledger``).
LEDGER_DIR = Path(__file__).resolve().parents[2] / "book" / "appendix" / "ledger"
_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>$|#~"})
_SAY = {"holds": "holds", "fails": "fails", "differs": "differs",
        "not testable": "not testable"}


class _SourceBox:
    """The box's Markdown (MyST) and plain-text forms; see :func:`source_box`."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def _repr_markdown_(self) -> str:
        items = []
        for r in self.rows:
            line = f"- **{_SAY[r['verdict']]}** · {r['claim'].translate(_ESCAPE)}"
            if r["verdict"] == "fails":
                line += (f" — *corrected:* {r['correction'].translate(_ESCAPE)} "
                         f"({{doc}}`erratum {r['id']} </book/appendix/errata>`)")
            elif r["verdict"] == "not testable":
                line += f" ({r['decision']})"
            items.append(line)
        return ("```{admonition} What the source says\n:class: note\n\n"
                + "\n".join(items) + "\n```\n")

    def __repr__(self) -> str:
        lines = ["What the source says"]
        for r in self.rows:
            extra = (f" — corrected: {r['correction']} (erratum {r['id']})"
                     if r["verdict"] == "fails" else
                     f" ({r['decision']})" if r["verdict"] == "not testable" else "")
            lines.append(f"- {r['verdict']}: {r['claim']}{extra}")
        return "\n".join(lines)


def source_box(chapter: str, folder=None):
    """The box "What the source says" that closes a chapter, from its ledger rows.

    One line per row of the chapter's ledger file, in the ledger's order: the verdict
    (holds, fails, differs, not testable), the claim as the source words it, and for a
    failing claim its corrected statement with a link to the appendix "Errata". The
    object renders as a MyST admonition (give the cell the metadata
    ``"mystnb": {"markdown_format": "myst"}`` so the link resolves, in HTML and PDF)
    and as plain text elsewhere.

    Used in every chapter written to the book's reading conventions (Part III, "Face A,
    the guess" onwards).

    Parameters
    ----------
    chapter : str
        The chapter as the ledger names it, ``"part3/02-face-a"``; its file is
        ``part3-02-face-a.csv``.
    folder : str or os.PathLike, optional
        The ledger folder; default the book's ``book/appendix/ledger``.

    Returns
    -------
    object
        Displayed by Jupyter as the box (``_repr_markdown_``); ``repr`` is plain text.

    Raises
    ------
    ValueError
        If the chapter has no ledger file or the file has no rows.
    """
    if not isinstance(chapter, str) or not chapter or "/" not in chapter:
        raise ValueError(f"chapter must be a string like 'part3/02-face-a', got {chapter!r}")
    folder = _path("folder", LEDGER_DIR if folder is None else folder, "folder")
    path = folder / f"{chapter.replace('/', '-')}.csv"
    if not path.is_file():
        raise ValueError(f"chapter {chapter!r} has no ledger file {path.name} in {folder}")
    rows = load_ledger(path)
    if not rows:
        raise ValueError(f"chapter {chapter!r}: its ledger file {path.name} has no rows")
    return _SourceBox(rows)
