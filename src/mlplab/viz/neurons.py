"""What happens inside: alive neurons per seed (lesson A), saturation and gradient
norms per layer (lesson E), drawn from the diagnostics in a History."""

from __future__ import annotations

import re
import warnings

import numpy as np
from matplotlib.ticker import MaxNLocator

from ._replicas import Outcomes
from ._style import on_axes, on_figure, series_colors


def _layers(history, prefix):
    keys = [k for k in history.keys() if re.fullmatch(rf"{re.escape(prefix)}\.\d+", k)]
    return sorted(keys, key=lambda k: int(k.split(".")[1]))


def _history_figures(history) -> dict:
    """The last epoch's figures of a History as ``{split: {measure: values}}``."""
    figures = {}
    for key in history.keys():
        split, _, measure = key.rpartition("_") if key.startswith("val_") else ("train", "", key)
        if measure in ("loss", "accuracy"):
            values = np.asarray(history[key], dtype=float)
            figures.setdefault("validation" if split == "val" else "train", {})[measure] = values[-1]
    return figures


#: one look per hidden layer, so that equal counts stay visible: the lines sit a little
#: apart (offset), and differ in colour, dash and marker
_LINESTYLES = ["-", (0, (4, 2)), (0, (1, 1.5)), "-."]
_MARKERS = ["o", "s", "^", "D"]


def _end_labels(ax, ends, levels, low, high, step=0.11):
    """Each layer's last count ("L1: 3/4") at the panel's right edge, stacked in the free
    band farthest from the lines' final levels, so labels neither collide nor hide a line."""
    if not ends:
        return
    marks = (np.asarray(levels, dtype=float) - low) / (high - low)
    step = min(step, 0.84 / max(len(ends), 1))  # deep networks: many labels, closer together
    height = step * (len(ends) - 1)
    starts = np.linspace(0.08, 0.92 - height, 9)
    gaps = [min(np.abs(marks[:, None] - (s + step * np.arange(len(ends)))[None, :]).min(), 1.0)
            if marks.size else 1.0 for s in starts]
    start = starts[int(np.argmax(gaps))]
    for i, (_, text, color, _) in enumerate(sorted(ends, key=lambda e: e[0], reverse=True)):
        ax.text(0.97, start + step * i, text, transform=ax.transAxes,
                fontsize=7 if len(ends) <= 8 else 5, color=color,
                ha="right", va="center")


def _beside(ax, n):
    """A legend beside the axes (two columns past 10 entries): never over the lines, never
    cut off above them."""
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              ncols=2 if n > 10 else 1, handlelength=1.5, columnspacing=0.8)


def dead_units(histories, widths, labels=None, title=None, ax=None):
    """Dead ReLU units per configuration at the last epoch, in % of its hidden units: a
    bar per configuration (the median over seeds), each seed a dot, "k/N" written on top.

    Parameters
    ----------
    histories : History or list of History
        Trained with ``callbacks=[NeuronStats()]`` (``alive.k`` figures).
    widths : list of int, or one such list per history
        Hidden layer sizes (a unit that never outputs anything but 0 on the epoch is dead).
    labels : list of str, optional
        One name per configuration (default "run 1", ...).
    """
    if not isinstance(histories, (list, tuple)):
        histories = [histories]
    if widths and not isinstance(widths[0], (list, tuple)):
        widths = [widths] * len(histories)
    if len(widths) != len(histories):
        raise ValueError(f"widths must give the hidden sizes of each of the {len(histories)} "
                         f"configurations; received {len(widths)} lists")
    labels = labels or [f"run {i + 1}" for i in range(len(histories))]
    fig, ax = on_axes(ax, max(4.5, 1.1 * len(histories) + 2), 3.6)
    colors = series_colors(len(histories))
    for i, (h, w, color) in enumerate(zip(histories, widths, colors)):
        keys = _layers(h, "alive")
        if len(keys) != len(w):
            raise ValueError(f"widths[{i}] names {len(w)} hidden layers but history {i} records "
                             f"{len(keys)} (alive.1 ... alive.{len(keys)})")
        alive = sum(np.asarray(h[k], dtype=float).reshape(len(h[k]), -1)[-1] for k in keys)
        total = float(sum(w))
        dead = 100 * (total - alive) / total  # per seed
        finite = dead[np.isfinite(dead)]
        med = float(np.median(finite)) if finite.size else np.nan
        ax.bar(i, med, color=color, alpha=0.55, width=0.6)
        jitter = np.linspace(-0.18, 0.18, len(dead)) if len(dead) > 1 else np.zeros(1)
        ax.plot(i + jitter, dead, "o", color=color, mec="k", mew=0.4, ms=4, ls="")
        ax.text(i, (med if np.isfinite(med) else 0) + 2,
                f"{total - float(np.median(alive)):.0f}/{total:.0f}", ha="center", fontsize=8)
    ax.set_xticks(range(len(histories)), labels, rotation=30 if len(histories) > 5 else 0,
                  ha="right" if len(histories) > 5 else "center")
    ax.set_ylabel("dead units (%)")
    ax.set_ylim(0, 105)
    ax.grid(alpha=0.3, axis="y")
    ax.set_title(title or "dead ReLU units at the last epoch (bar: median over seeds; dots: seeds)",
                 fontsize=9.5)
    return fig


def alive_neurons(history, widths=None, success=None, max_panels=20, title=None, seeds=None,
                  figures=None, fig=None):
    """One panel per seed: alive ReLU units of each hidden layer over the epochs.

    Each panel is titled with its seed and its final figure (training accuracy by
    default) and coloured by the success rule, green or red, as lesson A's grid; a
    replica that diverged reads "diverged at epoch E". When two layers keep the same
    count, their lines stay apart by a small offset and differ in dash and marker; each
    line ends with its layer and count ("L1: 3/4"). The figure's title counts every
    replica, not only the ``max_panels`` shown.

    Parameters
    ----------
    history : History
        Trained with ``callbacks=[NeuronStats()]``; its ``alive.k`` figures are
        ``(epochs, *replicas)``.
    widths : list of int, optional
        Each hidden layer's size, drawn as a dotted line and used in the end labels.
    success : rule text, Success, number or bools, optional
        The rule of :mod:`mlplab.nn.success` (None: its default); a number ``t`` means
        ``train_accuracy > t``; one bool per replica is taken as the verdict itself.
    seeds : sequence of int, optional
        The replicas' seeds (e.g. ``model.seeds``); without them panels read "replica r".
    figures : dict, optional
        ``{split: {measure: values}}`` to judge and title by (``TrainResult.figures``);
        by default the history's last epoch.
    """
    keys = _layers(history, "alive")
    if not keys:
        raise ValueError("the history has no 'alive.k' figures: train with callbacks=[NeuronStats()] "
                         "and ReLU hidden layers")
    data = [np.asarray(history[k], dtype=float).reshape(len(history[k]), -1) for k in keys]
    n_replicas = data[0].shape[1]
    out = Outcomes.build(n_replicas, success=success,
                         figures=_history_figures(history) if figures is None else figures,
                         seeds=seeds, history=history, max_panels=max_panels)
    n = out.shown
    cols = min(5, n)
    rows = -(-n // cols)
    fig, box = on_figure(fig, max(2.7 * cols, 6.0), 2.2 * rows + 0.8 + 0.2 * (len(keys) > 4)
                         * (1 + len(keys) // 5) + (1.6 if n == 1 and len(keys) > 8 else 0))
    epochs = np.arange(1, data[0].shape[0] + 1)
    top = max(widths) if widths else max(np.nanmax(d) if np.isfinite(d).any() else 1 for d in data)
    gap = min(0.12, 0.5 / max(len(keys), 1))
    colors = series_colors(len(keys))
    for r in range(n):
        ax = box.add_subplot(rows, cols, r + 1)
        ends = []
        for j, (key, d) in enumerate(zip(keys, data)):
            color = colors[j]
            offset = (j - (len(keys) - 1) / 2) * gap
            layer = key.split(".")[1]
            ax.plot(epochs, d[:, r] + offset, color=color, lw=1.5, ls=_LINESTYLES[j % len(_LINESTYLES)],
                    marker=_MARKERS[j % len(_MARKERS)], markersize=3.5,
                    markevery=(j * max(1, len(epochs) // 16) // max(len(keys), 1),
                               max(1, len(epochs) // 8)),
                    label=f"layer {layer}")
            last = d[np.isfinite(d[:, r]), r]
            if last.size:
                size = f"/{widths[j]}" if widths else ""
                ends.append((j, f"L{layer}: {last[-1]:.0f}{size}", color, last[-1] + offset))
            if widths:
                ax.axhline(widths[j], color=color, lw=0.8, ls=":")
        ax.set_ylim(-0.3, top + 0.5)
        ax.set_xlim(0, epochs[-1] + 1)  # a diverged replica's line stops; its axis does not
        _end_labels(ax, ends, [*(e[3] for e in ends), *(widths or [])], -0.3, top + 0.5)
        ax.set_title(out.title(r), fontsize=8.5, color=out.color(r))
        if out.judged or out.diverged_at[r] != -1:
            for spine in ax.spines.values():
                spine.set_edgecolor(out.color(r))
                spine.set_linewidth(1.5)
        ax.tick_params(labelsize=7)
        if r % cols == 0:
            ax.set_ylabel("alive units", fontsize=7.5)
        if r >= n - cols:
            ax.set_xlabel("epoch", fontsize=7.5)
        if r == 0 and len(keys) <= 4:
            ax.legend(fontsize=6.5, loc="lower left")
        elif r == 0:  # many layers: one legend for the figure, below the panels
            box.legend(*ax.get_legend_handles_labels(), loc="outside lower center", fontsize=6.5,
                       ncols=min(len(keys), max(2, int(max(2.7 * cols, 6.0) / 1.1))),
                       frameon=False)
    box.suptitle(title or f"alive ReLU units per layer: {out.summary()}\n(a unit is dead when it "
                 "outputs 0 for every sample of the epoch)", fontsize=10)
    return fig


def gradient_norms(history, replica=None, title=None, fig=None):
    """Gradient norm of each Dense layer's weights over the epochs (log scale), and the
    last epoch's norms by layer: vanishing gradients fall from right to left."""
    keys = _layers(history, "grad_norm")
    if not keys:
        raise ValueError("the history has no 'grad_norm.k' figures: train with "
                         "callbacks=[GradientStats()]")
    fig, box = on_figure(fig, 9.5 + (1.2 if len(keys) > 8 else 0), 3.4)
    ax, bx = box.subplots(1, 2, width_ratios=[1.6, 1])
    last = []
    colors = series_colors(len(keys))
    for j, key in enumerate(keys):
        d = np.asarray(history[key], dtype=float).reshape(len(history[key]), -1)
        if replica is None:
            with warnings.catch_warnings():  # diverged replicas (NaN) are left out
                warnings.simplefilter("ignore", RuntimeWarning)
                d = np.nanmedian(d, axis=1)
        else:
            d = d[:, replica]
        ax.plot(np.arange(1, len(d) + 1), d, color=colors[j], lw=1.5,
                label=f"layer {key.split('.')[1]}")
        last.append(d[-1])
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("||dL/dW||")
    ax.grid(alpha=0.3, which="both")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _beside(ax, len(keys))
    layers = np.arange(1, len(keys) + 1)
    bx.bar(layers, last, color=colors)
    positive = [v for v in last if np.isfinite(v) and v > 0]
    if positive and max(positive) > 100 * min(positive):  # orders of magnitude: vanishing
        bx.set_yscale("log")
    bx.set_xlabel("layer (input side first)")
    bx.set_ylabel("last epoch")
    bx.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    box.suptitle(title or "gradient norm per layer", fontsize=10)
    return fig


def saturation(history, title=None, ax=None):
    """Fraction of sigmoid/tanh outputs in the flat zone per hidden layer over the epochs."""
    keys = _layers(history, "saturation")
    if not keys:
        raise ValueError("the history has no 'saturation.k' figures: train with NeuronStats() "
                         "and sigmoid or tanh hidden layers")
    fig, ax = on_axes(ax, 5.5 + (1.0 if len(keys) > 8 else 0), 3.4)
    colors = series_colors(len(keys))
    for j, key in enumerate(keys):
        d = np.asarray(history[key], dtype=float).reshape(len(history[key]), -1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            d = np.nanmedian(d, axis=1)
        ax.plot(np.arange(1, len(d) + 1), d, lw=1.6, color=colors[j],
                label=f"layer {key.split('.')[1]}")
    ax.set_ylim(0, 1)
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("saturated fraction")
    ax.grid(alpha=0.3)
    _beside(ax, len(keys))
    ax.set_title(title or "saturated sigmoid/tanh outputs", fontsize=10)
    return fig
