"""Networks of different widths as one replicated model: widths padded and masked.

``padded_mlp(sizes, seeds)`` builds one replicated :class:`Sequential` whose replica
``r`` is the network ``mlp(sizes[r], seed=seeds[r], ...)``: every hidden layer is as
wide as the widest replica's, and replica ``r``'s extra (padded) units are zero.

Why padded units stay zero, exactly, through training: a padded unit's incoming
weights and bias are 0, so its pre-activation is 0; its outgoing weights are 0, so
it adds nothing to the next layer and receives no gradient (``dL/da = dy @ W^T`` is
0 on its row). For an activation with ``f(0) = 0`` (relu, tanh, elu, gelu, ...)
every gradient of a padded weight is then 0 as well; for the others (sigmoid,
softplus) the outgoing weights would receive ``f(0) sum(dy)``, so the model keeps
``grad_masks`` and :meth:`Sequential.backward` zeroes those gradients. With zero
gradients and zero weights, every optimizer leaves them at 0 (momentum, Adam's
moments, weight decay and L1's ``sign(0)`` are all 0; a global-norm clip sees only
the real gradients). Batch norm's padded ``gamma`` and ``beta`` start at 0 and stay
there. Dropout draws each replica's mask for its real width only
(:attr:`Dropout.widths`), so the random draws are those of the replica alone, and
the shuffling streams come from the replicas' seeds as ever.

``unit_masks`` (one ``(R, 1, width)`` array of 0/1 per hidden layer) tell
statistics which units are real (:class:`~mlplab.nn.diagnostics.NeuronStats`).

>>> net = padded_mlp([(2, 3, 2), (2, 5, 2)], seeds=[0, 1])
>>> net.layers[0].params["W"].shape
(2, 2, 5)
>>> bool((net.layers[0].params["W"][0, :, 3:] == 0).all())
True
"""

from __future__ import annotations

import numpy as np

from . import _validate, activations, initializers
from .batchnorm import BatchNorm
from .dense import Dense
from .dropout import Dropout
from .sequential import Sequential, mlp


def padded_mlp(sizes, seeds, activation="relu", output=None, init="he_normal",
               dtype="float32", bias=True, dropout=0.0, batchnorm=False, rng="numpy",
               widths=None) -> Sequential:
    """One replicated network holding ``mlp(sizes[r], seed=seeds[r], ...)`` as replica r.

    Parameters
    ----------
    sizes : list of sequences of int
        One list of widths per replica, inputs first; all of the same length, with the
        same input and output widths (``[(2, 4, 4, 2), (2, 8, 3, 2)]``).
    seeds : list of int
        One seed per replica (repeats allowed: two settings may share a seed).
    dropout : float, or one per replica
        Drop probability after each hidden activation (0 = none for that replica).
    activation, output, init, dtype, bias, batchnorm, rng
        As :func:`~mlplab.nn.mlp`, shared by every replica (``rng="torch"``: each
        replica starts from PyTorch's draws for its seed).
    widths : sequence of int, optional
        Pad each layer to at least these widths (inputs first, as ``sizes[r]``): the
        replicas of a larger padded model trained in pieces, with its arithmetic.

    Returns
    -------
    Sequential
        Replicas ``(R,)``, each layer as wide as its widest replica; ``seeds`` set
        (so ``fit`` shuffles replica r from ``seeds[r]``), ``unit_masks`` and, when an
        activation has ``f(0) != 0``, ``grad_masks``.
    """
    sizes = [tuple(_validate.positive_int(f"sizes[{r}][{i}]", w) for i, w in enumerate(s))
             for r, s in enumerate(_as_list("sizes", sizes))]
    seeds = [_validate.nonnegative_int(f"seeds[{r}]", s) for r, s in enumerate(_as_list("seeds", seeds))]
    if not sizes or len(seeds) != len(sizes):
        raise ValueError(f"sizes and seeds must list one entry per replica (at least one); "
                         f"received {len(sizes)} sizes and {len(seeds)} seeds")
    first = sizes[0]
    for r, s in enumerate(sizes):
        if len(s) != len(first) or s[0] != first[0] or s[-1] != first[-1]:
            raise ValueError(f"every replica must have the depth, inputs and outputs of "
                             f"sizes[0]={first}; received sizes[{r}]={s}")
    R = len(sizes)
    p = _validate.per_replica("dropout", dropout, _validate.probability)
    p = np.broadcast_to(np.asarray(p, dtype=np.float64), (R,))
    widest = [max(s[i] for s in sizes) for i in range(len(first))]
    if widths is not None:
        if len(widths) != len(first):
            raise ValueError(f"widths must list one width per layer of sizes[0]={first}; "
                             f"received widths={tuple(widths)}")
        widest = [max(w, int(v)) for w, v in zip(widest, widths)]
    initializer = initializers.get(init)
    net = mlp(widest, activation=activation, output=output, init="zeros", seed=seeds,
              dtype=dtype, bias=bias, dropout=0.5 if p.any() else 0.0, batchnorm=batchnorm)
    dense = net.dense_layers
    for layer in dense:
        layer.init = initializer
    for layer in net.layers:
        if isinstance(layer, BatchNorm):
            layer.params["gamma"][...] = 0  # real units get 1 below
        if isinstance(layer, Dropout):
            layer.p = p.copy()
            layer.widths = [s[1 + _dropout_index(net, layer)] for s in sizes]
    for shape in dict.fromkeys(sizes):  # each distinct architecture once, its replicas together
        rows = [r for r, s in enumerate(sizes) if s == shape]
        alone = mlp(shape, activation=activation, output=output, init=initializer,
                    seed=[seeds[r] for r in rows], dtype=dtype, bias=bias, batchnorm=batchnorm,
                    rng=rng)
        for big, small in zip(_param_layers(net), _param_layers(alone)):
            for key, value in small.params.items():
                a, b = value.shape[-2:]
                big.params[key][rows, :a, :b] = value
    net.unit_masks = [_unit_mask(sizes, i, widest[i], net.dtype) for i in range(1, len(first) - 1)]
    if any(_nonzero_at_zero(a) for a in _hidden_activations(net)):
        net.grad_masks = _grad_masks(net, sizes)
    return net


def _as_list(name, value):
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{name} must be a list with one entry per replica; "
                        f"received {name}={value!r}") from None


def _param_layers(net):
    return [layer for layer in net.layers if layer.params]


def _dropout_index(net, dropout):
    """Hidden layer (0-based) that ``dropout`` follows."""
    seen = -1
    for layer in net.layers:
        if isinstance(layer, Dense):
            seen += 1
        if layer is dropout:
            return seen
    raise ValueError("dropout layer not in the network")  # pragma: no cover


def _unit_mask(sizes, i, width, dtype):
    real = np.array([s[i] for s in sizes])
    return (np.arange(width) < real[:, None, None]).astype(dtype)


def _hidden_activations(net):
    return [layer.activation for _, layer in net.hidden_activations()]


def _nonzero_at_zero(activation) -> bool:
    return bool(np.any(activations.get(activation)(np.zeros(1)) != 0))


def _grad_masks(net, sizes):
    """``(layer, key, mask)`` for every parameter: 1 on real entries, 0 on padded ones."""
    out, j = [], 0  # j: index into sizes of the layer's output width
    for layer in _param_layers(net):
        if isinstance(layer, Dense):
            j += 1
            rows = _unit_mask(sizes, j - 1, layer.fan_in, net.dtype).swapaxes(-1, -2)
            cols = _unit_mask(sizes, j, layer.fan_out, net.dtype)
            out.append((layer, "W", rows * cols))
            if "b" in layer.params:
                out.append((layer, "b", cols))
        else:  # batch norm after Dense j
            cols = _unit_mask(sizes, j, layer.n_features, net.dtype)
            out += [(layer, key, cols) for key in layer.params]
    return out
