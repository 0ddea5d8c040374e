"""The claim ledger agrees with the chapters' stored gate tables (which nbval keeps current)."""

from pathlib import Path

import nbformat
import pytest

from umlib.book import gates
from umlib.book.ledger import ALLOWED_ROLES, load_ledger_dir
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
    if row["verdict"] == "not testable":
        return
    recs = chapter_gates(row["chapter"])
    assert recs, f"{row['chapter']} stores no gate table"
    assert row["gate"] in recs, f"gate {row['gate']!r} not in {row['chapter']}"
    g = recs[row["gate"]]
    assert g["role"] in ALLOWED_ROLES[row["verdict"]], (
        f"verdict {row['verdict']} needs a gate with role in {ALLOWED_ROLES[row['verdict']]}, "
        f"got {g['role']}")
    assert g["status"] in ("pass", "failed as expected")
    if g.get("bound"):
        # a last-bit figure: the record keeps only the bound it meets, and so does the row
        assert row["measured"] == g["bound"], (
            f"ledger says {row['measured']!r}, gate table shows the bound {g['bound']!r}")
    elif row["measured"]:
        assert float(row["measured"]) == pytest.approx(g["measured"], rel=1e-3, abs=0), (
            f"ledger says {row['measured']}, gate table says {g['measured']}")


def test_every_chapter_has_ledger_rows_and_a_gate_table():
    chapters = {r["chapter"] for r in ROWS if r["chapter"]}
    for nb in sorted(BOOK.glob("part*/*.ipynb")):
        rel = nb.relative_to(BOOK).with_suffix("").as_posix()
        assert rel in chapters, f"{rel} has no ledger rows"
        assert chapter_gates(rel), f"{rel} stores no gate table"


def test_ledger_rejects_inconsistent_rows(tmp_path):
    from umlib.book.ledger import COLUMNS, load_ledger
    good = ",".join(COLUMNS) + "\n" + "X-1,III,src,claim,identity,holds,0,part3/x,g,\n"
    (tmp_path / "a.csv").write_text(good)
    assert load_ledger(tmp_path / "a.csv")[0]["id"] == "X-1"
    for bad, match in [("X-1,III,src,claim,identity,fails,0,part3/x,g,\n", "corrected"),
                       ("X-1,III,src,claim,opinion,holds,0,part3/x,g,\n", "kind"),
                       ("X-1,III,src,claim,identity,holds,0,,,\n", "names its chapter"),
                       ("X-1,III,src,claim,history,not testable,,part3/x,g,\n", "no gate")]:
        (tmp_path / "b.csv").write_text(",".join(COLUMNS) + "\n" + bad)
        with pytest.raises(ValueError, match=match):
            load_ledger(tmp_path / "b.csv")


def test_gate_lookup_detects_a_wrong_role():
    """Negative control for this file: a 'holds' verdict on a refutation gate is rejected."""
    refuting = [g for ch in {r["chapter"] for r in ROWS if r["chapter"]}
                for g in chapter_gates(ch).values() if g["role"] == "refutes"]
    controls = [g for ch in {r["chapter"] for r in ROWS if r["chapter"]}
                for g in chapter_gates(ch).values() if g["role"] == "control"]
    assert controls, "the chapters run no negative controls"
    for g in refuting + controls:
        assert g["role"] not in ALLOWED_ROLES["differs"]
