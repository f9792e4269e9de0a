import numpy as np
import pytest

from mlplab import explain


def test_lesson_e_sigmoid_vanishes_relu_does_not():
    flow = explain.gradient_flow(("sigmoid", "tanh", "relu", "leaky_relu"), depth=20, width=64, seeds=[0, 1, 2])
    assert all(v.shape == (21,) for v in flow.values())
    r = explain.ratio(flow)
    assert 1e-13 < r["sigmoid"] < 1e-9            # lesson E: about 1e-11
    for name in ("tanh", "relu", "leaky_relu"):
        assert 1e-2 < r[name] < 1e2
    # sigmoid's norm falls layer after layer, by at least its derivative's 1/4 on average
    s = np.log10(flow["sigmoid"])
    assert np.all(np.diff(s) > 0)


def test_gradient_flow_matches_the_engine_backward():
    from mlplab.data import get
    from mlplab.nn import losses, mlp
    X, y = get("moons_circles", seed=0)
    flow = explain.gradient_flow(("relu",), depth=3, width=8, seeds=[4])
    net = mlp([2, 8, 8, 8, int(y.max()) + 1], seed=4, dtype="float64")
    out = net.forward(X, training=True)
    net.backward(losses.get("cross_entropy").grad(out, y))
    np.testing.assert_allclose(flow["relu"], [np.linalg.norm(d.grads["W"]) for d in net.dense_layers])


def test_bad_depth():
    with pytest.raises(ValueError, match="depth must be a positive number of hidden layers; received depth=0"):
        explain.gradient_flow(depth=0)


def test_gradient_flow_figure():
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")
    flow = explain.gradient_flow(("sigmoid", "relu"), depth=5, width=16, seeds=[0])
    fig = explain.gradient_flow_figure(flow)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert [ln.get_label().split(":")[0] for ln in ax.lines] == ["sigmoid", "relu"]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), flow["sigmoid"])
