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

__all__ = ["sig", "glue_number", "glue_text"]


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
