"""Watching a network learn: neuron and gradient statistics, and divergence reports.

Both statistics are callbacks on the training event stream; they add their figures
to each epoch's logs (so they land in the ``History``), one value per replica:

- :class:`NeuronStats`, per hidden layer ``k`` (1 = first hidden layer):
  ``alive.k`` ReLU units that output something > 0 for at least one sample of the
  epoch (a unit that outputs 0 for every sample is dead, as lesson A counts);
  ``saturated.k`` sigmoid/tanh units in their flat zone for every sample, and
  ``saturation.k`` the fraction of all their outputs in that zone (sigmoid within
  ``band`` of 0 or 1, tanh within ``band`` of -1 or 1).
- :class:`GradientStats`, per Dense layer ``k`` (1 = first): ``grad_norm.k`` the
  Frobenius norm of dL/dW (mean over the epoch's batches), ``weight_norm.k`` the
  norm of W at the end of the epoch, and ``update_ratio.k`` = ||W_end - W_start||
  / ||W_start|| over the epoch. Vanishing gradients show as grad norms that fall
  by orders of magnitude from the last layer to the first.
"""

from __future__ import annotations

import numpy as np

from . import _validate
from ._ops import sum_rows
from .activation_layers import Activation
from .callbacks import Callback
from .dense import Dense

_SATURATING = ("sigmoid", "tanh")


class NeuronStats(Callback):
    """Alive ReLU units and saturated sigmoid/tanh units per hidden layer and epoch."""

    def __init__(self, band: float = 0.02):
        self.band = _validate.real("band", band, low=0.0, high=0.5, low_open=True, high_open=True)

    def on_train_begin(self, run):
        self.watched = [(k, layer) for k, layer in run.model.hidden_activations()
                        if layer.activation.name in ("relu", *_SATURATING)]

    def on_epoch_begin(self, run, epoch):
        self._sums = {k: 0.0 for k, _ in self.watched}
        self._seen = 0

    def _in_flat_zone(self, layer, y):
        b = self.band
        if layer.activation.name == "sigmoid":
            return (y < b) | (y > 1 - b)
        return np.abs(y) > 1 - b

    def on_batch_end(self, run, batch, logs):
        for k, layer in self.watched:
            y = layer.output
            if layer.activation.name == "relu":
                self._sums[k] = self._sums[k] + sum_rows(y)  # > 0 iff some sample is > 0
            else:
                self._sums[k] = self._sums[k] + sum_rows(self._in_flat_zone(layer, y).astype(y.dtype))
        self._seen += logs["size"]

    def on_epoch_end(self, run, epoch, logs):
        for k, layer in self.watched:
            s = self._sums[k][..., 0, :]
            if layer.activation.name == "relu":
                logs[f"alive.{k}"] = (s > 0).sum(axis=-1)
            else:
                logs[f"saturated.{k}"] = (s >= self._seen).sum(axis=-1)
                logs[f"saturation.{k}"] = s.sum(axis=-1) / (self._seen * s.shape[-1])


def _norm(a):
    a = a.astype(np.float64, copy=False)
    return np.sqrt((a * a).sum(axis=(-2, -1)))


class GradientStats(Callback):
    """Gradient norm, weight norm and update/weight ratio of every Dense layer."""

    def on_train_begin(self, run):
        self.dense = [layer for layer in run.model.layers if isinstance(layer, Dense)]
        self._n_batches = -(-run.n_samples // run.batch_size)

    def on_epoch_begin(self, run, epoch):
        self._start = [layer.params["W"].copy() for layer in self.dense]
        self._grad = [0.0] * len(self.dense)

    def on_batch_end(self, run, batch, logs):
        for i, layer in enumerate(self.dense):
            self._grad[i] = self._grad[i] + _norm(layer.grads["W"])

    def on_epoch_end(self, run, epoch, logs):
        for i, layer in enumerate(self.dense):
            W = layer.params["W"]
            k = i + 1
            logs[f"grad_norm.{k}"] = self._grad[i] / self._n_batches
            logs[f"weight_norm.{k}"] = _norm(W)
            with np.errstate(divide="ignore", invalid="ignore"):
                logs[f"update_ratio.{k}"] = _norm(W - self._start[i]) / _norm(self._start[i])


def divergence_report(model, optimizer, loss_value, epoch: int, batch: int, inputs=None) -> str:
    """Explain a NaN/inf loss: where it happened, which layer blew up first, what to try."""
    loss_value = np.asarray(loss_value)
    bad = ~np.isfinite(loss_value)
    where = f"epoch {epoch + 1}, batch {batch + 1}"
    if loss_value.ndim:
        idx = np.flatnonzero(bad)
        where += f", replica(s) {idx.tolist()[:10]} of {loss_value.size}"
    shown = loss_value[bad].ravel()[0] if loss_value.ndim else loss_value
    culprit = None
    dense = [(i, layer) for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    for n, (_i, layer) in enumerate(dense, start=1):
        for key, p in layer.params.items():
            if not np.isfinite(p).all():
                culprit = f"the first layer whose weights blew up is Dense layer {n} ({key})"
                break
        if culprit:
            break
    if culprit is None:
        for n, (_i, layer) in enumerate(dense, start=1):
            g = layer.grads.get("W")
            if g is not None and not np.isfinite(g).all():
                culprit = f"the first gradient to blow up is that of Dense layer {n}"
                break
    if culprit is None and dense:
        norms = [float(np.max(_norm(layer.params["W"]))) for _, layer in dense]
        n = int(np.argmax(norms)) + 1
        culprit = (f"the weights are still finite; the largest are Dense layer {n}'s "
                   f"(norm {norms[n - 1]:.3g}), so the outputs overflowed")
    tips = [f"a lower learning rate (now {optimizer.lr:g}; try {optimizer.lr / 10:g})"]
    if optimizer.clip_norm is None:
        tips.append("gradient clipping (clip_norm=1.0)")
    names = {layer.activation.name for layer in model.layers if isinstance(layer, Activation)}
    if names & set(_SATURATING):
        tips.append("the 'xavier_uniform' initializer for sigmoid/tanh")
    else:
        tips.append("another initializer ('he_normal' for ReLU, or 'torch')")
    if inputs is not None and np.abs(inputs).max() > 100:
        tips.append(f"scaling the inputs (their largest magnitude is {np.abs(inputs).max():.3g})")
    return (f"training diverged at {where}: the loss became {shown}; {culprit}. "
            f"Try {', '.join(tips[:-1])} or {tips[-1]}.")
