"""Drawing a :class:`mlplab.autograd.Value` expression graph with matplotlib (no graphviz).

Inputs sit on the left, the output on the right; a node's column is one left of
its first user's (the output's column is the longest path from an input to it).
Each value is a box with its label, data and grad; the operation that made it is
a small circle just left of the box. Rows follow the mean height of each node's
users and inputs (a few barycentre sweeps), so edges cross little.
"""

from __future__ import annotations

import numpy as np


def _layout(root):
    nodes = root.order()[::-1]                      # inputs first (topological order)
    col, users = {}, {id(n): [] for n in nodes}
    for n in nodes:
        col[id(n)] = 1 + max((col[id(c)] for c in n._prev), default=-1)
        for c in n._prev:
            users[id(c)].append(n)
    for n in nodes[::-1]:                           # each node just left of its first user
        if users[id(n)]:
            col[id(n)] = min(col[id(u)] for u in users[id(n)]) - 1
    ncol = max(col.values()) + 1
    columns = [[n for n in nodes if col[id(n)] == k] for k in range(ncol)]
    row = {}

    def spread(members):
        h = len(members)
        for i, n in enumerate(members):
            row[id(n)] = (h - 1) / 2 - i

    for members in columns:
        spread(members)
    for _ in range(3):                              # barycentre sweeps: fewer crossings
        for k in range(ncol - 2, -1, -1):
            columns[k].sort(key=lambda n: -np.mean([row[id(u)] for u in users[id(n)]] or [row[id(n)]]))
            spread(columns[k])
        for k in range(1, ncol):
            columns[k].sort(key=lambda n: -np.mean([row[id(c)] for c in n._prev] or [row[id(n)]]))
            spread(columns[k])
    return nodes, col, row, ncol, max(len(m) for m in columns)


def draw_value_graph(root, ax=None):
    """The graph that made ``root``; returns the Figure.

    Readable up to about 30 values (a 2-2-1 network on one sample and its loss);
    the figure grows with the number of columns and rows.
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    from ..viz._style import new_figure

    nodes, col, row, ncol, nrow = _layout(root)
    if ax is None:
        fig = new_figure(min(2.2 * ncol + 0.6, 24), min(0.75 * nrow + 0.9, 16))
        ax = fig.add_subplot()
    fig = ax.figure
    dx, box_w, box_h = 3.0, 1.9, 0.62
    pos = {id(n): (col[id(n)] * dx, row[id(n)]) for n in nodes}
    for n in nodes:
        x, y = pos[id(n)]
        target = (x - box_w / 2 - 0.57, y) if n._op else (x - box_w / 2, y)
        for c in n._prev:
            cx, cy = pos[id(c)]
            ax.annotate("", xy=target, xytext=(cx + box_w / 2, cy),
                        arrowprops=dict(arrowstyle="-|>", color="#777", lw=0.8,
                                        shrinkA=0, shrinkB=0), zorder=2.5)
        leaf = not n._prev
        face = "#fdf3d0" if leaf else ("#dbe9f7" if n is not root else "#d9f2d9")
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.02", fc=face, ec="#444", lw=0.8, zorder=2))
        title = n.label or ("" if n._prev else "constant")
        if title:
            ax.text(x, y + 0.15, title, ha="center", va="center", fontsize=7.5, weight="bold", zorder=3)
        ax.text(x, y - 0.1 if title else y, f"data {n.data:.4g}\ngrad {n.grad:.4g}", ha="center", va="center",
                fontsize=7, family="monospace", linespacing=1.1, zorder=3)
        if n._op:
            ox = x - box_w / 2 - 0.35
            ax.add_patch(Circle((ox, y), 0.22, fc="white", ec="#444", lw=0.8, zorder=2))
            ax.annotate("", xy=(x - box_w / 2, y), xytext=(ox + 0.22, y),
                        arrowprops=dict(arrowstyle="-", color="#777", lw=0.8))
            op = n._op if len(n._op) <= 4 else n._op[:4]
            ax.text(ox, y, op, ha="center", va="center", fontsize=6.5, zorder=3)
    ax.set_xlim(-box_w / 2 - 0.8, (ncol - 1) * dx + box_w / 2 + 0.2)
    ax.set_ylim(-(nrow - 1) / 2 - 0.6, (nrow - 1) / 2 + 0.6)
    ax.set_aspect("auto")
    ax.axis("off")
    ax.set_title(f"{root.label or 'output'} = {root.data:.4g}: data and grad (d{root.label or 'out'}/d node)",
                 fontsize=9)
    return fig
