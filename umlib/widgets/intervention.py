"""The steering and clamping dials of Part V (part5/03-steering, part5/06-clamping)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.thermo import softmax
from ..core.validate import real_array, vector
from ..networks.features import Hook, ResNet, Task, clamp, steer
from .svg import bars_svg

__all__ = ["DoseReadout", "SteeringDial", "ClampingDial"]


@dataclass(frozen=True)
class DoseReadout:
    """What a steering or clamping dial shows at one setting."""

    value: float
    p_target: float          # mean probability of the target concept
    share_target: float      # share of prompts whose argmax is the target
    share_by_class: np.ndarray


class _InterventionDial:
    """Shared view: a slider over the coefficient, bars of the answer shares."""

    label = "c"

    def __init__(self, net: ResNet, task: Task, v, depth: int, target: int,
                 value: float = 0.0, vmin: float = -4.0, vmax: float = 4.0,
                 prompts=None, position: int = -1) -> None:
        self.net, self.task = net, task
        self.v = vector("v", v, net.d)
        if not (isinstance(depth, (int, np.integer)) and 0 <= depth <= net.n_layers):
            raise ValueError(f"depth must be in 0..{net.n_layers}")
        if not (isinstance(target, (int, np.integer)) and 0 <= target < task.n_classes):
            raise ValueError(f"target must be in 0..{task.n_classes - 1}")
        if not vmin < vmax:
            raise ValueError("vmin must be < vmax")
        if not (isinstance(position, (int, np.integer)) and
                -net.seq_len <= position < net.seq_len):
            raise ValueError(f"position must be in -{net.seq_len}..{net.seq_len - 1}")
        self.depth, self.target, self.position = int(depth), int(target), int(position)
        self.vmin, self.vmax = float(vmin), float(vmax)
        self.prompts = task.tokens if prompts is None else np.asarray(prompts)
        self._build(float(value))

    def hook(self, value: float) -> Hook:  # pragma: no cover - overridden
        raise NotImplementedError

    def readout(self, value: float) -> DoseReadout:
        """Answer shares of the intervened network at ``value`` (a pure function)."""
        logits = self.net.logits(self.prompts, {self.depth: self.hook(value)})
        p = softmax(logits, 1.0, axis=1)
        pred = np.argmax(logits, axis=1)
        shares = np.bincount(pred, minlength=self.task.n_classes) / pred.size
        return DoseReadout(value=float(value), p_target=float(p[:, self.target].mean()),
                           share_target=float(shares[self.target]), share_by_class=shares)

    def _build(self, value: float) -> None:
        import ipywidgets as w

        self.slider = w.FloatSlider(value=value, min=self.vmin, max=self.vmax, step=0.05,
                                    description=self.label, readout_format=".2f",
                                    layout=w.Layout(width="480px"))
        self.bars = w.HTML()
        self.meter = w.HTML()
        self.slider.observe(lambda ch: self.update(), names="value")
        self.widget = w.VBox([self.slider, self.bars, self.meter])
        self.update()

    def update(self) -> DoseReadout:
        """Recompute from the slider and refresh the view."""

        r = self.readout(float(self.slider.value))
        self.bars.value = bars_svg(r.share_by_class,
                                   [f"concept {k}" for k in range(self.task.n_classes)],
                                   highlight=self.target,
                                   title=f"answer shares at {self.label}={r.value:.2f}")
        self.meter.value = (f"{self.label} = {r.value:.2f} · mean p(target) = "
                            f"{r.p_target:.3f} · share answering the target = "
                            f"{r.share_target:.3f}")
        self.last = r
        return r


class SteeringDial(_InterventionDial):
    """Steering coefficient ``c`` in ``x_s <- x_s + c v`` at one position (default: last).

    Examples
    --------
    >>> from umlib.networks.features import make_task, train_resnet
    >>> from umlib.widgets.intervention import SteeringDial
    >>> task = make_task(2, 2, 3, 3)
    >>> net = train_resnet(task, d=8, d_mlp=8, n_layers=1, steps=150, batch=36, rng=1)
    >>> dial = SteeringDial(net, task, v=[1.0] + [0.0] * 7, depth=1, target=0)
    >>> dial.slider.value = 0.0
    >>> dial.last.share_target
    0.5
    """

    label = "c"

    def hook(self, value: float) -> Hook:
        return lambda x: steer(x, self.v, value, position=self.position)


class ClampingDial(_InterventionDial):
    """Clamping strength ``lam`` in ``x - (x.v) v + lam v`` at one position (default: last)."""

    label = "λ"

    def __init__(self, net, task, v, depth, target, value=0.0, vmin=-10.0, vmax=40.0,
                 prompts=None, position=-1):
        v = real_array("v", v)
        n = float(np.linalg.norm(v))
        if n == 0:
            raise ValueError("v must be non-zero")
        super().__init__(net, task, v / n, depth, target, value, vmin, vmax, prompts, position)

    def hook(self, value: float) -> Hook:
        return lambda x: clamp(x, self.v, value, position=self.position)
