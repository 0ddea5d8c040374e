"""Determinism: two executions of a notebook on one machine give identical files.

What "the same" means depends on where it is measured:

- on one machine, executing a notebook twice must give byte-identical files,
  figures included (this file): nothing may depend on the clock, on random
  state left unseeded, on dictionary or set order, or on the order in which
  the suite runs the notebooks (the first execution runs in reverse order);
- between machines, the last bits of ``exp``, ``log``, sums and matrix products
  differ (numpy's SIMD kernels and the BLAS kernel are chosen for the CPU), so
  an execution anywhere must agree with the stored file *as nbval compares it*
  (text outputs and gate records; image bytes are not compared).  The suite's
  nbval run checks that on the reader's machine, and CI runs nbval a second
  time with numpy's SIMD dispatch switched down (``NPY_DISABLE_CPU_FEATURES``).
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("execute_notebooks",
                                              ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_notebooks)

NOTEBOOKS = sorted((p for p in (ROOT / "book").rglob("*.ipynb")
                    if ".ipynb_checkpoints" not in p.parts), reverse=True)


def _first_difference(a: str, b: str) -> str:
    import difflib
    return "".join(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                             "first", "second", n=1))[:60])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_two_executions_on_one_machine_are_byte_identical(path):
    first = nbformat.writes(execute_notebooks.run(path)[0])
    second = nbformat.writes(execute_notebooks.run(path)[0])
    if first != second:
        pytest.fail(f"{path.name} differs between two executions:\n"
                    f"{_first_difference(first, second)}")


def test_an_unseeded_notebook_is_caught(tmp_path):
    """Negative control: a notebook that prints unseeded random numbers differs between
    two executions, and the comparison above sees it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nnp.random.default_rng().random()")]
    path = tmp_path / "unseeded.ipynb"
    nbformat.write(nb, path)
    first = nbformat.writes(execute_notebooks.run(path)[0])
    second = nbformat.writes(execute_notebooks.run(path)[0])
    assert first != second and _first_difference(first, second)
