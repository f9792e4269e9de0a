"""The playground's success rate judges seeds by the one success rule (nn.success)."""

import numpy as np

from mlplab.playground import exports
from mlplab.playground.session import Session


def test_success_rate_uses_training_accuracy_by_default_and_a_given_rule():
    s = Session({"layers": [2], "activations": ["relu"], "optimizer": "adam", "lr": 0.03})
    out = exports.success_rate(s, epochs=15)
    assert out["metric"] == "train_accuracy" and out["rule"] == "training accuracy > 95%"
    scores = np.array(out["scores"])
    np.testing.assert_array_equal(out["success"], scores > 0.95)
    assert out["successes"] == int((scores > 0.95).sum())
    out = exports.success_rate(s, epochs=15, rule="test_loss < 0.4")
    assert out["metric"] == "test_loss" and out["rule"] == "test loss < 0.4"
    np.testing.assert_array_equal(out["success"], np.array(out["scores"]) < 0.4)
