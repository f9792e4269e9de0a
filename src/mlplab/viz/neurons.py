"""What happens inside: alive neurons per seed (lesson A), saturation and gradient
norms per layer (lesson E), drawn from the diagnostics in a History."""

from __future__ import annotations

import re

import numpy as np

from ._style import BAD, CLASS_COLORS, GOOD, new_figure


def _layers(history, prefix):
    keys = [k for k in history.keys() if re.fullmatch(rf"{re.escape(prefix)}\.\d+", k)]
    return sorted(keys, key=lambda k: int(k.split(".")[1]))


def alive_neurons(history, widths=None, success=None, max_panels=20, title=None):
    """One panel per seed: alive ReLU units of each hidden layer over the epochs.

    ``success`` (one bool per replica, e.g. final accuracy > 95%) colours the panel
    titles green or red, as lesson A's grid. ``widths`` draws each layer's size.
    """
    keys = _layers(history, "alive")
    if not keys:
        raise ValueError("the history has no 'alive.k' figures: train with callbacks=[NeuronStats()] "
                         "and ReLU hidden layers")
    data = [np.asarray(history[k], dtype=float).reshape(len(history[k]), -1) for k in keys]
    n = min(data[0].shape[1], max_panels)
    cols = min(5, n)
    rows = -(-n // cols)
    fig = new_figure(max(2.6 * cols, 6.0), 2.1 * rows + 0.7)
    epochs = np.arange(1, data[0].shape[0] + 1)
    top = max(widths) if widths else max(d.max() for d in data)
    for r in range(n):
        ax = fig.add_subplot(rows, cols, r + 1)
        for j, (key, d) in enumerate(zip(keys, data)):
            color = CLASS_COLORS[j % len(CLASS_COLORS)]
            ax.plot(epochs, d[:, r], color=color, lw=1.6, label=f"layer {key.split('.')[1]}")
            if widths:
                ax.axhline(widths[j], color=color, lw=0.8, ls=":")
        ax.set_ylim(-0.3, top + 0.5)
        if success is not None:
            ok = bool(np.asarray(success).reshape(-1)[r])
            ax.set_title(f"seed {r}: {'success' if ok else 'failure'}", fontsize=9,
                         color=GOOD if ok else BAD)
            for spine in ax.spines.values():
                spine.set_edgecolor(GOOD if ok else BAD)
                spine.set_linewidth(1.5)
        else:
            ax.set_title(f"seed {r}", fontsize=9)
        ax.tick_params(labelsize=7)
        if r == 0:
            ax.legend(fontsize=7, loc="lower left")
    fig.suptitle(title or "alive ReLU units per layer\n(a unit is dead when it outputs 0 "
                 "for every sample of the epoch)", fontsize=10)
    return fig


def gradient_norms(history, replica=None, title=None):
    """Gradient norm of each Dense layer's weights over the epochs (log scale), and the
    last epoch's norms by layer: vanishing gradients fall from right to left."""
    keys = _layers(history, "grad_norm")
    if not keys:
        raise ValueError("the history has no 'grad_norm.k' figures: train with "
                         "callbacks=[GradientStats()]")
    fig = new_figure(9.5, 3.4)
    ax, bx = fig.subplots(1, 2, width_ratios=[1.6, 1])
    last = []
    for j, key in enumerate(keys):
        d = np.asarray(history[key], dtype=float).reshape(len(history[key]), -1)
        d = np.median(d, axis=1) if replica is None else d[:, replica]
        ax.plot(np.arange(1, len(d) + 1), d, color=CLASS_COLORS[j % len(CLASS_COLORS)],
                lw=1.5, label=f"layer {key.split('.')[1]}")
        last.append(d[-1])
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("||dL/dW||")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7, ncol=2)
    layers = np.arange(1, len(keys) + 1)
    bx.bar(layers, last, color=[CLASS_COLORS[j % len(CLASS_COLORS)] for j in range(len(keys))])
    positive = [v for v in last if v > 0]
    if positive and max(positive) > 100 * min(positive):  # orders of magnitude: vanishing
        bx.set_yscale("log")
    bx.set_xlabel("layer (input side first)")
    bx.set_ylabel("last epoch")
    bx.set_xticks(layers)
    fig.suptitle(title or "gradient norm per layer", fontsize=10)
    return fig


def saturation(history, title=None):
    """Fraction of sigmoid/tanh outputs in the flat zone per hidden layer over the epochs."""
    keys = _layers(history, "saturation")
    if not keys:
        raise ValueError("the history has no 'saturation.k' figures: train with NeuronStats() "
                         "and sigmoid or tanh hidden layers")
    fig = new_figure(5.5, 3.4)
    ax = fig.add_subplot()
    for j, key in enumerate(keys):
        d = np.asarray(history[key], dtype=float).reshape(len(history[key]), -1)
        ax.plot(np.arange(1, len(d) + 1), np.median(d, axis=1), lw=1.6,
                color=CLASS_COLORS[j % len(CLASS_COLORS)], label=f"layer {key.split('.')[1]}")
    ax.set_ylim(0, 1)
    ax.set_xlabel("epoch")
    ax.set_ylabel("saturated fraction")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(title or "saturated sigmoid/tanh outputs", fontsize=10)
    return fig
