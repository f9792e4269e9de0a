"""Decision boundaries of 2-D classifiers.

The field is drawn as one image: each pixel mixes the class colours by the
predicted probabilities, fading to white where the network is unsure (plain NumPy,
so an animation only swaps the image's data). The boundary is a smooth line on top:
matplotlib's contour of the probability at 0.5 (two classes), or of
``p_k - max_{j != k} p_j = 0`` per class (more classes), interpolated between grid
points rather than drawn as the grid's cells.
"""

from __future__ import annotations

import numpy as np

from ..nn.recorders import Grid
from ._replicas import Outcomes
from ._style import class_color, class_rgb, on_axes, on_figure

LINE_RGB = np.array([0.15, 0.15, 0.15])
#: where the model gives no finite probability (a diverged replica)
MISSING_RGB = np.array([0.86, 0.86, 0.86])


def field_image(proba: np.ndarray, boundary: bool = True, strength: float = 0.65) -> np.ndarray:
    """Class probabilities ``(res, res, K)`` -> an RGB image ``(res, res, 3)`` uint8.

    Colour = white + strength * (sum_k p_k colour_k - white) * confidence, with
    confidence = (max p - 1/K) / (1 - 1/K); boundary pixels are dark grey, and pixels
    without a finite probability (a diverged network) light grey.
    """
    p = np.asarray(proba, dtype=np.float32)
    missing = ~np.isfinite(p).all(axis=-1)
    if missing.any():
        p = np.where(missing[..., None], 0.0, p)
    k = p.shape[-1]
    colors = class_rgb(k).astype(np.float32)
    mixed = p @ colors
    confidence = (p.max(axis=-1, keepdims=True) - 1.0 / k) / (1.0 - 1.0 / k)
    rgb = 1.0 + strength * (mixed - 1.0) * (0.35 + 0.65 * confidence)
    if boundary:
        label = p.argmax(axis=-1)
        edge = np.zeros(label.shape, dtype=bool)
        edge[1:, :] |= label[1:, :] != label[:-1, :]
        edge[:, 1:] |= label[:, 1:] != label[:, :-1]
        rgb[edge & ~missing] = LINE_RGB
    rgb[missing] = MISSING_RGB
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def draw_points(ax, X, y, test: bool = False, size: float = 18):
    """Training points filled with their class colour and a thin dark rim (visible on
    their own class's region, even small); test points as hollow rings."""
    X, y = np.asarray(X), np.asarray(y)
    rim = 0.5 if size >= 12 else 0.35
    for k in np.unique(y):
        pts = X[y == k]
        if test:
            # hollow, and larger: a training point at the same place stays visible inside
            from matplotlib.patheffects import Normal, Stroke
            ax.scatter(pts[:, 0], pts[:, 1], s=size * 2.2, facecolors="none",
                       edgecolors=class_color(int(k)), linewidths=1.6, zorder=4,
                       path_effects=[Stroke(linewidth=3.0, foreground="0.1"), Normal()])
        else:
            ax.scatter(pts[:, 0], pts[:, 1], s=size, c=class_color(int(k)), edgecolors="0.1",
                       linewidths=rim, zorder=3)


def boundary_levels(proba: np.ndarray) -> list[np.ndarray]:
    """Fields whose zero level is the decision boundary: ``p_1 - p_0`` (zero where
    p = 0.5) for two classes, ``p_k - max_{j != k} p_j`` per class for more. Points
    without a finite probability are masked."""
    p = np.asarray(proba, dtype=np.float64)
    bad = ~np.isfinite(p).all(axis=-1)
    p = np.where(bad[..., None], 0.0, p)
    if p.shape[-1] == 2:
        fields = [p[..., 1] - p[..., 0]]
    else:
        fields = []
        for k in range(p.shape[-1]):
            others = np.delete(p, k, axis=-1).max(axis=-1)
            fields.append(p[..., k] - others)
    return [np.ma.masked_array(f, mask=bad) for f in fields]


def draw_boundary(ax, proba, grid: Grid, linewidth: float = 1.8):
    """The decision boundary as smooth contour lines on ``ax``; returns the ContourSets
    (empty when the network predicts one class everywhere)."""
    xs, ys = grid.axes
    sets = []
    for z in boundary_levels(proba):
        finite = z.compressed()
        if finite.size == 0 or finite.min() > 0 or finite.max() < 0:
            continue
        sets.append(ax.contour(xs, ys, z, levels=[0.0], colors=[tuple(LINE_RGB)],
                               linewidths=linewidth, zorder=2))
    return sets


def draw_field(ax, proba, grid: Grid, boundary: bool = True, linewidth: float = 1.8):
    """The probability field as an image on ``ax`` and, with ``boundary``, the 0.5
    contour over it; returns the image artist."""
    im = ax.imshow(field_image(proba, boundary=False), extent=grid.extent, origin="lower",
                   interpolation="bilinear", aspect="auto", zorder=1)
    if boundary:
        draw_boundary(ax, proba, grid, linewidth)
    ax.set_xlim(grid.x0, grid.x1)
    ax.set_ylim(grid.y0, grid.y1)
    return im


def _legend(ax, classes, with_test):
    """Class markers in a legend beside the axes, never over the data."""
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], marker="o", ls="", color=class_color(k), markeredgecolor="0.1",
                      markeredgewidth=0.5, label=str(name)) for k, name in enumerate(classes)]
    if with_test:
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white",
                              markeredgecolor="0.3", label="test"))
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                     borderaxespad=0.0, fontsize=8, frameon=False, title="class",
                     title_fontsize=8)


def _probabilities(model, inputs) -> np.ndarray:
    """``(..., n, K)`` class probabilities; a model without ``predict_proba`` (a
    :class:`~mlplab.nn.Perceptron`) gives its hard decisions as one-hot rows."""
    if hasattr(model, "predict_proba"):
        proba = np.asarray(model.predict_proba(inputs), dtype=np.float64)
        if proba.shape[-1] == 1:
            proba = np.concatenate([1 - proba, proba], axis=-1)
        return proba
    if not hasattr(model, "predict"):
        raise TypeError(f"model must have predict_proba or predict (a network or a Perceptron); "
                        f"received {type(model).__name__}")
    labels = np.asarray(model.predict(inputs)).astype(int)
    return np.eye(max(2, labels.max() + 1))[labels]


def _own_figures(model, X, y, X_test, y_test, transform) -> dict:
    """Accuracy per replica on the points drawn: ``{"train": ..., "test": ...}``."""
    def accuracy(X, y):
        inputs = X if transform is None else transform(X)
        return np.atleast_1d((np.asarray(model.predict(inputs)) == np.asarray(y)).mean(axis=-1))

    figures = {"train": {"accuracy": accuracy(X, y)}}
    if X_test is not None and y_test is not None:
        figures["test"] = {"accuracy": accuracy(X_test, y_test)}
    return figures


def decision_boundary(model, X, y, X_test=None, y_test=None, *, grid: Grid | None = None,
                      transform=None, classes=None, title=None, success=None, max_panels=20,
                      seeds=None, history=None, figures=None, ax=None, fig=None):
    """Figure of the decision boundary of ``model`` on 2-D data.

    ``model`` is a network (``predict_proba``: colours fade where it is unsure) or any
    classifier with ``predict`` such as :class:`~mlplab.nn.Perceptron` (hard regions,
    and its line ``w . x + b = 0`` drawn exactly when it has ``decision_function``).

    With replicas, one small panel per replica (the first ``max_panels``), titled with
    its seed (``seeds``, else ``model.seeds``) and the figure the success rule judges,
    green when the rule holds and red otherwise. The figure's title counts every
    replica, not only the panels shown: "35/50 seeds reach training accuracy > 95%
    (showing 20 of 50)".

    Parameters
    ----------
    success : rule text, :class:`~mlplab.nn.success.Success` or None
        The rule of :mod:`mlplab.nn.success` (None: its default, ``train_accuracy > 0.95``).
        A number ``t`` (the older threshold argument) means ``train_accuracy > t``.
    figures : dict, optional
        ``{split: {measure: values per replica}}`` (``TrainResult.figures``) to judge by;
        by default the accuracy on ``(X, y)`` as training and ``(X_test, y_test)`` as test.
    history : History, optional
        Marks replicas that diverged (``history.diverged``, ``history.diverged_epoch``):
        their panels read "diverged at epoch E", in red. A replica whose probabilities
        are not finite is marked diverged even without it.
    transform : callable, optional
        Maps raw points to network inputs (the scaler it was trained with).
    ax : Axes, optional
        Where to draw one network's boundary (e.g. one cell of a 2x2 comparison).
    fig : Figure or SubFigure, optional
        Where to put the panels of a replicated model.

    Returns the Figure drawn on.
    """
    X = np.asarray(X)
    grid = grid or Grid.around(X if X_test is None else np.vstack([X, X_test]))
    inputs = grid.points if transform is None else transform(grid.points)
    proba = _probabilities(model, inputs)
    r = grid.resolution
    proba = proba.reshape(*proba.shape[:-2], r, r, proba.shape[-1])
    n_classes = proba.shape[-1]
    classes = classes or [str(k) for k in range(n_classes)]
    if proba.ndim == 3:
        fig, ax = on_axes(ax, 5.6, 4.6)
        exact_line = hasattr(model, "decision_function") and not hasattr(model, "predict_proba")
        draw_field(ax, proba, grid, boundary=not exact_line)
        if exact_line:
            score = np.asarray(model.decision_function(inputs)).reshape(r, r)
            ax.contour(*grid.axes, score, levels=[0.0], colors=[tuple(LINE_RGB)],
                       linewidths=1.8, zorder=2)
        size = 60 if len(X) <= 20 else 30 if len(X) <= 200 else 18  # a truth table: big dots
        draw_points(ax, X, y, size=size)
        if X_test is not None:
            draw_points(ax, X_test, y_test, test=True, size=size)
        _legend(ax, classes, X_test is not None)
        out = Outcomes.build(1, history=history, broken=~np.isfinite(proba).all(), max_panels=1)
        diverged = out.diverged_at[0] != -1
        default = "decision boundary" + (f", {out.title(0).split(': ')[1]}" if diverged else "")
        ax.set_title(title or default, color=out.color(0))
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        return fig
    if ax is not None:
        raise ValueError(f"ax draws one panel, but the model has {proba.shape[:-3]} replicas: "
                         "pass fig= (a Figure or SubFigure) for its panels, or one replica's model")
    flat = proba.reshape(-1, r, r, n_classes)
    y = np.asarray(y)
    if figures is None:
        figures = _own_figures(model, X, y, X_test, y_test, transform)
    out = Outcomes.build(len(flat), success=success, figures=figures, seeds=seeds, model=model,
                         history=history, broken=~np.isfinite(flat).all(axis=(1, 2, 3)),
                         max_panels=max_panels)
    cols = min(5, out.shown)
    rows = -(-out.shown // cols)
    fig, box = on_figure(fig, 2.3 * cols, 2.3 * rows + 0.5)
    for i in range(out.shown):
        ax = box.add_subplot(rows, cols, i + 1)
        draw_field(ax, flat[i], grid, linewidth=1.2)
        draw_points(ax, X[i] if X.ndim == 3 else X, y[i] if y.ndim == 2 else y,
                    size=7 if out.shown > 10 else 9)
        ax.set_title(out.title(i), fontsize=8.5, color=out.color(i))
        if out.diverged_at[i] != -1:
            for spine in ax.spines.values():
                spine.set_edgecolor(out.color(i))
                spine.set_linewidth(1.5)
        ax.set_xticks([])
        ax.set_yticks([])
    box.suptitle(title or out.summary())
    return fig
