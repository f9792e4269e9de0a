"""``mlplab export MODEL.npz --to onnx|torch OUT``."""

import numpy as np
import pytest

import mlplab
from mlplab.cli import main
from mlplab.data import catalog

from ..conftest import torch_or_skip


@pytest.fixture
def saved(tmp_path):
    net = mlplab.mlp([3, 5, 2], activation="gelu", batchnorm=True, seed=[0, 1])
    path = tmp_path / "m.npz"
    net.save(path)
    return net, path


def test_export_onnx_and_torch_of_one_replica(saved, tmp_path, capsys):
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    torch = torch_or_skip()
    net, path = saved
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    want = net.forward(x)[1]
    assert main(["export", str(path), "--to", "onnx", str(tmp_path / "m.onnx"), "--replica", "1"]) == 0
    assert "wrote" in capsys.readouterr().out
    got = ort.InferenceSession(str(tmp_path / "m.onnx")).run(["Y"], {"X": x})[0]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert main(["export", str(path), "--to", "torch", str(tmp_path / "m.pt"), "--replica", "1"]) == 0
    module = torch.load(tmp_path / "m.pt", weights_only=False)
    np.testing.assert_allclose(module(torch.from_numpy(x)).detach().numpy(), want, rtol=1e-6, atol=1e-6)


def test_export_refusals_name_the_problem(saved, tmp_path, capsys):
    _, path = saved
    assert main(["export", str(path), "--to", "onnx", str(tmp_path / "m.onnx")]) == 2
    assert "holds 2 replicas" in capsys.readouterr().err and not (tmp_path / "m.onnx").exists()
    assert main(["export", str(tmp_path / "none.npz"), "--to", "onnx", str(tmp_path / "m.onnx")]) == 2
    assert "none.npz" in capsys.readouterr().err
    assert main(["export", str(path), "--to", "onnx", str(tmp_path / "no" / "m.onnx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", str(path), "--to", "keras", "m.h5"])


def test_export_prints_the_scaling_the_network_expects(tmp_path, capsys):
    pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    model = tmp_path / "iris.npz"
    assert main(["train", "iris", "--layers", "8", "--epochs", "30", "--save", str(model)]) == 0
    capsys.readouterr()
    assert main(["export", str(model), "--to", "onnx", str(tmp_path / "iris.onnx")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "(zscore: x_scaled = (x - offset) / scale)" in lines[1]
    offset, scale = (np.array([float(v) for v in line.split("[")[1].rstrip("]").split(",")])
                     for line in lines[2:4])
    # the printed numbers are the ones to use: raw rows scaled with them give the model's outputs
    net = mlplab.nn.load(model)
    raw = catalog.load("iris", seed=0).X_test[:5]
    got = ort.InferenceSession(str(tmp_path / "iris.onnx")).run(
        ["Y"], {"X": ((raw - offset) / scale).astype("float32")})[0]
    meta = net.meta["scaler"]
    want = net.forward(((raw - np.array(meta["offset"])) / np.array(meta["scale"])).astype("float32"))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    assert lines[4].strip() == f"in Python: mlplab.nn.load({str(model)!r}).meta['scaler']"
