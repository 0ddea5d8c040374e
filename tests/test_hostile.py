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
    "satrnn.attribution": None,        # model objects: tests/test_attribution.py
    "satrnn.sign_readout_bpc": None,
    "satrnn.blend": None,
    "counting.conditional_log_count": ({"target": [0, 1, 1, 2], "given": [0, 0, 1, 1]},
                                       {"target": "labels", "given": "labels"}),
    "counting.greedy_refinement": None,  # tests/test_counting.py
    "saturation.variational_two_state": ({"D": [0.5, -2.0]}, {"D": "array", "beta": "temperature"}),
    "saturation.maxent_multiplier": ({"A": [-1.0, 1.0], "mean": 0.2}, {"A": "array1d",
                                                                      "mean": "scalar"}),
    "saturation.saturation_fractions": ({"D": [0.5, -2.0, 30.0]}, {"D": "array",
                                                                   "beta": "temperature"}),
    "saturation.histogram_svg": ({"values": [0.1, 0.2], "edges": [0.0, 0.5, 1.0]},
                                 {"values": "array1d"}),
    "saturation.SaturationDial": ({"D": [0.5, -2.0, 30.0]}, {"D": "array1d"}),
    # Part II: the entropy bridge
    "bridge.context_labels": ({"x": [97, 98, 97], "offsets": [0]}, {"x": "labels"}),
    "bridge.factoring_levels": ({"x": list(b"abracadabra, abracadabra, abracadabra")},
                                {"x": "labels"}),
    "bridge.bridge_terms": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "bridge.quotients": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "bridge.bridge_reference": ({"sizes": [1, 2, 1]}, {"sizes": "counts"}),
    "bridge.residual_split": ({"context": [0, 0, 1, 1], "target": [0, 1, 2, 2]},
                              {"context": "labels", "target": "labels"}),
    "bridge.conditional_quotients": ({"context": [0, 0, 1, 1], "target": [0, 1, 2, 2]},
                                     {"context": "labels", "target": "labels"}),
    "bridge.staircase": ({"levels": {"a": [0, 0, 1]}, "target": [0, 1, 1]},
                         {"target": "labels"}),
    "bridge.rnn_param_count": ({"vocab": 256, "hidden": 128}, {"vocab": "count",
                                                                "hidden": "count"}),
    "bridge.lookup_table_size": ({"n_bits": 8}, {"n_bits": "count"}),
    "bridge.staircase_svg": None,      # drawing: tests/test_bridge.py
    "bridge.StaircaseDial": None,      # widget: tests/test_bridge.py drives it
    # Part V: effective information, a small network, superposition
    "emergence.check_tpm": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.effective_information": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.determinism": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.degeneracy": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.ei_decomposition": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.intervention_joint": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.mutual_information": ({"joint": [[0.25, 0.25], [0.0, 0.5]]}, {"joint": "matrix"}),
    "emergence.coarse_grain": ({"tpm": [[0.5, 0.5], [0.0, 1.0]], "partition": [0, 1]},
                               {"tpm": "matrix", "partition": "labels"}),
    "emergence.set_partitions": None,  # a generator of integers: tests/test_emergence.py
    "emergence.bell_number": ({"n": 4}, {"n": "count"}),
    "emergence.best_partition": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "emergence.add_noise": ({"tpm": [[0.5, 0.5], [0.0, 1.0]], "eps": 0.1},
                            {"tpm": "matrix", "eps": "scalar"}),
    "emergence.hoel_example": ({"n_noisy": 3}, {"n_noisy": "count"}),
    "emergence.partition_blocks": ({"labels": [0, 1, 1]}, {"labels": "labels"}),
    "emergence.stationary_distribution": ({"tpm": [[0.5, 0.5], [0.2, 0.8]]}, {"tpm": "matrix"}),
    "emergence.entropy_rate": ({"tpm": [[0.5, 0.5], [0.2, 0.8]]}, {"tpm": "matrix"}),
    "emergence.sample_chain": ({"tpm": [[0.5, 0.5], [0.2, 0.8]], "n": 5},
                               {"tpm": "matrix", "n": "count", "rng": "rng"}),
    "emergence.bigram_counts": ({"seq": [0, 1, 1, 0], "n_symbols": 2},
                                {"seq": "labels", "n_symbols": "count"}),
    "emergence.cross_entropy_bits": None,  # weights and sequences: tests/test_emergence.py
    "emergence.fit_bigram": None,
    "features.make_task": None,        # the trained network and its task: test_features.py
    "features.train_resnet": None,
    "features.save_resnet": None,      # shipped weights (files, no pickle): test_part5_weights.py
    "weights.sha256": None,
    "weights.sidecar": None,
    "weights.write": None,
    "weights.read": None,
    "weights.recipe_mismatches": None,
    "features.load_resnet": None,
    "superposition.save_toy_models": None,
    "superposition.load_toy_models": None,
    "superposition.save_saes": None,
    "superposition.load_saes": None,
    "features.steer": ({"x": [[0.0, 1.0]], "v": [1.0, 0.0], "c": 0.5},
                       {"x": "array", "v": "array1d", "c": "scalar"}),
    "features.patch": ({"x_corrupted": [1.0, 2.0], "v_corrupted": [0.5, 0.5],
                        "v_clean": [0.0, 1.0]}, {"x_corrupted": "array", "v_clean": "array"}),
    "features.clamp": ({"x": [[0.0, 1.0]], "v": [1.0, 0.0], "lam": 2.0},
                       {"x": "array", "v": "array1d", "lam": "scalar"}),
    "features.difference_of_means": ({"acts_a": [[1.0, 0.0]], "acts_b": [[0.0, 1.0]]},
                                     {"acts_a": "array", "acts_b": "array"}),
    "features.logit_lens": None,
    "features.cache_bytes": None,
    "features.transformer_cache_bytes": None,
    "features.weights_bytes": None,
    "features.SteeringDial": None,     # widgets driven in tests/test_features.py
    "features.ClampingDial": None,
    "features.with_weight": None,
    "features.output_channel": ({"outcomes": [[0, 1, 1]], "n_classes": 2},
                                {"outcomes": "labels", "n_classes": "count"}),
    "superposition.sparse_features": ({"n_samples": 4, "n_features": 3, "sparsity": 0.5},
                                      {"n_samples": "count", "sparsity": "probability",
                                       "rng": "rng"}),
    "superposition.train_toy_model": None,   # training: tests/test_superposition.py
    "superposition.feature_dimensionality": ({"W": [[1.0, 0.0], [0.0, 1.0]]}, {"W": "matrix"}),
    "superposition.feature_angles": ({"W": [[1.0, 0.0], [0.0, 1.0]]}, {"W": "matrix"}),
    "superposition.n_represented": None,
    "superposition.planted_dictionary": ({"n_features": 3, "dim": 2},
                                         {"n_features": "count", "dim": "count", "rng": "rng"}),
    "superposition.planted_activations": None,
    "superposition.train_sae": None,
    "superposition.max_cosine": ({"planted": [[1.0, 0.0]], "learned": [[0.6, 0.8]]},
                                 {"planted": "matrix", "learned": "matrix"}),
    "superposition.recovery": ({"planted": [[1.0, 0.0]], "learned": [[0.6, 0.8]]},
                               {"planted": "matrix", "learned": "matrix"}),
    "superposition.SparsityDial": None,
    # Part IV: Ising models, spin glasses, the thermodynamics of learning
    "ising.square_lattice": ({"L": 3}, {"L": "count", "J": "scalar"}),
    "ising.random_graph": ({"n": 10, "mean_degree": 2.0, "rng": 0},
                           {"n": "count", "mean_degree": "temperature", "rng": "rng"}),
    "ising.block_graph": None,         # community graphs: tests/test_ising.py
    "ising.energy": None,              # Graph objects: tests/test_ising.py
    "ising.lattice_energy": ({"S": [[1, -1], [-1, 1]]}, {"S": "array", "J": "scalar",
                                                         "h": "scalar"}),
    "ising.enumerate_states": ({"n": 3}, {"n": "count"}),
    "ising.enumerate_energy_magnetization": None,
    "ising.exact_observables": ({"E": [-4.0, 0.0, 4.0], "M": [2.0, 0.0, -2.0], "n": 2, "T": 1.0},
                                {"E": "array1d", "T": "temperature", "n": "count"}),
    "ising.chain_log_partition": ({"N": 4, "T": 1.0}, {"N": "count", "T": "temperature",
                                                      "h": "scalar"}),
    "ising.chain_magnetization": ({"T": 1.0, "h": 0.1}, {"T": "temperature", "h": "scalar"}),
    "ising.strip_log_partition": ({"L": 2, "M": 3, "T": 2.0}, {"L": "count", "M": "count",
                                                               "T": "temperature"}),
    "ising.torus_energy": ({"L": 4, "M": 4, "T": 2.0}, {"L": "count", "M": "count",
                                                        "T": "temperature", "J": "temperature"}),
    "ising.torus_heat_capacity": ({"L": 4, "M": 4, "T": 2.0},
                                  {"L": "count", "M": "count", "T": "temperature",
                                   "J": "temperature", "slope": "scalar"}),
    "ising.torus_heat_capacity_peak": ({"L": 8, "M": 8, "T_lo": 2.2, "T_hi": 2.6},
                                       {"L": "count", "M": "count", "T_lo": "temperature",
                                        "T_hi": "temperature", "J": "temperature"}),
    "ising.torus_log_partition": ({"L": 4, "M": 4, "T": 2.0}, {"L": "count", "M": "count",
                                                               "T": "temperature"}),
    "ising.onsager_Tc": ({}, {"J": "temperature"}),
    "ising.onsager_free_energy": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "ising.onsager_energy": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "ising.yang_magnetization": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "ising.random_spins": ({"shape": (2, 3), "rng": 0}, {"rng": "rng"}),
    "ising.metropolis": ({"S": [[[1, 1], [1, 1]]], "T": 2.0, "n_sweeps": 2, "rng": 0},
                         {"T": "temperature", "n_sweeps": "count", "rng": "rng"}),
    "ising.swendsen_wang": ({"S": [[[1, 1], [1, 1]]], "T": 2.0, "n_sweeps": 2, "rng": 0},
                            {"T": "temperature", "n_sweeps": "count", "rng": "rng"}),
    "ising.metropolis_graph": None,    # Graph objects: tests/test_ising.py
    "ising.graph_coloring": None,
    "ising.autocorrelation_time": ({"x": [0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8, 0.6]},
                                   {"x": "array1d"}),
    "ising.jackknife": None,           # takes a statistic (a callable): tests/test_ising.py
    "ising.binder": ({"M": [0.1, 0.5, -0.2, 0.9]}, {"M": "array"}),
    "ising.estimates": None,           # Chain objects
    "ising.binder_crossing": None,
    "ising.binder_run": None,          # minutes of sampling: tests/test_ising.py
    "ising.binder_crossing_error": None,
    "ising.unsatisfied_bonds": None,
    "ising.domain_walls": ({"S": [[1, -1], [-1, 1]]}, {"S": "array"}),
    "ising.second_moment_xi": None,
    "ising.block_spins": ({"S": [[1, -1, 1], [-1, 1, 1], [1, 1, -1]], "b": 3},
                          {"S": "array", "b": "count"}),
    "ising.field_sweep": None,
    "ising.lattice_svg": ({"S": [[1, -1], [-1, 1]]}, {"S": "array"}),
    "ising.IsingDial": None,           # widget: tests/test_ising.py drives it
    "spinglass.coupling_matrix": None,  # Graph objects: tests/test_spinglass.py
    "spinglass.sk_couplings": ({"n": 4, "rng": 0}, {"n": "count", "rng": "rng"}),
    "spinglass.pm_j_lattice": ({"L": 3, "rng": 0}, {"L": "count", "rng": "rng",
                                                    "p_negative": "probability"}),
    "spinglass.plaquettes": ({"L": 3}, {"L": "count"}),
    "spinglass.frustrated_plaquettes": None,
    "spinglass.dense_energy": ({"s": [1, -1], "J": [[0.0, 1.0], [1.0, 0.0]]},
                               {"s": "array", "J": "matrix"}),
    "spinglass.ground_states": ({"J": [[0.0, 1.0], [1.0, 0.0]]}, {"J": "matrix"}),
    "spinglass.anneal": None,          # schedules and replicas: tests/test_spinglass.py
    "spinglass.geometric_schedule": ({"T_hot": 2.0, "T_cold": 0.1, "n_steps": 5},
                                     {"T_hot": "temperature", "T_cold": "temperature",
                                      "n_steps": "count"}),
    "spinglass.hebbian": ({"patterns": [[1, -1, 1]]}, {"patterns": "array"}),
    "spinglass.hopfield_recall": None,
    "spinglass.retrieval_overlap": None,
    "spinglass.frustrated_triangles": ({"J": [[0.0, 1.0, -1.0], [1.0, 0.0, 1.0],
                                              [-1.0, 1.0, 0.0]]}, {"J": "matrix"}),
    "learning.training_temperature": ({"eta": 0.1}, {"eta": "temperature", "sigma": "temperature",
                                                     "batch": "count"}),
    "learning.stationary_variance": ({"a": [1.0, 2.0], "eta": 0.1},
                                     {"a": "array", "eta": "temperature"}),
    "learning.stationary_loss": ({"a": [1.0, 2.0], "eta": 0.1}, {"a": "array", "eta": "temperature"}),
    "learning.moment_recursion": None,
    "learning.sgd_quadratic": None,    # simulations: tests/test_learning.py
    "learning.wsd_schedule": ({"n_steps": 10, "eta_max": 0.1, "eta_min": 0.01},
                              {"n_steps": "count", "eta_max": "temperature"}),
    "learning.DoubleWell": None,
    "learning.first_law_split": None,  # callables: tests/test_learning.py
    "learning.metropolis_1d": None,
    "learning.langevin_sgd_1d": None,
    "learning.importance_Z": None,
    "learning.variational_free_energy": None,
    "learning.lineage_anachronisms": None,
    "learning.minibatch_gradients": None,
    "learning.minibatch_noise_variance": None,
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
    "matrix": [[[np.nan, 1.0], [0.0, 1.0]], [[0.5, 0.6], [0.0, 1.0]], [[-0.5, 1.5], [0.0, 1.0]],
               [], "abc", [1.0, 0.0], [[np.inf, 0.0], [0.0, 1.0]]],
    "probability": [-0.1, 1.5, np.nan, "x", None],
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
         for name, spec in REGISTRY.items()
         if spec is not None and name.split(".")[0] in MODULES
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
            # the attacked argument, or (for a mismatch) the argument it must match
            names = [arg] + [a for a in valid if a != arg]
            assert any(n in msg for n in names), (
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
        if spec is None or name.split(".")[0] not in MODULES:
            continue
        mod, fn = name.split(".")
        f = getattr(importlib.import_module(f"umlib.{mod}"), fn)
        from umlib import gates
        gates.new_log("valid")
        assert _no_nan(f(**spec[0])), name


def test_package_docstring_lists_modules():
    for mod in MODULES:
        assert f"``{mod}``" in umlib.__doc__
