"""Hostile inputs to every public umlib function.

Each public function (found from the modules' ``__all__``) is registered below
with a valid call and the arguments to attack.  Every attack must end in one
of two ways: a ValueError/TypeError/OverflowError whose message names the
attacked argument, or a documented answer with no NaN in it.  Warnings are
errors in this suite (pyproject's filterwarnings), and a SIGALRM guard turns a
hang into a failure.  A function missing from the registry fails the
completeness test, so new modules must register here.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import signal

import numpy as np
import pytest

import umlib

MODULES = sorted(m.name for m in pkgutil.iter_modules(umlib.__path__)
                 if not m.name.startswith("_"))

E3 = [0.0, 1.0, 2.5]
P3 = [0.2, 0.3, 0.5]

# name -> (valid kwargs, arguments to attack, kind of each attacked argument)
REGISTRY: dict[str, tuple[dict, dict[str, str]]] = {
    "thermo.softmax": ({"z": E3, "T": 1.0}, {"z": "array", "T": "temperature"}),
    "thermo.log_softmax": ({"z": E3, "T": 1.0}, {"z": "array", "T": "temperature"}),
    "thermo.gibbs": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.log_partition": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.partition_function": ({"E": E3, "kT": 1.0}, {"E": "array1d", "kT": "temperature"}),
    "thermo.log_partition_reference": ({"E": E3, "kT": 1.0}, {"E": "array1d", "kT": "temperature"}),
    "thermo.partition_function_reference": ({"E": E3, "kT": 1.0},
                                            {"E": "array1d", "kT": "temperature"}),
    "thermo.free_energy": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.mean_energy": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.heat_capacity": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.gibbs_entropy": ({"E": E3, "kT": 1.0}, {"E": "array", "kT": "temperature"}),
    "thermo.shannon_entropy": ({"p": P3}, {"p": "probabilities", "base": "temperature"}),
    "thermo.thermo_state": ({"E": E3, "kT": 1.0}, {"E": "array1d", "kT": "temperature"}),
    "gates.ulp_distance": ({"a": 1.0, "b": 1.0}, {}),
    "gates.gate_exact": ({"name": "g", "actual": E3, "expected": E3}, {"expected": "reference"}),
    "gates.gate_ulp": ({"name": "g", "actual": E3, "expected": E3, "max_ulp": 1},
                       {"expected": "reference", "max_ulp": "tolerance"}),
    "gates.gate_rel": ({"name": "g", "actual": P3, "expected": P3, "rtol": 1e-9},
                       {"expected": "reference", "rtol": "tolerance"}),
    "gates.gate_abs": ({"name": "g", "actual": P3, "expected": P3, "atol": 1e-9},
                       {"expected": "reference", "atol": "tolerance"}),
    "gates.gate_sigma": ({"name": "g", "estimate": 1.0, "expected": 1.0, "stderr": 1.0,
                          "n_sigma": 3}, {"stderr": "tolerance", "n_sigma": "tolerance"}),
    "gates.gate_count": ({"name": "g", "violations": 0}, {"violations": "count"}),
    "gates.expect_failure": None,       # a context manager: tested in test_gates.py
    "gates.new_log": None,
    "gates.current_log": None,
    "spectra.box_levels": ({"n_levels": 3}, {"n_levels": "count", "L": "temperature"}),
    "spectra.oscillator_levels": ({"n_levels": 3}, {"n_levels": "count", "omega": "temperature"}),
    "spectra.box_eigensolve": ({"n_grid": 20, "n_levels": 3},
                               {"n_grid": "count", "n_levels": "count", "L": "temperature"}),
    "spectra.oscillator_eigensolve": ({"n_grid": 20, "n_levels": 3},
                                      {"n_grid": "count", "omega": "temperature",
                                       "x_max": "temperature"}),
    "spectra.box_fd_levels_exact": ({"n_grid": 20, "n_levels": 3},
                                    {"n_grid": "count", "L": "temperature"}),
    "spectra.box_density": ({"x": [0.1, 0.5], "n": 1}, {"x": "array_any", "n": "count"}),
    "spectra.box_bin_probabilities": ({"n": 1, "n_bins": 4}, {"n": "count", "n_bins": "count"}),
    "spectra.convergence_order": ({"h": [0.1, 0.05, 0.025], "err": [1e-2, 2.5e-3, 6.25e-4]},
                                  {"h": "array1d", "err": "array1d"}),
    "sampling.sample_index": ({"p": P3, "rng": 0}, {"p": "probabilities", "rng": "rng"}),
    "sampling.sample_indices": ({"p": P3, "size": 5, "rng": 0},
                                {"p": "probabilities", "size": "count", "rng": "rng"}),
    "sampling.chi_square_gof": ({"counts": [20, 30, 50], "p": P3},
                                {"counts": "array1d", "p": "probabilities"}),
    "dials.bars_svg": ({"p": P3}, {"p": "probabilities"}),
    "dials.TemperatureDial": ({"spectra": {"a": E3}}, {"kT": "temperature",
                                                       "kT_min": "temperature"}),
    "ledger.load_ledger": None,        # file input: tests/test_ledger.py feeds it bad files
    "ledger.load_ledger_dir": None,
    "ledger.summary": None,
    "ledger.ledger_html": None,
    "ledger.errata_html": None,
    "nbtools.sig": ({"x": 1.5}, {"x": "scalar"}),
    # Part I: the corpus, counting and the sat-rnn
    "corpus.cache_dir": None,          # no arguments; environment tested in test_corpus.py
    "corpus.sha256": ({"data": b"abc"}, {"data": "bytes"}),
    "corpus.inflate_head": None,       # streams: truncated/non-zip streams in test_corpus.py
    "corpus.fetch_head": None,         # network: a local server in test_corpus.py
    "corpus.load_corpus": None,        # files and network: test_corpus.py
    "counting.Microstates": ({"x": [97, 98, 99, 97]}, {"x": "labels"}),
    "counting.partition": ({"projection": [1, 2, 2, 3]}, {"projection": "labels"}),
    "counting.class_sizes": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "counting.omega": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "counting.boltzmann_entropy": ({"count": [1, 2, 4]}, {"count": "counts"}),
    "counting.mean_boltzmann_entropy": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "counting.partition_entropy": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "counting.joint_partition": None,  # variadic: covered through joint_entropy below
    "counting.joint_entropy": None,
    "counting.conditional_entropy": ({"target": [0, 1, 1, 2], "given": [0, 0, 1, 1]},
                                     {"target": "labels", "given": "labels"}),
    "counting.mutual_information": ({"a": [0, 1, 1, 2], "b": [0, 0, 1, 1]},
                                    {"a": "labels", "b": "labels"}),
    "counting.refines": ({"fine": [0, 1, 2, 3], "coarse": [0, 0, 1, 1]},
                         {"fine": "labels", "coarse": "labels"}),
    "satrnn.init_params": ({"hidden": 4, "rng": 0}, {"hidden": "count", "rng": "rng"}),
    "satrnn.forward": None,            # model objects: tests/test_satrnn.py
    "satrnn.bits_per_char": None,
    "satrnn.bpc_per_position": None,
    "satrnn.accumulator_difference": ({"a": [[0.1, -0.2]]}, {"a": "array"}),
    "satrnn.binary_states": ({"h": [[0.1, -0.2]]}, {"h": "array"}),
    "satrnn.train": None,              # minutes of work per call: tests/test_satrnn.py
    "satrnn.save": None,
    "satrnn.load": None,               # files: tests/test_satrnn.py (no pickle)
    "satrnn.analytic_bigram": None,
    "nbtools.glue_number": None,       # thin wrapper over sig + myst_nb.glue
    "nbtools.glue_text": None,
}

HOSTILE = {
    "array": [[np.nan], [-np.inf], [], "abc", [1 + 2j], [None], 7.0, np.full(200_000, 1e300),
              [1e308, -1e308]],
    "array1d": [[np.nan], [-np.inf], [], "abc", [1 + 2j], [[1.0, 2.0], [3.0, 4.0]],
                np.linspace(1.0, 2.0, 50_000)],
    "array_any": [[np.nan], "abc", [1 + 2j], np.zeros(0), np.full(100_000, 0.5)],
    "probabilities": [[np.nan], [np.inf, 0.0], [-0.5, 1.5], [], "abc", [0.0, 0.0],
                      [[0.5, 0.5]], np.full(100_000, 1e-5)],
    "reference": [[np.nan, 1.0, 1.0], "abc", [1.0, 2.0], [1 + 1j, 0, 0]],
    "temperature": [0.0, -1.0, np.nan, np.inf, -np.inf, "1", None, [1.0, 2.0], True, 1e-320,
                    1e308],
    "tolerance": [-1.0, np.nan, np.inf, "x", None],
    "count": [0, -3, 2.5, "3", None, True, np.nan],
    "scalar": [np.nan, np.inf, "1", None, [1.0], True],
    "rng": [None, -1, 1.5, "seed", True],
    "bytes": ["text", None, 3, [1, 2]],
    "labels": [[], [np.nan], "abc", [[1, 2], [3, 4]], [1.5, 2.5], [None, 1]],
    "counts": [[0], [-1], [np.nan], [1.5], "abc", []],
}


def public_functions():
    for mod in MODULES:
        m = importlib.import_module(f"umlib.{mod}")
        for name in m.__all__:
            obj = getattr(m, name)
            if callable(obj) and not (isinstance(obj, type) and issubclass(obj, BaseException)) \
                    and not (isinstance(obj, type) and dataclasses.is_dataclass(obj)) \
                    and name not in ("GateLog", "GateResult", "ChiSquare", "ThermoState",
                                     "DialReadout"):
                yield f"{mod}.{name}", obj


def test_every_public_function_is_registered():
    missing = [n for n, _ in public_functions() if n not in REGISTRY]
    assert not missing, f"register these in tests/test_hostile.py: {missing}"


def _no_nan(obj) -> bool:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return all(_no_nan(getattr(obj, f.name)) for f in dataclasses.fields(obj))
    if isinstance(obj, (tuple, list)):
        return all(_no_nan(o) for o in obj)
    try:
        arr = np.asarray(obj)
    except Exception:
        return True
    if arr.dtype.kind in "fc":
        return not np.isnan(arr).any()
    return True


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


CASES = [(name, arg, kind, i)
         for name, spec in REGISTRY.items() if spec is not None
         for arg, kind in spec[1].items()
         for i in range(len(HOSTILE[kind]))]


@pytest.mark.parametrize("name,arg,kind,i", CASES,
                         ids=[f"{n}-{a}-{i}" for n, a, _, i in CASES])
def test_hostile_argument(name, arg, kind, i):
    mod, fn = name.split(".")
    f = getattr(importlib.import_module(f"umlib.{mod}"), fn)
    valid, _ = REGISTRY[name]
    from umlib import gates
    gates.new_log("hostile")
    kwargs = dict(valid)
    kwargs[arg] = HOSTILE[kind][i]
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)
    try:
        try:
            out = f(**kwargs)
        except (ValueError, TypeError, OverflowError) as exc:
            msg = str(exc)
            assert msg, "an error must say what is wrong"
            assert arg.split("_")[0] in msg or arg in msg, (
                f"the message should name {arg!r}: {msg!r}")
            return
        except gates.GateFailure:
            return     # a gate that fails on a hostile value is a correct answer
        except _Hang:
            pytest.fail(f"{name} hangs on {arg}={HOSTILE[kind][i]!r}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert _no_nan(out), f"{name}({arg}={HOSTILE[kind][i]!r}) returned NaN silently"


def test_valid_calls_work():
    for name, spec in REGISTRY.items():
        if spec is None:
            continue
        mod, fn = name.split(".")
        f = getattr(importlib.import_module(f"umlib.{mod}"), fn)
        from umlib import gates
        gates.new_log("valid")
        assert _no_nan(f(**spec[0])), name


def test_package_docstring_lists_modules():
    for mod in MODULES:
        assert f"``{mod}``" in umlib.__doc__
