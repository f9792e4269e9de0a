import numpy as np
import pytest

from mlplab.nn import BatchNorm, Dense, Dropout, gradcheck, layer_from_config, mlp
from mlplab.nn.layer import registry as layer_registry

from ..conftest import torch_or_skip


@pytest.mark.parametrize("replicas", [None, 3])
@pytest.mark.parametrize("bias", [True, False])
def test_dense_gradcheck(replicas, bias, rng):
    layer = Dense(4, 3, bias=bias, seed=0, replicas=replicas, dtype="float64")
    x = rng.standard_normal((*((replicas,) if replicas else ()), 5, 4))
    assert gradcheck(layer, x).worst < 1e-6


def test_dense_gradcheck_with_shared_input_and_replicas(rng):
    # one (n, f) input broadcast to every replica: dW must still be per replica
    layer = Dense(4, 3, seed=[0, 1], dtype="float64")
    assert gradcheck(layer, rng.standard_normal((5, 4))).worst < 1e-6


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("replicas", [None, 2])
def test_batchnorm_gradcheck(training, replicas, rng):
    layer = BatchNorm(3, replicas=replicas, dtype="float64")
    layer.params["gamma"][...] = rng.uniform(0.5, 1.5, layer.params["gamma"].shape)
    layer.params["beta"][...] = rng.standard_normal(layer.params["beta"].shape)
    layer.state["running_mean"][...] = 0.3
    layer.state["running_var"][...] = 2.0
    x = rng.standard_normal((*((replicas,) if replicas else ()), 6, 3))
    assert gradcheck(layer, x, training=training).worst < 1e-6


@pytest.mark.parametrize("replicas", [None, 2])
def test_dropout_gradcheck_replays_its_mask(replicas, rng):
    layer = Dropout(0.4, seed=3)
    x = rng.standard_normal((*((replicas,) if replicas else ()), 8, 5))
    assert gradcheck(layer, x).worst < 1e-6


def test_dense_forward_by_hand():
    layer = Dense(2, 2, seed=0, dtype="float64")
    layer.params["W"][...] = [[1.0, 2.0], [3.0, 4.0]]
    layer.params["b"][...] = [[0.5, -0.5]]
    np.testing.assert_allclose(layer.forward(np.array([[1.0, 1.0], [0.0, 2.0]])),
                               [[4.5, 5.5], [6.5, 7.5]])


def test_dropout_scales_survivors_and_is_off_in_inference():
    layer = Dropout(0.25, seed=0)
    x = np.ones((1000, 40), dtype=np.float32)
    y = layer.forward(x, training=True)
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.01
    assert abs(y.mean() - 1.0) < 0.02
    assert layer.forward(x, training=False) is x


def test_dropout_same_seed_same_mask():
    x = np.ones((20, 10))
    a, b = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    np.testing.assert_array_equal(a.forward(x, True), b.forward(x, True))
    assert not np.array_equal(a.forward(x, True), Dropout(0.5, seed=8).forward(x, True))


def test_batchnorm_normalises_in_training_and_tracks_running_stats(rng):
    layer = BatchNorm(3, momentum=0.1, dtype="float64")
    x = rng.standard_normal((50, 3)) * 4 + 10
    y = layer.forward(x, training=True)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), 1, rtol=1e-4)
    np.testing.assert_allclose(layer.state["running_mean"][0], 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(layer.state["running_var"][0], 0.9 + 0.1 * x.var(axis=0, ddof=1))


def test_batchnorm_matches_torch_in_both_modes(rng):
    torch = torch_or_skip()
    layer = BatchNorm(4, momentum=0.2, eps=1e-3, dtype="float64")
    tlayer = torch.nn.BatchNorm1d(4, momentum=0.2, eps=1e-3, dtype=torch.float64)
    with torch.no_grad():
        tlayer.weight.copy_(torch.tensor([0.5, 1.0, 1.5, 2.0], dtype=torch.float64))
        tlayer.bias.copy_(torch.tensor([0.1, -0.1, 0.2, 0.0], dtype=torch.float64))
    layer.params["gamma"][...] = [0.5, 1.0, 1.5, 2.0]
    layer.params["beta"][...] = [0.1, -0.1, 0.2, 0.0]
    for _ in range(3):
        x = rng.standard_normal((7, 4)) * 3 + 1
        np.testing.assert_allclose(layer.forward(x, True), tlayer(torch.tensor(x)).detach(),
                                   rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(layer.state["running_mean"][0], tlayer.running_mean, rtol=1e-9)
    np.testing.assert_allclose(layer.state["running_var"][0], tlayer.running_var, rtol=1e-9)
    tlayer.eval()
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(layer.forward(x, False), tlayer(torch.tensor(x)).detach(),
                               rtol=1e-9, atol=1e-12)


LAYERS = [
    Dense(3, 2, seed=0), Dense(3, 2, init="torch", bias=False, seed=0, replicas=4),
    Dense(3, 2, init="normal", seed=0), BatchNorm(5, momentum=0.3, eps=1e-4, replicas=2),
    Dropout(0.3),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: repr(layer)[:40])
def test_config_round_trip(layer):
    cfg = layer.config()
    again = layer_from_config(cfg)
    assert type(again) is type(layer)
    assert again.config() == cfg
    for key, p in layer.params.items():
        assert again.params[key].shape == p.shape and again.params[key].dtype == p.dtype


# every registered layer, built with the arguments it needs
_LAYER_ARGS = {"dense": (3, 2), "batchnorm": (3,), "dropout": (0.5,), "activation": ("tanh",)}


@pytest.mark.parametrize("name", layer_registry.names())
def test_calling_a_layer_is_forward_in_inference_mode(name, rng):
    layer = layer_registry.factory(name)(*_LAYER_ARGS.get(name, ()))
    if name == "batchnorm":  # running statistics that differ from the batch's own
        layer.state["running_mean"][...] = 0.5
        layer.state["running_var"][...] = 4.0
    x = rng.standard_normal((6, 3)).astype(np.float32)
    np.testing.assert_array_equal(layer(x), layer.forward(x, training=False))
    if name in ("dropout", "batchnorm"):  # the mode matters here, and training=True reaches it
        assert not np.allclose(layer(x, training=True), layer(x))


def test_calling_a_sequential_is_forward(rng):
    net = mlp([3, 4, 2], seed=0)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_array_equal(net(x), net.forward(x))
