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
    seed : int or Generator, or a list of them (one per replica), optional
        Source of the masks; the same seed gives the same masks. With a list, replica
        ``r``'s masks come from ``seed[r]`` alone, so a replicated network drops
        exactly what the single network with that seed would.
    """

    def __init__(self, p: float = 0.5, seed=None):
        super().__init__()
        self.p = _validate.probability("p", p)
        if isinstance(seed, (list, tuple)):
            self.rngs = [_validate.rng(_validate.seed("seed", s)) for s in seed]
        else:
            self.rngs = [_validate.rng(_validate.seed("seed", seed))]
        self.mask = None

    @property
    def rng(self) -> np.random.Generator:
        """The generator of a layer without replica streams."""
        return self.rngs[0]

    def forward(self, x, training=False):
        if not training or self.p == 0.0:
            self.mask = None
            return x
        dtype = x.dtype if x.dtype == np.float32 else np.float64
        if len(self.rngs) > 1:
            if x.shape[0] != len(self.rngs):
                raise ValueError(f"this Dropout has {len(self.rngs)} replica streams; "
                                 f"received an input of shape {x.shape}")
            keep = np.stack([rng.random(x.shape[1:], dtype=dtype) for rng in self.rngs])
        else:
            keep = self.rngs[0].random(x.shape, dtype=dtype)
        self.mask = (keep >= self.p).astype(x.dtype) * x.dtype.type(1.0 / (1.0 - self.p))
        return x * self.mask

    def backward(self, dy, input_grad=True):
        return dy if self.mask is None else dy * self.mask

    def config(self):
        return {"class": "Dropout", "p": self.p}

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)
