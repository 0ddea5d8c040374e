r"""Markov-chain samplers of the Ising model and the per-sweep record they keep.

:func:`metropolis` (checkerboard, vectorised over replicas), :func:`swendsen_wang`
(clusters) and :func:`metropolis_graph` (any sparse graph, by colour classes) take ``rng``
as an int seed or a Generator and record E, M and the k_min structure factor per sweep in
a :class:`Chain`; :func:`estimates` turns a chain into means with error bars
(:mod:`umlib.core.montecarlo`).  :func:`field_sweep` drives a lattice round a hysteresis
loop.  Used in "The Ising model, exactly" (part4/03-ising-model),
"Ising dynamics on social graphs" (part4/04-social-network) and
"Coarse-graining and the critical point" (part4/06-coarse-graining).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ...core.validate import (as_rng, count, finite_result, real_array, real_scalar, record_fields,
                               flag, sequence, spins)

# the most spins random_spins draws (8 bytes of work each; the book's largest is 64 x 64 x 64)
MAX_SPINS = 10 ** 8
from ...core.montecarlo import binder, jackknife
from ._common import _field
from .graphs import Graph, energy, graph_coloring, lattice_energy

__all__ = [
    "random_spins",
    "Chain",
    "metropolis",
    "swendsen_wang",
    "metropolis_graph",
    "second_moment_xi",
    "estimates",
    "field_sweep",
]


def random_spins(shape, rng) -> np.ndarray:
    """Independent ±1 spins (int8) of the given shape: an infinite-temperature start.

    Used in Part IV, "The Ising model, exactly", "Ising dynamics on social graphs"
    and "Learning machines as Ising engines".

    Parameters
    ----------
    shape : int or tuple of int
        Shape of the array, e.g. ``(R, L, L)`` for R lattices or ``(R, N)`` for a graph.
    rng : int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    numpy.ndarray
        int8 array of -1 and +1, each with probability 1/2.

    Examples
    --------
    >>> from umlib.physics.ising import random_spins
    >>> s = random_spins((2, 4, 4), rng=0)
    >>> s.shape, s.dtype.name, set(s.ravel().tolist()) <= {-1, 1}
    ((2, 4, 4), 'int8', True)
    """
    dims = [shape] if isinstance(shape, (int, np.integer)) else sequence("shape", shape)
    dims = [count("shape", d, minimum=1) for d in dims]
    if not dims or int(np.prod(dims, dtype=object)) > MAX_SPINS:
        raise ValueError(f"shape must hold 1 to {MAX_SPINS} spins, got {tuple(dims)}")
    g = as_rng(rng)
    return (2 * g.integers(0, 2, size=shape) - 1).astype(np.int8)


@dataclass
class Chain:
    """A sampler's output: the final spins and per-sweep series of shape (n_sweeps, R).

    Returned by :func:`metropolis`, :func:`swendsen_wang` and :func:`metropolis_graph` and
    read by :func:`estimates`; used in Part IV, "The Ising model, exactly",
    "Ising dynamics on social graphs" and "Coarse-graining and the critical point".

    Parameters
    ----------
    S : numpy.ndarray
        Final spins, int8: ``(R, L, L)`` from the lattice samplers, ``(R, N)`` from
        :func:`metropolis_graph`.
    E : numpy.ndarray
        ``(n_sweeps, R)`` total energy after each sweep, in units of J (zeros when
        the sampler ran with ``measure=False``).
    M : numpy.ndarray
        ``(n_sweeps, R)`` total magnetisation Σ s after each sweep.
    F : numpy.ndarray or None
        ``(n_sweeps, R)`` structure factor ``|Σ s e^{ik·r}|²`` at the smallest
        lattice wave vector k_min = 2π/L, averaged over the two axes (lattice
        samplers only; None for graphs).
    flips : int
        Attempted single-spin flips (Metropolis) or site updates (Swendsen–Wang).
    n_sites : int
        Sites per replica, N.
    T : numpy.ndarray
        ``(R,)`` temperature of each replica, in units of J (k_B = 1).
    measured : bool, default True
        Whether E and F were recorded (False when the sampler ran with
        ``measure=False``; :func:`estimates` then refuses the chain).
    """

    def __post_init__(self) -> None:
        record_fields(self)

    S: np.ndarray
    E: np.ndarray
    M: np.ndarray
    F: np.ndarray | None = None
    flips: int = 0            # attempted single-spin flips (Metropolis) or site updates
    n_sites: int = 0
    T: np.ndarray = field(default_factory=lambda: np.zeros(0))
    measured: bool = True


def _replicas(S, name="S") -> np.ndarray:
    S = spins(name, S)
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


def _sweeps(n, name: str = "n_sweeps") -> int:
    return count(name, n, minimum=1)


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
    Sites of one colour share no bond, so a whole sublattice is updated at once from
    a precomputed neighbour table; at h = 0 the acceptance probabilities come from a
    five-entry table per replica.  Derived in Part IV, "The Ising model, exactly"
    (also behind its lattice dial, and behind :func:`field_sweep` in
    "Coarse-graining and the critical point").

    Parameters
    ----------
    S : array_like
        Starting spins ±1, shape ``(R, L, L)`` with L even; not modified.
    T : float or array_like
        Temperature in units of J (k_B = 1), > 0: a scalar or one per replica ``(R,)``.
    n_sweeps : int
        Number of sweeps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    J : float
        Nearest-neighbour coupling.
    h : float
        Uniform field, in units of J.
    measure : bool
        Record E and F every sweep; with False only M is recorded (E and F are zero).

    Returns
    -------
    Chain
        Final spins and the per-sweep series E, M, F.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import metropolis
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
    measure = flag("measure", measure)
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
    return Chain(S=s.reshape(R, L, L), E=E, M=M, F=F, flips=n * R * N, n_sites=N, T=Tv,
                 measured=bool(measure))


def swendsen_wang(S, T, n_sweeps: int, rng, J: float = 1.0, measure: bool = True) -> Chain:
    """Swendsen–Wang cluster updates (zero field) on R replicas of an L x L periodic lattice.

    Each sweep activates every satisfied bond with probability 1 - e^{-2J/T}, finds the
    clusters (one ``connected_components`` call for all replicas) and flips each cluster
    with probability 1/2.  Used in Part IV, "The Ising model, exactly" (against
    Yang's magnetisation) and "Coarse-graining and the critical point" (block spins,
    Binder runs, the correlation length).

    Parameters
    ----------
    S : array_like
        Starting spins ±1, shape ``(R, L, L)``; not modified.
    T : float or array_like
        Temperature in units of J (k_B = 1), > 0: a scalar or one per replica ``(R,)``.
    n_sweeps : int
        Number of sweeps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    J : float
        Coupling, > 0 (ferromagnet).
    measure : bool
        Record E and F every sweep; with False only M is recorded (E and F are zero),
        which is all a Binder cumulant needs.

    Returns
    -------
    Chain
        Final spins and the per-sweep series E, M, F.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import swendsen_wang
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
    measure = flag("measure", measure)
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
    return Chain(S=S, E=E, M=M, F=F, flips=n * R * L * L, n_sites=L * L, T=Tv,
                 measured=bool(measure))


def metropolis_graph(s, graph: Graph, T, n_sweeps: int, rng, h=0.0) -> Chain:
    """Metropolis on any graph for R replicas, one colour class at a time.

    Sites of one colour (:func:`~umlib.physics.ising.graphs.graph_coloring`) share no
    edge, so they can flip together; a sweep visits every class once.  Used in
    Part IV, "Ising dynamics on social graphs".

    Parameters
    ----------
    s : array_like
        Starting spins ±1, shape ``(R, N)`` with ``N = graph.n``; not modified.
    graph : Graph
        Sites, edges and couplings.
    T : float or array_like
        Temperature in units of J (k_B = 1), > 0: a scalar or one per replica ``(R,)``.
    n_sweeps : int
        Number of sweeps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    h : float or array_like
        Field, a scalar or one value per site ``(N,)``, in units of J.

    Returns
    -------
    Chain
        Final spins ``(R, N)`` int8, E and M per sweep; F is None.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import metropolis_graph, random_graph
    >>> g = random_graph(50, 3.0, rng=0)
    >>> ch = metropolis_graph(np.ones((2, 50)), g, 0.2, 20, rng=1)
    >>> ch.M.shape, bool((ch.M[-1] > 40).all())
    ((20, 2), True)
    """
    if not isinstance(graph, Graph):
        raise TypeError("graph must be a umlib.physics.ising.Graph")
    s = spins("s", s).astype(np.float64)
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
    # every local field and energy is below sum |J| + sum |h|: refuse one that overflows
    finite_result("h (or the graph's J)",
                  lambda: 2.0 * (np.abs(graph.J).sum() + np.abs(hv).sum()))
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


def second_moment_xi(S0, Sk, L: int):
    """Second-moment correlation length ξ = sqrt(S(0)/S(k_min) - 1) / (2 sin(π/L)).

    No chapter calls it directly: it is the ``xi`` of :func:`estimates`, which
    Part IV, "Coarse-graining and the critical point" measures at T_c.

    Parameters
    ----------
    S0 : float or array_like
        Structure factor at k = 0, i.e. ``<M²>`` (total magnetisation).
    Sk : float or array_like
        Structure factor at k_min = 2π/L, in the same normalisation (``Chain.F``).
    L : int
        Linear size of the lattice, >= 2.

    Returns
    -------
    float or numpy.ndarray
        ξ in lattice spacings (0 where S(0) <= S(k_min)).

    Examples
    --------
    >>> from umlib.physics.ising import second_moment_xi
    >>> round(float(second_moment_xi(2.0, 1.0, 1000)), 3)    # 1/(2 sin(π/1000)) ≈ 159.2
    159.155
    """
    S0 = real_array("S0", S0)
    Sk = real_array("Sk", Sk)
    L = count("L", L, minimum=2)
    if np.any(S0 < 0):
        raise ValueError("S0 (a structure factor) must be >= 0")
    if np.any(Sk <= 0):
        raise ValueError("Sk must be > 0 (a structure factor of zero gives an infinite xi)")
    try:
        np.broadcast_shapes(S0.shape, Sk.shape)
    except ValueError:
        raise ValueError(f"S0 and Sk have incompatible shapes {S0.shape} and {Sk.shape}") \
            from None
    return finite_result("S0, Sk", lambda: np.sqrt(np.maximum(S0 / Sk - 1.0, 0.0))
                         / (2.0 * math.sin(math.pi / L)))


def estimates(chain: Chain, discard: int = 0, n_blocks: int = 20) -> dict:
    """Per-spin observables of a chain with block-jackknife error bars, one value per replica.

    Used in Part IV, "Coarse-graining and the critical point" (the correlation
    length at T_c).

    Parameters
    ----------
    chain : Chain
        Output of a sampler.
    discard : int
        Sweeps dropped at the start (equilibration); must leave more than
        ``n_blocks`` sweeps.
    n_blocks : int
        Jackknife blocks, >= 2.

    Returns
    -------
    dict
        Name -> ``(value, stderr)``, each an array of shape ``(R,)``: ``e`` energy per
        spin (units of J), ``c`` specific heat per spin (dimensionless, k_B = 1),
        ``abs_m`` ``<|m|>``, ``m2`` ``<m²>``, ``chi`` susceptibility per spin from
        ``<m²> - <|m|>²`` (units of 1/J), ``binder`` the Binder cumulant and, for
        lattice chains, ``xi`` (second-moment correlation length, lattice spacings).

    Notes
    -----
    ``e``, ``c`` and ``xi`` need a chain recorded with ``measure=True``; a chain
    recorded with ``measure=False`` (E and F zeros) is refused with a ValueError naming
    ``chain`` (it used to give e = c = 0 and an infinite xi).

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import estimates, metropolis
    >>> ch = metropolis(np.ones((1, 4, 4), dtype=np.int8), 1.0, 400, rng=0)
    >>> est = estimates(ch, discard=50)
    >>> bool(0.9 < est["abs_m"][0][0] <= 1.0)
    True
    """
    if not isinstance(chain, Chain):
        raise TypeError("chain must be a umlib.physics.ising.Chain")
    if not chain.measured:
        raise ValueError("chain was recorded with measure=False: its E and F are zeros, so "
                         "e, c and xi cannot be estimated")
    d = count("discard", discard, minimum=0)
    n_blocks = count("n_blocks", n_blocks, minimum=2)
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


def field_sweep(S, T: float, hs, sweeps_per_h: int, rng, J: float = 1.0) -> np.ndarray:
    """Metropolis through a sequence of fields, carrying the spins from one field to the next.

    Driving ``hs`` up and back down traces a hysteresis loop.  Used in Part IV,
    "Coarse-graining and the critical point".

    Parameters
    ----------
    S : array_like
        Starting spins ±1, shape ``(R, L, L)`` with L even; not modified.
    T : float or array_like
        Temperature in units of J (k_B = 1): a scalar or one per replica ``(R,)``.
    hs : array_like
        Fields in order, in units of J.
    sweeps_per_h : int
        Metropolis sweeps at each field, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    J : float
        Nearest-neighbour coupling.

    Returns
    -------
    numpy.ndarray
        ``(len(hs), R)`` magnetisation per spin averaged over the sweeps at each field.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import field_sweep
    >>> m = field_sweep(-np.ones((2, 8, 8)), 1.0, [-1.0, 4.0], 50, rng=0)
    >>> m.shape, bool(m[-1].min() > 0.9)
    ((2, 2), True)
    """
    S = _replicas(S)
    hs = np.atleast_1d(real_array("hs", hs))
    if hs.ndim != 1:
        raise ValueError(f"hs must be a 1-D sequence of fields, got shape {hs.shape}")
    k = _sweeps(sweeps_per_h, "sweeps_per_h")
    g = as_rng(rng)
    out = np.empty((hs.size, S.shape[0]))
    for i, h in enumerate(hs.tolist()):
        ch = metropolis(S, T, k, g, J=J, h=h, measure=False)
        S = ch.S
        out[i] = ch.M.mean(axis=0) / (S.shape[1] * S.shape[2])
    return out
