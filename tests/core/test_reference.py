"""umlib.core.reference: the decimal oracle ``log_z_reference`` and
``partition_function_reference`` (precision bounds, the edges of the float range, closed
forms, and error messages matched whole).

Written in the mutation-testing review (benchmarks/mutation.md); every expected value is
derived (closed form or exact arithmetic), never copied from the library's own output.
"""

import math
import re

import numpy as np
import pytest

from umlib.core import reference

TINY = 2.2250738585072014e-308          # smallest normal float64


def full(msg: str) -> str:
    return "^" + re.escape(msg) + "$"


def test_reference_digits_bounds():
    # 17 significant digits is the smallest precision accepted, and it is enough
    # for ln 2 to be correctly rounded
    assert reference.log_z_reference([0.0, 0.0], 1.0, digits=17) == math.log(2)
    assert reference.partition_function_reference([0.0, 0.0], 1.0, digits=17) == 2.0
    with pytest.raises(ValueError, match=full("digits must be an int >= 17, got 16")):
        reference.log_z_reference([0.0], 1.0, digits=16)
    for bad in (20.0, "40"):
        with pytest.raises(TypeError, match=r"\bdigits\b must be an int"):
            reference.log_z_reference([0.0], 1.0, digits=bad)
    # the cost grows with digits: a bound, not a hang (the digits=100000)
    for bad in (1001, 100_000, 10 ** 400):
        with pytest.raises(ValueError, match=r"\bdigits\b must be an int <= 1000"):
            reference.partition_function_reference([0.0], 1.0, digits=bad)


def test_reference_smallest_normal_Z_is_accepted_and_below_it_is_not():
    # found by search: these two energies give a Z that rounds to exactly the smallest
    # normal float, which is representable and must be returned
    E = [708.3964185322642, 738.4783922640778]
    assert reference.partition_function_reference(E, 1.0) == TINY
    with pytest.raises(OverflowError, match=full(
            "ln Z is outside the float range for these E and T")):
        reference.partition_function_reference(E[:1], 1.0)       # e^-E0 alone is subnormal
    assert reference.log_z_reference(E[:1], 1.0) == pytest.approx(-E[0], rel=1e-16)


def test_reference_ln_Z_overflow_is_an_error():
    with pytest.raises(OverflowError, match=full(
            "ln Z is outside the float range for these E and T")):
        reference.log_z_reference([-1e308], 1e-10)


def test_reference_matches_closed_form_for_many_levels():
    # equally spaced ladder: Z = (1 - q^N)/(1 - q), q = e^{-1/T}
    N, T = 60, 2.0
    q = math.exp(-1.0 / T)
    E = np.arange(N, dtype=float)
    assert reference.log_z_reference(E, T) == pytest.approx(
        math.log((1 - q**N) / (1 - q)), rel=2e-16)


# --- error messages name the argument and say what is wrong ------------------------


def _cases():
    c = []
    for f in (reference.log_z_reference, reference.partition_function_reference):
        c += [
            (f, ([np.nan],), ValueError, "E contains NaN"),
            (f, ([0.0], 0.0), ValueError, "T must be > 0, got 0.0"),
            (f, ([[0.0]],), ValueError, "E must be one-dimensional, got shape (1, 1)"),
            (f, ([np.inf],), ValueError, "E: every state is forbidden (+inf)"),
        ]
    return c


CASES = _cases()


@pytest.mark.parametrize("f,args,exc,msg", CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_error_messages(f, args, exc, msg):
    with pytest.raises(exc, match=full(msg)):
        f(*args)


def test_gibbs_reference_is_the_law_of_the_one_z():
    import numpy as np

    from umlib.core.reference import gibbs_reference, partition_function_reference

    E = np.array([0.0, 0.5, 1.0, 2.0, 40.0])
    for T in (0.1, 1.0, 7.0):
        p = gibbs_reference(E, T)
        Z = partition_function_reference(E, T)
        assert np.allclose(p, np.exp(-E / T) / Z, rtol=1e-13, atol=0)  # np.exp of -400: ~400 ULP
        assert abs(float(sum(gibbs_reference(E, T, exact=True))) - 1.0) < 1e-40
    # softmax is the law at E = -z; a weight 800 e-folds down is exactly 0
    assert gibbs_reference([0.0, 1000.0]).tolist() == [1.0, 0.0]
    # negative control: a law at the wrong temperature is not this one
    assert not np.allclose(gibbs_reference(E, 1.0), gibbs_reference(E, 1.1), rtol=1e-3)
