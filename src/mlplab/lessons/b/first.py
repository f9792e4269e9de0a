"""Lesson B, first half: the perceptron on the three gates, the activation functions
and their derivatives, gradients through deep stacks, and the 2-4-1 network that
learns XOR (Exercise 1)."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

GATES = ("and", "or", "xor")
#: the lesson's perceptron: lr 0.1, up to 100 epochs, small random start, w.x + b >= 0 fires
PERCEPTRON = dict(lr=0.1, max_epochs=100, init="small", rule=">=")


def _vector(v, digits=4) -> str:
    return "[" + ", ".join(f"{x:.{digits}f}" for x in np.ravel(v)) + "]"


@LESSON.add("perceptron", "The perceptron on AND, OR and XOR")
def perceptron(s: Settings) -> Outcome:
    """The lesson's three perceptrons drawn from one stream (np.random.seed(42), then
    AND, OR, XOR in turn), the classic zero start beside them, and XOR from many starts."""
    from ...data import logic_gate
    from ...lab.group import wilson
    from ...nn import Perceptron
    from ...viz import perceptron_figure
    from ...viz._style import new_figure

    stream = np.random.RandomState(42)   # the lesson's np.random.seed(42): AND, OR, XOR draw in turn
    fitted, numbers, rows = {}, {}, []
    for gate in GATES:
        X, y = logic_gate(gate)
        p = Perceptron(seed=stream, **PERCEPTRON).fit(X, y)
        zero = Perceptron(lr=0.1, max_epochs=100).fit(X, y)   # the textbook start: w = 0, '>'
        fitted[gate] = (p, X, y)
        margin = float(np.min(np.abs(p.decision_function(X))))
        numbers[gate] = {"converged": p.converged_, "epochs": p.n_iter_, "errors": p.errors_,
                         "start": p.initial_weights_, "weights": p.weights_, "bias": p.bias_,
                         "predictions": p.predict(X), "correct": int((p.predict(X) == y).sum()),
                         "smallest_distance_to_line": margin,
                         "zero_start": {"converged": zero.converged_, "epochs": zero.n_iter_,
                                        "weights": zero.weights_, "bias": zero.bias_,
                                        "points_on_line": int(np.sum(zero.decision_function(X) == 0))}}
        rows.append({"gate": gate.upper(), "converged": "yes" if p.converged_ else "no",
                     "epochs": p.n_iter_, "weights": _vector(p.weights_), "bias": f"{p.bias_:.4f}",
                     "right": f"{numbers[gate]['correct']}/4",
                     "zero start: epochs": zero.n_iter_})
    starts = s.pick(200, 50)
    X, y = logic_gate("xor")
    xor_runs = [Perceptron(seed=k, **PERCEPTRON).fit(X, y) for k in range(starts)]
    xor_ok = sum(r.converged_ for r in xor_runs)
    best = max(r.score(X, y) for r in xor_runs)
    low, high = wilson(xor_ok, starts)
    numbers["xor_starts"] = {"starts": starts, "converged": xor_ok, "rate_low": low, "rate_high": high,
                             "best_accuracy": best}

    fig = new_figure(10.4, 13.2)
    for sub, gate in zip(fig.subfigures(3, 1), GATES):
        p, Xg, yg = fitted[gate]
        perceptron_figure(p, Xg, yg, fig=sub,
                          title=f"{gate.upper()}: w = {_vector(p.weights_, 3)}, b = {p.bias_:.3f}")
    a, o, x = (numbers[g] for g in GATES)
    claims = [
        Claim("the perceptron learns AND", f"converged after {a['epochs']} epochs, {a['correct']}/4 right",
              a["converged"] and a["correct"] == 4),
        Claim("the perceptron learns OR", f"converged after {o['epochs']} epochs, {o['correct']}/4 right",
              o["converged"] and o["correct"] == 4),
        Claim("the perceptron cannot learn XOR (it is not linearly separable)",
              f"not converged in {x['epochs']} epochs, {x['correct']}/4 right; "
              f"{xor_ok}/{starts} random starts converge [{low:.0%}, {high:.0%}], the best gets "
              f"{best:.0%}", not x["converged"] and xor_ok == 0),
        Claim("AND and OR get clean lines between the classes",
              f"no point on the line: smallest |w.x + b| is {a['smallest_distance_to_line']:.3f} (AND), "
              f"{o['smallest_distance_to_line']:.3f} (OR)",
              min(a["smallest_distance_to_line"], o["smallest_distance_to_line"]) > 0,
              ),
    ]
    return Outcome(
        numbers=numbers, figures={"perceptron-gates": fig},
        tables={"the three gates (lesson's start; the zero start beside it)": rows},
        claims=claims,
        text=("A perceptron fires when w.x + b >= 0 and, after each mistake, moves its weights by "
              "lr (y - y_hat) x. AND and OR are split by one line, so the rule stops with no mistakes "
              "within a few epochs. XOR puts (0,0) and (1,1) on one side and (0,1), (1,0) on the "
              "other: no line does that, so the mistakes never reach zero, from any start.\n\n"
              "The three perceptrons draw their small random starts one after the other from "
              "seed 42, as the lesson's cells do. The zero start (the textbook one) also converges, "
              "but its AND and OR lines pass exactly through a data point "
              f"({a['zero_start']['points_on_line']} and {o['zero_start']['points_on_line']} points "
              "with w.x + b = 0)."),
        code=('from mlplab.nn import Perceptron\nfrom mlplab.data import logic_gate\n'
              'stream = np.random.RandomState(42)\n'
              'for gate in ("and", "or", "xor"):\n'
              '    X, y = logic_gate(gate)\n'
              '    p = Perceptron(lr=0.1, init="small", rule=">=", seed=stream).fit(X, y)\n'
              '    p.converged_, p.n_iter_, p.weights_, p.bias_\n'
              'viz.perceptron_figure(p, X, y)'),
    )


@LESSON.add("activations", "Activation functions and their derivatives")
def activation_functions(s: Settings) -> Outcome:
    """The values the lesson prints, its table's ranges, and f, f' on one figure each."""
    from ...nn import activations
    from ...viz import activation_functions as draw

    names = ("sigmoid", "relu", "tanh", "leaky_relu")
    values = {"sigmoid(0)": activations.get("sigmoid")(0.0), "relu(-1)": activations.get("relu")(-1.0),
              "relu(1)": activations.get("relu")(1.0), "tanh(0)": activations.get("tanh")(0.0),
              "leaky_relu(-1)": activations.get("leaky_relu")(-1.0)}
    values = {k: float(v) for k, v in values.items()}
    x = np.linspace(-5, 5, 1001)
    deriv, rows = {}, []
    for name in names:
        act = activations.get(name)
        f = np.asarray(act(x))
        d = np.asarray(act.derivative(x, f))
        deriv[name] = {"largest": float(d.max()), "at_5": float(d[-1]), "at_-5": float(d[0])}
        rows.append({"function": name, "f(-5)": f"{f[0]:.4f}", "f(5)": f"{f[-1]:.4f}",
                     "largest f'": f"{d.max():.4f}", "f'(5)": f"{d[-1]:.2e}", "f'(-5)": f"{d[0]:.2e}"})
    said = {"sigmoid(0)": 0.5, "relu(-1)": 0.0, "relu(1)": 1.0, "tanh(0)": 0.0, "leaky_relu(-1)": -0.01}
    shown = ", ".join(f"{k} = {v:.4f}" for k, v in values.items())
    sig, tanh = deriv["sigmoid"], deriv["tanh"]
    positive = x[x > 0]
    slope_one = bool(np.all(activations.get("relu").derivative(positive, positive) == 1))
    claims = [
        Claim("sigmoid(0) = 0.5, relu(-1) = 0, relu(1) = 1, tanh(0) = 0, leaky_relu(-1) = -0.01", shown,
              all(abs(values[k] - v) < 5e-5 for k, v in said.items())),
        Claim("sigmoid and tanh derivatives approach 0 for large |x|",
              f"sigmoid'(5) = {sig['at_5']:.2e}, tanh'(5) = {tanh['at_5']:.2e} "
              f"(largest: {sig['largest']:.2f} and {tanh['largest']:.2f})",
              sig["at_5"] < 0.01 and tanh["at_5"] < 0.001),
        Claim("ReLU's gradient is 1 for every positive input and does not saturate",
              f"relu'(x) = 1 at every x in (0, 5]: {slope_one}", slope_one),
    ]
    return Outcome(
        numbers={"values": values, "derivatives": deriv},
        figures={"activations": draw(list(names), x_range=(-5, 5), layout="lesson")},
        tables={"each function at the ends of [-5, 5], and its steepest slope": rows},
        claims=claims,
        text=("Without a nonlinearity, stacked layers collapse into one linear map. Sigmoid squeezes "
              "into (0, 1) and tanh into (-1, 1); both flatten out for large |x|, so their slopes "
              "there are almost zero, and sigmoid's slope is never above 0.25. ReLU keeps slope 1 "
              "for every positive input; leaky ReLU keeps a slope of 0.01 on the left as well."),
        code=('from mlplab.nn import activations\n'
              'activations.get("sigmoid")(0.0), activations.get("leaky_relu")(-1.0)\n'
              'viz.activation_functions(["sigmoid", "relu", "tanh", "leaky_relu"],\n'
              '                         x_range=(-5, 5), layout="lesson")'),
    )


@LESSON.add("vanishing", "Vanishing gradients in a deep stack")
def vanishing(s: Settings) -> Outcome:
    """``||dL/dW_k||`` per layer at initialisation in a 10-hidden-layer network."""
    from ...explain import gradient_flow, gradient_flow_figure, ratio

    depth = 10
    flow = gradient_flow(("sigmoid", "tanh", "relu"), depth=depth, width=64,
                         init="xavier_normal", seeds=range(s.pick(5, 3)))
    r = {k: float(v) for k, v in ratio(flow).items()}
    fig = gradient_flow_figure(flow)
    return Outcome(
        numbers={"depth": depth, "norms": {k: v for k, v in flow.items()}, "first_over_last": r},
        figures={"vanishing": fig},
        claims=[Claim("in deep networks sigmoid's small slopes multiply and the early layers barely "
                      "learn; ReLU avoids this",
                      f"gradient of layer 1 / gradient of layer {depth + 1}: sigmoid {r['sigmoid']:.1e}, "
                      f"tanh {r['tanh']:.1e}, relu {r['relu']:.1e}",
                      r["sigmoid"] < 1e-3 and r["relu"] > 100 * r["sigmoid"])],
        text=("The lesson states this in words; here it is measured. Each hidden layer multiplies the "
              "backward signal by its activation's slope (at most 0.25 for sigmoid). Over ten "
              "layers of 64 units (Xavier start, median over seeds) the first layer's gradient "
              "is orders of magnitude smaller than the last one's with sigmoid, and of similar size "
              "with ReLU."),
        code=('from mlplab.explain import gradient_flow, gradient_flow_figure, ratio\n'
              'flow = gradient_flow(("sigmoid", "tanh", "relu"), depth=10, width=64, init="xavier_normal")\n'
              'ratio(flow), gradient_flow_figure(flow)'),
    )


XOR_EPOCHS = 10_000


def lesson_xor_network():
    """Exercise 1's 2-4-1 sigmoid network with the lesson's start: ``np.random.seed(42)``,
    ``W1 = 0.5 randn(2, 4)``, ``W2 = 0.5 randn(4, 1)``, zero biases (float64)."""
    from ...explain import set_weights
    from ...nn import mlp

    draw = np.random.RandomState(42)
    net = mlp([2, 4, 1], activation="sigmoid", output="sigmoid", dtype="float64", seed=0)
    W1 = 0.5 * draw.randn(2, 4)
    W2 = 0.5 * draw.randn(4, 1)
    return set_weights(net, {"W1": W1, "b1": np.zeros(4), "W2": W2, "b2": np.zeros(1)})


@LESSON.add("xor", "Exercise 1: a 2-4-1 network learns XOR")
def xor_network(s: Settings) -> Outcome:
    """Full-batch SGD on the four XOR rows with MSE, as the lesson's solution; then the
    learning rate read two ways, and the CLI's run with the lesson's number."""
    from ...data import logic_gate
    from ...lab.train import TrainConfig, run_training
    from ...nn import fit
    from ...viz import decision_boundary, training_curves
    from ...viz._style import new_figure

    X, y = logic_gate("xor")
    X, Y = X.astype(np.float64), y.reshape(-1, 1).astype(np.float64)
    net = lesson_xor_network()
    # the lesson's update is W += 2.0 * a^T delta / m with delta = (y - a) s'(z): the gradient of
    # mean (y - a)^2 / 2; mlplab's mse gradient keeps the 2, so the same step is lr 1.0
    h = fit(net, X, Y, loss="mse", optimizer="sgd", lr=1.0, epochs=XOR_EPOCHS, batch_size=None,
            shuffle=False)
    loss = np.asarray(h["loss"], dtype=float)
    out = net.forward(X).ravel()
    every_1000 = loss[::1000]
    right = int(np.sum((out > 0.5) == (y == 1)))

    twice = lesson_xor_network()
    h2 = fit(twice, X, Y, loss="mse", optimizer="sgd", lr=2.0, epochs=XOR_EPOCHS, batch_size=None,
             shuffle=False)
    out2 = twice.forward(X).ravel()
    cli = run_training(TrainConfig(dataset="xor", layers=(4,), activation="sigmoid", loss="mse",
                                   optimizer="sgd", lr=2.0, epochs=s.pick(XOR_EPOCHS, 2000), batch_size=4,
                                   seeds=(0,)))
    cli_loss = np.asarray(cli.history["loss"], dtype=float).ravel()
    cli_acc = float(np.ravel(cli.figures["train"]["accuracy"])[0])

    curves = training_curves(h, metrics=("loss", "accuracy"), log_loss=True,
                             title="2-4-1 sigmoid network on XOR (MSE, full batch)")
    boundary = new_figure(4.6, 4.2)
    decision_boundary(net, X, y, ax=boundary.add_subplot(), title="after 10,000 epochs")
    rows = [{"input": str(X[i].astype(int).tolist()), "target": int(y[i]), "output": f"{out[i]:.4f}",
             "rounded": int(round(out[i]))} for i in range(4)]
    claims = [
        Claim("the 2-4-1 network learns XOR: every rounded prediction right", f"{right}/4 right, outputs "
              + " / ".join(f"{v:.3f}" for v in out), right == 4),
        Claim("the MSE falls from about 0.26 to about 0.0003 in 10,000 epochs",
              f"{loss[0]:.4f} at epoch 0, {every_1000[-1]:.5f} at epoch 9000, {loss[-1]:.5f} at the end",
              abs(loss[0] - 0.2557) < 5e-4 and every_1000[-1] < 5e-4),
        Claim("the lesson's lr 2.0 is mlplab's lr 1.0 (the lesson's update leaves out MSE's factor 2)",
              "mlplab lr 2.0 (the lesson's 4.0) also learns: outputs "
              + " / ".join(f"{v:.3f}" for v in out2) + f", final loss {float(np.ravel(h2['loss'])[-1]):.2e}",
              None),
        Claim("typing lr 2 into `mlplab train xor` (a 2-4-2 logit network, MSE on one-hot targets) works "
              "as in the lesson",
              f"the loss climbs from {cli_loss[0]:.2f} to {cli_loss[-1]:.1f}, accuracy {cli_acc:.0%}; "
              f"mlplab warns: {cli.history.warnings[0] if cli.history.warnings else 'no warning'}",
              False, "that network has linear outputs; the lesson's has one sigmoid output, and "
                     "lr 2.0 there means lr 1.0 here"),
    ]
    return Outcome(
        numbers={"loss_every_1000": every_1000, "final_loss": float(loss[-1]), "outputs": out,
                 "right": right, "lr2_outputs": out2, "lr2_final_loss": float(np.ravel(h2["loss"])[-1]),
                 "cli_lr2": {"first_loss": float(cli_loss[0]), "last_loss": float(cli_loss[-1]),
                             "accuracy": cli_acc, "warnings": list(cli.history.warnings)},
                 "n_params": net.n_params},
        figures={"xor-curves": curves, "xor-boundary": boundary},
        tables={"final predictions": rows,
                "MSE every 1000 epochs": [{"epoch": 1000 * i, "loss": f"{v:.6f}"}
                                          for i, v in enumerate(every_1000)]},
        claims=claims,
        text=("Four sigmoid hidden units each draw a soft line; the output unit combines them into "
              "the two-sided region XOR needs. The start is the lesson's own (seed 42, 0.5 x normal), "
              "so the losses match its printout digit for digit. In the playground, the presets "
              "b-xor-no-hidden and b-xor-2-hidden train on the same four points "
              "(`mlplab lesson b --playground` opens them)."),
        code=('net = mlp([2, 4, 1], activation="sigmoid", output="sigmoid", dtype="float64")\n'
              'set_weights(net, {"W1": 0.5 * rs.randn(2, 4), "W2": 0.5 * rs.randn(4, 1)})  # rs: seed 42\n'
              'h = fit(net, X, y, loss="mse", optimizer="sgd", lr=1.0, epochs=10_000,\n'
              '        batch_size=None, shuffle=False)\n'
              'viz.training_curves(h, log_loss=True); viz.decision_boundary(net, X, y)\n'
              '# the CLI with the lesson\'s number: mlplab train xor --layers 4 --activation sigmoid \\\n'
              '#     --loss mse --optimizer sgd --lr 2 --epochs 10000 --batch-size 4   (warns)'),
    )
