"""The one success rule shared by the CLI, pictures, reports and playground."""

import numpy as np
import pytest

from mlplab.nn import success


def test_default_is_training_accuracy_strictly_above_95_percent():
    rule = success.get(None)
    assert rule.metric == "train_accuracy"
    assert rule(np.array([0.95, 0.9501, 1.0, np.nan])).tolist() == [False, True, True, False]


@pytest.mark.parametrize("text, metric, op, threshold, values, expected", [
    ("test_accuracy >= 0.9", "test_accuracy", ">=", 0.9, [0.9, 0.89], [True, False]),
    ("val_loss < 0.1", "validation_loss", "<", 0.1, [0.05, 0.1, np.nan], [True, False, False]),
    ("train_rmse<=2", "train_rmse", "<=", 2.0, [2.0, 2.5], [True, False]),
])
def test_parse_and_apply(text, metric, op, threshold, values, expected):
    rule = success.parse(text)
    assert (rule.metric, rule.op, rule.threshold) == (metric, op, threshold)
    assert rule(values).tolist() == expected


def test_of_reads_figures_and_names_a_missing_split():
    figures = {"train": {"loss": np.array([0.1, 0.7]), "accuracy": np.array([0.99, 0.5])}}
    assert success.DEFAULT.of(figures).tolist() == [True, False]
    with pytest.raises(ValueError, match="needs the test accuracy.*train_loss, train_accuracy"):
        success.parse("test_accuracy > 0.9").of(figures)


def test_describe():
    assert success.DEFAULT.describe() == "training accuracy > 95%"
    assert success.parse("val_loss < 0.25").describe() == "validation loss < 0.25"


@pytest.mark.parametrize("text, message", [
    ("accuracy > 0.9", "split must be one of"),
    ("train_f1 > 0.9", "measure must be one of"),
    ("train_accuracy = 0.9", "must read"),
    ("train_accuracy > nan", "finite"),
])
def test_bad_rules_are_named(text, message):
    with pytest.raises(ValueError, match=message):
        success.parse(text)
    with pytest.raises(TypeError, match="received 0.95"):
        success.get(0.95)
