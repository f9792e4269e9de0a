"""Training that goes wrong without stopping: warnings and frozen replicas.

``fit`` always adds a :class:`Watchdog` (first, so its warnings are in the history
before other callbacks end) and, with replicas, keeps a :class:`Freezer`:

- a training loss that **rises** is a warning in ``History.warnings``, not an
  error. Per replica, over the per-epoch training loss ``L_1 .. L_T`` (T >= 2),
  with ``w = clip(T // 10, 1, 100)`` epochs of smoothing::

      end  = median of the last w epochs
      low  = lowest median over consecutive blocks of w epochs (ending at T)
      ended above where it started:  end > 1.1 * L_1
      climbed:                        end >= 3 * low  and  end - low >= 0.25 * (L_1 - low)

  and neither is said of a loss that ends at or below ``1e-6`` (fitted as closely as
  float32 can say: 0 at epoch 1 and 1e-9 at the end is not a rise worth a word).
  The medians and the second condition keep mini-batch noise and the tiny
  spikes of an already converged loss quiet (measured on the lessons' setups);
- a replica whose loss turns NaN/inf is **frozen**: its parameters and state are
  put back after every step, its figures read NaN, and the others train on, bit
  for bit as they would without it (every operation of the loop is per replica).
  ``History.diverged`` / ``diverged_epoch`` record it and one warning names the
  seeds; ``DivergenceError`` is raised only when every replica has diverged.
"""

from __future__ import annotations

import numpy as np

from .callbacks import Callback
from .diagnostics import advice, join_tips, lr_text, replica_name, replica_names

#: "ended above where it started": the end is more than this factor above epoch 1
END_ABOVE_START = 1.1
#: "climbed": the end is at least this factor above the lowest ...
CLIMB_FACTOR = 3.0
#: ... and gave back at least this share of the progress made from epoch 1
GAVE_BACK = 0.25
#: a loss that ends at or below this has nothing left to rise from
FITTED = 1e-6
#: replicas named in full in one warning
SHOWN = 3


def rising_loss(loss) -> dict[int, dict]:
    """Replicas whose training loss rose (see the module docstring).

    ``loss`` is ``(epochs, *replicas)``. Returns ``{flat replica index: details}``
    with the figures a warning names: ``first`` (epoch 1), ``low`` and
    ``low_epoch`` (the lowest epoch, 1-based), ``last`` and ``last_epoch``, and
    ``kind`` ("ended above where it started" or "climbed far above its lowest").
    Replicas with NaN/inf figures (diverged) are left out.
    """
    L = np.asarray(loss, dtype=np.float64)
    T = L.shape[0]
    if T < 2:
        return {}
    L = L.reshape(T, -1)
    w = max(1, min(T // 10, 100))
    blocks = L[T % w:].reshape(T // w, w, -1)
    medians = np.median(blocks, axis=1)
    end, low, first = medians[-1], medians.min(axis=0), L[0]
    with np.errstate(invalid="ignore", over="ignore"):
        above = end > END_ABOVE_START * first
        climbed = (end >= CLIMB_FACTOR * low) & (end - low >= GAVE_BACK * (first - low))
    finite = np.isfinite(L).all(axis=0) & (end > FITTED)
    found = {}
    for r in np.flatnonzero((above | climbed) & finite):
        found[int(r)] = {
            "first": L[0, r], "low": L[:, r].min(), "low_epoch": int(L[:, r].argmin()) + 1,
            "last": L[-1, r], "last_epoch": T,
            "kind": "ended above where it started" if above[r] else "climbed far above its lowest"}
    return found


class Watchdog(Callback):
    """Writes ``History.warnings`` at the end of training (``fit`` always adds it)."""

    def __init__(self, freezer=None):
        self.freezer = freezer

    def on_train_end(self, run):
        h = run.history
        if self.freezer is not None and self.freezer.frozen.any():
            h.warnings.append(self.freezer.describe(run.optimizer))
        if "loss" in h:
            rising = rising_loss(h["loss"])
            if rising:
                h.warnings.append(_rising_message(run, rising))


def _rising_message(run, rising: dict) -> str:
    model, opt = run.model, run.optimizer
    total = int(np.prod(model.replicas or (1,)))

    def figures(d):
        low = (f", lowest {d['low']:.4g} at epoch {d['low_epoch']}"
               if d["low_epoch"] not in (1, d["last_epoch"]) else "")
        return (f"{d['first']:.4g} at epoch 1{low}, {d['last']:.4g} at epoch {d['last_epoch']} "
                f"({d['kind']})")

    if model.replicas:
        shown = "; ".join(f"{replica_name(model, r)}: {figures(d)}"
                          for r, d in list(rising.items())[:SHOWN])
        more = f"; and {len(rising) - SHOWN} more" if len(rising) > SHOWN else ""
        head = (f"the training loss rose for {len(rising)} of {total} replicas "
                f"({replica_names(model, rising)}): {shown}{more}.")
    else:
        head = f"the training loss rose: {figures(rising[0])}."
    tips = advice(model, opt, optimizer_tip=True)
    return (f"{head} The learning rate ({lr_text(opt.lr)}) is probably too large for this setup. "
            f"Try {join_tips(tips)}.")


class Freezer:
    """Freezes replicas whose loss turned NaN/inf; the others train on.

    ``frozen`` (bool, shaped like the replicas) and the history's ``diverged`` /
    ``diverged_epoch`` are updated in place. After :meth:`freeze`, call
    :meth:`restore` after every optimizer step: it puts back the frozen replicas'
    parameters and state (batch-norm statistics) as they were when they diverged.
    """

    def __init__(self, model, history):
        self.model = model
        reps = model.replicas
        self.frozen = np.zeros(reps, bool)
        history.diverged = self.frozen
        history.diverged_epoch = np.full(reps, -1)
        self.history = history
        self.events: dict[int, tuple[int, int, float]] = {}  # replica -> (epoch, batch, loss)
        self._saved = None

    @property
    def active(self) -> bool:
        return self._saved is not None

    def _arrays(self):
        return [*((n, p) for n, p, _ in self.model.named_parameters()),
                *(("state." + n, s) for n, s in self.model.named_state())]

    def _mask(self, mask, a):
        return np.broadcast_to(mask.reshape(mask.shape + (1,) * (a.ndim - mask.ndim)), a.shape)

    def freeze(self, loss_value, epoch: int, batch: int) -> bool:
        """Freeze the replicas whose ``loss_value`` is not finite; True when all are frozen."""
        new = ~np.isfinite(loss_value) & ~self.frozen
        if not new.any():
            return bool(self.frozen.all())
        if self._saved is None:
            self._saved = {n: a.copy() for n, a in self._arrays()}
        else:
            for n, a in self._arrays():
                np.copyto(self._saved[n], a, where=self._mask(new, a))
        self.frozen |= new
        self.history.diverged_epoch[new] = epoch
        flat = np.asarray(loss_value).reshape(-1)
        for r in np.flatnonzero(new.reshape(-1)):
            self.events[int(r)] = (epoch, batch, float(flat[r]))
        return bool(self.frozen.all())

    def restore(self) -> None:
        for n, a in self._arrays():
            np.copyto(a, self._saved[n], where=self._mask(self.frozen, a))

    def mask_logs(self, logs: dict) -> None:
        """NaN for the frozen replicas in every per-replica figure of ``logs``."""
        for key, value in logs.items():
            value = np.asarray(value)
            if value.shape == self.frozen.shape:
                logs[key] = np.where(self.frozen, np.nan, value)

    def describe(self, optimizer) -> str:
        """One sentence naming the frozen replicas, when and how, and what to try."""
        total = self.frozen.size
        items = sorted(self.events.items(), key=lambda kv: kv[1][:2])
        named = [f"{replica_name(self.model, r)} at epoch {e + 1}, batch {b + 1} (loss {v})"
                 for r, (e, b, v) in items[:10]]
        more = f" and {len(items) - 10} more" if len(items) > 10 else ""
        tips = advice(self.model, optimizer)
        one = len(items) == 1
        return (f"{len(items)} of {total} replicas diverged (the loss became NaN or inf): "
                f"{', '.join(named)}{more}. {'It was' if one else 'They were'} frozen there "
                f"({'its' if one else 'their'} parameters stopped changing; "
                f"{'its' if one else 'their'} figures read NaN from then on) while the other "
                f"{total - len(items)} trained on. Try {join_tips(tips)}.")
