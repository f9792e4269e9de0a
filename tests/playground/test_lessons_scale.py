"""The playground at the lessons' scale: 32 units a layer, 100% training data, lesson A's
disc and ring at its own scale, the XOR truth table, presets (issue 12)."""

import numpy as np
import pytest

from mlplab.data import disc_ring
from mlplab.playground import datasets
from mlplab.playground.config import validate
from mlplab.playground.presets import PRESETS, presets
from mlplab.playground.session import Session


def test_thirty_two_units_and_all_the_data_for_training():
    c = validate({"layers": [32, 32], "train_ratio": 1.0})
    assert c.layers == [32, 32] and c.train_ratio == 1.0
    with pytest.raises(ValueError, match=r"train_ratio must be a number from 0.1 to 1.0; received 1.5"):
        validate({"train_ratio": 1.5})
    s = Session({"dataset": "xor_table", "train_ratio": 1.0})
    assert len(s.X_train) == 4 and len(s.X_test) == 0
    assert set(s.summary()) == {"train_loss", "train_accuracy"}


def test_the_network_sees_lesson_a_disc_and_ring_at_its_own_scale():
    s = Session({"dataset": "circle", "n_samples": 300, "train_ratio": 1.0, "features": ["x1", "x2"]})
    inputs = s._inputs(s.X_train)
    # the view draws it x5; the network gets the lesson's coordinates back
    np.testing.assert_allclose(inputs, s.X_train / 5, rtol=1e-6)
    radius = np.sqrt((inputs ** 2).sum(1))
    lesson = np.sqrt((disc_ring(n_samples=300, seed=0)[0] ** 2).sum(1))
    assert abs(np.percentile(radius, 90) - np.percentile(lesson, 90)) < 0.1
    assert datasets.input_scale("moons") == 1.0


def test_xor_truth_table_reaches_the_network_as_zeros_and_ones():
    s = Session({"dataset": "xor_table", "train_ratio": 1.0})
    got = sorted(map(tuple, np.round(s._inputs(s.X_train)).astype(int).tolist()))
    assert got == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_every_preset_is_valid_named_once_and_says_why():
    names = [p["name"] for p in PRESETS]
    assert len(names) == len(set(names))
    for p in presets():
        assert p["lesson"] in "ABCDE" and len(p["why"]) > 40 and p["title"]
        assert p["config"] == validate(p["config"]).as_dict()


def _preset(name):
    return next(p for p in presets() if p["name"] == name)


def test_the_xor_presets_show_what_they_say():
    hidden = Session(_preset("b-xor-2-hidden")["config"])
    hidden.train(600)
    assert hidden.summary()["train_accuracy"] == 1.0
    flat = Session(_preset("b-xor-no-hidden")["config"])
    flat.train(600)
    assert flat.summary()["train_accuracy"] <= 0.75  # one line: never all four


def test_lesson_a_presets_succeed_as_often_as_the_lesson_says():
    from mlplab.playground import exports
    narrow = exports.success_rate(Session(_preset("a-disc-ring-4-4")["config"]))
    wide = exports.success_rate(Session(_preset("a-disc-ring-8-8")["config"]))
    assert narrow["epochs"] == 300 and narrow["rule"] == "training accuracy > 95%"
    # at the lesson's scale 2-4-4-2 fails on some seeds (x5 inputs made it 20 of 20)
    assert 8 <= narrow["successes"] <= 17
    assert wide["successes"] >= 19


def test_one_d_regression_line_sees_x_only_and_fits_the_line():
    s = Session({"dataset": "reg_line", "features": ["x1", "x2", "x1*x2"], "layers": [],
                 "activations": [], "optimizer": "adam", "lr": 0.01, "train_ratio": 1.0,
                 "batch_size": 50})
    assert s.task == "regression" and s.config.features == ["x1"]  # the height is the target
    np.testing.assert_allclose(s.y_train, s.X_train[:, 1] / datasets.DOMAIN, rtol=1e-6)
    s.train(300)
    w = s.model.layers[0].params["W"][0, 0] * datasets.DOMAIN
    b = s.model.layers[0].params["b"][0, 0] * datasets.DOMAIN
    # the least-squares line of the points drawn (MSE), slope about lesson C's 2 per unit of x
    # in the view's units (2 * 0.9 / 2.4 = 0.75)
    slope, intercept = np.polyfit(s.X_train[:, 0], s.X_train[:, 1], 1)
    assert abs(slope - 0.75) < 0.05
    assert abs(w - slope) < 0.02 and abs(b - intercept) < 0.02
    assert s.data_message()["one_d"] is True
