"""Lesson D, part 1 (steps 1-14): the data, a linear model that cannot bend, the
neuron and its activations, one forward and one backward pass by hand, and the
2-10-5-1 network that learns the moons."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON
from . import _common as c

FINE = 300  # grid points per side of the boundary pictures: smooth contours


def trace_table(t, phases):
    """The rows of an :func:`mlplab.explain.trace` whose phase starts with one of ``phases``."""
    return [{"step": step, "quantity": name, "formula": formula, "value": value}
            for step, name, formula, value in t.rows(4) if step.split()[0] in phases]


def _grid(X):
    from ...nn.recorders import Grid

    return Grid.around(X, resolution=FINE)


def train_linear(X, y, weights, epochs=1000):
    """The lesson's logistic regression: ``sigmoid(X W + b)``, BCE, full-batch SGD lr 0.1."""
    from ... import fit

    model = c.network([2, 1], weights)
    history = fit(model, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=epochs)
    return model, history


def train_mlp(name, X, y, sizes, activation, weights=None, dtype="float64", epochs=2000):
    """One of the lesson's binary networks (sigmoid output, BCE, full-batch SGD lr 0.1)
    from the lesson's NumPy draw for ``name`` (or the given ``weights``)."""
    from ... import fit

    model = c.network(sizes, c.numpy_weights(name) if weights is None else weights, activation,
                      dtype=dtype)
    history = fit(model, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=epochs)
    return model, history


@LESSON.add("data", "Two datasets no straight line separates (step 1)")
def data(s: Settings) -> Outcome:
    """The lesson's moons and circles, drawn by scikit-learn with random_state 42."""
    from ... import viz
    from ...viz._style import new_figure

    (X, y), (Xc, yc) = c.moons(), c.circles()
    fig = new_figure(10, 4.2)
    axes = fig.subplots(1, 2)
    viz.dataset(X, y, title="moons: 300 points, noise 0.1", ax=axes[0])
    viz.dataset(Xc, yc, title="circles: 300 points, noise 0.1, factor 0.5", ax=axes[1])
    c.tidy(fig)
    return Outcome(
        numbers={"moons_points": len(X), "moons_per_class": np.bincount(y),
                 "circles_points": len(Xc), "circles_per_class": np.bincount(yc)},
        figures={"datasets": fig},
        text="Both datasets are scikit-learn's own draws for random_state 42 (mlplab's toy "
             "generators call make_moons / make_circles when asked for rng='legacy'), so every "
             "number below is computed on the lesson's very points.",
        code='from mlplab import data, viz\n'
             'X, y = data.moons(300, noise=0.1, seed=42, rng="legacy")\n'
             'Xc, yc = data.circles(300, noise=0.1, factor=0.5, seed=42, rng="legacy")\n'
             'viz.dataset(X, y)',
    )


@LESSON.add("linear", "Logistic regression on the moons (step 2)")
def linear(s: Settings) -> Outcome:
    """sigmoid(X W + b) trained with BCE, 1000 full-batch SGD steps at lr 0.1, from the
    lesson's start W = 0.01 randn(2, 1) after np.random.seed(42)."""
    from ... import viz

    X, y = c.moons()
    model, h = train_linear(X, y, c.linear_weights())
    acc = c.accuracy(model, X, y)
    W = model.dense_layers[0].params["W"][:, 0]
    b = float(model.dense_layers[0].params["b"][0, 0])
    fig = viz.decision_boundary(model, X, y, grid=_grid(X),
                                title=f"logistic regression: {c.pct(acc)} of the moons")
    return Outcome(
        numbers={"accuracy": acc, "final_loss": h.loss[-1], "W": W, "b": b},
        figures={"linear_boundary": fig},
        claims=[Claim("logistic regression classifies 86.67% of the moons", c.pct(acc),
                      round(100 * acc, 2) == 86.67),
                Claim("its boundary is a straight line, which cannot follow the moons",
                      f"the line {W[0]:.3f} x1 + {W[1]:.3f} x2 + {b:.3f} = 0", True)],
        text="A single sigmoid unit draws one straight line; no line separates two "
             "interleaved half circles, so about one point in seven stays on the wrong side.",
        code='import numpy as np, mlplab\nfrom mlplab import explain, viz\n'
             'lr = mlplab.mlp([2, 1], output="sigmoid", dtype="float64")\n'
             'explain.set_weights(lr, {"W1": np.random.RandomState(42).randn(2, 1) * 0.01, "b1": [0]})\n'
             'mlplab.fit(lr, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=1000)\n'
             'viz.decision_boundary(lr, X, y)',
    )


@LESSON.add("activations", "Activation functions, their slopes, and why ReLU (steps 4-6)")
def activation_functions(s: Settings) -> Outcome:
    """f and f' of ReLU, tanh, sigmoid and leaky ReLU; practice 2's values; and the
    gradient reaching the first layer of a deep sigmoid network against a ReLU one."""
    from ...explain import gradient_flow, gradient_flow_figure, ratio
    from ...nn import activations
    from ...viz import activation_functions as draw

    names = ["relu", "tanh", "sigmoid", "leaky_relu"]
    fig = draw(names, x_range=(-5, 5))
    values = {"relu(2)": float(activations.get("relu")(np.array([2.0]))[0]),
              "relu(-2)": float(activations.get("relu")(np.array([-2.0]))[0]),
              "tanh(1)": float(activations.get("tanh")(np.array([1.0]))[0]),
              "sigmoid(0)": float(activations.get("sigmoid")(np.array([0.0]))[0])}
    X, y = c.moons()
    flow = gradient_flow(("sigmoid", "tanh", "relu"), depth=6, width=10, X=X, y=y,
                         seeds=range(s.pick(10, 5)), loss="cross_entropy")
    r = ratio(flow)
    flow_fig = gradient_flow_figure(flow)
    return Outcome(
        numbers={"practice_2": values, "first_over_last": r},
        figures={"activations": fig, "gradient_flow": flow_fig},
        tables={"Practice 2": [{"expression": k, "value": round(v, 4)} for k, v in values.items()]},
        claims=[Claim("ReLU(2) = 2, ReLU(-2) = 0, tanh(1) = 0.7616, sigmoid(0) = 0.5",
                      ", ".join(f"{k} = {v:.4f}" for k, v in values.items()), True),
                Claim("ReLU does not saturate for positive inputs, so its gradient does not vanish "
                      "with depth as the sigmoid's does",
                      f"6 hidden layers of 10 on the moons, at initialisation: first-layer gradient / "
                      f"last-layer gradient = {r['sigmoid']:.1e} with sigmoid, {r['relu']:.2f} with ReLU",
                      bool(r["sigmoid"] < 0.01 < r["relu"]))],
        text="The sigmoid's slope is at most 1/4, so each sigmoid layer the error passes back "
             "through shrinks it at least fourfold: after six layers little is left for the first. "
             "ReLU passes the error on unchanged wherever the unit is active (and not at all where "
             "it is not: a unit that is never active is dead).",
        code='from mlplab import viz, explain\n'
             'viz.activation_functions(["relu", "tanh", "sigmoid", "leaky_relu"], x_range=(-5, 5))\n'
             'flow = explain.gradient_flow(("sigmoid", "tanh", "relu"), depth=6, width=10, X=X, y=y)\n'
             'explain.gradient_flow_figure(flow)',
    )


@LESSON.add("forward", "One forward pass by hand (steps 7-8, practice 3)")
def forward(s: Settings) -> Outcome:
    """The lesson's 2-3-1 example (weights 0.1 randn after np.random.seed(42), zero
    biases) on x = [1, 2], layer by layer; practice 3's ReLU layer."""
    from ... import mlp, viz
    from ...explain import set_weights, trace
    from ...viz._style import new_figure

    net = c.network([2, 3, 1], c.numpy_weights("forward"))
    t = trace(net, [1.0, 2.0], 1, loss="bce", lr=0.1)
    z1, a1, z2, out = t.layers[0].z[0], t.layers[0].a[0], t.layers[1].z[0, 0], t.output[0, 0]
    practice = set_weights(mlp([2, 2], activation="relu", output="relu", dtype="float64"),
                           {"W1": [[0.5, -0.5], [0.3, 0.7]], "b1": [0.1, -0.1]})
    p3 = practice.forward(np.array([[1.0, 2.0]]))[0]
    fig = new_figure(10, 3.8)
    axes = fig.subplots(1, 2)
    viz.network_graph(c.network([2, 1], c.linear_weights()), ax=axes[0], title="logistic regression: 2-1")
    viz.network_graph(c.network([2, 10, 5, 1], c.numpy_weights("moons")), ax=axes[1],
                      title="the lesson's MLP 2-10-5-1 (initial weights)")
    c.tidy(fig)
    return Outcome(
        numbers={"z1": z1, "a1": a1, "z2": z2, "y_hat": out, "practice_3": p3},
        figures={"architectures": fig},
        tables={"The forward pass of x = [1, 2] (explain.trace)":
                trace_table(t, ("input", "forward", "loss"))},
        claims=[Claim("the 2-3-1 network (seed 42) predicts 0.5138 for x = [1, 2]", f"{out:.4f}",
                      round(out, 4) == 0.5138),
                Claim("practice 3: ReLU(x W + b) for x = [1, 2], W = [[0.5, -0.5], [0.3, 0.7]], "
                      "b = [0.1, -0.1] is [1.2, 0.8]", f"[{p3[0]:.1f}, {p3[1]:.1f}]",
                      bool(np.allclose(p3, [1.2, 0.8])))],
        text=f"z1 = x W1 + b1 = [{', '.join(f'{v:.4f}' for v in z1)}], ReLU keeps the positive parts "
             f"a1 = [{', '.join(f'{v:.4f}' for v in a1)}], z2 = a1 W2 + b2 = {z2:.4f} and the sigmoid "
             f"gives {out:.4f}. The pictures show the two architectures of step 7. (Step 3's "
             f"analogy is words only: inputs are the dendrites, weights the synapses, the sum and "
             f"activation the cell body, the output the axon.)",
        code='import numpy as np, mlplab\nfrom mlplab import explain\n'
             'rs = np.random.RandomState(42)\n'
             'net = mlplab.mlp([2, 3, 1], output="sigmoid", dtype="float64")\n'
             'explain.set_weights(net, {"W1": rs.randn(2, 3) * 0.1, "b1": [0, 0, 0],\n'
             '                          "W2": rs.randn(3, 1) * 0.1, "b2": [0]})\n'
             'print(explain.trace(net, [1.0, 2.0], 1, loss="bce").text())',
    )


@LESSON.add("backprop", "The chain rule, checked (step 9, practice 4)")
def backprop(s: Settings) -> Outcome:
    """dL/dW1 of the 2-3-1 example from the lesson's product of local gradients,
    against mlplab's backward pass and against finite differences."""
    from ... import gradcheck
    from ...explain import trace

    net = c.network([2, 3, 1], c.numpy_weights("forward"))
    x, y = np.array([[1.0, 2.0]]), 1
    t = trace(net, x, y, loss="bce", lr=0.1)
    W2 = t.layers[1].W
    relu_slope = (t.layers[0].z > 0).astype(float)
    hand = x.T @ (relu_slope * ((t.output - y) @ W2.T))    # X . relu'(z1) . W2 . (y_hat - y)
    y_hat = float(t.output[0, 0])
    as_printed = hand * y_hat * (1 - y_hat)                 # step 6 keeps a factor y_hat (1 - y_hat)
    diff = float(np.abs(hand - t.layers[0].dW).max())
    ratio = float(np.abs(as_printed).sum() / np.abs(t.layers[0].dW).sum())
    X = c.moons()[0]
    check = gradcheck(c.network([2, 10, 5, 1], c.numpy_weights("moons")), X[:20])
    return Outcome(
        numbers={"dW1_engine": t.layers[0].dW, "dW1_hand": hand, "dW1_as_printed": as_printed,
                 "max_difference": diff, "printed_over_true": ratio,
                 "gradcheck_worst": check.worst, "gradcheck_ok": check.ok},
        claims=[Claim("step 6: dL/dW1 = X . sigma'(z1) . W2 . y_hat(1 - y_hat) . (y_hat - y)",
                      f"that product is {ratio:.4f} = y_hat (1 - y_hat) times the gradient mlplab "
                      f"computes (and finite differences confirm)", False,
                      "steps 1 and 2 multiply to (y_hat - y) / [y_hat (1 - y_hat)] . y_hat (1 - y_hat) "
                      "= y_hat - y: the factor y_hat (1 - y_hat) cancels and must not appear again. "
                      "The lesson's code does it right (dZ = y_hat - y)."),
                Claim("without that factor, X . relu'(z1) . W2 . (y_hat - y) is the gradient",
                      f"hand formula and mlplab's backward pass differ by {diff:.1e}", diff < 1e-12),
                Claim("backpropagation computes the true gradient",
                      f"mlplab's gradients against central differences on the 2-10-5-1 network: worst "
                      f"relative error {check.worst:.1e}", check.ok)],
        text="Each layer multiplies the error coming back by its own local slope: the sigmoid's "
             "y_hat (1 - y_hat) cancels against the BCE's 1 / [y_hat (1 - y_hat)], which is why the "
             "output error is simply y_hat - y (target y = 1 here).",
        tables={"The backward pass (explain.trace)": trace_table(t, ("backward",))},
        code='from mlplab import explain, gradcheck\n'
             't = explain.trace(net, [1.0, 2.0], 1, loss="bce")\n'
             't.layers[0].dW          # dL/dW1\n'
             'gradcheck(net, X).worst  # against finite differences',
    )


@LESSON.add("moons_mlp", "A 2-10-5-1 network learns the moons (steps 10-13)")
def moons_mlp(s: Settings) -> Outcome:
    """The lesson's MLP (ReLU, sigmoid output, He-scaled NumPy draw), 2000 full-batch
    SGD steps at lr 0.1 on the moons: curves and boundary."""
    from ... import viz

    X, y = c.moons()
    model, h = train_mlp("moons", X, y, [2, 10, 5, 1], "relu")
    loss, acc = float(h.loss[-1]), float(h["accuracy"][-1])
    curves = viz.training_curves(h, title="2-10-5-1 on the moons (lesson's start, SGD lr 0.1)")
    boundary = viz.decision_boundary(model, X, y, grid=_grid(X),
                                     title=f"2-10-5-1: {c.pct(c.accuracy(model, X, y))} of the moons")
    return Outcome(
        numbers={"final_loss": loss, "final_accuracy": acc, "epochs": len(h.loss)},
        figures={"moons_curves": curves, "moons_boundary": boundary},
        claims=[Claim("the from-scratch MLP ends at loss 0.0068 and 100% accuracy", f"loss {loss:.4f}, "
                      f"accuracy {c.pct(acc)}", round(loss, 4) == 0.0068 and acc == 1.0)],
        text="Started from the lesson's own initial weights (NumPy's stream after "
             "np.random.seed(42), replayed), mlplab's engine follows the lesson's NumPy network "
             "step for step: the same final loss to four digits.",
        code='import mlplab\nfrom mlplab import explain, viz\n'
             'net = mlplab.mlp([2, 10, 5, 1], output="sigmoid", dtype="float64")\n'
             'explain.set_weights(net, lesson_start)   # randn(fan_in, fan_out) * sqrt(2 / fan_in)\n'
             'h = mlplab.fit(net, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)\n'
             'viz.training_curves(h); viz.decision_boundary(net, X, y)',
    )


@LESSON.add("versus", "Linear against MLP on moons and circles (steps 14 and 17)")
def versus(s: Settings) -> Outcome:
    """Logistic regression and the lesson's MLPs (2-10-5-1 ReLU on moons, 2-20-10-1
    tanh on circles), each from the lesson's draw, in one 2x2 figure."""
    from ... import viz
    from ...viz._style import new_figure

    (X, y), (Xc, yc) = c.moons(), c.circles()
    runs = {
        ("moons", "linear"): train_linear(X, y, c.linear_weights())[0],
        ("moons", "mlp"): train_mlp("moons", X, y, [2, 10, 5, 1], "relu")[0],
        ("circles", "linear"): train_linear(Xc, yc, c.numpy_weights("circles_linear"))[0],
        ("circles", "mlp"): train_mlp("circles", Xc, yc, [2, 20, 10, 1], "tanh")[0],
    }
    data = {"moons": (X, y), "circles": (Xc, yc)}
    acc = {k: c.accuracy(m, *data[k[0]]) for k, m in runs.items()}
    fig = new_figure(10, 8.6)
    axes = fig.subplots(2, 2)
    names = {"linear": "logistic regression", "mlp": "MLP"}
    for i, ds in enumerate(("moons", "circles")):
        for j, kind in enumerate(("linear", "mlp")):
            Xd, yd = data[ds]
            viz.decision_boundary(runs[ds, kind], Xd, yd, grid=_grid(Xd), ax=axes[i, j],
                                  title=f"{ds}: {names[kind]} {c.pct(acc[ds, kind])}")
    c.tidy(fig)
    table = [{"dataset": ds, "logistic regression": c.pct(acc[ds, "linear"]), "MLP": c.pct(acc[ds, "mlp"])}
             for ds in ("moons", "circles")]
    return Outcome(
        numbers={f"{ds}_{kind}": v for (ds, kind), v in acc.items()},
        figures={"linear_vs_mlp": fig},
        tables={"Training accuracy (the lesson's table)": table},
        claims=[Claim("moons: logistic regression 86.67%, neural network 100%",
                      f"{c.pct(acc['moons', 'linear'])} / {c.pct(acc['moons', 'mlp'])}",
                      round(100 * acc["moons", "linear"], 2) == 86.67 and acc["moons", "mlp"] == 1.0),
                Claim("circles: the linear model 49.67%, the 2-20-10-1 tanh network 99.67%",
                      f"{c.pct(acc['circles', 'linear'])} / {c.pct(acc['circles', 'mlp'])}",
                      round(100 * acc["circles", "linear"], 2) == 49.67
                      and round(100 * acc["circles", "mlp"], 2) == 99.67)],
        text="On the circles the best straight line is no better than a coin: the linear model's "
             "probabilities stay near 0.5 everywhere. The 2-20-10-1 tanh network bends its boundary "
             "into a closed curve around the inner class.",
        code='from mlplab import viz\nfrom matplotlib.figure import Figure\n'
             'axes = Figure(figsize=(10, 8.6)).subplots(2, 2)\n'
             'viz.decision_boundary(linear, X, y, ax=axes[0, 0])\n'
             'viz.decision_boundary(net, X, y, ax=axes[0, 1])   # ... circles in the second row',
    )
