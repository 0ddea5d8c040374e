"""Reading the trained sat-rnn: accumulator differences, binary states, the analytic bigram, attributions and the sign read-out.

Used throughout Parts I and II; the attribution in "The two directions of the
thermodynamic map" and the sign read-out in "The entropy budget" and "The Boltzmann
distribution in detail".
"""

from __future__ import annotations
import math
import numpy as np
from ...core import thermo
from ...core.validate import count, finite_result, positive_scalar, real_array, real_scalar
from .model import (HIDDEN, MAX_HIDDEN, SatRNN, Trace, VOCAB, _LN2, _bytes, _log2_softmax_at,
                    _trace, forward)

__all__ = [
    "accumulator_difference",
    "binary_states",
    "analytic_bigram",
    "attribution",
    "sign_readout_bpc",
]


def accumulator_difference(a) -> np.ndarray:
    r"""The binary event space's accumulator difference in bits, :math:`D = 2a/\ln 2`.

    With it, :math:`P(h^+) = \sigma(2a) = 1/(1 + 2^{-D})` and
    :math:`\tanh a = P(h^+) - P(h^-)` (Part I, "The partition function").  The sigmoid
    is the two-state Gibbs law, ``thermo.gibbs([-D/2, D/2], T=1/ln 2)[0]``.

    Parameters
    ----------
    a : array_like
        Pre-activations (any shape, finite).

    Returns
    -------
    numpy.ndarray
        :math:`D` in bits, same shape.

    Raises
    ------
    OverflowError
        If :math:`2a/\ln 2` overflows.

    Examples
    --------
    >>> import math
    >>> from umlib.text.satrnn import accumulator_difference
    >>> float(accumulator_difference(math.log(2) / 2))
    1.0
    """
    arr = real_array("a", a, min_size=0)
    with np.errstate(over="ignore"):
        D = 2.0 * arr / _LN2
    if not np.isfinite(D).all():
        raise OverflowError("a is so large that D = 2a/ln 2 overflows")
    return D


def binary_states(h) -> np.ndarray:
    """The binary hidden events: +1 where :math:`h > 0`, else -1 (int8; h = 0 counts as -1).

    Part I, "The microstate space".

    Parameters
    ----------
    h : array_like, shape (T, H)
        Hidden states.

    Returns
    -------
    numpy.ndarray, shape (T, H), dtype int8
        The signs.

    Examples
    --------
    >>> from umlib.text.satrnn import binary_states
    >>> binary_states([[0.3, -0.2, 0.0]]).tolist()
    [[1, -1, -1]]
    """
    arr = real_array("h", h, min_size=0)
    if arr.ndim != 2:
        raise ValueError("h must be a 2-D array (positions × units)")
    return np.where(arr > 0, 1, -1).astype(np.int8)


def analytic_bigram(data, hidden: int = HIDDEN, floor: float = -30.0,
                    gain: float = 30.0) -> SatRNN:
    r"""The counting construction: sat-rnn weights that realise the bigram counts exactly.

    Each distinct input byte gets its own hidden unit (needs ``hidden`` >= number of
    distinct bytes).  With :math:`W_h = 0` and a large input gain the unit of the current
    byte saturates at +1 and every other at -1, so :math:`h_t = 2e_{x_t} - 1`.  Output
    weights :math:`W_y[:, j] = L[:, j]/2` and bias :math:`b_y = \sum_j L[:, j]/2` with
    :math:`L[o, j] = \ln\big(c(j, o)/c(j)\big)` (``floor`` nats where the pair never occurs)
    give :math:`A(o, t) = L[o, x_t]`: the model predicts with the empirical conditional
    counts, and its bpc approaches :math:`H(Y \mid X)` as ``floor`` → −∞.

    Derived in Part I, "The free energy landscape".

    Parameters
    ----------
    data : bytes or integer array
        The sequence whose bigram counts are realised.
    hidden : int, default 128
        Hidden units (>= the number of distinct input bytes).
    floor : float, default -30.0
        Log-probability (nats) of a pair that never occurs (finite, < 0).
    gain : float, default 30.0
        Input gain that saturates the units (> 0).

    Returns
    -------
    SatRNN
        The constructed model.

    Examples
    --------
    >>> from umlib.text.satrnn import analytic_bigram, bits_per_char
    >>> m = analytic_bigram(b"abababab", hidden=4)
    >>> bits_per_char(m, b"abababab") < 1e-6
    True
    """
    x = _bytes("data", data)
    hidden = count("hidden", hidden, minimum=1, maximum=MAX_HIDDEN)
    floor = real_scalar("floor", floor, finite=False)
    if not floor < 0 or not math.isfinite(floor):
        raise ValueError(f"floor must be a finite negative number, got {floor!r}")
    gain = positive_scalar("gain", gain)
    syms = np.unique(x[:-1])
    if syms.size > hidden:
        raise ValueError(f"hidden={hidden} is smaller than the {syms.size} distinct input bytes")
    unit = np.full(VOCAB, -1)
    unit[syms] = np.arange(syms.size)
    c = np.zeros((hidden, VOCAB))
    np.add.at(c, (unit[x[:-1]], x[1:]), 1.0)
    L = np.full((VOCAB, hidden), 0.0)
    for j in range(syms.size):
        with np.errstate(divide="ignore"):
            lp = np.log(c[j] / c[j].sum())
        L[:, j] = np.where(np.isfinite(lp), lp, floor)
    Wx = np.full((hidden, VOCAB), -gain)
    Wx[unit[syms], syms] = gain
    # bytes never seen as input: all units -1 (h = -1 vector), any prediction will do
    Wy = L / 2.0
    by = finite_result("floor", lambda: L.sum(axis=1) / 2.0)
    return SatRNN(Wx=Wx, Wh=np.zeros((hidden, hidden)), bh=np.zeros(hidden), Wy=Wy, by=by)


def attribution(model: SatRNN, data, t: int, trace: Trace | None = None) -> np.ndarray:
    r"""The backward pass of one prediction: :math:`g_s = \partial\,\mathrm{bpc}(t)/\partial a_s`.

    The surprise :math:`\mathrm{bpc}(t) = -\log_2 P(x_{t+1} \mid h_t)` is differentiated
    with respect to the pre-activations :math:`a_s` of every earlier step
    :math:`s = 0, \dots, t`.  The chain is the forward pass run backwards:

    .. math::

        \frac{\partial\,\mathrm{bpc}(t)}{\partial A(o, t)} = \frac{P(o \mid h_t) -
        [o = x_{t+1}]}{\ln 2}, \qquad
        g_t = (1 - h_t^2) \odot W_y^\top \frac{\partial\,\mathrm{bpc}(t)}{\partial A},
        \qquad g_{s} = (1 - h_s^2) \odot W_h^\top g_{s+1}.

    The factor :math:`1 - h_s^2 = 4 P(h^+) P(h^-)` is the variance of the unit's spin,
    so a saturated unit passes almost nothing back.  The input event :math:`x_s` enters
    :math:`a_s` through the column :math:`W_x e_{x_s}`, so :math:`g_s` is also the
    gradient with respect to that column's contribution at step :math:`s`, and
    :math:`\partial\,\mathrm{bpc}(t)/\partial b_h = \sum_s g_s`.

    :math:`P(\cdot \mid h_t)` is the output softmax at T = 1
    (:func:`umlib.core.thermo.softmax`).

    Derived in Part I, "The two directions of the thermodynamic map".

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        The sequence; ``t + 1`` must be a valid index (the next byte exists).
    t : int
        The prediction position, ``0 <= t <= len(data) - 2``.
    trace : Trace, optional
        A forward pass of ``model`` over ``data`` (recomputed when omitted).

    Returns
    -------
    numpy.ndarray, shape (t + 1, H)
        Row ``s`` is :math:`g_s`.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, attribution, bpc_per_position
    >>> m = init_params(6, rng=0, scale_x=0.5)
    >>> g = attribution(m, b"abcab", 3)
    >>> g.shape
    (4, 6)
    >>> eps = 1e-6   # the bias receives the sum of the g_s
    >>> from umlib.text.satrnn import SatRNN
    >>> up = SatRNN(**{**m.arrays(), "bh": m.bh + eps * np.eye(6)[2]})
    >>> dn = SatRNN(**{**m.arrays(), "bh": m.bh - eps * np.eye(6)[2]})
    >>> fd = (bpc_per_position(up, b"abcab")[3] - bpc_per_position(dn, b"abcab")[3]) / (2 * eps)
    >>> bool(abs(fd - g[:, 2].sum()) < 1e-8)
    True
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    x = _bytes("data", data)
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 0 <= t <= x.size - 2:
        raise ValueError(f"t must be an int in 0..{x.size - 2}, got {t!r}")
    tr = forward(model, x) if trace is None else _trace(trace)
    if tr.h.shape != (x.size, model.hidden):
        raise ValueError("trace does not belong to this model and data")
    dA = thermo.softmax(tr.logits[t], 1.0)             # P(o | h_t), the output Gibbs law
    dA[x[t + 1]] -= 1.0
    dA /= _LN2
    g = np.empty((t + 1, model.hidden))
    back = model.Wy.T @ dA
    for s in range(t, -1, -1):
        g[s] = back * (1.0 - tr.h[s] * tr.h[s])
        back = model.Wh.T @ g[s]
    return g


def sign_readout_bpc(model: SatRNN, data, recurrent: bool = False,
                     trace: Trace | None = None) -> np.ndarray:
    r"""Surprise per position when the hidden units are replaced by their signs.

    The *mantissa* of a unit is what :math:`h_t` carries beyond its sign
    (:func:`binary_states`).  With ``recurrent=False`` only the readout sees signs:
    :math:`A(o,t) = (W_y\,\mathrm{sign}(h_t) + b_y)_o`, the recurrence is unchanged.  With
    ``recurrent=True`` the network runs on signs throughout,
    :math:`h_t = \mathrm{sign}(W_x e_{x_t} + W_h h_{t-1} + b_h)` (sign 0 counts as -1).

    Derived in Part I, "The Boltzmann distribution in detail".

    Parameters
    ----------
    model : SatRNN
    data : bytes or integer array
        The sequence (N >= 2 bytes).
    recurrent : bool, default False
        Run the recurrence on signs too.
    trace : Trace, optional
        A forward pass of ``model`` over ``data`` (used when ``recurrent`` is False).

    Returns
    -------
    numpy.ndarray, shape (N - 1,)
        Bits of surprise per next byte (output log-softmax via :mod:`umlib.core.thermo`).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.text.satrnn import init_params, sign_readout_bpc
    >>> m = init_params(8, rng=1)
    >>> sign_readout_bpc(m, b"abcab").shape, sign_readout_bpc(m, b"abcab", recurrent=True).shape
    ((4,), (4,))
    """
    if not isinstance(model, SatRNN):
        raise TypeError("model must be a SatRNN")
    if not isinstance(recurrent, (bool, np.bool_)):
        raise TypeError("recurrent must be a bool")
    x = _bytes("data", data)
    if recurrent:
        H = model.hidden
        h = np.zeros(H)
        hs = np.empty((x.size, H))
        xin = model.Wx[:, x].T + model.bh
        for t in range(x.size):
            h = np.where(xin[t] + model.Wh @ h > 0, 1.0, -1.0)
            hs[t] = h
    else:
        tr = forward(model, x) if trace is None else _trace(trace)
        hs = np.where(tr.h > 0, 1.0, -1.0)
    logits = hs @ model.Wy.T + model.by
    return -_log2_softmax_at(logits[:-1], x[1:])
