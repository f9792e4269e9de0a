"""A perceptron run on a named dataset: what ``mlplab train DATASET --perceptron`` does.

``run_perceptron(PerceptronConfig(dataset="and", lr=0.1, init="small", rule=">=",
seed=42))`` loads the data (two classes), fits :class:`mlplab.nn.Perceptron` on the
scaled training rows and measures it; the result carries the fitted perceptron, its
mistakes per epoch and its weights after every epoch (for the pictures).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import catalog
from ..nn import Perceptron


@dataclass
class PerceptronConfig:
    """Everything that defines a perceptron run; defaults are lesson B's (lr 0.1, up to
    100 epochs) but the start (zeros) and the rule (``>``) are the classic ones."""

    dataset: str = "and"
    lr: float = 0.1
    epochs: int = 100
    init: str = "zeros"     # or "small": 0.01 N(0, 1) from np.random.seed(seed), as lesson B
    rule: str = ">"         # or ">=": w.x + b = 0 predicts class 1, as lesson B
    seed: int = 0
    shuffle: bool = False
    test_size: float = 0.2
    data_options: dict = field(default_factory=dict)


@dataclass
class PerceptronResult:
    config: PerceptronConfig
    model: Perceptron
    dataset: catalog.Dataset
    path: list            # (w, b) at the start and after every epoch
    train_accuracy: float
    test_accuracy: float | None


def run_perceptron(config: PerceptronConfig) -> PerceptronResult:
    """Load, scale, fit and measure (see the module docstring)."""
    ds = catalog.load(config.dataset, seed=config.seed, test_size=config.test_size,
                      **config.data_options)
    if ds.task != "classification" or len(ds.classes) != 2:
        what = "regression targets" if ds.classes is None else f"{len(ds.classes)} classes"
        raise ValueError(f"a perceptron separates two classes; dataset {config.dataset!r} has {what}")
    X = ds.scaler.transform(ds.X_train)
    model = Perceptron(lr=config.lr, max_epochs=config.epochs, shuffle=config.shuffle,
                       seed=config.seed, init=config.init, rule=config.rule)
    path = []
    model.fit(X, ds.y_train, on_epoch=lambda w, b: path.append((w.copy(), float(b))))
    test = model.score(ds.scaler.transform(ds.X_test), ds.y_test) if len(ds.y_test) else None
    return PerceptronResult(config, model, ds, path, model.score(X, ds.y_train), test)
