"""umlib.book.gates: behaviour pinned by the mutation-testing review (benchmarks/mutation.md).

The gate log's text/HTML/JSON renderings are stored in the notebooks' outputs and read
by the ledger, so their exact layout is part of the contract; the expected strings
below are written out by hand from the layout rule (columns left-justified to the
widest cell, two spaces apart, trailing blanks stripped).
"""

import math
import re
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from umlib.book import gates


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


@pytest.fixture(autouse=True)
def fresh_log():
    return gates.new_log("ch")


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
    assert set(bundle) == {"text/plain", "text/html", gates.MIME_TYPE}
    assert bundle["text/plain"] == repr(log)
    payload = bundle[gates.MIME_TYPE]
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


@pytest.mark.parametrize("call,kind", [
    (lambda: gates.gate_exact("g", 1.0, 1.0), "exact"),
    (lambda: gates.gate_ulp("g", 1.0, 1.0, max_ulp=0), "ulp"),
    (lambda: gates.gate_rel("g", 1.0, 1.0, rtol=0), "rel"),
    (lambda: gates.gate_abs("g", 1.0, 1.0, atol=0), "abs"),
    (lambda: gates.gate_sigma("g", 1.0, 1.0, 1.0, n_sigma=0), "sigma"),
    (lambda: gates.gate_count("g", 0), "count"),
])
def test_kinds_roles_and_defaults(call, kind):
    r = call()
    assert r.kind == kind and r.role == "check" and r.note == "" and r.n == 1
    assert r.passed and r.status == "pass"


def test_notes_and_n_are_recorded():
    assert gates.gate_exact("e", [1.0, 2.0], [1.0, 2.0], note="ne").note == "ne"
    assert gates.gate_ulp("u", 1.0, 1.0, 0, note="nu").note == "nu"
    assert gates.gate_rel("r", 1.0, 1.0, 0, note="nr").note == "nr"
    assert gates.gate_abs("a", 1.0, 1.0, 0, note="na").note == "na"
    s = gates.gate_sigma("s", 1.0, 1.0, 1.0, 0, n=400, note="ns")
    assert (s.note, s.n) == ("ns", 400)
    c = gates.gate_count("c", 0, n=12, note="nc")
    assert (c.note, c.n) == ("nc", 12)


@pytest.mark.parametrize("call,msg", [
    (lambda: gates.gate_ulp("g", 1.0, 1.0 + 2**-50, max_ulp=3),
     "gate 'g' (ulp) failed: measured 4 > tolerance 3"),
    (lambda: gates.gate_rel("g", 1.5, 1.0, rtol=0.25),
     "gate 'g' (rel) failed: measured 0.5 > tolerance 0.25"),
    (lambda: gates.gate_abs("g", 0.2, 0.0, atol=0.1),
     "gate 'g' (abs) failed: measured 0.2 > tolerance 0.1"),
    (lambda: gates.gate_count("g", 1),
     "gate 'g' (count) failed: measured 1 > tolerance 0"),
    (lambda: gates.gate_exact("g", [1.0, 2.0, 3.0], [1.0, 0.0, 0.0]),
     "gate 'g' (exact) failed: measured 2 > tolerance 0 (2 of 3 values differ)"),
    (lambda: gates.gate_sigma("g", 10.5, 10.0, 0.1, n_sigma=3),
     "gate 'g' (sigma) failed: measured 5 > tolerance 3 "
     "(estimate 10.5, expected 10, stderr 0.1)"),
])
def test_failure_messages(call, msg):
    with pytest.raises(gates.GateFailure, match=full(msg)):
        call()


def test_infinities_under_test_are_values_not_errors():
    gates.gate_exact("+inf", np.inf, np.inf)
    gates.gate_exact("-inf", -np.inf, -np.inf)
    gates.gate_ulp("inf ulp", [np.inf, -np.inf], [np.inf, -np.inf], max_ulp=0)
    with pytest.raises(gates.GateFailure):
        gates.gate_abs("inf abs", np.inf, 1.0, atol=1e300)
    with pytest.raises(gates.GateFailure):
        gates.gate_rel("-inf rel", -np.inf, 1.0, rtol=1e300)


def test_nan_under_test_is_recorded_as_infinitely_wrong():
    with gates.expect_failure("nan"):
        gates.gate_abs("nan", [1.0, np.nan], [1.0, 1.0], atol=1.0)
    assert gates.current_log().results[-1].measured == math.inf


def test_overflowing_differences_fail_quietly():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(gates.GateFailure, match="measured inf"):
            gates.gate_abs("big", 1e308, -1e308, atol=1.0)
        with pytest.raises(gates.GateFailure, match="measured inf"):
            gates.gate_rel("big rel", 1e308, -1e-300, rtol=1.0)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda: gates.gate_exact("", 1.0, 1.0), ValueError, "name must be a non-empty string"),
    (lambda: gates.gate_exact(3, 1.0, 1.0), ValueError, "name must be a non-empty string"),
    (lambda: gates.gate_exact("g", "abc", 1.0), TypeError,
     "actual must hold real numbers, got dtype <U3"),
    (lambda: gates.gate_exact("g", 1.0, "abc"), TypeError,
     "expected must hold real numbers, got dtype <U3"),
    (lambda: gates.gate_rel("g", 1.0, np.inf, rtol=1), ValueError, "expected contains +inf"),
    (lambda: gates.gate_abs("g", 1.0, -np.inf, atol=1), ValueError, "expected contains -inf"),
    (lambda: gates.gate_rel("g", [1.0, 1.0], [1.0, 0.0], rtol=1), ValueError,
     "expected has zeros: a relative tolerance is undefined; use gate_abs"),
    (lambda: gates.gate_ulp("g", 1.0, 1.0, max_ulp="1"), TypeError,
     "max_ulp must be a real number, got str"),
    (lambda: gates.gate_rel("g", 1.0, 1.0, rtol=-1), ValueError,
     "rtol must be finite and >= 0, got -1.0"),
    (lambda: gates.gate_abs("g", 1.0, 1.0, atol=np.inf), ValueError,
     "atol must be finite and >= 0, got inf"),
    (lambda: gates.gate_sigma("g", 1.0, 1.0, 1.0, n_sigma=True), TypeError,
     "n_sigma must be a real number, got bool"),
    (lambda: gates.gate_sigma("g", 1.0, 1.0, "x", n_sigma=3), TypeError,
     "stderr must be a real number, got str"),
    (lambda: gates.gate_sigma("g", 1.0, 1.0, 0.0, n_sigma=3), ValueError,
     "stderr must be finite and > 0, got 0.0"),
    (lambda: gates.gate_sigma("g", np.nan, 1.0, 1.0, n_sigma=3), ValueError,
     "estimate contains NaN"),
    (lambda: gates.gate_sigma("g", [1.0, 100.0], 1.0, 1.0, n_sigma=3), ValueError,
     "estimate must be one number, got 2 values"),
    (lambda: gates.gate_sigma("g", 1.0, [1.0, 2.0], 1.0, n_sigma=3), ValueError,
     "expected must be one number, got 2 values"),
    (lambda: gates.gate_sigma("g", 1.0, np.inf, 1.0, n_sigma=3), ValueError,
     "estimate and expected must be finite"),
    (lambda: gates.gate_sigma("g", [np.nan], 1.0, 1.0, n_sigma=3), ValueError,
     "estimate contains NaN"),
    (lambda: gates.gate_count("g", 1.0), TypeError, "violations must be an int, got float"),
    (lambda: gates.gate_count("g", -1), ValueError, "violations must be >= 0, got -1"),
    (lambda: gates.gate_count("g", 0, allowed=-2), ValueError,
     "allowed must be finite and >= 0, got -2.0"),
    (lambda: gates.gate_exact("g", [1.0, 2.0], [1.0, 2.0, 3.0]), ValueError,
     "actual and expected have incompatible shapes (2,) and (3,)"),
])
def test_argument_errors(call, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        call()


def test_sigma_accepts_one_element_arrays():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for est in (np.array([10.2]), np.array([[10.2]]), np.float64(10.2), 10.2):
            gates.new_log("s")
            r = gates.gate_sigma("s", est, 10.0, 0.1, n_sigma=3)
            assert r.measured == pytest.approx(2.0, rel=1e-12)


def test_sigma_default_n_and_zero_distance():
    r = gates.gate_sigma("z", 5.0, 5.0, 0.5, n_sigma=0)
    assert r.measured == 0.0 and r.n == 1 and r.passed


def test_count_default_allows_no_violation():
    r = gates.gate_count("none", 0)
    assert r.tolerance == 0.0 and r.n == 1
    with pytest.raises(gates.GateFailure):
        gates.gate_count("one", 1)


def test_ulp_distance_keeps_shape_and_dtype():
    a = np.array([[1.0, 2.0, 3.0]])
    d = gates.ulp_distance(a, np.nextafter(a, 4.0))
    assert d.shape == (1, 3) and d.dtype == np.float64 and d.tolist() == [[1.0, 1.0, 1.0]]
    assert gates.ulp_distance(0.0, 5e-324) == 1.0
    assert gates.ulp_distance(-0.0, 5e-324) == 1.0


def test_renderer_hides_only_the_gate_record():
    h = gates.GateRecordRenderer.handle_mime
    assert h(None, SimpleNamespace(mime_type=gates.MIME_TYPE), False) == []
    assert h(None, SimpleNamespace(mime_type="text/html"), False) is None
