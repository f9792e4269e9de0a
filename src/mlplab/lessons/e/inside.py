"""Lesson E, exercises 5 and 6: what each hidden layer makes of the data (projected to
2-D, and how linearly separable it is), and dead ReLUs against the initial weights."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import KERAS, accuracy, figure, lesson_data, spread

#: the lesson's Ex6 network (2 inputs, 4 classes) and its initialisations
DEAD_SIZES = [2, 256, 128, 64, 4]
INITS = {"zeros": "zeros", "N(0, 0.5)": ("normal", {"std": 0.5}), "he_normal": "he_normal",
         "glorot_uniform": "xavier_uniform"}


def lesson_order_network(seed: int = 0):
    """The lesson's Ex5 network in its own layer order, Dense -> ReLU -> BatchNorm, with
    Keras's batch-norm settings (momentum 0.99 = PyTorch's 0.01, eps 1e-3)."""
    from ...nn import BatchNorm, Dense, ReLU, Sequential

    rng = np.random.default_rng(seed)
    layers, sizes = [], [2, 128, 64, 32]
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [Dense(fan_in, fan_out, init=KERAS["init"], seed=rng), ReLU(),
                   BatchNorm(fan_out, momentum=0.01, eps=1e-3)]
    return Sequential([*layers, Dense(32, 4, init=KERAS["init"], seed=rng)])


def linear_probe(H_train, y_train, H_test, y_test, seed: int = 0) -> float:
    """Test accuracy of a linear softmax classifier trained on a representation: how
    linearly separable the classes are there."""
    from ... import fit, mlp

    mu, sd = H_train.mean(axis=0), H_train.std(axis=0) + 1e-8
    probe = mlp([H_train.shape[1], int(y_train.max()) + 1], seed=seed)
    fit(probe, (H_train - mu) / sd, y_train, loss="cross_entropy", lr=0.05, epochs=200)
    return float(accuracy(probe, (H_test - mu) / sd, y_test))


@LESSON.add("representations", "Ex5: the hidden representations, layer by layer")
def representations(s: Settings) -> Outcome:
    """The lesson's 128-64-32 network (ReLU then batch norm), 30 epochs on its data; each
    layer's outputs on the test points projected to 2-D, and a linear probe per layer."""
    from ... import fit, viz

    Xtr, Xte, ytr, yte = lesson_data("moons_circles")
    net = lesson_order_network(seed=0)
    fit(net, Xtr, ytr, loss="cross_entropy", optimizer="adam", lr=KERAS["lr"], epochs=30,
        batch_size=KERAS["batch_size"], validation_split=0.2, seed=0)
    test_acc = float(accuracy(net, Xte, yte))
    method = s.pick("tsne", "pca")
    fig = viz.hidden_representations(net, Xte, yte, method=method)
    s.say("linear probes")
    reps = list(zip([Xtr, *net.hidden_outputs(Xtr)], [Xte, *net.hidden_outputs(Xte)]))
    probes = [linear_probe(a, ytr, b, yte) for a, b in reps]
    names = ["input"] + [f"hidden layer {k}" for k in range(1, len(probes))]
    try:  # the lesson samples 500 of the 200 test points without replacement
        np.random.default_rng(0).choice(len(Xte), 500, replace=False)
        crash = ""
    except ValueError as exc:
        crash = str(exc)
    return Outcome(
        numbers={"test_accuracy": test_acc, "method": method, "n_test": len(Xte),
                 "linear_probe": dict(zip(names, probes))},
        figures={"layers": fig},
        tables={"linear probe: test accuracy of a linear classifier on each layer's outputs":
                [{"representation": n, "dims": a.shape[1], "probe accuracy": f"{p:.1%}"}
                 for n, (a, _), p in zip(names, reps, probes)]},
        claims=[
            Claim("the representations become increasingly separable at deeper layers",
                  " -> ".join(f"{p:.0%}" for p in probes) + " (linear probe, input to layer 3)",
                  probes[-1] > probes[0] + 0.05 and probes[-1] >= max(probes) - 0.02),
            Claim("the lesson's cell samples 500 test points", f"the test set has {len(Xte)} points: "
                  f"sampling 500 without replacement fails ({crash})", not crash,
                  "all 200 test points are used here instead"),
        ],
        text="The network is built layer by layer in the lesson's order (Dense, ReLU, then batch norm "
             "with Keras's momentum and eps), the same way Keras's Sequential lists layers. "
             f"It reaches {test_acc:.1%} test accuracy. Each panel shows one layer's outputs on the "
             f"test points, projected to 2-D by {method.upper()} (t-SNE in the full run, PCA in "
             "--quick, which is instant); mlplab shows each layer's ReLU outputs, the lesson the "
             "batch-normalised ones (a per-unit rescaling of the same thing).\n\n"
             "'More separable' is measured, not only seen: a linear classifier (a linear probe) "
             f"trained on the raw inputs gets {probes[0]:.0%}, on the first hidden layer's outputs "
             f"{probes[1]:.0%}, on the last {probes[-1]:.0%}: the network has bent the moons and "
             "rings into groups a straight line can cut, and most of the bending happens in the "
             "first layer on data this simple.",
        code="from mlplab.nn import Sequential, Dense, ReLU, BatchNorm\n"
             "net = Sequential([Dense(2, 128, init=\"xavier_uniform\"), ReLU(), "
             "BatchNorm(128, momentum=0.01, "
             "eps=1e-3),\n                  ...,  Dense(32, 4, init=\"xavier_uniform\")])\n"
             "mlplab.fit(net, X_train, y_train, loss=\"cross_entropy\", lr=1e-3, epochs=30, batch_size=32,\n"
             "           validation_split=0.2)\n"
             "mlplab.viz.hidden_representations(net, X_test, y_test, method=\"tsne\")\n"
             "net.hidden_outputs(X_test)          # Keras: one Model per intermediate layer",
    )


@LESSON.add("dead-relu", "Ex6: dead ReLUs against the initial weights")
def dead_relu(s: Settings) -> Outcome:
    """The lesson's 256-128-64 ReLU network from four initialisations (zeros, N(0, 0.5),
    He, Glorot), 20 epochs on its data, over several seeds: the units that output 0 for
    every training point of an epoch (``NeuronStats``), the lesson's weight-sign proxy,
    and the networks born with a whole dead layer (``explain.dead_at_init``)."""
    from ... import explain, fit, mlp, viz
    from ...nn import NeuronStats, initializers

    Xtr, Xte, ytr, yte = lesson_data("moons_circles")
    seeds = list(range(s.pick(5, 3)))
    widths = DEAD_SIZES[1:-1]
    n_born = s.pick(100, 20)
    histories, rows, dead_curves, numbers = {}, [], {}, {}
    for label, spec in INITS.items():
        s.say(label)
        init = initializers.get(spec[0], **spec[1]) if isinstance(spec, tuple) else spec
        net = mlp(DEAD_SIZES, init=init, seed=seeds)
        h = fit(net, Xtr, ytr, loss="cross_entropy", optimizer="adam", lr=KERAS["lr"], epochs=20,
                batch_size=KERAS["batch_size"], validation_split=0.2, callbacks=[NeuronStats()])
        alive = sum(np.asarray(h[f"alive.{k}"], dtype=float) for k in range(1, len(widths) + 1))
        dead = 100 * (1 - alive / sum(widths))                             # (epochs, seeds)
        # the lesson's proxy: units whose incoming weights are all <= 0, per seed
        proxy = 100 * sum((d.params["W"].max(axis=-2) <= 0).sum(axis=-1)
                          for d in net.dense_layers[:-1]) / sum(widths)
        born = explain.dead_at_init(DEAD_SIZES, init=init, seeds=range(n_born), X=Xtr)
        test = accuracy(net, Xte, yte)
        histories[label], dead_curves[label] = h, {"dead": dead}
        numbers[label] = {"dead_pct": dead[-1], "proxy_pct": proxy, "test_accuracy": test,
                          "born_dead": born.dead}
        rows.append({"init": label, "dead units, last epoch": spread(dead[-1] / 100),
                     "lesson's proxy (max weight <= 0)": spread(proxy / 100),
                     "networks born with a dead layer": f"{born.dead:.0%} of {n_born}",
                     "test accuracy": spread(test)})
    fig = figure(11.0, 4.0)
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.4, 1]})
    viz.training_curves(list(dead_curves.values()), labels=list(dead_curves), metrics=("dead",),
                        series=("train",), ax=ax1)
    ax1.get_legend().remove()
    ax1.legend(ax1.get_lines(), list(dead_curves), fontsize=8, loc="center right")
    ax1.set_ylabel("dead ReLU units (%)")
    ax1.set_title(f"dead units per epoch, median of {len(seeds)} seeds", fontsize=9)
    viz.dead_units(list(histories.values()), widths, labels=list(histories), ax=ax2,
                   title="at the last epoch (dots: seeds)")
    med = {k: float(np.median(v["dead_pct"])) for k, v in numbers.items()}
    acc = {k: float(np.median(v["test_accuracy"])) for k, v in numbers.items()}
    others = [k for k in INITS if k != "zeros"]
    return Outcome(
        numbers={"seeds": seeds, "born_dead_networks": n_born, "per_init": numbers,
                 "dead_median_pct": med, "test_median": acc},
        figures={"dead": fig},
        tables={"dead ReLU units by initialisation (median [min, max] over seeds)": rows},
        claims=[
            Claim("zeros initialisation causes massive neuron death", f"{med['zeros']:.0f}% dead, test "
                  f"accuracy {acc['zeros']:.0%} (chance: 25%)", med["zeros"] > 99),
            Claim("He initialisation (made for ReLU) is best",
                  ", ".join(f"{k} {med[k]:.1f}% dead / {acc[k]:.1%} test" for k in others), None,
                  "the three random initialisations end within a few points of each other here"),
            Claim("units whose incoming weights are all <= 0 are (likely) dead",
                  f"proxy {np.median(numbers['he_normal']['proxy_pct']):.1f}% against "
                  f"{med['he_normal']:.1f}% really dead (He)", None,
                  "a unit with only negative weights still fires when its bias or negative inputs "
                  "make it positive (the inputs are standardised, so half are negative); the lesson's "
                  "callback measures weight signs, not outputs"),
        ],
        text="A ReLU unit is dead when it outputs 0 for every training point: no gradient reaches its "
             "weights, so it stays dead. NeuronStats counts them during each epoch (Keras needs a "
             "hand-written Callback for this). With every weight 0, every unit of every layer "
             "outputs 0 and gets no gradient: the network never leaves its start and guesses. The "
             "random initialisations leave only a few units dead. The lesson counts units with no "
             "positive incoming weight instead, which is a different thing.\n\n"
             "explain.dead_at_init asks the same question before any training: how many freshly "
             "drawn networks already have a whole layer that is 0 on every training point "
             "(for layers this wide, none, except with zeros). mlplab's init applies to the output "
             "layer too; Keras's kernel_initializer in the lesson does not (its output layer stays "
             "Glorot).",
        code="from mlplab.nn import NeuronStats, initializers\n"
             "net = mlplab.mlp([2, 256, 128, 64, 4], init=initializers.get(\"normal\", std=0.5), "
             "seed=range(5))\n"
             "h = mlplab.fit(net, X_train, y_train, loss=\"cross_entropy\", lr=1e-3, epochs=20, "
             "batch_size=32,\n               validation_split=0.2, callbacks=[NeuronStats()])"
             "   # alive.1 ...\n"
             "mlplab.viz.dead_units([h_zeros, h_normal, h_he, h_glorot], [256, 128, 64])\n"
             "mlplab.explain.dead_at_init([2, 256, 128, 64, 4], init=\"zeros\", X=X_train)",
    )
