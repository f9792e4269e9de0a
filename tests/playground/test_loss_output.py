"""The playground refuses a loss and output that do not fit, with the engine's own check."""

import numpy as np
import pytest

from mlplab.nn.losses import SOFTMAX_TWICE
from mlplab.playground import exports
from mlplab.playground.config import validate
from mlplab.playground.session import Session


@pytest.mark.parametrize("raw,message", [
    ({"output": "softmax"}, SOFTMAX_TWICE),
    ({"loss": "nll"}, "loss='nll' does not fit output='linear' (2 outputs)"),
    ({"loss": "bce_logits", "output": "log_softmax"}, "loss='bce_logits' does not fit output='log_softmax'"),
    ({"output": "sigmoid"}, "output must be one of linear, softmax, log_softmax, step; received 'sigmoid'"),
])
def test_validation_refuses_a_mismatched_pair(raw, message):
    with pytest.raises(ValueError) as err:
        validate(raw)
    assert message in str(err.value)


def test_refused_pair_leaves_the_session_as_it_was():
    s = Session({"layers": [3]})
    s.train(2)
    weights = s.model.layers[0].params["W"].copy()
    with pytest.raises(ValueError, match="softmax would be applied twice"):
        s.configure({"output": "softmax"})
    assert (s.config.output, s.config.loss, s.epoch) == ("linear", "cross_entropy", 2)
    assert np.array_equal(s.model.layers[0].params["W"], weights)


def test_log_softmax_with_nll_trains_and_exports_its_command():
    s = Session({"layers": [3], "output": "log_softmax", "loss": "nll"})
    assert s.model.output_activation == "log_softmax" and s.model.n_outputs == 2
    s.train(3)
    assert s.epoch == 3 and np.isfinite(s.summary()["train_loss"])
    command = exports.export_command(s)["text"]
    assert "--loss nll --output log_softmax" in command
    assert exports.success_rate(s, epochs=2)["seeds"] == list(range(20))


def test_two_class_loss_refused_on_three_classes():
    s = Session()
    s.set_points([[1, 1, 0], [2, 2, 0], [-1, -1, 2], [-2, -2, 2], [0, 3, 1], [1, 3, 1]])
    with pytest.raises(ValueError, match=r"loss='bce_logits' .* is a two-class loss, but y holds "
                                         r"integer labels of 3 classes \(0, 1, 2\)"):
        s.configure({"loss": "bce_logits"})
    assert s.config.loss == "cross_entropy"


def test_single_class_points_are_answered_in_the_page_not_trained():
    s = Session()
    s.set_points([[1, 1, 0], [2, 2, 0], [-1, -1, 0], [0, 2, 0]])
    s.train(3)
    frame = s.frame()
    assert s.epoch == 0 and frame["status"] == "paused"
    assert "needs training labels of at least two classes" in frame["warning"]
    assert "are class 0" in frame["warning"]
    s.configure({"lr": 0.1})  # other settings still apply while the data have one class
    s.set_points([[x, x, x % 2] for x in range(-4, 4)])
    assert len(set(s.y_train)) == 2
    s.train(2)
    assert s.epoch == 2 and s.warning is None


def test_regression_takes_one_linear_output():
    c = validate({"problem": "regression", "output": "log_softmax", "loss": "nll"})
    assert (c.output, c.loss) == ("linear", "mse")
    assert validate({"problem": "regression", "loss": "huber"}).loss == "huber"
