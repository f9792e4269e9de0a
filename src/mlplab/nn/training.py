"""The training loop: ``fit(model, X, y, ...) -> History``."""

from __future__ import annotations

import math

import numpy as np

from . import _validate, losses, optimizers, pairing
from ._lean import LeanStep
from ._memory import reuse_memory
from .blas_threads import training_threads
from .callbacks import Callback, Recorder, Run
from .diagnostics import divergence_report
from .history import History
from .regularizers import Penalty
from .sequential import Sequential
from .watch import Freezer, Watchdog, replica_name

#: the shuffling stream of a model's seed s is ``default_rng([SHUFFLE_STREAM, s])``,
#: apart from the streams of its initial weights (``s``) and dropout masks (``[2, i, s]``)
SHUFFLE_STREAM = 1


class DivergenceError(FloatingPointError):
    """Training produced a NaN or infinite loss. ``history`` holds the epochs before."""

    def __init__(self, message: str, history: History, epoch: int):
        super().__init__(message)
        self.history = history
        self.epoch = epoch


@training_threads  # one BLAS thread unless a count was chosen (see blas_threads)
def fit(model: Sequential, X, y, *, loss, optimizer="adam", lr=None, epochs: int,
        batch_size: int | None = None, shuffle: bool = True, validation=None,
        validation_split: float = 0.0, callbacks=(), seed=None, l1: float = 0.0,
        l2: float = 0.0) -> History:
    """Train ``model`` on ``(X, y)`` and return the per-epoch :class:`History`.

    Each step: ``out = model.forward(X_batch, training=True)``, the loss and its
    gradient ``dL/dout``, ``model.backward``, the L1/L2 penalty's gradient, and one
    optimizer step on every parameter. All replicas train in the same array
    operations.

    Parameters
    ----------
    model : Sequential
    X : array ``(n, f)`` shared by all replicas, or ``(*replicas, n, f)``
    y : integer labels ``(..., n)``; one-hot or probability targets ``(..., n, C)``;
        or regression targets ``(..., n)`` / ``(..., n, k)``.
    loss : str or Loss
        ``"cross_entropy"``, ``"mse"``, ... (see ``mlplab.nn.losses.names()``).
    optimizer : str or Optimizer
        A name builds a fresh optimizer with learning rate ``lr``; an object keeps
        its state (so training can continue where it stopped), and ``lr``, if
        given, replaces its learning rate.
    lr : float, optional
        Learning rate (the optimizer's PyTorch default when omitted).
    epochs : int
        Passes over the training data.
    batch_size : int, optional
        Samples per step; ``None`` is full batch, ``1`` one sample at a time.
    shuffle : bool
        Reshuffle the samples each epoch (from ``seed``) when mini-batching; with
        replicas each replica may have its own order (see ``seed``).
    validation : tuple ``(X_val, y_val)``, optional
    validation_split : float in [0, 1)
        Hold out this fraction of the samples (the last ones, as Keras) for validation.
    callbacks : sequence of Callback
    seed : None, int, list of ints or Generator
        Source of the shuffling order, so that replica ``r`` of a model built with
        ``seed=[s0, s1, ...]`` trains exactly as the single model built with ``s_r``:

        - ``None`` (default): from the model's ``seeds``; replica ``r`` shuffles with
          its own stream ``default_rng([1, seeds[r]])``, kept on the model so a later
          ``fit`` continues it. Building with the same seed and fitting gives the same
          bits. A model built without seeds shuffles from fresh entropy.
        - an int ``s``: replica ``r`` shuffles with ``default_rng(s + r)`` (``s`` alone
          without replicas), as ``mlp(seed=s, replicas=R)`` numbers its replicas.
        - a list of ints, one per replica: replica ``r`` shuffles with ``default_rng(seed[r])``.
        - a Generator: one order per epoch, the same for every replica.
    l1, l2 : float
        Penalty ``l1 sum|W| + l2 sum W^2`` on the Dense weights, logged as ``penalty``.

    Returns
    -------
    History
        ``loss`` (mean data loss over the epoch's batches), ``accuracy`` (when y
        holds class labels), ``penalty`` (when l1 or l2), ``lr``, and ``val_loss``,
        ``val_accuracy`` with validation data; each shaped ``(epochs_run, *replicas)``.
        ``warnings`` names what went wrong without stopping training (a training
        loss that rose, replicas that diverged; see :mod:`mlplab.nn.watch`), and
        ``diverged`` / ``diverged_epoch`` say which replicas were frozen, and when.

    Raises
    ------
    DivergenceError
        When the loss becomes NaN or infinite: at once without replicas; with
        replicas, a replica that diverges is frozen (its parameters stop changing,
        its figures read NaN) while the others train on, and the error comes only
        when every replica has diverged.
    ValueError
        Before training, when the loss does not fit the model's output or the labels
        (:func:`mlplab.nn.pairing.check`), or an argument is out of range.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a mlplab Sequential (see mlplab.nn.mlp); "
                        f"received {type(model).__name__}")
    loss = losses.get(loss)
    epochs = _validate.positive_int("epochs", epochs)
    if lr is not None:
        lr = _validate.positive("lr", lr)
    if isinstance(optimizer, optimizers.Optimizer):
        if lr is not None:
            optimizer.lr = lr
    else:
        optimizer = optimizers.get(optimizer, lr=lr)
    validation_split = _validate.probability("validation_split", validation_split)
    penalty = Penalty(l1, l2)
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks[{i}] must be a mlplab Callback; received {cb!r}")
    streams = shuffle_streams(model, seed)

    # the loss must fit the output and the labels; refused here, once, before anything trains
    pairing.check(model, loss, y, n_samples=_n_rows(X), validation_split=validation_split)
    X, T, labels = prepare(model, loss, X, y, "X", "y")
    if validation is not None and validation_split:
        raise ValueError("give either validation or validation_split, not both; received "
                         f"validation_split={validation_split}")
    n = X.shape[-2]
    if validation_split:
        n_val = int(round(n * validation_split))
        if not 1 <= n_val < n:
            raise ValueError(f"validation_split={validation_split} leaves {n_val} of {n} samples "
                             "for validation; it must leave at least one on each side")
        n -= n_val
        validation = _split(X, T, labels, n)
        X, T, labels = _split(X, T, labels, 0, n)
    elif validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise TypeError("validation must be a pair (X_val, y_val); "
                            f"received {type(validation).__name__}")
        validation = prepare(model, loss, *validation, "validation[0]", "validation[1]")

    if batch_size is None:
        batch_size = n
    batch_size = min(_validate.positive_int("batch_size", batch_size), n)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"shuffle must be True or False; received shuffle={shuffle!r}")

    run = Run(model=model, optimizer=optimizer, loss=loss, epochs=epochs, n_samples=n,
              batch_size=batch_size, base_lr=optimizer.lr)
    # a full batch: the same rows every step, passes without the layer machinery (see _lean)
    lean = LeanStep.of(model, X) if LEAN and batch_size == n else None
    freezer = Freezer(model, run.history) if model.replicas else None
    # the watchdog ends first (its warnings are in the history for the others); the
    # recorder listens last, so figures other callbacks add to the logs are kept
    callbacks = [Watchdog(freezer), *callbacks, Recorder()]
    batch_listeners = [cb for cb in callbacks
                       if type(cb).on_batch_end is not Callback.on_batch_end]
    # overflow shows up as a NaN/inf loss, which is then reported in words
    # fresh big arrays every step: keep their pages in malloc's heap (see _memory)
    with np.errstate(over="ignore", invalid="ignore"), reuse_memory():
        for cb in callbacks:
            cb.on_train_begin(run)
        for epoch in range(epochs):
            run.epoch = epoch
            for cb in callbacks:
                cb.on_epoch_begin(run, epoch)
            logs = _train_epoch(run, X, T, labels, _order(streams, n, model.replicas)
                                if shuffle and batch_size < n else np.arange(n),
                                penalty, batch_listeners, freezer, lean)
            if validation is not None:
                logs.update(evaluate(model, loss, *validation, prefix="val_"))
            if freezer is not None and freezer.active:
                freezer.mask_logs(logs)
            for cb in callbacks:
                cb.on_epoch_end(run, epoch, logs)
            if run.stop_training:
                break
    for cb in callbacks:
        cb.on_train_end(run)
    return run.history


#: use :class:`~mlplab.nn._lean.LeanStep` on a full batch when the model allows (False:
#: always the layers' own passes; the numbers are the same, tests compare the two)
LEAN = True

#: below this many bytes the data are gathered in shuffled order once per epoch and
#: batches are slices; above it each batch is gathered on its own (less copying)
GATHER_ONCE_BYTES = 8 << 20


def shuffle_streams(model, seed):
    """The generator that orders each epoch's samples, or a list of them (one per replica).

    See ``fit``'s ``seed``. One generator means one order shared by all replicas.
    """
    reps = model.replicas
    count = int(np.prod(reps)) if reps else 1
    if seed is None:
        if model.seeds is None:
            return np.random.default_rng()
        if model.shuffle_streams is None:
            model.shuffle_streams = [np.random.default_rng([SHUFFLE_STREAM, s]) for s in model.seeds]
        streams = model.shuffle_streams
    elif isinstance(seed, (list, tuple)):
        if len(seed) != count:
            raise ValueError(f"seed lists one seed per replica ({count}); received {len(seed)} "
                             f"seeds: seed={list(seed)!r}")
        streams = [_validate.rng(_validate.seed(f"seed[{i}]", s)) for i, s in enumerate(seed)]
    else:
        seed = _validate.seed("seed", seed)
        if isinstance(seed, np.random.Generator):
            return seed
        streams = [np.random.default_rng(seed + r) for r in range(count)]
    return streams if reps else streams[0]


def _order(streams, n, reps):
    """This epoch's order: ``(n,)`` shared, or ``(*replicas, n)`` from one stream each."""
    if isinstance(streams, np.random.Generator):
        return streams.permutation(n)
    return np.stack([g.permutation(n) for g in streams]).reshape(*reps, n)


def _gather(A, idx):
    """Rows ``idx`` of ``A``: ``A (n, k)`` shared or ``(*replicas, n, k)``, ``idx (*replicas, m)``.

    Per-replica rows are one ``take`` on the flattened array (each replica's indices
    offset by its start), several times faster than ``np.take_along_axis``.
    """
    if A.ndim == 2:
        return A.take(idx, axis=0)
    n, k = A.shape[-2:]
    offsets = np.arange(0, A.size // k, n).reshape(*A.shape[:-2], 1)
    return A.reshape(-1, k).take(idx + offsets, axis=0)


def _gather_labels(labels, idx):
    if labels.ndim == 1:
        return labels.take(idx)
    return _gather(labels[..., None], idx)[..., 0]


def _train_epoch(run, X, T, labels, order, penalty, batch_listeners, freezer=None,
                 lean=None) -> dict:
    """One pass over the data in ``order``, one optimizer step per batch; the logs.

    ``order`` is ``(n,)`` (one order for all replicas) or ``(*replicas, n)`` (one per
    replica: the batches are gathered per replica). The predicted classes of each
    batch go into one array and are compared with the labels once at the end of
    the epoch (accuracy costs one call per step). ``lean`` (a full batch): the passes
    of :class:`~mlplab.nn._lean.LeanStep`, the same numbers with less machinery.
    """
    model, loss, optimizer = run.model, run.loss, run.optimizer
    n, batch_size = run.n_samples, run.batch_size
    flat = model.flat_parameters()
    if lean is not None and model._flat is not lean.flat and not lean.bind():
        lean = None  # a parameter array was replaced (by a callback) by one of another kind
    per_replica = order.ndim > 1
    if per_replica:
        gather = _gather
        gather_once = batch_size < n and order.size * X.shape[-1] * X.itemsize <= GATHER_ONCE_BYTES
    else:
        gather = _take_rows
        gather_once = batch_size < n and X.nbytes <= GATHER_ONCE_BYTES
    if gather_once:
        X, T = gather(X, order), gather(T, order)
    if labels is not None and batch_size < n:  # in the order the batches see them
        labels = _gather_labels(labels, order) if per_replica else labels.take(order, axis=-1)
    losses, predicted = [], None
    for b, start in enumerate(range(0, n, batch_size)):
        stop = start + batch_size
        if batch_size == n:  # full batch: no copy, order does not matter
            xb, tb = X, T
        elif gather_once:
            xb, tb = X[..., start:stop, :], T[..., start:stop, :]
        else:
            idx = order[..., start:stop]
            xb, tb = gather(X, idx), gather(T, idx)
        out = model.forward(xb, training=True) if lean is None else lean.forward()
        batch_loss, dout = loss.value_and_grad(out, tb)
        if not (math.isfinite(batch_loss) if batch_loss.ndim == 0 else np.isfinite(batch_loss).all()):
            if freezer is None or freezer.freeze(batch_loss, run.epoch, b):
                _diverged(run, batch_loss, b, xb, out, freezer)
        if lean is None:
            model.backward(dout, input_grad=False)
        else:
            lean.backward(dout)
        if penalty:
            penalty.add_grads(model)
        optimizer.step(flat)
        if freezer is not None and freezer.active:
            freezer.restore()
        size = xb.shape[-2]
        losses.append(batch_loss * size)
        if labels is not None:
            if predicted is None:
                predicted = np.empty((*out.shape[:-2], n), bool if out.shape[-1] == 1 else np.intp)
            _predict_into(out, loss.threshold, predicted[..., start:start + size])
        for cb in batch_listeners:
            cb.on_batch_end(run, b, {"loss": batch_loss, "size": size})
    # one batch: its loss as it is (a sum of one number is that number)
    logs = {"loss": (losses[0] if len(losses) == 1 else np.sum(losses, axis=0)) / n}
    if labels is not None:
        hits = predicted == labels
        logs["accuracy"] = (np.count_nonzero(hits) if hits.ndim == 1 else hits.sum(axis=-1)) / n
    if penalty:
        logs["penalty"] = penalty.value(model)
    logs["lr"] = np.asarray(optimizer.lr)
    return logs


def _take_rows(A, idx):
    return A.take(idx, axis=-2)


def _diverged(run, batch_loss, batch, xb, out, freezer):
    """Raise the DivergenceError: no replicas, or every replica has now diverged."""
    model, h = run.model, run.history
    earlier = [] if freezer is None else \
        [r for r, (e, b, _) in freezer.events.items() if (e, b) != (run.epoch, batch)]
    if earlier:  # the report is about the replicas that diverged now
        batch_loss = batch_loss.copy()
        batch_loss.reshape(-1)[earlier] = 0.0
    message = divergence_report(model, run.optimizer, batch_loss, run.epoch, batch, xb, out,
                                updated=run.epoch > 0 or batch > 0)
    if freezer is None:
        h.diverged, h.diverged_epoch = np.asarray(True), np.asarray(run.epoch)
    else:
        if earlier:
            message += (" Every replica has now diverged; before this one: "
                        + ", ".join(f"{replica_name(model, r)} at epoch {freezer.events[r][0] + 1}"
                                    for r in earlier[:10]) + ".")
    raise DivergenceError(message, h, run.epoch)


def _predict_into(out, threshold, dst):
    """The predicted classes of ``out``: argmax, or ``out > threshold`` for one output."""
    if out.shape[-1] == 1:
        np.greater(out[..., 0], threshold, out=dst)
    elif out.shape[-1] == 2:  # argmax of two columns (ties to 0, as argmax), in one pass
        np.greater(out[..., 1], out[..., 0], out=dst)
    else:
        np.argmax(out, axis=-1, out=dst)


def evaluate(model, loss, X, T, labels, prefix="") -> dict:
    """Loss (and accuracy with labels) of ``model`` in inference mode on prepared data."""
    out = model.forward(X, training=False)
    logs = {prefix + "loss": loss.value(out, T)}
    if labels is not None:
        logs[prefix + "accuracy"] = count_correct(out, labels, loss.threshold) / X.shape[-2]
    return logs


def count_correct(out: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Correct predictions per replica: argmax of ``out``, or ``out > threshold`` for one output."""
    pred = out[..., 0] > threshold if out.shape[-1] == 1 else out.argmax(axis=-1)
    if pred.ndim == 1:
        return np.count_nonzero(pred == labels)
    return (pred == labels).sum(axis=-1)


def prepare(model, loss, X, y, x_name="X", y_name="y"):
    """Check and convert ``(X, y)`` for ``model`` and ``loss``.

    Returns ``(X, T, labels)``: ``X`` in the model's dtype, ``T`` the loss's target
    as floats ``(..., n, k)`` (class labels become one-hot rows), and ``labels`` the
    integer class labels used for accuracy (``None`` for regression targets).
    """
    X = _validate.finite_array(x_name, X, min_ndim=2, dtype=model.dtype)
    if X.shape[-1] != model.n_inputs:
        raise ValueError(f"{x_name} must have {model.n_inputs} features (last axis) for this "
                         f"network; received shape {X.shape}")
    reps = model.replicas or ()
    if X.shape[:-2] not in ((), tuple(reps)):
        raise ValueError(f"{x_name} must be (n_samples, n_features) or, per replica, "
                         f"{(*reps, 'n_samples', 'n_features')}; received shape {X.shape}")
    y = _validate.finite_array(y_name, y, min_ndim=1)
    n, k = X.shape[-2], model.n_outputs
    per_sample = y.ndim >= 1 and y.shape[-1] == n and y.shape[:-1] in ((), tuple(reps))
    per_output = y.ndim >= 2 and y.shape[-2:] == (n, k) and y.shape[:-2] in ((), tuple(reps))
    if not (per_sample or per_output):
        raise ValueError(
            f"{y_name} must hold one target per sample of {x_name} ({n}): shaped (n,), "
            f"(n, {k}) or with the replica axes {tuple(reps)} in front; received shape {y.shape}"
        )
    labels = None
    if per_sample and not per_output and (loss.target_kind == "labels" or _integral(y)):
        labels = _labels(y, k, y_name) if loss.target_kind == "labels" or k > 1 else None
    if loss.target_kind == "labels":
        if labels is not None:  # one-hot once here, not in every step
            return X, (labels[..., None] == np.arange(k)).astype(model.dtype), labels
        if not per_output:
            raise ValueError(f"{y_name} must be integer class labels or one-hot targets for "
                             f"loss {loss.name!r}; received shape {y.shape}")
        T = _validate.cast(y_name, y, model.dtype)
        return X, T, T.argmax(axis=-1)
    if per_output:
        T = _validate.cast(y_name, y, model.dtype)
        return X, T, (T.argmax(axis=-1) if k > 1 and _is_one_hot(T) else
                      _binary_labels(T) if k == 1 else None)
    if labels is not None:  # integer labels, several outputs: one-hot targets
        return X, (labels[..., None] == np.arange(k)).astype(model.dtype), labels
    if k != 1:
        raise ValueError(f"{y_name} of shape {y.shape} gives one value per sample, but the "
                         f"network has {k} outputs; give targets shaped (n, {k})")
    T = _validate.cast(y_name, y[..., None], model.dtype)
    _check_binary_range(loss, T, y_name)
    return X, T, _binary_labels(T)


def _n_rows(X):
    """Rows of X (the sample axis), or None when X's shape cannot be read (prepare says why)."""
    try:
        shape = np.shape(X)
    except ValueError:  # ragged nested lists
        return None
    return shape[-2] if len(shape) >= 2 else None


def _integral(y):
    return np.issubdtype(y.dtype, np.integer) or bool(np.all(np.mod(y, 1) == 0))



def _labels(y, k, name):
    if not _integral(y):
        bad = y[np.mod(y, 1) != 0].ravel()[0]
        raise ValueError(f"{name} must hold integer class labels; received the value {bad.item()!r}")
    labels = y.astype(np.int64)
    lo, hi = labels.min(), labels.max()
    n_classes = max(k, 2)
    if lo < 0 or hi >= n_classes:
        raise ValueError(f"{name} labels must lie in [0, {n_classes - 1}] for a network with "
                         f"{k} output(s); received labels from {lo} to {hi}")
    return labels


def _is_one_hot(T):
    return bool(np.all((T == 0) | (T == 1)) and np.all(T.sum(axis=-1) == 1))


def _binary_labels(T):
    """Labels for one-output targets that are all 0 or 1 (else None: regression)."""
    return T[..., 0].astype(np.int64) if np.all((T == 0) | (T == 1)) else None


def _check_binary_range(loss, T, name):
    if loss.name in ("bce", "bce_logits") and (T.min() < 0 or T.max() > 1):
        raise ValueError(f"{name} must lie in [0, 1] for loss {loss.name!r}; "
                         f"received values from {T.min()} to {T.max()}")


def _split(X, T, labels, start, stop=None):
    sl = slice(start, stop)
    return X[..., sl, :], T[..., sl, :], None if labels is None else labels[..., sl]
