"""Operations on the residual stream: steering, patching, clamping, the difference of means, the logit lens and single-weight edits.

Derived in "Activation engineering: steering a concept", "Inspecting a network: caching,
patching, the logit lens" and "Feature clamping".
"""

from __future__ import annotations
from typing import Callable
import numpy as np
from ...core.validate import as_array, count, finite_result, real_array, real_scalar, vector
from .model import ResNet

__all__ = [
    "steer",
    "patch",
    "clamp",
    "difference_of_means",
    "logit_lens",
    "with_weight",
    "output_channel",
]


def _stream(x, position) -> tuple[np.ndarray, int | None]:
    """Validate the states ``x`` (last axis: the stream width) and ``position``.

    With ``position=None`` every state is touched, so ``x`` may be a single
    state (1-D); otherwise ``x`` needs a positions axis (second to last).
    """
    x = real_array("x", x)
    if position is None:
        if x.ndim < 1:
            raise ValueError("x must be an array of states (at least 1-D), got a scalar")
        return x, None
    if x.ndim < 2:
        raise ValueError("x must be at least 2-D (..., positions, width) when position is "
                         f"given, got {x.ndim} dimension(s)")
    if isinstance(position, (bool, np.bool_)) or not isinstance(position, (int, np.integer)):
        raise TypeError(f"position must be an int or None, got {type(position).__name__}")
    T = x.shape[-2]
    if not -T <= position < T:
        raise ValueError(f"position must be in -{T}..{T - 1}, got {position}")
    return x, int(position)


def _finite(what: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """Run ``compute`` on finite inputs; an infinite or NaN result can only be an overflow."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = compute()
    if not np.isfinite(out).all():
        raise OverflowError(f"{what} overflows the float64 range")
    return out


def _direction(v, x: np.ndarray) -> np.ndarray:
    v = real_array("v", v)
    if v.shape != (x.shape[-1],):
        raise ValueError(f"v must have shape ({x.shape[-1]},), the width of x (the last axis "
                         f"of x), got {v.shape}")
    return v


def steer(x, v, c: float, position: int | None = -1) -> np.ndarray:
    """Steering: ``x <- x + c v`` at one position (or every position with ``position=None``).

    Used in Part V, "Activation engineering: steering a concept".

    Parameters
    ----------
    x : array_like
        Stream states ``(..., T, d)``; with ``position=None`` any ``(..., d)``.
    v : array_like
        ``(d,)`` steering vector (e.g. :func:`difference_of_means`).
    c : float
        Coefficient.
    position : int or None
        Position to steer (negative counts from the end); None steers every state.

    Returns
    -------
    numpy.ndarray
        A steered copy of ``x``.

    Raises
    ------
    OverflowError
        The sum overflows float64.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.features import steer
    >>> steer(np.zeros((1, 2, 2)), [1.0, 0.0], 3.0)[0].tolist()
    [[0.0, 0.0], [3.0, 0.0]]
    """
    x, position = _stream(x, position)
    v = _direction(v, x)
    if isinstance(c, (list, tuple, np.ndarray)) and np.ndim(as_array("c", c)):
        ca = real_array("c", c)
        if ca.size != 1:
            raise ValueError(f"c must be a scalar, got shape {ca.shape}")
        c = ca.reshape(-1)[0]
    c = real_scalar("c", c)
    out = x.copy()

    def compute():
        if position is None:
            out[...] += c * v
        else:
            out[..., position, :] += c * v
        return out

    return _finite("steer: x + c v", compute)


def patch(x_corrupted, v_corrupted, v_clean) -> np.ndarray:
    """Activation patching, ``x_patched = x_corrupted - v_corrupted + v_clean`` (the source's).

    With ``v = x`` (the whole state) it is a replacement by the clean state; with ``v``
    the component of the state in a subspace it replaces that component only.  Used in
    Part V, "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    x_corrupted : array_like
        States of the corrupted run.
    v_corrupted, v_clean : array_like
        The part to remove (from the corrupted run) and the part to put in (from
        the clean run); all three of one shape.

    Returns
    -------
    numpy.ndarray
        The patched states.

    Examples
    --------
    >>> from umlib.networks.features import patch
    >>> patch([1.0, 2.0], [1.0, 2.0], [5.0, 6.0]).tolist()
    [5.0, 6.0]
    """
    xc = real_array("x_corrupted", x_corrupted)
    vc = real_array("v_corrupted", v_corrupted)
    vk = real_array("v_clean", v_clean)
    if not (xc.shape == vc.shape == vk.shape):
        raise ValueError("x_corrupted, v_corrupted and v_clean must have one shape")
    return _finite("patch: x_corrupted - v_corrupted + v_clean", lambda: xc - vc + vk)


def clamp(x, v, lam, position: int | None = -1) -> np.ndarray:
    """Feature clamping: ``x_clamped = x - f v + lam v`` with ``f = x . v`` and ``v`` of unit norm.

    After the clamp the feature's activation ``x . v`` is ``lam`` whatever it
    was, and the part of ``x`` orthogonal to ``v`` is untouched.  Used in Part V,
    "Feature clamping" and "Causal emergence in a trained network" (clamps as
    interventions whose EI is measured).

    Parameters
    ----------
    x : array_like
        Stream states ``(..., T, d)``; with ``position=None`` any ``(..., d)``.
    v : array_like
        ``(d,)`` feature direction, unit norm within 1e-9.
    lam : float or array_like
        Clamped activation: a scalar or one value per clamped state (``lam = x . v``
        itself is the no-op clamp).
    position : int or None
        Position to clamp (negative counts from the end); None clamps every state.

    Returns
    -------
    numpy.ndarray
        A clamped copy of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.features import clamp
    >>> clamp(np.array([[[3.0, 4.0]]]), [1.0, 0.0], 10.0)[0, 0].tolist()
    [10.0, 4.0]
    """
    x, position = _stream(x, position)
    v = _direction(v, x)
    with np.errstate(over="ignore"):
        norm = float(np.linalg.norm(v))
    if not abs(norm - 1.0) <= 1e-9:
        raise ValueError("v must have unit norm (within 1e-9)")
    lam = real_array("lam", lam)
    out = x.copy()
    sl = (Ellipsis, slice(None)) if position is None else (Ellipsis, position, slice(None))
    xs = out[sl]
    f = _finite("clamp: the activation f = x . v", lambda: xs @ v)
    try:
        lam = np.broadcast_to(lam, f.shape)
    except ValueError:
        raise ValueError(f"lam must be a scalar or broadcast to shape {f.shape}") from None
    out[sl] = _finite("clamp: x - f v + lam v",
                      lambda: xs - f[..., None] * v + lam[..., None] * v)
    return out


def difference_of_means(acts_a, acts_b) -> np.ndarray:
    """The concept vector ``mean(acts_a) - mean(acts_b)`` over the first axis.

    Used in Part V, "Activation engineering: steering a concept".

    Parameters
    ----------
    acts_a, acts_b : array_like
        ``(n_a, d)`` and ``(n_b, d)`` activations of the two groups.

    Returns
    -------
    numpy.ndarray
        ``(d,)`` difference of the group means.

    Examples
    --------
    >>> from umlib.networks.features import difference_of_means
    >>> difference_of_means([[1.0, 0.0], [3.0, 0.0]], [[0.0, 1.0]]).tolist()
    [2.0, -1.0]
    """
    a = real_array("acts_a", acts_a)
    b = real_array("acts_b", acts_b)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError("acts_a and acts_b must be 2-D with the same width")
    return _finite("difference_of_means: mean(acts_a) - mean(acts_b)",
                   lambda: a.mean(axis=0) - b.mean(axis=0))


def logit_lens(net: ResNet, stream: dict) -> np.ndarray:
    """The logit lens: every depth read with the final readout, ``x_s[:, -1] U + c``, s = 0..L.

    Used in Part V, "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    net : ResNet
        The network whose readout ``U, c`` is applied.
    stream : dict
        A cache from :meth:`~umlib.networks.features.model.ResNet.run` (needs ``resid.0`` .. ``resid.L``).

    Returns
    -------
    numpy.ndarray
        ``(L + 1, N, K)`` logits; the last slice is the network's own logits.
    """
    if not isinstance(net, ResNet):
        raise TypeError(f"net must be a ResNet, got {type(net).__name__}")
    if not isinstance(stream, dict):
        raise TypeError(f"stream must be a dict (a cache from ResNet.run), got "
                        f"{type(stream).__name__}")
    keys = [f"resid.{s}" for s in range(net.n_layers + 1)]
    missing = [k for k in keys if k not in stream]
    if missing:
        raise ValueError(f"stream lacks {missing}: pass the cache of ResNet.run on this net")
    rs = [real_array(f"stream[{k!r}]", stream[k]) for k in keys]
    if any(r.ndim != 3 or r.shape[-1] != net.d for r in rs):
        raise ValueError(f"stream must hold (N, T, {net.d}) arrays for this net")
    return finite_result("stream", lambda: np.stack([r[:, -1] @ net.U + net.c for r in rs]))


def with_weight(net: ResNet, name: str, index: tuple, value: float) -> ResNet:
    """A copy of a network with one parameter set to a value: an intervention on a weight.

    Used in Part V, "Causal emergence in a trained network" (the channel from a
    weight's value to the network's answers).

    Parameters
    ----------
    net : ResNet
        The network (not modified).
    name : str
        ``"E"``, ``"P"``, ``"U"``, ``"c"``, or ``"A.l"``, ``"W1.l"``, ``"b1.l"``,
        ``"W2.l"`` for layer ``l``.
    index : tuple of int
        Index of the entry within that array.
    value : float
        The new value.

    Returns
    -------
    ResNet
        A deep copy with the entry changed (and an empty history).

    Examples
    --------
    >>> from umlib.networks.features import ResNet, with_weight
    >>> net = ResNet.init(5, 3, 4, 8, 2, 2)
    >>> float(with_weight(net, "W1.1", (0, 0), 7.0).W1[1][0, 0])
    7.0
    """
    if not isinstance(net, ResNet):
        raise TypeError(f"net must be a ResNet, got {type(net).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    if not isinstance(index, tuple) or not all(
            isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_))
            for i in index):
        raise TypeError(f"index must be a tuple of ints (one entry of the weight), got "
                        f"{index!r}")
    value = real_scalar("value", value)
    new = ResNet(E=net.E.copy(), P=net.P.copy(), A=[a.copy() for a in net.A],
                 W1=[w.copy() for w in net.W1], b1=[b.copy() for b in net.b1],
                 W2=[w.copy() for w in net.W2], U=net.U.copy(), c=net.c.copy())
    base, _, layer = name.partition(".")
    if base in ("E", "P", "U", "c") and not layer:
        arr = getattr(new, base)
    elif base in ("A", "W1", "b1", "W2") and layer.isdigit() and int(layer) < net.n_layers:
        arr = getattr(new, base)[int(layer)]
    else:
        raise ValueError(f"name {name!r} is not a parameter of this network")
    if len(index) != arr.ndim:
        raise ValueError(f"index {index!r} must have one int per axis of {name} "
                         f"(shape {arr.shape})")
    try:
        arr[index] = value
    except IndexError:
        raise ValueError(f"index {index!r} is out of range for {name} of shape "
                         f"{arr.shape}") from None
    return new


def output_channel(outcomes, n_classes: int) -> np.ndarray:
    """The channel from interventions to answers: each row the share of prompts per class.

    The result is a row-stochastic matrix for
    :func:`umlib.networks.emergence.information.effective_information` with ``square=False``.
    Used in Part V, "Causal emergence in a trained network".

    Parameters
    ----------
    outcomes : array_like
        ``(n_interventions, n_prompts)`` integer argmax answers.
    n_classes : int
        Number of classes K, >= 1.

    Returns
    -------
    numpy.ndarray
        ``(n_interventions, K)`` row-stochastic matrix.

    Examples
    --------
    >>> from umlib.networks.features import output_channel
    >>> output_channel([[0, 0, 1, 1], [1, 1, 1, 1]], 2).tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    n_classes = count("n_classes", n_classes, minimum=1)
    o = as_array("outcomes", outcomes)
    if o.ndim != 2 or o.dtype.kind not in "iu":
        raise ValueError("outcomes must be a 2-D integer array (interventions, prompts)")
    if o.size == 0:
        raise ValueError(f"outcomes must hold at least one intervention and one prompt, "
                         f"got shape {o.shape}")
    if o.min() < 0 or o.max() >= n_classes:
        raise ValueError("outcomes out of range of n_classes")
    return np.stack([np.bincount(r, minlength=n_classes) / r.size for r in o])
