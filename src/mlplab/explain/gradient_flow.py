"""Gradient flow across activations: how big dL/dW is in each layer of a deep network.

Back-propagation multiplies, layer after layer, by ``W^T`` and by the activation's
derivative. Sigmoid's derivative is at most 1/4, so over 20 layers the gradient
reaching the first layer shrinks by many orders of magnitude (vanishing
gradients); ReLU's derivative is 1 where the unit is on, and with He initialisation
the norm is roughly kept. This is measured on real networks (one full-batch
forward and backward pass at initialisation), not on a scalar simulation.
"""

from __future__ import annotations

import numpy as np

from ..nn import losses, mlp


def gradient_flow(activations=("sigmoid", "tanh", "relu", "leaky_relu"), depth=20, width=64,
                  init="he_normal", dataset="moons_circles", X=None, y=None, seeds=range(5),
                  loss="cross_entropy") -> dict:
    """``||dL/dW_k||`` (Frobenius) of every Dense layer ``k = 1 .. depth + 1`` at
    initialisation, median over ``seeds``, for each activation.

    Parameters
    ----------
    activations : names of hidden activations (one curve each).
    depth, width : hidden layers and their width (lesson E: 20 layers of 64).
    X, y : data; default ``dataset`` drawn with seed 0 (integer labels).
    seeds : one network per seed, built at once as replicas.

    Returns
    -------
    dict ``{activation: array (depth + 1,)}``; ``ratio(result)`` gives first / last.

    >>> flow = gradient_flow(("sigmoid", "relu"), seeds=[0])
    >>> bool(ratio(flow)["sigmoid"] < 1e-6 < ratio(flow)["relu"])
    True
    """
    from ..data import get as get_data
    if X is None:
        X, y = get_data(dataset, seed=0)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a positive number of hidden layers; received depth={depth!r}")
    n_out = int(y.max()) + 1 if y.ndim == 1 else y.shape[-1]
    sizes = [X.shape[-1]] + [int(width)] * int(depth) + [n_out]
    loss_fn = losses.get(loss)
    seeds = [int(s) for s in seeds]
    out = {}
    for act in activations:
        net = mlp(sizes, activation=act, init=init, seed=seeds, dtype="float64")
        pred = net.forward(X, training=True)
        net.backward(loss_fn.grad(pred, y), input_grad=False)
        norms = np.stack([np.sqrt((d.grads["W"] ** 2).sum(axis=(-2, -1))) for d in net.dense_layers],
                         axis=-1)                                    # (R, depth + 1)
        out[act if isinstance(act, str) else getattr(act, "name", str(act))] = np.median(norms, axis=0)
    return out


def ratio(flow: dict) -> dict:
    """First layer's gradient norm over the last layer's, per activation."""
    return {k: float(v[0] / v[-1]) for k, v in flow.items()}


def gradient_flow_figure(flow=None, ax=None, **options):
    """Gradient norm against layer (log scale), one line per activation, the first/last
    ratio in the legend. ``flow`` is :func:`gradient_flow`'s result (computed with
    ``options`` when omitted). Returns the Figure."""
    from ..viz._style import class_color, new_figure

    flow = gradient_flow(**options) if flow is None else flow
    if ax is None:
        fig = new_figure(6.4, 4.0)
        ax = fig.add_subplot()
    fig = ax.figure
    r = ratio(flow)
    markers = ["o", "s", "^", "D", "v", "P"]
    styles = ["-", "-", (0, (5, 2)), (0, (1, 1.5))]
    for i, (name, norms) in enumerate(flow.items()):
        layers = np.arange(1, len(norms) + 1)
        ax.plot(layers, norms, marker=markers[i % len(markers)], ms=3.5, lw=1.5, color=class_color(i),
                ls=styles[i % len(styles)],
                label=f"{name}: first/last = {r[name]:.1e}")
    ax.set_yscale("log")
    ax.set_xlabel("Dense layer (1 = first, next to the input)")
    ax.set_ylabel("||dL/dW|| at initialisation")
    n = len(next(iter(flow.values())))
    ax.set_xticks(range(1, n + 1, max(1, n // 10)))
    ax.set_title(f"Gradient flow through {n - 1} hidden layers, one line per activation", fontsize=9)
    ax.grid(alpha=0.3, which="major")
    ax.legend(fontsize=7.5, loc="lower right")
    return fig
