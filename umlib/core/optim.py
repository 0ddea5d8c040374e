"""The Adam update, shared by every network the book trains: the sat-rnn of Parts I–II and the networks of Part V."""

from __future__ import annotations

import numpy as np

from .validate import count, fraction, positive_scalar, real_array, real_scalar

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
        Learning rate (>= 0, finite).
    b1, b2 : float, default 0.9 and 0.999
        Decay rates of the two moments.
    eps : float, default 1e-8
        Added to the root of the second moment to avoid division by zero.

    Returns
    -------
    None
        ``p``, ``m`` and ``v`` are changed in place (left unchanged when the step would
        overflow: an :class:`OverflowError` is raised instead).
    """
    for name, arr in (("p", p), ("m", m), ("v", v)):
        if not isinstance(arr, np.ndarray) or arr.dtype != np.float64:
            raise TypeError(f"{name} must be a float64 numpy array (it is updated in place), "
                            f"got {type(arr).__name__}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or inf")
    grad = real_array("grad", grad, min_size=0)
    for name, arr in (("grad", grad), ("m", m), ("v", v)):
        if arr.shape != p.shape:
            raise ValueError(f"{name} must have the shape of p {p.shape}, got {arr.shape}")
    if (v < 0).any():
        raise ValueError("v (a second moment) must be >= 0")
    t = count("t", t, minimum=1)
    lr = real_scalar("lr", lr)
    if lr < 0:
        raise ValueError(f"lr must be >= 0, got {lr}")
    b1 = fraction("b1", b1)
    b2 = fraction("b2", b2)
    eps = positive_scalar("eps", eps)
    # the same operations in the same order as an in-place update, into temporaries, so
    # that an overflow leaves p, m and v untouched and is reported, not stored
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        m_new = m * b1
        m_new += (1 - b1) * grad
        v_new = v * b2
        v_new += (1 - b2) * grad * grad
        p_new = p - lr * (m_new / (1 - b1 ** t)) / (np.sqrt(v_new / (1 - b2 ** t)) + eps)
    if not (np.isfinite(m_new).all() and np.isfinite(v_new).all() and np.isfinite(p_new).all()):
        raise OverflowError("the Adam step overflows for this grad (or lr): the moments or "
                            "the parameters leave the float range")
    m[...] = m_new
    v[...] = v_new
    p[...] = p_new
