"""What lesson E's sections share: its data drawn as its own code draws it, its split,
Keras's defaults, and the "median [min, max]" way of writing a figure over seeds."""

from __future__ import annotations

import numpy as np

#: what Keras does unless told otherwise, as mlplab options
KERAS = {"init": "xavier_uniform", "optimizer": "adam", "lr": 1e-3, "batch_size": 32}
#: the lesson's options of ``mlplab train`` / ``lab.sweep`` for its moons + circles runs:
#: its data (seed 42, legacy draw), a 20% test split and 20% of the rest for validation
MOONS_CIRCLES = {"data_rng": "legacy", "data_seed": 42, "test_size": 0.2, "val_split": 0.2,
                 "batch_size": 32, "init": "xavier_uniform"}


def lesson_data(name: str, seed: int = 42, **options):
    """``X_train, X_test, y_train, y_test`` of the lesson: ``name`` ("spirals" or
    "moons_circles") drawn with ``rng="legacy"`` and ``seed``, split 80/20 stratified with
    ``random_state=seed`` (as its ``train_test_split(..., random_state=42, stratify=y)``)."""
    from ...data import toy, train_test_split

    X, y = toy.get(name, seed=seed, rng="legacy", **options)
    return train_test_split(X, y, test_size=0.2, seed=seed)


def spread(values, digits: int = 1, percent: bool = True) -> str:
    """``"91.0% [89.5, 91.5]"``: the median and range of ``values`` (NaN left out)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    v = v[np.isfinite(v)]
    if not v.size:
        return "n/a"
    k = 100.0 if percent else 1.0
    unit = "%" if percent else ""
    return f"{np.median(v) * k:.{digits}f}{unit} [{v.min() * k:.{digits}f}, {v.max() * k:.{digits}f}]"


def accuracy(net, X, y) -> np.ndarray:
    """Accuracy of each replica of ``net`` on ``(X, y)`` (inference mode)."""
    return np.asarray(net.predict(X) == np.asarray(y), dtype=float).mean(axis=-1)


def figure(width: float, height: float):
    """An empty Figure (no pyplot) for sections that place several viz panels."""
    from ...viz._style import new_figure

    return new_figure(width, height)


def stacked(result, setting: int) -> dict:
    """The per-epoch histories of one sweep setting's seeds as one History-like dict,
    ``{name: (epochs, seeds)}``, which ``viz.training_curves`` draws as a median band."""
    runs = result.histories(setting)
    keys = [k for k in runs[0] if all(k in h for h in runs)]
    n = min(len(runs[0][k]) for k in keys)
    return {k: np.stack([np.asarray(h[k], dtype=float)[:n] for h in runs], axis=1) for k in keys}


def split_curves(histories: dict, metric: str = "accuracy", title: str | None = None):
    """Train and validation curves of several runs on two panels (train left, validation
    right), one colour per run, drawn with ``viz.training_curves``."""
    from ...viz import training_curves

    fig = figure(10.4, 4.2)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, split in zip(axes, ("train", "validation")):
        training_curves(list(histories.values()), labels=list(histories), metrics=(metric,),
                        series=(split,), ax=ax)
        ax.get_legend().remove()  # one short legend for both panels, inside the right one
        ax.set_title(f"{split} {metric}", fontsize=9)
    axes[1].legend(axes[1].get_lines(), list(histories), fontsize=8, loc="lower right")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def compact_legend(fig, loc: str = "best"):
    """Replace the legends ``viz.training_curves`` puts above each panel (they crowd the
    panels when several runs share them) by one legend inside the last panel, without
    the "(median of N)" the figure's title already says. Returns the Figure."""
    import re

    axes = [ax for ax in fig.axes if ax.get_legend() is not None]
    if not axes:
        return fig
    handles, labels = axes[-1].get_legend_handles_labels()
    for ax in axes:
        ax.get_legend().remove()
    axes[-1].legend(handles, [re.sub(r" \(median of \d+\)", "", t) for t in labels], fontsize=7.5, loc=loc)
    return fig
