"""The perceptron drawn: its line over the data beside its mistakes per epoch, and the
line moving epoch by epoch (an animation).

The left panel is :func:`~mlplab.viz.decision_boundary` itself (a Perceptron gets its
hard regions and its exact line ``w . x + b = 0``); the right one is a bar per epoch.
"""

from __future__ import annotations

import numpy as np

from ._style import BAD, GOOD, new_figure, on_figure
from .animation import FrameAnimation
from .boundary import _legend, decision_boundary


def _describe(w, b) -> str:
    return "w = [" + ", ".join(f"{v:.3f}" for v in np.ravel(w)) + f"], b = {b:.3f}"


def _errors_panel(ax, errors, converged, upto=None):
    errors = np.asarray(errors)
    epochs = np.arange(1, len(errors) + 1)
    upto = len(errors) if upto is None else upto
    colors = ["0.75" if e > upto else (GOOD if err == 0 else BAD) for e, err in zip(epochs, errors)]
    ax.bar(epochs, errors, color=colors, width=0.8)
    for e, err in zip(epochs[:upto], errors[:upto]):
        if len(errors) <= 30:
            ax.text(e, err, str(int(err)), ha="center", va="bottom", fontsize=8)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mistakes (updates) in the epoch")
    ax.set_xlim(0.3, len(errors) + 0.7)
    ax.set_ylim(0, max(1, errors.max()) * 1.18)
    if len(errors) <= 20:
        ax.set_xticks(epochs)
    ax.grid(axis="y", alpha=0.3)
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    n = len(errors)
    ax.set_title(f"converged after {n} epoch{'s' * (n > 1)}" if converged
                 else f"not converged in {n} epochs", color=GOOD if converged else BAD)


def _big_points(ax, X, y):
    """The data on top, large and outlined: a truth table has only four points."""
    from ._style import class_color

    for k in np.unique(y):
        pts = X[np.asarray(y) == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=90, c=class_color(int(k)), edgecolors="black",
                   linewidths=1.2, zorder=4)


def perceptron_figure(model, X, y, *, classes=None, transform=None, title=None, fig=None):
    """The fitted perceptron's line over ``(X, y)`` and its mistakes per epoch.

    Parameters
    ----------
    model : a fitted :class:`~mlplab.nn.Perceptron` (``errors_``, ``weights_``, ``bias_``)
    X, y : the points to draw (raw; ``transform`` maps them to the perceptron's inputs)
    fig : Figure or SubFigure, optional
        Where to draw the two panels (a new figure when omitted); it is returned.
    """
    if not hasattr(model, "errors_"):
        raise ValueError("model must be a fitted Perceptron: call fit(X, y) first")
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"perceptron_figure draws 2-D data; received X of shape {X.shape}")
    from ..nn.recorders import Grid

    root, host = on_figure(fig, 10.4, 4.4)
    line_ax, errors_ax = host.subplots(1, 2, width_ratios=[1.1, 1.0])
    decision_boundary(model, X, y, classes=classes, transform=transform, ax=line_ax,
                      grid=Grid.around(X, resolution=200, margin=0.3),
                      title=title or _describe(model.weights_, model.bias_))
    _big_points(line_ax, X, y)
    _errors_panel(errors_ax, model.errors_, model.converged_)
    return root


class PerceptronAnimation(FrameAnimation):
    """The line after each epoch (``path``: ``(w, b)`` at the start and after every
    epoch, as ``Perceptron.fit(on_epoch=...)`` gives them), beside the mistakes so far.
    ``X`` are the perceptron's inputs (already scaled)."""

    title = "the perceptron learning"

    def __init__(self, path, errors, X, y, classes=None, converged=None, dpi: int = 80):
        if len(path) != len(errors) + 1:
            raise ValueError(f"path holds (w, b) at the start and after each epoch: "
                             f"{len(errors) + 1} pairs for {len(errors)} epochs; received {len(path)}")
        self.path, self.errors, self.X, self.y = path, list(errors), np.asarray(X), np.asarray(y)
        self.classes = classes or ["0", "1"]
        self.converged = bool(errors and errors[-1] == 0) if converged is None else converged
        self.dpi = dpi

    def labels(self):
        return ["start"] + [f"epoch {e}" for e in range(1, len(self.errors) + 1)]

    def frames(self):
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = 0.3 * np.maximum(hi - lo, 1e-9)
        lo, hi = lo - pad, hi + pad
        xs = np.linspace(lo[0], hi[0], 2)
        for e, (w, b) in enumerate(self.path):
            fig = new_figure(9.6, 4.0, dpi=self.dpi)
            ax, ex = fig.subplots(1, 2, width_ratios=[1.0, 1.1])
            _big_points(ax, self.X, self.y)
            _legend(ax, self.classes, False)
            if abs(w[1]) > 1e-12:
                ax.plot(xs, -(w[0] * xs + b) / w[1], color="0.15", lw=1.8)
            elif abs(w[0]) > 1e-12:
                ax.axvline(-b / w[0], color="0.15", lw=1.8)
            ax.set_xlim(lo[0], hi[0])
            ax.set_ylim(lo[1], hi[1])
            ax.set_xlabel("$x_1$")
            ax.set_ylabel("$x_2$")
            ax.set_title(("start: " if e == 0 else f"after epoch {e}: ") + _describe(w, b), fontsize=9)
            _errors_panel(ex, self.errors, self.converged, upto=e)
            if e < len(self.errors):
                ex.set_title("before the first epoch" if e == 0 else
                             f"after epoch {e} of {len(self.errors)}", color="0.2")
            fig.canvas.draw()
            yield np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
