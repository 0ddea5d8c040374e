"""Live dials in the HTML book, with no kernel and no network (a local Sphinx extension).

A chapter's dial cell (``dial.build()``) stores, in the widget view output's metadata,
the dial's spec under the key ``umlib.widgets.protocol.SPEC_MIME``.  For every such
output of a page this extension, at build time:

* remakes the dial from its spec with ``umlib.widgets.protocol.remake`` (in the chapter's
  folder) and computes its state table with ``umlib.widgets.protocol.state_table``: the
  dial's own ``readout`` and ``render`` at every reachable setting;
* writes the table as a script, ``_static/umbook-live/<page>-<n>.js``, and loads it
  with its SHA-256 as the script's integrity attribute (the browser refuses other bytes);
* adds ``_static/umbook-live/live.js`` (written below) and the tables to that page only;
  the tables load ``async``, while the page is parsed.

In the browser, ``live.js`` reads the page's tables, builds plain HTML controls
(sliders over the positions, buttons for choices and presets) and switches the picture
shown to the one the table holds for the setting.  It computes nothing.  Where it cannot
start (a table refused; a page opened from ``file://``, where the browser cannot check a
script's integrity), it says so on the page and the saved-state widget stays.  Pages
without a dial are untouched.

Tested by tests/whole_book/test_live_dials.py.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

SPEC_MIME = "application/vnd.umbook.dial+json"
FOLDER = "umbook-live"
# before the theme's and MathJax's scripts (Sphinx's default priority is 500)
LIVE_PRIORITY = 450

LIVE_JS = r"""/* The book's live dials: switch between pictures computed at build time by the
   dials' own Python code (see book/_ext/umbook_live.py).  Nothing is computed here. */
(function () {
  "use strict";
  var page = window.umbookLive || {dials: []};
  var arrived = {};      // model id -> its table
  var told = {};         // model id -> resolve(): its table script ran or failed
  var waiting = {};      // model id -> promise that the table script ran or failed
  page.dials.forEach(function (d) {
    waiting[d.model_id] = new Promise(function (ok) { told[d.model_id] = ok; });
  });
  // Each table script calls this when it runs; the browser runs it only if its bytes
  // have the SHA-256 the page names (its integrity attribute).
  window.umbookLiveTable = function (id, table) {
    if (!told[id]) return;
    arrived[id] = table;
    told[id]();
  };
  window.umbookLiveMissing = function (id) { if (told[id]) told[id](); };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function css() {
    var s = document.createElement("style");
    s.textContent =
      ".umbook-live-on > :not(.umbook-live) { display: none !important; }" +
      ".umbook-live { border-left: 3px solid #3465a4; padding: .4em .8em; margin: .5em 0; }" +
      ".umbook-live-status { font-size: .9em; color: #333; margin-bottom: .3em; }" +
      ".umbook-live-row { display: flex; align-items: center; gap: .6em; margin: .2em 0; flex-wrap: wrap; }" +
      ".umbook-live-row input[type=range] { width: 420px; max-width: 100%; }" +
      ".umbook-live button { border: 1px solid #555; background: #fff; color: #111;" +
      "  padding: .15em .6em; border-radius: 3px; cursor: pointer; }" +
      ".umbook-live button[aria-pressed=true] { background: #1f4e8c; color: #fff; }" +
      ".umbook-live fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: .4em;" +
      "  align-items: center; flex-wrap: wrap; }" +
      ".umbook-live legend { float: none; width: auto; font-size: 1em; font-weight: normal;" +
      "  margin: 0 .5em 0 0; padding: 0; }";
    document.head.appendChild(s);
  }

  function findView(modelId) {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    for (var i = 0; i < views.length; i++) {
      try { if (JSON.parse(views[i].textContent).model_id === modelId) return views[i]; }
      catch (e) { /* not a view */ }
    }
    return null;
  }


  function build(panel, table, n) {
    var controls = table.controls, pos = controls.map(function (c) { return c.default; });
    var strides = [], stride = 1;
    for (var i = controls.length - 1; i >= 0; i--) {
      strides[i] = stride; stride *= controls[i].labels.length;
    }
    var box = el("div", {"class": "umbook-live-controls"});
    var view = el("div", {"class": "umbook-live-view"});
    var sync = [];
    panel.umbookLatencies = [];

    function show(t0) {
      var k = 0;
      for (var i = 0; i < pos.length; i++) k += pos[i] * strides[i];
      view.innerHTML = table.html[table.states[k]];
      panel.dataset.state = pos.join(",");
      sync.forEach(function (f) { f(); });
      if (t0 !== undefined) {
        void view.offsetHeight;                       // the new picture laid out
        panel.umbookLatencies.push(performance.now() - t0);
      }
    }

    controls.forEach(function (c, i) {
      var row = el("div", {"class": "umbook-live-row"});
      if (c.kind === "choice") {
        var set = el("fieldset", {});
        set.appendChild(el("legend", {}, c.label));
        c.labels.forEach(function (lab, j) {
          var b = el("button", {"type": "button", "data-control": c.name,
                                "data-position": String(j)}, lab);
          b.addEventListener("click", function () { var t0 = performance.now(); pos[i] = j; show(t0); });
          set.appendChild(b);
          sync.push(function () { b.setAttribute("aria-pressed", String(pos[i] === j)); });
        });
        row.appendChild(set);
      } else {
        var id = "umbook-live-" + n + "-" + c.name.replace(/\W/g, "_");
        var label = el("label", {"for": id}, c.label);
        var input = el("input", {"type": "range", "id": id, "min": "0",
                                 "max": String(c.labels.length - 1), "step": "1",
                                 "value": String(pos[i]), "data-control": c.name});
        var out = el("output", {"for": id});
        input.addEventListener("input", function () {
          var t0 = performance.now(); pos[i] = parseInt(input.value, 10); show(t0); });
        sync.push(function () {
          input.value = String(pos[i]);
          out.textContent = c.labels[pos[i]];
          input.setAttribute("aria-valuetext", c.label + " = " + c.labels[pos[i]]);
        });
        row.appendChild(label); row.appendChild(input); row.appendChild(out);
      }
      box.appendChild(row);
    });
    if (table.presets.length) {
      var row = el("div", {"class": "umbook-live-row"});
      table.presets.forEach(function (p, j) {
        var b = el("button", {"type": "button", "data-preset": String(j)}, p.label);
        b.addEventListener("click", function () {
          var t0 = performance.now();
          p.positions.forEach(function (q, i) { if (q !== null) pos[i] = q; });
          show(t0);
        });
        sync.push(function () {
          var on = p.positions.every(function (q, i) { return q === null || pos[i] === q; });
          b.setAttribute("aria-pressed", String(on));
        });
        row.appendChild(b);
      });
      box.appendChild(row);
    }
    panel.appendChild(box);
    panel.appendChild(view);
    show();
  }

  async function start(dial, n) {
    var begun = performance.now();
    var anchor = findView(dial.model_id);
    if (!anchor) return;
    var holder = anchor.parentElement;
    var panel = el("div", {"class": "umbook-live", "role": "group",
                           "aria-label": "live dial", "data-model-id": dial.model_id});
    var status = el("div", {"class": "umbook-live-status", "role": "status"},
                    "Loading the live dial…");
    panel.appendChild(status);
    holder.insertBefore(panel, anchor);
    try {
      await waiting[dial.model_id];
      if (!(dial.model_id in arrived))
        throw new Error(location.protocol === "file:" ?
          "opened from a file, the browser cannot check the dial's table; serve the " +
          "book's folder over HTTP, e.g. python -m http.server" :
          "its table " + dial.src + " did not load or failed its integrity check");
      var table = arrived[dial.model_id];
      build(panel, table, n);
      status.textContent = "Live: every setting below was computed by the book's own code " +
        "when the book was built (" + table.states.length + " settings).";
      holder.classList.add("umbook-live-on");
      panel.dataset.liveMs = String(performance.now());           // since navigation
      panel.dataset.startToLiveMs = String(performance.now() - begun);  // the dial's own
      panel.dataset.live = "yes";
    } catch (err) {
      status.textContent = "This dial cannot move here (" + err.message + "); " +
        "it shows its saved setting.";
      panel.dataset.live = "no";
    }
  }

  function go() {
    css();
    page.dials.forEach(function (d, n) { start(d, n); });
  }
  // as soon as the page is parsed: "interactive" comes before the deferred scripts (the
  // theme's, MathJax) run and before DOMContentLoaded
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      go();
    });
  } else go();
})();
"""


def _dials_of(path: Path) -> list[dict]:
    """The dial specs stored in a notebook's outputs, in order."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            meta = out.get("metadata") or {}
            if SPEC_MIME in meta:
                found.append(meta[SPEC_MIME])
    return found


def _slug(pagename: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", pagename)


def _page_dials(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or doctree is None:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".ipynb":
        return
    found = _dials_of(source)
    if not found:
        return
    from umlib.widgets import protocol as live

    folder = Path(app.outdir) / "_static" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    dials = []
    for n, item in enumerate(found):
        t0 = time.perf_counter()
        try:
            dial = live.remake(item["spec"], folder=source.parent)
            script, integrity = live.pack_table(live.state_table(dial), item["model_id"])
        except Exception as exc:            # e.g. the corpus unavailable to this build
            logger.info(f"[umbook_live] {pagename}: dial {n} not made live ({exc})")
            continue
        name = f"{_slug(pagename)}-{n}.js"
        (folder / name).write_bytes(script.encode("utf-8"))
        dials.append({"model_id": item["model_id"], "integrity": integrity,
                      "src": context["pathto"](f"_static/{FOLDER}/{name}", 1),
                      "file": f"{FOLDER}/{name}"})
        logger.info(f"[umbook_live] {pagename}: dial {n}, {type(dial).__name__}, "
                    f"{time.perf_counter() - t0:.1f} s")
    if not dials:
        return
    # the page's dials, then the small switching script, then each table (async: it is
    # inflated and checked as soon as it arrives, while the page is still parsed)
    files = [d.pop("file") for d in dials]
    app.add_js_file(None, body="window.umbookLive = " + json.dumps({"dials": dials}) + ";",
                    priority=LIVE_PRIORITY)
    app.add_js_file(f"{FOLDER}/live.js", priority=LIVE_PRIORITY)
    for d, file in zip(dials, files):
        app.add_js_file(file, loading_method="async", priority=LIVE_PRIORITY,
                        integrity=d["integrity"],
                        onerror=f"umbookLiveMissing({json.dumps(d['model_id'])})")


def _write_script(app):
    if app.builder.format != "html":
        return
    folder = Path(app.outdir) / "_static" / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "live.js").write_text(LIVE_JS, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", _write_script)
    app.connect("html-page-context", _page_dials)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": False}
