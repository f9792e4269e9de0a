"""What counts as a successful run: one rule for the CLI, pictures, reports and playground.

A rule compares one figure of a run with a threshold, e.g. ``train_accuracy > 0.95``
(the default, as lesson A judges its seeds: accuracy on all the training points after
the last step). The figure is named ``<split>_<measure>``: split ``train``,
``validation`` (or ``val``) or ``test``; measure ``accuracy``, ``loss`` or ``rmse``.

>>> rule = get("train_accuracy > 0.95")
>>> rule(np.array([0.96, 0.95, 1.0])).tolist()
[True, False, True]
>>> rule.describe()
'training accuracy > 95%'
>>> get(None) == DEFAULT
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

#: comparison operators a rule may use
OPERATORS = {">": np.greater, ">=": np.greater_equal, "<": np.less, "<=": np.less_equal}
SPLITS = {"train": "train", "validation": "validation", "val": "validation", "test": "test"}
MEASURES = ("accuracy", "loss", "rmse")
_WORDS = {"train": "training", "validation": "validation", "test": "test"}
_RULE = re.compile(r"^\s*([a-z0-9_]+)\s*(>=|<=|>|<)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Success:
    """``figure(split, measure) op threshold``; call it on the figure's values."""

    split: str = "train"
    measure: str = "accuracy"
    op: str = ">"
    threshold: float = 0.95

    def __post_init__(self):
        if self.split not in SPLITS:
            raise ValueError(f"success split must be one of {', '.join(SPLITS)}; "
                             f"received {self.split!r}")
        object.__setattr__(self, "split", SPLITS[self.split])
        if self.measure not in MEASURES:
            raise ValueError(f"success measure must be one of {', '.join(MEASURES)}; "
                             f"received {self.measure!r}")
        if self.op not in OPERATORS:
            raise ValueError(f"success operator must be one of {', '.join(OPERATORS)}; "
                             f"received {self.op!r}")
        threshold = float(self.threshold)
        if not np.isfinite(threshold):
            raise ValueError(f"success threshold must be a finite number; received {self.threshold!r}")
        object.__setattr__(self, "threshold", threshold)

    @property
    def metric(self) -> str:
        """The figure's name, e.g. ``"train_accuracy"``."""
        return f"{self.split}_{self.measure}"

    def __call__(self, values) -> np.ndarray:
        """Boolean array: which of ``values`` (the figure per replica) succeed.

        NaN (a diverged run) never succeeds."""
        values = np.asarray(values, dtype=float)
        return OPERATORS[self.op](np.nan_to_num(values, nan=-np.inf if self.op[0] == ">" else np.inf),
                                  self.threshold)

    def of(self, figures: dict) -> np.ndarray:
        """Apply the rule to ``figures`` shaped ``{split: {measure: values}}`` (as
        ``TrainResult.figures``); a missing split or measure is a clear error."""
        try:
            values = figures[self.split][self.measure]
        except KeyError:
            raise ValueError(f"the success rule {self} needs the {self.split} {self.measure}, "
                             f"which this run does not have (it has: "
                             f"{', '.join(f'{s}_{m}' for s, d in figures.items() for m in d)})") from None
        return self(values)

    def describe(self) -> str:
        """Words for titles and summaries: ``'training accuracy > 95%'``."""
        value = f"{self.threshold:.4g}"
        if self.measure == "accuracy" and 0 <= self.threshold <= 1:
            value = f"{self.threshold * 100:.4g}%"
        return f"{_WORDS[self.split]} {self.measure} {self.op} {value}"

    def __str__(self):
        return f"{self.metric} {self.op} {self.threshold:g}"


DEFAULT = Success()


def parse(text: str) -> Success:
    """``"train_accuracy > 0.95"`` -> :class:`Success` (also ``val_loss < 0.1`` ...)."""
    m = _RULE.match(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError("success must read '<split>_<measure> <op> <number>', e.g. "
                         f"'train_accuracy > 0.95'; received {text!r}")
    name, op, number = m.groups()
    split, _, measure = name.partition("_")
    try:
        threshold = float(number)
    except ValueError:
        raise ValueError(f"success threshold must be a number; received {number!r} in {text!r}") from None
    return Success(split, measure, op, threshold)


def get(rule=None) -> Success:
    """``None`` -> :data:`DEFAULT`; a string -> :func:`parse`; a :class:`Success` as it is."""
    if rule is None:
        return DEFAULT
    if isinstance(rule, Success):
        return rule
    if isinstance(rule, str):
        return parse(rule)
    raise TypeError(f"success must be a rule such as 'train_accuracy > 0.95' or a Success; "
                    f"received {rule!r}")
