"""Conventions every chapter notebook keeps (cheap checks on the stored files)."""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
CHAPTERS = [p for p in NOTEBOOKS if p.parent.name.startswith("part")]
IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_figures_have_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        has_image = any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if has_image:
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert alt.strip(), f"cell {i} shows a figure without alt text " \
                                "(python scripts/set_alt_text.py)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_executed_and_quiet(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code and any(c.get("outputs") for c in code), "notebook stored without outputs"
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"cell {i} stored an error"
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                pytest.fail(f"cell {i} wrote to stderr (a warning?): {out.get('text', '')[:200]}")


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.relative_to(ROOT).as_posix() for p in CHAPTERS])
def test_chapter_ends_with_its_gate_table(path):
    nb = nbformat.read(path, as_version=4)
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert "assert_all()" in last.source, "the last cell shows the chapter's gate table"
    assert any("application/vnd.umlib.gates+json" in o.get("data", {}) for o in last.outputs)
