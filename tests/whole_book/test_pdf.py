"""The whole book as a PDF (Jupyter Book's LaTeX builder): every chapter is in it.

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


def _titles() -> list[str]:
    """Every chapter's title, read from the first level-1 heading of each toc file."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            files.append(ch["file"])
            files += [s["file"] for s in ch.get("sections", [])]
    titles = []
    for f in files:
        path = next(p for p in (ROOT / f"{f}.ipynb", ROOT / f"{f}.md") if p.exists())
        if path.suffix == ".ipynb":
            import nbformat
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                             if c.cell_type == "markdown")
        else:
            text = path.read_text("utf-8")
        m = re.search(r"(?m)^# (.+)$", text)
        assert m, f"no title in {path}"
        titles.append(re.sub(r"[`*]", "", m.group(1)).strip())
    return titles


@pytest.mark.build
def test_pdf_has_every_chapter(tmp_path):
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
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
    # text extraction drops or adds spaces between words: compare without any
    flat = re.sub(r"\s+", "", text).lower()
    absent = [t for t in _titles() if re.sub(r"\s+", "", t).lower() not in flat]
    assert not absent, f"chapters missing from the PDF: {absent}"
    dest = ROOT / "_build" / "pdf-artifacts"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, dest / "book.pdf")
