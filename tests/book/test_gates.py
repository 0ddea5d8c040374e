"""The gate API: every family passes what it should, fails what it must, and says so."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.book import gates


@pytest.fixture(autouse=True)
def fresh_log():
    return gates.new_log("test")


def test_exact_distinguishes_signed_zero_and_last_bit():
    gates.gate_exact("same", [1.0, 2.0], [1.0, 2.0])
    with pytest.raises(gates.GateFailure, match="1 of 2 values differ"):
        gates.gate_exact("last bit", [1.0, 2.0], [1.0, np.nextafter(2.0, 3.0)])
    with pytest.raises(gates.GateFailure):
        gates.gate_exact("signed zero", 0.0, -0.0)


def test_ulp_distance_counts_representable_steps():
    x = 1.0
    for k in range(5):
        assert gates.ulp_distance(1.0, x) == k
        x = np.nextafter(x, 2.0)
    assert gates.ulp_distance(-5e-324, 5e-324) == 2
    assert gates.ulp_distance(np.nan, 1.0) == np.inf
    assert gates.ulp_distance(-np.inf, np.inf) > 1e19


def test_ulp_rel_abs_boundaries():
    gates.gate_ulp("2 ulp ok", np.nextafter(np.nextafter(1.0, 2), 2), 1.0, max_ulp=2)
    with pytest.raises(gates.GateFailure):
        gates.gate_ulp("3 ulp bad", 1.0 + 3 * 2.0**-52, 1.0, max_ulp=2)
    gates.gate_rel("rel ok", 1.0 + 1e-10, 1.0, rtol=2e-10)
    with pytest.raises(gates.GateFailure):
        gates.gate_rel("rel bad", 1.0 + 1e-9, 1.0, rtol=2e-10)
    gates.gate_abs("abs ok", 0.1, 0.0, atol=0.1)
    with pytest.raises(gates.GateFailure):
        gates.gate_abs("abs bad", 0.2, 0.0, atol=0.1)


def test_nan_under_test_fails_rather_than_erroring():
    for f, kw in [(gates.gate_ulp, {"max_ulp": 1e300}), (gates.gate_rel, {"rtol": 1e300}),
                  (gates.gate_abs, {"atol": 1e300})]:
        with pytest.raises(gates.GateFailure):
            f(f"nan {f.__name__}", [1.0, np.nan], [1.0, 1.0], **kw)


def test_sigma_and_count():
    gates.gate_sigma("within 3 sigma", 10.2, 10.0, 0.1, n_sigma=3)
    with pytest.raises(gates.GateFailure, match="estimate 10.5"):
        gates.gate_sigma("outside", 10.5, 10.0, 0.1, n_sigma=3)
    gates.gate_count("none", 0)
    with pytest.raises(gates.GateFailure):
        gates.gate_count("some", 2, allowed=1)


def test_bad_gate_arguments_are_clear():
    with pytest.raises(ValueError, match="max_ulp"):
        gates.gate_ulp("x", 1.0, 1.0, max_ulp=-1)
    with pytest.raises(ValueError, match="incompatible shapes"):
        gates.gate_exact("x", [1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected contains NaN"):
        gates.gate_exact("x", 1.0, np.nan)
    with pytest.raises(ValueError, match="zeros"):
        gates.gate_rel("x", 1.0, 0.0, rtol=1.0)
    with pytest.raises(ValueError, match="stderr"):
        gates.gate_sigma("x", 1.0, 1.0, 0.0, n_sigma=3)
    with pytest.raises(ValueError, match="name"):
        gates.gate_count("", 0)


def test_names_are_unique_per_chapter():
    gates.gate_count("once", 0)
    with pytest.raises(ValueError, match="used twice"):
        gates.gate_count("once", 0)


def test_negative_control_must_fail():
    log = gates.current_log()
    with gates.expect_failure("a wrong value"):
        gates.gate_exact("wrong (control)", 1.0, 2.0)
    with pytest.raises(gates.NegativeControlError, match="all passed"):
        with gates.expect_failure("a right value"):
            gates.gate_exact("right (control)", 1.0, 1.0)
    with pytest.raises(gates.NegativeControlError, match="none ran"):
        with gates.expect_failure("nothing"):
            pass
    statuses = {r.name: r.status for r in log.results}
    assert statuses["wrong (control)"] == "failed as expected"
    assert statuses["right (control)"] == "PASSED (control broken)"
    with pytest.raises(gates.GateFailure, match="wrong state"):
        log.assert_all()


def test_refutation_role_and_other_errors_propagate():
    with gates.expect_failure("source says 1 == 2", role="refutes"):
        gates.gate_exact("source claim", 1.0, 2.0)
    assert gates.current_log().results[-1].role == "refutes"
    with pytest.raises(ZeroDivisionError):          # a bug is not a failed gate
        with gates.expect_failure("bug"):
            1 / 0
    with pytest.raises(ValueError, match="role"):
        with gates.expect_failure("x", role="maybe"):
            pass


def test_log_renders_text_html_and_json():
    gates.gate_ulp("a", 1.0, 1.0, max_ulp=1)
    with gates.expect_failure("b"):
        gates.gate_rel("b", 2.0, 1.0, rtol=0.1)
    bundle = gates.current_log()._repr_mimebundle_()
    assert "failed as expected" in bundle["text/plain"]
    assert bundle["text/html"].startswith('<table class="umlib-gates">')
    payload = json.loads(json.dumps(bundle[gates.MIME_TYPE]))
    assert [g["name"] for g in payload["gates"]] == ["a", "b"]
    assert payload["gates"][1]["measured"] == 1.0 and payload["gates"][1]["role"] == "control"


def test_records_are_rounded_for_stable_outputs():
    gates.gate_rel("r", 1.0 + math.pi * 1e-12, 1.0, rtol=1e-9)
    rec = gates.current_log().records()[0]
    assert rec["measured"] == float(f"{rec['measured']:.4g}")


# --- stored records are machine-independent -----------------------------------------
# Another CPU changes the last bits of exp, log, sums and matrix products.  A record
# must not change with them: last-bit figures are stored as the bound they meet.

def _record_on(actual, expected, gate, **kw):
    gates.new_log("machines")
    return gate("g", actual, expected, **kw).record()


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False).filter(lambda x: abs(x) > 1e-300),
       st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=3))
def test_ulp_and_rounding_level_records_do_not_see_the_last_bits(x, k1, k2):
    def nudged(k):
        y = x
        for _ in range(k):
            y = np.nextafter(y, np.inf)
        return y
    for gate, kw in [(gates.gate_ulp, {"max_ulp": 4}),
                     (gates.gate_rel, {"rtol": 1e-14}),
                     (gates.gate_abs, {"atol": 4 * abs(x) * 2.0 ** -52, "last_bits": True})]:
        assert _record_on(nudged(k1), x, gate, **kw) == _record_on(nudged(k2), x, gate, **kw)


def test_a_failing_exact_gate_stores_its_bound_not_its_count():
    gates.new_log("machines")
    with gates.expect_failure("differ"):
        gates.gate_exact("g", [1.0, 2.0, 3.0], [1.0, 2.5, 3.5])
    rec = gates.current_log().records()[0]
    assert rec["measured"] is None and rec["bound"] == "> 0"
    assert gates.current_log().results[0].measured == 2.0     # the gate still saw 2


def test_values_above_the_rounding_level_are_shown():
    """Negative control: a rel error well above rounding is stored as its digits, so a
    result that moved by more than rounding would show in the record."""
    a = _record_on(1.0 + 1e-6, 1.0, gates.gate_rel, rtol=1e-3)
    b = _record_on(1.0 + 2e-6, 1.0, gates.gate_rel, rtol=1e-3)
    assert a["measured"] is not None and a != b
    assert "bound" not in a


def test_last_bits_must_be_a_bool():
    with pytest.raises(TypeError, match="last_bits"):
        gates.gate_abs("g", 1.0, 1.0, atol=1.0, last_bits="yes")
    with pytest.raises(TypeError, match="last_bits"):
        gates.gate_rel("g", 1.0, 1.0, rtol=1.0, last_bits=1)
