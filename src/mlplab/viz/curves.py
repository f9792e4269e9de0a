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


LAYOUTS = ("together", "split")
#: how a split panel is titled
SERIES_TITLES = {"train": "training", "validation": "validation", "test": "test"}


def training_curves(histories, labels=None, metrics=("loss", "accuracy"), log_loss=False,
                    title=None, series=("train", "validation", "test"), layout="together",
                    ax=None, fig=None):
    """Curves per metric and series: train (solid), validation (dashed), test (dotted, when
    the History records ``test_<metric>``).

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
    layout : "together" or "split"
        ``"together"``: one panel per metric, every series on it. ``"split"``: one panel
        per metric and series (a row per metric, a column per series), titled e.g.
        "validation accuracy", with one legend of the runs: lesson E's training and
        validation curves side by side, each run once per panel.
    ax : Axes or sequence of Axes, optional
        One Axes per panel drawn (per metric; with ``"split"``, per metric and series,
        row by row); ``fig`` (Figure or SubFigure) otherwise.

    >>> fig = training_curves([h_relu, h_elu], labels=["relu", "elu"],
    ...                       metrics=("accuracy",), layout="split")  # doctest: +SKIP
    """
    if not isinstance(histories, (list, tuple)):
        histories = [histories]
    bad = [s for s in series if s not in SERIES]
    if bad:
        raise ValueError(f"series must be among {tuple(SERIES)}; received {bad[0]!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(map(repr, LAYOUTS))}; received "
                         f"layout={layout!r}")
    labels = labels or ([""] if len(histories) == 1 else [f"run {i + 1}" for i in range(len(histories))])
    shown = [m for m in metrics if any(SERIES[s][0] + m in h for h in histories for s in series)]
    if not shown:
        raise ValueError(f"none of metrics={tuple(metrics)} is in the histories (they hold "
                         f"{sorted(histories[0].keys())})")
    if layout == "split":  # (metric, one series) for each series the histories hold
        rows = [[(m, s) for s in series if any(SERIES[s][0] + m in h for h in histories)]
                for m in shown]
    else:
        rows = [[(m, None)] for m in shown]
    panels = [p for row in rows for p in row]
    own_figure = ax is None
    if ax is not None:
        axes = list(np.ravel(ax)) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
        if len(axes) != len(panels):
            what = "metric and series" if layout == "split" else "metric"
            raise ValueError(f"ax must give one Axes per {what} drawn "
                             f"({[m if s is None else f'{s} {m}' for m, s in panels]}); "
                             f"received {len(axes)} Axes")
        fig = on_axes(axes[0], 0, 0)[0]
        box = fig
    elif layout == "split":
        n_cols = max(len(row) for row in rows)
        fig, box = on_figure(fig, 4.2 * n_cols, 3.4 * len(rows))
        grid = np.atleast_2d(box.subplots(len(rows), n_cols, squeeze=False))
        axes = []
        for r, row in enumerate(rows):
            axes += list(grid[r, :len(row)])
            for extra in grid[r, len(row):]:  # a metric with fewer series (lr): no empty frame
                extra.set_visible(False)
        for a in axes[1:]:  # one scale per metric, so the panels compare at a glance
            first = axes[[p[0] for p in panels].index(panels[axes.index(a)][0])]
            if first is not a:
                a.sharey(first)
    else:
        fig, box = on_figure(fig, 4.6 * len(shown), 3.6)
        axes = np.atleast_1d(box.subplots(1, len(shown)))
    colors = ["#333333"] if len(histories) == 1 else series_colors(len(histories))
    for ax, (metric, only) in zip(axes, panels):
        split_metric = any(SERIES[s][0] + metric in h for h in histories for s in ("validation", "test"))
        for h, name, color in zip(histories, labels, colors):
            for s in (series if only is None else (only,)):
                prefix, style = SERIES[s]
                values = _series(h, prefix + metric)
                if values is None:
                    continue
                own = s if split_metric or metric in ("loss", "accuracy") else metric
                text = f"{name} {own}" if name else own
                if only is not None:  # the panel's title names the series
                    text = name or own
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
        if only is None:
            _legend(ax)
        else:
            split_title = f"{SERIES_TITLES[only]} {metric}" if split_metric or metric in (
                "loss", "accuracy") else metric
            ax.set_title(split_title, fontsize=10)
    if layout == "split" and len(histories) > 1:  # the runs' colours are the same on every panel
        handles, names = axes[0].get_legend_handles_labels()
        if own_figure:  # one legend above every panel
            box.legend(handles, names, loc="outside upper center", ncols=min(5, len(names)),
                       fontsize=8, frameon=False)
        else:
            _legend(axes[0])
    if title:
        box.suptitle(title)
    return fig
