"""The picture of a network's linear regions: each region a polygon in its own pale
colour, the exact decision boundary over them, the data on top, and the count beside
its bound in the title (matplotlib, imported when drawing)."""

from __future__ import annotations

import numpy as np

from .regions import _cut, _hidden_widths, region_bound, regions

_PASTELS = ["#f4cccc", "#fce5cd", "#fff2cc", "#d9ead3", "#d0e0e3", "#cfe2f3", "#d9d2e9",
            "#ead1dc", "#e6b8af", "#b6d7a8", "#a2c4c9", "#b4a7d6", "#f9cb9c", "#ffe599",
            "#9fc5e8", "#d5a6bd"]


def _boundary_segments(region, tol):
    """Pieces of the decision boundary inside one region (where the top class changes).

    One output: the logit's zero line (P = 0.5). Several: the lines z_i = z_j on the
    border of class i's cell (z_i >= every other z_j)."""
    M, c = region.M, region.c
    if M.shape[1] == 1:
        M, c = np.concatenate([np.zeros((2, 1)), M], axis=1), np.concatenate([[0.0], c])
    segs = []
    for i in range(M.shape[1]):
        cell = region.polygon
        for j in range(M.shape[1]):
            if j != i and cell is not None:
                cell, _ = _cut(cell, M[:, i] - M[:, j], c[i] - c[j], tol)
        if cell is None or len(cell) < 2:
            continue
        gap = cell @ M + c
        gap = gap[:, [i]] - np.delete(gap, i, axis=1)       # z_i - z_j >= 0 on the cell
        on_line = np.abs(gap) <= tol * 10
        for k in range(len(cell)):
            k2 = (k + 1) % len(cell)
            if np.any(on_line[k] & on_line[k2]):
                segs.append([cell[k], cell[k2]])
    return segs


def regions_figure(model, bounds=(-1.0, 1.0, -1.0, 1.0), X=None, y=None, replica=None, ax=None,
                   title=None):
    """Draw the linear regions of ``model`` over ``bounds``; returns the Figure.

    Regions are filled in pale colours with thin white borders (the units' lines, bent
    where a deeper layer bends them); the decision boundary is the black line, exact
    (it is straight inside each region). ``X, y`` (optional) are drawn as points
    coloured by class. The title gives the count and lesson A's bound.
    """
    from matplotlib.collections import LineCollection, PolyCollection

    from ..viz._style import class_color, new_figure

    found = regions(model, bounds, replica=replica)
    x0, x1, y0, y1 = (float(b) for b in bounds)
    if ax is None:
        fig = new_figure(5.2, 5.0)
        ax = fig.add_subplot()
    fig = ax.figure
    colors = [_PASTELS[(7 * k) % len(_PASTELS)] for k in range(len(found))]
    ax.add_collection(PolyCollection([r.polygon for r in found], facecolors=colors,
                                     edgecolors="white", linewidths=0.8))
    tol = 1e-9 * max(x1 - x0, y1 - y0) * (1 + max((np.abs(r.M).sum() + np.abs(r.c).sum() for r in found),
                                                  default=0))
    segs = [s for r in found for s in _boundary_segments(r, tol)]
    if segs:
        ax.add_collection(LineCollection(segs, colors="black", linewidths=1.8))
    if X is not None:
        X = np.asarray(X, dtype=float)
        labels = np.zeros(len(X), int) if y is None else np.asarray(y).astype(int).ravel()
        for k in np.unique(labels):
            pts = X[labels == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=9, color=class_color(int(k)), edgecolors="white",
                       linewidths=0.3, label=f"class {k}", zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    d, hidden = _hidden_widths(model)
    bound = region_bound(model)
    if len(hidden) == 1:
        formula = f"1 + k + C(k, 2) = {bound} (k = {hidden[0]})"
    else:
        factors = " \u00d7 ".join(str(region_bound([d, n, 1])) for n in hidden)
        formula = rf"$\Pi_i\,\Sigma_{{j \leq {d}}}$ C($n_i$, j) = {factors} = {bound}"
    arch = "-".join(str(n) for n in [d, *hidden, model.n_outputs])
    ax.set_title(title or f"{arch}: {len(found)} linear regions\nbound {formula}", fontsize=9)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    return fig
