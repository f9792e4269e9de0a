import numpy as np
import pytest

import mlplab
from mlplab.data import logic_gate
from mlplab.nn import Perceptron, mlp


@pytest.mark.parametrize("gate", ["and", "or", "nand"])
def test_perceptron_learns_linearly_separable_gates(gate):
    X, y = logic_gate(gate)
    p = Perceptron(lr=0.1).fit(X, y)
    assert p.converged_
    assert p.errors_[-1] == 0 and p.errors_[0] > 0
    np.testing.assert_array_equal(p.predict(X), y)


def test_perceptron_and_by_hand():
    # lr = 1, zero start, samples in order (0,0) (0,1) (1,0) (1,1), label AND
    X, y = logic_gate("and")
    p = Perceptron(lr=1.0).fit(X, y)
    # epoch 1: (0,0) 0>0 is false, ok; (0,1), (1,0) ok; (1,1) wrong -> w = [1, 1], b = 1
    # epoch 2: (0,0) predicts 1 -> b = 0; (0,1) predicts 1 -> w = [1, 0], b = -1;
    #          (1,0) 0 > 0 false, ok; (1,1) 0 > 0 false, wrong -> w = [2, 1], b = 0
    assert p.errors_[:2] == [1, 3]
    assert p.converged_ and p.score(X, y) == 1.0


def test_perceptron_fails_on_xor():
    X, y = logic_gate("xor")
    p = Perceptron(lr=0.1, max_epochs=200).fit(X, y)
    assert not p.converged_
    assert p.n_iter_ == 200
    assert min(p.errors_) >= 1          # never an error-free epoch
    assert p.score(X, y) <= 0.75        # a line cannot get all four right


def test_two_layer_sigmoid_network_learns_xor_with_mse():
    X, y = logic_gate("xor")
    net = mlp([2, 4, 1], activation="sigmoid", output="sigmoid", init="xavier_normal", seed=0)
    h = mlplab.fit(net, X, y, loss="mse", optimizer="sgd", lr=2.0, epochs=3000)
    assert h.loss[-1] < 0.02
    np.testing.assert_array_equal(net.predict(X), y)
    out = net.forward(X)[:, 0]
    assert out[[1, 2]].min() > 0.8 and out[[0, 3]].max() < 0.2


def test_perceptron_rejects_bad_labels():
    X, _ = logic_gate("and")
    with pytest.raises(ValueError, match=r"y must hold labels 0 and 1; received \[0, 2\]"):
        Perceptron().fit(X, np.array([0, 2, 0, 2]))
