import json
import zipfile

import numpy as np
import pytest

import mlplab
from mlplab.nn import BatchNorm, Dense, Dropout, ReLU, Sequential, Softmax, gradcheck, load, mlp, save


def test_mlp_structure():
    net = mlp([2, 8, 4, 3], activation=["relu", "tanh"], output="softmax", batchnorm=True,
              dropout=0.2, seed=0)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Dense", "BatchNorm", "ReLU", "Dropout", "Dense", "BatchNorm", "Tanh",
                     "Dropout", "Dense", "Softmax"]
    assert net.n_params == 2 * 8 + 2 * 8 + 8 * 4 + 2 * 4 + (4 * 3 + 3)
    assert "b" not in net.layers[0].params and "b" in net.layers[-2].params
    assert net.n_inputs == 2 and net.n_outputs == 3 and net.replicas is None


def test_replica_r_starts_as_single_model_with_seed_r():
    seeds = [3, 14, 15, 92]
    many = mlp([2, 5, 3, 2], init="torch", seed=seeds)
    assert many.replicas == (4,)
    for r, s in enumerate(seeds):
        one = mlp([2, 5, 3, 2], init="torch", seed=s)
        for (pm, _), (p1, _) in zip(many.parameters(), one.parameters()):
            np.testing.assert_array_equal(pm[r], p1)


def test_int_seed_with_replicas_means_consecutive_seeds():
    a = mlp([2, 3, 2], seed=10, replicas=3)
    b = mlp([2, 3, 2], seed=[10, 11, 12])
    for (pa, _), (pb, _) in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(pa, pb)


def test_forward_shapes_shared_and_per_replica_inputs(rng):
    net = mlp([3, 4, 2], seed=[0, 1])
    assert net.forward(rng.standard_normal((5, 3))).shape == (2, 5, 2)
    assert net.forward(rng.standard_normal((2, 5, 3))).shape == (2, 5, 2)


@pytest.mark.parametrize("replicas", [None, 3])
def test_network_gradcheck(replicas, rng):
    net = mlp([3, 5, 4, 2], activation=["tanh", "gelu"], batchnorm=True, dropout=0.3,
              seed=0 if replicas is None else [0, 1, 2], dtype="float64")
    assert gradcheck(net, rng.standard_normal((6, 3))).worst < 1e-6


def test_predict_and_predict_proba(rng):
    net = mlp([2, 4, 3], seed=0)
    X = rng.standard_normal((10, 2)).astype(np.float32)
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(-1), 1, rtol=1e-6)
    np.testing.assert_array_equal(net.predict(X), proba.argmax(-1))
    one = mlp([2, 4, 1], seed=0)
    p1 = one.predict_proba(X)
    np.testing.assert_array_equal(one.predict(X), (p1[:, 0] > 0.5).astype(int))
    logits = one.forward(X)
    np.testing.assert_allclose(p1, 1 / (1 + np.exp(-logits)), rtol=1e-5)


def test_config_round_trip():
    net = mlp([2, 6, 3], activation="leaky_relu", output="softmax", init="xavier_uniform",
              batchnorm=True, dropout=0.1, seed=0, replicas=2)
    cfg = net.config()
    again = Sequential.from_config(json.loads(json.dumps(cfg)))
    assert again.config() == cfg


@pytest.mark.parametrize("replicas", [None, 3])
def test_save_load_gives_identical_predictions(tmp_path, replicas, rng):
    net = mlp([2, 6, 3], batchnorm=True, seed=0, replicas=replicas, dtype="float64")
    X = rng.standard_normal((12, 2))
    mlplab.fit(net, X, rng.integers(0, 3, 12), loss="cross_entropy", epochs=3)
    path = save(net, tmp_path / "model")
    assert path.name == "model.npz"
    again = load(path)
    np.testing.assert_array_equal(again.forward(X), net.forward(X))
    for (_, a), (_, b) in zip(again.named_state(), net.named_state()):
        np.testing.assert_array_equal(a, b)
    assert again.config() == net.config()


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    net = mlp([2, 3, 2], seed=0)
    target = tmp_path / "m.npz"
    save(net, target)
    before = target.read_bytes()

    def broken_savez(f, **arrays):
        f.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        save(mlp([2, 3, 2], seed=1), target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_load_refuses_truncated_file(tmp_path):
    path = save(mlp([2, 3, 2], seed=0), tmp_path / "m.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a readable mlplab model file"):
        load(path)


def test_load_refuses_foreign_npz(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, weights=np.ones(3))
    with pytest.raises(ValueError, match="not an mlplab model"):
        load(path)


def test_load_refuses_text_file(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("hello")
    with pytest.raises(ValueError, match="not a readable"):
        load(path)


def test_load_refuses_mismatched_arrays(tmp_path):
    path = save(mlp([2, 3, 2], seed=0), tmp_path / "m.npz")
    with np.load(path) as f:
        arrays = dict(f)
    arrays["param/0.W"] = np.ones((5, 5), np.float32)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"'param/0.W' has shape \(5, 5\)"):
        load(path)


def test_load_refuses_future_version(tmp_path):
    path = save(mlp([2, 3, 2], seed=0), tmp_path / "m.npz")
    with np.load(path) as f:
        arrays = dict(f)
    header = json.loads(str(arrays["__mlplab__"]))
    header["version"] = 99
    arrays["__mlplab__"] = np.array(json.dumps(header))
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="version 99"):
        load(path)


def test_load_refuses_corrupted_member(tmp_path):
    path = save(mlp([2, 3, 2], seed=0), tmp_path / "m.npz")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("param/0.W.npy")
    start = info.header_offset + 30 + len(info.filename) + 100
    raw[start:start + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError):
        load(path)


def test_sequential_of_explicit_layers():
    net = Sequential([Dense(2, 3, seed=0), ReLU(), Dropout(0.5), Dense(3, 2, seed=1), Softmax()])
    out = net.forward(np.ones((4, 2), np.float32))
    np.testing.assert_allclose(out.sum(-1), 1, rtol=1e-6)
    assert net.output_activation == "softmax"
    assert isinstance(mlp([2, 2], batchnorm=True).layers[0], Dense)
    assert not any(isinstance(layer, BatchNorm) for layer in mlp([2, 2], batchnorm=True).layers)
