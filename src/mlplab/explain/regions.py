"""Linear regions of a ReLU / LeakyReLU network over a 2-D window, counted exactly.

A network made of Dense layers and piecewise-linear activations is affine on each
set of inputs that share one *activation pattern* (which units are on). Those sets
are the linear regions. They are found here by geometry, not by sampling pixels:

1. Start with the window, one convex polygon, on which the input is ``x`` itself
   (the affine map ``h = x M + c`` with ``M = I``, ``c = 0``).
2. At each hidden layer, the pre-activations ``z = h W + b = x (M W) + (c W + b)``
   are affine on every current polygon. Cut each polygon by each unit's line
   ``z_j = 0`` (a convex polygon cut by a line gives two convex polygons).
3. On each piece the pattern is fixed, so ``relu`` (or ``leaky_relu``) is the
   diagonal ``D = diag(1 or alpha)``: carry on with ``M <- M W D``,
   ``c <- (c W + b) D``.

What is counted: **activation regions**, the pieces on which the whole pattern is
constant. Each one is convex (an intersection of half-planes, layer by layer), so a
pattern never appears in two separate pieces: counting patterns and counting
connected pieces give the same number. Two neighbouring regions whose affine maps
happen to coincide (a unit that feeds only dead units) still count as two; that
is what the bounds below bound. A unit whose line only grazes a piece (both sides
within ``1e-9`` of the piece's size) does not cut it.

Bounds printed beside the count: one hidden layer of ``k`` units on 2-D input cuts
the plane into at most ``1 + k + C(k, 2)`` regions; for hidden widths
``n_1 ... n_L`` lesson A quotes ``prod_i sum_{j=0}^{min(n_i, d)} C(n_i, j)``
(:func:`region_bound`). Inside a bounded window, ``k`` lines in general position
give exactly ``1 + (lines crossing the window) + (crossings inside it)``
(:func:`arrangement_count`, the independent check used by the tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

_PIECEWISE = ("relu", "leaky_relu", "identity")


@dataclass
class Region:
    """One linear region: ``polygon`` ``(n_vertices, 2)`` (counter-clockwise),
    ``pattern`` (tuple of 0/1 per hidden unit, layer after layer) and the affine map
    of the network's last Dense output on it, ``out = x @ M + c``."""

    polygon: np.ndarray
    pattern: tuple
    M: np.ndarray
    c: np.ndarray

    @property
    def area(self) -> float:
        x, y = self.polygon[:, 0], self.polygon[:, 1]
        return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _check_bounds(bounds):
    try:
        x0, x1, y0, y1 = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise TypeError(f"bounds must be four numbers (x0, x1, y0, y1); received bounds={bounds!r}") from None
    if not (np.isfinite([x0, x1, y0, y1]).all() and x0 < x1 and y0 < y1):
        raise ValueError(f"bounds must be finite with x0 < x1 and y0 < y1; received bounds={bounds!r}")
    return x0, x1, y0, y1


def _plan(model):
    """The model as steps ``("affine", W, b)`` / ``("act", name, alpha)``, one replica at a time."""
    from ..nn import Activation, Dense, Dropout, Sequential
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a mlplab Sequential; received {type(model).__name__}")
    if model.n_inputs != 2:
        raise ValueError(f"linear regions are counted over a 2-D window; the model takes "
                         f"{model.n_inputs} inputs, not 2")
    dense = model.dense_layers
    steps, seen = [], 0
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Dense):
            seen += 1
            steps.append(("affine", layer))
        elif isinstance(layer, Dropout):
            continue                                 # identity at inference
        elif isinstance(layer, Activation) and seen < len(dense):
            name = layer.activation.name
            if name not in _PIECEWISE:
                raise ValueError(f"linear regions need piecewise-linear hidden activations "
                                 f"({', '.join(_PIECEWISE)}); layer {i} is {name!r}")
            steps.append(("act", name, float(getattr(layer.activation, "alpha", 0.0))))
        elif seen < len(dense):
            raise ValueError(f"linear regions are counted for Dense layers and ReLU/LeakyReLU "
                             f"activations; layer {i} is {type(layer).__name__}")
        # after the last Dense: the output activation does not change the regions
    return steps


def _replica_params(layer, index):
    W = np.asarray(layer.params["W"][index], dtype=np.float64)
    b = np.asarray(layer.params["b"][index], dtype=np.float64)[0] if "b" in layer.params \
        else np.zeros(W.shape[1])
    return W, b


def _cut(poly, a, b, tol):
    """Split convex ``poly`` by the line ``x @ a + b = 0``: (part >= 0, part <= 0);
    a part is None when the line leaves it (nearly) empty."""
    v = poly @ a + b
    if v.min() >= -tol:
        return poly, None
    if v.max() <= tol:
        return None, poly
    pos, neg = [], []
    n = len(poly)
    for i in range(n):
        p, q, vp, vq = poly[i], poly[(i + 1) % n], v[i], v[(i + 1) % n]
        if vp >= 0:
            pos.append(p)
        if vp <= 0:
            neg.append(p)
        if (vp > 0 and vq < 0) or (vp < 0 and vq > 0):
            cross = p + (q - p) * (vp / (vp - vq))
            pos.append(cross)
            neg.append(cross)
    return np.array(pos), np.array(neg)


def regions(model, bounds=(-1.0, 1.0, -1.0, 1.0), replica=None) -> list[Region]:
    """The linear regions of ``model`` inside the window ``bounds = (x0, x1, y0, y1)``.

    Parameters
    ----------
    model : Sequential
        2 inputs; Dense layers with ``relu``, ``leaky_relu`` or ``identity`` between them
        (dropout is ignored, as at inference; the output activation does not matter).
    replica : int or tuple, optional
        Which replica of a replicated model (required when it has replicas).

    Returns
    -------
    list of :class:`Region`, one per activation pattern that has area in the window.
    """
    x0, x1, y0, y1 = _check_bounds(bounds)
    steps = _plan(model)
    reps = model.replicas
    if reps and replica is None:
        raise ValueError(f"the model has replicas {reps}: pass replica=r, or call linear_regions(model) "
                         f"for every replica's count")
    index = (() if not reps else (replica if isinstance(replica, tuple) else (int(replica),))) + (Ellipsis,)
    scale = max(x1 - x0, y1 - y0)
    window = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    pieces = [(window, (), np.eye(2), np.zeros(2))]
    for step in steps:
        if step[0] == "affine":
            W, b = _replica_params(step[1], index)
            pieces = [(p, pat, M @ W, c @ W + b) for p, pat, M, c in pieces]
            continue
        _, name, alpha = step
        if name == "identity":
            continue
        out = []
        for poly, pat, M, c in pieces:
            parts = [(poly, ())]
            for j in range(M.shape[1]):
                a, b0 = M[:, j], c[j]
                tol = 1e-9 * (scale * np.abs(a).sum() + abs(b0) + 1e-300)
                nxt = []
                for q, bits in parts:
                    on, off = _cut(q, a, b0, tol)
                    if on is not None:
                        nxt.append((on, bits + (1,)))
                    if off is not None:
                        nxt.append((off, bits + (0,)))
                parts = nxt
            for q, bits in parts:
                d = np.where(np.array(bits) == 1, 1.0, alpha)
                out.append((q, pat + bits, M * d, c * d))
        pieces = out
    return [Region(p, pat, M, c) for p, pat, M, c in pieces]


def linear_regions(model, bounds=(-1.0, 1.0, -1.0, 1.0)):
    """The number of linear (activation) regions of ``model`` over ``bounds``.

    An ``int`` for a single network; an int array shaped like the replicas for a
    replicated one. Exact (polygon cutting, see the module's docstring), so thin
    regions a pixel grid would miss are counted.

    >>> from mlplab.nn import mlp
    >>> linear_regions(mlp([2, 8, 1], seed=0), bounds=(-3, 3, -3, 3)) <= region_bound([2, 8, 1])
    True
    """
    reps = model.replicas if hasattr(model, "replicas") else None
    if not reps:
        return len(regions(model, bounds))
    counts = np.zeros(reps, dtype=np.int64)
    for r in np.ndindex(*reps):
        counts[r] = len(regions(model, bounds, replica=r))
    return counts


def _hidden_widths(sizes_or_model):
    if hasattr(sizes_or_model, "dense_layers"):
        dense = sizes_or_model.dense_layers
        return dense[0].fan_in, [d.fan_out for d in dense[:-1]]
    sizes = list(sizes_or_model)
    if len(sizes) < 2 or any(int(s) != s or s < 1 for s in sizes):
        raise ValueError(f"sizes must be positive integer widths, inputs first, such as [2, 4, 4, 2]; "
                         f"received {sizes_or_model!r}")
    return int(sizes[0]), [int(s) for s in sizes[1:-1]]


def region_bound(sizes) -> int:
    """Lesson A's upper bound ``prod_i sum_{j=0}^{min(n_i, d)} C(n_i, j)`` over the hidden
    widths ``n_i`` (``d`` = input dimension). For one hidden layer on 2-D input it is
    ``1 + k + C(k, 2)``, the most regions ``k`` lines can cut a plane into.

    >>> region_bound([2, 4, 4, 2]), region_bound([2, 8, 2, 2]), region_bound([2, 4, 8, 2])
    (121, 148, 407)
    """
    d, hidden = _hidden_widths(sizes)
    out = 1
    for n in hidden:
        out *= sum(comb(n, j) for j in range(min(n, d) + 1))
    return out


def arrangement_count(model, bounds=(-1.0, 1.0, -1.0, 1.0)) -> int:
    """``1 + (lines crossing the window) + (pairwise crossings inside it)`` for a network
    with ONE hidden layer (its units' lines ``x @ W[:, j] + b_j = 0``), the exact number
    of regions when the lines are in general position. Computed from the lines alone,
    independently of :func:`regions`."""
    x0, x1, y0, y1 = _check_bounds(bounds)
    steps = _plan(model)
    if sum(s[0] == "act" and s[1] != "identity" for s in steps) != 1 or model.replicas:
        raise ValueError("arrangement_count is for one hidden layer (and no replicas)")
    W, b = _replica_params(steps[0][1], (Ellipsis,))
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    crossing = [j for j in range(W.shape[1])
                if (corners @ W[:, j] + b[j]).min() < 0 < (corners @ W[:, j] + b[j]).max()]
    inside = 0
    for i, j in ((i, j) for i in crossing for j in crossing if i < j):
        A = np.array([W[:, i], W[:, j]])
        if abs(np.linalg.det(A)) < 1e-12:
            continue
        p = np.linalg.solve(A, -np.array([b[i], b[j]]))
        inside += bool(x0 < p[0] < x1 and y0 < p[1] < y1)
    return 1 + len(crossing) + inside


def grid_patterns(model, bounds, n=400, replica=None) -> int:
    """Distinct activation patterns seen on an ``n x n`` grid of points (a lower bound
    of :func:`linear_regions`: thin regions can fall between the points)."""
    x0, x1, y0, y1 = _check_bounds(bounds)
    xs, ys = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    h = np.stack([xs.ravel(), ys.ravel()], axis=1)
    index = (() if replica is None else (replica if isinstance(replica, tuple) else (int(replica),))) \
        + (Ellipsis,)
    bits = []
    for step in _plan(model):
        if step[0] == "affine":
            W, b = _replica_params(step[1], index)
            h = h @ W + b
        elif step[1] != "identity":
            bits.append(h > 0)
            h = np.where(h > 0, h, step[2] * h)
    if not bits:
        return 1
    packed = np.ascontiguousarray(np.packbits(np.concatenate(bits, axis=1), axis=1))
    return len(np.unique(packed.view(np.dtype((np.void, packed.shape[1])))))
