"""Fully connected layer: y = x @ W + b."""

from __future__ import annotations

import numpy as np

from . import _validate, initializers
from ._ops import add_rows, ones_row
from .layer import Layer, reduce_to_shape, register, replica_shape
from .torch_draws import TorchGenerator


@register
class Dense(Layer):
    """Affine map ``y = x @ W + b``.

    Shapes: ``x (..., n, fan_in)``, ``W (*replicas, fan_in, fan_out)``,
    ``b (*replicas, 1, fan_out)``, ``y (..., n, fan_out)``.

    Backward, with ``dy = dL/dy``:

    - ``dL/dW = x^T @ dy`` (summed over samples by the product),
    - ``dL/db = sum over samples of dy``,
    - ``dL/dx = dy @ W^T``.

    Parameters
    ----------
    fan_in, fan_out : int
        Input and output widths.
    init : str or Initializer
        Weight initializer (see :mod:`mlplab.nn.initializers`).
    bias : bool
        Whether the layer has a bias.
    seed : int, Generator, or a list of them (one per replica)
        Where the initial weights come from.
    replicas : int, optional
        Number of independent copies; with a list of seeds it defaults to its length.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.

    >>> layer = Dense(3, 2, seed=0)
    >>> layer.params["W"].shape, layer.params["b"].shape
    ((3, 2), (1, 2))
    >>> Dense(3, 2, seed=[0, 1, 2]).params["W"].shape
    (3, 3, 2)
    """

    def __init__(self, fan_in: int, fan_out: int, init="he_normal", bias: bool = True,
                 seed=None, replicas=None, dtype="float32"):
        super().__init__()
        self.fan_in = _validate.positive_int("fan_in", fan_in)
        self.fan_out = _validate.positive_int("fan_out", fan_out)
        self.init = initializers.get(init)
        self.bias = bool(bias)
        self.dtype = _validate.float_dtype("dtype", dtype)
        rngs = replica_rngs(seed, replicas)
        weights = [self.init((self.fan_in, self.fan_out), r, self.dtype) for r in rngs]
        # PyTorch draws no bias for nn.Linear(bias=False): neither does its emulation
        biases = [self.init.bias(self.fan_in, self.fan_out, r, self.dtype) for r in rngs
                  if self.bias or not isinstance(r, TorchGenerator)]
        shape = replica_shape(replicas) or ((len(rngs),) if isinstance(seed, (list, tuple)) else ())
        self.params["W"] = _stack(weights, shape)
        if self.bias:
            self.params["b"] = _stack(biases, shape)
        self._x = None

    def forward(self, x, training=False):
        self._x = x
        y = np.matmul(x, self.params["W"])
        if self.bias:
            add_rows(y, self.params["b"])  # y += b, in long loops for narrow replicated layers
        return y

    def backward(self, dy, input_grad=True):
        x = self._x
        W = self.params["W"]
        # gradients are written into the existing arrays (which may be views of
        # the network's flat gradient buffer) unless broadcasting added axes
        self._matmul_grad("W", x.swapaxes(-1, -2), dy)
        if self.bias:
            self._matmul_grad("b", ones_row(dy), dy)
        if not input_grad:
            return None
        return reduce_to_shape(np.matmul(dy, W.swapaxes(-1, -2)), x.shape)

    def _matmul_grad(self, key, a, b):
        """grads[key] = a @ b, summed down to the parameter's shape, in place if possible."""
        out = self.grads.get(key)
        if out is not None and a.ndim <= out.ndim and b.ndim <= out.ndim:
            np.matmul(a, b, out=out)
        else:
            self.store_grad(key, reduce_to_shape(np.matmul(a, b), self.params[key].shape))

    def config(self):
        return {"class": "Dense", "fan_in": self.fan_in, "fan_out": self.fan_out,
                "init": _compact(self.init.config()), "bias": self.bias,
                "replicas": list(self.replicas or ()) or None, "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)


def replica_rngs(seed, replicas) -> list[np.random.Generator]:
    """One generator per replica.

    - a list of seeds gives one generator each (replica r starts as ``seed=seeds[r]``);
    - an int seed with ``replicas=R`` gives seeds ``seed, seed + 1, ..., seed + R - 1``;
    - ``None`` gives fresh entropy for each replica.
    """
    shape = replica_shape(replicas)
    count = int(np.prod(shape)) if shape else 1
    if isinstance(seed, TorchGenerator):
        return [seed]
    if isinstance(seed, (list, tuple)) and seed and all(isinstance(s, TorchGenerator) for s in seed):
        return list(seed)  # mlp(rng="torch"): one PyTorch stream per replica
    if isinstance(seed, (list, tuple)):
        seeds = [_validate.seed("seed", s) for s in seed]
        if shape and len(seeds) != count:
            raise ValueError(
                f"seed lists one seed per replica: received {len(seeds)} seeds for replicas={replicas}"
            )
        return [_validate.rng(s) for s in seeds]
    seed = _validate.seed("seed", seed)
    if isinstance(seed, np.random.Generator):
        return [seed] * count
    if seed is None or not shape:
        return [np.random.default_rng(seed) for _ in range(count)]
    return [np.random.default_rng(seed + r) for r in range(count)]


def _stack(arrays, shape):
    if not shape:
        return arrays[0]
    return np.stack(arrays).reshape(*shape, *arrays[0].shape)


def _compact(config: dict):
    """An initializer's config as its bare name when it has no options."""
    return config["name"] if len(config) == 1 else config
