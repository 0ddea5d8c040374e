"""Parts I and II: text as a physical system.

* :mod:`~umlib.text.corpus` — the enwik9 bytes, loaded and checksummed;
* :mod:`~umlib.text.counting` — microstates, macrostates (set partitions of positions),
  factorings and their entropies;
* :mod:`~umlib.text.satrnn` — the saturated RNN, trained here and shipped checksummed;
* :mod:`~umlib.text.saturation` — its binary unit-steps as two-level Boltzmann laws;
* :mod:`~umlib.text.setting` — a chapter's setting: the corpus read by the sat-rnn, in one call;
* :mod:`~umlib.text.bridge` — the entropy bridge and its staircase;
* :mod:`~umlib.text.learnability` — learning from a context, whole or factored.
"""
