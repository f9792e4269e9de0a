"""Listeners on the training event stream.

``fit`` emits, in order::

    on_train_begin(run)
    for each epoch:  on_epoch_begin(run, epoch)
                     on_batch_end(run, batch, logs)      for each batch
                     on_epoch_end(run, epoch, logs)
    on_train_end(run)

``run`` is the :class:`Run` (model, optimizer, loss, history, ...); ``logs`` maps
names (``loss``, ``accuracy``, ``penalty``, ``val_loss``, ``val_accuracy``,
``lr``) to per-replica arrays. A callback stops training by setting
``run.stop_training = True``. Everything that watches training (the history, early
stopping, schedules, progress bars, animation recorders, neuron statistics)
listens to the same stream; nothing trains twice to draw.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from . import _validate, schedules
from ._format import spread
from .history import History


@dataclass
class Run:
    """What callbacks can see and steer during ``fit``."""

    model: object
    optimizer: object
    loss: object
    epochs: int
    n_samples: int
    batch_size: int
    history: History = field(default_factory=History)
    base_lr: float = 0.0
    epoch: int = 0
    stop_training: bool = False


class Callback:
    """Base class: override the events you need."""

    def on_train_begin(self, run: Run) -> None: ...

    def on_epoch_begin(self, run: Run, epoch: int) -> None: ...

    def on_batch_end(self, run: Run, batch: int, logs: dict) -> None: ...

    def on_epoch_end(self, run: Run, epoch: int, logs: dict) -> None: ...

    def on_train_end(self, run: Run) -> None: ...


class Recorder(Callback):
    """Appends each epoch's logs to ``run.history`` (``fit`` always adds it, last)."""

    def on_epoch_end(self, run, epoch, logs):
        run.history.append(logs)


class LRScheduler(Callback):
    """Set ``optimizer.lr = schedule(base_lr, epoch)`` at the start of every epoch.

    The optimizer's state (moments, velocities) is kept.

    >>> cb = LRScheduler("cosine", t_max=100)
    """

    def __init__(self, schedule, offset: int = 0, base_lr: float | None = None, **options):
        self.schedule = schedules.get(schedule, **options)
        self.offset = offset      # epochs already done (training continued in chunks)
        self.base_lr = base_lr    # default: the optimizer's lr when fit starts

    def on_epoch_begin(self, run, epoch):
        base = run.base_lr if self.base_lr is None else self.base_lr
        run.optimizer.lr = self.schedule(base, self.offset + epoch)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With replicas each replica is watched on its own; training stops when every
    replica has run out of patience. With ``restore_best`` the weights (and
    batch-norm statistics) of each replica's best epoch are put back at the end.
    ``best_epoch`` holds, per replica, the epoch of the best value.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 10, min_delta: float = 0.0,
                 mode: str = "auto", restore_best: bool = True):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be one of 'auto', 'min', 'max'; received mode={mode!r}")
        self.monitor = monitor
        self.patience = _validate.positive_int("patience", patience)
        self.min_delta = _validate.nonnegative("min_delta", min_delta)
        self.sign = -1.0 if (mode == "max" or (mode == "auto" and "acc" in monitor)) else 1.0
        self.restore_best = bool(restore_best)

    def on_train_begin(self, run):
        self.best = None
        self.wait = None
        self.best_epoch = None
        self._snapshot = None

    def _arrays(self, model):
        return [p for p, _ in model.parameters()] + [s for _, s in model.named_state()]

    def on_epoch_end(self, run, epoch, logs):
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which this run does not log; "
                f"available: {', '.join(logs)}"
                + (" (give validation data or validation_split for val_ figures)"
                   if self.monitor.startswith("val_") else "")
            )
        value = self.sign * np.asarray(logs[self.monitor], dtype=np.float64)
        arrays = self._arrays(run.model)
        if self.best is None:
            self.best = value.copy()
            self.wait = np.zeros(value.shape, dtype=int)
            self.best_epoch = np.full(value.shape, epoch)
            self._snapshot = [a.copy() for a in arrays] if self.restore_best else None
            return
        improved = value < self.best - self.min_delta
        self.best = np.where(improved, value, self.best)
        self.best_epoch = np.where(improved, epoch, self.best_epoch)
        self.wait = np.where(improved, 0, self.wait + 1)
        if self.restore_best and improved.any():
            for snap, a in zip(self._snapshot, arrays):
                mask = improved.reshape(improved.shape + (1,) * (a.ndim - improved.ndim))
                np.copyto(snap, a, where=np.broadcast_to(mask, a.shape))
        if (self.wait >= self.patience).all():
            run.stop_training = True
            run.history.stopped_epoch = epoch

    def on_train_end(self, run):
        if self.restore_best and self._snapshot is not None:
            for snap, a in zip(self._snapshot, self._arrays(run.model)):
                a[...] = snap


class ProgressBar(Callback):
    """One line per epoch: epoch, loss, accuracy, validation figures (median and range
    over replicas), speed in samples per second and elapsed time.

    On a terminal the current epoch's line also fills in batch by batch.
    """

    def __init__(self, stream=None, every: int = 1, live: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.every = _validate.positive_int("every", every)
        self.live = live

    def on_train_begin(self, run):
        self._start = time.perf_counter()
        self._width = len(str(run.epochs))
        self._n_batches = -(-run.n_samples // run.batch_size)
        if self.live is None:
            self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = 0.0

    def on_epoch_begin(self, run, epoch):
        self._epoch_start = time.perf_counter()

    def on_batch_end(self, run, batch, logs):
        if not self.live:
            return
        now = time.perf_counter()
        if now - self._drawn < 0.1 and batch + 1 < self._n_batches:
            return
        self._drawn = now
        done = (batch + 1) / self._n_batches
        bar = "#" * int(20 * done) + "." * (20 - int(20 * done))
        print(f"\repoch {run.epoch + 1:>{self._width}}/{run.epochs}  [{bar}] {done:4.0%}  "
              + self._fmt("loss", logs["loss"]), end="", file=self.stream, flush=True)

    @staticmethod
    def _fmt(name, value):
        text, span = spread(value)
        return f"{name} {text}" + (f" {span}" if span else "")

    def on_epoch_end(self, run, epoch, logs):
        last = epoch + 1 == run.epochs
        if (epoch + 1) % self.every and not last and not run.stop_training:
            return
        now = time.perf_counter()
        speed = run.n_samples / max(now - self._epoch_start, 1e-9)
        parts = [f"epoch {epoch + 1:>{self._width}}/{run.epochs}"]
        parts += [self._fmt(k, v) for k, v in logs.items()
                  if k not in ("lr", "penalty") and "." not in k]
        parts += [f"{speed:,.0f} samples/s", f"{now - self._start:.1f}s"]
        print(("\r\033[K" if self.live else "") + "  ".join(parts), file=self.stream, flush=True)
