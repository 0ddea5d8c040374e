"""The mathematics every part shares: one Z and the numerics around it.

* :mod:`~umlib.core.thermo` — softmax and the Gibbs law, log Z, F, U, C, S (nats) and
  H (bits);
* :mod:`~umlib.core.reference` — ln Z and Z in exact decimal arithmetic, the oracles the
  float functions are checked against;
* :mod:`~umlib.core.sampling` — drawing from a law and the chi-square test of the draws;
* :mod:`~umlib.core.spectra` — energy ladders of the box and the oscillator, exact and
  by eigensolve;
* :mod:`~umlib.core.montecarlo` — autocorrelation times, jackknife error bars, Binder's
  cumulant;
* :mod:`~umlib.core.optim` — the one Adam update every trainer uses;
* :mod:`~umlib.core.validate` — argument checks that name the culprit.
"""
