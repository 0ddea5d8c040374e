"""Free energies of a one-dimensional loss landscape: the double well, its partition function by quadrature and by importance sampling, samplers, and the first-law split of an SGD step.

Derived in "A thermodynamic model of training, solved".
"""

from __future__ import annotations
import math
import numpy as np
from scipy import integrate, optimize
from ...core.validate import as_rng, count, finite_result, positive_scalar, real_array, real_scalar

__all__ = [
    "DoubleWell",
    "importance_Z",
    "variational_free_energy",
    "metropolis_1d",
    "langevin_sgd_1d",
    "first_law_split",
]


class DoubleWell:
    """A one-dimensional loss with two minima of equal depth and unequal width.

    L(θ) = (θ² - 1)² (1 + c tanh θ) - h θ: two minima near ±1, equally deep (L = 0)
    at h = 0, with curvatures L''(±1) = 8 (1 ± c tanh 1) (the left one wider for c > 0).
    Temperatures are in units of the loss (k_B = 1) and entropies in nats.  Derived in
    Part IV, "A thermodynamic model of training, solved" (Z by quadrature, F = -T ln Z,
    the entropic preference for the wider minimum, Laplace's method).

    Parameters
    ----------
    c : float
        Asymmetry, ``|c| < 1``.
    h : float
        Tilt (a linear term that makes one well deeper).

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
        """L(θ), elementwise for an array ``th``."""
        th = np.asarray(th, dtype=np.float64)
        return (th * th - 1) ** 2 * (1 + self.c * np.tanh(th)) - self.h * th

    def grad(self, th):
        """L'(θ), elementwise for an array ``th``."""
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
        """F = -T ln Z, in units of the loss, with Z by quadrature (:meth:`basin_Z`)."""
        zl, zr = self.basin_Z(T)
        return -T * math.log(zl + zr)

    def mean(self, f, T: float) -> float:
        """⟨f(θ)⟩ under e^{-L/T}/Z by quadrature."""
        zl, zr = self.basin_Z(T)
        return self._integral(f, T, -4.0, 4.0) / (zl + zr)

    def basin_entropy(self, T: float) -> tuple[float, float]:
        """Entropy of the Gibbs law restricted to each basin, in nats: (left, right).

        S_b = (<L>_b - F_b)/T with F_b = -T ln Z_b, the basins split at the barrier.
        """
        b = self.barrier()
        out = []
        for lo, hi in ((-4.0, b), (b, 4.0)):
            Z = self._integral(lambda x: 1.0, T, lo, hi)
            U = self._integral(lambda x: float(self.loss(x)), T, lo, hi) / Z
            out.append((U + T * math.log(Z)) / T)
        return out[0], out[1]

    def entropy(self, T: float) -> float:
        """S = (⟨L⟩ - F)/T, the differential entropy of the Gibbs density, in nats."""
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


def _evaluate(name: str, f, x: np.ndarray, where: str) -> np.ndarray:
    """``f(x)`` as a finite float array, or an error naming ``name`` (and ``where``)."""
    if not callable(f):
        raise TypeError(f"{name} must be a callable, got {type(f).__name__}")
    if not np.isfinite(x).all():
        raise OverflowError(f"{where} left the float range before {name} was evaluated")
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = np.asarray(f(x), dtype=np.float64)
    except Exception as exc:  # the caller's function: say which argument failed
        raise ValueError(f"{name} failed at {where} ({type(exc).__name__}: {exc})") from exc
    if not np.isfinite(out).all():
        raise ValueError(f"{name} returned NaN or inf at {where}")
    return out


def importance_Z(loss, T: float, n: int, rng, centers=(-1.0, 1.0),
                 widths=(0.3, 0.3)) -> tuple[float, float]:
    """Partition function Z = ∫ exp(-L/T) dθ by importance sampling from a Gaussian mixture.

    The sampling route to Z, checked against quadrature in Part IV,
    "A thermodynamic model of training, solved" (and shown to fail when the mixture misses
    a well).

    Parameters
    ----------
    loss : callable
        L(θ), vectorised over a 1-D array.
    T : float
        Temperature in units of the loss (k_B = 1), > 0.
    n : int
        Number of samples, >= 2.
    rng : int or numpy.random.Generator
        Seed or generator.
    centers, widths : sequence of float
        Means and standard deviations (> 0) of the equally weighted Gaussians.

    Returns
    -------
    (float, float)
        The estimate of Z and its standard error.  When the importance weights leave
        the float range the mean is taken in the log domain; a Z that is itself outside
        the float range is an :class:`OverflowError`.

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
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        q = np.mean(np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi)),
                    axis=1)
    L = _evaluate("loss", loss, x, "the samples drawn from centers and widths")
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        w = np.exp(-L / T) / q
        direct = float(w.mean()), float(w.std(ddof=1) / math.sqrt(n))
    if np.isfinite(w).all() and np.all(q > 0) and all(map(math.isfinite, direct)) \
            and direct[0] > 0:
        return direct
    # the weights left the float range: redo the sum in the log domain, where
    # ln w = -L/T - ln q is finite, and return Z only if it is itself representable
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        log_q = np.log(np.mean(np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2)
                               / (sd * math.sqrt(2 * math.pi)), axis=1))
        log_w = -L / T - log_q
    if not np.isfinite(log_q).all():
        raise OverflowError("the proposal density leaves the float range at some samples: "
                            "change centers or widths")
    if not np.isfinite(log_w).all():
        raise OverflowError("ln w = -loss/T - ln q overflows: T is too small for this loss")
    top = float(np.max(log_w))
    r = np.exp(log_w - top)
    log_mean = top + math.log(float(np.mean(r)))
    log_se = top + 0.5 * math.log(float(np.var(r, ddof=1)) + 0.0) - 0.5 * math.log(n) \
        if float(np.var(r, ddof=1)) > 0 else -math.inf
    if not -745.2 < log_mean < 709.78:
        raise OverflowError(f"Z = exp({log_mean:.6g}) is outside the float range for this "
                            f"loss and T: use a log-domain estimate")
    return math.exp(log_mean), (math.exp(log_se) if log_se < 709.78 else math.inf)


def variational_free_energy(loss, p, x, T: float) -> float:
    """Variational free energy F[p] = <L>_p - T S[p] of a trial density on a grid.

    Gibbs' variational principle: F[p] >= -T ln Z, with equality only for
    p = e^{-L/T}/Z.  ``p`` is normalised here; integrals by the trapezoid rule, with
    0 ln 0 = 0.  Used in Part IV, "A thermodynamic model of training, solved".

    Parameters
    ----------
    loss : callable
        L(θ), vectorised over a 1-D array.
    p : array_like
        Non-negative trial density (unnormalised) tabulated on ``x``.
    x : array_like
        1-D uniform grid, at least 3 points.
    T : float
        Temperature in units of the loss (k_B = 1), > 0.

    Returns
    -------
    float
        F[p] in units of the loss (S[p] the differential entropy in nats).

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
    U = np.trapezoid(q * _evaluate("loss", loss, x, "the grid x"), x)
    S = -np.trapezoid(qlnq, x)
    return float(U - T * S)


def metropolis_1d(loss, T: float, n_steps: int, rng, x0, step: float = 0.5) -> np.ndarray:
    """Random-walk Metropolis on e^{-loss/T} for a vector of independent chains.

    Used in Part IV, "A thermodynamic model of training, solved" (basin occupancy
    against quadrature).

    Parameters
    ----------
    loss : callable
        L(θ), vectorised over a 1-D array.
    T : float
        Temperature in units of the loss (k_B = 1), > 0.
    n_steps : int
        Steps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    x0 : float or array_like
        Starting positions, one per chain.
    step : float
        Standard deviation of the Gaussian proposal, > 0.

    Returns
    -------
    numpy.ndarray
        ``(n_steps, n_chains)`` positions after each step.

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
    if x.ndim != 1:
        raise ValueError(f"x0 must be a scalar or a 1-D array of walkers, got shape {x.shape}")
    g = as_rng(rng)
    out = np.empty((n, x.size))
    Lx = _evaluate("loss", loss, x, "x0")
    for t in range(n):
        y = x + step * g.standard_normal(x.size)
        Ly = _evaluate("loss", loss, y, "the points reached from x0 with this step")
        with np.errstate(over="ignore"):     # a tiny T: exp(-inf) = 0, a rejection
            acc = g.random(x.size) < np.exp(-np.maximum(Ly - Lx, 0.0) / T)
        x = np.where(acc, y, x)
        Lx = np.where(acc, Ly, Lx)
        out[t] = x
    return out


def langevin_sgd_1d(grad, eta: float, sigma: float, n_steps: int, rng, x0) -> np.ndarray:
    """SGD with Gaussian gradient noise, x ← x - η (L'(x) + σ ξ), for a vector of chains.

    Its small-η stationary law is e^{-L/T} with T = η σ² / 2 (units of the loss).
    Used in Part IV, "A thermodynamic model of training, solved".

    Parameters
    ----------
    grad : callable
        L'(x), vectorised over a 1-D array.
    eta : float
        Learning rate η, >= 0.
    sigma : float
        Noise scale σ, >= 0.
    n_steps : int
        Steps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    x0 : float or array_like
        Starting positions, one per chain.

    Returns
    -------
    numpy.ndarray
        ``(n_steps + 1, n_chains)`` positions, row 0 the start.

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
    if x.ndim != 1:
        raise ValueError(f"x0 must be a scalar or a 1-D array of walkers, got shape {x.shape}")
    g = as_rng(rng)
    out = np.empty((n + 1, x.size))
    out[0] = x
    for t in range(n):
        x = x - eta * (_evaluate("grad", grad, x, "the points reached from x0 with this eta")
                       + sigma * g.standard_normal(x.size))
        if not np.isfinite(x).all():
            raise OverflowError("the walk left the float range: eta (or sigma) too large "
                                "for this grad and x0")
        out[t + 1] = x
    return out


def first_law_split(loss, grad, x, eta: float, noise) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split each SGD step into work (the gradient step) and heat (the noise): the first law.

    A step x → x' = x - η L'(x) → x'' = x' - η ξ gives W_t = L(x') - L(x) and
    Q_t = L(x'') - L(x').  Used in Part IV, "A thermodynamic model of training, solved".

    Parameters
    ----------
    loss : callable
        L(x), vectorised over a 1-D array.
    grad : callable
        L'(x), vectorised.
    x : array_like
        ``(n + 1,)`` positions of one trajectory.
    eta : float
        Learning rate η, > 0.
    noise : array_like
        ``(n,)`` the noise of each step as it enters the gradient (σ ξ_t for
        :func:`langevin_sgd_1d`).

    Returns
    -------
    dL, W, Q : numpy.ndarray
        Each ``(n,)``, in units of the loss: ΔL_t = L(x_{t+1}) - L(x_t), work and heat.

    Notes
    -----
    ΔL = W + Q holds step by step (a telescoping sum, up to rounding) when ``x`` was
    generated by x ← x - η (L'(x) + noise) with these very draws, so that
    x_{t+1} = x''_t; otherwise ΔL and W + Q differ.

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
    xp = xs - eta * _evaluate("grad", grad, xs, "x")
    xpp = xp - eta * xi
    L0, L1, L2 = (_evaluate("loss", loss, v, "x, eta and noise") for v in (xs, xp, xpp))
    return finite_result("x, eta, noise",
                         lambda: (_evaluate("loss", loss, x[1:], "x") - L0, L1 - L0, L2 - L1))
