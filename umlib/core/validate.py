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
           "class_labels", "spins", "fraction", "mapping", "vector", "record_fields",
           "text", "finite_result", "as_array", "flag", "sequence", "diverging", "MAX_COUNT"]

#: The largest count any argument of umlib accepts unless it sets its own bound: no
#: array length, loop count or size in the book comes near it, and a bigger number is a
#: mistake (10**400 sweeps), not a request.
MAX_COUNT = 2 ** 31 - 1


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
    _flag("allow_posinf", allow_posinf)
    _flag("allow_neginf", allow_neginf)
    _flag("allow_nan", allow_nan)
    min_size = count("min_size", min_size, minimum=0, maximum=None)
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
        try:
            arr = np.asarray(x)
        except Exception:  # ragged lists and the like
            arr = np.asarray(None)
        if arr.ndim != 0 or arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real scalar, got {type(x).__name__}")
        x = arr.item()
    value = _as_float(name, x)
    if np.isnan(value):
        raise ValueError(f"{name} is NaN")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if value <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def flag(name: str, x) -> bool:
    """Return ``x`` as a Python bool if it is a bool, or raise naming ``name``.

    An int, an array or ``None`` is a :class:`TypeError`: a flag is never guessed
    from a truth value.  Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : bool
        The value to check.

    Returns
    -------
    bool
        ``x``.
    """
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {type(x).__name__}")
    return bool(x)


_flag = flag


def _as_float(name: str, x) -> float:
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{name} is too large for a float, got an int of "
                            f"{len(str(abs(int(x))))} digits") from None


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
    value = _as_float(name, x)
    _flag("finite", finite)
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def count(name: str, n, *, minimum: int | None = 1, maximum: int | None = MAX_COUNT) -> int:
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
    minimum, maximum : int or None, default 1 and :data:`MAX_COUNT`
        Inclusive bounds; ``None`` drops that bound.

    Returns
    -------
    int
        ``n`` as a Python int.
    """
    for bound, b in (("minimum", minimum), ("maximum", maximum)):
        if b is not None and (isinstance(b, (bool, np.bool_))
                              or not isinstance(b, (numbers.Integral, np.integer))):
            raise TypeError(f"{bound} must be an int or None, got {type(b).__name__}")
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
    ndim = count("ndim", ndim, minimum=0, maximum=None)
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
    try:
        arr = np.asarray(labels)
    except Exception:  # ragged lists and the like
        raise ValueError(f"{name} must be a non-empty 1-D integer array of class labels "
                         "(got a ragged sequence)") from None
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
    try:
        arr = np.asarray(s)
    except Exception:  # ragged lists and the like
        raise ValueError(f"{name} must be an array of +1/-1 spins (got a ragged sequence)") \
            from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers +1/-1, got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array of +1/-1 spins (at least 1-D), got a scalar")
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
    d = count("d", d, minimum=0)
    v = real_array(name, v)
    if v.shape != (d,):
        raise ValueError(f"{name} must have shape ({d},), got {v.shape}")
    return v


def text(name: str, x, *, empty: bool = True) -> str:
    """Return ``x`` if it is a ``str`` (non-empty unless ``empty``), or raise naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : str
        The value to check.
    empty : bool, default True
        Whether the empty string is accepted.

    Returns
    -------
    str
        ``x`` itself.
    """
    if not isinstance(x, str):
        raise TypeError(f"{name} must be a str, got {type(x).__name__}")
    flag("empty", empty)
    if not empty and not x:
        raise ValueError(f"{name} must not be empty")
    return x


def record_fields(record, *, nonfinite: tuple = (), optional: tuple = (),
                  classes: dict | None = None) -> None:
    """Check every field of a record (a dataclass) against its annotation, or raise naming it.

    Called from the ``__post_init__`` of umlib's record classes so that no record stores
    a NaN, an infinity or an object of the wrong kind.  A field annotated ``float`` must
    be a finite real scalar, ``int`` an integer, ``bool`` a bool, ``str`` a str and
    ``np.ndarray`` an array_like of real numbers with finite entries; a field whose annotation admits
    ``None`` may be ``None``; other annotations are not checked here.  Values are not
    converted: the record keeps what it was given.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    record : dataclass instance
        The record to check.
    nonfinite : tuple of str
        Fields whose documented value may be NaN or infinite (e.g. a failed gate's
        measurement).
    optional : tuple of str
        Fields that may also be ``None``.
    classes : dict of str to type, optional
        Fields that must be instances of a class (e.g. ``{"model": SatRNN}``).

    Returns
    -------
    None
    """
    import dataclasses

    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        raise TypeError(f"record must be a dataclass instance, got {type(record).__name__}")
    for arg, names in (("nonfinite", nonfinite), ("optional", optional)):
        if not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
            raise TypeError(f"{arg} must be a tuple of field names")
    if classes is not None and not (isinstance(classes, dict) and all(
            isinstance(c, type) for c in classes.values())):
        raise TypeError("classes must be a dict of field name -> class")
    for name, cls in (classes or {}).items():
        if not isinstance(getattr(record, name), cls):
            raise TypeError(f"{name} must be a {cls.__name__}, got "
                            f"{type(getattr(record, name)).__name__}")
    for f in dataclasses.fields(record):
        name, value = f.name, getattr(record, f.name)
        ann = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        if value is None and ("None" in ann or name in optional):
            continue
        base = ann.split("|")[0].strip()
        if base == "float":
            real_scalar(name, value, finite=name not in nonfinite)
        elif base == "int":
            count(name, value, minimum=None, maximum=None)
        elif base == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
        elif base == "str":
            text(name, value)
        elif base in ("list", "tuple"):
            if not isinstance(value, (list, tuple)):
                raise TypeError(f"{name} must be a {base}, got {type(value).__name__}")
            for item in value:
                if isinstance(item, (numbers.Real, np.ndarray, list, tuple)) \
                        and name not in nonfinite:
                    try:
                        arr = np.asarray(item)
                    except Exception:  # ragged: not numbers, not checked here
                        continue
                    if arr.dtype.kind not in "biuf":
                        raise TypeError(f"{name} must hold real numbers")
                    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
                        raise ValueError(f"{name} contains NaN or inf")
        elif base in ("np.ndarray", "numpy.ndarray"):
            try:
                value = np.asarray(value)
            except Exception:  # ragged lists and the like
                value = np.asarray(None)
            if value.dtype.kind not in "biuf":
                raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
            if name not in nonfinite and value.dtype.kind == "f" and not np.isfinite(value).all():
                raise ValueError(f"{name} contains NaN or inf")


def _all_finite(x) -> bool:
    if isinstance(x, (tuple, list)):
        return all(_all_finite(v) for v in x)
    arr = np.asarray(x)
    return arr.dtype.kind not in "fc" or bool(np.isfinite(arr).all())


def finite_result(culprits: str, compute):
    """Evaluate ``compute()`` quietly and return it if finite, else raise naming ``culprits``.

    Floating-point overflow, division by zero and invalid operations inside ``compute``
    do not warn; a NaN or infinity in the result becomes an :class:`OverflowError`
    whose message names the arguments (``culprits``, e.g. ``"eta, sigma"``), so a
    closed form never returns a silent non-finite value from finite input.  The result
    itself is computed exactly as without the guard.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    culprits : str
        The argument names to cite, comma-separated.
    compute : callable
        A function of no arguments returning a number, an array or a tuple of them.

    Returns
    -------
    object
        ``compute()``.
    """
    text("culprits", culprits, empty=False)
    if not callable(compute):
        raise TypeError(f"compute must be a callable, got {type(compute).__name__}")
    try:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            out = compute()
    except (OverflowError, ZeroDivisionError):   # Python float arithmetic raises instead
        out = math.inf
    if not _all_finite(out):
        raise OverflowError(f"the result leaves the float range (or is undefined) for these "
                            f"{culprits}")
    return out


def as_array(name: str, x) -> np.ndarray:
    """``numpy.asarray(x)``, with a ragged or otherwise unconvertible ``x`` refused naming ``name``.

    Used by every module of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : array_like
        The value to convert.

    Returns
    -------
    numpy.ndarray
        ``x`` as an array (not copied when it already is one).
    """
    try:
        return np.asarray(x)
    except Exception as exc:  # ragged lists, objects whose __array__ fails, ...
        raise ValueError(f"{name} must be an array ({type(exc).__name__}: {exc})") from None


def sequence(name: str, x) -> list:
    """Return ``x`` as a list if it is a list, tuple, range or 1-D array, or raise naming ``name``.

    Strings, bytes, mappings, sets, scalars and ``None`` are a :class:`TypeError` (a
    set has no order; a string is not a sequence of items here).  Used by every module
    of umlib to check arguments.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    x : sequence
        The value to check.

    Returns
    -------
    list
        The items of ``x``, in order.
    """
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise TypeError(f"{name} must be a 1-D sequence, got an array of shape {x.shape}")
        return list(x)
    if not isinstance(x, (list, tuple, range)):
        raise TypeError(f"{name} must be a list or tuple, got {type(x).__name__}")
    return list(x)


class diverging:
    """Context manager: an iteration that leaves the float range raises naming ``culprits``.

    Inside the block floating-point overflow and invalid operations do not warn; a
    :class:`ValueError` or :class:`OverflowError` raised inside it (a NaN gradient
    refused by :func:`umlib.core.optim.adam_update`, an infinite logit refused by a
    softmax) is re-raised as an :class:`OverflowError` that names the arguments that
    drove the divergence (``culprits``, e.g. ``"lr"``).  Values computed inside are
    exactly those computed without it.  Used by every module of umlib to check arguments
    (here: the trainers' loops).

    Parameters
    ----------
    culprits : str
        The argument names to cite, comma-separated.

    Returns
    -------
    diverging
        The context manager.
    """

    def __init__(self, culprits: str) -> None:
        self.culprits = text("culprits", culprits, empty=False)
        self._state = None

    def __enter__(self):
        self._state = np.errstate(over="ignore", invalid="ignore", divide="ignore")
        self._state.__enter__()
        return self

    def __exit__(self, kind, exc, tb):
        self._state.__exit__(kind, exc, tb)
        if kind is not None and issubclass(kind, (ValueError, OverflowError)):
            raise OverflowError(f"the iteration diverged: these {self.culprits} are too large "
                                f"({exc})") from None
        return False
