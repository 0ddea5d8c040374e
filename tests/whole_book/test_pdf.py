"""The whole book as a PDF (Jupyter Book's LaTeX builder): its outline is the HTML's.

The PDF's outline (bookmarks) must be the table of contents of the HTML book:
the introduction, then each part of ``_toc.yml`` with its index as chapter k and
its chapters numbered k.1, k.2, ... in order, then the appendices, unnumbered.
``outline_problems`` compares the two trees; the tests below feed it outlines that
are wrong on purpose (the structure the PDF once had among them) and see them rejected.

The PDF is built from the committed, executed notebooks (execution off: nbval
has already checked that their outputs are current).  TeX comes from Debian's
packages, installed by .ci/run; where xelatex or latexmk is missing the test is
skipped, except in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _title(f: str) -> str:
    """A toc file's title: its first level-1 heading."""
    path = next(p for p in (ROOT / f"{f}.ipynb", ROOT / f"{f}.md") if p.exists())
    if path.suffix == ".ipynb":
        import nbformat
        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "markdown")
    else:
        text = path.read_text("utf-8")
    m = re.search(r"(?m)^# (.+)$", text)
    assert m, f"no title in {path}"
    return re.sub(r"[`*]", "", m.group(1)).strip()


def _titles() -> list[str]:
    """Every chapter's title, in the order of the toc."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    return [_title(f) for f in files]


def expected_outline(toc: dict) -> list[tuple[str, list]]:
    """The HTML's table of contents as the tree the PDF's outline must have.

    Each node is ``(title, children)``; numbered parts' chapters carry their numbers
    ("3" for a part's index, "3.1 One dial" for its first chapter), as in the HTML.
    """
    tree = [("Introduction", [])]
    k = 0
    for part in toc["parts"]:
        caption = re.sub(r"^Part [IVXLC]+\s*·\s*", "", part["caption"])
        chapters = []
        for ch in part["chapters"]:
            if part.get("numbered"):
                k += 1
                sections = [(f"{k}.{j} {_title(s['file'])}", [])
                            for j, s in enumerate(ch.get("sections", []), start=1)]
                chapters.append((f"{k} {_title(ch['file'])}", sections))
            else:
                chapters.append((_title(ch["file"]), []))
        tree.append((caption, chapters))
    return tree


# what LaTeX adds after the appendices' chapters (bibliography and indices)
BACK_MATTER = ("Bibliography", "Proof Index", "Python Module Index", "Index")


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-z.]+", "", title.lower().replace("·", ""))


def outline_problems(outline: list[tuple[str, list]], expected: list[tuple[str, list]]
                     ) -> list[str]:
    """Where a PDF outline differs from the expected tree (empty if it matches).

    Top level: exactly the expected entries, in order (a part's number, "I", "II", ...,
    is LaTeX's and ignored).  Below a part: its chapters in order with their numbers;
    below a numbered chapter, its sections in order with their numbers; an unnumbered
    part may end with the back matter.  Deeper levels (a chapter's own headings) are
    not compared.
    """
    problems = []
    got_top = [re.sub(r"^[IVXLC]+ ", "", t) for t, _ in outline]
    want_top = [t for t, _ in expected]
    if [_key(t) for t in got_top] != [_key(t) for t in want_top]:
        return [f"top level is {got_top}, expected {want_top}"]
    for (part, got), (_, want) in zip(outline, expected):
        got_titles = [t for t, _ in got]
        want_titles = [t for t, _ in want]
        extra = got_titles[len(want_titles):]
        if [_key(t) for t in got_titles[:len(want_titles)]] != [_key(t) for t in want_titles] \
                or any(t not in BACK_MATTER for t in extra):
            problems.append(f"{part}: chapters {got_titles}, expected {want_titles}")
            continue
        for (chapter, got_sections), (_, want_sections) in zip(got, want):
            if want_sections and [_key(t) for t, _ in got_sections] != \
                    [_key(t) for t, _ in want_sections]:
                problems.append(f"{chapter}: sections {[t for t, _ in got_sections]}, "
                                f"expected {[t for t, _ in want_sections]}")
    return problems


def read_outline(pdf) -> list[tuple[str, list]]:
    """A PDF's outline (bookmarks) as a tree of ``(title, children)``."""
    from pypdf import PdfReader

    def tree(items):
        out = []
        for item in items:
            if isinstance(item, list):
                if out:
                    out[-1] = (out[-1][0], tree(item))
            else:
                out.append((item.title, []))
        return out

    return tree(PdfReader(str(pdf)).outline)


def bookmarked_pages(reader, depth: int = 3) -> set[int]:
    """The pages the outline's entries lead to (down to ``depth`` levels), each with
    the page after it."""
    pages: set[int] = set()

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                if level < depth:
                    walk(item, level + 1)
            else:
                i = reader.get_destination_page_number(item)
                pages.update({i, min(i + 1, len(reader.pages) - 1)})

    walk(reader.outline, 1)
    return pages


def test_outline_check_rejects_wrong_outlines():
    """Negative controls: outlines that are wrong on purpose are each rejected."""
    want = expected_outline(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    assert outline_problems(want, want) == []
    parts = [p for p in want if p[1] and p[1][0][1]]
    assert len(parts) == 5, "five numbered parts, each with its chapters"
    # the structure the PDF once had: the introduction's headings as chapters and the
    # whole book under the last of them
    flat = [("How to read it", []), ("What is here", [c for _, cs in want for c in cs])]
    # two chapters of one part swapped
    first, chapters = parts[0][1][0]
    swapped = [(first, [chapters[1], chapters[0]] + chapters[2:])]
    # a chapter moved to another part
    moved_from = (parts[1][1][0][0], parts[1][1][0][1][1:])
    moved_to = (parts[2][1][0][0], parts[2][1][0][1] + [parts[1][1][0][1][0]])
    # numbers off by one
    renumbered = [(parts[0][1][0][0], [("1.2 " + t.split(" ", 1)[1], c)
                                       for t, c in parts[0][1][0][1]])]
    wrong = {
        "flat": flat,
        "no introduction": want[1:],
        "swapped": [want[0], (parts[0][0], swapped)] + want[2:],
        "moved": [p if p[0] not in (parts[1][0], parts[2][0]) else
                  (p[0], [moved_from] if p[0] == parts[1][0] else [moved_to])
                  for p in want],
        "renumbered": [want[0], (parts[0][0], renumbered)] + want[2:],
        "appendix junk": want[:-1] + [(want[-1][0], want[-1][1] + [("Stray", [])])],
    }
    for label, outline in wrong.items():
        assert outline_problems(outline, want), f"the wrong outline {label!r} passed"


# ---------------------------------------------------------------------------
# What print cannot do, said in print: dials, gate tables, solutions
# ---------------------------------------------------------------------------

def _notebooks() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [f for part in toc["parts"] for ch in part["chapters"]
             for f in [ch["file"]] + [s["file"] for s in ch.get("sections", [])]]
    return [ROOT / f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").exists()]


def print_counts() -> dict[str, int]:
    """What the PDF must print, counted in the notebooks: dials (outputs with a saved
    picture), gate tables (outputs with a gate record) and solutions."""
    import json

    counts = {"dials": 0, "gate tables": 0, "solutions": 0}
    for path in _notebooks():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                counts["solutions"] += len(re.findall(
                    r"(?m)^(?:```|:::)\{solution(?:-start)?\}", "".join(cell["source"])))
            for out in cell.get("outputs", []) or []:
                data = out.get("data", {})
                if "umbook-dial-saved" in "".join(data.get("text/html", "")):
                    counts["dials"] += 1
                if "application/vnd.umlib.gates+json" in data:
                    counts["gate tables"] += 1
    return counts


LIVE_NOTE_TEX = "This dial moves in the HTML edition of the book"
SOLUTIONS_TEX = r"\subsubsection*{Solutions to the exercises}"


def print_problems(tex: str, counts: dict[str, int]) -> list[str]:
    """Where the LaTeX of the book does not print what ``counts`` says it must.

    Each dial is a picture with the line saying where it moves (never the widget's
    text form); each gate table is a long table (never the plain-text table's long
    lines); each solution is printed after every exercise of its chapter, under the
    heading "Solutions to the exercises".
    """
    problems = []
    if "DialBox(" in tex:
        problems.append("a dial is printed as its text form")
    pictures = len(re.findall(r"\{\{dial-[0-9a-f]{16}\}\.png\}", tex))
    notes = tex.count(LIVE_NOTE_TEX)
    if pictures != counts["dials"] or notes != counts["dials"]:
        problems.append(f"{pictures} dial pictures and {notes} notes where they move, "
                        f"for {counts['dials']} dials")
    tables = len(re.findall(r"\\caption\{Gates of ", tex))
    if tables != counts["gate tables"]:
        problems.append(f"{tables} gate tables printed as tables, "
                        f"for {counts['gate tables']} gate records")
    if re.search(r"gate\s{2,}kind\s{2,}role\s{2,}measured", tex):
        problems.append("a gate table is printed as plain text")
    solutions = 0
    for chunk in re.split(r"\\(?:part|chapter|section)\{", tex):
        sols = [m.start() for m in re.finditer(r"\{Solution to Exercise ", chunk)]
        if not sols:
            continue
        solutions += len(sols)
        heading = chunk.find(SOLUTIONS_TEX)
        exercises = [m.start() for m in re.finditer(r"\\label\{exercise:", chunk)]
        title = chunk[:60].split("}")[0]
        if heading < 0 or min(sols) < heading or (exercises and max(exercises) > heading):
            problems.append(f"{title}: solutions not collected after the chapter's exercises")
    if solutions != counts["solutions"]:
        problems.append(f"{solutions} solutions printed, for {counts['solutions']}")
    # each exercise says on which page its solution is, and each pointer has its label
    pointers = re.findall(r"Solution on page~\\pageref\{(umbook-solution-\d+)\}", tex)
    labels = re.findall(r"\\label\{(umbook-solution-\d+)\}", tex)
    if len(pointers) != counts["solutions"] or sorted(pointers) != sorted(labels) \
            or len(set(labels)) != len(labels):
        problems.append(f"{len(pointers)} exercises say on which page their solution is "
                        f"and {len(labels)} solutions are labelled, for "
                        f"{counts['solutions']} solutions")
    return problems


def unresolved_solution_pages(log: str) -> list[str]:
    """The solution labels TeX's log says it could not resolve (printed as ??)."""
    return sorted(set(re.findall(r"Reference `(umbook-solution-\d+)' on page \d+ undefined",
                                 log)))


def missing_glyphs(log: str) -> list[str]:
    """The characters TeX's log says no font of the book had (printed as nothing)."""
    return sorted(set(re.findall(r"Missing character: There is no (\S+)", log)))


def test_print_check_rejects_wrong_prints():
    """Negative controls: a LaTeX book that prints a dial as text, a gate table as plain
    text, or a solution next to its exercise is rejected."""
    counts = {"dials": 1, "gate tables": 1, "solutions": 1}
    good = ("\\section{One}\n\\phantomsection \\label{exercise:ex-a}\nExercise\n"
            "\\sphinxincludegraphics[width=300pt]{{dial-0123456789abcdef}.png}\n"
            f"\\sphinxstyleemphasis{{{LIVE_NOTE_TEX}, and in Jupyter}}\n"
            "\\caption{Gates of Part X}\n"
            "\\sphinxstyleemphasis{Solution on page~\\pageref{umbook-solution-1}.}\n"
            f"{SOLUTIONS_TEX}\n\\begin{{sphinxadmonition}}{{note}}{{Solution to Exercise 1.1}}\n"
            "\\label{umbook-solution-1}%")
    assert print_problems(good, counts) == []
    wrong = {
        "dial as text": good.replace("\\sphinxincludegraphics[width=300pt]{{dial-0123456789"
                                     "abcdef}.png}", "DialBox(children=(...))"),
        "gate table as text": good.replace("\\caption{Gates of Part X}",
                                           "gate  kind  role  measured  tolerance"),
        "solution beside its exercise": good.replace(f"{SOLUTIONS_TEX}\n", "").replace(
            "Exercise\n", "Exercise\n{Solution to Exercise 1.1}\n"),
        "a solution lost": good.replace("{Solution to Exercise 1.1}", "{Note}"),
        "no page for the solution": good.replace("Solution on page~", "Solution "),
        "a solution unlabelled": good.replace("\\label{umbook-solution-1}", ""),
    }
    for label, tex in wrong.items():
        assert print_problems(tex, counts), f"the wrong print {label!r} passed"
    assert unresolved_solution_pages(
        "LaTeX Warning: Reference `umbook-solution-7' on page 12 undefined on input line 3.")\
        == ["umbook-solution-7"]
    assert missing_glyphs("Missing character: There is no \u2717 (U+2717) in font x") \
        == ["\u2717"]
    assert all(n > 0 for n in print_counts().values()), "the notebooks were not read"


@pytest.mark.build
def test_pdf_has_every_chapter_in_the_htmls_order(tmp_path):
    missing = [t for t in ("xelatex", "latexmk") if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"TeX tools missing in CI: {missing}")
        pytest.skip(f"TeX not installed ({missing})")
    from pypdf import PdfReader

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    # paths in the config are relative to its own folder: anchor them at the book
    ext = config["sphinx"].get("local_extensions", {})
    config["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in ext.items()}
    cfg = tmp_path / "_config_pdf.yml"
    cfg.write_text(yaml.safe_dump(config))
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--builder", "pdflatex", "--config",
                           str(cfg), "--path-output", str(tmp_path)],
                          capture_output=True, text=True, timeout=1800)
    pdf = tmp_path / "_build" / "latex" / "book.pdf"
    assert proc.returncode == 0 and pdf.is_file(), (proc.stdout + proc.stderr)[-4000:]
    # every chapter's title is printed on a page the outline leads to (or the page
    # after it, where a part's title page comes first); only those pages are read
    reader = PdfReader(str(pdf))
    pages = bookmarked_pages(reader)
    assert len(pages) >= len(_titles()), pages
    text = " ".join(reader.pages[i].extract_text() or "" for i in sorted(pages))
    # text extraction drops or adds spaces between words: compare without any
    flat = re.sub(r"\s+", "", text).lower()
    absent = [t for t in _titles() if re.sub(r"\s+", "", t).lower() not in flat]
    assert not absent, f"chapters missing from the pages the PDF's outline leads to: {absent}"
    want = expected_outline(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    problems = outline_problems(read_outline(pdf), want)
    assert not problems, "the PDF's outline is not the HTML's contents:\n" + "\n".join(problems)
    tex = (tmp_path / "_build" / "latex" / "book.tex").read_text(encoding="utf-8")
    problems = print_problems(tex, print_counts())
    log = (tmp_path / "_build" / "latex" / "book.log").read_text(encoding="utf-8",
                                                                  errors="replace")
    if missing_glyphs(log):
        problems.append(f"characters printed as nothing (no font has them): "
                        f"{missing_glyphs(log)}")
    if unresolved_solution_pages(log):
        problems.append(f"solution pages printed as ?? (labels TeX did not resolve): "
                        f"{unresolved_solution_pages(log)[:5]}")
    assert not problems, "the PDF does not print what it must:\n" + "\n".join(problems)
    dest = ROOT / "_build" / "pdf-artifacts"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, dest / "book.pdf")
