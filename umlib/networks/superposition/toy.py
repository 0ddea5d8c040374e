"""Toy models of superposition: sparse features squeezed into fewer hidden dimensions, trained and shipped checksummed, and the geometry they learn.

Derived in "Superposition and sparse autoencoders".
"""

from __future__ import annotations
import math
from dataclasses import dataclass, field
import numpy as np
from ...book import weights as _weights_io
from ...core.validate import (as_rng, count, diverging, finite_result, fraction, mapping,
                               positive_scalar, real_array, real_scalar, record_fields)
from ...core.optim import adam_update

__all__ = [
    "sparse_features",
    "ToyModel",
    "train_toy_model",
    "save_toy_models",
    "load_toy_models",
    "feature_dimensionality",
    "feature_angles",
    "n_represented",
]


def sparse_features(n_samples: int, n_features: int, sparsity: float, rng=0) -> np.ndarray:
    """Samples of the toy model's input: each entry 0 with probability ``sparsity``, else U[0, 1].

    No chapter calls it directly: :func:`train_toy_model` draws its batches from it,
    which makes the models of Part V, "Superposition and sparse autoencoders".

    Parameters
    ----------
    n_samples : int
        Rows, >= 1.
    n_features : int
        Features n, >= 1.
    sparsity : float
        Probability S that a feature is zero, in [0, 1].
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    numpy.ndarray
        ``(n_samples, n_features)`` samples.

    Examples
    --------
    >>> from umlib.networks.superposition import sparse_features
    >>> x = sparse_features(10000, 5, 0.9, rng=0)
    >>> x.shape, round(float((x > 0).mean()), 2)
    ((10000, 5), 0.1)
    """
    n_samples = count("n_samples", n_samples, minimum=1)
    n_features = count("n_features", n_features, minimum=1)
    S = fraction("sparsity", sparsity)
    g = as_rng(rng)
    x = g.random((n_samples, n_features))
    return np.where(g.random(x.shape) < S, 0.0, x)


@dataclass
class ToyModel:
    """A trained toy model of superposition, x' = ReLU(Wᵀ W x + b).

    Returned by :func:`train_toy_model` and :func:`load_toy_models`; used in Part V,
    "Superposition and sparse autoencoders".

    Parameters
    ----------
    W : numpy.ndarray
        ``(m, n)`` weights; column i is feature i's direction in the hidden space.
    b : numpy.ndarray
        ``(n,)`` output bias.
    importance : numpy.ndarray
        ``(n,)`` importances I_i > 0 of the loss.
    sparsity : float
        The sparsity S it was trained at.
    loss : float
        Importance-weighted squared error reached (on a fresh evaluation batch).
    history : list of float
        The evaluation loss of every restart (the kept model is the lowest).
    """

    def __post_init__(self) -> None:
        record_fields(self, nonfinite=("loss",))

    W: np.ndarray
    b: np.ndarray
    importance: np.ndarray
    sparsity: float
    loss: float = float("nan")
    history: list = field(default_factory=list)

    def forward(self, x) -> np.ndarray:
        """Reconstruction ``ReLU(W^T W x + b)`` for rows ``x`` of shape ``(N, n)``."""
        x = real_array("x", x)
        return np.maximum(x @ self.W.T @ self.W + self.b, 0.0)

    def loss_on(self, x) -> float:
        """Importance-weighted squared error ``Σ_i I_i (x_i - x'_i)²``, mean over rows ``x``."""
        x = real_array("x", x)
        return float(np.mean(np.sum(self.importance * (x - self.forward(x)) ** 2, axis=1)))


def train_toy_model(n_features: int = 5, n_hidden: int = 2, sparsity: float = 0.9,
                    importance=None, steps: int = 2000, batch: int = 512, lr: float = 0.01,
                    n_restarts: int = 4, rng=0) -> ToyModel:
    """Train the toy model with Adam: ``n_restarts`` seeded copies in parallel, the best kept.

    The learning rate decays linearly to 0 over the second half of the
    steps.  The copies differ only in their initial ``W``; the one with the lowest
    loss on a fresh seeded evaluation batch is returned (the standard remedy
    for the model's local minima).  Trains the shipped models of Part V,
    "Superposition and sparse autoencoders" (``scripts/train_part5.py``) and the
    models of that chapter's sparsity dial.

    Parameters
    ----------
    n_features : int
        Features n.
    n_hidden : int
        Hidden dimensions m.
    sparsity : float
        Probability S that a feature is zero, in [0, 1].
    importance : array_like, optional
        ``(n,)`` positive importances; all 1 if None.
    steps : int
        Adam steps, >= 0.
    batch : int
        Samples per step.
    lr : float
        Peak learning rate, > 0.
    n_restarts : int
        Copies trained in parallel, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    ToyModel
        The best copy, with every copy's evaluation loss in ``history``.

    Examples
    --------
    >>> from umlib.networks.superposition import train_toy_model, n_represented
    >>> n_represented(train_toy_model(sparsity=0.95, steps=1500, rng=0))
    5
    """
    S = fraction("sparsity", sparsity)
    g = as_rng(rng)
    n, m, k = (count(name, v, minimum=1) for name, v in
               [("n_features", n_features), ("n_hidden", n_hidden), ("n_restarts", n_restarts)])
    steps = count("steps", steps, minimum=0)
    batch = count("batch", batch, minimum=1)
    I = np.ones(n) if importance is None else real_array("importance", importance)
    if I.shape != (n,) or (I <= 0).any():
        raise ValueError(f"importance must be {n} positive numbers")
    lr = positive_scalar("lr", lr)
    W = g.normal(0.0, math.sqrt(2.0 / (n + m)), size=(k, m, n))
    b = np.zeros((k, n))
    state = [np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)]
    b1, b2, eps = 0.9, 0.999, 1e-8
    with diverging("lr, importance"):
        for t in range(1, steps + 1):
            x = sparse_features(batch, n, S, g)                      # (B, n), shared by copies
            h = x @ W.transpose(0, 2, 1)                            # (k, B, m)
            y = h @ W + b[:, None, :]                               # (k, B, n)
            e = np.maximum(y, 0.0) - x
            G = (2.0 / batch) * I * e * (y > 0)                     # dL/dy, (k, B, n)
            # y = W^T W x  =>  dL/dW = W (X^T G + G^T X) summed over the batch
            XG = x.T @ G                                            # (k, n, n)
            gW = W @ (XG + XG.transpose(0, 2, 1))
            gb = G.sum(axis=1)
            lr_t = lr * min(1.0, 2.0 * (1.0 - t / (steps + 1)))   # linear decay, second half
            for p, gr, m1, m2 in ((W, gW, state[0], state[1]), (b, gb, state[2], state[3])):
                adam_update(p, gr, m1, m2, t, lr_t, b1, b2, eps)
    x = sparse_features(20000, n, S, g)
    losses = [ToyModel(W[i], b[i], I, S).loss_on(x) for i in range(k)]
    best = int(np.argmin(losses))
    return ToyModel(W=W[best].copy(), b=b[best].copy(), importance=I, sparsity=S,
                    loss=float(losses[best]), history=losses)


#: What writes the shipped models of Part V (named in error messages).
TRAINING_SCRIPT = "scripts/train_part5.py"


def save_toy_models(models, path, **meta) -> None:
    """Write toy models, keyed by their sparsity, to an ``.npz`` with a SHA-256 beside it.

    :func:`load_toy_models` reads the file back.  Part V,
    "Superposition and sparse autoencoders", ships its models this way
    (``book/part5/data/toy_models.npz``, written by ``scripts/train_part5.py``).

    Parameters
    ----------
    models : mapping of float to ToyModel
        Each sparsity S to the model trained at it (``model.sparsity == S``); all
        models have one shape and one number of restarts.
    path : str or os.PathLike
        Destination ``.npz``; ``path + ".sha256"`` is written too.
    **meta
        Numbers, strings or numeric arrays stored with them (the recipe).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from umlib.networks.superposition import train_toy_model, save_toy_models, load_toy_models
    >>> m = train_toy_model(sparsity=0.9, steps=20, n_restarts=2, rng=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_toy_models({0.9: m}, Path(tmp) / "toy.npz", steps=20)
    ...     back, meta = load_toy_models(Path(tmp) / "toy.npz")
    >>> bool((back[0.9].W == m.W).all()), back[0.9].loss == m.loss, meta["steps"]
    (True, True, 20)
    """
    models = mapping("models", models)
    rows = {"sparsity": [], "W": [], "b": [], "importance": [], "loss": [], "history": []}
    for S, m in models.items():
        if not isinstance(m, ToyModel):
            raise TypeError(f"models[{S!r}] must be a ToyModel, got {type(m).__name__}")
        S = fraction("sparsity (a key of models)", S)
        if S != m.sparsity:
            raise ValueError(f"models: key {S!r} is not the model's sparsity {m.sparsity!r}")
        rows["sparsity"].append(S)
        rows["W"].append(real_array(f"models[{S}].W", m.W))
        rows["b"].append(real_array(f"models[{S}].b", m.b))
        rows["importance"].append(real_array(f"models[{S}].importance", m.importance))
        rows["loss"].append(real_scalar(f"models[{S}].loss", m.loss, finite=False))
        rows["history"].append(real_array(f"models[{S}].history",
                                          np.reshape(m.history, -1), min_size=0,
                                          allow_nan=True, allow_posinf=True))
    first = {k: np.shape(v[0]) for k, v in rows.items()}
    for k, v in rows.items():
        if any(np.shape(x) != first[k] for x in v):
            raise ValueError(f"models: every model needs one shape of {k}")
    W = first["W"]
    if len(W) != 2 or first["b"] != (W[1],) or first["importance"] != (W[1],):
        raise ValueError("models: W must be (hidden, features) and b and importance "
                         "(features,)")
    _weights_io.write(path, {k: np.array(v) for k, v in rows.items()}, meta)


def load_toy_models(path) -> tuple[dict, dict]:
    """Read toy models written by :func:`save_toy_models`.

    The file's SHA-256 must match its ``.sha256`` file, and nothing is unpickled.
    Used in Part V, "Superposition and sparse autoencoders".

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.

    Returns
    -------
    models : dict of float to ToyModel
        The models, keyed by sparsity.
    meta : dict
        The metadata saved with them.

    Raises
    ------
    FileNotFoundError
        The file or its ``.sha256`` is missing.
    ValueError
        Checksum mismatch, or arrays missing, misshapen or not finite.
    """
    a, meta = _weights_io.read(path, TRAINING_SCRIPT)
    need = ("sparsity", "W", "b", "importance", "loss", "history")
    if any(k not in a for k in need):
        raise ValueError(f"{path}: not a toy-model file (needs {', '.join(need)})")
    n = a["sparsity"].shape
    if (len(n) != 1 or a["W"].ndim != 3 or a["W"].shape[0] != n[0]
            or a["b"].shape != (n[0], a["W"].shape[2])
            or a["importance"].shape != a["b"].shape or a["loss"].shape != n
            or a["history"].ndim != 2 or a["history"].shape[0] != n[0]):
        raise ValueError(f"{path}: the arrays of the toy models do not fit together")
    for k in ("sparsity", "W", "b", "importance"):
        if not np.isfinite(a[k]).all():
            raise ValueError(f"{path}: array {k} holds a NaN or an infinity")
    out = {}
    for i, S in enumerate(a["sparsity"].tolist()):
        out[S] = ToyModel(W=a["W"][i].astype(np.float64), b=a["b"][i].astype(np.float64),
                          importance=a["importance"][i].astype(np.float64), sparsity=S,
                          loss=float(a["loss"][i]), history=a["history"][i].tolist())
    return out, meta


def feature_dimensionality(W) -> np.ndarray:
    """Feature dimensionality ``D_i = ||W_i||^2 / sum_j (W_i_hat . W_j)^2`` of the columns of ``W``.

    The share of a hidden dimension feature i owns: 1 alone in its direction, 2/5 on a
    regular pentagon, 0 if not represented.  Used in Part V,
    "Superposition and sparse autoencoders".

    Parameters
    ----------
    W : array_like
        ``(m, n)`` weights, one column per feature.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` dimensionalities (0 where ``W_i = 0``).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.superposition import feature_dimensionality
    >>> a = 2 * np.pi * np.arange(5) / 5
    >>> feature_dimensionality(np.stack([np.cos(a), np.sin(a)])).round(12).tolist()
    [0.4, 0.4, 0.4, 0.4, 0.4]
    """
    W = real_array("W", W)
    if W.ndim != 2:
        raise ValueError("W must be 2-D (hidden, features)")
    def dimensionality():
        norms = np.linalg.norm(W, axis=0)
        D = np.zeros(W.shape[1])
        ok = norms > 0
        Wh = W[:, ok] / norms[ok]
        inter = ((Wh.T @ W) ** 2).sum(axis=1)
        D[ok] = norms[ok] ** 2 / inter
        return D
    return finite_result("W", dimensionality)


def feature_angles(W) -> np.ndarray:
    """Angles of the feature directions in a 2-D hidden space, sorted.

    Used in Part V, "Superposition and sparse autoencoders" (the pentagon).

    Parameters
    ----------
    W : array_like
        ``(2, n)`` weights, one column per feature.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` angles in degrees, in [0, 360), ascending.

    Examples
    --------
    >>> from umlib.networks.superposition import feature_angles
    >>> feature_angles([[1.0, 0.0], [0.0, 1.0]]).tolist()
    [0.0, 90.0]
    """
    W = real_array("W", W)
    if W.ndim != 2 or W.shape[0] != 2:
        raise ValueError("W must have 2 rows (a 2-D hidden space)")
    return np.sort(np.degrees(np.arctan2(W[1], W[0])) % 360.0)


def n_represented(model: ToyModel | np.ndarray, threshold: float = 0.5) -> int:
    """Number of features whose direction has norm above ``threshold``.

    Used in Part V, "Superposition and sparse autoencoders" (how many features a
    model keeps at each sparsity).

    Parameters
    ----------
    model : ToyModel or array_like
        A toy model, or its ``(m, n)`` weights.
    threshold : float
        Norm a column must exceed.

    Returns
    -------
    int
        Count of represented features.
    """
    W = model.W if isinstance(model, ToyModel) else real_array("model", model)
    if W.ndim != 2:
        raise ValueError(f"model must be a ToyModel or a 2-D W, got shape {W.shape}")
    threshold = real_scalar("threshold", threshold)
    norms = finite_result("model", lambda: np.linalg.norm(W, axis=0))
    return int(np.count_nonzero(norms > threshold))
