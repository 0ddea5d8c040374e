r"""Effective information and causal emergence of a discrete Markov system.

Definitions (Part V, chapter "Emergence and effective information"; Hoel,
Albantakis & Tononi 2013, Hoel 2017).  A system with ``n`` states and
transition probability matrix (TPM) ``T`` (rows: current state, columns:
next state, each row a probability vector) is *intervened on* with the
uniform distribution over its states.  Its effective information is the
mutual information between the intervention and the effect:

.. math::

    \mathrm{EI}(T) = \frac1n \sum_i D_{\mathrm{KL}}\!\left(T_{i\cdot}\,\middle\|\,\bar T\right)
                   = H(\bar T) - \frac1n\sum_i H(T_{i\cdot}),
    \qquad \bar T = \frac1n \sum_i T_{i\cdot},

in bits.  For a square TPM it splits exactly into

.. math::

    \mathrm{EI} = \underbrace{\Big(\log_2 n - \tfrac1n\sum_i H(T_{i\cdot})\Big)}_{\text{determinism}}
                - \underbrace{\Big(\log_2 n - H(\bar T)\Big)}_{\text{degeneracy}}.

A *coarse-graining* groups the states into blocks; the macro TPM intervenes
uniformly on the micro states of a block and sums the probabilities of
landing in each block:

.. math::

    T^{\mathrm{macro}}_{AB} = \frac{1}{|A|}\sum_{i\in A}\sum_{j\in B} T_{ij}.

Causal emergence is ``EI(macro) > EI(micro)``.  :func:`~umlib.networks.emergence.partitions.best_partition`
searches every partition of a small system (Bell-number many) for the
largest EI.

Edge cases: a TPM that is not a 2-D array of finite, non-negative numbers
whose rows sum to 1 within 1e-9 raises ``ValueError`` naming ``tpm``; a
partition that does not cover each state exactly once raises ``ValueError``
naming ``partition``.

Modules:

* :mod:`~umlib.networks.emergence.information` — effective information and its parts;
* :mod:`~umlib.networks.emergence.partitions` — coarse-graining by set partitions;
* :mod:`~umlib.networks.emergence.chains` — Markov chains as text sources.

Every public name is also importable from the package itself, which is how the
chapters call them.
"""

from . import chains, information, partitions
from .chains import *  # noqa: F401,F403
from .information import *  # noqa: F401,F403
from .partitions import *  # noqa: F401,F403

__all__ = information.__all__ + partitions.__all__ + chains.__all__
