"""Lesson E, exercises 3 and 4: the modern activations (Leaky ReLU, ELU, SELU, Swish,
GELU, Mish) beside ReLU, and five of them trained on the lesson's moons + circles."""

from __future__ import annotations

import math

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import MOONS_CIRCLES, split_curves, spread, stacked

MODERN = ("leaky_relu", "elu", "selu", "swish", "gelu", "mish")
#: the lesson's formulas evaluated at x = -1 (its constants: alpha 0.01 and 1, SELU's
#: alpha and scale, GELU's tanh approximation)
_E = math.exp(-1.0)
LESSON_AT_MINUS_1 = {
    "relu": 0.0, "leaky_relu": -0.01, "elu": _E - 1,
    "selu": 1.0507009873554805 * 1.6732632423543772 * (_E - 1),
    "swish": -1.0 / (1.0 + math.e), "mish": -math.tanh(math.log1p(_E)),
    "gelu": -0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * (-1 - 0.044715))),
}
RACE = ("relu", "elu", "selu", "swish", "gelu")


@LESSON.add("modern", "Ex3: the modern activations beside ReLU")
def modern(s: Settings) -> Outcome:
    """The six functions and their derivatives on [-3, 3], ReLU as the dotted reference, and
    every function's value at x = -1 against the lesson's formulas."""
    from ... import viz
    from ...nn import activations

    at = {n: float(activations.get(n)(np.array([-1.0]))[0]) for n in ("relu", *MODERN)}
    slope = {n: float(activations.get(n).derivative(np.array([-1.0]))[0]) for n in ("relu", *MODERN)}
    fig = viz.activation_functions(list(MODERN), x_range=(-3, 3), layout="lesson")
    rows = [{"activation": n, "f(-1), mlplab": f"{at[n]:.3f}", "f(-1), lesson's formula":
             f"{LESSON_AT_MINUS_1[n]:.3f}", "f'(-1)": f"{slope[n]:.3f}"} for n in at]
    return Outcome(
        numbers={"at_minus_1": at, "derivative_at_minus_1": slope},
        figures={"functions": fig},
        tables={"values at x = -1": rows},
        claims=[Claim(f"{n}(-1) = {LESSON_AT_MINUS_1[n]:.3f} (the lesson's formula)", f"{at[n]:.3f}",
                      abs(at[n] - LESSON_AT_MINUS_1[n]) < 5e-4) for n in at],
        text="Every modern activation lets something through for negative inputs, so its derivative "
             "there is not 0 and a unit with negative inputs still learns: Leaky ReLU a fixed slope "
             "of 0.01, ELU and SELU a curve that flattens at -1 and -1.76, Swish, GELU and Mish a "
             "smooth dip below zero. mlplab's GELU is the exact x Phi(x) (the lesson uses the tanh "
             "approximation, GELU(approximate=\"tanh\") here); at -1 they agree to 3 decimals.",
        code="from mlplab.nn import activations\n"
             "activations.get(\"selu\")(np.array([-1.0]))           # -1.111\n"
             "mlplab.viz.activation_functions([\"leaky_relu\", \"elu\", \"selu\", \"swish\", \"gelu\", "
             "\"mish\"],\n                                x_range=(-3, 3), layout=\"lesson\")",
    )


@LESSON.add("activation-race", "Ex4: five activations trained on moons and circles")
def activation_race(s: Settings) -> Outcome:
    """ReLU, ELU, SELU, Swish and GELU in the lesson's 128-64-32 network with batch norm and
    dropout 0.3, early stopping (patience 10, best weights restored), on its data and
    split, over several seeds: one ``lab.sweep`` over the activation."""
    from ... import lab, viz
    from ...data import toy
    from ...viz import sweep as vs

    seeds = range(s.pick(5, 3))
    epochs = s.pick(50, 20)
    s.say(f"{len(RACE)} activations x {len(seeds)} seeds")
    result = lab.sweep("moons_circles", vary={"activation": list(RACE)}, seeds=seeds, layers=(128, 64, 32),
                       batchnorm=True, dropout=0.3, epochs=epochs, patience=10,
                       success="test_accuracy > 0.9", **MOONS_CIRCLES)
    by = {r["activation"]: [x for x in result.runs if x["setting"] == r["setting"]] for r in result.summary()}
    rows = [{"activation": a, **{split: spread([x[f"{key}_accuracy"] for x in runs])
                                 for split, key in (("train", "train"), ("validation", "validation"),
                                                    ("test", "test"))},
             "epochs run": int(np.median([x["epochs_run"] for x in runs]))} for a, runs in by.items()]
    test = {a: float(np.median([x["test_accuracy"] for x in runs])) for a, runs in by.items()}
    best = max(test, key=test.get)
    curves = split_curves({r["activation"]: stacked(result, r["setting"]) for r in result.summary()},
                          title=f"median of {len(seeds)} seeds; band: middle half and range")
    spread_fig = vs.accuracy_distribution(result, metric="test_accuracy")
    X, y = toy.moons_circles(seed=42, rng="legacy")
    data_fig = viz.dataset(X, y, title="the lesson's moons + circles (1000 points, standardised)")
    return Outcome(
        numbers={"seeds": list(seeds), "epochs": epochs, "test_median": test, "best": best},
        figures={"data": data_fig, "curves": curves, "test": spread_fig},
        tables={"accuracy, median [min, max] over seeds (Keras's summary table)": rows},
        claims=[Claim("Swish / GELU are state of the art; ReLU is simple and effective",
                      ", ".join(f"{a} {v:.1%}" for a, v in sorted(test.items(), key=lambda t: -t[1])) +
                      " (median test accuracy)", None,
                      f"on this small 2-D problem {best} leads and "
                      f"{' and '.join(sorted(test, key=test.get)[:2])} trail: no activation wins "
                      "everywhere")],
        text="One sweep trains the five networks, each over several seeds at once (seed = initial "
             "weights, dropout masks, batch order and the 80/20 split; the data are the lesson's). "
             "mlplab's layer order is Dense -> BatchNorm -> activation -> Dropout; the lesson puts "
             "the activation before the batch norm (Dense(activation) -> BatchNormalization), which "
             "needs a hand-built Sequential here. Batch norm uses PyTorch's momentum 0.1 and eps 1e-5 "
             "(Keras: 0.99 and 1e-3, the same average written the other way round, and another eps).\n\n"
             "Keras's EarlyStopping(patience=10, restore_best_weights=True) is patience=10 here "
             "(nn.EarlyStopping restores the best weights); a replicated run stops when every seed "
             "has run out of patience. The train column is measured after training, in inference "
             "mode (Keras's history['accuracy'][-1] is the running mean with dropout on).",
        code="from mlplab import lab\n"
             "result = lab.sweep(\"moons_circles\", vary={\"activation\": [\"relu\", \"elu\", \"selu\", "
             "\"swish\", \"gelu\"]},\n"
             "                   seeds=range(5), layers=(128, 64, 32), batchnorm=True, dropout=0.3, "
             "epochs=50,\n"
             "                   patience=10, batch_size=32, init=\"xavier_uniform\", data_rng=\"legacy\", "
             "data_seed=42,\n"
             "                   test_size=0.2, val_split=0.2, success=\"test_accuracy > 0.9\")\n"
             "print(result.table())\n"
             "mlplab.viz.training_curves(result.histories(0)[0], metrics=(\"accuracy\",), "
             "series=(\"validation\",))",
    )
