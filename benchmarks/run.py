"""Benchmarks (not tests): notebook execution times and dial latency.

Usage: python benchmarks/run.py [--part part3] [--repeats 200] [--suite | --suite-only |
       --notebooks-only]

Also times the README's build command (it renders the committed outputs).

Measures the time to execute each notebook (a fresh kernel each, as nbval and
the build run them), the peak resident memory of the largest kernel, the
latency of one dial update (median and 95th percentile over a sweep), any
extra benchmark scripts in benchmarks/ that write a JSON file (``*_throughput.py``),
the reliability counts of ``benchmarks/hostile.py`` (one JSON line, stored under
``"reliability"``), and with
--suite the wall time of the whole test suite (--suite-only: that alone).  Updates
benchmarks/results.json (rendered by the book's performance appendix), keeping the
entries other benchmarks write there, and prints a table.  Timings vary between machines and runs; they are reported
here and never asserted in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def time_notebook(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    return time.perf_counter() - t0


def dial_latency(repeats: int) -> dict:
    """Time one full dial update (arithmetic + SVG + widget values) over a sweep of settings."""
    from umlib.widgets import temperature as dials
    from umlib.core import spectra

    dial = dials.TemperatureDial({"box": spectra.box_levels(8),
                                  "oscillator": spectra.oscillator_levels(8)})
    dial.build()
    slider = dial.widgets["T"]
    values = np.logspace(-2, 2, repeats)
    samples = []
    for v in values:
        t0 = time.perf_counter()
        slider.value = float(v)          # runs the observer exactly as dragging does
        samples.append(time.perf_counter() - t0)
    ms = sorted(1e3 * s for s in samples)
    return {"n": len(ms), "median_ms": statistics.median(ms),
            "p95_ms": ms[int(0.95 * (len(ms) - 1))], "max_ms": ms[-1]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", default=None, help="only notebooks under book/<part>")
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--suite", action="store_true", help="also time the full test suite")
    ap.add_argument("--suite-only", action="store_true",
                    help="time only the test suite and update that entry of results.json")
    ap.add_argument("--notebooks-only", action="store_true",
                    help="time only the notebooks and update those entries of results.json")
    args = ap.parse_args(argv)
    if args.suite_only:
        suite = time_suite()
        _write({"suite": suite})
        return 0
    base = ROOT / "book" / (args.part or "")
    # the performance appendix renders this benchmark's output, so it is not timed by it
    notebooks = sorted(p for p in base.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
                       and p.name != "performance.ipynb")
    rows = []
    for nb in notebooks:
        dt = time_notebook(nb)
        rows.append({"notebook": nb.relative_to(ROOT).as_posix(), "seconds": round(dt, 2)})
        print(f"{rows[-1]['notebook']:<50} {dt:7.2f} s", flush=True)
    total = sum(r["seconds"] for r in rows)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    machine = {"python": sys.version.split()[0], "platform": platform.platform(),
               "processor": platform.machine()}
    if args.notebooks_only:
        print(f"{'total':<50} {total:7.2f} s   (peak kernel memory {peak_mb:.0f} MB)")
        _write({"machine": machine, "notebooks": rows, "total_seconds": round(total, 2),
                "peak_kernel_memory_mb": round(peak_mb)})
        return 0
    lat = dial_latency(args.repeats)
    extra = {}
    for script in sorted((ROOT / "benchmarks").glob("*_throughput.py")):
        # each throughput script writes <name>.json beside itself
        subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                       check=True, cwd=ROOT)
        extra[script.stem] = json.loads(script.with_suffix(".json").read_text())
        for r in extra[script.stem].get("rows", []):
            print(f"{r['sampler']:<50} {r['flips_per_second']:10.3e} flips/s "
                  f"({r['speedup_vs_python']:.1f}x the plain loop)")
    # reliability: every public callable under hostile input (one JSON line of counts)
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hostile.py")],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    reliability = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"hostile input: {reliability['calls']} calls on {reliability['covered']} "
          f"callables: {reliability['outcomes']}")
    # Part I's sat-rnn: train it from scratch, as scripts/train_satrnn.py does
    import re
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_satrnn.py"),
                               "--out", str(Path(tmp) / "satrnn.npz"), "--quiet"],
                              capture_output=True, text=True, check=True, cwd=ROOT)
        wall = time.perf_counter() - t0
    m = re.search(r"trained in ([0-9.]+) s, (\d+) epochs: ([0-9.]+) bpc", proc.stderr)
    training = {"seconds": float(m.group(1)), "wall_seconds": round(wall, 1),
                "epochs": int(m.group(2)), "bpc": float(m.group(3))} if m else None
    print(f"sat-rnn training: {training}")
    # the README's build command, rendering the committed outputs (no kernel is started)
    import shutil
    with tempfile.TemporaryDirectory() as tmp:
        jb = Path(sys.executable).with_name("jupyter-book")
        t0 = time.perf_counter()
        proc = subprocess.run([str(jb), "build", str(ROOT), "--all", "-W", "-n",
                               "--keep-going", "--path-output", tmp],
                              capture_output=True, text=True, cwd=ROOT)
        build = {"seconds": round(time.perf_counter() - t0, 1),
                 "returncode": proc.returncode,
                 "warnings": (proc.stdout + proc.stderr).count("WARNING")}
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"book build (README command): {build}")
    suite = time_suite() if args.suite else None
    print(f"{'total':<50} {total:7.2f} s   (peak kernel memory {peak_mb:.0f} MB)")
    print(f"dial update: median {lat['median_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms "
          f"over {lat['n']} settings (target: median < 50 ms)")
    out = {"machine": machine,
           "notebooks": rows, "total_seconds": round(total, 2),
           "peak_kernel_memory_mb": round(peak_mb), "dial": lat, "extra": extra,
           "training": training,
           "reliability": reliability,
           "build": build}
    if suite is not None:          # an earlier suite figure stays unless this run timed one
        out["suite"] = suite
    _write(out)
    return 0


def time_suite() -> dict:
    """The README's test command, ``python -m pytest``, on this machine: wall time and work.

    Besides the wall time it records the CPU time the whole machine spent while the suite
    ran (from ``/proc/stat``, so the kernels, Chromium and TeX it starts are counted, and
    so is anything else running: measure on a quiet machine), and the time of its test
    items grouped by what they check (``suite_families``).  Two cores give 600 CPU-seconds
    in five minutes; the work is what that budget is compared with.
    """
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "suite.xml"
        busy0 = _busy_cpu_seconds()
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", f"--junitxml={xml}"],
                              cwd=ROOT, capture_output=True, text=True, env=dict(os.environ))
        wall = time.perf_counter() - t0
        busy = _busy_cpu_seconds() - busy0 if busy0 is not None else None
        families = suite_families(xml.read_text()) if xml.is_file() else {}
    suite = {"seconds": round(wall, 1),
             "result": proc.stdout.strip().splitlines()[-1] if proc.stdout else "",
             "cpu_seconds": round(busy, 1) if busy is not None else None,
             "cores": os.cpu_count(),
             "families": families}
    log = ROOT / "_build" / "benchmark-suite.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(proc.stdout + proc.stderr)     # the whole report, for a failure
    print(f"test suite: {suite['seconds']} s ({suite['result']}), "
          f"{suite['cpu_seconds']} CPU-seconds on {suite['cores']} cores")
    for name, f in families.items():
        print(f"  {name:<58} {f['items']:5d} items {f['seconds']:8.1f} s")
    return suite


def _busy_cpu_seconds() -> float | None:
    """CPU-seconds the whole machine has spent busy since boot (None where /proc/stat is absent)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]                  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


#: what a test item checks, from its file (first match wins)
FAMILIES = (
    ("notebook cells compared with the stored outputs (nbval)", lambda c, n: ".ipynb" in c
     and n != "determinism"),
    ("notebooks executed a second time (determinism)", lambda c, n: n == "determinism"),
    ("every page in Chromium (axe, links, images, TeX)",
     lambda c, n: c.endswith("test_build") and n == "test_every_page_in_chromium"),
    ("the book built from clean, and its other checks", lambda c, n: c.endswith("test_build")),
    ("the PDF", lambda c, n: c.endswith("test_pdf")),
    ("the live dials in Chromium", lambda c, n: c.endswith("test_live_dials")),
    ("JupyterLab", lambda c, n: c.endswith("test_jupyterlab")),
    ("everything else (unit, property, hostile-input, widget and ledger tests)",
     lambda c, n: True),
)


def suite_families(junit_xml: str) -> dict:
    """Test items and their summed time (setup, call and teardown) per family.

    The times are wall times of items that ran beside each other on the suite's workers,
    so they add up to about workers x wall time, not to CPU time.
    """
    import xml.etree.ElementTree as ET
    out = {name: {"items": 0, "seconds": 0.0} for name, _ in FAMILIES}
    for case in ET.fromstring(junit_xml).iter("testcase"):
        cls, name = case.get("classname", ""), case.get("name", "")
        family = next(f for f, match in FAMILIES if match(cls, name))
        out[family]["items"] += 1
        out[family]["seconds"] += float(case.get("time") or 0)
    return {k: {"items": v["items"], "seconds": round(v["seconds"], 1)} for k, v in out.items()}


def _write(entries: dict) -> None:
    """Update results.json with ``entries``, keeping what other benchmarks wrote there."""
    path = ROOT / "benchmarks" / "results.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    results.update(entries)
    path.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
