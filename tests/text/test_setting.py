"""umlib.text.setting: one call gives a Parts I-II chapter its setting, built exactly as
the chapters' old preambles built it; the one ln 2 and the one unit roundoff."""

import dataclasses
import math
import os
from pathlib import Path

import numpy as np
import pytest

from umlib.book import gates
from umlib.text import bridge, corpus, counting, satrnn, saturation, setting

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = ROOT / "book" / "part1" / "data" / "satrnn.npz"
HAVE_DATA = bool(os.environ.get(corpus.ENV_VAR))
DATA = b"the cat sat on the mat; the rat sat on the hat."


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    p = tmp_path_factory.mktemp("setting") / "m.npz"
    satrnn.save(satrnn.init_params(6, rng=1), p)
    return p, setting.load(p, data=DATA)


def test_setting_is_the_old_preamble(small):
    p, s = small
    model, meta = satrnn.load(p)
    tr = satrnn.forward(model, DATA)
    h_bin = satrnn.binary_states(tr.h)
    x = np.frombuffer(DATA, np.uint8).astype(np.int64)
    ms = counting.Microstates.from_bytes(DATA, h=h_bin)
    assert s.data == DATA and s.N == len(DATA) == ms.N
    assert s.x.dtype == np.int64 and np.array_equal(s.x, x)
    assert s.meta == meta
    for f in ("Wx", "Wh", "bh", "Wy", "by"):
        assert np.array_equal(getattr(s.model, f), getattr(model, f))
    for f in ("a", "h", "logits"):          # bit for bit
        assert np.array_equal(getattr(s.trace, f), getattr(tr, f))
    assert np.array_equal(s.h_bin, h_bin) and s.h_bin.dtype == np.int8
    assert np.array_equal(s.D, satrnn.accumulator_difference(tr.a))
    for f in ("x", "y", "h", "t"):
        assert np.array_equal(getattr(s.ms, f), getattr(ms, f))
        assert np.array_equal(getattr(s.pred, f), getattr(ms.restrict(len(DATA) - 1), f))
    lv = bridge.factoring_levels(x, h_bin)
    assert list(s.levels) == list(lv)
    assert all(np.array_equal(s.levels[k], lv[k]) for k in lv)


def test_setting_is_frozen(small):
    _, s = small
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.N = 3
    for a in (s.x, s.h_bin, s.D, s.levels["bigram"]):
        with pytest.raises(ValueError):
            a[0] = 0
    with pytest.raises(TypeError):
        s.levels["new"] = s.x


def test_bad_input_is_named(small):
    p, s = small
    with pytest.raises(TypeError, match=r"\bdata\b"):
        setting.load(p, data="text")
    with pytest.raises(ValueError, match=r"\bdata\b"):
        setting.load(p, data=b"abcabcabc")
    with pytest.raises(FileNotFoundError):
        setting.load(p.with_name("missing.npz"), data=DATA)
    fields = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
    with pytest.raises(ValueError, match=r"\bN\b"):
        setting.Setting(**{**fields, "N": s.N + 1})
    with pytest.raises(ValueError, match=r"\bx\b"):
        setting.Setting(**{**fields, "x": s.x[:-1]})
    with pytest.raises(TypeError, match=r"\bmodel\b"):
        setting.Setting(**{**fields, "model": None})


def test_constants_have_one_home():
    assert saturation.LN2 == math.log(2.0)
    assert gates.UNIT_ROUNDOFF == 2.0 ** -53 == np.finfo(float).eps / 2
    from umlib.text.satrnn import model
    assert model._LN2 is saturation.LN2       # imported, not redefined


@pytest.mark.skipif(not HAVE_DATA, reason="needs the corpus (UMBOOK_DATA)")
def test_the_book_setting():
    s = setting.load(WEIGHTS)
    assert s.N == corpus.N_BYTES and s.h_bin.shape == (s.N, satrnn.HIDDEN)
    assert s.pred.N == s.N - 1 and s.levels["full"].size == s.N
