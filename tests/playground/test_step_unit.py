"""The playground's step unit: lesson B's perceptron, trained by the perceptron rule,
only without hidden layers (issue 12)."""

import numpy as np
import pytest

from mlplab.nn import Perceptron
from mlplab.playground import exports
from mlplab.playground.config import validate
from mlplab.playground.presets import PRESETS
from mlplab.playground.session import Session

STEP = {"train_ratio": 1.0, "layers": [], "activations": [], "output": "step", "lr": 0.1}


def test_on_and_the_step_unit_follows_the_perceptron_rule_epoch_by_epoch():
    s = Session({**STEP, "dataset": "and_table"})
    X = s._inputs(s.X_train)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]  # lesson B's rows, in order
    s.train(50)
    # the same run as one Perceptron.fit with lesson B's start and step
    ref = Perceptron(lr=0.1, seed=0, init="small", rule=">=", max_epochs=50).fit(X, s.y_train)
    assert ref.converged_ and s.epoch == ref.n_iter_ == 6
    np.testing.assert_allclose(s.model.perceptron.weights_, ref.weights_)
    assert s.frame()["biases"] == [[round(ref.bias_, 4)]]
    assert s.status == "done" and s.warning.startswith("converged: epoch 6 made no mistake")
    # the curve's loss is the fraction wrong after each epoch, ending at 0
    assert [row[1] for row in s.curve][-1] == 0.0 and s.summary()["train_accuracy"] == 1.0


def test_on_xor_it_never_converges_and_stops_at_the_epoch_limit():
    s = Session({**STEP, "dataset": "xor_table", "epoch_limit": 40})
    s.train(100)
    assert s.epoch == 40 and s.status == "done"
    assert "still makes mistakes each epoch" in s.warning
    assert max(row[3] for row in s.curve) <= 0.75 and not s.model.converged


def test_its_frame_draws_one_step_unit_and_a_hard_boundary():
    s = Session({**STEP, "dataset": "gauss", "train_ratio": 0.5})
    s.train(20)
    f = s.frame()
    W = np.array(f["weights"][0])
    assert W.shape == (2, 1) and f["neurons"] == "" and f["grad_norms"] == []
    import base64
    m = np.frombuffer(base64.b64decode(f["map"]), dtype=np.uint8)
    assert set(np.unique(m)) == {0, 255}  # the step: each side of the line is one class
    assert f["summary"]["test_accuracy"] > 0.9 and f["summary"]["train_loss"] == pytest.approx(
        1 - f["summary"]["train_accuracy"])


@pytest.mark.parametrize("raw, words", [
    ({"output": "step", "layers": [2], "activations": ["tanh"]},
     r"output 'step' with hidden layers \[2\]: the step's derivative is 0 everywhere"),
    ({"layers": [3], "activations": ["step"]},
     r"activations\[0\] is 'step' \(hidden layer 1\): .*backpropagation passes no gradient"),
])
def test_validate_refuses_step_units_it_cannot_train_and_says_why(raw, words):
    with pytest.raises(ValueError, match=words):
        validate(raw)


def test_a_step_unit_on_three_classes_is_refused_and_new_data_fall_back():
    s = Session({"dataset": "blobs3"})
    with pytest.raises(ValueError, match=r"separates two classes; dataset 'blobs3' has 3"):
        s.configure({"output": "step", "layers": [], "activations": []})
    assert s.config.output == "linear" and s.config.layers == [4, 2]  # left as it was
    s = Session({**STEP, "dataset": "and_table"})
    s.configure({"dataset": "blobs3"})  # the data decide, as for regression
    assert s.config.output == "linear" and s.n_classes == 3


def test_lr_changes_live_and_edits_reach_the_perceptron():
    s = Session({**STEP, "dataset": "and_table"})
    s.configure({"lr": 1.0})
    assert s.model.perceptron.lr == 1.0
    s.edit_weight(0, 1, 0, 2.5)
    assert s.model.perceptron.weights_[1] == 2.5


def test_success_rate_and_command_of_a_step_unit():
    s = Session({**STEP, "dataset": "and_table"})
    r = exports.success_rate(s, epochs=50)
    assert r["successes"] == 20 and r["rule"] == "training accuracy > 95%"
    s = Session({**STEP, "dataset": "xor_table"})
    r = exports.success_rate(s, epochs=50)
    assert r["successes"] == 0 and max(r["scores"]) <= 0.75
    s.train(3)
    assert exports.export_command(s)["text"] == (
        "mlplab train playground-data.csv --perceptron --start small --rule '>=' --lr 0.1 "
        "--epochs 3 --seed 0 --scale none")
    with pytest.raises(ValueError, match="the step unit is a perceptron, not a network file"):
        exports.EXPORTS["model"](s)


def test_the_lesson_b_presets_do_what_their_why_says():
    by_name = {p["name"]: p for p in PRESETS}
    for name, converges in (("b-perceptron-and", True), ("b-perceptron-xor", False)):
        s = Session(by_name[name]["config"])
        s.train(500)
        assert s.model.converged is converges
        assert s.summary()["train_accuracy"] == (1.0 if converges else 0.5)
        assert ("rule stops" in by_name[name]["why"]) is converges


def test_partial_fit_continues_where_fit_would_go():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 1])
    full = Perceptron(lr=0.5, seed=3, init="small", max_epochs=4).fit(X, y)
    part = Perceptron(lr=0.5, seed=3, init="small")
    for _ in range(full.n_iter_):
        part.partial_fit(X, y)
    np.testing.assert_allclose(part.weights_, full.weights_)
    assert part.bias_ == full.bias_ and part.errors_ == full.errors_
    with pytest.raises(ValueError, match=r"X must have 2 features, as before; received shape \(4, 3\)"):
        part.partial_fit(np.ones((4, 3)), y)


def test_the_gif_of_a_perceptron_that_separates_at_once(recwarn):
    s = Session({**STEP, "dataset": "gauss", "train_ratio": 0.5})
    for _ in range(3):
        s.train(1)
        s.frame()
    assert s.curve[-1][1] == 0.0  # no mistake: the loss curve is 0 throughout
    import base64

    data = base64.b64decode(exports.export_gif(s)["data"])
    assert data[:6] == b"GIF89a"
    assert not [w for w in recwarn if "identical low and high ylims" in str(w.message)]
