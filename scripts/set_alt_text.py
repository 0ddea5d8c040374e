"""Give every figure in the book's notebooks alt text (cell metadata mystnb.image.alt).

Usage: python scripts/set_alt_text.py [NOTEBOOK ...]   (default: every notebook in book/)

For each code cell that outputs an image and has no alt text yet, the text is
taken from a comment line ``# alt: ...`` in the cell if there is one, and
otherwise composed from the figure's own titles and axis labels as written in
the cell (``suptitle``, ``set_title``, ``set_xlabel``, ``set_ylabel``).  A cell
with neither is reported and left for a person to describe; the test suite
(tests/whole_book/test_notebooks.py) fails while any figure lacks alt text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CALL = re.compile(r"""(suptitle|set_title|set_xlabel|set_ylabel)\(\s*[rf]*(["'])(.*?)\2""")


def _plain(tex: str) -> str:
    s = re.sub(r"\{[^{}]*:[^{}]*\}|\{[a-zA-Z_][a-zA-Z0-9_.\[\]]*\}", "…", tex)  # f-string fields
    s = s.replace("$", "").replace("\\mathrm", "").replace("\\", "")
    return re.sub(r"\s+", " ", s).strip()


def describe(source: str) -> str | None:
    for line in source.splitlines():
        m = re.match(r"\s*#\s*alt:\s*(.+)", line)
        if m:
            return m.group(1).strip()
    found: dict[str, list[str]] = {}
    for kind, _, text in CALL.findall(source):
        found.setdefault(kind, []).append(_plain(text))
    titles = found.get("suptitle", []) + found.get("set_title", [])
    if not titles and not found:
        return None
    parts = []
    if titles:
        parts.append("Figure: " + "; ".join(dict.fromkeys(titles)) + ".")
    else:
        parts.append("Figure.")
    if found.get("set_xlabel"):
        parts.append("Horizontal axis: " + ", ".join(dict.fromkeys(found["set_xlabel"])) + ".")
    if found.get("set_ylabel"):
        parts.append("Vertical axis: " + ", ".join(dict.fromkeys(found["set_ylabel"])) + ".")
    return " ".join(parts)


def has_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
               for o in cell.get("outputs", []))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "book").rglob("*.ipynb"))
    missing = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = False
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not has_image(cell):
                continue
            image = cell.metadata.setdefault("mystnb", {}).setdefault("image", {})
            if image.get("alt"):
                continue
            alt = describe(cell.source)
            if alt is None:
                print(f"{path.relative_to(ROOT)} cell {i}: no title or '# alt:' line; describe it")
                missing += 1
                if not image:
                    del cell.metadata["mystnb"]["image"]
                if not cell.metadata["mystnb"]:
                    del cell.metadata["mystnb"]
                continue
            image["alt"] = alt
            changed = True
        if changed:
            nbformat.write(nb, path)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
