"""Small helpers for notebooks: gluing numbers into the prose, platform-stable printing.

Numbers are rounded to a stated number of significant digits before they are
glued or printed, so the stored outputs are the same on every platform, and
they are converted to Python ``float``/``int`` (a numpy 2 scalar glued as text
renders as an empty string in formatted glue).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["sig", "meaningful", "glue_number", "glue_value", "glue_text"]

#: Significant digits a glued float keeps unless its error says otherwise: three, enough
#: to read a figure, few enough that no rounding noise reaches the page.
MEANINGFUL_DIGITS = 3


def sig(x, digits: int = 6) -> float:
    """``x`` as a Python float rounded to ``digits`` significant digits.

    Used in Part IV, "A thermodynamic model of training, solved", and by
    :func:`glue_number` in every chapter.

    Parameters
    ----------
    x : real number
        Python or NumPy real (not a bool, not NaN).
    digits : int, default 6
        Significant digits, 1 to 17.

    Returns
    -------
    float
        The rounded value (infinities and zeros unchanged, -0.0 becomes 0.0).

    Examples
    --------
    >>> from umlib.book.glue import sig
    >>> sig(3.14159265, 3)
    3.14
    >>> type(sig(__import__("numpy").float64(2.5)))
    <class 'float'>
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"digits must be an int from 1 to 17, got {digits!r}")
    try:
        x = float(x)
    except OverflowError:
        raise OverflowError("x is an int too large for a float") from None
    if math.isnan(x):
        raise ValueError("x is NaN: a glued or printed number must be a number")
    if x == 0.0 or not math.isfinite(x):
        return x + 0.0
    return float(f"{x:.{digits}g}")


def glue_number(name: str, x, digits: int = 6) -> None:
    """Glue ``x`` (rounded, as a Python number) under ``name`` without displaying it.

    Integers (Python or numpy) are glued as ``int``; everything else as a
    ``float`` rounded to ``digits`` significant digits.

    Used in every chapter and appendix notebook.

    Parameters
    ----------
    name : str
        The glue key the prose refers to.
    x : real number
        The value.
    digits : int, default 6
        Significant digits kept for a float.

    Returns
    -------
    None
        A cell that ends with a glue shows nothing.
    """
    from myst_nb import glue  # imported here: only notebooks need it

    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        value = int(x)
    else:
        value = sig(x, digits)
    glue(name, value, display=False)


def meaningful(x, err=None, digits: int = MEANINGFUL_DIGITS) -> float:
    """``x`` rounded to the digits that mean something: those its error supports.

    With ``err`` (a standard error, a rounding bound, a half-width), ``x`` keeps the
    decimal place of the leading digit of ``err`` and no more than ``digits``
    significant digits; without it, ``digits`` significant digits.

    Used in Part III, "Face A, the guess", and by :func:`glue_value` in every chapter
    written to the book's reading conventions.

    Parameters
    ----------
    x : real number
        The value (finite, not NaN).
    err : real number, optional
        Its uncertainty, > 0 and finite; default: none stated.
    digits : int, default 3
        Most significant digits kept, 1 to 17.

    Returns
    -------
    float
        The rounded value.

    Examples
    --------
    >>> from umlib.book.glue import meaningful
    >>> meaningful(0.698869)
    0.699
    >>> meaningful(0.63542, err=0.0034)
    0.635
    >>> meaningful(0.63542, err=0.034)
    0.64
    """
    value = sig(x, digits)
    if not math.isfinite(value):
        raise ValueError(f"x must be finite, got {value}")
    if err is None:
        return value
    if isinstance(err, (bool, np.bool_)) or not isinstance(err, (numbers.Real, np.floating,
                                                                np.integer)):
        raise TypeError(f"err must be a real number, got {type(err).__name__}")
    try:
        e = float(err)
    except OverflowError:
        raise ValueError("err must be finite: an int too large for a float") from None
    if not math.isfinite(e) or e <= 0:
        raise ValueError(f"err must be finite and > 0, got {e}")
    if value == 0.0:
        return value
    place = math.floor(math.log10(e))               # the decimal place of err's lead digit
    lead = math.floor(math.log10(abs(value)))
    keep = max(1, min(digits, lead - place + 1))
    return sig(x, keep)


def glue_value(name: str, x, err=None, digits: int = MEANINGFUL_DIGITS) -> None:
    """Glue ``x`` under ``name`` at its meaningful digits (three significant by default).

    The default for a number in prose: ``69.9 %``, not ``69.8869 %``. An integer is glued
    exactly; a float goes through :func:`meaningful`, so giving ``err`` keeps only the
    digits the error supports.

    Used in every chapter written to the book's reading conventions (Part III).

    Parameters
    ----------
    name : str
        The glue key the prose refers to.
    x : real number
        The value.
    err : real number, optional
        Its uncertainty (see :func:`meaningful`).
    digits : int, default 3
        Most significant digits kept for a float.

    Returns
    -------
    None
        A cell that ends with a glue shows nothing.
    """
    from myst_nb import glue

    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        value = int(x)
    else:
        value = meaningful(x, err, digits)
    glue(name, value, display=False)


def glue_text(name: str, text: str) -> None:
    """Glue a short string (a verdict, a label) under ``name`` without displaying it.

    Used in the appendix "Performance".

    Parameters
    ----------
    name : str
        The glue key the prose refers to.
    text : str
        The string to glue.

    Returns
    -------
    None
    """
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    glue(name, text, display=False)
