"""Determinism: the checks of ``nbdeterminism`` (one item per notebook) can fail.

Every notebook's second execution is an item of nbval's run itself,
``<notebook>::determinism`` (see ``tests/whole_book/nbdeterminism.py`` and
``conftest.py``).  Here: the canonical record sees what it must see and ignores only
what it must ignore, and the whole mechanism, run by pytest on notebooks made for
the purpose, passes a seeded notebook and fails an unseeded one.
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
nbdeterminism = sys.modules["umbook_nbdeterminism"]


def _msg(kind, content, parent="p1", buffers=None):
    return {"msg_type": kind, "content": content, "parent_header": {"msg_id": parent},
            "buffers": buffers or []}


def test_the_record_ignores_stream_chunking_and_random_ids():
    a = [("cell", 0), _msg("stream", {"name": "stdout", "text": "ab"}),
         _msg("stream", {"name": "stdout", "text": "c\n"}),
         _msg("comm_open", {"comm_id": "0f2c7a1e4b5d4c3a9e8f7a6b5c4d3e2f", "data": {"v": 1}}),
         _msg("status", {"execution_state": "idle"})]
    b = [("cell", 0), _msg("stream", {"name": "stdout", "text": "a"}),
         _msg("stream", {"name": "stdout", "text": "bc\n"}),
         _msg("comm_open", {"comm_id": "9a8b7c6d5e4f40312233445566778899", "data": {"v": 1}})]
    assert nbdeterminism.canonical(a) == nbdeterminism.canonical(b)


def test_the_record_sees_a_changed_output_figure_or_widget_value():
    base = [("cell", 0), _msg("stream", {"name": "stdout", "text": "x = 1\n"}),
            _msg("display_data", {"data": {"image/png": "AAAA"}, "metadata": {}}),
            _msg("comm_msg", {"comm_id": "0f2c7a1e4b5d4c3a9e8f7a6b5c4d3e2f",
                              "data": {"state": {"value": 0.5}}}, buffers=[b"\x00\x01"])]
    ref = nbdeterminism.canonical(base)
    changes = {
        "text": (1, _msg("stream", {"name": "stdout", "text": "x = 2\n"})),
        "figure": (2, _msg("display_data", {"data": {"image/png": "AAAB"}, "metadata": {}})),
        "widget value": (3, _msg("comm_msg", {"comm_id": "0f2c7a1e4b5d4c3a9e8f7a6b5c4d3e2f",
                                              "data": {"state": {"value": 0.25}}},
                                 buffers=[b"\x00\x01"])),
        "buffer": (3, _msg("comm_msg", {"comm_id": "0f2c7a1e4b5d4c3a9e8f7a6b5c4d3e2f",
                                        "data": {"state": {"value": 0.5}}},
                           buffers=[b"\x00\x02"])),
        "cell boundary": (1, ("cell", 1)),
    }
    for label, (i, replacement) in changes.items():
        changed = list(base)
        changed[i] = replacement
        assert nbdeterminism.canonical(changed) != ref, label


def _notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


CONFTEST = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "umbook_nbdeterminism", {str(ROOT / "tests" / "whole_book" / "nbdeterminism.py")!r})
mod = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = mod
spec.loader.exec_module(mod)
mod.install()

def pytest_collection_modifyitems(config, items):
    mod.add_items(items)
"""


def test_an_unseeded_notebook_fails_and_a_seeded_one_passes(pytester):
    """Negative control, end to end: nbval-lax runs both notebooks (their outputs are
    not stored, so only the determinism items can fail)."""
    pytester.makeconftest(CONFTEST)
    _notebook(pytester.path / "unseeded.ipynb",
              "import numpy as np\nprint(np.random.default_rng().random())")
    _notebook(pytester.path / "seeded.ipynb",
              "import numpy as np\nprint(np.random.default_rng(7).random())")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist",
                                           "--nbval-lax", "--nbval-current-env", "-v")
    result.stdout.fnmatch_lines(["seeded*::determinism PASSED*",
                                 "unseeded*::determinism FAILED*",
                                 "*unseeded.ipynb differs between two executions*"])
    result.assert_outcomes(passed=3, failed=1)
