"""Pictures of a :class:`~mlplab.explain.trace.Trace`: the network graph at each step.

Nodes carry their values (``z``, ``a`` once the forward pass reached them, ``delta``
once the backward pass did; batch means for several samples); the active layer's
edges carry the weights (forward), their gradients (backward) or the new weights
(update). Edges are blue for positive and red for negative weights, their width
proportional to ``|w|`` on ONE scale for every step (the largest ``|w|`` before or
after the update), so a width means the same in every frame. Below the graph, the
step's formulas with their numbers.
"""

from __future__ import annotations

import numpy as np

#: edges drawn with their values only up to this many per layer (beyond, too crowded)
MAX_EDGE_LABELS = 16
#: widest layer drawn
MAX_UNITS = 16
ACTIVE = "#ff7f0e"
COLUMN = 2.6        # horizontal distance between layers (data units)
PANEL_LINES = 9     # at most this many formula lines under the graph


def _positions(sizes):
    return [np.column_stack([np.full(n, COLUMN * i), (n - 1) / 2 - np.arange(n)])
            for i, n in enumerate(sizes)]


def _phase(name: str):
    kind, _, k = name.partition(" ")
    return kind, int(k) if k else None


def _panel_rows(trace, name):
    rows = [r for r in trace.rows(digits=4) if r[0] == name]
    lines = []
    for _, qty, formula, value in rows:
        value = " ".join(value.split())
        text = f"{qty} = {formula} = {value}"
        lines.append(text if len(text) <= 96 else text[:93] + "...")
    if len(lines) > PANEL_LINES:
        lines = lines[:PANEL_LINES - 1] + [f"... and {len(lines) - PANEL_LINES + 1} more "
                                           "(trace.text() prints every number)"]
    return lines


DESCRIPTIONS = {
    "input": "the input x and the target y",
    "forward": "forward pass, layer {k}: z{k} = a{prev} @ W{k} + b{k}, a{k} = f(z{k})",
    "loss": "the loss L and its gradient dL/da{K}",
    "backward": "backward pass, layer {k}: delta{k} = dL/dz{k}, then dL/dW{k} and dL/db{k}",
    "update": "one SGD step (lr {lr:g}): the new weights and the new loss",
}


def _check_size(trace):
    sizes = [trace.layers[0].W.shape[0]] + [t.W.shape[1] for t in trace.layers]
    if max(sizes) > MAX_UNITS:
        raise ValueError(f"the trace's picture draws layers of at most {MAX_UNITS} units; this "
                         f"network's widths are {sizes} (trace.text() prints any size)")
    return sizes


def draw_step(trace, s: int, dpi: int = 100):
    """The figure of step ``s`` (an index into ``trace.steps``)."""
    from ..viz._style import new_figure
    from ..viz.network import NEGATIVE, POSITIVE

    sizes = _check_size(trace)
    names = trace.steps
    name = names[s]
    kind, k_active = _phase(name)
    K = len(trace.layers)
    pos = _positions(sizes)
    top = max(sizes)
    n_lines = max(len(_panel_rows(trace, n)) for n in names)
    graph_h = 0.95 * top + 1.5
    panel_h = 0.19 * n_lines + 0.35
    width = 2.1 * (K + 1) + 2.6
    fig = new_figure(width, graph_h + panel_h, dpi=dpi)
    ax, px = fig.subplots(2, 1, height_ratios=[graph_h, panel_h])

    after = name == "update"
    scale = max(max(np.abs(t.W).max(), np.abs(t.W_new).max()) for t in trace.layers) or 1.0
    from matplotlib.collections import LineCollection

    for t in trace.layers:
        W = t.W_new if after else t.W
        src, dst = pos[t.k - 1], pos[t.k]
        segs, colors, widths = [], [], []
        active = after or k_active == t.k
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                segs.append([src[i], dst[j]])
                colors.append(POSITIVE if W[i, j] >= 0 else NEGATIVE)
                widths.append(0.5 + 5.5 * abs(W[i, j]) / scale)
        ax.add_collection(LineCollection(segs, colors=colors, linewidths=widths,
                                         alpha=1.0 if active else 0.3, zorder=1))
        if active and W.size <= MAX_EDGE_LABELS:
            values, tag = ((t.W_new, "w") if after else (t.dW, "dW") if kind == "backward"
                           else (t.W, "w"))
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    p = src[i] + 0.27 * (dst[j] - src[i])
                    ax.text(*p, f"{tag} {values[i, j]:.4f}", fontsize=7.5, ha="center", va="center",
                            zorder=4, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                                alpha=0.85))

    # the loss node, right of the outputs
    loss_at = np.array([COLUMN * (K + 0.75), 0.0])
    shown_loss = s >= names.index("loss")
    out = pos[-1]
    ax.add_collection(LineCollection([[p, loss_at] for p in out], colors="0.6",
                                     linestyles="dashed", linewidths=1, zorder=1))
    ax.scatter(*loss_at, s=900, marker="s", c="#f4f4f4" if not shown_loss else "#fff3e0",
               edgecolors=ACTIVE if kind == "loss" or after else "0.3",
               linewidths=2.2 if kind == "loss" or after else 1.2, zorder=2)
    ax.text(*loss_at, "L", ha="center", va="center", fontsize=10, zorder=3)
    y_text = f"y {_mean(trace.y, trace.n_samples)}"
    loss_lines = [y_text]
    if shown_loss:
        loss_lines.insert(0, f"L {trace.loss:.4f}" + (f" -> {trace.new_loss:.4f}" if after else ""))
        if trace.layers[-1].dL_da.shape[1] == 1:
            loss_lines.append(f"dL/da{K} {_mean(trace.layers[-1].dL_da, trace.n_samples)}")
    _label(ax, loss_at, loss_lines, below=True)

    for layer, (p, n) in enumerate(zip(pos, sizes)):
        active = (kind == "input" and layer == 0) or k_active == layer or (after and layer > 0)
        face = "#eeeeee" if layer == 0 else "white"
        ax.scatter(*p.T, s=520, c=face, edgecolors=ACTIVE if active else "0.25",
                   linewidths=2.4 if active else 1.2, zorder=2)
        for j in range(n):
            inside = f"x{j + 1}" if layer == 0 else f"{j + 1}"
            ax.text(*p[j], inside, ha="center", va="center", fontsize=8, zorder=3)
            _label(ax, p[j], _node_lines(trace, names, s, layer, j), left=layer == 0)
        act = trace.layers[layer - 1].activation if layer else ""
        head = "input" if layer == 0 else f"layer {layer} ({'linear' if act == 'identity' else act})"
        ax.text(COLUMN * layer, (top - 1) / 2 + 0.75, head, ha="center", fontsize=9,
                color=ACTIVE if active else "0.2")
    ax.text(loss_at[0], (top - 1) / 2 + 0.75, f"loss ({trace.loss_name})", ha="center", fontsize=9)
    ax.set_xlim(-1.5, loss_at[0] + 1.0)
    ax.set_ylim(-(top - 1) / 2 - 0.8, (top - 1) / 2 + 1.1)
    ax.axis("off")
    prev = "0" if k_active == 1 else f"{(k_active or 1) - 1}"
    desc = DESCRIPTIONS[kind].format(k=k_active, prev=prev if k_active != 1 else "0", K=K, lr=trace.lr)
    if k_active == 1:
        desc = desc.replace("a0", "x")
    batch = "" if trace.n_samples == 1 else f"   (node values: mean of {trace.n_samples} samples)"
    ax.set_title(f"step {s + 1} of {len(names)}: {desc}{batch}", fontsize=10, loc="left")

    px.axis("off")
    lines = _panel_rows(trace, name)
    px.text(0.0, 1.0, "\n".join(lines), family="monospace", fontsize=8.5, va="top", ha="left",
            transform=px.transAxes)
    px.text(1.0, 0.0, f"edges: blue +, red -, width ~ |w| (one scale: largest |w| {scale:.3f})",
            fontsize=7.5, color="0.35", ha="right", va="bottom", transform=px.transAxes)
    return fig


def _mean(arr, n):
    v = np.mean(arr, axis=0) if n > 1 else arr[0]
    return ", ".join(f"{x:.4g}" for x in np.ravel(v))


def _node_lines(trace, names, s, layer, j):
    n = trace.n_samples

    def val(arr):
        return float(np.mean(arr[:, j])) if n > 1 else float(arr[0, j])

    if layer == 0:
        return [f"{val(trace.x):.4f}"]
    t = trace.layers[layer - 1]
    lines = []
    if s >= names.index(f"forward {layer}"):
        lines += [f"z {val(t.z):.4f}", f"a {val(t.a):.4f}"]
    if s >= names.index(f"backward {layer}"):
        lines.append(f"\u03b4 {val(t.delta):.4f}")
    return lines


def _label(ax, p, lines, below=False, left=False):
    if not lines:
        return
    if left:
        x, y, ha, va = p[0] - 0.35, p[1], "right", "center"
    elif below:
        x, y, ha, va = p[0], p[1] - 0.36, "center", "top"
    else:
        x, y, ha, va = p[0] + 0.3, p[1] + 0.22, "left", "bottom"
    ax.text(x, y, "\n".join(lines), fontsize=8, ha=ha, va=va, zorder=5,
            bbox=dict(boxstyle="round,pad=0.2", fc="#fffbe6", ec="0.8", alpha=0.95))


def TraceAnimation(trace, dpi: int = 100):
    """A :class:`~mlplab.viz.FrameAnimation` with one frame per step of ``trace``."""
    from ..viz._style import rgb_array
    from ..viz.animation import FrameAnimation

    _check_size(trace)

    class _TraceAnimation(FrameAnimation):
        title = "one training step, traced"

        def frames(self):
            for s in range(len(trace.steps)):
                yield rgb_array(draw_step(trace, s, dpi=dpi))

        def labels(self):
            return [f"{i + 1}. {name}" for i, name in enumerate(trace.steps)]

    return _TraceAnimation()
