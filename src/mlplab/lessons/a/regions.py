"""Linear regions (lines -> regions, the bound, regions after training), the n1 x n2
grid behind "the first layer's width matters most", and the lesson's "try this" table."""

from __future__ import annotations

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import LESSON_SEEDS, RUN, claim

#: the disc and ring's window, where regions are counted
WINDOW = (-1.5, 1.5, -1.5, 1.5)
#: the "try this" table: architecture -> (parameters, rough regions) as the lesson prints them
TRY_THIS = {(2, 4, 4, 2): (42, "~16-64"), (2, 8, 2, 2): (36, "~8-16"), (2, 4, 8, 2): (58, "~32-128")}


def _lines(k: int):
    """A 2-k-1 ReLU network whose k units' lines z_j = 0 are in general position inside
    [-1, 1]^2: unit normals at angles 180 j / k degrees, each line 0.3 from the origin."""
    import mlplab
    from mlplab.explain import set_weights

    angles = np.pi * np.arange(k) / k + 0.3
    W = np.stack([np.cos(angles), np.sin(angles)])        # (2, k)
    return set_weights(mlplab.mlp([2, k, 1], seed=0, dtype="float64"),
                       {"W1": W, "b1": np.full(k, 0.3), "W2": np.ones((k, 1)), "b2": [0.0]})


def _trained(archs, seeds):
    """One replicated network per architecture trained with the lesson's protocol on
    each seed's own points; returns ({arch: net}, X, y)."""
    import mlplab
    from mlplab.data import per_seed

    X, y = per_seed("disc_ring", list(seeds), rng="legacy")
    nets = {}
    for arch in archs:
        net = mlplab.mlp(list(arch), init="torch", rng="torch", seed=list(seeds))
        mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=RUN["lr"], epochs=RUN["epochs"],
                   batch_size=RUN["batch_size"])
        nets[arch] = net
    return nets, X, y


@LESSON.add("regions", "Piecewise-linear regions: lines, regions and the bound")
def regions(s: Settings) -> Outcome:
    """k lines cut the plane into 1 + k + C(k, 2) regions (2, 4, 7); a trained 2-4-4-2
    network's regions, on a seed that succeeds and one that fails."""
    from matplotlib.figure import Figure

    from mlplab import explain
    from mlplab.nn import success

    counts = {}
    lines_fig = Figure(figsize=(10.5, 3.7), layout="constrained")
    for ax, k in zip(lines_fig.subplots(1, 3), (1, 2, 3)):
        net = _lines(k)
        counts[k] = int(explain.linear_regions(net, (-1, 1, -1, 1)))
        explain.regions_figure(net, (-1, 1, -1, 1), ax=ax,
                               title=f"{k} unit{'s' * (k > 1)}: {k} line{'s' * (k > 1)}, "
                                     f"{counts[k]} regions")
    seeds = list(LESSON_SEEDS)
    nets, X, y = _trained([(2, 4, 4, 2)], seeds)
    net = nets[(2, 4, 4, 2)]
    ok = success.get(None)((net.predict(X) == y).mean(axis=-1))
    found = np.asarray(explain.linear_regions(net, WINDOW))
    win, lose = int(np.flatnonzero(ok)[0]), int(np.flatnonzero(~ok)[0])
    trained_fig = Figure(figsize=(8.4, 4.2), layout="constrained")
    for ax, r, word in zip(trained_fig.subplots(1, 2), (win, lose), ("succeeds", "fails")):
        explain.regions_figure(net, WINDOW, X=X[r], y=y[r], replica=r, ax=ax,
                               title=f"2-4-4-2, seed {seeds[r]} {word}: {found[r]} regions")
    bounds = {"-".join(map(str, a)): explain.region_bound(a) for a in TRY_THIS}
    formula = [1 + k + k * (k - 1) // 2 for k in (1, 2, 3)]
    return Outcome(
        numbers={"regions_of_k_lines": counts, "formula_1_k_C(k,2)": formula, "bounds": bounds,
                 "trained_4_4_regions": found, "median_succeeded": float(np.median(found[ok])),
                 "median_failed": float(np.median(found[~ok]))},
        figures={"lines": lines_fig, "trained": trained_fig},
        claims=[claim("1 / 2 / 3 lines split the plane into 2 / 4 / 7 regions",
                      " / ".join(str(counts[k]) for k in (1, 2, 3)) + " (counted exactly)",
                      [counts[k] for k in (1, 2, 3)] == [2, 4, 7]),
                claim("n lines give up to ~n^2 regions", "1 + n + C(n, 2) = (n^2 + n + 2) / 2: "
                      "about n^2 / 2", None),
                claim("regions <= prod_i sum_{j <= min(n_i, d)} C(n_i, j)",
                      "bound " + ", ".join(f"{a}: {b}" for a, b in bounds.items())
                      + f"; trained 2-4-4-2 (seeds 0-19): at most {found.max()} regions",
                      bool(found.max() <= bounds["2-4-4-2"]))],
        text="A ReLU unit is a line in the input plane: on one side it outputs 0, on the other "
             "a linear function. k such lines cut the plane into at most 1 + k + C(k, 2) pieces, "
             "and on each piece the whole network is linear, so the decision boundary is a "
             "polygon with one straight edge per region it crosses. mlplab counts the regions "
             "exactly (by cutting polygons, not by sampling pixels).\n\n"
             f"After training, the 2-4-4-2 seeds that succeed have a median of "
             f"{np.median(found[ok]):.0f} regions in the window, those that fail "
             f"{np.median(found[~ok]):.0f}: a failed run has lost some of its lines.",
        code='from mlplab import explain\n'
             'explain.linear_regions(net, bounds=(-1.5, 1.5, -1.5, 1.5))   # per replica\n'
             'explain.regions_figure(net, (-1.5, 1.5, -1.5, 1.5), X=X[r], y=y[r], replica=r)\n'
             'explain.region_bound([2, 4, 4, 2])                             # 121',
    )


@LESSON.add("first-layer", "Does the first layer's width matter most? The n1 x n2 grid")
def first_layer(s: Settings) -> Outcome:
    """Success rate of every 2-n1-n2-2 with n1, n2 in 2..8 (49 architectures)."""
    from mlplab import lab
    from mlplab.viz import sweep as sweep_viz

    seeds = range(s.pick(100, 20))
    s.say(f"49 architectures x {len(seeds)} seeds")
    grid = lab.sweep("disc_ring", vary={"layers": "2-8x2-8"}, seeds=seeds, **RUN)
    rate = {r["layers"]: r["rate"] for r in grid.summary()}
    pairs = [(a, b) for a in range(2, 9) for b in range(2, 9) if a > b]
    wider_first = sum(rate[(a, b)] > rate[(b, a)] for a, b in pairs)
    by_n1 = [float(np.mean([rate[(a, b)] for b in range(2, 9)])) for a in range(2, 9)]
    by_n2 = [float(np.mean([rate[(a, b)] for a in range(2, 9)])) for b in range(2, 9)]
    return Outcome(
        numbers={"seeds": len(seeds), "rates": {f"{a},{b}": v for (a, b), v in rate.items()},
                 "wider_first_wins": wider_first, "pairs": len(pairs), "mean_rate_by_n1": by_n1,
                 "mean_rate_by_n2": by_n2},
        figures={"grid": sweep_viz.success_heatmap(grid)},
        claims=[claim("the first layer's width matters most",
                      f"in {wider_first} of {len(pairs)} pairs, n1 > n2 beats the swapped widths; "
                      f"8,2 {100 * rate[(8, 2)]:.0f}% vs 2,8 {100 * rate[(2, 8)]:.0f}%, "
                      f"8,3 {100 * rate[(8, 3)]:.0f}% vs 3,8 {100 * rate[(3, 8)]:.0f}% "
                      f"({len(seeds)} seeds each)", wider_first >= 0.75 * len(pairs))],
        text="Each cell trains one architecture with every seed. Read along a row (n1 fixed) and "
             "down a column (n2 fixed): the rate climbs much faster with n1. A narrow first "
             "layer draws few lines, and if one of them dies the second layer has nothing left "
             "to combine; a wide first layer can lose units and still bend round the disc.",
        code='r = lab.sweep("disc_ring", vary={"layers": "2-8x2-8"}, seeds=range(100),\n'
             '              epochs=300, lr=0.05, batch_size=300, init="torch", rng="torch",\n'
             '              data_rng="legacy")\n'
             'from mlplab.viz.sweep import success_heatmap\n'
             'success_heatmap(r)',
    )


@LESSON.add("try-this", "The \"try this\" table: parameters, regions and success")
def try_this(s: Settings) -> Outcome:
    """The lesson's table measured: parameters, the region bound, regions after training
    (median and range over seeds 0-19) and successes, for 2-4-4-2, 2-8-2-2 and 2-4-8-2."""
    from mlplab import explain
    from mlplab.nn import success

    seeds = list(LESSON_SEEDS)
    nets, X, y = _trained(list(TRY_THIS), seeds)
    rows, numbers, claims = [], {}, []
    for arch, (said_params, said_regions) in TRY_THIS.items():
        net = nets[arch]
        name = "-".join(map(str, arch))
        found = np.asarray(explain.linear_regions(net, WINDOW))
        k = int(success.get(None)((net.predict(X) == y).mean(axis=-1)).sum())
        numbers[name] = {"parameters": net.n_params, "bound": explain.region_bound(arch),
                         "regions": found, "median": float(np.median(found)), "successes": k}
        rows.append({"network": name, "parameters (lesson)": said_params, "parameters": net.n_params,
                     "regions (lesson)": said_regions,
                     "regions after training": f"{np.median(found):.0f} ({found.min()}-{found.max()})",
                     "bound": explain.region_bound(arch), "works? (seeds 0-19)": f"{k}/20"})
        hidden = arch[1:-1]
        sum_text = " + ".join(f"{a}*{b}+{b}" for a, b in zip(arch[:-1], arch[1:]))
        claims.append(claim(f"2-{hidden[0]}-{hidden[1]}-2 has {said_params} parameters",
                            f"{net.n_params} ({sum_text})", net.n_params == said_params,
                            f"{sum_text} = {net.n_params}"))
    claims.append(claim("rough regions ~16-64 / ~8-16 / ~32-128",
                        " / ".join(f"{numbers[n]['median']:.0f}" for n in numbers) + " (medians)",
                        None))
    return Outcome(
        numbers=numbers,
        tables={"try this, measured over seeds 0-19": rows},
        claims=claims,
        text="The lesson's table has two wrong parameter counts: 2-8-2-2 has 48 (2*8+8 + 8*2+2 + "
             "2*2+2), not 36, and 2-4-8-2 has 70, not 58. Its rough region counts are guesses; "
             "here they are counted on each trained network inside [-1.5, 1.5]^2, beside the "
             "theoretical bound, with the number of seeds that learned the disc and ring.",
        code='net = mlplab.mlp([2, 8, 2, 2]); net.n_params               # 48\n'
             'explain.region_bound([2, 8, 2, 2])                            # 148\n'
             'explain.linear_regions(trained, (-1.5, 1.5, -1.5, 1.5))       # one count per seed',
    )
