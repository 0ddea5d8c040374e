r"""The toy model of superposition and a sparse autoencoder that undoes it.

Derived in Part V, chapter "Superposition and sparse autoencoders"
(Elhage et al. 2022, "Toy Models of Superposition"; the sparse autoencoder
as in Sharkey et al. 2022 and Bricken et al. 2023).

Toy model.  ``n`` features ``x_i``, each zero with probability ``S`` (the
*sparsity*) and otherwise uniform on ``[0, 1]``, are squeezed through ``m < n``
hidden dimensions and read out with a ReLU:

.. math::

    h = W x, \qquad x' = \mathrm{ReLU}(W^\top h + b), \qquad
    \mathcal L = \mathbb E\, \sum_i I_i (x_i - x'_i)^2,

with ``W`` of shape ``(m, n)`` (column ``W_i`` is feature ``i``'s direction)
and importances ``I_i``.  The *dimensionality* of feature ``i`` is

.. math::

    D_i = \frac{\lVert W_i\rVert^2}{\sum_j (\hat W_i \cdot W_j)^2},

the share of a hidden dimension it owns: 1 for a feature alone in its
direction, ``2/5`` for each of five features on a regular pentagon in two
dimensions, 0 for a feature that is not represented.

Sparse autoencoder.  Activations ``x`` (width ``m``) are encoded into a wider
dictionary and decoded as a sparse sum of unit-norm directions ``d_i``:

.. math::

    f = \mathrm{ReLU}(W_e (x - b_d) + b_e), \qquad
    \hat x = \sum_i f_i d_i + b_d, \qquad
    \mathcal L = \lVert x - \hat x\rVert^2 + \alpha \lVert f\rVert_1 .

A planted direction is *recovered* when some decoder direction has cosine
similarity at least a stated bar with it (:func:`~umlib.networks.superposition.sae.recovery`).

Modules:

* :mod:`~umlib.networks.superposition.toy` — toy models of superposition;
* :mod:`~umlib.networks.superposition.sae` — sparse autoencoders.

Every public name is also importable from the package itself, which is how the
chapters call them.
"""

from . import sae, toy
from .sae import *  # noqa: F401,F403
from .toy import *  # noqa: F401,F403

__all__ = toy.__all__ + sae.__all__
