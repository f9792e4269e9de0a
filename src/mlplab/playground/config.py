"""The playground's settings, their bounds, and the check that enforces them.

Every value a client sends passes through :func:`validate`, which returns a clean
:class:`Config` or raises ``ValueError`` naming the setting, the rule and the value
received; the page shows that message. Sizes are bounded so that no client can
ask the server for more than a small laptop can give.
"""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass, field, fields

from ..nn import activations, initializers, losses, pairing
from .datasets import DATASETS, FEATURES, ONE_D, X1_FEATURES
from .step import refuse_hidden

LIMITS = {
    "hidden_layers": 6,
    "neurons": 32,  # lesson A's sliders go to 32
    "n_samples": 2000,
    "points": 2000,
    "epochs_per_frame": 100,
    "epoch_limit": 100_000,
    "upload_bytes": 200_000,
    "message_bytes": 400_000,
}
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw")  # engine registry names
LOSSES = ("cross_entropy", "mse", "huber", "mae", "focal", "nll", "bce_logits")
#: output layers the playground builds (one unit per class; a sigmoid on 2 classes would be
#: 1 unit, which the page does not draw): "linear" is logits; "step" is lesson B's perceptron,
#: one hard threshold unit trained by the perceptron rule, with no hidden layer (see step.py)
OUTPUTS = ("linear", "softmax", "log_softmax", "step")
SCHEDULES = ("none", "cosine", "step", "exponential")
REGULARIZATION = ("none", "l1", "l2")
EXTRA_DATASETS = ("points", "csv")  # drawn by the user, uploaded


@dataclass
class Config:
    dataset: str = "circle"
    n_samples: int = 500
    noise: float = 0.0
    train_ratio: float = 0.5
    data_seed: int = 0
    batch_size: int = 10
    features: list = field(default_factory=lambda: ["x1", "x2"])
    layers: list = field(default_factory=lambda: [4, 2])
    activations: list = field(default_factory=lambda: ["tanh", "tanh"])
    problem: str = "classification"
    loss: str = "cross_entropy"
    output: str = "linear"
    optimizer: str = "sgd"
    lr: float = 0.03
    regularization: str = "none"
    reg_rate: float = 0.0
    init: str = "xavier_uniform"
    dropout: float = 0.0
    batchnorm: bool = False
    clip_norm: float = 0.0
    schedule: str = "none"
    seed: int = 0
    epochs_per_frame: int = 1
    epoch_limit: int = 0
    early_stopping: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _int(name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be an integer from {lo} to {hi}; received {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer from {lo} to {hi}; received {value!r}")
    return int(value)


def _float(name, value, lo, hi, lo_open=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number from {lo} to {hi}; received {value!r}")
    value = float(value)
    if not (value > lo if lo_open else value >= lo) or not value <= hi or value != value:
        rule = f"above {lo}" if lo_open else f"from {lo}"
        raise ValueError(f"{name} must be a number {rule} to {hi}; received {value!r}")
    return value


def _choice(name, value, options):
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(str, options))}; received {value!r}")
    return value


def validate(raw: dict, base: Config | None = None) -> Config:
    """Merge ``raw`` into ``base`` (default: the defaults) and check every value."""
    if not isinstance(raw, dict):
        raise ValueError(f"config must be an object; received {type(raw).__name__}")
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; valid: {', '.join(sorted(known))}")
    c = Config(**{**(base or Config()).as_dict(), **raw})
    c.dataset = _choice("dataset", c.dataset, (*DATASETS, *EXTRA_DATASETS))
    c.n_samples = _int("n_samples", c.n_samples, 20, LIMITS["n_samples"])
    c.noise = _float("noise", c.noise, 0.0, 0.5)
    # up to 100%: lesson B trains on the 4 truth-table points and has no test set
    c.train_ratio = _float("train_ratio", c.train_ratio, 0.1, 1.0)
    c.data_seed = _int("data_seed", c.data_seed, 0, 2**31 - 1)
    c.batch_size = _int("batch_size", c.batch_size, 1, LIMITS["n_samples"])
    if not isinstance(c.features, list) or not c.features:
        raise ValueError(f"features must be a non-empty list of {', '.join(FEATURES)}; "
                         f"received {c.features!r}")
    for f in c.features:
        _choice("features", f, tuple(FEATURES))
    c.features = [f for f in FEATURES if f in c.features]  # canonical order, no repeats
    if c.dataset in ONE_D:  # the height is the target: the network may only see x
        c.features = [f for f in c.features if f in X1_FEATURES] or ["x1"]
    if not isinstance(c.layers, list) or len(c.layers) > LIMITS["hidden_layers"]:
        raise ValueError(f"layers must be a list of at most {LIMITS['hidden_layers']} hidden layers; "
                         f"received {c.layers!r}")
    c.layers = [_int(f"layers[{i}]", n, 1, LIMITS["neurons"]) for i, n in enumerate(c.layers)]
    acts = c.activations if isinstance(c.activations, list) else [c.activations] * len(c.layers)
    if len(acts) < len(c.layers):  # a new layer takes the last activation
        acts = acts + [acts[-1] if acts else "tanh"] * (len(c.layers) - len(acts))
    names = tuple(a for a in activations.names() if a not in ("softmax", "log_softmax"))
    for i, a in enumerate(acts[:len(c.layers)]):
        if a == "step":
            raise ValueError(refuse_hidden(f"activations[{i}] is 'step' (hidden layer {i + 1})"))
    c.activations = [_choice(f"activations[{i}]", a, names) for i, a in enumerate(acts[:len(c.layers)])]
    c.problem = _choice("problem", c.problem, ("classification", "regression"))
    c.loss = _choice("loss", c.loss, LOSSES)
    c.output = _choice("output", c.output, OUTPUTS)
    if c.problem == "regression":  # the problem decides: one linear output (a softmax of one
        c.output = "linear"          # number is 1), and mse unless a regression loss was chosen
        c.loss = "mse" if losses.get(c.loss).classification else c.loss
    # the engine's own check (as in fit): e.g. nll on logits, softmax then cross_entropy;
    # the session checks the labels (two-class losses, one class) against its data
    if c.output == "step":  # a perceptron: the rule, not a loss, trains it
        if c.layers:
            raise ValueError(refuse_hidden(f"output 'step' with hidden layers {c.layers}"))
    else:
        pairing.check_output(c.loss, c.output, 1 if c.problem == "regression" else 2)
    c.optimizer = _choice("optimizer", c.optimizer, OPTIMIZERS)
    c.lr = _float("lr", c.lr, 0.0, 10.0, lo_open=True)
    c.regularization = _choice("regularization", c.regularization, REGULARIZATION)
    c.reg_rate = _float("reg_rate", c.reg_rate, 0.0, 10.0)
    c.init = _choice("init", c.init, tuple(initializers.names()))
    c.dropout = _float("dropout", c.dropout, 0.0, 0.9)
    if not isinstance(c.batchnorm, bool):
        raise ValueError(f"batchnorm must be true or false; received {c.batchnorm!r}")
    c.clip_norm = _float("clip_norm", c.clip_norm, 0.0, 100.0)
    c.schedule = _choice("schedule", c.schedule, SCHEDULES)
    c.seed = _int("seed", c.seed, 0, 2**31 - 1)
    c.epochs_per_frame = _int("epochs_per_frame", c.epochs_per_frame, 1, LIMITS["epochs_per_frame"])
    c.epoch_limit = _int("epoch_limit", c.epoch_limit, 0, LIMITS["epoch_limit"])
    if not isinstance(c.early_stopping, bool):
        raise ValueError(f"early_stopping must be true or false; received {c.early_stopping!r}")
    return c


def output_layer(c: Config) -> str | None:
    """The ``mlp(output=...)`` argument for ``c.output`` (None: a linear last layer)."""
    if c.output == "step":
        raise ValueError("output 'step' is a perceptron, not an mlp output layer")
    return None if c.output == "linear" else c.output


#: settings that need new data, a new network, or neither (applied live)
DATA_KEYS = {"dataset", "n_samples", "noise", "train_ratio", "data_seed", "problem"}
MODEL_KEYS = {"features", "layers", "activations", "init", "dropout", "batchnorm", "seed", "output"}
