r"""The toy model of superposition and a sparse autoencoder that undoes it.

Derived in Part V, chapter "Superposition and sparse autoencoders"
(Elhage et al. 2022, "Toy Models of Superposition"; the sparse autoencoder
as in Sharkey et al. 2022 and Bricken et al. 2023).

Toy model.  ``n`` features ``x_i``, each zero with probability ``S`` (the
*sparsity*) and otherwise uniform on ``[0, 1]``, are squeezed through ``m < n``
hidden dimensions and read out with a ReLU:

.. math::

    h = W x, \qquad x' = \mathrm{ReLU}(W^\top h + b), \qquad
    \mathcal L = \mathbb E\, \sum_i I_i (x_i - x'_i)^2,

with ``W`` of shape ``(m, n)`` (column ``W_i`` is feature ``i``'s direction)
and importances ``I_i``.  The *dimensionality* of feature ``i`` is

.. math::

    D_i = \frac{\lVert W_i\rVert^2}{\sum_j (\hat W_i \cdot W_j)^2},

the share of a hidden dimension it owns: 1 for a feature alone in its
direction, ``2/5`` for each of five features on a regular pentagon in two
dimensions, 0 for a feature that is not represented.

Sparse autoencoder.  Activations ``x`` (width ``m``) are encoded into a wider
dictionary and decoded as a sparse sum of unit-norm directions ``d_i``:

.. math::

    f = \mathrm{ReLU}(W_e (x - b_d) + b_e), \qquad
    \hat x = \sum_i f_i d_i + b_d, \qquad
    \mathcal L = \lVert x - \hat x\rVert^2 + \alpha \lVert f\rVert_1 .

A planted direction is *recovered* when some decoder direction has cosine
similarity at least a stated bar with it (:func:`recovery`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..book import weights as _weights_io
from ..core.validate import as_rng, count, fraction, mapping, positive_scalar, real_array, real_scalar
from ..core.optim import adam_update

__all__ = [
    "sparse_features",
    "ToyModel",
    "train_toy_model",
    "save_toy_models",
    "load_toy_models",
    "feature_dimensionality",
    "feature_angles",
    "n_represented",
    "planted_dictionary",
    "planted_activations",
    "SAE",
    "train_sae",
    "save_saes",
    "load_saes",
    "max_cosine",
    "recovery",
]


def sparse_features(n_samples: int, n_features: int, sparsity: float, rng=0) -> np.ndarray:
    """Samples of the toy model's input: each entry 0 with prob. ``sparsity``, else U[0, 1].

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
    """A trained toy model: ``W`` (m, n), ``b`` (n,), the loss it reached."""

    W: np.ndarray
    b: np.ndarray
    importance: np.ndarray
    sparsity: float
    loss: float = float("nan")
    history: list = field(default_factory=list)

    def forward(self, x) -> np.ndarray:
        """``ReLU(W^T W x + b)`` for rows ``x``."""
        x = real_array("x", x)
        return np.maximum(x @ self.W.T @ self.W + self.b, 0.0)

    def loss_on(self, x) -> float:
        """Importance-weighted squared error, averaged over samples."""
        x = real_array("x", x)
        return float(np.mean(np.sum(self.importance * (x - self.forward(x)) ** 2, axis=1)))


def train_toy_model(n_features: int = 5, n_hidden: int = 2, sparsity: float = 0.9,
                    importance=None, steps: int = 2000, batch: int = 512, lr: float = 0.01,
                    n_restarts: int = 4, rng=0) -> ToyModel:
    """Train the toy model with Adam; ``n_restarts`` seeded copies in parallel, best kept.

    The learning rate decays linearly to 0 over the second half of the
    steps.  The copies differ only in their initial ``W``; the one with the lowest
    loss on a fresh seeded evaluation batch is returned (the standard remedy
    for the model's local minima).

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

    ``models`` maps each sparsity ``S`` to the :class:`ToyModel` trained at it
    (``model.sparsity == S``); all models have one shape and one number of
    restarts.  ``meta`` holds numbers, strings or numeric arrays (the recipe).
    :func:`load_toy_models` reads the file back.  Part V, "Superposition and
    sparse autoencoders", ships its models this way
    (``book/part5/data/toy_models.npz``).

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
    """Read toy models written by :func:`save_toy_models`: ``({S: model}, meta)``.

    The file's SHA-256 must match its ``.sha256`` file (``ValueError``
    otherwise, and ``FileNotFoundError`` if either is missing), and nothing is
    unpickled.  Used by Part V, "Superposition and sparse autoencoders".
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
    r"""``D_i = ||W_i||^2 / sum_j (W_i_hat . W_j)^2`` for the columns of ``W`` (0 if ``W_i = 0``).

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
    norms = np.linalg.norm(W, axis=0)
    D = np.zeros(W.shape[1])
    ok = norms > 0
    Wh = W[:, ok] / norms[ok]
    inter = ((Wh.T @ W) ** 2).sum(axis=1)
    D[ok] = norms[ok] ** 2 / inter
    return D


def feature_angles(W) -> np.ndarray:
    """Angles (degrees, in [0, 360)) of the columns of a 2-row ``W``, sorted.

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
    """Number of features whose direction has norm above ``threshold``."""
    W = model.W if isinstance(model, ToyModel) else real_array("model", model)
    return int(np.count_nonzero(np.linalg.norm(W, axis=0) > threshold))


# ---------------------------------------------------------------------------
# sparse autoencoder
# ---------------------------------------------------------------------------

def planted_dictionary(n_features: int, dim: int, rng=0) -> np.ndarray:
    """``n_features`` random unit directions in ``dim`` dimensions, rows of the result.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.superposition import planted_dictionary
    >>> D = planted_dictionary(6, 3, rng=0)
    >>> D.shape, bool(np.allclose(np.linalg.norm(D, axis=1), 1))
    ((6, 3), True)
    """
    n_features = count("n_features", n_features, minimum=1)
    dim = count("dim", dim, minimum=1)
    g = as_rng(rng)
    D = g.normal(size=(n_features, dim))
    return D / np.linalg.norm(D, axis=1, keepdims=True)


def planted_activations(dictionary, n_samples: int, p_active: float, rng=0
                        ) -> tuple[np.ndarray, np.ndarray]:
    """Activations ``x = sum_i f_i d_i`` with each ``f_i`` active w.p. ``p_active``, U[0, 1].

    Returns ``(x, f)``.
    """
    D = real_array("dictionary", dictionary)
    if D.ndim != 2:
        raise ValueError(f"dictionary must be 2-D (directions, width), got {D.ndim} "
                         "dimension(s)")
    n_samples = count("n_samples", n_samples, minimum=1)
    p = real_scalar("p_active", p_active, finite=False)
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p_active must be in (0, 1], got {p_active!r}")
    g = as_rng(rng)
    f = g.random((n_samples, D.shape[0])) * (g.random((n_samples, D.shape[0])) < p)
    return f @ D, f


@dataclass
class SAE:
    """A sparse autoencoder: encoder ``We`` (k, m), ``be`` (k,), unit-norm decoder rows
    ``Wd`` (k, m), decoder bias ``bd`` (m,)."""

    We: np.ndarray
    be: np.ndarray
    Wd: np.ndarray
    bd: np.ndarray
    alpha: float
    history: list = field(default_factory=list)

    def encode(self, x) -> np.ndarray:
        x = real_array("x", x)
        return np.maximum((x - self.bd) @ self.We.T + self.be, 0.0)

    def decode(self, f) -> np.ndarray:
        return real_array("f", f) @ self.Wd + self.bd

    def metrics(self, x) -> dict:
        """Reconstruction MSE (per sample, summed over dimensions), mean L0 and L1."""
        x = real_array("x", x)
        f = self.encode(x)
        r = x - self.decode(f)
        return {"mse": float(np.mean(np.sum(r * r, axis=1))),
                "l0": float(np.mean(np.count_nonzero(f, axis=1))),
                "l1": float(np.mean(np.sum(f, axis=1)))}


def train_sae(x, n_dict: int, alpha: float = 0.05, steps: int = 3000, batch: int = 256,
              lr: float = 0.005, rng=0) -> SAE:
    """Train a sparse autoencoder on rows ``x`` with Adam; decoder rows renormalised each step.

    Examples
    --------
    >>> from umlib.networks.superposition import planted_dictionary, planted_activations, train_sae
    >>> D = planted_dictionary(4, 3, rng=0)
    >>> x, _ = planted_activations(D, 4000, 0.2, rng=1)
    >>> sae = train_sae(x, 8, steps=300, rng=2)
    >>> sae.Wd.shape
    (8, 3)
    """
    x = real_array("x", x)
    if x.ndim != 2:
        raise ValueError("x must be 2-D (samples, width)")
    k = count("n_dict", n_dict, minimum=1)
    steps = count("steps", steps, minimum=0)
    batch = count("batch", batch, minimum=1)
    alpha = real_scalar("alpha", alpha, finite=False)
    if not alpha >= 0 or not math.isfinite(alpha):
        raise ValueError("alpha must be finite and >= 0")
    lr = positive_scalar("lr", lr)
    g = as_rng(rng)
    N, m = x.shape
    Wd = g.normal(size=(k, m))
    Wd /= np.linalg.norm(Wd, axis=1, keepdims=True)
    sae = SAE(We=Wd.copy(), be=np.zeros(k), Wd=Wd, bd=x.mean(axis=0), alpha=alpha)
    ps = [sae.We, sae.be, sae.Wd, sae.bd]
    m1 = [np.zeros_like(p) for p in ps]
    m2 = [np.zeros_like(p) for p in ps]
    b1, b2, eps = 0.9, 0.999, 1e-8
    B = min(int(batch), N)
    for t in range(1, steps + 1):
        xb = x[g.integers(0, N, size=B)]
        xc = xb - sae.bd
        pre = xc @ sae.We.T + sae.be
        f = np.maximum(pre, 0.0)
        r = f @ sae.Wd + sae.bd - xb                    # residual x_hat - x
        gr = 2.0 * r / B
        gWd = f.T @ gr
        gbd = gr.sum(axis=0)
        gf = gr @ sae.Wd.T + alpha / B
        gpre = gf * (pre > 0)
        gWe = gpre.T @ xc
        gbe = gpre.sum(axis=0)
        gbd = gbd - (gpre @ sae.We).sum(axis=0)
        # keep decoder rows on the unit sphere: drop the radial part of their gradient
        gWd -= np.sum(gWd * sae.Wd, axis=1, keepdims=True) * sae.Wd
        for p, gp, a, b in zip(ps, [gWe, gbe, gWd, gbd], m1, m2):
            adam_update(p, gp, a, b, t, lr, b1, b2, eps)
        sae.Wd /= np.linalg.norm(sae.Wd, axis=1, keepdims=True)
        if t % 100 == 0 or t == steps:
            sae.history.append(float(np.mean(np.sum(r * r, axis=1)) + alpha * np.mean(f.sum(1))))
    return sae


def save_saes(saes, path, **meta) -> None:
    """Write sparse autoencoders, keyed by dictionary size, to an ``.npz`` with a SHA-256.

    ``saes`` maps each dictionary size ``k`` to the :class:`SAE` with ``k``
    rows; all have one activation width.  ``meta`` holds numbers, strings or
    numeric arrays (the recipe).  :func:`load_saes` reads the file back.  Part
    V, "Superposition and sparse autoencoders", ships its autoencoders this
    way (``book/part5/data/saes.npz``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from umlib.networks.superposition import (planted_dictionary, planted_activations,
    ...                                  train_sae, save_saes, load_saes)
    >>> x, _ = planted_activations(planted_dictionary(4, 3, rng=0), 500, 0.2, rng=1)
    >>> sae = train_sae(x, 8, steps=50, rng=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_saes({8: sae}, Path(tmp) / "saes.npz")
    ...     back, _ = load_saes(Path(tmp) / "saes.npz")
    >>> bool((back[8].Wd == sae.Wd).all()), back[8].alpha
    (True, 0.05)
    """
    saes = mapping("saes", saes)
    arrays, width = {}, None
    for k, sae in saes.items():
        if not isinstance(sae, SAE):
            raise TypeError(f"saes[{k!r}] must be an SAE, got {type(sae).__name__}")
        k = count("dictionary size (a key of saes)", k, minimum=1)
        parts = {n: real_array(f"saes[{k}].{n}", getattr(sae, n)) for n in ("We", "be", "Wd",
                                                                            "bd")}
        m = parts["bd"].shape
        if (len(m) != 1 or parts["We"].shape != (k, m[0]) or parts["Wd"].shape != (k, m[0])
                or parts["be"].shape != (k,)):
            raise ValueError(f"saes: key {k} needs We and Wd of shape ({k}, width), be of "
                             f"shape ({k},) and bd of shape (width,)")
        if width is not None and m != width:
            raise ValueError("saes: every autoencoder needs one activation width")
        width = m
        parts["alpha"] = np.float64(real_scalar(f"saes[{k}].alpha", sae.alpha))
        parts["history"] = real_array(f"saes[{k}].history", np.reshape(sae.history, -1),
                                      min_size=0)
        arrays.update({f"k{k}.{n}": v for n, v in parts.items()})
    arrays["sizes"] = np.array([int(k) for k in saes], dtype=np.int64)
    _weights_io.write(path, arrays, meta)


def load_saes(path) -> tuple[dict, dict]:
    """Read autoencoders written by :func:`save_saes`: ``({k: sae}, meta)``.

    The file's SHA-256 must match its ``.sha256`` file (``ValueError``
    otherwise, and ``FileNotFoundError`` if either is missing), and nothing is
    unpickled.  Used by Part V, "Superposition and sparse autoencoders".
    """
    a, meta = _weights_io.read(path, TRAINING_SCRIPT)
    if "sizes" not in a or a["sizes"].ndim != 1 or a["sizes"].dtype.kind not in "iu":
        raise ValueError(f"{path}: not an autoencoder file (no list of sizes)")
    out = {}
    for k in a["sizes"].tolist():
        names = ("We", "be", "Wd", "bd", "alpha", "history")
        if any(f"k{k}.{n}" not in a for n in names):
            raise ValueError(f"{path}: the autoencoder of size {k} is incomplete")
        p = {n: a[f"k{k}.{n}"].astype(np.float64) for n in names}
        m = p["bd"].shape
        if (len(m) != 1 or p["We"].shape != (k, m[0]) or p["Wd"].shape != (k, m[0])
                or p["be"].shape != (k,) or p["alpha"].shape != () or p["history"].ndim != 1):
            raise ValueError(f"{path}: the arrays of the autoencoder of size {k} do not fit "
                             "together")
        if not all(np.isfinite(v).all() for v in p.values()):
            raise ValueError(f"{path}: the autoencoder of size {k} holds a NaN or an infinity")
        out[k] = SAE(We=p["We"], be=p["be"], Wd=p["Wd"], bd=p["bd"], alpha=float(p["alpha"]),
                     history=p["history"].tolist())
    return out, meta


def max_cosine(planted, learned) -> np.ndarray:
    """For each planted direction (row), the largest cosine similarity with a learned row.

    Examples
    --------
    >>> from umlib.networks.superposition import max_cosine
    >>> max_cosine([[1.0, 0.0], [0.0, 1.0]], [[0.0, 2.0]]).tolist()
    [0.0, 1.0]
    """
    P = real_array("planted", planted)
    Q = real_array("learned", learned)
    if P.ndim != 2 or Q.ndim != 2 or P.shape[1] != Q.shape[1]:
        raise ValueError("planted and learned must be 2-D with the same width")
    with np.errstate(over="ignore"):        # an overflowing norm is reported below
        nP = np.linalg.norm(P, axis=1, keepdims=True)
        nQ = np.linalg.norm(Q, axis=1, keepdims=True)
    for name, nrm in (("planted", nP), ("learned", nQ)):
        if not (nrm > 0).all():
            raise ValueError(f"{name} has a zero row (a direction needs a non-zero vector)")
        if not np.isfinite(nrm).all():
            raise ValueError(f"{name} has a row too large to normalise (its norm overflows)")
    Pn = P / nP
    Qn = Q / nQ
    return np.max(Pn @ Qn.T, axis=1)


def recovery(planted, learned, bar: float = 0.9) -> tuple[int, float]:
    """``(number of planted directions with max cosine >= bar, mean max cosine)``."""
    c = max_cosine(planted, learned)
    if not 0.0 < real_scalar("bar", bar, finite=False) <= 1.0:
        raise ValueError(f"bar must be in (0, 1], got {bar!r}")
    return int(np.count_nonzero(c >= bar)), float(c.mean())
