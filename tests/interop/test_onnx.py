"""ONNX export against onnxruntime: every activation, batch norm (inference), dropout."""

import numpy as np
import pytest

import mlplab

from .test_torch_bridge import ACTIVATIONS, random_net


def _session(path):
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed (the 'dev' extra)")
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation,options", ACTIVATIONS, ids=str)
def test_onnxruntime_gives_the_same_outputs(tmp_path, activation, options, dtype):
    pytest.importorskip("onnx", reason="onnx is not installed (the 'onnx' extra)")
    seed = sum(map(ord, activation + str(options)))
    net = random_net(seed, activation, options, dtype, batchnorm=True, dropout=0.25)
    path = net.to_onnx(tmp_path / "net.onnx")
    x = (3 * np.random.default_rng(seed).standard_normal((50, 3))).astype(dtype)
    got = _session(path).run(["Y"], {"X": x})[0]
    assert got.dtype == np.dtype(dtype) and got.shape == (50, 4)
    np.testing.assert_allclose(got, net.forward(x), rtol=1e-5, atol=1e-5)


def test_any_batch_size_and_one_replica(tmp_path):
    pytest.importorskip("onnx")
    net = mlplab.mlp([4, 6, 3], activation="mish", seed=[1, 2])
    with pytest.raises(ValueError, match="to_onnx takes one network, and this model holds 2 replicas"):
        net.to_onnx(tmp_path / "x.onnx")
    assert not (tmp_path / "x.onnx").exists()
    path = net.to_onnx(tmp_path / "one.onnx", replica=1)
    session = _session(path)
    alone = mlplab.mlp([4, 6, 3], activation="mish", seed=2)
    for n in (1, 7):
        x = np.random.default_rng(n).standard_normal((n, 4)).astype("float32")
        np.testing.assert_allclose(session.run(["Y"], {"X": x})[0], alone.forward(x), rtol=1e-5, atol=1e-6)


def test_the_file_is_written_atomically(tmp_path, monkeypatch):
    pytest.importorskip("onnx")
    from mlplab.interop import onnx as bridge

    target = tmp_path / "net.onnx"
    target.write_bytes(b"old")
    monkeypatch.setattr(bridge, "build", lambda model, replica: _Boom())
    with pytest.raises(RuntimeError, match="disk full"):
        mlplab.mlp([2, 2], seed=0).to_onnx(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.onnx"]  # no temporary file left
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        bridge.to_onnx(mlplab.mlp([2, 2], seed=0), tmp_path)


class _Boom:
    def SerializeToString(self):
        raise RuntimeError("disk full")
