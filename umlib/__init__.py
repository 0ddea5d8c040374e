"""umlib: the library behind the executable textbook, laid out as the book's map.

* :mod:`umlib.core` — the one Z: softmax and the Gibbs law, log Z, F, U, C, S and H, with
  exact decimal references; sampling, spectra, Monte Carlo statistics, the Adam update,
  argument checks;
* :mod:`umlib.text` — Parts I–II: the corpus, counting, the sat-rnn, saturation and
  the entropy bridge;
* :mod:`umlib.physics` — Part IV: the Ising model, spin glasses, SGD thermodynamics;
* :mod:`umlib.networks` — Part V: emergence, features, superposition;
* :mod:`umlib.widgets` — the dials and SVG pictures (they import the mathematics,
  never the reverse);
* :mod:`umlib.book` — the book's machinery: gates, the ledger, glue, shipped weights.

Part III works with :mod:`umlib.core` directly.
"""

__version__ = "0.2.0"
