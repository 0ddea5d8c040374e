r"""The setting of a Parts I–II chapter: the corpus, the sat-rnn and what one forward pass gives.

Every chapter of Parts I and II studies the same object: the :data:`~umlib.text.corpus.N_BYTES`
bytes of the corpus (:mod:`umlib.text.corpus`) read by the shipped sat-rnn
(:mod:`umlib.text.satrnn`).  :func:`load` builds that object once, in the same way for
every chapter, and returns it as a frozen :class:`Setting`:

* the bytes ``data``, the byte array :math:`x_t` (int64) and its length :math:`N`;
* the model and its stored metadata;
* the forward trace (pre-activations :math:`a_t`, hidden states :math:`h_t`, output
  scores :math:`A(o, t)`);
* the binary hidden events :math:`\operatorname{sign} h_t` (``h_bin``) and the
  accumulator differences :math:`D = 2a/\ln 2` in bits (``D``);
* the microstate table with its hidden events (``ms``), its first :math:`N-1` rows, the
  positions that have a next byte (``pred``), and the factoring levels of Part II
  (``levels``, over all :math:`N` positions; slice ``[:-1]`` for the predicted ones).

A chapter's own quantities stay in the chapter.  Used by Part I, "The microstate space",
"The macrostate space", "The partition function", "Factoring as coarse-graining",
"Bidirectional factoring", "Conclusion: the whole map", and Part II, "The entropy bridge",
"Microstates and macrostates", "The partition function" and "Q = λ: the quotient is the
luck".
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ..core.validate import record_fields
from . import bridge, corpus, counting, satrnn
from .satrnn import SatRNN, Trace

__all__ = ["Setting", "load"]


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Setting:
    r"""The corpus read by the sat-rnn: what every Parts I–II chapter starts from.

    Built by :func:`load`; used by Part I, "The microstate space", and the chapters
    listed in :mod:`umlib.text.setting`.  Its arrays are read-only.

    Parameters
    ----------
    data : bytes
        The corpus bytes.
    x : numpy.ndarray of int64, shape (N,)
        The same bytes as integers 0..255.
    N : int
        The number of positions, ``len(data)``.
    model : SatRNN
        The sat-rnn.
    meta : mapping
        The metadata stored with its weights.
    trace : Trace
        ``satrnn.forward(model, data)``.
    h_bin : numpy.ndarray of int8, shape (N, H)
        ``satrnn.binary_states(trace.h)``, the signs of the hidden units.
    D : numpy.ndarray, shape (N, H)
        ``satrnn.accumulator_difference(trace.a)``, in bits.
    ms : counting.Microstates
        ``counting.Microstates.from_bytes(data, h=h_bin)``.
    pred : counting.Microstates
        ``ms.restrict(N - 1)``: the positions that have a next byte.
    levels : mapping of str to numpy.ndarray
        ``bridge.factoring_levels(x, h_bin)``, over all N positions, coarse to fine.

    Returns
    -------
    Setting
        A frozen record.
    """

    data: bytes
    x: np.ndarray
    N: int
    model: SatRNN
    meta: object
    trace: Trace
    h_bin: np.ndarray
    D: np.ndarray
    ms: counting.Microstates
    pred: counting.Microstates
    levels: object

    def __post_init__(self) -> None:
        if not isinstance(self.data, bytes):
            raise TypeError(f"data must be bytes, got {type(self.data).__name__}")
        if not isinstance(self.meta, (dict, MappingProxyType)):
            raise TypeError(f"meta must be a dict, got {type(self.meta).__name__}")
        if not isinstance(self.levels, (dict, MappingProxyType)) or not all(
                isinstance(v, np.ndarray) for v in self.levels.values()):
            raise TypeError("levels must be a dict of str to numpy.ndarray")
        record_fields(self, classes={"model": SatRNN, "trace": Trace,
                                     "ms": counting.Microstates,
                                     "pred": counting.Microstates})
        n = len(self.data)
        if isinstance(self.N, bool) or self.N != n or n < 10:
            raise ValueError(f"N must equal len(data) = {n} (at least 10), got {self.N!r}")
        for name in ("x", "h_bin", "D"):
            if np.shape(getattr(self, name))[:1] != (n,):
                raise ValueError(f"{name} must have {n} rows, one per byte of data")
        if self.ms.N != n or self.pred.N != n - 1:
            raise ValueError(f"ms must have {n} positions and pred {n - 1}")
        if any(np.shape(v) != (n,) for v in self.levels.values()):
            raise ValueError(f"levels must label all {n} positions")


def load(path, data: bytes | None = None) -> Setting:
    r"""Load the corpus and the sat-rnn and run the forward pass: a chapter's setting.

    One call instead of the preamble every Parts I–II chapter shared (load the corpus,
    load the weights, run the forward pass, take the signs, build the microstate table).
    Used by Part I, "The microstate space", and the chapters listed in
    :mod:`umlib.text.setting`.

    Parameters
    ----------
    path : str or os.PathLike
        The sat-rnn weights (``.npz`` with its ``.sha256``), e.g. ``"data/satrnn.npz"``
        from a Part I chapter or ``"../part1/data/satrnn.npz"`` from Part II.
    data : bytes, optional
        The text to read; default the corpus, :func:`umlib.text.corpus.load_corpus`.
        At least 10 bytes (the longest context of the factoring levels).

    Returns
    -------
    Setting
        The frozen setting (read-only arrays).

    Examples
    --------
    >>> from umlib.text import satrnn, setting
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.npz"
    >>> satrnn.save(satrnn.init_params(4, rng=0), p)
    >>> s = setting.load(p, data=b"abcabcabcab")
    >>> s.N, s.x[:4].tolist(), s.h_bin.shape, s.pred.N
    (11, [97, 98, 99, 97], (11, 4), 10)
    """
    if data is None:
        data = corpus.load_corpus()
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) < 10:
        raise ValueError(f"data must hold at least 10 bytes, got {len(data)}")
    model, meta = satrnn.load(path)
    trace = satrnn.forward(model, data)
    x = _frozen(np.frombuffer(data, np.uint8).astype(np.int64))
    h_bin = _frozen(satrnn.binary_states(trace.h))
    ms = counting.Microstates.from_bytes(data, h=h_bin)
    levels = {k: _frozen(v) for k, v in bridge.factoring_levels(x, h_bin).items()}
    return Setting(data=data, x=x, N=len(data), model=model, meta=meta, trace=trace,
                   h_bin=h_bin, D=_frozen(satrnn.accumulator_difference(trace.a)),
                   ms=ms, pred=ms.restrict(len(data) - 1), levels=MappingProxyType(levels))
