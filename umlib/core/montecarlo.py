r"""Monte Carlo statistics: autocorrelation times, jackknife error bars and Binder's cumulant.

A correlated chain of n samples holds fewer than n independent ones; this module says
how many, and puts error bars on any statistic of the chain.

* :func:`autocorrelation_time` — the integrated autocorrelation time with Sokal's
  self-consistent window;
* :func:`jackknife` — the block jackknife estimate and standard error of any statistic;
* :func:`binder` — the Binder cumulant :math:`U_4 = 1 - \langle M^4\rangle / 3\langle
  M^2\rangle^2`.

Used by the Ising samplers of Part IV ("The Ising model, exactly", part4/03-ising-model;
"Coarse-graining and the critical point", part4/06-coarse-graining).
"""

from __future__ import annotations


import numpy as np

from .validate import check_axis, count, positive_scalar, real_array

__all__ = ["autocorrelation_time", "jackknife", "binder"]


def autocorrelation_time(x, c: float = 5.0) -> float:
    """Integrated autocorrelation time of a 1-D chain, with Sokal's automatic window.

    τ_int = ½ + Σ_{t≥1} ρ(t), summed up to the first window W with W ≥ c τ_int(W).
    The variance of the chain's mean is then about 2 τ_int σ²/n.

    Used in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    x : array_like of float, shape (n,)
        The chain (n >= 4), in any unit.
    c : float, default 5.0
        Window factor of Sokal's rule, > 0.

    Returns
    -------
    float
        τ_int in steps of the chain, at least 0.5 (0.5 for a constant or uncorrelated
        chain).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.montecarlo import autocorrelation_time
    >>> round(autocorrelation_time(np.random.default_rng(0).normal(size=20000)), 1)
    0.5
    """
    x = real_array("x", x, min_size=4)
    if x.ndim != 1:
        raise ValueError("x must be one-dimensional")
    c = positive_scalar("c", c)
    y = x - x.mean()
    var = float(y @ y)
    if var == 0:
        return 0.5
    n = y.size
    f = np.fft.rfft(y, 2 * n)
    acf = np.fft.irfft(f * np.conj(f))[:n] / var
    tau = 0.5
    for W in range(1, n):
        tau += acf[W]
        if W >= c * tau:
            break
    return float(max(tau, 0.5))


def jackknife(stat, data, n_blocks: int = 20):
    """Block-jackknife estimate and standard error of ``stat(*data)``.

    The series is cut into ``n_blocks`` consecutive blocks (blocks longer than the
    autocorrelation time make them nearly independent) and ``stat`` is evaluated with
    each block left out in turn.

    Used in Part IV, "The Ising model, exactly", "Ising dynamics on social graphs" and
    "Coarse-graining and the critical point".

    Parameters
    ----------
    stat : callable
        ``stat(*arrays)`` returns a number or an array (any unit).
    data : array_like or sequence of array_like
        One array, or several sharing their first (time) axis.
    n_blocks : int, default 20
        Number of blocks, >= 2 and at most the series length.

    Returns
    -------
    value : float or numpy.ndarray
        ``stat`` on all the data.
    stderr : float or numpy.ndarray
        Its jackknife standard error, same unit and shape.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.montecarlo import jackknife
    >>> x = np.random.default_rng(1).normal(size=4000)
    >>> v, se = jackknife(np.mean, [x], n_blocks=40)
    >>> bool(abs(se - 1 / np.sqrt(4000)) < 0.004)
    True
    """
    if not callable(stat):
        raise TypeError(f"stat must be a callable, got {type(stat).__name__}")
    if isinstance(data, np.ndarray) or (isinstance(data, (list, tuple)) and data
                                        and np.ndim(data[0]) == 0):
        data = [data]
    if not isinstance(data, (list, tuple)) or not data:
        raise TypeError("data must be an array or a non-empty sequence of arrays, got "
                        f"{type(data).__name__}")
    data = [real_array("data", d) for d in data]
    if any(d.ndim == 0 for d in data):
        raise ValueError("data arrays must have a first (time) axis, got a 0-d array")
    n = data[0].shape[0]
    if any(d.shape[0] != n for d in data):
        raise ValueError("data arrays must share their first axis")
    nb = count("n_blocks", n_blocks, minimum=2)
    if n < nb:
        raise ValueError(f"n_blocks = {nb} exceeds the series length {n} of data")
    edges = np.linspace(0, n, nb + 1).astype(int)

    def value(arrays):
        try:
            out = np.asarray(stat(*arrays), dtype=np.float64)
        except Exception as exc:  # the caller's function: say which argument failed
            raise ValueError(f"stat failed on the data ({type(exc).__name__}: {exc})") from exc
        if not np.isfinite(out).all():
            raise ValueError("stat returned NaN or inf")
        return out

    full = value(data)
    reps = []
    for b in range(nb):
        keep = np.r_[0:edges[b], edges[b + 1]:n]
        reps.append(value([d[keep] for d in data]))
    reps = np.array(reps)
    se = np.sqrt((nb - 1) / nb * ((reps - reps.mean(axis=0)) ** 2).sum(axis=0))
    if full.ndim == 0:
        return float(full), float(se)
    return full, se


def binder(M, axis: int = 0):
    """Binder cumulant U = 1 - <m^4> / (3 <m^2>^2) of magnetisation samples.

    Used in Part IV, "The Ising model, exactly" and "Coarse-graining and the critical
    point".

    Parameters
    ----------
    M : array_like of float
        Magnetisation samples (any scale: U is scale-free), not all zero.
    axis : int, default 0
        The axis that indexes samples.

    Returns
    -------
    float or numpy.ndarray
        U (dimensionless): 2/3 deep in an ordered phase, 0 for Gaussian noise; one value
        per remaining index when ``M`` has more than one axis.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.montecarlo import binder
    >>> round(float(binder(np.array([1.0, -1.0, 1.0]))), 12)   # ordered: 2/3
    0.666666666667
    """
    M = real_array("M", M)
    if M.ndim == 0:
        raise ValueError("M must be an array of magnetisation samples, got a scalar")
    axis = check_axis("axis", axis, M.ndim)
    big = np.max(np.abs(M), axis=axis, keepdims=True)
    if np.any(big > 1e75) or np.any((big > 0) & (big < 1e-75)):
        # U is scale-free: rescale each sample set by a power of two (exact) so that M**4
        # neither overflows nor underflows
        _, e = np.frexp(np.where(big > 0, big, 1.0))
        M = np.ldexp(M, -e)
    m2 = np.mean(M ** 2, axis=axis)
    if np.any(m2 == 0):
        raise ValueError("M is identically zero: the Binder cumulant is undefined")
    return 1.0 - np.mean(M ** 4, axis=axis) / (3.0 * m2 ** 2)
