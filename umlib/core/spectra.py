r"""Energy ladders and the finite-difference eigensolves that check them.

Units: hbar = m = 1.  Derived in Part III, "The spectra".

* Particle in a box of width L on (0, L) with hard walls:
  :math:`E_n = n^2 \pi^2 / (2 L^2)`, n = 1, 2, ...;
  eigenfunctions :math:`\psi_n(x) = \sqrt{2/L}\,\sin(n\pi x/L)`.
* Harmonic oscillator :math:`V = \omega^2 x^2 / 2`:
  :math:`E_n = \omega (n + 1/2)`, n = 0, 1, ...

The check is numerical: :math:`H = -\tfrac12 d^2/dx^2 + V` discretised with the
three-point Laplacian on a uniform grid of spacing h, whose lowest eigenvalues
converge to the exact ones as O(h^2).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh_tridiagonal

from .validate import count, finite_result, positive_scalar, real_array

__all__ = [
    "box_levels",
    "oscillator_levels",
    "box_eigensolve",
    "oscillator_eigensolve",
    "box_fd_levels_exact",
    "box_density",
    "box_bin_probabilities",
    "convergence_order",
]


# the largest ladder or grid accepted (the book's finest grid is far below it)
MAX_LEVELS = 10 ** 7


def _count(name: str, n) -> int:
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}")
    if n < 1:
        raise ValueError(f"{name} must be >= 1, got {n}")
    return count(name, n, minimum=1, maximum=MAX_LEVELS)


def _representable(arr: np.ndarray, culprit: str) -> np.ndarray:
    """Raise OverflowError naming ``culprit`` if a result left the float range."""
    if not np.all(np.isfinite(arr)):
        raise OverflowError(f"the result overflows for this {culprit}; choose a value "
                            "nearer 1")
    return arr


def box_levels(n_levels: int, L: float = 1.0) -> np.ndarray:
    """The lowest ``n_levels`` box energies n^2 pi^2 / (2 L^2), n = 1..n_levels.

    Derived in Part III, "The spectra"; the test spectrum of every Part III chapter
    (first used in "One dial").

    Parameters
    ----------
    n_levels : int
        Number of levels, >= 1.
    L : float, default 1.0
        Box width (hbar = m = 1), > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels,)
        Energies, in the same units as T (k_B = 1).

    Examples
    --------
    >>> from umlib.core.spectra import box_levels
    >>> [round(e, 6) for e in box_levels(3).tolist()]
    [4.934802, 19.739209, 44.41322]
    """
    n_levels = _count("n_levels", n_levels)
    L = positive_scalar("L", L)
    n = np.arange(1, n_levels + 1, dtype=np.float64)
    with np.errstate(over="ignore", divide="ignore"):
        return _representable(n * n * np.pi ** 2 / (2.0 * L * L), "L")


def oscillator_levels(n_levels: int, omega: float = 1.0) -> np.ndarray:
    """The lowest ``n_levels`` oscillator energies omega (n + 1/2), n = 0..n_levels-1.

    Derived in Part III, "The spectra"; used with :func:`box_levels` from "One dial" on.

    Parameters
    ----------
    n_levels : int
        Number of levels, >= 1.
    omega : float, default 1.0
        Angular frequency (hbar = 1), > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels,)
        Energies, in the same units as T (k_B = 1).

    Examples
    --------
    >>> from umlib.core.spectra import oscillator_levels
    >>> oscillator_levels(3, omega=2.0).tolist()
    [1.0, 3.0, 5.0]
    """
    n_levels = _count("n_levels", n_levels)
    omega = positive_scalar("omega", omega)
    with np.errstate(over="ignore"):
        return _representable(omega * (np.arange(n_levels, dtype=np.float64) + 0.5), "omega")


def _inverse_h2(h, culprit: str) -> float:
    """1/h^2, or OverflowError naming ``culprit`` when it is not a normal float."""
    with np.errstate(over="ignore", divide="ignore", under="ignore"):
        inv = np.float64(1.0) / (np.float64(h) * np.float64(h))
    if not (np.isfinite(inv) and inv >= np.finfo(np.float64).tiny):
        raise OverflowError(f"the grid spacing 1/h^2 is not representable for this {culprit}")
    return float(inv)


def _tridiagonal_levels(V: np.ndarray, inv_h2: float, n_levels: int) -> np.ndarray:
    """Lowest eigenvalues of -1/2 D2 + diag(V) with the three-point Laplacian."""
    diag = inv_h2 + V
    off = np.full(V.size - 1, -0.5 * inv_h2)
    return eigh_tridiagonal(diag, off, eigvals_only=True, select="i",
                            select_range=(0, n_levels - 1))


def box_eigensolve(n_grid: int, n_levels: int, L: float = 1.0) -> np.ndarray:
    """Lowest box levels from a finite-difference eigensolve with ``n_grid`` interior points.

    The grid spacing is h = L / (n_grid + 1); psi vanishes at the walls.

    Derived in Part III, "The spectra".

    Parameters
    ----------
    n_grid : int
        Number of interior grid points, >= ``n_levels``.
    n_levels : int
        Number of levels wanted, >= 1.
    L : float, default 1.0
        Box width, > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels,)
        The lowest eigenvalues of the discretised Hamiltonian (energy units, hbar = m = 1).
    """
    n_grid = _count("n_grid", n_grid)
    n_levels = _count("n_levels", n_levels)
    if n_levels > n_grid:
        raise ValueError(f"n_levels={n_levels} exceeds n_grid={n_grid}")
    L = positive_scalar("L", L)
    inv_h2 = _inverse_h2(np.float64(L) / (n_grid + 1), "L")
    return _tridiagonal_levels(np.zeros(n_grid), inv_h2, n_levels)


def box_fd_levels_exact(n_grid: int, n_levels: int, L: float = 1.0) -> np.ndarray:
    """Closed form of the discrete box eigenvalues: (2/h^2) sin^2(n pi h / (2L)).

    The three-point Laplacian's eigenvectors are exactly sin(n pi x / L) on the
    grid, so :func:`box_eigensolve` can be checked to rounding error, and the
    expansion (2/h^2) sin^2(k h/2) = k^2/2 - k^4 h^2/24 + ... shows the O(h^2) error.

    Derived in Part III, "The spectra".

    Parameters
    ----------
    n_grid : int
        Number of interior grid points, >= 1.
    n_levels : int
        Number of levels, >= 1.
    L : float, default 1.0
        Box width, > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels,)
        The exact eigenvalues of the discrete problem (energy units).
    """
    n_grid = _count("n_grid", n_grid)
    n_levels = _count("n_levels", n_levels)
    L = positive_scalar("L", L)
    h = np.float64(L) / (n_grid + 1)
    n = np.arange(1, n_levels + 1, dtype=np.float64)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return _representable(2.0 / (h * h) * np.sin(n * np.pi * h / (2.0 * L)) ** 2, "L")


def oscillator_eigensolve(n_grid: int, n_levels: int, omega: float = 1.0,
                          x_max: float = 10.0) -> np.ndarray:
    """Lowest oscillator levels from a finite-difference eigensolve on [-x_max, x_max].

    Derived in Part III, "The spectra".

    Parameters
    ----------
    n_grid : int
        Number of interior grid points, >= ``n_levels``.
    n_levels : int
        Number of levels wanted, >= 1.
    omega : float, default 1.0
        Angular frequency, > 0.
    x_max : float, default 10.0
        Half-width of the grid (psi is set to 0 beyond it), > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_levels,)
        The lowest eigenvalues (energy units, hbar = m = 1).
    """
    n_grid = _count("n_grid", n_grid)
    n_levels = _count("n_levels", n_levels)
    if n_levels > n_grid:
        raise ValueError(f"n_levels={n_levels} exceeds n_grid={n_grid}")
    omega = positive_scalar("omega", omega)
    x_max = positive_scalar("x_max", x_max)
    if x_max > 1e150:
        raise OverflowError(f"x_max={x_max} is too large for a grid (x_max**2 must be finite)")
    x, h = np.linspace(-x_max, x_max, n_grid + 2, retstep=True)
    x = x[1:-1]
    with np.errstate(over="ignore", invalid="ignore"):
        V = _representable(0.5 * np.float64(omega) ** 2 * x * x, "omega and x_max")
    return _tridiagonal_levels(V, _inverse_h2(h, "x_max"), n_levels)


def box_density(x, n: int, L: float = 1.0) -> np.ndarray:
    """``|psi_n(x)|^2 = (2/L) sin^2(n pi x / L)`` on [0, L]; zero outside.

    Used in Part III, "The temperature dial and the measurement".

    Parameters
    ----------
    x : array_like of float
        Positions (any shape, may be empty).
    n : int
        Quantum number, >= 1.
    L : float, default 1.0
        Box width, > 0.

    Returns
    -------
    numpy.ndarray of float
        The probability density (per unit length), same shape as ``x``.
    """
    n = _count("n", n)
    L = positive_scalar("L", L)
    x = real_array("x", x, min_size=0)
    inside = (x >= 0) & (x <= L)
    return finite_result("x, L", lambda: np.where(inside, 2.0 / L * np.sin(n * np.pi * x / L) ** 2,
                                                  0.0))


def box_bin_probabilities(n: int, n_bins: int, L: float = 1.0) -> np.ndarray:
    r"""Exact probability of each of ``n_bins`` equal bins of [0, L] under ``|psi_n|^2``.

    Uses the antiderivative :math:`\int_0^x |\psi_n|^2 = x/L - \sin(2n\pi x/L)/(2n\pi)`.

    Used in Part III, "The temperature dial and the measurement".

    Parameters
    ----------
    n : int
        Quantum number, >= 1.
    n_bins : int
        Number of equal bins, >= 1.
    L : float, default 1.0
        Box width, > 0.

    Returns
    -------
    numpy.ndarray of float, shape (n_bins,)
        Bin probabilities, summing to 1.

    Examples
    --------
    >>> from umlib.core.spectra import box_bin_probabilities
    >>> [round(p, 6) for p in box_bin_probabilities(1, 2).tolist()]
    [0.5, 0.5]
    """
    n = _count("n", n)
    n_bins = _count("n_bins", n_bins)
    L = positive_scalar("L", L)
    edges = np.linspace(0.0, L, n_bins + 1)
    cdf = edges / L - np.sin(2.0 * n * np.pi * edges / L) / (2.0 * n * np.pi)
    cdf[0], cdf[-1] = 0.0, 1.0
    return np.diff(cdf)


def convergence_order(h, err) -> tuple[float, float]:
    """Least-squares slope of ``log|err|`` against log h, and its standard error.

    For a method with error C h^p the slope estimates p.

    Used in Part III, "The spectra".

    Parameters
    ----------
    h : array_like of float, shape (n,)
        Grid spacings, > 0, n >= 3, at least two distinct.
    err : array_like of float, shape (n,)
        Errors at those spacings, none exactly zero.

    Returns
    -------
    order : float
        The fitted slope p (dimensionless).
    stderr : float
        Its standard error.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.spectra import convergence_order
    >>> h = np.array([0.1, 0.05, 0.025])
    >>> p, se = convergence_order(h, 3.0 * h**2)
    >>> round(p, 12)
    2.0
    """
    h = real_array("h", h, min_size=3)
    err = real_array("err", err, min_size=3)
    if h.shape != err.shape or h.ndim != 1:
        raise ValueError(f"h and err must be 1-D of equal length, got {h.shape} and {err.shape}")
    if (h <= 0).any():
        raise ValueError("h must be > 0")
    if (err == 0).any():
        raise ValueError("err has exact zeros: the order is undefined there")
    X = np.log(h)
    if np.ptp(X) == 0:
        raise ValueError("h must contain at least two distinct values")
    Y = np.log(np.abs(err))
    A = np.vstack([X, np.ones_like(X)]).T
    coef, res, *_ = np.linalg.lstsq(A, Y, rcond=None)
    n = X.size
    resid = Y - A @ coef
    s2 = float(resid @ resid) / (n - 2)     # n >= 3 is checked above
    se = float(np.sqrt(s2 / np.sum((X - X.mean()) ** 2)))
    return float(coef[0]), se
