"""Grokking on modular addition: a two-layer network learns ``(a + b) mod p``.

Part V, "Causal emergence in a trained network", runs the classic setting of delayed
generalisation: every pair ``(a, b)`` of residues mod ``p`` is one example, a random
share of the pairs is the training set, the rest the test set. The input is the two
one-hot vectors of ``a`` and ``b`` side by side; one hidden layer with a quadratic
activation and a linear readout give ``p`` logits. Full-batch Adam with decoupled weight
decay (AdamW) minimises the mean cross-entropy on the training pairs. With weight decay,
training accuracy reaches 1 long before test accuracy does; without it, test accuracy
stays low.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from umlib.core import validate

__all__ = ["ModularTask", "GrokRun", "modular_addition", "train_modular_addition",
           "first_step_at", "fourier_solution"]


@dataclass(frozen=True)
class ModularTask:
    """All pairs ``(a, b)`` mod ``p``, split into training and test pairs.

    Built by :func:`modular_addition` for Part V, "Causal emergence in a trained network".

    Parameters
    ----------
    p : int
        The modulus.
    x : numpy.ndarray
        ``(p*p, 2p)`` inputs: one-hot ``a`` then one-hot ``b``.
    y : numpy.ndarray
        ``(p*p,)`` labels ``(a + b) mod p``.
    train : numpy.ndarray
        Indices of the training pairs.
    test : numpy.ndarray
        Indices of the test pairs.
    """

    def __post_init__(self) -> None:
        validate.record_fields(self)

    p: int
    x: np.ndarray
    y: np.ndarray
    train: np.ndarray
    test: np.ndarray


@dataclass(frozen=True)
class GrokRun:
    """The accuracies of one training run, measured every ``eval_every`` steps.

    Returned by :func:`train_modular_addition` in Part V,
    "Causal emergence in a trained network".

    Parameters
    ----------
    steps : numpy.ndarray
        The steps at which the accuracies were measured.
    train_acc : numpy.ndarray
        Share of training pairs answered right at each of ``steps``.
    test_acc : numpy.ndarray
        Share of test pairs answered right at each of ``steps``.
    weight_norm : numpy.ndarray
        Euclidean norm of all weights at each of ``steps``.
    """

    def __post_init__(self) -> None:
        validate.record_fields(self)

    steps: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    weight_norm: np.ndarray


#: Largest modulus accepted (the task holds p * p pairs of 2p inputs).
MAX_P = 1000
#: Largest hidden width and number of steps accepted.
MAX_HIDDEN = 100_000
MAX_STEPS = 10_000_000


def _real(value, name: str, low: float, high: float | None = None) -> float:
    v = validate.real_scalar(name, value)
    if v < low or (high is not None and v > high):
        upper = "" if high is None else f" and at most {high}"
        raise ValueError(f"{name} must be at least {low}{upper}; got {value}")
    return v


def modular_addition(p: int = 23, train_frac: float = 0.5, rng: int = 0) -> ModularTask:
    """The ``p * p`` pairs of residues mod ``p`` and a random training share of them.

    Used in Part V, "Causal emergence in a trained network".

    Parameters
    ----------
    p : int
        Modulus (at least 2).
    train_frac : float
        Share of the pairs in the training set, strictly between 0 and 1.
    rng : int
        Seed of the split.

    Returns
    -------
    ModularTask
        Inputs, labels and the two index sets.

    Examples
    --------
    >>> task = modular_addition(5, 0.4, rng=0)
    >>> task.x.shape, task.train.size, task.test.size
    ((25, 10), 10, 15)
    """
    p = validate.count("p", p, minimum=2, maximum=MAX_P)
    frac = _real(train_frac, "train_frac", 0.0, 1.0)
    n = p * p
    n_train = int(round(frac * n))
    if not 0 < n_train < n:
        raise ValueError(f"train_frac = {train_frac} leaves no training or no test pair")
    a, b = np.divmod(np.arange(n), p)
    x = np.zeros((n, 2 * p))
    x[np.arange(n), a] = 1.0
    x[np.arange(n), p + b] = 1.0
    order = np.random.default_rng(validate.count("rng", rng, minimum=0, maximum=None)).permutation(n)
    return ModularTask(p, x, (a + b) % p, np.sort(order[:n_train]),
                       np.sort(order[n_train:]))


def _accuracy(task: ModularTask, W1: np.ndarray, W2: np.ndarray, idx) -> float:
    a, b = np.divmod(idx, task.p)
    z = W1[a] + W1[task.p + b]
    answer = np.argmax(np.einsum("nh,hk->nk", z * z, W2), axis=1)
    return float(np.mean(answer == task.y[idx]))


def _gradients(a: np.ndarray, b: np.ndarray, y: np.ndarray, W: list) -> list:
    """Gradients of the mean cross-entropy of ``(x W1)**2 W2`` w.r.t. ``W1`` and ``W2``.

    ``x`` is one-hot ``a`` beside one-hot ``b``, so ``x W1`` is the sum of two rows of
    ``W1`` (rows ``a`` and ``p + b``, the latter passed as ``b``).
    """
    z = W[0][a] + W[0][b]                    # hidden pre-activation, x @ W1
    logits = np.einsum("nh,hk->nk", z * z, W[1])
    prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    prob[np.arange(y.size), y] -= 1.0       # d(cross-entropy)/d(logits), row by row
    d = prob / y.size
    dz = 2.0 * z * np.einsum("nk,hk->nh", d, W[1])
    g1 = np.zeros_like(W[0])
    np.add.at(g1, a, dz)                    # x.T @ dz, row by row
    np.add.at(g1, b, dz)
    return [g1, np.einsum("nh,nk->hk", z * z, d)]


def train_modular_addition(task: ModularTask, hidden: int = 128,
                           weight_decay: float = 1.0, lr: float = 3e-3,
                           steps: int = 2000, eval_every: int = 100,
                           rng: int = 0) -> GrokRun:
    """Train ``logits = (x W1)**2 W2`` on the training pairs with full-batch AdamW.

    Used in Part V, "Causal emergence in a trained network", to see grokking: training
    accuracy reaches 1 long before test accuracy, and only with weight decay.

    Parameters
    ----------
    task : ModularTask
        From :func:`modular_addition`.
    hidden : int
        Width of the hidden layer.
    weight_decay : float
        Decoupled weight decay: each step multiplies the weights by
        ``1 - lr * weight_decay`` (at least 0, and ``lr * weight_decay < 1``).
    lr : float
        Adam's step size (betas 0.9 and 0.98).
    steps : int
        Number of full-batch steps.
    eval_every : int
        Measure the accuracies every this many steps.
    rng : int
        Seed of the initial weights (normal, scaled by 1/sqrt(fan-in)).

    Returns
    -------
    GrokRun
        Steps, training and test accuracy, weight norm.

    Examples
    --------
    >>> run = train_modular_addition(modular_addition(5, 0.6), hidden=16, steps=50,
    ...                              eval_every=25)
    >>> run.steps.tolist()
    [25, 50]
    """
    if not isinstance(task, ModularTask):
        raise TypeError(f"task must be a ModularTask, got {type(task).__name__}")
    hidden = validate.count("hidden", hidden, maximum=MAX_HIDDEN)
    wd = _real(weight_decay, "weight_decay", 0.0)
    lr = _real(lr, "lr", 0.0)
    if lr == 0.0 or lr * wd >= 1.0:
        raise ValueError(f"lr must be positive with lr * weight_decay < 1; got lr = {lr}")
    steps = validate.count("steps", steps, maximum=MAX_STEPS)
    eval_every = validate.count("eval_every", eval_every)
    g = np.random.default_rng(validate.count("rng", rng, minimum=0, maximum=None))
    p = task.p
    W = [g.normal(size=(2 * p, hidden)) / np.sqrt(2 * p),
         g.normal(size=(hidden, p)) / np.sqrt(hidden)]
    m = [np.zeros_like(w) for w in W]
    v = [np.zeros_like(w) for w in W]
    a, b = np.divmod(task.train, p)          # pair n is (n // p, n % p)
    b = b + p                               # row of W1 for one-hot b
    y = task.y[task.train]
    record = []
    for t in range(1, steps + 1):
        grads = _gradients(a, b, y, W)
        for w, gr, mk, vk in zip(W, grads, m, v):
            mk *= 0.9
            mk += 0.1 * gr
            vk *= 0.98
            vk += 0.02 * gr * gr
            w *= 1.0 - lr * wd              # decoupled weight decay
            w -= lr * (mk / (1 - 0.9 ** t)) / (np.sqrt(vk / (1 - 0.98 ** t)) + 1e-8)
        if t % eval_every == 0:
            norm = float(np.sqrt(sum(np.sum(w * w) for w in W)))
            record.append((t, _accuracy(task, *W, task.train),
                           _accuracy(task, *W, task.test), norm))
    cols = np.array(record, dtype=float).reshape(-1, 4).T
    return GrokRun(cols[0].astype(int), cols[1], cols[2], cols[3])


def first_step_at(run: GrokRun, level: float, which: str = "test") -> int:
    """The first measured step at which an accuracy reaches ``level`` (-1 if never).

    Used in Part V, "Causal emergence in a trained network", to date memorisation and
    generalisation.

    Parameters
    ----------
    run : GrokRun
        From :func:`train_modular_addition`.
    level : float
        Accuracy to reach, between 0 and 1.
    which : str
        ``"train"`` or ``"test"``.

    Returns
    -------
    int
        The step, or -1 when the accuracy never reaches ``level``.

    Examples
    --------
    >>> run = GrokRun(np.array([10, 20]), np.array([0.5, 1.0]), np.array([0.1, 0.2]),
    ...               np.array([1.0, 1.0]))
    >>> first_step_at(run, 0.9, "train"), first_step_at(run, 0.9, "test")
    (20, -1)
    """
    if not isinstance(run, GrokRun):
        raise TypeError(f"run must be a GrokRun, got {type(run).__name__}")
    level = _real(level, "level", 0.0, 1.0)
    if not isinstance(which, str) or which not in ("train", "test"):
        raise ValueError(f"which must be 'train' or 'test', got {which!r}")
    acc = run.train_acc if which == "train" else run.test_acc
    hit = np.flatnonzero(acc >= level)
    return int(run.steps[hit[0]]) if hit.size else -1


def fourier_solution(p: int) -> tuple[np.ndarray, np.ndarray]:
    """Weights of a quadratic network that adds mod ``p`` exactly, built from cosines.

    For each frequency ``k = 1 .. (p-1)/2`` (``theta = 2 pi k / p``) and each readout
    phase ``gamma`` in ``{0, -pi/2}``, four hidden units take ``cos(theta a + alpha)`` from
    ``a`` and ``cos(theta b + beta)`` from ``b`` with ``(alpha, beta)`` in
    ``(0, gamma), (0, gamma + pi), (pi/2, gamma - pi/2), (pi/2, gamma + pi/2)`` and readout
    signs ``+, -, +, -``: their squares sum to ``4 cos(theta (a + b) + gamma)``. The
    readout ``cos(theta c)`` (``gamma = 0``) or ``sin(theta c)`` (``gamma = -pi/2``) then
    gives the logit ``2p [c = a + b mod p] - 2``. Proved in Part V,
    "Causal emergence in a trained network".

    Parameters
    ----------
    p : int
        An odd modulus, at least 3.

    Returns
    -------
    W1 : numpy.ndarray
        ``(2p, 4(p-1))`` input weights (rows: one-hot ``a``, then one-hot ``b``).
    W2 : numpy.ndarray
        ``(4(p-1), p)`` readout weights.

    Examples
    --------
    >>> W1, W2 = fourier_solution(5)
    >>> task = modular_addition(5, 0.5)
    >>> logits = (task.x @ W1) ** 2 @ W2
    >>> bool(np.all(np.argmax(logits, axis=1) == task.y))
    True
    """
    p = validate.count("p", p, minimum=3, maximum=MAX_P)
    if p % 2 == 0:
        raise ValueError(f"p must be odd, got {p}")
    r = np.arange(p)
    units_a, units_b, readout = [], [], []
    for k in range(1, (p - 1) // 2 + 1):
        theta = 2 * np.pi * k / p
        for gamma, out in ((0.0, np.cos(theta * r)), (-np.pi / 2, np.sin(theta * r))):
            for alpha, beta, sign in ((0.0, gamma, 1.0), (0.0, gamma + np.pi, -1.0),
                                      (np.pi / 2, gamma - np.pi / 2, 1.0),
                                      (np.pi / 2, gamma + np.pi / 2, -1.0)):
                units_a.append(np.cos(theta * r + alpha))
                units_b.append(np.cos(theta * r + beta))
                readout.append(sign * out)
    W1 = np.concatenate([np.array(units_a).T, np.array(units_b).T])
    return W1, np.array(readout)
