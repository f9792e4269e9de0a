"""Decision boundaries of 2-D classifiers.

The field is drawn as one image: each pixel mixes the class colours by the
predicted probabilities, fading to white where the network is unsure, and pixels
where the predicted class changes from a neighbour's are darkened: that line is
the 0.5 contour for two classes and the border between class regions for more.
Building the image is plain NumPy, so an animation only swaps the image's data.
"""

from __future__ import annotations

import numpy as np

from ..nn.recorders import Grid
from ._style import BAD, GOOD, class_color, class_rgb, new_figure

LINE_RGB = np.array([0.15, 0.15, 0.15])


def field_image(proba: np.ndarray, boundary: bool = True, strength: float = 0.65) -> np.ndarray:
    """Class probabilities ``(res, res, K)`` -> an RGB image ``(res, res, 3)`` uint8.

    Colour = white + strength * (sum_k p_k colour_k - white) * confidence, with
    confidence = (max p - 1/K) / (1 - 1/K); boundary pixels are dark grey.
    """
    p = np.asarray(proba, dtype=np.float32)
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
        rgb[edge] = LINE_RGB
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def draw_points(ax, X, y, test: bool = False, size: float = 18):
    """Training points filled with their class colour; test points as hollow rings."""
    X, y = np.asarray(X), np.asarray(y)
    for k in np.unique(y):
        pts = X[y == k]
        if test:
            ax.scatter(pts[:, 0], pts[:, 1], s=size * 1.3, facecolors="white",
                       edgecolors=class_color(int(k)), linewidths=1.6, zorder=3)
        else:
            ax.scatter(pts[:, 0], pts[:, 1], s=size, c=class_color(int(k)), edgecolors="white",
                       linewidths=0.5, zorder=3)


def draw_field(ax, proba, grid: Grid, boundary: bool = True):
    """The probability field as an image on ``ax``; returns the image artist."""
    im = ax.imshow(field_image(proba, boundary), extent=grid.extent, origin="lower",
                   interpolation="nearest", aspect="auto", zorder=1)
    ax.set_xlim(grid.x0, grid.x1)
    ax.set_ylim(grid.y0, grid.y1)
    return im


def _legend(ax, classes, with_test):
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], marker="o", ls="", color=class_color(k), label=str(name))
               for k, name in enumerate(classes)]
    if with_test:
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="white",
                              markeredgecolor="0.3", label="test"))
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85)


def decision_boundary(model, X, y, X_test=None, y_test=None, *, grid: Grid | None = None,
                      transform=None, classes=None, title=None, success=0.95, max_panels=20):
    """Figure of the decision boundary of ``model`` on 2-D data.

    With replicas, one small panel per replica (up to ``max_panels``), titled with
    its training accuracy in green when it reaches ``success``, red otherwise.
    ``transform`` maps raw points to network inputs (the scaler it was trained with).
    """
    X = np.asarray(X)
    grid = grid or Grid.around(X if X_test is None else np.vstack([X, X_test]))
    inputs = grid.points if transform is None else transform(grid.points)
    proba = model.predict_proba(inputs)
    if proba.shape[-1] == 1:
        proba = np.concatenate([1 - proba, proba], axis=-1)
    r = grid.resolution
    proba = proba.reshape(*proba.shape[:-2], r, r, proba.shape[-1])
    n_classes = proba.shape[-1]
    classes = classes or [str(k) for k in range(n_classes)]
    if proba.ndim == 3:
        fig = new_figure(5.2, 4.6)
        ax = fig.add_subplot()
        draw_field(ax, proba, grid)
        draw_points(ax, X, y)
        if X_test is not None:
            draw_points(ax, X_test, y_test, test=True)
        _legend(ax, classes, X_test is not None)
        ax.set_title(title or "decision boundary")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        return fig
    flat = proba.reshape(-1, r, r, n_classes)[:max_panels]
    Xin = X if transform is None else transform(X)
    y = np.asarray(y)
    acc = (model.predict(Xin) == y).mean(axis=-1).reshape(-1)
    cols = min(5, len(flat))
    rows = -(-len(flat) // cols)
    fig = new_figure(2.2 * cols, 2.2 * rows + 0.4)
    for i, p in enumerate(flat):
        ax = fig.add_subplot(rows, cols, i + 1)
        draw_field(ax, p, grid)
        draw_points(ax, X[i] if X.ndim == 3 else X, y[i] if y.ndim == 2 else y, size=5)
        ok = acc[i] >= success
        ax.set_title(f"seed {i}: {100 * acc[i]:.0f}%", fontsize=9, color=GOOD if ok else BAD)
        ax.set_xticks([])
        ax.set_yticks([])
    n_ok = int((acc[:len(flat)] >= success).sum())
    fig.suptitle(title or f"{n_ok}/{len(flat)} seeds reach {100 * success:.0f}% training accuracy")
    return fig
