"""The sparsity dial of "Superposition" (part5): the toy models' hidden geometry as the
feature sparsity moves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.validate import fraction, mapping
from ..networks.superposition import ToyModel, feature_angles, feature_dimensionality, n_represented, train_toy_model
from .svg import hidden_svg

__all__ = ["SparsityReadout", "SparsityDial"]


@dataclass(frozen=True)
class SparsityReadout:
    sparsity: float
    W: np.ndarray
    dimensionality: np.ndarray
    n_represented: int
    angles: np.ndarray
    loss: float


class SparsityDial:
    """Sparsity ``S`` of the toy model's features; each setting is trained (seeded) once
    and remembered, so moving the dial back is instant.

    ``models`` maps settings to already trained :class:`~umlib.networks.superposition.ToyModel` s (the shipped
    models of Part V, "Superposition and sparse autoencoders"); those settings
    show them and are not trained.

    Examples
    --------
    >>> from umlib.widgets.sparsity import SparsityDial
    >>> dial = SparsityDial(values=(0.0, 0.9), steps=600, n_restarts=2)
    >>> dial.slider.value = 0.0
    >>> dial.last.n_represented < 5
    True
    """

    def __init__(self, values=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95), value: float | None = None,
                 n_features: int = 5, n_hidden: int = 2, steps: int = 3000,
                 n_restarts: int = 8, rng: int = 0, models=None) -> None:
        self.values = tuple(fraction("values", v) for v in values)
        if not self.values:
            raise ValueError("values must not be empty")
        self.kw = dict(n_features=n_features, n_hidden=n_hidden, steps=steps,
                       n_restarts=n_restarts)
        self.seed = int(rng)
        self._memo: dict[float, SparsityReadout] = {}
        for S, m in ({} if models is None else mapping("models", models)).items():
            if not isinstance(m, ToyModel):
                raise TypeError(f"models[{S!r}] must be a ToyModel, got {type(m).__name__}")
            if fraction("sparsity (a key of models)", S) != m.sparsity:
                raise ValueError(f"models: key {S!r} is not the model's sparsity "
                                 f"{m.sparsity!r}")
            self._memo[m.sparsity] = self._readout_of(m)
        self._build(self.values[-1] if value is None else fraction("value", value))

    @staticmethod
    def _readout_of(m: ToyModel) -> SparsityReadout:
        return SparsityReadout(
            sparsity=m.sparsity, W=m.W, dimensionality=feature_dimensionality(m.W),
            n_represented=n_represented(m),
            angles=feature_angles(m.W) if m.W.shape[0] == 2 else np.array([]),
            loss=m.loss)

    def readout(self, sparsity: float) -> SparsityReadout:
        """What the dial shows at ``sparsity`` (a given model, or one trained and kept)."""
        S = fraction("sparsity", sparsity)
        if S not in self._memo:
            self._memo[S] = self._readout_of(
                train_toy_model(sparsity=S, rng=self.seed, **self.kw))
        return self._memo[S]

    def _build(self, value: float) -> None:
        import ipywidgets as w

        self.slider = w.SelectionSlider(options=list(self.values), value=value,
                                        description="S", layout=w.Layout(width="480px"))
        self.picture = w.HTML()
        self.meter = w.HTML()
        self.slider.observe(lambda ch: self.update(), names="value")
        self.widget = w.VBox([self.slider, w.HBox([self.picture, self.meter])])
        self.update()

    def update(self) -> SparsityReadout:
        r = self.readout(float(self.slider.value))
        if r.W.shape[0] == 2:
            self.picture.value = hidden_svg(r.W, title=f"feature directions at S={r.sparsity}")
        self.meter.value = (f"S = {r.sparsity:.2f}<br>features represented: "
                            f"{r.n_represented} of {r.W.shape[1]}<br>D_i = "
                            + ", ".join(f"{d:.2f}" for d in r.dimensionality)
                            + f"<br>loss = {r.loss:.4f}")
        self.last = r
        return r
