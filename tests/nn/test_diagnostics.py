import copy

import numpy as np
import pytest

import mlplab
from mlplab.data import blobs, disc_ring
from mlplab.nn import DivergenceError, GradientStats, NeuronStats, losses, mlp


def _kill(net, layer_index, units, replica=None):
    """Make ``units`` of a Dense layer output a negative constant: dead after ReLU."""
    W, b = net.layers[layer_index].params["W"], net.layers[layer_index].params["b"]
    sel = (replica,) if replica is not None else ()
    W[(*sel, slice(None), units)] = 0.0
    b[(*sel, 0, units)] = -1.0


def test_alive_units_count_dead_ones():
    X, y = disc_ring(n_samples=100, seed=0)
    net = mlp([2, 6, 5, 2], seed=0)
    net.layers[0].params["b"][...] = 5.0  # every unit alive ...
    net.layers[2].params["b"][...] = 5.0
    _kill(net, 0, [0, 1])                 # ... but these
    _kill(net, 2, [4])
    h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=1e-6, epochs=3,
                   batch_size=25, callbacks=[NeuronStats()])
    assert h["alive.1"].tolist() == [4, 4, 4]
    assert h["alive.2"].tolist() == [4, 4, 4]


def test_alive_units_per_replica():
    X, y = disc_ring(n_samples=100, seed=0)
    net = mlp([2, 6, 2], seed=[0, 1, 2])
    net.layers[0].params["b"][...] = 5.0
    _kill(net, 0, [0], replica=0)
    _kill(net, 0, [0, 1, 2], replica=2)
    h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=1e-6, epochs=2,
                   callbacks=[NeuronStats()])
    assert h["alive.1"].shape == (2, 3)
    assert h["alive.1"][-1].tolist() == [5, 6, 3]


def test_a_unit_alive_for_one_sample_is_alive():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]], np.float32)
    net = mlp([2, 2, 2], seed=0)
    W, b = net.layers[0].params["W"], net.layers[0].params["b"]
    W[...] = [[1.0, 0.0], [0.0, 0.0]]  # unit 0 = relu(x1): > 0 only on the first sample
    b[...] = [[0.0, -1.0]]             # unit 1 always -1 -> 0: dead
    h = mlplab.fit(net, X, np.array([0, 1, 0]), loss="cross_entropy", optimizer="sgd", lr=1e-9,
                   epochs=1, batch_size=1, shuffle=False, callbacks=[NeuronStats()])
    assert h["alive.1"].tolist() == [1]


def test_saturated_tanh_units():
    X, y = blobs(n_samples=60, std=0.3, seed=0)
    X = X / 10
    net = mlp([2, 5, 2], activation="tanh", init="normal", seed=0)
    W, b = net.layers[0].params["W"], net.layers[0].params["b"]
    W[:, :2] = 0.0
    b[0, :2] = [20.0, -20.0]   # tanh = +-1 for every sample
    h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=1e-6, epochs=2,
                   callbacks=[NeuronStats()])
    assert h["saturated.1"].tolist() == [2, 2]
    np.testing.assert_allclose(h["saturation.1"], 2 / 5)


def test_gradient_norms_and_update_ratio_by_hand():
    X, y = blobs(n_samples=40, seed=0)
    net = mlp([2, 4, 3, 2], activation="tanh", seed=0, dtype="float64")
    ref = copy.deepcopy(net)
    ce = losses.get("cross_entropy")
    out = ref.forward(X.astype(np.float64), training=True)
    ref.backward(ce.grad(out, y))
    expected = [np.linalg.norm(layer.grads["W"]) for layer in ref.dense_layers]
    start = [layer.params["W"].copy() for layer in ref.dense_layers]
    h = mlplab.fit(net, X, y, loss=ce, optimizer="sgd", lr=0.1, epochs=1,
                   callbacks=[GradientStats()])
    for k in (1, 2, 3):
        np.testing.assert_allclose(h[f"grad_norm.{k}"][0], expected[k - 1], rtol=1e-10)
        np.testing.assert_allclose(h[f"weight_norm.{k}"][0],
                                   np.linalg.norm(net.dense_layers[k - 1].params["W"]), rtol=1e-12)
        ratio = 0.1 * expected[k - 1] / np.linalg.norm(start[k - 1])
        np.testing.assert_allclose(h[f"update_ratio.{k}"][0], ratio, rtol=1e-10)


def test_vanishing_gradients_show_in_deep_sigmoid_networks():
    X, y = disc_ring(n_samples=200, seed=0)
    net = mlp([2] + [16] * 8 + [2], activation="sigmoid", init="normal", seed=0)
    h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.01, epochs=1,
                   callbacks=[GradientStats()])
    first, last = float(h["grad_norm.1"][0]), float(h["grad_norm.9"][0])
    assert first < 1e-3 * last


def test_divergence_names_the_layer_that_blew_up():
    X, y = blobs(n_samples=20, seed=0)
    net = mlp([2, 3, 3, 2], seed=0)
    net.layers[2].params["W"][0, 0] = np.inf
    with pytest.raises(DivergenceError, match="the first layer whose weights blew up is Dense layer 2"):
        mlplab.fit(net, X, y, loss="cross_entropy", epochs=2)


def test_diagnostics_keys_are_in_history_but_not_printed(capsys):
    import io
    X, y = blobs(n_samples=20, seed=0)
    out = io.StringIO()
    h = mlplab.fit(mlp([2, 3, 2], seed=0), X, y, loss="cross_entropy", epochs=1,
                   callbacks=[NeuronStats(), GradientStats(), mlplab.nn.ProgressBar(stream=out)])
    assert "alive.1" in h and "grad_norm.2" in h
    assert "alive" not in out.getvalue() and "grad_norm" not in out.getvalue()
