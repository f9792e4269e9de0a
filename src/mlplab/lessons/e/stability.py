"""Lesson E, exercises 7 and 8: gradient clipping on the lesson's large-input data (and
on a run that really explodes), and batch normalisation with and without dropout."""

from __future__ import annotations

import numpy as np

from ...nn.callbacks import Callback
from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import KERAS, MOONS_CIRCLES, compact_legend, figure, spread, stacked


def unstable_data(seed: int = 42):
    """The lesson's Ex7 data: ``np.random.seed(seed)``, then 1000 x 10 standard normals times
    10 and 1000 random labels 0/1 (nothing to learn), split 80/20 with ``random_state=seed``
    (not stratified, as the lesson)."""
    from ...data import train_test_split

    draw = np.random.RandomState(seed)
    X = draw.standard_normal((1000, 10)) * 10
    y = draw.randint(0, 2, 1000)
    return train_test_split(X, y, test_size=0.2, seed=seed, stratify=False)


class LargestGradient(Callback):
    """The largest |gradient element| of any Dense weight, and the number of batches where
    some element exceeds ``limit`` (where ``clip_value=limit`` would change the step)."""

    def __init__(self, limit: float = 1.0):
        self.limit, self.largest, self.over, self.batches = limit, 0.0, 0, 0

    def on_batch_end(self, run, batch, logs):
        top = max(float(np.abs(layer.grads["W"]).max()) for layer in run.model.dense_layers)
        self.largest = max(self.largest, top)
        self.over += top > self.limit
        self.batches += 1


@LESSON.add("clipping", "Ex7: gradient clipping")
def clipping(s: Settings) -> Outcome:
    """The lesson's 4 x 128 tanh network with a sigmoid output on its x10 inputs and random
    labels, Adam with and without ``clip_value=1.0``; then SGD at lr 0.1 on a ReLU network,
    which does explode, without clipping and with ``clip_norm=1.0``."""
    from ... import fit, mlp, viz
    from ...nn import optimizers
    from ...nn.training import DivergenceError

    Xtr, Xte, ytr, yte = unstable_data()
    seeds = list(range(s.pick(5, 3)))
    epochs = s.pick(50, 20)
    histories, watch = {}, {}
    for label, clip in (("no clipping", None), ("clip_value=1.0", 1.0)):
        s.say(label)
        net = mlp([10, 128, 128, 128, 128, 1], activation="tanh", output="sigmoid", init=KERAS["init"],
                  seed=seeds)
        watch[label] = LargestGradient(1.0)
        histories[label] = fit(net, Xtr, ytr, loss="bce", optimizer=optimizers.get("adam", lr=1e-3,
                                                                                   clip_value=clip),
                               epochs=epochs, batch_size=32, validation_split=0.2, callbacks=[watch[label]])
    var = {k: np.var(np.asarray(h["loss"])[10:], axis=0) for k, h in histories.items()}
    better = 100 * (1 - np.median(var["clip_value=1.0"]) / np.median(var["no clipping"]))
    curves = compact_legend(viz.training_curves(
        list(histories.values()), labels=list(histories), metrics=("loss", "accuracy"),
        title=f"random labels, inputs x10: median of {len(seeds)} seeds"), loc="center right")
    # a run that does explode: plain SGD at lr 0.1 through four ReLU layers on the x10 inputs
    boom = {}
    for label, clip in (("no clipping", None), ("clip_norm=1.0", 1.0)):
        net = mlp([10, 128, 128, 128, 128, 1], seed=seeds)
        try:
            h = fit(net, Xtr, ytr, loss="bce_logits", optimizer=optimizers.get("sgd", lr=0.1, clip_norm=clip),
                    epochs=epochs, batch_size=32, validation_split=0.2)
            boom[label] = {"diverged": int(np.sum(h.diverged)), "final_loss": spread(h["loss"][-1], 3, False),
                           "train_accuracy": spread(h["accuracy"][-1])}
        except DivergenceError as exc:
            boom[label] = {"diverged": len(seeds), "message": str(exc).split(". Every")[0]}
    return Outcome(
        numbers={"seeds": seeds, "epochs": epochs, "loss_variance_after_epoch_10": var,
                 "improvement_pct": float(better),
                 "largest_gradient": {k: w.largest for k, w in watch.items()},
                 "batches_over_1": {k: w.over for k, w in watch.items()}, "sgd_lr_0.1": boom},
        figures={"curves": curves},
        tables={"SGD at lr 0.1, ReLU 4 x 128, inputs x10": [{"run": k, **v} for k, v in boom.items()]},
        claims=[
            Claim("gradient clipping (clipvalue=1.0) makes training on this data more stable",
                  f"loss variance after epoch 10: {np.median(var['no clipping']):.5f} without, "
                  f"{np.median(var['clip_value=1.0']):.5f} with clipping ({better:.1f}% 'more stable')",
                  None if abs(better) < 10 else bool(better > 0),
                  f"the largest gradient element in any batch is {watch['no clipping'].largest:.3f}; "
                  f"{watch['no clipping'].over} of {watch['no clipping'].batches} batches have one above "
                  "1, so clipping at 1.0 has "
                  "(almost) nothing to clip. The tanh layers saturate on x10 inputs: their gradients "
                  "shrink, they do not explode."),
            Claim("gradient clipping prevents explosions",
                  f"SGD lr 0.1: {boom['no clipping']['diverged']}/{len(seeds)} seeds diverge without "
                  f"clipping, {boom['clip_norm=1.0']['diverged']}/{len(seeds)} with clip_norm=1.0",
                  boom["no clipping"]["diverged"] > boom["clip_norm=1.0"]["diverged"]),
        ],
        text="The lesson's data cannot be learned (the labels are random), and its inputs are ten "
             "times too large, which saturates the tanh units: gradients there are small, not "
             "large. So clipping every gradient element at 1.0 changes next to nothing, and the "
             "loss curves with and without it lie on top of each other.\n\n"
             "A real explosion needs something that amplifies: plain SGD at lr 0.1 through ReLU "
             "layers on the same x10 inputs overflows in the first epoch, and mlplab stops with a "
             "message that names the epoch, the layer and what to try. Clipping the gradient's norm "
             "to 1.0 keeps every step small, and the same network trains (and memorises the random "
             "labels). Keras's optimizers.Adam(clipvalue=1.0) is optimizers.get(\"adam\", "
             "clip_value=1.0) here; clipnorm is clip_norm.",
        code="from mlplab.nn import optimizers\n"
             "net = mlplab.mlp([10, 128, 128, 128, 128, 1], activation=\"tanh\", output=\"sigmoid\",\n"
             "                 init=\"xavier_uniform\", seed=range(5))\n"
             "h = mlplab.fit(net, X_train, y_train, loss=\"bce\",\n"
             "               optimizer=optimizers.get(\"adam\", lr=1e-3, "
             "clip_value=1.0),\n               epochs=50, batch_size=32, validation_split=0.2)\n"
             "optimizers.get(\"sgd\", lr=0.1, clip_norm=1.0)       # the run that does explode without it",
    )


#: the four configurations of the lesson's Ex8, as (batchnorm, dropout)
CONFIGS = {"no BN, no dropout": (False, 0.0), "BN only": (True, 0.0), "dropout only": (False, 0.3),
           "BN + dropout": (True, 0.3)}


def _first_epoch(values, level):
    """1-based epoch where the median over seeds first reaches ``level`` (None if never)."""
    med = np.nanmedian(np.asarray(values, dtype=float).reshape(len(values), -1), axis=1)
    hit = np.flatnonzero(med >= level)
    return int(hit[0]) + 1 if hit.size else None


@LESSON.add("batchnorm-dropout", "Ex8: batch normalisation and dropout")
def batchnorm_dropout(s: Settings) -> Outcome:
    """The lesson's 256-128-64-32 network (Dense -> [BatchNorm] -> ReLU -> [Dropout 0.3]) in
    its four configurations, early stopping with patience 10, on its data, over several seeds;
    with Keras's Glorot initial weights and with mlplab's default He weights."""
    from ... import lab, viz
    from ...viz import sweep as vs

    seeds = range(s.pick(5, 3))
    epochs = s.pick(50, 20)
    s.say(f"8 settings x {len(seeds)} seeds")
    vary = {"init": ["xavier_uniform", "he_normal"], "batchnorm": [False, True], "dropout": [0.0, 0.3]}
    fixed = {k: v for k, v in MOONS_CIRCLES.items() if k != "init"}
    result = lab.sweep("moons_circles", vary=vary, seeds=seeds, layers=(256, 128, 64, 32), epochs=epochs,
                       patience=10, success="test_accuracy > 0.9", **fixed)
    summary = {(r["init"], r["batchnorm"], r["dropout"]): r for r in result.summary()}
    rows, test, curves, reach = [], {}, {}, {}
    for name, (bn, drop) in CONFIGS.items():
        for init in ("xavier_uniform", "he_normal"):
            r = summary[(init, bn, drop)]
            runs = [x for x in result.runs if x["setting"] == r["setting"]]
            test[(name, init)] = r["test_accuracy_median"]
            h = stacked(result, r["setting"])
            if init == "xavier_uniform":
                curves[name] = h
                reach[name] = _first_epoch(h["val_accuracy"], 0.9)
            rows.append({"configuration": name, "init": init,
                         "test": spread([x["test_accuracy"] for x in runs]),
                         "validation": spread([x["validation_accuracy"] for x in runs]),
                         "epochs to 90% validation (median)":
                             _first_epoch(h["val_accuracy"], 0.9) or "never"})
    fig = figure(6.4, 4.2)
    ax = fig.subplots()
    viz.training_curves(list(curves.values()), labels=list(curves), metrics=("accuracy",),
                        series=("validation",), ax=ax)
    ax.get_legend().remove()
    ax.legend(ax.get_lines(), list(curves), fontsize=8, loc="lower right")
    ax.set_title(f"validation accuracy (Glorot weights), median of {len(seeds)} seeds", fontsize=9)
    dist = vs.accuracy_distribution(result, metric="test_accuracy", fig=figure(10.5, 5.6))
    g = {name: test[(name, "xavier_uniform")] for name in CONFIGS}
    best = max(g, key=g.get)
    return Outcome(
        numbers={"seeds": list(seeds), "epochs": epochs,
                 "test_median": {f"{n}, {i}": v for (n, i), v in test.items()},
                 "epochs_to_90pct_validation": reach},
        figures={"validation": fig, "test": dist},
        tables={"accuracy, median [min, max] over seeds": rows},
        claims=[
            Claim("batch norm accelerates training",
                  f"median validation accuracy first reaches 90% at epoch {reach['BN only']} with BN, "
                  f"{reach['no BN, no dropout']} without", None if reach["BN only"] is None or
                  reach["no BN, no dropout"] is None else reach["BN only"] <= reach["no BN, no dropout"]),
            Claim("batch norm + dropout gives the best results",
                  ", ".join(f"{n} {v:.1%}" for n, v in g.items()) + " (median test, Glorot)",
                  g["BN + dropout"] >= max(g.values()) - 0.005,
                  f"best here: {best}; on 800 points of 2-D data there is little to regularise"),
            Claim("dropout alone works as well as the rest",
                  f"dropout only: {test[('dropout only', 'xavier_uniform')]:.1%} with Glorot weights, "
                  f"{test[('dropout only', 'he_normal')]:.1%} with He weights", None,
                  "mlplab's default init (He) also scales the output layer, which makes dropout-only "
                  "noisier; Keras's default is Glorot everywhere"),
        ],
        text="mlplab's layer order is the lesson's (Dense, batch norm, ReLU, dropout), so one sweep "
             "over batchnorm x dropout reproduces the exercise, and a third axis, the initial weights, "
             "shows why a Keras lesson and mlplab's defaults can disagree: Keras starts every layer "
             "from Glorot uniform weights, mlplab from He normal unless told.",
        code="result = lab.sweep(\"moons_circles\",\n"
             "                   vary={\"batchnorm\": [False, True], \"dropout\": [0.0, 0.3],\n"
             "                         \"init\": [\"xavier_uniform\", \"he_normal\"]},\n"
             "                   seeds=range(5), layers=(256, 128, 64, 32), epochs=50, patience=10, "
             "batch_size=32,\n"
             "                   data_rng=\"legacy\", data_seed=42, test_size=0.2, val_split=0.2)\n"
             "mlplab.viz.sweep.accuracy_distribution(result, metric=\"test_accuracy\")",
    )
