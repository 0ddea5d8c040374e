"""Build the whole book from clean, executing every notebook, with warnings as errors."""

import re

import pytest


@pytest.mark.build
def test_book_builds_from_clean_without_a_warning(built_book):
    html, returncode, log = built_book
    # ipykernel >= 7 prints a notice about its TCP transport on stderr at every kernel
    # start; it is the kernel's, not the book's, and says nothing about the pages.
    kernel_notice = "Kernel is running over TCP without encryption"
    warnings = [line for line in log.splitlines()
                if ("WARNING" in line or "ERROR" in line) and kernel_notice not in line]
    assert returncode == 0 and not warnings, "\n".join(warnings[:40]) or log[-4000:]
    for page in ["book/intro.html", "book/part3/04-identity.html", "book/appendix/ledger.html"]:
        assert (html / page).is_file(), page
    # a glued number really rendered: the count of compared probabilities in chapter 4
    text = re.sub(r"<[^>]+>", "", (html / "book/part3/04-identity.html").read_text("utf-8"))
    assert re.search(r"All\s+28824\s+probabilities", text), "glued number missing"
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax not bundled"
    assert (html / "_static" / "vendor" / "html-manager" / "embed-amd.js").is_file(), \
        "widget manager not bundled"


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
