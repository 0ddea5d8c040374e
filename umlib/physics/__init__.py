"""Part IV: Ising models, spin glasses and the thermodynamics of SGD.

* :mod:`~umlib.physics.ising` — the Ising model (graphs, exact results, samplers,
  coarse-graining);
* :mod:`~umlib.physics.spinglass` — Sherrington–Kirkpatrick and ±J glasses, annealing,
  Hopfield memories;
* :mod:`~umlib.physics.learning` — SGD as a heat bath: training temperature, stationary
  laws, free energies of a loss landscape, and the dated lineage of the ideas Part IV's
  source strings together.
"""
