"""The claim ledger agrees with the chapters' stored gate tables (which nbval keeps current)."""

from pathlib import Path

import nbformat
import pytest

from umlib.book import gates
from umlib.book.ledger import DECISIONS, check_row, load_ledger_dir
from umlib.book import records

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"


def chapter_gates(chapter: str) -> dict[str, dict]:
    """Gate records stored in the last gate-table output of book/<chapter>.ipynb."""
    nb = nbformat.read(BOOK / f"{chapter}.ipynb", as_version=4)
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            payload = out.get("data", {}).get(records.MIME_TYPE)
            if payload:
                found = {g["name"]: g for g in payload["gates"]}
    return found


ROWS = load_ledger_dir(BOOK / "appendix" / "ledger")


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_row_agrees_with_its_gate(row):
    """The verdict is what the gate's stored record decides (see umlib.book.ledger)."""
    if row["verdict"] == "not testable":
        check_row(row, None)
        return
    recs = chapter_gates(row["chapter"])
    assert recs, f"{row['chapter']} stores no gate table"
    check_row(row, recs.get(row["gate"]))


def test_every_chapter_has_ledger_rows_and_a_gate_table():
    chapters = {r["chapter"] for r in ROWS if r["chapter"]}
    for nb in sorted(BOOK.glob("part*/*.ipynb")):
        rel = nb.relative_to(BOOK).with_suffix("").as_posix()
        assert rel in chapters, f"{rel} has no ledger rows"
        assert chapter_gates(rel), f"{rel} stores no gate table"


def test_ledger_rejects_inconsistent_rows(tmp_path):
    from umlib.book.ledger import COLUMNS, load_ledger
    good = ",".join(COLUMNS) + "\n" + "X-1,III,src,claim,identity,holds,confirms,0,part3/x,g,\n"
    (tmp_path / "a.csv").write_text(good)
    assert load_ledger(tmp_path / "a.csv")[0]["id"] == "X-1"
    for bad, match in [("X-1,III,src,claim,identity,fails,refutes,0,part3/x,g,\n", "corrected"),
                       ("X-1,III,src,claim,opinion,holds,confirms,0,part3/x,g,\n", "kind"),
                       ("X-1,III,src,claim,identity,holds,confirms,0,,,\n", "names its chapter"),
                       ("X-1,III,src,claim,history,not testable,history,,part3/x,g,\n",
                        "no gate"),
                       ("X-1,III,src,claim,history,not testable,unclear,,,,\n", "reason"),
                       ("X-1,III,src,claim,identity,holds,refutes,0,part3/x,g,\n",
                        "gives the verdict"),
                       ("X-1,III,src,claim,identity,holds,guess,0,part3/x,g,\n", "decision")]:
        (tmp_path / "b.csv").write_text(",".join(COLUMNS) + "\n" + bad)
        with pytest.raises(ValueError, match=match):
            load_ledger(tmp_path / "b.csv")


def _misrecorded(row, record):
    """Every way of recording this row otherwise than as its gate decides it."""
    for decision, (verdict, _, _) in DECISIONS.items():
        if decision != row["decision"]:
            yield {**row, "decision": decision, "verdict": verdict}


def test_a_misrecorded_row_is_rejected():
    """Negative control: each real row, with its verdict and decision changed to any other
    pair the ledger allows, is rejected against its own gate's record."""
    tested = [r for r in ROWS if r["verdict"] != "not testable"]
    assert {r["decision"] for r in tested} >= {"confirms", "refutes"}
    rejected = 0
    for row in tested:
        record = chapter_gates(row["chapter"]).get(row["gate"])
        for wrong in _misrecorded(row, record):
            with pytest.raises(ValueError, match="decision"):
                check_row(wrong, record)
            rejected += 1
    assert rejected == (len(DECISIONS) - 1) * len(tested)


def test_a_comparison_must_be_at_the_printed_precision():
    """Negative control: a comparison record whose tolerance is not half a unit of the
    source's printed figure (a hand-set bound) is rejected, and so is a wrong 'measured'."""
    row = {"id": "X-1", "verdict": "differs", "decision": "differs", "measured": "553",
           "chapter": "part1/x", "gate": "g"}
    good = {"name": "g", "kind": "source", "role": "compares", "status": "differs",
            "tolerance": 0.5, "measured": 431.0, "source": "984"}
    check_row(row, good)
    with pytest.raises(ValueError, match="half a unit"):
        check_row(row, {**good, "tolerance": 1024.0})
    with pytest.raises(ValueError, match="record says"):
        check_row({**row, "measured": "600"}, good)
    with pytest.raises(ValueError, match="decision"):
        check_row({**row, "verdict": "holds", "decision": "agrees"}, good)
    with pytest.raises(ValueError, match="not in"):
        check_row(row, None)
