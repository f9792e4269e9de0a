"""Lesson E, exercise 1: the spirals, the two networks' parameter counts, and shallow
(one layer of 1000) against deep (three layers of 100)."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import KERAS, accuracy, compact_legend, figure, lesson_data, spread

#: the lesson's two architectures (2 inputs, 3 classes)
SHALLOW, DEEP = [2, 1000, 3], [2, 100, 100, 100, 3]


@LESSON.add("spirals", "Ex1: the spiral data and the two networks' parameter counts")
def spirals(s: Settings) -> Outcome:
    """The lesson's spirals (seed 42, its np.random draws) and ``n_params`` of its shallow
    (2-1000-3) and deep (2-100-100-100-3) networks; the lesson says deep has fewer."""
    from ... import data, mlp, viz

    X, y = data.toy.spirals(seed=42, rng="legacy")
    shallow, deep = mlp(SHALLOW, seed=0), mlp(DEEP, seed=0)
    n_s, n_d = shallow.n_params, deep.n_params
    fig = figure(10.0, 4.4)
    ax1, ax2 = fig.subplots(1, 2)
    viz.dataset(X, y, ax=ax1, title="the lesson's spirals: noise 0.2 (seed 42)")
    Xc, yc = data.toy.spirals(seed=42, rng="legacy", noise=0.05)
    viz.dataset(Xc, yc, ax=ax2, title="the same draw at noise 0.05")
    per_class = np.bincount(y).tolist()
    rows = [{"layer": name, "output shape": shape, "params": p}
            for _, name, shape, p, _ in deep.summary().rows]
    return Outcome(
        numbers={"n_points": len(X), "per_class": per_class, "shallow_params": n_s, "deep_params": n_d,
                 "deep_over_shallow": n_d / n_s, "shallow_summary": shallow.summary(format="text"),
                 "deep_summary": deep.summary(format="text")},
        figures={"data": fig},
        tables={"deep.summary() (Keras: model.summary())": rows},
        claims=[
            Claim("the deep network (3 x 100) uses fewer parameters than the shallow one (1 x 1000)",
                  f"deep {n_d:,}, shallow {n_s:,}: deep has {n_d / n_s:.2f} times as many", n_d < n_s,
                  f"shallow: 2*1000 + 1000 + 1000*3 + 3 = {n_s:,}; deep: 2*100 + 100 + 2*(100*100 + 100)"
                  f" + 100*3 + 3 = {n_d:,}. The lesson's own print says deep uses "
                  f"{n_d / n_s:.1%} of shallow's parameters, i.e. {(1 - n_d / n_s) * 100:.1f}% 'fewer'."),
            Claim("generate_spiral_data(n_samples=1000) gives 1000 points",
                  f"{len(X)} points ({per_class[0]} per class)", len(X) == 1000,
                  "1000 // 3 = 333 points per arm, so 999 in all"),
        ],
        text="Three spiral arms of 333 points each, drawn exactly as the lesson draws them "
             "(np.random.seed(42), then each arm's x noise and y noise). At the lesson's noise 0.2 "
             "the arms overlap so much that the spiral is hard to see; at noise 0.05 it is clear.\n\n"
             "The lesson claims its deep network is more parameter-efficient. Counting says the "
             "opposite: a 100 x 100 weight matrix alone has 10,000 weights, twice, while the shallow "
             "network's 1000 units each need only 2 inputs and 3 outputs. Depth can be more "
             "efficient for some functions, but not with these widths.",
        code="import mlplab\n"
             "X, y = mlplab.data.toy.spirals(seed=42, rng=\"legacy\")   # the lesson's np.random draws\n"
             "shallow = mlplab.mlp([2, 1000, 3]); deep = mlplab.mlp([2, 100, 100, 100, 3])\n"
             "shallow.n_params, deep.n_params          # Keras: model.count_params()\n"
             "print(deep.summary())                     # Keras: model.summary()\n"
             "mlplab.viz.dataset(X, y)",
    )


@LESSON.add("shallow-deep", "Ex1: shallow (1 x 1000) against deep (3 x 100) on the spirals")
def shallow_deep(s: Settings) -> Outcome:
    """Both networks trained as the lesson trains them (Adam 1e-3, 50 epochs, batch 32, the
    last 20% of the training rows for validation, Glorot uniform weights as Keras) on its
    split, over several seeds; then a sweep over the noise (0.2, the lesson's, and 0.05)."""
    from ... import fit, lab, mlp, viz

    seeds = list(range(s.pick(10, 3)))
    Xtr, Xte, ytr, yte = lesson_data("spirals")
    train = dict(loss="cross_entropy", optimizer=KERAS["optimizer"], lr=KERAS["lr"], epochs=50,
                 batch_size=KERAS["batch_size"], validation_split=0.2)
    histories, test = {}, {}
    for name, sizes in (("shallow", SHALLOW), ("deep", DEEP)):
        s.say(f"{name}: {len(seeds)} seeds")
        net = mlp(sizes, init=KERAS["init"], seed=seeds)
        histories[name] = fit(net, Xtr, ytr, **train)
        test[name] = accuracy(net, Xte, yte)
    curves = compact_legend(viz.training_curves(
        [histories["shallow"], histories["deep"]], labels=["shallow", "deep"],
        title=f"spirals, noise 0.2: median of {len(seeds)} seeds; bands: middle half and range"))
    s.say("sweep over noise and depth")
    sweep = lab.sweep("spirals", vary={"noise": [0.2, 0.05], "layers": [(1000,), (100, 100, 100)]},
                      seeds=seeds, epochs=50, data_rng="legacy", data_seed=42, test_size=0.2,
                      val_split=0.2, **KERAS)
    rows = [{"noise": r["noise"], "network": "shallow 1x1000" if len(r["layers"]) == 1 else "deep 3x100",
             "train": spread([x["train_accuracy"] for x in sweep.runs if x["setting"] == r["setting"]]),
             "test": spread([x["test_accuracy"] for x in sweep.runs if x["setting"] == r["setting"]])}
            for r in sweep.summary()]
    med = {(r["noise"], len(r["layers"])): r["test_accuracy_median"] for r in sweep.summary()}
    # boundaries: one network of each kind (seed 0) on the lesson's noise and on 0.05
    fig = figure(10.0, 8.6)
    axes = fig.subplots(2, 2)
    for i, noise in enumerate((0.2, 0.05)):
        a, b, c, d = lesson_data("spirals", noise=noise)
        for j, (name, sizes) in enumerate((("shallow", SHALLOW), ("deep", DEEP))):
            net = mlp(sizes, init=KERAS["init"], seed=0)
            fit(net, a, c, **{**train, "validation_split": 0.0})
            viz.decision_boundary(net, a, c, b, d, ax=axes[i, j],
                                  title=f"{name}, noise {noise}: test {accuracy(net, b, d):.0%}")
    gain = float(np.median(test["deep"]) - np.median(test["shallow"]))
    # neither arm clearly above guessing (3 classes): nothing learned, so nothing to judge
    learned = max(float(np.median(v)) for v in test.values()) > 1 / 3 + 0.1
    verdict = (gain > 0.02) if learned else None
    return Outcome(
        numbers={"seeds": seeds, "test_accuracy": {k: v for k, v in test.items()},
                 "test_median": {k: float(np.median(v)) for k, v in test.items()},
                 "deep_minus_shallow": gain,
                 "sweep_test_median": {f"noise {n}, {'deep' if d > 1 else 'shallow'}": v
                                       for (n, d), v in med.items()}},
        figures={"curves": curves, "boundaries": fig},
        tables={"test and training accuracy, median [min, max] over seeds (lab.sweep)": rows},
        claims=[
            Claim("the deep network reaches clearly better test accuracy than the shallow one",
                  f"shallow {spread(test['shallow'])}, deep {spread(test['deep'])} "
                  f"({len(seeds)} seeds, the lesson's split)", verdict,
                  "" if verdict else
                  ("at noise 0.2 the arms overlap and both networks sit near chance (1/3): neither "
                   "learned, so the claim cannot be judged on this data; " if not learned else
                   "the deep network is not clearly ahead; ")
                  + f"with noise 0.05 deep gets {med[(0.05, 3)]:.0%} against shallow's "
                    f"{med[(0.05, 1)]:.0%} (median)"),
            Claim("deep networks do this with fewer parameters", "20,803 against 6,003 (see Ex1)", False,
                  "the deep network has 3.47 times as many parameters"),
        ],
        text="Each network is trained with Keras's defaults on the lesson's split. One run per network "
             "is noise, so mlplab trains several seeds at once (the seeds change the initial weights "
             "and the batch order; the data stay the lesson's). On the lesson's noisy spirals neither "
             "network does much better than guessing, so the lesson's 'deep is clearly better' cannot "
             "show. Lower the noise and depth does pay: the deep network follows the arms, the wide "
             "shallow one draws a few broad wedges.\n\n"
             "The curves are the existing training_curves (train solid, validation dashed, on one "
             "panel per metric); Keras's history.history['val_loss'] is History['val_loss'] here.",
        code="X_train, X_test, y_train, y_test = mlplab.data.train_test_split(X, y, test_size=0.2, seed=42)\n"
             "net = mlplab.mlp([2, 100, 100, 100, 3], init=\"xavier_uniform\", seed=range(10))  # 10 seeds\n"
             "h = mlplab.fit(net, X_train, y_train, loss=\"cross_entropy\", optimizer=\"adam\", lr=1e-3,\n"
             "               epochs=50, batch_size=32, validation_split=0.2)\n"
             "viz.training_curves([h_shallow, h], labels=[\"shallow\", \"deep\"])\n"
             "lab.sweep(\"spirals\", vary={\"noise\": [0.2, 0.05], \"layers\": [(1000,), (100, 100, 100)]},\n"
             "          seeds=range(10), epochs=50, batch_size=32, init=\"xavier_uniform\",\n"
             "          data_rng=\"legacy\", data_seed=42, test_size=0.2, val_split=0.2)",
    )
