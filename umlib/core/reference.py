r"""Exact decimal references for ln Z and Z: the oracles the float functions of
:mod:`umlib.core.thermo` are gated against.

Each float input is converted to :class:`decimal.Decimal` exactly and the sum is done
with ``digits`` significant digits, so the result is correctly rounded to float64 for
the spectra the book uses.  Used in Part III, "An identity, not an analogy", and by the
tests of :mod:`umlib.core.thermo`.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np

from .validate import count, flag, positive_scalar, real_array

# the largest working precision accepted: the cost grows like digits**2 per term, and
# a float64 result needs about 17 digits (the book uses the default, 40)
MAX_DIGITS = 1000

__all__ = ["log_z_reference", "partition_function_reference", "gibbs_reference"]


def log_z_reference(E, T: float = 1.0, digits: int = 40) -> float:
    """ln Z in decimal arithmetic with ``digits`` significant digits (1-D ``E``).

    An oracle for tests and gates: it shares no floating-point code with
    :func:`~umlib.core.thermo.log_z`.  Each float input is converted to Decimal exactly;
    terms whose weight relative to the ground state is below 10**-(digits+5)
    are dropped, which changes ln Z by less than that.

    Used in Part III, "An identity, not an analogy".

    Parameters
    ----------
    E : array_like of float, shape (n,)
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    digits : int, default 40
        Working precision in significant digits, 17 to 1000.

    Returns
    -------
    float
        ln Z (dimensionless), rounded to float64.

    Examples
    --------
    >>> from umlib.core.reference import log_z_reference
    >>> round(log_z_reference([0.0, 0.0], 1.0), 15)
    0.693147180559945
    """
    return _reference(E, T, digits, want_Z=False)


def partition_function_reference(E, T: float = 1.0, digits: int = 40) -> float:
    """Z in decimal arithmetic, correctly rounded to float (1-D ``E``).

    See :func:`log_z_reference` for the method.

    Used in Part III, "An identity, not an analogy".

    Parameters
    ----------
    E : array_like of float, shape (n,)
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    digits : int, default 40
        Working precision in significant digits, 17 to 1000.

    Returns
    -------
    float
        Z (dimensionless).

    Raises
    ------
    OverflowError
        If Z is not representable as a normal float.

    Examples
    --------
    >>> from umlib.core.reference import partition_function_reference
    >>> partition_function_reference([0.0, 0.0, 0.0])
    3.0
    """
    return _reference(E, T, digits, want_Z=True)


def _reference(E, T, digits, want_Z):
    """ln Z (or Z) in decimal arithmetic; see :func:`log_z_reference`."""
    E = real_array("E", E, allow_posinf=True)
    T = positive_scalar("T", T)
    if E.ndim != 1:
        raise ValueError(f"E must be one-dimensional, got shape {E.shape}")
    digits = count("digits", digits, minimum=17, maximum=MAX_DIGITS)
    finite = E[np.isfinite(E)]
    if finite.size == 0:
        raise ValueError("E: every state is forbidden (+inf)")
    with localcontext() as ctx:
        ctx.prec = digits + 10
        ctx.Emax = 999_999_999
        ctx.Emin = -999_999_999
        T_d = Decimal(float(T))
        Es = [Decimal(float(e)) for e in finite.tolist()]
        E0 = min(Es)
        cutoff = Decimal(2.31) * (digits + 5) + Decimal(len(Es)).ln()
        total = Decimal(0)
        for e in Es:
            a = (e - E0) / T_d
            if a <= cutoff:
                total += (-a).exp()
        result = -E0 / T_d + total.ln()
        if want_Z:
            result = result.exp()
        value = float(result)
    if math.isinf(value) or (want_Z and value < 2.2250738585072014e-308):
        raise OverflowError("ln Z is outside the float range for these E and T")
    return value


def gibbs_reference(E, T: float = 1.0, digits: int = 50, exact: bool = False):
    """The Gibbs law ``exp(-E_n/T) / Z`` in decimal arithmetic: the oracle of the one Z.

    Every energy and T are read as the floats they are and the law is computed with
    ``digits`` significant digits; a weight more than 800 e-folds below the largest is
    taken as 0 (it is below every float).  The softmax ``softmax(z, T)`` is this law at
    ``E = -z``.  Used in Part III, "One dial", "Face A, the guess" and "Face B, the heat
    bath", where the dial's faces and meter are checked against it.

    Parameters
    ----------
    E : array_like
        ``(n,)`` finite energies.
    T : float, default 1.0
        Temperature, > 0.
    digits : int, default 50
        Decimal digits of the computation, 17 to 1000.
    exact : bool, default False
        Return the probabilities as Decimals (not rounded) instead of floats.

    Returns
    -------
    numpy.ndarray or list of decimal.Decimal
        ``(n,)`` probabilities, each rounded once to float64 (or the Decimals).

    Examples
    --------
    >>> from umlib.core.reference import gibbs_reference
    >>> gibbs_reference([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    E = real_array("E", E)
    T = positive_scalar("T", T)
    if E.ndim != 1 or E.size == 0:
        raise ValueError(f"E must be a non-empty one-dimensional array, got shape {E.shape}")
    digits = count("digits", digits, minimum=17, maximum=MAX_DIGITS)
    exact = flag("exact", exact)
    with localcontext() as ctx:
        ctx.prec = digits
        T_d = Decimal(float(T))
        a = [-Decimal(float(e)) / T_d for e in E.tolist()]
        top = max(a)
        w = [(x - top).exp() if x - top > -800 else Decimal(0) for x in a]
        total = sum(w)
        law = [x / total for x in w]
        return law if exact else np.array([float(x) for x in law])
