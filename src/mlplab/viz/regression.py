"""1-D regression: the data with the network's curve, at chosen epochs (lesson C §5),
as a training animation, and the fitted curve of a finished run.

:class:`CurveRecorder` is the callback that records the curve during ``fit``: the
network's output on an evenly spaced line of x, at epoch 0 and at the epochs asked
for (``at``) or every ``every`` epochs. Nothing re-trains to draw.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..nn import _validate
from ..nn.recorders import Snapshots
from ._style import frame_subset, new_figure, on_axes, series_colors
from .animation import FrameAnimation


def _line_x(X, n: int = 200, margin: float = 0.05) -> np.ndarray:
    x = np.asarray(X, dtype=np.float64).reshape(-1)
    lo, hi = x.min(), x.max()
    pad = margin * max(hi - lo, 1e-9)
    return np.linspace(lo - pad, hi + pad, n)


def _check_1d(X, name="X"):
    X = np.asarray(X)
    if not (X.ndim == 1 or (X.ndim == 2 and X.shape[1] == 1)):
        raise ValueError(f"{name} must be one feature, (n,) or (n, 1), for a 1-D regression "
                         f"picture; received shape {X.shape}")
    return X.reshape(-1)


class CurveRecorder(Snapshots):
    """Record the network's output on ``n`` points spanning ``X`` (raw), at epoch 0 and
    then at the epochs in ``at`` (e.g. ``(6, 101, 5000)``) or, without ``at``, every
    ``every`` epochs and at the last. ``transform`` maps raw x to network inputs.

    ``xs`` is ``(n,)``; ``curves`` stacks the records ``(records, *replicas, n)``.
    """

    def __init__(self, X, every: int = 1, at=None, n: int = 200, transform=None):
        super().__init__(every)
        X = np.asarray(X)
        self.xs = _line_x(X.reshape(-1) if X.ndim == 3 and X.shape[-1] == 1 else _check_1d(X), n)
        self.at = None if at is None else {_validate.positive_int("at", int(e)) for e in at}
        self.transform = transform
        raw = self.xs[:, None].astype(np.float32)
        self._inputs = raw if transform is None else transform(raw)

    def snapshot(self, model):
        return np.asarray(model.forward(self._inputs), dtype=np.float64)[..., 0]

    def on_epoch_end(self, run, epoch, logs):
        if self.at is None:
            return super().on_epoch_end(run, epoch, logs)
        done = self._offset + epoch + 1
        if done in self.at:
            self.items.append(self.snapshot(run.model))
            self.epochs.append(done)

    @property
    def curves(self) -> np.ndarray:
        return np.stack(self.items)


def _scatter(ax, X, y, X_test=None, y_test=None):
    ax.scatter(_check_1d(X), np.ravel(y), s=20, color="0.25", zorder=3, label="training data")
    if X_test is not None and len(np.ravel(y_test)):
        ax.scatter(_check_1d(X_test, "X_test"), np.ravel(y_test), s=24, facecolors="white",
                   edgecolors="0.25", zorder=3, label="test data")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.grid(alpha=0.3)


def _side_legend(ax):
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)


def regression_predictions(recorder: CurveRecorder, X, y, epochs=None, replica: int = 0,
                           title=None, ax=None):
    """The data and the network's curve at chosen epochs (lesson C §5: a flat line early,
    an S-curve later, the fit at the end), one colour per epoch.

    ``epochs`` picks among the recorded ones (default: all, at most 8 evenly chosen).
    """
    if not recorder.items:
        raise ValueError("the recorder holds no curves: pass it to fit(callbacks=[...]) first")
    recorded = list(recorder.epochs)
    if epochs is None:
        keep = np.unique(np.linspace(0, len(recorded) - 1, min(8, len(recorded))).astype(int))
        epochs = [recorded[i] for i in keep]
    missing = [e for e in epochs if e not in recorded]
    if missing:
        raise ValueError(f"epochs {missing} were not recorded; the recorder holds {recorded} "
                         "(ask for them with CurveRecorder(at=...))")
    fig, ax = on_axes(ax, 6.4, 4.2)
    _scatter(ax, X, y)
    for color, e in zip(series_colors(len(epochs)), epochs):
        curve = np.asarray(recorder.items[recorded.index(e)])
        curve = curve.reshape(-1, curve.shape[-1])[replica]
        ax.plot(recorder.xs, curve, color=color, lw=2, label=f"epoch {e}")
    _side_legend(ax)
    ax.set_title(title or "the network's curve during training", fontsize=10)
    return fig


def regression_fit(model, X, y, X_test=None, y_test=None, transform=None, replica: int = 0,
                   title=None, ax=None):
    """The data (test points hollow) and the trained network's curve y = f(x)."""
    xs = _line_x(np.concatenate([_check_1d(X)] + ([] if X_test is None else
                                                  [_check_1d(X_test, "X_test")])))
    inputs = xs[:, None].astype(np.float32)
    inputs = inputs if transform is None else transform(inputs)
    out = np.asarray(model.forward(inputs), dtype=np.float64)[..., 0]
    out = out.reshape(-1, out.shape[-1])
    fig, ax = on_axes(ax, 6.4, 4.2)
    _scatter(ax, X, y, X_test, y_test)
    ax.plot(xs, out[replica], color="#1f77b4", lw=2.2, label="network", zorder=2)
    _side_legend(ax)
    ax.set_title(title or "fitted curve", fontsize=10)
    return fig


class RegressionAnimation(FrameAnimation):
    """A 1-D regression run: the data with the curve of each recorded epoch beside the
    loss curve, one frame per record (a :class:`CurveRecorder` after ``fit``)."""

    def __init__(self, recorder: CurveRecorder, history, X, y, replica: int = 0, title: str = "",
                 size=(9.0, 3.8), dpi: int = 80, max_frames=None):
        if not recorder.items:
            raise ValueError("the recorder holds no curves: pass it to fit(callbacks=[...]) first")
        curves = recorder.curves
        keep = frame_subset(len(curves), max_frames)
        self.curves = curves.reshape(len(curves), -1, curves.shape[-1])[keep, replica]
        self.xs, self.epochs = recorder.xs, [recorder.epochs[i] for i in keep]
        loss = np.asarray(history["loss"], dtype=np.float64)
        self.loss = loss.reshape(len(loss), -1)[:, replica]
        self.X, self.y = _check_1d(X), np.ravel(y)
        self.title, self.size, self.dpi = title or "1-D regression", size, dpi

    def __len__(self):
        return len(self.curves)

    def labels(self):
        return [f"epoch {e}" for e in self.epochs]

    def frames(self):
        fig = new_figure(*self.size, dpi=self.dpi)
        ax, cx = fig.subplots(1, 2)
        _scatter(ax, self.X, self.y)
        finite = self.curves[np.isfinite(self.curves)]
        lo = min(self.y.min(), finite.min() if finite.size else self.y.min())
        hi = max(self.y.max(), finite.max() if finite.size else self.y.max())
        pad = 0.08 * max(hi - lo, 1e-9)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlim(self.xs[0], self.xs[-1])
        (curve,) = ax.plot([], [], color="#1f77b4", lw=2.2, label="network")
        title = ax.set_title("epoch 00000   loss 0.0000", fontsize=9)
        (line,) = cx.plot([], [], color="#333", lw=2)
        (dot,) = cx.plot([], [], "o", color="#333")
        cx.set_yscale("log" if np.nanmin(self.loss) > 0 and
                      np.nanmax(self.loss) > 100 * np.nanmin(self.loss) else "linear")
        cx.set_xlim(0, max(len(self.loss), 1))
        cx.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        cx.set_xlabel("epoch")
        cx.set_ylabel("loss")
        cx.grid(alpha=0.3)
        cx.set_title(self.title, fontsize=9)
        moving = [curve, title, line, dot]
        for a in moving:
            a.set_animated(True)
        fig.canvas.draw()
        fig.set_layout_engine("none")
        background = fig.canvas.copy_from_bbox(fig.bbox)
        self._curve = curve
        for values, done in zip(self.curves, self.epochs):
            curve.set_data(self.xs, values)
            x = np.arange(1, done + 1)
            line.set_data(x, self.loss[:done])
            dot.set_data(x[-1:], self.loss[done - 1:done])
            title.set_text(f"epoch {done}" + (f"   loss {self.loss[done - 1]:.4g}" if done else ""))
            fig.canvas.restore_region(background)
            for a in moving:
                fig.draw_artist(a)
            yield np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
