"""Gates: named checks with a stated tolerance that raise when they fail.

A *gate* compares a measured quantity against a tolerance of a declared kind:

=========  ==============================================================
kind       measured quantity, and what passes
=========  ==============================================================
exact      number of elements whose float64 bit patterns differ; 0 passes
ulp        largest distance in units in the last place; <= tolerance
rel        largest relative error ``|a - e| / |e|``; <= tolerance
abs        largest absolute error ``|a - e|``; <= tolerance
sigma      ``|estimate - expected| / stderr``; <= tolerance (sigmas)
count      number of violations of a stated condition; <= tolerance
=========  ==============================================================

Every gate is recorded in the current :class:`~umlib.book.records.GateLog` with its margin, and a
failure raises :class:`GateFailure` (an ``AssertionError``), so a notebook that
contains a failing gate fails to execute and the test suite fails with it.

A gate that nothing can fail proves nothing, so each family is also run on an
input that *must* fail it, inside :func:`expect_failure`:

>>> from umlib.book import gates
>>> log = gates.new_log("doctest")
>>> _ = gates.gate_ulp("sum of tenths", 0.1 + 0.2, 0.3, max_ulp=1)
>>> with gates.expect_failure("exact equality of 0.1+0.2 and 0.3"):
...     _ = gates.gate_exact("0.1+0.2 is 0.3 bit for bit", 0.1 + 0.2, 0.3)
>>> [(r.name, r.status) for r in log.results]
[('sum of tenths', 'pass'), ('0.1+0.2 is 0.3 bit for bit', 'failed as expected')]

Roles: ``check`` (must pass), ``control`` (a negative control: must fail, to
show the gate can fail), ``refutes`` (a source's own statement, run as a
gate, which fails: a finding for the errata) and ``compares``
(:func:`compare_with_source`: a figure the source measured on its own model or
data, set beside ours at the precision the source printed; the record says
whether the two agree, and the claim ledger's verdict follows it).

What a record shows is the same on every machine.  A measured value that is a
*last-bit figure* -- a count of ULPs, the number of bit patterns that differ,
an error at the level of rounding -- depends on the CPU's SIMD kernels and its
BLAS, so the record shows the bound it meets instead (``<= tolerance`` for a
pass, ``> tolerance`` for a failure).  ``ulp`` gates always do; ``exact`` gates
do when they fail (a pass is 0 everywhere); ``rel`` and ``abs`` gates do when
the measured value is below :data:`ROUNDING_LEVEL` or the caller says
``last_bits=True``.  The gate itself still compares the exact measured value.

>>> r = gates.gate_ulp("three tenths", 0.1 + 0.2, 0.3, max_ulp=4)
>>> r
pass: three tenths [ulp, measured <= 4 vs tolerance 4, n=1]
>>> r.measured, r.record()["measured"], r.record()["bound"]
(1.0, None, '<= 4')
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np

from ..core.validate import count, real_array, real_scalar, text
from .records import GateLog, GateResult

__all__ = [
    "GateFailure",
    "NegativeControlError",
    "new_log",
    "current_log",
    "ulp_distance",
    "gate_exact",
    "gate_ulp",
    "gate_rel",
    "gate_abs",
    "gate_sigma",
    "gate_count",
    "expect_failure",
    "compare_with_source",
    "printed_half_unit",
    "ROUNDING_LEVEL",
    "UNIT_ROUNDOFF",
    "show",
    "check_answer",
]

#: A ``rel`` or ``abs`` error below this (2**-40, about 9.1e-13) is taken to be
#: rounding noise: its digits differ between machines, so only its bound is shown.
ROUNDING_LEVEL = 2.0 ** -40
#: The unit roundoff of float64, u = 2**-53 (half the spacing of floats in [1, 2)): one
#: correctly rounded operation errs by at most u relative.  The chapters size their ULP
#: and relative tolerances in it (appendix "How the gates are sized").
UNIT_ROUNDOFF = 2.0 ** -53
KINDS = ("exact", "ulp", "rel", "abs", "sigma", "count", "source")
ROLES = ("check", "control", "refutes", "compares")


class GateFailure(AssertionError):
    """A gate's measured quantity exceeded its tolerance (an ``AssertionError``).

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    *args : str
        The message, naming the gate, its measured value and its tolerance.
    """


class NegativeControlError(AssertionError):
    """A negative control passed: the gate it exercises could not tell.

    Raised by :func:`expect_failure`; used in every chapter.

    Parameters
    ----------
    *args : str
        The message, naming the control.
    """


_LOG = GateLog("(no chapter)")


def new_log(chapter: str) -> GateLog:
    """Start a fresh log for ``chapter`` and make it current.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    chapter : str
        The chapter's name.

    Returns
    -------
    GateLog
        The new, empty, current log.
    """
    global _LOG
    _LOG = GateLog(chapter)
    return _LOG


def current_log() -> GateLog:
    """The log gates are recorded in.

    Used in every chapter (every notebook opens a log and runs its gates).

    Returns
    -------
    GateLog
        The current log.
    """
    return _LOG


def _role() -> str:
    return _LOG._role_stack[-1] if _LOG._role_stack else "check"


def _finish(name: str, kind: str, tolerance: float, measured: float, n: int, note: str,
            detail: str, last_bits: bool = False) -> GateResult:
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    n = count("n", n, minimum=1)
    text("note", note)
    passed = bool(measured <= tolerance)
    result = GateResult(name=name, kind=kind, tolerance=float(tolerance),
                        measured=float(measured), passed=passed, role=_role(), n=int(n),
                        note=note, last_bits=bool(last_bits))
    _LOG.add(result)
    if not passed:
        raise GateFailure(f"gate {name!r} ({kind}) failed: measured {measured:.6g} > "
                          f"tolerance {tolerance:.6g}{detail}")
    return result


def _pair(actual, expected, allow_inf=True, names=("actual", "expected")):
    # a NaN in the result under test fails the gate (its distance is infinite);
    # a NaN in the reference is a bad argument
    a = real_array(names[0], actual, allow_posinf=True, allow_neginf=True, allow_nan=True)
    e = real_array(names[1], expected, allow_posinf=allow_inf, allow_neginf=allow_inf)
    try:
        a, e = np.broadcast_arrays(a, e)
    except ValueError:
        raise ValueError(f"{names[0]} and {names[1]} have incompatible shapes {a.shape} and "
                         f"{e.shape}") from None
    return a, e


def _tolerance(name: str, tol) -> float:
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, (int, float, np.integer,
                                                                 np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(tol).__name__}")
    tol = real_scalar(name, tol, finite=False)
    if not math.isfinite(tol) or tol < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {tol}")
    return tol


def ulp_distance(a, b) -> np.ndarray:
    """Number of representable float64 values between ``a`` and ``b``.

    0 when bitwise equal or both zeros; infinities of equal sign count 0; a NaN gives inf.

    Used in Part I, "The partition function" and "The Boltzmann distribution in
    detail", Part II, "The partition function", and Part III, "An identity, not an
    analogy".

    Parameters
    ----------
    a, b : array_like of float
        Values to compare (broadcast together).

    Returns
    -------
    numpy.ndarray of float
        Distances in units in the last place, broadcast shape.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.book.gates import ulp_distance
    >>> int(ulp_distance(1.0, np.nextafter(1.0, 2.0)))
    1
    >>> int(ulp_distance(-0.0, 0.0))
    0
    """
    a, b = _pair(a, b, names=("a", "b"))
    ma, sa = _split(a)
    mb, sb = _split(b)
    same = sa == sb
    # same sign: the magnitudes' difference; opposite signs: the path through zero
    d = np.where(same, np.maximum(ma, mb) - np.minimum(ma, mb), ma + mb).astype(np.float64)
    return np.where(np.isnan(a) | np.isnan(b), np.inf, d)


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Magnitude bits (a monotone integer image of ``|x|``) and sign bit of float64 values."""
    bits = np.ascontiguousarray(x, dtype=np.float64).view(np.uint64).reshape(np.shape(x))
    return bits & np.uint64(0x7FFF_FFFF_FFFF_FFFF), bits >> np.uint64(63)


def _worst(err: np.ndarray) -> float:
    """Largest error, with NaN (a non-number under test) counted as infinite."""
    return float(np.max(np.where(np.isnan(err), np.inf, err)))


def gate_exact(name: str, actual, expected, note: str = "") -> GateResult:
    """Pass when ``actual`` and ``expected`` are identical float64 bit patterns.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    actual : array_like of float
        The result under test (NaN fails).
    expected : array_like of float
        The reference (broadcast against ``actual``).
    note : str, default ""
        Free text stored with the record.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    a, e = _pair(actual, expected)
    ab = np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)
    eb = np.ascontiguousarray(e, dtype=np.float64).view(np.uint64)
    differing = int(np.count_nonzero(ab != eb))
    # a pass is 0 on every machine; how many bit patterns differ in a failure is not
    return _finish(name, "exact", 0.0, differing, a.size, note,
                   f" ({differing} of {a.size} values differ)", last_bits=differing > 0)


def gate_ulp(name: str, actual, expected, max_ulp: float, note: str = "") -> GateResult:
    """Pass when every element is within ``max_ulp`` units in the last place.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    actual : array_like of float
        The result under test (NaN fails).
    expected : array_like of float
        The reference (broadcast against ``actual``).
    max_ulp : float
        Tolerance in ULPs, >= 0.
    note : str, default ""
        Free text stored with the record.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    tol = _tolerance("max_ulp", max_ulp)
    a, e = _pair(actual, expected)
    d = float(np.max(ulp_distance(a, e)))
    return _finish(name, "ulp", tol, d, a.size, note, "", last_bits=True)


def _check_flag(name: str, flag) -> bool:
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(flag).__name__}")
    return bool(flag)


def _rounding_level(err: float, last_bits: bool) -> bool:
    return last_bits or (math.isfinite(err) and err < ROUNDING_LEVEL)


def gate_rel(name: str, actual, expected, rtol: float, note: str = "",
             last_bits: bool = False) -> GateResult:
    """Pass when ``max |a - e| / |e| <= rtol`` (``expected`` must be finite and non-zero).

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    actual : array_like of float
        The result under test (NaN fails).
    expected : array_like of float
        The reference, finite and non-zero.
    rtol : float
        Relative tolerance (dimensionless), >= 0.
    note : str, default ""
        Free text stored with the record.
    last_bits : bool, default False
        Say the error is a rounding-level figure whatever its size (for example, an
        error measured in units of the rounding bound): the stored record then shows
        the bound it meets, not its digits.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    last_bits = _check_flag("last_bits", last_bits)
    tol = _tolerance("rtol", rtol)
    a, e = _pair(actual, expected, allow_inf=False)
    if (e == 0).any():
        raise ValueError("expected has zeros: a relative tolerance is undefined; use gate_abs")
    with np.errstate(over="ignore", invalid="ignore"):
        err = _worst(np.abs(a - e) / np.abs(e))
    return _finish(name, "rel", tol, err, a.size, note, "",
                   last_bits=_rounding_level(err, last_bits))


def gate_abs(name: str, actual, expected, atol: float, note: str = "",
             last_bits: bool = False) -> GateResult:
    """Pass when ``max |a - e| <= atol``.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    actual : array_like of float
        The result under test (NaN fails).
    expected : array_like of float
        The reference, finite.
    atol : float
        Absolute tolerance in the unit of the values, >= 0.
    note : str, default ""
        Free text stored with the record.
    last_bits : bool, default False
        As for :func:`gate_rel`.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    last_bits = _check_flag("last_bits", last_bits)
    tol = _tolerance("atol", atol)
    a, e = _pair(actual, expected, allow_inf=False)
    with np.errstate(over="ignore", invalid="ignore"):
        err = _worst(np.abs(a - e))
    return _finish(name, "abs", tol, err, a.size, note, "",
                   last_bits=_rounding_level(err, last_bits))


def gate_sigma(name: str, estimate: float, expected: float, stderr: float,
               n_sigma: float, n: int = 1, note: str = "") -> GateResult:
    """Statistical gate: pass when ``|estimate - expected| <= n_sigma * stderr``.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    estimate : float
        The measured estimate.
    expected : float
        The exact value, same unit.
    stderr : float
        Standard error of ``estimate``, finite and > 0.
    n_sigma : float
        Tolerance in standard errors, >= 0.
    n : int, default 1
        Number of samples behind the estimate (recorded only).
    note : str, default ""
        Free text stored with the record.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    tol = _tolerance("n_sigma", n_sigma)
    est_arr = real_array("estimate", estimate, allow_posinf=True, allow_neginf=True)
    exp_arr = real_array("expected", expected, allow_posinf=True, allow_neginf=True)
    if est_arr.size != 1:
        raise ValueError(f"estimate must be one number, got {est_arr.size} values")
    if exp_arr.size != 1:
        raise ValueError(f"expected must be one number, got {exp_arr.size} values")
    est, exp = float(est_arr.reshape(-1)[0]), float(exp_arr.reshape(-1)[0])
    se = _tolerance("stderr", stderr)
    if not (math.isfinite(est) and math.isfinite(exp)):
        raise ValueError("estimate and expected must be finite")
    if not math.isfinite(se) or se <= 0:
        raise ValueError(f"stderr must be finite and > 0, got {se}")
    z = abs(est - exp) / se
    return _finish(name, "sigma", tol, z, n, note,
                   f" (estimate {est:.6g}, expected {exp:.6g}, stderr {se:.3g})")


def gate_count(name: str, violations: int, allowed: int = 0, n: int = 1,
               note: str = "") -> GateResult:
    """Pass when the number of violations of a stated condition is <= ``allowed``.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    name : str
        The gate's name, unique within the chapter's log.
    violations : int
        Number of violations counted, >= 0.
    allowed : int, default 0
        Number tolerated, >= 0.
    n : int, default 1
        Number of cases examined (recorded only).
    note : str, default ""
        Free text stored with the record.

    Returns
    -------
    GateResult
        The recorded result (a failure raises instead).

    Raises
    ------
    GateFailure
        If the measured quantity exceeds the tolerance.
    """
    if isinstance(violations, (bool, np.bool_)) or not isinstance(violations,
                                                                   (int, np.integer)):
        raise TypeError(f"violations must be an int, got {type(violations).__name__}")
    v = count("violations", violations, minimum=None)
    if v < 0:
        raise ValueError(f"violations must be >= 0, got {v}")
    return _finish(name, "count", _tolerance("allowed", allowed), v, n, note, "")


@contextmanager
def expect_failure(label: str, role: str = "control"):
    """Run a negative control (or a refutation): the gate(s) inside must fail.

    The first :class:`GateFailure` raised inside the block is caught and the
    gate is recorded with the given ``role``.  If the block completes without
    a gate failing, :class:`NegativeControlError` is raised.

    Used in every chapter (every notebook opens a log and runs its gates).

    Parameters
    ----------
    label : str
        What the control shows, for the error message.
    role : str, default "control"
        ``control`` (a negative control) or ``refutes`` (a source's statement that
        fails, recorded for the appendix "Errata").

    Returns
    -------
    contextlib.AbstractContextManager
        Use it in a ``with`` statement; it yields None.
    """
    if role not in ("control", "refutes"):
        raise ValueError(f"role must be 'control' or 'refutes', got {role!r}")
    log = _LOG
    log._role_stack.append(role)
    n_before = len(log.results)
    try:
        yield
    except GateFailure:
        return
    finally:
        log._role_stack.pop()
    ran = len(log.results) - n_before
    raise NegativeControlError(
        f"{label!r}: expected a gate to fail, but {'none ran' if ran == 0 else 'all passed'}")




def printed_half_unit(printed: str) -> tuple[float, float]:
    """The value of a figure as a source printed it, and half a unit of its last digit.

    ``"0.079"`` is 0.079 with half-unit 0.0005; ``"984"`` is 984 with half-unit 0.5;
    ``"1.1e3"`` is 1100 with half-unit 50.  A leading ``~`` or ``≈`` (the source's own mark
    of an approximate figure) is dropped: the precision is still that of the digits shown.

    Used by :func:`compare_with_source` and the claim-ledger test (appendix "The claim
    ledger").

    Parameters
    ----------
    printed : str
        The figure as printed: digits with an optional sign, decimal point and exponent.

    Returns
    -------
    tuple of float
        ``(value, half_unit)``.

    Raises
    ------
    ValueError
        If ``printed`` is not a finite decimal figure.

    Examples
    --------
    >>> from umlib.book.gates import printed_half_unit
    >>> printed_half_unit("0.079")
    (0.079, 0.0005)
    >>> printed_half_unit("~984")
    (984.0, 0.5)
    """
    from decimal import Decimal, InvalidOperation

    if not isinstance(printed, str):
        raise TypeError(f"printed must be a str, got {type(printed).__name__}")
    text = printed.strip().lstrip("~≈").strip()
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"printed must be a decimal figure, got {printed!r}") from None
    if not d.is_finite() or not text or any(c.isspace() for c in text):
        raise ValueError(f"printed must be a finite decimal figure, got {printed!r}")
    half = Decimal(5).scaleb(d.as_tuple().exponent - 1)
    return float(d), float(half)


def compare_with_source(name: str, ours, printed: str, note: str = "") -> GateResult:
    """Set a figure the source measured beside ours, at the precision the source printed.

    The source measured some figures on its own network or data, which the book does
    not have; the book measures the same quantity on its own. This records whether the
    two agree to within half a unit of the source's last printed digit (status
    ``agrees``) or not (``differs``). It raises neither way -- the comparison could
    have come out either way, and the claim ledger's verdict (*holds* or *differs*)
    follows the recorded status, which ``tests/whole_book/test_ledger.py`` enforces.

    Used in every chapter that quotes a source's own measurements, and read by the
    appendix "The claim ledger".

    Parameters
    ----------
    name : str
        The record's name, unique within the chapter's log.
    ours : float
        The book's value of the quantity, in the unit the source printed.
    printed : str
        The source's figure exactly as printed (see :func:`printed_half_unit`).
    note : str, default ""
        Free text stored with the record.

    Returns
    -------
    GateResult
        Role ``compares``, kind ``source``; ``measured`` is ``abs(ours - source)``
        and ``tolerance`` the half unit.

    Examples
    --------
    >>> from umlib.book import gates
    >>> log = gates.new_log("doctest")
    >>> gates.compare_with_source("bpc (source 0.079)", 0.07824, "0.079").status
    'differs'
    >>> gates.compare_with_source("bpc to two places (source 0.08)", 0.07824, "0.08").status
    'agrees'
    """
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    value, half = printed_half_unit(printed)
    if isinstance(ours, (bool, np.bool_)) or not isinstance(ours, (int, float, np.integer,
                                                                   np.floating)):
        raise TypeError(f"ours must be a real number, got {type(ours).__name__}")
    x = real_scalar("ours", ours, finite=False)
    if not math.isfinite(x):
        raise ValueError(f"ours must be finite, got {x}")
    if _role() != "check":
        raise ValueError("compare_with_source records its own role: call it outside "
                         "expect_failure")
    distance = abs(x - value)
    result = GateResult(name=name, kind="source", tolerance=half, measured=distance,
                        passed=bool(distance <= half), role="compares", n=1, note=note,
                        source=printed)
    _LOG.add(result)
    return result


_MARKS = {"pass": "✓", "failed as expected": "✗", "agrees": "≈", "differs": "≠"}


def _line(r: GateResult) -> str:
    mark = _MARKS.get(r.status, r.status)
    what = {"control": "control", "refutes": "source claim"}.get(r.role, "gate")
    end = ""
    if r.status == "failed as expected":
        end = " — fails, as it must" if r.role == "control" else " — the claim fails"
    return (f"{what} {mark} {r.name}\n    measured {r.shown} vs tolerance "
            f"{r.record()['tolerance']:.4g} ({r.kind}, n = {r.n}){end}")


def show(result: GateResult | None = None) -> None:
    """Print one gate's outcome as a readable line (default: the last gate run).

    A chapter's cell ends with ``gates.show(...)`` rather than with a bare gate, so the
    reader sees ``gate ✓ name`` and, below it, ``measured 0 vs tolerance 0 (count, n =
    9616)`` where the
    claim is made, not only in the table at the end. After an :func:`expect_failure`
    block, ``show()`` prints the control that just failed. The line holds only what the
    stored record holds, so it is the same on every machine.

    Used in every chapter written to the book's reading conventions (Part III, "Face A,
    the guess" onwards).

    Parameters
    ----------
    result : GateResult, optional
        A gate's result; default the last one recorded in the current log.

    Returns
    -------
    None
        The line is printed.

    Examples
    --------
    >>> from umlib.book import gates
    >>> _ = gates.new_log("doctest")
    >>> gates.show(gates.gate_count("no rung below the ground", 0, n=8))
    gate ✓ no rung below the ground
        measured 0 vs tolerance 0 (count, n = 8)
    """
    if result is None:
        if not _LOG.results:
            raise ValueError("result is None and the current log has no gate to show")
        result = _LOG.results[-1]
    if not isinstance(result, GateResult):
        raise TypeError(f"result must be a GateResult or None, got {type(result).__name__}")
    print(_line(result))


def check_answer(name: str, answer, expected, rtol: float | None = None,
                 atol: float | None = None) -> None:
    """Check an exercise's answer against the computed value with a gate, in one line.

    A solution ends with ``check_answer("Var at T = 2", my_guess, computed, rtol=1e-3)``;
    the reader who edits the exercise gets a printed pass, or a :class:`GateFailure`
    naming the gap. The gate is recorded as ``exercise: <name>`` in the chapter's log.
    The printed line shows both values to four significant digits.

    Used in every chapter written to the book's reading conventions (Part III, "Face A,
    the guess" onwards), in the solutions of its exercises.

    Parameters
    ----------
    name : str
        What the answer is, for the line and the gate's name.
    answer : real number
        The reader's (or the solution's) answer.
    expected : real number
        The value computed independently of ``answer``.
    rtol : float, optional
        Relative tolerance (``expected`` non-zero); give exactly one of ``rtol`` and
        ``atol``.
    atol : float, optional
        Absolute tolerance.

    Returns
    -------
    None
        The outcome is printed; a failure raises.

    Raises
    ------
    GateFailure
        If the answer is outside the tolerance.

    Examples
    --------
    >>> from umlib.book import gates
    >>> _ = gates.new_log("doctest")
    >>> gates.check_answer("p(ground) at kT = 1", 0.63, 0.6321, atol=0.005)
    exercise ✓ p(ground) at kT = 1
        answer 0.63, computed 0.6321 (abs tolerance 0.005)
    """
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    if (rtol is None) == (atol is None):
        raise ValueError("give exactly one of rtol and atol")
    for arg, v in (("answer", answer), ("expected", expected)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer,
                                                                 np.floating)):
            raise TypeError(f"{arg} must be a real number, got {type(v).__name__}")
        try:
            fv = float(v)
        except OverflowError:
            raise ValueError(f"{arg} must be finite: an int too large for a float") from None
        if not math.isfinite(fv):
            raise ValueError(f"{arg} must be finite, got {v}")
    a, e = float(answer), float(expected)
    kind, tol = ("rel", rtol) if rtol is not None else ("abs", atol)
    head = (f"{name}\n    answer {a:.4g}, computed {e:.4g} ({kind} tolerance "
            f"{_tolerance(kind == 'rel' and 'rtol' or 'atol', tol):.4g})")
    try:
        if kind == "rel":
            gate_rel(f"exercise: {name}", a, e, rtol=tol)
        else:
            gate_abs(f"exercise: {name}", a, e, atol=tol)
    except GateFailure:
        print(f"exercise ✗ {head}")
        raise
    print(f"exercise ✓ {head}")
