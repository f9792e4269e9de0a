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
        # padded widths (nn.masking): only the real units count (padded relu units are 0: dead)
        masks = run.model.unit_masks
        self._masks = {k: masks[k - 1] if masks else None for k, _ in self.watched}

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
                flat = self._in_flat_zone(layer, y).astype(y.dtype)
                if self._masks[k] is not None:
                    flat *= self._masks[k]
                self._sums[k] = self._sums[k] + sum_rows(flat)
        self._seen += logs["size"]

    def on_epoch_end(self, run, epoch, logs):
        for k, layer in self.watched:
            s = self._sums[k][..., 0, :]
            if layer.activation.name == "relu":
                logs[f"alive.{k}"] = (s > 0).sum(axis=-1)
            else:
                logs[f"saturated.{k}"] = (s >= self._seen).sum(axis=-1)
                mask = self._masks[k]
                width = s.shape[-1] if mask is None else mask[..., 0, :].sum(axis=-1)
                logs[f"saturation.{k}"] = s.sum(axis=-1) / (self._seen * width)


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


#: initializers that already fit each family of hidden activation
_FITTING_INIT = {"relu": ("he_normal", "he_uniform", "torch"),
                 "saturating": ("xavier_normal", "xavier_uniform", "lecun_normal", "lecun_uniform",
                                "torch")}


def advice(model, optimizer, *, lr: bool = True, optimizer_tip: bool = False,
           inputs=None) -> list[str]:
    """What to try when training goes wrong, fitted to the setup (a list of phrases).

    ``lr``: suggest a 10x lower learning rate and gradient clipping (when the
    optimizer does not clip yet) and an initializer that suits the hidden
    activations, unless every Dense layer already uses one; ``optimizer_tip``: also
    suggest Adam when the optimizer is not Adam already; ``inputs``: suggest scaling
    them when their magnitude exceeds 100.
    """
    tips = []
    if lr:
        tips.append(f"a lower learning rate (now {lr_text(optimizer.lr)}; "
                    f"try {lr_text(np.asarray(optimizer.lr) / 10)})")
        if optimizer.clip_norm is None and optimizer.clip_value is None:
            tips.append("gradient clipping (clip_norm=1.0)")
        if optimizer_tip and optimizer.name not in ("adam", "adamw"):
            tips.append(f"another optimizer ('adam' instead of {optimizer.name!r})")
        names = {layer.activation.name for layer in model.layers if isinstance(layer, Activation)}
        inits = {layer.init.name for layer in model.dense_layers}
        family = "saturating" if names & set(_SATURATING) else "relu"
        if not inits <= set(_FITTING_INIT[family]):
            tips.append("the 'xavier_uniform' initializer for sigmoid/tanh" if family == "saturating"
                        else f"the 'he_normal' initializer for ReLU (now {', '.join(sorted(inits))})")
    if inputs is not None:
        big = float(np.max(np.abs(inputs)))
        if big > 100:
            tips.append(f"scaling the inputs (their largest magnitude is {big:.3g})")
    return tips


def lr_text(lr) -> str:
    """A learning rate in words: ``0.05``, or ``0.01 to 0.1`` for one per replica."""
    lr = np.asarray(lr, dtype=float)
    lo, hi = float(lr.min()), float(lr.max())
    return f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g} (one per replica)"


def join_tips(tips) -> str:
    """``["a", "b", "c"]`` -> ``"a, b or c"``."""
    tips = list(tips)
    return tips[0] if len(tips) == 1 else f"{', '.join(tips[:-1])} or {tips[-1]}"


def replica_name(model, r: int) -> str:
    """``"seed 7"`` when the model knows its seeds, else ``"replica 3"``."""
    return f"seed {model.seeds[r]}" if model.seeds is not None else f"replica {r}"


def replica_names(model, rs, limit: int = 20) -> str:
    """``"seeds 3, 7"`` (or ``"replicas 0, 4"``), at most ``limit`` of them."""
    rs = list(rs)
    ids = [str(model.seeds[r]) if model.seeds is not None else str(r) for r in rs[:limit]]
    word = ("seed" if model.seeds is not None else "replica") + ("s" if len(rs) > 1 else "")
    return f"{word} {', '.join(ids)}" + (", ..." if len(rs) > limit else "")


def _select(a, reps, bad):
    """The replicas of ``a`` flagged in ``bad`` (``a`` itself when it is shared)."""
    if a is None or not reps or a.ndim < len(reps) + 2 or a.shape[:len(reps)] != reps:
        return a
    return a[bad]


def _layer_input(layer):
    """What ``layer`` received in its last forward pass, when it keeps it."""
    if isinstance(layer, Dense):
        return getattr(layer, "_x", None)
    if isinstance(layer, Activation) and getattr(layer, "_cache", None) is not None:
        return layer._cache[0]
    return None


def _range(a) -> str:
    a = a[np.isfinite(a)]
    return f"from {a.min():.3g} to {a.max():.3g}" if a.size else "none finite"


def _kind(a) -> str:
    return "NaN" if np.isnan(a).any() else "inf"


def _trace(model, inputs, output, bad):
    """Where the forward pass first produced NaN/inf: ``(cause, text, activation name)``.

    ``cause`` is "activation" (an activation made NaN/inf from finite inputs),
    "overflow" (a Dense layer's output overflowed), "loss" (every output is finite)
    or None (unknown). Reads the inputs the layers kept from the failing batch.
    """
    reps = model.replicas
    layers = model.layers
    seen = [(0, _select(inputs, reps, bad))]
    for i, layer in enumerate(layers):
        x = _layer_input(layer) if i else None
        if x is not None:
            seen.append((i, _select(x, reps, bad)))
    seen.append((len(layers), _select(output, reps, bad)))
    seen = [(i, a) for i, a in seen if a is not None]
    for (i, a), (j, b) in zip(seen, seen[1:]):
        if not np.isfinite(a).all():
            return None, None, None
        if np.isfinite(b).all():
            continue
        block = layers[i:j]
        n_dense = sum(isinstance(layer, Dense) for layer in layers[:i])
        act = next((layer for layer in block if isinstance(layer, Activation)), None)
        dense = next((layer for layer in block if isinstance(layer, Dense)), None)
        if dense is None and act is not None:
            where = ("the output activation" if n_dense == len(model.dense_layers)
                     else f"the activation of hidden layer {n_dense}")
            return "activation", (f"{where} ({act.activation.name!r}) turned finite inputs "
                                  f"({_range(a)}) into {_kind(b)}"), act.activation.name
        if dense is not None:
            k = n_dense + 1
            w = float(np.max(np.abs(dense.params["W"])))
            return "overflow", (f"Dense layer {k}'s outputs overflowed to {_kind(b)}: its inputs "
                                f"reach {np.max(np.abs(a)):.3g} and its weights {w:.3g}"), None
        return None, None, None
    last = seen[-1][1]
    return "loss", (f"every output is finite (largest magnitude {np.max(np.abs(last)):.3g}), "
                    "so the loss itself overflowed"), None


def divergence_report(model, optimizer, loss_value, epoch: int, batch: int, inputs=None,
                      output=None, updated: bool = True) -> str:
    """Explain a NaN/inf loss: where it happened, what produced it, what to try.

    ``inputs`` and ``output`` are the failing batch's inputs and network outputs;
    ``updated`` says whether any optimizer step came before it in this ``fit``. The
    advice fits the cause: a NaN made by an activation from finite inputs, or one
    that appears before any update, is not blamed on the learning rate; an
    initializer is suggested only when the network does not use one that suits its
    activations.
    """
    loss_value = np.asarray(loss_value)
    bad = ~np.isfinite(loss_value)
    where = f"epoch {epoch + 1}, batch {batch + 1}"
    if loss_value.ndim:
        idx = np.flatnonzero(bad)
        where += f", replica(s) {idx.tolist()[:10]} of {loss_value.size}"
        if model.seeds is not None:
            where += f" ({replica_names(model, idx, limit=10)})"
    shown = loss_value[bad].ravel()[0] if loss_value.ndim else loss_value
    if inputs is not None and loss_value.ndim:
        inputs = _select(np.asarray(inputs), model.replicas, bad)
    cause, culprit, act_name = None, None, None
    dense = model.dense_layers
    for n, layer in enumerate(dense, start=1):
        for key, p in layer.params.items():
            if not np.isfinite(_select(p, model.replicas, bad)).all():
                cause = "weights"
                culprit = f"the first layer whose weights blew up is Dense layer {n} ({key})"
                break
        if culprit:
            break
    if culprit is None and output is not None:
        cause, culprit, act_name = _trace(model, inputs, output, bad)
    if culprit is None and dense:
        norms = [float(np.max(_norm(layer.params["W"]))) for layer in dense]
        n = int(np.argmax(norms)) + 1
        culprit = (f"the weights are still finite; the largest are Dense layer {n}'s "
                   f"(norm {norms[n - 1]:.3g}), so the outputs overflowed")
    if cause == "activation":
        tips = ["checking that activation on inputs in that range (a square root or logarithm "
                "of a negative number gives NaN)", "an activation defined for every input"]
        if updated:
            tips.append("gradient clipping (clip_norm=1.0) if large weights push its inputs "
                        "out of its domain")
        return (f"training diverged at {where}: the loss became {shown}; {culprit}. "
                f"This is not the learning rate: {act_name!r} cannot take these inputs. "
                f"Try {join_tips(tips)}.")
    if not updated:
        tips = advice(model, optimizer, lr=False, inputs=inputs)
        inits = sorted({layer.init.name for layer in dense})
        tips.append(f"smaller initial weights (the initializer is {', '.join(inits)})")
        return (f"training diverged at {where}, in the forward pass before any update: the loss "
                f"became {shown}; {culprit}. The learning rate played no part: the data "
                f"or the initial weights are too large for this network. Try {join_tips(tips)}.")
    tips = advice(model, optimizer, inputs=inputs)
    return (f"training diverged at {where}: the loss became {shown}; {culprit}. "
            f"Try {join_tips(tips)}.")
