"""What the hidden layers see: each layer's activations projected to 2-D (PCA or
t-SNE, lesson E), and the input grid warped by a network's first layers."""

from __future__ import annotations

import numpy as np

from ._style import CLASS_COLORS, on_figure


def hidden_activations(model, X) -> list[np.ndarray]:
    """The output of every hidden activation layer for inputs ``X`` (inference mode)."""
    return model.hidden_outputs(X)


def project(H, method="pca", seed=0) -> np.ndarray:
    """``(n, d)`` -> ``(n, 2)`` by PCA (SVD) or t-SNE (scikit-learn)."""
    H = np.asarray(H, dtype=np.float64)
    if H.shape[1] <= 2:
        return np.column_stack([H, np.zeros((len(H), 2 - H.shape[1]))])
    if method == "tsne":
        from sklearn.manifold import TSNE
        return TSNE(n_components=2, random_state=seed, init="pca",
                    perplexity=min(30.0, (len(H) - 1) / 3)).fit_transform(H)
    if method != "pca":
        raise ValueError(f"method must be 'pca' or 'tsne'; received method={method!r}")
    centred = H - H.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T


def hidden_representations(model, X, y, method="pca", max_points=2000, seed=0, classes=None,
                           fig=None):
    """One panel for the input and one per hidden layer, points coloured by class."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) > max_points:
        keep = np.random.default_rng(seed).choice(len(X), max_points, replace=False)
        X, y = X[keep], y[keep]
    layers = [X] + hidden_activations(model, X)
    cols = min(len(layers), 6)  # deep networks wrap: every thumbnail stays legible
    rows = -(-len(layers) // cols)
    fig, box = on_figure(fig, 3.0 * cols, 3.1 * rows + 0.3)
    axes = []
    for i, H in enumerate(layers):
        ax = box.add_subplot(rows, cols, i + 1)
        axes.append(ax)
        P = project(H, method, seed)
        for k in np.unique(y):
            ax.scatter(*P[y == k].T, s=6, color=CLASS_COLORS[int(k) % len(CLASS_COLORS)],
                       label=str(classes[k]) if classes else str(k))
        ax.set_title("input" if i == 0 else f"hidden layer {i} ({H.shape[1]} units)", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].legend(fontsize=7, markerscale=2)
    box.suptitle(f"representations projected by {method.upper()}", fontsize=10)
    return fig


def warped_grid(model, X, y, layer: int = 1, lines: int = 21, fig=None):
    """How hidden layer ``layer`` (it must have 2 units) bends the input plane:
    grid lines and data mapped through the network up to that layer's activation."""
    X, y = np.asarray(X), np.asarray(y)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (hi - lo)
    lo, hi = lo - pad, hi + pad
    t = np.linspace(0, 1, 200)
    fig, box = on_figure(fig, 8.4, 4.0)
    ax, bx = box.subplots(1, 2)

    def through(P):
        H = hidden_activations(model, P)
        if layer > len(H):
            raise ValueError(f"layer must be between 1 and {len(H)}; received layer={layer}")
        if H[layer - 1].shape[1] != 2:
            raise ValueError(f"hidden layer {layer} has {H[layer - 1].shape[1]} units; the warped "
                             "grid needs a layer of 2 units")
        return H[layer - 1]

    for v in np.linspace(0, 1, lines):
        for P in (np.column_stack([lo[0] + v * (hi[0] - lo[0]) + 0 * t, lo[1] + t * (hi[1] - lo[1])]),
                  np.column_stack([lo[0] + t * (hi[0] - lo[0]), lo[1] + v * (hi[1] - lo[1]) + 0 * t])):
            ax.plot(*P.T, color="0.75", lw=0.6)
            bx.plot(*through(P.astype(np.float32)).T, color="0.75", lw=0.6)
    Hx = through(X)
    for k in np.unique(y):
        color = CLASS_COLORS[int(k) % len(CLASS_COLORS)]
        ax.scatter(*X[y == k].T, s=8, color=color, zorder=3)
        bx.scatter(*Hx[y == k].T, s=8, color=color, zorder=3)
    ax.set_title("input space", fontsize=10)
    bx.set_title(f"after hidden layer {layer}", fontsize=10)
    return fig
