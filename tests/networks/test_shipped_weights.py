"""The shipped models of Part V: checksummed, read without pickle, reproducible by their recipe.

The chapters load ``book/part5/data/*.npz`` (written by ``scripts/train_part5.py``)
instead of training, because training amplifies the last bits in which two
machines' matrix products differ.  What must hold anywhere is checked here:
the files are the ones their checksums name; save and load are inverse; two
trainings on one machine agree bit for bit; and a training on *this* machine
reproduces the shipped models' statistics (loss, accuracy, geometry, recovered
directions) within stated bands -- never their last bits.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from umlib.book import weights as _weights
from umlib.networks import features as ft, superposition as sp

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "book" / "part5" / "data"
LOADERS = {"resnet": ft.load_resnet, "toy_models": sp.load_toy_models, "saes": sp.load_saes}


def _script():
    spec = importlib.util.spec_from_file_location("train_part5",
                                                  ROOT / "scripts" / "train_part5.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


TRAIN = _script()


# --- the shipped files ------------------------------------------------------------

@pytest.mark.parametrize("name", TRAIN.NAMES)
def test_shipped_weights_are_small_checksummed_files(name):
    path = DATA / f"{name}.npz"
    assert path.is_file() and path.stat().st_size < 100_000
    side = _weights.sidecar(path)
    assert side.read_text().split() == [_weights.sha256(path), path.name]
    models, meta = LOADERS[name](path)
    assert models is not None and isinstance(meta, dict)


@pytest.mark.parametrize("name", TRAIN.NAMES)
def test_a_changed_byte_is_caught(name, tmp_path):
    path = DATA / f"{name}.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01                          # one flipped bit in the arrays
    bad = tmp_path / path.name
    bad.write_bytes(bytes(data))
    _weights.sidecar(bad).write_text(_weights.sidecar(path).read_text())
    with pytest.raises(ValueError, match="does not match .*rerun scripts/train_part5.py"):
        LOADERS[name](bad)
    # the untouched copy beside the same checksum loads: the check is on the bytes
    bad.write_bytes(path.read_bytes())
    LOADERS[name](bad)


def test_weights_are_only_read_with_their_checksum(tmp_path):
    path = tmp_path / "resnet.npz"
    path.write_bytes((DATA / "resnet.npz").read_bytes())
    with pytest.raises(FileNotFoundError, match="checksum file resnet.npz.sha256 is missing"):
        ft.load_resnet(path)
    _weights.sidecar(path).write_text("not a checksum\n")
    with pytest.raises(ValueError, match="not a SHA-256 checksum file"):
        ft.load_resnet(path)
    with pytest.raises(FileNotFoundError, match="no such weights file"):
        ft.load_resnet(tmp_path / "absent.npz")


def test_nothing_is_unpickled(tmp_path):
    """A file holding a pickled object, with a matching checksum, is refused, not run."""
    path = tmp_path / "evil.npz"
    np.savez(path, E=np.array([{"a": 1}], dtype=object))
    _weights.sidecar(path).write_text(f"{_weights.sha256(path)}  evil.npz\n")
    with pytest.raises(ValueError, match="allow_pickle=False"):
        ft.load_resnet(path)


# --- save and load are inverse ------------------------------------------------------

def test_resnet_round_trip(tmp_path):
    task = ft.make_task(2, 2, 3, 3)
    net = ft.train_resnet(task, d=4, d_mlp=6, n_layers=2, steps=5, batch=8, rng=3)
    ft.save_resnet(net, tmp_path / "n.npz", note="x", seeds=np.arange(3), rate=0.5)
    back, meta = ft.load_resnet(tmp_path / "n.npz")
    assert len(back.params()) == len(net.params())
    assert all(np.array_equal(a, b) for a, b in zip(back.params(), net.params()))
    assert back.history == net.history and len(back.history) == 5
    assert meta["note"] == "x" and meta["rate"] == 0.5 and meta["seeds"].tolist() == [0, 1, 2]
    assert np.array_equal(back.logits(task.tokens), net.logits(task.tokens))
    # a network without layers or history round-trips too
    bare = ft.ResNet.init(5, 3, 4, 8, 0, 2)
    ft.save_resnet(bare, tmp_path / "b.npz")
    again, meta = ft.load_resnet(tmp_path / "b.npz")
    assert again.n_layers == 0 and again.history == [] and meta == {}


def test_toy_models_round_trip(tmp_path):
    models = {S: sp.train_toy_model(sparsity=S, steps=30, n_restarts=2, rng=1) for S in (0.0, 0.9)}
    sp.save_toy_models(models, tmp_path / "t.npz", steps=30)
    back, meta = sp.load_toy_models(tmp_path / "t.npz")
    assert list(back) == [0.0, 0.9] and meta == {"steps": 30}
    for S, m in models.items():
        b = back[S]
        assert np.array_equal(b.W, m.W) and np.array_equal(b.b, m.b)
        assert np.array_equal(b.importance, m.importance)
        assert b.sparsity == m.sparsity and b.loss == m.loss and b.history == m.history


def test_saes_round_trip(tmp_path):
    x, _ = sp.planted_activations(sp.planted_dictionary(4, 3, rng=0), 300, 0.2, rng=1)
    saes = {k: sp.train_sae(x, k, alpha=0.1, steps=120, rng=2) for k in (3, 8)}
    sp.save_saes(saes, tmp_path / "s.npz", alpha=0.1)
    back, meta = sp.load_saes(tmp_path / "s.npz")
    assert list(back) == [3, 8] and meta == {"alpha": 0.1}
    for k, s in saes.items():
        b = back[k]
        assert all(np.array_equal(getattr(b, n), getattr(s, n)) for n in ("We", "be", "Wd", "bd"))
        assert b.alpha == s.alpha and b.history == s.history
        assert np.array_equal(b.encode(x), s.encode(x))


# --- bad arguments: errors that name them -------------------------------------------

def test_save_refuses_what_it_cannot_store(tmp_path):
    net = ft.ResNet.init(5, 3, 4, 8, 1, 2)
    with pytest.raises(TypeError, match="^net must be a ResNet, got dict$"):
        ft.save_resnet({}, tmp_path / "a.npz")
    with pytest.raises(ValueError, match="^path must end in .npz, got"):
        ft.save_resnet(net, tmp_path / "a.npy")
    with pytest.raises(TypeError, match="^path must be a str or a path, got int$"):
        ft.save_resnet(net, 3)
    with pytest.raises(TypeError, match="^metadata note must be a number, a string"):
        ft.save_resnet(net, tmp_path / "a.npz", note={"a": 1})
    with pytest.raises(ValueError, match="^metadata name 'bad name' is not allowed"):
        ft.save_resnet(net, tmp_path / "a.npz", **{"bad name": 1})
    broken = ft.ResNet(**{**{k: getattr(net, k) for k in ("E", "P", "A", "W1", "b1", "W2",
                                                          "U", "c")}, "U": np.zeros((3, 2))})
    with pytest.raises(ValueError, match="^net: array U has shape"):
        ft.save_resnet(broken, tmp_path / "a.npz")
    nan = ft.ResNet.init(5, 3, 4, 8, 1, 2)
    nan.E[0, 0] = np.nan
    with pytest.raises(ValueError, match="^net.E contains NaN$"):
        ft.save_resnet(nan, tmp_path / "a.npz")
    assert not (tmp_path / "a.npz").exists()


def test_toy_and_sae_savers_check_their_mappings(tmp_path):
    m = sp.train_toy_model(sparsity=0.5, steps=5, n_restarts=1, rng=0)
    with pytest.raises(TypeError, match="^models must be a mapping"):
        sp.save_toy_models([m], tmp_path / "t.npz")
    with pytest.raises(ValueError, match="^models must hold at least one model$"):
        sp.save_toy_models({}, tmp_path / "t.npz")
    with pytest.raises(ValueError, match="^models: key 0.6 is not the model's sparsity 0.5$"):
        sp.save_toy_models({0.6: m}, tmp_path / "t.npz")
    with pytest.raises(TypeError, match=r"^models\[0.5\] must be a ToyModel, got str$"):
        sp.save_toy_models({0.5: "m"}, tmp_path / "t.npz")
    other = sp.train_toy_model(n_features=4, sparsity=0.9, steps=5, n_restarts=1, rng=0)
    with pytest.raises(ValueError, match="^models: every model needs one shape of W$"):
        sp.save_toy_models({0.5: m, 0.9: other}, tmp_path / "t.npz")
    x, _ = sp.planted_activations(sp.planted_dictionary(4, 3, rng=0), 50, 0.2, rng=1)
    sae = sp.train_sae(x, 6, steps=5, rng=0)
    with pytest.raises(ValueError, match=r"^saes: key 5 needs We and Wd of shape \(5, width\)"):
        sp.save_saes({5: sae}, tmp_path / "s.npz")
    with pytest.raises(TypeError, match="^dictionary size .* must be an int, got float$"):
        sp.save_saes({6.0: sae}, tmp_path / "s.npz")
    y, _ = sp.planted_activations(sp.planted_dictionary(4, 5, rng=0), 50, 0.2, rng=1)
    with pytest.raises(ValueError, match="^saes: every autoencoder needs one activation width$"):
        sp.save_saes({6: sae, 2: sp.train_sae(y, 2, steps=5, rng=0)}, tmp_path / "s.npz")
    assert not any(tmp_path.iterdir())


def test_each_loader_refuses_the_others_files():
    with pytest.raises(ValueError, match="not a ResNet file"):
        ft.load_resnet(DATA / "saes.npz")
    with pytest.raises(ValueError, match="not a toy-model file"):
        sp.load_toy_models(DATA / "resnet.npz")
    with pytest.raises(ValueError, match="not an autoencoder file"):
        sp.load_saes(DATA / "toy_models.npz")


# --- the recipe: bit for bit on one machine, within bands anywhere -------------------

def _resnet_stats(net) -> dict:
    task = ft.make_task(**TRAIN.TASK)
    x = net.run(task.tokens)[1]["resid.1"][:, 0]
    v = x[task.label == 0].mean(axis=0) - x.mean(axis=0)
    return {"acc": float(np.mean(net.predict(task.tokens) == task.label)),
            "steps": len(net.history), "loss0": net.history[0], "loss": net.history[-1],
            "concept": v / np.linalg.norm(v)}


def _resnet_band(new: dict, ref: dict) -> list[str]:
    """Outside the band: what differs between two trainings of the same recipe."""
    out = []
    if new["acc"] != 1.0 or ref["acc"] != 1.0:
        out.append("accuracy")
    if new["steps"] != ref["steps"]:
        out.append("steps")
    if abs(new["loss0"] - ref["loss0"]) > 1e-9 * ref["loss0"]:     # before any training
        out.append("first loss")
    if not 1 / 3 <= new["loss"] / ref["loss"] <= 3 or new["loss"] > 1e-4:
        out.append("final loss")
    if float(new["concept"] @ ref["concept"]) < 0.99:
        out.append("concept direction")
    return out


def _toy_band(new, ref) -> list[str]:
    out = []
    if new.sparsity != ref.sparsity or sp.n_represented(new) != sp.n_represented(ref):
        out.append("represented")
    if abs(new.loss - ref.loss) > 1e-3 * ref.loss:
        out.append("loss")
    if ref.sparsity >= 0.8:                                # the pentagon phase
        D = np.sort(sp.feature_dimensionality(new.W))
        if np.abs(D - np.sort(sp.feature_dimensionality(ref.W))).max() > 0.01:
            out.append("dimensionality")
    return out


def _sae_stats(sae, planted, x) -> dict:
    var = float(np.mean(np.sum((x - x.mean(axis=0)) ** 2, axis=1)))
    n, mmc = sp.recovery(planted, sae.Wd, 0.95)
    m = sae.metrics(x)
    return {"recovered": n, "mean_max_cos": mmc, "fvu": m["mse"] / var, "l0": m["l0"]}


def _sae_band(new: dict, ref: dict) -> list[str]:
    out = []
    if abs(new["recovered"] - ref["recovered"]) > 1:
        out.append("recovered")
    for k, tol in (("mean_max_cos", 0.005), ("fvu", 0.005), ("l0", 0.05)):
        if abs(new[k] - ref[k]) > tol:
            out.append(k)
    return out


@pytest.fixture(scope="module")
def retrained_resnet():
    return TRAIN.train_resnet()


@pytest.fixture(scope="module")
def retrained_toys():
    return TRAIN.train_toy_models()


@pytest.fixture(scope="module")
def retrained_saes():
    return TRAIN.train_saes()


def test_the_script_trains_what_the_chapters_describe():
    assert TRAIN.RESNET == dict(d=16, d_mlp=32, n_layers=3, steps=150, batch=128, rng=0)
    assert TRAIN.SPARSITIES == (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    assert TRAIN.SAE == dict(alpha=0.4, steps=3000, rng=2) and TRAIN.SIZES == (10, 20, 40, 80)
    _, meta = ft.load_resnet(DATA / "resnet.npz")
    assert {k[6:]: v for k, v in meta.items() if k.startswith("train_")} == TRAIN.RESNET


def test_network_training_is_bit_for_bit_repeatable_on_one_machine(retrained_resnet):
    again = TRAIN.train_resnet()
    assert all(np.array_equal(a, b) for a, b in zip(again.params(), retrained_resnet.params()))
    assert again.history == retrained_resnet.history


def test_toy_training_is_bit_for_bit_repeatable_on_one_machine(retrained_toys):
    toy = sp.train_toy_model(sparsity=0.9, **TRAIN.TOY)
    assert np.array_equal(toy.W, retrained_toys[0.9].W) and toy.loss == retrained_toys[0.9].loss


def test_sae_training_is_bit_for_bit_repeatable_on_one_machine(retrained_saes):
    _, x, _ = TRAIN.planted_activations()
    sae = sp.train_sae(x, 20, **TRAIN.SAE)
    assert np.array_equal(sae.Wd, retrained_saes[20].Wd)
    assert np.array_equal(sae.We, retrained_saes[20].We)


def test_retrained_network_is_within_the_band_of_the_shipped_one(retrained_resnet):
    """Bands: the same accuracy (1) and number of steps, the first loss to 1e-9 (it
    precedes training), the final loss (about 1e-6 nats) within a factor of 3 and below
    1e-4, the concept direction at depth 1 to cosine 0.99."""
    shipped, _ = ft.load_resnet(DATA / "resnet.npz")
    assert _resnet_band(_resnet_stats(retrained_resnet), _resnet_stats(shipped)) == []


def test_retrained_toy_models_are_within_the_band_of_the_shipped_ones(retrained_toys):
    """Bands: the same number of represented features at every sparsity, the loss to 0.1 %,
    and in the pentagon phase (S >= 0.8) every dimensionality within 0.01."""
    shipped, _ = sp.load_toy_models(DATA / "toy_models.npz")
    assert list(shipped) == list(retrained_toys)
    for S in shipped:
        assert _toy_band(retrained_toys[S], shipped[S]) == [], S


def test_retrained_autoencoders_are_within_the_band_of_the_shipped_ones(retrained_saes):
    """Bands: planted directions recovered within one, mean max cosine and unexplained
    variance within 0.005, mean L0 within 0.05."""
    shipped, _ = sp.load_saes(DATA / "saes.npz")
    planted, x, _ = TRAIN.planted_activations()
    assert list(shipped) == list(retrained_saes) == list(TRAIN.SIZES)
    for k in shipped:
        new, ref = _sae_stats(retrained_saes[k], planted, x), _sae_stats(shipped[k], planted, x)
        assert _sae_band(new, ref) == [], (k, new, ref)


def test_the_bands_can_fail(retrained_resnet, retrained_toys):
    """Negative control: the same recipes with another seed fall outside the bands."""
    other = ft.train_resnet(ft.make_task(**TRAIN.TASK), **{**TRAIN.RESNET, "rng": 1})
    assert "first loss" in _resnet_band(_resnet_stats(other), _resnet_stats(retrained_resnet))
    toy = sp.train_toy_model(sparsity=0.9, **{**TRAIN.TOY, "rng": 1})
    assert "loss" in _toy_band(toy, retrained_toys[0.9])
    planted, x, _ = TRAIN.planted_activations()
    shipped, _ = sp.load_saes(DATA / "saes.npz")
    sae = sp.train_sae(x, 20, **{**TRAIN.SAE, "rng": 3})
    assert "recovered" in _sae_band(_sae_stats(sae, planted, x),
                                    _sae_stats(shipped[20], planted, x))


def test_the_script_writes_loadable_checksummed_files(tmp_path):
    assert TRAIN.main(["--out", str(tmp_path), "--quiet", "resnet"]) == 0
    net, meta = ft.load_resnet(tmp_path / "resnet.npz")
    assert meta["accuracy"] == 1.0 and meta["train_steps"] == 150 and len(net.history) == 150
    with pytest.raises(SystemExit):
        TRAIN.main(["--out", str(tmp_path), "--quiet", "bogus"])


def test_recipe_mismatches_finds_each_kind_of_disagreement():
    meta = {"train_steps": 150, "train_rng": 0, "task_seq_len": 4, "accuracy": 1.0}
    assert _weights.recipe_mismatches(meta, train=dict(steps=150, rng=0)) == []
    # a value that differs, a key only shown, a key only stored
    assert _weights.recipe_mismatches(meta, train=dict(steps=149, batch=8)) == [
        "train_batch", "train_rng", "train_steps"]
    assert _weights.recipe_mismatches(meta, train=dict(steps=150, rng=0),
                                      task=dict(seq_len=5)) == ["task_seq_len"]


def test_recipe_mismatches_names_bad_arguments():
    with pytest.raises(TypeError, match=r"\bmeta\b"):
        _weights.recipe_mismatches([("train_steps", 1)], train={})
    with pytest.raises(ValueError, match=r"\bshown\b"):
        _weights.recipe_mismatches({})
    with pytest.raises(TypeError, match=r"\btrain\b"):
        _weights.recipe_mismatches({}, train=[1, 2])
