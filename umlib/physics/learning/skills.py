r"""A toy model of skills that unlock one another: plain gradient descent on a "domino" loss.

Derived in Part IV, "Learning machines as Ising engines" (part4/05-ising-engines, the
section on the domino sequence of skills).

Skill :math:`k` has one parameter :math:`θ_k` and its own loss; its output counts only
once skill :math:`k-1` is good enough, :math:`θ_{k-1} \ge c`:

.. math:: L(θ) = \sum_{k=1}^{K} \tfrac12 \big(1 - g_k(θ)\,θ_k\big)^2, \qquad
          g_1 = 1,\quad g_k = \mathbf 1[θ_{k-1} \ge c]\ (k \ge 2).

The gate is a step, so its derivative is zero wherever it is defined and gradient descent
moves :math:`θ_k \leftarrow θ_k + η\,g_k (1 - θ_k)`: skill :math:`k`'s landscape is flat
until skill :math:`k-1` passes the threshold.  From :math:`θ = 0` with
:math:`0 < η < 1` and :math:`0 < c < 1`, skill :math:`k` starts to learn at step
:math:`t_k = 1 + (k-1)\,n^*` with

.. math:: n^* = \Big\lceil \frac{\ln(1 - c)}{\ln(1 - η)} \Big\rceil
          \approx \frac{\ln\frac1{1-c}}{η},

and without the coupling (:math:`g_k \equiv 1`) every skill starts at step 1.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.validate import count, finite_result, flag, real_array, real_scalar

__all__ = ["domino_descent", "domino_gap", "onset_steps"]

#: The longest run, the most skills and the largest history accepted: a bigger request is
#: a mistake, not a model of the chapter.
MAX_STEPS = 100_000
MAX_SKILLS = 1_000
MAX_CELLS = 10_000_000


def _open_unit(name: str, x) -> float:
    x = real_scalar(name, x)
    if not 0.0 < x < 1.0:
        raise ValueError(f"{name} must be in (0, 1), got {x!r}")
    return x


def domino_descent(n_skills: int, eta: float, threshold: float, n_steps: int,
                   coupled: bool = True) -> np.ndarray:
    """Plain gradient descent on the domino loss; the loss of every skill at every step.

    Derived in Part IV, "Learning machines as Ising engines" (the book's model of the
    essay's "domino" sequence of skills).

    Parameters
    ----------
    n_skills : int
        Number of skills K, 1 to 1000.
    eta : float
        Learning rate η, in (0, 1).
    threshold : float
        Competence c that skill k - 1 must reach before skill k can learn, in (0, 1).
    n_steps : int
        Number of gradient steps, 0 to 10**5, with (n_steps + 1) * n_skills at most
        10**7.
    coupled : bool, default True
        False drops the gates (g_k = 1 for every k): the negative control, K independent
        skills.

    Returns
    -------
    numpy.ndarray
        ``(n_steps + 1, n_skills)``: row t holds ℓ_k(t) = ½ (1 - g_k θ_k)² before step
        t + 1, starting from θ = 0 (every loss ½).

    Notes
    -----
    All skills update together from the same θ(t).  The gate is a step function, so it
    contributes nothing to the gradient (as automatic differentiation would have it);
    at θ_{k-1} = c exactly the gate is open.

    Examples
    --------
    >>> from umlib.physics.learning import domino_descent
    >>> domino_descent(2, 0.5, 0.6, 3).tolist()
    [[0.5, 0.5], [0.125, 0.5], [0.03125, 0.5], [0.0078125, 0.125]]
    """
    K = count("n_skills", n_skills, minimum=1, maximum=MAX_SKILLS)
    eta, c = _open_unit("eta", eta), _open_unit("threshold", threshold)
    n = count("n_steps", n_steps, minimum=0, maximum=MAX_STEPS)
    coupled = flag("coupled", coupled)
    if (n + 1) * K > MAX_CELLS:
        raise ValueError(f"n_steps: (n_steps + 1) * n_skills must be at most {MAX_CELLS}, "
                         f"got {(n + 1) * K}")
    theta = np.zeros(K)
    losses = np.empty((n + 1, K))
    gate = np.ones(K)
    for t in range(n + 1):
        if coupled:
            gate[1:] = theta[:-1] >= c
        y = gate * theta                       # skill k's output, zero while gated
        losses[t] = 0.5 * (1.0 - y) ** 2
        theta = theta + eta * gate * (1.0 - y)  # theta - eta * dL/dtheta
    return losses


def domino_gap(eta: float, threshold: float) -> int:
    """The predicted gap n* = ⌈ln(1 - c) / ln(1 - η)⌉ between successive skills' onsets.

    Derived in Part IV, "Learning machines as Ising engines": the smallest n with
    1 - (1 - η)^n >= c, the steps skill k - 1 needs to open skill k's gate.  Counted
    with :func:`domino_descent`'s own arithmetic (θ ← θ + η (1 - θ)) when n is at most
    ``MAX_STEPS + 1``, so the two agree where c sits on a power of 1 - η; beyond, the
    ceiling of ln(1 - c) / ln(1 - η).

    Parameters
    ----------
    eta : float
        Learning rate η, in (0, 1).
    threshold : float
        Gate threshold c, in (0, 1).

    Returns
    -------
    int
        n* >= 1.

    Raises
    ------
    OverflowError
        η so small that ln(1 - η) is zero in floating point (n* beyond any run).

    Examples
    --------
    >>> from umlib.physics.learning import domino_gap
    >>> domino_gap(0.05, 0.9)
    45
    """
    eta, c = _open_unit("eta", eta), _open_unit("threshold", threshold)
    ratio = finite_result("eta, threshold", lambda: math.log1p(-c) / math.log1p(-eta))
    estimate = max(1, math.ceil(ratio))
    if estimate > MAX_STEPS + 1:
        return estimate
    # within any run domino_descent can make, count the steps with its own arithmetic:
    # the closed form's ceiling is one too many where c = 1 - (1 - η)^n up to rounding
    theta, n = 0.0, 0
    while theta < c:
        theta = theta + eta * (1.0 - theta)
        n += 1
    return n


def onset_steps(losses, level: float = 0.5) -> np.ndarray:
    """First step at which each column of a loss history falls below ``level``.

    Used in Part IV, "Learning machines as Ising engines", to read the onsets of the
    skills from :func:`domino_descent`.

    Parameters
    ----------
    losses : array_like
        ``(n_steps + 1, K)`` losses, row t at step t (finite).
    level : float, default 0.5
        The untrained loss; a skill has started once its loss is below it.

    Returns
    -------
    numpy.ndarray of int
        ``(K,)`` onset steps; -1 for a column that never falls below ``level``.

    Examples
    --------
    >>> import numpy as np
    >>> from umlib.physics.learning import onset_steps
    >>> onset_steps(np.array([[0.5, 0.5], [0.4, 0.5], [0.3, 0.5]])).tolist()
    [1, -1]
    """
    L = real_array("losses", losses)
    if L.ndim != 2:
        raise ValueError(f"losses must be 2-D (steps, skills), got shape {L.shape}")
    level = real_scalar("level", level)
    below = L < level
    return np.where(below.any(0), below.argmax(0), -1).astype(int)
