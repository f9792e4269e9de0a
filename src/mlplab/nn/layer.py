"""The layer protocol, shared by every layer.

A layer maps ``x`` shaped ``(..., n_samples, fan_in)`` to ``y`` shaped
``(..., n_samples, fan_out)``; the leading ``...`` are replicas (one per seed).

- ``forward(x, training=False) -> y`` computes the output and caches what
  ``backward`` needs (training switches dropout and batch norm to training mode);
- ``backward(dy, input_grad=True) -> dx`` takes ``dL/dy``, fills ``grads`` with
  ``dL/dparam`` and returns ``dL/dx`` (or ``None`` when ``input_grad`` is false,
  which lets the first layer skip a matrix product it does not need);
- ``params`` and ``grads`` are dicts with the same keys; every parameter is shaped
  ``(*replicas, a, b)``; ``state`` holds non-trainable arrays (running statistics);
- ``config()`` is a JSON-able dict with a ``"class"`` key, and
  ``layer_from_config(config)`` builds an equal layer (fresh weights).
"""

from __future__ import annotations

import numpy as np

from ._registry import Registry

registry = Registry("layer")


class Layer:
    """Base class of all layers."""

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dy: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        raise NotImplementedError

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """``layer(x)`` is ``layer.forward(x, training=False)``: inference mode, as a Keras
        layer called without ``training``; pass ``training=True`` for dropout and batch
        norm's training behaviour."""
        return self.forward(x, training=training)

    def store_grad(self, key: str, value: np.ndarray) -> None:
        """Set ``grads[key]``, writing into the existing array when there is one (it may
        be a view of the network's flat gradient buffer, which must stay bound)."""
        out = self.grads.get(key)
        if out is not None and out.shape == value.shape:
            np.copyto(out, value)
        else:
            self.grads[key] = value

    @property
    def replicas(self) -> tuple[int, ...] | None:
        """Leading replica shape of the parameters, or None without replicas."""
        for p in self.params.values():
            return tuple(p.shape[:-2]) or None
        return None

    def config(self) -> dict:
        return {"class": type(self).__name__}

    def __repr__(self):
        cfg = {k: v for k, v in self.config().items() if k != "class"}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in cfg.items())})"


def register(cls):
    """Class decorator: make ``cls`` buildable from its config."""
    registry.register(cls.__name__)(cls)
    return cls


def layer_from_config(config: dict) -> Layer:
    """Build a layer from ``layer.config()``; unknown classes are refused by name."""
    if not isinstance(config, dict) or "class" not in config:
        raise ValueError(f"a layer config must be a dict with a 'class' key; received {config!r}")
    options = {k: v for k, v in config.items() if k != "class"}
    return registry.factory(config["class"]).from_config(options)


def reduce_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` over the leading axes that broadcasting added to a ``shape`` array."""
    if grad.shape == tuple(shape):
        return grad
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra > 0 else grad
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and grad.shape[i] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


def replica_shape(replicas) -> tuple[int, ...]:
    """Normalise ``replicas`` (None, an int or a tuple) to a shape tuple; nonsense such as
    0, -1, 2.5 or "3" is refused by :func:`mlplab.nn._validate.replicas`."""
    from . import _validate

    return _validate.replicas("replicas", replicas)
