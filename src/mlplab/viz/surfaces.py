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


def optimizer_paths(surface="rosenbrock", steps=500, walkers=None, lr=None, start=None,
                    noise: float = 0.0, seed=None):
    """``{walker: (steps + 1, 2) path}`` from the same start with each optimizer.

    ``noise`` > 0 imitates mini-batches: each step's gradient is the exact one plus
    Gaussian noise of standard deviation ``noise * (1 + |g|)`` (drawn from ``seed``; the
    same draws for every walker), so the paths wander as stochastic gradient descent does.
    """
    s = get_surface(surface)
    walkers = walkers or WALKERS
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0 (the gradient noise's relative size); "
                         f"received noise={noise!r}")
    rates = {**DEFAULT_LR.get(s.name, {}), **(lr or {})}
    paths = {}
    for name, (opt_name, options) in walkers.items():
        p = np.array([start or s.start], dtype=np.float64)
        opt = optimizers.get(opt_name, lr=rates.get(name, 1e-3), **options)
        rng = np.random.default_rng(seed)
        path = [p[0].copy()]
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(steps):
                g = np.array([s.grad(p[0, 0], p[0, 1])], dtype=np.float64)
                if noise:
                    g = g + noise * (1 + np.abs(g)) * rng.standard_normal(g.shape)
                opt.step([(p, g)])
                path.append(p[0].copy())
        paths[name] = np.array(path)
    return paths


def _height(s, gx, gy):
    z = s.f(gx, gy)
    return np.log10(z - z.min() + 1e-3) if s.log_levels else z


def _contours(ax, s, start, n=200):
    x0, x1, y0, y1 = s.window
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    z = _height(s, gx, gy)
    ax.contourf(gx, gy, z, levels=30, cmap="Blues_r", alpha=0.45)
    ax.contour(gx, gy, z, levels=15, colors="0.55", linewidths=0.4)
    if s.minimum is not None:
        ax.plot(*s.minimum, marker="*", ms=14, color="gold", mec="k", zorder=5, ls="",
                label="minimum")
    ax.plot(*start, "ko", ms=6, zorder=5, ls="", label="start")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _start_of(s, paths):
    """Where the paths really start (their first point), not the surface's default."""
    first = np.asarray(next(iter(paths.values())))[0]
    return float(first[0]), float(first[1])


def _fmt(v: float) -> str:
    return f"{v:.3g}"


def _surface3d(ax, s, paths, n=80):
    x0, x1, y0, y1 = s.window
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    ax.plot_surface(gx, gy, _height(s, gx, gy), cmap="Blues_r", alpha=0.55, linewidth=0,
                    antialiased=True, rcount=n, ccount=n)
    for i, (name, path) in enumerate(paths.items()):
        with np.errstate(over="ignore", invalid="ignore"):
            z = _height(s, path[:, 0], path[:, 1]) if not s.log_levels else \
                np.log10(s.f(path[:, 0], path[:, 1]) - s.f(gx, gy).min() + 1e-3)
        ax.plot(path[:, 0], path[:, 1], z, "-", color=CLASS_COLORS[i], lw=1.8, label=name,
                zorder=5)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_zlabel("log10 f" if s.log_levels else "f(x, y)")


def plot_paths(surface="rosenbrock", paths=None, steps=500, title=None, ax=None,
               three_d: bool = False):
    """Contour map of the surface with each optimizer's path from the same start.

    The start marker and the title come from the paths' own first point. With
    ``three_d`` the surface is drawn in 3-D with the paths on it (``ax``, if given,
    must then be a 3-D Axes: ``fig.add_subplot(projection="3d")``).
    """
    s = get_surface(surface)
    paths = paths or optimizer_paths(s, steps)
    start = _start_of(s, paths)
    n_steps = len(next(iter(paths.values()))) - 1
    text = title or f"{s.name}: {n_steps} steps from ({_fmt(start[0])}, {_fmt(start[1])})"
    if three_d:
        if ax is None:
            fig = new_figure(6.4, 5.4)
            ax = fig.add_subplot(projection="3d")
        elif getattr(ax, "name", "") != "3d":
            raise ValueError("three_d=True draws on a 3-D Axes: pass ax=fig.add_subplot("
                             f"projection='3d'); received a {getattr(ax, 'name', type(ax))!r} Axes")
        fig = on_axes(ax, 0, 0)[0]
        _surface3d(ax, s, paths)
        ax.legend(fontsize=8, loc="upper left")
        ax.set_title(text, fontsize=10)
        return fig
    fig, ax = on_axes(ax, 7.4, 5.2)
    _contours(ax, s, start)
    for i, (name, path) in enumerate(paths.items()):
        ax.plot(path[:, 0], path[:, 1], "-", color=CLASS_COLORS[i], lw=1.6, label=name)
        ax.plot(*path[-1], "o", color=CLASS_COLORS[i], ms=6, mec="white")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    ax.set_title(text, fontsize=10)
    return fig


class PathsAnimation(FrameAnimation):
    """The walkers moving together, ``every`` steps per frame."""

    def __init__(self, surface="rosenbrock", paths=None, steps=500, every=5):
        """``paths`` as :func:`optimizer_paths` returns them (default: all walkers)."""
        self.surface = get_surface(surface)
        self.paths = paths or optimizer_paths(self.surface, steps)
        self.every = every
        self.title = f"optimizers on {self.surface.name}"
        self.n = len(next(iter(self.paths.values())))
        self.start = _start_of(self.surface, self.paths)

    def _steps(self):
        return list(range(0, self.n, self.every)) + ([self.n - 1] if (self.n - 1) % self.every else [])

    def labels(self):
        return [f"step {k}" for k in self._steps()]

    def frames(self):
        fig = new_figure(7.4, 5.2, dpi=80)
        ax = fig.add_subplot()
        _contours(ax, self.surface, self.start)
        lines, dots = [], []
        for i, name in enumerate(self.paths):
            (line,) = ax.plot([], [], "-", color=CLASS_COLORS[i], lw=1.6, label=name)
            (dot,) = ax.plot([], [], "o", color=CLASS_COLORS[i], ms=6, mec="white")
            lines.append(line)
            dots.append(dot)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        start = f"({_fmt(self.start[0])}, {_fmt(self.start[1])})"
        ax.set_title(f"{self.title} from {start}", fontsize=10)
        # the step counter, in every frame, inside the axes
        title = ax.text(0.02, 0.97, f"step {self.n - 1}", transform=ax.transAxes, fontsize=10,
                        ha="left", va="top", zorder=6,
                        bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="0.6", alpha=0.9))
        self._counter = title
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
            title.set_text(f"step {k} of {self.n - 1}")
            fig.canvas.restore_region(background)
            for a in moving:
                fig.draw_artist(a)
            yield np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def line_mse(X, y, window=None, start=(0.0, 0.0)) -> Surface:
    """The mean squared error of a straight line ``w x + b`` on data ``(X, y)`` as a
    surface over ``(w, b)``: the loss surface of the model ``mlp([1, 1])`` itself.

    f(w, b) = mean((w x + b - y)^2) = w^2 <x^2> + 2 w b <x> + b^2 - 2 w <xy> - 2 b <y> + <y^2>,
    grad = (2 <(w x + b - y) x>, 2 <w x + b - y>) (<.> the mean over the points).
    ``window`` (w0, w1, b0, b1) defaults to the least-squares line +- 3 around it,
    and ``minimum`` is that line.
    """
    x = np.asarray(X, dtype=np.float64).reshape(-1)
    t = np.asarray(y, dtype=np.float64).reshape(-1)
    if x.size != t.size or x.size < 2:
        raise ValueError(f"X and y must hold the same number (>= 2) of points; received {x.size} "
                         f"and {t.size}")
    mx, my, mxx, mxy, myy = x.mean(), t.mean(), (x * x).mean(), (x * t).mean(), (t * t).mean()
    w_star, b_star = np.linalg.solve([[mxx, mx], [mx, 1.0]], [mxy, my])

    def f(w, b):
        return w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy

    def grad(w, b):
        return 2 * (w * mxx + b * mx - mxy), 2 * (w * mx + b - my)

    if window is None:
        lo_w, hi_w = min(w_star, start[0]) - 1.0, max(w_star, start[0]) + 1.0
        lo_b, hi_b = min(b_star, start[1]) - 3.0, max(b_star, start[1]) + 3.0
        window = (lo_w, hi_w, lo_b, hi_b)
    return Surface("line MSE over (w, b)", f, grad, tuple(float(v) for v in window),
                   tuple(float(v) for v in start), (float(w_star), float(b_star)))
