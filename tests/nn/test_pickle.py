"""A pickled or deep-copied network trains on: its parameters are bound to its flat buffers again."""

import copy
import pickle

import numpy as np
import pytest

import mlplab
from mlplab.data import disc_ring


@pytest.mark.parametrize("clone", [lambda n: pickle.loads(pickle.dumps(n)), copy.deepcopy],
                         ids=["pickle", "deepcopy"])
def test_a_copied_network_trains_exactly_as_the_original(clone):
    X, y = disc_ring(n_samples=60, seed=0)
    net = mlplab.mlp([2, 4, 2], seed=[0, 1], batchnorm=True)
    mlplab.fit(net, X, y, loss="cross_entropy", epochs=2)
    twin = clone(net)
    for model in (net, twin):
        mlplab.fit(model, X, y, loss="cross_entropy", lr=0.05, epochs=3, seed=7)
    for (name, a, _), (_, b, _) in zip(net.named_parameters(), twin.named_parameters()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    W = twin.layers[0].params["W"]
    assert np.shares_memory(W, twin.flat_parameters()[0][0])
