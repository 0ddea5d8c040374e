"""The hostile-input engine: every public callable of umlib, attacked argument by argument.

Used by ``tests/test_hostile.py`` (which fails on any bad outcome) and by
``benchmarks/hostile.py`` (which prints the counts as one JSON line for the
benchmarks report).

How it works
------------
* **Coverage is generated.**  Every name in every public module's ``__all__``
  that is a function or a class (exception classes excepted) is a target; its
  parameters come from :func:`inspect.signature`.  A new public function is
  attacked automatically; it only needs a valid call in :data:`BASE` when a
  parameter has no default (the completeness check says so).
* **Hostile values are generated** for each parameter from one common set
  (NaN, ±inf, huge ints, subnormals, 0-d and 3-d arrays, wrong types,
  non-callables, wrong containers, ...) plus a set chosen by the parameter's kind
  (a size, a tolerance, an array, a callable, ...), including the valid extremes
  of tolerances (the smallest positive float: a bisection must still stop).
* **Each call** runs under a SIGALRM alarm and with every warning recorded.  Its
  outcome is one of

  ``named``      a ValueError/TypeError/OverflowError whose message names the
                 attacked parameter as a whole word (``\\bname\\b``);
  ``finite``     a result with no NaN/±inf anywhere (or a GateFailure: a gate
                 refusing a hostile measurement is the documented answer);
  ``hang``       the alarm fired;
  ``nonfinite``  a NaN or ±inf in the result, not documented for that callable;
  ``warning``    any warning escaped;
  ``unnamed``    any other exception, or an error message that does not name the
                 parameter.

  Only ``named`` and ``finite`` are allowed.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import io
import math
import pkgutil
import re
import signal
import tempfile
import warnings
from collections import Counter
from decimal import Decimal
from pathlib import Path

import numpy as np

import umlib

ALARM_SECONDS = 5
ALLOWED = ("named", "finite")
OUTCOMES = ("named", "finite", "hang", "nonfinite", "warning", "unnamed")

MODULES = sorted(m.name for m in pkgutil.walk_packages(umlib.__path__, "umlib.")
                 if not m.ispkg and not m.name.rsplit(".", 1)[1].startswith("_"))


def public_callables():
    """Yield (qualified name, object) for every public function and class of umlib."""
    for mod in MODULES:
        m = importlib.import_module(mod)
        for name in m.__all__:
            obj = getattr(m, name)
            if not callable(obj):
                continue
            if isinstance(obj, type) and issubclass(obj, BaseException):
                continue
            yield f"{mod[len('umlib.'):]}.{name}", obj


# ---------------------------------------------------------------------------
# fixtures: small valid objects of the library's own classes, built once
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def fx(name: str):
    from umlib.networks import features as ft
    from umlib.networks import superposition as sp
    from umlib.physics import ising
    from umlib.physics import learning as lg
    from umlib.text import bridge, satrnn
    if name == "graph":
        return ising.square_lattice(3)
    if name == "task":
        return ft.make_task(2, 2, 3, 3)
    if name == "net":
        return ft.train_resnet(fx("task"), d=4, d_mlp=6, n_layers=2, steps=3, batch=8, rng=3)
    if name == "satrnn":
        return satrnn.init_params(4, rng=0)
    if name == "trace":
        return satrnn.forward(fx("satrnn"), b"abcab")
    if name == "chain":
        return ising.metropolis(np.ones((1, 4, 4), int), 2.0, 30, rng=0)
    if name in ("binder_a", "binder_b"):     # synthetic moments whose U(T) cross once
        U = np.array([0.6, 0.5, 0.4]) if name == "binder_a" else np.array([0.65, 0.5, 0.3])
        m2 = np.full((20, 3), 0.5)       # (replicas, temperatures)
        return ising.BinderRun(L=4 if name == "binder_a" else 8, T=np.array([2.2, 2.3, 2.4]),
                               m1=np.full((20, 3), 0.6), m2=m2, m4=3 * m2 ** 2 * (1 - U),
                               sweeps=10)
    if name == "toy":
        return sp.train_toy_model(sparsity=0.5, steps=5, n_restarts=1, rng=0)
    if name == "x_sae":
        return sp.planted_activations(sp.planted_dictionary(4, 3, rng=0), 40, 0.3, rng=1)[0]
    if name == "sae":
        return sp.train_sae(fx("x_sae"), 3, steps=5, rng=0)
    if name == "levels":
        lv = {"a": np.array([0, 0, 1, 1, 0, 1]), "b": np.array([0, 1, 2, 3, 0, 1])}
        return bridge.staircase(lv, np.array([0, 1, 1, 0, 0, 1]))
    if name == "well":
        return lg.DoubleWell()
    if name == "tmp":
        return Path(tempfile.mkdtemp(prefix="hostile-"))
    raise KeyError(name)


def _grok_task():
    from umlib.networks import grokking as gk
    return gk.modular_addition(5, 0.4)


def _grok_run():
    from umlib.networks import grokking as gk
    return gk.GrokRun(np.array([1, 2]), np.array([0.5, 1.0]), np.array([0.0, 0.5]),
                      np.array([1.0, 1.0]))


def _stream():
    out = fx("net").run(fx("task").tokens)
    return out[1] if isinstance(out, tuple) else out


def _setting():
    from umlib.text import setting
    return setting.load(str(_saved("satrnn")), data=b"abcabcabcab")


def _corpus_zip() -> bytes:
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("enwik9", b"x" * 5000)
    return buf.getvalue()


E3 = [0.0, 1.0, 2.5]
P3 = [0.2, 0.3, 0.5]
TPM = [[0.5, 0.5], [0.2, 0.8]]
XY = (np.arange(12.0).reshape(6, 2) / 6, np.linspace(0.0, 1.0, 6), np.zeros(2))


def _loss(x):
    return (np.asarray(x, float) ** 2 - 1.0) ** 2


def _grad(x):
    x = np.asarray(x, float)
    return 4.0 * x * (x ** 2 - 1.0)


# name -> callable returning the valid keyword arguments (only those without a
# usable default need to be given; the others are attacked from their defaults)
BASE = {
    "book.gates.new_log": lambda: {"chapter": "hostile"},
    "book.gates.current_log": lambda: {},
    "book.gates.ulp_distance": lambda: {"a": 1.0, "b": 1.0},
    "book.gates.gate_exact": lambda: {"name": "g", "actual": E3, "expected": E3},
    "book.gates.gate_ulp": lambda: {"name": "g", "actual": E3, "expected": E3, "max_ulp": 1},
    "book.gates.gate_rel": lambda: {"name": "g", "actual": P3, "expected": P3, "rtol": 1e-9},
    "book.gates.gate_abs": lambda: {"name": "g", "actual": P3, "expected": P3, "atol": 1e-9},
    "book.gates.gate_sigma": lambda: {"name": "g", "estimate": 1.0, "expected": 1.0,
                                      "stderr": 1.0, "n_sigma": 3.0},
    "book.gates.gate_count": lambda: {"name": "g", "violations": 0},
    "book.gates.expect_failure": lambda: {"label": "control"},
    "book.gates.compare_with_source": lambda: {"name": "g", "ours": 2.3456, "printed": "2.35"},
    "book.gates.printed_half_unit": lambda: {"printed": "2.35"},
    "book.gates.show": lambda: {"result": _gate_result()},
    "book.gates.check_answer": lambda: {"name": "g", "answer": 1.0, "expected": 1.0,
                                        "rtol": 0.1},
    "book.glue.meaningful": lambda: {"x": 0.6354, "err": 0.01},
    "book.glue.glue_value": None,      # needs a notebook kernel; meaningful is attacked
    "book.ledger.source_box": lambda: {"chapter": "part3/02-face-a"},
    "book.glue.sig": lambda: {"x": 1.5},
    "book.glue.glue_number": None,     # needs a notebook kernel (myst_nb.glue); sig is attacked
    "book.glue.glue_text": None,
    "book.ledger.load_ledger": lambda: {"path": str(_ledger_file())},
    "book.ledger.load_ledger_dir": lambda: {"folder": str(_ledger_file().parent)},
    "book.ledger.check_row": lambda: {"row": {"id": "X-1", "verdict": "not testable",
                                              "decision": "history", "gate": ""},
                                      "record": None},
    "book.ledger.summary": lambda: {"rows": []},
    "book.ledger.ledger_html": lambda: {"rows": []},
    "book.ledger.errata_html": lambda: {"rows": []},
    "book.records.GateResult": lambda: {"name": "g", "kind": "exact", "tolerance": 0.0,
                                        "measured": 0.0, "passed": True},
    "book.records.GateLog": lambda: {"chapter": "hostile"},
    "book.records.print_table": lambda: {"payload": {"chapter": "hostile", "gates": [
        {"name": "g", "kind": "exact", "role": "check", "measured": 0, "tolerance": 0,
         "n": 1, "status": "pass"}]}},
    "book.weights.sha256": lambda: {"path": str(_weights_file())},
    "book.weights.sidecar": lambda: {"path": str(_weights_file())},
    "book.weights.write": lambda: {"path": str(fx("tmp") / "w2.npz"),
                                   "arrays": {"a": np.zeros(2)}, "meta": {"script": "s"}},
    "book.weights.read": lambda: {"path": str(_weights_file()), "script": "s"},
    "book.weights.recipe_mismatches": lambda: {"meta": {"train_steps": 1},
                                                "train": {"steps": 1}},
    "core.montecarlo.autocorrelation_time": lambda: {"x": np.sin(np.arange(64.0))},
    "core.montecarlo.jackknife": lambda: {"stat": np.mean, "data": np.arange(40.0),
                                          "n_blocks": 4},
    "core.montecarlo.binder": lambda: {"M": [0.1, 0.5, -0.2, 0.9]},
    "core.optim.adam_update": lambda: {"p": np.zeros(2), "grad": np.ones(2), "m": np.zeros(2),
                                       "v": np.zeros(2), "t": 1, "lr": 0.01},
    "core.reference.log_z_reference": lambda: {"E": E3},
    "core.reference.partition_function_reference": lambda: {"E": E3},
    "core.reference.gibbs_reference": lambda: {"E": E3},
    "core.sampling.sample_index": lambda: {"p": P3, "rng": 0},
    "core.sampling.sample_indices": lambda: {"p": P3, "size": 5, "rng": 0},
    "core.sampling.ChiSquare": lambda: {"statistic": 1.0, "dof": 2, "z": 0.1, "p_value": 0.5},
    "core.sampling.chi_square_gof": lambda: {"counts": [20, 30, 50], "p": P3},
    "core.spectra.box_levels": lambda: {"n_levels": 3},
    "core.spectra.oscillator_levels": lambda: {"n_levels": 3},
    "core.spectra.box_eigensolve": lambda: {"n_grid": 20, "n_levels": 3},
    "core.spectra.oscillator_eigensolve": lambda: {"n_grid": 20, "n_levels": 3},
    "core.spectra.box_fd_levels_exact": lambda: {"n_grid": 20, "n_levels": 3},
    "core.spectra.box_density": lambda: {"x": [0.1, 0.5], "n": 1},
    "core.spectra.box_bin_probabilities": lambda: {"n": 1, "n_bins": 4},
    "core.spectra.convergence_order": lambda: {"h": [0.1, 0.05, 0.025],
                                               "err": [1e-2, 2.5e-3, 6.25e-4]},
    "core.thermo.softmax": lambda: {"z": E3},
    "core.thermo.log_softmax": lambda: {"z": E3},
    "core.thermo.gibbs": lambda: {"E": E3},
    "core.thermo.log_z": lambda: {"E": E3},
    "core.thermo.partition_function": lambda: {"E": E3},
    "core.thermo.free_energy": lambda: {"E": E3},
    "core.thermo.mean_energy": lambda: {"E": E3},
    "core.thermo.heat_capacity": lambda: {"E": E3},
    "core.thermo.gibbs_entropy": lambda: {"E": E3},
    "core.thermo.shannon_entropy": lambda: {"p": P3},
    "core.thermo.ThermoState": lambda: {"T": 1.0, "p": np.array(P3), "log_Z": 0.5, "F": -0.5,
                                        "U": 1.0, "S_nats": 1.0, "H_bits": 1.4, "C": 0.3,
                                        "argmax": 2},
    "core.thermo.thermo_state": lambda: {"E": E3},
    "core.validate.real_array": lambda: {"name": "x", "x": E3},
    "core.validate.positive_scalar": lambda: {"name": "x", "x": 1.0},
    "core.validate.real_scalar": lambda: {"name": "x", "x": 1.0},
    "core.validate.count": lambda: {"name": "n", "n": 3},
    "core.validate.check_axis": lambda: {"name": "axis", "axis": 0, "ndim": 2},
    "core.validate.as_rng": lambda: {"rng": 0},
    "core.validate.class_labels": lambda: {"name": "labels", "labels": [0, 1]},
    "core.validate.spins": lambda: {"name": "s", "s": [1, -1]},
    "core.validate.fraction": lambda: {"name": "x", "x": 0.5},
    "core.validate.mapping": lambda: {"name": "x", "x": {"a": 1}},
    "core.validate.vector": lambda: {"name": "v", "v": [1.0, 2.0], "d": 2},
    "core.validate.record_fields": lambda: {"record": _shape()},
    "core.validate.text": lambda: {"name": "x", "x": "abc"},
    "core.validate.finite_result": lambda: {"culprits": "x", "compute": lambda: 1.0},
    "core.validate.as_array": lambda: {"name": "x", "x": [1.0, 2.0]},
    "core.validate.flag": lambda: {"name": "x", "x": True},
    "core.validate.sequence": lambda: {"name": "x", "x": [1, 2]},
    "core.validate.diverging": lambda: {"culprits": "lr"},
    "networks.emergence.chains.stationary_distribution": lambda: {"tpm": TPM},
    "networks.emergence.chains.entropy_rate": lambda: {"tpm": TPM},
    "networks.emergence.chains.sample_chain": lambda: {"tpm": TPM, "n": 5},
    "networks.emergence.chains.bigram_counts": lambda: {"seq": [0, 1, 1, 0], "n_symbols": 2},
    "networks.emergence.chains.cross_entropy_bits": lambda: {"W": np.zeros((2, 2)),
                                                             "seq": [0, 1, 1, 0]},
    "networks.emergence.chains.fit_bigram": lambda: {"seq": [0, 1, 1, 0], "n_symbols": 2,
                                                     "steps": 5},
    "networks.emergence.information.check_tpm": lambda: {"tpm": TPM},
    "networks.emergence.information.effective_information": lambda: {"tpm": TPM},
    "networks.grokking.modular_addition": lambda: {"p": 5, "train_frac": 0.4},
    "networks.grokking.train_modular_addition": lambda: {
        "task": _grok_task(), "hidden": 4, "steps": 2, "eval_every": 1},
    "networks.grokking.first_step_at": lambda: {"run": _grok_run(), "level": 0.5},
    "networks.grokking.fourier_solution": lambda: {"p": 5},
    "networks.grokking.ModularTask": lambda: dict(vars(_grok_task())),
    "networks.grokking.GrokRun": lambda: dict(vars(_grok_run())),
    "networks.emergence.information.determinism": lambda: {"tpm": TPM},
    "networks.emergence.information.degeneracy": lambda: {"tpm": TPM},
    "networks.emergence.information.ei_decomposition": lambda: {"tpm": TPM},
    "networks.emergence.information.intervention_joint": lambda: {"tpm": TPM},
    "networks.emergence.information.mutual_information": lambda: {"joint": [[0.25, 0.25],
                                                                            [0.0, 0.5]]},
    "networks.emergence.partitions.coarse_grain": lambda: {"tpm": TPM, "partition": [0, 1]},
    "networks.emergence.partitions.set_partitions": lambda: {"n": 3},
    "networks.emergence.partitions.bell_number": lambda: {"n": 4},
    "networks.emergence.partitions.best_partition": lambda: {"tpm": TPM},
    "networks.emergence.partitions.add_noise": lambda: {"tpm": TPM, "eps": 0.1},
    "networks.emergence.partitions.hoel_example": lambda: {"n_noisy": 3},
    "networks.emergence.partitions.partition_blocks": lambda: {"labels": [0, 1, 1]},
    "networks.features.costs.cache_bytes": lambda: {"net": fx("net"), "n_prompts": 3},
    "networks.features.costs.TransformerShape": lambda: {},
    "networks.features.costs.weights_bytes": lambda: {"shape": _shape()},
    "networks.features.costs.transformer_cache_bytes": lambda: {"shape": _shape(),
                                                                "n_ctx": 16},
    "networks.features.interventions.steer": lambda: {"x": [[0.0, 1.0]], "v": [1.0, 0.0],
                                                      "c": 0.5},
    "networks.features.interventions.patch": lambda: {"x_corrupted": [1.0, 2.0],
                                                      "v_corrupted": [0.5, 0.5],
                                                      "v_clean": [0.0, 1.0]},
    "networks.features.interventions.clamp": lambda: {"x": [[0.0, 1.0]], "v": [1.0, 0.0],
                                                      "lam": 2.0},
    "networks.features.interventions.difference_of_means": lambda: {"acts_a": [[1.0, 0.0]],
                                                                    "acts_b": [[0.0, 1.0]]},
    "networks.features.interventions.logit_lens": lambda: {"net": fx("net"),
                                                           "stream": _stream()},
    "networks.features.interventions.with_weight": lambda: {"net": fx("net"), "name": "U",
                                                            "index": (0, 0), "value": 1.0},
    "networks.features.interventions.output_channel": lambda: {"outcomes": [[0, 1, 1]],
                                                               "n_classes": 2},
    "networks.features.model.Task": lambda: dataclasses.asdict(fx("task")),
    "networks.features.model.make_task": lambda: {"n_classes": 2, "subjects_per_class": 2,
                                                  "n_fillers": 3, "seq_len": 3},
    "networks.features.model.ResNet": lambda: {f.name: getattr(fx("net"), f.name)
                                               for f in dataclasses.fields(fx("net"))},
    "networks.features.model.train_resnet": lambda: {"task": fx("task"), "d": 4, "d_mlp": 6,
                                                     "n_layers": 1, "steps": 2, "batch": 8},
    "networks.features.model.save_resnet": lambda: {"net": fx("net"),
                                                    "path": str(fx("tmp") / "r.npz")},
    "networks.features.model.load_resnet": lambda: {"path": str(_saved("resnet"))},
    "networks.superposition.sae.planted_dictionary": lambda: {"n_features": 3, "dim": 2},
    "networks.superposition.sae.planted_activations": lambda: {
        "dictionary": np.eye(2), "n_samples": 5, "p_active": 0.5},
    "networks.superposition.sae.SAE": lambda: {f.name: getattr(fx("sae"), f.name)
                                               for f in dataclasses.fields(fx("sae"))},
    "networks.superposition.sae.train_sae": lambda: {"x": fx("x_sae"), "n_dict": 3,
                                                     "steps": 3, "batch": 8},
    "networks.superposition.sae.save_saes": lambda: {"saes": {3: fx("sae")},
                                                     "path": str(fx("tmp") / "s.npz")},
    "networks.superposition.sae.load_saes": lambda: {"path": str(_saved("sae"))},
    "networks.superposition.sae.max_cosine": lambda: {"planted": [[1.0, 0.0]],
                                                      "learned": [[0.6, 0.8]]},
    "networks.superposition.sae.recovery": lambda: {"planted": [[1.0, 0.0]],
                                                    "learned": [[0.6, 0.8]]},
    "networks.superposition.toy.sparse_features": lambda: {"n_samples": 4, "n_features": 3,
                                                           "sparsity": 0.5},
    "networks.superposition.toy.ToyModel": lambda: {f.name: getattr(fx("toy"), f.name)
                                                    for f in dataclasses.fields(fx("toy"))},
    "networks.superposition.toy.train_toy_model": lambda: {"steps": 3, "batch": 16,
                                                           "n_restarts": 1},
    "networks.superposition.toy.save_toy_models": lambda: {"models": {0.5: fx("toy")},
                                                           "path": str(fx("tmp") / "t.npz")},
    "networks.superposition.toy.load_toy_models": lambda: {"path": str(_saved("toy"))},
    "networks.superposition.toy.feature_dimensionality": lambda: {"W": [[1.0, 0.0],
                                                                        [0.0, 1.0]]},
    "networks.superposition.toy.feature_angles": lambda: {"W": [[1.0, 0.0], [0.0, 1.0]]},
    "networks.superposition.toy.n_represented": lambda: {"model": fx("toy")},
    "physics.ising.coarse.binder_crossing": lambda: {"T_a": [2.0, 2.2, 2.4, 2.6],
                                                     "U_a": [0.6, 0.55, 0.45, 0.3],
                                                     "T_b": [2.0, 2.2, 2.4, 2.6],
                                                     "U_b": [0.65, 0.57, 0.43, 0.2]},
    "physics.ising.coarse.BinderRun": lambda: {f.name: getattr(fx("binder_a"), f.name)
                                               for f in dataclasses.fields(fx("binder_a"))},
    "physics.ising.coarse.binder_run": lambda: {"L": 4, "T": [2.2, 2.3], "n_sweeps": 10,
                                                "n_replicas": 2, "rng": 0},
    "physics.ising.coarse.binder_crossing_error": lambda: {
        "T_a": fx("binder_a").T, "m2_a": fx("binder_a").m2, "m4_a": fx("binder_a").m4,
        "T_b": fx("binder_b").T, "m2_b": fx("binder_b").m2, "m4_b": fx("binder_b").m4},
    "physics.ising.coarse.block_spins": lambda: {"S": [[1, -1, 1], [-1, 1, 1], [1, 1, -1]],
                                                 "b": 3},
    "physics.ising.exact.enumerate_states": lambda: {"n": 3},
    "physics.ising.exact.enumerate_energy_magnetization": lambda: {
        "graph": fx("graph")},
    "physics.ising.exact.ExactObservables": lambda: {"T": 1.0, "n": 2, "log_Z": 1.0,
                                                     "e": -1.0, "c": 0.5, "abs_m": 0.5,
                                                     "m2": 0.4, "m4": 0.3, "chi": 1.0,
                                                     "binder": 0.4},
    "physics.ising.exact.exact_observables": lambda: {"E": [-4.0, 0.0, 4.0],
                                                      "M": [2.0, 0.0, -2.0], "n": 2, "T": 1.0},
    "physics.ising.exact.chain_log_z": lambda: {"N": 4, "T": 1.0},
    "physics.ising.exact.chain_magnetization": lambda: {"T": 1.0, "h": 0.1},
    "physics.ising.exact.strip_log_z": lambda: {"L": 2, "M": 3, "T": 2.0},
    "physics.ising.kaufman.torus_energy": lambda: {"L": 4, "M": 4, "T": 2.0},
    "physics.ising.kaufman.torus_heat_capacity": lambda: {"L": 4, "M": 4, "T": 2.0},
    "physics.ising.kaufman.torus_heat_capacity_peak": lambda: {"L": 8, "M": 8, "T_lo": 2.2,
                                                               "T_hi": 2.6},
    "physics.ising.kaufman.torus_log_z": lambda: {"L": 4, "M": 4, "T": 2.0},
    "physics.ising.exact.onsager_Tc": lambda: {},
    "physics.ising.exact.onsager_free_energy": lambda: {"T": 2.0},
    "physics.ising.exact.onsager_energy": lambda: {"T": 2.0},
    "physics.ising.exact.yang_magnetization": lambda: {"T": 2.0},
    "physics.ising.graphs.Graph": lambda: {"n": 3, "edges": np.array([[0, 1], [1, 2]]),
                                           "J": np.array([1.0, -1.0])},
    "physics.ising.graphs.square_lattice": lambda: {"L": 3},
    "physics.ising.graphs.random_graph": lambda: {"n": 10, "mean_degree": 2.0, "rng": 0},
    "physics.ising.graphs.block_graph": lambda: {"sizes": [3, 3], "p_in": 0.8, "p_out": 0.1,
                                                 "rng": 0},
    "physics.ising.graphs.energy": lambda: {"s": np.ones(9), "graph": fx("graph")},
    "physics.ising.graphs.lattice_energy": lambda: {"S": [[1, -1], [-1, 1]]},
    "physics.ising.graphs.graph_coloring": lambda: {"graph": fx("graph")},
    "physics.ising.graphs.unsatisfied_bonds": lambda: {"s": np.ones(9), "graph": fx("graph")},
    "physics.ising.graphs.domain_walls": lambda: {"S": [[1, -1], [-1, 1]]},
    "physics.ising.samplers.random_spins": lambda: {"shape": (2, 3), "rng": 0},
    "physics.ising.multispin.pack_spins": lambda: {"S": np.ones((64, 2, 2))},
    "physics.ising.multispin.unpack_spins": lambda: {"W": np.ones((2, 2), dtype=np.uint64)},
    "physics.ising.multispin.lane_counts": lambda: {"W": np.ones((2, 2), dtype=np.uint64)},
    "physics.ising.multispin.bernoulli_words": lambda: {"p": 0.3, "shape": (2, 2), "rng": 0},
    "physics.ising.multispin.multispin_metropolis": lambda: {"S": np.ones((64, 2, 2)),
                                                             "T": 2.0, "n_sweeps": 2,
                                                             "rng": 0},
    "physics.ising.samplers.Chain": lambda: {"S": fx("chain").S, "E": fx("chain").E,
                                             "M": fx("chain").M},
    "physics.ising.samplers.metropolis": lambda: {"S": [[[1, 1], [1, 1]]], "T": 2.0,
                                                  "n_sweeps": 2, "rng": 0},
    "physics.ising.samplers.swendsen_wang": lambda: {"S": [[[1, 1], [1, 1]]], "T": 2.0,
                                                     "n_sweeps": 2, "rng": 0},
    "physics.ising.samplers.metropolis_graph": lambda: {"s": np.ones((1, 9)),
                                                        "graph": fx("graph"), "T": 2.0,
                                                        "n_sweeps": 2, "rng": 0},
    "physics.ising.samplers.second_moment_xi": lambda: {"S0": np.ones((2, 4, 4)),
                                                        "Sk": np.ones((2, 4, 4)), "L": 4},
    "physics.ising.samplers.estimates": lambda: {"chain": fx("chain"), "n_blocks": 4},
    "physics.ising.samplers.field_sweep": lambda: {"S": np.ones((1, 4, 4), int), "T": 2.0,
                                                   "hs": [0.0, 0.5], "sweeps_per_h": 2,
                                                   "rng": 0},
    "physics.learning.landscape.DoubleWell": lambda: {},
    "physics.learning.landscape.importance_Z": lambda: {"loss": _loss, "T": 0.5, "n": 200,
                                                        "rng": 0},
    "physics.learning.landscape.variational_free_energy": lambda: {
        "loss": _loss, "p": np.full(5, 0.2), "x": np.linspace(-1, 1, 5), "T": 0.5},
    "physics.learning.landscape.metropolis_1d": lambda: {"loss": _loss, "T": 0.5,
                                                         "n_steps": 20, "rng": 0, "x0": 0.0},
    "physics.learning.landscape.langevin_sgd_1d": lambda: {"grad": _grad, "eta": 0.01,
                                                           "sigma": 1.0, "n_steps": 20,
                                                           "rng": 0, "x0": 0.0},
    "physics.learning.landscape.first_law_split": lambda: {
        "loss": _loss, "grad": _grad, "x": np.linspace(-1, 1, 5), "eta": 0.01,
        "noise": np.zeros(4)},
    "physics.learning.lineage.lineage_anachronisms": lambda: {},
    "physics.learning.sgd.training_temperature": lambda: {"eta": 0.1},
    "physics.learning.sgd.stationary_variance": lambda: {"a": [1.0, 2.0], "eta": 0.1},
    "physics.learning.sgd.stationary_loss": lambda: {"a": [1.0, 2.0], "eta": 0.1},
    "physics.learning.sgd.moment_recursion": lambda: {"a": [1.0, 2.0],
                                                      "etas": np.full(5, 0.1)},
    "physics.learning.sgd.SGDRun": lambda: {"theta": np.zeros((3, 2)), "sq": np.zeros(3),
                                            "loss": np.zeros(3)},
    "physics.learning.sgd.sgd_quadratic": lambda: {"a": [1.0, 2.0], "etas": np.full(5, 0.1),
                                                   "rng": 0, "n_chains": 3},
    "physics.learning.sgd.wsd_schedule": lambda: {"n_steps": 10, "eta_max": 0.1,
                                                  "eta_min": 0.01},
    "physics.learning.sgd.minibatch_gradients": lambda: {"X": XY[0], "y": XY[1],
                                                         "theta": XY[2], "batch": 2,
                                                         "n_draws": 3, "rng": 0},
    "physics.learning.sgd.minibatch_noise_variance": lambda: {"X": XY[0], "y": XY[1],
                                                              "theta": XY[2], "batch": 2},
    "physics.learning.skills.domino_descent": lambda: {"n_skills": 3, "eta": 0.1,
                                                      "threshold": 0.5, "n_steps": 20},
    "physics.learning.skills.domino_gap": lambda: {"eta": 0.1, "threshold": 0.5},
    "physics.learning.skills.onset_steps": lambda: {"losses": np.full((4, 2), 0.5)},
    "physics.spinglass.coupling_matrix": lambda: {"graph": fx("graph")},
    "physics.spinglass.sk_couplings": lambda: {"n": 4, "rng": 0},
    "physics.spinglass.pm_j_lattice": lambda: {"L": 3, "rng": 0},
    "physics.spinglass.plaquettes": lambda: {"L": 3},
    "physics.spinglass.frustrated_plaquettes": lambda: {"graph": fx("graph"), "L": 3},
    "physics.spinglass.dense_energy": lambda: {"s": [1, -1], "J": [[0.0, 1.0], [1.0, 0.0]]},
    "physics.spinglass.ground_states": lambda: {"J": [[0.0, 1.0], [1.0, 0.0]]},
    "physics.spinglass.anneal": lambda: {"J": [[0.0, 1.0], [1.0, 0.0]],
                                         "schedule": [2.0, 1.0, 0.5], "rng": 0},
    "physics.spinglass.geometric_schedule": lambda: {"T_hot": 2.0, "T_cold": 0.1,
                                                     "n_steps": 5},
    "physics.spinglass.hebbian": lambda: {"patterns": [[1, -1, 1]]},
    "physics.spinglass.hopfield_recall": lambda: {"W": [[0.0, 1.0], [1.0, 0.0]],
                                                  "s0": [1, -1], "rng": 0, "n_sweeps": 2},
    "physics.spinglass.retrieval_overlap": lambda: {"n": 20, "n_patterns": 2, "rng": 0,
                                                    "n_sweeps": 2},
    "physics.spinglass.frustrated_triangles": lambda: {"J": [[0.0, 1.0, -1.0],
                                                             [1.0, 0.0, 1.0],
                                                             [-1.0, 1.0, 0.0]]},
    "text.bridge.context_labels": lambda: {"x": [97, 98, 97], "offsets": [0]},
    "text.bridge.factoring_levels": lambda: {"x": list(b"abracadabra, abracadabra")},
    "text.bridge.BridgeTerms": lambda: {"N": 4, "K": 2, "mean_S_B": 0.5, "H": 1.0,
                                        "H_bridge": 1.0},
    "text.bridge.bridge_terms": lambda: {"labels": [0, 1, 1, 2]},
    "text.bridge.bridge_reference": lambda: {"sizes": [1, 2, 1]},
    "text.bridge.ResidualSplit": lambda: dataclasses.asdict(
        __import__("umlib.text.bridge", fromlist=["x"]).residual_split([0, 0, 1, 1],
                                                                       [0, 1, 2, 2])),
    "text.bridge.residual_split": lambda: {"context": [0, 0, 1, 1], "target": [0, 1, 2, 2]},
    "text.bridge.quotients": lambda: {"labels": [0, 1, 1, 2]},
    "text.bridge.conditional_quotients": lambda: {"context": [0, 0, 1, 1],
                                                  "target": [0, 1, 2, 2]},
    "text.bridge.LevelStats": lambda: dataclasses.asdict(fx("levels")[0]),
    "text.bridge.staircase": lambda: {"levels": {"a": [0, 0, 1]}, "target": [0, 1, 1]},
    "text.bridge.rnn_param_count": lambda: {"vocab": 256, "hidden": 128},
    "text.bridge.lookup_table_size": lambda: {"n_bits": 8},
    "text.learnability.context_bits": lambda: {"x": [97, 98, 99], "k": 1},
    "text.learnability.fold_split": lambda: {"N": 8, "folds": 2, "fold": 0, "n": 2},
    "text.learnability.HeldOut": lambda: {"bits": np.array([1.0, 2.0]), "err": 0.0},
    "text.learnability.table_bits": lambda: {"s_train": [[1], [-1]], "y_train": [7, 9],
                                             "s_test": [[1]], "y_test": [7]},
    "text.learnability.factored_bits": lambda: {"s_train": [[1], [-1]], "y_train": [7, 9],
                                                "s_test": [[1]], "y_test": [7]},
    "text.learnability.Grid": lambda: {"ks": (1,), "ns": (2,), "table": np.ones((1, 1, 2)),
                                       "factored": np.ones((1, 1, 2)),
                                       "context_free": np.ones((1, 1, 2)), "err": 0.0},
    "text.learnability.heldout_grid": lambda: {"x": list(b"abcdabcd"), "ks": (1,),
                                               "ns": (2,), "folds": 2},
    "text.corpus.cache_dir": lambda: {},
    "text.corpus.sha256": lambda: {"data": b"abc"},
    "text.corpus.inflate_head": lambda: {"stream": io.BytesIO(_corpus_zip()), "n": 100},
    "text.corpus.fetch_head": None,     # the network: tests/text/test_corpus.py serves it locally
    "text.corpus.load_corpus": None,    # the network and the data folder: tests/text/test_corpus.py
    "text.counting.Event": lambda: {"space": "x", "value": 1},
    "text.counting.Pattern": lambda: {},
    "text.counting.Microstates": lambda: {"x": [97, 98, 99, 97]},
    "text.counting.partition": lambda: {"projection": [1, 2, 2, 3]},
    "text.counting.class_sizes": lambda: {"labels": [0, 1, 1, 2]},
    "text.counting.omega": lambda: {"labels": [0, 1, 1, 2]},
    "text.counting.boltzmann_entropy": lambda: {"count": [1, 2, 4]},
    "text.counting.mean_boltzmann_entropy": lambda: {"labels": [0, 1, 1, 2]},
    "text.counting.partition_entropy": lambda: {"labels": [0, 1, 1, 2]},
    "text.counting.joint_partition": lambda: {"*": ([0, 1, 1, 2], [0, 0, 1, 1])},
    "text.counting.joint_entropy": lambda: {"*": ([0, 1, 1, 2], [0, 0, 1, 1])},
    "text.counting.conditional_entropy": lambda: {"target": [0, 1, 1, 2],
                                                  "given": [0, 0, 1, 1]},
    "text.counting.mutual_information": lambda: {"a": [0, 1, 1, 2], "b": [0, 0, 1, 1]},
    "text.counting.refines": lambda: {"fine": [0, 1, 2, 3], "coarse": [0, 0, 1, 1]},
    "text.counting.conditional_log_count": lambda: {"target": [0, 1, 1, 2],
                                                    "given": [0, 0, 1, 1]},
    "text.counting.greedy_refinement": lambda: {
        "base": np.zeros(8, int), "candidates": np.array([[0, 1] * 4]).T,
        "target": np.array([0, 1] * 4), "steps": 1},
    "text.satrnn.analysis.accumulator_difference": lambda: {"a": [[0.1, -0.2]]},
    "text.satrnn.analysis.binary_states": lambda: {"h": [[0.1, -0.2]]},
    "text.satrnn.analysis.analytic_bigram": lambda: {"data": b"abcabcab", "hidden": 8},
    "text.satrnn.analysis.attribution": lambda: {"model": fx("satrnn"), "data": b"abcab",
                                                 "t": 2},
    "text.satrnn.analysis.sign_readout_bpc": lambda: {"model": fx("satrnn"), "data": b"abcab"},
    "text.satrnn.model.SatRNN": lambda: {f.name: getattr(fx("satrnn"), f.name)
                                         for f in dataclasses.fields(fx("satrnn"))},
    "text.satrnn.model.Trace": lambda: {f.name: getattr(fx("trace"), f.name)
                                        for f in dataclasses.fields(fx("trace"))},
    "text.satrnn.model.init_params": lambda: {"hidden": 4},
    "text.satrnn.model.forward": lambda: {"model": fx("satrnn"), "data": b"abcab"},
    "text.satrnn.model.bpc_per_position": lambda: {"model": fx("satrnn"), "data": b"abcab"},
    "text.satrnn.model.bits_per_char": lambda: {"model": fx("satrnn"), "data": b"abcab"},
    "text.satrnn.model.blend": lambda: {"m0": fx("satrnn"), "m1": fx("satrnn"), "alpha": 0.5},
    "text.satrnn.training.TrainResult": lambda: {"model": fx("satrnn")},
    "text.satrnn.training.train": lambda: {"data": b"abcabcabcabcabcabcabcab", "hidden": 4,
                                           "bptt": 5, "epochs": 1},
    "text.satrnn.training.save": lambda: {"model": fx("satrnn"),
                                          "path": str(fx("tmp") / "m.npz")},
    "text.satrnn.training.load": lambda: {"path": str(_saved("satrnn"))},
    "text.saturation.variational_two_state": lambda: {"D": [0.5, -2.0]},
    "text.saturation.maxent_multiplier": lambda: {"A": [-1.0, 1.0], "mean": 0.2},
    "text.saturation.saturation_fractions": lambda: {"D": [0.5, -2.0, 30.0]},
    "text.setting.load": lambda: {"path": str(_saved("satrnn")), "data": b"abcabcabcab"},
    "text.setting.Setting": lambda: {f.name: getattr(_setting(), f.name)
                                     for f in dataclasses.fields(_setting())},
    "widgets.intervention.DoseReadout": lambda: {"value": 0.0, "p_target": 0.5,
                                                 "share_target": 0.5,
                                                 "share_by_class": np.array([0.5, 0.5])},
    "widgets.intervention.SteeringDial": lambda: _dial_kwargs(),
    "widgets.intervention.ClampingDial": lambda: _dial_kwargs(),
    "widgets.intervention.slider_step": lambda: {"span": 7.0},
    "widgets.protocol.encode": lambda: {"obj": {"a": [1.0, 2]}},
    "widgets.protocol.decode": lambda: {"data": {"a": [1.0, 2]}},
    "widgets.protocol.remake": lambda: {"spec": importlib.import_module(
        "umlib.widgets.temperature").TemperatureDial({"a": E3}, T_min=0.5, T_max=2.0).spec()},
    "widgets.protocol.state_table": lambda: {"dial": importlib.import_module(
        "umlib.widgets.temperature").TemperatureDial({"a": E3}, T_min=0.5, T_max=2.0)},
    "widgets.protocol.pack_table": lambda: {"table": {"html": ["<p>x</p>"], "states": [0]},
                                            "model_id": "m"},
    "widgets.protocol.unpack_table": lambda: dict(zip(("script", "integrity"), importlib.import_module(
        "umlib.widgets.protocol").pack_table({"html": ["<p>x</p>"], "states": [0]}, "m"))),
    "widgets.lattice.LatticeReadout": lambda: {"T": 2.0, "h": 0.0, "S": np.ones((2, 2)),
                                               "m": 1.0, "e": -2.0, "walls": 0,
                                               "m_yang": 0.9, "e_onsager": -1.4},
    "widgets.lattice.IsingDial": lambda: {"L": 4, "n_sweeps": 1},
    "widgets.double_well.DoubleWellReadout": lambda: {
        "T": 0.5, "theta": np.zeros(3), "density": np.ones(3), "p_left": 0.5,
        "p_left_limit": 0.6, "free_energy": 0.0},
    "widgets.double_well.DoubleWellDial": lambda: {"T_max": 1.0},
    "widgets.protocol.Control": lambda: {"name": "T", "label": "T", "kind": "log",
                                         "default": 1.0, "lo": 0.01, "hi": 100.0,
                                         "step": 0.01},
    "widgets.protocol.Readout": lambda: {},
    "widgets.protocol.Dial": lambda: {"controls": (_control(),)},
    "widgets.saturation.SaturationReadout": lambda: {
        "beta": 0.7, "threshold": 1.0, "below_threshold": 0.5, "at_or_above_threshold": 0.5,
        "mean_entropy_bits": 0.5, "median_log10_odds": 0.1},
    "widgets.saturation.SaturationDial": lambda: {"D": [0.5, -2.0, 30.0]},
    "widgets.sparsity.SparsityReadout": lambda: {
        "sparsity": 0.5, "W": np.eye(2), "dimensionality": np.ones(2), "n_represented": 2,
        "angles": np.zeros((2, 2)), "loss": 0.1},
    "widgets.sparsity.SparsityDial": lambda: {"values": (0.5,), "models": {0.5: fx("toy")},
                                              "steps": 3, "n_restarts": 1},
    "widgets.staircase.LevelReadout": lambda: {
        "name": "a", "macrostates": 2, "mean_S_B": 0.5, "H": 1.0, "residual": 0.5,
        "pct_absorbed": 50.0, "gap": 0.1, "explained": 0.5, "model_bpc": None},
    "widgets.staircase.StaircaseDial": lambda: {"stats": fx("levels")},
    "widgets.svg.bars_svg": lambda: {"p": P3},
    "widgets.svg.lattice_svg": lambda: {"S": [[1, -1], [-1, 1]]},
    "widgets.svg.histogram_svg": lambda: {"values": [0.1, 0.2], "edges": [0.0, 0.5, 1.0]},
    "widgets.svg.hidden_svg": lambda: {"W": [[1.0, 0.0], [0.0, 1.0]]},
    "widgets.svg.staircase_svg": lambda: {"stats": fx("levels")},
    "widgets.temperature.DialReadout": lambda: {
        "T": 1.0, "p_softmax": np.array(P3), "p_gibbs": np.array(P3), "identical": True,
        "argmax": 2, "log_Z": 0.5, "H_bits": 1.4, "S_nats": 1.0},
    "widgets.temperature.TemperatureDial": lambda: {"spectra": {"a": E3}},
}

# A relation between two arguments is reported under the argument it constrains: these
# (callable, attacked parameter) pairs may be answered by an error naming the partner
# (count(n=3, minimum=2**31) says "n must be an int >= 2147483648").
PARTNER = {
    ("core.validate.count", "minimum"): "n",
    ("core.validate.count", "maximum"): "n",
    ("core.validate.real_array", "min_size"): "x",
    ("core.validate.check_axis", "ndim"): "axis",
    ("core.validate.vector", "d"): "v",
    # finite_result reports a non-finite result under the culprits it is given ("x")
    ("core.validate.finite_result", "compute"): "x",
}

# callables whose documented answer may hold NaN or ±inf: name -> reason
NONFINITE_DOCUMENTED = {
    "core.thermo.log_softmax": "log p = -inf for a state of zero weight (documented)",
    "book.gates.ulp_distance": "a NaN in a gives an infinite distance (documented)",
    "book.records.GateResult": "measured may be NaN or inf: a failed gate's record",
    "book.glue.sig": "a non-finite x is returned unchanged (documented)",
    "core.validate.as_array": "converts only: the entries are the caller's to check",
    "core.validate.sequence": "converts only: the items are the caller's to check",
    "networks.superposition.toy.ToyModel": "loss is NaN until the model is evaluated",
    "widgets.saturation.SaturationReadout": "median_log10_odds is +inf beyond the float range",
    "widgets.saturation.SaturationDial": "its readout's median_log10_odds may be +inf",
}


def _control():
    from umlib.widgets.protocol import Control
    return Control("T", "T", "log", 1.0, lo=0.01, hi=100.0, step=0.01)


def _shape():
    from umlib.networks.features.costs import TransformerShape
    return TransformerShape(n_layers=2, d_model=8, d_mlp=16, n_heads=2, vocab=10)


def _dial_kwargs():
    return {"net": fx("net"), "task": fx("task"), "v": np.ones(4), "depth": 1, "target": 0}


@functools.lru_cache(maxsize=None)
def _ledger_file() -> Path:
    from umlib.book import ledger
    d = fx("tmp") / "ledger"
    d.mkdir(exist_ok=True)
    p = d / "part1.csv"
    p.write_text(",".join(ledger.COLUMNS) + "\n")
    return p


def _gate_result():
    from umlib.book.records import GateResult
    return GateResult(name="g", kind="count", tolerance=0.0, measured=0.0, passed=True)


@functools.lru_cache(maxsize=None)
def _weights_file() -> Path:
    from umlib.book import weights
    p = fx("tmp") / "w.npz"
    weights.write(p, {"a": np.zeros(2)}, {"script": "s"})
    return p


@functools.lru_cache(maxsize=None)
def _saved(kind: str) -> Path:
    from umlib.networks import features as ft
    from umlib.networks import superposition as sp
    from umlib.text import satrnn
    p = fx("tmp") / f"saved-{kind}.npz"
    if kind == "resnet":
        ft.save_resnet(fx("net"), p)
    elif kind == "sae":
        sp.save_saes({3: fx("sae")}, p)
    elif kind == "toy":
        sp.save_toy_models({0.5: fx("toy")}, p)
    else:
        satrnn.save(fx("satrnn"), p)
    return p


# ---------------------------------------------------------------------------
# hostile values
# ---------------------------------------------------------------------------

class _Opaque:
    """An object of no expected class."""

    def __repr__(self):
        return "<opaque>"


HUGE = 10 ** 400
SUB = 5e-324          # the smallest subnormal
COMMON = [
    ("nan", float("nan")), ("+inf", float("inf")), ("-inf", float("-inf")),
    ("10**400", HUGE), ("-10**400", -HUGE), ("subnormal", SUB),
    ("0-d nan", np.array(np.nan)), ("3-d", np.ones((2, 2, 2))), ("None", None),
    ("str", "x"), ("object", _Opaque()), ("dict", {"k": 1}), ("set", {1, 2}),
    ("callable", lambda *a, **k: 0.0), ("complex", 1 + 2j), ("bool", True),
    ("[nan, 1]", [np.nan, 1.0]), ("[]", []), ("-1", -1), ("0", 0),
]
BY_KIND = {
    "size": [("2**63", 2 ** 63), ("2**31", 2 ** 31), ("2.5", 2.5), ("1.0", 1.0),
             ("np.int64(-5)", np.int64(-5))],
    "tolerance": [("subnormal", SUB), ("1e-300", 1e-300), ("-1e-9", -1e-9), ("1e308", 1e308),
                  ("0.0", 0.0)],
    "real": [("1e308", 1e308), ("-1e308", -1e308), ("1e-308", 1e-308), ("-0.0", -0.0),
             ("np.float64(inf)", np.float64(np.inf))],
    "array": [("[[1e308, -1e308]]", np.array([[1e308, -1e308]])),
              ("[1e200, 1e-200]", np.array([1e200, 1e-200])),
              ("0-d", np.array(1.0)), ("ragged", [[1.0], [1.0, 2.0]]),
              ("[inf]", [np.inf]), ("[[nan]]", [[np.nan]]), ("strs", ["a", "b"]),
              ("shape(7,)", np.linspace(0.1, 0.9, 7)), ("shape(3,5)", np.full((3, 5), 0.2))],
    "callable": [("non-callable 3", 3), ("returns nan", lambda *a, **k: np.nan),
                 ("returns inf", lambda *a, **k: np.full(np.shape(a[0]) if a else (), np.inf)),
                 ("raises", lambda *a, **k: 1 / 0)],
    "rng": [("2**70", 2 ** 70), ("np.random.RandomState", np.random.RandomState(0))],
    "text": [("bytes", b"abc"), ("int", 3), ("''", "")],
    "mapping": [("list", [1, 2]), ("{}", {})],
}
_KIND_BY_NAME = [
    (r"^(rng|seed)$", "rng"),
    (r"(tol|rtol|atol|xtol|max_ulp|n_sigma|stderr|eps|bar|threshold)$", "tolerance"),
    (r"^(n|n_.*|.*_n|L|M|N|K|b|d|d_mlp|d_model|size|steps|epochs|hidden|bptt|batch|digits|"
     r"sweeps.*|.*_sweeps|n_layers|vocab|depth|t|dim|deg|discard|skip|max_states|"
     r"cell|width|height|position|target|highlight|axis|ndim|allowed|violations|"
     r"n_bits|n_noisy|seq_len|n_ctx|.*_per_.*|.*vectors|attn_maps|minimum|maximum|"
     r"min_size|subjects_per_class|n_heads|argmax|macrostates|walls|flips|dof)$", "size"),
    (r"^(loss|grad|stat|noise_fn)$", "callable"),
    (r"^(name|label|title|note|printed|chapter|kind|script|color|space|spectrum|url|"
     r"noise|level)$", "text"),
    (r"^(spectra|levels|lineage|meta|arrays|models|saes|candidates|stream)$", "mapping"),
]


def kind_of(name: str, default) -> str:
    for pat, kind in _KIND_BY_NAME:
        if re.search(pat, name):
            return kind
    if isinstance(default, bool):
        return "real"
    if isinstance(default, int):
        return "size"
    if isinstance(default, float):
        return "real"
    if isinstance(default, str):
        return "text"
    return "array"


def hostile_values(name: str, default) -> list:
    return COMMON + BY_KIND.get(kind_of(name, default), [])


# ---------------------------------------------------------------------------
# one call, classified
# ---------------------------------------------------------------------------

class Hang(BaseException):
    """Raised by the alarm (a BaseException so that no library handler swallows it)."""


def _on_alarm(signum, frame):
    raise Hang()


def nonfinite(obj, depth: int = 0) -> bool:
    """True if ``obj`` holds a NaN or ±inf anywhere (dataclasses, containers, arrays)."""
    if depth > 6:
        return False
    if isinstance(obj, (bool, np.bool_, str, bytes)) or obj is None:
        return False
    if isinstance(obj, Decimal):
        return not obj.is_finite()
    if isinstance(obj, (int, np.integer)):
        return False
    if isinstance(obj, (float, np.floating, complex, np.complexfloating)):
        return not np.isfinite(obj)
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind in "fc" and not np.isfinite(obj).all()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return any(nonfinite(getattr(obj, f.name, None), depth + 1)
                   for f in dataclasses.fields(obj) if f.name != "history")
    if isinstance(obj, dict):
        return any(nonfinite(v, depth + 1) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return any(nonfinite(v, depth + 1) for v in obj[:10_000])
    readout = getattr(obj, "at", None)
    if callable(readout) and hasattr(obj, "controls"):     # a dial: its default readout
        from umlib.widgets.protocol import Dial
        if type(obj).readout is not Dial.readout:          # (the base class is abstract)
            return nonfinite(readout(), depth + 1)
    return False


def classify(fn, kwargs: dict, param: str, documented_nonfinite: bool = False,
             alarm: int = ALARM_SECONDS, partner: str | None = None) -> tuple[str, str]:
    """Call ``fn(**kwargs)`` and return (outcome, detail)."""
    from umlib.book import gates
    gates.new_log("hostile")
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(alarm)
    try:
        # numpy's default error state: overflow, division by zero and invalid operations
        # warn; gradual underflow to a subnormal or zero is not an error
        with warnings.catch_warnings(record=True) as caught, \
                np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
            warnings.simplefilter("always")
            try:
                out = call(fn, kwargs)
                if inspect.isgenerator(out):
                    out = [o for _, o in zip(range(1000), out)]
                bad = nonfinite(out)
            except Hang:
                return "hang", f"no answer in {alarm} s"
            except gates.GateFailure:
                out, bad = None, False
            except (ValueError, TypeError, OverflowError, OSError) as exc:
                # (OSError: a file argument naming a file that cannot be read)
                msg = str(exc)
                names = [param] + ([partner] if partner else [])
                if param and any(re.search(rf"\b{re.escape(n)}\b", msg) for n in names):
                    if caught:
                        return "warning", f"{caught[0].category.__name__}: {caught[0].message}"
                    return "named", msg
                return "unnamed", f"{type(exc).__name__}: {msg}"
            except Exception as exc:     # noqa: BLE001 - any other exception is a finding
                return "unnamed", f"{type(exc).__name__}: {exc}"
        if caught:
            return "warning", f"{caught[0].category.__name__}: {caught[0].message}"
        if bad and not documented_nonfinite:
            return "nonfinite", "NaN or inf in the result"
        return "finite", ""
    except Hang:
        return "hang", f"no answer in {alarm} s (while checking the result)"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _signature(obj):
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def attacks(qual: str, obj, make):
    """Yield (qualified name, callable, parameter, label, payload) for every attack on ``obj``.

    The first attack of every callable is its valid call (parameter ``""``, label
    ``"valid"``); then each parameter in turn takes each of its hostile values.
    """
    yield qual, obj, "", "valid", (make, None, False)
    sig = _signature(obj)
    if sig is None:
        return
    for p in sig.parameters.values():
        if p.kind == p.VAR_KEYWORD:
            continue
        default = None if p.default is p.empty else p.default
        for label, value in hostile_values(p.name, default):
            yield qual, obj, p.name, label, (make, value, p.kind == p.VAR_POSITIONAL)


def dial_attacks(qual: str, obj, make):
    """Yield attacks on a dial's readout: ``dial.at(control=value)`` for every control.

    The dial is built once from its valid call; each control then takes the common
    hostile values and the extremes of a real number (a dial's arithmetic accepts any
    value in the control's domain, far past the slider's ends).
    """
    from umlib.widgets.protocol import Dial
    if not (isinstance(obj, type) and issubclass(obj, Dial)) or obj is Dial:
        return
    cache = {}

    def at(**kw):
        if "dial" not in cache:
            cache["dial"] = call(obj, make())
        return cache["dial"].at(**kw)
    at.__name__ = f"{obj.__name__}.at"
    try:
        controls = call(obj, make()).controls
    except Exception:   # the valid call is checked on its own
        return
    for c in controls:
        for label, value in COMMON + BY_KIND["real"]:
            yield f"{qual}.at", at, c.name, label, (lambda: {}, value, False)


def cases(names=None):
    """Yield every attack on every public callable (those with a valid call in BASE)."""
    for qual, obj in public_callables():
        if names is not None and qual not in names:
            continue
        make = BASE.get(qual)
        if make is None:
            continue
        yield from attacks(qual, obj, make)
        yield from dial_attacks(qual, obj, make)


def run_case(qual, obj, param, label, payload):
    make, value, variadic = payload
    kwargs = dict(make())
    if not param:
        pass            # the valid call itself
    elif variadic:      # the first of the positional arguments is attacked
        kwargs["*"] = (value,) + tuple(kwargs.get("*", ()))[1:]
    else:
        kwargs[param] = value
    return classify(obj, kwargs, param, documented_nonfinite=qual in NONFINITE_DOCUMENTED
                    or qual.removesuffix(".at") in NONFINITE_DOCUMENTED,
                    partner=PARTNER.get((qual, param)))


def call(fn, kwargs):
    """``fn(**kwargs)``, a ``"*"`` entry giving the positional (variadic) arguments."""
    kwargs = dict(kwargs)
    args = kwargs.pop("*", ())
    return fn(*args, **kwargs)


def uncovered() -> list[str]:
    """Public callables with no valid call in BASE (and no entry saying why)."""
    return [q for q, _ in public_callables() if q not in BASE]


def run_all(names=None) -> dict:
    """Attack everything; return counts and the list of bad outcomes."""
    counts = Counter()
    bad = []
    covered = set()
    for qual, obj, param, label, payload in cases(names):
        outcome, detail = run_case(qual, obj, param, label, payload)
        counts[outcome] += 1
        covered.add(qual.removesuffix(".at"))
        if qual.endswith(".at"):
            counts["dial_readout_calls"] += 1
        if outcome not in ALLOWED:
            bad.append((qual, param, label, outcome, detail[:200]))
    publics = [q for q, _ in public_callables()]
    n_classes = sum(isinstance(o, type) for _, o in public_callables())
    return {"public_callables": len(publics), "classes": n_classes, "covered": len(covered),
            "excluded": sorted(q for q in publics if BASE.get(q, 0) is None),
            "calls": sum(counts[k] for k in OUTCOMES),
            "dial_readout_calls": counts["dial_readout_calls"],
            "outcomes": {k: counts.get(k, 0) for k in OUTCOMES},
            "bad_by_callable": dict(Counter(b[0] for b in bad)), "bad": bad}
