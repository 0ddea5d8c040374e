"""The claim ledger: one row per checkable statement of a source document.

The ledger is a folder of CSV files, one per chapter (``book/appendix/ledger/``).  Each row names the
gate that decides it; ``tests/whole_book/test_ledger.py`` checks that every named gate
exists in the named chapter's stored outputs and that its role agrees with
the verdict:

* verdict ``holds``: the gate has role ``check`` (it passes) or ``control``
  (a negative control that fails, as the claim says it should);
* ``differs``: role ``check``, our measurement beside the source's figure;
* ``fails``: role ``refutes``, the source's statement run and failing, with
  the corrected statement in the ``correction`` column;
* ``not testable``: no gate.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

__all__ = ["COLUMNS", "KINDS", "VERDICTS", "ALLOWED_ROLES", "load_ledger", "load_ledger_dir",
           "summary", "ledger_html", "errata_html"]

COLUMNS = ("id", "part", "source", "claim", "kind", "verdict", "measured", "chapter", "gate",
           "correction")
KINDS = ("identity", "measurement", "unreproducible", "interpretation", "history")
VERDICTS = ("holds", "fails", "differs", "not testable")
ALLOWED_ROLES = {"holds": {"check", "control"}, "differs": {"check"}, "fails": {"refutes"},
                 "not testable": set()}


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
    path = Path(path)
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
        elif not (r["gate"] and r["chapter"]):
            raise ValueError(f"{where}: a tested row names its chapter and gate")
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
    folder = Path(folder)
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
    sel = [r for r in rows if part is None or r["part"] == part]
    cols = ("id", "source", "claim", "kind", "verdict", "measured", "chapter", "gate")
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
    sel = [r for r in rows if r["verdict"] == "fails"]
    return _table(sel, ("id", "source", "claim", "correction", "chapter", "gate"),
                  f"Errata ({len(sel)} claim{'' if len(sel) == 1 else 's'} that "
                  f"fail{'s' if len(sel) == 1 else ''})")
