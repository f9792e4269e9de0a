"""The lesson's success-rate test (2-4-4-2 over 20 seeds: 9 succeed, the lesson's 45%),
what the alive units did in each run, and the architectures the lesson compares."""

from __future__ import annotations

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import LESSON_SEEDS, RUN, claim, interval, many_seeds, rate_text

#: the architectures of the lesson's "4,4 fails | 4,3 works, 3,6 fails | 3,7 works, 5,3 works"
COMPARED = [(4, 4), (4, 3), (3, 6), (3, 7), (5, 3), (8, 8)]
#: what the lesson says of each
SAID = {(4, 4): "fails", (4, 3): "works", (3, 6): "fails", (3, 7): "works", (5, 3): "works"}


def survival(alive_end: np.ndarray, accuracy: np.ndarray, ok: np.ndarray, total: int) -> dict:
    """The lesson's "neuron survival summary" from the alive units at the end of each run
    (``alive_end`` (R,) summed over layers) and each run's accuracy and verdict."""
    def mean(mask):
        return float(alive_end[mask].mean()) if mask.any() else float("nan")

    order = np.argsort(-alive_end, kind="stable")
    return {"runs_over_half_dead": int(np.sum(alive_end < 0.5 * total)),
            "mean_alive_failed": mean(~ok), "mean_alive_succeeded": mean(ok), "units": total,
            "most_alive_succeeded": [int(i) for i in order if ok[i]][:3],
            "worst_failed": [int(i) for i in np.argsort(accuracy, kind="stable") if not ok[i]][:3]}


@LESSON.add("success-rate", "Success rate of 2-4-4-2 over the lesson's 20 seeds")
def success_rate(s: Settings) -> Outcome:
    """The lesson's test: 20 seeds of 2-4-4-2 trained as replicas of one model, alive ReLU
    units per layer every epoch, success = training accuracy > 95% after the last step."""
    import mlplab
    from mlplab import viz
    from mlplab.data import per_seed
    from mlplab.nn import NeuronStats, success

    seeds = list(LESSON_SEEDS)
    X, y = per_seed("disc_ring", seeds, rng="legacy")          # (20, 300, 2): each seed its own points
    net = mlplab.mlp([2, 4, 4, 2], init="torch", rng="torch", seed=seeds)
    history = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=RUN["lr"],
                         epochs=RUN["epochs"], batch_size=RUN["batch_size"], callbacks=[NeuronStats()])
    accuracy = (net.predict(X) == y).mean(axis=-1)
    rule = success.get(None)
    ok = rule(accuracy)
    k = int(ok.sum())
    alive = np.stack([np.asarray(history["alive.1"])[-1], np.asarray(history["alive.2"])[-1]], axis=-1)
    summary = survival(alive.sum(-1), accuracy, ok, 8)
    summary["most_alive_succeeded"] = [seeds[i] for i in summary["most_alive_succeeded"]]
    summary["worst_failed"] = [seeds[i] for i in summary["worst_failed"]]
    figures = {"train": {"accuracy": accuracy}}
    rows = [{"seed": sd, "accuracy": f"{100 * a:.1f}%", "success": "yes" if o else "no",
             "alive L1": f"{al[0]}/4", "alive L2": f"{al[1]}/4", "loss": f"{float(lo):.4f}"}
            for sd, a, o, al, lo in zip(seeds, accuracy, ok, alive.astype(int),
                                        np.asarray(history["loss"])[-1])]
    return Outcome(
        numbers={"seeds": seeds, "successes": k, "rate": interval(k, len(seeds)),
                 "succeeded": [sd for sd, o in zip(seeds, ok) if o], "accuracy": accuracy,
                 "alive_end": alive, "survival": summary},
        figures={"alive": viz.alive_neurons(history, widths=[4, 4], seeds=seeds, figures=figures),
                 "boundaries": viz.decision_boundary(net, X, y, classes=["disc", "ring"], seeds=seeds,
                                                     figures=figures, history=history)},
        tables={"each seed": rows},
        claims=[claim("2-4-4-2 succeeds with 45% of the seeds (seeds 0-19)",
                      f"{rate_text(k, len(seeds))} ({rule.describe()})", k == 9),
                claim("runs that fail lose more units than runs that succeed",
                      f"alive at the end: {summary['mean_alive_failed']:.1f}/8 in failed runs, "
                      f"{summary['mean_alive_succeeded']:.1f}/8 in successful ones; "
                      f"{summary['runs_over_half_dead']} runs with more than half dead",
                      summary["mean_alive_failed"] < summary["mean_alive_succeeded"])],
        text="The lesson trains 2-4-4-2 with 20 seeds, each on its own 300 points, and counts the "
             "seeds whose training accuracy ends above 95%. mlplab trains the 20 as replicas of "
             "one model, starting each from the weights PyTorch draws for its seed and the points "
             "NumPy draws for it, so the verdicts are PyTorch's, seed for seed: 9 of 20, the "
             "lesson's 45%.\n\n"
             "Each panel counts the units of each layer that output something for at least one "
             "point in that epoch (alive); a unit that outputs 0 for every point gets no gradient "
             "and stays dead. The 95% interval of 9/20 spans 26% to 66%: 20 seeds measure the "
             "rate only roughly (see 'many seeds' below).",
        code='from mlplab.data import per_seed\n'
             'from mlplab.nn import NeuronStats, success\n'
             'X, y = per_seed("disc_ring", range(20), rng="legacy")\n'
             'net = mlplab.mlp([2, 4, 4, 2], init="torch", rng="torch", seed=list(range(20)))\n'
             'h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05,\n'
             '               epochs=300, batch_size=300, callbacks=[NeuronStats()])\n'
             'ok = success.get(None)((net.predict(X) == y).mean(axis=-1))   # 9 of 20\n'
             'mlplab.viz.alive_neurons(h, widths=[4, 4], seeds=range(20))',
    )


@LESSON.add("architectures", "4,4 fails, 4,3 works, 3,6 fails, 3,7 works, 5,3 works?")
def architectures(s: Settings) -> Outcome:
    """The lesson's five architectures (and 8,8) over its 20 seeds and over many seeds,
    each rate with its Wilson 95% interval."""
    from mlplab import lab
    from mlplab.viz import sweep as sweep_viz

    few = lab.sweep("disc_ring", vary={"layers": COMPARED}, seeds=LESSON_SEEDS, **RUN)
    seeds = many_seeds(s)
    s.say(f"{len(COMPARED)} architectures x {len(seeds)} seeds")
    many = lab.sweep("disc_ring", vary={"layers": COMPARED}, seeds=seeds, **RUN)
    at20 = {r["layers"]: r["successes"] for r in few.summary()}
    rates = {r["layers"]: r for r in many.summary()}

    def text(arch):
        r = rates[arch]
        return f"{arch[0]},{arch[1]}: {rate_text(r['successes'], r['n'])}"

    def overlap(a, b):
        return rates[a]["rate_low"] <= rates[b]["rate_high"] and rates[b]["rate_low"] <= rates[a]["rate_high"]

    claims = []
    for bad, good in (((4, 4), (4, 3)), ((3, 6), (3, 7))):
        better = rates[good]["rate"] > rates[bad]["rate"] and not overlap(bad, good)
        claims.append(claim(f"{bad[0]},{bad[1]} fails while {good[0]},{good[1]} works",
                            f"{text(bad)}; {text(good)} ({len(seeds)} seeds)", better,
                            "" if better else "the intervals overlap: over many seeds the two "
                            "architectures succeed about equally often, and on seeds 0-19 "
                            f"{bad[0]},{bad[1]} got {at20[bad]}/20 and {good[0]},{good[1]} {at20[good]}/20"))
    r53 = rates[(5, 3)]
    works = r53["rate_low"] > 0.9
    claims.append(claim("5,3 works (read as: nearly every seed succeeds, the 95% interval above 90%)",
                        f"{text((5, 3))}; {at20[(5, 3)]}/20 on seeds 0-19", works,
                        "" if works else "the best of the five, yet about one run in four still fails"))
    claims.append(claim("more units per layer are more reliable (8,8)", text((8, 8)),
                        bool(rates[(8, 8)]["rate_low"] > max(rates[a]["rate_high"] for a in SAID)),
                        "8,8's interval is not above all the others"))
    rows = [{"n1,n2": f"{a[0]},{a[1]}", "the lesson": SAID.get(a, ""), "seeds 0-19": f"{at20[a]}/20",
             f"{len(seeds)} seeds": rate_text(rates[a]["successes"], rates[a]["n"])} for a in COMPARED]
    return Outcome(
        numbers={"seeds_0_19": {f"{a[0]},{a[1]}": at20[a] for a in COMPARED},
                 "many_seeds": len(seeds),
                 "rates": {f"{a[0]},{a[1]}": interval(rates[a]["successes"], rates[a]["n"])
                           for a in COMPARED}},
        figures={"rates": sweep_viz.success_heatmap(many, title=f"success rate over {len(seeds)} seeds, "
                                                          f"with 95% intervals")},
        tables={"successes per architecture": rows},
        claims=claims,
        text="The lesson reads single runs as verdicts on architectures. Counted over many seeds "
             "with their 95% intervals, 4,4 and 4,3 succeed about equally often, and so do 3,6 "
             "and 3,7: which one 'works' depends on the seed, not on the widths. Only a clearly "
             "wider network (8,8) is reliably better.",
        code='from mlplab import lab\n'
             'r = lab.sweep("disc_ring", vary={"layers": [(4, 4), (4, 3), (3, 6), (3, 7), (5, 3), (8, 8)]},\n'
             '              seeds=range(400), epochs=300, lr=0.05, batch_size=300,\n'
             '              init="torch", rng="torch", data_rng="legacy")\n'
             'from mlplab.viz.sweep import success_heatmap\n'
             'print(r.table()); success_heatmap(r)',
    )
