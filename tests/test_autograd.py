import math

import numpy as np
import pytest

from mlplab.autograd import Value, ValueMLP
from mlplab.nn import losses, mlp


def test_lesson_b_polynomial():
    x = Value(3.0, label="x")
    y = x**2 + 2 * x + 1
    y.backward()
    assert y.data == 16.0
    assert x.grad == 8.0


def test_dot_product_gradient_is_the_input():
    xs = [1.5, -2.0, 0.25]
    ws = [Value(w, label=f"w{i}") for i, w in enumerate([0.3, -0.7, 2.0])]
    y = sum((w * x for w, x in zip(ws, xs)), Value(0.0))
    y.backward()
    assert [w.grad for w in ws] == xs


def test_reused_value_accumulates():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    assert x.grad == 6.0
    # two contributions of 3, visible in the recorded steps
    assert [(s.child is x, s.added, s.total) for s in y.steps] == [(True, 3.0, 3.0), (True, 3.0, 6.0)]
    assert "x.grad += 3 * y.grad = 3  -> 6" in y.explain()
    y.backward()                        # a second pass starts from zero: same numbers
    assert x.grad == 6.0


def test_order_puts_a_reused_node_after_all_its_users():
    a = Value(2.0, label="a")
    b = a * 3
    b.label = "b"
    c = a + b
    c.label = "c"
    names = [n.label for n in c.order() if n.label]
    assert names[0] == "c"
    assert names.index("a") > names.index("b")


def test_numbers_on_either_side():
    x = Value(2.0)
    assert (1 - x).data == -1.0 and (x - 1).data == 1.0
    assert (3 / x).data == 1.5 and (x / 4).data == 0.5
    assert (2 ** x).data == 4.0 and (x ** 3).data == 8.0
    assert (np.float64(3) * x).data == 6.0
    assert (-x).data == -2.0


@pytest.mark.parametrize("op, f, df", [
    (lambda v: v.exp(), math.exp, math.exp),
    (lambda v: v.log(), math.log, lambda a: 1 / a),
    (lambda v: v.tanh(), math.tanh, lambda a: 1 - math.tanh(a) ** 2),
    (lambda v: v.sigmoid(), lambda a: 1 / (1 + math.exp(-a)),
     lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2),
    (lambda v: v.relu(), lambda a: max(a, 0.0), lambda a: float(a > 0)),
    (lambda v: 1 / v, lambda a: 1 / a, lambda a: -1 / a**2),
    (lambda v: v ** 2.5, lambda a: a**2.5, lambda a: 2.5 * a**1.5),
    (lambda v: 3 ** v, lambda a: 3**a, lambda a: 3**a * math.log(3)),
    (lambda v: v ** v, lambda a: a**a, lambda a: a**a * (math.log(a) + 1)),
])
@pytest.mark.parametrize("a", [0.7, 1.9])
def test_each_operation_against_central_differences(op, f, df, a):
    x = Value(a)
    y = op(x)
    y.backward()
    assert y.data == pytest.approx(f(a), rel=1e-12)
    h = 1e-6
    assert x.grad == pytest.approx((f(a + h) - f(a - h)) / (2 * h), rel=1e-6)
    assert x.grad == pytest.approx(df(a), rel=1e-12)


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001 ** 5000)


def test_bad_operands_name_the_operation_and_value():
    with pytest.raises(ValueError, match=r"Value.log: .*positive.*received x = 0.0"):
        Value(0.0, label="x").log()
    with pytest.raises(ValueError, match=r"received x = -2.0"):
        Value(-2.0, label="x").log()
    with pytest.raises(TypeError, match=r"Value \*: .*received 'a' of type str"):
        Value(1.0) * "a"
    with pytest.raises(TypeError, match=r"Value \+: .*received \[1\] of type list"):
        [1] + Value(1.0)
    with pytest.raises(TypeError, match=r"Value \(the data\): .*received None"):
        Value(None)
    with pytest.raises(ZeroDivisionError, match=r"Value /: division by zero"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match=r"negative base needs an integer exponent"):
        Value(-2.0) ** 0.5


def _value_grads(net, x, y):
    vnet = ValueMLP(net)
    out = vnet(x)
    loss = sum(((o - t) ** 2 for o, t in zip(out, y)), Value(0.0)) / len(y)
    loss.backward()
    return [o.data for o in out], loss.data, vnet.grads()


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu"])
def test_tiny_mlp_matches_the_engine(act):
    net = mlp([3, 4, 2], activation=act, output="sigmoid", seed=5, dtype="float64")
    x, y = np.array([0.5, -0.8, 0.3]), np.array([1.0, 0.0])
    out, loss_v, grads = _value_grads(net, x, y)
    pred = net.forward(x[None], training=True)
    mse = losses.get("mse")
    net.backward(mse.grad(pred, y[None]))
    np.testing.assert_allclose(out, pred[0], rtol=1e-12)
    assert loss_v == pytest.approx(float(mse.value(pred, y[None])), rel=1e-12)
    for name, _, g in net.named_parameters():
        np.testing.assert_allclose(grads[name], g, rtol=1e-9, atol=1e-15)


def test_tiny_mlp_matches_torch():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    net = mlp([2, 3, 1], activation="tanh", output="sigmoid", seed=2, dtype="float64")
    x, y = np.array([0.5, 0.8]), np.array([1.0])
    _, loss_v, grads = _value_grads(net, x, y)
    W1, b1 = (torch.tensor(net.layers[0].params[k], requires_grad=True) for k in ("W", "b"))
    W2, b2 = (torch.tensor(net.layers[2].params[k], requires_grad=True) for k in ("W", "b"))
    a = torch.sigmoid(torch.tanh(torch.tensor(x)[None] @ W1 + b1) @ W2 + b2)
    loss = ((a - torch.tensor(y)) ** 2).mean()
    loss.backward()
    assert loss_v == pytest.approx(loss.item(), rel=1e-12)
    for key, t in (("0.W", W1), ("0.b", b1), ("2.W", W2), ("2.b", b2)):
        np.testing.assert_allclose(grads[key], t.grad.numpy(), rtol=1e-10)


def test_value_mlp_refuses_what_it_cannot_rebuild():
    with pytest.raises(ValueError, match="layer 1 is"):
        ValueMLP(mlp([2, 2, 1], activation="elu"))
    with pytest.raises(ValueError, match="replicas"):
        ValueMLP(mlp([2, 2, 1], seed=[0, 1]))
    with pytest.raises(TypeError, match="Sequential"):
        ValueMLP("net")


def test_draw_shows_data_and_grad_of_every_node():
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")
    x = Value(3.0, label="x")
    y = x * x + 1
    y.label = "y"
    y.backward()
    fig = y.draw()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "data 3\ngrad 6" in texts          # x: reused, gradient accumulated
    assert "data 10\ngrad 1" in texts         # y
    assert "constant" in texts
    assert sum(t in ("*", "+") for t in texts) == 2
