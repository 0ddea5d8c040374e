"""Re-execute notebooks in place so that their stored outputs are current.

Usage: python scripts/execute_notebooks.py [--store-only] [NOTEBOOK ...]
With no arguments every notebook under book/ is executed.  Outputs are
what nbval compares against, so run this after changing a chapter or umlib,
then review the diff.  Execution timestamps are not recorded, so executing
twice leaves the files byte-identical.

Every notebook is written exactly as Jupyter itself would save it
(:func:`as_jupyter_saves`), so that opening a chapter in JupyterLab and saving
it changes no byte.  ``--store-only`` applies that without executing.
"""

from __future__ import annotations

import json
import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path, timeout: int = 600) -> float:
    """Execute ``path`` in place; return the seconds it took."""
    nb, elapsed = run(path, timeout)
    path.write_text(as_jupyter_saves(nbformat.writes(nb)), encoding="utf-8")
    return elapsed


#: The kernelspec a notebook names; display_name is what ipykernel installs, which
#: JupyterLab writes back into the notebook when it starts the kernel.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python",
              "name": "python3"}


def _js_number(x):
    """A JSON number as it comes back after a trip through a browser's JavaScript.

    JupyterLab parses a notebook with ``JSON.parse`` (every number becomes an IEEE
    double) and saves it with ``JSON.stringify``, which writes a whole double below
    1e21 without a decimal point: ``0.0`` comes back as ``0``, and an integer beyond
    2**53 comes back rounded to the nearest double, written out in digits.
    """
    if isinstance(x, bool):
        return x
    if isinstance(x, float):
        return int(x) if x.is_integer() and abs(x) < 1e21 else x
    if isinstance(x, int) and abs(x) > 2 ** 53:
        d = float(x)
        if abs(d) < 1e21:
            from decimal import Decimal
            return int(Decimal(repr(d)))   # JavaScript prints the shortest digits, then zeros
        return d
    return x


def _walk(obj):
    if isinstance(obj, dict):
        return {k: _walk(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v) for v in obj]
    return _js_number(obj)


def as_jupyter_saves(text: str) -> str:
    """The notebook ``text`` as JupyterLab would save it after opening it.

    Numbers take their JavaScript round trip (:func:`_js_number`), the kernelspec is
    the installed kernel's, and the file is written the way Jupyter's server writes
    it (``nbformat.writes``: one-space indent, sorted keys, UTF-8, final newline).
    """
    nb = _walk(json.loads(text))
    nb.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    out = nbformat.writes(nbformat.from_dict(nb))
    return out if out.endswith("\n") else out + "\n"


def run(path: Path, timeout: int = 600):
    """Execute the notebook at ``path`` (in its own folder) and return it with the time taken.

    The returned notebook is what :func:`execute` would write: widget ids made
    stable and no timing metadata.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=True)
    t0 = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - t0
    if not _widget_state(nb):
        nb.metadata.pop("widgets", None)
    nb = _stable_widget_ids(nb, path.stem)
    _coalesce_streams(nb)
    return nb, elapsed


def _coalesce_streams(nb) -> None:
    """Join consecutive stream outputs of the same name (stdout, stderr) in place.

    How a cell's printed text is cut into messages depends on when the kernel
    flushes, which depends on the machine's load; joined, the text is the same
    on every run.
    """
    for cell in nb.cells:
        outs = cell.get("outputs")
        if not outs:
            continue
        joined = []
        for out in outs:
            if (out.get("output_type") == "stream" and joined
                    and joined[-1].get("output_type") == "stream"
                    and joined[-1].get("name") == out.get("name")):
                joined[-1]["text"] += out["text"]
            else:
                joined.append(out)
        cell.outputs = joined


def _widget_state(nb) -> dict:
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return state.get("state") or {}


def _stable_widget_ids(nb, name: str):
    """Rename the random widget model ids to ids fixed by order of creation.

    ipywidgets gives every model a random UUID, which would make each
    execution differ from the last.  The saved state lists the models in
    creation order; each id is replaced everywhere (state, references of the
    form IPY_MODEL_<id>, and the widget-view outputs) by a name-based UUID of
    the notebook and that position, so executing twice gives identical files.
    """
    ids = list(_widget_state(nb))
    if not ids:
        return nb
    text = json.dumps(nb, sort_keys=True)
    mapping = {old: uuid.uuid5(uuid.NAMESPACE_URL, f"umbook/{name}/{i}").hex
               for i, old in enumerate(ids)}
    text = re.sub("|".join(map(re.escape, mapping)), lambda m: mapping[m.group(0)], text)
    return nbformat.from_dict(json.loads(text))


def main(argv: list[str]) -> int:
    store_only = "--store-only" in argv
    argv = [a for a in argv if a != "--store-only"]
    paths = [Path(a).resolve() for a in argv] or sorted(
        p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if store_only:
        for p in paths:
            text = p.read_text(encoding="utf-8")
            saved = as_jupyter_saves(text)
            if saved != text:
                p.write_text(saved, encoding="utf-8")
                print(f"{p.relative_to(ROOT)}: rewritten as Jupyter saves it")
        return 0
    for p in paths:
        dt = execute(p)
        print(f"{p.relative_to(ROOT)}: {dt:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
