"""Every chapter notebook computes its Boltzmann weights, softmaxes and log-partitions
through :mod:`umlib.core.thermo` (the one Z), never through scipy.special's ``softmax``,
``log_softmax`` or ``logsumexp``.

The scan reads the stored code cells of every notebook under book/part*/.  It was first
written for Part I's chapters when they were routed through umlib.core.thermo (it then
lived in tests/text/test_one_z_routes.py and listed the chapters by name); it now finds
the chapters itself, so a new chapter is scanned without being added here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p for p in (ROOT / "book").glob("part*/*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)
IDS = [p.relative_to(ROOT / "book").as_posix() for p in CHAPTERS]
SCIPY_NAMES = ("softmax", "log_softmax", "logsumexp")


def scipy_special_uses(code: str) -> list[str]:
    """The scipy.special softmax/log_softmax/logsumexp that ``code`` imports or calls."""
    found = []
    # from scipy.special import a, b as c   (also in parentheses over several lines)
    for m in re.finditer(r"^[ \t]*from[ \t]+scipy\.special[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)",
                         code, re.M):
        for name in m.group(1).strip("()").replace("\\\n", " ").split(","):
            name = name.split(" as ")[0].strip()
            if name in SCIPY_NAMES or name == "*":
                found.append(f"from scipy.special import {name}")
    # the module under any name: scipy.special, import scipy.special as sp, from scipy import special
    aliases = {"scipy.special"}
    aliases.update(re.findall(r"^[ \t]*import[ \t]+scipy\.special[ \t]+as[ \t]+(\w+)", code, re.M))
    for m in re.finditer(r"^[ \t]*from[ \t]+scipy[ \t]+import[ \t]+([^\n#]*)", code, re.M):
        for name in m.group(1).strip("()").split(","):
            parts = name.split(" as ")
            if parts[0].strip() == "special":
                aliases.add((parts[1] if len(parts) > 1 else "special").strip())
    for alias in aliases:
        found += [f"{alias}.{n}" for n in
                  re.findall(rf"(?<![\w.]){re.escape(alias)}\.({'|'.join(SCIPY_NAMES)})\b", code)]
    return found


def _code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def test_every_chapter_is_scanned():
    assert len(CHAPTERS) >= 30
    assert "part1/09-boltzmann.ipynb" in IDS and "part1/01-microstates.ipynb" in IDS


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_code_cells_do_not_use_scipy_softmax_or_logsumexp(path):
    uses = scipy_special_uses(_code(path))
    assert not uses, f"use umlib.core.thermo instead of {uses}"


def test_the_scan_can_fail():
    """Negative control: each way of reaching scipy.special's functions is found, and the
    library's own thermo.softmax and scipy.special's other functions are not."""
    assert scipy_special_uses("from scipy.special import expit, logsumexp, softmax") == [
        "from scipy.special import logsumexp", "from scipy.special import softmax"]
    assert scipy_special_uses("from scipy.special import (expit,\n    log_softmax)") == [
        "from scipy.special import log_softmax"]
    assert scipy_special_uses("import scipy.special as sp\nP = sp.softmax(A)") == ["sp.softmax"]
    assert scipy_special_uses("from scipy import special\nspecial.logsumexp(x)") == [
        "special.logsumexp"]
    assert scipy_special_uses("import scipy\nscipy.special.softmax(x)") == ["scipy.special.softmax"]
    assert scipy_special_uses("from scipy.special import expit, gammainc\n"
                              "p = thermo.softmax(z, 1.0)\nq = thermo.log_softmax(z, 1.0)") == []
