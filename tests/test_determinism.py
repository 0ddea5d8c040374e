"""Executing a notebook again reproduces its committed file byte for byte.

nbval compares the text of the outputs (after sanitising); this test is
stricter: the whole file, figures included, must be identical.  The notebooks
run in reverse order, so no output can depend on the order the suite runs in.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("execute_notebooks",
                                              ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_notebooks)

NOTEBOOKS = sorted((p for p in (ROOT / "book").rglob("*.ipynb")
                    if ".ipynb_checkpoints" not in p.parts), reverse=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_reexecution_is_byte_identical(path):
    nb, _ = execute_notebooks.run(path)
    fresh = nbformat.writes(nb) + "\n"   # nbformat.write ends the file with a newline
    stored = path.read_text(encoding="utf-8")
    if fresh != stored:
        import difflib
        diff = "".join(list(difflib.unified_diff(stored.splitlines(True), fresh.splitlines(True),
                                                 "stored", "re-executed", n=1))[:60])
        pytest.fail(f"{path.name} changed on re-execution:\n{diff}")
