"""Training a group of settings at once: the unit of work of a sweep.

A *setting* is a :class:`~mlplab.lab.train.TrainConfig` (its ``seeds`` are the seeds
to run it with). Settings whose :func:`group_key` is equal can be trained as one
replicated model; :func:`train_group` trains them and returns one *run* per
(setting, seed):

``{"setting": i, "seed": s, "train_loss", "train_accuracy", "test_accuracy"`` (when the
run has test data), ``"validation_loss"`` / ``"validation_accuracy"`` (with
validation data), ``"alive"`` (alive ReLU units per hidden layer at the last epoch, a
list), ``"epochs_run"``, ``"diverged"``, ``"success"`` (the setting's success rule),
``"history"`` (``{name: per-epoch float array}``: ``loss``, ``accuracy``,
``alive.1`` ...)``}``.

Figures are measured in inference mode on all the training rows after the last step.
Run ``k`` of a setting equals ``run_training`` of that setting with ``seeds=(s_k,)``.

This module is the reference implementation: one replicated fit per setting. The
vectorised one (widths padded and masked, numeric options per replica) must give the
same runs.
"""

from __future__ import annotations

import math

import numpy as np

from .train import TrainConfig, run_training

#: TrainConfig fields that may differ between the settings of one group
VARYING = ()


def group_key(config: TrainConfig) -> tuple:
    """Settings with equal keys may train together (every field outside :data:`VARYING`)."""
    return tuple((k, v) for k, v in sorted(config.as_dict().items())
                 if k not in VARYING and k != "seeds")


def train_group(configs: list[TrainConfig]) -> list[dict]:
    """Train every setting of ``configs`` with each of its seeds; one run per (setting, seed),
    settings in order, seeds in order within a setting."""
    keys = {group_key(c) for c in configs}
    if len(keys) > 1:
        raise ValueError(f"train_group takes settings of one group (equal group_key); "
                         f"received {len(keys)} groups")
    runs = []
    for i, config in enumerate(configs):
        result = run_training(config)
        runs += _runs(i, config, result)
    return runs


def _runs(index: int, config: TrainConfig, result) -> list[dict]:
    """One run dict per seed of a trained ``result``."""
    h = result.history
    rule = config.success_rule
    ok = rule.of(result.figures)
    diverged = np.broadcast_to(np.asarray(getattr(h, "diverged", False)), ok.shape)
    stopped = getattr(h, "stopped_epoch", None)
    out = []
    for k, seed in enumerate(config.seeds):
        pick = (lambda a: float(np.asarray(a).reshape(-1)[k])) if len(config.seeds) > 1 else \
            (lambda a: float(np.asarray(a).reshape(-1)[0]))
        run = {"setting": index, "seed": seed}
        for split, figures in result.figures.items():
            for name, value in figures.items():
                run[f"{split}_{name}"] = pick(value)
        alive = [h[f"alive.{j}"][-1] for j in range(1, len(config.layers) + 1) if f"alive.{j}" in h]
        run["alive"] = [int(pick(a)) for a in alive]
        run["epochs_run"] = int(h.epochs if stopped is None else stopped)
        run["diverged"] = bool(diverged.reshape(-1)[k])
        run["success"] = bool(ok.reshape(-1)[k])
        run["history"] = {name: np.asarray(h[name], dtype=float).reshape(h.epochs, -1)[:, k]
                          if len(config.seeds) > 1 else np.asarray(h[name], dtype=float).reshape(-1)
                          for name in h.keys() if name != "lr"}
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
