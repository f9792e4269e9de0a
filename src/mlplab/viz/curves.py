"""Loss, accuracy and learning-rate curves, for one run or many, replicas as a median band."""

from __future__ import annotations

import warnings

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..nn.callbacks import Callback
from ._style import on_axes, on_figure, series_colors

#: the series a metric can have, the History key prefix of each, and their line style
SERIES = {"train": ("", "-"), "validation": ("val_", "--"), "test": ("test_", ":")}
#: how each metric is written on its axis
AXIS_LABELS = {"loss": "loss", "accuracy": "accuracy (%)", "lr": "learning rate"}


class TestCurve(Callback):
    """A callback that records the loss (and accuracy) on a held-out set after every
    epoch as ``test_loss`` / ``test_accuracy`` in the History, so that
    :func:`training_curves` draws a test curve per epoch (dotted). The test set never
    trains the network: it is only evaluated, in inference mode.

    Example: ``fit(net, X, y, ..., callbacks=[viz.TestCurve(X_test, y_test)])``.
    """

    def __init__(self, X, y, prefix: str = "test_"):
        self.X, self.y, self.prefix = X, y, prefix
        self._prepared = None

    def on_epoch_end(self, run, epoch, logs):
        from ..nn import training

        if self._prepared is None:
            self._prepared = training.prepare(run.model, run.loss, self.X, self.y, "X_test", "y_test")
        logs.update(training.evaluate(run.model, run.loss, *self._prepared, prefix=self.prefix))


def _series(history, key):
    """``(epochs, replicas)`` float array, or None."""
    if key not in history:
        return None
    a = np.asarray(history[key], dtype=np.float64)
    return a.reshape(len(a), -1)


def _draw(ax, values, color, label, style="-"):
    epochs = np.arange(1, len(values) + 1)
    if values.shape[1] == 1:
        ax.plot(epochs, values[:, 0], ls=style, color=color, lw=1.8, label=label)
        return
    with warnings.catch_warnings():  # an epoch where every replica is NaN stays a gap
        warnings.simplefilter("ignore", RuntimeWarning)
        # a diverged replica (NaN from its divergence on) leaves the band, not the plot
        med = np.nanmedian(values, axis=1)
        ax.fill_between(epochs, np.nanmin(values, axis=1), np.nanmax(values, axis=1), color=color,
                        alpha=0.12, lw=0)
        ax.fill_between(epochs, *np.nanpercentile(values, [25, 75], axis=1), color=color,
                        alpha=0.22, lw=0)
    ax.plot(epochs, med, ls=style, color=color, lw=1.8, label=f"{label} (median of {values.shape[1]})")


def _legend(ax):
    """Above the axes, in rows of up to three entries: never over a curve."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncols=min(3, len(labels)),
                  fontsize=7.5, frameon=False, borderaxespad=0.0, handlelength=2.4)


def training_curves(histories, labels=None, metrics=("loss", "accuracy"), log_loss=False,
                    title=None, series=("train", "validation", "test"), ax=None, fig=None):
    """One panel per metric with a curve per series: train (solid), validation (dashed),
    test (dotted, when the History records ``test_<metric>``).

    ``histories`` is one History or a list of them (one colour each, never repeated).
    With replicas the line is the median, the dark band the middle half and the light
    band the full range. Accuracy is drawn in %, epochs as whole numbers, and a
    metric without splits (``"lr"``) is labelled by its own name. Legends sit above
    the axes, off the curves.

    Parameters
    ----------
    metrics : sequence of str
        History keys, e.g. ``("loss", "accuracy")`` or ``("loss", "lr")``.
    series : sequence of "train", "validation", "test"
        Which splits to draw.
    ax : Axes or sequence of Axes, optional
        One Axes per metric drawn; ``fig`` (Figure or SubFigure) otherwise.
    """
    if not isinstance(histories, (list, tuple)):
        histories = [histories]
    bad = [s for s in series if s not in SERIES]
    if bad:
        raise ValueError(f"series must be among {tuple(SERIES)}; received {bad[0]!r}")
    labels = labels or ([""] if len(histories) == 1 else [f"run {i + 1}" for i in range(len(histories))])
    shown = [m for m in metrics if any(SERIES[s][0] + m in h for h in histories for s in series)]
    if not shown:
        raise ValueError(f"none of metrics={tuple(metrics)} is in the histories (they hold "
                         f"{sorted(histories[0].keys())})")
    if ax is not None:
        axes = list(np.ravel(ax)) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
        if len(axes) != len(shown):
            raise ValueError(f"ax must give one Axes per metric drawn ({shown}); received "
                             f"{len(axes)} Axes")
        fig = on_axes(axes[0], 0, 0)[0]
        box = fig
    else:
        fig, box = on_figure(fig, 4.6 * len(shown), 3.6)
        axes = np.atleast_1d(box.subplots(1, len(shown)))
    colors = ["#333333"] if len(histories) == 1 else series_colors(len(histories))
    for ax, metric in zip(axes, shown):
        split_metric = any(SERIES[s][0] + metric in h for h in histories for s in ("validation", "test"))
        for h, name, color in zip(histories, labels, colors):
            for s in series:
                prefix, style = SERIES[s]
                values = _series(h, prefix + metric)
                if values is None:
                    continue
                own = s if split_metric or metric in ("loss", "accuracy") else metric
                text = f"{name} {own}" if name else own
                c = color if len(histories) > 1 or s == "train" else \
                    {"validation": "#1f77b4", "test": "#d62728"}[s]
                _draw(ax, values, c, text, style)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(AXIS_LABELS.get(metric, metric))
        if metric == "loss" and log_loss:
            ax.set_yscale("log")
        if metric == "accuracy":
            ax.set_ylim(top=1.01)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.grid(alpha=0.3)
        _legend(ax)
    if title:
        box.suptitle(title)
    return fig
