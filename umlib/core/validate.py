"""Argument validation shared by every ``umlib`` module.

Every public function turns bad input into a :class:`ValueError` (or
:class:`TypeError` for a wrong kind of object) whose message names the
argument, instead of letting a NaN or a warning escape.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["real_array", "positive_scalar", "real_scalar", "count", "check_axis", "as_rng",
           "class_labels", "spins", "fraction", "mapping", "vector"]


def real_array(name: str, x, *, allow_posinf: bool = False, allow_neginf: bool = False,
               min_size: int = 1, allow_nan: bool = False) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : array_like
        Real numbers (bool, integer or floating; not complex, not objects).
    allow_posinf, allow_neginf : bool
        Whether ``+inf`` / ``-inf`` entries are meaningful for this argument.
    min_size : int
        Smallest number of elements accepted.
    allow_nan : bool
        Whether NaN is passed through (only gates do this: a NaN result under
        test is a failed gate, not a bad argument).

    Returns
    -------
    numpy.ndarray of float64
        ``x`` converted (not copied when already float64).
    """
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of real numbers ({exc})") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got {arr.size}")
    if not allow_nan and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN")
    if not allow_posinf and np.isposinf(arr).any():
        raise ValueError(f"{name} contains +inf")
    if not allow_neginf and np.isneginf(arr).any():
        raise ValueError(f"{name} contains -inf")
    return arr


def positive_scalar(name: str, x) -> float:
    """Return ``x`` as a finite, strictly positive Python float, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : real scalar
        A Python or NumPy real number, or a 0-d real array (not a bool).

    Returns
    -------
    float
        ``x``, finite and > 0.
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        arr = np.asarray(x)
        if arr.ndim != 0 or arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real scalar, got {type(x).__name__}")
        x = arr.item()
    value = float(x)
    if np.isnan(value):
        raise ValueError(f"{name} is NaN")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def real_scalar(name: str, x, *, finite: bool = True) -> float:
    """Return ``x`` as a Python float, or raise naming ``name``.

    Accepts Python and NumPy real numbers and 0-d real arrays; refuses bools,
    strings, ``None`` and arrays with a :class:`TypeError`.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : real scalar
        The value to check.
    finite : bool, default True
        If True, NaN and infinities are a :class:`ValueError`; if False they are
        returned for the caller's own range check.

    Returns
    -------
    float
        ``x`` as a Python float.
    """
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (numbers.Real, np.floating,
                                                              np.integer)):
        try:
            arr = np.asarray(x)
        except Exception:  # ragged lists and the like
            arr = np.asarray(None)
        if arr.ndim != 0 or arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real scalar, got {type(x).__name__}")
        x = arr.item()
    value = float(x)
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def count(name: str, n, *, minimum: int | None = 1, maximum: int | None = None) -> int:
    """Return ``n`` as a Python int in ``[minimum, maximum]``, or raise naming ``name``.

    Only Python and NumPy integers are accepted: a bool, a float (even an
    integral one), a string or ``None`` is a :class:`TypeError`, never
    silently truncated.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    n : int
        The value to check.
    minimum, maximum : int or None, default 1 and None
        Inclusive bounds; ``None`` drops that bound.

    Returns
    -------
    int
        ``n`` as a Python int.
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}")
    value = int(n)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be an int <= {maximum}, got {value}")
    return value


def check_axis(name: str, axis: int, ndim: int) -> int:
    """Normalise ``axis`` for an array of ``ndim`` dimensions, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    axis : int
        An axis, negative values counting from the end.
    ndim : int
        Number of dimensions of the array.

    Returns
    -------
    int
        The axis in ``0..ndim-1``.
    """
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array of {ndim} dimension(s)")
    return int(axis) % ndim


def as_rng(rng) -> np.random.Generator:
    """Accept an int seed or a :class:`numpy.random.Generator` (the project's convention).

    Unseeded randomness (``None``) is refused.  Used by every module of umlib to check arguments.

    Parameters
    ----------
    rng : int or numpy.random.Generator
        A seed >= 0 or a generator.

    Returns
    -------
    numpy.random.Generator
        ``rng`` itself, or a new generator seeded with it.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)):
        raise TypeError("rng must be an int seed or a numpy.random.Generator "
                        f"(got {type(rng).__name__}); unseeded randomness is not allowed")
    if rng < 0:
        raise ValueError(f"rng seed must be >= 0, got {rng}")
    return np.random.default_rng(int(rng))


def class_labels(name: str, labels) -> np.ndarray:
    """Return ``labels`` as a non-empty 1-D int64 array of non-negative class labels.

    The labelling of positions that a factoring induces (Parts I and II).
    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    labels : array_like of int, shape (N,)
        Class labels, >= 0.

    Returns
    -------
    numpy.ndarray of int64, shape (N,)
        The labels.
    """
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.size < 1 or arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a non-empty 1-D integer array of class labels")
    if arr.min() < 0:
        raise ValueError(f"{name} must hold non-negative class labels")
    return arr.astype(np.int64)


def spins(name: str, s) -> np.ndarray:
    """Return ``s`` as an array of ±1 spins, or raise naming ``name``.

    Any real dtype is accepted as long as every entry is exactly +1 or -1; an empty
    array, a non-numeric dtype or any other value is refused.  Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    s : array_like
        Spins, each +1 or -1.

    Returns
    -------
    numpy.ndarray
        ``s`` as an array, dtype unchanged.
    """
    arr = np.asarray(s)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers +1/-1, got dtype {arr.dtype}")
    if arr.size == 0 or not np.all((arr == 1) | (arr == -1)):
        raise ValueError(f"{name} must contain only +1 and -1")
    return arr


def fraction(name: str, x) -> float:
    """Return ``x`` as a float in ``[0, 1)``, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : real scalar
        The value to check.

    Returns
    -------
    float
        ``x``, with 0 <= x < 1.
    """
    x = real_scalar(name, x, finite=False)
    if not 0.0 <= x < 1.0 or math.isnan(x):
        raise ValueError(f"{name} must be in [0, 1), got {x!r}")
    return x


def mapping(name: str, x) -> Mapping:
    """Return ``x`` if it is a non-empty mapping, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : Mapping
        The value to check (for example a dict of models).

    Returns
    -------
    Mapping
        ``x`` itself.
    """
    if not isinstance(x, Mapping):
        raise TypeError(f"{name} must be a mapping (a dict), got {type(x).__name__}")
    if not x:
        raise ValueError(f"{name} must hold at least one model")
    return x


def vector(name: str, v, d: int) -> np.ndarray:
    """Return ``v`` as a finite float vector of shape ``(d,)``, or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    v : array_like of float
        The value to check.
    d : int
        Required length.

    Returns
    -------
    numpy.ndarray of float64, shape (d,)
        ``v`` converted.
    """
    v = real_array(name, v)
    if v.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},), got {v.shape}")
    return v
