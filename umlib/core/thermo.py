r"""Softmax and the Gibbs (Boltzmann) law: one function read two ways.

Definitions (Part III, chapters "One dial" and "An identity, not an analogy"):

.. math::

    \operatorname{softmax}(z, T)_n = \frac{e^{z_n/T}}{\sum_m e^{z_m/T}},
    \qquad
    p_n(E, T) = \frac{e^{-E_n/T}}{Z}, \quad Z = \sum_m e^{-E_m/T}.

With :math:`z = -E` the two are the same function at the same :math:`T`.  This
module implements them *separately* (softmax from scores, ``gibbs`` from
energies) so that the book can check the identity instead of assuming it.

Conventions
-----------
* ``T`` (in energy units, :math:`k_B = 1`) is a finite, strictly positive scalar.  Negative and zero
  temperatures are rejected; the limits T -> 0 and T -> inf are reached by
  passing tiny or huge values (1e-300 and 1e300 are within range).
* An energy of ``+inf`` (a score of ``-inf``) is a forbidden state: its
  probability is exactly 0.  An energy of ``-inf`` is rejected, as is a row in
  which every state is forbidden.
* ``E`` and ``T`` share one energy unit; entropies are in bits (``H``) or in
  units of k_B, i.e. nats (``S``).

Edge cases (each tested in ``tests/core/test_thermo.py``):

=====================  ====================================================
input                  result
=====================  ====================================================
empty ``E``            ``ValueError`` naming ``E``
NaN in ``E``           ``ValueError`` naming ``E``
``-inf`` in ``E``      ``ValueError`` naming ``E``
``+inf`` in ``E``      that state gets probability exactly 0
all ``+inf``           ``ValueError``: no allowed state
``T <= 0``, NaN, inf   ``ValueError`` naming ``T``
huge spreads / T       no warning: underflowing weights are exactly 0
=====================  ====================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .validate import check_axis, positive_scalar, real_array, record_fields

__all__ = [
    "softmax",
    "log_softmax",
    "gibbs",
    "log_z",
    "partition_function",
    "free_energy",
    "mean_energy",
    "heat_capacity",
    "gibbs_entropy",
    "shannon_entropy",
    "ThermoState",
    "thermo_state",
]


# ---------------------------------------------------------------------------
# the two faces, written independently
# ---------------------------------------------------------------------------

def _score_exponent(z: np.ndarray, T: float, axis: int) -> np.ndarray:
    """(z - max z)/T along ``axis``: every entry <= 0, the top score at exactly 0."""
    zmax = np.max(z, axis=axis, keepdims=True)
    if np.isneginf(zmax).any():
        raise ValueError("z: every score along the axis is -inf (no allowed outcome)")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        d = z - zmax
        x = d / T
        # z - zmax can overflow to -inf for finite z when the spread exceeds
        # the float range; rescale first there (it only matters for huge T).
        wide = np.isneginf(d) & np.isfinite(z)
        if wide.any():
            x = np.where(wide, z / T - zmax / T, x)
    return x


def softmax(z, T: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Softmax of scores ``z`` at temperature ``T``.

    Derived in Part III, "One dial"; used throughout Parts I, III, IV and V.

    Parameters
    ----------
    z : array_like
        Real scores (logits); ``-inf`` marks an impossible outcome.
    T : float, default 1.0
        Temperature (dimensionless for scores; energy units with k_B = 1 when
        ``z = -E``), finite and > 0.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy.ndarray
        Probabilities, same shape as ``z``, summing to 1 along ``axis``.

    Notes
    -----
    Computed as :math:`e^{(z-z_{\max})/T} / \sum e^{(z-z_{\max})/T}`: the top
    score contributes exactly 1 to the sum, so nothing overflows, and the sum
    is at least 1.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.thermo import softmax
    >>> p = softmax([1.0, 2.0, 3.0])
    >>> naive = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    >>> bool(np.allclose(p, naive))
    True
    >>> softmax([0.0, -np.inf]).tolist()
    [1.0, 0.0]
    """
    z = real_array("z", z, allow_neginf=True)
    T = positive_scalar("T", T)
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension")
    ax = check_axis("axis", axis, z.ndim)
    x = _score_exponent(z, T, ax)
    with np.errstate(under="ignore"):
        w = np.exp(x)
    return w / np.sum(w, axis=ax, keepdims=True)


def log_softmax(z, T: float = 1.0, axis: int = -1) -> np.ndarray:
    """Natural log of :func:`softmax`, computed without forming the probabilities.

    Used in Part III, "One dial" and "The boundary and the false friend", and in
    Part V, "Inspecting a network: caching, patching, the logit lens".

    Parameters
    ----------
    z : array_like
        Real scores (logits); ``-inf`` marks an impossible outcome.
    T : float, default 1.0
        Temperature, finite and > 0.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    numpy.ndarray
        Log-probabilities in nats, same shape as ``z``; forbidden outcomes
        (``z = -inf``) get ``-inf``.

    Examples
    --------
    >>> from umlib.core.thermo import log_softmax
    >>> [round(v, 6) for v in log_softmax([0.0, 0.0]).tolist()]
    [-0.693147, -0.693147]
    """
    z = real_array("z", z, allow_neginf=True)
    T = positive_scalar("T", T)
    if z.ndim == 0:
        raise ValueError("z must have at least one dimension")
    ax = check_axis("axis", axis, z.ndim)
    x = _score_exponent(z, T, ax)
    with np.errstate(under="ignore"):
        s = np.sum(np.exp(x), axis=ax, keepdims=True)
    return x - np.log(s)


def _energy_exponent(E: np.ndarray, T: float, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """-(E - E0)/T along ``axis`` and the ground energy E0 (keepdims)."""
    E0 = np.min(E, axis=axis, keepdims=True)
    if np.isposinf(E0).any():
        raise ValueError("E: every state along the axis is forbidden (+inf)")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        gap = E - E0                      # excitation energies, >= 0
        x = -(gap / T)
        wide = np.isposinf(gap) & np.isfinite(E)
        if wide.any():
            x = np.where(wide, -(E / T - E0 / T), x)
    return x, E0


def _energies(E, T, axis):
    E = real_array("E", E, allow_posinf=True)
    T = positive_scalar("T", T)
    if E.ndim == 0:
        raise ValueError("E must have at least one dimension")
    ax = check_axis("axis", axis, E.ndim)
    return E, T, ax


def gibbs(E, T: float = 1.0, axis: int = -1) -> np.ndarray:
    """Boltzmann occupation probabilities :math:`e^{-E_n/T}/Z`.

    Derived in Part III, "Face B, the heat bath".  Written from the energy
    side (excitation energies above the ground state), not by calling
    :func:`softmax`; Part III ("An identity, not an analogy") checks that the two
    agree bit for bit.

    Parameters
    ----------
    E : array_like
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    numpy.ndarray
        Occupation probabilities, same shape as ``E``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.core.thermo import gibbs, softmax
    >>> E = np.array([0.5, 1.5, 2.5])
    >>> bool(np.array_equal(gibbs(E, 0.7), softmax(-E, 0.7)))
    True
    """
    E, T, ax = _energies(E, T, axis)
    x, _ = _energy_exponent(E, T, ax)
    with np.errstate(under="ignore"):
        w = np.exp(x)
    return w / np.sum(w, axis=ax, keepdims=True)


def log_z(E, T: float = 1.0, axis: int = -1) -> np.ndarray | float:
    """ln Z = -E0/T + ln sum_n exp(-(E_n - E0)/T)  (log-sum-exp, shifted by the ground state).

    Used in Part III, "One dial", "Face B, the heat bath" and "An identity, not an
    analogy".

    Parameters
    ----------
    E : array_like of float
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    float or numpy.ndarray
        ln Z (dimensionless); a float for 1-D ``E``, else one value per row.

    Raises
    ------
    OverflowError
        When ln Z itself lies outside the float range (``|E0|/T > 1.8e308``);
        :func:`free_energy` stays finite there.

    Examples
    --------
    >>> from umlib.core.thermo import log_z
    >>> round(float(log_z([0.0, 0.0, 0.0, 0.0], 1.0)), 10)  # ln 4
    1.3862943611
    """
    E, T, ax = _energies(E, T, axis)
    x, E0 = _energy_exponent(E, T, ax)
    with np.errstate(under="ignore", over="ignore"):
        s = np.sum(np.exp(x), axis=ax, keepdims=True)
        lead = -(E0 / T)
    if not np.isfinite(lead).all():
        raise OverflowError("ln Z is outside the float range for these E and T "
                            "(``|E0|/T`` overflows); use free_energy(E, T) instead")
    out = np.squeeze(lead + np.log(s), axis=ax)
    return float(out) if out.ndim == 0 else out


def partition_function(E, T: float = 1.0) -> float:
    """Z = sum_n exp(-E_n/T) straight from the definition (1-D ``E``).

    This is the "second way" of computing Z: every Boltzmann factor is formed
    unshifted and the factors are added with :func:`math.fsum` (exactly
    rounded summation).  It is independent of :func:`log_z` and valid
    only where Z and every factor are representable.

    Used in Part III, "Face B, the heat bath" and "An identity, not an analogy".

    Parameters
    ----------
    E : array_like of float, shape (n,)
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.

    Returns
    -------
    float
        Z (dimensionless), > 0.

    Raises
    ------
    OverflowError
        If a Boltzmann factor or Z overflows, or Z underflows to 0.

    Examples
    --------
    >>> from umlib.core.thermo import partition_function
    >>> partition_function([0.0, 0.0])
    2.0
    """
    E = real_array("E", E, allow_posinf=True)
    T = positive_scalar("T", T)
    if E.ndim != 1:
        raise ValueError(f"E must be one-dimensional, got shape {E.shape}")
    if np.isposinf(E).all():
        raise ValueError("E: every state is forbidden (+inf)")
    with np.errstate(over="ignore", under="ignore"):
        factors = np.exp(-(E / T))
    if np.isinf(factors).any():
        raise OverflowError("a Boltzmann factor exp(-E/T) overflows for these E and T; "
                            "use log_z")
    try:
        Z = math.fsum(factors.tolist())
    except OverflowError:      # fsum raises on an intermediate overflow
        Z = math.inf
    if math.isinf(Z):
        raise OverflowError("Z overflows for these E and T; use log_z")
    if Z == 0.0:
        raise OverflowError("Z underflows to 0 for these E and T; use log_z")
    return Z


# ---------------------------------------------------------------------------
# thermodynamic functions
# ---------------------------------------------------------------------------

def free_energy(E, T: float = 1.0, axis: int = -1):
    """Helmholtz free energy F = -T ln Z = E0 - T ln sum exp(-(E-E0)/T).

    Finite wherever the energies are, even where ln Z is not.

    Used in Part III, "One dial" and "Face B, the heat bath", and in Part IV, "A
    thermodynamic model of training, solved".

    Parameters
    ----------
    E : array_like of float
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    float or numpy.ndarray
        F in energy units; a float for 1-D ``E``, else one value per row.

    Examples
    --------
    >>> from umlib.core.thermo import free_energy
    >>> round(float(free_energy([1.0, 1.0], 1.0)), 10)   # 1 - ln 2
    0.3068528194
    """
    E, T, ax = _energies(E, T, axis)
    x, E0 = _energy_exponent(E, T, ax)
    with np.errstate(under="ignore"):
        s = np.sum(np.exp(x), axis=ax, keepdims=True)
    out = np.squeeze(E0 - T * np.log(s), axis=ax)
    return float(out) if out.ndim == 0 else out


def _masked_sum(p: np.ndarray, values: np.ndarray, axis: int) -> np.ndarray:
    """sum p*values over ``axis``, with 0 * anything = 0 (forbidden or frozen-out states)."""
    prod = np.zeros(np.broadcast_shapes(p.shape, values.shape))
    np.multiply(p, values, out=prod, where=p > 0)
    return np.sum(prod, axis=axis)


def mean_energy(E, T: float = 1.0, axis: int = -1):
    """Mean energy U = sum p_n E_n (forbidden states contribute exactly 0).

    Used in Part III, "Face B, the heat bath" and "The boundary and the false friend".

    Parameters
    ----------
    E : array_like of float
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    float or numpy.ndarray
        U in energy units; a float for 1-D ``E``, else one value per row.

    Examples
    --------
    >>> from umlib.core.thermo import mean_energy
    >>> float(mean_energy([1.0, 3.0], 1e300))
    2.0
    """
    E, T, ax = _energies(E, T, axis)
    p = gibbs(E, T, ax)
    out = _masked_sum(p, E, ax)
    return float(out) if np.ndim(out) == 0 else out


def heat_capacity(E, T: float = 1.0, axis: int = -1):
    """Heat capacity in units of k_B: C = Var(E)/T^2 = Var((E - E0)/T).

    Computed from the reduced energies (E - E0)/T, so extreme spreads do not
    overflow and a degenerate ground level at tiny T gives exactly 0.

    Used in Part III, "Face B, the heat bath".

    Parameters
    ----------
    E : array_like of float
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    float or numpy.ndarray
        C (dimensionless, k_B = 1), >= 0; a float for 1-D ``E``, else one value per row.

    Examples
    --------
    >>> from umlib.core.thermo import heat_capacity
    >>> round(float(heat_capacity([0.0, 1.0], 0.5)), 12)   # two-level Schottky peak
    0.419974341614
    """
    E, T, ax = _energies(E, T, axis)
    x, _ = _energy_exponent(E, T, ax)            # x = -(E - E0)/T, exactly 0 at the ground
    with np.errstate(under="ignore"):
        w = np.exp(x)
    p = w / np.sum(w, axis=ax, keepdims=True)
    # Var(E)/T^2 = Var(x); two passes over the *reduced* energies, which are
    # bounded (|x| < ~745) wherever p > 0, so nothing overflows and a
    # degenerate ground level gives exactly 0.
    m = np.expand_dims(_masked_sum(p, x, ax), ax)
    d = np.where(p > 0, x - np.where(p > 0, m, 0.0), 0.0)
    out = _masked_sum(p, d * d, ax)
    return float(out) if np.ndim(out) == 0 else out


def gibbs_entropy(E, T: float = 1.0, axis: int = -1):
    """Thermodynamic entropy S = -sum p ln p in nats (units of k_B), from log-probabilities.

    ln p_n = -(E_n - E0)/T - ln sum exp(...) is formed directly, so states
    whose probability underflows contribute exactly 0 and nothing is NaN.

    Used in Part III, "An identity, not an analogy".

    Parameters
    ----------
    E : array_like of float
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.
    axis : int, default -1
        The axis that indexes states.

    Returns
    -------
    float or numpy.ndarray
        S in nats, >= 0; a float for 1-D ``E``, else one value per row.

    Examples
    --------
    >>> from umlib.core.thermo import gibbs_entropy
    >>> round(float(gibbs_entropy([0.0, 0.0, 0.0, 0.0], 1.0)), 10)   # ln 4
    1.3862943611
    """
    E, T, ax = _energies(E, T, axis)
    x, _ = _energy_exponent(E, T, ax)
    with np.errstate(under="ignore"):
        w = np.exp(x)
    s = np.sum(w, axis=ax, keepdims=True)
    p = w / s
    with np.errstate(invalid="ignore"):
        logp = x - np.log(s)
    out = -_masked_sum(p, logp, ax) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if np.ndim(out) == 0 else out


def shannon_entropy(p, base: float = 2.0, axis: int = -1):
    """Shannon entropy H = -sum p log_base p of a probability vector (0 log 0 = 0).

    ``base=2`` gives bits and uses :func:`numpy.log2`; ``base=math.e`` gives
    nats and uses :func:`numpy.log`; any other base divides ln by ln(base).

    Used in Part III, "An identity, not an analogy", Part IV, "Learning machines as
    Ising engines", and Part V, "The final turn: information entropy".

    Parameters
    ----------
    p : array_like
        Non-negative, finite, summing to 1 along ``axis`` within 1e-9.
    base : float, default 2.0
        Logarithm base, > 0 and != 1.
    axis : int, default -1
        The axis that indexes outcomes.

    Returns
    -------
    float or numpy.ndarray
        H in bits for the default base (in units of log ``base`` otherwise); a float
        for 1-D ``p``, else one value per row.

    Examples
    --------
    >>> from umlib.core.thermo import shannon_entropy
    >>> shannon_entropy([0.5, 0.25, 0.25])
    1.5
    """
    p = real_array("p", p)
    if p.ndim == 0:
        raise ValueError("p must have at least one dimension")
    ax = check_axis("axis", axis, p.ndim)
    if (p < 0).any():
        raise ValueError("p contains negative entries")
    total = np.sum(p, axis=ax)
    if np.any(np.abs(total - 1.0) > 1e-9):
        raise ValueError("p must sum to 1 along the axis (within 1e-9)")
    base = positive_scalar("base", base)
    if base == 1.0:
        raise ValueError("base must not be 1")
    logp = np.zeros_like(p)
    if base == 2.0:
        np.log2(p, out=logp, where=p > 0)
    else:
        np.log(p, out=logp, where=p > 0)
        if base != math.e:
            logp = logp / math.log(base)
    out = -_masked_sum(p, logp, ax) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------
# everything at once, for the dials
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ThermoState:
    """The Gibbs state of a 1-D spectrum at one temperature (the dial's read-out).

    A record built by :func:`thermo_state`.  Used in Part III, "Face B, the heat bath".

    Parameters
    ----------
    T : float
        Temperature in energy units (k_B = 1).
    p : numpy.ndarray
        Occupation probabilities.
    log_Z : float
        ln Z (dimensionless).
    F : float
        Free energy, energy units.
    U : float
        Mean energy, energy units.
    S_nats : float
        Gibbs entropy S in nats.
    H_bits : float
        Shannon entropy H of ``p`` in bits (S_nats / ln 2).
    C : float
        Heat capacity in units of k_B.
    argmax : int
        Index of the most probable state.
    """

    def __post_init__(self) -> None:
        record_fields(self)

    T: float
    p: np.ndarray
    log_Z: float
    F: float
    U: float
    S_nats: float
    H_bits: float
    C: float
    argmax: int


def thermo_state(E, T: float = 1.0) -> ThermoState:
    """Compute every read-out of the dial for a 1-D spectrum ``E`` at ``T``.

    Used in Part III, "Face B, the heat bath".

    Parameters
    ----------
    E : array_like of float, shape (n,)
        Energies (units of T); ``+inf`` marks a forbidden state.
    T : float, default 1.0
        Temperature in energy units (k_B = 1), finite and > 0.

    Returns
    -------
    ThermoState
        p, ln Z, F, U, S (nats), H (bits), C and the most probable state.

    Examples
    --------
    >>> from umlib.core.thermo import thermo_state
    >>> st = thermo_state([0.0, 1.0], 1e-300)
    >>> st.p.tolist(), st.argmax, st.H_bits
    ([1.0, 0.0], 0, 0.0)
    """
    E = real_array("E", E, allow_posinf=True)
    if E.ndim != 1:
        raise ValueError(f"E must be one-dimensional, got shape {E.shape}")
    T = positive_scalar("T", T)
    p = gibbs(E, T)
    return ThermoState(
        T=T,
        p=p,
        log_Z=log_z(E, T),
        F=free_energy(E, T),
        U=mean_energy(E, T),
        S_nats=gibbs_entropy(E, T),
        H_bits=shannon_entropy(p, 2.0),
        C=heat_capacity(E, T),
        argmax=int(np.argmax(p)),
    )
