"""Shipped weights: ``.npz`` files read without pickle, each with a SHA-256 beside it.

Training amplifies the last bits in which two machines' matrix products differ,
so a chapter that trained its own network would store different numbers on
different CPUs.  The Part V chapters therefore load weights that a script
trained once.  :func:`write` stores named numeric arrays and numeric or string
metadata in an ``.npz`` and the file's SHA-256 in ``<file>.sha256``;
:func:`read` checks that checksum before it opens the file, and opens it with
``allow_pickle=False``.

The model modules wrap these two functions (:func:`umlib.text.satrnn.training.save`,
:func:`umlib.networks.features.model.save_resnet`, :func:`umlib.networks.superposition.toy.save_toy_models`,
...); this module only moves arrays and checks bytes.  A file records the
recipe it was trained with in its metadata, and :func:`recipe_mismatches` lets a
chapter check that recipe against the one it shows.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import numpy as np

__all__ = ["sha256", "sidecar", "write", "read", "recipe_mismatches"]

META = "meta_"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")
_HEX = re.compile(r"^[0-9a-f]{64}$")


def _npz_path(path) -> Path:
    if isinstance(path, (bool, np.bool_)) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a path, got {type(path).__name__}")
    p = _path("path", path)
    if p.suffix != ".npz":
        raise ValueError(f"path must end in .npz, got {str(p)!r}")
    return p


def _path(name: str, path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a str or os.PathLike, got {type(path).__name__}")
    return Path(path)


def sha256(path) -> str:
    """Hex SHA-256 of the file at ``path``.

    Used by every model module that ships weights, from Part I, "The microstate space"
    to Part V.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        64 lowercase hex digits.
    """
    p = _path("path", path)
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError as exc:
        raise type(exc)(f"path {str(p)!r} cannot be read: {exc.strerror or exc}") from None


def sidecar(path) -> Path:
    """The checksum file of ``path``: ``<path>.sha256``.

    Used by every model module that ships weights, from Part I, "The microstate space"
    to Part V.

    Parameters
    ----------
    path : str or os.PathLike
        The weights file.

    Returns
    -------
    pathlib.Path
        The path of its checksum file.
    """
    p = _path("path", path)
    return p.with_name(p.name + ".sha256")


def _numeric(what: str, value) -> np.ndarray:
    a = np.asarray(value)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be numeric (bool, int or float), got dtype {a.dtype}")
    return a


def write(path, arrays: dict, meta: dict | None = None) -> Path:
    """Write ``arrays`` and ``meta`` to the ``.npz`` at ``path`` and its SHA-256 beside it.

    Used by the training scripts behind Part V, "Causal emergence in a trained network"
    and "Superposition and sparse autoencoders" (and the sat-rnn of Part I, "The
    microstate space").

    Parameters
    ----------
    path : str or os.PathLike
        Destination, ending in ``.npz``.
    arrays : dict
        Names (letters, digits, ``_`` and ``.``, starting with a letter) -> numeric arrays.
    meta : dict, optional
        Names -> numbers, strings or numeric arrays (the recipe, the scores).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    p = _npz_path(path)
    if not isinstance(arrays, dict):
        raise TypeError(f"arrays must be a dict, got {type(arrays).__name__}")
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise TypeError(f"meta must be a dict, got {type(meta).__name__}")
    out = {}
    for k, v in arrays.items():
        if not isinstance(k, str) or not _NAME.match(k) or k.startswith(META):
            raise ValueError(f"array name {k!r} is not allowed (letters, digits, _ and ., "
                             f"starting with a letter, not with {META!r})")
        out[k] = _numeric(f"array {k}", v)
    for k, v in meta.items():
        if not isinstance(k, str) or not _NAME.match(k):
            raise ValueError(f"metadata name {k!r} is not allowed (letters, digits, _ and ., "
                             "starting with a letter)")
        a = np.asarray(v)
        if a.dtype.kind not in "biufU":
            raise TypeError(f"metadata {k} must be a number, a string or a numeric array, "
                            f"got dtype {a.dtype}")
        out[META + k] = a
    np.savez(p, **out)
    sidecar(p).write_text(f"{sha256(p)}  {p.name}\n")
    return p


def read(path, script: str) -> tuple[dict, dict]:
    """Verify the SHA-256 of the ``.npz`` at ``path``, then read it without pickle.

    Used by the model modules that load shipped weights, from Part I, "The microstate
    space" to Part V, "Feature clamping".

    Parameters
    ----------
    path : str or os.PathLike
        The weights file, ending in ``.npz``.
    script : str
        What writes the file, named in the error messages.

    Returns
    -------
    arrays : dict
        Name -> array (copies).
    meta : dict
        Name -> Python number, string or array (copies).

    Raises
    ------
    FileNotFoundError
        A missing file or checksum file.
    ValueError
        A checksum that does not match.
    """
    p = _npz_path(path)
    side = sidecar(p)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such weights file; {script} writes it")
    if not side.is_file():
        raise FileNotFoundError(f"{p}: its checksum file {side.name} is missing; weights are "
                                f"only read with their SHA-256 ({script} writes both)")
    fields = side.read_text().split()
    want = fields[0].lower() if fields else ""
    if not _HEX.match(want):
        raise ValueError(f"{side}: not a SHA-256 checksum file (expected 64 hex digits)")
    got = sha256(p)
    if got != want:
        raise ValueError(f"{p}: SHA-256 {got} does not match {side.name} ({want}); the "
                         f"weights are corrupt or were changed: rerun {script}")
    arrays, meta = {}, {}
    with np.load(p, allow_pickle=False) as f:
        for k in f.files:
            a = f[k]
            if k.startswith(META):
                meta[k[len(META):]] = a.item() if a.ndim == 0 else a.copy()
            else:
                arrays[k] = a.copy()
    return arrays, meta


def recipe_mismatches(meta, **shown) -> list[str]:
    """The recipe entries on which a file's metadata and the arguments shown disagree.

    ``shown`` maps a prefix to the keyword arguments a chapter shows, e.g.
    ``train=dict(steps=150, rng=0)``; the file stores them as ``train_steps``,
    ``train_rng``.  Used by Part V, "Causal emergence in a trained network" and
    "Superposition and sparse autoencoders".

    Parameters
    ----------
    meta : dict
        The metadata returned by :func:`read`.
    **shown : dict
        Prefix -> the keyword arguments the chapter shows.

    Returns
    -------
    list of str
        Sorted ``<prefix>_<name>`` keys that are shown but not stored, stored (under
        a shown prefix) but not shown, or stored with another value; empty when the
        file was trained with the recipe shown.

    Examples
    --------
    >>> from umlib.book.weights import recipe_mismatches
    >>> meta = {"train_steps": 150, "train_rng": 0, "accuracy": 1.0}
    >>> recipe_mismatches(meta, train=dict(steps=150, rng=0))
    []
    >>> recipe_mismatches(meta, train=dict(steps=149, rng=0, batch=128))
    ['train_batch', 'train_steps']
    """
    if not isinstance(meta, dict):
        raise TypeError(f"meta must be a dict, got {type(meta).__name__}")
    if not shown:
        raise ValueError("shown must name at least one prefix, e.g. train=dict(...)")
    want = {}
    for prefix, args in shown.items():
        if not isinstance(args, dict):
            raise TypeError(f"{prefix} must be a dict of arguments, got {type(args).__name__}")
        want.update({f"{prefix}_{k}": v for k, v in args.items()})
    have = {k: v for k, v in meta.items()
            if isinstance(k, str) and k.split("_")[0] in shown}
    return sorted(k for k in want.keys() | have.keys()
                  if k not in want or k not in have or not _same(have[k], want[k]))


def _same(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return False
