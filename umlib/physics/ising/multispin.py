r"""Multi-spin coding: 64 Ising replicas in the bits of one uint64 lattice.

Bit ``r`` of the word at site ``(i, j)`` is the spin of replica ``r`` there (1 for
:math:`s = +1`, 0 for :math:`s = -1`), so one bitwise operation on an ``(L, L)`` uint64
array acts on 64 independent lattices at once: multi-spin coding (L. Jacobs and
C. Rebbi, "Multi-spin coding: a very efficient technique for Monte Carlo simulations of
spin systems", J. Comput. Phys. 41, 203 (1981)).  The Markov chain itself is the
single-spin Metropolis chain of the Ising model (W. Krauth, *Statistical Mechanics:
Algorithms and Computations*, Oxford University Press, 2006, ch. 5), visited in
checkerboard order as :func:`~umlib.physics.ising.samplers.metropolis` does.

* :func:`pack_spins`, :func:`unpack_spins` — between ±1 arrays ``(64, ...)`` and words;
* :func:`lane_counts` — the number of set bits of each replica (bit lane), summed over
  the words: magnetisations and energies come from it;
* :func:`bernoulli_words` — words whose 64 bits are independent Bernoulli(p) bits, built
  from fair random words by comparing each lane's uniform with the binary expansion of p;
* :func:`multispin_metropolis` — checkerboard Metropolis (J = 1, optional uniform field)
  on all 64 replicas, with the acceptance decided by bitwise logic.

Only numpy is needed.  Belongs with Part IV, "The Ising model, exactly"
(part4/03-ising-model), whose samplers it speeds up; the throughput is measured side
by side with them in ``benchmarks/ising_throughput.py``.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.validate import as_array, as_rng, count, flag, real_scalar, sequence, spins
from ._common import _beta
from .samplers import Chain

__all__ = ["LANES", "pack_spins", "unpack_spins", "lane_counts", "bernoulli_words",
           "multispin_metropolis"]

#: Replicas per word: the bits of a uint64.
LANES = 64

_ONE = np.uint64(1)
_M01 = np.uint64(0x0101010101010101)     # the lowest bit of every byte
_SHIFTS = np.arange(8, dtype=np.uint64)
_FULL_ROUNDS = 10                         # digits of U drawn bitwise before the per-lane tail


def _words(name: str, W) -> np.ndarray:
    arr = as_array(name, W)
    if arr.dtype != np.uint64:
        raise TypeError(f"{name} must be a uint64 array of packed spins, got dtype {arr.dtype}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    return arr


def pack_spins(S) -> np.ndarray:
    """Pack 64 replicas of ±1 spins into one uint64 array (bit r = replica r, 1 for +1).

    Belongs with Part IV, "The Ising model, exactly" (input of
    :func:`multispin_metropolis`).

    Parameters
    ----------
    S : array_like
        Spins ±1 of shape ``(64, ...)``: replica first, then the sites.

    Returns
    -------
    numpy.ndarray of uint64, shape ``S.shape[1:]``
        Word at each site; bit r is set where replica r has spin +1.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import pack_spins
    >>> S = -np.ones((64, 2), dtype=np.int8)
    >>> S[0, 0] = S[63, 1] = 1
    >>> [hex(int(w)) for w in pack_spins(S)]
    ['0x1', '0x8000000000000000']
    """
    S = spins("S", S)
    if S.ndim < 2 or S.shape[0] != LANES:
        raise ValueError(f"S must have shape (64, ...): one row per replica, got {S.shape}")
    bits = np.moveaxis(S > 0, 0, -1)                          # (..., 64)
    packed = np.packbits(bits, axis=-1, bitorder="little")   # (..., 8) bytes, lane 0 lowest
    return np.ascontiguousarray(packed).view("<u8")[..., 0].astype(np.uint64)


def unpack_spins(W) -> np.ndarray:
    """Unpack uint64 words into 64 replicas of ±1 spins; the inverse of :func:`pack_spins`.

    Belongs with Part IV, "The Ising model, exactly".

    Parameters
    ----------
    W : numpy.ndarray of uint64
        Packed spins, any shape.

    Returns
    -------
    numpy.ndarray of int8, shape ``(64,) + W.shape``
        Replica r is bit r of every word, mapped 1 -> +1 and 0 -> -1.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import unpack_spins
    >>> S = unpack_spins(np.array([1, 2], dtype=np.uint64))
    >>> S.shape, S[:3].tolist()
    ((64, 2), [[1, -1], [-1, 1], [-1, -1]])
    """
    W = _words("W", W)
    b = np.ascontiguousarray(W.astype("<u8")).view(np.uint8).reshape(W.shape + (8,))
    bits = np.unpackbits(b, axis=-1, bitorder="little")      # (..., 64)
    return np.moveaxis(2 * bits.astype(np.int8) - 1, -1, 0)


def _lane_counts(W: np.ndarray) -> np.ndarray:
    """(G, n) uint64 -> (G, 64) int64 set-bit counts per lane (no checks).

    SWAR: ``(w >> j) & 0x0101...`` puts lane 8b + j in byte b as 0/1; summing up to 255
    such words cannot carry out of a byte, so one uint64 addition adds 8 lanes at once.
    """
    G, n = W.shape
    pad = (-n) % 255
    if pad:
        W = np.concatenate([W, np.zeros((G, pad), np.uint64)], axis=1)
    W = W.reshape(G, -1, 255)
    part = ((W[None] >> _SHIFTS[:, None, None, None]) & _M01).sum(axis=3, dtype=np.uint64)
    by = np.ascontiguousarray(part).astype("<u8").view(np.uint8)     # (8, G, nb*8)
    c = by.reshape(8, G, -1, 8).sum(axis=2, dtype=np.int64)          # (shift j, G, byte b)
    return c.transpose(1, 2, 0).reshape(G, LANES)                    # lane = 8 b + j


def lane_counts(W) -> np.ndarray:
    """Number of set bits in each of the 64 lanes, summed over all words.

    For packed spins this is, per replica, the number of up spins; for the XOR of a
    lattice with its shifted copy it is the number of unsatisfied bonds.  (``np.bitwise_count``
    counts the other way, across the lanes of one word.)  Belongs with Part IV,
    "The Ising model, exactly".

    Parameters
    ----------
    W : numpy.ndarray of uint64
        Words, any shape.

    Returns
    -------
    numpy.ndarray of int64, shape (64,)
        Entry r is the number of words whose bit r is set.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import lane_counts
    >>> lane_counts(np.array([1, 3, 2**63], dtype=np.uint64))[[0, 1, 2, 63]].tolist()
    [2, 1, 0, 1]
    """
    W = _words("W", W)
    return _lane_counts(W.reshape(1, -1))[0]


def _threshold(p: float, bits: int) -> int:
    """floor(p 2^bits), as an exact integer (p in [0, 1]); p = 1 gives 2^bits."""
    return math.floor(math.ldexp(p, bits)) if p < 1.0 else 1 << bits


def _lanes_below(masks, thresholds, bits: int, g: np.random.Generator) -> np.ndarray:
    """Bits set where each lane's fresh uniform U is below its lane's threshold.

    ``masks`` are disjoint uint64 arrays of one shape; a lane set in ``masks[c]`` is
    compared with ``thresholds[c] / 2**bits`` (an int in ``[0, 2**bits]``).  Every lane
    has its own uniform ``bits``-digit U.  Its first digits come bitwise, most significant
    first, one fair random word per word of lanes and digit: a lane is decided at the
    first digit where U and the threshold differ (U below it if that digit of U is 0).
    After ``_FULL_ROUNDS`` (10) digits only a fraction 2^-10 of the lanes is still tied;
    each of those draws its remaining digits at once, as one uint64, and compares them with
    the rest of its threshold as integers.  So P(bit set) = threshold / 2^bits exactly, for
    every lane independently.
    """
    shape = masks[0].shape
    acc = np.zeros(masks[0].size, np.uint64)
    cur = [np.ravel(m) for m in masks]
    live, ths = [], []
    for m, t in zip(cur, thresholds):
        if t >> bits:                                # threshold 2^bits: always below
            acc |= m
        elif t:                                      # threshold 0: never below
            live.append(m)
            ths.append(t)
    if not live:
        return acc.reshape(shape)
    und = live[0].copy()
    for m in live[1:]:
        und |= m
    head = min(_FULL_ROUNDS, bits)
    digits = g.integers(0, 1 << 64, size=(head, und.size), dtype=np.uint64)
    for i in range(head):
        on = [m for m, t in zip(live, ths) if (t >> (bits - 1 - i)) & 1]
        u = digits[i]
        if not on:                                   # threshold digit 0: U's 1 is above
            und &= ~u
            continue
        B = on[0] if len(on) == 1 else np.bitwise_or.reduce(on, axis=0)
        dec = und & (u ^ B)                          # tied lanes where U's digit differs
        und ^= dec
        acc |= dec & B                               # ... and U's digit is the 0: below
    rest = bits - head
    if rest == 0:
        return acc.reshape(shape)                    # still tied: U >= threshold
    idx = np.flatnonzero(und)                        # words with a tied lane
    if idx.size == 0:
        return acc.reshape(shape)
    tied = _bits_of(und[idx])                        # (n_idx, 64) of 0/1
    lanes = np.flatnonzero(tied)
    tail = np.zeros(lanes.size, np.uint64)           # each tied lane's remaining threshold
    low = (1 << rest) - 1
    for m, t in zip(live, ths):
        inside = _bits_of(m[idx]).ravel()[lanes].astype(bool)
        tail[inside] = t & low
    v = g.integers(0, 1 << 64, size=lanes.size, dtype=np.uint64) >> np.uint64(64 - rest)
    hit = np.zeros(tied.size, np.uint8)
    hit[lanes[v < tail]] = 1
    acc[idx] |= _words_of(hit.reshape(-1, LANES))
    return acc.reshape(shape)


def _bits_of(w: np.ndarray) -> np.ndarray:
    """(n,) uint64 -> (n, 64) uint8 of 0/1, column r = bit r."""
    b = np.ascontiguousarray(w.astype("<u8")).view(np.uint8).reshape(-1, 8)
    return np.unpackbits(b, axis=1, bitorder="little")


def _words_of(bits: np.ndarray) -> np.ndarray:
    """(n, 64) 0/1 -> (n,) uint64, column r = bit r."""
    return np.packbits(bits, axis=1, bitorder="little").view("<u8")[:, 0].astype(np.uint64)


def bernoulli_words(p, shape, rng, bits: int = 64) -> np.ndarray:
    """uint64 words whose bits are independent Bernoulli(p) bits, built from fair bits.

    Each of the 64 lanes of each word compares its own uniform U = 0.u_1 u_2 ... u_bits
    with the binary expansion of p cut to ``bits`` digits, and the bit is 1 where U is
    below.  The first ten digits of all 64 lanes come from ten fair random words (one bit
    per lane, most significant first; a lane is decided at the first digit where U and p
    differ); the 1/1024 of the lanes still tied draw their remaining digits as one uint64
    each.  So a word costs about 10 random words, whatever ``bits`` is, and the rate is
    exactly floor(p 2^bits) / 2^bits: below p by less than 2^-bits (5.4e-20 at the
    default 64, under float64's own rounding of p; 2.3e-10 at 32).  Belongs with
    Part IV, "The Ising model, exactly" (the acceptance bits of
    :func:`multispin_metropolis`).

    Parameters
    ----------
    p : float
        Probability of a set bit, 0 <= p <= 1.
    shape : int or tuple of int
        Shape of the array of words.
    rng : int or numpy.random.Generator
        Seed or generator.
    bits : int, default 64
        Binary digits of p used, 1 <= bits <= 64.

    Returns
    -------
    numpy.ndarray of uint64
        The words.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import bernoulli_words
    >>> w = bernoulli_words(0.25, 10_000, rng=0)
    >>> round(int(np.bitwise_count(w).sum()) / 640_000, 2)
    0.25
    """
    p = real_scalar("p", p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    bits = count("bits", bits, minimum=1, maximum=64)
    g = as_rng(rng)
    dims = [shape] if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool) \
        else sequence("shape", shape)
    dims = [count("shape", d, minimum=1) for d in dims]
    if math.prod(dims) > 2 ** 31 - 1:
        raise ValueError(f"shape must hold at most 2**31 - 1 words, got {tuple(dims)}")
    ones = np.full(dims, np.iinfo(np.uint64).max, dtype=np.uint64)
    return _lanes_below([ones], [_threshold(p, bits)], bits, g)


def _split(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, L) words -> the two sublattices, each (L, L/2): colour c holds (i + j) % 2 == c.

    Row i of colour c holds the columns j = 2k + (c + i) % 2, k = 0 .. L/2 - 1.
    """
    L = W.shape[0]
    A = np.empty((L, L // 2), np.uint64)
    B = np.empty((L, L // 2), np.uint64)
    A[0::2], A[1::2] = W[0::2, 0::2], W[1::2, 1::2]
    B[0::2], B[1::2] = W[0::2, 1::2], W[1::2, 0::2]
    return A, B


def _join(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    L = A.shape[0]
    W = np.empty((L, L), np.uint64)
    W[0::2, 0::2], W[1::2, 1::2] = A[0::2], A[1::2]
    W[0::2, 1::2], W[1::2, 0::2] = B[0::2], B[1::2]
    return W


def _side(Y: np.ndarray, c: int) -> np.ndarray:
    """The horizontal neighbour of colour c's site (i, k) that is not Y[i, k].

    Site (i, 2k + o) with o = (c + i) % 2 has horizontal neighbours in the other colour
    at columns 2k + o ± 1, i.e. other-colour indices k and k - 1 (o = 0) or k and k + 1
    (o = 1), periodically.
    """
    out = np.empty_like(Y)
    e, o = (slice(0, None, 2), slice(1, None, 2)) if c == 0 else \
        (slice(1, None, 2), slice(0, None, 2))   # rows with offset 0, rows with offset 1
    out[e, 1:], out[e, :1] = Y[e, :-1], Y[e, -1:]  # k - 1
    out[o, :-1], out[o, -1:] = Y[o, 1:], Y[o, :1]  # k + 1
    return out


def _half_sweep(X: np.ndarray, Y: np.ndarray, c: int, thresholds, bits: int, g) -> None:
    """Metropolis update, in place, of every site of colour c (words X) given the other (Y).

    With n the number of anti-aligned neighbours (0..4), s Σ s_nbr = 4 - 2n and the
    energy change of a flip is ΔE = 2 s (J Σ s_nbr + h) = 8 - 4n + 2 h s (J = 1).  At
    h = 0 (``thresholds`` a pair, for ΔE = 4 and 8) n >= 2 always flips, n = 1 flips
    with probability e^{-4/T}, n = 0 with e^{-8/T}.  In a field ``thresholds[n][u]`` is the
    threshold for n anti-aligned neighbours and spin up (u = 0) or down (u = 1).
    """
    a1 = X ^ np.roll(Y, 1, axis=0)
    a2 = X ^ np.roll(Y, -1, axis=0)
    a3 = X ^ Y
    a4 = X ^ _side(Y, c)
    s1, c1 = a1 ^ a2, a1 & a2                 # half adders: a1 + a2 = s1 + 2 c1
    s2, c2 = a3 ^ a4, a3 & a4
    if len(thresholds) == 2:                   # zero field
        ge2 = c1 | c2 | (s1 & s2)              # n >= 2
        any_ = s1 | s2 | c1 | c2               # n >= 1
        eq1 = any_ & ~ge2
        eq0 = ~any_
        flip = ge2 | _lanes_below([eq1, eq0], thresholds, bits, g)
    else:                                      # n = b0 + 2 b1 + 4 b2, then one mask per (n, s)
        k = s1 & s2
        b0, b1, b2 = s1 ^ s2, c1 ^ c2 ^ k, (c1 & c2) | ((c1 ^ c2) & k)
        n0, n1 = ~b0, ~b1
        eq = [n1 & n0 & ~b2, n1 & b0, b1 & n0, b1 & b0, b2]
        down = ~X
        masks = [m for e in eq for m in (e & X, e & down)]
        flip = _lanes_below(masks, [t for row in thresholds for t in row], bits, g)
    X ^= flip


def _observe(A: np.ndarray, B: np.ndarray, out_E, out_M, t: int, measure: bool,
             h: float) -> None:
    W = _join(A, B)
    N = W.size
    if measure:
        G = np.stack([W.ravel(), (W ^ np.roll(W, -1, axis=1)).ravel(),
                      (W ^ np.roll(W, -1, axis=0)).ravel()])
        up, ar, ad = _lane_counts(G)
    else:
        up = _lane_counts(W.reshape(1, -1))[0]
    out_M[t] = 2.0 * up - N
    if measure:
        out_E[t] = 2.0 * (ar + ad) - 2.0 * N - h * out_M[t]   # -(2N - 2 n_anti) - h M


def _thresholds(beta: float, h: float, bits: int) -> list:
    """Acceptance thresholds floor(min(1, e^{-ΔE/T}) 2^bits): the pair for ΔE = 4, 8 at
    h = 0, else one per (n anti-aligned neighbours, spin up / down), ΔE = 8 - 4n ± 2h."""
    def th(dE):
        return _threshold(math.exp(-beta * dE), bits) if dE > 0 else 1 << bits
    if h == 0.0:
        return [th(4.0), th(8.0)]
    return [[th(8.0 - 4.0 * n + 2.0 * h), th(8.0 - 4.0 * n - 2.0 * h)] for n in range(5)]


def _run(S, thresholds, n_sweeps: int, g, bits: int, measure: bool, T: float,
         h: float = 0.0) -> Chain:
    """The sampler with given acceptance thresholds (integers over 2^bits), see _thresholds."""
    W = pack_spins(S)
    L = W.shape[0]
    A, B = _split(W)
    E = np.zeros((n_sweeps, LANES))
    M = np.empty((n_sweeps, LANES))
    for t in range(n_sweeps):
        _half_sweep(A, B, 0, thresholds, bits, g)
        _half_sweep(B, A, 1, thresholds, bits, g)
        _observe(A, B, E, M, t, measure, h)
    return Chain(S=unpack_spins(_join(A, B)), E=E, M=M, F=None,
                 flips=n_sweeps * LANES * L * L, n_sites=L * L, T=np.full(LANES, T))


def multispin_metropolis(S, T, n_sweeps: int, rng, h: float = 0.0,
                         measure: bool = True) -> Chain:
    """Checkerboard Metropolis on 64 replicas of an L x L periodic lattice, bit-parallel.

    The replicas are packed with :func:`pack_spins`; each half-sweep updates one colour
    of the checkerboard in all 64 replicas with about twenty bitwise operations per word,
    plus about four per random digit of the acceptance (ten digits for all lanes):
    XOR with the four neighbours marks the anti-aligned ones, two half adders count them
    (n = 0..4, ΔE = 8 - 4n in units of J), n >= 2 flips outright, and n = 1 and n = 0 flip
    where the lane's own fresh uniform falls below e^{-4/T} or e^{-8/T}
    (:func:`bernoulli_words`' comparison, 64 binary digits: the acceptance is the float64
    value rounded down to a multiple of 2^-64, a bias below 5.5e-20).  Each lane draws
    its own random digits, so the 64 replicas are independent chains, each an exact
    checkerboard Metropolis chain with J = 1.  In a field h the count is completed to
    three bits and each lane takes the threshold of its (n, s), ΔE = 8 - 4n + 2hs (ten
    cases instead of two).  Energies and magnetisations are
    counted per lane with :func:`lane_counts`.  Multi-spin coding after Jacobs & Rebbi
    (1981); belongs with Part IV, "The Ising model, exactly", next to
    :func:`~umlib.physics.ising.samplers.metropolis`.

    Parameters
    ----------
    S : array_like
        Starting spins ±1, shape ``(64, L, L)`` with L even; not modified.
    T : float
        Temperature in units of J (k_B = 1), > 0, the same for all 64 replicas.
    n_sweeps : int
        Number of sweeps, >= 1.
    rng : int or numpy.random.Generator
        Seed or generator.
    h : float
        Uniform field, in units of J (E includes -h M).
    measure : bool
        Record E every sweep; with False only M is recorded (E is zero).

    Returns
    -------
    Chain
        Final spins ``(64, L, L)`` int8 and the per-sweep series E and M, shape
        ``(n_sweeps, 64)``; F is None.  :func:`~umlib.physics.ising.samplers.estimates` reads it.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.ising import multispin_metropolis
    >>> ch = multispin_metropolis(np.ones((64, 8, 8), dtype=np.int8), 1.0, 20, rng=0)
    >>> ch.M.shape, ch.flips, bool(ch.M[-1].min() > 50)
    ((20, 64), 81920, True)
    """
    S = spins("S", S)
    if S.ndim != 3 or S.shape[0] != LANES or S.shape[1] != S.shape[2]:
        raise ValueError(f"S must have shape (64, L, L): 64 replicas of a square lattice, "
                         f"got {S.shape}")
    if S.shape[1] % 2:
        raise ValueError(f"the checkerboard needs an even L, got S of side {S.shape[1]}")
    T, beta = _beta(T)
    n = count("n_sweeps", n_sweeps, minimum=1)
    g = as_rng(rng)
    h = real_scalar("h", h)
    if abs(h) * S[0].size > 1e300:
        raise OverflowError(f"h = {h!r} makes the field energy h * sum(s) overflow "
                            f"on {S[0].size} spins")
    measure = flag("measure", measure)
    bits = 64
    return _run(S, _thresholds(beta, h, bits), n, g, bits, measure, T, h)
