"""The sparsity dial: the toy models' hidden geometry as the feature sparsity moves.

Used in Part V, "Superposition and sparse autoencoders".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.validate import count, fraction, mapping, sequence
from ..networks.superposition import ToyModel, feature_angles, feature_dimensionality, n_represented, train_toy_model
from .protocol import Control, Dial, Readout
from .svg import hidden_svg

__all__ = ["SparsityReadout", "SparsityDial"]


@dataclass(frozen=True)
class SparsityReadout(Readout):
    """What the sparsity dial shows at one setting.

    Parameters
    ----------
    sparsity : float
        The features' sparsity S.
    W : numpy.ndarray
        The model's weights, hidden x features.
    dimensionality : numpy.ndarray
        Each feature's dimensionality D_i.
    n_represented : int
        Features represented.
    angles : numpy.ndarray
        Feature angles (two hidden dimensions only; else empty).
    loss : float
        The model's loss.

    Notes
    -----
    Used in Part V, "Superposition and sparse autoencoders".
    """

    sparsity: float
    W: np.ndarray
    dimensionality: np.ndarray
    n_represented: int
    angles: np.ndarray
    loss: float


class SparsityDial(Dial):
    """Sparsity ``S`` of the toy model's features; each setting is trained (seeded) once
    and remembered, so moving the dial back is instant.

    One control, ``S`` (a choice among ``values``).  ``models`` maps settings to already
    trained :class:`~umlib.networks.superposition.toy.ToyModel` s (the shipped models); those
    settings show them and are not trained.

    Parameters
    ----------
    values : sequence of float
        The settings, each in [0, 1).
    value : float, optional
        The default setting (default: the last of ``values``).
    n_features, n_hidden, steps, n_restarts : int
        Passed to :func:`~umlib.networks.superposition.toy.train_toy_model`.
    rng : int
        The training seed.
    models : mapping of float to ToyModel, optional
        Already trained models, keyed by their sparsity.

    Notes
    -----
    Used in Part V, "Superposition and sparse autoencoders".

    Examples
    --------
    >>> from umlib.widgets.sparsity import SparsityDial
    >>> dial = SparsityDial(values=(0.0, 0.9), steps=600, n_restarts=2)
    >>> dial.at(S=0.0).n_represented < 5
    True
    """

    def __init__(self, values=(0.0, 0.5, 0.7, 0.8, 0.9, 0.95), value: float | None = None,
                 n_features: int = 5, n_hidden: int = 2, steps: int = 3000,
                 n_restarts: int = 8, rng: int = 0, models=None) -> None:
        self.values = tuple(fraction("values", v) for v in sequence("values", values))
        if not self.values:
            raise ValueError("values must not be empty")
        self.kw = dict(n_features=n_features, n_hidden=n_hidden, steps=steps,
                       n_restarts=n_restarts)
        self.seed = count("rng", rng, minimum=0)
        self._memo: dict[float, SparsityReadout] = {}
        for S, m in ({} if models is None else mapping("models", models)).items():
            if not isinstance(m, ToyModel):
                raise TypeError(f"models[{S!r}] must be a ToyModel, got {type(m).__name__}")
            if fraction("sparsity (a key of models)", S) != m.sparsity:
                raise ValueError(f"models: key {S!r} is not the model's sparsity "
                                 f"{m.sparsity!r}")
            self._memo[m.sparsity] = self._readout_of(m)
        default = self.values[-1] if value is None else fraction("value", value)
        if default not in self.values:
            raise ValueError(f"value {default!r} is not one of {list(self.values)}")
        super().__init__((Control("S", "S", "choice", default, options=self.values),))

    @staticmethod
    def _readout_of(m: ToyModel) -> SparsityReadout:
        return SparsityReadout(
            sparsity=m.sparsity, W=m.W, dimensionality=feature_dimensionality(m.W),
            n_represented=n_represented(m),
            angles=feature_angles(m.W) if m.W.shape[0] == 2 else np.array([]),
            loss=m.loss)

    def readout(self, state) -> SparsityReadout:
        """What the dial shows at ``state["S"]`` (a given model, or one trained and kept).

        Pure in value: a setting is trained once with the fixed seed and remembered.

        Parameters
        ----------
        state : mapping
            ``{"S": sparsity}``, one of ``values``.

        Returns
        -------
        SparsityReadout

        Notes
        -----
        Used in Part V, "Superposition and sparse autoencoders".
        """
        S = fraction("S", self.validate(state)["S"])
        if S not in self._memo:
            self._memo[S] = self._readout_of(
                train_toy_model(sparsity=S, rng=self.seed, **self.kw))
        return self._memo[S]

    def pending(self, state) -> str | None:
        """A busy message while a setting not yet seen is trained, else None.

        Parameters
        ----------
        state : mapping
            ``{"S": sparsity}``.

        Returns
        -------
        str or None

        Notes
        -----
        Used in Part V, "Superposition and sparse autoencoders".
        """
        S = self.validate(state)["S"]
        if S in self._memo:
            return None
        return (f"<p><i>training the toy model at S = {S} "
                f"({self.kw['n_restarts']} restarts of {self.kw['steps']} steps)…</i></p>")

    @staticmethod
    def picture_svg(r: SparsityReadout) -> str:
        """The feature directions in the hidden plane (empty unless two hidden dimensions).

        Parameters
        ----------
        r : SparsityReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Superposition and sparse autoencoders".
        """
        if r.W.shape[0] != 2:
            return ""
        return hidden_svg(r.W, title=f"feature directions at S={r.sparsity}")

    @staticmethod
    def meter_html(r: SparsityReadout) -> str:
        """S, features represented, each D_i and the loss.

        Parameters
        ----------
        r : SparsityReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Superposition and sparse autoencoders".
        """
        return (f"S = {r.sparsity:.2f}<br>features represented: "
                f"{r.n_represented} of {r.W.shape[1]}<br>D_i = "
                + ", ".join(f"{d:.2f}" for d in r.dimensionality)
                + f"<br>loss = {r.loss:.4f}")

    def render(self, r: SparsityReadout) -> str:
        """The picture beside the meter (pure).

        Parameters
        ----------
        r : SparsityReadout

        Returns
        -------
        str

        Notes
        -----
        Used in Part V, "Superposition and sparse autoencoders".
        """
        return (f'<div style="display:flex;gap:1em"><div>{self.picture_svg(r)}</div>'
                f'<div>{self.meter_html(r)}</div></div>')
