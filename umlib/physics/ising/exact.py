r"""Exact Ising references, each a test oracle for the next.

* :func:`enumerate_energy_magnetization` — all :math:`2^N` states (N <= ``MAX_ENUM``),
  turned into averages by :func:`exact_observables` through the one Z of
  :mod:`umlib.core.thermo`;
* :func:`chain_log_z`, :func:`chain_magnetization` — the 1-D ring with a field
  (2x2 transfer matrix);
* :func:`strip_log_z` — an L x M torus by a :math:`2^L` row transfer matrix;
* :func:`onsager_Tc`, :func:`onsager_free_energy`, :func:`onsager_energy`,
  :func:`yang_magnetization` — the infinite square lattice.

Kaufman's finite torus is in :mod:`umlib.physics.ising.kaufman`.  Derived in "The Ising
model, exactly" (part4/03-ising-model); the chain and Yang's curve open Part IV ("What
the essay promises", part4/01-opening).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from ...core import thermo
from ...core.validate import (count, finite_result, positive_scalar, real_array, real_scalar,
                               record_fields)
from ._common import _beta, _field, _finite_log
from .graphs import Graph

__all__ = [
    "MAX_ENUM",
    "enumerate_states",
    "enumerate_energy_magnetization",
    "ExactObservables",
    "exact_observables",
    "chain_log_z",
    "chain_magnetization",
    "strip_log_z",
    "onsager_Tc",
    "onsager_free_energy",
    "onsager_energy",
    "yang_magnetization",
]


MAX_ENUM = 24


def enumerate_states(n: int) -> np.ndarray:
    """All 2**n configurations as a (2**n, n) int8 array of ±1 (state k's spin i is bit i of k).

    Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    n : int
        Number of spins, 1 <= n <= 20.

    Returns
    -------
    numpy.ndarray, shape (2**n, n), dtype int8
        Row k is the configuration whose spin i is +1 where bit i of k is set.

    Examples
    --------
    >>> from umlib.physics.ising import enumerate_states
    >>> enumerate_states(2).tolist()
    [[-1, -1], [1, -1], [-1, 1], [1, 1]]
    """
    n = count("n", n, minimum=1)
    if n > 20:
        raise ValueError(f"n = {n} states would not fit in memory; use "
                         "enumerate_energy_magnetization (chunked) for n <= 24")
    k = np.arange(2 ** n, dtype=np.int64)[:, None]
    return (2 * ((k >> np.arange(n)) & 1) - 1).astype(np.int8)


def enumerate_energy_magnetization(graph: Graph, h=0.0) -> tuple[np.ndarray, np.ndarray]:
    """Energy and total magnetisation of every one of the 2**N states (chunked, N <= 24).

    :math:`E(s) = -\\sum_{(i,j)} J_{ij} s_i s_j - \\sum_i h_i s_i` over the graph's edges.
    Derived in Part IV, "The Ising model, exactly" (and used in "What the essay promises").

    Parameters
    ----------
    graph : Graph
        The lattice or graph, at most ``MAX_ENUM`` sites.
    h : float or array_like, default 0.0
        Field, a scalar or one value per site.

    Returns
    -------
    E : numpy.ndarray, shape (2**N,)
        Energies, state k ordered as in :func:`enumerate_states`.
    M : numpy.ndarray, shape (2**N,), dtype int64
        Total magnetisations.

    Examples
    --------
    >>> from umlib.physics.ising import enumerate_energy_magnetization, square_lattice
    >>> E, M = enumerate_energy_magnetization(square_lattice(2, 3))
    >>> E.size, float(E.min()), int(M[E.argmin()])
    (64, -12.0, -6)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.physics.ising.Graph")
    n = graph.n
    if n > MAX_ENUM:
        raise ValueError(f"graph has {n} sites; enumeration is limited to {MAX_ENUM}")
    hv = _field(h, n)
    E = np.empty(2 ** n)
    M = np.empty(2 ** n, dtype=np.int64)
    chunk = 2 ** min(n, 16)
    bits = np.arange(n)
    with np.errstate(over="ignore", invalid="ignore"):    # refused below
        for start in range(0, 2 ** n, chunk):
            k = np.arange(start, start + chunk, dtype=np.int64)[:, None]
            s = (2 * ((k >> bits) & 1) - 1).astype(np.float64)
            E[start:start + chunk] = (-(s[:, graph.edges[:, 0]] * s[:, graph.edges[:, 1]])
                                      @ graph.J - s @ hv)
            M[start:start + chunk] = s.sum(axis=1).astype(np.int64)
    if not np.isfinite(E).all():
        raise OverflowError("the energies leave the float range for this h (and the graph's J)")
    return E, M


@dataclass(frozen=True)
class ExactObservables:
    """Exact canonical averages at one temperature (per-spin quantities).

    Returned by :func:`exact_observables`; Part IV, "The Ising model, exactly".

    Parameters
    ----------
    T : float
        Temperature (k_B = 1).
    n : int
        Number of spins N.
    log_Z, e, c, abs_m, m2, m4, chi, binder : float
        ``ln Z``, ``<E>/N``, ``Var(E)/(N T^2)``, ``<|M|>/N``, ``<M^2>/N^2``,
        ``<M^4>/N^4``, ``N (<m^2> - <|m|>^2)/T`` and ``1 - <m^4>/(3 <m^2>^2)``.

    Returns
    -------
    ExactObservables
        A frozen record (a dataclass; the fields are its attributes).
    """

    def __post_init__(self) -> None:
        record_fields(self)

    T: float
    n: int
    log_Z: float
    e: float          # <E>/N
    c: float          # (<E^2> - <E>^2) / (N T^2)
    abs_m: float      # <|M|>/N
    m2: float         # <M^2>/N^2
    m4: float         # <M^4>/N^4
    chi: float        # N (<m^2> - <|m|>^2) / T
    binder: float     # 1 - <m^4> / (3 <m^2>^2)


def exact_observables(E, M, n: int, T: float) -> ExactObservables:
    """Canonical averages from the enumerated (E, M) of all states.

    Every thermal quantity goes through :mod:`umlib.core.thermo`: the Boltzmann weights
    are ``thermo.gibbs(E, T)``, ln Z is ``thermo.log_z(E, T)``, <E> is
    ``thermo.mean_energy(E, T)`` and the heat capacity is
    ``thermo.heat_capacity(E, T) / n`` (:math:`C = \\mathrm{Var}(E)/T^2`, per spin),
    all formed from shifted energies, so nothing overflows at any representable T.

    Derived in Part IV, "The Ising model, exactly" (and used in "What the essay promises").

    Parameters
    ----------
    E : array_like, shape (K,)
        Energies of all K states (finite).
    M : array_like, shape (K,)
        Total magnetisations of the same states.
    n : int
        Number of spins N (the per-spin divisor).
    T : float
        Temperature, > 0 and large enough that 1/T is finite.

    Returns
    -------
    ExactObservables
        The per-spin averages at ``T``.

    Raises
    ------
    OverflowError
        Naming ``T`` when T is so small that 1/T or ln Z overflows float64.
    ValueError
        If ``E`` and ``M`` are not 1-D arrays of equal length (or invalid otherwise).

    Examples
    --------
    >>> from umlib.physics.ising import enumerate_energy_magnetization, exact_observables, square_lattice
    >>> g = square_lattice(4)
    >>> E, M = enumerate_energy_magnetization(g)
    >>> round(exact_observables(E, M, 16, 1e-3).abs_m, 12)
    1.0
    """
    E = real_array("E", E)
    M = real_array("M", M)
    n = count("n", n, minimum=1)
    T, _ = _beta(T)
    if E.shape != M.shape or E.ndim != 1:
        raise ValueError("E and M must be 1-D arrays of equal length")
    try:
        log_Z = _finite_log(thermo.log_z(E, T), "ln Z")
    except OverflowError as err:
        raise OverflowError(f"T = {T!r} is too small: ln Z overflows float64 ({err})") from None
    p = thermo.gibbs(E, T)                       # an excited state far above E0: weight 0
    e1 = thermo.mean_energy(E, T)
    c = thermo.heat_capacity(E, T) / n           # Var(E)/T^2 from the reduced energies
    if not math.isfinite(c):
        raise OverflowError(f"T = {T!r} is too small: the heat capacity overflows float64")
    m = M / n
    am, m2, m4 = float(p @ np.abs(m)), float(p @ m ** 2), float(p @ m ** 4)
    return ExactObservables(T=T, n=n, log_Z=log_Z, e=e1 / n, c=c,
                            abs_m=am, m2=m2, m4=m4, chi=n * (m2 - am * am) / T,
                            binder=1.0 - m4 / (3.0 * m2 * m2))


def _signed_logsumexp(logs: np.ndarray, signs: np.ndarray) -> float:
    logs = np.asarray(logs, dtype=np.float64)
    finite = np.isfinite(logs)
    if not finite.any():
        raise ValueError("all terms are zero")
    top = logs[finite].max()
    total = float(np.sum(signs[finite] * np.exp(logs[finite] - top)))
    if not total > 0:
        raise ValueError("the signed sum is not positive (cancellation beyond float64)")
    return top + math.log(total)


def chain_log_z(N: int, T: float, J: float = 1.0, h: float = 0.0) -> float:
    r"""ln Z of the periodic Ising ring of N spins: Z = λ₊^N + λ₋^N (2x2 transfer matrix).

    .. math:: λ_± = e^{βJ}\cosh βh ± \sqrt{e^{2βJ}\sinh^2 βh + e^{-2βJ}}

    Derived in Part IV, "What the essay promises" (checked against the enumeration in
    "The Ising model, exactly").

    Parameters
    ----------
    N : int
        Number of spins on the ring (>= 1).
    T : float
        Temperature, > 0.
    J, h : float
        Coupling and field.

    Returns
    -------
    float
        ln Z.

    Raises
    ------
    OverflowError
        Naming ``T`` when J/T, h/T or ln Z overflow float64.

    Examples
    --------
    >>> import math
    >>> from umlib.physics.ising import chain_log_z
    >>> round(chain_log_z(2, 1.0, J=0.0), 12) == round(2 * math.log(2), 12)
    True
    """
    N = count("N", N, minimum=1)
    T, b = _beta(T)
    J, h = real_scalar("J", J), real_scalar("h", h)
    # eigenvalues of [[e^{b(J+h)}, e^{-bJ}], [e^{-bJ}, e^{b(J-h)}]] in log form
    a = b * J + math.log(math.cosh(b * h)) if abs(b * h) < 700 else b * J + abs(b * h) - math.log(2)
    # sqrt(e^{2bJ} sinh^2 bh + e^{-2bJ}) = e^{bJ} cosh(bh) * r, r in [0, 1]
    if not (math.isfinite(a) and math.isfinite(4 * b * J)):
        raise OverflowError(f"T = {T!r} is too small: J/T or h/T overflows float64")
    lr = 0.5 * np.logaddexp(2 * b * J + 2 * _logsinh_abs(b * h), -2 * b * J) - a
    if lr > 700.0:
        return _chain_log_z_far(N, a, lr)
    r = math.exp(lr)
    lp = a + math.log1p(r)
    if r == 1.0:
        return _finite_log(N * lp, "ln Z")
    lm_abs = a + (math.log1p(-r) if r < 1.0 else math.log(r - 1.0))
    sign = -1.0 if (r > 1.0 and N % 2 == 1) else 1.0
    _finite_log(N * lp, "ln Z")
    try:
        return _signed_logsumexp(np.array([N * lp, N * lm_abs]), np.array([1.0, sign]))
    except ValueError:        # λ+^N - |λ-|^N cancels beyond float64: the stable form
        return _chain_log_z_far(N, a, lr)


def _chain_log_z_far(N: int, a: float, lr: float) -> float:
    """ln(λ+^N + λ-^N) for r = e^lr > 1 (an antiferromagnet at low T), without cancellation.

    With x = e^-lr, λ± = e^(a + lr) (±1 + x) up to sign, so
    ln Z = N (a + lr) + N ln(1 + x) + ln(1 ± q^N), q = (1 - x)/(1 + x), the minus sign for
    odd N (λ- < 0).  1 - q^N = -expm1(N log1p(-2x/(1+x))) keeps every digit; when it
    underflows (N x < 1e-8) it is 2 N x to double precision.
    """
    x = math.exp(-lr)
    base = N * (a + lr) + N * math.log1p(x)
    lq = N * math.log1p(-2.0 * x / (1.0 + x))
    if N % 2 == 0:
        out = base + math.log1p(math.exp(lq))
    elif N * x < 1e-8:
        out = N * (a + lr) + math.log(2.0 * N) - lr
    else:
        out = base + math.log(-math.expm1(lq))
    return _finite_log(out, "ln Z")


def _logsinh_abs(x: float) -> float:
    x = abs(x)
    if x == 0:
        return -math.inf
    return x + math.log(-math.expm1(-2 * x)) - math.log(2)


def chain_magnetization(T: float, J: float = 1.0, h: float = 0.0) -> float:
    r"""Magnetisation per spin of the infinite ring: sinh βh / sqrt(sinh² βh + e^{-4βJ}).

    Derived in Part IV, "What the essay promises".

    Parameters
    ----------
    T : float
        Temperature, > 0.
    J, h : float
        Coupling and field.

    Returns
    -------
    float
        The magnetisation per spin, in [-1, 1], with the sign of ``h``.

    Examples
    --------
    >>> from umlib.physics.ising import chain_magnetization
    >>> chain_magnetization(1.0, h=0.0)
    0.0
    """
    T, b = _beta(T)
    J, h = real_scalar("J", J), real_scalar("h", h)
    x, y = b * h, -4 * b * J
    if not (math.isfinite(x) and math.isfinite(y)):
        raise OverflowError(f"T = {T!r} is too small: J/T or h/T overflows float64")
    if x == 0:
        return x                      # sinh(±0) / (positive): ±0
    if abs(x) < 300 and y < 600:
        sh = math.sinh(x)
        den = math.sqrt(sh * sh + math.exp(y))
        if den > 0:
            return sh / den
    # far from the unit scale (or both terms underflow): m = sign(h) / sqrt(1 + e^t),
    # t = -4βJ - 2 ln|sinh βh|
    t = y - 2 * _logsinh_abs(x)
    mag = math.exp(-0.5 * t) if t > 600 else 1.0 / math.sqrt(1.0 + math.exp(t))
    return math.copysign(mag, x)


def strip_log_z(L: int, M: int, T: float, J: float = 1.0, h: float = 0.0) -> float:
    """ln Z of the L x M periodic square lattice from the 2**L row-to-row transfer matrix.

    Z = Tr V**M = Σ_k λ_k**M with the symmetric V(σ, σ') = exp(β[E_row(σ)/2 + E_row(σ')/2
    + J σ·σ']), E_row(σ) = J Σ_c σ_c σ_{c+1} + h Σ_c σ_c.  L <= 12.

    Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    L : int
        Row length, 1 <= L <= 12 (the matrix is 2**L x 2**L).
    M : int
        Number of rows (>= 1).
    T : float
        Temperature, > 0.
    J, h : float
        Coupling and field.

    Returns
    -------
    float
        ln Z of the torus.

    Examples
    --------
    >>> from umlib.physics.ising import strip_log_z
    >>> import math
    >>> bool(abs(strip_log_z(3, 1, 1.0, J=0.0) - 3 * math.log(2)) < 1e-12)
    True
    """
    L = count("L", L, minimum=1)
    M = count("M", M, minimum=1)
    if L > 12:
        raise ValueError(f"L = {L}: the 2**L transfer matrix is limited to L <= 12")
    T, b = _beta(T)
    J, h = real_scalar("J", J), real_scalar("h", h)
    rows = enumerate_states(L).astype(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e_row = J * (rows * np.roll(rows, -1, axis=1)).sum(axis=1) if L > 1 else \
            np.zeros(len(rows))
        e_row = e_row + h * rows.sum(axis=1)
        A = b * (0.5 * e_row[:, None] + 0.5 * e_row[None, :] + J * rows @ rows.T)
    if not np.isfinite(A).all():
        raise OverflowError(f"T = {T!r} is too small: (J, h)/T overflows float64")
    top = A.max()
    _finite_log(M * float(top), "ln Z")
    lam = np.linalg.eigvalsh(np.exp(A - top))
    nz = lam != 0
    logs = M * np.log(np.abs(lam[nz]))
    signs = np.where((lam[nz] < 0) & (M % 2 == 1), -1.0, 1.0)
    return M * top + _signed_logsumexp(logs, signs)


def onsager_Tc(J: float = 1.0) -> float:
    """Onsager's critical temperature 2J / ln(1 + √2) ≈ 2.269 J.

    Derived in Part IV, "The Ising model, exactly" (quoted in "What the essay promises").

    Parameters
    ----------
    J : float, default 1.0
        Coupling, > 0.

    Returns
    -------
    float
        T_c.

    Examples
    --------
    >>> from umlib.physics.ising import onsager_Tc
    >>> round(onsager_Tc(), 6)
    2.269185
    """
    J = positive_scalar("J", J)
    return finite_result("J", lambda: 2.0 * J / math.log1p(math.sqrt(2.0)))


def onsager_free_energy(T: float, J: float = 1.0) -> float:
    r"""Free energy per spin f(T) of the infinite square lattice (Onsager 1944):

    .. math::

        -βf = \ln(2\cosh 2K) + \frac1π \int_0^{π/2} \ln\Big[\tfrac12
        \big(1 + \sqrt{1 - κ^2\sin^2φ}\big)\Big] dφ, \qquad κ = \frac{2\sinh 2K}{\cosh^2 2K}.

    Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    T : float
        Temperature, > 0.
    J : float, default 1.0
        Coupling, > 0 (K = J/T).

    Returns
    -------
    float
        f per spin.

    Examples
    --------
    >>> from umlib.physics.ising import onsager_free_energy
    >>> round(onsager_free_energy(1e-3), 6)   # ground state: -2J per spin
    -2.0
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    K = J / T
    kappa = 2 * math.sinh(2 * K) / math.cosh(2 * K) ** 2 if K < 300 else 0.0
    val, _ = integrate.quad(lambda p: math.log(0.5 * (1 + math.sqrt(max(0.0, 1 - (kappa * math.sin(p)) ** 2)))),
                            0, math.pi / 2, epsabs=1e-14, epsrel=1e-13, limit=200)
    if not math.isfinite(K):          # J/T beyond the float range: the ground state
        return finite_result("J", lambda: -2.0 * J)
    l2c = 2 * K + math.log1p(math.exp(-4 * K))
    return finite_result("T, J", lambda: -T * (l2c + val / math.pi))


def onsager_energy(T: float, J: float = 1.0) -> float:
    r"""Energy per spin of the infinite square lattice:

    .. math:: u = -J\coth 2K\,\Big[1 + \frac2π (2\tanh^2 2K - 1) K_1(κ)\Big],

    with K_1 the complete elliptic integral of the first kind (modulus κ), evaluated
    through ``ellipkm1`` using 1 - κ² = ((1 - sinh² 2K)/cosh² 2K)².

    Derived in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    T : float
        Temperature, > 0.
    J : float, default 1.0
        Coupling, > 0 (K = J/T).

    Returns
    -------
    float
        u per spin.

    Notes
    -----
    For J/T < 0.02 (T > 50 J) the closed form loses digits to cancellation (it gave
    -1.1e-8 instead of -2e-8 at J/T = 1e-8), so the high-temperature series in
    tanh(J/T) is used there; at J/T > 300 u is -2J to double precision.

    Examples
    --------
    >>> from umlib.physics.ising import onsager_energy, onsager_Tc
    >>> round(onsager_energy(onsager_Tc()), 6)    # -√2 at T_c
    -1.414214
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    K = J / T
    if K > 300:
        return finite_result("J", lambda: -2.0 * J)
    if K == 0.0:                      # J/T below the float range: u = -2J tanh K -> 0
        return 0.0
    if K < 0.02:
        # high temperature: the closed form cancels (1 + (2/π)(2 tanh² 2K - 1) K1 -> 0,
        # relative error ~ 1e-16 / K²); the high-temperature series of ln Z/N in
        # u = tanh K (ln 2 + 2 ln cosh K + u⁴ + 2u⁶ + 9/2 u⁸ + 12 u¹⁰ + ...) is exact
        # to double precision here (its next term is ~ 1e-15 of the sum at K = 0.02)
        u = math.tanh(K)
        return -J * (2 * u + (4 * u ** 3 + 12 * u ** 5 + 36 * u ** 7 + 120 * u ** 9)
                     * (1 - u * u))
    t = math.tanh(2 * K)
    k1m = ((1 - math.sinh(2 * K) ** 2) / math.cosh(2 * K) ** 2) ** 2
    factor = 2 * t * t - 1
    term = 0.0 if factor == 0 or k1m == 0 else factor * float(special.ellipkm1(k1m))
    return -J / t * (1 + 2 / math.pi * term)


def yang_magnetization(T: float, J: float = 1.0) -> float:
    """Spontaneous magnetisation per spin (Yang 1952): (1 - sinh(2J/T)^-4)^(1/8) below T_c, else 0.

    Derived in Part IV, "What the essay promises" (and "The Ising model, exactly").

    Parameters
    ----------
    T : float
        Temperature, > 0.
    J : float, default 1.0
        Coupling, > 0.

    Returns
    -------
    float
        The spontaneous magnetisation per spin, in [0, 1].

    Examples
    --------
    >>> from umlib.physics.ising import yang_magnetization
    >>> yang_magnetization(3.0), round(yang_magnetization(1.0), 6)
    (0.0, 0.999276)
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    s = math.sinh(2 * J / T) if 2 * J / T < 700 else math.inf
    if s <= 1.0:
        return 0.0
    return (1.0 - s ** -4) ** 0.125
