"""Lesson C, §4-5: backpropagation animated on a small network, the training loop
on the lesson's regression data (its exact losses), learning-rate schedules and early
stopping in a complete pipeline."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON

#: the lesson's printed losses of its 1-4-1 regression, by epoch (1-based)
LESSON_LOSSES = {1: 148.6393, 100: 6.1764, 1000: 3.3699, 2000: 3.2312, 3000: 3.1658,
                 4000: 3.1241, 5000: 3.0965}


def backprop_setup(seed: int = 0, epochs: int = 50, per_epoch: int = 10):
    """The lesson's backpropagation demo drawn as its code draws (no seed there, so
    ``seed`` is ours): a 2-3-2 tanh network ``W1 ~ N(0, 1)``, ``b1 ~ 0.1 N(0, 1)``,
    ``W2``, ``b2`` likewise, then ``epochs * per_epoch`` random inputs ``N(0, I)``, all with
    the target [1, 0]. Returns ``(weights, X (epochs, per_epoch, 2), T)``."""
    draw = np.random.RandomState(seed)
    weights = {"W1": draw.randn(2, 3), "b1": draw.randn(1, 3) * 0.1,
               "W2": draw.randn(3, 2), "b2": draw.randn(1, 2) * 0.1}
    X = draw.randn(epochs, per_epoch, 2)
    T = np.broadcast_to(np.array([1.0, 0.0]), (epochs, per_epoch, 2)).copy()
    return weights, X, T


@LESSON.add("backprop", "Backpropagation, animated on a 2-3-2 network")
def backprop(s: Settings) -> Outcome:
    """The lesson's demo: 50 epochs of 10 single-example steps (lr 0.01, momentum 0.9),
    weights drawn as edges (colour = sign, width = |w| on one scale for the whole film);
    and one step taken apart: forward values, errors, gradients, update."""
    from ... import fit, mlp, viz
    from ...explain import set_weights, trace
    from ...nn import optimizers
    from ...nn.recorders import WeightRecorder

    weights, X, T = backprop_setup()
    net = set_weights(mlp([2, 3, 2], "tanh", output="tanh", dtype="float64", seed=0), weights)
    first = trace(net, X[0, 0], T[0, 0], loss="mse", lr=0.01)
    opt = optimizers.get("sgd", lr=0.01, momentum=0.9)
    film = WeightRecorder()
    losses = []
    for chunk, target in zip(X, T):   # the optimiser (and its velocity) carries over
        h = fit(net, chunk, target, loss="mse", optimizer=opt, epochs=1, batch_size=1,
                shuffle=False, callbacks=[film])
        losses.append(float(np.ravel(h["loss"])[-1]))
    size = [float(np.mean([np.abs(W).mean() for W, _ in snap])) for snap in film.snapshots]
    anim = viz.NetworkAnimation(film, input_names=["x1", "x2"], history={"loss": losses},
                                max_frames=s.pick(26, 11))
    out = net.forward(np.array([[0.3, -0.2]]))[0]
    return Outcome(
        numbers={"loss_epoch1": losses[0], "loss_epoch50": losses[-1],
                 "mean_abs_weight_start": size[0], "mean_abs_weight_end": size[-1],
                 "output_for_0.3_-0.2": out, "trace_steps": first.steps, "trace_loss": first.loss},
        figures={"weights_animation": anim, "step_by_step": first.animation(),
                 "backward_step": first.figure("backward 1")},
        claims=[Claim("training moves the output towards the target [1, 0]",
                      f"mean loss per example {losses[0]:.4f} in epoch 1, {losses[-1]:.4f} in epoch 50",
                      bool(losses[-1] < losses[0])),
                Claim("lines grow thicker as the weights grow",
                      f"mean |w| {size[0]:.3f} at the start, {size[-1]:.3f} after 50 epochs, all "
                      f"frames drawn on one width scale", None)],
        text="Each step runs the network forward on one example, measures the error at the "
             "outputs, sends it backwards through the weights (the chain rule: each weight's "
             "gradient is the error arriving at its end times the value at its start), and "
             "moves every weight a little against its gradient. The first animation shows the "
             "weights after each epoch: blue positive, red negative, thicker for larger |w|. The "
             "second takes the first step apart: the values on the nodes going forward, then "
             "the errors and gradients coming back, then the update.",
        code='net = explain.set_weights(mlplab.mlp([2, 3, 2], "tanh", output="tanh"), weights)\n'
             'explain.trace(net, x, [1, 0], loss="mse", lr=0.01).animate("step.gif")\n'
             'opt, film = optimizers.get("sgd", lr=0.01, momentum=0.9), WeightRecorder()\n'
             'for xs, ts in chunks:      # 50 epochs of 10 fresh examples\n'
             '    mlplab.fit(net, xs, ts, loss="mse", optimizer=opt, epochs=1, batch_size=1,\n'
             '               shuffle=False, callbacks=[film])\n'
             'viz.NetworkAnimation(film).save("weights.gif")',
        outside="The lesson's figure is interactive (hover shows values); mlplab's animation is a "
                "GIF, and the step's numbers are in the trace's table (explain.trace(...).text()).",
    )


def lesson_network(hidden: int = 4, seed: int = 42):
    """The lesson's 1-h-1 sigmoid regression network with its initial weights, and its
    data (x standardised as the lesson does): ``(net, X, y, X_raw)``."""
    from ... import mlp
    from ...data import Scaler
    from ...data.toy import lesson_c_line
    from ...explain import set_weights

    X_raw, y, weights = lesson_c_line(hidden=hidden, seed=seed)
    X = Scaler("zscore").fit(X_raw).transform(X_raw)
    net = set_weights(mlp([1, hidden, 1], "sigmoid", dtype="float64", seed=0), weights)
    return net, X, y, X_raw


@LESSON.add("training_loop", "The training loop: a 1-4-1 network on the lesson's line")
def training_loop(s: Settings) -> Outcome:
    """Full-batch gradient descent, lr 0.01, 5000 epochs, MSE, from the lesson's own
    data and initial weights; the curve at the lesson's three epochs."""
    from ... import fit, viz

    net, X, y, _ = lesson_network()
    at = (5, 100, 4999)
    curves = viz.CurveRecorder(X, at=at)
    film = viz.CurveRecorder(X, every=125)
    h = fit(net, X, y, loss="mse", optimizer="sgd", lr=0.01, epochs=5000, callbacks=[curves, film])
    loss = np.ravel(h["loss"])
    measured = {e: float(loss[e - 1]) for e in LESSON_LOSSES}
    holds = all(round(measured[e], 4) == v for e, v in LESSON_LOSSES.items())
    fig = viz.regression_predictions(curves, X, y, epochs=list(at),
                                     title="the network's curve after 5, 100 and 4999 updates")
    return Outcome(
        numbers={"loss_by_epoch": measured, "final_loss": float(loss[-1]), "epochs": len(loss)},
        figures={"predictions": fig,
                 "loss_curve": viz.training_curves(h, metrics=("loss",), log_loss=True,
                                                   title="1-4-1 sigmoid, full batch, lr 0.01"),
                 "training_animation": viz.RegressionAnimation(film, h, X, y, max_frames=s.pick(40, 21),
                                                               title="loss")},
        tables={"loss by epoch: the lesson's print and mlplab": [
            {"epoch": e, "lesson": v, "mlplab": round(measured[e], 4)} for e, v in LESSON_LOSSES.items()]},
        claims=[Claim("the losses print 148.6393, 6.1764, 3.3699, 3.2312, 3.1658, 3.1241, 3.0965 at "
                      "epochs 1, 100, 1000, ..., 5000",
                      ", ".join(f"{measured[e]:.4f}" for e in LESSON_LOSSES), bool(holds)),
                Claim("the curve is flat early, bends by epoch 101 and fits the line by epoch 5000",
                      "see the figure: the lesson's 'epoch 6, 101, 5000' curves are drawn before "
                      "that epoch's update, that is after 5, 100 and 4999 updates", None)],
        text="The loop is the whole lesson in five lines: forward pass, loss, backward pass, "
             "update, repeat. The data and the starting weights are the lesson's own (drawn "
             "after np.random.seed(42) as its code draws them), so mlplab prints the lesson's "
             "numbers. After a few updates the network's output is nearly flat; by epoch 100 "
             "its sigmoids have bent into an S; after 5000 it follows the line.",
        code='from mlplab.data.toy import lesson_c_line\n'
             'X, y, w0 = lesson_c_line(hidden=4, seed=42)     # the lesson\'s data and first weights\n'
             'X = Scaler("zscore").fit(X).transform(X)\n'
             'net = explain.set_weights(mlplab.mlp([1, 4, 1], "sigmoid", dtype="float64"), w0)\n'
             'curves = viz.CurveRecorder(X, at=(5, 100, 4999))\n'
             'h = mlplab.fit(net, X, y, loss="mse", optimizer="sgd", lr=0.01, epochs=5000,\n'
             '               callbacks=[curves])               # full batch\n'
             'viz.regression_predictions(curves, X, y)',
    )


@LESSON.add("schedules", "Learning-rate schedules: step decay and exponential decay")
def lr_schedules(s: Settings) -> Outcome:
    """The lesson's step decay (x0.5 every 10 epochs) and exponential decay (x0.95 per
    epoch) from lr 0.01, against mlplab's schedules, and both used in training."""
    from ... import fit, viz
    from ...nn import LRScheduler, schedules

    t = np.arange(40)
    step, expo = schedules.get("step", step_size=10, gamma=0.5), schedules.get("exponential", gamma=0.95)
    ours_step = np.array([step(0.01, k) for k in t])
    ours_exp = np.array([expo(0.01, k) for k in t])
    lesson_step = 0.01 * 0.5 ** np.floor((1 + t) / 10)   # the lesson's formula, epoch from 0
    lesson_exp = 0.01 * 0.95**t
    differ = [int(k) for k in t[~np.isclose(ours_step, lesson_step)]]

    histories = []
    for name, options in (("constant", {}), ("step", {"step_size": 10, "gamma": 0.5}),
                          ("exponential", {"gamma": 0.95})):
        net, X, y, _ = lesson_network()
        histories.append(fit(net, X, y, loss="mse", optimizer="sgd", lr=0.5, epochs=s.pick(60, 40),
                             callbacks=[LRScheduler(name, **options)]))
    final = {n: float(np.ravel(h["loss"])[-1]) for n, h in zip(("constant", "step", "exponential"),
                                                                 histories)}
    fig = viz.training_curves(histories, labels=list(final), metrics=("loss", "lr"), log_loss=True,
                              title="1-4-1 on the lesson's line, SGD from lr 0.5")
    return Outcome(
        numbers={"step_lr": ours_step, "exponential_lr": ours_exp, "step_differs_at": differ,
                 "final_loss": final},
        figures={"schedules": fig},
        claims=[Claim("exponential decay: lr_t = 0.01 x 0.95^t",
                      f"max difference {np.abs(ours_exp - lesson_exp).max():.1e}",
                      bool(np.allclose(ours_exp, lesson_exp, rtol=1e-12))),
                Claim("step decay: lr_t = 0.01 x 0.5^floor((1 + t) / 10)",
                      f"mlplab's step schedule (as PyTorch's StepLR) is 0.01 x 0.5^floor(t / 10): "
                      f"the two differ at epochs {differ[:4]}", None,
                      "the lesson's formula halves the rate one epoch earlier (at t = 9, 19, ...); "
                      "both are step decay, off by one in where the step falls")],
        text="A schedule changes the step length as training goes: large steps early to cover "
             "ground, small steps late to settle. Step decay halves it at fixed epochs; "
             "exponential decay shrinks it a little every epoch. A schedule is no free gain: on "
             "this smooth full-batch problem the constant rate ends lowest (see the numbers); "
             "decay pays off when the steps are noisy, as with mini-batches.",
        code='from mlplab.nn import LRScheduler\n'
             'mlplab.fit(net, X, y, loss="mse", optimizer="sgd", lr=0.5, epochs=60,\n'
             '           callbacks=[LRScheduler("step", step_size=10, gamma=0.5)])\n'
             '# or LRScheduler("exponential", gamma=0.95); mlplab.nn.schedules.get(...)(lr, t)',
    )


def _lesson_stop(values, patience=5, min_delta=0.001):
    """The lesson's early-stopping rule, replayed on a list of validation losses: the
    epoch (from 0) at which it says stop, or None."""
    best, wait = None, 0
    for epoch, v in enumerate(values):
        if best is None or v < best - min_delta:
            best, wait = v, 0
            continue
        wait += 1
        if wait >= patience:
            return epoch
    return None


@LESSON.add("early_stopping", "Early stopping in a complete training pipeline")
def early_stopping(s: Settings) -> Outcome:
    """Train / validation split, a schedule, a monitor and early stopping (patience 5,
    min_delta 0.001) on the lesson's data with the lesson's 1-4-1 network."""
    from ... import fit, viz
    from ...nn import EarlyStopping, LRScheduler

    net, X, y, _ = lesson_network()
    order = np.random.default_rng(0).permutation(len(X))   # the split takes the last rows:
    X, y = X[order], y[order]                               # shuffle first (x is not sorted
    stop = EarlyStopping("val_loss", patience=5, min_delta=0.001)  # here, but it often is)
    h = fit(net, X, y, loss="mse", optimizer="sgd", lr=0.1, epochs=500, validation_split=0.2,
            callbacks=[LRScheduler("exponential", gamma=0.99), stop])
    val = np.ravel(h["val_loss"])
    replay = _lesson_stop(val)
    best = int(np.ravel(stop.best_epoch)[0])
    return Outcome(
        numbers={"stopped_epoch": h.stopped_epoch, "epochs_run": len(val), "best_epoch": best,
                 "best_val_loss": float(val[best]), "lesson_rule_stops_at": replay},
        figures={"pipeline": viz.training_curves(h, metrics=("loss", "lr"), log_loss=True,
                                                 title="train / validation, exponential schedule, "
                                                       "early stopping")},
        claims=[Claim("stop when the validation loss has not improved by 0.001 for 5 epochs",
                      f"stopped at epoch {h.stopped_epoch} (from 0) of 500, best epoch {best}; the "
                      f"lesson's rule replayed on the same losses stops at {replay}",
                      bool(replay == h.stopped_epoch))],
        text="The complete loop adds three things around the update: a validation split that "
             "training never sees, a schedule for the learning rate, and a monitor that stops "
             "once the validation loss stops improving (and puts back the best weights). "
             "mlplab's validation_split holds out the last rows, so the rows are shuffled first.",
        code='from mlplab.nn import EarlyStopping, LRScheduler\n'
             'stop = EarlyStopping("val_loss", patience=5, min_delta=0.001)\n'
             'h = mlplab.fit(net, X, y, loss="mse", optimizer="sgd", lr=0.1, epochs=500,\n'
             '               validation_split=0.2,\n'
             '               callbacks=[LRScheduler("exponential", gamma=0.99), stop])\n'
             'h.stopped_epoch; viz.training_curves(h, metrics=("loss", "lr"))',
    )
