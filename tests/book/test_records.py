"""umlib.book.records: a gate's stored record and repr (:class:`GateResult`), the log's
text, HTML and JSON renderings and ``assert_all`` (:class:`GateLog`), the MIME type and
:class:`GateRecordRenderer`.

The gate log's renderings are stored in the notebooks' outputs and read by the ledger, so
their exact layout is part of the contract; the expected strings below are written out by
hand from the layout rule (columns left-justified to the widest cell, two spaces apart,
trailing blanks stripped).  Most of these tests were written in the mutation-testing
review (benchmarks/mutation.md).
"""

import json
import math
import re
from types import SimpleNamespace

import pytest

from umlib.book import gates
from umlib.book import records


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


@pytest.fixture(autouse=True)
def fresh_log():
    return gates.new_log("ch")


def test_log_renders_text_html_and_json():
    gates.gate_ulp("a", 1.0, 1.0, max_ulp=1)
    with gates.expect_failure("b"):
        gates.gate_rel("b", 2.0, 1.0, rtol=0.1)
    bundle = gates.current_log()._repr_mimebundle_()
    assert "failed as expected" in bundle["text/plain"]
    assert bundle["text/html"].startswith('<table class="umlib-gates">')
    payload = json.loads(json.dumps(bundle[records.MIME_TYPE]))
    assert [g["name"] for g in payload["gates"]] == ["a", "b"]
    assert payload["gates"][1]["measured"] == 1.0 and payload["gates"][1]["role"] == "control"


def test_records_are_rounded_for_stable_outputs():
    gates.gate_rel("r", 1.0 + math.pi * 1e-12, 1.0, rtol=1e-9)
    rec = gates.current_log().records()[0]
    assert rec["measured"] == float(f"{rec['measured']:.4g}")


def _two_gate_log():
    gates.gate_exact("a", 1.0, 1.0)
    with gates.expect_failure("control"):
        gates.gate_abs("bb", 0.5, 0.0, atol=0.25)
    return gates.current_log()


def test_text_table_layout():
    log = _two_gate_log()
    assert repr(log) == (
        "Gates of ch\n"
        "gate  kind   role     measured  tolerance  n  status\n"
        "----  -----  -------  --------  ---------  -  ------------------\n"
        "a     exact  check    0         0          1  pass\n"
        "bb    abs    control  0.5       0.25       1  failed as expected")


def test_html_table_layout_and_escaping():
    gates.gate_count("<b>&", 3, allowed=5, n=7)
    head = "".join(f"<th>{h}</th>" for h in
                   ("gate", "kind", "role", "measured", "tolerance", "n", "status"))
    row = "".join(f"<td>{c}</td>" for c in
                  ("&lt;b&gt;&amp;", "count", "check", "3", "5", "7", "pass"))
    assert gates.current_log()._repr_html_() == (
        '<table class="umlib-gates"><caption>Gates of ch</caption>'
        f"<thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>")


def test_html_rows_are_adjacent():
    _two_gate_log()
    html = gates.current_log()._repr_html_()
    assert "<tbody><tr><td>a</td>" in html
    assert "<td>pass</td></tr><tr><td>bb</td>" in html
    assert html.endswith("<td>failed as expected</td></tr></tbody></table>")


def test_mime_bundle_payload():
    log = _two_gate_log()
    bundle = log._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", records.MIME_TYPE}
    assert bundle["text/plain"] == repr(log)
    payload = bundle[records.MIME_TYPE]
    assert payload["chapter"] == "ch" and set(payload) == {"chapter", "gates"}
    assert payload["gates"] == log.records()


def test_record_has_every_field():
    r = gates.gate_rel("r", [2.2, 3.0, 4.0], [2.0, 3.0, 4.0], rtol=math.pi * 1e-1, note="why")
    rec = r.record()
    assert rec == {"name": "r", "kind": "rel", "tolerance": 0.3142, "measured": 0.1,
                   "passed": True, "role": "check", "n": 3, "note": "why", "status": "pass"}
    assert r.measured == pytest.approx(0.1, rel=1e-14)      # |2.2 - 2| / |2|


def test_result_repr():
    r = gates.gate_ulp("u", 1.0, 1.0, max_ulp=2.5)
    assert repr(r) == "pass: u [ulp, measured <= 2.5 vs tolerance 2.5, n=1]"
    r2 = gates.gate_abs("v", [1.0, 2.0], [1.5, 2.0], atol=1.23456)
    assert repr(r2) == "pass: v [abs, measured 0.5 vs tolerance 1.235, n=2]"
    r3 = gates.gate_count("w", 0, n=2)
    assert repr(r3) == "pass: w [count, measured 0 vs tolerance 0, n=2]"


def test_statuses_and_assert_all():
    log = _two_gate_log()
    assert log.assert_all() is log                       # pass + failed-as-expected: fine
    with pytest.raises(gates.GateFailure):
        gates.gate_exact("c", 1.0, 2.0)
    assert log.results[-1].role == "check" and log.results[-1].status == "FAIL"
    with pytest.raises(gates.GateFailure, match=full("gates in a wrong state: ['c']")):
        log.assert_all()


def test_renderer_prints_the_gate_record_as_a_table():
    """The record becomes a captioned long table with one row per gate (the PDF's gate
    table); other mime types are left to myst-nb; html never chooses the record."""
    from docutils import nodes

    log = _two_gate_log()
    payload = json.loads(json.dumps(log._repr_mimebundle_()[records.MIME_TYPE]))
    h = records.GateRecordRenderer.handle_mime
    (table,) = h(None, SimpleNamespace(mime_type=records.MIME_TYPE, content=payload), False)
    assert isinstance(table, nodes.table) and "longtable" in table["classes"]
    assert table[0].astext() == f"Gates of {log.chapter}"
    rows = list(table.findall(nodes.row))
    assert len(rows) == 1 + len(log.results)
    assert [e.astext() for e in rows[0].children] == list(records.GateLog._HEAD)
    assert [tuple(e.astext() for e in r.children) for r in rows[1:]] == log._rows()
    assert h(None, SimpleNamespace(mime_type=records.MIME_TYPE, content=payload), True) == []
    assert h(None, SimpleNamespace(mime_type="text/html"), False) is None
    overrides = dict(((b, m), p) for b, m, p in records.GateRecordRenderer.mime_priority_overrides)
    assert overrides[("*", records.MIME_TYPE)] is None
    assert overrides[("latex", records.MIME_TYPE)] < 10


def test_print_table_rejects_what_is_not_a_record():
    with pytest.raises(TypeError, match="payload must be a gate record"):
        records.print_table({"gates": []})
    with pytest.raises(TypeError, match="payload\\['gates'\\] must hold dicts"):
        records.print_table({"chapter": "x", "gates": [1]})
