"""The Adam update, shared by the networks trained in Part V (``features``, ``superposition``)."""

from __future__ import annotations

import numpy as np

__all__ = ["adam_update"]


def adam_update(p: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
                lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> None:
    """One Adam step on ``p`` in place, updating the moment buffers ``m`` and ``v`` in place.

    ``t`` counts steps from 1 (bias correction 1 - b**t).
    """
    m *= b1
    m += (1 - b1) * grad
    v *= b2
    v += (1 - b2) * grad * grad
    p -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
