"""The Adam update, shared by every network the book trains: the sat-rnn of Parts I–II and the networks of Part V."""

from __future__ import annotations

import numpy as np

__all__ = ["adam_update"]


def adam_update(p: np.ndarray, grad: np.ndarray, m: np.ndarray, v: np.ndarray, t: int,
                lr: float, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> None:
    """One Adam step on ``p`` in place, updating the moment buffers ``m`` and ``v`` in place.

    Used through the trainers: the sat-rnn's (:mod:`umlib.text.satrnn.training`), whose
    weights every chapter of Parts I and II loads, and Part V's, in "Causal emergence in a
    trained network" and "Superposition and sparse autoencoders".

    Parameters
    ----------
    p : numpy.ndarray
        The parameters, updated in place.
    grad : numpy.ndarray
        The gradient of the loss at ``p``, same shape.
    m, v : numpy.ndarray
        First- and second-moment buffers, same shape, updated in place (start at zeros).
    t : int
        Step number, counted from 1 (bias correction 1 - b**t).
    lr : float
        Learning rate.
    b1, b2 : float, default 0.9 and 0.999
        Decay rates of the two moments.
    eps : float, default 1e-8
        Added to the root of the second moment to avoid division by zero.

    Returns
    -------
    None
        ``p``, ``m`` and ``v`` are changed in place.
    """
    m *= b1
    m += (1 - b1) * grad
    v *= b2
    v += (1 - b2) * grad * grad
    p -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
