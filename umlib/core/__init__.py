"""The mathematics every part shares: one Z and the numerics around it.

* :mod:`~umlib.core.thermo` — softmax and the Gibbs law, log Z, F, U, C, S (nats) and
  H (bits), with exact decimal references;
* :mod:`~umlib.core.sampling` — drawing from a law and the chi-square test of the draws;
* :mod:`~umlib.core.spectra` — energy ladders of the box and the oscillator, exact and
  by eigensolve;
* :mod:`~umlib.core.montecarlo` — autocorrelation times, jackknife error bars, Binder's
  cumulant;
* :mod:`~umlib.core.optim` — the one Adam update every trainer uses;
* :mod:`~umlib.core.validate` — argument checks that name the culprit.
"""
