"""Shared look: class colours, figures without pyplot, PNG bytes.

Figures are made with ``matplotlib.figure.Figure`` and an Agg canvas, never through
``pyplot``: no global state, no GUI backend, safe in threads and on servers.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

#: class 0 red and class 1 blue, as in the lessons; then the tab10 palette
CLASS_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                "#7f7f7f", "#bcbd22", "#17becf"]
GOOD, BAD = "#2e8b3a", "#c0392b"


def class_color(k: int) -> str:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def class_rgb(n_classes: int) -> np.ndarray:
    """``(n_classes, 3)`` floats in [0, 1]."""
    return np.array([to_rgb(class_color(k)) for k in range(n_classes)])


def new_figure(width: float, height: float, dpi: int = 100) -> Figure:
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: int | None = None, palette: bool = False) -> bytes:
    """``fig`` as PNG bytes. ``palette=True`` writes 8-bit colour (at most 255 colours,
    what a plot has once antialiased edges are merged): about half the bytes, as crisp,
    for pages that embed many figures (the run report)."""
    buf = io.BytesIO()
    if not palette:
        fig.savefig(buf, format="png", dpi=dpi)
        return buf.getvalue()
    from PIL import Image

    if dpi is not None and dpi != fig.dpi:
        fig.set_dpi(dpi)
    image = Image.fromarray(rgb_array(fig))
    image.quantize(colors=255, method=Image.Quantize.FASTOCTREE).save(buf, format="PNG")
    return buf.getvalue()


def save(fig: Figure, path, dpi: int | None = None):
    """Write ``fig`` to ``path`` (format from the suffix: .png, .svg, .pdf)."""
    fig.savefig(path, dpi=dpi)
    return path


def rgb_array(fig: Figure) -> np.ndarray:
    """The figure's pixels after drawing: ``(height, width, 3)`` uint8."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def _root(fig):
    """The top-level Figure of a Figure, SubFigure or Axes."""
    get = getattr(fig, "get_figure", None)
    if get is not None:
        try:
            top = get(root=True)
        except TypeError:  # an older matplotlib
            top = get()
        if top is not None:
            return top
    return fig


def on_axes(ax, width: float, height: float, dpi: int = 100):
    """``(figure, axes)`` to draw one panel: the caller's ``ax`` (and the Figure it
    belongs to), or a new figure of ``width x height`` inches with one axes."""
    from matplotlib.axes import Axes

    if ax is None:
        fig = new_figure(width, height, dpi)
        return fig, fig.add_subplot()
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from fig.subplots()); received "
                        f"{type(ax).__name__}")
    return _root(ax), ax


def on_figure(fig, width: float, height: float, dpi: int = 100):
    """``(figure, container)`` to draw several panels: the caller's ``fig`` (a Figure, or
    a SubFigure from ``fig.subfigures()`` to place this picture beside others), or a
    new figure of ``width x height`` inches. Panels are added to the container."""
    from matplotlib.figure import FigureBase

    if fig is None:
        fig = new_figure(width, height, dpi)
        return fig, fig
    if not isinstance(fig, FigureBase):
        raise TypeError(f"fig must be a matplotlib Figure or SubFigure (e.g. from "
                        f"fig.subfigures()); received {type(fig).__name__}")
    return _root(fig), fig


def frame_subset(n: int, max_frames) -> np.ndarray:
    """Indices of at most ``max_frames`` of ``n`` frames, evenly spread, first and last kept
    (an animation renders only the frames it shows)."""
    if max_frames is None or n <= max_frames:
        return np.arange(n)
    if int(max_frames) < 2:
        raise ValueError(f"max_frames must be at least 2 (the first and last frames); received "
                         f"{max_frames!r}")
    return np.unique(np.linspace(0, n - 1, int(max_frames)).round().astype(int))


def series_colors(n: int) -> list:
    """``n`` colours that do not repeat: the class palette up to 10, tab20 up to 20,
    then evenly spaced along viridis (20-layer networks, many runs)."""
    from matplotlib import colormaps

    if n <= len(CLASS_COLORS):
        return CLASS_COLORS[:max(n, 0)]
    if n <= 20:
        cmap = colormaps["tab20"]
        return [cmap(i) for i in range(n)]
    cmap = colormaps["viridis"]
    return [cmap(v) for v in np.linspace(0, 0.95, n)]
