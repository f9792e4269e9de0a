"""Lesson E, practice exercises: ten-layer networks per activation (and their gradients
during training), a home-made activation, a depth x learning-rate grid, and MNIST;
then what the lesson points to beyond mlplab."""

from __future__ import annotations

import numpy as np

from ...nn.activations import Activation
from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import KERAS, MOONS_CIRCLES, accuracy, lesson_data, spread


@LESSON.add("ten-layers", "Practice 1 and 3: ten-layer networks per activation, gradients while training")
def ten_layers(s: Settings) -> Outcome:
    """10 hidden layers of 64 with sigmoid, tanh, ReLU and SELU on the moons + circles (one
    ``lab.sweep``), and the per-layer gradient norms while a sigmoid and a ReLU network of
    that depth train (``GradientStats``)."""
    from ... import fit, lab, mlp, viz
    from ...nn import GradientStats

    seeds = range(s.pick(5, 2))
    epochs = s.pick(30, 10)
    acts = ["sigmoid", "tanh", "relu", "selu"]
    result = lab.sweep("moons_circles", vary={"activation": acts}, seeds=seeds, layers=(64,) * 10,
                       epochs=epochs, success="test_accuracy > 0.9", **MOONS_CIRCLES)
    test = {r["activation"]: [x["test_accuracy"] for x in result.runs if x["setting"] == r["setting"]]
            for r in result.summary()}
    Xtr, _, ytr, _ = lesson_data("moons_circles")
    grads, ratio = {}, {}
    for act in ("sigmoid", "relu"):
        net = mlp([2, *(64,) * 10, 4], activation=act, init=KERAS["init"], seed=0)
        grads[act] = fit(net, Xtr, ytr, loss="cross_entropy", lr=KERAS["lr"], epochs=epochs,
                         batch_size=KERAS["batch_size"], callbacks=[GradientStats()])
        g = grads[act]
        ratio[act] = [float(g["grad_norm.1"][e] / g["grad_norm.11"][e]) for e in (0, -1)]
    fig = viz.gradient_norms(grads["sigmoid"], title="10 sigmoid layers: ||dL/dW|| per layer and epoch")
    return Outcome(
        numbers={"seeds": list(seeds), "epochs": epochs,
                 "test_median": {a: float(np.median(v)) for a, v in test.items()},
                 "first_over_last_gradient": ratio},
        figures={"sigmoid-gradients": fig},
        tables={f"10 x 64, {epochs} epochs: test accuracy, median [min, max]":
                [{"activation": a, "test": spread(v)} for a, v in test.items()]},
        claims=[Claim("sigmoid networks this deep fail to train; ReLU-like ones do",
                      ", ".join(f"{a} {np.median(v):.0%}" for a, v in test.items()),
                      np.median(test["sigmoid"]) < 0.6 < min(np.median(test[a]) for a in ("relu", "selu")))],
        text="Ten sigmoid layers do not learn in this budget: the first layer's gradient is "
             f"{ratio['sigmoid'][0]:.0e} of the last one's at the first epoch (ReLU: "
             f"{ratio['relu'][0]:.2f}), so the early layers barely move and the network predicts "
             "about one class per region it cannot refine. GradientStats records each Dense "
             "layer's gradient norm every epoch (Practice 3); viz.gradient_norms draws them.",
        code="result = lab.sweep(\"moons_circles\", vary={\"activation\": [\"sigmoid\", \"tanh\", \"relu\", "
             "\"selu\"]},\n                   layers=(64,) * 10, epochs=30, seeds=range(5), ...)\n"
             "h = mlplab.fit(net, X, y, ..., callbacks=[mlplab.nn.GradientStats()])   # grad_norm.1 ...\n"
             "mlplab.viz.gradient_norms(h)",
    )


class XTanhSqrt(Activation):
    """The lesson's home-made activation f(x) = x tanh(sqrt(x)); with ``guard`` the square
    root is taken of max(x, 0), so f(x) = 0 for x <= 0 (the original is NaN there).
    f'(x) = tanh(r) + r (1 - tanh(r)^2) / 2 with r = sqrt(x), for x > 0."""

    name = "x_tanh_sqrt"

    def __init__(self, guard: bool = False):
        self.guard = bool(guard)

    def _root(self, x):
        with np.errstate(invalid="ignore"):
            return np.sqrt(np.maximum(x, 0) if self.guard else x)

    def _f(self, x):
        return x * np.tanh(self._root(x))

    def _df(self, x, y=None):
        r = self._root(x)
        t = np.tanh(r)
        return t + r * (1 - t * t) / 2

    def _options(self):
        return {"guard": self.guard}


@LESSON.add("custom-activation", "Practice 2: a home-made activation, x tanh(sqrt(x))")
def custom_activation(s: Settings) -> Outcome:
    """The lesson's suggestion as an :class:`~mlplab.nn.activations.Activation` subclass (its
    derivative beside it, checked by ``gradcheck``), trained on the spirals (noise 0.05):
    as written it is NaN for negative inputs, and mlplab stops and says so."""
    from ... import fit, gradcheck, mlp
    from ...nn import Activation as ActivationLayer
    from ...nn.training import DivergenceError

    x = np.linspace(-3.0, 3.0, 8).reshape(2, 4)  # no 0 among them: the kink of max(x, 0)
    check = gradcheck(ActivationLayer(XTanhSqrt(guard=True)), x)
    Xtr, Xte, ytr, yte = lesson_data("spirals", noise=0.05)
    seeds = list(range(s.pick(5, 2)))
    train = dict(loss="cross_entropy", lr=KERAS["lr"], epochs=s.pick(50, 20), batch_size=32)
    try:
        fit(mlp([2, 100, 100, 100, 3], activation=XTanhSqrt(), init=KERAS["init"], seed=seeds), Xtr, ytr,
            **train)
        message = ""
    except DivergenceError as exc:
        message = str(exc).split(". Every")[0]
    results = {}
    for label, act in (("x tanh(sqrt(max(x, 0)))", XTanhSqrt(guard=True)), ("relu", "relu")):
        net = mlp([2, 100, 100, 100, 3], activation=act, init=KERAS["init"], seed=seeds)
        fit(net, Xtr, ytr, **train)
        results[label] = accuracy(net, Xte, yte)
    return Outcome(
        numbers={"gradcheck_worst_error": check.worst, "gradcheck_ok": check.ok,
                 "nan_message": message, "test_accuracy": results},
        tables={"3 x 100 on the spirals (noise 0.05), test accuracy": [
            {"activation": k, "test": spread(v)} for k, v in results.items()]},
        claims=[Claim("x tanh(sqrt(x)) can be used as an activation", "NaN for every negative input: "
                      + (message or "training did not stop"), not message,
                      "sqrt of a negative number is NaN, and half the pre-activations are negative; "
                      "guarded with max(x, 0) it trains: test "
                      f"{spread(results['x tanh(sqrt(max(x, 0)))'])} against ReLU's "
                      f"{spread(results['relu'])}")],
        text="An activation in mlplab is a small class: the function and its derivative side by side. "
             "gradcheck compares the derivative with finite differences. The lesson's x tanh(sqrt(x)) "
             "is undefined for x < 0, so the first batch already produces NaN; mlplab stops at once "
             "and names the epoch and the batch. Taking the root of max(x, 0) makes it a smooth "
             "cousin of ReLU.",
        code="from mlplab.nn.activations import Activation\n"
             "class XTanhSqrt(Activation):\n"
             "    name = \"x_tanh_sqrt\"\n"
             "    def _f(self, x): return x * np.tanh(np.sqrt(np.maximum(x, 0)))\n"
             "    def _df(self, x, y=None):\n"
             "        r = np.sqrt(np.maximum(x, 0)); t = np.tanh(r); return t + r * (1 - t * t) / 2\n"
             "mlplab.gradcheck(mlplab.nn.Activation(XTanhSqrt()), np.linspace(-3, 3, 8).reshape(2, 4))\n"
             "net = mlplab.mlp([2, 100, 100, 100, 3], activation=XTanhSqrt())",
    )


@LESSON.add("grid", "Practice 4: depth x learning rate, one grid")
def grid(s: Settings) -> Outcome:
    """One ``lab.sweep`` over depth (1, 2, 4, 8 hidden layers of 64) and learning rate on the
    moons + circles, drawn as a heatmap of how many seeds reach 90% test accuracy."""
    from ... import lab
    from ...viz import sweep as vs

    seeds = range(s.pick(5, 2))
    depths = (1, 2, 4, 8)
    vary = {"layers": [(64,) * d for d in depths], "lr": [1e-3, 1e-2, 1e-1]}
    result = lab.sweep("moons_circles", vary=vary,
                       seeds=seeds, epochs=s.pick(30, 10), success="test_accuracy > 0.9", **MOONS_CIRCLES)
    fig = vs.success_heatmap(result)
    rows = [{"hidden layers": len(r["layers"]), "lr": r["lr"], "reach 90% test": f"{r['successes']}/{r['n']}",
             "test (median)": f"{r['test_accuracy_median']:.1%}"} for r in result.summary()]
    best = max(result.summary(), key=lambda r: r["test_accuracy_median"])
    return Outcome(
        numbers={"seeds": list(seeds), "best": {"layers": len(best["layers"]), "lr": best["lr"],
                                                "test_median": best["test_accuracy_median"]}},
        figures={"heatmap": fig},
        tables={"depth x learning rate (batch 32)": rows},
        text="One sweep replaces the nested loops: every (depth, learning rate) pair trains over several "
             "seeds, settings of one depth as one replicated model, and the heatmap shows k/N with its "
             "interval. The batch size can be a third key (vary={..., \"batch_size\": [16, 32, 64]}).",
        code="result = lab.sweep(\"moons_circles\", vary={\"layers\": \"64,64x64,64x64x64x64\", \"lr\": "
             "[1e-3, 1e-2, 1e-1]},\n"
             "                   seeds=range(5), epochs=30, success=\"test_accuracy > 0.9\", ...)\n"
             "mlplab.viz.sweep.success_heatmap(result)",
    )


@LESSON.add("mnist", "Practice 5: MNIST, deeper and deeper")
def mnist(s: Settings) -> Outcome:
    """A 2-layer and a 10-layer (with batch norm) network on MNIST (a subset in --quick), and
    what the lesson leaves to other tools: CIFAR-10, residual and dense connections,
    attention, architecture search, pruning and quantisation."""
    from ... import fit, mlp
    from ...data import catalog
    from ...data.files import DataNotFoundError

    try:
        ds, missing = catalog.load("mnist"), ""
    except DataNotFoundError as exc:  # offline without the files: scikit-learn's 8x8 digits
        ds, missing = catalog.load("digits", seed=0), str(exc).splitlines()[0]
    n_train, n_test = s.pick(30000, 10000), s.pick(10000, 2000)
    Xtr, ytr = ds.scaler.transform(ds.X_train[:n_train]), ds.y_train[:n_train]
    Xte, yte = ds.scaler.transform(ds.X_test[:n_test]), ds.y_test[:n_test]
    epochs = s.pick(5, 3)
    f = ds.n_features
    nets = {"2 layers (128, 64)": mlp([f, 128, 64, 10], seed=0),
            "10 layers of 128 + batch norm": mlp([f, *(128,) * 10, 10], batchnorm=True, seed=0)}
    test = {}
    for label, net in nets.items():
        s.say(label)
        fit(net, Xtr, ytr, loss="cross_entropy", lr=3e-3, epochs=epochs, batch_size=128)
        test[label] = float(accuracy(net, Xte, yte))
    return Outcome(
        numbers={"dataset": ds.name, "n_train": len(Xtr), "n_test": len(Xte), "epochs": epochs,
                 "test_accuracy": test, **({"mnist_missing": missing} if missing else {})},
        tables={f"{ds.name} test accuracy ({len(Xtr):,} training images, {epochs} epochs)":
                [{"network": k, "params": nets[k].n_params, "test": f"{v:.2%}"}
                                        for k, v in test.items()]},
        text="MNIST ships with mlplab's data; ten layers of 128 train well with batch norm. The rest of "
             "the lesson's 'real dataset challenge' and its advanced topics need things mlplab does "
             "not have.",
        code="ds = mlplab.data.catalog.load(\"mnist\")\n"
             "net = mlplab.mlp([784] + [128] * 10 + [10], batchnorm=True)\n"
             "mlplab.fit(net, ds.scaler.transform(ds.X_train), ds.y_train, loss=\"cross_entropy\", lr=3e-3,\n"
             "           epochs=5, batch_size=128)",
        outside=(f"The MNIST files were not found ({missing}); scikit-learn's 8x8 digits stand in. "
                 "Set MLPLAB_DATA to a folder holding them. " if missing else "") +
                "CIFAR-10 (colour images) is not among mlplab's datasets, and an MLP is the only "
                "architecture: no convolutions, residual (ResNet) or dense (DenseNet) connections, "
                "attention, architecture search, pruning or quantisation. Nearest thing shown: MNIST "
                "with a 10-layer MLP and batch norm, the deepest plain stack that trains well here. "
                "The lesson's plotly pictures are matplotlib figures, its Keras callbacks are mlplab "
                "callbacks (EarlyStopping, NeuronStats, GradientStats), model.summary() is "
                "Sequential.summary(), count_params() is n_params.",
    )
