"""A real model's loss around its weights, along two directions in weight space:
L(a, b) = loss(theta + a d1 + b d2), the picture of lesson C's "loss landscape".

Each direction is random (from ``seed``) and scaled tensor by tensor to the norm of
the weights it moves (Li et al.'s filter normalisation, per parameter tensor), so
a = 1 means "as far again as the weights themselves". The model is restored after.
"""

from __future__ import annotations

import numpy as np

from ..nn import losses
from ._style import new_figure, on_axes


def _directions(params, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        d = []
        for p in params:
            r = rng.standard_normal(p.shape)
            norm_p, norm_r = np.linalg.norm(p), np.linalg.norm(r)
            d.append(r * (norm_p / norm_r if norm_r and norm_p else 0.0))
        out.append(d)
    return out


def loss_landscape(model, X, y, loss="cross_entropy", span: float = 1.0, n: int = 25, seed=0):
    """``(a, b, L)``: the offsets ``(n,)`` along each direction and the loss ``(n, n)``
    (rows b, columns a) of ``model`` on ``(X, y)`` at ``theta + a d1 + b d2``."""
    if not np.isfinite(span) or span <= 0:
        raise ValueError(f"span must be a positive number (how far along each direction); "
                         f"received span={span!r}")
    if int(n) < 3:
        raise ValueError(f"n must be an int >= 3 (points per direction); received n={n!r}")
    fn = losses.get(loss)
    params = [p for p, _ in model.parameters()]
    if params and params[0].ndim == 3:
        raise ValueError("loss_landscape draws one network: pass a model without replicas")
    theta = [p.copy() for p in params]
    d1, d2 = _directions(theta, seed)
    a = np.linspace(-span, span, int(n))
    L = np.empty((len(a), len(a)))
    try:
        for i, bv in enumerate(a):
            for j, av in enumerate(a):
                for p, t, u, v in zip(params, theta, d1, d2):
                    p[...] = t + av * u + bv * v
                with np.errstate(all="ignore"):
                    L[i, j] = float(np.asarray(fn.value(model.forward(X), y)))
    finally:
        for p, t in zip(params, theta):
            p[...] = t
    return a, a.copy(), L


def loss_surface(model, X, y, loss="cross_entropy", span: float = 1.0, n: int = 25, seed=0,
                 three_d: bool = False, title=None, ax=None):
    """The loss of a trained ``model`` around its weights along two random directions
    (see :func:`loss_landscape`), as contours (default) or a 3-D surface; the trained
    weights are the star at (0, 0). Returns the Figure."""
    a, b, L = loss_landscape(model, X, y, loss, span, n, seed)
    A, B = np.meshgrid(a, b)
    Z = np.log10(np.clip(L, 1e-12, None))
    if three_d:
        if ax is None:
            fig = new_figure(6.0, 5.0)
            ax = fig.add_subplot(projection="3d")
        elif getattr(ax, "name", "") != "3d":
            raise ValueError("three_d=True draws on a 3-D Axes: pass ax=fig.add_subplot("
                             "projection='3d')")
        fig = on_axes(ax, 0, 0)[0]
        ax.plot_surface(A, B, Z, cmap="viridis", linewidth=0, alpha=0.85)
        ax.set_zlabel("log10 loss")
    else:
        fig, ax = on_axes(ax, 5.6, 4.6)
        cs = ax.contourf(A, B, Z, levels=25, cmap="viridis")
        ax.contour(A, B, Z, levels=12, colors="white", linewidths=0.4, alpha=0.6)
        ax.figure.colorbar(cs, ax=ax, label="log10 loss")
        ax.plot(0, 0, marker="*", ms=14, color="gold", mec="k", ls="", label="trained weights")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, -0.12), frameon=False)
    ax.set_xlabel("direction 1 (a)")
    ax.set_ylabel("direction 2 (b)")
    centre = L[len(b) // 2, len(a) // 2]
    ax.set_title(title or f"{loss} around the trained weights (at the centre: {centre:.3g})",
                 fontsize=10)
    return fig
