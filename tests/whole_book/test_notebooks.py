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


# -- stored exactly as Jupyter saves them ------------------------------------------------
# Opening a chapter in JupyterLab and saving it must change no byte: the browser reads the
# notebook with JSON.parse and writes it with JSON.stringify, Jupyter's server writes it
# with nbformat.  scripts/execute_notebooks.py stores every notebook that way.

import importlib.util  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

_spec = importlib.util.spec_from_file_location("execute_notebooks",
                                               ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(execute_notebooks)
NODE = shutil.which("node")


def _through_javascript(text: str) -> str:
    """``JSON.stringify(JSON.parse(text))`` in a real JavaScript engine (node)."""
    proc = subprocess.run([NODE, "-e", "let s='';process.stdin.on('data',d=>s+=d);"
                           "process.stdin.on('end',()=>process.stdout.write("
                           "JSON.stringify(JSON.parse(s))))"],
                          input=text, capture_output=True, text=True, check=True)
    return proc.stdout


def _browser_round_trip(text: str) -> str:
    """A notebook opened in JupyterLab (kernel started) and saved by Jupyter's server."""
    if NODE is None:
        return execute_notebooks.as_jupyter_saves(text)
    nb = json.loads(_through_javascript(text))
    nb["metadata"]["kernelspec"] = dict(execute_notebooks.KERNELSPEC)
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_as_jupyter_saves_it(path):
    text = path.read_text(encoding="utf-8")
    assert _browser_round_trip(text) == text, (
        "opening and saving this notebook in JupyterLab would rewrite it: "
        "python scripts/execute_notebooks.py --store-only " + path.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("path", NOTEBOOKS[:3], ids=IDS[:3])
def test_jupyter_server_saves_it_unchanged(path, tmp_path):
    """Jupyter's own read/write path (the contents manager a server uses) keeps every byte."""
    from jupyter_server.services.contents.filemanager import FileContentsManager

    copy = tmp_path / path.name
    shutil.copy2(path, copy)
    manager = FileContentsManager(root_dir=str(tmp_path))
    model = manager.get(path.name, content=True, type="notebook")
    manager.save({"type": "notebook", "format": "json", "content": model["content"]},
                 path.name)
    assert copy.read_bytes() == path.read_bytes()


def test_round_trip_check_sees_a_rewrite():
    """Negative control: the forms Jupyter rewrites are caught (0.0, an old kernel name,
    an integer beyond 2**53)."""
    text = (ROOT / "book" / "part3" / "01-one-dial.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    for change in ({"x": 0.0}, {"x": 2 ** 63}):
        bad = json.loads(text)
        bad["metadata"].update(change)
        bad_text = nbformat.writes(nbformat.from_dict(bad)) + "\n"
        assert _browser_round_trip(bad_text) != bad_text, change
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3"
    old = nbformat.writes(nbformat.from_dict(nb)) + "\n"
    assert _browser_round_trip(old) != old


@pytest.mark.skipif(NODE is None, reason="node not installed")
def test_emulation_matches_javascript():
    """as_jupyter_saves (used where no node is installed) agrees with a real engine."""
    values = [0.0, -0.0, 1.5, 3, 2 ** 53 + 1, 2 ** 63, -(2 ** 60), 1e20, 1e21, 1e22, 5e-324,
              0.1, 123456789012345680.0, True, None, "0.0"]
    text = json.dumps({"cells": [], "metadata": {"v": values}, "nbformat": 4,
                       "nbformat_minor": 5})
    expected = json.loads(_through_javascript(text))["metadata"]["v"]
    got = json.loads(execute_notebooks.as_jupyter_saves(text))["metadata"]["v"]
    assert got == expected and [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_widget_view_is_in_the_saved_state(path):
    """A dial's stored output names a widget model; the static page can only draw it if
    the notebook's saved widget state holds that model."""
    nb = nbformat.read(path, as_version=4)
    state = nb.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    views = [out["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
             for cell in nb.cells for out in cell.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    missing = [v for v in views if v not in state]
    assert not missing, f"widget views without saved state: {missing}"
