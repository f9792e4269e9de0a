"""One training run described by a plain config: what ``mlplab train`` does.

``run_training(TrainConfig(dataset="mnist", layers=(128, 64), epochs=5))`` loads
the data, scales it, builds the network, trains it (with the given callbacks),
measures it on train / validation / test data and returns a :class:`TrainResult`.
``TrainConfig.command()`` is the ``mlplab train`` line that reproduces the run.

With several seeds every replica gets its own data draw, split, scaler and shuffle
(:func:`mlplab.data.catalog.load_seeds`), so replica ``k`` of ``seeds=(0, ..., 19)``
is, weight for weight, the run ``seeds=(k,)`` gives alone. (With early stopping the
replicated run stops when every replica has run out of patience, so a replica may
train past the epoch where its single run stopped.)
"""

from __future__ import annotations

import shlex
import time
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from .. import nn
from ..data import catalog, tables
from ..nn import metrics, pairing
from ..nn import success as rules
from . import spec

SCHEDULES = ("none", *nn.schedules.names())
SCALES = ("auto", "none", "zscore", "minmax", "robust")
#: at most this many seeds (replicas) in one run
MAX_SEEDS = 10_000
#: a schedule named without parameters takes these, from the number of epochs
SCHEDULE_DEFAULTS = {
    "cosine": lambda epochs: {"t_max": epochs},                         # to 0 at the last epoch
    "step": lambda epochs: {"step_size": max(1, epochs // 3), "gamma": 0.1},  # x0.1 every third
    "exponential": lambda epochs: {"gamma": 0.9},
}
#: optimizers that take a momentum
MOMENTUM_OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop")
OUTPUTS = pairing.OUTPUT_KINDS  # linear (logits), sigmoid, softmax, log_softmax


@dataclass
class TrainConfig:
    """Everything that defines a run; defaults are ``mlplab train``'s."""

    dataset: str = "disc_ring"
    layers: tuple[int, ...] = (32, 32)
    activation: str = "relu"           # or one per hidden layer: "relu,tanh"
    optimizer: str = "adam"
    lr: float = 1e-3
    batch_size: int | None = 64      # None: full batch (every training row in one step)
    epochs: int = 10
    seeds: tuple[int, ...] = (0,)
    loss: str | None = None          # None: the loss that fits the output (see output_and_loss)
    output: str | None = None        # None: linear outputs (logits); or sigmoid, softmax, log_softmax
    init: str = "he_normal"          # an initializer spec: "normal:0.5" (see lab.spec)
    dropout: float = 0.0
    batchnorm: bool = False
    l1: float = 0.0
    l2: float = 0.0
    clip_norm: float | None = None
    schedule: str = "none"           # "none" or a schedule spec: "step:10:0.5", "cosine"
    val_split: float | None = None   # None: 0.1 when the training set has >= 100 rows
    test_size: float = 0.2           # for datasets without an official test split; 0: none
    scale: str = "auto"              # auto: the dataset's own scaler
    clip_value: float | None = None  # clip every gradient element to [-v, v]
    patience: int | None = None      # early stopping: epochs without improvement
    min_delta: float = 0.0           # early stopping: the improvement that counts
    n_samples: int | None = None     # generated datasets: rows drawn (default: the dataset's)
    noise: float | None = None       # generated datasets: noise (default: the dataset's)
    data_seed: int | None = None     # generated datasets: seed of the draw (default: each run's seed)
    task: str | None = None          # CSV files: classification | regression (None: inferred)
    success: str | None = None       # rule text; None: the default rule (nn.success.DEFAULT)
    rng: str = "numpy"               # initial weights: numpy, or torch (PyTorch's draws; init torch)
    data_rng: str | None = None      # generated datasets: legacy = the lessons' np.random draws
    momentum: float | None = None    # sgd/rmsprop momentum (None: the optimizer's default)
    weight_decay: float | None = None  # optimizer weight decay (None: the optimizer's default)
    dtype: str = "float32"           # or "float64"

    def __post_init__(self):
        self.layers = tuple(int(n) for n in self.layers)
        if any(n < 1 for n in self.layers):
            raise ValueError(f"layers must be positive widths (none for a linear model); "
                             f"received layers={self.layers}")
        self.seeds = tuple(int(s) for s in self.seeds)
        if not self.seeds:
            raise ValueError("seeds must hold at least one seed; received an empty list")
        if len(self.seeds) > MAX_SEEDS:
            raise ValueError(f"seeds may hold at most {MAX_SEEDS:,} seeds; received {len(self.seeds):,}")
        if min(self.seeds) < 0:
            raise ValueError(f"seeds must be integers >= 0; received {min(self.seeds)}")
        twice = first_repeat(self.seeds)
        if twice is not None:
            raise ValueError(f"seeds must be distinct; seed {twice} is given twice")
        if self.schedule != "none":
            self.schedule = self.schedule.strip().lower()
            schedule = build_schedule(self.schedule, self.epochs)
            zero = next((t for t in range(self.epochs) if not schedule(self.lr, t) > 0), None)
            if zero is not None:
                raise ValueError(f"schedule {self.schedule!r} brings the learning rate to 0 at epoch "
                                 f"{zero + 1} of {self.epochs}; give a period of at least the "
                                 f"number of epochs, or a floor (cosine:T:eta_min)")
        if self.output is not None and self.output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)} (or None for linear); "
                             f"received output={self.output!r}")
        init = spec.build(nn.initializers.registry, self.init, "init")
        if self.rng not in nn.sequential.DRAWS:
            raise ValueError(f"rng must be one of {', '.join(nn.sequential.DRAWS)}; "
                             f"received rng={self.rng!r}")
        if self.rng == "torch" and init.name != "torch":
            raise ValueError(f"rng 'torch' draws nn.Linear's default initial weights, so it needs "
                             f"init 'torch'; received init={self.init!r}")
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}; received scale={self.scale!r}")
        if not 0 <= self.test_size < 1:
            raise ValueError(f"test_size must be in [0, 1); received test_size={self.test_size}")
        if self.val_split is not None and not 0 <= self.val_split < 1:
            raise ValueError(f"val_split must be in [0, 1); received val_split={self.val_split}")
        if self.patience is None and self.min_delta:
            raise ValueError(f"min_delta is the improvement early stopping waits for; give "
                             f"patience too; received min_delta={self.min_delta}")
        if not self.layers and (self.dropout or self.batchnorm):
            option = f"dropout={self.dropout}" if self.dropout else "batchnorm=True"
            raise ValueError(f"{option.split('=')[0]} acts on hidden layers, and a linear model "
                             f"(layers=()) has none; received {option}")
        if self.task is not None and self.task not in tables.TASKS:
            raise ValueError(f"task must be one of {', '.join(tables.TASKS)}; received task={self.task!r}")
        if self.success is not None:
            self.success = str(rules.get(self.success))
        if self.dtype not in ("float32", "float64"):
            raise ValueError(f"dtype must be float32 or float64; received dtype={self.dtype!r}")
        self.optimizer_options()  # refuses a momentum the optimizer does not take

    def optimizer_options(self) -> dict:
        """The optimizer's options this config sets (momentum, weight_decay, clipping)."""
        options = {"clip_norm": self.clip_norm, "clip_value": self.clip_value}
        if self.weight_decay is not None:
            options["weight_decay"] = self.weight_decay
        if self.momentum is not None:
            if self.optimizer not in MOMENTUM_OPTIMIZERS:
                raise ValueError(f"momentum is an option of {', '.join(MOMENTUM_OPTIMIZERS)}; "
                                 f"received momentum={self.momentum} with "
                                 f"optimizer={self.optimizer!r}")
            options["momentum"] = self.momentum
        return options

    @property
    def success_rule(self) -> rules.Success:
        """The rule that judges a run (the default one when ``success`` is None)."""
        return rules.get(self.success)

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
                parts += [flag, ",".join(map(str, value)) or "0"]
            elif f.name == "seeds":
                parts += ["--seed", str(value[0])] if len(value) == 1 else [flag, seed_ranges(value)]
            elif isinstance(value, bool):
                parts += [flag] if value else []
            elif f.name == "batch_size" and value is None:
                parts += [flag, "full"]
            else:
                parts += [flag, shlex.quote(str(value))]
        return " ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)


def first_repeat(values):
    """The first value seen twice in ``values``, or None."""
    seen = set()
    for v in values:
        if v in seen:
            return v
        seen.add(v)
    return None


def seed_ranges(seeds) -> str:
    """``(0, 1, 2, 3, 7)`` -> ``"0-3,7"`` (what ``--seeds`` reads)."""
    runs, seeds = [], list(seeds)
    start = prev = seeds[0]
    for s in [*seeds[1:], None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if s is not None:
            start = prev = s
    return ",".join(runs)


@dataclass
class TrainResult:
    config: TrainConfig
    model: nn.Sequential
    history: nn.History
    dataset: catalog.Dataset
    figures: dict = field(default_factory=dict)   # split -> {"loss": ..., "accuracy": ...}
    seconds: float = 0.0
    recorders: dict = field(default_factory=dict)  # "boundary", "weights" when recorded
    early_stopping: nn.EarlyStopping | None = None  # its best_epoch, when --patience
    n_val: int = 0                                  # the last n_val training rows validated

    @property
    def success_rule(self) -> rules.Success:
        return self.config.success_rule

    def succeeded(self) -> np.ndarray:
        """Which replicas meet the success rule (a bool per replica, 0-d for one seed)."""
        return self.success_rule.of(self.figures)

    def meta(self) -> dict:
        """What a saved model carries to be used again (``mlplab evaluate/predict``).

        With several seeds the scaler holds one offset and scale per replica
        (``(R, 1, f)``) and ``seeds`` lists the replicas' seeds; evaluate and predict
        take single models (train seed k alone: it is replica k)."""
        ds, cfg = self.dataset, self.config
        split = {"seed": cfg.seeds[0], "test_size": cfg.test_size,
                 **{k: getattr(cfg, k) for k in catalog.DATA_OPTIONS if getattr(cfg, k) is not None}}
        return {"dataset": ds.name, "classes": ds.classes, "features": ds.feature_names,
                "scaler": ds.scaler.config(), "task": ds.task, "split": split,
                "seeds": list(cfg.seeds), "success": str(cfg.success_rule),
                "train_config": cfg.as_dict(), "command": cfg.command()}


def build_schedule(text: str, epochs: int) -> nn.schedules.Schedule:
    """A schedule spec (``"step:10:0.5"``); parameters it leaves out come from
    ``SCHEDULE_DEFAULTS`` for the run's number of epochs."""
    name, _ = spec.parse(nn.schedules.registry, text, "schedule")
    defaults = SCHEDULE_DEFAULTS.get(name, lambda n: {})(epochs)
    return spec.build(nn.schedules.registry, text, "schedule", **defaults)


def _schedule_callback(config):
    if config.schedule == "none":
        return []
    return [nn.LRScheduler(build_schedule(config.schedule, config.epochs))]


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
                  init=spec.build(nn.initializers.registry, config.init, "init"),
                  seed=seeds if len(seeds) > 1 else seeds[0],
                  dropout=config.dropout, batchnorm=config.batchnorm, rng=config.rng,
                  dtype=config.dtype)


def load_data(config: TrainConfig, **options) -> catalog.Dataset:
    """The run's data: one draw, split and scaler per seed (shared when the dataset
    does not depend on the seed), as :func:`~mlplab.data.catalog.load_seeds`."""
    return catalog.load_seeds(
        config.dataset, config.seeds, test_size=config.test_size,
        scale=None if config.scale == "auto" else config.scale, task=config.task,
        **{k: getattr(config, k) for k in catalog.DATA_OPTIONS}, **options)


def _check_success(rule, ds, n_val):
    """Refuse, before training, an asked-for success rule about a figure the run
    will not have (the default rule is only applied where it makes sense)."""
    has = {"train": True, "validation": n_val > 0, "test": ds.n_test > 0}
    if not has[rule.split]:
        why = "--val-split is 0" if rule.split == "validation" else "--test-size is 0"
        raise ValueError(f"success rule '{rule}' needs {rule.split} figures, and this run has "
                         f"none ({why})")
    wrong = "accuracy" if ds.task == "regression" else "rmse"
    if rule.measure == wrong:
        raise ValueError(f"success rule '{rule}' measures {wrong}, which a {ds.task} run does "
                         f"not have; use {'rmse or loss' if wrong == 'accuracy' else 'accuracy or loss'}")


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
    if ds.n_features == 2 and ds.task == "classification":  # X_raw may be (R, n, 2): Grid pools it
        out["boundary"] = BoundaryRecorder(Grid.around(X_raw), every=every,
                                           transform=ds.scaler.transform)
    if ds.n_features == 1 and ds.task == "regression":  # the fitted curve y = f(x)
        from ..viz.regression import CurveRecorder  # pictures are asked for: matplotlib is there

        out["curve"] = CurveRecorder(X_raw, every=every, transform=ds.scaler.transform)
    if sum(config.layers) <= 40 and ds.n_features <= 8 and ds.n_outputs <= 8:
        out["weights"] = WeightRecorder(every=max(1, config.epochs // 50))
    return out


def run_training(config: TrainConfig, callbacks=(), data_options=None,
                 record: bool = False) -> TrainResult:
    """Load, scale, build, train and measure (see the module docstring).

    With ``record``, also collect what pictures need: gradient statistics, the
    decision-boundary film (2-D data) and weight snapshots (small networks).
    """
    ds = load_data(config, **(data_options or {}))
    val_split = config.val_split
    if val_split is None:
        val_split = 0.1 if ds.n_train >= 100 else 0.0
    n_val = int(round(ds.n_train * val_split))
    if config.success is not None:
        _check_success(config.success_rule, ds, n_val)
    X_train, X_test = ds.scaler.transform(ds.X_train), ds.scaler.transform(ds.X_test)
    n_outputs, loss = output_and_loss(config, ds.task, ds.n_outputs)
    model = build_model(config, ds.n_features, n_outputs)
    loss = nn.losses.get(loss)  # fit refuses it before training if it does not fit the output
    optimizer = nn.optimizers.get(config.optimizer, lr=config.lr, **config.optimizer_options())
    stopper = None
    if config.patience is not None:
        stopper = nn.EarlyStopping(monitor="val_loss" if n_val else "loss",
                                   patience=config.patience, min_delta=config.min_delta)
    recorders = (_recorders(config, ds, np.concatenate([ds.X_train, ds.X_test], axis=-2))
                 if record else {})
    watchers = [nn.NeuronStats(), *([nn.GradientStats()] if record else []), *recorders.values()]
    start = time.perf_counter()
    history = nn.fit(model, X_train, ds.y_train, loss=loss, optimizer=optimizer,
                     epochs=config.epochs, batch_size=config.batch_size,
                     validation_split=val_split, l1=config.l1,  # shuffles from model.seeds
                     l2=config.l2,
                     callbacks=[*_schedule_callback(config), *([stopper] if stopper else []),
                                *watchers, *callbacks])
    seconds = time.perf_counter() - start
    n_fit = ds.n_train - n_val
    figures = {"train": measure(model, loss, X_train[..., :n_fit, :], ds.y_train[..., :n_fit],
                                ds.task)}
    if n_val:
        figures["validation"] = measure(model, loss, X_train[..., n_fit:, :],
                                        ds.y_train[..., n_fit:], ds.task)
    if ds.n_test:
        figures["test"] = measure(model, loss, X_test, ds.y_test, ds.task)
    return TrainResult(config, model, history, ds, figures, seconds, recorders, stopper, n_val)


def alive_units(result: TrainResult) -> dict[int, tuple[np.ndarray, int]]:
    """Hidden layer k -> (alive ReLU units at the last epoch per replica, layer width)."""
    h = result.history
    return {k: (h[f"alive.{k}"][-1], result.config.layers[k - 1])
            for k in range(1, len(result.config.layers) + 1) if f"alive.{k}" in h}
