"""L1 and L2 penalties on the Dense weights, reported apart from the data loss.

    penalty = l1 * sum |W| + l2 * sum W^2      (biases and batch-norm scales excluded)
    d penalty / dW = l1 * sign(W) + 2 * l2 * W

as Keras's ``L1L2`` regulariser. The figure is one number per replica. ``l1`` and
``l2`` may be one number per replica (``(R,)``, broadcast over each replica's weights).
"""

from __future__ import annotations

import numpy as np

from . import _validate


class Penalty:
    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _validate.per_replica("l1", l1, _validate.nonnegative)
        self.l2 = _validate.per_replica("l2", l2, _validate.nonnegative)

    def __bool__(self):
        return _validate.nonzero(self.l1) or _validate.nonzero(self.l2)

    @staticmethod
    def _weights(model):
        return [layer for layer in model.layers if "W" in layer.params]

    def value(self, model) -> np.ndarray:
        total = 0.0
        for layer in self._weights(model):
            W = layer.params["W"]
            if _validate.nonzero(self.l1):
                total = total + self.l1 * np.abs(W).sum(axis=(-2, -1))
            if _validate.nonzero(self.l2):
                total = total + self.l2 * (W * W).sum(axis=(-2, -1))
        return np.asarray(total)

    def add_grads(self, model) -> None:
        """Add the penalty's gradient to every Dense layer's ``grads["W"]``."""
        for layer in self._weights(model):
            W = layer.params["W"]
            g = layer.grads["W"]
            if _validate.nonzero(self.l1):
                g += _validate.broadcast_to_replicas(self.l1, W) * np.sign(W)
            if _validate.nonzero(self.l2):
                g += _validate.broadcast_to_replicas(2 * self.l2, W) * W
