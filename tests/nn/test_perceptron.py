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


def test_lesson_b_perceptron_converges_in_4_epochs_for_and_and_or():
    # lesson B: np.random.seed(42), small random start (0.01 randn), w.x + b >= 0 predicts 1,
    # lr 0.1; OR's start is the next two draws of the same stream
    stream = np.random.RandomState(42)
    p_and = Perceptron(lr=0.1, init="small", rule=">=", seed=stream).fit(*logic_gate("and"))
    p_or = Perceptron(lr=0.1, init="small", rule=">=", seed=stream).fit(*logic_gate("or"))
    assert p_and.errors_ == [2, 3, 1, 0] and p_or.errors_ == [2, 2, 1, 0]
    np.testing.assert_allclose(p_and.initial_weights_, 0.01 * np.random.RandomState(42).randn(2))
    np.testing.assert_allclose(p_and.weights_, [0.10496714, 0.09861736], atol=1e-8)
    np.testing.assert_allclose(p_or.weights_, [0.10647689, 0.1152303], atol=1e-8)
    assert p_and.bias_ == pytest.approx(-0.2) and p_or.bias_ == pytest.approx(-0.1)


def test_the_rule_at_zero_changes_the_run():
    X, y = logic_gate("and")
    strict = Perceptron(lr=0.1).fit(X, y)                 # zeros, > 0: 6 epochs
    inclusive = Perceptron(lr=0.1, rule=">=").fit(X, y)   # zeros, >= 0: 4 epochs
    assert strict.errors_ == [1, 3, 3, 2, 1, 0] and inclusive.errors_ == [2, 3, 3, 0]
    assert Perceptron(rule=">=", init=[0.0, 0.0]).fit(X, y).predict([[0.0, 0.0]])[0] == 0
    # exactly on the line: class 1 with >=, class 0 with >
    on_line = Perceptron(rule=">=", init=[1.0, -1.0], max_epochs=1)
    on_line.weights_, on_line.bias_ = np.array([1.0, -1.0]), 0.0
    assert on_line.predict([[0.5, 0.5]])[0] == 1
    on_line.rule = ">"
    assert on_line.predict([[0.5, 0.5]])[0] == 0


def test_on_epoch_sees_the_start_and_every_epoch():
    X, y = logic_gate("or")
    seen = []
    p = Perceptron(lr=0.1, rule=">=").fit(X, y, on_epoch=lambda w, b: seen.append((w.copy(), b)))
    assert len(seen) == p.n_iter_ + 1
    np.testing.assert_array_equal(seen[0][0], [0, 0])
    np.testing.assert_allclose(seen[-1][0], p.weights_)


def test_perceptron_options_refused_by_name():
    with pytest.raises(ValueError, match=r"init must be one of 'zeros', 'small' or an array .*received init='ones'"):
        Perceptron(init="ones")
    with pytest.raises(ValueError, match=r"rule must be '>' .* or '>=' .*received rule='=>'"):
        Perceptron(rule="=>")
    with pytest.raises(ValueError, match=r"init must hold one starting weight per feature \(2\); received shape \(3,\)"):
        Perceptron(init=[0.0, 0.0, 0.0]).fit(*logic_gate("and"))
