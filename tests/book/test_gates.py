"""umlib.book.gates: every family passes what it should, fails what it must, and says so.

Many of these tests were written to kill surviving mutants found by mutation testing
(benchmarks/mutation.md): exact failure messages and argument errors (matched whole,
because the message is the contract), ``gate_exact``'s stored record, the ``last_bits``
flag of ``gate_rel`` and ``gate_abs``, and ``gate_sigma``'s infinite and invalid
arguments.  The rendering of the gate log and its records is tested in test_records.py.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umlib.book import gates


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


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


# --- behaviour pinned by the mutation-testing review (benchmarks/mutation.md) --------


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


# --- gate_exact's stored record: a failed exact gate is a last-bit figure ------------
# Written to kill a surviving mutant of ``gate_exact`` (``differing > 0`` ->
# ``differing > 1``) found by mutation testing (benchmarks/mutation.md): how many bit
# patterns differ in a failure depends on the machine, so any failure, even of one value,
# is stored as the bound it misses, while a pass stores its measured 0.


def test_a_pass_stores_its_measured_zero():
    r = gates.gate_exact("same", [1.0, 2.0], [1.0, 2.0])
    assert r.last_bits is False
    rec = r.record()
    assert rec["measured"] == 0.0 and "bound" not in rec
    assert r.shown == "0"


@pytest.mark.parametrize("actual, differing", [([0.0, 2.5, 3.0], 1), ([1.0, 2.5, 3.5], 3),
                                               ([-0.0, 2.0, 3.0], 1)])
def test_a_failure_of_any_number_of_values_stores_the_bound(actual, differing):
    with pytest.raises(gates.GateFailure, match=f"\\({differing} of 3 values differ\\)$"):
        gates.gate_exact("diff", actual, [0.0, 2.0, 3.0])
    r = gates.current_log().results[-1]
    assert r.measured == differing and not r.passed
    assert r.last_bits is True
    rec = r.record()
    assert rec["measured"] is None
    assert rec["bound"] == "> 0"
    assert r.shown == "> 0"


def test_one_differing_value_inside_a_control():
    with gates.expect_failure("control"):
        gates.gate_exact("ctl", np.array([1.0]), np.array([np.nextafter(1.0, 2.0)]))
    rec = gates.current_log().records()[-1]
    assert rec["measured"] is None and rec["bound"] == "> 0"
    assert rec["status"] == "failed as expected"


# --- the last_bits flag of gate_rel and gate_abs --------------------------------------
# Written to kill surviving mutants found by mutation testing (benchmarks/mutation.md):
# the flag's type check must name ``last_bits`` in both gates, and the stored record
# shows the bound (not the digits) when the flag is set or the error is below
# ROUNDING_LEVEL = 2**-40.


@pytest.mark.parametrize("gate, tol", [(gates.gate_rel, "rtol"), (gates.gate_abs, "atol")])
@pytest.mark.parametrize("flag, tname", [(1, "int"), (None, "NoneType"), ("yes", "str"),
                                         (np.float64(1.0), "float64")])
def test_flag_must_be_a_bool_and_is_named(gate, tol, flag, tname):
    with pytest.raises(TypeError, match="^" + re.escape(f"last_bits must be True or False, got {tname}") + "$"):
        gate("g", 1.0, 1.0, **{tol: 0.1}, last_bits=flag)


@pytest.mark.parametrize("gate, tol", [(gates.gate_rel, "rtol"), (gates.gate_abs, "atol")])
def test_flag_decides_what_is_stored(gate, tol):
    r = gate("big", 1.5, 1.0, **{tol: 1.0})                      # error 0.5: digits stored
    assert r.record()["measured"] == 0.5 and "bound" not in r.record()
    r = gate("flagged", 1.5, 1.0, **{tol: 1.0}, last_bits=np.bool_(True))
    assert r.record()["measured"] is None and r.record()["bound"] == "<= 1"
    tiny = 1.0 + 2.0 ** -45                                       # below ROUNDING_LEVEL
    r = gate("tiny", tiny, 1.0, **{tol: 1e-9})
    assert r.record()["measured"] is None and r.record()["bound"] == "<= 1e-09"


def test_rounding_level_boundary_is_exclusive():
    """An error of exactly ROUNDING_LEVEL is stored as digits; just below it, as the bound."""
    assert gates.ROUNDING_LEVEL == 2.0 ** -40
    r = gates.gate_abs("at", 1.0 + 2.0 ** -40, 1.0, atol=1e-9)
    assert r.measured == 2.0 ** -40 and r.last_bits is False
    assert r.record()["measured"] is not None
    r = gates.gate_abs("below", 1.0 + 2.0 ** -41, 1.0, atol=1e-9)
    assert r.last_bits is True


# --- gate_sigma's arguments: infinite and invalid estimates or references -------------
# Written to kill surviving mutants of ``gate_sigma`` found by mutation testing
# (benchmarks/mutation.md): an infinite estimate or reference must reach the gate's own
# "must be finite" check (not ``real_array``'s generic "+inf" message), and a bad
# reference must be named ``expected``.


@pytest.mark.parametrize("estimate, expected", [
    (np.inf, 1.0), (-np.inf, 1.0), (1.0, np.inf), (1.0, -np.inf),
    ([np.inf], 1.0), (1.0, [[-np.inf]]), (np.inf, -np.inf),
])
def test_infinite_estimate_or_reference_is_the_gates_own_error(estimate, expected):
    with pytest.raises(ValueError, match=full("estimate and expected must be finite")):
        gates.gate_sigma("g", estimate, expected, stderr=1.0, n_sigma=3)
    assert gates.current_log().results == []


@pytest.mark.parametrize("expected, exc, msg", [
    (np.nan, ValueError, "expected contains NaN"),
    ([], ValueError, "expected must have at least 1 element(s), got 0"),
    ("1.0", TypeError, "expected must hold real numbers, got dtype <U3"),
    ([1.0, 2.0], ValueError, "expected must be one number, got 2 values"),
])
def test_bad_reference_is_named_expected(expected, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        gates.gate_sigma("g", 1.0, expected, stderr=1.0, n_sigma=3)


@pytest.mark.parametrize("estimate, exc, msg", [
    (np.nan, ValueError, "estimate contains NaN"),
    ([], ValueError, "estimate must have at least 1 element(s), got 0"),
    ("1.0", TypeError, "estimate must hold real numbers, got dtype <U3"),
])
def test_bad_estimate_is_named_estimate(estimate, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        gates.gate_sigma("g", estimate, 1.0, stderr=1.0, n_sigma=3)


@pytest.mark.parametrize("estimate, expected", [([[2.0]], 1.0), (2.0, np.array([[[1.0]]])),
                                                (np.array([2.0]), [1.0])])
def test_one_element_arrays_of_any_shape_are_one_number(estimate, expected):
    r = gates.gate_sigma("g", estimate, expected, stderr=0.5, n_sigma=3)
    assert r.measured == 2.0 and r.passed


def test_printed_half_unit_reads_the_digits_shown():
    assert gates.printed_half_unit("0.079") == (0.079, 0.0005)
    assert gates.printed_half_unit("984") == (984.0, 0.5)
    assert gates.printed_half_unit("~984") == (984.0, 0.5)
    assert gates.printed_half_unit("60.5") == (60.5, 0.05)
    assert gates.printed_half_unit("1.1e3") == (1100.0, 50.0)
    assert gates.printed_half_unit("-0.10") == (-0.1, 0.005)
    for bad in ("", "abc", "nan", "inf", "1 2", "0x10"):
        with pytest.raises(ValueError, match="printed"):
            gates.printed_half_unit(bad)
    with pytest.raises(TypeError, match="printed"):
        gates.printed_half_unit(0.079)


def test_compare_with_source_records_either_outcome_and_never_raises():
    log = gates.new_log("compare")
    differs = gates.compare_with_source("bpc", 0.07824, "0.079")
    agrees = gates.compare_with_source("bpc, two places", 0.07824, "0.08")
    edge = gates.compare_with_source("count", 984.5, "984")      # exactly half a unit: agrees
    assert (differs.status, agrees.status, edge.status) == ("differs", "agrees", "agrees")
    rec = differs.record()
    assert rec["role"] == "compares" and rec["kind"] == "source" and rec["source"] == "0.079"
    assert rec["tolerance"] == 0.0005 and rec["measured"] == pytest.approx(0.00076)
    assert "source" not in gates.gate_abs("plain", 1.0, 1.0, atol=0).record()
    log.assert_all()
    with pytest.raises(ValueError, match="ours"):
        gates.compare_with_source("nan", float("nan"), "1")
    with pytest.raises(TypeError, match="ours"):
        gates.compare_with_source("str", "1", "1")
    with pytest.raises(ValueError, match="expect_failure"):
        with gates.expect_failure("a comparison is not a control"):
            gates.compare_with_source("inside", 1.0, "1")
