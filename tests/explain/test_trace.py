import json

import numpy as np
import pytest

import mlplab
from mlplab.cli import main
from mlplab.explain import LESSON_B, lesson_b_network, set_weights, trace
from mlplab.nn import BatchNorm, Dense, Sequential, Sigmoid, losses

#: lesson B's worked example, computed by hand in plain NumPy (x = [0.5, 0.8], y = 1, lr 0.5)
LESSON_NUMBERS = {
    "z1": "[0.2200000, 0.4900000]", "a1": "[0.5547792, 0.6201064]", "z2": "[0.6794535]",
    "a2": "[0.6636167]", "L": "0.1131537", "dL/da2": "[-0.6727666]", "delta2": "[-0.1501814]",
    "dL/dW2": "[[-0.0833175], [-0.0931285]]", "delta1": "[-0.0185473, -0.0212273]",
    "dL/dW1": "[[-0.0092737, -0.0106137], [-0.0148379, -0.0169819]]",
    "W2": "[[0.5416588], [0.6465642]]", "b2": "[0.1050907]",
    "W1": "[[0.1046368, 0.3053068], [0.2074189, 0.4084909]]", "new L": "0.0945448",
}


def _values(text):
    """quantity -> value of a trace's text (the last row of a name wins: the update's W)."""
    out = {}
    for line in text.splitlines():
        if " = " in line and line.startswith("  "):
            name = line[2:].split("  ")[0].strip()
            out[name] = line.rsplit(" = ", 1)[1].split("  (change")[0].strip()
    return out


def test_lesson_b_numbers_in_the_text():
    t = trace(lesson_b_network(), [0.5, 0.8], 1, loss="mse", lr=0.5)
    values = _values(t.text())
    for name, expected in LESSON_NUMBERS.items():
        assert values[name] == expected, name
    assert "(change -0.0186090)" in t.text()
    assert "2 (a2 - y)" in t.text() and "(a2 - y)^2" in t.text()   # N = 1: lesson B's loss


def test_lesson_b_numbers_from_float32_weights_too():
    net = set_weights(mlplab.mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=3), LESSON_B)
    t = trace(net, [0.5, 0.8], 1, lr=0.5)
    # float32 weights (0.1 is 0.100000001...): the same numbers to about 1e-7
    assert t.loss == pytest.approx(0.1131537, abs=1e-7) and t.new_loss == pytest.approx(0.0945448, abs=1e-7)
    np.testing.assert_allclose(t.layers[1].W_new.ravel(), [0.5416588, 0.6465642], atol=1e-7)


def test_lesson_b_through_the_cli(capsys):
    weights = json.dumps(LESSON_B)
    assert main(["explain", "--layers", "2,2,1", "--activation", "sigmoid", "--output", "sigmoid",
                 "--x", "0.5,0.8", "--y", "1", "--loss", "mse", "--lr", "0.5",
                 "--weights", weights]) == 0
    out = capsys.readouterr().out
    values = _values(out)
    for name, expected in LESSON_NUMBERS.items():
        assert values[name] == expected, name
    assert main(["explain", "--example", "lesson-b"]) == 0
    assert _values(capsys.readouterr().out) == values


def test_weights_from_a_json_file(tmp_path, capsys):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(LESSON_B))
    assert main(["explain", "--layers", "2,2,1", "--output", "sigmoid", "--x", "0.5,0.8", "--y", "1",
                 "--weights", str(path)]) == 0
    assert _values(capsys.readouterr().out)["delta2"] == "[-0.1501814]"


def test_delta_is_the_chain_rule_product():
    net = mlplab.mlp([3, 4, 3, 2], activation="tanh", output="sigmoid", seed=5, dtype="float64")
    x = np.random.default_rng(0).normal(size=(3, 3))
    t = trace(net, x, [[1, 0], [0, 1], [1, 1]], loss="bce", lr=0.1)
    for lay in t.layers:
        np.testing.assert_array_equal(lay.delta, lay.dL_da * lay.da_dz)
        np.testing.assert_allclose(lay.da_dz, 1 - lay.a ** 2 if lay.activation == "tanh"
                                   else lay.a * (1 - lay.a))
        np.testing.assert_allclose(lay.dW, lay.a_in.T @ lay.delta)
    for below, above in zip(t.layers[:-1], t.layers[1:]):
        np.testing.assert_allclose(below.dL_da, above.delta @ above.W.T)


def test_three_layer_trace_matches_the_engine_and_its_sgd_step():
    net = mlplab.mlp([3, 5, 4, 3], activation="tanh", seed=2, dtype="float64")
    X = np.random.default_rng(1).normal(size=(6, 3))
    y = np.array([0, 1, 2, 1, 0, 2])
    t = trace(net, X, y, loss="cross_entropy", lr=0.3)
    loss = losses.get("cross_entropy")
    out = net.forward(X, training=True)
    T = np.eye(3)[y]
    net.backward(loss.grad(out, T))
    for lay, dense in zip(t.layers, net.dense_layers):
        np.testing.assert_allclose(lay.dW, dense.grads["W"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(lay.db, dense.grads["b"][0], rtol=1e-12, atol=1e-15)
    assert t.loss == pytest.approx(float(loss.value(out, T)), rel=1e-13)
    h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.3, epochs=1,
                   batch_size=6, shuffle=False)
    assert float(h.loss[0]) == pytest.approx(t.loss, rel=1e-12)
    for lay, dense in zip(t.layers, net.dense_layers):
        np.testing.assert_allclose(lay.W_new, dense.params["W"], rtol=1e-12)
    assert t.new_loss == pytest.approx(float(loss.value(net.forward(X), T)), rel=1e-12)


def test_several_samples_show_the_batch_mean():
    X = np.random.default_rng(2).normal(size=(6, 2))
    t = trace(lesson_b_network(), X, np.ones(6), lr=0.5)
    assert "mean of 6 samples" in t.text()
    assert _values(t.text())["a2"] == t.rows()[5][3] == \
        "[" + f"{t.layers[1].a.mean():.7f}" + "]"


def test_to_dict_is_json_and_holds_the_numbers():
    d = json.loads(json.dumps(trace(lesson_b_network(), [0.5, 0.8], 1).to_dict()))
    assert d["layers"][1]["delta"][0][0] == pytest.approx(-0.1501814, abs=5e-8)
    assert d["new_loss"] == pytest.approx(0.0945448, abs=5e-8)


def test_repr_html_has_the_table():
    page = trace(lesson_b_network(), [0.5, 0.8], 1)._repr_html_()
    assert page.count("<tr>") == len(trace(lesson_b_network(), [0.5, 0.8], 1).rows()) + 1
    assert "0.1131537" in page and "a1^T @ delta2" in page


def test_the_network_is_not_changed():
    net = lesson_b_network()
    before = [p.copy() for p, _ in net.parameters()]
    trace(net, [0.5, 0.8], 1)
    for b, (p, _) in zip(before, net.parameters()):
        np.testing.assert_array_equal(b, p)


def test_replicas_trace_the_chosen_one():
    net = mlplab.mlp([2, 3, 1], activation="sigmoid", seed=[4, 7], dtype="float64")
    alone = mlplab.mlp([2, 3, 1], activation="sigmoid", seed=7, dtype="float64")
    a = trace(net, [0.2, 0.3], 1.0, replica=1)
    b = trace(alone, [0.2, 0.3], 1.0)
    assert a.loss == b.loss and a.new_loss == b.new_loss
    with pytest.raises(ValueError, match=r"model has replicas \(2,\): pass replica=k"):
        trace(net, [0.2, 0.3], 1.0)
    with pytest.raises(ValueError, match=r"replica must be an integer from 0 to 1; received replica=2"):
        trace(net, [0.2, 0.3], 1.0, replica=2)


def test_bad_inputs_are_named():
    net = lesson_b_network()
    with pytest.raises(ValueError, match=r"x must be one sample of 2 features .* received shape \(1, 3\)"):
        trace(net, [0.5, 0.8, 0.1], 1)
    with pytest.raises(ValueError, match="lr must be"):
        trace(net, [0.5, 0.8], 1, lr=0)
    with pytest.raises(TypeError, match="model must be a Sequential"):
        trace("net", [0.5, 0.8], 1)
    with pytest.raises(ValueError, match=r"model.layers\[1\] is BatchNorm"):
        trace(Sequential([Dense(2, 2), BatchNorm(2), Sigmoid(), Dense(2, 1)]), [0.5, 0.8], 1)
    with pytest.raises(ValueError, match="valid keys: W1, b1, W2, b2"):
        set_weights(net, {"W3": [[1.0]]})
    with pytest.raises(ValueError, match=r"weights\['W1'\] must be shaped \(2, 2\) .* received shape \(2,\)"):
        set_weights(net, {"W1": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"step must be one of input, forward 1, .*received step='sideways'"):
        trace(net, [0.5, 0.8], 1).figure("sideways")


def test_cli_refuses_bad_input(capsys):
    with pytest.raises(SystemExit):
        main(["explain", "--layers", "2,2,1", "--x", "0.5,0.8", "--y", "1", "--weights", "{oops"])
    assert "is not valid JSON (Expecting property name" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["explain", "--layers", "2,2,1", "--x", "0.5,a", "--y", "1"])
    assert "expected numbers separated by commas" in capsys.readouterr().err
    assert main(["explain", "--x", "0.5,0.8", "--y", "1"]) == 2
    assert "needs a network: MODEL.npz, --layers" in capsys.readouterr().err
    assert main(["explain", "--example", "lesson-b", "--layers", "2,2,1"]) == 2
    assert "give one network" in capsys.readouterr().err


def test_saved_model_through_the_cli(tmp_path, capsys):
    net = lesson_b_network()
    path = net.save(tmp_path / "m.npz")
    assert main(["explain", str(path), "--x", "0.5,0.8", "--y", "1"]) == 0
    assert _values(capsys.readouterr().out)["new L"] == "0.0945448"


def test_a_trained_model_uses_its_loss_and_scaler(tmp_path, capsys):
    path = tmp_path / "iris.npz"
    assert main(["train", "iris", "--layers", "3", "--epochs", "2", "--save", str(path)]) == 0
    capsys.readouterr()
    assert main(["explain", str(path), "--x", "5.1,3.5,1.4,0.2", "--y", "0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("note: this model was trained on zscore-scaled features")
    assert "loss cross_entropy" in out
    assert main(["explain", str(path), "--x", "5.1,3.5,1.4,0.2", "--y", "0", "--scale"]) == 0
    model = mlplab.nn.load(path)
    from mlplab.data import Scaler

    x = Scaler.from_config(model.meta["scaler"]).transform(np.array([[5.1, 3.5, 1.4, 0.2]]))
    expected = trace(model, x, [0], loss="cross_entropy", lr=0.5)
    assert _values(capsys.readouterr().out)["new L"] == f"{expected.new_loss:.7f}"


def test_softmax_output_and_dropout_follow_the_engine():
    # softmax mixes its outputs: delta is the Jacobian product, no elementwise factor;
    # dropout is skipped (the trace runs in inference mode, as forward(training=False))
    net = mlplab.mlp([2, 3, 3], activation="tanh", output="softmax", seed=0, dtype="float64",
                     dropout=0.3)
    x, T = np.array([[0.3, -0.2], [0.5, 0.1]]), np.eye(3)[[0, 2]]
    t = trace(net, x, T, loss="mse", lr=0.1)
    assert t.layers[1].da_dz is None and "softmax Jacobian^T @ dL/da2" in t.text()
    mse = losses.get("mse")
    net.backward(mse.grad(net.forward(x), T))
    for lay, dense in zip(t.layers, net.dense_layers):
        np.testing.assert_allclose(lay.dW, dense.grads["W"], rtol=1e-12, atol=1e-15)
