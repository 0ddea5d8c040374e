r"""The Ising model of Part IV, one module per job.

* :mod:`~umlib.physics.ising.graphs` — coupling graphs and the energy
  :math:`E(\mathbf s) = -\sum J_{ij} s_i s_j - \sum h_i s_i`;
* :mod:`~umlib.physics.ising.exact` — enumeration, transfer matrices, Onsager and Yang;
* :mod:`~umlib.physics.ising.kaufman` — the finite torus in closed form, with its
  energy and heat capacity;
* :mod:`~umlib.physics.ising.samplers` — Metropolis, Swendsen–Wang and graph samplers;
* :mod:`~umlib.physics.ising.multispin` — checkerboard Metropolis on 64 replicas packed
  in the bits of a uint64 lattice (multi-spin coding, numpy only);
* :mod:`~umlib.physics.ising.coarse` — block spins and Binder crossings.

Every public name is importable from this package (``from umlib.physics import ising``;
``ising.metropolis``), which is how the chapters call them.  Units: :math:`k_B = 1`,
temperatures and energies in units of :math:`J`.
"""

from . import coarse, exact, graphs, kaufman, multispin, samplers
from .coarse import *  # noqa: F401,F403
from .exact import *  # noqa: F401,F403
from .graphs import *  # noqa: F401,F403
from .kaufman import *  # noqa: F401,F403
from .multispin import *  # noqa: F401,F403
from .samplers import *  # noqa: F401,F403

__all__ = (graphs.__all__ + exact.__all__ + kaufman.__all__ + samplers.__all__ + coarse.__all__
           + multispin.__all__)
