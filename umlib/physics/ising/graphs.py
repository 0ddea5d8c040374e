r"""Graphs of couplings and the Ising energy on them.

Spins :math:`s_i \in \{-1, +1\}` on the vertices of a graph with edges
:math:`\langle i, j\rangle`, couplings :math:`J_{ij}` and fields :math:`h_i`:

.. math::

    E(\mathbf s) = -\sum_{\langle i,j\rangle} J_{ij}\, s_i s_j - \sum_i h_i s_i .

Units: :math:`k_B = 1`, energies and temperatures in units of :math:`J`.  Derived in
"The Ising model, exactly" (part4/03-ising-model); the random and block graphs,
colouring and unsatisfied bonds are used in "Ising dynamics on social graphs"
(part4/04-social-network).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.validate import (as_rng, count, finite_result, positive_scalar, real_array,
                               real_scalar, record_fields, sequence, spins)
from ._common import _field

__all__ = [
    "Graph",
    "square_lattice",
    "random_graph",
    "block_graph",
    "energy",
    "lattice_energy",
    "graph_coloring",
    "unsatisfied_bonds",
    "domain_walls",
]


@dataclass(frozen=True)
class Graph:
    """Ising couplings on a graph: N sites, an edge list and one coupling per edge.

    The energy of spins on it is :func:`energy`.  Derived in Part IV,
    "The Ising model, exactly"; the social networks of "Ising dynamics on social graphs"
    are Graphs too.

    Parameters
    ----------
    n : int
        Number of sites, labelled ``0..n-1``.
    edges : numpy.ndarray
        ``(n_edges, 2)`` integer array of site pairs, each bond listed once; no
        self-loops.  Parallel edges are allowed and their couplings add.
    J : numpy.ndarray
        ``(n_edges,)`` coupling of each edge (energy units; k_B = 1): > 0
        ferromagnetic, < 0 antiferromagnetic.

    Raises
    ------
    ValueError
        ``edges`` not an integer ``(n_edges, 2)`` array, a site outside ``0..n-1``,
        a self-loop, or ``J`` not one finite value per edge.
    """

    n: int
    edges: np.ndarray
    J: np.ndarray

    def __post_init__(self) -> None:
        record_fields(self)
        count("n", self.n, minimum=1)
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
        """Number of edge ends at each site, shape ``(n,)`` (a doubled bond counts twice)."""
        return np.bincount(self.edges.ravel(), minlength=self.n)


def square_lattice(L: int, M: int | None = None, J: float = 1.0) -> Graph:
    """The L x M periodic square lattice (site ``r * M + c``), each bond once.

    The ``L * M`` right bonds come first, then the ``L * M`` down bonds (the order
    :func:`umlib.physics.spinglass.plaquettes` relies on).  For L or M equal to 2 the
    wrap-around bond doubles the direct one, as on any 2-periodic torus. Derived in Part
    IV, "The Ising model, exactly"; also used in "What the essay promises" and
    "Phases, and convergence as a ground state".

    Parameters
    ----------
    L : int
        Rows, >= 2.
    M : int, optional
        Columns, >= 2; defaults to ``L``.
    J : float
        Coupling of every bond, in energy units (k_B = 1).

    Returns
    -------
    Graph
        ``L * M`` sites and ``2 L M`` edges.

    Examples
    --------
    >>> from umlib.physics.ising import square_lattice
    >>> g = square_lattice(3)
    >>> g.n, g.edges.shape, set(g.degree.tolist())
    (9, (18, 2), {4})
    """
    L = count("L", L, minimum=2)
    M = L if M is None else count("M", M, minimum=2)
    idx = np.arange(L * M).reshape(L, M)
    right = np.stack([idx.ravel(), np.roll(idx, -1, axis=1).ravel()], axis=1)
    down = np.stack([idx.ravel(), np.roll(idx, -1, axis=0).ravel()], axis=1)
    edges = np.concatenate([right, down])
    return Graph(L * M, edges, np.full(len(edges), real_scalar("J", J)))


def random_graph(n: int, mean_degree: float, rng, J: float = 1.0) -> Graph:
    """An Erdős–Rényi graph G(n, p) with p = mean_degree / (n - 1).

    Used in Part IV, "Ising dynamics on social graphs" (the random network and the
    mean-field check of its critical temperature).

    Parameters
    ----------
    n : int
        Number of sites, >= 2.
    mean_degree : float
        Expected degree, 0 < mean_degree <= n - 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    J : float
        Coupling of every edge (energy units).

    Returns
    -------
    Graph
        Each of the ``n (n - 1) / 2`` pairs is an edge independently with probability p.

    Examples
    --------
    >>> from umlib.physics.ising import random_graph
    >>> g = random_graph(200, 4.0, rng=1)
    >>> bool(3.0 < g.degree.mean() < 5.0)
    True
    """
    n = count("n", n, minimum=2)
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
    """A stochastic block model: communities with dense links inside and sparse links between.

    Used in Part IV, "Ising dynamics on social graphs" (two communities, and the
    balanced graph with antagonistic links between them).

    Parameters
    ----------
    sizes : sequence of int
        Number of sites in each community, each >= 1.
    p_in, p_out : float
        Edge probability for a pair inside one community and across two, in [0, 1].
    rng : int or numpy.random.Generator
        Seed or generator.
    J_in, J_out : float
        Coupling of an edge inside a community and between communities (energy units).

    Returns
    -------
    graph : Graph
        ``sum(sizes)`` sites, communities in consecutive blocks of labels.
    labels : numpy.ndarray
        ``(n,)`` int, each site's community ``0..len(sizes)-1``.

    Examples
    --------
    >>> from umlib.physics.ising import block_graph
    >>> g, lab = block_graph([50, 50], 0.2, 0.01, rng=0, J_out=-1.0)
    >>> g.n, sorted(set(g.J.tolist()))
    (100, [-1.0, 1.0])
    """
    sizes = [count("sizes[k]", s, minimum=1) for s in sequence("sizes", sizes)]
    if not sizes:
        raise ValueError("sizes must name at least one block")
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


def energy(s, graph: Graph, h=0.0) -> np.ndarray | float:
    """Ising energy E(s) = -Σ_edges J_ij s_i s_j - Σ_i h_i s_i of spins on a graph.

    Derived in Part IV, "The Ising model, exactly"; used in
    "Ising dynamics on social graphs" and "Learning machines as Ising engines" (against
    the dense form :func:`umlib.physics.spinglass.dense_energy`).

    Parameters
    ----------
    s : array_like
        Spins ±1 of shape ``(..., N)``, ``N = graph.n``.
    graph : Graph
        Sites, edges and couplings.
    h : float or array_like
        Field, a scalar or one value per site ``(N,)`` (energy units).

    Returns
    -------
    float or numpy.ndarray
        E in energy units (units of J, k_B = 1): a float for one configuration,
        shape ``(...)`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import energy, square_lattice
    >>> g = square_lattice(3)
    >>> float(energy(np.ones(9), g)), float(energy(np.ones(9), g, h=0.5))
    (-18.0, -22.5)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.physics.ising.Graph")
    s = spins("s", s)
    if s.shape[-1] != graph.n:
        raise ValueError(f"s must have {graph.n} spins on its last axis, got {s.shape[-1]}")
    s = s.astype(np.float64)
    e = graph.edges
    hv = _field(h, graph.n)
    out = finite_result("h (or the graph's J)", lambda: -(s[..., e[:, 0]] * s[..., e[:, 1]])
                        @ graph.J - s @ hv)
    return float(out) if np.ndim(out) == 0 else out


def lattice_energy(S, J: float = 1.0, h: float = 0.0) -> np.ndarray | float:
    """Energy of periodic square-lattice configurations, without building a graph.

    Equal to :func:`energy` on :func:`square_lattice` (any L, M >= 2), and the
    record the lattice samplers keep.  Used in Part IV, "The Ising model, exactly".

    Parameters
    ----------
    S : array_like
        Spins ±1 of shape ``(..., L, M)``.
    J : float
        Nearest-neighbour coupling (energy units).
    h : float
        Uniform field (energy units).

    Returns
    -------
    float or numpy.ndarray
        E in units of J (k_B = 1), a float for one lattice, shape ``(...)`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import lattice_energy
    >>> float(lattice_energy(np.ones((4, 4))))
    -32.0
    """
    S = spins("S", S).astype(np.float64)
    if S.ndim < 2:
        raise ValueError("S must have at least two (lattice) axes")
    J, h = real_scalar("J", J), real_scalar("h", h)
    bonds = (S * np.roll(S, -1, axis=-1) + S * np.roll(S, -1, axis=-2)).sum(axis=(-2, -1))
    out = finite_result("J, h", lambda: -J * bonds - h * S.sum(axis=(-2, -1)))
    return float(out) if np.ndim(out) == 0 else out


def graph_coloring(graph: Graph) -> np.ndarray:
    """A greedy proper colouring (largest degree first): no edge joins two sites of one colour.

    No chapter calls it directly: it serves Part IV, "Ising dynamics on social graphs",
    where :func:`~umlib.physics.ising.samplers.metropolis_graph` updates one colour class
    at a time.

    Parameters
    ----------
    graph : Graph
        Any graph.

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int64 colours ``0..k-1``; at most ``max degree + 1`` colours.

    Examples
    --------
    >>> from umlib.physics.ising import graph_coloring, square_lattice
    >>> int(graph_coloring(square_lattice(4)).max()) + 1
    2
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.physics.ising.Graph")
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


def unsatisfied_bonds(s, graph: Graph) -> np.ndarray | int:
    """Number of unsatisfied bonds, J_ij s_i s_j < 0 (domain walls, or frustrated bonds in a glass).

    Used in Part IV, "The Ising model, exactly" (ground states of a ±J glass) and
    "Ising dynamics on social graphs" (disagreement on balanced and antiferromagnetic networks).

    Parameters
    ----------
    s : array_like
        Spins ±1 of shape ``(..., N)``.
    graph : Graph
        Edges and couplings.

    Returns
    -------
    int or numpy.ndarray
        The count, an int for one configuration, shape ``(...)`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import square_lattice, unsatisfied_bonds
    >>> s = np.ones(16); s[:8] = -1          # two stripes on a 4x4 torus: two walls of 4
    >>> int(unsatisfied_bonds(s, square_lattice(4)))
    8
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph, got {type(graph).__name__}")
    s = spins("s", s).astype(np.float64)
    if s.shape[-1] != graph.n:
        raise ValueError(f"s must have {graph.n} spins on its last axis, got shape {s.shape}")
    e = graph.edges
    out = (graph.J * s[..., e[:, 0]] * s[..., e[:, 1]] < 0).sum(axis=-1)
    return int(out) if np.ndim(out) == 0 else out


def domain_walls(S) -> np.ndarray | int:
    """Length of domain wall (unlike nearest-neighbour pairs) of periodic lattice configurations.

    No chapter calls it directly: it feeds the Metropolis lattice dial
    (:class:`umlib.widgets.lattice.IsingDial`) of Part IV, "The Ising model, exactly".

    Parameters
    ----------
    S : array_like
        Spins ±1 of shape ``(..., L, M)``.

    Returns
    -------
    int or numpy.ndarray
        Number of unlike bonds (each counted once), an int for one lattice, shape
        ``(...)`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import domain_walls
    >>> int(domain_walls(np.ones((4, 4))))
    0
    """
    S = spins("S", S)
    if S.ndim < 2:
        raise ValueError(f"S must be an (..., L, M) lattice, got shape {S.shape}")
    out = (S != np.roll(S, -1, axis=-1)).sum(axis=(-2, -1)) + \
        (S != np.roll(S, -1, axis=-2)).sum(axis=(-2, -1))
    return int(out) if np.ndim(out) == 0 else out
