"""The functions themselves: activations beside their derivatives (lesson B, E), and
loss functions (lesson B's BCE vs MSE, lesson C's MSE / MAE / Huber on data with
an outlier)."""

from __future__ import annotations

import numpy as np

from ..nn import activations, fit, losses, mlp
from ._style import CLASS_COLORS, on_axes, on_figure, series_colors

#: the activations lessons B and E compare, in the order they draw them
LESSON_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish")


def _curves(name, x):
    act = activations.get(name)
    xs = x if act.elementwise else np.column_stack([x, np.zeros_like(x)])
    y = act(xs)
    dy = act.derivative(xs, y)
    if not act.elementwise:  # softmax-like: first output against its own input
        y, dy = y[:, 0], dy[:, 0]
    return act, y, dy


def _activations_as_lessons(names, x, fig):
    """All functions on one axis, all derivatives on the other, ReLU as a dotted reference."""
    names = list(names or LESSON_ACTIVATIONS)
    fig, box = on_figure(fig, 10.0, 4.0)
    ax, dx = box.subplots(1, 2)
    colors = series_colors(len(names))
    # each later line narrower and on top, so curves that coincide (relu and leaky_relu
    # for x > 0) both stay visible
    widths = np.linspace(3.4, 1.3, len(names))
    for i, (color, name) in enumerate(zip(colors, names)):
        _, y, dy = _curves(name, x)
        style = dict(color=color, lw=widths[i], zorder=2 + i, label=name,
                     ls="-" if i % 2 == 0 else (0, (5, 1.5)))
        ax.plot(x, y, **style)
        dx.plot(x, dy, **style)
    if "relu" not in names:
        _, y, dy = _curves("relu", x)
        ax.plot(x, y, ":", color="0.4", lw=1.2, label="relu (reference)")
        dx.plot(x, dy, ":", color="0.4", lw=1.2, label="relu (reference)")
    for a, title in ((ax, "activation functions f(x)"), (dx, "derivatives f'(x)")):
        a.axhline(0, color="0.8", lw=0.8)
        a.axvline(0, color="0.8", lw=0.8)
        a.set_xlabel("x")
        a.set_title(title, fontsize=10)
        a.grid(alpha=0.3)
    ax.set_ylim(-1.6, max(2.0, float(x.max()) * 0.6))
    dx.set_ylim(-0.2, 1.3)
    dx.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    return fig


def activation_functions(names=None, x_range=(-4.0, 4.0), fig=None, layout: str = "panels"):
    """Activations beside their derivatives.

    ``layout="panels"``: one panel per activation, f(x) solid and f'(x) dashed.
    ``layout="lesson"``: as lessons B and E draw them, every function on one axis and
    every derivative on another, with ReLU as a dotted reference line (default names:
    :data:`LESSON_ACTIVATIONS`).
    """
    if layout not in ("panels", "lesson"):
        raise ValueError(f"layout must be 'panels' or 'lesson'; received layout={layout!r}")
    x = np.linspace(*x_range, 801)
    if layout == "lesson":
        return _activations_as_lessons(names, x, fig)
    names = names or activations.names()
    cols = min(4, len(names))
    rows = -(-len(names) // cols)
    fig, box = on_figure(fig, 3.0 * cols, 2.4 * rows)
    for i, name in enumerate(names):
        act = activations.get(name)
        ax = box.add_subplot(rows, cols, i + 1)
        xs = x if act.elementwise else np.column_stack([x, np.zeros_like(x)])
        y = act(xs)
        dy = act.derivative(xs, y)
        if not act.elementwise:  # softmax-like: first output against its own input
            y, dy = y[:, 0], dy[:, 0]
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(x, y, color=CLASS_COLORS[1], lw=1.8, label="f(x)")
        ax.plot(x, dy, "--", color=CLASS_COLORS[0], lw=1.4, label="f'(x)")
        ax.set_title(name if act.elementwise else f"{name} (vs one input, other = 0)", fontsize=9)
        ax.tick_params(labelsize=7)
        if i == 0:
            ax.legend(fontsize=7)
    return fig


def bce_vs_mse(fig=None):
    """Loss and gradient magnitude against the predicted probability p for target 1."""
    # each probability is its own one-sample replica, so the engine's losses give
    # one value per probability
    p = np.linspace(0.001, 0.999, 500).reshape(-1, 1, 1)
    t = np.ones_like(p)
    bce, mse = losses.get("bce"), losses.get("mse")
    fig, box = on_figure(fig, 9.0, 3.3)
    ax, gx = box.subplots(1, 2)
    ax.plot(p.ravel(), bce.value(p, t), color=CLASS_COLORS[1], lw=2, label="BCE  -log p")
    ax.plot(p.ravel(), mse.value(p, t), color=CLASS_COLORS[0], lw=2, label="MSE  (1 - p)^2")
    ax.set_xlabel("predicted probability of the true class")
    ax.set_ylabel("loss")
    ax.set_ylim(0, 5)
    ax.legend()
    ax.grid(alpha=0.3)
    # gradients with respect to the logit z (p = sigmoid z): what reaches the network
    p = p.ravel()
    gx.plot(p, 1 - p, color=CLASS_COLORS[1], lw=2, label="BCE: |dL/dz| = 1 - p")
    gx.plot(p, 2 * (1 - p) ** 2 * p, color=CLASS_COLORS[0], lw=2,
            label="MSE: |dL/dz| = 2 (1 - p) p (1 - p)")
    gx.set_xlabel("predicted probability of the true class")
    gx.set_ylabel("gradient through the sigmoid")
    gx.legend(fontsize=8)
    gx.grid(alpha=0.3)
    box.suptitle("a confident wrong answer: BCE pushes hard, MSE through a sigmoid barely moves",
                 fontsize=10)
    return fig


def line_label(slope: float, intercept: float, digits: int = 2) -> str:
    """``"y = 2.75x - 0.91"``: the sign written once, never ``+ -0.91``."""
    sign = "-" if intercept < 0 else "+"
    return f"y = {slope:.{digits}f}x {sign} {abs(intercept):.{digits}f}"


def _loss_name(fn) -> str:
    cfg = fn.config() if hasattr(fn, "config") else {}
    extra = {k: v for k, v in cfg.items() if k != "name"}
    name = fn.name.upper() if fn.name in ("mse", "mae") else fn.name.capitalize()
    return name + (" (" + ", ".join(f"{k}={v:g}" if isinstance(v, (int, float)) else f"{k}={v}"
                                    for k, v in extra.items()) + ")" if extra else "")


def _per_point(fn, pred, target):
    """The loss of each point alone: each point is its own one-sample replica."""
    p = np.asarray(pred, dtype=np.float64).reshape(-1, 1, 1)
    t = np.asarray(target, dtype=np.float64).reshape(-1, 1, 1)
    return np.asarray(fn.value(p, t)).reshape(-1), np.asarray(fn.grad(p, t)).reshape(-1)


#: line looks that keep every fit visible when two coincide: wide solid below, dashed and
#: dotted narrower on top
_LOOKS = [dict(ls="-", lw=3.2, alpha=0.75, zorder=2), dict(ls="--", lw=2.0, zorder=3),
          dict(ls=":", lw=2.4, zorder=4), dict(ls="-.", lw=1.6, zorder=5)]


def regression_losses(X, y, names=("mse", "mae", "huber"), epochs=3000, lr=0.05, seed=0, ax=None,
                      annotate=None, title=None):
    """Fit ``y = w x + b`` with each loss (by mlplab's own training) and draw the lines,
    with each point's loss under each annotated fit written beside it.

    ``names`` are loss names or loss objects (``losses.get("huber", delta=5)``);
    ``annotate`` which of them to write per point (default: the first two, as the lesson's
    MSE-vs-MAE figure). Lines read ``"MSE: y = 2.82x + 0.15"``; the title names only the
    losses drawn. The fitted (slope, intercept) pairs are in ``fig.mlplab_fits`` (keyed by
    the names given when they are strings).
    """
    X = np.asarray(X, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64)
    mean, std = X.mean(), X.std()
    fns = [losses.get(n) for n in names]
    keys = [n if isinstance(n, str) else _loss_name(f) for n, f in zip(names, fns)]
    fits = {}
    for key, fn in zip(keys, fns):
        net = mlp([1, 1], init="zeros", seed=seed, dtype="float64")
        fit(net, (X - mean) / std, y, loss=fn, optimizer="adam", lr=lr, epochs=epochs)
        w, b = net.layers[0].params["W"][0, 0], net.layers[0].params["b"][0, 0]
        fits[key] = (float(w / std), float(b - w * mean / std))
    annotate = keys[:2] if annotate is None else list(annotate)
    unknown = [a for a in annotate if a not in fits]
    if unknown:
        raise ValueError(f"annotate must name losses that are drawn ({keys}); received {unknown}")
    fig, ax = on_axes(ax, 7.2, 4.6)
    ax.scatter(X[:, 0], y, color="0.25", zorder=6, s=22, label="data")
    xs = np.linspace(X.min(), X.max(), 50)
    for i, (key, fn) in enumerate(zip(keys, fns)):
        slope, intercept = fits[key]
        ax.plot(xs, slope * xs + intercept, color=CLASS_COLORS[i], **_LOOKS[i % len(_LOOKS)],
                label=f"{_loss_name(fn)}: {line_label(slope, intercept)}")
    for j, key in enumerate(annotate):
        i = keys.index(key)
        slope, intercept = fits[key]
        point_loss, _ = _per_point(fns[i], slope * X[:, 0] + intercept, y)
        for x0, y0, v in zip(X[:, 0], y, point_loss):
            ax.annotate(f"{v:.3g}", (x0, y0), xytext=(6, 4 - 10 * j), textcoords="offset points",
                        fontsize=7, color=CLASS_COLORS[i], zorder=7)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              title="numbers: each point's loss\nunder " + " and ".join(
                  _loss_name(fns[keys.index(a)]) for a in annotate) if annotate else None,
              title_fontsize=7.5)
    ax.grid(alpha=0.3)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    drawn = [_loss_name(f) for f in fns]
    ax.set_title(title or ("straight lines fitted with " + ", ".join(drawn[:-1])
                           + (" and " if len(drawn) > 1 else "") + drawn[-1]), fontsize=10)
    fig.mlplab_fits = fits
    return fig


def loss_vs_error(names=("mse", "mae", "huber"), error_range=(-3.0, 3.0), fig=None):
    """Each loss and its gradient against the error e = prediction - target, side by side
    (lesson C: the MSE gradient grows with the error, MAE's and Huber's stay bounded).

    Values come from the engine (``losses.get(name).value`` and ``.grad``) on one-point
    replicas, so the picture is what training uses.
    """
    lo, hi = error_range
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"error_range must be (low, high) with low < high; received {error_range!r}")
    e = np.linspace(lo, hi, 601)
    fig, box = on_figure(fig, 9.0, 3.4)
    ax, gx = box.subplots(1, 2)
    for i, n in enumerate(names):
        fn = losses.get(n)
        value, grad = _per_point(fn, e, np.zeros_like(e))
        look = {k: v for k, v in _LOOKS[i % len(_LOOKS)].items() if k != "zorder"}
        ax.plot(e, value, color=CLASS_COLORS[i], label=_loss_name(fn), **look)
        gx.plot(e, grad, color=CLASS_COLORS[i], label=_loss_name(fn), **look)
    for a, label in ((ax, "loss of one point"), (gx, "dL/d(prediction)")):
        a.axhline(0, color="0.7", lw=0.8)
        a.axvline(0, color="0.7", lw=0.8)
        a.set_xlabel("error  e = prediction - target")
        a.set_ylabel(label)
        a.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper center")
    box.suptitle("loss and gradient against the error", fontsize=10)
    return fig


def softmax_temperature(logits=(2.0, 1.0, 0.1), temperatures=(0.5, 1.0, 2.0, 5.0), ax=None):
    """softmax(z / T) of the same logits at several temperatures, as grouped bars: a low
    T sharpens towards the largest logit, a high T flattens towards uniform. The engine's
    Softmax computes every bar. Returns the Figure."""
    z = np.asarray(logits, dtype=np.float64).reshape(-1)
    temps = np.asarray(temperatures, dtype=np.float64).reshape(-1)
    if z.size < 2:
        raise ValueError(f"logits must hold at least 2 values; received {list(z)}")
    if not (np.isfinite(temps).all() and (temps > 0).all()):
        raise ValueError(f"temperatures must be positive numbers; received {list(temps)}")
    soft = activations.get("softmax")
    probs = np.asarray(soft(z[None, :] / temps[:, None]))  # (temperatures, classes)
    fig, ax = on_axes(ax, 6.4, 3.8)
    width = 0.8 / len(temps)
    colors = series_colors(len(temps))
    for i, (t, p) in enumerate(zip(temps, probs)):
        pos = np.arange(z.size) + (i - (len(temps) - 1) / 2) * width
        bars = ax.bar(pos, p, width, color=colors[i], label=f"T = {t:g}")
        ax.bar_label(bars, labels=[f"{v:.2f}" for v in p], fontsize=6.5, padding=1)
    ax.set_xticks(range(z.size), [f"class {k}\nz = {v:g}" for k, v in enumerate(z)])
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1.08)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              title="temperature", title_fontsize=8)
    ax.set_title("softmax(z / T): low T sharpens, high T flattens", fontsize=10)
    ax.mlplab_probabilities = probs
    return fig
