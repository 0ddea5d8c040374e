"""Small HTML fixes for the rendered book (a local Sphinx extension).

* Each script is emitted once per page: with the current Jupyter Book 1 stack
  some inline scripts (sphinx-thebe's configuration, togglebutton's selector)
  are registered twice, and the second ``const`` declaration is a JavaScript
  error in the reader's console.
* The vendored widget manager (``_static/vendor/html-manager``) injects its
  icon fonts' CSS with URLs relative to the page
  (``@jupyter-widgets/html-manager/dist/<file>``), so after the build the font
  files are copied there beside every page that shows widgets.
* The site's ``index.html`` redirect is a whole HTML document with an empty inline
  icon (a bare redirect makes Chromium request a missing /favicon.ico).
* sphinx-proof and sphinx-exercise give every proof, theorem body, exercise body
  and solution body the same fixed id (``proof``, ``proof-content``,
  ``exercise-content``, ``solution-content``); on a page with several, the
  second and later get a number (``proof-2``), so each id names one element
  (``umbook.css`` styles the renamed proofs as sphinx-proof styles ``#proof``).
* ``umbook.js`` (in ``book/_static``) runs before everything else: it lets the
  widget manager typeset widget labels with MathJax 3, and names the theme's
  unlabeled controls for screen readers.

The browser test (tests/whole_book/test_build.py) is what shows these are needed.
"""

from __future__ import annotations

from collections import Counter

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        filename = getattr(js, "filename", js) or ""   # inline scripts: None or ""
        key = (str(filename),
               tuple(sorted((getattr(js, "attributes", None) or {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    scripts[:] = unique


def _repository_from_environment(app, config):
    """Launch buttons (Binder, Colab) need the public repository's address.

    It is not known inside the repository itself, so whoever publishes the book
    names it in UMBOOK_REPOSITORY_URL (and UMBOOK_REPOSITORY_BRANCH, default
    main) when building; without it the pages carry no launch buttons, only
    the .ipynb download.
    """
    import os

    url = os.environ.get("UMBOOK_REPOSITORY_URL", "").strip()
    if not url:
        return
    opts = dict(config.html_theme_options or {})
    opts["repository_url"] = url
    opts["repository_branch"] = os.environ.get("UMBOOK_REPOSITORY_BRANCH", "main")
    opts["path_to_docs"] = ""
    opts["use_repository_button"] = True
    config.html_theme_options = opts


FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


def _widget_fonts_beside_pages(app, exc):
    import shutil
    from pathlib import Path

    if exc is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    fonts = [f for f in (out / "_static" / "vendor" / "html-manager").glob("*")
             if f.suffix in FONT_SUFFIXES]
    dirs = {p.parent for p in out.rglob("*.html")
            if "application/vnd.jupyter.widget-state+json" in p.read_text("utf-8", "replace")}
    for d in dirs:
        dest = d / "@jupyter-widgets" / "html-manager" / "dist"
        dest.mkdir(parents=True, exist_ok=True)
        for f in fonts:
            shutil.copy2(f, dest / f.name)


_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="data:,">
<meta http-equiv="Refresh" content="0; url={target}">
</head>
<body><main><p><a href="{target}">{title}</a></p></main></body>
</html>
"""


def _root_redirect(app, exc):
    """The site's index.html: a redirect to the first page, as a whole HTML document.

    sphinx-external-toc writes a bare ``<meta http-equiv="Refresh">`` when no index.html
    exists; without a declared icon Chromium then asks the server for /favicon.ico,
    which the book does not have (a 404 in the reader's console), and a real icon's
    request is cut off by the redirect (a failed request).  Written before that
    handler runs, this one declares an empty inline icon (no request at all), a title
    and a link.
    """
    import html
    from pathlib import Path

    if exc is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    Path(app.outdir, "index.html").write_text(
        _INDEX.format(title=html.escape(app.config.html_title or app.config.project),
                      target=html.escape(target)), encoding="utf-8")


#: The ids sphinx-proof and sphinx-exercise give every element of a kind.
FIXED_IDS = ("proof", "proof-content", "exercise-content", "solution-content")


class UniqueIds(SphinxPostTransform):
    """Number the second and later uses of each of :data:`FIXED_IDS` on a page."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs):
        seen: Counter = Counter()
        for node in self.document.findall(nodes.Element):
            if not any(i in FIXED_IDS for i in node.get("ids", ())):
                continue
            renamed = []
            for i in node["ids"]:
                if i in FIXED_IDS:
                    seen[i] += 1
                    i = i if seen[i] == 1 else f"{i}-{seen[i]}"
                renamed.append(i)
            node["ids"] = renamed


def setup(app):
    app.add_post_transform(UniqueIds)
    app.connect("config-inited", _repository_from_environment, priority=900)
    app.add_js_file("umbook.js", priority=1)
    app.add_css_file("umbook.css", priority=900)
    # early: html-page-context stops at the first handler that returns a template
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("build-finished", _widget_fonts_beside_pages)
    # before sphinx-external-toc's ensure_index_file (priority 500), which then keeps it
    app.connect("build-finished", _root_redirect, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
