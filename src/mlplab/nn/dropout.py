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
    p : float in [0, 1), or one per replica (``(R,)``, with one stream per replica)
        Drop probability.
    seed : int or Generator, or a list of them (one per replica), optional
        Source of the masks; the same seed gives the same masks. With a list, replica
        ``r``'s masks come from ``seed[r]`` alone, so a replicated network drops
        exactly what the single network with that seed would.
    """

    #: real width of each replica's layer when widths are padded (see ``nn.masking``):
    #: replica r draws its mask for its first ``widths[r]`` units only, as alone
    widths = None

    def __init__(self, p: float = 0.5, seed=None):
        super().__init__()
        self.p = _validate.per_replica("p", p, _validate.probability)
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
        if np.ndim(self.p) or self.widths is not None:
            return self._forward_per_replica(x, training)
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

    def _forward_per_replica(self, x, training):
        """Per-replica ``p`` and/or padded widths: replica r draws exactly what a
        layer with its own ``p`` and width draws (nothing when its ``p`` is 0)."""
        if not training:
            self.mask = None
            return x
        R = len(self.rngs)
        if x.ndim != 3 or x.shape[0] != R:
            raise ValueError(f"this Dropout has {R} replica streams; received an input of "
                             f"shape {x.shape}")
        p = np.broadcast_to(np.asarray(self.p, dtype=np.float64), (R,))
        widths = [x.shape[-1]] * R if self.widths is None else self.widths
        dtype = x.dtype if x.dtype == np.float32 else np.float64
        self.mask = mask = np.ones(x.shape, x.dtype)
        for r, rng in enumerate(self.rngs):
            if p[r] == 0.0:
                continue
            w = widths[r]
            keep = rng.random((x.shape[1], w), dtype=dtype)
            pr = float(p[r])  # a Python float compares in the draws' dtype, as alone
            mask[r, :, :w] = (keep >= pr).astype(x.dtype) * x.dtype.type(1.0 / (1.0 - pr))
        return x * mask

    def backward(self, dy, input_grad=True):
        return dy if self.mask is None else dy * self.mask

    def config(self):
        return {"class": "Dropout", "p": self.p.tolist() if np.ndim(self.p) else self.p}

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)
