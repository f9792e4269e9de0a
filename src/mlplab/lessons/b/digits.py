"""Lesson B, last part: MNIST with a 784-128-64-10 network (Adam 1e-3, batch 64,
cross-entropy, 5 epochs), then Exercise 2 (hidden sizes) and Exercise 3 (activations)
as sweeps over seeds.

Full mode is the lesson's protocol: all 60,000 training images, the 10,000 test
images, 5 epochs. Quick mode trains on the first 5,000 training images for 2 epochs
and tests on the first 1,000 test images (the sweeps: the same 6,000 images split at
random per seed, 1,000 held out).
"""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

QUICK_TRAIN, QUICK_TEST, QUICK_EPOCHS, EPOCHS = 5000, 1000, 2, 5
#: the lesson's optimiser settings, and PyTorch's default start drawn from seed 42 (the
#: lesson calls torch.manual_seed(42) before each network of its exercises)
OPTIONS = dict(optimizer="adam", lr=1e-3, batch_size=64, init="torch", rng="torch")
SIZES = (32, 64, 128, 256)
ACTIVATIONS = ("sigmoid", "relu", "tanh")
#: the sweeps' success rule: the lesson's "more than 95% accuracy", on the test images
SUCCESS = "test_accuracy > 0.95"


@lru_cache(maxsize=1)
def _mnist():
    from ...data import load_mnist

    X_train, y_train = load_mnist("train")
    X_test, y_test = load_mnist("test")
    return X_train, y_train, X_test, y_test


def _data(s: Settings):
    X_train, y_train, X_test, y_test = _mnist()
    if s.quick:
        return X_train[:QUICK_TRAIN], y_train[:QUICK_TRAIN], X_test[:QUICK_TEST], y_test[:QUICK_TEST]
    return X_train, y_train, X_test, y_test


def _protocol(s: Settings) -> str:
    return (f"quick mode: the first {QUICK_TRAIN:,} training images, {QUICK_EPOCHS} epochs, the first "
            f"{QUICK_TEST:,} test images" if s.quick else
            f"the lesson's protocol: 60,000 training images, {EPOCHS} epochs, 10,000 test images")


def _sweep(s: Settings, vary: dict, **fixed):
    """``lab.sweep`` on MNIST (full) or on the quick subset given as arrays."""
    from ... import lab

    seeds = s.pick((42, 43, 44), (42, 43))
    if s.quick:
        X_train, y_train, X_test, y_test = _data(s)
        data = (np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test]))
        fixed.update(test_size=QUICK_TEST / (QUICK_TRAIN + QUICK_TEST), scale="none")
    else:
        data = "mnist"
    return lab.sweep(data, vary=vary, seeds=seeds, epochs=s.pick(EPOCHS, QUICK_EPOCHS), val_split=0,
                     success=SUCCESS, **OPTIONS, **fixed)


def _two_panels(result):
    """Training loss per setting (median band over seeds) beside every run's test accuracy."""
    from matplotlib.ticker import MaxNLocator

    from ...viz._style import new_figure
    from ...viz.sweep import accuracy_distribution, sweep_curves

    fig = new_figure(11.0, 4.2)
    left, right = fig.subfigures(1, 2)
    sweep_curves(result, metrics=("loss",), fig=left,
                 title="training loss (median over seeds; k/N: runs above 95% test accuracy)")
    for ax in left.axes:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    accuracy_distribution(result, metric="test_accuracy", fig=right,
                          title="test accuracy of every run (dashed: 95%)")
    return fig


def _pct(v) -> str:
    return f"{100 * v:.2f}%"


@LESSON.add("mnist-data", "MNIST: the images and their normalisation")
def mnist_data(s: Settings) -> Outcome:
    """Shapes, the normalisation (mean 0.1307, std 0.3081) and the first 16 images."""
    from ...viz import image_grid

    X_train, y_train, X_test, y_test = _mnist()
    first = [int(v) for v in y_train[:16]]
    return Outcome(
        numbers={"train_shape": list(X_train.shape), "test_shape": list(X_test.shape),
                 "mean": float(X_train.mean()), "std": float(X_train.std()), "first_labels": first},
        figures={"mnist-samples": image_grid(X_train, y_train, n=16, title="the first 16 training images")},
        claims=[Claim("60,000 training and 10,000 test images of 28 x 28 = 784 pixels",
                      f"{X_train.shape} and {X_test.shape}", X_train.shape == (60000, 784)
                      and X_test.shape == (10000, 784)),
                Claim("normalising with mean 0.1307 and std 0.3081 centres the pixels",
                      f"training pixels after it: mean {X_train.mean():.4f}, std {X_train.std():.4f}",
                      abs(float(X_train.mean())) < 1e-3 and abs(float(X_train.std()) - 1) < 1e-3)],
        text=("Each image is 784 numbers; subtracting the pixels' mean and dividing by their standard "
              "deviation (both measured on the training set) gives inputs around 0 with spread 1. "
              "The first 16 labels are the ones torchvision shows: " + " ".join(map(str, first)) + "."),
        code=('from mlplab.data import load_mnist\n'
              'X_train, y_train = load_mnist("train")     # (60000, 784), normalised\n'
              'X_test, y_test = load_mnist("test")\n'
              'viz.image_grid(X_train, y_train, n=16)'),
    )


@LESSON.add("mnist", "MNIST with a 784-128-64-10 network")
def mnist(s: Settings) -> Outcome:
    """The lesson's network and training, with the test accuracy after every epoch."""
    from ...nn import fit, mlp
    from ...viz import TestCurve, prediction_grid, training_curves

    X_train, y_train, X_test, y_test = _data(s)
    net = mlp([784, 128, 64, 10], activation="relu", init="torch", rng="torch", seed=42)
    params = int(net.n_params)
    epochs = s.pick(EPOCHS, QUICK_EPOCHS)
    s.say(f"MNIST 784-128-64-10, {epochs} epochs")
    start = time.perf_counter()
    h = fit(net, X_train, y_train, loss="cross_entropy", optimizer="adam", lr=1e-3, epochs=epochs,
            batch_size=64, seed=42, callbacks=[TestCurve(X_test, y_test)])
    seconds = time.perf_counter() - start
    loss = [float(v) for v in np.ravel(h["loss"])]
    test = [float(v) for v in np.ravel(h["test_accuracy"])]
    first = X_test[:16]
    batch = min(1000, len(X_test))
    batch_right = int((net.predict(X_test[:batch]) == y_test[:batch]).sum())
    curves = training_curves(h, metrics=("loss", "accuracy"), series=("train", "test"),
                             title="784-128-64-10 on MNIST: " + _protocol(s))
    grid = prediction_grid(net, first, y_test[:16], n=16, order="first", layout=(2, 8),
                           title="the first 16 test images (green right, red wrong)")
    rows = [{"epoch": e + 1, "training loss": f"{l_:.4f}", "test accuracy": _pct(a)}
            for e, (l_, a) in enumerate(zip(loss, test))]
    final = test[-1]
    claims = [Claim("the classifier has 109,386 parameters", f"{params:,}", params == 109_386),
              _reproducible(X_train[:2000], y_train[:2000])]
    if s.quick:
        claims.append(Claim("a 784-128-64-10 MLP classifies handwritten digits with more than 95% accuracy",
                            f"{_pct(final)} in quick mode (5,000 images, 2 epochs); run the full lesson "
                            "to judge the claim", None))
    else:
        claims.append(Claim("a 784-128-64-10 MLP classifies handwritten digits with more than 95% accuracy",
                            f"test accuracy after 5 epochs: {_pct(final)} (epoch by epoch: "
                            + " / ".join(f"{100 * a:.2f}" for a in test) + ")", final > 0.95))
    return Outcome(
        numbers={"n_params": params, "epochs": epochs, "n_train": len(X_train), "n_test": len(X_test),
                 "loss": loss, "test_accuracy": test, "final_test_accuracy": final,
                 "batch_right": batch_right, "batch": batch, "seconds_per_epoch": seconds / epochs},
        figures={"mnist-curves": curves, "mnist-predictions": grid},
        tables={"per epoch (" + _protocol(s) + ")": rows},
        claims=claims,
        text=(f"{_protocol(s).capitalize()}. Adam with lr 0.001, batches of 64, cross-entropy on the "
              "10 logits, and PyTorch's default start drawn from seed 42. The test set is only "
              f"measured, after every epoch ({seconds / epochs:.1f} s per epoch with the test pass). "
              f"On the first {batch:,} test images "
              f"{batch_right}/{batch} are right ({100 * batch_right / batch:.1f}%). Accuracies differ "
              "by a few tenths of a percent from seed to seed and from PyTorch's run (other shuffles), "
              "so read them as bands: the next two sections show the spread over seeds."),
        code=('net = mlp([784, 128, 64, 10], activation="relu", init="torch", rng="torch", seed=42)\n'
              'h = fit(net, X_train, y_train, loss="cross_entropy", optimizer="adam", lr=1e-3,\n'
              '        epochs=5, batch_size=64, callbacks=[viz.TestCurve(X_test, y_test)])\n'
              'viz.training_curves(h, series=("train", "test"))\n'
              'viz.prediction_grid(net, X_test[:16], y_test[:16], order="first", layout=(2, 8))\n'
              '# shell: mlplab train mnist --layers 128,64 --epochs 5 --val-split 0'),
    )


def _reproducible(X, y) -> Claim:
    """The lesson seeds NumPy and PyTorch for reproducibility: in mlplab ``mlp(seed=)``
    fixes the start and ``fit(seed=)`` the order of the batches; one epoch on a few
    images, twice with both seeds, and once with the shuffle left unseeded."""
    from ...nn import fit, mlp

    def final(shuffle_seed):
        net = mlp([784, 128, 64, 10], init="torch", rng="torch", seed=42)
        fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=1e-3, epochs=1, batch_size=64,
            seed=shuffle_seed)
        return net.dense_layers[0].params["W"].copy()

    a, b, free = final(42), final(42), final(None)
    same, differs = bool(np.array_equal(a, b)), not np.array_equal(a, free)
    return Claim("seeding the random generators makes a run reproducible",
                 f"two runs with mlp(seed=42) and fit(seed=42): {'identical' if same else 'different'} "
                 f"weights; with fit(seed=None) the batches come in another order and the weights "
                 f"{'differ' if differs else 'do not differ'}", same)


def _bands(result, key: str):
    """``{setting label: (median, min, max)}`` of a run figure over the seeds."""
    out = {}
    for row in result.summary():
        out[row["setting"]] = (row[f"{key}_median"], row[f"{key}_min"], row[f"{key}_max"])
    return out


@LESSON.add("hidden-sizes", "Exercise 2: hidden sizes 32, 64, 128, 256")
def hidden_sizes(s: Settings) -> Outcome:
    """784-n-n/2-10 for the lesson's four sizes, every size with the same seeds."""
    from ...lab.group import wilson
    from ...nn import mlp

    s.say("sweep over hidden sizes")
    result = _sweep(s, {"layers": [(n, n // 2) for n in SIZES]}, activation="relu")
    acc = _bands(result, "test_accuracy")
    rows, med = [], []
    for i, n in enumerate(SIZES):
        formula = 784 * n + n + n * (n // 2) + n // 2 + (n // 2) * 10 + 10
        counted = int(mlp([784, n, n // 2, 10], seed=0).n_params)
        m, lo, hi = acc[i]
        med.append(m)
        rows.append({"hidden": f"{n}-{n // 2}", "parameters": f"{counted:,}",
                     "lesson's formula": f"{formula:,}",
                     "test accuracy (median)": _pct(m), "range over seeds": f"{_pct(lo)} - {_pct(hi)}"})
    seeds = result.spec.seeds
    runs = {(r["layers"][0], r["seed"]): r["test_accuracy"] for r in result.runs}
    bigger = sum(runs[(256, k)] > runs[(32, k)] for k in seeds)
    gains = [med[i + 1] - med[i] for i in range(3)]
    low, high = wilson(bigger, len(seeds))
    fig = _two_panels(result)
    claims = [
        Claim("parameter counts follow 784n + n + n(n/2) + n/2 + 10(n/2) + 10",
              ", ".join(r["parameters"] for r in rows),
              all(r["parameters"] == r["lesson's formula"] for r in rows)),
        Claim("larger hidden layers generally reach higher accuracy",
              f"256-128 beats 32-16 for {bigger}/{len(seeds)} seeds [{low:.0%}, {high:.0%}]; medians "
              + " / ".join(_pct(m) for m in med), bigger == len(seeds)),
        Claim("the improvement diminishes: doubling the size does not double the accuracy",
              "median gain per doubling: " + ", ".join(f"{100 * g:+.2f} pp" for g in gains),
              gains[-1] < gains[0]),
    ]
    return Outcome(
        numbers={"sizes": list(SIZES), "seeds": list(seeds), "test_accuracy": {str(n): acc[i] for i, n in
                                                                               enumerate(SIZES)},
                 "params": [int(r["parameters"].replace(",", "")) for r in rows], "gains": gains},
        figures={"hidden-sizes": fig},
        tables={"hidden sizes (" + _protocol(s) + f", seeds {', '.join(map(str, seeds))})": rows},
        claims=claims,
        text=("Each size trains with the same seeds (seed 42 is the lesson's start), so the spread "
              "shows how much of a difference is the seed. Going from 32 to 64 units helps clearly; "
              "past 128 the gain is within the seed-to-seed spread."),
        code=('result = lab.sweep("mnist", vary={"layers": ["32x16", "64x32", "128x64", "256x128"]},\n'
              '                   seeds=[42, 43, 44], epochs=5, optimizer="adam", lr=1e-3,\n'
              '                   batch_size=64, init="torch", rng="torch", val_split=0)\n'
              'result.table(); viz.sweep_curves(result, metrics=("loss",))'),
    )


@LESSON.add("activations-mnist", "Exercise 3: sigmoid, ReLU and tanh on MNIST")
def activations_mnist(s: Settings) -> Outcome:
    """784-128-64-10 with each activation, same seeds; the lesson's four claims judged
    seed by seed with Wilson intervals."""
    from ...lab.group import wilson

    s.say("sweep over activations")
    result = _sweep(s, {"activation": list(ACTIVATIONS)}, layers=(128, 64))
    seeds = result.spec.seeds
    acc, first, last = {}, {}, {}
    for i, r in enumerate(result.runs):
        key = (r["activation"], r["seed"])
        loss = np.ravel(result.history(i)["loss"])
        acc[key], first[key], last[key] = r["test_accuracy"], float(loss[0]), float(loss[-1])
    n = len(seeds)

    def count(better):
        k = sum(better(seed) for seed in seeds)
        low, high = wilson(k, n)
        return k, f"{k}/{n} seeds [{low:.0%}, {high:.0%}]"

    fastest = count(lambda k: first[("relu", k)] < min(first[("sigmoid", k)], first[("tanh", k)]))
    best = count(lambda k: acc[("relu", k)] > max(acc[("sigmoid", k)], acc[("tanh", k)]))
    slowest = count(lambda k: first[("sigmoid", k)] > max(first[("relu", k)], first[("tanh", k)]))
    tanh_acc = count(lambda k: acc[("tanh", k)] > acc[("sigmoid", k)])
    tanh_loss = count(lambda k: last[("tanh", k)] < last[("sigmoid", k)])
    rows = []
    for a in ACTIVATIONS:
        accs = [acc[(a, k)] for k in seeds]
        rows.append({"activation": a, "test accuracy (median)": _pct(np.median(accs)),
                     "range": f"{_pct(min(accs))} - {_pct(max(accs))}",
                     "final training loss (median)": f"{np.median([last[(a, k)] for k in seeds]):.4f}",
                     "epoch-1 loss (median)": f"{np.median([first[(a, k)] for k in seeds]):.4f}"})
    fig = _two_panels(result)

    def verdict(k):  # every seed agrees: judged; the seeds split: shown, not judged
        return True if k == n else False if k == 0 else None

    claims = [
        Claim("ReLU converges fastest", f"lowest epoch-1 loss for {fastest[1]}", verdict(fastest[0])),
        Claim("ReLU reaches the highest accuracy", f"best test accuracy for {best[1]}", verdict(best[0])),
        Claim("sigmoid is slowest (vanishing gradients)", f"highest epoch-1 loss for {slowest[1]}",
              verdict(slowest[0])),
        Claim("tanh is better than sigmoid", f"higher test accuracy for {tanh_acc[1]}; lower final training "
              f"loss for {tanh_loss[1]}", verdict(tanh_acc[0]) if tanh_acc[0] == tanh_loss[0] else None),
    ]
    return Outcome(
        numbers={"seeds": list(seeds), "test_accuracy": {f"{a}/{k}": v for (a, k), v in acc.items()},
                 "first_epoch_loss": {f"{a}/{k}": v for (a, k), v in first.items()},
                 "final_loss": {f"{a}/{k}": v for (a, k), v in last.items()},
                 "counts": {"relu_fastest": fastest[0], "relu_best": best[0],
                            "sigmoid_slowest": slowest[0], "tanh_beats_sigmoid_accuracy": tanh_acc[0],
                            "tanh_beats_sigmoid_loss": tanh_loss[0], "n": n}},
        figures={"activations-mnist": fig},
        tables={"activations (" + _protocol(s) + f", seeds {', '.join(map(str, seeds))})": rows},
        claims=claims,
        text=("The lesson trains each activation once and reads the ranking off one run. Here every "
              "activation trains with the same seeds, and each claim is counted seed by seed: a "
              "claim that holds for every seed is marked as holding, one that fails for every seed "
              "as failing, and a split result is shown for comparison, with its interval. "
              "Sigmoid's first epoch is clearly the slowest; the differences in final accuracy are a "
              "few tenths of a percent, the size of the seed-to-seed spread."),
        code=('result = lab.sweep("mnist", vary={"activation": ["sigmoid", "relu", "tanh"]},\n'
              '                   layers=(128, 64), seeds=[42, 43, 44], epochs=5, optimizer="adam",\n'
              '                   lr=1e-3, batch_size=64, init="torch", rng="torch", val_split=0)\n'
              'result.table(); result.history(0)["loss"]'),
    )
