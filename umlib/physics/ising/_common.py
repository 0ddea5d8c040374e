"""Private helpers that the Ising modules share: temperature checks and overflow guards.

Nothing here is public (no ``__all__``); the public functions that call these
helpers are documented in :mod:`umlib.physics.ising`.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.validate import positive_scalar, real_array


def _beta(T) -> tuple[float, float]:
    """Validate a temperature and return (T, 1/T); refuse a T so small that 1/T overflows."""
    T = positive_scalar("T", T)
    b = 1.0 / T
    if not math.isfinite(b):
        raise OverflowError(f"T = {T!r} is too small: 1/T overflows float64")
    return T, b


def _finite_log(value: float, what: str) -> float:
    """Return ``value`` if finite, else an OverflowError naming T (ln Z beyond float64)."""
    if not math.isfinite(value):
        raise OverflowError(f"{what} overflows float64 at this T (T too small for these couplings J and h)")
    return value


def _field(h, n: int) -> np.ndarray:
    """Return the field ``h`` as one value per site, shape ``(n,)``.

    A scalar is broadcast; an array must already have shape ``(n,)`` (else ``ValueError``).
    """
    h = real_array("h", h)
    if h.ndim == 0:
        return np.full(n, float(h))
    if h.shape != (n,):
        raise ValueError(f"h must be a scalar or have one value per site ({n}), got {h.shape}")
    return h
