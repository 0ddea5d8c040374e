"""The rendered book: built once from clean, then checked as a reader meets it.

The build renders the committed notebook outputs with warnings as errors (the
session fixture ``built_book`` in conftest.py), as the README's build does; nbval
proves those outputs current.  These checks share that one build, so they live in
one module (the test suite runs in parallel by module).

The browser check serves the built HTML from 127.0.0.1, and every HTML page is loaded by Playwright driving /usr/bin/chromium
with no route to the internet.  On every page: no console errors, no failed
requests, every image loaded and described by alt text, no TeX left
unrendered, the saved widget state rendered where a page has one, and no
serious or critical accessibility violation (axe-core).  Every internal link
must resolve, fragment included.  Screenshots of a few pages are kept in
``_build/browser-artifacts/``.

Chromium and Playwright come from the package registries (``.ci/run`` installs
Debian's chromium); where they are missing the test is skipped, except in CI.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest


@pytest.mark.build
def test_book_builds_from_clean_without_a_warning(built_book):
    html, returncode, log = built_book
    lines = log.splitlines()
    hits = [i for i, line in enumerate(lines) if "WARNING" in line or "ERROR" in line]
    # the build renders stored outputs: no kernel is started
    assert not any("Executing notebook" in line or "Kernel is running" in line
                   for line in lines), "the build executed a notebook"
    # each offending line with the traceback or context that follows it, so that a
    # failure here says where it came from
    report = "\n".join("\n".join(lines[i:i + 12]) + "\n---" for i in hits[:20])
    assert returncode == 0 and not hits, report or log[-4000:]
    for page in ["book/intro.html", "book/part3/04-identity.html", "book/appendix/ledger.html"]:
        assert (html / page).is_file(), page
    # glued numbers really rendered (a glued numpy scalar renders empty, with only a
    # warning): every plain {glue:text} of every chapter shows its stored value
    missing = glued_values_missing(html)
    assert not missing, f"glued values not shown on their pages: {missing[:10]}"
    # every id names one element of its page (sphinx-proof and sphinx-exercise reuse
    # theirs; book/_ext/umbook_html.py numbers the repeats)
    repeated = {str(p.relative_to(html)): ids for p in sorted(html.rglob("*.html"))
                if (ids := repeated_ids(p.read_text("utf-8")))}
    assert not repeated, f"ids used twice on a page: {list(repeated.items())[:5]}"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax not bundled"
    assert (html / "_static" / "vendor" / "html-manager" / "embed-amd.js").is_file(), \
        "widget manager not bundled"


def repeated_ids(page: str) -> list[str]:
    """The ids a page's HTML gives to more than one element."""
    from collections import Counter

    counts = Counter(re.findall(r'\sid="([^"]+)"', page))
    return sorted(i for i, n in counts.items() if n > 1)


def test_repeated_ids_are_found():
    """Negative control: two proofs with sphinx-proof's fixed id are reported."""
    page = '<div class="proof" id="proof">a</div><div class="proof" id="proof">b</div>'
    assert repeated_ids(page) == ["proof"]
    assert repeated_ids(page.replace('id="proof">b', 'id="proof-2">b')) == []


def glued_values_missing(html: Path) -> list[str]:
    """``page: key = value`` for each plain ``{glue:text}`key``` of a chapter whose stored
    value does not appear in the chapter's rendered text."""
    import json

    missing = []
    for nb_path in sorted((ROOT / "book").glob("part*/[0-9]*.ipynb")):
        nb = json.loads(nb_path.read_text("utf-8"))
        values = {}
        for cell in nb["cells"]:
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                value = out.get("data", {}).get("application/papermill.record/text/plain")
                if name and isinstance(value, str):
                    values[name] = value.strip("'\"")
        prose = "".join("".join(c["source"]) for c in nb["cells"]
                        if c["cell_type"] == "markdown")
        keys = set(re.findall(r"\{glue:text\}`([^`:]+)`", prose))
        if not keys:
            continue
        page = html / nb_path.relative_to(ROOT).with_suffix(".html")
        text = re.sub(r"<[^>]+>", "", page.read_text("utf-8"))
        missing += [f"{page.name}: {k} = {values.get(k)!r}" for k in sorted(keys)
                    if values.get(k) is None or values[k] not in text]
    return missing


@pytest.mark.build
def test_glue_check_sees_a_value_that_did_not_render(built_book, tmp_path):
    """Negative control: a copy of the chapters' pages where one page's glued values are
    blanked out (as glued numpy scalars render) is caught."""
    html, returncode, _ = built_book
    assert returncode == 0
    copy = tmp_path / "html"
    shutil.copytree(html / "book", copy / "book")
    page = copy / "book" / "part2" / "01-bridge.html"
    missing_before = glued_values_missing(copy)
    assert not missing_before, missing_before
    text = page.read_text("utf-8")
    blanked, n = re.subn(r'<span class="pasted-text">[^<]+</span>',
                         '<span class="pasted-text"></span>', text)
    assert n, "no glued text on the page"
    page.write_text(blanked, "utf-8")
    assert any(m.startswith("01-bridge.html") for m in glued_values_missing(copy))


@pytest.mark.build
def test_chapters_offer_download_and_launch(built_book, repository_url):
    html, returncode, _ = built_book
    assert returncode == 0
    repo = repository_url.rstrip("/")
    org, name = repo.split("/")[-2:]
    chapters = sorted(p for p in (html / "book").glob("part*/[0-9]*.html"))
    assert chapters
    for page in chapters:
        rel = page.relative_to(html).with_suffix(".ipynb").as_posix()
        text = page.read_text("utf-8")
        assert f"_sources/{rel}" in text, f"{rel}: no .ipynb download"
        assert f"mybinder.org/v2/gh/{org}/{name}/" in text and f"urlpath=lab/tree/{rel}" in text, \
            f"{rel}: no Binder launch link"
        assert f"colab.research.google.com/github/{org}/{name}/blob/" in text and rel in text, \
            f"{rel}: no Colab launch link"


ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("UMBOOK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "_build" / "browser-artifacts"
SCREENSHOTS = ["book/intro.html", "book/part3/01-one-dial.html",
               "book/part3/04-identity.html", "book/appendix/ledger.html"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\\begin\{|\\frac\{|\\mathrm\{")


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
        import axe_playwright_python  # noqa: F401
    except ImportError as exc:
        reason = f"playwright/axe not installed ({exc})"
    else:
        if Path(CHROMIUM).is_file():
            return
        reason = f"no Chromium at {CHROMIUM}"
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    html, returncode, _ = built_book
    if returncode != 0:
        pytest.skip("the book did not build (see test_build)")
    _need_browser()
    handler = functools.partial(_Quiet, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _pages(html: Path) -> list[str]:
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if not p.relative_to(html).parts[0].startswith("_"))


_VISIBLE_TEXT = """() => {
  const body = document.querySelector('main') || document.body;
  const copy = body.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .MathJax, textarea')
      .forEach(e => e.remove());
  return copy.innerText;
}"""


def test_every_page_in_chromium(site):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    html, base = site
    pages = _pages(html)
    assert len(pages) >= 10, pages
    problems: dict[str, list[str]] = {}
    links: set[tuple[str, str]] = set()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        for rel in pages:
            found: list[str] = []
            page = context.new_page()
            page.on("console", lambda m, f=found: f.append(f"console {m.type}: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e, f=found: f.append(f"page error: {e}"))
            page.on("requestfailed", lambda r, f=found: f.append(f"request failed: {r.url}"))
            page.on("response", lambda r, f=found: f.append(f"HTTP {r.status}: {r.url}")
                    if r.status >= 400 else None)
            # the listeners above stay attached until the page is closed, after axe has
            # run, so a request made late is still seen
            # a busy machine (the api page is large) may take longer than the default
            page.goto(base + rel, wait_until="load", timeout=90_000)
            source = (html / rel).read_text("utf-8")
            if 'http-equiv="refresh"' in source.lower():
                # a redirecting page (the site's index): check where it leads
                page.wait_for_url(lambda url, start=base + rel: url != start)
                page.wait_for_load_state("load")
            page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise"
                          " : null")
            if "application/vnd.jupyter.widget-view+json" in source:
                try:
                    # attached, not necessarily visible: a live dial may stand in for it
                    page.wait_for_selector(".jupyter-widgets", state="attached",
                                           timeout=30_000)
                except PlaywrightTimeout:
                    found.append("saved widget state not rendered")
            bad_img = page.evaluate("() => Array.from(document.images).filter(i => "
                                    "!(i.complete && i.naturalWidth > 0)).map(i => i.src)")
            found += [f"image not loaded: {s}" for s in bad_img]
            no_alt = page.evaluate(
                "() => Array.from(document.images).filter(i => { const a = (i.alt || '')"
                ".trim(); return !a || /\\.(png|jpe?g|svg|gif)$/i.test(a); }).map(i => i.src)")
            found += [f"image without alt text: {s}" for s in no_alt]
            text = page.evaluate(_VISIBLE_TEXT)
            for m in RAW_TEX.finditer(text):
                found.append(f"unrendered TeX near: {text[max(0, m.start() - 30):m.end() + 30]!r}")
            # axe fetches stylesheets itself to read their rules and resolves their
            # @import against the page (not the sheet): its requests are not the page's
            # (only violations are reported in full: axe then spends no time describing
            # every node that passes, which halves its run on a long chapter)
            n_before = len(found)
            result = axe.run(page, options={"resultTypes": ["violations"]})
            del found[n_before:]
            for v in result.response["violations"]:
                if v.get("impact") in ("serious", "critical"):
                    targets = [str(n.get("target")) for n in v.get("nodes", [])][:3]
                    found.append(f"axe {v['impact']}: {v['id']} ({v['help']}) at {targets}")
            for href in page.evaluate("() => Array.from(document.querySelectorAll('a[href]'))"
                                      ".map(a => a.href)"):
                if href.startswith(base):
                    links.add((rel, href))
            if rel in SCREENSHOTS:
                page.screenshot(path=str(ARTIFACTS / (rel.replace("/", "_") + ".png")),
                                full_page=False)
            page.close()
            if found:
                problems[rel] = found
        browser.close()
    # internal links: the target file exists and so does the fragment
    ids_cache: dict[Path, set[str]] = {}
    for rel, href in sorted(links):
        url, frag = urldefrag(href)
        path = html / unquote(urlparse(url).path.lstrip("/"))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            problems.setdefault(rel, []).append(f"broken link: {href}")
            continue
        if frag and path.suffix == ".html":
            if path not in ids_cache:
                ids_cache[path] = set(re.findall(r'\bid="([^"]+)"',
                                                 path.read_text("utf-8", "replace")))
            if unquote(frag) not in ids_cache[path]:
                problems.setdefault(rel, []).append(f"broken fragment: {href}")
    report = "\n".join(f"{rel}:\n  " + "\n  ".join(items[:12]) for rel, items in problems.items())
    assert not problems, f"{len(problems)} page(s) with problems:\n{report}"


def test_offline_assets_are_local(built_book):
    """Negative control for the request check: no page refers to a CDN at all."""
    html, returncode, _ = built_book
    if returncode != 0:
        pytest.skip("the book did not build")
    cdn = re.compile(r"""(src|href)=["']https?://(cdn|cdnjs|unpkg|ajax\.googleapis)""")
    offenders = [p.relative_to(html).as_posix() for p in html.rglob("*.html")
                 if cdn.search(p.read_text("utf-8", "replace"))]
    assert not offenders, f"pages loading from a CDN: {offenders[:10]}"


@pytest.fixture(scope="module", autouse=True)
def _clean_artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    yield
