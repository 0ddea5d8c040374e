"""umlib: the small shared library behind the executable textbook.

One module per concept: ``thermo`` (softmax and the Gibbs law), ``gates``
(named checks with tolerances and negative controls), ``spectra`` (energy
ladders and their eigensolves), ``sampling`` (the one sampler and its
goodness-of-fit test), ``dials`` (the ipywidgets controls), ``ledger`` (the
claim ledger), ``nbtools`` (glue and printing helpers for notebooks) and
``weights`` (trained weights shipped as checksummed ``.npz`` files, read
without pickle, with the recipe they were trained with).

Part I and II: ``corpus`` (the enwik9 bytes, loaded and checksummed),
``counting`` (microstates, macrostates, factorings and their entropies),
``satrnn`` (the saturated RNN, trained here), ``saturation`` (its binary event
spaces as Boltzmann laws) and ``bridge`` (the entropy bridge and its staircase).  Part IV: ``ising``,
``spinglass`` and ``learning``.  Part V: ``emergence``, ``features`` and
``superposition``.
"""

__version__ = "0.1.0"
