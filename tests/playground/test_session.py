import base64
import csv
import io

import numpy as np
import pytest

from mlplab import nn
from mlplab.playground import exports
from mlplab.playground.config import Config, validate
from mlplab.playground.session import NEURON_RES, RES, Session


def _decode(s):
    return np.frombuffer(base64.b64decode(s), dtype=np.uint8)


@pytest.mark.parametrize("raw,message", [
    ({"layers": [2] * 7}, "layers must be a list of at most 6 hidden layers"),
    ({"layers": [33]}, r"layers\[0\] must be an integer from 1 to 32; received 33"),
    ({"layers": [0]}, r"layers\[0\] must be an integer from 1 to 32; received 0"),
    ({"n_samples": 5000}, "n_samples must be an integer from 20 to 2000; received 5000"),
    ({"epochs_per_frame": 1000}, "epochs_per_frame must be an integer from 1 to 100; received 1000"),
    ({"lr": 0}, "lr must be a number above 0.0 to 10.0; received 0.0"),
    ({"lr": "fast"}, "lr must be a number from 0.0 to 10.0; received 'fast'"),
    ({"dataset": "mnist"}, "dataset must be one of circle, xor"),
    ({"features": []}, "features must be a non-empty list"),
    ({"features": ["x3"]}, "features must be one of x1, x2"),
    ({"activations": ["softmax"]}, r"activations\[0\] must be one of identity, relu"),
    ({"colour": "red"}, "unknown setting\\(s\\) colour"),
    ({"batchnorm": "yes"}, "batchnorm must be true or false; received 'yes'"),
])
def test_validation_names_setting_rule_and_value(raw, message):
    with pytest.raises(ValueError, match=message):
        validate(raw)


def test_validation_fills_activations_for_new_layers():
    c = validate({"layers": [3, 3, 2], "activations": ["relu"]})
    assert c.activations == ["relu", "relu", "relu"]
    assert validate({"features": ["x2", "x1", "x2"]}).features == ["x1", "x2"]


def test_frame_is_compact_and_complete():
    s = Session({"layers": [4, 3]})
    s.train(5)
    f = s.frame()
    assert f["epoch"] == 5 and len(f["curve"]) == 5
    assert _decode(f["map"]).size == RES * RES
    assert _decode(f["neurons"]).size == (4 + 3) * NEURON_RES * NEURON_RES
    assert [len(w) for w in f["weights"]] == [2, 4, 3] and len(f["biases"][0]) == 4
    assert len(f["grad_norms"]) == 3 and all(g > 0 for g in f["grad_norms"])
    assert set(f["summary"]) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy", "confusion"}
    assert np.sum(f["summary"]["confusion"]) == len(s.X_test)
    assert s.frame(since=5)["curve"] == []


def test_output_map_agrees_with_the_model():
    s = Session({"layers": [4]})
    s.train(20)
    f = s.frame()
    p = _decode(f["map"]).reshape(RES, RES) / 255
    # top-left pixel of the map is the point (-6, 6)
    expected = s.model.predict_proba(s._inputs(np.array([[-6.0, 6.0]], np.float32)))[0, 1]
    assert abs(p[0, 0] - expected) <= 1 / 255


def test_reset_reproduces_the_initial_weights():
    s = Session({"layers": [5, 3], "seed": 3})
    start = [p.copy() for p, _ in s.model.parameters()]
    s.train(10)
    s.reset()
    for a, (b, _) in zip(start, s.model.parameters()):
        np.testing.assert_array_equal(a, b)
    s.reset(new_weights=True)
    assert s.config.seed == 4
    assert not np.array_equal(start[0], s.model.parameters()[0][0])


def test_learning_rate_changes_mid_training_without_reset():
    s = Session({"optimizer": "adam", "lr": 0.01})
    s.train(5)
    weights = s.model.parameters()[0][0].copy()
    state = s.optimizer.state[0]["m_sum"].copy()
    rebuilt = s.configure({"lr": 0.001})
    assert rebuilt == set() and s.epoch == 5
    assert s.optimizer.lr == 0.001 and np.array_equal(s.optimizer.state[0]["m_sum"], state)
    np.testing.assert_array_equal(s.model.parameters()[0][0], weights)
    assert s.configure({"layers": [3]}) == {"model"} and s.epoch == 0


def test_dead_units_are_marked():
    s = Session({"layers": [4], "activations": ["relu"]})
    dense = s.model.dense_layers[0]
    dense.params["W"][:, 1] = 0.0
    dense.params["b"][0, 1] = -1.0
    f = s.frame()
    assert f["dead"][0][1] is True and f["dead"][0].count(True) >= 1


def test_multiclass_map_sends_class_and_confidence():
    s = Session({"dataset": "blobs4", "layers": [6]})
    assert s.n_classes == 4
    s.train(10)
    f = s.frame()
    classes = _decode(f["map"])
    assert classes.max() <= 3 and set(np.unique(classes)) >= {0, 1}
    assert _decode(f["map_conf"]).min() >= 255 // 4


def test_regression_dataset():
    s = Session({"dataset": "reg_plane", "layers": [4]})
    assert s.task == "regression" and s.config.loss == "mse"
    s.train(30)
    assert s.summary()["test_loss"] < 0.05
    s.configure({"dataset": "iris"})  # back to classification: back to cross-entropy
    assert s.task == "classification" and s.config.loss == "cross_entropy"


def test_drawn_points_become_the_dataset():
    s = Session()
    pts = [[-3, 3, 0], [3, 3, 1], [-3, -3, 1], [3, -3, 0], [0, 1, 2]]
    s.set_points(pts)
    assert s.config.dataset == "points" and s.n_classes == 3
    assert len(s.X_train) + len(s.X_test) == 5
    with pytest.raises(ValueError, match=r"points\[0\] must lie in \[-6, 6\]\^2 with a class 0-7"):
        s.set_points([[10, 0, 0]])
    with pytest.raises(ValueError, match="at most 2000"):
        s.set_points([[0, 0, 0]] * 2001)


def test_csv_upload_is_bounded_and_parsed():
    s = Session()
    s.set_csv("a,b,kind\n1,2,cat\n3,4,dog\n-1,0,cat\n0,5,dog\n")
    assert s.config.dataset == "csv" and s.n_classes == 2
    assert np.abs(np.vstack([s.X_train, s.X_test])).max() == pytest.approx(5.0)
    with pytest.raises(ValueError, match="at most 200000"):
        s.set_csv("a,b,y\n" + "1,2,0\n" * 40000)
    with pytest.raises(ValueError, match="first two columns must be numbers"):
        s.set_csv("a,b,y\nx,2,0\n3,4,1\n")


def test_edit_weight():
    s = Session()
    s.edit_weight(1, 0, 1, 2.5)
    assert s.model.dense_layers[1].params["W"][0, 1] == 2.5
    with pytest.raises(ValueError, match="weight index must be within"):
        s.edit_weight(0, 5, 0, 1.0)
    with pytest.raises(ValueError, match="weight value must be a number from -100 to 100"):
        s.edit_weight(0, 0, 0, 1e9)


def test_divergence_is_reported_not_raised():
    s = Session({"lr": 10.0, "optimizer": "sgd", "features": ["x1", "x2", "x1^2", "x2^2", "x1*x2"],
                 "layers": [8, 8], "activations": ["relu", "relu"], "loss": "mse"})
    s.train(50)
    assert s.status == "diverged"
    assert "lower learning rate" in s.warning


def test_epoch_limit_stops_training():
    s = Session({"epoch_limit": 12})
    s.train(10)
    s.train(10)
    assert s.epoch == 12 and s.status == "done"


def test_early_stopping_after_100_epochs_without_progress():
    # a big network on 30 noisy training points overfits: the test loss stops improving
    s = Session({"dataset": "xor", "noise": 0.5, "n_samples": 60, "layers": [8, 8, 8],
                 "activations": ["relu"] * 3, "optimizer": "adam", "lr": 0.03, "early_stopping": True})
    for _ in range(100):
        s.train(10)
        if s.status == "done":
            break
    assert s.status == "done" and s.epoch == s.best_epoch + 100
    best = min(row[2] for row in s.curve)
    assert s.best_val == pytest.approx(best, abs=1e-5)
    assert s.warning.startswith("early stopping: the test loss has not improved for 100 epochs")


def test_success_rate_trains_twenty_seeds():
    s = Session({"layers": [4, 4], "activations": ["relu", "relu"], "optimizer": "adam", "lr": 0.03})
    out = exports.success_rate(s, epochs=30)
    assert len(out["scores"]) == 20 and len(out["thumbnails"]) == 20
    assert out["successes"] == sum(out["success"])
    assert _decode(out["thumbnails"][0]).size == NEURON_RES**2
    assert all(0 <= v <= 1 for v in out["scores"])


def test_exported_model_evaluates_with_the_cli(tmp_path, capsys):
    from mlplab.cli import main
    s = Session({"layers": [4], "features": ["x1", "x2", "x1^2"]})
    s.train(20)
    model_path = tmp_path / "m.npz"
    model_path.write_bytes(base64.b64decode(exports.EXPORTS["model"](s)["data"]))
    data_path = tmp_path / "playground-data.csv"
    data_path.write_text(exports.export_data(s)["text"])
    rows = list(csv.reader(io.StringIO(data_path.read_text())))
    assert rows[0] == ["x1", "x2", "x1^2", "split", "label"]
    model = nn.load(model_path)
    np.testing.assert_array_equal(model.predict(s._inputs(s.X_test)), s.model.predict(s._inputs(s.X_test)))
    assert main(["evaluate", str(model_path), str(data_path)]) == 0
    out = capsys.readouterr().out
    n = len(s.X_train) + len(s.X_test)
    acc = (model.predict(s._inputs(np.vstack([s.X_train, s.X_test])))
           == np.concatenate([s.y_train, s.y_test])).mean()
    assert out.startswith(f"samples {n}") or out.startswith(f"samples {len(s.X_test)}")
    assert "accuracy" in out and acc > 0.5


def test_exported_command_reproduces_the_weights(tmp_path, monkeypatch):
    s = Session({"layers": [4, 3], "activations": ["tanh", "relu"], "optimizer": "momentum",
                 "lr": 0.05, "batch_size": 16, "seed": 5, "features": ["x1", "x2", "x1*x2"],
                 "regularization": "l2", "reg_rate": 0.001})
    s.train(4)
    s.train(3)  # in two chunks, as the page does
    monkeypatch.chdir(tmp_path)
    (tmp_path / "playground-data.csv").write_text(exports.export_data(s)["text"])
    command = exports.export_command(s)["text"]
    assert command.startswith("mlplab train playground-data.csv --layers 4,3 --activation tanh,relu "
                              "--optimizer momentum")
    assert "--epochs 7" in command and "--scale none" in command and "--val-split 0.0" in command
    from mlplab.cli import main
    assert main([*command.split()[1:], "--save", "cli.npz"]) == 0
    cli_model = nn.load(tmp_path / "cli.npz")
    for (a, _), (b, _) in zip(cli_model.parameters(), s.model.parameters()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_gif_export(tmp_path):
    from PIL import Image
    s = Session({"layers": [3]})
    for _ in range(3):
        s.train(2)
        s.frame()
    data = base64.b64decode(exports.EXPORTS["gif"](s)["data"])
    (tmp_path / "a.gif").write_bytes(data)
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 3


def test_default_config_is_tf_playgrounds():
    c = Config()
    assert (c.dataset, c.layers, c.activations, c.lr, c.batch_size, c.train_ratio) == \
        ("circle", [4, 2], ["tanh", "tanh"], 0.03, 10, 0.5)
