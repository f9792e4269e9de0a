"""Born dead: how often a ReLU network starts with a layer that outputs 0 for every input.

Such a network cannot learn: no gradient reaches the layers before the dead one.
The one-point theory (zero biases, weights symmetric about 0, as every ``*_normal``
and ``*_uniform`` initializer draws them): at a fixed input ``x != 0`` each unit of
the first hidden layer is on with probability 1/2, independently; given a layer's
output ``h >= 0, h != 0``, each unit of the next is again on with probability 1/2.
So a layer of width ``n`` is all zeros with probability ``2^-n`` and::

    P(alive at x) = prod_k (1 - 2^(-n_k))          P(born dead at x) = 1 - that

Over many inputs a layer must be zero on every one of them, which is rarer: the
measured fraction over a data set sits at or below the one-point value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import mlp


def alive_theory(hidden) -> float:
    """``prod_k (1 - 2^(-n_k))`` for hidden widths ``n_k``."""
    return float(np.prod([1.0 - 2.0 ** -int(n) for n in hidden]))


def _wilson(k, n, z=1.96):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class BornDead:
    """What :func:`dead_at_init` measured.

    ``dead`` fraction of networks with a dead layer; ``interval`` its 95% Wilson
    interval; ``first_dead[k]`` fraction whose first dead layer is hidden layer
    ``k + 1``; ``theory`` = 1 - prod_k (1 - 2^-n_k); ``per_seed`` boolean per seed.
    """

    sizes: tuple
    init: str
    n: int
    n_inputs: int
    dead: float
    interval: tuple
    first_dead: np.ndarray
    theory: float
    per_seed: np.ndarray

    def __str__(self):
        arch = "-".join(map(str, self.sizes))
        lo, hi = self.interval
        where = "one input" if self.n_inputs == 1 else f"all {self.n_inputs} inputs"
        return (f"{arch} ({self.init}): {int(self.per_seed.sum())}/{self.n} born dead "
                f"({self.dead:.1%}, 95% CI {lo:.1%}-{hi:.1%}) on {where}; "
                f"one-point theory 1 - prod(1 - 2^-n_k) = {self.theory:.1%}")


def dead_at_init(sizes, init="he_normal", seeds=range(1000), X=None, bias=True) -> BornDead:
    """The fraction of freshly initialised ReLU networks ``mlp(sizes, init=init, seed=s)``
    (one per seed) that have a hidden layer outputting 0 for every row of ``X``.

    Parameters
    ----------
    sizes : list of int
        Widths, inputs first: ``[2, 3, 3, 3, 2]``.
    init : str
        Initializer name (``he_normal``, ``xavier_uniform``, ``torch``...). The theory
        assumes zero biases, which all but ``torch`` give.
    seeds : iterable of int
        One network per seed, all built at once as replicas (1000 take well under a second).
    X : array ``(n, sizes[0])``, optional
        The inputs; default one point, ``(1, 1, ..., 1)``, where the theory is exact.

    >>> r = dead_at_init([2, 2, 2, 1], seeds=range(2000))
    >>> abs(r.dead - r.theory) < 0.05
    True
    """
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed; received an empty range")
    net = mlp(sizes, activation="relu", init=init, seed=seeds, bias=bias, dtype="float64")
    hidden = [d.fan_out for d in net.dense_layers[:-1]]
    if not hidden:
        raise ValueError(f"sizes must have at least one hidden layer; received sizes={list(sizes)!r}")
    X = np.ones((1, net.n_inputs)) if X is None else np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != net.n_inputs:
        raise ValueError(f"X must be shaped (n_samples, {net.n_inputs}); received shape {X.shape}")
    outs = net.hidden_outputs(X)                                   # each (R, n, width)
    dead_layers = np.stack([(o <= 0).all(axis=(-2, -1)) for o in outs], axis=-1)   # (R, L)
    dead = dead_layers.any(axis=-1)
    first = np.where(dead, dead_layers.argmax(axis=-1), -1)
    first_dead = np.array([(first == k).mean() for k in range(len(hidden))])
    return BornDead(tuple(int(s) for s in sizes), str(init), len(seeds), len(X), float(dead.mean()),
                    _wilson(int(dead.sum()), len(seeds)), first_dead, 1.0 - alive_theory(hidden), dead)


def born_dead_figure(widths=(2, 3, 4, 8), depths=range(1, 11), n_inputs=2, init="he_normal",
                     seeds=range(1000), X=None, ax=None):
    """P(born dead) against depth, one colour per width: the one-point theory as a line,
    the measured fraction (``dead_at_init`` over ``seeds``) as dots with their 95%
    interval. Returns the Figure."""
    from ..viz._style import class_color, new_figure

    if ax is None:
        fig = new_figure(6.0, 4.0)
        ax = fig.add_subplot()
    fig = ax.figure
    depths = [int(d) for d in depths]
    seeds = list(seeds)
    for i, w in enumerate(widths):
        color = class_color(i + 1)
        theory = [1 - alive_theory([w] * d) for d in depths]
        ax.plot(depths, theory, color=color, lw=1.5, label=rf"width {w}: $1 - (1 - 2^{{-{w}}})^L$")
        res = [dead_at_init([n_inputs] + [w] * d + [1], init=init, seeds=seeds, X=X) for d in depths]
        lo = [r.dead - r.interval[0] for r in res]
        hi = [r.interval[1] - r.dead for r in res]
        ax.errorbar(depths, [r.dead for r in res], yerr=[lo, hi], fmt="o", ms=4, color=color,
                    capsize=2, lw=1)
    ax.plot([], [], "o", color="#555", label=f"measured ({len(seeds)} networks, {init})")
    ax.set_xlabel("hidden layers L (each of the same width)")
    ax.set_ylabel("P(a layer outputs 0 for every input)")
    where = "one input (1, 1)" if X is None else f"{len(X)} inputs"
    ax.set_title(f"Born dead at initialisation, ReLU, zero biases, {where}", fontsize=9)
    ax.set_ylim(-0.02, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    return fig
