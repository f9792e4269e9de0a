"""The data alone, before any model: a scatter of a 2-D dataset (class 0 red, class 1
blue, test points hollow) or of a 1-D regression set (x against y)."""

from __future__ import annotations

import numpy as np

from ._style import on_axes
from .boundary import _legend, draw_points


def dataset(X, y, X_test=None, y_test=None, *, classes=None, title=None, ax=None):
    """Scatter ``X`` coloured by ``y``: 2-D classification data (``X`` ``(n, 2)``, integer
    labels) or 1-D regression data (``X`` ``(n,)`` or ``(n, 1)``, float targets drawn as
    y against x). Test points are hollow. Returns the Figure.

    Example: ``viz.dataset(*mlplab.data.moons(seed=0))``.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim == 1 or X.shape[-1] == 1:
        fig, ax = on_axes(ax, 5.2, 3.8)
        ax.scatter(X.reshape(-1), y.reshape(-1), s=18, color="0.25", zorder=3, label="train")
        if X_test is not None:
            ax.scatter(np.ravel(X_test), np.ravel(y_test), s=22, facecolors="white",
                       edgecolors="0.25", zorder=3, label="test")
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.grid(alpha=0.3)
        ax.set_title(title or f"{len(X)} points", fontsize=10)
        return fig
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must be (n, 2) points or (n,) / (n, 1) values; received shape "
                         f"{X.shape}")
    fig, ax = on_axes(ax, 5.6, 4.6)
    size = 60 if len(X) <= 20 else 30 if len(X) <= 200 else 18
    draw_points(ax, X, y.astype(int), size=size)
    if X_test is not None:
        draw_points(ax, np.asarray(X_test), np.asarray(y_test).astype(int), test=True, size=size)
    k = int(max(y.max(), 1 if y_test is None else np.max(y_test))) + 1
    _legend(ax, classes or [str(i) for i in range(k)], X_test is not None)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    counts = ", ".join(f"{int((y == c).sum())} of class {c}" for c in range(k))
    ax.set_title(title or f"{len(X)} points: {counts}", fontsize=10)
    return fig
