"""Inverted dropout."""

from __future__ import annotations

import numpy as np

from . import _validate
from .layer import Layer, register


@register
class Dropout(Layer):
    """Zero each input with probability ``p`` in training and scale the survivors.

    Training: ``y = x * m`` with ``m = Bernoulli(1 - p) / (1 - p)`` drawn fresh for
    every call, so the expected output equals the input; inference: ``y = x``.
    Backward: ``dL/dx = dL/dy * m``. The last mask is kept in ``mask`` (for
    inspection and for comparing with other frameworks).

    Parameters
    ----------
    p : float in [0, 1)
        Drop probability.
    seed : int or Generator, optional
        Source of the masks; the same seed gives the same masks.
    """

    def __init__(self, p: float = 0.5, seed=None):
        super().__init__()
        self.p = _validate.probability("p", p)
        self.rng = _validate.rng(_validate.seed("seed", seed))
        self.mask = None

    def forward(self, x, training=False):
        if not training or self.p == 0.0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=x.dtype if x.dtype == np.float32 else np.float64)
        self.mask = (keep >= self.p).astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        return x * self.mask

    def backward(self, dy, input_grad=True):
        return dy if self.mask is None else dy * self.mask

    def config(self):
        return {"class": "Dropout", "p": self.p}

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)
