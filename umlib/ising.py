r"""The Ising model: energy, exact references, samplers and observables.

Where each piece is derived (Part IV):

* "What the essay promises" (part4/01-opening): :func:`chain_magnetization`,
  :func:`yang_magnetization`, the specific heat :func:`torus_heat_capacity` and its
  peak :func:`torus_heat_capacity_peak`;
* "The Ising model, exactly" (part4/03-ising-model): :func:`energy`,
  :func:`lattice_energy`, the enumeration, the transfer matrices, Kaufman (with
  :func:`torus_energy` and :func:`torus_heat_capacity`), Onsager, Yang,
  :func:`metropolis`, :func:`swendsen_wang`, :func:`estimates`, :class:`IsingDial`;
* "Ising dynamics on social graphs" (part4/04-social-network): :func:`random_graph`,
  :func:`block_graph`, :func:`metropolis_graph`, :func:`graph_coloring`,
  :func:`unsatisfied_bonds`;
* "Coarse-graining and the critical point" (part4/06-coarse-graining):
  :func:`binder_run`, :func:`binder_crossing_error`, :func:`second_moment_xi`,
  :func:`block_spins`, :func:`field_sweep`.

The model
---------
Spins :math:`s_i \in \{-1, +1\}` on the vertices of a graph with edges
:math:`\langle i, j\rangle`, couplings :math:`J_{ij}` and fields :math:`h_i`:

.. math::

    E(\mathbf s) = -\sum_{\langle i,j\rangle} J_{ij}\, s_i s_j - \sum_i h_i s_i ,
    \qquad p(\mathbf s) = e^{-E(\mathbf s)/T} / Z .

Units: :math:`k_B = 1`, temperatures in units of :math:`J`.

Exact references (each a test oracle for the next)
--------------------------------------------------
* :func:`enumerate_energy_magnetization` — all :math:`2^N` states (N <= 24);
* :func:`chain_log_partition` — the 1-D ring with a field, 2x2 transfer matrix;
* :func:`strip_log_partition` — an L x M torus by a :math:`2^L` row transfer matrix;
* :func:`torus_log_partition` — Kaufman's closed form for the L x M torus at h = 0,
  evaluated in log space with signed sums; :func:`torus_energy` and
  :func:`torus_heat_capacity` — its first two derivatives in closed form;
* :func:`onsager_Tc`, :func:`onsager_free_energy`, :func:`onsager_energy`,
  :func:`yang_magnetization` — the infinite square lattice.

Samplers
--------
:func:`metropolis` (checkerboard, vectorised over replicas), :func:`swendsen_wang`
(cluster), :func:`metropolis_graph` (any sparse graph, by colour classes).  All take
``rng`` as an int seed or a Generator and record E, M and the k_min structure factor
per sweep in a :class:`Chain`.  Error bars: :func:`autocorrelation_time`,
:func:`jackknife` over blocks.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._checks import as_rng, check_axis, count, positive_scalar, real_array, real_scalar

__all__ = [
    "Graph", "square_lattice", "random_graph", "block_graph", "energy", "lattice_energy",
    "enumerate_states", "enumerate_energy_magnetization", "ExactObservables",
    "exact_observables", "chain_log_partition", "chain_magnetization", "strip_log_partition",
    "torus_log_partition", "torus_energy", "torus_heat_capacity", "torus_heat_capacity_peak",
    "onsager_Tc", "onsager_free_energy", "onsager_energy",
    "yang_magnetization", "random_spins", "Chain", "metropolis", "swendsen_wang",
    "metropolis_graph", "graph_coloring", "autocorrelation_time", "jackknife", "binder",
    "estimates", "binder_crossing", "BinderRun", "binder_run", "binder_crossing_error", "unsatisfied_bonds", "domain_walls",
    "second_moment_xi", "block_spins", "field_sweep", "lattice_svg", "IsingDial",
]

MAX_ENUM = 24


# ---------------------------------------------------------------------------
# graphs
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Graph:
    """N sites, an (n_edges, 2) int array of pairs and one coupling per edge."""

    n: int
    edges: np.ndarray
    J: np.ndarray

    def __post_init__(self) -> None:
        e = np.asarray(self.edges)
        if e.ndim != 2 or e.shape[1] != 2 or e.dtype.kind not in "iu":
            raise ValueError("edges must be an (n_edges, 2) integer array")
        if e.size and (e.min() < 0 or e.max() >= self.n):
            raise ValueError(f"edges refer to sites outside 0..{self.n - 1}")
        if e.size and np.any(e[:, 0] == e[:, 1]):
            raise ValueError("edges contain a self-loop")
        J = real_array("J", self.J, min_size=0)
        if J.shape != (e.shape[0],):
            raise ValueError(f"J must have one value per edge ({e.shape[0]}), got {J.shape}")

    @property
    def degree(self) -> np.ndarray:
        return np.bincount(self.edges.ravel(), minlength=self.n)


def _size(name: str, n, lo: int = 1) -> int:
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}")
    if n < lo:
        raise ValueError(f"{name} must be >= {lo}, got {n}")
    return int(n)


def _beta(T) -> tuple[float, float]:
    """Validate a temperature and return (T, 1/T); refuse a T so small that 1/T overflows."""
    T = positive_scalar("T", T)
    b = 1.0 / T
    if not math.isfinite(b):
        raise OverflowError(f"T = {T!r} is too small: 1/T overflows float64")
    return T, b


def _finite_log(value: float, what: str) -> float:
    """Return ``value`` if finite, else an OverflowError naming T (ln Z beyond float64)."""
    if not math.isfinite(value):
        raise OverflowError(f"{what} overflows float64 at this T (T too small for these couplings)")
    return value


def square_lattice(L: int, M: int | None = None, J: float = 1.0) -> Graph:
    """The L x M periodic square lattice (site ``r * M + c``), each bond once.

    For L or M equal to 2 the wrap-around bond doubles the direct one, as on any
    2-periodic torus.

    Examples
    --------
    >>> from umlib.ising import square_lattice
    >>> g = square_lattice(3)
    >>> g.n, g.edges.shape, set(g.degree.tolist())
    (9, (18, 2), {4})
    """
    L = _size("L", L, 2)
    M = L if M is None else _size("M", M, 2)
    idx = np.arange(L * M).reshape(L, M)
    right = np.stack([idx.ravel(), np.roll(idx, -1, axis=1).ravel()], axis=1)
    down = np.stack([idx.ravel(), np.roll(idx, -1, axis=0).ravel()], axis=1)
    edges = np.concatenate([right, down])
    return Graph(L * M, edges, np.full(len(edges), real_scalar("J", J)))


def random_graph(n: int, mean_degree: float, rng, J: float = 1.0) -> Graph:
    """An Erdős–Rényi graph G(n, p) with p = mean_degree / (n - 1).

    Examples
    --------
    >>> from umlib.ising import random_graph
    >>> g = random_graph(200, 4.0, rng=1)
    >>> bool(3.0 < g.degree.mean() < 5.0)
    True
    """
    n = _size("n", n, 2)
    c = positive_scalar("mean_degree", mean_degree)
    J = real_scalar("J", J)
    if c > n - 1:
        raise ValueError(f"mean_degree must be <= n - 1 = {n - 1}, got {c}")
    g = as_rng(rng)
    i, j = np.triu_indices(n, k=1)
    keep = g.random(i.size) < c / (n - 1)
    edges = np.stack([i[keep], j[keep]], axis=1).astype(np.int64)
    return Graph(n, edges, np.full(len(edges), J))


def block_graph(sizes, p_in: float, p_out: float, rng, J_in: float = 1.0,
                J_out: float = 1.0) -> tuple[Graph, np.ndarray]:
    """A stochastic block model: communities of the given sizes, edge probability
    ``p_in`` inside and ``p_out`` between; couplings ``J_in`` / ``J_out``.

    Returns the graph and each site's community label.

    Examples
    --------
    >>> from umlib.ising import block_graph
    >>> g, lab = block_graph([50, 50], 0.2, 0.01, rng=0, J_out=-1.0)
    >>> g.n, sorted(set(g.J.tolist()))
    (100, [-1.0, 1.0])
    """
    sizes = [_size("sizes[k]", s, 1) for s in sizes]
    for name, p in (("p_in", p_in), ("p_out", p_out)):
        if not 0.0 <= real_scalar(name, p, finite=False) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {p}")
    p_in, p_out = float(p_in), float(p_out)
    J_in, J_out = real_scalar("J_in", J_in), real_scalar("J_out", J_out)
    g = as_rng(rng)
    lab = np.repeat(np.arange(len(sizes)), sizes)
    n = lab.size
    i, j = np.triu_indices(n, k=1)
    same = lab[i] == lab[j]
    keep = g.random(i.size) < np.where(same, p_in, p_out)
    edges = np.stack([i[keep], j[keep]], axis=1).astype(np.int64)
    J = np.where(same[keep], J_in, J_out)
    return Graph(n, edges, J), lab


def _spins(name: str, s) -> np.ndarray:
    arr = np.asarray(s)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers +1/-1, got dtype {arr.dtype}")
    if arr.size == 0 or not np.all((arr == 1) | (arr == -1)):
        raise ValueError(f"{name} must contain only +1 and -1")
    return arr


def _field(h, n: int) -> np.ndarray:
    h = real_array("h", h)
    if h.ndim == 0:
        return np.full(n, float(h))
    if h.shape != (n,):
        raise ValueError(f"h must be a scalar or have one value per site ({n}), got {h.shape}")
    return h


def energy(s, graph: Graph, h=0.0) -> np.ndarray | float:
    r"""E(s) = -Σ_edges J_ij s_i s_j - Σ_i h_i s_i for spins s of shape (..., N).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import energy, square_lattice
    >>> g = square_lattice(3)
    >>> float(energy(np.ones(9), g)), float(energy(np.ones(9), g, h=0.5))
    (-18.0, -22.5)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.ising.Graph")
    s = _spins("s", s)
    if s.shape[-1] != graph.n:
        raise ValueError(f"s must have {graph.n} spins on its last axis, got {s.shape[-1]}")
    s = s.astype(np.float64)
    e = graph.edges
    bond = -(s[..., e[:, 0]] * s[..., e[:, 1]]) @ graph.J
    out = bond - s @ _field(h, graph.n)
    return float(out) if np.ndim(out) == 0 else out


def lattice_energy(S, J: float = 1.0, h: float = 0.0) -> np.ndarray | float:
    """Energy of periodic square-lattice configurations S of shape (..., L, M).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import lattice_energy
    >>> float(lattice_energy(np.ones((4, 4))))
    -32.0
    """
    S = _spins("S", S).astype(np.float64)
    if S.ndim < 2:
        raise ValueError("S must have at least two (lattice) axes")
    J, h = real_scalar("J", J), real_scalar("h", h)
    bonds = (S * np.roll(S, -1, axis=-1) + S * np.roll(S, -1, axis=-2)).sum(axis=(-2, -1))
    out = -J * bonds - h * S.sum(axis=(-2, -1))
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------
# enumeration
# ---------------------------------------------------------------------------
def enumerate_states(n: int) -> np.ndarray:
    """All 2**n configurations as a (2**n, n) int8 array of ±1 (state k's spin i is bit i of k).

    Examples
    --------
    >>> from umlib.ising import enumerate_states
    >>> enumerate_states(2).tolist()
    [[-1, -1], [1, -1], [-1, 1], [1, 1]]
    """
    n = _size("n", n, 1)
    if n > 20:
        raise ValueError(f"n = {n} states would not fit in memory; use "
                         "enumerate_energy_magnetization (chunked) for n <= 24")
    k = np.arange(2 ** n, dtype=np.int64)[:, None]
    return (2 * ((k >> np.arange(n)) & 1) - 1).astype(np.int8)


def enumerate_energy_magnetization(graph: Graph, h=0.0) -> tuple[np.ndarray, np.ndarray]:
    """Energy and total magnetisation of every one of the 2**N states (chunked, N <= 24).

    Examples
    --------
    >>> from umlib.ising import enumerate_energy_magnetization, square_lattice
    >>> E, M = enumerate_energy_magnetization(square_lattice(2, 3))
    >>> E.size, float(E.min()), int(M[E.argmin()])
    (64, -12.0, -6)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.ising.Graph")
    n = graph.n
    if n > MAX_ENUM:
        raise ValueError(f"graph has {n} sites; enumeration is limited to {MAX_ENUM}")
    hv = _field(h, n)
    E = np.empty(2 ** n)
    M = np.empty(2 ** n, dtype=np.int64)
    chunk = 2 ** min(n, 16)
    bits = np.arange(n)
    for start in range(0, 2 ** n, chunk):
        k = np.arange(start, start + chunk, dtype=np.int64)[:, None]
        s = (2 * ((k >> bits) & 1) - 1).astype(np.float64)
        E[start:start + chunk] = (-(s[:, graph.edges[:, 0]] * s[:, graph.edges[:, 1]])
                                  @ graph.J - s @ hv)
        M[start:start + chunk] = s.sum(axis=1).astype(np.int64)
    return E, M


@dataclass(frozen=True)
class ExactObservables:
    """Exact canonical averages at one temperature (per-spin quantities)."""

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
    """Canonical averages from the enumerated (E, M) of all states, computed with
    shifted weights (no overflow at any T).

    Examples
    --------
    >>> from umlib.ising import enumerate_energy_magnetization, exact_observables, square_lattice
    >>> g = square_lattice(4)
    >>> E, M = enumerate_energy_magnetization(g)
    >>> round(exact_observables(E, M, 16, 1e-3).abs_m, 12)
    1.0
    """
    E = real_array("E", E)
    M = real_array("M", M)
    n = _size("n", n, 1)
    T, _ = _beta(T)
    if E.shape != M.shape or E.ndim != 1:
        raise ValueError("E and M must be 1-D arrays of equal length")
    with np.errstate(over="ignore"):        # an excited state's -ΔE/T -> -inf: weight 0
        a = -(E - E.min()) / T
    w = np.exp(a)
    Zs = w.sum()
    p = w / Zs
    log_Z = _finite_log(float(-E.min() / T + math.log(Zs)), "ln Z")
    e1 = float(p @ E)
    var_E = float(p @ (E - e1) ** 2)
    if var_E == 0.0:
        c = 0.0
    elif n * T * T > 0.0:
        c = var_E / (n * T * T)
    else:
        raise OverflowError(f"T = {T!r} is too small: the heat capacity overflows float64")
    m = M / n
    am, m2, m4 = float(p @ np.abs(m)), float(p @ m ** 2), float(p @ m ** 4)
    return ExactObservables(T=T, n=n, log_Z=log_Z, e=e1 / n, c=c,
                            abs_m=am, m2=m2, m4=m4, chi=n * (m2 - am * am) / T,
                            binder=1.0 - m4 / (3.0 * m2 * m2))


# ---------------------------------------------------------------------------
# transfer matrices
# ---------------------------------------------------------------------------
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


def chain_log_partition(N: int, T: float, J: float = 1.0, h: float = 0.0) -> float:
    r"""ln Z of the periodic Ising ring of N spins: Z = λ₊^N + λ₋^N (2x2 transfer matrix).

    .. math:: λ_± = e^{βJ}\cosh βh ± \sqrt{e^{2βJ}\sinh^2 βh + e^{-2βJ}}

    Examples
    --------
    >>> import math
    >>> from umlib.ising import chain_log_partition
    >>> round(chain_log_partition(2, 1.0, J=0.0), 12) == round(2 * math.log(2), 12)
    True
    """
    N = _size("N", N, 1)
    T, b = _beta(T)
    J, h = real_scalar("J", J), real_scalar("h", h)
    # eigenvalues of [[e^{b(J+h)}, e^{-bJ}], [e^{-bJ}, e^{b(J-h)}]] in log form
    a = b * J + math.log(math.cosh(b * h)) if abs(b * h) < 700 else b * J + abs(b * h) - math.log(2)
    # sqrt(e^{2bJ} sinh^2 bh + e^{-2bJ}) = e^{bJ} cosh(bh) * r, r in [0, 1]
    if not (math.isfinite(a) and math.isfinite(4 * b * J)):
        raise OverflowError(f"T = {T!r} is too small: J/T or h/T overflows float64")
    lr = 0.5 * np.logaddexp(2 * b * J + 2 * _logsinh_abs(b * h), -2 * b * J) - a
    r = math.exp(lr)
    lp = a + math.log1p(r)
    if r == 1.0:
        return _finite_log(N * lp, "ln Z")
    lm_abs = a + (math.log1p(-r) if r < 1.0 else math.log(r - 1.0))
    sign = -1.0 if (r > 1.0 and N % 2 == 1) else 1.0
    _finite_log(N * lp, "ln Z")
    return _signed_logsumexp(np.array([N * lp, N * lm_abs]), np.array([1.0, sign]))


def _logsinh_abs(x: float) -> float:
    x = abs(x)
    if x == 0:
        return -math.inf
    return x + math.log(-math.expm1(-2 * x)) - math.log(2)


def chain_magnetization(T: float, J: float = 1.0, h: float = 0.0) -> float:
    r"""Magnetisation per spin of the infinite ring: sinh βh / sqrt(sinh² βh + e^{-4βJ}).

    Examples
    --------
    >>> from umlib.ising import chain_magnetization
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


def strip_log_partition(L: int, M: int, T: float, J: float = 1.0, h: float = 0.0) -> float:
    """ln Z of the L x M periodic square lattice from the 2**L row-to-row transfer matrix.

    Z = Tr V**M = Σ_k λ_k**M with the symmetric V(σ, σ') = exp(β[E_row(σ)/2 + E_row(σ')/2
    + J σ·σ']), E_row(σ) = J Σ_c σ_c σ_{c+1} + h Σ_c σ_c.  L <= 12.

    Examples
    --------
    >>> from umlib.ising import strip_log_partition
    >>> import math
    >>> bool(abs(strip_log_partition(3, 1, 1.0, J=0.0) - 3 * math.log(2)) < 1e-12)
    True
    """
    L = _size("L", L, 1)
    M = _size("M", M, 1)
    if L > 12:
        raise ValueError(f"L = {L}: the 2**L transfer matrix is limited to L <= 12")
    T, b = _beta(T)
    J, h = real_scalar("J", J), real_scalar("h", h)
    rows = enumerate_states(L).astype(np.float64)
    e_row = J * (rows * np.roll(rows, -1, axis=1)).sum(axis=1) if L > 1 else np.zeros(len(rows))
    e_row = e_row + h * rows.sum(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
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


def _log2cosh(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    return x + np.log1p(np.exp(-2 * x))


def _log2sinh_abs(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    with np.errstate(divide="ignore"):
        return x + np.log(-np.expm1(-2 * x))


def torus_log_partition(L: int, M: int, T: float, J: float = 1.0) -> float:
    r"""Kaufman's exact ln Z of the L x M periodic square lattice at zero field.

    With K = J/T and n = M columns, m = L rows,

    .. math::

        Z = \tfrac12 (2\sinh 2K)^{mn/2} \sum_{i=1}^4 Z_i, \quad
        Z_{1,2} = \prod_{r=0}^{n-1} 2\cosh, 2\sinh\big(\tfrac m2 γ_{2r+1}\big), \quad
        Z_{3,4} = \prod_{r=0}^{n-1} 2\cosh, 2\sinh\big(\tfrac m2 γ_{2r}\big),

    :math:`\cosh γ_k = \cosh 2K \coth 2K - \cos(πk/n)` and
    :math:`γ_0 = 2K + \ln\tanh K` (negative above T_c, which makes Z_4 negative).
    Every product is formed as a sum of logarithms and the four terms are added with
    their signs, so ln Z is finite for any L, M (Kaufman 1949; Beale 1996).

    Examples
    --------
    >>> from umlib.ising import torus_log_partition, strip_log_partition
    >>> bool(abs(torus_log_partition(3, 4, 2.0) - strip_log_partition(3, 4, 2.0)) < 1e-12)
    True
    """
    m = _size("L", L, 2)
    n = _size("M", M, 2)
    T, _ = _beta(T)
    J = real_scalar("J", J)
    if J <= 0:
        raise ValueError(f"J must be > 0 (ferromagnet) for Kaufman's formula, got {J}")
    K = J / T
    if not math.isfinite(2.0 * m * n * K):
        raise OverflowError(f"T = {T!r} is too small: ln Z ≈ 2 L M J/T overflows float64")
    if K > 300:
        # cosh 2K would overflow; here every γ_k equals 2K to double precision
        # (γ_k = ln(2 cosh 2K coth 2K - 2 cos) + O(e^{-4K}) = 2K + O(e^{-2K}))
        gam = np.full(2 * n, 2 * K)
    else:
        k = np.arange(2 * n)
        c = math.cosh(2 * K) / math.tanh(2 * K) - np.cos(np.pi * k / n)
        gam = np.arccosh(np.maximum(c, 1.0))
        gam[0] = 2 * K + math.log(math.tanh(K))
    odd, even = gam[1::2], gam[0::2]
    logs = np.array([_log2cosh(0.5 * m * odd).sum(), _log2sinh_abs(0.5 * m * odd).sum(),
                     _log2cosh(0.5 * m * even).sum(), _log2sinh_abs(0.5 * m * even).sum()])
    signs = np.array([1.0, float(np.prod(np.sign(odd))), 1.0, float(np.prod(np.sign(even)))])
    # 2 sinh 2K may be huge/small: log form
    pre = 0.5 * m * n * (math.log(2.0) + _logsinh_abs(2 * K)) - math.log(2.0)
    return pre + _signed_logsumexp(logs, signs)


# Kaufman's derivatives keep a relative accuracy of about 1e-9 (far better near T_c)
# only for 1e-3 <= J/T <= 2.5: below, the mode sums cancel like e^{8J/T}; above,
# like (T/J)^2 (see torus_heat_capacity, Notes).
_KAUFMAN_K_MIN, _KAUFMAN_K_MAX = 1e-3, 2.5


def _kaufman_K(T, J, name: str = "T") -> float:
    """Validate (T, J) for the Kaufman derivatives and return K = J/T."""
    T = positive_scalar(name, T)
    J = real_scalar("J", J)
    if J <= 0:
        raise ValueError(f"J must be > 0 (ferromagnet) for Kaufman's formula, got {J}")
    with np.errstate(over="ignore", under="ignore"):
        K = J / T
    if not _KAUFMAN_K_MIN <= K <= _KAUFMAN_K_MAX:
        raise ValueError(
            f"{name} = {T!r} is outside {J / _KAUFMAN_K_MAX:g} <= {name} <= "
            f"{J / _KAUFMAN_K_MIN:g} (J = {J:g}), the range where the exact derivatives "
            "of Kaufman's ln Z keep their accuracy in double precision")
    return K


def _kaufman_derivatives(m: int, n: int, K: float) -> tuple[float, float, float]:
    r"""The first three derivatives of Kaufman's ln Z in K = J/T (m rows, n columns).

    Each factor of Kaufman's four products is differentiated in closed form, and the
    four terms are combined as signed weights: with μ = (ln Z)', the second and third
    derivatives are the central moments Σ_i (∂ - μ)^j Z_i / Σ_i Z_i, so no large
    numbers are subtracted.  For k >= 1, cosh γ_k = 1 + δ_k with
    δ_k = (s - 1)²/s + 2 sin²(πk/2n), s = sinh 2K, a sum of non-negative terms.
    """
    s, ch = math.sinh(2 * K), math.cosh(2 * K)
    sm1 = s - 1.0
    N = m * n
    # prefactor (mn/2) ln(2 sinh 2K) - ln 2
    pre = (N * ch / s, -2.0 * N / s ** 2, 8.0 * N * ch / s ** 3)
    # modes k >= 1: δ = A + b, γ = arccosh(1 + δ), derivatives of A in closed form
    A = sm1 * sm1 / s
    A1 = 2 * ch * sm1 * (s + 1) / s ** 2
    A2 = 4 * s + 4 / s + 8 / s ** 3
    A3 = 8 * ch * (1 - 1 / s ** 2 - 6 / s ** 4)
    # γ'' = [A2 δ(δ+2) - A1²(1+δ)] / q³, numerator expanded so that it is formed
    # from terms without cancellation: -4(s-1)³(s²+1)²/s⁵ + 4bP(s)/s⁴ + b² A2
    P = s ** 4 * sm1 ** 2 + s * s * (4 * s * s - 2 * s + 1) + 6 * s * s - 4 * s + 3
    k = np.arange(1, 2 * n)
    b = 2 * np.sin(np.pi * k / (2 * n)) ** 2
    d = A + b
    q = np.sqrt(d) * np.sqrt(d + 2)                      # sinh γ_k
    g = np.log1p(d + q)
    g1 = A1 / q
    g2 = (-4 * sm1 ** 3 * (s * s + 1) ** 2 / s ** 5 + 4 * b * P / s ** 4 + b * b * A2) / q ** 3
    g3 = (A3 - A1 * g1 ** 2 - 3 * (1 + d) * g1 * g2) / q
    h = 0.5 * m
    x = (h * g, h * g1, h * g2, h * g3)                  # x_k = m γ_k / 2 and derivatives
    # mode 0: γ_0 = 2K + ln tanh K, negative above T_c
    y = tuple(h * v for v in (2 * K + math.log(math.tanh(K)), 2 + 2 / s, -4 * ch / s ** 2,
                              8 * (s * s + 2) / s ** 3))

    def log_products(xs, kind):
        """ln Π f(x_k) for f = 2 cosh or 2 sinh (x_k > 0) and its first three derivatives."""
        x0, x1, x2, x3 = xs
        e, em = np.exp(-2 * x0), -np.expm1(-2 * x0)     # e^{-2x}, 1 - e^{-2x}
        if kind == "cosh":
            lf = x0 + np.log1p(e)
            t = em / (1 + e)                            # tanh
            t2 = 4 * e / (1 + e) ** 2                   # 1 - tanh²
        else:
            lf = x0 + np.log(em)
            t = (1 + e) / em                            # coth
            t2 = -4 * e / em ** 2                       # 1 - coth²
        t3 = -2 * t * t2
        return (float(lf.sum()), float((t * x1).sum()), float((t2 * x1 ** 2 + t * x2).sum()),
                float((t3 * x1 ** 3 + 3 * t2 * x1 * x2 + t * x3).sum()))

    odd = tuple(v[0::2] for v in x)                     # k = 1, 3, ..., 2n - 1
    even = tuple(v[1::2] for v in x)                    # k = 2, 4, ..., 2n - 2
    sgn = 1.0 if y[0] >= 0 else -1.0
    even0 = tuple(np.concatenate([[a], v]) for a, v in
                  zip((abs(y[0]), sgn * y[1], sgn * y[2], sgn * y[3]), even))
    one = (1.0, 0.0, 0.0, 0.0)
    terms = [(*log_products(odd, "cosh"), one), (*log_products(odd, "sinh"), one),
             (*log_products(even0, "cosh"), one)]
    # Z_4 = 2 sinh(y) Π_{k even >= 2} 2 sinh(x_k): the factor 2 sinh(y) vanishes at T_c,
    # so it is kept as a factor e^{|y|} (a, a', a'', a''') instead of a logarithm
    E = math.exp(-2 * abs(y[0]))
    sh = math.copysign(-math.expm1(-2 * abs(y[0])), y[0])   # e^{-|y|} 2 sinh y
    co = 1 + E                                              # e^{-|y|} 2 cosh y
    y1, y2, y3 = y[1:]
    fac = (sh, co * y1, sh * y1 ** 2 + co * y2, co * (y1 ** 3 + y3) + 3 * sh * y1 * y2)
    L0, L1, L2, L3 = log_products(even, "sinh")
    terms.append((L0 + abs(y[0]), L1, L2, L3, fac))
    top = max(t[0] for t in terms)

    def central(mu):
        """Σ_i (∂ - μ)^j Z_i for j = 0..3, every Z_i scaled by e^{-top}."""
        out = [0.0, 0.0, 0.0, 0.0]
        for l0, l1, l2, l3, f in terms:
            dd = l1 - mu
            rho = (1.0, dd, dd * dd + l2, dd ** 3 + 3 * dd * l2 + l3)
            w = math.exp(l0 - top)
            for j in range(4):
                out[j] += w * sum(math.comb(j, p) * f[p] * rho[j - p] for p in range(j + 1))
        return out

    first = central(0.0)
    mu = first[1] / first[0]
    mom = central(mu)
    if not mom[0] > 0:
        raise ValueError("the signed sum of Kaufman's terms is not positive "
                         "(cancellation beyond float64)")
    return mu + pre[0], mom[2] / mom[0] + pre[1], mom[3] / mom[0] + pre[2]


def torus_energy(L: int, M: int, T: float, J: float = 1.0) -> float:
    r"""Exact energy per spin u = U/N of the L x M periodic square lattice at zero field.

    ``u = -(J/N) ∂ ln Z/∂K`` with Kaufman's ln Z (:func:`torus_log_partition`)
    differentiated in closed form; see :func:`torus_heat_capacity` for the method
    and the range of T (used in Part IV, "The Ising model, exactly").

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T : float
        Temperature, 0.4 J <= T <= 1000 J.
    J : float
        Coupling, > 0.

    Returns
    -------
    float
        U/N in units of J (between -2J and 0).

    Examples
    --------
    >>> from umlib.ising import torus_energy
    >>> round(torus_energy(64, 64, 1.0), 9)
    -1.997160204
    """
    m, n = _size("L", L, 2), _size("M", M, 2)
    K = _kaufman_K(T, J)
    d1, _, _ = _kaufman_derivatives(m, n, K)
    return -J * d1 / (m * n)


def torus_heat_capacity(L: int, M: int, T: float, J: float = 1.0, slope: bool = False):
    r"""Exact specific heat per spin of the L x M periodic square lattice at zero field.

    Used in Part IV ch. 1 ("What the essay promises") for the growth of the
    specific-heat peak with L.  The heat capacity is the variance of the energy,

    .. math::

        c = \frac{\operatorname{Var}E}{N T^2} = \frac{K^2}{N}\,
        \frac{\partial^2 \ln Z}{\partial K^2}, \qquad K = J/T,

    and Kaufman's ln Z (:func:`torus_log_partition`) is differentiated analytically,
    term by term: no finite difference is taken.

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T : float
        Temperature, 0.4 J <= T <= 1000 J (see Notes).
    J : float
        Coupling, > 0 (ferromagnet).
    slope : bool
        Also return dc/dT (from the third derivative of ln Z), whose zero is the peak.

    Returns
    -------
    float or (float, float)
        c, or (c, dc/dT) when ``slope`` is True.

    Raises
    ------
    TypeError
        L or M not an int; T or J not a real number; slope not a bool.
    ValueError
        L or M below 2; T not positive and finite, or outside 0.4 J <= T <= 1000 J;
        J <= 0.

    Notes
    -----
    With s = sinh 2K, Kaufman's modes satisfy cosh γ_k = 1 + δ_k,
    δ_k = (s - 1)²/s + 2 sin²(πk/2M) for k >= 1, and γ_0 = 2K + ln tanh K.  Their
    K-derivatives follow from sinh γ · γ' = δ', so each ln(2 cosh) or ln(2 sinh) of
    (L/2) γ_k has closed-form derivatives; the four products are combined as
    weights (one of them negative above T_c), and the derivatives of ln Z are their
    central moments.

    Near T_c the relative error is a few 1e-14.  Far from it the representation
    itself cancels: the error grows like u e^{8J/T} at low T and like
    u (T/J)² at high T (u = 2⁻⁵³), which is why T is restricted to the range where it
    stays below about 1e-9.

    Examples
    --------
    >>> from umlib.ising import (enumerate_energy_magnetization, exact_observables,
    ...                          square_lattice, torus_heat_capacity)
    >>> E, Mg = enumerate_energy_magnetization(square_lattice(4))
    >>> c_enum = exact_observables(E, Mg, 16, 2.3).c
    >>> bool(abs(torus_heat_capacity(4, 4, 2.3) / c_enum - 1) < 1e-12)
    True
    """
    m, n = _size("L", L, 2), _size("M", M, 2)
    if not isinstance(slope, (bool, np.bool_)):
        raise TypeError(f"slope must be True or False, got {type(slope).__name__}")
    K = _kaufman_K(T, J)
    T = J / K
    N = m * n
    _, d2, d3 = _kaufman_derivatives(m, n, K)
    c = K * K * d2 / N
    if not slope:
        return c
    return c, -(K / T) * (2 * K * d2 + K * K * d3) / N


def torus_heat_capacity_peak(L: int, M: int, T_lo: float, T_hi: float,
                             J: float = 1.0) -> tuple[float, float]:
    r"""Temperature and height of the specific-heat maximum of the L x M torus.

    The peak is the zero of dc/dT (:func:`torus_heat_capacity` with ``slope=True``,
    an exact third derivative of ln Z), found by Brent's method in [T_lo, T_hi];
    the bracket must hold one maximum.  Part IV ch. 1 follows the peak to T_c.

    Parameters
    ----------
    L, M : int
        Rows and columns, each >= 2.
    T_lo, T_hi : float
        A bracket with dc/dT > 0 at T_lo and < 0 at T_hi.
    J : float
        Coupling, > 0.

    Returns
    -------
    (float, float)
        T at the peak (to about 1e-13) and c there.

    Examples
    --------
    >>> from umlib.ising import torus_heat_capacity_peak
    >>> T, c = torus_heat_capacity_peak(16, 16, 2.2, 2.4)
    >>> round(T, 6), round(c, 6)
    (2.317507, 1.552204)
    """
    from scipy.optimize import brentq

    m, n = _size("L", L, 2), _size("M", M, 2)
    _kaufman_K(T_lo, J, "T_lo")
    _kaufman_K(T_hi, J, "T_hi")
    T_lo, T_hi = float(T_lo), float(T_hi)
    if not T_lo < T_hi:
        raise ValueError(f"T_hi must exceed T_lo, got T_lo = {T_lo}, T_hi = {T_hi}")
    lo = torus_heat_capacity(m, n, T_lo, J, slope=True)[1]
    hi = torus_heat_capacity(m, n, T_hi, J, slope=True)[1]
    if not (lo > 0 > hi):
        raise ValueError(f"c has no maximum between T_lo = {T_lo} and T_hi = {T_hi} "
                         f"(dc/dT = {lo:.3g} at T_lo and {hi:.3g} at T_hi)")
    T_pk = brentq(lambda t: torus_heat_capacity(m, n, t, J, slope=True)[1], T_lo, T_hi,
                  xtol=1e-13, rtol=4 * np.finfo(float).eps, maxiter=200)
    return T_pk, torus_heat_capacity(m, n, T_pk, J)


# ---------------------------------------------------------------------------
# the infinite square lattice
# ---------------------------------------------------------------------------
def onsager_Tc(J: float = 1.0) -> float:
    """Onsager's critical temperature 2J / ln(1 + √2) ≈ 2.269 J.

    Examples
    --------
    >>> from umlib.ising import onsager_Tc
    >>> round(onsager_Tc(), 6)
    2.269185
    """
    return 2.0 * positive_scalar("J", J) / math.log1p(math.sqrt(2.0))


def onsager_free_energy(T: float, J: float = 1.0) -> float:
    r"""Free energy per spin f(T) of the infinite square lattice (Onsager 1944):

    .. math::

        -βf = \ln(2\cosh 2K) + \frac1π \int_0^{π/2} \ln\Big[\tfrac12
        \big(1 + \sqrt{1 - κ^2\sin^2φ}\big)\Big] dφ, \qquad κ = \frac{2\sinh 2K}{\cosh^2 2K}.

    Examples
    --------
    >>> from umlib.ising import onsager_free_energy
    >>> round(onsager_free_energy(1e-3), 6)   # ground state: -2J per spin
    -2.0
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    K = J / T
    kappa = 2 * math.sinh(2 * K) / math.cosh(2 * K) ** 2 if K < 300 else 0.0
    val, _ = integrate.quad(lambda p: math.log(0.5 * (1 + math.sqrt(max(0.0, 1 - (kappa * math.sin(p)) ** 2)))),
                            0, math.pi / 2, epsabs=1e-14, epsrel=1e-13, limit=200)
    l2c = 2 * K + math.log1p(math.exp(-4 * K))
    return -T * (l2c + val / math.pi)


def onsager_energy(T: float, J: float = 1.0) -> float:
    r"""Energy per spin of the infinite square lattice:

    .. math:: u = -J\coth 2K\,\Big[1 + \frac2π (2\tanh^2 2K - 1) K_1(κ)\Big],

    with K_1 the complete elliptic integral of the first kind (modulus κ), evaluated
    through ``ellipkm1`` using 1 - κ² = ((1 - sinh² 2K)/cosh² 2K)².

    Examples
    --------
    >>> from umlib.ising import onsager_energy, onsager_Tc
    >>> round(onsager_energy(onsager_Tc()), 6)    # -√2 at T_c
    -1.414214
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    K = J / T
    if K > 300:
        return -2.0 * J
    t = math.tanh(2 * K)
    k1m = ((1 - math.sinh(2 * K) ** 2) / math.cosh(2 * K) ** 2) ** 2
    factor = 2 * t * t - 1
    term = 0.0 if factor == 0 or k1m == 0 else factor * float(special.ellipkm1(k1m))
    return -J / t * (1 + 2 / math.pi * term)


def yang_magnetization(T: float, J: float = 1.0) -> float:
    """Spontaneous magnetisation per spin (Yang 1952): (1 - sinh(2J/T)^-4)^(1/8) below T_c, else 0.

    Examples
    --------
    >>> from umlib.ising import yang_magnetization
    >>> yang_magnetization(3.0), round(yang_magnetization(1.0), 6)
    (0.0, 0.999276)
    """
    T = positive_scalar("T", T)
    J = positive_scalar("J", J)
    s = math.sinh(2 * J / T) if 2 * J / T < 700 else math.inf
    if s <= 1.0:
        return 0.0
    return (1.0 - s ** -4) ** 0.125


# ---------------------------------------------------------------------------
# samplers
# ---------------------------------------------------------------------------
def random_spins(shape, rng) -> np.ndarray:
    """Independent ±1 spins (int8) of the given shape.

    Examples
    --------
    >>> from umlib.ising import random_spins
    >>> s = random_spins((2, 4, 4), rng=0)
    >>> s.shape, s.dtype.name, set(s.ravel().tolist()) <= {-1, 1}
    ((2, 4, 4), 'int8', True)
    """
    g = as_rng(rng)
    return (2 * g.integers(0, 2, size=shape) - 1).astype(np.int8)


@dataclass
class Chain:
    """A sampler's output: the final spins and per-sweep series of shape (n_sweeps, R).

    ``E`` and ``M`` are totals; ``F`` is the structure factor ``|Σ s e^{ik·r}|²`` at the
    smallest lattice wave vector, averaged over the two axes (lattice samplers only).
    """

    S: np.ndarray
    E: np.ndarray
    M: np.ndarray
    F: np.ndarray | None = None
    flips: int = 0            # attempted single-spin flips (Metropolis) or site updates
    n_sites: int = 0
    T: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _replicas(S, name="S") -> np.ndarray:
    S = _spins(name, S)
    if S.ndim != 3:
        raise ValueError(f"{name} must have shape (R, L, L): replicas of a square lattice")
    if S.shape[1] != S.shape[2]:
        raise ValueError(f"{name} lattices must be square, got {S.shape[1:]}")
    return S.astype(np.int8, copy=True)


def _temps(T, R: int) -> np.ndarray:
    T = real_array("T", T)
    if T.ndim == 0:
        T = np.full(R, float(T))
    if T.shape != (R,):
        raise ValueError(f"T must be a scalar or have one value per replica ({R}), got {T.shape}")
    if not np.all(T > 0):
        raise ValueError("T must be > 0")
    with np.errstate(over="ignore", divide="ignore"):
        if not np.isfinite(1.0 / T).all():
            raise OverflowError(f"T = {float(T.min())!r} is too small: 1/T overflows float64")
    return T


def _sweeps(n) -> int:
    return _size("n_sweeps", n, 1)


def _structure_factor(S: np.ndarray) -> np.ndarray:
    L = S.shape[-1]
    ph = np.exp(2j * np.pi * np.arange(L) / L)
    fx = np.abs(S.sum(axis=-2) @ ph) ** 2
    fy = np.abs(S.sum(axis=-1) @ ph) ** 2
    return 0.5 * (fx + fy)


def metropolis(S, T, n_sweeps: int, rng, J: float = 1.0, h: float = 0.0,
               measure: bool = True) -> Chain:
    """Checkerboard Metropolis on R replicas of an L x L periodic lattice (L even).

    One sweep updates the two sublattices in turn; every site is proposed once per
    sweep and accepted with probability min(1, e^{-ΔE/T}), ΔE = 2 s (J Σ_nbr s + h).
    ``T`` is a scalar or one temperature per replica.  Sites of one colour share no bond,
    so a whole sublattice is updated at once from a precomputed neighbour table; at h = 0
    the acceptance probabilities come from a five-entry table per replica.  With
    ``measure=False`` only M is recorded (E and F are zero).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import metropolis
    >>> ch = metropolis(np.ones((2, 4, 4), dtype=np.int8), [0.1, 0.1], 10, rng=0)
    >>> ch.E.shape, float(ch.M[-1, 0])
    ((10, 2), 16.0)
    """
    S = _replicas(S)
    R, L, _ = S.shape
    if L % 2:
        raise ValueError(f"the checkerboard needs an even L, got {L}")
    Tv = _temps(T, R)
    n = _sweeps(n_sweeps)
    g = as_rng(rng)
    J, h = real_scalar("J", J), real_scalar("h", h)
    N = L * L
    r, c = np.divmod(np.arange(N), L)
    nbr = np.stack([((r + 1) % L) * L + c, ((r - 1) % L) * L + c,
                    r * L + (c + 1) % L, r * L + (c - 1) % L], axis=1)
    colours = [np.flatnonzero((r + c) % 2 == k) for k in (0, 1)]
    tables = [(idx, nbr[idx]) for idx in colours]
    beta = (1.0 / Tv)[:, None]
    # acceptance table at h = 0, indexed by (s * Σnbr + 4) // 2 in 0..4
    # (min(1, e^x) as e^{min(0, x)}: the same numbers, and no overflow at low T)
    with np.errstate(over="ignore", invalid="ignore"):
        x = -2.0 * J * beta * np.arange(-4, 5, 2)[None, :]
    if np.isnan(x).any():
        raise OverflowError("J/T overflows float64 (T too small for this J)")
    table = np.exp(np.minimum(0.0, x))
    rows = np.arange(R)[:, None]
    E = np.zeros((n, R))
    M = np.empty((n, R))
    F = np.zeros((n, R))
    s = S.reshape(R, N).copy()
    for t in range(n):
        for idx, nb_idx in tables:
            si = s[:, idx]
            nb = s[:, nb_idx].sum(axis=-1, dtype=np.int64)
            if h == 0.0:
                prob = table[rows, (si * nb + 4) // 2]
            else:
                with np.errstate(over="ignore"):    # -inf: a rejected flip
                    prob = np.exp(-beta * np.maximum(2.0 * si * (J * nb + h), 0.0))
            acc = g.random(si.shape) < prob
            s[:, idx] = np.where(acc, -si, si)
        M[t] = s.sum(axis=1, dtype=np.int64)
        if measure:
            Sf = s.reshape(R, L, L).astype(np.float64)
            E[t] = np.atleast_1d(lattice_energy(Sf, J, h))
            F[t] = _structure_factor(Sf)
    return Chain(S=s.reshape(R, L, L), E=E, M=M, F=F, flips=n * R * N, n_sites=N, T=Tv)


def swendsen_wang(S, T, n_sweeps: int, rng, J: float = 1.0, measure: bool = True) -> Chain:
    """Swendsen–Wang cluster updates (zero field) on R replicas of an L x L periodic lattice.

    Each sweep activates every satisfied bond with probability 1 - e^{-2J/T}, finds the
    clusters (one ``connected_components`` call for all replicas) and flips each cluster
    with probability 1/2.  With ``measure=False`` only M is recorded (E and F are zero),
    which is all a Binder cumulant needs.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import swendsen_wang
    >>> ch = swendsen_wang(np.ones((1, 4, 4), dtype=np.int8), 1e-3, 5, rng=0)
    >>> set(np.abs(ch.M[:, 0]).tolist())        # frozen: one cluster, flipped as a whole
    {16.0}
    """
    from scipy.sparse import csr_matrix

    S = _replicas(S)
    R, L, _ = S.shape
    Tv = _temps(T, R)
    n = _sweeps(n_sweeps)
    J = real_scalar("J", J)
    if J <= 0:
        raise ValueError("swendsen_wang needs a ferromagnetic J > 0")
    g = as_rng(rng)
    with np.errstate(over="ignore"):          # 2J/T -> inf: every satisfied bond is active
        p = (-np.expm1(-2.0 * J / Tv))[:, None, None]
    N = R * L * L
    idx = np.arange(N).reshape(R, L, L)
    nbr = np.stack([np.roll(idx, -1, axis=2), np.roll(idx, -1, axis=1)], axis=-1)  # (R,L,L,2)
    self_ = np.stack([idx, idx], axis=-1)
    indptr = np.arange(0, 2 * N + 1, 2, dtype=np.int64)
    ones = np.ones(2 * N, dtype=np.int8)
    E = np.zeros((n, R))
    M = np.empty((n, R))
    F = np.zeros((n, R))
    for t in range(n):
        same = np.stack([S == np.roll(S, -1, axis=2), S == np.roll(S, -1, axis=1)], axis=-1)
        bond = same & (g.random(same.shape, dtype=np.float32) < p[..., None])
        cols = np.where(bond, nbr, self_).ravel()
        adj = csr_matrix((ones, cols, indptr), shape=(N, N))
        nc, lab = connected_components(adj, directed=False)
        flip = np.where(g.random(nc) < 0.5, -1, 1).astype(np.int8)
        S = S * flip[lab].reshape(R, L, L)
        M[t] = S.sum(axis=(1, 2), dtype=np.int64)
        if measure:
            Sf = S.astype(np.float64)
            E[t] = np.atleast_1d(lattice_energy(Sf, J))
            F[t] = _structure_factor(Sf)
    return Chain(S=S, E=E, M=M, F=F, flips=n * R * L * L, n_sites=L * L, T=Tv)


def graph_coloring(graph: Graph) -> np.ndarray:
    """A greedy proper colouring (largest degree first): no edge joins two sites of one colour.

    Examples
    --------
    >>> from umlib.ising import graph_coloring, square_lattice
    >>> int(graph_coloring(square_lattice(4)).max()) + 1
    2
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.ising.Graph")
    nbrs = [[] for _ in range(graph.n)]
    for i, j in graph.edges.tolist():
        nbrs[i].append(j)
        nbrs[j].append(i)
    color = -np.ones(graph.n, dtype=np.int64)
    for v in np.argsort(-graph.degree, kind="stable").tolist():
        used = {int(color[u]) for u in nbrs[v]}
        c = 0
        while c in used:
            c += 1
        color[v] = c
    return color


def metropolis_graph(s, graph: Graph, T, n_sweeps: int, rng, h=0.0) -> Chain:
    """Metropolis on any graph for R replicas s of shape (R, N), one colour class at a time
    (sites of one colour share no edge, so they can flip together).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import metropolis_graph, random_graph
    >>> g = random_graph(50, 3.0, rng=0)
    >>> ch = metropolis_graph(np.ones((2, 50)), g, 0.2, 20, rng=1)
    >>> ch.M.shape, bool((ch.M[-1] > 40).all())
    ((20, 2), True)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.ising.Graph")
    s = _spins("s", s).astype(np.float64)
    if s.ndim != 2 or s.shape[1] != graph.n:
        raise ValueError(f"s must have shape (R, {graph.n})")
    R = s.shape[0]
    Tv = _temps(T, R)
    n = _sweeps(n_sweeps)
    hv = _field(h, graph.n)
    g = as_rng(rng)
    e = graph.edges
    A = coo_matrix((np.concatenate([graph.J, graph.J]), (np.concatenate([e[:, 0], e[:, 1]]),
                    np.concatenate([e[:, 1], e[:, 0]]))), shape=(graph.n, graph.n)).tocsr()
    colors = graph_coloring(graph)
    classes = [np.flatnonzero(colors == c) for c in range(int(colors.max()) + 1)]
    beta = (1.0 / Tv)[:, None]
    E = np.empty((n, R))
    M = np.empty((n, R))
    for t in range(n):
        for cls in classes:
            loc = (A[cls] @ s.T).T + hv[cls]
            dE = 2.0 * s[:, cls] * loc
            with np.errstate(over="ignore"):        # -inf: a rejected flip
                acc = g.random(dE.shape) < np.exp(-beta * np.maximum(dE, 0.0))
            sub = s[:, cls]
            sub[acc] *= -1.0
            s[:, cls] = sub
        E[t] = energy(s, graph, hv)
        M[t] = s.sum(axis=1)
    return Chain(S=s.astype(np.int8), E=E, M=M, F=None, flips=n * R * graph.n,
                 n_sites=graph.n, T=Tv)


# ---------------------------------------------------------------------------
# error bars and observables
# ---------------------------------------------------------------------------
def autocorrelation_time(x, c: float = 5.0) -> float:
    r"""Integrated autocorrelation time τ_int = ½ + Σ_{t≥1} ρ(t), summed up to Sokal's
    automatic window (the first W with W ≥ c τ_int(W)).  Var(mean) ≈ 2 τ_int σ²/n.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import autocorrelation_time
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

    ``data`` is a sequence of arrays sharing their first (time) axis; the series is
    cut into ``n_blocks`` consecutive blocks (blocks longer than the autocorrelation
    time make them nearly independent) and ``stat`` is evaluated with each block left out.

    Returns (value on all data, standard error), each a float or an array.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import jackknife
    >>> x = np.random.default_rng(1).normal(size=4000)
    >>> v, se = jackknife(np.mean, [x], n_blocks=40)
    >>> bool(abs(se - 1 / np.sqrt(4000)) < 0.004)
    True
    """
    if isinstance(data, np.ndarray):
        data = [data]
    data = [np.asarray(d, dtype=np.float64) for d in data]
    n = data[0].shape[0]
    if any(d.shape[0] != n for d in data):
        raise ValueError("data arrays must share their first axis")
    nb = _size("n_blocks", n_blocks, 2)
    if n < nb:
        raise ValueError(f"n_blocks = {nb} exceeds the series length {n}")
    edges = np.linspace(0, n, nb + 1).astype(int)
    full = np.asarray(stat(*data), dtype=np.float64)
    reps = []
    for b in range(nb):
        keep = np.r_[0:edges[b], edges[b + 1]:n]
        reps.append(np.asarray(stat(*[d[keep] for d in data]), dtype=np.float64))
    reps = np.array(reps)
    se = np.sqrt((nb - 1) / nb * ((reps - reps.mean(axis=0)) ** 2).sum(axis=0))
    if full.ndim == 0:
        return float(full), float(se)
    return full, se


def binder(M, axis: int = 0):
    """Binder cumulant U = 1 - <m^4> / (3 <m^2>^2) of magnetisation samples along ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import binder
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


def estimates(chain: Chain, discard: int = 0, n_blocks: int = 20) -> dict:
    """Per-spin observables with block-jackknife errors, one value per replica.

    Returns a dict of name -> (value array (R,), stderr array (R,)) for ``e``, ``c``,
    ``abs_m``, ``m2``, ``chi`` (from ``<m²> - <|m|>²``), ``binder`` and, for lattice
    chains, ``xi`` (second-moment correlation length).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import estimates, metropolis
    >>> ch = metropolis(np.ones((1, 4, 4), dtype=np.int8), 1.0, 400, rng=0)
    >>> est = estimates(ch, discard=50)
    >>> bool(0.9 < est["abs_m"][0][0] <= 1.0)
    True
    """
    if not isinstance(chain, Chain):
        raise TypeError("chain must be a umlib.ising.Chain")
    d = count("discard", discard, minimum=0)
    n_blocks = _size("n_blocks", n_blocks, 2)
    if not 0 <= d < chain.E.shape[0] - n_blocks:
        raise ValueError(f"discard={discard} leaves fewer samples than n_blocks")
    E, M = chain.E[d:], chain.M[d:]
    N, T = chain.n_sites, chain.T
    out = {
        "e": jackknife(lambda e: e.mean(0) / N, [E], n_blocks),
        "c": jackknife(lambda e: e.var(0) / (N * T ** 2), [E], n_blocks),
        "abs_m": jackknife(lambda m: np.abs(m).mean(0) / N, [M], n_blocks),
        "m2": jackknife(lambda m: (m ** 2).mean(0) / N ** 2, [M], n_blocks),
        "chi": jackknife(lambda m: ((m ** 2).mean(0) - np.abs(m).mean(0) ** 2) / (N * T),
                         [M], n_blocks),
        "binder": jackknife(lambda m: binder(m), [M], n_blocks),
    }
    if chain.F is not None:
        L = int(round(math.sqrt(N)))
        out["xi"] = jackknife(lambda m, f: second_moment_xi((m ** 2).mean(0), f.mean(0), L),
                              [M, chain.F[d:]], n_blocks)
    return {k: (np.atleast_1d(v), np.atleast_1d(s)) for k, (v, s) in out.items()}


def second_moment_xi(S0, Sk, L: int):
    r"""Second-moment correlation length ξ = sqrt(S(0)/S(k_min) - 1) / (2 sin(π/L)).

    Examples
    --------
    >>> from umlib.ising import second_moment_xi
    >>> round(float(second_moment_xi(2.0, 1.0, 1000)), 3)    # 1/(2 sin(π/1000)) ≈ 159.2
    159.155
    """
    S0 = np.asarray(S0, dtype=np.float64)
    Sk = np.asarray(Sk, dtype=np.float64)
    L = _size("L", L, 2)
    ratio = np.maximum(S0 / Sk - 1.0, 0.0)
    return np.sqrt(ratio) / (2.0 * math.sin(math.pi / L))


def binder_crossing(T, U_a, U_b, deg: int = 2) -> float:
    """Temperature where two Binder curves U_a(T), U_b(T) cross, from polynomial fits of
    degree ``deg`` on the grid ``T`` (the root of the difference inside the grid).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import binder_crossing
    >>> T = np.linspace(2.0, 2.5, 6)
    >>> round(binder_crossing(T, 0.6 - 0.5 * (T - 2.27), 0.6 - 1.0 * (T - 2.27)), 6)
    2.27
    """
    T = real_array("T", T, min_size=deg + 1)
    U_a, U_b = real_array("U_a", U_a), real_array("U_b", U_b)
    if not (T.shape == U_a.shape == U_b.shape) or T.ndim != 1:
        raise ValueError("T, U_a and U_b must be 1-D arrays of one length")
    x = T - T.mean()
    d = np.polyfit(x, U_a - U_b, deg)
    roots = np.roots(d)
    real = roots[np.abs(roots.imag) < 1e-12].real + T.mean()
    inside = real[(real >= T.min()) & (real <= T.max())]
    if inside.size != 1:
        raise ValueError(f"the curves cross {inside.size} times inside the grid; need exactly once")
    return float(inside[0])


@dataclass(frozen=True)
class BinderRun:
    """Per-replica moments ``<|m|>``, ``<m²>``, ``<m⁴>`` (time averages after ``discard``) on a grid of T.

    ``m1``, ``m2`` and ``m4`` have shape (n_replicas, n_T); replicas are independent chains, so
    a jackknife over replicas gives honest error bars whatever the autocorrelation.
    """

    L: int
    T: np.ndarray
    m1: np.ndarray
    m2: np.ndarray
    m4: np.ndarray
    sweeps: int

    def binder(self) -> np.ndarray:
        return 1.0 - self.m4.mean(0) / (3.0 * self.m2.mean(0) ** 2)


def binder_run(L: int, T, n_sweeps: int, n_replicas: int, rng, discard: float = 0.1) -> BinderRun:
    """Swendsen–Wang at every temperature of ``T`` with ``n_replicas`` independent replicas
    each (all in one batch, started ordered), returning their Binder moments.

    Examples
    --------
    >>> from umlib.ising import binder_run
    >>> run = binder_run(4, [2.0, 3.0], 50, 3, rng=0)
    >>> run.m2.shape, bool(run.binder()[0] > run.binder()[1])
    ((3, 2), True)
    """
    L = _size("L", L, 2)
    T = np.atleast_1d(real_array("T", T))
    R = _size("n_replicas", n_replicas, 2)
    n = _sweeps(n_sweeps)
    d = int(round(real_scalar("discard", discard) * n))
    if not 0 <= d < n:
        raise ValueError("discard must leave at least one sweep")
    Tall = np.tile(T, R)
    ch = swendsen_wang(np.ones((Tall.size, L, L), dtype=np.int8), Tall, n, rng=rng, measure=False)
    m = ch.M[d:].reshape(n - d, R, T.size) / (L * L)
    return BinderRun(L=L, T=T, m1=np.abs(m).mean(0), m2=(m ** 2).mean(0), m4=(m ** 4).mean(0),
                     sweeps=n)


def binder_crossing_error(a: BinderRun, b: BinderRun, deg: int = 2) -> tuple[float, float]:
    """Crossing temperature of two sizes' Binder curves and its jackknife error over replicas
    (both runs must share the grid and the number of replicas).

    Examples
    --------
    >>> from umlib.ising import binder_run, binder_crossing_error
    >>> import numpy as np
    >>> T = np.linspace(2.0, 2.6, 4)
    >>> a, b = binder_run(4, T, 200, 4, rng=0), binder_run(8, T, 200, 4, rng=1)
    >>> Tx, se = binder_crossing_error(a, b)
    >>> bool(2.0 < Tx < 2.6 and se > 0)
    True
    """
    if not (np.array_equal(a.T, b.T) and a.m2.shape == b.m2.shape):
        raise ValueError("the two runs must share their temperatures and replica count")

    def stat(a2, a4, b2, b4):
        Ua = 1.0 - a4.mean(0) / (3.0 * a2.mean(0) ** 2)
        Ub = 1.0 - b4.mean(0) / (3.0 * b2.mean(0) ** 2)
        return binder_crossing(a.T, Ua, Ub, deg)

    return jackknife(stat, [a.m2, a.m4, b.m2, b.m4], n_blocks=a.m2.shape[0])


def unsatisfied_bonds(s, graph: Graph) -> np.ndarray | int:
    """Number of bonds with J_ij s_i s_j < 0 (a domain wall on a ferromagnet, a frustrated
    bond in a glass), for spins of shape (..., N).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import square_lattice, unsatisfied_bonds
    >>> s = np.ones(16); s[:8] = -1          # two stripes on a 4x4 torus: two walls of 4
    >>> int(unsatisfied_bonds(s, square_lattice(4)))
    8
    """
    s = _spins("s", s).astype(np.float64)
    e = graph.edges
    out = (graph.J * s[..., e[:, 0]] * s[..., e[:, 1]] < 0).sum(axis=-1)
    return int(out) if np.ndim(out) == 0 else out


def domain_walls(S) -> np.ndarray | int:
    """Length of domain wall (unlike nearest-neighbour pairs) of lattice configurations (..., L, M).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import domain_walls
    >>> int(domain_walls(np.ones((4, 4))))
    0
    """
    S = _spins("S", S)
    out = (S != np.roll(S, -1, axis=-1)).sum(axis=(-2, -1)) + \
        (S != np.roll(S, -1, axis=-2)).sum(axis=(-2, -1))
    return int(out) if np.ndim(out) == 0 else out


def block_spins(S, b: int) -> np.ndarray:
    """Majority-rule block spins: each b x b block (b odd, so no ties) becomes the sign of
    its sum.  S has shape (..., L, L) with L divisible by b.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import block_spins
    >>> S = np.ones((6, 6), dtype=np.int8); S[0, :2] = -1
    >>> block_spins(S, 3).tolist()
    [[1, 1], [1, 1]]
    """
    S = _spins("S", S)
    b = _size("b", b, 1)
    if b % 2 == 0:
        raise ValueError(f"b must be odd so that a block's majority is never tied, got {b}")
    L = S.shape[-1]
    if S.ndim < 2 or S.shape[-2] != L or L % b:
        raise ValueError(f"S must end in a square L x L lattice with L divisible by b = {b}")
    k = L // b
    blocks = S.reshape(*S.shape[:-2], k, b, k, b).sum(axis=(-3, -1), dtype=np.int64)
    return np.sign(blocks).astype(np.int8)


def field_sweep(S, T: float, hs, sweeps_per_h: int, rng, J: float = 1.0) -> np.ndarray:
    """Metropolis through a sequence of fields ``hs`` (e.g. up and back down), carrying the
    spins from one field to the next; returns the magnetisation per spin averaged over the
    sweeps at each field, shape (len(hs), R).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import field_sweep
    >>> m = field_sweep(-np.ones((2, 8, 8)), 1.0, [-1.0, 4.0], 50, rng=0)
    >>> m.shape, bool(m[-1].min() > 0.9)
    ((2, 2), True)
    """
    S = _replicas(S)
    hs = np.atleast_1d(real_array("hs", hs))
    k = _sweeps(sweeps_per_h)
    g = as_rng(rng)
    out = np.empty((hs.size, S.shape[0]))
    for i, h in enumerate(hs.tolist()):
        ch = metropolis(S, T, k, g, J=J, h=h, measure=False)
        S = ch.S
        out[i] = ch.M.mean(axis=0) / (S.shape[1] * S.shape[2])
    return out


# ---------------------------------------------------------------------------
# the lattice dial
# ---------------------------------------------------------------------------
def lattice_svg(S, cell: int = 6, title: str = "spins") -> str:
    """An SVG picture of a ±1 lattice: up spins dark, down spins light (one path per row run).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.ising import lattice_svg
    >>> lattice_svg(np.ones((2, 2))).startswith("<svg")
    True
    """
    S = _spins("S", S)
    if S.ndim != 2:
        raise ValueError("S must be a 2-D lattice")
    L, M = S.shape
    d = []
    for r in range(L):
        row = S[r]
        c = 0
        while c < M:
            if row[c] == 1:
                c0 = c
                while c < M and row[c] == 1:
                    c += 1
                d.append(f"M{c0 * cell} {r * cell}h{(c - c0) * cell}v{cell}h{-(c - c0) * cell}z")
            else:
                c += 1
    w, hgt = M * cell, L * cell
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" role="img" '
            f'aria-label="{html.escape(title)}"><rect width="{w}" height="{hgt}" fill="#e9eef5"/>'
            f'<path d="{"".join(d)}" fill="#204a87"/></svg>')


@dataclass(frozen=True)
class LatticeReadout:
    """What the lattice dial shows at one (T, h)."""

    T: float
    h: float
    S: np.ndarray
    m: float
    e: float
    walls: int
    m_yang: float
    e_onsager: float


class IsingDial:
    """Temperature and field controls on an L x L lattice (Part IV, "The Ising model for
    vector-cowboys").

    ``readout(T, h)`` is pure: it starts from all spins up and runs ``n_sweeps``
    Metropolis sweeps with the fixed seed, so a setting always shows the same picture.

    Parameters
    ----------
    L : int
        Even lattice size.
    n_sweeps : int
        Sweeps per setting.
    seed : int
        The sampler's seed.
    """

    def __init__(self, L: int = 32, n_sweeps: int = 200, seed: int = 0, T: float = 2.0,
                 h: float = 0.0) -> None:
        self.L = _size("L", L, 2)
        if self.L % 2:
            raise ValueError("L must be even")
        self.n_sweeps = _sweeps(n_sweeps)
        self.seed = _size("seed", seed, 0)
        self._T0 = positive_scalar("T", T)
        self._h0 = real_scalar("h", h)
        self.slider_T = self.slider_h = None

    def readout(self, T: float, h: float) -> LatticeReadout:
        T = positive_scalar("T", T)
        h = real_scalar("h", h)
        ch = metropolis(np.ones((1, self.L, self.L), dtype=np.int8), T, self.n_sweeps,
                        rng=self.seed, h=h, measure=False)
        S = ch.S[0]
        N = self.L * self.L
        return LatticeReadout(T=T, h=h, S=S, m=float(S.sum()) / N,
                              e=float(lattice_energy(S)) / N, walls=domain_walls(S),
                              m_yang=yang_magnetization(T), e_onsager=onsager_energy(T))

    def meter_text(self, r: LatticeReadout) -> str:
        return (f"T = {r.T:.3f} (T_c = {onsager_Tc():.3f}) · h = {r.h:+.3f} · "
                f"m = {r.m:+.3f} (Yang, h = 0: ±{r.m_yang:.3f}) · "
                f"E/N = {r.e:.3f} (Onsager, h = 0: {r.e_onsager:.3f}) · wall bonds = {r.walls}")

    def build(self):
        """Create the widgets (lazily: only notebooks need ipywidgets) and return the box."""
        import ipywidgets as w

        self.slider_T = w.FloatSlider(value=self._T0, min=0.5, max=5.0, step=0.05,
                                      description="T", readout_format=".2f")
        self.slider_h = w.FloatSlider(value=self._h0, min=-1.0, max=1.0, step=0.02,
                                      description="h", readout_format="+.2f")
        self.picture = w.HTML()
        self.meter = w.HTML()
        self.slider_T.observe(lambda ch: self.update(), names="value")
        self.slider_h.observe(lambda ch: self.update(), names="value")
        self.widget = w.VBox([self.slider_T, self.slider_h, self.picture, self.meter])
        self.update()
        return self.widget

    def update(self) -> LatticeReadout:
        """Recompute from the sliders and refresh the picture and the meter."""
        if self.slider_T is None:
            raise RuntimeError("call build() first")
        r = self.readout(float(self.slider_T.value), float(self.slider_h.value))
        self.picture.value = lattice_svg(r.S, title=f"spins at T={r.T:.2f}, h={r.h:+.2f}")
        self.meter.value = self.meter_text(r)
        self.last = r
        return r
