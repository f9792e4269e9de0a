"""Optimizers walking on 2-D surfaces: the same start, different rules.

Each path is made by mlplab's own optimizers (``mlplab.nn.optimizers``) updating a
``(1, 2)`` parameter from the surface's exact gradient, so the pictures show the
engine's behaviour, not a re-implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..nn import optimizers
from ..nn._registry import Registry
from ._style import CLASS_COLORS, new_figure, on_axes
from .animation import FrameAnimation

registry = Registry("surface")


@dataclass(frozen=True)
class Surface:
    """``f(x, y)``, its gradient, a window, a start and the known minimum."""

    name: str
    f: Callable
    grad: Callable
    window: tuple[float, float, float, float]
    start: tuple[float, float]
    minimum: tuple[float, float] | None
    log_levels: bool = False


def _lesson_c():
    # a bumpy landscape: a ripple, a cosine ridge, a tilt and two Gaussian bumps
    def f(x, y):
        r = np.sqrt(x**2 + y**2)
        return (np.sin(r) + 0.5 * np.cos(2 * x) + 0.3 * np.sin(y / 2) - 0.05 * x**2 + 0.02 * y
                + 0.2 * np.exp(-((x + 1) ** 2 + (y - 2) ** 2) / 2)
                - 0.1 * np.exp(-((x - 3) ** 2 + (y + 1) ** 2) / 3))

    def grad(x, y):
        r = np.sqrt(x**2 + y**2) + 1e-12
        g1 = 0.2 * np.exp(-((x + 1) ** 2 + (y - 2) ** 2) / 2)
        g2 = -0.1 * np.exp(-((x - 3) ** 2 + (y + 1) ** 2) / 3)
        dx = np.cos(r) * x / r - np.sin(2 * x) - 0.1 * x - g1 * (x + 1) - g2 * 2 * (x - 3) / 3
        dy = np.cos(r) * y / r + 0.15 * np.cos(y / 2) + 0.02 - g1 * (y - 2) - g2 * 2 * (y + 1) / 3
        return dx, dy

    return Surface("lesson_c", f, grad, (-5, 5, -5, 5), (3.5, 3.5), None)


def _rosenbrock():
    def f(x, y):
        return (1 - x) ** 2 + 100 * (y - x**2) ** 2

    def grad(x, y):
        return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)

    return Surface("rosenbrock", f, grad, (-2, 2, -1, 3), (-1.5, 2.0), (1.0, 1.0), log_levels=True)


def _beale():
    def f(x, y):
        return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                + (2.625 - x + x * y**3) ** 2)

    def grad(x, y):
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
        dx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
        dy = 2 * a * x + 4 * b * x * y + 6 * c * x * y**2
        return dx, dy

    return Surface("beale", f, grad, (-4.5, 4.5, -4.5, 4.5), (1.0, 1.5), (3.0, 0.5), log_levels=True)


for _make in (_lesson_c, _rosenbrock, _beale):
    registry.register(_make().name)(_make)

#: the five walkers of lesson C, as (optimizer name, options)
WALKERS = {
    "gradient descent": ("sgd", {}),
    "momentum": ("sgd", {"momentum": 0.9}),
    "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
    "rmsprop": ("rmsprop", {}),
    "adam": ("adam", {}),
}

#: learning rates that let each walker make progress on each surface
DEFAULT_LR = {
    "lesson_c": {"gradient descent": 0.1, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.01,
                 "adam": 0.05},
    "rosenbrock": {"gradient descent": 1e-3, "momentum": 1e-4, "nesterov": 1e-4, "rmsprop": 1e-2,
                   "adam": 5e-2},
    "beale": {"gradient descent": 1e-3, "momentum": 1e-4, "nesterov": 1e-4, "rmsprop": 1e-2,
              "adam": 5e-2},
}


def get_surface(surface) -> Surface:
    return surface if isinstance(surface, Surface) else registry.factory(surface)()


def optimizer_paths(surface="rosenbrock", steps=500, walkers=None, lr=None, start=None):
    """``{walker: (steps + 1, 2) path}`` from the same start with each optimizer."""
    s = get_surface(surface)
    walkers = walkers or WALKERS
    rates = {**DEFAULT_LR.get(s.name, {}), **(lr or {})}
    paths = {}
    for name, (opt_name, options) in walkers.items():
        p = np.array([start or s.start], dtype=np.float64)
        opt = optimizers.get(opt_name, lr=rates.get(name, 1e-3), **options)
        path = [p[0].copy()]
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(steps):
                gx, gy = s.grad(p[0, 0], p[0, 1])
                opt.step([(p, np.array([[gx, gy]]))])
                path.append(p[0].copy())
        paths[name] = np.array(path)
    return paths


def _contours(ax, s, n=200):
    x0, x1, y0, y1 = s.window
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    z = s.f(gx, gy)
    if s.log_levels:
        z = np.log10(z - z.min() + 1e-3)
    ax.contourf(gx, gy, z, levels=30, cmap="Blues_r", alpha=0.45)
    ax.contour(gx, gy, z, levels=15, colors="0.55", linewidths=0.4)
    if s.minimum is not None:
        ax.plot(*s.minimum, marker="*", ms=14, color="gold", mec="k", zorder=5, label="minimum")
    ax.plot(*s.start, "ko", ms=5, zorder=5)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def plot_paths(surface="rosenbrock", paths=None, steps=500, title=None, ax=None):
    """Contour map of the surface with each optimizer's path from the same start."""
    s = get_surface(surface)
    paths = paths or optimizer_paths(s, steps)
    fig, ax = on_axes(ax, 6.2, 5.2)
    _contours(ax, s)
    for i, (name, path) in enumerate(paths.items()):
        ax.plot(path[:, 0], path[:, 1], "-", color=CLASS_COLORS[i], lw=1.6, label=name)
        ax.plot(*path[-1], "o", color=CLASS_COLORS[i], ms=6, mec="white")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title or f"{s.name}: {len(next(iter(paths.values()))) - 1} steps from "
                 f"({s.start[0]}, {s.start[1]})", fontsize=10)
    return fig


class PathsAnimation(FrameAnimation):
    """The walkers moving together, ``every`` steps per frame."""

    def __init__(self, surface="rosenbrock", paths=None, steps=500, every=5):
        self.surface = get_surface(surface)
        self.paths = paths or optimizer_paths(self.surface, steps)
        self.every = every
        self.title = f"optimizers on {self.surface.name}"
        self.n = len(next(iter(self.paths.values())))

    def _steps(self):
        return list(range(0, self.n, self.every)) + ([self.n - 1] if (self.n - 1) % self.every else [])

    def labels(self):
        return [f"step {k}" for k in self._steps()]

    def frames(self):
        fig = new_figure(6.2, 5.2, dpi=80)
        ax = fig.add_subplot()
        _contours(ax, self.surface)
        lines, dots = [], []
        for i, name in enumerate(self.paths):
            (line,) = ax.plot([], [], "-", color=CLASS_COLORS[i], lw=1.6, label=name)
            (dot,) = ax.plot([], [], "o", color=CLASS_COLORS[i], ms=6, mec="white")
            lines.append(line)
            dots.append(dot)
        ax.legend(fontsize=8, loc="lower right")
        title = ax.set_title("")
        moving = [*lines, *dots, title]
        for a in moving:
            a.set_animated(True)
        fig.canvas.draw()
        fig.set_layout_engine("none")
        background = fig.canvas.copy_from_bbox(fig.bbox)
        for k in self._steps():
            for path, line, dot in zip(self.paths.values(), lines, dots):
                line.set_data(path[:k + 1, 0], path[:k + 1, 1])
                dot.set_data(path[k:k + 1, 0], path[k:k + 1, 1])
            title.set_text(f"{self.title}: step {k}")
            fig.canvas.restore_region(background)
            for a in moving:
                fig.draw_artist(a)
            yield np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
