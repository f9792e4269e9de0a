"""StepRecorder: every parameter after every step, so mini-batch paths can be drawn."""

import numpy as np
import pytest

from mlplab import fit, mlp
from mlplab.nn.recorders import StepRecorder


def test_one_row_per_step_equal_to_the_parameters_then():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 1)), rng.standard_normal(20)
    net = mlp([1, 1], init="zeros", dtype="float64", seed=0)
    rec = StepRecorder()
    fit(net, X, y, loss="mse", optimizer="sgd", lr=0.1, epochs=3, batch_size=5, callbacks=[rec], seed=0)
    assert rec.path.shape == (1 + 3 * 4, 2)
    assert rec.epochs == [0] + [1] * 4 + [2] * 4 + [3] * 4
    np.testing.assert_array_equal(rec.path[0], [0.0, 0.0])
    w, b = net.layers[0].params["W"][0, 0], net.layers[0].params["b"][0, 0]
    np.testing.assert_array_equal(rec.path[-1], [w, b])
    # a full-batch step from zeros moves (w, b) by -lr * grad of the mean squared error
    one = StepRecorder()
    fit(mlp([1, 1], init="zeros", dtype="float64", seed=0), X, y, loss="mse", optimizer="sgd",
        lr=0.1, epochs=1, callbacks=[one])
    grad = [-2 * np.mean(y * X[:, 0]), -2 * np.mean(y)]
    np.testing.assert_allclose(one.path[1], -0.1 * np.array(grad), rtol=1e-12)
    # a second fit continues the path
    fit(net, X, y, loss="mse", optimizer="sgd", lr=0.1, epochs=1, batch_size=10, callbacks=[rec])
    assert len(rec.path) == 13 + 2 and rec.epochs[-1] == 4


def test_replicas_are_refused():
    net = mlp([1, 1], seed=[0, 1])
    with pytest.raises(ValueError, match="replicas"):
        fit(net, np.zeros((4, 1)), np.zeros(4), loss="mse", epochs=1, callbacks=[StepRecorder()])
