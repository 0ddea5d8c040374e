"""The small residual network of Part V: its task, its forward pass with hooks, its training, and its weights shipped checksummed.

Used in every chapter of Part V from "Causal emergence in a trained network" on.
"""

from __future__ import annotations
import math
from dataclasses import dataclass, field
from typing import Callable
import numpy as np
from ...book import weights as _weights_io
from ...core.validate import (diverging, as_array, as_rng, count, positive_scalar, real_array, record_fields)

# make_task enumerates every prompt: at most this many (the book uses 36 and 96)
MAX_PROMPTS = 10 ** 6
# train_resnet's bounds (the book trains d = 16, d_mlp = 32, 3 layers, a few hundred steps)
MAX_WIDTH = 4096
MAX_LAYERS = 64
MAX_STEPS = 10 ** 6
from ...core.optim import adam_update
from ...core.thermo import log_softmax, softmax

__all__ = ["Task", "make_task", "ResNet", "train_resnet", "save_resnet", "load_resnet"]


@dataclass(frozen=True)
class Task:
    """Every prompt of the planted-concept task, with its ground truth.

    Built by :func:`make_task`; used in Part V, "Causal emergence in a trained network",
    "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens" and "Feature clamping".

    Parameters
    ----------
    tokens : numpy.ndarray
        ``(N, T)`` int prompts: subject token at position 0, fillers after it.
    subject : numpy.ndarray
        ``(N,)`` subject index ``0..S-1`` of each prompt.
    label : numpy.ndarray
        ``(N,)`` concept ``0..K-1`` of each prompt's subject (the right answer).
    n_classes : int
        Number of concepts K.
    n_subjects : int
        Number of subjects S.
    n_fillers : int
        Number of filler tokens.
    vocab : int
        Vocabulary size, ``S + n_fillers``.
    seq_len : int
        Prompt length T.
    concept_of : numpy.ndarray
        ``(S,)`` concept of each subject.
    """

    def __post_init__(self) -> None:
        record_fields(self)

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
    """Enumerate every prompt of the planted-concept task: a subject token, then fillers.

    Subject ``s`` has concept ``s // subjects_per_class``; subject tokens are ``0..S-1``
    and filler tokens ``S..S+n_fillers-1``.  Used in Part V,
    "Causal emergence in a trained network", "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens" and "Feature clamping".

    Parameters
    ----------
    n_classes : int
        Concepts K, >= 2.
    subjects_per_class : int
        Subjects per concept, >= 1.
    n_fillers : int
        Filler tokens, >= 1.
    seq_len : int
        Prompt length T, >= 2.

    Returns
    -------
    Task
        All ``S * n_fillers**(T - 1)`` prompts, S = K * subjects_per_class.

    Examples
    --------
    >>> from umlib.networks.features import make_task
    >>> task = make_task(2, 2, 3, 3)
    >>> task.tokens.shape, task.vocab, task.label[:4].tolist()
    ((36, 3), 7, [0, 0, 0, 0])
    """
    for name, v, lo in [("n_classes", n_classes, 2), ("subjects_per_class", subjects_per_class, 1),
                        ("n_fillers", n_fillers, 1), ("seq_len", seq_len, 2)]:
        count(name, v, minimum=lo)
    S = n_classes * subjects_per_class
    if S * n_fillers ** (seq_len - 1) > MAX_PROMPTS:     # every prompt is enumerated
        raise ValueError(f"n_classes * subjects_per_class * n_fillers ** (seq_len - 1) must be "
                         f"<= {MAX_PROMPTS} prompts; lower seq_len or n_fillers")
    grids = np.meshgrid(np.arange(S), *[np.arange(n_fillers)] * (seq_len - 1), indexing="ij")
    flat = [g.reshape(-1) for g in grids]
    subject = flat[0]
    tokens = np.stack([subject] + [S + f for f in flat[1:]], axis=1).astype(np.intp)
    concept_of = np.arange(S) // subjects_per_class
    return Task(tokens=tokens, subject=subject.astype(np.intp), label=concept_of[subject],
                n_classes=n_classes, n_subjects=S, n_fillers=n_fillers, vocab=S + n_fillers,
                seq_len=seq_len, concept_of=concept_of)


Hook = Callable[[np.ndarray], np.ndarray]


@dataclass
class ResNet:
    """Parameters of the residual network (see the module docstring for the forward pass).

    Derived in Part V, "Causal emergence in a trained network";
    "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens" and "Feature clamping"
    intervene on its stream through the hooks of :meth:`run`.  Build one with
    :meth:`init`, :func:`train_resnet` or :func:`load_resnet`.

    Parameters
    ----------
    E : numpy.ndarray
        ``(vocab, d)`` token embeddings.
    P : numpy.ndarray
        ``(T, d)`` position embeddings.
    A : list of numpy.ndarray
        Per layer, the ``(d, d)`` map of the causal average.
    W1, b1, W2 : list of numpy.ndarray
        Per layer, the MLP: ``(d, d_mlp)``, ``(d_mlp,)`` and ``(d_mlp, d)``.
    U : numpy.ndarray
        ``(d, K)`` readout.
    c : numpy.ndarray
        ``(K,)`` readout bias.
    history : list of float
        Training loss per step (mean cross-entropy, nats).
    """

    def __post_init__(self) -> None:
        record_fields(self)

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
        """Random initial parameters (Gaussian, scaled by fan-in).

        Parameters
        ----------
        vocab, seq_len, d, d_mlp, n_layers, n_classes : int
            Vocabulary, positions T, stream width, MLP width, layers L and classes K.
        rng : int or numpy.random.Generator
            Seed or generator.

        Returns
        -------
        ResNet
            An untrained network with an empty history.
        """
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
        """Forward pass, with optional hooks on the residual stream; returns ``(logits, cache)``.

        Parameters
        ----------
        tokens : array_like
            ``(N, T)`` integer prompts.
        hooks : dict of int to callable, optional
            Maps a stream depth ``s`` (0..L) to a function applied to the whole stream
            ``x_s`` (shape ``(N, T, d)``) before the network continues from it:
            steering, patching and clamping are hooks.
        cache : bool
            Keep every intermediate array (``resid.s``, ``mix.l``, ``resid_mid.l``,
            ``mlp_pre.l``, ``mlp_post.l``, ``logits``); otherwise only ``resid.s``.

        Returns
        -------
        logits : numpy.ndarray
            ``(N, K)`` logits at the last position.
        cache : dict of str to numpy.ndarray
            The stored activations.
        """
        tok = self._tokens(tokens)
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

    def run_by_position(self, tokens, forget=()) -> np.ndarray:
        """Forward pass one position at a time, as a generator runs; logits ``(N, K)``.

        Layer ``l``'s causal average at position ``t`` reads the layer's inputs at
        positions ``0..t``.  This pass keeps them as it goes (the analogue of a
        transformer's key-value cache), so it gives :meth:`logits` up to rounding.  At the
        layers in ``forget`` it keeps only the current position's input: the earlier
        states are deleted and the prefix is not recomputed.

        Derived in Part V, "Inspecting a network: caching, patching, the logit lens".

        Parameters
        ----------
        tokens : array_like
            ``(N, T)`` integer prompts.
        forget : iterable of int, default ()
            Layers (``0..L-1``) whose earlier positions' inputs are deleted.

        Returns
        -------
        numpy.ndarray
            ``(N, K)`` logits at the last position.

        Examples
        --------
        >>> import numpy as np
        >>> from umlib.networks.features import ResNet
        >>> net = ResNet.init(5, 3, 4, 8, 2, 2)
        >>> tok = np.array([[0, 1, 2], [3, 4, 0]])
        >>> bool(np.allclose(net.run_by_position(tok), net.logits(tok)))
        True
        """
        tok = self._tokens(tokens)
        if isinstance(forget, (str, bytes)):
            raise TypeError("forget must be an iterable of layer indices")
        drop = set()
        for l in forget:
            if isinstance(l, bool) or not isinstance(l, (int, np.integer)) \
                    or not 0 <= l < self.n_layers:
                raise ValueError(f"forget: layer {l!r} is not in 0..{self.n_layers - 1}")
            drop.add(int(l))
        past: list[list] = [[] for _ in range(self.n_layers)]
        for t in range(self.seq_len):
            x = self.E[tok[:, t]] + self.P[t]
            for l in range(self.n_layers):
                past[l] = [x] if l in drop else past[l] + [x]
                y = x + np.mean(past[l], axis=0) @ self.A[l]      # the causal average
                x = y + np.maximum(y @ self.W1[l] + self.b1[l], 0.0) @ self.W2[l]
        return x @ self.U + self.c

    def _tokens(self, tokens) -> np.ndarray:
        """``tokens`` checked: a 2-D integer array of this network's positions and vocabulary."""
        tok = as_array("tokens", tokens)
        if tok.ndim != 2 or tok.dtype.kind not in "iu":
            raise ValueError("tokens must be a 2-D integer array (prompts, positions)")
        if tok.shape[1] != self.seq_len:
            raise ValueError(f"tokens must have {self.seq_len} positions, got {tok.shape[1]}")
        if tok.min() < 0 or tok.max() >= self.E.shape[0]:
            raise ValueError("tokens out of the vocabulary")
        return tok

    def logits(self, tokens, hooks: dict[int, Hook] | None = None) -> np.ndarray:
        """Logits at the last position, ``(N, K)``, with optional hooks (see :meth:`run`)."""
        return self.run(tokens, hooks)[0]

    def predict(self, tokens, hooks: dict[int, Hook] | None = None) -> np.ndarray:
        """Argmax class at the last position, ``(N,)``, with optional hooks (see :meth:`run`)."""
        return np.argmax(self.logits(tokens, hooks), axis=1)

    def loss_and_grads(self, tokens, labels) -> tuple[float, list[np.ndarray]]:
        """Mean cross-entropy and its gradient with respect to :meth:`params`, by backpropagation.

        Parameters
        ----------
        tokens : array_like
            ``(N, T)`` integer prompts.
        labels : array_like
            ``(N,)`` right answers.

        Returns
        -------
        loss : float
            Mean cross-entropy in nats.
        grads : list of numpy.ndarray
            One gradient per array of :meth:`params`, same order and shapes.
        """
        tok = as_array("tokens", tokens)
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
    """Train a :class:`ResNet` on a task with Adam on minibatches of the enumerated prompts.

    The loss history (mean cross-entropy in nats per step) is kept in
    ``net.history``.  Used in Part V, "Causal emergence in a trained network"
    (retraining with the shipped recipe, and the untrained control); the shipped
    weights come from ``scripts/train_part5.py``.

    Parameters
    ----------
    task : Task
        Prompts and labels.
    d, d_mlp, n_layers : int
        Stream width, MLP width (1 to 4096) and number of layers (0 to 64).
    steps : int
        Adam steps (0 gives the initial network; at most 10**6).
    batch : int
        Prompts per step (at most all of them, drawn without replacement).
    lr : float
        Adam learning rate, > 0.
    rng : int or numpy.random.Generator
        Seed or generator (initialisation and minibatches).

    Returns
    -------
    ResNet
        The trained network.

    Examples
    --------
    >>> from umlib.networks.features import make_task, train_resnet
    >>> task = make_task(2, 2, 3, 3)
    >>> net = train_resnet(task, d=8, d_mlp=8, n_layers=1, steps=150, batch=36, rng=1)
    >>> bool((net.predict(task.tokens) == task.label).all())
    True
    """
    if not isinstance(task, Task):
        raise TypeError(f"task must be a Task (from make_task), got {type(task).__name__}")
    d = count("d", d, minimum=1, maximum=MAX_WIDTH)
    d_mlp = count("d_mlp", d_mlp, minimum=1, maximum=MAX_WIDTH)
    n_layers = count("n_layers", n_layers, minimum=0, maximum=MAX_LAYERS)
    steps = count("steps", steps, minimum=0, maximum=MAX_STEPS)
    batch = count("batch", batch, minimum=1)
    g = as_rng(rng)
    lr = positive_scalar("lr", lr)
    net = ResNet.init(task.vocab, task.seq_len, d, d_mlp, n_layers, task.n_classes, rng=g)
    ps = net.params()
    m1 = [np.zeros_like(p) for p in ps]
    m2 = [np.zeros_like(p) for p in ps]
    b1, b2, eps = 0.9, 0.999, 1e-8
    N = task.tokens.shape[0]
    with diverging("lr"):
        for t in range(1, steps + 1):
            idx = g.choice(N, size=min(batch, N), replace=False)
            loss, grads = net.loss_and_grads(task.tokens[idx], task.label[idx])
            net.history.append(loss)
            for p, gr, a, b in zip(ps, grads, m1, m2):
                adam_update(p, gr, a, b, t, lr, b1, b2, eps)
    return net


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

    The per-layer parameters are stacked (``A`` of shape ``(L, d, d)``, and so on).
    :func:`load_resnet` reads the file back.  The planted-concept network that Part V,
    "Causal emergence in a trained network", introduces is shipped this way
    (``book/part5/data/resnet.npz``, written by ``scripts/train_part5.py``); that chapter,
    "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens" and "Feature clamping" load
    it.

    Parameters
    ----------
    net : ResNet
        The network.
    path : str or os.PathLike
        Destination ``.npz``; ``path + ".sha256"`` is written too.
    **meta
        Numbers, strings or numeric arrays stored with it (the training recipe, for
        instance).

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
    """Read a network written by :func:`save_resnet`.

    The file's SHA-256 must match its ``.sha256`` file, and nothing is unpickled. Used in
    Part V, "Causal emergence in a trained network",
    "Activation engineering: steering a concept",
    "Inspecting a network: caching, patching, the logit lens" and "Feature clamping".

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.

    Returns
    -------
    net : ResNet
        The network, float64, with its loss history.
    meta : dict
        The metadata saved with it.

    Raises
    ------
    FileNotFoundError
        The file or its ``.sha256`` is missing.
    ValueError
        Checksum mismatch, or arrays missing, misshapen or not finite.
    """
    a, meta = _weights_io.read(path, TRAINING_SCRIPT)
    _resnet_shapes(path, a)
    f = {k: v.astype(np.float64) for k, v in a.items()}
    layer = lambda k: [x.copy() for x in f[k]]                 # noqa: E731
    net = ResNet(E=f["E"], P=f["P"], A=layer("A"), W1=layer("W1"), b1=layer("b1"),
                 W2=layer("W2"), U=f["U"], c=f["c"], history=f["history"].tolist())
    return net, meta
