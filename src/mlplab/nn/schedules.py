"""Learning-rate schedules: ``lr_t = schedule(base_lr, t)`` for epoch (or step) t >= 0.

| name        | lr_t                                                        |
|-------------|-------------------------------------------------------------|
| constant    | base_lr                                                     |
| step        | base_lr * gamma^floor(t / step_size)                        |
| exponential | base_lr * gamma^t                                           |
| cosine      | eta_min + (base_lr - eta_min) (1 + cos(pi t / t_max)) / 2   |

They match ``torch.optim.lr_scheduler.StepLR``, ``ExponentialLR`` and
``CosineAnnealingLR`` (for t <= t_max) stepped once per epoch. A schedule only
computes a number; the :class:`~mlplab.nn.callbacks.LRScheduler` callback sets it
on the optimizer, whose state is kept.

>>> get("step", step_size=10, gamma=0.5)(0.1, 25)
0.025
"""

from __future__ import annotations

import math

from . import _validate
from ._registry import Configurable, Registry


class Schedule(Configurable):
    name = "schedule"

    def __call__(self, base_lr: float, t: int) -> float:
        raise NotImplementedError


registry = Registry("schedule", Schedule)


@registry.register("constant")
class Constant(Schedule):
    name = "constant"

    def __call__(self, base_lr, t):
        return base_lr


@registry.register("step")
class Step(Schedule):
    name = "step"

    def __init__(self, step_size: int = 10, gamma: float = 0.1):
        self.step_size = _validate.positive_int("step_size", step_size)
        self.gamma = _validate.positive("gamma", gamma)

    def __call__(self, base_lr, t):
        return base_lr * self.gamma ** (t // self.step_size)

    def _options(self):
        return {"step_size": self.step_size, "gamma": self.gamma}


@registry.register("exponential")
class Exponential(Schedule):
    name = "exponential"

    def __init__(self, gamma: float = 0.95):
        self.gamma = _validate.positive("gamma", gamma)

    def __call__(self, base_lr, t):
        return base_lr * self.gamma**t

    def _options(self):
        return {"gamma": self.gamma}


@registry.register("cosine")
class Cosine(Schedule):
    name = "cosine"

    def __init__(self, t_max: int = 100, eta_min: float = 0.0):
        self.t_max = _validate.positive_int("t_max", t_max)
        self.eta_min = _validate.nonnegative("eta_min", eta_min)

    def __call__(self, base_lr, t):
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * t / self.t_max)) / 2

    def _options(self):
        return {"t_max": self.t_max, "eta_min": self.eta_min}


get = registry.get
names = registry.names
