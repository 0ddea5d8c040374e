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
  and a caption's own "Part I · " is dropped, since LaTeX numbers the part.

tests/whole_book/test_pdf.py checks the resulting outline against ``_toc.yml``.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

# The two environments jupyterbook-latex wraps around a cell's input and its
# outputs (its class defines them; Sphinx's does not): outputs are indented
# under the code that made them.
_PREAMBLE = r"""
\usepackage[strict]{changepage}
\newenvironment{sphinxVerbatimInput}{\begin{adjustwidth}{0pt}{}}{\end{adjustwidth}}
\newenvironment{sphinxVerbatimOutput}{\begin{adjustwidth}{1.5em}{}}{\end{adjustwidth}}
\hypersetup{bookmarksnumbered=true}
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


def setup(app):
    # after sphinx-jupyterbook-latex's own config-inited handler (priority 500)
    app.connect("config-inited", _sphinx_manual_class, priority=900)
    app.add_post_transform(PartTitles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
