r"""The sat-rnn: a 256 → 128 (tanh) → 256 softmax byte RNN, trained by truncated BPTT in numpy.

The model of Parts I and II.  At position :math:`t` it reads the byte :math:`x_t`,
updates its hidden state and scores every possible next byte:

.. math::

    a_t = W_x e_{x_t} + W_h h_{t-1} + b_h, \qquad h_t = \tanh a_t, \qquad
    A(o, t) = (W_y h_t + b_y)_o, \qquad P(o \mid h_t) = \frac{e^{A(o,t)}}{\sum_{o'} e^{A(o',t)}},

with :math:`h_{-1} = 0`.  The bits per character are
:math:`\mathrm{bpc} = \frac{1}{N-1}\sum_{t=0}^{N-2} -\log_2 P(x_{t+1} \mid h_t)`
(there are :math:`N-1` next bytes in :math:`N` bytes).

Two readings of the hidden unit used in Part I ("The partition function"): since
:math:`\tanh a = P_+ - P_-` with :math:`P_+ = \sigma(2a)`, the unit is a two-state
Boltzmann system whose accumulator difference *in bits* is
:math:`D = 2a/\ln 2` (:func:`~umlib.text.satrnn.analysis.accumulator_difference`), so that
:math:`P(h^+) = 1/(1 + 2^{-D}) = \sigma(D \ln 2)`.  The binary hidden event is the sign
of :math:`h_t` (:func:`~umlib.text.satrnn.analysis.binary_states`).

Training (:func:`~umlib.text.satrnn.training.train`) is plain truncated backpropagation through time over
consecutive windows of ``bptt`` steps with the hidden state carried across windows,
Adam updates and global-norm gradient clipping, all in float64 and seeded.  Weights are
stored as ``.npz`` and read with ``allow_pickle=False`` (:func:`~umlib.text.satrnn.training.save`, :func:`~umlib.text.satrnn.training.load`).

Derived in Part I, chapters "The microstate space", "The partition function" and
"The free energy landscape".

Modules:

* :mod:`~umlib.text.satrnn.model` — parameters, forward pass, bits per character;
* :mod:`~umlib.text.satrnn.training` — training and the shipped weights;
* :mod:`~umlib.text.satrnn.analysis` — reading the trained network.

Every public name is also importable from the package itself, which is how the
chapters call them.
"""

from . import analysis, model, training
from .analysis import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403

__all__ = model.__all__ + training.__all__ + analysis.__all__
