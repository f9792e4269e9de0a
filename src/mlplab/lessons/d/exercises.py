"""Lesson D, part 3: the practice exercises (5-10) run as sweeps over seeds.

Every sweep trains on the lesson's moons (the same 300 points for every seed) with
30% of them held out for testing; each seed has its own split and start. Success is
mlplab's shared rule (``train_accuracy > 0.95``); rates come with Wilson 95% intervals.
"""

from __future__ import annotations

from ..section import Claim, Outcome, Settings
from . import LESSON
from . import _common as c

#: the lesson's moons protocol as sweep options (full-batch SGD, sigmoid output and BCE)
PROTOCOL = dict(n_samples=300, noise=0.1, data_rng="legacy", data_seed=c.SEED, test_size=0.3,
                scale="none", output="sigmoid", loss="bce", optimizer="sgd", lr=0.1, epochs=2000,
                batch_size=None, layers=(10, 5))


def _sweep(s: Settings, vary, **options):
    from ... import lab

    seeds = range(s.pick(20, 8))
    s.say(f"sweep over {', '.join(vary)}: {len(seeds)} seeds")
    fixed = {k: v for k, v in {**PROTOCOL, **options}.items() if k not in vary}
    return lab.sweep("moons", vary=vary, seeds=seeds, **fixed)


def _rows(result, key):
    """One table row per setting: rate with interval and the median figures."""
    from ...viz.sweep import value_text

    out = []
    for r in result.summary():
        out.append({key: value_text(key, r[key]), "runs > 95% train": f"{r['successes']}/{r['n']}",
                    "95% interval": f"{r['rate_low']:.0%}-{r['rate_high']:.0%}",
                    "train acc (median)": c.pct(r["train_accuracy_median"]),
                    "test acc (median)": c.pct(r["test_accuracy_median"]),
                    "test acc (min-max)": f"{c.pct(r['test_accuracy_min'])}-{c.pct(r['test_accuracy_max'])}",
                    "final loss (median)": f"{r['train_loss_median']:.4f}",
                    "diverged": r["diverged"]})
    return out


def _by(result, key):
    """Summary rows by setting: ``"10x5"`` for layers, the value itself otherwise."""
    return {value_of(r[key]): r for r in result.summary()}


def value_of(v):
    return "x".join(map(str, v)) if isinstance(v, (tuple, list)) else v


def _rate(r):
    return f"{r['successes']}/{r['n']} ({r['rate_low']:.0%}-{r['rate_high']:.0%})"


@LESSON.add("ex_architecture", "Exercise 5: architectures 2-5-1, 2-10-5-1, 2-20-10-5-1")
def ex_architecture(s: Settings) -> Outcome:
    from ...viz import sweep as vs

    result = _sweep(s, {"layers": [(5,), (10, 5), (20, 10, 5)]})
    by = _by(result, "layers")
    small, mid, big = by["5"], by["10x5"], by["20x10x5"]
    return Outcome(
        numbers={"summary": result.summary()},
        figures={"architectures_rates": vs.success_rates(result),
                 "architectures_curves": vs.sweep_curves(result)},
        tables={"Architectures on the moons": _rows(result, "layers")},
        claims=[Claim("deeper and wider networks fit the moons better",
                      f"runs above 95% training accuracy: 2-5-1 {_rate(small)}, 2-10-5-1 {_rate(mid)}, "
                      f"2-20-10-5-1 {_rate(big)}",
                      bool(small["rate"] < mid["rate"] <= big["rate"]
                           or small["rate_high"] < mid["rate_low"]))],
        text="Five ReLU units give at most a handful of straight pieces: some starts find enough "
             "bends for the moons, many do not. Two hidden layers fit them from every start.",
        code='from mlplab import lab, viz\n'
             'r = lab.sweep("moons", vary={"layers": [(5,), (10, 5), (20, 10, 5)]}, seeds=range(20),\n'
             '              n_samples=300, noise=0.1, data_rng="legacy", data_seed=42, test_size=0.3,\n'
             '              scale="none", output="sigmoid", loss="bce", optimizer="sgd", lr=0.1,\n'
             '              epochs=2000, batch_size=None)\n'
             'r.summary(); viz.sweep.success_rates(r); viz.sweep.sweep_curves(r)',
    )


@LESSON.add("ex_activation", "Exercise 6: ReLU, tanh or sigmoid")
def ex_activation(s: Settings) -> Outcome:
    """ReLU, tanh and sigmoid hidden layers, each from both starts the lesson's code uses
    (He-normal for ReLU, LeCun-normal, sqrt(1 / fan_in), for the others)."""
    from ...viz import sweep as vs

    result = _sweep(s, {"activation": ["relu", "tanh", "sigmoid"], "init": ["he_normal", "lecun_normal"]})
    rows = {(r["activation"], r["init"]): r for r in result.summary()}
    # the lesson's own pairing: He for ReLU, sqrt(1 / fan_in) for tanh and sigmoid
    by = {"relu": rows["relu", "he_normal"], "tanh": rows["tanh", "lecun_normal"],
          "sigmoid": rows["sigmoid", "lecun_normal"]}
    table = [{"activation": row.pop("activation"), "init": r["init"], **row}
             for r, row in zip(result.summary(), _rows(result, "activation"))]
    return Outcome(
        numbers={"summary": result.summary()},
        figures={"activation_curves": vs.sweep_curves(result)},
        tables={"Hidden activation and start (2-10-5-1)": table},
        claims=[Claim("ReLU and tanh converge fast; sigmoid hidden layers learn slowly",
                      f"with the lesson's starts, median final loss: "
                      f"relu {by['relu']['train_loss_median']:.4f}, "
                      f"tanh {by['tanh']['train_loss_median']:.4f}, "
                      f"sigmoid {by['sigmoid']['train_loss_median']:.4f}; "
                      f"runs above 95%: relu {_rate(by['relu'])}, tanh {_rate(by['tanh'])}, "
                      f"sigmoid {_rate(by['sigmoid'])}",
                      bool(by["sigmoid"]["train_loss_median"] > 5 * max(by["relu"]["train_loss_median"],
                                                                       by["tanh"]["train_loss_median"])))],
        text="With sigmoid hidden units every backward step is scaled by slopes of at most 1/4: in "
             "2000 plain SGD steps the network is still close to the linear model's answer, whichever "
             "start it has.",
        code='lab.sweep("moons", vary={"activation": ["relu", "tanh", "sigmoid"],\n'
             '                         "init": ["he_normal", "lecun_normal"]}, seeds=range(20), ...)',
    )


@LESSON.add("ex_lr", "Exercise 7: learning rates 0.001 to 1 (and beyond)")
def ex_lr(s: Settings) -> Outcome:
    from ...viz import sweep as vs

    rates = [0.001, 0.01, 0.1, 1.0, 10.0]
    result = _sweep(s, {"lr": rates})
    by = _by(result, "lr")
    # alive ReLU units of the second hidden layer (of 5) at the end, per run
    alive = {lr: [r["alive"][-1] for r in result.runs if r["lr"] == lr] for lr in rates}
    dead_all = {lr: sum(a == 0 for a in v) for lr, v in alive.items()}
    return Outcome(
        numbers={"summary": result.summary(), "alive_layer2": alive, "all_dead_layer2": dead_all},
        figures={"lr_curves": vs.sweep_curves(result), "lr_rates": vs.success_rates(result)},
        tables={"Learning rate (2-10-5-1, 2000 full-batch steps)": _rows(result, "lr")},
        claims=[Claim("too small a learning rate converges too slowly",
                      f"lr 0.001: median training accuracy {c.pct(by[0.001]['train_accuracy_median'])}, "
                      f"final loss {by[0.001]['train_loss_median']:.3f}",
                      bool(by[0.001]["rate"] < by[0.1]["rate"])),
                Claim("too large a learning rate makes training unstable",
                      f"lr 1: {_rate(by[1.0])} above 95%; lr 10: {_rate(by[10.0])}, "
                      f"{by[10.0]['diverged']} diverged, median training accuracy "
                      f"{c.pct(by[10.0]['train_accuracy_median'])}; runs whose second hidden layer "
                      f"ends with all 5 ReLU units dead: {dead_all[10.0]}/{len(alive[10.0])} at lr 10, "
                      f"{dead_all[0.1]}/{len(alive[0.1])} at lr 0.1",
                      bool(by[10.0]["rate"] < by[1.0]["rate"]) or None)],
        text="On these 300 points full-batch SGD tolerates lr 1; the lesson's grid stops there. "
             "At lr 10 the first steps throw the ReLU units out of the data's range and they die: the "
             "network outputs a constant.",
        code='lab.sweep("moons", vary={"lr": [0.001, 0.01, 0.1, 1.0, 10.0]}, seeds=range(20), ...)',
    )


@LESSON.add("ex_l2", "Exercise 8: L2 regularisation, train against test")
def ex_l2(s: Settings) -> Outcome:
    from ...viz import sweep as vs
    from ...viz._style import new_figure

    strengths = [0.0, 1e-4, 1e-3, 1e-2, 1e-1]
    result = _sweep(s, {"l2": strengths})
    by = _by(result, "l2")
    fig = new_figure(11, 4.2)
    axes = fig.subplots(1, 2)
    for ax, metric in zip(axes, ("train_accuracy", "test_accuracy")):
        vs.accuracy_distribution(result, metric=metric, ax=ax)
        ax.set_title(metric.replace("_", " ") + " of every seed", fontsize=10)
    axes[0].legend(fontsize=8, loc="center left")  # off the runs at 50% and 100%
    fig.suptitle("L2 strength: training against test accuracy (black bar: median)", fontsize=10)
    c.tidy(fig)
    return Outcome(
        numbers={"summary": result.summary()},
        figures={"l2_train_test": fig},
        tables={"L2 strength (2-10-5-1)": _rows(result, "l2")},
        claims=[Claim("a little L2 costs nothing on these data; a lot underfits",
                      f"median test accuracy: l2 0 {c.pct(by[0.0]['test_accuracy_median'])}, 1e-3 "
                      f"{c.pct(by[1e-3]['test_accuracy_median'])}, "
                      f"1e-2 {c.pct(by[1e-2]['test_accuracy_median'])}, "
                      f"0.1 {c.pct(by[0.1]['test_accuracy_median'])}",
                      bool(by[0.1]["test_accuracy_median"] < by[0.0]["test_accuracy_median"]))],
        text="The moons have little noise and 210 training points, so there is no overfitting for "
             "L2 to cure: train and test accuracy move together, and a strong penalty flattens the "
             "weights until the boundary can no longer bend.",
        code='lab.sweep("moons", vary={"l2": [0, 1e-4, 1e-3, 1e-2, 1e-1]}, seeds=range(20), ...)',
    )


@LESSON.add("ex_weights", "Exercise 9: the weights before and after training")
def ex_weights(s: Settings) -> Outcome:
    import numpy as np

    from ... import viz
    from ...viz._style import new_figure
    from .basics import train_mlp

    X, y = c.moons()
    before = c.network([2, 10, 5, 1], c.numpy_weights("moons"))
    after, _ = train_mlp("moons", X, y, [2, 10, 5, 1], "relu")
    size = {k: [float(np.abs(d.params["W"]).max()) for d in m.dense_layers]
            for k, m in (("before", before), ("after", after))}
    scale = max(max(v) for v in size.values())
    fig = new_figure(11, 7.6)
    top, bottom = fig.subfigures(2, 1, height_ratios=[4.2, 3.4])
    axes = top.subplots(1, 2)
    viz.network_graph(before, ax=axes[0], scale=scale,
                      title=f"before training (full width |w| = {scale:.2f})")
    viz.network_graph(after, ax=axes[1], scale=scale, title="after 2000 steps (same scale)")
    for k, ax in enumerate(bottom.subplots(1, 3), start=1):
        w0 = before.dense_layers[k - 1].params["W"].ravel()
        w1 = after.dense_layers[k - 1].params["W"].ravel()
        bins = np.linspace(min(w0.min(), w1.min()), max(w0.max(), w1.max()), 16)
        ax.hist(w0, bins=bins, alpha=0.55, label="before")
        ax.hist(w1, bins=bins, alpha=0.55, label="after")
        ax.set(title=f"layer {k}: {w0.size} weights", xlabel="w", ylabel="count" if k == 1 else None)
        ax.legend(fontsize=8)
    return Outcome(
        numbers={"largest_weight": size},
        figures={"weights_before_after": fig},
        claims=[Claim("training changes the weights (what patterns do you notice?)",
                      "largest |w| per layer before: " + ", ".join(f"{v:.2f}" for v in size["before"])
                      + "; after: " + ", ".join(f"{v:.2f}" for v in size["after"]), None)],
        text="Both pictures share one scale, so line widths compare: the weights spread out as the "
             "network sharpens its boundary, most in the last layer (the histograms below, per layer).",
        code='viz.network_graph(before, scale=s); viz.network_graph(after, scale=s)',
    )


@LESSON.add("ex_own_data", "Exercise 10: a dataset of our own")
def ex_own_data(s: Settings) -> Outcome:
    from ... import fit, mlp, viz
    from ...data import toy
    from ...viz._style import new_figure
    from .basics import _grid

    X, y = toy.disc_ring(seed=0)
    lin = mlp([2, 1], output="sigmoid", seed=0, dtype="float64")
    fit(lin, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)
    net = mlp([2, 10, 5, 1], output="sigmoid", seed=0, dtype="float64")
    fit(net, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)
    a_lin, a_net = c.accuracy(lin, X, y), c.accuracy(net, X, y)
    fig = new_figure(10, 4.3)
    axes = fig.subplots(1, 2)
    viz.decision_boundary(lin, X, y, grid=_grid(X), ax=axes[0], title=f"logistic regression: {c.pct(a_lin)}")
    viz.decision_boundary(net, X, y, grid=_grid(X), ax=axes[1], title=f"2-10-5-1: {c.pct(a_net)}")
    c.tidy(fig)
    return Outcome(
        numbers={"linear_accuracy": a_lin, "mlp_accuracy": a_net},
        figures={"own_data": fig},
        claims=[Claim("on a non-linear dataset of our own the network beats the linear model",
                      f"{c.pct(a_net)} against {c.pct(a_lin)}", bool(a_net > a_lin + 0.2))],
        text="Any (X, y) arrays will do: here points drawn by mlplab's toy generators.",
        code='X, y = mlplab.data.toy.disc_ring(seed=0)\n'
             'linear = mlplab.mlp([2, 1], output="sigmoid")\n'
             'mlplab.fit(linear, X, y, loss="bce", optimizer="sgd", lr=0.1, epochs=2000)',
    )
