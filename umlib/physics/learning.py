r"""The thermodynamics of learning, on models small enough to solve exactly.

Derived in Part IV, "Learning machines as Ising engines" (part4/05-ising-engines: SGD
on a quadratic valley, the training temperature, minibatch noise, equipartition,
warmup–decay on a river valley, the lineage chart) and "A thermodynamic model of
training, solved" (part4/07-appendix-model: :class:`DoubleWell`, Z by quadrature and by
:func:`importance_Z`, F = -T ln Z, the entropic preference for the wider minimum,
:func:`variational_free_energy`, :func:`first_law_split`, the freeze).

SGD with gradient noise on :math:`L(θ) = \tfrac12 \sum_k a_k θ_k^2`:

.. math:: θ_{t+1} = θ_t - η (a ∘ θ_t + ξ_t), \qquad ξ_t \sim N(0, C/B),

with :math:`C = σ^2 I` ("isotropic") or :math:`C = σ^2\,\mathrm{diag}(a)` ("hessian": noise
covariance proportional to the curvature, as for a well-specified model's Fisher
matrix).  The recursion is linear, so mean and variance evolve exactly:

.. math:: v_{t+1} = (1 - η a)^2 v_t + η^2 C / B, \qquad
          v_\infty = \frac{η C}{B a (2 - η a)} \quad (0 < η a < 2).

The isotropic case gives :math:`\tfrac12 a v_\infty = \frac{T}{2}\frac{2}{2 - η a}` with the
training temperature :math:`T = η σ^2 / (2B)`: equipartition in the small-step limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize

from ..core.validate import as_rng, count, positive_scalar, real_array, real_scalar

__all__ = ["training_temperature", "stationary_variance", "stationary_loss", "moment_recursion",
           "SGDRun", "sgd_quadratic", "wsd_schedule", "DoubleWell", "first_law_split",
           "metropolis_1d", "langevin_sgd_1d", "importance_Z", "variational_free_energy", "LINEAGE", "lineage_anachronisms",
           "minibatch_gradients", "minibatch_noise_variance"]

NOISES = ("isotropic", "hessian")


def _noise(noise: str) -> str:
    if noise not in NOISES:
        raise ValueError(f"noise must be one of {NOISES}, got {noise!r}")
    return noise


def _curv(a) -> np.ndarray:
    a = np.atleast_1d(real_array("a", a))
    if a.ndim != 1 or np.any(a <= 0):
        raise ValueError("a must be a 1-D array of positive curvatures")
    return a


def training_temperature(eta: float, sigma: float = 1.0, batch: int = 1) -> float:
    """T_train = η σ² / (2B): the temperature whose Gibbs law SGD samples as η → 0.

    Examples
    --------
    >>> from umlib.physics.learning import training_temperature
    >>> training_temperature(0.1, 2.0, 4)
    0.05
    """
    eta, sigma = positive_scalar("eta", eta), positive_scalar("sigma", sigma)
    B = count("batch", batch, minimum=1)
    return eta * sigma * sigma / (2.0 * B)


def stationary_variance(a, eta: float, sigma: float = 1.0, batch: int = 1,
                        noise: str = "isotropic") -> np.ndarray:
    """Exact stationary Var θ_k = η C_k / (B a_k (2 - η a_k)); raises if some η a_k >= 2.

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
    C = sigma ** 2 * (a if _noise(noise) == "hessian" else np.ones_like(a))
    return eta * C / (B * a * (2.0 - eta * a))


def stationary_loss(a, eta: float, sigma: float = 1.0, batch: int = 1,
                    noise: str = "isotropic") -> np.ndarray:
    """Exact stationary excess loss per direction, ½ a_k Var θ_k.

    Examples
    --------
    >>> from umlib.physics.learning import stationary_loss, training_temperature
    >>> round(float(stationary_loss(1e-6, 1e-3)[0]) / (training_temperature(1e-3) / 2), 6)
    1.0
    """
    a = _curv(a)
    return 0.5 * a * stationary_variance(a, eta, sigma, batch, noise)


def moment_recursion(a, etas, v0=0.0, m0=0.0, sigma: float = 1.0, batch: int = 1,
                     noise: str = "isotropic") -> tuple[np.ndarray, np.ndarray]:
    """Exact mean and variance of θ_k after each step of a learning-rate schedule ``etas``.

    Returns (means, variances), each of shape (len(etas) + 1, d), row 0 the start.

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
    C = sigma ** 2 * (a if _noise(noise) == "hessian" else np.ones_like(a))
    m = np.empty((etas.size + 1, a.size))
    v = np.empty_like(m)
    m[0], v[0] = m0, v0
    for t, eta in enumerate(etas.tolist()):
        r = 1.0 - eta * a
        m[t + 1] = r * m[t]
        v[t + 1] = r * r * v[t] + eta * eta * C / B
    return m, v


@dataclass
class SGDRun:
    """Per-chain results of :func:`sgd_quadratic`.

    ``theta`` final parameters (n_chains, d); ``sq`` time-averaged θ² after the burn-in
    (n_chains, d); ``loss`` the chain-averaged loss at every step (n_steps + 1,).
    """

    theta: np.ndarray
    sq: np.ndarray
    loss: np.ndarray


def sgd_quadratic(a, etas, rng, n_chains: int = 100, sigma: float = 1.0, batch: int = 1,
                  noise: str = "isotropic", theta0=0.0, burn_in: int = 0,
                  shift=0.0) -> SGDRun:
    """Simulate SGD with Gaussian gradient noise on ½ Σ a_k (θ_k - shift_k)², vectorised over
    chains.  ``etas`` is a scalar (constant rate; give ``burn_in`` + samples as its length via
    a schedule) or a 1-D schedule.

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
    c = np.broadcast_to(real_array("shift", shift), a.shape)
    g = as_rng(rng)
    th = np.broadcast_to(real_array("theta0", theta0), (R, a.size)).astype(np.float64).copy()
    loss = np.empty(etas.size + 1)
    loss[0] = float(np.mean(0.5 * ((th - c) ** 2) @ a))
    acc = np.zeros((R, a.size))
    for t, eta in enumerate(etas.tolist()):
        th -= eta * (a * (th - c) + sd * g.standard_normal((R, a.size)))
        loss[t + 1] = float(np.mean(0.5 * ((th - c) ** 2) @ a))
        if t >= burn:
            acc += (th - c) ** 2
    return SGDRun(theta=th, sq=acc / (etas.size - burn), loss=loss)


def wsd_schedule(n_steps: int, eta_max: float, eta_min: float, warmup: float = 0.05,
                 decay: float = 0.2) -> np.ndarray:
    """Warmup–stable–decay: linear rise over ``warmup`` of the steps, flat, then a geometric
    fall to ``eta_min`` over the last ``decay`` fraction.

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
    nw, nd = int(round(warmup * n)), int(round(decay * n))
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
    """Minibatch gradients of the least-squares loss L = (1/2n) Σ (x_i·θ - y_i)², each from
    ``batch`` examples drawn with or without replacement; shape (n_draws, d).

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
    """Exact total variance (trace of the covariance) of the minibatch gradient:
    tr(Σ)/B with replacement, tr(Σ)/B · (n - B)/(n - 1) without, Σ the per-example
    gradient covariance (population normalisation).

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
    B = count("batch", batch, minimum=1)
    if not replace and B > n:
        raise ValueError(f"batch = {B} exceeds the {n} examples (without replacement)")
    per = (X @ theta - y)[:, None] * X
    tr = float(((per - per.mean(0)) ** 2).sum(1).mean())
    return tr / B if replace else tr / B * (n - B) / (n - 1)


# ---------------------------------------------------------------------------
# the appendix's one-dimensional model
# ---------------------------------------------------------------------------
class DoubleWell:
    r"""L(θ) = (θ² - 1)² (1 + c tanh θ) - h θ: two minima near ±1, equally deep (L = 0) at
    h = 0, with curvatures L''(±1) = 8 (1 ± c tanh 1) (the left one wider for c > 0).

    Examples
    --------
    >>> from umlib.physics.learning import DoubleWell
    >>> w = DoubleWell(0.5)
    >>> [round(x, 4) for x in w.curvatures()]
    [4.9536, 11.0464]
    """

    def __init__(self, c: float = 0.5, h: float = 0.0) -> None:
        c = real_scalar("c", c, finite=False)
        if not abs(c) < 1:
            raise ValueError(f"c must satisfy |c| < 1 (positive weight), got {c}")
        self.c, self.h = c, real_scalar("h", h)

    def loss(self, th):
        th = np.asarray(th, dtype=np.float64)
        return (th * th - 1) ** 2 * (1 + self.c * np.tanh(th)) - self.h * th

    def grad(self, th):
        th = np.asarray(th, dtype=np.float64)
        q = (th * th - 1)
        return 4 * th * q * (1 + self.c * np.tanh(th)) + q * q * self.c / np.cosh(th) ** 2 - self.h

    def curvatures(self) -> tuple[float, float]:
        """L'' at the two minima (h = 0): (left, right)."""
        t = math.tanh(1.0)
        return 8 * (1 - self.c * t), 8 * (1 + self.c * t)

    def barrier(self) -> float:
        """Position of the local maximum between the wells."""
        return float(optimize.brentq(self.grad, -0.9, 0.9))

    def _integral(self, f, T, lo, hi):
        T = positive_scalar("T", T)
        pts = [p for p in (-1.0, 1.0, self.barrier()) if lo < p < hi]
        val, _ = integrate.quad(lambda x: f(x) * math.exp(-float(self.loss(x)) / T), lo, hi,
                                points=pts or None, limit=400, epsabs=1e-13, epsrel=1e-12)
        return val

    def basin_Z(self, T: float) -> tuple[float, float]:
        """Z of the left and right basins (split at the barrier), by quadrature on [-4, 4]
        (outside, e^{-L/T} < e^{-100/T} for the T used here)."""
        b = self.barrier()
        return (self._integral(lambda x: 1.0, T, -4.0, b), self._integral(lambda x: 1.0, T, b, 4.0))

    def free_energy(self, T: float) -> float:
        """F = -T ln Z."""
        zl, zr = self.basin_Z(T)
        return -T * math.log(zl + zr)

    def mean(self, f, T: float) -> float:
        """⟨f(θ)⟩ under e^{-L/T}/Z by quadrature."""
        zl, zr = self.basin_Z(T)
        return self._integral(f, T, -4.0, 4.0) / (zl + zr)

    def basin_entropy(self, T: float) -> tuple[float, float]:
        """Entropy of the Gibbs law restricted to each basin, S_b = (<L>_b - F_b)/T with
        F_b = -T ln Z_b (left, right)."""
        b = self.barrier()
        out = []
        for lo, hi in ((-4.0, b), (b, 4.0)):
            Z = self._integral(lambda x: 1.0, T, lo, hi)
            U = self._integral(lambda x: float(self.loss(x)), T, lo, hi) / Z
            out.append((U + T * math.log(Z)) / T)
        return out[0], out[1]

    def entropy(self, T: float) -> float:
        """S = (⟨L⟩ - F)/T (differential entropy of the Gibbs density)."""
        return (self.mean(lambda x: float(self.loss(x)), T) - self.free_energy(T)) / T

    def laplace_ratio(self, T: float | None = None) -> float:
        r"""Occupancy ratio P(left)/P(right) from Laplace's method (h = 0).

        With ``T=None`` the T → 0 limit :math:`\sqrt{L''_R / L''_L}`; with a temperature,
        each basin's Z includes the first correction,
        :math:`Z \approx \sqrt{2\pi T/a}\,[1 + T(5 L_3^2/(24 a^3) - L_4/(8 a^2))]`.
        """
        al, ar = self.curvatures()
        if T is None:
            return math.sqrt(ar / al)
        T = positive_scalar("T", T)
        (l3, l4), (r3, r4) = self.higher_derivatives(-1.0), self.higher_derivatives(1.0)

        def corr(a, f3, f4):
            return 1 + T * (5 * f3 ** 2 / (24 * a ** 3) - f4 / (8 * a ** 2))

        return math.sqrt(ar / al) * corr(al, l3, l4) / corr(ar, r3, r4)

    def higher_derivatives(self, x: float) -> tuple[float, float]:
        """Third and fourth derivatives of L at a minimum x = ±1 (exact, from L = q g with
        q = (x² - 1)², h = 0)."""
        if x not in (-1.0, 1.0):
            raise ValueError("x must be -1.0 or 1.0 (the minima at h = 0)")
        c = self.c
        g = 1 + c * math.tanh(x)
        g1 = c / math.cosh(x) ** 2
        g2 = -2 * c * math.tanh(x) / math.cosh(x) ** 2
        return 24 * x * g + 24 * g1, 24 * g + 96 * x * g1 + 48 * g2


def importance_Z(loss, T: float, n: int, rng, centers=(-1.0, 1.0),
                 widths=(0.3, 0.3)) -> tuple[float, float]:
    """Z = integral of exp(-L/T) by importance sampling from an equal mixture of Gaussians;
    returns (estimate, standard error): the sampling route to the partition function.

    Examples
    --------
    >>> import math
    >>> from umlib.physics.learning import importance_Z
    >>> Z, se = importance_Z(lambda t: 0.5 * t ** 2, 1.0, 1000, rng=0, centers=(0.0,),
    ...                      widths=(1.0,))
    >>> abs(Z - math.sqrt(2 * math.pi)) < 1e-12
    True
    """
    T = positive_scalar("T", T)
    n = count("n", n, minimum=2)
    mu = real_array("centers", centers)
    sd = real_array("widths", widths)
    if mu.shape != sd.shape or mu.ndim != 1 or np.any(sd <= 0):
        raise ValueError("centers and widths must be 1-D of one length, widths > 0")
    g = as_rng(rng)
    k = g.integers(0, mu.size, n)
    x = mu[k] + sd[k] * g.standard_normal(n)
    q = np.mean(np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi)),
                axis=1)
    w = np.exp(-np.asarray(loss(x), dtype=np.float64) / T) / q
    return float(w.mean()), float(w.std(ddof=1) / math.sqrt(n))


def variational_free_energy(loss, p, x, T: float) -> float:
    """F[p] = <L>_p - T S[p] for a trial density p tabulated on the uniform grid x
    (normalised here; trapezoid rule; 0 ln 0 = 0).  Gibbs' variational principle:
    F[p] >= -T ln Z, with equality only for p = e^{-L/T}/Z.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import variational_free_energy
    >>> x = np.linspace(-10, 10, 20001)
    >>> gibbs = np.exp(-0.5 * x ** 2)
    >>> F = variational_free_energy(lambda t: 0.5 * t ** 2, gibbs, x, 1.0)
    >>> bool(abs(F + np.log(np.sqrt(2 * np.pi))) < 1e-8)
    True
    """
    T = positive_scalar("T", T)
    x = real_array("x", x, min_size=3)
    p = real_array("p", p)
    if x.ndim != 1 or p.shape != x.shape or np.any(p < 0):
        raise ValueError("p must be non-negative and tabulated on the 1-D grid x")
    Z = np.trapezoid(p, x)
    if not Z > 0:
        raise ValueError("p has no mass on the grid")
    q = p / Z
    with np.errstate(divide="ignore", invalid="ignore"):
        qlnq = np.where(q > 0, q * np.log(q), 0.0)
    U = np.trapezoid(q * np.asarray(loss(x), dtype=np.float64), x)
    S = -np.trapezoid(qlnq, x)
    return float(U - T * S)


def metropolis_1d(loss, T: float, n_steps: int, rng, x0, step: float = 0.5) -> np.ndarray:
    """Random-walk Metropolis on e^{-loss/T} for a vector of independent chains started at
    ``x0``; returns the positions, shape (n_steps, n_chains).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import metropolis_1d
    >>> x = metropolis_1d(lambda t: 0.5 * t ** 2, 1.0, 4000, rng=0, x0=np.zeros(200))
    >>> bool(abs(x[1000:].var() - 1.0) < 0.05)
    True
    """
    T = positive_scalar("T", T)
    n = count("n_steps", n_steps, minimum=1)
    step = positive_scalar("step", step)
    x = np.atleast_1d(real_array("x0", x0)).astype(np.float64).copy()
    g = as_rng(rng)
    out = np.empty((n, x.size))
    Lx = np.asarray(loss(x), dtype=np.float64)
    for t in range(n):
        y = x + step * g.standard_normal(x.size)
        Ly = np.asarray(loss(y), dtype=np.float64)
        acc = g.random(x.size) < np.exp(-np.maximum(Ly - Lx, 0.0) / T)
        x = np.where(acc, y, x)
        Lx = np.where(acc, Ly, Lx)
        out[t] = x
    return out


def langevin_sgd_1d(grad, eta: float, sigma: float, n_steps: int, rng, x0) -> np.ndarray:
    """SGD with Gaussian gradient noise, x ← x - η (L'(x) + σ ξ), for a vector of chains;
    returns the positions (n_steps + 1, n_chains), row 0 the start.  Its small-η stationary
    law is e^{-L/T} with T = η σ² / 2.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import langevin_sgd_1d
    >>> x = langevin_sgd_1d(lambda t: t, 0.0, 1.0, 3, rng=0, x0=np.ones(2))
    >>> x[-1].tolist()
    [1.0, 1.0]
    """
    eta = real_scalar("eta", eta)
    if not eta >= 0:
        raise ValueError(f"eta must be >= 0, got {eta}")
    sigma = real_scalar("sigma", sigma)
    if not sigma >= 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    n = count("n_steps", n_steps, minimum=1)
    x = np.atleast_1d(real_array("x0", x0)).astype(np.float64).copy()
    g = as_rng(rng)
    out = np.empty((n + 1, x.size))
    out[0] = x
    for t in range(n):
        x = x - eta * (np.asarray(grad(x)) + sigma * g.standard_normal(x.size))
        out[t + 1] = x
    return out


def first_law_split(loss, grad, x, eta: float, noise) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split each SGD step x → x' = x - η L'(x) → x'' = x' - η ξ into work and heat:

    W_t = L(x') - L(x) (the deterministic gradient step), Q_t = L(x'') - L(x') (the noise).
    Returns (ΔL_t, W_t, Q_t) for the steps given by positions ``x`` (n+1,) and the noise
    draws ``noise`` (n,).  ΔL = W + Q holds for every step by construction (a telescoping
    sum), up to floating-point rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import first_law_split
    >>> f = lambda t: 0.5 * t ** 2; df = lambda t: t
    >>> x = np.array([1.0, 0.8]); dL, W, Q = first_law_split(f, df, x, 0.1, np.array([1.0]))
    >>> [round(float(v), 6) for v in (dL[0], W[0], Q[0])]
    [-0.18, -0.095, -0.085]
    """
    x = real_array("x", x, min_size=2)
    xi = real_array("noise", noise)
    if x.ndim != 1 or xi.shape != (x.size - 1,):
        raise ValueError("x must be 1-D positions and noise one draw per step")
    eta = positive_scalar("eta", eta)
    xs = x[:-1]
    xp = xs - eta * np.asarray(grad(xs))
    xpp = xp - eta * xi
    L0, L1, L2 = (np.asarray(loss(v), dtype=np.float64) for v in (xs, xp, xpp))
    return np.asarray(loss(x[1:])) - L0, L1 - L0, L2 - L1


# ---------------------------------------------------------------------------
# the lineage chart
# ---------------------------------------------------------------------------
LINEAGE = {
    "nodes": {
        "AN": ("Artificial neuron", "McCulloch & Pitts", 1943),
        "Perc": ("Perceptron", "Rosenblatt", 1957),
        "MLP": ("Multilayer perceptron", "Rosenblatt", 1961),
        "Ising": ("Ising model", "Ising", 1925),
        "SG": ("Spin glass", "Sherrington & Kirkpatrick", 1975),
        "Hop": ("Hopfield net", "Hopfield", 1982),
        "BM": ("Boltzmann machine", "Hinton et al.", 1983),
        "RBM": ("Restricted Boltzmann machine", "Smolensky", 1986),
        "DBN": ("Deep belief nets", "Hinton et al.", 2006),
        "ML": ("Machine learning", "", None),
        "BGN": ("Boolean gene nets", "Kauffman", 1969),
        "WGN": ("Wagner gene network", "Wagner", 1994),
        "GRM": ("Gene regulation models", "", None),
    },
    "edges": [("AN", "Perc"), ("AN", "MLP"), ("Perc", "MLP"), ("Ising", "SG"), ("SG", "Hop"),
              ("SG", "BM"), ("MLP", "Hop"), ("Hop", "BM"), ("BM", "RBM"), ("RBM", "DBN"),
              ("DBN", "ML"), ("Hop", "BGN"), ("BGN", "WGN"), ("WGN", "GRM")],
}
"""The source's lineage chart (Part IV, "LLMs as Ising engines"), with the years it states."""


def lineage_anachronisms(lineage: dict = LINEAGE) -> list[tuple[str, str, int, int]]:
    """Edges u → v of an influence chart whose source is dated after its target.

    Examples
    --------
    >>> from umlib.physics.learning import lineage_anachronisms
    >>> lineage_anachronisms()
    [('Hop', 'BGN', 1982, 1969)]
    """
    nodes = lineage["nodes"]
    out = []
    for u, v in lineage["edges"]:
        yu, yv = nodes[u][2], nodes[v][2]
        if yu is not None and yv is not None and yu > yv:
            out.append((u, v, yu, yv))
    return out
