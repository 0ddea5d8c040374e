"""A chapter opened in JupyterLab, as the README says to: it renders, saving changes
nothing, and its dial moves.

A JupyterLab server is started on 127.0.0.1 over a copy of one chapter, Debian's Chromium
opens the chapter (its kernel starts, as it does for a reader), the page is saved with
Ctrl+S as a reader might, and the file on disk must be byte-identical to the committed one.
The text cells must show rendered MyST (jupyterlab-myst), not its raw markup.  Then the
chapter is run (Run All Cells) and each preset of its temperature dial is pressed: the
preset must stay selected and what the dial shows must change.  Any request that leaves
127.0.0.1 fails the test.  Skipped where Chromium or JupyterLab is missing,
except in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("UMBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CHAPTER = ROOT / "book" / "part3" / "01-one-dial.ipynb"
SAVED_NOTE = "The dial as it was saved"  # umlib.widgets.protocol.SAVED_NOTE, its start


def _need(tmp_path):
    reasons = []
    if not Path(CHROMIUM).is_file():
        reasons.append(f"no Chromium at {CHROMIUM}")
    for module in ("playwright.sync_api", "jupyterlab", "jupyterlab_myst"):
        try:
            __import__(module)
        except ImportError:
            reasons.append(f"{module} not installed")
    if reasons:
        if os.environ.get("CI"):
            pytest.fail("JupyterLab test cannot run in CI: " + "; ".join(reasons))
        pytest.skip("; ".join(reasons))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def lab(tmp_path):
    _need(tmp_path)
    work = tmp_path / "lab"
    work.mkdir()
    shutil.copy2(CHAPTER, work / CHAPTER.name)
    port = _free_port()
    # every cell is rendered at once (JupyterLab otherwise renders only the cells in
    # view), so the page's text is the whole notebook's
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"))
    jupyter = Path(sys.executable).with_name("jupyter")
    log = tmp_path / "jupyterlab.log"
    log_fh = log.open("wb")
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=log_fh)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/status", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("JupyterLab exited: " + log.read_text(errors="replace")[-2000:])
            time.sleep(0.5)
    else:
        proc.kill()
        proc.wait()
        log_fh.close()
        pytest.fail("JupyterLab did not start within 90 s")
    try:
        yield base, work / CHAPTER.name
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_fh.close()


def _open(pw, base: str, notebook: Path, outside: list[str]):
    """Chromium opening ``notebook`` in JupyterLab; requests leaving 127.0.0.1 are
    appended to ``outside``.  Returns (browser, page) once the cells are shown."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                     "blob:")) else None)
    page.goto(f"{base}/lab/tree/{notebook.name}", wait_until="domcontentloaded")
    # every cell of the notebook shown (windowing is off), not an empty panel first
    import json

    cells = len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
    page.wait_for_function("n => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
                           " >= n", arg=cells, timeout=90_000)
    return browser, page


def _open_and_save(base: str, copy: Path) -> tuple[str, list[str]]:
    """Open ``copy`` in JupyterLab, wait for its kernel, save with Ctrl+S.

    Returns the notebook panel's text and any request that left 127.0.0.1.
    """
    from playwright.sync_api import sync_playwright

    before = copy.stat().st_mtime_ns
    outside: list[str] = []
    with sync_playwright() as pw:
        browser, page = _open(pw, base, copy, outside)
        # the kernel starts (JupyterLab then writes the kernel's name into the metadata)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        page.wait_for_timeout(3000)
        text = page.inner_text(".jp-Notebook")
        page.click(".jp-Notebook .jp-Cell")
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while copy.stat().st_mtime_ns == before and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        browser.close()
    assert copy.stat().st_mtime_ns != before, "the save did not happen"
    return text, outside


@pytest.mark.build
def test_a_chapter_opened_and_saved_in_jupyterlab_is_unchanged(lab):
    base, copy = lab
    text, outside = _open_and_save(base, copy)
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"
    # MyST is rendered: no directive fences or label targets left as text
    assert "One dial" in text
    raw = [m for m in (":::{prf:", "{prf:ref}", "{cite}`", "(p3-") if m in text]
    assert not raw, f"raw MyST markup shown in JupyterLab: {raw}"
    # before running, each dial shows its saved picture, not the box's repr
    assert SAVED_NOTE in text and "DialBox(children=" not in text, \
        "the dial's saved picture is not shown before running"
    assert copy.read_bytes() == CHAPTER.read_bytes(), \
        "saving the chapter in JupyterLab changed the file"


@pytest.mark.build
def test_jupyterlab_check_sees_a_rewrite(lab):
    """Negative control: a notebook stored the way it was before (the old kernel name, a
    0.0 that JavaScript writes back as 0) is rewritten by the same open-and-save."""
    import json

    base, copy = lab
    nb = json.loads(copy.read_text(encoding="utf-8"))
    nb["metadata"]["kernelspec"]["display_name"] = "Python 3"
    nb["metadata"]["umbook_control"] = 0.0
    # and dial outputs without their saved picture: the repr shows instead
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                out["data"].pop("text/html", None)
    old = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    copy.write_text(old, encoding="utf-8")
    text, _ = _open_and_save(base, copy)
    assert copy.read_text(encoding="utf-8") != old
    assert SAVED_NOTE not in text and "DialBox(children=" in text


def _run_and_press_presets(base: str, copy: Path, labels: list[str]
                           ) -> tuple[dict[str, tuple[bool, str]], list[str]]:
    """Open ``copy``, run all its cells, then press each preset button of its first dial.

    Returns, per label, whether the button is still marked active 3 s after the press
    and the text the dial shows then; and any request that left 127.0.0.1.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    seen: dict[str, tuple[bool, str]] = {}
    with sync_playwright() as pw:
        browser, page = _open(pw, base, copy, outside)
        # JupyterLab may ask which kernel to start (the reader accepts its proposal,
        # the notebook's own kernel)
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        try:
            accept.wait_for(timeout=10_000)
            accept.click()
        except PlaywrightTimeout:
            pass
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        page.click(".lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item:has-text('Run All Cells')")
        first = page.locator(".jp-OutputArea .widget-button", has_text=labels[0]).first
        first.wait_for(timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=120_000)
        for label in labels:
            button = page.locator(".jp-OutputArea .widget-button", has_text=label).first
            dial = button.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
            button.click()
            handle = button.element_handle()
            # the press marks the button once the kernel has answered; without snapping
            # the browser's write-back may release it again before the mark is seen, so
            # a mark that never shows is not an error here: the state after 3 s decides
            try:
                page.wait_for_function("b => b.classList.contains('mod-info')",
                                       arg=handle, timeout=15_000)
            except PlaywrightTimeout:
                pass
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=60_000)
            page.wait_for_timeout(3_000)
            kept = bool(handle.evaluate("b => b.classList.contains('mod-info')"))
            seen[label] = (kept, dial.inner_text())
        browser.close()
    return seen, outside


@pytest.mark.build
def test_a_dial_moves_in_jupyterlab_and_its_presets_stay_selected(lab):
    """Run the chapter in JupyterLab and press each preset of its temperature dial: the
    button stays selected (the slider's value, written back by the browser, is snapped
    to the preset) and what the dial shows changes with it."""
    from umlib.widgets.temperature import ICONS, PRESETS

    base, copy = lab
    labels = [ICONS[name] for name in PRESETS]
    seen, outside = _run_and_press_presets(base, copy, labels)
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"
    released = [label for label, (active, _) in seen.items() if not active]
    assert not released, f"presets not kept selected: {released}"
    texts = [text for _, text in seen.values()]
    assert len(set(texts)) == len(texts), "the dial shows the same thing at every preset"


@pytest.mark.build
def test_jupyterlab_dial_check_sees_a_released_preset(lab):
    """Negative control: with the dial's snapping to its grid switched off, the value the
    browser writes back for the warm preset (10**-2.2e-16, not 1) releases that preset,
    and the same check reports it."""
    import nbformat

    from umlib.widgets.temperature import ICONS, PRESETS

    base, copy = lab
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "from umlib.core import spectra\n"
        "from umlib.widgets import protocol\n"
        "from umlib.widgets.temperature import TemperatureDial\n"
        "protocol.Control.snap = lambda self, value, extra=(): value\n"
        "ladders = {'box': spectra.box_levels(8),\n"
        "           'oscillator': spectra.oscillator_levels(8)}\n"
        "dial = TemperatureDial(ladders, T=1.0, T_min=1e-2, T_max=1e4)\n"
        "dial.build()")]
    control = copy.with_name("unsnapped.ipynb")
    nbformat.write(nb, control)
    labels = [ICONS[name] for name in PRESETS]
    seen, _ = _run_and_press_presets(base, control, labels)
    assert not seen[ICONS["warm"]][0], "the released warm preset was not seen"
