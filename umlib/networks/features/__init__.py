r"""A small residual network with planted concepts, and the tools that operate on it.

Derived in Part V, chapters "Causal emergence in a trained network",
"Activation engineering: steering a concept",
"Inspecting a network: caching, patching, the logit lens" and "Feature clamping".

The task (:func:`~umlib.networks.features.model.make_task`).  A prompt is ``T`` tokens: a *subject* at
position 0 and ``T - 1`` filler tokens.  Each subject belongs to one of ``K``
*concepts* (classes) by construction, so the ground truth of every
experiment is known: the answer at the last position is the subject's
concept.  Every prompt of the task is enumerated, so nothing is sampled at
evaluation time.

The network (:class:`~umlib.networks.features.model.ResNet`).  A residual stream ``x_s`` of width ``d`` at
each position, ``s = 0..L``:

.. math::

    x_0[t] &= E[\mathrm{tok}_t] + P[t], \\
    y_\ell &= x_{\ell-1} + (M x_{\ell-1}) A_\ell
            \quad (M_{ts} = \tfrac{1}{t+1}\ [s \le t],\ \text{a causal average}), \\
    x_\ell &= y_\ell + \mathrm{ReLU}(y_\ell W^{(1)}_\ell + b_\ell) W^{(2)}_\ell, \\
    \text{logits} &= x_L[T-1]\, U + c.

The causal average is the one place information moves between positions
(an attention layer with fixed, uniform weights), so which position carries
the concept at which depth is a question the network answers by training.

The operations of the source, each a one-liner on the stream:

* steering, ``x_s <- x_s + c v`` (:func:`~umlib.networks.features.interventions.steer`), with ``v`` a difference of
  means (:func:`~umlib.networks.features.interventions.difference_of_means`);
* patching, ``x_patched = x_corrupted - v_corrupted + v_clean`` (:func:`~umlib.networks.features.interventions.patch`);
* the logit lens, ``x_s[T-1] U + c`` at every depth (:func:`~umlib.networks.features.interventions.logit_lens`);
* clamping, ``x_clamped = x - f v + lambda v`` with ``f = x . v`` (:func:`~umlib.networks.features.interventions.clamp`);
* the memory of a cache (:func:`~umlib.networks.features.costs.cache_bytes`), checked against the bytes a
  real cache of this network holds.

Modules:

* :mod:`~umlib.networks.features.model` — the network, its task, training and shipped weights;
* :mod:`~umlib.networks.features.interventions` — steering, patching, clamping, the logit lens;
* :mod:`~umlib.networks.features.costs` — bytes of caches and weights.

Every public name is also importable from the package itself, which is how the
chapters call them.
"""

from . import costs, interventions, model
from .costs import *  # noqa: F401,F403
from .interventions import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403

__all__ = model.__all__ + interventions.__all__ + costs.__all__
