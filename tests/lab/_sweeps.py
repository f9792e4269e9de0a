"""Sweep results made of REAL runs of ``lab.group.train_group``, shaped as issue 9's
contract (runs, summary() with Wilson intervals, vary, success, spec), for the tests of
the sweep pictures and reports until ``lab.sweep`` is merged."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import product

import numpy as np

from mlplab.lab.group import train_group, wilson
from mlplab.lab.train import TrainConfig


@dataclass
class Result:
    runs: list
    vary: dict
    success: str = "train_accuracy > 0.95"
    spec: dict = field(default_factory=dict)

    def summary(self) -> list[dict]:
        rows = {}
        for run in self.runs:
            key = tuple(run[k] for k in self.vary)
            rows.setdefault(key, []).append(run)
        out = []
        for key, runs in rows.items():
            k, n = sum(r["success"] for r in runs), len(runs)
            low, high = wilson(k, n)
            acc = np.array([r["train_accuracy"] for r in runs])
            loss = np.array([r["train_loss"] for r in runs])
            out.append({**dict(zip(self.vary, key)), "n": n, "successes": k, "rate": k / n,
                        "rate_low": low, "rate_high": high,
                        "train_accuracy_median": float(np.median(acc)),
                        "train_accuracy_min": float(acc.min()), "train_accuracy_max": float(acc.max()),
                        "train_loss_median": float(np.median(loss))})
        return out


def sweep(vary: dict, seeds=range(5), epochs=30, success="train_accuracy > 0.95", **fixed) -> Result:
    """Every combination of ``vary``, each trained alone with ``train_group``."""
    options = {**dict(dataset="disc_ring", optimizer="adam", lr=0.05, init="torch", test_size=0,
                      val_split=0, batch_size=300, epochs=epochs, success=success), **fixed}
    runs = []
    for combo in product(*vary.values()):
        values = dict(zip(vary, combo))
        config = TrainConfig(**{**options, **values, "seeds": tuple(seeds)})
        for run in train_group([config]):
            runs.append({**values, **run})
    spec = {"dataset": options["dataset"], "vary": vary, "seeds": list(seeds), "fixed": options}
    return Result(runs, vary, success, spec)


@cache
def layers_grid() -> Result:
    """disc_ring, layers (2,2), (2,4), (4,2), (4,4) x 5 seeds x 30 epochs."""
    return sweep({"layers": [(2, 2), (2, 4), (4, 2), (4, 4)]})


@cache
def one_key() -> Result:
    return sweep({"lr": [0.001, 0.05, 0.2]}, layers=(4, 4))
