"""The PDF's structure (a local Sphinx extension, active only for LaTeX builders).

``sphinx-jupyterbook-latex`` gives the PDF the HTML's skeleton: each caption of
``_toc.yml`` becomes a LaTeX ``\\part``, each part's index a chapter and its
chapters sections (numbered 3.1, 3.2, ... as in the HTML), and the
introduction's own headings stay inside the front matter instead of becoming
the book's chapters.  This extension adjusts what it leaves:

* its document class (``jupyterBook``) needs ``bbm.sty``, only in Debian's
  500 MB texlive-fonts-extra: Sphinx's ``manual`` class is put back, with the
  two cell environments that class lacks;
* the introduction gets its own entry in the contents and the PDF outline;
* outline entries carry their numbers (3.1 One dial), as the HTML's do;
* a part that the HTML leaves unnumbered (the appendices) is unnumbered here,
  and a caption's own "Part I · " is dropped, since LaTeX numbers the part;
* a dial, which print cannot move, is printed as the picture it was saved with
  (drawn by Debian's Chromium from the output's saved HTML) and one line saying
  where it moves;
* an exercise's solution, folded in the HTML, is printed with the others at the
  end of its chapter, under "Solutions to the exercises", and the exercise says on
  which page;
* a chapter's gate table, folded in the HTML, is printed in full, as a table
  that breaks across pages (``umlib.book.records.print_table``, through the
  myst-nb renderer of the gate record), not as long lines of plain text.

tests/whole_book/test_pdf.py checks the resulting outline against ``_toc.yml``.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

# The two environments jupyterbook-latex wraps around a cell's input and its
# outputs (its class defines them; Sphinx's does not): outputs are indented
# under the code that made them.
_PREAMBLE = r"""
\usepackage[strict]{changepage}
\newenvironment{sphinxVerbatimInput}{\begin{adjustwidth}{0pt}{}}{\end{adjustwidth}}
\newenvironment{sphinxVerbatimOutput}{\begin{adjustwidth}{1.5em}{}}{\end{adjustwidth}}
\hypersetup{bookmarksnumbered=true}
% glyphs the book's outputs use that the FreeFont faces lack: drawn from TeX's math
\usepackage{newunicodechar}
\newunicodechar{✗}{\ensuremath{\times}}
\newunicodechar{♛}{\ensuremath{\star}}
\newunicodechar{❄}{\ensuremath{\ast}}
\newunicodechar{⟨}{\ensuremath{\langle}}
\newunicodechar{⟩}{\ensuremath{\rangle}}
\newunicodechar{ₙ}{\ensuremath{_n}}
\newunicodechar{ₘ}{\ensuremath{_m}}
"""

# The introduction is the root document's body, which follows the contents.
_CONTENTS = r"""\sphinxtableofcontents
\cleardoublepage\phantomsection
\addcontentsline{toc}{part}{Introduction}
\markboth{Introduction}{Introduction}
"""


_PART_PREFIX = re.compile(r"^Part [IVXLC]+\s*·\s*")


def _sphinx_manual_class(app, config):
    if config["latex_theme"] != "jupyterBook":
        return
    config["latex_theme"] = "manual"
    elements = config["latex_elements"]
    elements["preamble"] = elements.get("preamble", "") + _PREAMBLE
    elements.setdefault("tableofcontents", _CONTENTS)


class PartTitles(SphinxPostTransform):
    """Part titles without their "Part I · " (LaTeX prints "Part I" itself), and LaTeX
    numbering switched off from the first part the toc leaves unnumbered."""

    default_priority = 750  # after jupyterbook-latex's parts (700)
    builders = ("latex",)

    def run(self, **kwargs):
        sitemap = getattr(self.app.config, "external_site_map", None)
        if sitemap is None:
            return
        captions = {t.caption: bool(t.numbered) for t in sitemap.root.subtrees if t.caption}
        switched_off = False
        for section in list(self.document.findall(nodes.section)):
            caption = section.get("docname")
            if caption not in captions or not section.children \
                    or not isinstance(section[0], nodes.title):
                continue
            if captions[caption]:
                section[0].replace(section[0][0], nodes.Text(_PART_PREFIX.sub("", caption)))
            elif not switched_off:
                # parts are LaTeX's level -1: -2 leaves every level unnumbered
                off = nodes.raw("", r"\setcounter{secnumdepth}{-2}" + "\n", format="latex")
                section.parent.insert(section.parent.index(section), off)
                switched_off = True


# ---------------------------------------------------------------------------
# Dials: the saved picture, and where the dial moves
# ---------------------------------------------------------------------------

#: The line printed under every dial's saved picture.
LIVE_NOTE = ("This dial moves in the HTML edition of the book, and in Jupyter once the "
             "chapter's cells have run; printed here is the state it was saved in.")
_DIAL_MARK = 'class="umbook-dial-saved"'
CHROMIUM = os.environ.get("UMBOOK_CHROMIUM", "/usr/bin/chromium")
_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; padding: 0; background: #fff; font: 14px "DejaVu Sans", sans-serif; }}
.umbook-dial-saved {{ display: inline-block; padding: 8px; }}
.umbook-dial-saved > p:first-child {{ display: none; }}
</style></head><body>{html}</body></html>"""


def _saved_html(bundle) -> str | None:
    """The saved picture's HTML of a dial's output (a myst-nb mime bundle), or None."""
    kinds = {child.get("mime_type"): child for child in bundle.children}
    if "application/vnd.jupyter.widget-view+json" not in kinds or "text/html" not in kinds:
        return None
    html = "".join(raw.astext() for raw in kinds["text/html"].findall(nodes.raw))
    return html if _DIAL_MARK in html else None


def draw_dials(pictures: dict[str, str], folder: Path) -> dict[str, Path]:
    """Each dial's saved HTML drawn once as a PNG by Chromium (cached by content)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {key: folder / f"dial-{hashlib.sha256(html.encode()).hexdigest()[:16]}.png"
           for key, html in pictures.items()}
    todo = {key: html for key, html in pictures.items() if not out[key].is_file()}
    if todo:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 860, "height": 600},
                                    device_scale_factor=2)
            for key, html in todo.items():
                page.set_content(_PAGE.format(html=html))
                page.locator(".umbook-dial-saved").screenshot(path=str(out[key]))
            browser.close()
    return out


class DialPictures(SphinxPostTransform):
    """A dial's output printed as its saved picture with :data:`LIVE_NOTE` under it."""

    default_priority = 3  # before myst-nb chooses an output's mime type (4)
    builders = ("latex",)

    def run(self, **kwargs):
        found = []
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") == "mime_bundle":
                html = _saved_html(bundle)
                if html is not None:
                    found.append((bundle, html))
        if not found:
            return
        folder = Path(self.app.outdir) / "umbook-dials"
        try:
            pngs = draw_dials({str(i): html for i, (_, html) in enumerate(found)}, folder)
        except Exception as exc:  # no Chromium: the text form stays, and the build says so
            logger.warning(f"[umbook_latex] dials printed as text: Chromium failed ({exc})")
            pngs = {}
        docname = self.env.docname
        for i, (bundle, _) in enumerate(found):
            note = nodes.paragraph("", "", nodes.emphasis(text=LIVE_NOTE),
                                   classes=["umbook-live-note"])
            if str(i) not in pngs:
                bundle.parent.insert(bundle.parent.index(bundle) + 1, note)
                continue
            path = str(pngs[str(i)])
            self.env.images.add_file(docname, path)
            # drawn at twice the CSS size: print it at the CSS size (Sphinx shrinks
            # what is wider than the text)
            css_px = int.from_bytes(pngs[str(i)].read_bytes()[16:20], "big") / 2
            image = nodes.image(uri=path, candidates={"*": path},
                                width=f"{0.75 * css_px:.0f}pt",
                                alt="the dial as it was saved")
            bundle.replace_self(nodes.container("", image, note, classes=["umbook-dial"]))


# ---------------------------------------------------------------------------
# Gate tables: folded in the HTML, printed in full
# ---------------------------------------------------------------------------

GATES_MIME = "application/vnd.umlib.gates+json"


class GateTablesShown(SphinxPostTransform):
    """Unfold the gate tables: jupyterbook-latex drops a ``hide-output`` cell's output
    from the PDF (priority 400), and the HTML folds the gate table with that tag."""

    default_priority = 3
    builders = ("latex",)

    def run(self, **kwargs):
        for cell in self.document.findall(nodes.container):
            if "tag_hide-output" not in cell.get("classes", ()):
                continue
            if any(c.get("mime_type") == GATES_MIME for c in cell.findall(nodes.container)):
                cell["classes"].remove("tag_hide-output")


# ---------------------------------------------------------------------------
# Exercises: the solutions collected at the end of each chapter
# ---------------------------------------------------------------------------

#: The heading over a chapter's solutions in print.
SOLUTIONS = "Solutions to the exercises"
#: what an exercise says in print where its folded solution was (%s: the solution's label)
SOLUTION_POINTER = "\\par\\noindent\\sphinxstyleemphasis{Solution on page~\\pageref{%s}.}\\par\n"


class SolutionsAtTheEnd(SphinxPostTransform):
    """Move every solution (folded in the HTML) to the end of its chapter, in order."""

    default_priority = 760  # after sphinx-exercise has titled the solutions (21)
    builders = ("latex",)

    def run(self, **kwargs):
        from sphinx_exercise.nodes import solution_node

        # jupyterbook-latex marks each section with the document it came from: a
        # solution's chapter is the outermost section of its own document
        by_chapter: dict[int, tuple] = {}
        for sol in list(self.document.findall(solution_node)):
            sections = []
            node = sol.parent
            while node is not None:
                if isinstance(node, nodes.section) and node.get("docname"):
                    sections.append(node)
                node = node.parent
            if not sections:
                continue
            own = [sec for sec in sections if sec["docname"] == sections[0]["docname"]]
            by_chapter.setdefault(id(own[-1]), (own[-1], []))[1].append(sol)
        n = 0
        for end, sols in by_chapter.values():
            end += nodes.rubric(text=SOLUTIONS, classes=["umbook-solutions"])
            for sol in sols:
                # where the solution was, the exercise now says on which page it is
                n += 1
                label = f"umbook-solution-{n}"
                sol.replace_self(nodes.raw("", SOLUTION_POINTER % label, format="latex"))
                at = 1 if sol.children and isinstance(sol.children[0], nodes.title) else 0
                sol.insert(at, nodes.raw("", "\\label{%s}%%\n" % label, format="latex"))
                end += sol


def setup(app):
    # after sphinx-jupyterbook-latex's own config-inited handler (priority 500)
    app.connect("config-inited", _sphinx_manual_class, priority=900)
    app.add_post_transform(PartTitles)
    app.add_post_transform(DialPictures)
    app.add_post_transform(GateTablesShown)
    app.add_post_transform(SolutionsAtTheEnd)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
