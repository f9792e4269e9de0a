"""One training run described by a plain config: what ``mlplab train`` does.

``run_training(TrainConfig(dataset="mnist", layers=(128, 64), epochs=5))`` loads
the data, scales it, builds the network, trains it (with the given callbacks),
measures it on train / validation / test data and returns a :class:`TrainResult`.
``TrainConfig.command()`` is the ``mlplab train`` line that reproduces the run.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from .. import nn
from ..data import catalog
from ..nn import metrics, pairing

SCHEDULES = ("none", "cosine", "step", "exponential")
SCALES = ("auto", "none", "zscore", "minmax", "robust")
OUTPUTS = pairing.OUTPUT_KINDS  # linear (logits), sigmoid, softmax, log_softmax


@dataclass
class TrainConfig:
    """Everything that defines a run; defaults are ``mlplab train``'s."""

    dataset: str = "disc_ring"
    layers: tuple[int, ...] = (32, 32)
    activation: str = "relu"           # or one per hidden layer: "relu,tanh"
    optimizer: str = "adam"
    lr: float = 1e-3
    batch_size: int = 64
    epochs: int = 10
    seeds: tuple[int, ...] = (0,)
    loss: str | None = None          # None: the loss that fits the output (see output_and_loss)
    output: str | None = None        # None: linear outputs (logits); or sigmoid, softmax, log_softmax
    init: str = "he_normal"
    dropout: float = 0.0
    batchnorm: bool = False
    l1: float = 0.0
    l2: float = 0.0
    clip_norm: float | None = None
    schedule: str = "none"
    val_split: float | None = None   # None: 0.1 when the training set has >= 100 rows
    test_size: float = 0.2           # for datasets without an official test split
    scale: str = "auto"              # auto: the dataset's own scaler

    def __post_init__(self):
        self.layers = tuple(int(n) for n in self.layers)
        self.seeds = tuple(int(s) for s in self.seeds)
        if not self.seeds:
            raise ValueError("seeds must hold at least one seed; received an empty list")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}; "
                             f"received schedule={self.schedule!r}")
        if self.output is not None and self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)} (or None for linear); "
                             f"received output={self.output!r}")
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}; received scale={self.scale!r}")

    def command(self) -> str:
        """The ``mlplab train`` command line for this config (non-default options only)."""
        default = TrainConfig()
        parts = ["mlplab", "train", shlex.quote(self.dataset)]
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "dataset" or value == getattr(default, f.name):
                continue
            flag = "--" + f.name.replace("_", "-")
            if f.name == "layers":
                parts += [flag, ",".join(map(str, value))]
            elif f.name == "seeds":
                parts += [flag, ",".join(map(str, value))]
            elif isinstance(value, bool):
                parts += [flag] if value else []
            else:
                parts += [flag, str(value)]
        return " ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    config: TrainConfig
    model: nn.Sequential
    history: nn.History
    dataset: catalog.Dataset
    figures: dict = field(default_factory=dict)   # split -> {"loss": ..., "accuracy": ...}
    seconds: float = 0.0
    recorders: dict = field(default_factory=dict)  # "boundary", "weights" when recorded

    def meta(self) -> dict:
        """What a saved model carries to be used again (``mlplab evaluate/predict``)."""
        ds = self.dataset
        return {"dataset": ds.name, "classes": ds.classes, "features": ds.feature_names,
                "scaler": ds.scaler.config(), "task": ds.task,
                "split": {"seed": self.config.seeds[0], "test_size": self.config.test_size},
                "train_config": self.config.as_dict(), "command": self.config.command()}


def _schedule_callback(config):
    if config.schedule == "none":
        return []
    options = {"cosine": {"t_max": config.epochs},
               "step": {"step_size": max(1, config.epochs // 3), "gamma": 0.1},
               "exponential": {"gamma": 0.9}}[config.schedule]
    return [nn.LRScheduler(config.schedule, **options)]


def output_and_loss(config: TrainConfig, task: str, n_classes: int) -> tuple[int, str]:
    """``(n_outputs, loss)`` of a run: how many output units to build and the loss name.

    A sigmoid output on two classes is one unit, P(class 1) (accuracy thresholds it at
    0.5); otherwise one unit per class (1 for regression). Without ``config.loss`` the
    loss is the one that fits the output (``nn.pairing.loss_for``: sigmoid ``bce``,
    one logit ``bce_logits``, k logits ``cross_entropy``, log_softmax ``nll``,
    regression ``mse``); with none (a softmax output) ``cross_entropy``, which ``fit``
    then refuses with the reason and the fix, before training.
    """
    output = config.output or "linear"
    n_outputs = 1 if output == "sigmoid" and task == "classification" and n_classes == 2 \
        else n_classes
    # a one-class table is still a classification: its loss (and refusal) is cross_entropy's
    n_fit = max(n_outputs, 2) if task == "classification" and output == "linear" else n_outputs
    loss = config.loss or pairing.loss_for(output, n_fit, task) or "cross_entropy"
    return n_outputs, loss


def build_model(config: TrainConfig, n_inputs: int, n_outputs: int) -> nn.Sequential:
    seeds = list(config.seeds)
    activation = config.activation.split(",") if "," in config.activation else config.activation
    return nn.mlp([n_inputs, *config.layers, n_outputs], activation=activation,
                  output=None if config.output in (None, "linear") else config.output,
                  init=config.init, seed=seeds if len(seeds) > 1 else seeds[0],
                  dropout=config.dropout, batchnorm=config.batchnorm)


def measure(model, loss, X, y, task) -> dict:
    """Loss (and accuracy for classification) per replica, in inference mode."""
    X, T, labels = nn.training.prepare(model, loss, X, y)
    figures = nn.training.evaluate(model, loss, X, T, labels)
    if task == "regression":
        figures["rmse"] = metrics.rmse(T, model.forward(X))
    return figures


def _recorders(config, ds, X_raw):
    """Recorders for pictures: the boundary film for 2-D classification, the weights
    of small networks; at most about 100 frames each."""
    from ..nn.recorders import BoundaryRecorder, Grid, WeightRecorder

    every = max(1, config.epochs // 100)
    out = {}
    if ds.n_features == 2 and ds.task == "classification":
        out["boundary"] = BoundaryRecorder(Grid.around(X_raw), every=every,
                                           transform=ds.scaler.transform)
    if sum(config.layers) <= 40 and ds.n_features <= 8 and ds.n_outputs <= 8:
        out["weights"] = WeightRecorder(every=max(1, config.epochs // 50))
    return out


def run_training(config: TrainConfig, callbacks=(), data_options=None,
                 record: bool = False) -> TrainResult:
    """Load, scale, build, train and measure (see the module docstring).

    With ``record``, also collect what pictures need: gradient statistics, the
    decision-boundary film (2-D data) and weight snapshots (small networks).
    """
    ds = catalog.load(config.dataset, seed=config.seeds[0], test_size=config.test_size,
                      **(data_options or {}))
    if config.scale != "auto":
        from ..data.preprocessing import Scaler
        ds.scaler = Scaler(config.scale).fit(ds.X_train)
    X_train, X_test = ds.scaler.transform(ds.X_train), ds.scaler.transform(ds.X_test)
    n_outputs, loss = output_and_loss(config, ds.task, ds.n_outputs)
    model = build_model(config, ds.n_features, n_outputs)
    loss = nn.losses.get(loss)  # fit refuses it before training if it does not fit the output
    optimizer = nn.optimizers.get(config.optimizer, lr=config.lr, clip_norm=config.clip_norm)
    val_split = config.val_split
    if val_split is None:
        val_split = 0.1 if len(X_train) >= 100 else 0.0
    n_val = int(round(len(X_train) * val_split))
    recorders = _recorders(config, ds, np.vstack([ds.X_train, ds.X_test])) if record else {}
    watchers = [nn.NeuronStats(), *([nn.GradientStats()] if record else []), *recorders.values()]
    start = time.perf_counter()
    history = nn.fit(model, X_train, ds.y_train, loss=loss, optimizer=optimizer,
                     epochs=config.epochs, batch_size=config.batch_size,
                     validation_split=val_split, seed=config.seeds[0], l1=config.l1,
                     l2=config.l2,
                     callbacks=[*_schedule_callback(config), *watchers, *callbacks])
    seconds = time.perf_counter() - start
    n_fit = len(X_train) - n_val
    figures = {"train": measure(model, loss, X_train[:n_fit], ds.y_train[:n_fit], ds.task)}
    if n_val:
        figures["validation"] = measure(model, loss, X_train[n_fit:], ds.y_train[n_fit:], ds.task)
    figures["test"] = measure(model, loss, X_test, ds.y_test, ds.task)
    return TrainResult(config, model, history, ds, figures, seconds, recorders)


def alive_units(result: TrainResult) -> dict[int, tuple[np.ndarray, int]]:
    """Hidden layer k -> (alive ReLU units at the last epoch per replica, layer width)."""
    h = result.history
    return {k: (h[f"alive.{k}"][-1], result.config.layers[k - 1])
            for k in range(1, len(result.config.layers) + 1) if f"alive.{k}" in h}
