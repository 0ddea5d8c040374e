"""SGD on a quadratic loss as a heat bath: the training temperature, the stationary law, the moment recursion, schedules and minibatch noise.

Derived in "A thermodynamic model of training, solved" and "Learning machines as Ising engines".
"""

from __future__ import annotations
from dataclasses import dataclass
import numpy as np
from ...core.validate import (as_rng, count, finite_result, positive_scalar, real_array,
                               flag, real_scalar, record_fields)

__all__ = [
    "training_temperature",
    "stationary_variance",
    "stationary_loss",
    "moment_recursion",
    "SGDRun",
    "sgd_quadratic",
    "wsd_schedule",
    "minibatch_gradients",
    "minibatch_noise_variance",
]


NOISES = ("isotropic", "hessian")


def _noise(noise: str) -> str:
    if not isinstance(noise, str) or noise not in NOISES:
        raise ValueError(f"noise must be one of {NOISES}, got {noise!r}")
    return noise


def _curv(a) -> np.ndarray:
    a = np.atleast_1d(real_array("a", a))
    if a.ndim != 1 or np.any(a <= 0):
        raise ValueError("a must be a 1-D array of positive curvatures")
    return a


def training_temperature(eta: float, sigma: float = 1.0, batch: int = 1) -> float:
    """Training temperature T_train = η σ²/(2B): the T whose Gibbs law SGD samples as η → 0.

    Derived in Part IV, "Learning machines as Ising engines".

    Parameters
    ----------
    eta : float
        Learning rate η, > 0.
    sigma : float
        Standard deviation σ of one example's gradient noise, > 0.
    batch : int
        Minibatch size B, >= 1.

    Returns
    -------
    float
        T_train in units of the loss (the loss plays the energy; k_B = 1).

    Examples
    --------
    >>> from umlib.physics.learning import training_temperature
    >>> training_temperature(0.1, 2.0, 4)
    0.05
    """
    eta, sigma = positive_scalar("eta", eta), positive_scalar("sigma", sigma)
    B = count("batch", batch, minimum=1)
    return finite_result("eta, sigma", lambda: eta * sigma * sigma / (2.0 * B))


def stationary_variance(a, eta: float, sigma: float = 1.0, batch: int = 1,
                        noise: str = "isotropic") -> np.ndarray:
    """Exact stationary variance of SGD on a quadratic, Var θ_k = η C_k / (B a_k (2 - η a_k)).

    Derived in Part IV, "Learning machines as Ising engines" (equipartition and its
    finite-step correction).

    Parameters
    ----------
    a : float or array_like
        Curvatures a_k > 0 of L(θ) = ½ Σ a_k θ_k², shape ``(d,)``.
    eta : float
        Learning rate, > 0, with η a_k < 2 for every k.
    sigma : float
        Gradient-noise scale σ, > 0.
    batch : int
        Minibatch size B, >= 1.
    noise : {"isotropic", "hessian"}
        Gradient-noise covariance: C = σ² I, or C = σ² diag(a) (proportional to the curvature).

    Returns
    -------
    numpy.ndarray
        ``(d,)`` stationary variances of θ_k.

    Raises
    ------
    ValueError
        Some η a_k >= 2 (no stationary state), or a curvature <= 0.

    Examples
    --------
    >>> from umlib.physics.learning import stationary_variance
    >>> float(stationary_variance(1.0, 1.0)[0])
    1.0
    """
    a = _curv(a)
    eta, sigma = positive_scalar("eta", eta), positive_scalar("sigma", sigma)
    B = count("batch", batch, minimum=1)
    with np.errstate(over="ignore"):      # eta * a -> inf is still >= 2: refused below
        ea = eta * a
    if np.any(ea >= 2):
        raise ValueError(f"eta * a must be < 2 for a stationary state (max {float(np.max(ea))})")
    kind = _noise(noise)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        C = sigma ** 2 * (a if kind == "hessian" else np.ones_like(a)) if sigma < 1e154 \
            else np.full_like(a, np.inf)
        v = eta * C / (B * a * (2.0 - eta * a))
    tiny = np.finfo(float).tiny
    redo = ~np.isfinite(v) | (v < tiny)
    if redo.any():
        # an intermediate product left the float range although the variance may not:
        # redo those entries on mantissas and binary exponents (frexp), which cannot
        # overflow or underflow before the final ldexp
        (me, ee), (ms, es), (ma, ea) = np.frexp(eta), np.frexp(sigma), np.frexp(a[redo])
        mc, ec = (ms * ms * ma, 2 * es + ea) if kind == "hessian" else (ms * ms, 2 * es)
        with np.errstate(over="ignore", under="ignore"):     # a true overflow: refused below
            v[redo] = np.ldexp(me * mc / (B * ma * (2.0 - eta * a[redo])), ee + ec - ea)
    return finite_result("a, eta, sigma", lambda: v)


def stationary_loss(a, eta: float, sigma: float = 1.0, batch: int = 1,
                    noise: str = "isotropic") -> np.ndarray:
    """Exact stationary excess loss per direction, ½ a_k Var θ_k, of SGD on a quadratic valley.

    With isotropic noise it equals (T_train/2) · 2/(2 - η a_k): equipartition as
    η → 0.  Derived in Part IV, "Learning machines as Ising engines".

    Parameters
    ----------
    a : float or array_like
        Curvatures a_k > 0, shape ``(d,)``.
    eta : float
        Learning rate, > 0, with η a_k < 2.
    sigma : float
        Gradient-noise scale σ, > 0.
    batch : int
        Minibatch size B, >= 1.
    noise : {"isotropic", "hessian"}
        Gradient-noise covariance: C = σ² I, or C = σ² diag(a) (proportional to the curvature).

    Returns
    -------
    numpy.ndarray
        ``(d,)`` mean excess loss per direction, in units of the loss.

    Examples
    --------
    >>> from umlib.physics.learning import stationary_loss, training_temperature
    >>> round(float(stationary_loss(1e-6, 1e-3)[0]) / (training_temperature(1e-3) / 2), 6)
    1.0
    """
    a = _curv(a)
    var = stationary_variance(a, eta, sigma, batch, noise)
    return finite_result("a, eta, sigma", lambda: 0.5 * a * var)


def moment_recursion(a, etas, v0=0.0, m0=0.0, sigma: float = 1.0, batch: int = 1,
                     noise: str = "isotropic") -> tuple[np.ndarray, np.ndarray]:
    """Exact mean and variance of θ_k after each step of a learning-rate schedule.

    Iterates m ← (1 - η a) m and v ← (1 - η a)² v + η² C/B.  Derived in Part IV,
    "Learning machines as Ising engines" (warmup–stable–decay on a river valley).

    Parameters
    ----------
    a : float or array_like
        Curvatures a_k > 0, shape ``(d,)``.
    etas : array_like
        1-D schedule of learning rates, each >= 0.
    v0, m0 : float or array_like
        Starting variance and mean of θ_k (scalars or ``(d,)``).
    sigma : float
        Gradient-noise scale σ, > 0.
    batch : int
        Minibatch size B, >= 1.
    noise : {"isotropic", "hessian"}
        Gradient-noise covariance: C = σ² I, or C = σ² diag(a) (proportional to the curvature).

    Returns
    -------
    means, variances : numpy.ndarray
        Each of shape ``(len(etas) + 1, d)``, row 0 the start.

    Examples
    --------
    >>> from umlib.physics.learning import moment_recursion
    >>> m, v = moment_recursion([1.0], [0.5] * 200, v0=0.0, m0=1.0)
    >>> round(float(v[-1, 0]), 9), float(m[-1, 0]) < 1e-50
    (0.333333333, True)
    """
    a = _curv(a)
    etas = real_array("etas", etas)
    if etas.ndim != 1 or np.any(etas < 0):
        raise ValueError("etas must be a 1-D array of learning rates >= 0")
    sigma = positive_scalar("sigma", sigma)
    B = count("batch", batch, minimum=1)
    kind = _noise(noise)
    v0 = real_array("v0", v0)
    m0 = real_array("m0", m0)
    for name, x in (("v0", v0), ("m0", m0)):
        if x.ndim > 1 or (x.ndim == 1 and x.shape not in ((a.size,), (1,))):
            raise ValueError(f"{name} must be a scalar or have shape ({a.size},), got {x.shape}")
    if np.any(v0 < 0):
        raise ValueError("v0 (a variance) must be >= 0")

    def iterate():
        C = sigma ** 2 * (a if kind == "hessian" else np.ones_like(a))
        m = np.empty((etas.size + 1, a.size))
        v = np.empty_like(m)
        m[0], v[0] = m0, v0
        for t, eta in enumerate(etas.tolist()):
            r = 1.0 - eta * a
            m[t + 1] = r * m[t]
            v[t + 1] = r * r * v[t] + eta * eta * C / B
        return m, v
    return finite_result("a, etas, v0, m0, sigma", iterate)


@dataclass
class SGDRun:
    """Per-chain results of :func:`sgd_quadratic`.

    Used in Part IV, "Learning machines as Ising engines".

    Parameters
    ----------
    theta : numpy.ndarray
        ``(n_chains, d)`` final parameters.
    sq : numpy.ndarray
        ``(n_chains, d)`` time average of (θ - shift)² over the steps after the burn-in.
    loss : numpy.ndarray
        ``(n_steps + 1,)`` loss averaged over chains at every step, row 0 the start
        (units of the loss).
    """

    def __post_init__(self) -> None:
        record_fields(self)

    theta: np.ndarray
    sq: np.ndarray
    loss: np.ndarray


def sgd_quadratic(a, etas, rng, n_chains: int = 100, sigma: float = 1.0, batch: int = 1,
                  noise: str = "isotropic", theta0=0.0, burn_in: int = 0,
                  shift=0.0) -> SGDRun:
    """Simulate SGD with Gaussian gradient noise on ½ Σ a_k (θ_k - shift_k)², over many chains.

    Each step is θ ← θ - η (a ∘ (θ - shift) + ξ), ξ ~ N(0, C/B): the Monte Carlo
    check of :func:`stationary_variance` and :func:`moment_recursion`.  Used in
    Part IV, "Learning machines as Ising engines".

    Parameters
    ----------
    a : float or array_like
        Curvatures a_k > 0, shape ``(d,)``.
    etas : array_like
        1-D schedule of learning rates (each >= 0), one per step; for a constant
        rate pass e.g. ``np.full(n_steps, eta)`` (a scalar is refused).
    rng : int or numpy.random.Generator
        Seed or generator.
    n_chains : int
        Independent chains, >= 1.
    sigma : float
        Gradient-noise scale σ, > 0.
    batch : int
        Minibatch size B, >= 1.
    noise : {"isotropic", "hessian"}
        Gradient-noise covariance: C = σ² I, or C = σ² diag(a) (proportional to the curvature).
    theta0 : float or array_like
        Starting parameters, broadcast to ``(n_chains, d)``.
    burn_in : int
        Steps left out of ``sq``, in [0, len(etas)).
    shift : float or array_like
        Position of the minimum, broadcast to ``(d,)``.

    Returns
    -------
    SGDRun
        Final parameters, time-averaged squares and the loss curve.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import sgd_quadratic
    >>> run = sgd_quadratic([1.0, 4.0], np.full(2000, 0.1), rng=0, n_chains=50, burn_in=200)
    >>> run.sq.shape, run.loss.shape
    ((50, 2), (2001,))
    """
    a = _curv(a)
    etas = real_array("etas", etas)
    if etas.ndim != 1 or np.any(etas < 0):
        raise ValueError("etas must be a 1-D schedule of learning rates >= 0")
    R = count("n_chains", n_chains, minimum=1)
    sigma = positive_scalar("sigma", sigma)
    B = count("batch", batch, minimum=1)
    burn = count("burn_in", burn_in, minimum=0)
    if not 0 <= burn < etas.size:
        raise ValueError("burn_in must lie in [0, len(etas))")
    sd = sigma * np.sqrt((a if _noise(noise) == "hessian" else np.ones_like(a)) / B)
    c, th0 = real_array("shift", shift), real_array("theta0", theta0)
    for name, x in (("shift", c), ("theta0", th0)):
        target = (R, a.size) if name == "theta0" else a.shape
        try:
            if np.broadcast_shapes(x.shape, target) != target:
                raise ValueError
        except ValueError:
            raise ValueError(f"{name} must broadcast to {a.shape} (one value per direction), "
                             f"got shape {x.shape}") from None
    c = np.broadcast_to(c, a.shape)
    g = as_rng(rng)
    th = np.broadcast_to(th0, (R, a.size)).astype(np.float64).copy()
    loss = np.empty(etas.size + 1)
    # a diverging chain overflows quietly here and is refused below
    with np.errstate(over="ignore", invalid="ignore"):
        loss[0] = float(np.mean(0.5 * ((th - c) ** 2) @ a))
        acc = np.zeros((R, a.size))
        for t, eta in enumerate(etas.tolist()):
            th -= eta * (a * (th - c) + sd * g.standard_normal((R, a.size)))
            loss[t + 1] = float(np.mean(0.5 * ((th - c) ** 2) @ a))
            if t >= burn:
                acc += (th - c) ** 2
        sq = acc / (etas.size - burn)
    if not (np.isfinite(th).all() and np.isfinite(sq).all() and np.isfinite(loss).all()):
        raise OverflowError("the chains left the float range: etas (times a) too large, or "
                            "sigma, theta0 or shift too large")
    return SGDRun(theta=th, sq=sq, loss=loss)


def wsd_schedule(n_steps: int, eta_max: float, eta_min: float, warmup: float = 0.05,
                 decay: float = 0.2) -> np.ndarray:
    """Warmup–stable–decay learning-rate schedule: linear rise, flat, then a geometric fall.

    Used in Part IV, "Learning machines as Ising engines" (against a constant rate
    on a river valley).

    Parameters
    ----------
    n_steps : int
        Length of the schedule, >= 10.
    eta_max : float
        Plateau rate, > 0.
    eta_min : float
        Final rate, > 0.
    warmup : float
        Fraction of the steps for the linear rise from eta_max / n_warmup to eta_max, in [0, 1).
    decay : float
        Fraction of the steps for the geometric fall from eta_max to eta_min, in (0, 1);
        ``warmup + decay < 1``.

    Returns
    -------
    numpy.ndarray
        ``(n_steps,)`` learning rates.

    Notes
    -----
    The decay has ``max(2, round(decay * n_steps))`` steps, so the schedule always ends
    at eta_min (a decay shorter than two steps used to end at eta_max).

    Examples
    --------
    >>> from umlib.physics.learning import wsd_schedule
    >>> s = wsd_schedule(100, 0.1, 0.001)
    >>> round(float(s.max()), 6), round(float(s[-1]), 6), bool(s[0] < s[10])
    (0.1, 0.001, True)
    """
    n = count("n_steps", n_steps, minimum=10)
    hi, lo = positive_scalar("eta_max", eta_max), positive_scalar("eta_min", eta_min)
    warmup = real_scalar("warmup", warmup, finite=False)
    decay = real_scalar("decay", decay, finite=False)
    if not (0 <= warmup < 1 and 0 < decay < 1 and warmup + decay < 1):
        raise ValueError("warmup and decay must be fractions with warmup + decay < 1")
    nw, nd = int(round(warmup * n)), max(2, int(round(decay * n)))
    if nw + nd > n:
        raise ValueError(f"warmup and decay leave no room for the two decay steps of "
                         f"n_steps={n}")
    s = np.full(n, hi)
    if nw:
        s[:nw] = hi * np.arange(1, nw + 1) / nw
    s[n - nd:] = np.geomspace(hi, lo, nd)
    return s


def _regression(X, y, theta):
    X = real_array("X", X)
    y = real_array("y", y)
    theta = np.atleast_1d(real_array("theta", theta))
    if X.ndim != 2 or y.shape != (X.shape[0],) or theta.shape != (X.shape[1],):
        raise ValueError("X must be (n, d), y (n,) and theta (d,)")
    return X, y, theta


def minibatch_gradients(X, y, theta, batch: int, n_draws: int, rng,
                        replace: bool = False) -> np.ndarray:
    """Minibatch gradients of the least-squares loss L = (1/2n) Σ (x_i·θ - y_i)².

    Each draw averages the per-example gradients of ``batch`` examples, drawn with
    or without replacement.  Used in Part IV, "Learning machines as Ising engines"
    (the gradient noise whose variance sets the training temperature).

    Parameters
    ----------
    X : array_like
        ``(n, d)`` inputs.
    y : array_like
        ``(n,)`` targets.
    theta : array_like
        ``(d,)`` parameters at which the gradients are taken.
    batch : int
        Minibatch size B, >= 1 (<= n without replacement).
    n_draws : int
        Number of minibatches, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    replace : bool
        Draw the examples of a minibatch with replacement.

    Returns
    -------
    numpy.ndarray
        ``(n_draws, d)`` minibatch gradients.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import minibatch_gradients
    >>> X = np.eye(4); y = np.zeros(4)
    >>> g = minibatch_gradients(X, y, np.ones(4), 4, 3, rng=0)
    >>> g.tolist()[0]                                  # B = n without replacement: full gradient
    [0.25, 0.25, 0.25, 0.25]
    """
    X, y, theta = _regression(X, y, theta)
    n = X.shape[0]
    B = count("batch", batch, minimum=1)
    replace = flag("replace", replace)
    if not replace and B > n:
        raise ValueError(f"batch = {B} exceeds the {n} examples (without replacement)")
    g = as_rng(rng)
    per = (X @ theta - y)[:, None] * X
    out = np.empty((count("n_draws", n_draws, minimum=1), X.shape[1]))
    for k in range(out.shape[0]):
        idx = g.integers(0, n, B) if replace else g.permutation(n)[:B]
        out[k] = per[idx].mean(0)
    return out


def minibatch_noise_variance(X, y, theta, batch: int, replace: bool = False) -> float:
    """Exact total variance (trace of the covariance) of the least-squares minibatch gradient.

    tr(Σ)/B with replacement, tr(Σ)/B · (n - B)/(n - 1) without, Σ the per-example
    gradient covariance (population normalisation).  Used in Part IV,
    "Learning machines as Ising engines" (against :func:`minibatch_gradients`).

    Parameters
    ----------
    X : array_like
        ``(n, d)`` inputs.
    y : array_like
        ``(n,)`` targets.
    theta : array_like
        ``(d,)`` parameters.
    batch : int
        Minibatch size B, >= 1 (<= n without replacement).
    replace : bool
        Minibatches drawn with replacement.

    Returns
    -------
    float
        tr Cov of the minibatch gradient (0 when B = n without replacement).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import minibatch_noise_variance
    >>> X = np.random.default_rng(0).normal(size=(32, 3)); y = np.zeros(32)
    >>> minibatch_noise_variance(X, y, np.ones(3), 32)    # the whole data set: no noise
    0.0
    """
    X, y, theta = _regression(X, y, theta)
    n = X.shape[0]
    if n < 2:
        raise ValueError("X must hold at least 2 examples (one example has no sampling noise "
                         "to measure)")
    B = count("batch", batch, minimum=1)
    replace = flag("replace", replace)
    if not replace and B > n:
        raise ValueError(f"batch = {B} exceeds the {n} examples (without replacement)")

    def variance():
        per = (X @ theta - y)[:, None] * X
        tr = float(((per - per.mean(0)) ** 2).sum(1).mean())
        return tr / B if replace else tr / B * (n - B) / (n - 1)
    return finite_result("X, y, theta", variance)
