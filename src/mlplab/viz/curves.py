"""Loss and accuracy curves, for one run or many, replicas as a median band."""

from __future__ import annotations

import warnings

import numpy as np

from ._style import CLASS_COLORS, on_axes, on_figure


def _series(history, key):
    """``(epochs, replicas)`` float array, or None."""
    if key not in history:
        return None
    a = np.asarray(history[key], dtype=np.float64)
    return a.reshape(len(a), -1)


def _draw(ax, values, color, label, dashed=False):
    epochs = np.arange(1, len(values) + 1)
    style = "--" if dashed else "-"
    if values.shape[1] == 1:
        ax.plot(epochs, values[:, 0], style, color=color, lw=1.8, label=label)
        return
    with warnings.catch_warnings():  # an epoch where every replica is NaN stays a gap
        warnings.simplefilter("ignore", RuntimeWarning)
        # a diverged replica (NaN from its divergence on) leaves the band, not the plot
        med = np.nanmedian(values, axis=1)
        ax.fill_between(epochs, np.nanmin(values, axis=1), np.nanmax(values, axis=1), color=color,
                        alpha=0.12, lw=0)
        ax.fill_between(epochs, *np.nanpercentile(values, [25, 75], axis=1), color=color,
                        alpha=0.22, lw=0)
    ax.plot(epochs, med, style, color=color, lw=1.8, label=f"{label} (median of {values.shape[1]})")


def training_curves(histories, labels=None, metrics=("loss", "accuracy"), log_loss=False,
                    title=None, ax=None, fig=None):
    """Train (solid) and validation (dashed) curves per metric.

    ``histories`` is one History or a list of them (one colour each). With
    replicas the line is the median, the dark band the middle half and the light
    band the full range.
    """
    if not isinstance(histories, (list, tuple)):
        histories = [histories]
    labels = labels or ([""] if len(histories) == 1 else [f"run {i + 1}" for i in range(len(histories))])
    shown = [m for m in metrics if any(m in h for h in histories)]
    if ax is not None:
        axes = list(ax) if isinstance(ax, (list, tuple, np.ndarray)) else [ax]
        if len(axes) != len(shown):
            raise ValueError(f"ax must give one Axes per metric drawn ({shown}); received "
                             f"{len(axes)} Axes")
        fig = on_axes(axes[0], 0, 0)[0]
        box = fig
    else:
        fig, box = on_figure(fig, 4.6 * len(shown), 3.4)
        axes = np.atleast_1d(box.subplots(1, len(shown)))
    for ax, metric in zip(axes, shown):
        for i, (h, name) in enumerate(zip(histories, labels)):
            color = "#333333" if len(histories) == 1 else CLASS_COLORS[i % len(CLASS_COLORS)]
            prefix = f"{name} " if name else ""
            train, val = _series(h, metric), _series(h, "val_" + metric)
            if train is not None:
                _draw(ax, train, color, f"{prefix}train")
            if val is not None:
                _draw(ax, val, color if len(histories) > 1 else "#1f77b4", f"{prefix}validation",
                      dashed=True)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        if metric == "loss" and log_loss:
            ax.set_yscale("log")
        if metric == "accuracy":
            ax.set_ylim(top=1.01)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        box.suptitle(title)
    return fig
