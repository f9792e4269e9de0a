"""Layers that apply an activation function: ``ReLU()``, ``Tanh()``, ``Softmax(temperature=2)``...

``Activation("leaky_relu", alpha=0.1)`` wraps any registered activation; the named
classes (``ReLU``, ``LeakyReLU``, ``ELU``, ``SELU``, ``Sigmoid``, ``Tanh``,
``Softplus``, ``Swish``, ``GELU``, ``Mish``, ``Identity``, ``Softmax``,
``LogSoftmax``) are the same layer with the function fixed. The backward pass is
the activation's own ``vjp``: ``dL/dx = dL/dy * f'(x)`` for elementwise functions.
"""

from __future__ import annotations

import numpy as np

from . import activations
from .layer import Layer, register


@register
class Activation(Layer):
    """Apply ``activation`` (a name, config dict or :class:`activations.Activation`)."""

    def __init__(self, activation="relu", **options):
        super().__init__()
        self.activation = activations.get(activation, **options)
        self._cache = None

    def forward(self, x, training=False):
        y = self.activation(x)
        self._cache = (x, y)
        return y

    def backward(self, dy, input_grad=True):
        x, y = self._cache
        return self.activation.vjp(x, y, dy)

    @property
    def output(self) -> np.ndarray | None:
        """The output of the last forward pass (what diagnostics inspect)."""
        return None if self._cache is None else self._cache[1]

    def config(self):
        return {"class": "Activation", "activation": self.activation.config()}

    @classmethod
    def from_config(cls, cfg):
        return cls(cfg["activation"])


def _named_layer(act_cls):
    """A subclass of :class:`Activation` with the function fixed to ``act_cls``."""

    def __init__(self, **options):
        Activation.__init__(self, act_cls(**options))

    def config(self):
        return {"class": type(self).__name__, **self.activation._options()}

    def from_config(cls, cfg):
        return cls(**cfg)

    doc = f"Activation layer: {act_cls.__doc__}"
    cls = _LAYER_OF[act_cls] = register(type(act_cls.__name__, (Activation,), {
        "__init__": __init__, "config": config, "from_config": classmethod(from_config),
        "__doc__": doc, "__module__": __name__,
    }))
    return cls


_LAYER_OF: dict[type, type] = {}


ReLU = _named_layer(activations.ReLU)
LeakyReLU = _named_layer(activations.LeakyReLU)
ELU = _named_layer(activations.ELU)
SELU = _named_layer(activations.SELU)
Sigmoid = _named_layer(activations.Sigmoid)
Tanh = _named_layer(activations.Tanh)
Softplus = _named_layer(activations.Softplus)
Swish = _named_layer(activations.Swish)
GELU = _named_layer(activations.GELU)
Mish = _named_layer(activations.Mish)
Identity = _named_layer(activations.Identity)
Softmax = _named_layer(activations.Softmax)
LogSoftmax = _named_layer(activations.LogSoftmax)


def layer_for(activation, **options) -> Activation:
    """The named layer for an activation (``"relu"`` -> ``ReLU()``)."""
    act = activations.get(activation, **options)
    cls = _LAYER_OF.get(type(act))
    return cls(**act._options()) if cls else Activation(act)
