"""The lean full-batch step: forward and backward passes of a ``Dense`` / activation
network without the per-layer machinery (what ``fit`` uses when it can).

On a full batch (``batch_size >= n``) every step multiplies the same input by new
weights, so the arrays of every layer have the same shapes each step. When the
network holds only :class:`Dense` and :class:`Activation` layers, ``fit`` calls
:meth:`LeanStep.forward` / :meth:`LeanStep.backward` instead of ``model.forward`` /
``model.backward``, and they

- write every product, ReLU and gradient into arrays kept for the whole ``fit`` (no
  fresh arrays, and the gradients straight into the network's flat gradient buffer);
- run the ReLU's backward pass ``dz = dh * (z > 0)`` in place;
- skip what the layers do for any caller: the shape checks, the dtype wrappers of the
  activations, one method call per layer and pass.

Every operation is the one the layers run, on the same operands (the same BLAS
products, the same elementwise functions, ``add_rows`` for the bias), so the numbers
are the general path's bit for bit (``tests/nn/test_lean.py`` compares them). The
layers' caches point at the kept arrays (``Dense._x``, the activations' ``output``),
so callbacks that read a layer's output (``NeuronStats``) see what ``model.forward``
would have left there.
"""

from __future__ import annotations

import numpy as np

from ._ops import add_rows, ones_row, relu
from .activation_layers import Activation
from .activations import ReLU
from .dense import Dense

DENSE, RELU, ACTIVATION = 0, 1, 2


class LeanStep:
    """Forward and backward passes of ``model`` on the fixed batch ``X``.

    Build with :meth:`of`, which returns None when the model does not fit the lean path.
    """

    def __init__(self, model, X):
        self.model = model
        self.X = X
        self.bind()

    def bind(self) -> bool:
        """Take the model's current parameter and gradient arrays (and make the kept ones);
        False when they are no longer in flat buffers (then the layers must train)."""
        model, X = self.model, self.X
        self.flat = model._flat  # the buffers the gradients go to
        if self.flat is None:
            return False
        dtype = model.dtype
        reps = tuple(model.replicas or ())
        n = X.shape[-2]
        self.ops = []
        x_shape = X.shape
        for i, layer in enumerate(model.layers):
            if isinstance(layer, Dense):
                W, dW = layer.params["W"], layer.grads["W"]
                b, db = (layer.params["b"], layer.grads["b"]) if layer.bias else (None, None)
                out = np.empty((*reps, n, layer.fan_out), dtype)
                # dL/dx, kept only when a layer before needs it (not for the first)
                dx = np.empty((*reps, n, layer.fan_in), dtype) if i else None
                self.ops.append((DENSE, layer, (W, dW, b, db, out, dx, ones_row(out))))
            elif type(layer.activation) is ReLU:
                out = np.empty(x_shape, dtype)
                self.ops.append((RELU, layer, (out, np.empty(x_shape, bool))))
            else:
                out = None
                self.ops.append((ACTIVATION, layer, layer.activation))
            if out is not None:
                x_shape = out.shape
        return True

    @classmethod
    def of(cls, model, X):
        """A LeanStep for ``model`` on ``X`` (prepared: in the model's dtype), or None
        when a layer is not Dense or an activation, or the parameters are not in the
        flat buffers (the gradients could not be written there)."""
        if not all(type(layer) is Dense or _plain_activation(layer) for layer in model.layers):
            return None
        if X.dtype != model.dtype or X.shape[:-2] not in ((), tuple(model.replicas or ())):
            return None
        model.flat_parameters()  # binds the flat buffers when a parameter was replaced
        if model._flat is None:
            return None
        return cls(model, X)

    def forward(self) -> np.ndarray:
        """The network's output for the batch, in training mode (as ``model.forward``)."""
        x = self.X
        for kind, layer, a in self.ops:
            if kind == DENSE:
                W, _, b, _, out, _, _ = a
                layer._x = x
                x = np.matmul(x, W, out=out)
                if b is not None:
                    add_rows(x, b)
            elif kind == RELU:
                y = relu(x, out=a[0])
                layer._cache = (x, y)
                x = y
            else:
                y = a(x)
                layer._cache = (x, y)
                x = y
        return x

    def backward(self, dy) -> None:
        """Fill the gradients (the flat buffer) from ``dL/doutput``, as
        ``model.backward(dy, input_grad=False)``."""
        for kind, layer, a in reversed(self.ops):
            if kind == DENSE:
                W, dW, b, db, _, dx, ones = a
                x = layer._x
                np.matmul(x.swapaxes(-1, -2), dy, out=dW)
                if b is not None:
                    np.matmul(ones, dy, out=db)
                if dx is None:
                    break
                dy = np.matmul(dy, W.swapaxes(-1, -2), out=dx)
            elif kind == RELU:
                z, _ = layer._cache
                dy = np.multiply(dy, np.greater(z, 0, out=a[1]), out=dy)
            else:
                z, y = layer._cache
                dy = a.vjp(z, y, dy)
        grad_masks = self.model.grad_masks
        if grad_masks is not None:  # padded units' weights get no gradient
            for layer, key, mask in grad_masks:
                layer.grads[key] *= mask


def _plain_activation(layer) -> bool:
    """An :class:`Activation` layer whose passes are Activation's own."""
    kind = type(layer)
    return (isinstance(layer, Activation) and kind.forward is Activation.forward
            and kind.backward is Activation.backward)
