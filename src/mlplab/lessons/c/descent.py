"""Lesson C, §3: gradient descent on the lesson's surface (plain, momentum, Adam),
the learning rate, batch / mini-batch / stochastic steps, and the optimisers' rules."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

#: the lesson's start on its surface, and its two walkers (rule, options, learning rate)
START = (0.1, 1.6)
WALKERS = {"gradient descent": ("sgd", {}), "momentum": ("sgd", {"momentum": 0.9}),
           "adam": ("adam", {})}
RATES = {"gradient descent": 0.1, "momentum": 0.01, "adam": 0.05}


def _settled(path, tol=1e-4):
    """The first step after which every step is shorter than ``tol`` (None: still moving)."""
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    moving = np.flatnonzero(steps >= tol)
    if len(moving) and moving[-1] == len(steps) - 1:
        return None
    return int(moving[-1] + 1) if len(moving) else 0


@LESSON.add("descent", "Gradient descent, momentum and Adam on the lesson's surface")
def descent(s: Settings) -> Outcome:
    """200 steps from (0.1, 1.6): plain gradient descent (lr 0.1) and momentum
    (lr 0.01, beta 0.9) as the lesson, Adam (lr 0.05) beside them."""
    from ... import viz
    from ...viz.surfaces import get_surface

    surface = get_surface("lesson_c")
    paths = viz.optimizer_paths("lesson_c", steps=200, walkers=WALKERS, lr=RATES, start=START)
    ends = {k: p[-1] for k, p in paths.items()}
    heights = {k: float(surface.f(*e)) for k, e in ends.items()}
    settled = {k: _settled(p) for k, p in paths.items()}
    three_d = viz.plot_paths("lesson_c", paths=paths, three_d=True)
    deeper = heights["momentum"] < heights["gradient descent"]
    return Outcome(
        numbers={"start": START, "ends": {k: e.tolist() for k, e in ends.items()},
                 "f_end": heights, "settled_at_step": settled, "lr": RATES},
        figures={"paths": viz.plot_paths("lesson_c", paths=paths),
                 "paths_3d": three_d,
                 "paths_animation": viz.PathsAnimation("lesson_c", paths=paths, every=s.pick(6, 10))},
        claims=[Claim("from (0.1, 1.6), momentum rolls past the basin where plain gradient descent "
                      "stops and ends lower",
                      f"gradient descent ends at ({ends['gradient descent'][0]:.3f}, "
                      f"{ends['gradient descent'][1]:.3f}), f = {heights['gradient descent']:.3f}; "
                      f"momentum at ({ends['momentum'][0]:.3f}, {ends['momentum'][1]:.3f}), "
                      f"f = {heights['momentum']:.3f}", bool(deeper)),
                Claim("Adam (not run by the lesson on this surface) with lr 0.05",
                      f"ends at ({ends['adam'][0]:.3f}, {ends['adam'][1]:.3f}), f = {heights['adam']:.3f}",
                      None)],
        text="Each walker repeats one rule: look at the slope where you stand, step downhill. "
             "Plain gradient descent steps lr times the gradient and stops in the first basin it "
             "meets. Momentum keeps a velocity (beta 0.9 of the last one plus the new step), so "
             "it coasts through small dips and reaches a deeper one. Adam scales each "
             "coordinate's step by a running size of its gradients. The paths come from mlplab's "
             "own optimizers fed the surface's exact gradient.",
        code='from mlplab import viz\n'
             'walkers = {"gradient descent": ("sgd", {}), "momentum": ("sgd", {"momentum": 0.9}),\n'
             '           "adam": ("adam", {})}\n'
             'paths = viz.optimizer_paths("lesson_c", steps=200, walkers=walkers, start=(0.1, 1.6),\n'
             '                            lr={"gradient descent": 0.1, "momentum": 0.01, "adam": 0.05})\n'
             'viz.plot_paths("lesson_c", paths=paths, three_d=True)\n'
             'viz.PathsAnimation("lesson_c", paths=paths, every=6).save("paths.gif")',
        outside="The lesson's 3-D surface is interactive (Plotly); mlplab draws it as a still 3-D "
                "picture and a 2-D contour animation.",
    )


@LESSON.add("learning_rate", "The learning rate: too small, right, too large")
def learning_rate(s: Settings) -> Outcome:
    """Three rates on the surface (100 steps), and four on the lesson's line fitted by
    a straight line w x + b (standardised x), where the largest stable rate is known."""
    from ... import fit, mlp, viz
    from ...data import Scaler
    from ...data.toy import lesson_c_line

    rates = {"lr 0.001": 0.001, "lr 0.1": 0.1, "lr 1.5": 1.5}
    walkers = {k: ("sgd", {}) for k in rates}
    paths = viz.optimizer_paths("lesson_c", steps=100, walkers=walkers, lr=rates, start=START)
    moved = {k: float(np.linalg.norm(p[-1] - p[0])) for k, p in paths.items()}
    zigzag = {k: int((np.diff(np.sign(np.diff(p[:, 0]))) != 0).sum()) for k, p in paths.items()}

    X, y = lesson_c_line()
    X = Scaler("zscore").fit(X).transform(X)
    # for standardised x the MSE's curvature is 2 in both directions: lr < 1 converges
    line_rates = (0.01, 0.5, 0.95, 1.05)
    epochs = s.pick(60, 30)
    histories = []
    for lr in line_rates:
        net = mlp([1, 1], init="zeros", dtype="float64", seed=0)
        histories.append(fit(net, X, y, loss="mse", optimizer="sgd", lr=lr, epochs=epochs))
    final = {f"lr {lr:g}": float(np.ravel(h["loss"])[-1]) for lr, h in zip(line_rates, histories)}
    curves = viz.training_curves(histories, labels=list(final), metrics=("loss",), log_loss=True,
                                 title=f"a line w x + b on the lesson's 100 points, {epochs} epochs")
    best = min(final.values())
    return Outcome(
        numbers={"surface_moved": moved, "surface_direction_changes": zigzag,
                 "line_final_loss": final, "line_epochs": epochs},
        figures={"rates_on_surface": viz.plot_paths("lesson_c", paths=paths), "rates_on_line": curves},
        claims=[Claim("too small a rate barely moves",
                      f"after 100 steps lr 0.001 has moved {moved['lr 0.001']:.3f}, lr 0.1 "
                      f"{moved['lr 0.1']:.2f}", bool(moved["lr 0.001"] < 0.1 < moved["lr 0.1"])),
                Claim("too large a rate overshoots and bounces",
                      f"lr 1.5 changes direction {zigzag['lr 1.5']} times in x (lr 0.1: "
                      f"{zigzag['lr 0.1']}); on the line, lr 1.05 ends at loss "
                      f"{final['lr 1.05']:.3g}, lr 0.95 (zig-zagging) at {final['lr 0.95']:.4g}, "
                      f"lr 0.5 at {final['lr 0.5']:.4g}, lr 0.01 at {final['lr 0.01']:.4g}",
                      bool(zigzag["lr 1.5"] > zigzag["lr 0.1"] and final["lr 1.05"] > final["lr 0.01"]
                           and final["lr 0.5"] == best))],
        text="The learning rate is the step's length. Too small and the walker creeps (lr 0.001 "
             "covers a few hundredths in 100 steps); too large and each step jumps past the "
             "valley floor and back. For a straight line on standardised x, the MSE's curvature "
             "is 2 in every direction: lr 0.5 (one over the curvature) lands on the minimum in "
             "one step, lr 0.95 jumps across the valley each step and settles slowly, lr 1.05 "
             "jumps further each time and grows without end, and lr 0.01 creeps.",
        code='paths = viz.optimizer_paths("lesson_c", steps=100, start=(0.1, 1.6),\n'
             '    walkers={k: ("sgd", {}) for k in rates}, lr=rates)\n'
             'for lr in (0.01, 0.5, 0.95, 1.05):\n'
             '    h = mlplab.fit(mlplab.mlp([1, 1], init="zeros"), X, y, loss="mse",\n'
             '                   optimizer="sgd", lr=lr, epochs=60)\n'
             'viz.training_curves(histories, metrics=("loss",), log_loss=True)',
    )


@LESSON.add("batches", "Batch, mini-batch and stochastic gradient descent")
def batches(s: Settings) -> Outcome:
    """A straight line fitted to the lesson's 100 points with the whole set per step,
    10 points per step, and one point per step; every step's (w, b) on the loss surface."""
    import time

    from ... import fit, mlp, viz
    from ...data import Scaler
    from ...data.toy import lesson_c_line
    from ...nn.recorders import StepRecorder
    from ...viz.surfaces import line_mse

    X, y = lesson_c_line()
    X = Scaler("zscore").fit(X).transform(X)
    epochs = 15
    paths, final, updates, seconds = {}, {}, {}, {}
    for name, size in (("batch (100)", None), ("mini-batch (10)", 10), ("stochastic (1)", 1)):
        net = mlp([1, 1], init="zeros", dtype="float64", seed=0)
        steps = StepRecorder()
        t0 = time.perf_counter()
        fit(net, X, y, loss="mse", optimizer="sgd", lr=0.05, epochs=epochs, batch_size=size,
            callbacks=[steps], seed=0)
        seconds[name] = time.perf_counter() - t0
        paths[name], updates[name] = steps.path, len(steps.path) - 1
        final[name] = float(np.mean((X[:, 0] * steps.path[-1, 0] + steps.path[-1, 1] - y[:, 0]) ** 2))
    surface = line_mse(X, y)
    fig = viz.plot_paths(surface, paths=paths, title=f"{epochs} epochs from (w, b) = (0, 0), "
                         "lr 0.05: every step drawn")
    fig.axes[0].set_xlabel("slope w")
    fig.axes[0].set_ylabel("intercept b")
    best = float(surface.f(*surface.minimum))
    # how far the last epoch's steps scatter around the minimum
    last = {k: float(np.linalg.norm(p[-(updates[k] // epochs):] - surface.minimum, axis=1).mean())
            for k, p in paths.items()}
    return Outcome(
        numbers={"updates": updates, "final_loss": final, "least_squares_loss": best,
                 "last_epoch_distance_to_minimum": last, "seconds": seconds, "epochs": epochs},
        figures={"batch_paths": fig},
        claims=[Claim("batch gradient descent updates once per epoch, mini-batch once per batch, "
                      "SGD once per example", ", ".join(f"{k}: {v} updates" for k, v in updates.items()),
                      bool(list(updates.values()) == [epochs, 10 * epochs, 100 * epochs])),
                Claim("stochastic steps are noisier but get there in fewer epochs",
                      ", ".join(f"{k}: loss {v:.3f}" for k, v in final.items())
                      + f" (least squares {best:.3f}); in the last epoch SGD's points sit "
                      f"{last['stochastic (1)']:.3f} from the minimum on average, mini-batch's "
                      f"{last['mini-batch (10)']:.3f}",
                      bool(final["stochastic (1)"] < final["batch (100)"]
                           and last["stochastic (1)"] > last["mini-batch (10)"]))],
        text="The same data and learning rate, three ways to cut it. Full-batch gradient descent "
             "takes one exact step per epoch and walks a straight line; mini-batches of 10 take "
             "ten slightly wrong steps per epoch; stochastic gradient descent takes one noisy "
             "step per example, so it arrives within the first epochs and then keeps jittering "
             "around the minimum. The surface is the real MSE of w x + b on the lesson's data.",
        code='from mlplab.nn.recorders import StepRecorder\n'
             'from mlplab.viz.surfaces import line_mse\n'
             'steps = StepRecorder()\n'
             'mlplab.fit(mlplab.mlp([1, 1], init="zeros"), X, y, loss="mse", optimizer="sgd",\n'
             '           lr=0.05, epochs=15, batch_size=1, callbacks=[steps])   # None, 10, 1\n'
             'viz.plot_paths(line_mse(X, y), paths={"stochastic (1)": steps.path, ...})',
    )


@LESSON.add("optimizers", "Optimisation theory: momentum and Adam, convergence, saddle points")
def optimizer_rules(s: Settings) -> Outcome:
    """mlplab's momentum and Adam against the lesson's update rules written out, the
    1/t convergence bound on a convex bowl, and a saddle point with and without a nudge."""
    from ... import viz
    from ...nn import optimizers
    from ...viz.surfaces import Surface

    rng = np.random.default_rng(0)
    target = rng.standard_normal((1, 5))
    gaps = {}
    for name, opt in (("momentum", optimizers.get("sgd", lr=0.01, momentum=0.9)),
                      ("adam", optimizers.get("adam", lr=0.001))):
        p, q = np.zeros((1, 5)), np.zeros((1, 5))
        v, m, r = np.zeros_like(q), np.zeros_like(q), np.zeros_like(q)
        gap = 0.0
        for t in range(1, 301):
            g = 2 * (p - target)
            opt.step([(p, g)])
            g = 2 * (q - target)
            if name == "momentum":      # v <- beta v - lr g;  theta <- theta + v
                v = 0.9 * v - 0.01 * g
                q = q + v
            else:                        # bias-corrected moments, step lr m^ / (sqrt(v^) + eps)
                m = 0.9 * m + 0.1 * g
                r = 0.999 * r + 0.001 * g * g
                q = q - 0.001 * (m / (1 - 0.9**t)) / (np.sqrt(r / (1 - 0.999**t)) + 1e-8)
            gap = max(gap, float(np.abs(p - q).max()))
        gaps[name] = gap

    bowl = Surface("bowl x^2 + y^2", lambda x, y: x**2 + y**2, lambda x, y: (2 * x, 2 * y),
                   (-2, 2, -2, 2), (1.5, 1.0), (0.0, 0.0))
    lr, t = 0.1, 100
    gd = viz.optimizer_paths(bowl, steps=t, walkers={"gd": ("sgd", {})}, lr={"gd": lr})["gd"]
    gap_t = float(bowl.f(*gd[-1]))
    bound = float(np.sum(np.square(bowl.start)) / (2 * lr * t))

    saddle = Surface("saddle x^2 - y^2", lambda x, y: x**2 - y**2, lambda x, y: (2 * x, -2 * y),
                     (-2, 2, -2, 2), (1.5, 0.0), None)
    walk = {"gradient descent": ("sgd", {}), "momentum": ("sgd", {"momentum": 0.9})}
    rates = {"gradient descent": 0.05, "momentum": 0.05}
    exact = viz.optimizer_paths(saddle, steps=60, walkers=walk, lr=rates)
    nudged = viz.optimizer_paths(saddle, steps=60, walkers=walk, lr=rates, start=(1.5, 1e-3))
    stuck = {k: p[-1].tolist() for k, p in exact.items()}
    escaped = {k: float(abs(p[-1, 1])) for k, p in nudged.items()}
    fig = viz.plot_paths(saddle, paths={f"{k}, y0 = 0.001": p for k, p in nudged.items()},
                         title="a saddle: from (1.5, 0.001), 60 steps, lr 0.05")
    return Outcome(
        numbers={"rule_gap": gaps, "bowl_gap_after_t": gap_t, "bowl_bound": bound,
                 "saddle_end_from_y0": stuck, "saddle_abs_y_from_nudge": escaped},
        figures={"saddle": fig},
        claims=[Claim("momentum: v <- beta v - lr g, theta <- theta + v",
                      f"mlplab's SGD with momentum differs by {gaps['momentum']:.1e} over 300 steps",
                      bool(gaps["momentum"] < 1e-12)),
                Claim("Adam: bias-corrected first and second moments, step lr m^ / (sqrt(v^) + eps)",
                      f"mlplab's Adam differs by {gaps['adam']:.1e} over 300 steps",
                      bool(gaps["adam"] < 1e-12)),
                Claim("on a convex function f(theta_t) - f* <= |theta_0 - theta*|^2 / (2 lr t)",
                      f"bowl, lr {lr}, t {t}: {gap_t:.2e} <= {bound:.3f}", bool(gap_t <= bound)),
                Claim("a gradient of zero can be a saddle; momentum and noise help escape",
                      f"started exactly on y = 0 both walkers stay on y = 0 and slide towards the saddle "
                      f"(0, 0): x = {stuck['gradient descent'][0]:.3f} and {stuck['momentum'][0]:.3f} "
                      f"after 60 steps; nudged to "
                      f"y = 0.001, after 60 steps |y| is {escaped['gradient descent']:.3f} (gradient "
                      f"descent) and {escaped['momentum']:.3f} (momentum)",
                      bool(escaped["momentum"] > escaped["gradient descent"]))],
        text="The update rules the lesson writes out are the ones mlplab runs: the same numbers "
             "step for step. On a convex bowl the gap to the minimum shrinks at least as fast as "
             "1/t. A saddle has zero gradient too: a walker that starts exactly on its ridge line "
             "never leaves, and the smallest nudge lets the descent direction take over, faster "
             "with momentum.",
        code='from mlplab.viz.surfaces import Surface\n'
             'saddle = Surface("saddle", lambda x, y: x**2 - y**2, lambda x, y: (2*x, -2*y),\n'
             '                 (-2, 2, -2, 2), (1.5, 0.0), None)\n'
             'viz.optimizer_paths(saddle, steps=60, start=(1.5, 1e-3),\n'
             '    walkers={"momentum": ("sgd", {"momentum": 0.9})}, lr={"momentum": 0.05})',
        outside="Hessians (classifying critical points by curvature) are not in mlplab; the saddle "
                "is shown by its paths instead.",
    )
