"""Sparse autoencoders on planted dictionaries: training, shipped weights, and how many planted features are recovered.

Derived in "Superposition and sparse autoencoders".
"""

from __future__ import annotations
import math
from dataclasses import dataclass, field
import numpy as np
from ...book import weights as _weights_io
from ...core.validate import (diverging, as_rng, count, mapping, positive_scalar, real_array, real_scalar, record_fields)
from ...core.optim import adam_update
from .toy import TRAINING_SCRIPT

__all__ = [
    "planted_dictionary",
    "planted_activations",
    "SAE",
    "train_sae",
    "save_saes",
    "load_saes",
    "max_cosine",
    "recovery",
]


def planted_dictionary(n_features: int, dim: int, rng=0) -> np.ndarray:
    """Random unit directions: the planted dictionary a sparse autoencoder should recover.

    Used in Part V, "Superposition and sparse autoencoders" (also as a random
    control dictionary).

    Parameters
    ----------
    n_features : int
        Number of directions, >= 1.
    dim : int
        Their dimension, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    numpy.ndarray
        ``(n_features, dim)``, unit-norm rows, isotropically random.

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
    """Activations ``x = sum_i f_i d_i`` built from a dictionary with sparse coefficients.

    Each ``f_i`` is active with probability ``p_active`` and then uniform on [0, 1].
    Used in Part V, "Superposition and sparse autoencoders".

    Parameters
    ----------
    dictionary : array_like
        ``(n_features, m)`` directions, one per row.
    n_samples : int
        Samples, >= 1.
    p_active : float
        Probability a coefficient is non-zero, in (0, 1].
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    x : numpy.ndarray
        ``(n_samples, m)`` activations.
    f : numpy.ndarray
        ``(n_samples, n_features)`` the true coefficients.
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
    """A sparse autoencoder: f = ReLU(W_e (x - b_d) + b_e), x̂ = f W_d + b_d.

    Returned by :func:`train_sae` and :func:`load_saes`; used in Part V,
    "Superposition and sparse autoencoders".

    Parameters
    ----------
    We : numpy.ndarray
        ``(k, m)`` encoder.
    be : numpy.ndarray
        ``(k,)`` encoder bias.
    Wd : numpy.ndarray
        ``(k, m)`` decoder, unit-norm rows (the learned dictionary).
    bd : numpy.ndarray
        ``(m,)`` decoder bias.
    alpha : float
        L1 weight it was trained with.
    history : list of float
        Training loss (MSE + alpha L1 of the batch) every 100 steps and at the last.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    We: np.ndarray
    be: np.ndarray
    Wd: np.ndarray
    bd: np.ndarray
    alpha: float
    history: list = field(default_factory=list)

    def encode(self, x) -> np.ndarray:
        """Codes ``f = ReLU((x - bd) We^T + be)``, shape ``(N, k)`` for rows ``x``."""
        x = real_array("x", x)
        return np.maximum((x - self.bd) @ self.We.T + self.be, 0.0)

    def decode(self, f) -> np.ndarray:
        """Reconstruction ``f Wd + bd``, shape ``(N, m)`` for codes ``f``."""
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
    """Train a sparse autoencoder on rows ``x`` with Adam; decoder rows are renormalised each step.

    Loss ``||x - x̂||² + alpha ||f||_1`` averaged over minibatches drawn with
    replacement; the decoder bias starts at the data mean.  Trains the shipped
    autoencoders of Part V, "Superposition and sparse autoencoders"
    (``scripts/train_part5.py``).

    Parameters
    ----------
    x : array_like
        ``(N, m)`` activations.
    n_dict : int
        Dictionary size k, >= 1.
    alpha : float
        L1 weight, finite and >= 0.
    steps : int
        Adam steps, >= 0.
    batch : int
        Rows per step (capped at N).
    lr : float
        Learning rate, > 0.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    SAE
        The trained autoencoder.

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
    with diverging("lr, alpha"):
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
    """Write sparse autoencoders, keyed by dictionary size, to an ``.npz`` with a SHA-256 beside it.

    :func:`load_saes` reads the file back.  Part V,
    "Superposition and sparse autoencoders", ships its autoencoders this way
    (``book/part5/data/saes.npz``, written by ``scripts/train_part5.py``).

    Parameters
    ----------
    saes : mapping of int to SAE
        Each dictionary size k to the :class:`SAE` with k rows; all have one
        activation width.
    path : str or os.PathLike
        Destination ``.npz``; ``path + ".sha256"`` is written too.
    **meta
        Numbers, strings or numeric arrays stored with them (the recipe).

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
    """Read autoencoders written by :func:`save_saes`.

    The file's SHA-256 must match its ``.sha256`` file, and nothing is unpickled.
    Used in Part V, "Superposition and sparse autoencoders".

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.

    Returns
    -------
    saes : dict of int to SAE
        The autoencoders, keyed by dictionary size.
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

    No chapter calls it directly: :func:`recovery` summarises it for Part V,
    "Superposition and sparse autoencoders".

    Parameters
    ----------
    planted : array_like
        ``(p, m)`` planted directions, non-zero rows.
    learned : array_like
        ``(k, m)`` learned directions, non-zero rows.

    Returns
    -------
    numpy.ndarray
        ``(p,)`` maximum cosines, in [-1, 1].

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
    """Count of planted directions recovered (max cosine >= ``bar``), and the mean max cosine.

    Used in Part V, "Superposition and sparse autoencoders" (against a random
    dictionary as control).

    Parameters
    ----------
    planted : array_like
        ``(p, m)`` planted directions.
    learned : array_like
        ``(k, m)`` learned directions (e.g. an SAE's ``Wd``).
    bar : float
        Cosine that counts as recovered, in (0, 1].

    Returns
    -------
    n_recovered : int
        Planted directions with max cosine >= bar.
    mean_max_cosine : float
        Mean of :func:`max_cosine` over the planted directions.
    """
    c = max_cosine(planted, learned)
    if not 0.0 < real_scalar("bar", bar, finite=False) <= 1.0:
        raise ValueError(f"bar must be in (0, 1], got {bar!r}")
    return int(np.count_nonzero(c >= bar)), float(c.mean())
