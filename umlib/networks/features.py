r"""A small residual network with planted concepts, and the tools that operate on it.

Derived in Part V, chapters "Causal emergence in a trained network",
"Activation engineering", "Inspecting a network" and "Feature clamping".

The task (:func:`make_task`).  A prompt is ``T`` tokens: a *subject* at
position 0 and ``T - 1`` filler tokens.  Each subject belongs to one of ``K``
*concepts* (classes) by construction, so the ground truth of every
experiment is known: the answer at the last position is the subject's
concept.  Every prompt of the task is enumerated, so nothing is sampled at
evaluation time.

The network (:class:`ResNet`).  A residual stream ``x_s`` of width ``d`` at
each position, ``s = 0..L``:

.. math::

    x_0[t] &= E[\mathrm{tok}_t] + P[t], \\
    y_\ell &= x_{\ell-1} + (M x_{\ell-1}) A_\ell
            \quad (M_{ts} = \tfrac{1}{t+1}\ [s \le t],\ \text{a causal average}), \\
    x_\ell &= y_\ell + \mathrm{ReLU}(y_\ell W^{(1)}_\ell + b_\ell) W^{(2)}_\ell, \\
    \text{logits} &= x_L[T-1]\, U + c.

The causal average is the one place information moves between positions
(an attention layer with fixed, uniform weights), so which position carries
the concept at which depth is a question the network answers by training.

The operations of the source, each a one-liner on the stream:

* steering, ``x_s <- x_s + c v`` (:func:`steer`), with ``v`` a difference of
  means (:func:`difference_of_means`);
* patching, ``x_patched = x_corrupted - v_corrupted + v_clean`` (:func:`patch`);
* the logit lens, ``x_s[T-1] U + c`` at every depth (:func:`logit_lens`);
* clamping, ``x_clamped = x - f v + lambda v`` with ``f = x . v`` (:func:`clamp`);
* the memory of a cache (:func:`cache_bytes`), checked against the bytes a
  real cache of this network holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..book import weights as _weights_io
from ..core.validate import as_rng, count, positive_scalar, real_array, real_scalar, vector
from ..core.optim import adam_update
from ..core.thermo import log_softmax, softmax

__all__ = [
    "Task",
    "make_task",
    "ResNet",
    "train_resnet",
    "save_resnet",
    "load_resnet",
    "steer",
    "patch",
    "clamp",
    "difference_of_means",
    "logit_lens",
    "cache_bytes",
    "TransformerShape",
    "transformer_cache_bytes",
    "weights_bytes",
    "with_weight",
    "output_channel",
]


# ---------------------------------------------------------------------------
# the task
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """Every prompt of the planted-concept task, with its ground truth."""

    tokens: np.ndarray        # (N, T) int
    subject: np.ndarray       # (N,) subject index 0..S-1
    label: np.ndarray         # (N,) concept of the subject 0..K-1
    n_classes: int
    n_subjects: int
    n_fillers: int
    vocab: int
    seq_len: int
    concept_of: np.ndarray    # (S,) concept of each subject


def make_task(n_classes: int = 4, subjects_per_class: int = 4, n_fillers: int = 6,
              seq_len: int = 4) -> Task:
    """Enumerate every prompt: subject token at position 0, fillers after it.

    Subject ``s`` has concept ``s // subjects_per_class``; subject tokens are
    ``0..S-1`` and filler tokens ``S..S+n_fillers-1``.

    Examples
    --------
    >>> from umlib.networks.features import make_task
    >>> task = make_task(2, 2, 3, 3)
    >>> task.tokens.shape, task.vocab, task.label[:4].tolist()
    ((36, 3), 7, [0, 0, 0, 0])
    """
    for name, v, lo in [("n_classes", n_classes, 2), ("subjects_per_class", subjects_per_class, 1),
                        ("n_fillers", n_fillers, 1), ("seq_len", seq_len, 2)]:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ValueError(f"{name} must be an int >= {lo}, got {v!r}")
    S = n_classes * subjects_per_class
    grids = np.meshgrid(np.arange(S), *[np.arange(n_fillers)] * (seq_len - 1), indexing="ij")
    flat = [g.reshape(-1) for g in grids]
    subject = flat[0]
    tokens = np.stack([subject] + [S + f for f in flat[1:]], axis=1).astype(np.intp)
    concept_of = np.arange(S) // subjects_per_class
    return Task(tokens=tokens, subject=subject.astype(np.intp), label=concept_of[subject],
                n_classes=n_classes, n_subjects=S, n_fillers=n_fillers, vocab=S + n_fillers,
                seq_len=seq_len, concept_of=concept_of)


# ---------------------------------------------------------------------------
# the network
# ---------------------------------------------------------------------------

Hook = Callable[[np.ndarray], np.ndarray]


@dataclass
class ResNet:
    """Parameters of the residual network (see the module docstring)."""

    E: np.ndarray
    P: np.ndarray
    A: list
    W1: list
    b1: list
    W2: list
    U: np.ndarray
    c: np.ndarray
    history: list = field(default_factory=list)

    @classmethod
    def init(cls, vocab: int, seq_len: int, d: int, d_mlp: int, n_layers: int,
             n_classes: int, rng=0) -> "ResNet":
        """Random initial parameters (Gaussian, scaled by fan-in)."""
        g = as_rng(rng)
        r = lambda *s, fan: g.normal(0.0, 1.0 / math.sqrt(fan), size=s)  # noqa: E731
        return cls(E=r(vocab, d, fan=1) * 0.5, P=r(seq_len, d, fan=1) * 0.5,
                   A=[r(d, d, fan=d) for _ in range(n_layers)],
                   W1=[r(d, d_mlp, fan=d) for _ in range(n_layers)],
                   b1=[np.zeros(d_mlp) for _ in range(n_layers)],
                   W2=[r(d_mlp, d, fan=d_mlp) for _ in range(n_layers)],
                   U=r(d, n_classes, fan=d), c=np.zeros(n_classes))

    @property
    def n_layers(self) -> int:
        """Number of layers ``L``."""
        return len(self.A)

    @property
    def d(self) -> int:
        """Width of the residual stream."""
        return self.E.shape[1]

    @property
    def seq_len(self) -> int:
        """Number of positions ``T``."""
        return self.P.shape[0]

    def params(self) -> list[np.ndarray]:
        """Every parameter array, in the order :meth:`loss_and_grads` returns gradients."""
        return [self.E, self.P, *self.A, *self.W1, *self.b1, *self.W2, self.U, self.c]

    def n_params(self) -> int:
        """Number of parameters.

        Examples
        --------
        >>> from umlib.networks.features import ResNet
        >>> ResNet.init(5, 3, 4, 8, 2, 2).n_params()
        218
        """
        return int(sum(p.size for p in self.params()))

    def _mix(self, T: int) -> np.ndarray:
        t = np.arange(T)
        return np.where(t[None, :] <= t[:, None], 1.0 / (t[:, None] + 1.0), 0.0)

    def run(self, tokens, hooks: dict[int, Hook] | None = None,
            cache: bool = False) -> tuple[np.ndarray, dict]:
        """Forward pass; returns ``(logits, cache)``.

        ``hooks`` maps a stream depth ``s`` (0..L) to a function applied to
        the whole stream ``x_s`` (shape ``(N, T, d)``) before the network
        continues from it: steering, patching and clamping are hooks.  With
        ``cache=True`` every intermediate array is kept (``resid.s``,
        ``mix.l``, ``resid_mid.l``, ``mlp_pre.l``, ``mlp_post.l``,
        ``logits``); otherwise the cache holds only ``resid.s``.
        """
        tok = np.asarray(tokens)
        if tok.ndim != 2 or tok.dtype.kind not in "iu":
            raise ValueError("tokens must be a 2-D integer array (prompts, positions)")
        if tok.shape[1] != self.seq_len:
            raise ValueError(f"tokens must have {self.seq_len} positions, got {tok.shape[1]}")
        if tok.min() < 0 or tok.max() >= self.E.shape[0]:
            raise ValueError("tokens out of the vocabulary")
        hooks = hooks or {}
        for s in hooks:
            if not (isinstance(s, (int, np.integer)) and 0 <= s <= self.n_layers):
                raise ValueError(f"hooks: depth {s!r} is not in 0..{self.n_layers}")
        M = self._mix(self.seq_len)
        store: dict[str, np.ndarray] = {}
        x = self.E[tok] + self.P[None]
        for l in range(self.n_layers + 1):
            if l in hooks:
                x = np.asarray(hooks[l](x), dtype=np.float64)
            store[f"resid.{l}"] = x
            if l == self.n_layers:
                break
            m = np.einsum("ts,nsd->ntd", M, x)
            a = m @ self.A[l]
            y = x + a
            pre = y @ self.W1[l] + self.b1[l]
            h = np.maximum(pre, 0.0)
            x = y + h @ self.W2[l]
            if cache:
                store.update({f"mix.{l}": a, f"resid_mid.{l}": y, f"mlp_pre.{l}": pre,
                              f"mlp_post.{l}": h})
        logits = x[:, -1] @ self.U + self.c
        if cache:
            store["logits"] = logits
        return logits, store

    def logits(self, tokens, hooks: dict[int, Hook] | None = None) -> np.ndarray:
        """Logits at the last position."""
        return self.run(tokens, hooks)[0]

    def predict(self, tokens, hooks: dict[int, Hook] | None = None) -> np.ndarray:
        """Argmax class at the last position."""
        return np.argmax(self.logits(tokens, hooks), axis=1)

    def loss_and_grads(self, tokens, labels) -> tuple[float, list[np.ndarray]]:
        """Mean cross-entropy (nats) and its gradient with respect to :meth:`ResNet.params`."""
        tok = np.asarray(tokens)
        N, T = tok.shape
        L = self.n_layers
        M = self._mix(T)
        _, st = self.run(tok, cache=True)
        logits = st["logits"]
        p = softmax(logits, 1.0, axis=1)
        loss = float(-np.mean(log_softmax(logits, 1.0, axis=1)[np.arange(N), labels]))
        g_logits = p.copy()
        g_logits[np.arange(N), labels] -= 1.0
        g_logits /= N
        xL = st[f"resid.{L}"]
        gU = xL[:, -1].T @ g_logits
        gc = g_logits.sum(axis=0)
        gx = np.zeros_like(xL)
        gx[:, -1] = g_logits @ self.U.T
        gA, gW1, gb1, gW2 = [None] * L, [None] * L, [None] * L, [None] * L
        for l in reversed(range(L)):
            y, pre, h = st[f"resid_mid.{l}"], st[f"mlp_pre.{l}"], st[f"mlp_post.{l}"]
            xin = st[f"resid.{l}"]
            gW2[l] = np.einsum("ntk,ntd->kd", h, gx)
            gh = gx @ self.W2[l].T
            gpre = gh * (pre > 0)
            gW1[l] = np.einsum("ntd,ntk->dk", y, gpre)
            gb1[l] = gpre.sum(axis=(0, 1))
            gy = gx + gpre @ self.W1[l].T
            m = np.einsum("ts,nsd->ntd", M, xin)
            gA[l] = np.einsum("ntd,nte->de", m, gy)
            gm = gy @ self.A[l].T
            gx = gy + np.einsum("ts,ntd->nsd", M, gm)
        gE = np.zeros_like(self.E)
        np.add.at(gE, tok.reshape(-1), gx.reshape(-1, self.d))
        gP = gx.sum(axis=0)
        return loss, [gE, gP, *gA, *gW1, *gb1, *gW2, gU, gc]


def train_resnet(task: Task, d: int = 16, d_mlp: int = 32, n_layers: int = 3,
                 steps: int = 400, batch: int = 256, lr: float = 0.01, rng=0) -> ResNet:
    """Train a :class:`ResNet` on ``task`` with Adam on minibatches of the enumerated prompts.

    The loss history (mean cross-entropy in nats per step) is kept in
    ``net.history``.  Derived in Part V, "Causal emergence in a trained network".

    Examples
    --------
    >>> from umlib.networks.features import make_task, train_resnet
    >>> task = make_task(2, 2, 3, 3)
    >>> net = train_resnet(task, d=8, d_mlp=8, n_layers=1, steps=150, batch=36, rng=1)
    >>> bool((net.predict(task.tokens) == task.label).all())
    True
    """
    g = as_rng(rng)
    lr = positive_scalar("lr", lr)
    net = ResNet.init(task.vocab, task.seq_len, d, d_mlp, n_layers, task.n_classes, rng=g)
    ps = net.params()
    m1 = [np.zeros_like(p) for p in ps]
    m2 = [np.zeros_like(p) for p in ps]
    b1, b2, eps = 0.9, 0.999, 1e-8
    N = task.tokens.shape[0]
    for t in range(1, steps + 1):
        idx = g.choice(N, size=min(batch, N), replace=False)
        loss, grads = net.loss_and_grads(task.tokens[idx], task.label[idx])
        net.history.append(loss)
        for p, gr, a, b in zip(ps, grads, m1, m2):
            adam_update(p, gr, a, b, t, lr, b1, b2, eps)
    return net


# ---------------------------------------------------------------------------
# shipped weights
# ---------------------------------------------------------------------------

#: What writes the shipped weights of Part V (named in error messages).
TRAINING_SCRIPT = "scripts/train_part5.py"


def _layers(name: str, arrays: list, shape: tuple) -> np.ndarray:
    """Stack per-layer arrays into one (an empty stack keeps its trailing shape)."""
    if not arrays:
        return np.zeros((0, *shape))
    layers = [real_array(f"{name}[{i}]", a) for i, a in enumerate(arrays)]
    if any(a.shape != layers[0].shape for a in layers):
        raise ValueError(f"{name}: the layers have different shapes")
    return np.stack(layers)


def save_resnet(net: ResNet, path, **meta) -> None:
    """Write a :class:`ResNet` and its loss history to an ``.npz`` with a SHA-256 beside it.

    The per-layer parameters are stacked (``A`` of shape ``(L, d, d)``, and
    so on); ``meta`` holds numbers, strings or numeric arrays (the training
    recipe, for instance).  :func:`load_resnet` reads the file back.  The
    planted-concept network that Part V, "Causal emergence in a trained
    network", introduces is shipped this way (``book/part5/data/resnet.npz``);
    that chapter, "Activation engineering", "Inspecting a network" and
    "Feature clamping" load it.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from umlib.networks.features import ResNet, save_resnet, load_resnet
    >>> net = ResNet.init(5, 3, 4, 8, 2, 2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_resnet(net, Path(tmp) / "net.npz", steps=0)
    ...     back, meta = load_resnet(Path(tmp) / "net.npz")
    >>> back.n_params() == net.n_params(), meta["steps"]
    (True, 0)
    """
    if not isinstance(net, ResNet):
        raise TypeError(f"net must be a ResNet, got {type(net).__name__}")
    E = real_array("net.E", net.E)
    if E.ndim != 2:
        raise ValueError(f"net.E must be 2-D (vocabulary, width), got shape {E.shape}")
    d = E.shape[1]
    m = np.shape(net.W1[0])[-1] if net.n_layers and np.ndim(net.W1[0]) else 0
    arrays = {"E": net.E, "P": net.P, "A": _layers("net.A", net.A, (d, d)),
              "W1": _layers("net.W1", net.W1, (d, m)), "b1": _layers("net.b1", net.b1, (m,)),
              "W2": _layers("net.W2", net.W2, (m, d)), "U": net.U, "c": net.c,
              "history": np.reshape(net.history, -1)}
    arrays = {k: real_array(f"net.{k}", v, min_size=0) for k, v in arrays.items()}
    _resnet_shapes("net", arrays)
    _weights_io.write(path, arrays, meta)


def _resnet_shapes(where, a: dict) -> None:
    """Check that the arrays of a ResNet fit together; ``where`` names them in errors."""
    need = ("E", "P", "A", "W1", "b1", "W2", "U", "c", "history")
    missing = [k for k in need if k not in a]
    if missing:
        raise ValueError(f"{where}: not a ResNet file (missing {', '.join(missing)})")
    V, d = a["E"].shape if a["E"].ndim == 2 else (None, None)
    L = a["A"].shape[0] if a["A"].ndim == 3 else None
    m = a["W1"].shape[2] if a["W1"].ndim == 3 else None
    K = a["U"].shape[1] if a["U"].ndim == 2 else None
    T = a["P"].shape[0] if a["P"].ndim == 2 else None
    want = {"E": (V, d), "P": (T, d), "A": (L, d, d), "W1": (L, d, m), "b1": (L, m),
            "W2": (L, m, d), "U": (d, K), "c": (K,)}
    for k, shape in want.items():
        if None in shape or a[k].shape != shape:
            raise ValueError(f"{where}: array {k} has shape {a[k].shape}, which does not fit "
                             f"the others")
    if a["history"].ndim != 1:
        raise ValueError(f"{where}: history must be 1-D, got shape {a['history'].shape}")
    for k in need:
        if not np.isfinite(a[k]).all():
            raise ValueError(f"{where}: array {k} holds a NaN or an infinity")


def load_resnet(path) -> tuple[ResNet, dict]:
    """Read a network written by :func:`save_resnet`: ``(net, meta)``.

    The file's SHA-256 must match its ``.sha256`` file (``ValueError``
    otherwise, and ``FileNotFoundError`` if either is missing), and nothing is
    unpickled.  Used by Part V, "Causal emergence in a trained network",
    "Activation engineering", "Inspecting a network" and "Feature clamping".
    """
    a, meta = _weights_io.read(path, TRAINING_SCRIPT)
    _resnet_shapes(path, a)
    f = {k: v.astype(np.float64) for k, v in a.items()}
    layer = lambda k: [x.copy() for x in f[k]]                 # noqa: E731
    net = ResNet(E=f["E"], P=f["P"], A=layer("A"), W1=layer("W1"), b1=layer("b1"),
                 W2=layer("W2"), U=f["U"], c=f["c"], history=f["history"].tolist())
    return net, meta


# ---------------------------------------------------------------------------
# the operations of the source
# ---------------------------------------------------------------------------

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


def steer(x, v, c: float, position: int | None = -1) -> np.ndarray:
    r"""``x <- x + c v`` at one position (or every position with ``position=None``).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.features import steer
    >>> steer(np.zeros((1, 2, 2)), [1.0, 0.0], 3.0)[0].tolist()
    [[0.0, 0.0], [3.0, 0.0]]
    """
    x, position = _stream(x, position)
    v = vector("v", v, x.shape[-1])
    if isinstance(c, (list, tuple, np.ndarray)) and np.ndim(c):
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
    r"""``x_patched = x_corrupted - v_corrupted + v_clean`` (the source's formula).

    With ``v = x`` (the whole state) it is a replacement by the clean state;
    with ``v`` the component of the state in a subspace it replaces that
    component only.

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
    r"""``x_clamped = x - f v + lam v`` with ``f = x . v`` and ``v`` of unit norm.

    After the clamp the feature's activation ``x . v`` is ``lam`` whatever it
    was, and the part of ``x`` orthogonal to ``v`` is untouched.  ``lam`` is a
    scalar or an array with one value per clamped state (``lam = x . v``
    itself is the no-op clamp).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.networks.features import clamp
    >>> clamp(np.array([[[3.0, 4.0]]]), [1.0, 0.0], 10.0)[0, 0].tolist()
    [10.0, 4.0]
    """
    x, position = _stream(x, position)
    v = vector("v", v, x.shape[-1])
    if abs(float(np.linalg.norm(v)) - 1.0) > 1e-9:
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
    """``mean(acts_a) - mean(acts_b)`` over the first axis: the concept vector.

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
    """Read every depth with the final readout: ``x_s[:, -1] U + c`` for ``s = 0..L``.

    Returns an array of shape ``(L + 1, N, K)``; the last slice is the
    network's own logits.
    """
    return np.stack([stream[f"resid.{s}"][:, -1] @ net.U + net.c
                     for s in range(net.n_layers + 1)])


# ---------------------------------------------------------------------------
# the memory of a cache
# ---------------------------------------------------------------------------

def cache_bytes(net: ResNet, n_prompts: int, bytes_per_value: int = 8) -> int:
    r"""Bytes that :meth:`ResNet.run` with ``cache=True`` stores for ``n_prompts`` prompts.

    Per prompt and position: ``L + 1`` residual vectors of width ``d``, and per
    layer the mix and mid-stream vectors (``2 d``) and the MLP pre- and
    post-activations (``2 d_mlp``); plus ``K`` logits per prompt.

    Examples
    --------
    >>> from umlib.networks.features import ResNet, cache_bytes
    >>> cache_bytes(ResNet.init(5, 3, 4, 8, 2, 2), 10)
    14560
    """
    N = count("n_prompts", n_prompts, minimum=1)
    L, d, T = net.n_layers, net.d, net.seq_len
    d_mlp = net.W1[0].shape[1] if L else 0
    per_position = (L + 1) * d + L * (2 * d + 2 * d_mlp)
    return bytes_per_value * N * (T * per_position + net.U.shape[1])


@dataclass(frozen=True)
class TransformerShape:
    """The shape of a decoder-only transformer, for memory arithmetic.

    Defaults are a 7-billion-parameter class model (32 layers, width 4096,
    MLP width 11008, 32 heads, vocabulary 32000).
    """

    n_layers: int = 32
    d_model: int = 4096
    d_mlp: int = 11008
    n_heads: int = 32
    vocab: int = 32000
    gated_mlp: bool = True

    def n_params(self) -> int:
        """Parameters: embeddings + unembedding + per layer (4 d^2 attention + MLP).

        Examples
        --------
        >>> from umlib.networks.features import TransformerShape
        >>> round(TransformerShape().n_params() / 1e9, 3)
        6.738
        """
        d, L = self.d_model, self.n_layers
        mlp = (3 if self.gated_mlp else 2) * d * self.d_mlp
        return int(2 * self.vocab * d + L * (4 * d * d + mlp + 2 * d) + d)


def weights_bytes(shape: TransformerShape, bytes_per_param: float = 2.0) -> float:
    """Bytes of the weights at ``bytes_per_param`` (2 for fp16/bf16, 0.5 for 4-bit)."""
    return shape.n_params() * positive_scalar("bytes_per_param", bytes_per_param)


def transformer_cache_bytes(shape: TransformerShape, n_ctx: int, batch: int = 1,
                            bytes_per_value: float = 4.0, resid_vectors: int = 9,
                            mlp_vectors: int = 2, attn_maps: int = 2) -> float:
    r"""Bytes of a full activation cache of one forward pass.

    .. math::

        \text{bytes} = b\,B\,n_\text{ctx}\,L\,\big(r\,d + m\,d_\text{mlp}
                        + a\,H\,n_\text{ctx}\big)

    with ``r`` vectors of width ``d`` per layer and position (residual
    pre/mid/post, attention and MLP outputs, q, k, v, z: 9), ``m`` of width
    ``d_mlp`` (pre and post activation: 2), and ``a`` attention maps per head
    (scores and pattern: 2), each ``n_ctx`` long per query position.  The
    ``n_ctx^2`` term makes long prompts dominate; nothing grows exponentially.

    Examples
    --------
    >>> from umlib.networks.features import TransformerShape, transformer_cache_bytes
    >>> transformer_cache_bytes(TransformerShape(n_layers=1, d_model=2, d_mlp=3, n_heads=1),
    ...                         n_ctx=2, bytes_per_value=1)
    56.0
    """
    for name, v in [("n_ctx", n_ctx), ("batch", batch)]:
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    b = positive_scalar("bytes_per_value", bytes_per_value)
    per_pos = (resid_vectors * shape.d_model + mlp_vectors * shape.d_mlp
               + attn_maps * shape.n_heads * n_ctx)
    return float(b * batch * n_ctx * shape.n_layers * per_pos)


# ---------------------------------------------------------------------------
# dials
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# interventions as channels (effective information of a cause in the network)
# ---------------------------------------------------------------------------

def with_weight(net: ResNet, name: str, index: tuple, value: float) -> ResNet:
    """A copy of ``net`` with one parameter set to ``value``.

    ``name`` is ``"E"``, ``"P"``, ``"U"``, ``"c"`` or ``"A.l"``, ``"W1.l"``,
    ``"b1.l"``, ``"W2.l"`` for layer ``l``.

    Examples
    --------
    >>> from umlib.networks.features import ResNet, with_weight
    >>> net = ResNet.init(5, 3, 4, 8, 2, 2)
    >>> float(with_weight(net, "W1.1", (0, 0), 7.0).W1[1][0, 0])
    7.0
    """
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
    try:
        arr[index] = float(value)
    except IndexError:
        raise ValueError(f"index {index!r} is out of range for {name} of shape "
                         f"{arr.shape}") from None
    return new


def output_channel(outcomes, n_classes: int) -> np.ndarray:
    """Rows: interventions; columns: classes; entry: share of prompts answering the class.

    ``outcomes`` is a 2-D integer array (interventions, prompts) of argmax
    answers.  The result is a row-stochastic matrix for
    :func:`umlib.networks.emergence.effective_information` with ``square=False``.

    Examples
    --------
    >>> from umlib.networks.features import output_channel
    >>> output_channel([[0, 0, 1, 1], [1, 1, 1, 1]], 2).tolist()
    [[0.5, 0.5], [0.0, 1.0]]
    """
    n_classes = count("n_classes", n_classes, minimum=1)
    o = np.asarray(outcomes)
    if o.ndim != 2 or o.dtype.kind not in "iu":
        raise ValueError("outcomes must be a 2-D integer array (interventions, prompts)")
    if o.size == 0:
        raise ValueError(f"outcomes must hold at least one intervention and one prompt, "
                         f"got shape {o.shape}")
    if o.min() < 0 or o.max() >= n_classes:
        raise ValueError("outcomes out of range of n_classes")
    return np.stack([np.bincount(r, minlength=n_classes) / r.size for r in o])
