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

# every public module, named from the package root ("core.thermo", "physics.ising.exact")
MODULES = sorted(m.name[len("umlib."):]
                 for m in pkgutil.walk_packages(umlib.__path__, "umlib.")
                 if not m.ispkg and not m.name.rsplit(".", 1)[1].startswith("_"))

E3 = [0.0, 1.0, 2.5]
P3 = [0.2, 0.3, 0.5]

# name -> (valid kwargs, arguments to attack, kind of each attacked argument)
REGISTRY: dict[str, tuple[dict, dict[str, str]]] = {
    "core.thermo.softmax": ({"z": E3, "T": 1.0}, {"z": "array", "T": "temperature"}),
    "core.thermo.log_softmax": ({"z": E3, "T": 1.0}, {"z": "array", "T": "temperature"}),
    "core.thermo.gibbs": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.log_z": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.partition_function": ({"E": E3, "T": 1.0}, {"E": "array1d", "T": "temperature"}),
    "core.reference.log_z_reference": ({"E": E3, "T": 1.0}, {"E": "array1d", "T": "temperature"}),
    "core.reference.partition_function_reference": ({"E": E3, "T": 1.0},
                                            {"E": "array1d", "T": "temperature"}),
    "core.thermo.free_energy": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.mean_energy": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.heat_capacity": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.gibbs_entropy": ({"E": E3, "T": 1.0}, {"E": "array", "T": "temperature"}),
    "core.thermo.shannon_entropy": ({"p": P3}, {"p": "probabilities", "base": "temperature"}),
    "core.thermo.thermo_state": ({"E": E3, "T": 1.0}, {"E": "array1d", "T": "temperature"}),
    "book.gates.ulp_distance": ({"a": 1.0, "b": 1.0}, {}),
    "book.gates.gate_exact": ({"name": "g", "actual": E3, "expected": E3}, {"expected": "reference"}),
    "book.gates.gate_ulp": ({"name": "g", "actual": E3, "expected": E3, "max_ulp": 1},
                       {"expected": "reference", "max_ulp": "tolerance"}),
    "book.gates.gate_rel": ({"name": "g", "actual": P3, "expected": P3, "rtol": 1e-9},
                       {"expected": "reference", "rtol": "tolerance"}),
    "book.gates.gate_abs": ({"name": "g", "actual": P3, "expected": P3, "atol": 1e-9},
                       {"expected": "reference", "atol": "tolerance"}),
    "book.gates.gate_sigma": ({"name": "g", "estimate": 1.0, "expected": 1.0, "stderr": 1.0,
                          "n_sigma": 3}, {"stderr": "tolerance", "n_sigma": "tolerance"}),
    "book.gates.gate_count": ({"name": "g", "violations": 0}, {"violations": "count"}),
    "book.gates.compare_with_source": None,  # tests/book/test_gates.py: NaN, types, role
    "book.gates.printed_half_unit": None,    # tests/book/test_gates.py: malformed figures
    "book.gates.expect_failure": None,       # a context manager: tests/book/test_gates.py
    "book.gates.new_log": None,
    "book.gates.current_log": None,
    "core.spectra.box_levels": ({"n_levels": 3}, {"n_levels": "count", "L": "temperature"}),
    "core.spectra.oscillator_levels": ({"n_levels": 3}, {"n_levels": "count", "omega": "temperature"}),
    "core.spectra.box_eigensolve": ({"n_grid": 20, "n_levels": 3},
                               {"n_grid": "count", "n_levels": "count", "L": "temperature"}),
    "core.spectra.oscillator_eigensolve": ({"n_grid": 20, "n_levels": 3},
                                      {"n_grid": "count", "omega": "temperature",
                                       "x_max": "temperature"}),
    "core.spectra.box_fd_levels_exact": ({"n_grid": 20, "n_levels": 3},
                                    {"n_grid": "count", "L": "temperature"}),
    "core.spectra.box_density": ({"x": [0.1, 0.5], "n": 1}, {"x": "array_any", "n": "count"}),
    "core.spectra.box_bin_probabilities": ({"n": 1, "n_bins": 4}, {"n": "count", "n_bins": "count"}),
    "core.spectra.convergence_order": ({"h": [0.1, 0.05, 0.025], "err": [1e-2, 2.5e-3, 6.25e-4]},
                                  {"h": "array1d", "err": "array1d"}),
    "core.sampling.sample_index": ({"p": P3, "rng": 0}, {"p": "probabilities", "rng": "rng"}),
    "core.sampling.sample_indices": ({"p": P3, "size": 5, "rng": 0},
                                {"p": "probabilities", "size": "count", "rng": "rng"}),
    "core.sampling.chi_square_gof": ({"counts": [20, 30, 50], "p": P3},
                                {"counts": "array1d", "p": "probabilities"}),
    "widgets.svg.bars_svg": ({"p": P3}, {"p": "probabilities"}),
    "widgets.temperature.TemperatureDial": ({"spectra": {"a": E3}}, {"T": "temperature",
                                                       "T_min": "temperature"}),
    "book.ledger.load_ledger": None,        # file input: tests/whole_book/test_ledger.py feeds it bad files
    "book.ledger.load_ledger_dir": None,
    "book.ledger.summary": None,
    "book.ledger.check_row": None,          # tests/whole_book/test_ledger.py: every row and its controls
    "book.ledger.ledger_html": None,
    "book.ledger.errata_html": None,
    "book.glue.sig": ({"x": 1.5}, {"x": "scalar"}),
    # Part I: the corpus, counting and the sat-rnn
    "text.corpus.cache_dir": None,          # no arguments; environment tested in test_corpus.py
    "text.corpus.sha256": ({"data": b"abc"}, {"data": "bytes"}),
    "text.corpus.inflate_head": None,       # streams: truncated/non-zip streams in test_corpus.py
    "text.corpus.fetch_head": None,         # network: a local server in test_corpus.py
    "text.corpus.load_corpus": None,        # files and network: test_corpus.py
    "text.counting.Microstates": ({"x": [97, 98, 99, 97]}, {"x": "labels"}),
    "text.counting.partition": ({"projection": [1, 2, 2, 3]}, {"projection": "labels"}),
    "text.counting.class_sizes": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.counting.omega": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.counting.boltzmann_entropy": ({"count": [1, 2, 4]}, {"count": "counts"}),
    "text.counting.mean_boltzmann_entropy": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.counting.partition_entropy": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.counting.joint_partition": None,  # variadic: covered through joint_entropy below
    "text.counting.joint_entropy": None,
    "text.counting.conditional_entropy": ({"target": [0, 1, 1, 2], "given": [0, 0, 1, 1]},
                                     {"target": "labels", "given": "labels"}),
    "text.counting.mutual_information": ({"a": [0, 1, 1, 2], "b": [0, 0, 1, 1]},
                                    {"a": "labels", "b": "labels"}),
    "text.counting.refines": ({"fine": [0, 1, 2, 3], "coarse": [0, 0, 1, 1]},
                         {"fine": "labels", "coarse": "labels"}),
    "text.satrnn.model.init_params": ({"hidden": 4, "rng": 0}, {"hidden": "count", "rng": "rng"}),
    "text.satrnn.model.forward": None,            # model objects: tests/text/test_satrnn.py
    "text.satrnn.model.bits_per_char": None,
    "text.satrnn.model.bpc_per_position": None,
    "text.satrnn.analysis.accumulator_difference": ({"a": [[0.1, -0.2]]}, {"a": "array"}),
    "text.satrnn.analysis.binary_states": ({"h": [[0.1, -0.2]]}, {"h": "array"}),
    "text.satrnn.training.train": None,              # minutes of work per call: tests/text/test_satrnn.py
    "text.satrnn.training.save": None,
    "text.satrnn.training.load": None,               # files: tests/text/test_satrnn.py (no pickle)
    "text.satrnn.analysis.analytic_bigram": None,
    "text.satrnn.analysis.attribution": None,        # model objects: tests/text/test_satrnn.py
    "text.satrnn.analysis.sign_readout_bpc": None,
    "text.satrnn.model.blend": None,
    "text.counting.conditional_log_count": ({"target": [0, 1, 1, 2], "given": [0, 0, 1, 1]},
                                       {"target": "labels", "given": "labels"}),
    "text.counting.greedy_refinement": None,  # tests/text/test_counting.py
    "text.saturation.variational_two_state": ({"D": [0.5, -2.0]}, {"D": "array", "beta": "temperature"}),
    "text.saturation.maxent_multiplier": ({"A": [-1.0, 1.0], "mean": 0.2}, {"A": "array1d",
                                                                      "mean": "scalar"}),
    "text.saturation.saturation_fractions": ({"D": [0.5, -2.0, 30.0]}, {"D": "array",
                                                                   "beta": "temperature"}),
    "widgets.svg.histogram_svg": ({"values": [0.1, 0.2], "edges": [0.0, 0.5, 1.0]},
                                 {"values": "array1d"}),
    "widgets.saturation.SaturationDial": ({"D": [0.5, -2.0, 30.0]},
                                          {"D": "array1d", "beta": "temperature",
                                           "threshold": "temperature"}),
    # Part II: the entropy bridge
    "text.bridge.context_labels": ({"x": [97, 98, 97], "offsets": [0]}, {"x": "labels"}),
    "text.bridge.factoring_levels": ({"x": list(b"abracadabra, abracadabra, abracadabra")},
                                {"x": "labels"}),
    "text.bridge.bridge_terms": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.bridge.quotients": ({"labels": [0, 1, 1, 2]}, {"labels": "labels"}),
    "text.bridge.bridge_reference": ({"sizes": [1, 2, 1]}, {"sizes": "counts"}),
    "text.bridge.residual_split": ({"context": [0, 0, 1, 1], "target": [0, 1, 2, 2]},
                              {"context": "labels", "target": "labels"}),
    "text.bridge.conditional_quotients": ({"context": [0, 0, 1, 1], "target": [0, 1, 2, 2]},
                                     {"context": "labels", "target": "labels"}),
    "text.bridge.staircase": ({"levels": {"a": [0, 0, 1]}, "target": [0, 1, 1]},
                         {"target": "labels"}),
    "text.bridge.rnn_param_count": ({"vocab": 256, "hidden": 128}, {"vocab": "count",
                                                                "hidden": "count"}),
    "text.bridge.lookup_table_size": ({"n_bits": 8}, {"n_bits": "count"}),
    "widgets.svg.staircase_svg": None,      # drawing: tests/widgets/test_svg.py
    "widgets.staircase.StaircaseDial": None,      # dial: tests/widgets/test_staircase_dial.py
    # Part V: effective information, a small network, superposition
    "networks.emergence.information.check_tpm": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.effective_information": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.determinism": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.degeneracy": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.ei_decomposition": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.intervention_joint": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.information.mutual_information": ({"joint": [[0.25, 0.25], [0.0, 0.5]]}, {"joint": "matrix"}),
    "networks.emergence.partitions.coarse_grain": ({"tpm": [[0.5, 0.5], [0.0, 1.0]], "partition": [0, 1]},
                               {"tpm": "matrix", "partition": "labels"}),
    "networks.emergence.partitions.set_partitions": None,  # a generator of integers: tests/networks/test_emergence.py
    "networks.emergence.partitions.bell_number": ({"n": 4}, {"n": "count"}),
    "networks.emergence.partitions.best_partition": ({"tpm": [[0.5, 0.5], [0.0, 1.0]]}, {"tpm": "matrix"}),
    "networks.emergence.partitions.add_noise": ({"tpm": [[0.5, 0.5], [0.0, 1.0]], "eps": 0.1},
                            {"tpm": "matrix", "eps": "scalar"}),
    "networks.emergence.partitions.hoel_example": ({"n_noisy": 3}, {"n_noisy": "count"}),
    "networks.emergence.partitions.partition_blocks": ({"labels": [0, 1, 1]}, {"labels": "labels"}),
    "networks.emergence.chains.stationary_distribution": ({"tpm": [[0.5, 0.5], [0.2, 0.8]]}, {"tpm": "matrix"}),
    "networks.emergence.chains.entropy_rate": ({"tpm": [[0.5, 0.5], [0.2, 0.8]]}, {"tpm": "matrix"}),
    "networks.emergence.chains.sample_chain": ({"tpm": [[0.5, 0.5], [0.2, 0.8]], "n": 5},
                               {"tpm": "matrix", "n": "count", "rng": "rng"}),
    "networks.emergence.chains.bigram_counts": ({"seq": [0, 1, 1, 0], "n_symbols": 2},
                                {"seq": "labels", "n_symbols": "count"}),
    "networks.emergence.chains.cross_entropy_bits": None,  # weights and sequences: tests/networks/test_emergence.py
    "networks.emergence.chains.fit_bigram": None,
    "networks.features.model.make_task": None,        # the trained network and its task: tests/networks/test_features.py
    "networks.features.model.train_resnet": None,
    "networks.features.model.save_resnet": None,      # shipped weights (files, no pickle): tests/networks/test_shipped_weights.py
    "book.weights.sha256": None,
    "book.weights.sidecar": None,
    "book.weights.write": None,
    "book.weights.read": None,
    "book.weights.recipe_mismatches": None,
    "networks.features.model.load_resnet": None,
    "networks.superposition.toy.save_toy_models": None,
    "networks.superposition.toy.load_toy_models": None,
    "networks.superposition.sae.save_saes": None,
    "networks.superposition.sae.load_saes": None,
    "networks.features.interventions.steer": ({"x": [[0.0, 1.0]], "v": [1.0, 0.0], "c": 0.5},
                       {"x": "array", "v": "array1d", "c": "scalar"}),
    "networks.features.interventions.patch": ({"x_corrupted": [1.0, 2.0], "v_corrupted": [0.5, 0.5],
                        "v_clean": [0.0, 1.0]}, {"x_corrupted": "array", "v_clean": "array"}),
    "networks.features.interventions.clamp": ({"x": [[0.0, 1.0]], "v": [1.0, 0.0], "lam": 2.0},
                       {"x": "array", "v": "array1d", "lam": "scalar"}),
    "networks.features.interventions.difference_of_means": ({"acts_a": [[1.0, 0.0]], "acts_b": [[0.0, 1.0]]},
                                     {"acts_a": "array", "acts_b": "array"}),
    "networks.features.interventions.logit_lens": None,
    "networks.features.costs.cache_bytes": None,
    "networks.features.costs.transformer_cache_bytes": None,
    "networks.features.costs.weights_bytes": None,
    "widgets.intervention.SteeringDial": None,     # dial: tests/widgets/test_steering_dial.py
    "widgets.intervention.ClampingDial": None,     # dial: tests/widgets/test_clamping_dial.py
    "networks.features.interventions.with_weight": None,
    "networks.features.interventions.output_channel": ({"outcomes": [[0, 1, 1]], "n_classes": 2},
                                {"outcomes": "labels", "n_classes": "count"}),
    "networks.superposition.toy.sparse_features": ({"n_samples": 4, "n_features": 3, "sparsity": 0.5},
                                      {"n_samples": "count", "sparsity": "probability",
                                       "rng": "rng"}),
    "networks.superposition.toy.train_toy_model": None,   # training: tests/networks/test_superposition.py
    "networks.superposition.toy.feature_dimensionality": ({"W": [[1.0, 0.0], [0.0, 1.0]]}, {"W": "matrix"}),
    "networks.superposition.toy.feature_angles": ({"W": [[1.0, 0.0], [0.0, 1.0]]}, {"W": "matrix"}),
    "networks.superposition.toy.n_represented": None,
    "networks.superposition.sae.planted_dictionary": ({"n_features": 3, "dim": 2},
                                         {"n_features": "count", "dim": "count", "rng": "rng"}),
    "networks.superposition.sae.planted_activations": None,
    "networks.superposition.sae.train_sae": None,
    "networks.superposition.sae.max_cosine": ({"planted": [[1.0, 0.0]], "learned": [[0.6, 0.8]]},
                                 {"planted": "matrix", "learned": "matrix"}),
    "networks.superposition.sae.recovery": ({"planted": [[1.0, 0.0]], "learned": [[0.6, 0.8]]},
                               {"planted": "matrix", "learned": "matrix"}),
    "widgets.sparsity.SparsityDial": None,        # dial: tests/widgets/test_sparsity_dial.py
    "widgets.protocol.Dial": None,                # the base class: tests/widgets/test_protocol.py
    # Part IV: Ising models, spin glasses, the thermodynamics of learning
    "physics.ising.graphs.square_lattice": ({"L": 3}, {"L": "count", "J": "scalar"}),
    "physics.ising.graphs.random_graph": ({"n": 10, "mean_degree": 2.0, "rng": 0},
                           {"n": "count", "mean_degree": "temperature", "rng": "rng"}),
    "physics.ising.graphs.block_graph": None,         # community graphs: tests/physics/test_ising.py
    "physics.ising.graphs.energy": None,              # Graph objects: tests/physics/test_ising.py
    "physics.ising.graphs.lattice_energy": ({"S": [[1, -1], [-1, 1]]}, {"S": "array", "J": "scalar",
                                                         "h": "scalar"}),
    "physics.ising.exact.enumerate_states": ({"n": 3}, {"n": "count"}),
    "physics.ising.exact.enumerate_energy_magnetization": None,
    "physics.ising.exact.exact_observables": ({"E": [-4.0, 0.0, 4.0], "M": [2.0, 0.0, -2.0], "n": 2, "T": 1.0},
                                {"E": "array1d", "T": "temperature", "n": "count"}),
    "physics.ising.exact.chain_log_z": ({"N": 4, "T": 1.0}, {"N": "count", "T": "temperature",
                                                      "h": "scalar"}),
    "physics.ising.exact.chain_magnetization": ({"T": 1.0, "h": 0.1}, {"T": "temperature", "h": "scalar"}),
    "physics.ising.exact.strip_log_z": ({"L": 2, "M": 3, "T": 2.0}, {"L": "count", "M": "count",
                                                               "T": "temperature"}),
    "physics.ising.kaufman.torus_energy": ({"L": 4, "M": 4, "T": 2.0}, {"L": "count", "M": "count",
                                                        "T": "temperature", "J": "temperature"}),
    "physics.ising.kaufman.torus_heat_capacity": ({"L": 4, "M": 4, "T": 2.0},
                                  {"L": "count", "M": "count", "T": "temperature",
                                   "J": "temperature", "slope": "scalar"}),
    "physics.ising.kaufman.torus_heat_capacity_peak": ({"L": 8, "M": 8, "T_lo": 2.2, "T_hi": 2.6},
                                       {"L": "count", "M": "count", "T_lo": "temperature",
                                        "T_hi": "temperature", "J": "temperature"}),
    "physics.ising.kaufman.torus_log_z": ({"L": 4, "M": 4, "T": 2.0}, {"L": "count", "M": "count",
                                                               "T": "temperature"}),
    "physics.ising.exact.onsager_Tc": ({}, {"J": "temperature"}),
    "physics.ising.exact.onsager_free_energy": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "physics.ising.exact.onsager_energy": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "physics.ising.exact.yang_magnetization": ({"T": 2.0}, {"T": "temperature", "J": "temperature"}),
    "physics.ising.samplers.random_spins": ({"shape": (2, 3), "rng": 0}, {"rng": "rng"}),
    "physics.ising.samplers.metropolis": ({"S": [[[1, 1], [1, 1]]], "T": 2.0, "n_sweeps": 2, "rng": 0},
                         {"T": "temperature", "n_sweeps": "count", "rng": "rng"}),
    "physics.ising.samplers.swendsen_wang": ({"S": [[[1, 1], [1, 1]]], "T": 2.0, "n_sweeps": 2, "rng": 0},
                            {"T": "temperature", "n_sweeps": "count", "rng": "rng"}),
    "physics.ising.samplers.metropolis_graph": None,    # Graph objects: tests/physics/test_ising.py
    "physics.ising.multispin.pack_spins": ({"S": np.ones((64, 2))}, {"S": "labels"}),
    "physics.ising.multispin.unpack_spins": ({"W": np.ones(2, dtype=np.uint64)}, {"W": "array"}),
    "physics.ising.multispin.lane_counts": ({"W": np.ones(2, dtype=np.uint64)}, {"W": "array"}),
    "physics.ising.multispin.bernoulli_words": ({"p": 0.3, "shape": 4, "rng": 0},
                                                {"p": "probability", "rng": "rng",
                                                 "bits": "count"}),
    "physics.ising.multispin.multispin_metropolis": ({"S": np.ones((64, 2, 2)), "T": 2.0,
                                                      "n_sweeps": 2, "rng": 0},
                                                     {"T": "temperature", "n_sweeps": "count",
                                                      "rng": "rng", "h": "scalar"}),
    "physics.ising.graphs.graph_coloring": None,
    "core.montecarlo.autocorrelation_time": ({"x": [0.1, 0.5, 0.2, 0.9, 0.4, 0.3, 0.8, 0.6]},
                                   {"x": "array1d"}),
    "core.montecarlo.jackknife": None,           # takes a statistic (a callable): tests/core/test_montecarlo.py
    "core.montecarlo.binder": ({"M": [0.1, 0.5, -0.2, 0.9]}, {"M": "array"}),
    "physics.ising.samplers.estimates": None,           # Chain objects
    "physics.ising.coarse.binder_crossing": None,
    "physics.ising.coarse.binder_run": None,          # minutes of sampling: run by book/part4/06-coarse-graining.ipynb
    "physics.ising.coarse.binder_crossing_error": None,
    "physics.ising.graphs.unsatisfied_bonds": None,
    "physics.ising.graphs.domain_walls": ({"S": [[1, -1], [-1, 1]]}, {"S": "array"}),
    "physics.ising.samplers.second_moment_xi": None,
    "physics.ising.coarse.block_spins": ({"S": [[1, -1, 1], [-1, 1, 1], [1, 1, -1]], "b": 3},
                          {"S": "array", "b": "count"}),
    "physics.ising.samplers.field_sweep": None,
    "widgets.svg.lattice_svg": ({"S": [[1, -1], [-1, 1]]}, {"S": "array"}),
    "widgets.lattice.IsingDial": ({"L": 4, "n_sweeps": 1},   # dial: tests/widgets/test_ising_dial.py
                                  {"L": "count", "n_sweeps": "count", "T": "temperature",
                                   "h": "scalar"}),
    "physics.spinglass.coupling_matrix": None,  # Graph objects: tests/physics/test_spinglass.py
    "physics.spinglass.sk_couplings": ({"n": 4, "rng": 0}, {"n": "count", "rng": "rng"}),
    "physics.spinglass.pm_j_lattice": ({"L": 3, "rng": 0}, {"L": "count", "rng": "rng",
                                                    "p_negative": "probability"}),
    "physics.spinglass.plaquettes": ({"L": 3}, {"L": "count"}),
    "physics.spinglass.frustrated_plaquettes": None,
    "physics.spinglass.dense_energy": ({"s": [1, -1], "J": [[0.0, 1.0], [1.0, 0.0]]},
                               {"s": "array", "J": "matrix"}),
    "physics.spinglass.ground_states": ({"J": [[0.0, 1.0], [1.0, 0.0]]}, {"J": "matrix"}),
    "physics.spinglass.anneal": None,          # schedules and replicas: tests/physics/test_spinglass.py
    "physics.spinglass.geometric_schedule": ({"T_hot": 2.0, "T_cold": 0.1, "n_steps": 5},
                                     {"T_hot": "temperature", "T_cold": "temperature",
                                      "n_steps": "count"}),
    "physics.spinglass.hebbian": ({"patterns": [[1, -1, 1]]}, {"patterns": "array"}),
    "physics.spinglass.hopfield_recall": None,
    "physics.spinglass.retrieval_overlap": None,
    "physics.spinglass.frustrated_triangles": ({"J": [[0.0, 1.0, -1.0], [1.0, 0.0, 1.0],
                                              [-1.0, 1.0, 0.0]]}, {"J": "matrix"}),
    "physics.learning.sgd.training_temperature": ({"eta": 0.1}, {"eta": "temperature", "sigma": "temperature",
                                                     "batch": "count"}),
    "physics.learning.sgd.stationary_variance": ({"a": [1.0, 2.0], "eta": 0.1},
                                     {"a": "array", "eta": "temperature"}),
    "physics.learning.sgd.stationary_loss": ({"a": [1.0, 2.0], "eta": 0.1}, {"a": "array", "eta": "temperature"}),
    "physics.learning.sgd.moment_recursion": None,
    "physics.learning.sgd.sgd_quadratic": None,    # simulations: tests/physics/test_learning.py
    "physics.learning.sgd.wsd_schedule": ({"n_steps": 10, "eta_max": 0.1, "eta_min": 0.01},
                              {"n_steps": "count", "eta_max": "temperature"}),
    "physics.learning.landscape.DoubleWell": None,
    "physics.learning.landscape.first_law_split": None,  # callables: tests/physics/test_learning.py
    "physics.learning.landscape.metropolis_1d": None,
    "physics.learning.landscape.langevin_sgd_1d": None,
    "physics.learning.landscape.importance_Z": None,
    "physics.learning.landscape.variational_free_energy": None,
    "physics.learning.lineage.lineage_anachronisms": None,
    "physics.learning.sgd.minibatch_gradients": None,
    "physics.learning.sgd.minibatch_noise_variance": None,
    "book.glue.glue_number": None,       # thin wrapper over sig + myst_nb.glue
    "book.glue.glue_text": None,
    # the argument checks themselves: each must refuse what it is there to refuse
    "core.validate.real_array": ({"name": "x", "x": E3}, {"x": "array"}),
    "core.validate.positive_scalar": ({"name": "x", "x": 1.0}, {"x": "temperature"}),
    "core.validate.real_scalar": ({"name": "x", "x": 1.0}, {"x": "scalar"}),
    "core.validate.count": ({"name": "n", "n": 3}, {"n": "count"}),
    "core.validate.check_axis": None,   # ints from the callers; tests/core/test_validate.py
    "core.validate.as_rng": ({"rng": 0}, {"rng": "rng"}),
    "core.validate.class_labels": ({"name": "labels", "labels": [0, 1]}, {"labels": "labels"}),
    "core.validate.spins": ({"name": "s", "s": [1, -1]}, {"s": "labels"}),
    "core.validate.fraction": ({"name": "x", "x": 0.5}, {"x": "probability"}),
    "core.validate.mapping": None,      # isinstance check; tests/core/test_validate.py
    "core.validate.vector": ({"name": "v", "v": [1.0, 2.0], "d": 2}, {"v": "array"}),
    "core.optim.adam_update": None,     # the trainers' inner step; they validate its inputs
    "widgets.svg.hidden_svg": ({"W": [[1.0, 0.0], [0.0, 1.0]]}, {"W": "array"}),
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
    assert not missing, f"register these in tests/test_bad_input.py: {missing}"


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
         if spec is not None and name.rsplit(".", 1)[0] in MODULES
         for arg, kind in spec[1].items()
         for i in range(len(HOSTILE[kind]))]


@pytest.mark.parametrize("name,arg,kind,i", CASES,
                         ids=[f"{n}-{a}-{i}" for n, a, _, i in CASES])
def test_hostile_argument(name, arg, kind, i):
    mod, fn = name.rsplit(".", 1)
    f = getattr(importlib.import_module(f"umlib.{mod}"), fn)
    valid, _ = REGISTRY[name]
    from umlib.book import gates
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
        mod, fn = name.rsplit(".", 1)
        f = getattr(importlib.import_module(f"umlib.{mod}"), fn)
        from umlib.book import gates
        gates.new_log("valid")
        assert _no_nan(f(**spec[0])), name


def test_package_docstrings_list_their_modules():
    """Each package's docstring is a map: it names every public module inside it."""
    for mod in MODULES:
        parent, leaf = f"umlib.{mod}".rsplit(".", 1)
        doc = importlib.import_module(parent).__doc__ or ""
        assert f"{parent}.{leaf}" in doc, f"{parent}'s docstring should list {leaf}"
