"""The lesson's "key insight" measured over many seeds (45%, 100% when it works, 50% and
loss 0.6931 when it fails, dead ReLUs), the fixes it proposes, and its widgets."""

from __future__ import annotations

import math

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import RUN, claim, interval, many_seeds, rate_text

#: a run is stuck when its final loss is ln 2 to this tolerance (it predicts 50/50 everywhere)
STUCK_TOLERANCE = 1e-3


@LESSON.add("many-seeds", "45%, 100% when it works, 50% and loss 0.6931 when it fails?")
def many_seeds_section(s: Settings) -> Outcome:
    """2-4-4-2 over many seeds: the rate with its interval; the accuracy of successful
    runs; how many failures are stuck at loss ln 2; whether stuck runs have a dead layer."""
    from mlplab import lab
    from mlplab.viz import sweep as sweep_viz

    seeds = many_seeds(s)
    result = lab.sweep("disc_ring", vary={"layers": [(4, 4)]}, seeds=seeds, **RUN)
    runs = result.runs
    ok = np.array([r["success"] for r in runs])
    acc = np.array([r["train_accuracy"] for r in runs])
    loss = np.array([r["train_loss"] for r in runs])
    dead_layer = np.array([min(r["alive"]) == 0 for r in runs])
    stuck = np.abs(loss - math.log(2)) < STUCK_TOLERANCE
    k, n = int(ok.sum()), len(runs)
    perfect = int(np.sum(acc[ok] == 1.0))
    failed = ~ok
    rate = interval(k, n)
    return Outcome(
        numbers={"seeds": n, "successes": k, "rate": rate, "perfect_successes": perfect,
                 "success_accuracy_min": float(acc[ok].min()), "failures": int(failed.sum()),
                 "stuck_failures": int(np.sum(stuck & failed)),
                 "failure_accuracy_median": float(np.median(acc[failed])),
                 "stuck_with_dead_layer": int(np.sum(stuck & dead_layer)),
                 "failures_with_dead_layer": int(np.sum(failed & dead_layer)), "ln2": math.log(2)},
        figures={"accuracy": sweep_viz.accuracy_distribution(
            result, title=f"2-4-4-2: final training accuracy of each of {n} seeds")},
        claims=[claim("2-4-4-2 succeeds 45% of the time", f"{rate_text(k, n)} over {n} seeds "
                      "(9/20 on seeds 0-19)", rate[1] <= 0.45 <= rate[2],
                      "45% is outside the 95% interval: it is what seeds 0-19 happened to give"),
                claim("when it works, it learns the circle perfectly (100%)",
                      f"{perfect} of {k} successes at 100%, the lowest at {100 * acc[ok].min():.1f}%",
                      perfect == k, "mostly: a few successful runs stop just short of 100%"),
                claim("when it fails it predicts one class: 50%, loss 0.6931",
                      f"{int(np.sum(stuck & failed))} of {int(failed.sum())} failures stuck at loss "
                      f"ln 2; the median failure reaches {100 * np.median(acc[failed]):.0f}%",
                      bool(np.all(stuck[failed])),
                      "only partly: most failed runs learn part of the ring and stop between "
                      "the 50% of a constant guess and the 95% the rule asks"),
                claim("0.6931 is -ln 0.5: the loss of predicting 50/50", f"ln 2 = {math.log(2):.4f}",
                      True),
                claim("a run stuck at 50% has dead ReLUs that block every gradient",
                      f"{int(np.sum(stuck & dead_layer))} of {int(stuck.sum())} stuck runs have a "
                      "whole layer dead", bool(np.all(dead_layer[stuck])),
                      "; ".join(f"seed {r['seed']} is stuck at loss {r['train_loss']:.4f} with "
                                f"{'/'.join(map(str, r['alive']))} units alive: nearly dead, one "
                                f"line cannot cut a disc from a ring"
                                for r, st, d in zip(runs, stuck, dead_layer) if st and not d)),
                claim("more neurons give redundancy: 2 dead of 4 leaves only 2",
                      "see 'architectures' (8,8) and 'fixes' below", None)],
        text="The lesson's table of what success and failure look like, measured over many seeds "
             "rather than one. A run stuck at loss 0.6931 outputs the same 50/50 guess for every "
             "point: a whole layer is dead, so no gradient reaches the layers before it. But "
             "most failures are not like that: they keep some units, learn part of the ring, and "
             "stop below the 95% line.",
        code='r = lab.sweep("disc_ring", vary={"layers": [(4, 4)]}, seeds=range(400), epochs=300,\n'
             '              lr=0.05, batch_size=300, init="torch", rng="torch", data_rng="legacy")\n'
             'stuck = [abs(run["train_loss"] - np.log(2)) < 1e-3 for run in r.runs]\n'
             'dead = [min(run["alive"]) == 0 for run in r.runs]      # a whole layer dead\n'
             'from mlplab.viz.sweep import accuracy_distribution\n'
             'accuracy_distribution(r)',
    )


#: the lesson's fixes as sweeps of 2-4-4-2 (PyTorch's init as the baseline, drawn by NumPy so
#: that He initialisation can stand beside it)
FIXES = [("relu, PyTorch init (baseline)", {}), ("leaky_relu", {"activation": "leaky_relu"}),
         ("He normal init", {"init": "he_normal"}), ("He uniform init", {"init": "he_uniform"}),
         ("batch norm", {"batchnorm": True}), ("wider: 8,8", {"layers": (8, 8)}),
         ("wider: 16,16", {"layers": (16, 16)})]


@LESSON.add("fixes", "The fixes: more neurons, LeakyReLU, He initialisation, batch norm")
def fixes(s: Settings) -> Outcome:
    """2-4-4-2's success rate with each fix, over the same seeds."""
    from mlplab import lab
    from mlplab.viz import sweep as sweep_viz

    seeds = many_seeds(s)
    base = {**RUN, "rng": "numpy", "layers": (4, 4)}
    s.say(f"activation x init, {len(seeds)} seeds")
    grid = lab.sweep("disc_ring", vary={"activation": ["relu", "leaky_relu"],
                                        "init": ["torch", "he_normal", "he_uniform"]},
                     seeds=seeds, **{k: v for k, v in base.items() if k != "init"})
    cell = {(r["activation"], r["init"]): r for r in grid.summary()}
    found = {}
    for name, change in FIXES:
        key = (change.get("activation", "relu"), change.get("init", "torch"))
        if set(change) <= {"activation", "init"}:
            row = cell[key]
        else:
            row = lab.sweep("disc_ring", seeds=seeds, **{**base, **change}).summary()[0]
        found[name] = (row["successes"], row["n"])
    baseline = found[FIXES[0][0]]
    rows = [{"2-4-4-2 with": name, "success": rate_text(k, n)} for name, (k, n) in found.items()]

    def better(name):
        k, n = found[name]
        return interval(k, n)[1] > interval(*baseline)[2]

    claims = [claim(f"{name} makes success more likely", rate_text(*found[name]) + " against "
                    + rate_text(*baseline), better(name), "not clearly above the baseline's interval")
              for name, _ in FIXES[1:]]
    return Outcome(
        numbers={"seeds": len(seeds), "rates": {n: interval(*kn) for n, kn in found.items()},
                 "successes": {n: kn[0] for n, kn in found.items()}},
        figures={"activation-init": sweep_viz.success_heatmap(
            grid, title=f"2-4-4-2: activation x initialisation ({len(seeds)} seeds each)")},
        tables={"each fix": rows},
        claims=claims,
        text="Every fix the lesson lists works, and they attack the same failure from different "
             "sides: LeakyReLU lets a unit below zero still pass a little gradient, so it cannot "
             "die; He initialisation scales the first weights for ReLU; batch norm re-centres "
             "each unit's input on every batch so it cannot stay negative; more units leave "
             "spares when some die. (Trying other seeds, the lesson's second fix, is what every "
             "rate here already does.)",
        code='lab.sweep("disc_ring", vary={"activation": ["relu", "leaky_relu"],\n'
             '                             "init": ["torch", "he_normal", "he_uniform"]},\n'
             '          layers=(4, 4), seeds=range(400), epochs=300, lr=0.05, batch_size=300,\n'
             '          data_rng="legacy")\n'
             'lab.sweep("disc_ring", layers=(4, 4), batchnorm=True, init="torch", ...)',
    )


@LESSON.add("widgets", "The lesson's widgets: the playground and the notebook")
def widgets(s: Settings) -> Outcome:
    """Where the lesson's sliders live in mlplab: the playground presets and the notebook's
    Trainer (nothing is trained here)."""
    from mlplab.playground.presets import PRESETS

    ours = [p for p in PRESETS if p["name"] in LESSON.presets]
    rows = [{"preset": p["name"], "title": p["title"], "why": p["why"]} for p in ours]
    return Outcome(
        numbers={"presets": [p["name"] for p in ours]},
        tables={"playground presets for this lesson": rows},
        text="The lesson's two widgets (train and animate one network; test the success rate "
             "over seeds) are both in mlplab, live:\n\n"
             "- `mlplab lesson a --playground` opens the browser playground on the presets below "
             "(the disc and ring at the lesson's scale, 2-4-4-2 and 2-8-8-2, Adam 0.05, "
             "PyTorch's init); press New weights to try another seed, or Train 20 seeds.\n"
             "- In Jupyter, lessons/lesson-a.ipynb shows mlplab.widgets.Trainer: sliders for "
             "both widths (2-32), seed and epochs, with 'Train & animate' and 'Success rate' "
             "buttons; with rng='torch' and data_rng='legacy' they run the protocol of this "
             "report (Success rate on 4, 4 gives 9/20).",
        code='mlplab lesson a --playground            # in a shell\n'
             'from mlplab.widgets import Trainer      # in Jupyter\n'
             'Trainer(widths=(4, 4), rng="torch", data_rng="legacy")   # 9/20, as above',
        outside="A static report cannot hold sliders: the interactive parts are in the playground "
                "and the notebook, and every number they give is computed by the same functions "
                "as this report.",
    )
