"""to_torch / from_torch / state_dict round trips on random networks: every activation,
batch norm in training and inference, float32 and float64."""

import numpy as np
import pytest

import mlplab
from mlplab.nn import BatchNorm, Dense, Dropout, Sequential, activations, from_torch
from mlplab.nn.activation_layers import layer_for

from ..conftest import torch_or_skip

#: every registered activation, with non-default options where it has them
ACTIVATIONS = [(name, {}) for name in activations.names()] + [
    ("leaky_relu", {"alpha": 0.2}), ("elu", {"alpha": 0.7}), ("softplus", {"threshold": 3.0}),
    ("swish", {"beta": 1.7}), ("gelu", {"approximate": "tanh"}), ("softmax", {"temperature": 2.5}),
]
TOL = {"float32": dict(rtol=1e-6, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-12)}


def random_net(seed, activation, options, dtype, batchnorm, dropout=0.0):
    rng = np.random.default_rng(seed)
    sizes = [3, int(rng.integers(2, 7)), int(rng.integers(2, 7)), 4]
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(a, b, init="xavier_normal", seed=seed + i, dtype=dtype, bias=not (batchnorm and i < 2)))
        if i < 2:
            if batchnorm:
                bn = BatchNorm(b, momentum=0.3, dtype=dtype)
                bn.state["running_mean"][...] = rng.standard_normal((1, b))
                bn.state["running_var"][...] = rng.uniform(0.5, 2.0, (1, b))
                bn.params["gamma"][...] = rng.uniform(0.5, 1.5, (1, b))
                bn.params["beta"][...] = rng.standard_normal((1, b))
                layers.append(bn)
            layers.append(layer_for(activation, **options))
            if dropout:
                layers.append(Dropout(dropout, seed=seed))
    layers.append(layer_for(activation, **options))  # also as output: softmax over the last axis
    return Sequential(layers)


def _same_layers(a, b):
    assert [type(x).__name__ for x in a.layers] == [type(y).__name__ for y in b.layers]
    for x, y in zip(a.layers, b.layers):
        assert {**x.config(), "init": None} == {**y.config(), "init": None}
        for k in x.params:
            np.testing.assert_array_equal(x.params[k], y.params[k])
        for k in x.state:
            np.testing.assert_array_equal(x.state[k], y.state[k])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("activation,options", ACTIVATIONS, ids=lambda v: str(v))
def test_round_trip_every_activation(activation, options, dtype):
    torch = torch_or_skip()
    seed = sum(map(ord, activation + str(options)))
    for batchnorm in (False, True):
        net = random_net(seed, activation, options, dtype, batchnorm)
        x = np.random.default_rng(seed).standard_normal((32, 3)).astype(dtype)
        module = net.to_torch()
        assert not module.training
        got = module(torch.from_numpy(x)).detach().numpy()
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_allclose(got, net.forward(x), **TOL[dtype])
        back = from_torch(module)
        _same_layers(net, back)
        np.testing.assert_array_equal(back.forward(x), net.forward(x))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_batchnorm_training_mode_and_running_statistics(dtype):
    torch = torch_or_skip()
    net = random_net(5, "tanh", {}, dtype, batchnorm=True)
    module = net.to_torch(training=True)
    assert module.training
    x = np.random.default_rng(1).standard_normal((16, 3)).astype(dtype)
    for _ in range(3):  # three training steps move the running statistics the same way
        got = module(torch.from_numpy(x)).detach().numpy()
        want = net.forward(x, training=True)
        np.testing.assert_allclose(got, want, **TOL[dtype])
    for i, layer in enumerate(net.layers):
        if isinstance(layer, BatchNorm):
            np.testing.assert_allclose(module[i].running_mean.numpy(), layer.state["running_mean"][0], **TOL[dtype])
            np.testing.assert_allclose(module[i].running_var.numpy(), layer.state["running_var"][0], **TOL[dtype])
            assert module[i].momentum == layer.momentum and module[i].eps == layer.eps


def test_dropout_is_identity_in_eval_and_kept_as_a_module():
    torch = torch_or_skip()
    net = random_net(3, "relu", {}, "float32", batchnorm=False, dropout=0.4)
    module = net.to_torch()
    assert [type(m).__name__ for m in module].count("Dropout") == 2
    assert all(m.p == 0.4 for m in module if isinstance(m, torch.nn.Dropout))
    x = np.random.default_rng(0).standard_normal((8, 3)).astype("float32")
    np.testing.assert_allclose(module(torch.from_numpy(x)).detach().numpy(), net.forward(x), rtol=1e-6, atol=1e-6)
    assert [type(layer).__name__ for layer in from_torch(module).layers] == [type(layer).__name__ for layer in net.layers]


def test_state_dict_has_pytorch_keys_and_layout():
    torch_or_skip()
    net = mlplab.mlp([3, 5, 2], batchnorm=True, seed=0)
    sd = net.state_dict()
    module_sd = net.to_torch().state_dict()
    assert list(sd) == list(module_sd)
    assert sd["0.weight"].shape == (5, 3) and "0.bias" not in sd  # bias dropped before batch norm
    np.testing.assert_array_equal(sd["0.weight"], net.layers[0].params["W"].T)
    for k, v in sd.items():
        assert isinstance(v, np.ndarray)
        np.testing.assert_array_equal(v, module_sd[k].numpy())


def test_load_state_dict_from_numpy_and_from_torch_tensors():
    torch = torch_or_skip()
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4), torch.nn.GELU(),
                                 torch.nn.Linear(4, 3))
    module.train()
    module(torch.randn(10, 2))  # running statistics away from (0, 1)
    module.eval()
    net = mlplab.mlp([2, 4, 3], activation="gelu", seed=1)
    net.layers.insert(1, BatchNorm(4))
    net = Sequential(net.layers)
    net.load_state_dict(module.state_dict())  # torch tensors
    x = np.random.default_rng(0).standard_normal((6, 2)).astype("float32")
    np.testing.assert_allclose(net.forward(x), module(torch.from_numpy(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
    other = Sequential.from_config(net.config()).load_state_dict(net.state_dict())  # numpy arrays
    np.testing.assert_array_equal(other.forward(x), net.forward(x))


def test_load_state_dict_refuses_wrong_keys_and_shapes():
    net = mlplab.mlp([2, 3, 2], seed=0)
    sd = net.state_dict()
    with pytest.raises(ValueError, match=r"missing keys \['2.bias'\], unexpected keys \['2.beta'\]"):
        net.load_state_dict({**{k: v for k, v in sd.items() if k != "2.bias"}, "2.beta": sd["2.bias"]})
    with pytest.raises(ValueError, match=r"state_dict\['0.weight'\] must have shape \(3, 2\); received \(2, 3\)"):
        net.load_state_dict({**sd, "0.weight": sd["0.weight"].T})
    with pytest.raises(TypeError, match=r"state_dict\['0.bias'\] must be a NumPy array or a torch tensor; received list"):
        net.load_state_dict({**sd, "0.bias": [0.0, 0.0, 0.0]})
    with pytest.raises(ValueError, match="NaN"):
        net.load_state_dict({**sd, "0.bias": np.full(3, np.nan)})
    with pytest.raises(TypeError, match="state must be a dict"):
        net.load_state_dict([1, 2])


def test_replicated_models_are_refused_unless_one_replica_is_picked():
    torch = torch_or_skip()
    net = mlplab.mlp([2, 4, 2], seed=[3, 4, 5], batchnorm=True)
    with pytest.raises(ValueError, match=r"to_torch takes one network, and this model holds 3 replicas .*replica=k"):
        net.to_torch()
    with pytest.raises(ValueError, match=r"replica must be an integer from 0 to 2; received replica=3"):
        net.to_torch(replica=3)
    alone = mlplab.mlp([2, 4, 2], seed=4, batchnorm=True)
    x = np.random.default_rng(0).standard_normal((5, 2)).astype("float32")
    got = net.to_torch(replica=1)(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, alone.forward(x), rtol=1e-6, atol=1e-6)
    for k, v in alone.state_dict().items():
        np.testing.assert_array_equal(net.state_dict(replica=1)[k], v)
    with pytest.raises(ValueError, match="replica applies to replicated models"):
        alone.state_dict(replica=0)


def test_from_torch_refuses_other_modules_by_name():
    torch = torch_or_skip()
    nn = torch.nn
    with pytest.raises(ValueError, match=r"module '1' \(Conv1d.*cannot be read: from_torch reads Sequential stacks of Linear"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Conv1d(1, 1, 1)))
    with pytest.raises(ValueError, match=r"module '1' \(Softplus\(beta=2"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.Softplus(beta=2.0)))
    with pytest.raises(ValueError, match="track_running_stats=True"):
        from_torch(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, track_running_stats=False)))
    with pytest.raises(TypeError, match="module must be a torch.nn.Sequential; received Linear"):
        from_torch(nn.Linear(2, 3))
    with pytest.raises(ValueError, match="float32 or all float64"):
        from_torch(nn.Sequential(nn.Linear(2, 3, dtype=torch.float16)))


def test_a_missing_torch_is_named_in_one_line(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'", name="torch")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match=r"pip install 'mlplab\[torch\]'"):
        mlplab.mlp([2, 2], seed=0).to_torch()
