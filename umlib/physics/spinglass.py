r"""Spin glasses, frustration, simulated annealing and the Hopfield network.

Derived in Part IV: frustration in "What the essay promises" (part4/01-opening) and
"The Ising model, exactly" (part4/03-ising-model); ground states and annealing in
"Phases, and convergence as a ground state" (part4/02-phase-state); the Hopfield network
in "Learning machines as Ising engines" (part4/05-ising-engines).

Dense couplings: a symmetric matrix :math:`J` with zero diagonal and

.. math:: E(\mathbf s) = -\tfrac12\, \mathbf s^\top J \mathbf s - \mathbf h\cdot\mathbf s
          = -\sum_{i<j} J_{ij} s_i s_j - \sum_i h_i s_i .

* :func:`sk_couplings` — Sherrington–Kirkpatrick, :math:`J_{ij} \sim N(0, 1/N)`;
* :func:`pm_j_lattice` — the ±J (Edwards–Anderson) square lattice, :func:`plaquettes`
  and :func:`frustrated_plaquettes` (a plaquette is frustrated when the product of its
  four couplings is negative: no spin assignment satisfies all four bonds);
* :func:`ground_states` — exhaustive search (N <= 24);
* :func:`anneal` — simulated annealing (single-spin Metropolis, vectorised over replicas);
* :func:`hebbian` / :func:`hopfield_recall` / :func:`retrieval_overlap` — store, recall,
  and measure the capacity (:math:`α_c ≈ 0.138`, Amit, Gutfreund & Sompolinsky 1985).
"""

from __future__ import annotations

import numpy as np

from ..core.validate import as_rng, count, positive_scalar, real_array, real_scalar, spins
from .ising import Graph

# the most sweeps per temperature anneal accepts (the book uses 1 to 50)
MAX_SWEEPS = 10 ** 6

__all__ = ["coupling_matrix", "sk_couplings", "pm_j_lattice", "plaquettes",
           "frustrated_plaquettes", "dense_energy", "ground_states", "anneal",
           "geometric_schedule", "hebbian", "hopfield_recall", "retrieval_overlap",
           "frustrated_triangles"]


def _couplings(J, name: str = "J") -> np.ndarray:
    J = real_array(name, J)
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {J.shape}")
    if not np.array_equal(J, J.T):
        raise ValueError(f"{name} must be symmetric")
    if np.any(np.diag(J) != 0):
        raise ValueError(f"{name} must have a zero diagonal")
    return J


def _field(h, J, name: str = "J") -> np.ndarray:
    """The field as an (N,) array, after checking that no energy can overflow."""
    n = J.shape[0]
    h = real_array("h", h)
    if h.ndim > 1 or (h.ndim == 1 and h.shape not in ((n,), (1,))):
        raise ValueError(f"h must be a scalar or have shape ({n},), got {h.shape}")
    h = np.broadcast_to(h, (n,))
    with np.errstate(over="ignore", invalid="ignore"):
        bound = 0.5 * np.abs(J).sum() + np.abs(h).sum()     # |E(s)| <= bound for every s
    if not np.isfinite(bound):
        raise OverflowError(f"the energies of these {name} and h leave the float range "
                            f"(sum |{name}| / 2 + sum |h| overflows)")
    return h


def coupling_matrix(graph: Graph) -> np.ndarray:
    """The dense symmetric coupling matrix of a graph (parallel edges add).

    Used in Part IV, "Phases, and convergence as a ground state",
    "The Ising model, exactly" and "Learning machines as Ising engines", to hand a graph
    to :func:`ground_states`, :func:`anneal` or :func:`dense_energy`.

    Parameters
    ----------
    graph : umlib.physics.ising.Graph
        Sites, edges and couplings.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` float matrix with ``J[i, j] = J[j, i]`` the summed coupling of
        the edges between i and j, and a zero diagonal.

    Examples
    --------
    >>> from umlib.physics.ising import square_lattice
    >>> from umlib.physics.spinglass import coupling_matrix
    >>> coupling_matrix(square_lattice(3)).sum(axis=1).tolist()[:3]
    [4.0, 4.0, 4.0]
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.physics.ising.Graph")
    A = np.zeros((graph.n, graph.n))
    np.add.at(A, (graph.edges[:, 0], graph.edges[:, 1]), graph.J)
    return A + A.T


def sk_couplings(n: int, rng, J0: float = 0.0) -> np.ndarray:
    """Sherrington–Kirkpatrick couplings J_ij = J0/N + g_ij/sqrt(N), g_ij ~ N(0, 1), symmetric.

    Used in Part IV, "Phases, and convergence as a ground state" (annealing against
    the exhaustive ground state of a small glass).

    Parameters
    ----------
    n : int
        Number of spins N, >= 2.
    rng : int or numpy.random.Generator
        Seed or generator.
    J0 : float
        Mean coupling times N (a ferromagnetic bias; 0 for the pure glass).

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` symmetric matrix with zero diagonal (energy units).

    Examples
    --------
    >>> from umlib.physics.spinglass import sk_couplings
    >>> J = sk_couplings(10, rng=0)
    >>> J.shape, bool((J == J.T).all()), float(J[3, 3])
    ((10, 10), True, 0.0)
    """
    n = count("n", n, minimum=2)
    J0 = real_scalar("J0", J0)
    g = as_rng(rng).normal(size=(n, n))
    J = np.triu(g, 1) / np.sqrt(n) + np.triu(np.full((n, n), J0 / n), 1)
    return J + J.T


def pm_j_lattice(L: int, rng, p_negative: float = 0.5) -> Graph:
    """The ±J (Edwards–Anderson) periodic square lattice: each bond -1 with prob. ``p_negative``.

    Used in Part IV, "What the essay promises" (frustrated plaquettes),
    "The Ising model, exactly" (a glass's degenerate ground states) and
    "Learning machines as Ising engines".

    Parameters
    ----------
    L : int
        Linear size, >= 2.
    rng : int or numpy.random.Generator
        Seed or generator.
    p_negative : float
        Probability of an antiferromagnetic bond, in [0, 1].

    Returns
    -------
    umlib.physics.ising.Graph
        The edges of ``square_lattice(L)`` with couplings ±1.

    Examples
    --------
    >>> from umlib.physics.spinglass import pm_j_lattice
    >>> g = pm_j_lattice(4, rng=0)
    >>> g.n, sorted(set(g.J.tolist()))
    (16, [-1.0, 1.0])
    """
    from .ising import square_lattice

    p = real_scalar("p_negative", p_negative, finite=False)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p_negative must lie in [0, 1], got {p_negative}")
    base = square_lattice(L)
    sign = np.where(as_rng(rng).random(len(base.J)) < p, -1.0, 1.0)
    return Graph(base.n, base.edges, sign)


def plaquettes(L: int) -> np.ndarray:
    """Edge indices (into ``square_lattice(L).edges``) of the L*L elementary plaquettes.

    No chapter calls it directly: :func:`frustrated_plaquettes` uses it for Part IV,
    "What the essay promises" and "The Ising model, exactly".

    Parameters
    ----------
    L : int
        Linear size, >= 3 (for L = 2 the plaquettes' bonds coincide).

    Returns
    -------
    numpy.ndarray
        ``(L*L, 4)`` int: for the plaquette with top-left site (r, c), its top,
        right, bottom and left bonds.

    Examples
    --------
    >>> from umlib.physics.spinglass import plaquettes
    >>> plaquettes(3).shape
    (9, 4)
    """
    L = count("L", L, minimum=3)
    n = L * L
    r, c = np.divmod(np.arange(n), L)
    right = lambda rr, cc: (rr % L) * L + (cc % L)           # noqa: E731 (edge id of a right bond)
    down = lambda rr, cc: n + (rr % L) * L + (cc % L)         # noqa: E731
    return np.stack([right(r, c), down(r, c + 1), right(r + 1, c), down(r, c)], axis=1)


def frustrated_plaquettes(graph: Graph, L: int) -> np.ndarray:
    """Which plaquettes are frustrated: the product of their four couplings is negative.

    No spin assignment satisfies all four bonds of a frustrated plaquette.  Used in
    Part IV, "What the essay promises" and "The Ising model, exactly".

    Parameters
    ----------
    graph : umlib.physics.ising.Graph
        An L x L periodic square lattice, its edges in the order of
        :func:`~umlib.physics.ising.graphs.square_lattice`.
    L : int
        Its linear size, >= 3.

    Returns
    -------
    numpy.ndarray
        ``(L*L,)`` bool mask, in :func:`plaquettes` order.

    Examples
    --------
    >>> from umlib.physics.ising import square_lattice
    >>> from umlib.physics.spinglass import frustrated_plaquettes
    >>> int(frustrated_plaquettes(square_lattice(4), 4).sum())
    0
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph, got {type(graph).__name__}")
    P = plaquettes(L)
    if graph.n != L * L or len(graph.J) != 2 * L * L:
        raise ValueError("graph must be an L x L periodic square lattice")
    return np.prod(graph.J[P], axis=1) < 0


def frustrated_triangles(J) -> float:
    """Fraction of triangles (i, j, k) with J_ij J_jk J_ki < 0 among those with no zero bond.

    Used in Part IV, "Learning machines as Ising engines" (the frustration of
    Hebbian couplings as more patterns are stored).

    Parameters
    ----------
    J : array_like
        ``(N, N)`` symmetric coupling matrix with zero diagonal.

    Returns
    -------
    float
        The frustrated fraction, in [0, 1] (1/2 for random signs).

    Raises
    ------
    ValueError
        J not square, symmetric and zero on the diagonal, or no triangle of non-zero bonds.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import frustrated_triangles
    >>> frustrated_triangles(np.ones((4, 4)) - np.eye(4))
    0.0
    """
    J = _couplings(J)
    S = np.sign(J)
    prod = np.einsum("ij,jk,ki->", S, S, S)        # Σ over ordered triples, 6 per triangle
    nz = (S != 0).astype(float)
    count = np.einsum("ij,jk,ki->", nz, nz, nz)
    if count == 0:
        raise ValueError("J has no triangle of non-zero bonds")
    return float(0.5 * (1.0 - prod / count))


def dense_energy(s, J, h=0.0):
    """Energy E(s) = -½ sᵀJs - h·s with a dense coupling matrix, for spins of shape (..., N).

    Used in Part IV, "Learning machines as Ising engines" (equal to
    :func:`~umlib.physics.ising.graphs.energy` on the same couplings).

    Parameters
    ----------
    s : array_like
        Spins ±1 of shape ``(..., N)``.
    J : array_like
        ``(N, N)`` symmetric coupling matrix with zero diagonal.
    h : float or array_like
        Field, a scalar or ``(N,)``, in energy units.

    Returns
    -------
    float or numpy.ndarray
        E in energy units (units of J, k_B = 1), a float for one state, shape ``(...)`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import dense_energy
    >>> float(dense_energy(np.ones(3), np.ones((3, 3)) - np.eye(3)))
    -3.0
    """
    J = _couplings(J)
    s = spins("s", s).astype(np.float64)
    if s.shape[-1] != J.shape[0]:
        raise ValueError(f"s must have {J.shape[0]} spins on its last axis")
    h = _field(h, J)
    out = -0.5 * np.einsum("...i,ij,...j->...", s, J, s) - s @ h
    return float(out) if np.ndim(out) == 0 else out


def ground_states(J, h=0.0, atol: float = 1e-9) -> tuple[float, np.ndarray]:
    """Exhaustive minimum of E over all 2**N states (N <= 24), with every minimiser.

    States within ``atol`` of the minimum count as degenerate.  Used in Part IV,
    "Phases, and convergence as a ground state" (the reference for annealing)
    and "The Ising model, exactly" (a ±J glass's degenerate ground states).

    Parameters
    ----------
    J : array_like
        ``(N, N)`` symmetric coupling matrix with zero diagonal, N <= 24.
    h : float or array_like
        Field, a scalar or ``(N,)``, in energy units.
    atol : float
        Energy tolerance for degeneracy (finite, >= 0).

    Returns
    -------
    E0 : float
        The ground-state energy (units of J).
    states : numpy.ndarray
        ``(n_ground, N)`` int8, every state within ``atol`` of E0, in the order of
        their binary index.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import ground_states
    >>> E0, states = ground_states(np.ones((3, 3)) - np.eye(3))
    >>> E0, states.tolist()
    (-3.0, [[-1, -1, -1], [1, 1, 1]])
    """
    J = _couplings(J)
    n = J.shape[0]
    if n > 24:
        raise ValueError(f"J has N = {n} spins: exhaustive search is limited to 24 spins")
    h = _field(h, J)
    atol = real_scalar("atol", atol)
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol}")
    best, found = np.inf, []
    chunk = 2 ** min(n, 14)
    bits = np.arange(n)
    for start in range(0, 2 ** n, chunk):
        k = np.arange(start, start + chunk, dtype=np.int64)[:, None]
        s = (2 * ((k >> bits) & 1) - 1).astype(np.float64)
        E = -0.5 * np.einsum("ki,ij,kj->k", s, J, s) - s @ h
        m = E.min()
        if m < best - atol:
            best, found = m, [s[E <= m + atol]]
        elif m <= best + atol:
            found.append(s[E <= best + atol])
    states = np.concatenate(found).astype(np.int8)
    return float(best), states


def geometric_schedule(T_hot: float, T_cold: float, n_steps: int) -> np.ndarray:
    """Temperatures falling geometrically from ``T_hot`` to ``T_cold``: an annealing schedule.

    Used in Part IV, "Phases, and convergence as a ground state".

    Parameters
    ----------
    T_hot, T_cold : float
        First and last temperature, in units of J (k_B = 1), > 0.
    n_steps : int
        Number of temperatures, >= 2.

    Returns
    -------
    numpy.ndarray
        ``(n_steps,)`` temperatures, both ends included.

    Examples
    --------
    >>> from umlib.physics.spinglass import geometric_schedule
    >>> geometric_schedule(4.0, 1.0, 3).tolist()
    [4.0, 2.0, 1.0]
    """
    a, b = positive_scalar("T_hot", T_hot), positive_scalar("T_cold", T_cold)
    n = count("n_steps", n_steps, minimum=2)
    return np.geomspace(a, b, n)


def anneal(J, schedule, rng, n_replicas: int = 1, sweeps_per_T: int = 1, h=0.0,
           s0=None) -> tuple[np.ndarray, np.ndarray]:
    """Simulated annealing: single-spin Metropolis sweeps at each temperature of a schedule.

    Sites are visited in order, vectorised over replicas; a temperature 0 entry means
    greedy descent (only flips that lower E).  Used in Part IV,
    "Phases, and convergence as a ground state".

    Parameters
    ----------
    J : array_like
        ``(N, N)`` symmetric coupling matrix with zero diagonal.
    schedule : array_like
        1-D temperatures in units of J (k_B = 1), each >= 0.
    rng : int or numpy.random.Generator
        Seed or generator.
    n_replicas : int
        Independent replicas R, >= 1.
    sweeps_per_T : int
        Sweeps at each temperature, >= 1.
    h : float or array_like
        Field, a scalar or ``(N,)``, in units of J.
    s0 : array_like, optional
        Starting spins ±1 holding R * N values (reshaped to ``(R, N)``); random if None.

    Returns
    -------
    s : numpy.ndarray
        ``(R, N)`` int8 final spins.
    E : numpy.ndarray
        ``(R,)`` their energies (units of J).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import anneal, geometric_schedule
    >>> J = np.ones((6, 6)) - np.eye(6)
    >>> s, E = anneal(J, geometric_schedule(5.0, 0.05, 50), rng=0, n_replicas=4)
    >>> E.tolist()
    [-15.0, -15.0, -15.0, -15.0]
    """
    J = _couplings(J)
    n = J.shape[0]
    sched = real_array("schedule", schedule)
    if sched.ndim != 1 or np.any(sched < 0):
        raise ValueError("schedule must be a 1-D array of temperatures >= 0")
    R = count("n_replicas", n_replicas, minimum=1)
    k = count("sweeps_per_T", sweeps_per_T, minimum=1, maximum=MAX_SWEEPS)
    h = _field(h, J)
    if s0 is not None:
        s0 = spins("s0", s0)
        if s0.shape not in ((R, n),) + (((n,), (1, n)) if R == 1 else ()):
            raise ValueError(f"s0 must have shape (n_replicas, N) = ({R}, {n})"
                             + (f" or ({n},)" if R == 1 else "") + f", got {s0.shape}")
    g = as_rng(rng)
    s = (2.0 * g.integers(0, 2, size=(R, n)) - 1.0) if s0 is None else \
        s0.astype(np.float64).reshape(R, n).copy()
    loc = s @ J + h                                  # local fields (R, N)
    for T in sched.tolist():
        for _ in range(k):
            u = g.random((n, R))
            for i in range(n):
                dE = 2.0 * s[:, i] * loc[:, i]
                if T > 0:
                    acc = (dE <= 0) | (u[i] < np.exp(-np.maximum(dE, 0.0) / T))
                else:
                    acc = dE < 0
                if acc.any():
                    delta = np.where(acc, -2.0 * s[:, i], 0.0)
                    s[:, i] += delta
                    loc += delta[:, None] * J[i][None, :]
    return s.astype(np.int8), dense_energy(s, J, h)


def hebbian(patterns) -> np.ndarray:
    """Hopfield's Hebbian couplings W = (1/N) Σ_μ ξ^μ ξ^μᵀ with zero diagonal.

    Used in Part IV, "Learning machines as Ising engines" (stored memories as an
    Ising energy landscape, and their frustration).

    Parameters
    ----------
    patterns : array_like
        ``(P, N)`` ±1 patterns ξ^μ.

    Returns
    -------
    numpy.ndarray
        ``(N, N)`` symmetric coupling matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import hebbian
    >>> hebbian(np.array([[1, -1, 1]])).tolist()[0]
    [0.0, -0.3333333333333333, 0.3333333333333333]
    """
    xi = spins("patterns", patterns).astype(np.float64)
    if xi.ndim != 2:
        raise ValueError("patterns must have shape (P, N)")
    W = xi.T @ xi / xi.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def hopfield_recall(W, s0, rng, n_sweeps: int = 10) -> np.ndarray:
    """Zero-temperature asynchronous Hopfield dynamics s_i ← sign(Σ_j W_ij s_j) to a fixed point.

    Ties keep s_i; sites are visited in a fresh random order each sweep, and the
    run stops early when a sweep changes nothing.  No chapter calls it directly:
    :func:`retrieval_overlap` uses it for Part IV, "Learning machines as Ising engines".

    Parameters
    ----------
    W : array_like
        ``(N, N)`` symmetric couplings with zero diagonal.
    s0 : array_like
        Starting states ±1, ``(B, N)`` or one state ``(N,)``.
    rng : int or numpy.random.Generator
        Seed or generator (the visiting order).
    n_sweeps : int
        Maximum number of sweeps, >= 1.

    Returns
    -------
    numpy.ndarray
        ``(B, N)`` int8 final states (B = 1 for a single state).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.spinglass import hebbian, hopfield_recall
    >>> xi = np.array([[1, 1, 1, -1, -1, -1, 1, -1]])
    >>> noisy = xi.copy(); noisy[0, 0] = -1
    >>> bool((hopfield_recall(hebbian(xi), noisy, rng=0) == xi).all())
    True
    """
    W = _couplings(W, "W")
    s = spins("s0", s0).astype(np.float64)
    if s.ndim == 1:
        s = s[None, :]
    if s.shape[1] != W.shape[0]:
        raise ValueError(f"s0 must have {W.shape[0]} spins per state")
    s = s.copy()
    g = as_rng(rng)
    for _ in range(count("n_sweeps", n_sweeps, minimum=1)):
        changed = False
        for i in g.permutation(W.shape[0]).tolist():
            f = s @ W[i]
            new = np.where(f > 0, 1.0, np.where(f < 0, -1.0, s[:, i]))
            if np.any(new != s[:, i]):
                changed = True
                s[:, i] = new
        if not changed:
            break
    return s.astype(np.int8)


def retrieval_overlap(n: int, n_patterns: int, rng, flip_fraction: float = 0.1,
                      n_sweeps: int = 10, n_probe: int | None = None) -> np.ndarray:
    """Overlap of recalled with stored patterns in a Hopfield network: the capacity experiment.

    Stores ``n_patterns`` random patterns of ``n`` spins (:func:`hebbian`), starts
    from each (or the first ``n_probe``) with a fraction of spins flipped, runs
    :func:`hopfield_recall` and measures the overlap m = ξ·s/N with the pattern it
    started from.  Used in Part IV, "Learning machines as Ising engines" (recall
    fails near α = P/N ≈ 0.138).

    Parameters
    ----------
    n : int
        Spins N, >= 2.
    n_patterns : int
        Stored patterns P, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    flip_fraction : float
        Probability that each spin of a probe is flipped, in [0, 0.5].
    n_sweeps : int
        Maximum recall sweeps.
    n_probe : int, optional
        Number of patterns probed (all if None).

    Returns
    -------
    numpy.ndarray
        ``(n_probe,)`` overlaps in [-1, 1]; 1 is perfect recall.

    Examples
    --------
    >>> from umlib.physics.spinglass import retrieval_overlap
    >>> float(retrieval_overlap(200, 5, rng=0).min())
    1.0
    """
    n = count("n", n, minimum=2)
    P = count("n_patterns", n_patterns, minimum=1)
    f = real_scalar("flip_fraction", flip_fraction, finite=False)
    if not 0.0 <= f <= 0.5:
        raise ValueError(f"flip_fraction must lie in [0, 0.5], got {flip_fraction}")
    g = as_rng(rng)
    xi = (2 * g.integers(0, 2, size=(P, n)) - 1).astype(np.int8)
    W = hebbian(xi)
    k = P if n_probe is None else min(P, count("n_probe", n_probe, minimum=1))
    start = xi[:k].copy()
    start[g.random((k, n)) < f] *= -1
    out = hopfield_recall(W, start, g, n_sweeps)
    return (out.astype(float) * xi[:k]).sum(axis=1) / n
