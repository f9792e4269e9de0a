"""Lesson D, part 2 (steps 15-23): the from-scratch network against PyTorch, the
multi-class network on Iris, and what frameworks add."""

from __future__ import annotations

from ..section import Claim, Outcome, Settings
from . import LESSON
from . import _common as c
from .basics import _grid, train_mlp

NO_TORCH = ("PyTorch is not installed here, so the side-by-side run (mlplab.verify) was skipped; "
            "the lesson's PyTorch numbers are still reproduced above from PyTorch's own initial "
            "weights, drawn without PyTorch. Install it with pip install 'mlplab[torch]'.")

#: the lesson's moons run as a verify/TrainConfig setting (full batch: 300 rows)
MOONS_RUN = dict(layers=(10, 5), n_samples=300, noise=0.1, data_rng="legacy", data_seed=c.SEED,
                 test_size=0, val_split=0, scale="none", batch_size=300, output="sigmoid", loss="bce",
                 optimizer="sgd", lr=0.1, epochs=2000, init="torch", rng="torch", seeds=(c.SEED,))
#: the lesson's Iris run (70/30 stratified split, standardised, full batch: 105 rows)
IRIS_RUN = dict(layers=(10, 8), test_size=0.3, val_split=0, batch_size=105, optimizer="sgd",
                lr=0.01, epochs=2000, init="torch", rng="torch", seeds=(c.SEED,))


def _legend_outside(fig):
    """Move the first panel's legend beside it, off the points it would hide."""
    fig.axes[0].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return c.tidy(fig)


def _exported(model, X):
    """Largest difference between ``model``'s outputs on ``X`` and those of its PyTorch
    copy (``model.to_torch()``), or None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    module = model.to_torch()
    with torch.no_grad():
        theirs = module(torch.from_numpy(X.astype(model.dtype))).numpy()
    return float(abs(model.forward(X) - theirs).max())


def _verify(dataset, s: Settings, **options):
    """``mlplab.verify`` on the lesson's setting, or None without PyTorch."""
    try:
        from ...interop.torch import _torch

        _torch()
    except ImportError:
        return None
    from ...lab.verify import verify

    s.say(f"mlplab against PyTorch on {dataset}")
    return verify(dataset, **options)


def _verify_claim(result, what):
    if result is None:
        return Claim(f"the from-scratch network trains as PyTorch's does ({what})",
                     "not measured: PyTorch is not installed", None)
    return Claim(f"the from-scratch network trains as PyTorch's does ({what})",
                 f"mlplab.verify: same start, same steps; largest loss difference over "
                 f"{len(result.loss['mlplab'])} epochs {result.max_difference:.1e} (tolerance "
                 f"{result.tolerance:g}, float32)"
                 + (f", same class on >= {result.min_agreement:.2%} of a 100x100 grid"
                    if result.agreement else ""),
                 result.agrees, "" if result.agrees else
                 next(line for line in result.text().splitlines() if line.startswith("DISAGREE")))


@LESSON.add("pytorch", "The same network in PyTorch (steps 15-16)")
def pytorch(s: Settings) -> Outcome:
    """The lesson's PyTorch model starts from torch.manual_seed(42)'s draws; mlplab
    trains from those very weights (drawn without PyTorch), and, when PyTorch is
    installed, mlplab.verify replays every step in PyTorch beside it."""
    from ... import fit, viz
    from ...viz._style import new_figure

    X, y = c.moons()
    scratch, h_scratch = train_mlp("moons", X, y, [2, 10, 5, 1], "relu")
    same = c.network([2, 10, 5, 1], c.torch_weights("moons"), dtype="float32")
    h_same = fit(same, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)
    result = _verify("moons", s, **MOONS_RUN)
    fig = new_figure(11, 8.4)
    axes = fig.subplots(2, 2)
    viz.training_curves([h_scratch, h_same], labels=["lesson's NumPy start", "PyTorch's start"],
                        ax=[axes[0, 0], axes[0, 1]])
    loss_s, loss_t = float(h_scratch.loss[-1]), float(h_same.loss[-1])
    acc_s, acc_t = float(h_scratch["accuracy"][-1]), float(h_same["accuracy"][-1])
    viz.decision_boundary(scratch, X, y, grid=_grid(X), ax=axes[1, 0],
                          title=f"from the NumPy start: loss {loss_s:.4f}, {c.pct(acc_s)}")
    viz.decision_boundary(same, X, y, grid=_grid(X), ax=axes[1, 1],
                          title=f"from PyTorch's start: loss {loss_t:.4f}, {c.pct(acc_t)}")
    c.tidy(fig)
    figures = {"scratch_vs_pytorch": fig}
    numbers = {"scratch_loss": loss_s, "scratch_accuracy": acc_s, "pytorch_start_loss": loss_t,
               "pytorch_start_accuracy": acc_t, "torch": result is not None}
    claims = []
    if result is not None:
        figures["verify_moons"] = result.figure()
        exported = _exported(scratch, X)
        numbers.update(verify_max_difference=result.max_difference, verify_agrees=result.agrees,
                       verify_torch_loss=float(result.loss["torch"][-1]),
                       verify_seconds=result.seconds, export_max_difference=exported)
        claims.append(Claim("(step 23: PyTorch is the way to production) the network trained here "
                            "moves to PyTorch as it is",
                            f"net.to_torch() gives the same probabilities on the 300 points to "
                            f"{exported:.1e}", exported < 1e-6))
    return Outcome(
        numbers=numbers,
        figures=figures,
        tables={"From scratch against PyTorch (the lesson's table)": [
            {"measure": "final loss", "NumPy start": f"{loss_s:.4f}", "PyTorch start": f"{loss_t:.4f}"},
            {"measure": "final accuracy", "NumPy start": c.pct(acc_s), "PyTorch start": c.pct(acc_t)}]},
        claims=[Claim("PyTorch's 2-10-5-1 ends at loss 0.0183 and 100% accuracy",
                      f"mlplab from PyTorch's initial weights: loss {loss_t:.4f}, {c.pct(acc_t)}",
                      round(loss_t, 4) == 0.0183 and acc_t == 1.0),
                Claim("both implementations reach similar performance (0.0068 against 0.0183)",
                      f"both 100%; the losses differ because the two runs start from different "
                      f"weights, not because the engines differ: from PyTorch's start mlplab ends "
                      f"at {loss_t:.4f} too", acc_s == acc_t == 1.0),
                _verify_claim(result, "moons, 2000 steps"), *claims],
        text="The lesson's two columns differ in where they start: its NumPy network draws He-scaled "
             "normals, its PyTorch network nn.Linear's uniform weights. Start mlplab from PyTorch's "
             "weights and it lands on PyTorch's loss; mlplab.verify then trains both engines side "
             "by side from one start and compares every epoch.",
        code='import mlplab\n'
             'net = mlplab.mlp([2, 10, 5, 1], output="sigmoid", init="torch", rng="torch", seed=42)\n'
             'r = mlplab.verify("moons", layers=(10, 5), n_samples=300, noise=0.1, data_rng="legacy",\n'
             '                  data_seed=42, test_size=0, val_split=0, scale="none", batch_size=300,\n'
             '                  output="sigmoid", loss="bce", optimizer="sgd", lr=0.1, epochs=2000,\n'
             '                  init="torch", rng="torch", seeds=(42,))\n'
             'print(r.text()); r.figure()\n'
             'module = net.to_torch()   # a torch.nn.Sequential with the trained weights',
        outside="" if result is not None else NO_TORCH,
    )


@LESSON.add("circles_pytorch", "Circles: linear, from scratch and PyTorch (step 17)")
def circles_pytorch(s: Settings) -> Outcome:
    """The 2-20-10-1 tanh network on the circles from the lesson's NumPy draw and from
    its PyTorch draw (the second model after torch.manual_seed(42))."""
    from ... import fit, viz
    from ...viz._style import new_figure

    Xc, yc = c.circles()
    scratch, h_s = train_mlp("circles", Xc, yc, [2, 20, 10, 1], "tanh")
    same = c.network([2, 20, 10, 1], c.torch_weights("circles"), "tanh", dtype="float32")
    h_t = fit(same, Xc, yc, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)
    acc_s, acc_t = c.accuracy(scratch, Xc, yc), c.accuracy(same, Xc, yc)
    fig = new_figure(10, 4.3)
    axes = fig.subplots(1, 2)
    viz.decision_boundary(scratch, Xc, yc, grid=_grid(Xc), ax=axes[0], title=f"NumPy start: {c.pct(acc_s)}")
    viz.decision_boundary(same, Xc, yc, grid=_grid(Xc), ax=axes[1], title=f"PyTorch's start: {c.pct(acc_t)}")
    c.tidy(fig)
    return Outcome(
        numbers={"scratch_accuracy": acc_s, "pytorch_start_accuracy": acc_t,
                 "scratch_loss": float(h_s.loss[-1]), "pytorch_start_loss": float(h_t.loss[-1])},
        figures={"circles_boundaries": fig},
        claims=[Claim("on the circles both networks reach 99.67%",
                      f"NumPy start {c.pct(acc_s)}, PyTorch's start {c.pct(acc_t)}",
                      round(100 * acc_s, 2) == round(100 * acc_t, 2) == 99.67)],
        text="One point of the 300 stays on the wrong side in both runs: the noise puts it "
             "across the gap between the rings.",
        code='net = mlplab.mlp([2, 20, 10, 1], activation="tanh", output="sigmoid")\n'
             'explain.set_weights(net, start)   # the lesson\'s NumPy or PyTorch draw\n'
             'mlplab.fit(net, Xc, yc, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)',
    )


@LESSON.add("iris", "A multi-class network on Iris (steps 18-19)")
def iris(s: Settings) -> Outcome:
    """4-10-8-3 ReLU, softmax + cross-entropy (on logits), full-batch SGD lr 0.01 for
    2000 epochs on the lesson's standardised 70/30 split; and the same over many seeds
    (each its own split and start) with lab.sweep."""
    from ... import fit, lab, viz
    from ...nn import metrics
    from ...viz.sweep import accuracy_distribution

    Xtr, Xte, ytr, yte = c.iris()
    net = c.network([4, 10, 8, 3], c.numpy_weights("iris"), output=None)
    h = fit(net, Xtr, ytr, loss="cross_entropy", optimizer="sgd", lr=0.01, epochs=2000)
    test = c.accuracy(net, Xte, yte)
    C = metrics.confusion_matrix(yte, net.forward(Xte).argmax(-1), 3)
    names = ["setosa", "versicolor", "virginica"]
    n_seeds = s.pick(20, 8)
    s.say(f"Iris over {n_seeds} seeds")
    sweep = lab.sweep("iris", seeds=range(n_seeds), success="test_accuracy > 0.9", layers=(10, 8),
                      optimizer="sgd", lr=0.01, epochs=2000, batch_size=None, test_size=0.3)
    row = sweep.summary()[0]
    return Outcome(
        numbers={"test_accuracy": test, "train_accuracy": float(h["accuracy"][-1]),
                 "final_loss": float(h.loss[-1]), "confusion": C,
                 "seeds": n_seeds, "seeds_above_90": row["successes"],
                 "rate_low": row["rate_low"], "rate_high": row["rate_high"],
                 "test_accuracy_median": row["test_accuracy_median"],
                 "test_accuracy_min": row["test_accuracy_min"],
                 "test_accuracy_max": row["test_accuracy_max"]},
        figures={"iris_confusion": viz.confusion_heatmap(C, classes=names,
                                                         title=f"Iris test set: {c.pct(test)}"),
                 "iris_seeds": _legend_outside(accuracy_distribution(sweep, metric="test_accuracy"))},
        claims=[Claim("the 4-10-8-3 network reaches 91.11% on the Iris test set", c.pct(test),
                      round(100 * test, 2) == 91.11),
                Claim("(not in the lesson) how typical is that split and start?",
                      f"{row['successes']}/{n_seeds} seeds above 90% test accuracy (95% interval "
                      f"{row['rate_low']:.0%}-{row['rate_high']:.0%}); test accuracy median "
                      f"{c.pct(row['test_accuracy_median'])}, range {c.pct(row['test_accuracy_min'])}"
                      f"-{c.pct(row['test_accuracy_max'])}", None)],
        text="The mistakes are all between versicolor and virginica, the two species whose "
             "measurements overlap; setosa is separated perfectly. The network's last layer gives "
             "logits: cross_entropy applies the softmax itself (a softmax output and cross_entropy "
             "would apply it twice; mlplab warns about that pairing).",
        code='import mlplab\nfrom mlplab import lab, viz\nfrom mlplab.nn import metrics\n'
             'net = mlplab.mlp([4, 10, 8, 3])   # logits; the lesson\'s start set with explain.set_weights\n'
             'mlplab.fit(net, Xtr, ytr, loss="cross_entropy", optimizer="sgd", lr=0.01, epochs=2000)\n'
             'viz.confusion_heatmap(metrics.confusion_matrix(yte, net.forward(Xte).argmax(-1), 3))\n'
             'lab.sweep("iris", seeds=range(20), success="test_accuracy > 0.9", layers=(10, 8),\n'
             '          optimizer="sgd", lr=0.01, epochs=2000, batch_size=None, test_size=0.3)',
    )


@LESSON.add("iris_pytorch", "Iris in PyTorch (step 20)")
def iris_pytorch(s: Settings) -> Outcome:
    """The lesson's PyTorch Iris model (the third after torch.manual_seed(42)) trained
    in mlplab from its own weights; and mlplab.verify on Iris when PyTorch is here."""
    from ... import fit, viz

    Xtr, Xte, ytr, yte = c.iris()
    scratch = c.network([4, 10, 8, 3], c.numpy_weights("iris"), output=None)
    h_s = fit(scratch, Xtr, ytr, loss="cross_entropy", optimizer="sgd", lr=0.01, epochs=2000)
    same = c.network([4, 10, 8, 3], c.torch_weights("iris"), output=None, dtype="float32")
    h_t = fit(same, Xtr, ytr, loss="cross_entropy", optimizer="sgd", lr=0.01, epochs=2000)
    acc_s, acc_t = c.accuracy(scratch, Xte, yte), c.accuracy(same, Xte, yte)
    result = _verify("iris", s, **IRIS_RUN)
    figures = {"iris_curves": viz.training_curves([h_s, h_t], labels=["NumPy start", "PyTorch's start"],
                                                  title="Iris: the lesson's two starts")}
    numbers = {"scratch_test_accuracy": acc_s, "pytorch_start_test_accuracy": acc_t,
               "torch": result is not None}
    if result is not None:
        figures["verify_iris"] = result.figure()
        numbers.update(verify_max_difference=result.max_difference, verify_agrees=result.agrees)
    return Outcome(
        numbers=numbers,
        figures=figures,
        claims=[Claim("from scratch and PyTorch both reach 91.11% on the Iris test set",
                      f"NumPy start {c.pct(acc_s)}, PyTorch's start {c.pct(acc_t)}",
                      round(100 * acc_s, 2) == round(100 * acc_t, 2) == 91.11),
                _verify_claim(result, "Iris, 2000 steps")],
        text="The two curves differ (different starts) yet end at the same test accuracy: 41 of "
             "the 45 test flowers.",
        code='r = mlplab.verify("iris", layers=(10, 8), test_size=0.3, val_split=0, batch_size=105,\n'
             '                  optimizer="sgd", lr=0.01, epochs=2000, init="torch", rng="torch",\n'
             '                  seeds=(42,))',
        outside="" if result is not None else NO_TORCH,
    )


@LESSON.add("frameworks", "Architectures, and what a framework adds (steps 21-23)")
def frameworks(s: Settings) -> Outcome:
    """The lesson's architecture list built and counted; what mlplab has of what it
    says PyTorch adds."""
    from ... import mlp

    archs = {"Shallow Network": [10, 1], "Medium Network": [64, 32, 1],
             "Deep Network": [128, 64, 32, 16, 1], "Wide & Shallow": [256, 1],
             "Narrow & Deep": [16, 16, 16, 16, 16, 1]}
    rows = [{"name": k, "layers (2 inputs)": "-".join(map(str, [2, *v])),
             "parameters": mlp([2, *v], seed=0).n_params} for k, v in archs.items()]
    have = [{"PyTorch adds (the lesson)": "automatic differentiation",
             "mlplab": "hand-written backward passes, checked by gradcheck; a scalar autograd "
                       "(mlplab.autograd) for teaching"},
            {"PyTorch adds (the lesson)": "GPU acceleration", "mlplab": "none: NumPy on the CPU"},
            {"PyTorch adds (the lesson)": "Adam, RMSprop", "mlplab": "sgd, momentum, nesterov, adam, "
                                                                     "adamw, rmsprop, adagrad"},
            {"PyTorch adds (the lesson)": "dropout, batch norm", "mlplab": "Dropout, BatchNorm"},
            {"PyTorch adds (the lesson)": "export to production",
             "mlplab": "net.to_torch(), state_dict, ONNX export (mlplab export)"},
            {"PyTorch adds (the lesson)": "CNN, RNN, Transformers, many GPUs", "mlplab": "none"}]
    summary = [{"model": m, "task": t, "in mlplab": how} for m, t, how in (
        ("linear regression", "regression", 'mlp([n, 1]) with loss="mse"'),
        ("logistic regression", "two classes", 'mlp([n, 1], output="sigmoid") with loss="bce"'),
        ("softmax regression", "several classes", 'mlp([n, k]) with loss="cross_entropy"'),
        ("neural network", "non-linear patterns", 'mlp([n, h1, h2, k], activation="relu")'),
        ("PyTorch network", "the same, in a framework", "net.to_torch(); mlplab.verify(...)"))]
    return Outcome(
        numbers={"parameters": {r["name"]: r["parameters"] for r in rows}},
        tables={"The lesson's architectures": rows, "What a framework adds": have,
                "The lesson's summary: one engine for every model": summary},
        claims=[Claim("a network with one hidden layer can approximate any continuous function "
                      "given enough units", "a theorem, not measured here (see lesson E's regions)", None)],
        text="Every architecture the lesson lists is one mlp(...) call; the table counts their "
             "weights and biases for two inputs.",
        code='import mlplab\nmlplab.mlp([2, 128, 64, 32, 16, 1]).n_params',
        outside="GPUs, convolutional, recurrent and attention layers and distributed training are "
                "outside mlplab; the nearest it has are its CPU engine, the PyTorch bridge "
                "(to_torch, state_dict) and ONNX export, so a trained network can move on.",
    )


@LESSON.add("sklearn", "Against scikit-learn's MLP (the lesson's item 9)")
def sklearn_mlp(s: Settings) -> Outcome:
    """mlplab's scikit-learn estimator and scikit-learn's own MLPClassifier, 5-fold
    cross-validated on the moons, same hidden layers, Adam, 500 epochs."""
    import warnings

    from sklearn.model_selection import cross_val_score
    from sklearn.neural_network import MLPClassifier as SkMLP

    from ...interop.sklearn import MLPClassifier

    X, y = c.moons()
    epochs = s.pick(500, 200)
    with warnings.catch_warnings():  # scikit-learn warns that a fixed epoch count is not convergence
        warnings.simplefilter("ignore")
        ours = cross_val_score(MLPClassifier((10, 5), learning_rate=0.01, epochs=epochs, batch_size=32,
                                             random_state=0), X, y, cv=5)
        theirs = cross_val_score(SkMLP((10, 5), learning_rate_init=0.01, max_iter=epochs, batch_size=32,
                                       random_state=0, tol=0, n_iter_no_change=epochs), X, y, cv=5)
    return Outcome(
        numbers={"mlplab_folds": ours, "sklearn_folds": theirs, "mlplab_mean": float(ours.mean()),
                 "sklearn_mean": float(theirs.mean()), "epochs": epochs},
        tables={"5-fold accuracy on the moons": [
            {"estimator": "mlplab.interop.sklearn.MLPClassifier", "mean": c.pct(ours.mean()),
             "folds": " ".join(f"{v:.2f}" for v in ours)},
            {"estimator": "sklearn.neural_network.MLPClassifier", "mean": c.pct(theirs.mean()),
             "folds": " ".join(f"{v:.2f}" for v in theirs)}]},
        claims=[Claim("(the lesson promises the comparison without numbers) mlplab's MLP against "
                      "scikit-learn's, same layers, Adam lr 0.01, batches of 32",
                      f"mean 5-fold accuracy {c.pct(ours.mean())} against {c.pct(theirs.mean())} after "
                      f"{epochs} epochs (scikit-learn adds its default L2 alpha 1e-4)", None)],
        text="mlplab's estimator follows scikit-learn's contract, so cross_val_score, Pipeline and "
             "GridSearchCV take it as they take scikit-learn's own. Each side trains from one start "
             "(random_state 0) per fold: a fold where one of them stops short is that start's luck, "
             "not the library's; lab.sweep measures such odds over many seeds.",
        code='from sklearn.model_selection import cross_val_score\n'
             'from mlplab.interop.sklearn import MLPClassifier\n'
             'clf = MLPClassifier((10, 5), learning_rate=0.01, epochs=500, batch_size=32)\n'
             'cross_val_score(clf, X, y, cv=5)',
    )
