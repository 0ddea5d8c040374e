"""Reliability benchmark: every public callable of umlib under hostile input.

Usage: python benchmarks/hostile.py [--write]

Runs the engine of tests/test_hostile.py (tests/hostile_engine.py) over every public
function and class of umlib and prints one JSON line: callables covered, calls made
and the outcome of each call (named errors, finite results, hangs, silent non-finite
results, escaped warnings, errors that do not name the argument), plus the seconds it
took.  ``benchmarks/run.py`` stores that line in ``benchmarks/results.json`` under
``"reliability"``; ``--write`` stores it there directly without running the other
benchmarks.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def measure() -> dict:
    import hostile_engine as H

    t0 = time.perf_counter()
    r = H.run_all()
    seconds = time.perf_counter() - t0
    bad = r.pop("bad")
    import importlib.util
    spec = importlib.util.spec_from_file_location("test_hostile",
                                                  ROOT / "tests" / "test_hostile.py")
    known = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(known)
    open_bad = [b for b in bad if b[0] in known.KNOWN_OPEN]
    return {"public_callables": r["public_callables"], "classes": r["classes"],
            "covered": r["covered"], "excluded": r["excluded"], "calls": r["calls"],
            "dial_readout_calls": r["dial_readout_calls"], "outcomes": r["outcomes"],
            "bad_outcomes": len(bad), "bad_by_callable": r["bad_by_callable"],
            "bad_outcomes_known_open": len(open_bad),
            "known_open": {q: known.KNOWN_OPEN[q] for q in sorted({b[0] for b in open_bad})},
            "alarm_seconds": H.ALARM_SECONDS, "seconds": round(seconds, 1)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = measure()
    print(json.dumps(out))
    if "--write" in argv:
        path = ROOT / "benchmarks" / "results.json"
        results = json.loads(path.read_text())
        results["reliability"] = out
        path.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
