"""Build the whole book from clean, executing every notebook, with warnings as errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.build
def test_book_builds_from_clean_without_a_warning(tmp_path):
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(ROOT), "--all", "-W", "-n", "--keep-going",
           "--path-output", str(tmp_path)]
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    log = proc.stdout + proc.stderr
    # ipykernel >= 7 prints a notice about its TCP transport on stderr at every kernel
    # start; it is the kernel's, not the book's, and says nothing about the pages.
    kernel_notice = "Kernel is running over TCP without encryption"
    warnings = [line for line in log.splitlines()
                if ("WARNING" in line or "ERROR" in line) and kernel_notice not in line]
    assert proc.returncode == 0 and not warnings, "\n".join(warnings[:40]) or log[-4000:]
    html = tmp_path / "_build" / "html"
    for page in ["book/intro.html", "book/part3/04-identity.html", "book/appendix/ledger.html"]:
        assert (html / page).is_file(), page
    # glued numbers rendered (an empty or missing glue would have warned, but check one)
    text = (html / "book/part3/04-identity.html").read_text(encoding="utf-8")
    assert "28824" in text.replace(",", "") or "n_compared" not in text
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax not bundled"
