"""Image datasets (MNIST and the like): sample grids, predictions with their
confidence, and the confusion matrix as a heatmap."""

from __future__ import annotations

import numpy as np

from ._style import BAD, GOOD, on_axes, on_figure


def _as_images(X, shape):
    X = np.asarray(X)
    side = int(round(np.sqrt(X.shape[-1]))) if X.ndim == 2 else None
    return X.reshape(len(X), *(shape or (side, side)))


def image_grid(X, y=None, n: int = 25, shape=None, classes=None, title=None, seed=None, fig=None):
    """``n`` images in a square-ish grid, each titled with its label."""
    idx = np.arange(min(n, len(X))) if seed is None else \
        np.random.default_rng(seed).choice(len(X), min(n, len(X)), replace=False)
    images = _as_images(np.asarray(X)[idx], shape)
    cols = int(np.ceil(np.sqrt(len(idx))))
    rows = -(-len(idx) // cols)
    fig, box = on_figure(fig, 1.3 * cols, 1.45 * rows + 0.3)
    for i, k in enumerate(idx):
        ax = box.add_subplot(rows, cols, i + 1)
        ax.imshow(images[i], cmap="gray_r", interpolation="nearest")
        if y is not None:
            label = y[k] if classes is None else classes[y[k]]
            ax.set_title(str(label), fontsize=9)
        ax.axis("off")
    if title:
        box.suptitle(title, fontsize=10)
    return fig


ORDERS = ("mixed", "first", "mistakes")


def prediction_grid(model, X, y, n: int = 25, shape=None, classes=None, inputs=None, seed=0,
                    title=None, order: str = "mixed", layout=None, fig=None):
    """Predictions with their confidence: green when right, red when wrong.

    ``X`` are the images to show; ``inputs`` (default ``X``) what the network takes.

    Parameters
    ----------
    order : "mixed", "first" or "mistakes"
        Which images: "mixed" (default) draws up to half mistakes and the rest right, at
        random (``seed``); "first" the first ``n`` in the data's order (as a lesson's
        ``X[:16]``); "mistakes" the first mistakes in order, then right answers.
    layout : (rows, cols), optional
        The grid, e.g. ``(2, 8)`` or ``(4, 4)``; ``n`` becomes at most rows x cols.
        By default a square-ish grid.
    fig : Figure or SubFigure, optional
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}; received order={order!r}")
    if layout is not None:
        if len(layout) != 2 or min(int(v) for v in layout) < 1:
            raise ValueError(f"layout must be (rows, cols) of positive ints; received "
                             f"layout={layout!r}")
        n = min(n, int(layout[0]) * int(layout[1]))
    X, y = np.asarray(X), np.asarray(y)
    proba = model.predict_proba(X if inputs is None else inputs)
    pred = proba.argmax(axis=-1)
    wrong = np.flatnonzero(pred != y)
    right = np.flatnonzero(pred == y)
    if order == "first":
        pick = np.arange(min(n, len(y)))
    elif order == "mistakes":
        pick = np.concatenate([wrong[:n], right[:max(0, n - len(wrong))]]).astype(int)
    else:
        rng = np.random.default_rng(seed)
        n_wrong = min(len(wrong), n // 2)
        chosen = list(rng.choice(wrong, n_wrong, replace=False)) if n_wrong else []
        chosen += list(rng.choice(right, min(n - n_wrong, len(right)), replace=False))
        pick = np.array(chosen, dtype=int)
    n_wrong = int((pred[pick] != y[pick]).sum())
    images = _as_images(X[pick], shape)
    if layout is not None:
        rows, cols = int(layout[0]), int(layout[1])
    else:
        cols = int(np.ceil(np.sqrt(len(pick))))
        rows = -(-len(pick) // cols)
    fig, box = on_figure(fig, 1.45 * cols, 1.6 * rows + 0.3)
    name = (lambda k: str(k)) if classes is None else (lambda k: str(classes[k]))
    for i, k in enumerate(pick):
        ax = box.add_subplot(rows, cols, i + 1)
        ax.imshow(images[i], cmap="gray_r", interpolation="nearest")
        ok = pred[k] == y[k]
        text = f"{name(pred[k])} ({100 * proba[k, pred[k]]:.0f}%)"
        if not ok:
            text += f"\ntrue {name(y[k])}"
        ax.set_title(text, fontsize=8, color=GOOD if ok else BAD)
        ax.axis("off")
    acc = (pred == y).mean()
    box.suptitle(title or f"predictions (accuracy {100 * acc:.2f}% on {len(y)}; "
                 f"{n_wrong} of the {len(pick)} shown are mistakes)", fontsize=10)
    return fig


def confusion_heatmap(C, classes=None, title=None, normalize=True, ax=None):
    """The confusion matrix (rows true, columns predicted), counts written in the cells;
    colours by row-normalised rate when ``normalize``."""
    C = np.asarray(C)
    k = len(C)
    classes = classes or [str(i) for i in range(k)]
    rates = C / np.maximum(C.sum(axis=1, keepdims=True), 1) if normalize else C
    size = 0.5 * k + 2.0
    fig, ax = on_axes(ax, size + 0.8, size)
    im = ax.imshow(rates, cmap="Blues", vmin=0)
    for i in range(k):
        for j in range(k):
            dark = rates[i, j] > 0.5 * rates.max()
            ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8 if k > 6 else 10,
                    color="white" if dark else "black")
    ax.set_xticks(range(k), classes, rotation=45 if max(map(len, classes)) > 3 else 0, ha="right"
                  if max(map(len, classes)) > 3 else "center")
    ax.set_yticks(range(k), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.figure.colorbar(im, ax=ax, shrink=0.8, label="fraction of the true class" if normalize else "count")
    ax.set_title(title or f"confusion matrix (accuracy {100 * np.trace(C) / C.sum():.2f}%)",
                 fontsize=10)
    return fig
