"""Batch normalisation over the sample axis."""

from __future__ import annotations

import numpy as np

from . import _validate
from ._ops import sum_rows
from .layer import Layer, register, replica_shape


@register
class BatchNorm(Layer):
    """Normalise each feature over the samples of a batch, then scale and shift.

    Training, over the sample axis of ``x (..., n, f)``:

        mu = mean(x),  var = mean((x - mu)^2)          (biased, as PyTorch)
        x_hat = (x - mu) / sqrt(var + eps)
        y = gamma * x_hat + beta

    and the running statistics move towards the batch's:
    ``running = (1 - momentum) running + momentum * batch`` (the running variance
    uses the unbiased batch variance ``var * n / (n - 1)``, as PyTorch).
    Inference uses the running statistics instead of the batch's.

    Backward in inference mode is ``dL/dx = dL/dy * gamma / sqrt(running_var + eps)``;
    in training, with ``g = dL/dx_hat = dL/dy * gamma``:

        dL/dx = (n g - sum(g) - x_hat sum(g x_hat)) / (n sqrt(var + eps))
        dL/dgamma = sum(dL/dy * x_hat),   dL/dbeta = sum(dL/dy)

    Parameters ``gamma`` and ``beta`` are shaped ``(*replicas, 1, n_features)``; the
    running statistics are ``state``, not parameters.
    """

    def __init__(self, n_features: int, momentum: float = 0.1, eps: float = 1e-5,
                 replicas=None, dtype="float32"):
        super().__init__()
        self.n_features = _validate.positive_int("n_features", n_features)
        self.momentum = _validate.probability("momentum", momentum, high_open=False)
        self.eps = _validate.positive("eps", eps)
        self.dtype = _validate.float_dtype("dtype", dtype)
        shape = (*replica_shape(replicas), 1, self.n_features)
        self.params["gamma"] = np.ones(shape, self.dtype)
        self.params["beta"] = np.zeros(shape, self.dtype)
        self.state["running_mean"] = np.zeros(shape, self.dtype)
        self.state["running_var"] = np.ones(shape, self.dtype)
        self._cache = None

    def forward(self, x, training=False):
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            inv_std = 1.0 / np.sqrt(self.state["running_var"] + self.eps)
            x_hat = (x - self.state["running_mean"]) * inv_std
            self._cache = (False, x_hat, inv_std)
            return gamma * x_hat + beta
        n = x.shape[-2]
        if n < 2:
            raise ValueError(
                f"BatchNorm needs at least 2 samples per batch in training; received a batch of {n}"
            )
        mu = sum_rows(x) / n
        centred = x - mu
        var = sum_rows(centred * centred) / n
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = centred * inv_std
        m = self.momentum
        self.state["running_mean"] = (1 - m) * self.state["running_mean"] + m * mu
        self.state["running_var"] = (1 - m) * self.state["running_var"] + m * var * (n / (n - 1))
        self._cache = (True, x_hat, inv_std)
        return gamma * x_hat + beta

    def backward(self, dy, input_grad=True):
        gamma = self.params["gamma"]
        training, x_hat, inv_std = self._cache
        self.store_grad("gamma", sum_rows(dy * x_hat))
        self.store_grad("beta", sum_rows(dy))
        if not input_grad:
            return None
        g = dy * gamma
        if not training:  # the statistics are constants: y is affine in x
            return g * inv_std
        n = dy.shape[-2]
        return (inv_std / n) * (n * g - sum_rows(g) - x_hat * sum_rows(g * x_hat))

    def config(self):
        return {"class": "BatchNorm", "n_features": self.n_features, "momentum": self.momentum,
                "eps": self.eps, "replicas": list(self.replicas or ()) or None,
                "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, cfg):
        return cls(**cfg)
