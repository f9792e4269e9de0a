"""Training a group of settings at once: the unit of work of a sweep.

A *setting* is a :class:`~mlplab.lab.train.TrainConfig` (its ``seeds`` are the seeds
to run it with). Settings whose :func:`group_key` is equal train as ONE replicated
model; :func:`train_group` trains them and returns one *run* per (setting, seed):

``{"setting": i, "seed": s, "train_loss", "train_accuracy", "test_accuracy"`` (when the
run has test data), ``"validation_loss"`` / ``"validation_accuracy"`` (with
validation data), ``"alive"`` (alive ReLU units per hidden layer at the last epoch, a
list), ``"epochs_run"``, ``"diverged"``, ``"success"`` (the setting's success rule),
``"history"`` (``{name: per-epoch float array}``: ``loss``, ``accuracy``,
``alive.1`` ...)``}``.

Figures are measured in inference mode on all the training rows after the last step.
Run ``k`` of a setting equals ``run_training`` of that setting with ``seeds=(s_k,)``
(to 1e-10 in float64; in float32 the summation order of the matrix products may
differ in the last bits).

How a group becomes one model (:data:`VARYING` lists what may differ inside it):

- hidden widths (``layers`` of one depth) are padded to the widest and masked
  (:func:`mlplab.nn.masking.padded_mlp`): replica ``r`` starts as ``mlp`` with its
  own sizes and seed, and its padded units stay exactly zero;
- ``lr``, ``l1``, ``l2``, ``momentum``, ``weight_decay`` and ``dropout`` become one
  number per replica (per-replica arrays in the optimizer, the penalty and dropout);
- every replica has its own data draw (``catalog.load_seeds``, each seed loaded once
  however many settings use it) and shuffles from its own seed, as alone.

Early stopping (``patience``) watches each replica, and the group trains until every
replica has run out of patience (as a replicated ``run_training`` does): a replica may
train past the epoch where its single run stopped. A replica whose loss turns NaN is
frozen (``diverged``) while the others train on.

A large group whose widths differ a lot is cut into parts of similar widths
(:func:`plan`): padding a 2-wide layer to 8 costs four times its arithmetic, and a part
of a few hundred replicas already keeps the arrays busy. A part trains in pieces of at
most :data:`PIECE` replicas, each padded to the part's widths (the same arithmetic per
replica as in one model, so the same bits), and ``workers`` pieces train at the same
time (one per CPU by default), in forked copies of this process where that is safe,
else on threads (:mod:`mlplab.lab.parallel` says why and when). Each piece is its own
model, optimizer and data, so the runs have the same bits whatever the number of
workers and the way they run.
"""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np

from .. import nn
from ..nn import masking
from ..nn.blas_threads import training_threads
from . import parallel, spec
from .train import TrainConfig, _check_success, _schedule_callback, load_data, measure, output_and_loss

#: TrainConfig fields that may differ between the settings of one group (``layers``
#: only among equal depths: the depth is part of the key)
VARYING = ("layers", "lr", "l1", "l2", "momentum", "weight_decay", "dropout", "success")


def group_key(config: TrainConfig) -> tuple:
    """Settings with equal keys train together: the depth of ``layers`` and every field
    outside :data:`VARYING` (and ``seeds``)."""
    return (("depth", len(config.layers)),
            *((k, v) for k, v in sorted(config.as_dict().items())
              if k not in VARYING and k != "seeds"))


#: a part is trained in pieces of at most this many replicas, each padded as the whole
#: part (the same arithmetic, so the same bits): smaller arrays stay in the processor's
#: caches, and pieces spread evenly over the workers (lesson A's grid on 2 processes, by
#: the largest piece: 250 replicas 1.92 s, 160 1.69 s, 120 1.63 s, 100 1.62 s, 80 1.71 s)
PIECE = 120

#: how many pieces of a group train at once when ``train_group`` is not told (None: one
#: per CPU this process may use; the ``processes`` executor's workers set 1)
WORKERS: int | None = None


@training_threads  # one BLAS thread for the whole group, not set and reset per part
def train_group(configs: list[TrainConfig], workers: int | None = None) -> list[dict]:
    """Train every setting of ``configs`` with each of its seeds; one run per (setting, seed),
    settings in order, seeds in order within a setting.

    The parts of the group (:func:`plan`, each in pieces of at most :data:`PIECE`
    replicas padded as the whole part) train ``workers`` at a time, the costliest first
    (default :data:`WORKERS`), in forked copies of this process or on threads
    (:mod:`mlplab.lab.parallel`); the runs are the same, bit for bit, for any count and way.
    """
    configs = list(configs)
    if not configs:
        return []
    keys = {group_key(c) for c in configs}
    if len(keys) > 1:
        raise ValueError(f"train_group takes settings of one group (equal group_key); "
                         f"received {len(keys)} groups")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers must be a positive integer (pieces trained at once) or None; "
                         f"received workers={workers!r}")
    replicas = [(i, s) for i, c in enumerate(configs) for s in c.seeds]
    layers = [configs[i].layers for i, _ in replicas]
    data = _GroupData(configs, replicas)
    parts = plan(layers)
    pieces = []  # (part cut in pieces of at most PIECE replicas, padded as the whole part)
    for part in sorted(parts, key=lambda part: -part_cost([layers[r] for r in part])):
        widths = [max(layers[r][j] for r in part) for j in range(len(layers[part[0]]))]
        count = -(-len(part) // PIECE)  # equal pieces, each setting's replicas together
        bounds = [len(part) * k // count for k in range(count + 1)]
        pieces += [(part[a:b], widths) for a, b in zip(bounds[:-1], bounds[1:])]

    def train(piece, stop):
        indices, widths = piece
        return _train_part(configs, [replicas[r] for r in indices], data, stop, widths)

    runs = [None] * len(replicas)
    done = parallel.run(pieces, train, _workers(WORKERS if workers is None else workers))
    for (indices, _), piece_runs in zip(pieces, done):
        for r, run in zip(indices, piece_runs):
            runs[r] = run
    return runs


def _workers(n):
    if n is not None:
        return n
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _StopWhenSet(nn.Callback):
    """Raise :class:`~mlplab.lab.parallel.Stopped` at the end of an epoch once ``event`` is set."""

    def __init__(self, event):
        self.event = event

    def on_epoch_end(self, run, epoch, logs):
        if self.event.is_set():
            raise parallel.Stopped("stopped: another part of the group failed or was interrupted")


#: a part smaller than this is not cut further (Python's per-step cost would dominate)
MIN_PART = 40
#: the fixed price of one more part, in units of (replicas x multiply-adds per sample):
#: a step's Python overhead is worth about this much arithmetic (measured on the
#: lesson-A grid, where 980 replicas of 2-8-8-2 cost about 110,000 units)
PART_PRICE = 3_000


def plan(layers: list[tuple[int, ...]]) -> list[list[int]]:
    """Replica indices cut into parts, each trained as one padded model.

    Each part is padded to its own widest widths. A part is cut in two, by a threshold
    on one layer's width (``n_j <= t`` and ``n_j > t``), while that lowers the cost
    ``replicas x (multiply-adds of the padded network per sample) + PART_PRICE`` per
    part; parts keep at least :data:`MIN_PART` replicas. Equal widths: one part.
    """
    n = len(layers)
    if n < 2 * MIN_PART or len(set(map(tuple, layers))) == 1:
        return [list(range(n))]
    depth = len(layers[0])

    def cost(idx):
        return part_cost([layers[r] for r in idx])

    def split(idx):
        best, halves = cost(idx), None
        for j in range(depth):
            for t in sorted({layers[r][j] for r in idx})[:-1]:
                left = [r for r in idx if layers[r][j] <= t]
                right = [r for r in idx if layers[r][j] > t]
                if min(len(left), len(right)) < MIN_PART:
                    continue
                c = cost(left) + cost(right)
                if c < best:
                    best, halves = c, (left, right)
        return [idx] if halves is None else split(halves[0]) + split(halves[1])

    return split(list(range(n)))


def part_cost(layers: list[tuple[int, ...]]) -> int:
    """What :func:`plan` counts for one part of these hidden widths: replicas x
    multiply-adds of the padded network per sample, plus :data:`PART_PRICE`."""
    widest = [max(w[j] for w in layers) for j in range(len(layers[0]))]
    # inputs and outputs are a few units: count them as 2
    work = sum(a * b for a, b in zip([2, *widest], [*widest, 2])) + sum(widest)
    return len(layers) * work + PART_PRICE


class _GroupData:
    """The group's data, loaded once for all its distinct seeds and shared by its parts
    (``catalog.load_seeds``: each seed's own draw, split and scaler)."""

    def __init__(self, configs, replicas):
        base = configs[0]
        self.unique = list(dict.fromkeys(s for _, s in replicas))
        ds = self.ds = load_data(dataclasses.replace(base, seeds=tuple(self.unique)))
        val_split = base.val_split
        if val_split is None:
            val_split = 0.1 if ds.n_train >= 100 else 0.0
        self.val_split = val_split
        self.n_val = int(round(ds.n_train * val_split))
        for i in dict.fromkeys(i for i, _ in replicas):
            if configs[i].success is not None:
                _check_success(configs[i].success_rule, ds, self.n_val)
        self.X_train, self.X_test = ds.scaler.transform(ds.X_train), ds.scaler.transform(ds.X_test)

    def arrays(self, seeds):
        """``X_train, X_test, y_train, y_test`` for these replicas' seeds: shared, or
        ``(R, n, f)`` one per replica."""
        ds = self.ds
        arrays = (self.X_train, self.X_test, ds.y_train, ds.y_test)
        if ds.seeded and len(self.unique) > 1:  # (U, n, f) per distinct seed -> per replica
            if len(set(seeds)) == 1:  # one seed: shared, as a run of that seed loads it
                return tuple(a[self.unique.index(seeds[0])] for a in arrays)
            pick = np.array([self.unique.index(s) for s in seeds])
            return tuple(a[pick] for a in arrays)
        return arrays


def _train_part(configs, replicas, data, stop=None, widths=None):
    """Train the replicas ``[(setting, seed), ...]`` as one padded model; their runs."""
    base = configs[replicas[0][0]]
    seeds = [s for _, s in replicas]
    ds, val_split, n_val = data.ds, data.val_split, data.n_val
    X_train, X_test, y_train, y_test = data.arrays(seeds)
    n_outputs, loss_name = output_and_loss(base, ds.task, ds.n_outputs)
    cfg = [configs[i] for i, _ in replicas]
    activation = base.activation.split(",") if "," in base.activation else base.activation
    model = masking.padded_mlp(
        [(ds.n_features, *c.layers, n_outputs) for c in cfg], seeds, activation=activation,
        output=None if base.output in (None, "linear") else base.output,
        init=spec.build(nn.initializers.registry, base.init, "init"), dtype=base.dtype,
        dropout=_per_replica([c.dropout for c in cfg]), batchnorm=base.batchnorm, rng=base.rng,
        widths=None if widths is None else (ds.n_features, *widths, n_outputs))
    loss = nn.losses.get(loss_name)
    optimizer = nn.optimizers.get(base.optimizer, lr=_per_replica([c.lr for c in cfg]),
                                  **_optimizer_options(base, cfg))
    stopper = None
    if base.patience is not None:
        stopper = nn.EarlyStopping(monitor="val_loss" if n_val else "loss",
                                   patience=base.patience, min_delta=base.min_delta)
    history = nn.fit(model, X_train, y_train, loss=loss, optimizer=optimizer,
                     epochs=base.epochs, batch_size=base.batch_size, validation_split=val_split,
                     l1=_per_replica([c.l1 for c in cfg]), l2=_per_replica([c.l2 for c in cfg]),
                     callbacks=[*_schedule_callback(base), *([stopper] if stopper else []),
                                nn.NeuronStats(), *([_StopWhenSet(stop)] if stop else [])])
    n_fit = ds.n_train - n_val
    figures = {"train": measure(model, loss, X_train[..., :n_fit, :], y_train[..., :n_fit],
                                ds.task)}
    if n_val:
        figures["validation"] = measure(model, loss, X_train[..., n_fit:, :],
                                        y_train[..., n_fit:], ds.task)
    if ds.n_test:
        figures["test"] = measure(model, loss, X_test, y_test, ds.task)
    return _runs(configs, replicas, history, figures)


def _per_replica(values):
    """One number when all are equal (the engine's scalar path), else an array ``(R,)``."""
    return values[0] if all(v == values[0] for v in values) else np.array(values, dtype=float)


def _optimizer_options(base, cfg) -> dict:
    """Clipping (shared), and momentum / weight decay per replica (None: the default)."""
    options = {"clip_norm": base.clip_norm, "clip_value": base.clip_value}
    for key in ("momentum", "weight_decay"):
        values = [getattr(c, key) for c in cfg]
        if all(v is None for v in values):
            continue
        default = getattr(nn.optimizers.get(base.optimizer), key)
        options[key] = _per_replica([default if v is None else v for v in values])
    return options


def _runs(configs, replicas, history, figures) -> list[dict]:
    """One run dict per replica, as the reference implementation made them."""
    h = history
    stopped = h.stopped_epoch
    diverged = np.asarray(h.diverged).reshape(-1)
    series = {name: np.asarray(h[name], dtype=float).reshape(h.epochs, -1)
              for name in h.keys() if name != "lr"}
    flat = {split: {name: np.asarray(v).reshape(-1) for name, v in f.items()}
            for split, f in figures.items()}
    success = {}
    out = []
    for r, (i, seed) in enumerate(replicas):
        config = configs[i]
        if i not in success:
            success[i] = np.asarray(config.success_rule.of(figures)).reshape(-1)
        run = {"setting": i, "seed": seed}
        for split, f in flat.items():
            for name, value in f.items():
                run[f"{split}_{name}"] = float(value[r])
        run["alive"] = [int(series[f"alive.{j}"][-1, r])
                        for j in range(1, len(config.layers) + 1) if f"alive.{j}" in series]
        run["epochs_run"] = int(h.epochs if stopped is None else stopped)
        run["diverged"] = bool(diverged[r]) if diverged.size > 1 else bool(diverged[0])
        run["success"] = bool(success[i][r])
        penalty = bool(config.l1 or config.l2)
        run["history"] = {name: s[:, r].copy() for name, s in series.items()
                          if name != "penalty" or penalty}
        out.append(run)
    return out


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a success rate: ``(low, high)``.

    With p = k/n: centre = (p + z^2/2n) / (1 + z^2/n),
    half-width = z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
    """
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, centre - half), min(1.0, centre + half))
