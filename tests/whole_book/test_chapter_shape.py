"""Every chapter that has adopted the book's reading conventions keeps their measurable
shape.

A chapter adopts them with the notebook metadata ``"umbook": {"shape": "teach-first"}``.
It must then have:

* an overview ("In this chapter you will ...");
* 2 or 3 exercises, each with a solution, the solutions holding executed code cells, and
  at least one solution checking a numeric answer with a gate (``check_answer``);
* its gate table (the output carrying the gate records) collapsed (``hide-output``);
* no stray gate repr (a cell whose result is ``pass: ...``) anywhere;
* a median paragraph under 35 words and a median code cell under 8 lines;
* at least 80 % of its code cells after the first (the setup) visibly showing something
  (printed text, a figure, a table, Markdown), or hidden as bookkeeping (``hide-input``);
* no code line over 80 characters;
* the box "What the source says" after the last exercise and before the gate table.

The measurements are written here. The negative controls at the end build a chapter that
passes and break it one rule at a time: each broken chapter must be rejected for that rule.
"""

from __future__ import annotations

import copy
import re
import statistics
from pathlib import Path

import nbformat
import pytest

from umlib.book.records import MIME_TYPE

BOOK = Path(__file__).resolve().parents[2] / "book"
ADOPTED = "teach-first"
MAX_PARAGRAPH_WORDS = 35          # median, exclusive
MAX_CELL_LINES = 8                # median, exclusive
MIN_VISIBLE = 0.8
MAX_LINE = 80
_GATE_REPR = re.compile(r"^'?(pass|FAIL|failed as expected|agrees|differs|PASSED)[: ]")
_EXERCISE = re.compile(r"^[:`]{3,}\{exercise(?:-start)?\}", re.M)
_SOLUTION_START = re.compile(r"^[:`]{3,}\{solution-start\}", re.M)
_SOLUTION_END = re.compile(r"^[:`]{3,}\{solution-end\}", re.M)
_SOLUTION_INLINE = re.compile(r"^[:`]{3,}\{solution\}", re.M)


def _src(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def paragraph_words(markdown: str) -> list[int]:
    """Word counts of the prose paragraphs (not headings, directives, math, lists)."""
    text = re.sub(r"```.*?```|\$\$.*?\$\$", " ", markdown, flags=re.S)
    # directive fences: drop their option lines and fences, keep their prose body
    lines = [ln for ln in text.splitlines()
             if not re.match(r"\s*(:::|:[a-z-]+:|\(.*\)=\s*$)", ln)]
    paras = re.split(r"\n\s*\n", "\n".join(lines))
    skip = ("#", "|", "- ", "* ", "1. ", "{")
    return [len(p.split()) for p in paras if p.strip() and not p.lstrip().startswith(skip)]


def _visible(cell) -> bool:
    if _tags(cell) & {"hide-input", "remove-input", "remove-cell"}:
        return True
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and "".join(out.get("text", "")).strip():
            return True
        data = out.get("data", {})
        if any(k in data for k in ("image/png", "image/svg+xml", "text/html",
                                   "text/markdown")):
            return True
        if "text/plain" in data and not any(k.startswith("application/papermill")
                                            for k in data):
            return True
    return False


def shape_faults(nb) -> list[str]:
    """Every rule of the reading conventions that the notebook ``nb`` breaks."""
    faults = []
    cells = nb.cells
    md_cells = [c for c in cells if c.cell_type == "markdown"]
    code = [c for c in cells if c.cell_type == "code" and _src(c).strip()]
    md = "\n\n".join(_src(c) for c in md_cells)

    if not re.search(r"in this chapter you will", md, re.I):
        faults.append("overview: no 'In this chapter you will' list")

    n_ex = len(_EXERCISE.findall(md))
    starts, ends = len(_SOLUTION_START.findall(md)), len(_SOLUTION_END.findall(md))
    n_sol = starts + len(_SOLUTION_INLINE.findall(md))
    if not 2 <= n_ex <= 3:
        faults.append(f"exercises: {n_ex}, not 2 or 3")
    if n_sol < n_ex:
        faults.append(f"solutions: {n_sol} for {n_ex} exercises")
    if starts != ends:
        faults.append(f"solutions: {starts} solution-start but {ends} solution-end")
    # the code inside solution-start ... solution-end blocks: executed, one with a gate
    inside, sol_code = False, []
    for c in cells:
        s = _src(c)
        if c.cell_type == "markdown":
            if _SOLUTION_START.search(s):
                inside = True
            if _SOLUTION_END.search(s):
                inside = False
        elif inside and s.strip():
            sol_code.append(c)
    if starts and (not sol_code or any(c.get("execution_count") is None for c in sol_code)):
        faults.append("solutions: a solution block holds no executed code cell")
    if not any("check_answer(" in _src(c) for c in sol_code):
        faults.append("solutions: none checks its answer with a gate (check_answer)")

    table = [c for c in code
             if any(MIME_TYPE in o.get("data", {}) for o in c.get("outputs", []))]
    if not table:
        faults.append("gate table: none stored")
    elif not _tags(table[-1]) & {"hide-output", "hide-cell"}:
        faults.append("gate table: not collapsed (tag hide-output)")

    stray = sum(1 for c in code for o in c.get("outputs", [])
                if o.get("output_type") == "execute_result"
                and _GATE_REPR.match("".join(o.get("data", {}).get("text/plain", ""))))
    if stray:
        faults.append(f"stray gate reprs: {stray}")

    words = paragraph_words(md)
    if words and statistics.median(words) >= MAX_PARAGRAPH_WORDS:
        faults.append(f"paragraphs: median {statistics.median(words)} words")
    lines = [len(_src(c).strip().splitlines()) for c in code]
    if lines and statistics.median(lines) >= MAX_CELL_LINES:
        faults.append(f"code cells: median {statistics.median(lines)} lines")

    later = code[1:]
    shown = sum(_visible(c) for c in later) / max(1, len(later))
    if shown < MIN_VISIBLE:
        faults.append(f"visible: {shown:.0%} of code cells after setup show something")

    long = sum(len(line) > MAX_LINE for c in code for line in _src(c).splitlines())
    if long:
        faults.append(f"code lines over {MAX_LINE} characters: {long}")

    # the source's statements come at the end: after the exercises, before the gates
    order = {"box": None, "exercise": None, "table": None}
    for i, c in enumerate(cells):
        s = _src(c)
        if c.cell_type == "code" and "source_box(" in s:
            order["box"] = i
        if c.cell_type == "markdown" and _EXERCISE.search(s):
            order["exercise"] = i
        if table and c is table[-1]:
            order["table"] = i
    if order["box"] is None:
        faults.append("source box: no source_box(...) cell")
    elif not ((order["exercise"] or -1) < order["box"] < (order["table"] or len(cells))):
        faults.append("source box: not between the exercises and the gate table")
    return faults


def adopted() -> list[Path]:
    out = []
    for path in sorted(BOOK.glob("part*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if nb.metadata.get("umbook", {}).get("shape") == ADOPTED:
            out.append(path)
    return out


ADOPTED_CHAPTERS = adopted()


def test_some_chapter_has_adopted_the_shape():
    assert ADOPTED_CHAPTERS, "no chapter carries umbook.shape = teach-first"


@pytest.mark.parametrize("path", ADOPTED_CHAPTERS,
                         ids=[p.relative_to(BOOK).as_posix() for p in ADOPTED_CHAPTERS])
def test_adopted_chapter_keeps_its_shape(path):
    faults = shape_faults(nbformat.read(path, as_version=4))
    assert not faults, f"{path.name}: " + "; ".join(faults)


# -- negative controls ----------------------------------------------------------------
def _md(s):
    return nbformat.v4.new_markdown_cell(s)


def _code(s, outputs=(), tags=(), executed=True):
    c = nbformat.v4.new_code_cell(s)
    c.outputs = [nbformat.from_dict(o) for o in outputs]
    c.execution_count = 1 if executed else None
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def _printed(text="measured 0 vs tolerance 0\n"):
    return [{"output_type": "stream", "name": "stdout", "text": text}]


def good_chapter():
    """A small chapter that keeps every rule."""
    table_out = [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                  "data": {"text/plain": "Gates of x", "text/html": "<table></table>",
                           MIME_TYPE: {"chapter": "x", "gates": []}}}]
    nb = nbformat.v4.new_notebook()
    nb.metadata["umbook"] = {"shape": ADOPTED}
    nb.cells = [
        _md("# A chapter\n\nA short idea in a short paragraph.\n\n"
            "In this chapter you will:\n\n- compute one thing\n- see it hold"),
        _code("import numpy as np"),
        _md("A sentence before the cell."),
        _code("print(1)", _printed()),
        _md("Another short paragraph here."),
        _code("x = 2\nprint(x)", _printed("2\n")),
        _code("y = 3", tags=["hide-input"]),
        _md("## Exercises\n\n:::{exercise}\n:label: ex-a\nCompute it.\n:::"),
        _md(":::{solution-start} ex-a\n:class: dropdown\n:::"),
        _code("check_answer('a', 1.0, 1.0, rtol=0.1)", _printed("exercise ✓ a\n")),
        _md(":::{solution-end}\n:::"),
        _md(":::{exercise}\n:label: ex-b\nExplain it.\n:::"),
        _md(":::{solution} ex-b\n:class: dropdown\nBecause.\n:::"),
        _code("source_box('part3/x')", _printed("What the source says\n")),
        _code("log.assert_all()", table_out, tags=["hide-output"]),
    ]
    return nb


def test_the_good_chapter_passes():
    assert shape_faults(good_chapter()) == []


def _break(rule):
    nb = copy.deepcopy(good_chapter())
    c = nb.cells
    if rule == "overview":
        c[0].source = "# A chapter\n\nA short idea."
    elif rule == "exercises":
        del c[11:13]
    elif rule == "solutions":
        c[12] = _md("Because.")
    elif rule == "solution-end":
        del c[10]
    elif rule == "solutions: a solution block":
        c[9].execution_count = None
    elif rule == "solutions: none checks":
        c[9].source = "print('a')"
    elif rule == "gate table: not collapsed":
        c[14].metadata["tags"] = []
    elif rule == "stray":
        c[3].outputs = [nbformat.from_dict(
            {"output_type": "execute_result", "execution_count": 1, "metadata": {},
             "data": {"text/plain": "pass: g [count, measured 0 vs tolerance 0, n=1]"}})]
    elif rule == "paragraphs":
        c[4].source = "\n\n".join([" ".join(["word"] * 40)] * 10)
    elif rule == "code cells":
        for i in (3, 5, 9, 13, 14):
            c[i].source += "\n" + "\n".join(f"z{k} = {k}" for k in range(8))
    elif rule == "visible":
        c[3].outputs, c[5].outputs = [], []
    elif rule == "code lines":
        c[5].source = "x = " + "1 + " * 30 + "1\nprint(x)"
    elif rule == "source box: no":
        del c[13]
    elif rule == "source box: not between":
        c.insert(2, c.pop(13))
    return nb


@pytest.mark.parametrize("rule", [
    "overview", "exercises", "solutions", "solution-end", "solutions: a solution block",
    "solutions: none checks", "gate table: not collapsed", "stray", "paragraphs",
    "code cells", "visible", "code lines", "source box: no", "source box: not between"])
def test_a_chapter_breaking_one_rule_is_rejected(rule):
    faults = shape_faults(_break(rule))
    key = {"solution-end": "solution-start"}.get(rule, rule)
    assert any(key in f for f in faults), f"{rule}: not caught, faults {faults}"


def test_paragraph_words_skips_what_is_not_prose():
    md = ("# Heading with many many words in it\n\n"
          ":::{prf:theorem} T\n:label: thm-x\n\nOne two three.\n:::\n\n"
          "$$\na + b\n$$\n\n- a list item\n\n(label-x)=\nFour five.")
    assert paragraph_words(md) == [3, 2]
