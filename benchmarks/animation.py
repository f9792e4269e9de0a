"""Training animation: mlplab's renderer against the usual FuncAnimation way.

Both draw the same recorded film (100 frames of a 100x100 probability grid from a
2-8-8-2 ReLU net learning disc-and-ring) beside the loss curve and write a GIF
with Pillow:

- mlplab: ``TrainingAnimation.save_gif`` (one image artist updated in place,
  static parts kept as a blitted background);
- the lesson's way: ``matplotlib.animation.FuncAnimation`` whose update clears the
  axes and redraws ``contourf`` + the 0.5 ``contour`` + ``scatter`` and the curve
  every frame, saved with ``PillowWriter``.

    python benchmarks/animation.py [--frames 100] [--grid 100]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402

import mlplab  # noqa: E402
from mlplab.data import disc_ring  # noqa: E402
from mlplab.nn.recorders import BoundaryRecorder, Grid  # noqa: E402
from mlplab.viz import TrainingAnimation  # noqa: E402


def record(frames, resolution):
    X, y = disc_ring(seed=0)
    net = mlplab.mlp([2, 8, 8, 2], seed=0)
    rec = BoundaryRecorder(Grid.around(X, resolution=resolution), every=3)
    history = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=3 * (frames - 1),
                         callbacks=[rec])
    return X, y, rec, history


def lesson_way(X, y, rec, history, path):
    film = rec.film.astype(np.float32)
    xs, ys = rec.grid.axes
    gx, gy = np.meshgrid(xs, ys)
    loss = history.loss
    fig, (ax, cx) = plt.subplots(1, 2, figsize=(9, 4), dpi=80)

    def update(i):
        ax.clear()
        cx.clear()
        p = film[i][..., 1]
        ax.contourf(gx, gy, p, levels=20, cmap="RdBu", alpha=0.8)
        ax.contour(gx, gy, p, levels=[0.5], colors="k", linewidths=2)
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolors="white", s=12)
        ax.set_title(f"epoch {rec.epochs[i]}")
        done = rec.epochs[i]
        cx.plot(np.arange(1, done + 1), loss[:done], color="#333")
        cx.set_xlim(0, len(loss))
        cx.set_ylim(0, loss.max() * 1.05)
        cx.set_xlabel("epoch")
        cx.set_ylabel("loss")

    anim = FuncAnimation(fig, update, frames=len(film))
    anim.save(path, writer=PillowWriter(fps=10))
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--grid", type=int, default=100)
    args = parser.parse_args(argv)
    X, y, rec, history = record(args.frames, args.grid)
    print(f"film: {len(rec.frames)} frames of a {args.grid}x{args.grid} grid")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        TrainingAnimation(rec, history, X, y).save_gif(Path(tmp) / "mlplab.gif")
        ours = time.perf_counter() - start
        start = time.perf_counter()
        lesson_way(X, y, rec, history, Path(tmp) / "lesson.gif")
        theirs = time.perf_counter() - start
        sizes = [(Path(tmp) / f).stat().st_size / 1e6 for f in ("mlplab.gif", "lesson.gif")]
    print(f"mlplab TrainingAnimation : {ours:6.2f} s  ({sizes[0]:.1f} MB)")
    print(f"FuncAnimation + contourf : {theirs:6.2f} s  ({sizes[1]:.1f} MB)")
    speedup = theirs / ours
    print(f"speed-up {speedup:.1f}x (target >= 3x): {'met' if speedup >= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
