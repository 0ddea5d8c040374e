"""Part V: networks, emergence and superposition.

* :mod:`~umlib.networks.emergence` — effective information of Markov chains and their
  coarse-grainings;
* :mod:`~umlib.networks.features` — a small residual network, steering, patching and
  clamping of its stream;
* :mod:`~umlib.networks.grokking` — grokking on modular addition, and the network of
  cosines that adds modulo p exactly;
* :mod:`~umlib.networks.superposition` — toy models of superposition and sparse
  autoencoders.
"""
