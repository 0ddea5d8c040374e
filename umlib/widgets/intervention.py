"""The steering and clamping dials of Part V: one coefficient, the answer shares.

Used in Part V, "Activation engineering: steering a concept" and "Feature clamping".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..core.thermo import softmax
from ..core.validate import as_array, diverging, real_array, real_scalar, vector
from ..networks.features import ResNet, Task, clamp, steer
from ..networks.features.model import Hook
from .protocol import Control, Dial, Readout
from .svg import bars_svg

__all__ = ["DoseReadout", "SteeringDial", "ClampingDial", "slider_step"]


@dataclass(frozen=True)
class DoseReadout(Readout):
    """What a steering or clamping dial shows at one setting.

    Parameters
    ----------
    value : float
        The coefficient (c or lambda).
    p_target : float
        Mean probability of the target concept.
    share_target : float
        Share of prompts whose argmax is the target.
    share_by_class : numpy.ndarray
        Share of prompts answering each concept.

    Notes
    -----
    Used in Part V, "Activation engineering: steering a concept" and "Feature clamping".
    """

    value: float
    p_target: float
    share_target: float
    share_by_class: np.ndarray


#: The finest slider a dose dial offers has at most this many steps.
MAX_STEPS = 150


def slider_step(span: float) -> float:
    """The slider step of a dose dial over ``span``: the finest of 0.05, 0.1, 0.2, 0.25,
    0.5, 1, 2, 2.5, 5, 10, ... that cuts it into at most ``MAX_STEPS`` steps.

    Every setting of a dial is computed when the book is built, so a wide range gets a
    coarser step rather than thousands of settings.

    Parameters
    ----------
    span : float
        ``vmax - vmin``, positive.

    Returns
    -------
    float

    Notes
    -----
    Used in Part V, "Activation engineering: steering a concept" and "Feature clamping".

    Examples
    --------
    >>> from umlib.widgets.intervention import slider_step
    >>> slider_step(7.0), slider_step(108.3)
    (0.05, 1.0)
    """
    span = real_scalar("span", span)
    if not span > 0:
        raise ValueError(f"span must be positive, got {span!r}")
    scale = Decimal("0.01")
    while True:
        for m in (5, 10, 20, 25, 50):
            step = float(m * scale)
            if span / step <= MAX_STEPS:
                return step
        scale *= 10


class _InterventionDial(Dial):
    """Shared arithmetic and view: one linear control ``value``, bars of the answer shares."""

    label = "c"

    def __init__(self, net: ResNet, task: Task, v, depth: int, target: int,
                 value: float = 0.0, vmin: float = -4.0, vmax: float = 4.0,
                 prompts=None, position: int = -1) -> None:
        if not isinstance(net, ResNet):
            raise TypeError(f"net must be a ResNet, got {type(net).__name__}")
        if not isinstance(task, Task):
            raise TypeError(f"task must be a Task, got {type(task).__name__}")
        self.net, self.task = net, task
        self.v = vector("v", v, net.d)
        vmin, vmax = real_scalar("vmin", vmin), real_scalar("vmax", vmax)
        if not (isinstance(depth, (int, np.integer)) and 0 <= depth <= net.n_layers):
            raise ValueError(f"depth must be in 0..{net.n_layers}")
        if not (isinstance(target, (int, np.integer)) and 0 <= target < task.n_classes):
            raise ValueError(f"target must be in 0..{task.n_classes - 1}")
        if not vmin < vmax:
            raise ValueError("vmin must be < vmax")
        value = real_scalar("value", value)
        if not vmin <= value <= vmax:
            raise ValueError(f"value = {value!r} must lie in [vmin, vmax] = [{vmin!r}, {vmax!r}]")
        if not (isinstance(position, (int, np.integer)) and
                -net.seq_len <= position < net.seq_len):
            raise ValueError(f"position must be in -{net.seq_len}..{net.seq_len - 1}")
        self.depth, self.target, self.position = int(depth), int(target), int(position)
        self.vmin, self.vmax = float(vmin), float(vmax)
        self.prompts = task.tokens if prompts is None else as_array("prompts", prompts)
        super().__init__((Control("value", self.label, "linear", value, lo=self.vmin,
                                  hi=self.vmax, step=slider_step(self.vmax - self.vmin)),))

    def hook(self, value: float) -> Hook:  # pragma: no cover - overridden
        raise NotImplementedError

    def readout(self, state) -> DoseReadout:
        """Answer shares of the intervened network at ``state["value"]`` (pure).

        Parameters
        ----------
        state : mapping
            ``{"value": coefficient}``.

        Returns
        -------
        DoseReadout

        Notes
        -----
        Used in Part V, "Activation engineering: steering a concept" and "Feature
        clamping".
        """
        value = self.validate(state)["value"]
        with diverging("value"):      # a dose so large the network's logits overflow
            logits = self.net.logits(self.prompts, {self.depth: self.hook(value)})
            p = softmax(logits, 1.0, axis=1)
        pred = np.argmax(logits, axis=1)
        shares = np.bincount(pred, minlength=self.task.n_classes) / pred.size
        return DoseReadout(value=float(value), p_target=float(p[:, self.target].mean()),
                           share_target=float(shares[self.target]), share_by_class=shares)

    def bars_svg(self, r: DoseReadout) -> str:
        """Bars of the answer shares, the target crowned.

        Parameters
        ----------
        r : DoseReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Activation engineering: steering a concept" and "Feature
        clamping".
        """
        return bars_svg(r.share_by_class, [f"concept {k}" for k in range(self.task.n_classes)],
                        highlight=self.target, title=f"answer shares at {self.label}={r.value:.2f}")

    def meter_text(self, r: DoseReadout) -> str:
        """The meter line: the coefficient, mean p(target) and the target's share.

        Parameters
        ----------
        r : DoseReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Activation engineering: steering a concept" and "Feature
        clamping".
        """
        return (f"{self.label} = {r.value:.2f} · mean p(target) = {r.p_target:.3f} · "
                f"share answering the target = {r.share_target:.3f}")

    def render(self, r: DoseReadout) -> str:
        """The bars and the meter (pure).

        Parameters
        ----------
        r : DoseReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Activation engineering: steering a concept" and "Feature
        clamping".
        """
        return f"{self.bars_svg(r)}<p>{self.meter_text(r)}</p>"


class SteeringDial(_InterventionDial):
    """Steering coefficient ``c`` in ``x_s <- x_s + c v`` at one position (default: last).

    Parameters
    ----------
    net : ResNet
        The trained network.
    task : Task
        Its task (prompts and concepts).
    v : array_like
        The steering direction, shape ``(net.d,)``.
    depth : int
        The residual-stream site, 0 .. ``net.n_layers``.
    target : int
        The concept whose share the dial reports.
    value : float
        Default c.
    vmin, vmax : float
        Ends of the slider.
    prompts : array_like, optional
        The prompts (default: all of the task's).
    position : int
        The token position steered.

    Notes
    -----
    Used in Part V, "Activation engineering: steering a concept".

    Examples
    --------
    >>> from umlib.networks.features import make_task, train_resnet
    >>> from umlib.widgets.intervention import SteeringDial
    >>> task = make_task(2, 2, 3, 3)
    >>> net = train_resnet(task, d=8, d_mlp=8, n_layers=1, steps=150, batch=36, rng=1)
    >>> dial = SteeringDial(net, task, v=[1.0] + [0.0] * 7, depth=1, target=0)
    >>> dial.at(value=0.0).share_target
    0.5
    """

    label = "c"

    def hook(self, value: float) -> Hook:
        """The hook adding ``value * v`` at the dial's position.

        Parameters
        ----------
        value : float

        Returns
        -------
        Hook

        Notes
        -----
        Used in Part V, "Activation engineering: steering a concept".
        """
        return lambda x: steer(x, self.v, value, position=self.position)


class ClampingDial(_InterventionDial):
    """Clamping strength ``lam`` in ``x - (x.v) v + lam v`` at one position (default: last).

    Parameters
    ----------
    net, task, depth, target, prompts, position
        As for :class:`SteeringDial`.
    v : array_like
        The feature direction (normalised here; must be non-zero).
    value : float
        Default lambda.
    vmin, vmax : float
        Ends of the slider.

    Notes
    -----
    Used in Part V, "Feature clamping".
    """

    label = "λ"

    def __init__(self, net, task, v, depth, target, value=0.0, vmin=-10.0, vmax=40.0,
                 prompts=None, position=-1):
        v = real_array("v", v)
        with np.errstate(over="ignore"):
            n = float(np.linalg.norm(v))
        if n == 0:
            raise ValueError("v must be non-zero")
        if not np.isfinite(n):
            raise OverflowError("the norm of v overflows float64: scale v down")
        super().__init__(net, task, v / n, depth, target, value, vmin, vmax, prompts, position)

    def hook(self, value: float) -> Hook:
        """The hook setting the component along ``v`` to ``value``.

        Parameters
        ----------
        value : float

        Returns
        -------
        Hook

        Notes
        -----
        Used in Part V, "Feature clamping".
        """
        return lambda x: clamp(x, self.v, value, position=self.position)
