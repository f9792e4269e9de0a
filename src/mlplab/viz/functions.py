"""The functions themselves: activations beside their derivatives (lesson B, E), and
loss functions (lesson B's BCE vs MSE, lesson C's MSE / MAE / Huber on data with
an outlier)."""

from __future__ import annotations

import numpy as np

from ..nn import activations, fit, losses, mlp
from ._style import CLASS_COLORS, on_axes, on_figure


def activation_functions(names=None, x_range=(-4.0, 4.0), fig=None):
    """One panel per activation: f(x) (solid) and f'(x) (dashed)."""
    names = names or activations.names()
    x = np.linspace(*x_range, 801)
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


def regression_losses(X, y, names=("mse", "mae", "huber"), epochs=3000, lr=0.05, seed=0, ax=None):
    """Fit ``y = w x + b`` with each loss (by mlplab's own training) and draw the lines.

    Returns the figure; the fitted (slope, intercept) pairs are in ``fig.mlplab_fits``.
    """
    X = np.asarray(X, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64)
    mean, std = X.mean(), X.std()
    fits = {}
    for name in names:
        net = mlp([1, 1], init="zeros", seed=seed, dtype="float64")
        fit(net, (X - mean) / std, y, loss=name, optimizer="adam", lr=lr, epochs=epochs)
        w, b = net.layers[0].params["W"][0, 0], net.layers[0].params["b"][0, 0]
        fits[name] = (w / std, b - w * mean / std)
    fig, ax = on_axes(ax, 6.0, 4.0)
    ax.scatter(X[:, 0], y, color="0.25", zorder=3, label="data")
    xs = np.linspace(X.min(), X.max(), 50)
    for i, (name, (slope, intercept)) in enumerate(fits.items()):
        ax.plot(xs, slope * xs + intercept, color=CLASS_COLORS[i], lw=2,
                label=f"{name}: y = {slope:.2f} x + {intercept:.2f}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title("one outlier: MSE follows it, MAE and Huber hold the line", fontsize=10)
    fig.mlplab_fits = fits
    return fig
