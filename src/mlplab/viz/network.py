"""The network as a graph: neurons as nodes, weights as edges.

Edge colour is the weight's sign (blue positive, red negative) and its width grows
with |w| on one absolute scale: width = 0.3 + 5.7 |w| / scale, where ``scale`` is the
largest |w| of the picture, or given (``scale=``) so that two pictures compare, and in
:class:`NetworkAnimation` the largest |w| of the whole film, so a weight that grows
looks thicker frame after frame. Each neuron's fill shows its bias the same way, and
nodes are labelled (inputs by name, hidden units "h<layer>.<unit>", outputs "out k").
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba

from ._style import frame_subset, new_figure, on_axes
from .animation import FrameAnimation

POSITIVE, NEGATIVE = "#1f77b4", "#d62728"
MAX_WIDTH = 6.0


def layout(sizes) -> list[np.ndarray]:
    """Node positions per layer: layer i at x = i, its units spread on y in [-1, 1]."""
    out = []
    for i, n in enumerate(sizes):
        y = np.linspace(1, -1, n) * (min(1.0, (n - 1) / 6) if n > 1 else 0)
        out.append(np.column_stack([np.full(n, float(i)), y]))
    return out


def edge_style(weights, scale=None):
    """``(colors (E, 4), widths (E,))`` for the flattened weights of every layer,
    in the order layer by layer, then input unit, then output unit."""
    flat = np.concatenate([np.asarray(W, dtype=np.float64).ravel() for W in weights])
    scale = scale or (np.abs(flat).max() or 1.0)
    colors = np.array([to_rgba(POSITIVE if w >= 0 else NEGATIVE) for w in flat])
    widths = 0.3 + (MAX_WIDTH - 0.3) * np.abs(flat) / scale
    return colors, np.minimum(widths, MAX_WIDTH)


def _segments(pos):
    segs = []
    for a, b in zip(pos[:-1], pos[1:]):
        for i in range(len(a)):
            for j in range(len(b)):
                segs.append([a[i], b[j]])
    return np.array(segs)


def _bias_colors(biases, scale):
    out = [(1, 1, 1, 1)]  # placeholder, replaced per layer below
    out = []
    for b in biases:
        for v in np.asarray(b, dtype=np.float64).ravel():
            base = np.array(to_rgba(POSITIVE if v >= 0 else NEGATIVE))
            alpha = min(1.0, abs(v) / scale)
            out.append(1 - alpha * (1 - base))
    return np.array(out)


def _weights_of(model_or_weights, replica=0):
    if hasattr(model_or_weights, "dense_layers"):
        pairs = [(layer.params["W"], layer.params.get("b", np.zeros((1, layer.fan_out))))
                 for layer in model_or_weights.dense_layers]
    else:
        pairs = model_or_weights
    out = []
    for W, b in pairs:
        if W.ndim == 3:
            W, b = W[replica], b[replica]
        out.append((np.asarray(W), np.asarray(b)))
    return out


def _node_labels(ax, pos, input_names, output_names):
    last = len(pos) - 1
    for layer, points in enumerate(pos):
        if layer and len(points) > 12:  # a wide layer: labels would overlap
            continue
        for k, (x, y) in enumerate(points):
            if layer == 0:
                name = input_names[k] if input_names else f"x{k + 1}"
                ax.text(x - 0.12, y, name, ha="right", va="center", fontsize=9)
            elif layer == last:
                name = output_names[k] if output_names else f"out {k}"
                ax.text(x + 0.12, y, name, ha="left", va="center", fontsize=8)
            else:
                ax.text(x, y, f"h{layer}.{k + 1}", ha="center", va="center", fontsize=5.5,
                        zorder=3)


class _Graph:
    def __init__(self, ax, pairs, input_names=None, scale=None, output_names=None):
        sizes = [pairs[0][0].shape[0]] + [W.shape[1] for W, _ in pairs]
        self.pos = layout(sizes)
        self.edges = LineCollection(_segments(self.pos), zorder=1)
        ax.add_collection(self.edges)
        hidden = np.vstack(self.pos[1:])
        ax.scatter(*self.pos[0].T, s=260, c="white", edgecolors="0.2", linewidths=1.2, zorder=2)
        self.nodes = ax.scatter(*hidden.T, s=260, c="white", edgecolors="0.2", linewidths=1.2,
                                zorder=2)
        _node_labels(ax, self.pos, input_names, output_names)
        ax.set_xlim(-0.6, len(sizes) - 0.3)
        ax.set_ylim(-1.25, 1.25)
        ax.axis("off")
        self.update(pairs, scale)

    def update(self, pairs, scale=None):
        weights = [W for W, _ in pairs]
        if scale is None:
            scale = max(np.abs(np.concatenate([w.ravel() for w in weights])).max(), 1e-12)
        colors, widths = edge_style(weights, scale)
        self.edges.set_color(colors)
        self.edges.set_linewidths(widths)
        self.nodes.set_facecolors(_bias_colors([b for _, b in pairs], scale))
        self.scale = scale


def _positive_scale(scale):
    if scale is None:
        return None
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number (the |w| drawn widest); received "
                         f"scale={scale!r}")
    return float(scale)


def network_graph(model_or_weights, replica: int = 0, input_names=None, title=None, ax=None,
                  scale=None, output_names=None):
    """Draw a network (an mlplab model, or a list of ``(W, b)``) as a graph.

    ``scale`` is the |w| drawn at full width (default: the largest |w| here); give two
    pictures the same ``scale`` (e.g. before and after training) to compare them.
    The returned figure's axes hold the edges as ``axes.collections[0]`` (a
    LineCollection), in the order of :func:`edge_style`.
    """
    pairs = _weights_of(model_or_weights, replica)
    scale = _positive_scale(scale)
    tall = max([pairs[0][0].shape[0]] + [W.shape[1] for W, _ in pairs]) > 12
    fig, ax = on_axes(ax, 1.6 * (len(pairs) + 1) + 1.0, 5.5 if tall else 3.8)
    graph = _Graph(ax, pairs, input_names, scale, output_names)
    ax.set_title(title or f"weights: blue +, red -, width ~ |w| (full width at |w| = "
                 f"{graph.scale:.2f}); fill: bias", fontsize=9)
    return fig


class NetworkAnimation(FrameAnimation):
    """The graph's weights changing over training, from a WeightRecorder."""

    def __init__(self, recorder, replica: int = 0, input_names=None, history=None, scale=None,
                 max_frames=None):
        if not recorder.snapshots:
            raise ValueError("the recorder holds no snapshots: pass it to fit(callbacks=[...]) first")
        keep = frame_subset(len(recorder.snapshots), max_frames)
        self.snaps = [_weights_of(recorder.snapshots[i], replica) for i in keep]
        self.epochs = [recorder.epochs[i] for i in keep]
        self.input_names = input_names
        loss = None if history is None else np.asarray(history["loss"])
        self.loss = None if loss is None else loss.reshape(len(loss), -1)[:, replica]
        self.title = "weights during training"
        # one absolute scale for the whole film: a weight that grows looks thicker
        self.scale = _positive_scale(scale) or max(
            max(float(np.abs(W).max()) for W, _ in snap) for snap in self.snaps) or 1.0

    def labels(self):
        return [f"epoch {e}" for e in self.epochs]

    def frames(self):
        fig = new_figure(1.6 * (len(self.snaps[0]) + 1) + 1.0, 3.8, dpi=80)
        ax = fig.add_subplot()
        graph = _Graph(ax, self.snaps[0], self.input_names, self.scale)
        self._graph = graph
        title = ax.set_title("epoch 00000   loss 0.0000   (full width at |w| = 0.00)", fontsize=9)
        # laid out and drawn once; each frame restores that background and redraws only
        # the edges, the hidden nodes (bias fill), their labels on top, and the title
        labels = [t for t in ax.texts if t.get_text().startswith("h")]
        moving = [graph.edges, graph.nodes, *labels, title]
        for artist in moving:
            artist.set_animated(True)
        fig.canvas.draw()
        fig.set_layout_engine("none")
        background = fig.canvas.copy_from_bbox(fig.bbox)
        self._hover_points = self._points(fig, ax, graph)
        for snap, epoch in zip(self.snaps, self.epochs):
            graph.update(snap, self.scale)
            text = f"epoch {epoch}"
            if self.loss is not None and epoch:
                text += f"   loss {self.loss[epoch - 1]:.4f}"
            title.set_text(text + f"   (full width at |w| = {self.scale:.2f})")
            fig.canvas.restore_region(background)
            for artist in moving:
                fig.draw_artist(artist)
            yield np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()

    @staticmethod
    def _points(fig, ax, graph):
        """Where each weight (its edge's middle) and each bias (its node) sit in the frame,
        as fractions of the image's width and height from the top left."""
        w, h = fig.canvas.get_width_height()
        mids = np.array([seg.mean(axis=0) for seg in graph.edges.get_segments()])
        nodes = np.vstack(graph.pos[1:])
        out = {}
        for name, pts in (("edges", mids), ("nodes", nodes)):
            px = ax.transData.transform(pts)
            out[name] = np.column_stack([px[:, 0] / w, 1 - px[:, 1] / h]).round(4).tolist()
        return out

    def hover_data(self) -> dict:
        """Per frame, every weight and bias with its name and place (for the HTML player)."""
        if not hasattr(self, "_hover_points"):
            for _ in self.frames():
                break
        names, values = [], []
        for snap in self.snaps:
            row = []
            for W, _ in snap:
                row += [float(v) for v in np.asarray(W).ravel()]
            values.append(row)
        first = self.snaps[0]
        for layer, (W, _) in enumerate(first):
            src = "x" if layer == 0 else f"h{layer}."
            dst = f"h{layer + 1}." if layer + 1 < len(first) else "out "
            for i in range(W.shape[0]):
                for j in range(W.shape[1]):
                    names.append(f"w {src}{i + 1} -> {dst}{j + 1 if dst != 'out ' else j}")
        bias_names, biases = [], []
        for layer, (_, b) in enumerate(first):
            last = layer + 1 == len(first)
            bias_names += [f"bias {'out ' + str(j) if last else f'h{layer + 1}.{j + 1}'}"
                           for j in range(np.asarray(b).size)]
        for snap in self.snaps:
            biases.append([float(v) for _, b in snap for v in np.asarray(b).ravel()])
        return {"edges": self._hover_points["edges"], "nodes": self._hover_points["nodes"],
                "edge_names": names, "node_names": bias_names, "weights": values,
                "biases": biases}

    def to_html(self, fps: float = 10, fmt: str = "png") -> str:
        """The player, and on hover over the picture the nearest weight's or bias's name
        and value in the frame shown."""
        import json
        import uuid

        from .player import player_html

        body = player_html(list(self.frames()), self.labels(), fps, fmt, self.title)
        hid = "h" + uuid.uuid4().hex[:8]
        data = json.dumps(self.hover_data())
        return f"""<div id="{hid}" style="position:relative">{body}
<div class="mlplab-hover" style="position:absolute;display:none;pointer-events:none;background:#fff;
 border:1px solid #888;border-radius:3px;padding:2px 6px;font:12px sans-serif"></div></div>
<script>
(function() {{
  var d = {data};
  var root = document.getElementById("{hid}");
  var img = root.querySelector("img"), slider = root.querySelector("input");
  var tip = root.querySelector(".mlplab-hover");
  img.addEventListener("mousemove", function(e) {{
    var r = img.getBoundingClientRect();
    var fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
    var k = parseInt(slider.value, 10) || 0, best = null, dist = 0.03;
    function look(points, names, values) {{
      points.forEach(function(p, i) {{
        var dd = Math.hypot(p[0] - fx, (p[1] - fy) * r.height / r.width);
        if (dd < dist) {{ dist = dd; best = names[i] + " = " + values[i].toFixed(4); }}
      }});
    }}
    look(d.edges, d.edge_names, d.weights[k]);
    look(d.nodes, d.node_names, d.biases[k]);
    if (!best) {{ tip.style.display = "none"; return; }}
    tip.textContent = best; tip.style.display = "block";
    tip.style.left = (e.clientX - root.getBoundingClientRect().left + 12) + "px";
    tip.style.top = (e.clientY - root.getBoundingClientRect().top + 12) + "px";
  }});
  img.addEventListener("mouseleave", function() {{ tip.style.display = "none"; }});
}})();
</script>"""
