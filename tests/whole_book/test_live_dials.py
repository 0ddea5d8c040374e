"""Every dial of the built HTML book moves, with no kernel and no network, and shows what
CPython's dial shows.

The book is the session build (``built_book`` in conftest.py), served from 127.0.0.1 and
opened in Debian's Chromium by Playwright.  For every dial output of every chapter
(a ``dial.build()`` cell), the test remakes the dial in CPython from the spec the chapter
stored (``umlib.widgets.protocol.remake``), drives the page's live dial through a sweep of
settings and its presets, and compares the picture the page shows with
``dial.render(dial.readout(setting))``: the same DOM (both parsed by the page) and the same
text.  Any request that leaves 127.0.0.1 fails the test.  Time-to-live (from the page's HTML being
parsed, ``domInteractive``, to the dial's first live picture; the time since navigation
is reported beside it) and the update latency (an input event to the new picture laid
out; median, p95) of every dial are printed and written to ``_build/live-dials.json``
(benchmarks/live_dials.py stores them for the performance appendix); the test holds them
to loose bounds (5 s, 250 ms) that only a dial computing in the browser would break.

Negative controls, each seen to fail the check it controls: a forged table (one picture
changed, the page's integrity kept) is refused by the browser and the page says so and
keeps the saved-state widget; a table whose pictures are shifted by one setting, served
with a page naming its integrity, is caught by the comparison; a request to another host
is caught by the network guard.  Opened from ``file://``, the page says whether its dial
is live.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from umlib.widgets import protocol as live
from umlib.widgets.protocol import SPEC_MIME

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
BROWSER = os.environ.get("UMBOOK_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPORT = ROOT / "_build" / "live-dials.json"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def dial_outputs():
    """(notebook, page, model_id, spec or None) for every ``dial.build()`` output of the book."""
    found = []
    for nb_path in sorted(BOOK.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb_path.parts:
            continue
        nb = json.loads(nb_path.read_text("utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code" or "dial.build()" not in "".join(cell["source"]):
                continue
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if VIEW_MIME in data:
                    rel = nb_path.relative_to(BOOK).as_posix()
                    item = (out.get("metadata") or {}).get(SPEC_MIME)
                    found.append((rel, "book/" + rel[:-len(".ipynb")] + ".html",
                                  data[VIEW_MIME]["model_id"],
                                  None if item is None else item["spec"]))
    return found


def sweep(table_controls, positions, n_each=7):
    """Settings (tuples of position indices) to visit: the default, every control's
    positions spread over its range (all of them when few), and a few diagonal moves."""
    default = tuple(c["default"] for c in table_controls)
    out = [default]
    for i, pos in enumerate(positions):
        n = len(pos)
        picks = range(n) if n <= n_each + 2 else sorted(
            {round(k * (n - 1) / (n_each - 1)) for k in range(n_each)})
        for k in picks:
            s = list(default)
            s[i] = k
            out.append(tuple(s))
    if len(positions) > 1:
        for f in (0.0, 0.37, 1.0):
            out.append(tuple(round(f * (len(p) - 1)) for p in positions))
    seen = set()
    return [s for s in out if not (s in seen or seen.add(s))]


# --- the page side ------------------------------------------------------------------

_MOVE = """([id, name, k, kind]) => {
  const panel = document.querySelector(`.umbook-live[data-model-id="${id}"]`);
  if (kind === 'choice') {
    panel.querySelector(`button[data-control="${name}"][data-position="${k}"]`).click();
  } else {
    const input = panel.querySelector(`input[data-control="${name}"]`);
    input.value = String(k);
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return panel.dataset.state;
}"""

_SAME = """([id, expected]) => {
  const view = document.querySelector(`.umbook-live[data-model-id="${id}"] .umbook-live-view`);
  const probe = document.createElement('div');
  probe.innerHTML = expected;
  return {dom: view.innerHTML === probe.innerHTML, text: view.textContent === probe.textContent,
          shown: view.textContent.slice(0, 160), want: probe.textContent.slice(0, 160)};
}"""


def compare(page, model_id, expected_html) -> str | None:
    """None if the page's picture is ``expected_html`` (same DOM, same text), else why not."""
    r = page.evaluate(_SAME, [model_id, expected_html])
    if r["dom"] and r["text"]:
        return None
    return f"shown {r['shown']!r} but CPython's dial gives {r['want']!r}"


def drive(page, model_id, dial, table_controls, presets):
    """Move one live dial through its sweep and presets; return (mismatches, n settings)."""
    names = [c.name for c in dial.controls]
    positions = [dial.positions()[n] for n in names]
    kinds = [c.kind for c in dial.controls]
    bad = []
    settings = sweep(table_controls, positions)
    current = [c["default"] for c in table_controls]
    for setting in settings:
        for i, k in enumerate(setting):
            if current[i] != k:
                page.evaluate(_MOVE, [model_id, names[i], k, kinds[i]])
                current[i] = k
        state = page.evaluate(f"() => document.querySelector('.umbook-live[data-model-id="
                              f"\"{model_id}\"]').dataset.state")
        if state != ",".join(map(str, current)):
            bad.append(f"page reports setting {state}, the test set {current}")
        values = {n: positions[i][k] for i, (n, k) in enumerate(zip(names, current))}
        why = compare(page, model_id, dial.render(dial.readout(values)))
        if why:
            bad.append(f"at {values}: {why}")
    for j, p in enumerate(presets):
        page.click(f'.umbook-live[data-model-id="{model_id}"] button[data-preset="{j}"]')
        current = [q if q is not None else current[i] for i, q in enumerate(p["positions"])]
        pressed = page.get_attribute(
            f'.umbook-live[data-model-id="{model_id}"] button[data-preset="{j}"]',
            "aria-pressed")
        values = {n: positions[i][k] for i, (n, k) in enumerate(zip(names, current))}
        if pressed != "true":
            bad.append(f"preset {p['label']!r} does not stay selected")
        why = compare(page, model_id, dial.render(dial.readout(values)))
        if why:
            bad.append(f"preset {p['label']!r}: {why}")
    return bad, len(settings) + len(presets)


def percentile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


# --- fixtures -----------------------------------------------------------------------

class _Silent(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(built_book):
    html, returncode, _ = built_book
    if returncode != 0:
        pytest.skip("the book did not build (see test_build)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the live-dial test cannot run in CI: {exc}")
        pytest.skip(f"playwright not installed ({exc})")
    if not Path(BROWSER).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the live-dial test cannot run in CI: no Chromium at {BROWSER}")
        pytest.skip(f"no Chromium at {BROWSER}")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Silent, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser_context(served):
    from playwright.sync_api import sync_playwright

    left: list[str] = []

    def guard(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "file") or (url.scheme in ("http", "https")
                                              and url.hostname == "127.0.0.1"):
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=BROWSER, args=FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.route("**/*", guard)
        yield context, left
        browser.close()


def _open(context, url, n_dials):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="load")
    page.wait_for_function(
        f"() => document.querySelectorAll('.umbook-live[data-live]').length >= {n_dials}",
        timeout=30_000)
    return page, errors


# --- the tests ----------------------------------------------------------------------

def test_every_dial_carries_its_spec():
    outputs = dial_outputs()
    assert len(outputs) >= 9, outputs          # the book's nine dials
    missing = sorted(nb for nb, _, _, spec in outputs if spec is None)
    assert not missing, (f"dial outputs without a spec (stored before dials carried it): "
                         f"{missing}; execute those chapters again")


def test_pages_without_a_dial_load_nothing_of_it(served):
    html, _ = served
    dial_pages = {page for _, page, _, _ in dial_outputs()}
    pages = sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                   if not p.relative_to(html).parts[0].startswith("_"))
    loading = {p for p in pages if "umbook-live/" in (html / p).read_text("utf-8")}
    assert len(pages) > len(dial_pages) and loading == dial_pages, (
        sorted(loading ^ dial_pages))


def test_every_dial_moves_and_matches_cpython(served, browser_context):
    html, base = served
    context, left = browser_context
    by_page: dict[str, list] = {}
    for nb, page_rel, model_id, spec in dial_outputs():
        if spec is not None:
            by_page.setdefault(page_rel, []).append((nb, model_id, spec))
    assert by_page
    problems: dict[str, list[str]] = {}
    report = {}
    for page_rel, dials in by_page.items():
        t0 = time.perf_counter()
        page, errors = _open(context, base + page_rel, len(dials))
        wall_ms = 1000 * (time.perf_counter() - t0)
        for nb, model_id, spec in dials:
            key = f"{nb} · {spec['make'].rsplit(':', 1)[1]}"
            panel = f'.umbook-live[data-model-id="{model_id}"]'
            if page.get_attribute(panel, "data-live") != "yes":
                problems[key] = [f"not live: {page.inner_text(panel)[:200]}"]
                continue
            dial = live.remake(spec, folder=BOOK / Path(nb).parent)
            controls = _table_of(html, page_rel, model_id)
            bad, n = drive(page, model_id, dial, controls["controls"], controls["presets"])
            lat = page.evaluate(f"() => document.querySelector('{panel}').umbookLatencies")
            d = next(d for d in _tables_src(html, page_rel) if d["model_id"] == model_id)
            table_file = html / "_static" / "umbook-live" / d["src"].rsplit("/", 1)[1]
            report[key] = {
                "page": page_rel, "settings": len(controls["states"]),
                "table_bytes": table_file.stat().st_size,
                "table_bytes_gzipped": len(gzip.compress(table_file.read_bytes(), 6)),
                "distinct_pictures": len(controls["html"]), "checked": n,
                "time_to_live_ms": round(page.evaluate(
                    f"() => +document.querySelector('{panel}').dataset.liveMs - "
                    "performance.getEntriesByType('navigation')[0].domInteractive"), 1),
                "navigation_to_live_ms": round(float(page.get_attribute(
                    panel, "data-live-ms")), 1),
                "page_load_wall_ms": round(wall_ms, 1),
                "update_median_ms": round(statistics.median(lat), 2),
                "update_p95_ms": round(percentile(lat, 0.95), 2),
                "updates": len(lat)}
            if bad:
                problems[key] = bad
        if errors:
            problems.setdefault(page_rel, []).extend(f"console: {e}" for e in errors)
        page.close()
    added = sorted((html / "_static" / "umbook-live").iterdir())
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps({
        "dials": report, "site_bytes_added": sum(p.stat().st_size for p in added),
        "site_bytes_added_gzipped": sum(len(gzip.compress(p.read_bytes(), 6)) for p in added),
        "site_files_added": len(added)}, indent=1) + "\n", encoding="utf-8")
    for key, r in report.items():
        print(f"{key}: live in {r['time_to_live_ms']} ms (page opened "
              f"{r['navigation_to_live_ms']} ms before), update median "
              f"{r['update_median_ms']} ms, p95 {r['update_p95_ms']} ms ({r['updates']} moves)")
    assert not left, f"requests left 127.0.0.1: {left[:5]}"
    assert not problems, "\n".join(f"{k}:\n  " + "\n  ".join(v[:6]) for k, v in problems.items())
    # The figures the book promises (live within 1 s, updates within 50 ms) are measured
    # on a quiet machine by benchmarks/live_dials.py; under a loaded test run the page's
    # own scripts can delay a dial, so the test holds only bounds that a dial computing
    # in the browser, or loading something heavy, could not meet.
    slow = {k: r for k, r in report.items()
            if r["time_to_live_ms"] > 5000 or r["update_p95_ms"] > 250}
    assert not slow, f"dials slower than 5 s to live or 250 ms per update: {slow}"


def _table_of(html, page_rel, model_id):
    """The site's table for one dial (as the page names it), read back and checked."""
    d = next(d for d in _tables_src(html, page_rel) if d["model_id"] == model_id)
    name = d["src"].rsplit("/", 1)[1]
    script = (html / "_static" / "umbook-live" / name).read_text("utf-8")
    table_id, table = live.unpack_table(script, d["integrity"])
    assert table_id == model_id
    return table


# --- negative controls --------------------------------------------------------------

def _first_dial():
    for nb, page_rel, model_id, spec in dial_outputs():
        if spec is not None and "StaircaseDial" in spec["make"]:
            return nb, page_rel, model_id, spec
    pytest.fail("no staircase dial with a spec to control with")


def _tables_src(html, page_rel):
    text = (html / page_rel).read_text("utf-8")
    start = text.index("window.umbookLive = ") + len("window.umbookLive = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]["dials"]


def _serve_instead(page, base, html, page_rel, model_id, table, page_too=False):
    """Route the dial's table file to ``table`` packed anew; with ``page_too``, also serve
    the page naming the new table's integrity (as a build would), else the page's own."""
    d = next(d for d in _tables_src(html, page_rel) if d["model_id"] == model_id)
    name = d["src"].rsplit("/", 1)[1]
    script, integrity = live.pack_table(table, model_id)
    page.route(f"**/umbook-live/{name}*",
               lambda route: route.fulfill(body=script, content_type="text/javascript"))
    if page_too:
        text = (html / page_rel).read_text("utf-8").replace(d["integrity"], integrity)
        page.route(base + page_rel,
                   lambda route: route.fulfill(body=text, content_type="text/html"))


def _control_page(served, browser_context):
    """A fresh page and the staircase dial's whereabouts, for one negative control."""
    html, base = served
    nb, page_rel, model_id, spec = _first_dial()
    return html, base, browser_context[0].new_page(), nb, page_rel, model_id, spec


def test_a_tampered_table_is_refused(served, browser_context):
    html, base, page, nb, page_rel, model_id, spec = _control_page(served, browser_context)
    table = _table_of(html, page_rel, model_id)
    table["html"][0] = table["html"][0].replace("</table>", "<tr><td>x</td></tr></table>", 1)
    _serve_instead(page, base, html, page_rel, model_id, table)   # the page's old integrity
    page.goto(base + page_rel, wait_until="load")
    page.wait_for_selector(f'.umbook-live[data-model-id="{model_id}"][data-live]')
    panel = f'.umbook-live[data-model-id="{model_id}"]'
    assert page.get_attribute(panel, "data-live") == "no"
    assert "cannot move" in page.inner_text(panel)
    assert page.evaluate(f"() => !document.querySelector('{panel}').parentElement"
                         ".classList.contains('umbook-live-on')"), "saved-state dial hidden"
    page.close()


def test_a_page_showing_the_wrong_setting_is_caught(served, browser_context):
    html, base, page, nb, page_rel, model_id, spec = _control_page(served, browser_context)
    table = _table_of(html, page_rel, model_id)
    table["states"] = table["states"][1:] + table["states"][:1]   # every picture one off
    _serve_instead(page, base, html, page_rel, model_id, table, page_too=True)
    page.goto(base + page_rel, wait_until="load")
    page.wait_for_selector(f'.umbook-live[data-model-id="{model_id}"][data-live="yes"]')
    dial = live.remake(spec, folder=BOOK / Path(nb).parent)
    bad, _ = drive(page, model_id, dial, table["controls"], table["presets"])
    assert bad, "a page showing every picture one setting off passed the comparison"
    page.close()


def test_a_request_leaving_the_machine_is_caught(served, browser_context):
    html, base, page, nb, page_rel, model_id, spec = _control_page(served, browser_context)
    left = browser_context[1]
    page.goto(base + page_rel, wait_until="load")
    n = len(left)
    page.evaluate("() => fetch('http://example.org/x').catch(() => null)")
    page.wait_for_timeout(200)
    assert len(left) == n + 1 and "example.org" in left[-1]
    del left[n:]
    page.close()


def test_from_a_file_the_page_says_it_cannot_move(served, browser_context):
    html, base, page, nb, page_rel, model_id, spec = _control_page(served, browser_context)
    page.goto((html / page_rel).as_uri(), wait_until="load")
    panel = f'.umbook-live[data-model-id="{model_id}"]'
    page.wait_for_selector(panel + "[data-live]")
    status = page.inner_text(panel + " .umbook-live-status")
    # the browser checks no script's integrity for a file: the page says so, keeps its
    # saved picture, and names the way out
    assert page.get_attribute(panel, "data-live") == "no"
    assert "cannot move" in status and "opened from a file" in status, status
    assert page.evaluate("() => document.querySelectorAll('.jupyter-widgets').length") > 0
    page.close()
