r"""The thermodynamics of learning, on models small enough to solve exactly.

Derived in Part IV, "Learning machines as Ising engines" (part4/05-ising-engines: SGD on a
quadratic valley, the training temperature, minibatch noise, equipartition, warmup–decay
on a river valley, the lineage chart, the domino loss of skills that unlock one another)
and "A thermodynamic model of training, solved"
(part4/07-appendix-model: :class:`~umlib.physics.learning.landscape.DoubleWell`, Z by quadrature and by
:func:`~umlib.physics.learning.landscape.importance_Z`, F = -T ln Z, the entropic preference for the wider minimum,
:func:`~umlib.physics.learning.landscape.variational_free_energy`, :func:`~umlib.physics.learning.landscape.first_law_split`, the freeze).

SGD with gradient noise on :math:`L(θ) = \tfrac12 \sum_k a_k θ_k^2`:

.. math:: θ_{t+1} = θ_t - η (a ∘ θ_t + ξ_t), \qquad ξ_t \sim N(0, C/B),

with :math:`C = σ^2 I` ("isotropic") or :math:`C = σ^2\,\mathrm{diag}(a)` ("hessian": noise
covariance proportional to the curvature, as for a well-specified model's Fisher
matrix).  The recursion is linear, so mean and variance evolve exactly:

.. math:: v_{t+1} = (1 - η a)^2 v_t + η^2 C / B, \qquad
          v_\infty = \frac{η C}{B a (2 - η a)} \quad (0 < η a < 2).

The isotropic case gives :math:`\tfrac12 a v_\infty = \frac{T}{2}\frac{2}{2 - η a}` with the
training temperature :math:`T = η σ^2 / (2B)`: equipartition in the small-step limit.

Modules:

* :mod:`~umlib.physics.learning.sgd` — SGD on a quadratic as a heat bath;
* :mod:`~umlib.physics.learning.landscape` — free energies of a one-dimensional landscape;
* :mod:`~umlib.physics.learning.lineage` — the dates of the ideas;
* :mod:`~umlib.physics.learning.skills` — the domino loss: skills that unlock one another.

Every public name is also importable from the package itself, which is how the
chapters call them.
"""

from . import landscape, lineage, sgd, skills
from .landscape import *  # noqa: F401,F403
from .lineage import *  # noqa: F401,F403
from .sgd import *  # noqa: F401,F403
from .skills import *  # noqa: F401,F403

__all__ = sgd.__all__ + landscape.__all__ + lineage.__all__ + skills.__all__
