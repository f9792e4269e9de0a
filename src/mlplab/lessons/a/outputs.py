"""One output or two: a sigmoid unit with BCE against two logits with softmax and
cross-entropy, on the lesson's blobs; then logits as log-odds."""

from __future__ import annotations

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import blobs, claim

#: the lesson's window for the boundary: [-2, 2] x [-2, 2]
WINDOW = (-2.0, 2.0, -2.0, 2.0)


def _train_linear(n_outputs: int, s: Settings):
    """The lesson's linear classifier on its blobs: PyTorch's weights for seed 42, SGD at
    lr 1.0, 100 full-batch epochs; returns (net, history, recorder, X, y)."""
    import mlplab
    from mlplab.nn.recorders import BoundaryRecorder, Grid

    X, y = blobs()
    one = n_outputs == 1
    net = mlplab.mlp([2, n_outputs], output="sigmoid" if one else None, init="torch", rng="torch",
                     seed=42)
    recorder = BoundaryRecorder(Grid(*WINDOW, resolution=s.pick(100, 60)), every=s.pick(3, 5))
    history = mlplab.fit(net, X, y, loss="bce" if one else "cross_entropy", optimizer="sgd", lr=1.0,
                         epochs=100, batch_size=len(X), callbacks=[recorder])
    return net, history, recorder, X, y


def _animation(net, history, recorder, X, y, s: Settings):
    from mlplab import viz

    name = "2-1, sigmoid + BCE" if net.n_outputs == 1 else "2-2, softmax + cross-entropy"
    return viz.TrainingAnimation(recorder, history, X, y, classes=["red", "blue"],
                                 title=f"{name} ({net.n_params} parameters)",
                                 max_frames=s.pick(34, 12), size=(8.0, 3.5), dpi=s.pick(72, 56))


def _params(net) -> dict:
    return {name: list(p.shape) for name, p, _ in net.named_parameters()}


@LESSON.add("one-output", "One output: sigmoid and binary cross-entropy on two blobs")
def one_output(s: Settings) -> Outcome:
    """A 2-1 network (p = sigmoid(w . x + b)) learns the lesson's blobs."""
    net, history, recorder, X, y = _train_linear(1, s)
    accuracy = float(np.mean(net.predict(X) == y))
    loss = float(history["loss"][-1])
    return Outcome(
        numbers={"parameters": net.n_params, "shapes": _params(net), "final_loss": loss,
                 "accuracy": accuracy, "loss_curve": np.asarray(history["loss"])[::10]},
        figures={"boundary": _animation(net, history, recorder, X, y, s)},
        claims=[claim("2 inputs -> 1 output has 3 parameters (2 weights + 1 bias)",
                      f"{net.n_params}: W {tuple(net.dense_layers[0].params['W'].shape)}, "
                      f"b {tuple(net.dense_layers[0].params['b'].shape)[-1:]}", net.n_params == 3),
                claim("the boundary settles between the blobs (shown in the lesson's animation)",
                      f"loss {loss:.4f} after 100 epochs, {100 * accuracy:.1f}% of the 200 points "
                      f"right (PyTorch on the same data and weights: 0.0985, 97.5%)", accuracy > 0.95)],
        text="The lesson's first model is logistic regression: one weighted sum of the two inputs, "
             "squashed by a sigmoid into P(blue), trained with binary cross-entropy. Its boundary "
             "(P = 0.5) is a straight line, which is all two round blobs need.\n\n"
             "Data and starting weights are the lesson's own: np.random.seed(42) for the points, and "
             "PyTorch's nn.Linear draws for seed 42 (rng='torch'), so the loss matches PyTorch's "
             "to four decimals. mlplab stores W as (inputs, outputs), the transpose of PyTorch's "
             "weight [1, 2].",
        code='import mlplab\n'
             'from mlplab.nn.recorders import BoundaryRecorder, Grid\n'
             'net = mlplab.mlp([2, 1], output="sigmoid", init="torch", rng="torch", seed=42)\n'
             'rec = BoundaryRecorder(Grid(-2, 2, -2, 2, resolution=100), every=3)\n'
             'h = mlplab.fit(net, X, y, loss="bce", optimizer="sgd", lr=1.0, epochs=100,\n'
             '               batch_size=200, callbacks=[rec])\n'
             'mlplab.viz.TrainingAnimation(rec, h, X, y).save("one-output.gif")',
        outside="The lesson opens with a video and a matplotlib FuncAnimation of a sine wave: neither "
                "is a network, so neither is here. mlplab's animations are of training runs "
                "(viz.TrainingAnimation above; viz.FrameAnimation for any sequence of frames).",
    )


@LESSON.add("two-outputs", "Two outputs: softmax and cross-entropy, and the comparison")
def two_outputs(s: Settings) -> Outcome:
    """A 2-2 network (two logits, softmax inside the loss) on the same blobs, beside the
    2-1 network: parameters, decision rule, loss."""
    net, history, recorder, X, y = _train_linear(2, s)
    one, one_history, *_ = _train_linear(1, s)
    accuracy = float(np.mean(net.predict(X) == y))
    loss = float(history["loss"][-1])
    rows = [{"": "architecture", "1 output": "2 -> 1", "2 outputs": "2 -> 2"},
            {"": "output", "1 output": "sigmoid: P(blue)", "2 outputs": "softmax: [P(red), P(blue)]"},
            {"": "loss", "1 output": "bce", "2 outputs": "cross_entropy (on logits)"},
            {"": "parameters", "1 output": str(one.n_params), "2 outputs": str(net.n_params)},
            {"": "decision", "1 output": "P(blue) > 0.5", "2 outputs": "argmax of the two logits"},
            {"": "final loss", "1 output": f"{float(one_history['loss'][-1]):.4f}",
             "2 outputs": f"{loss:.4f}"},
            {"": "accuracy", "1 output": f"{100 * float(np.mean(one.predict(X) == y)):.1f}%",
             "2 outputs": f"{100 * accuracy:.1f}%"}]
    return Outcome(
        numbers={"parameters": net.n_params, "shapes": _params(net), "final_loss": loss,
                 "accuracy": accuracy, "parameters_one_output": one.n_params},
        figures={"boundary": _animation(net, history, recorder, X, y, s)},
        tables={"1 output against 2 outputs (measured)": rows},
        claims=[claim("2 inputs -> 2 outputs has 6 parameters (4 weights + 2 biases)",
                      str(net.n_params), net.n_params == 6),
                claim("both models separate the blobs; the 2-output one scales to more classes",
                      f"the same accuracy ({100 * accuracy:.1f}%); loss {loss:.4f} (PyTorch: 0.0864)",
                      accuracy > 0.95)],
        text="Two outputs give each class its own logit; softmax turns them into probabilities "
             "that sum to one, and the cross-entropy loss takes the logits directly (the softmax "
             "is fused into it, as in PyTorch's CrossEntropyLoss). The boundary is where the two "
             "logits are equal, again a straight line: twice the parameters, the same decisions.",
        code='net = mlplab.mlp([2, 2], init="torch", rng="torch", seed=42)   # logits out\n'
             'h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=1.0,\n'
             '               epochs=100, batch_size=200, callbacks=[rec])\n'
             'net.n_params, net.predict(X)    # 6, argmax of the logits',
    )


@LESSON.add("logit", "Logits are log-odds")
def logit(s: Settings) -> Outcome:
    """logit(p) = log(p / (1 - p)) and its inverse, the sigmoid, on the lesson's values."""
    from mlplab import viz
    from mlplab.nn import activations

    sigmoid = activations.get("sigmoid")
    p = np.array([0.5, 0.73, 0.95, 0.01])
    odds = p / (1 - p)
    z = np.log(odds)
    back = sigmoid(z)
    said_z = [0.0, 1.0, 2.9, -4.6]
    said_odds = [1.0, 2.7, 19.0, 0.01]
    zs = np.array([-3.0, 0.0, 3.0])
    probs = sigmoid(zs)
    fig = viz.activation_functions(["sigmoid"])
    ax = fig.axes[0]
    ax.plot(z, back, "o", color="#d62728", zorder=5, label="the lesson's table")
    for pi, zi in zip(p, z):
        ax.annotate(f"p {pi:g}\nz {zi:.2f}", (zi, pi), xytext=(6, -14), textcoords="offset points",
                    fontsize=6.5)
    ax.legend(fontsize=7, loc="upper left")
    rows = [{"probability": f"{a:g}", "odds p/(1-p)": f"{b:.3g}", "logit": f"{c:.3f}",
             "sigmoid(logit)": f"{d:.3f}"} for a, b, c, d in zip(p, odds, z, back)]
    return Outcome(
        numbers={"p": p, "odds": odds, "logit": z, "sigmoid_of_logit": back,
                 "sigmoid_at": {f"{a:g}": float(b) for a, b in zip(zs, probs)}},
        figures={"sigmoid": fig},
        tables={"probability, odds and logit": rows},
        claims=[claim("logits 0 / ~1.0 / ~2.9 / -4.6 for p = 0.5 / 0.73 / 0.95 / 0.01",
                      " / ".join(f"{v:.2f}" for v in z), bool(np.allclose(z, said_z, atol=0.05))),
                claim("odds 1 / ~2.7 / 19 / 0.01", " / ".join(f"{v:.3g}" for v in odds),
                      bool(np.allclose(odds, said_odds, rtol=0.03, atol=0.001))),
                claim("sigmoid(-3, 0, 3) = 0.05 / 0.50 / 0.95", " / ".join(f"{v:.3f}" for v in probs),
                      bool(np.allclose(probs, [0.05, 0.5, 0.95], atol=0.005))),
                claim("the sigmoid undoes the logit", f"largest |sigmoid(logit(p)) - p| = "
                      f"{np.abs(back - p).max():.1e}", bool(np.allclose(back, p)))],
        text="A logit is what a network outputs before the sigmoid or softmax: any real number. "
             "For one output it is the log of the odds p / (1 - p), and the sigmoid maps it back "
             "to a probability. mlplab has the sigmoid as an activation; the logit is one line "
             "of NumPy.",
        code='import numpy as np\n'
             'from mlplab.nn import activations\n'
             'p = np.array([0.5, 0.73, 0.95, 0.01])\n'
             'z = np.log(p / (1 - p))                # logit = log-odds\n'
             'activations.get("sigmoid")(z)          # back to p',
    )
