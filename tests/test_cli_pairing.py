"""`mlplab train --output` and the loss picked to fit it; mismatched pairs refused before training."""

import shlex

import numpy as np
import pytest

from mlplab import nn
from mlplab.cli import build_parser, main
from mlplab.lab.train import TrainConfig, output_and_loss, run_training
from mlplab.nn.losses import SOFTMAX_TWICE


@pytest.fixture
def one_class_csv(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "one.csv"
    path.write_text("a,b,label\n" + "".join(f"{x:.3f},{y:.3f},cat\n" for x, y in rng.normal(size=(40, 2))))
    return str(path)


REFUSED = [  # the audit's cases: argv after `mlplab train`, what the one error line must say
    ("blobs --layers 4 --loss bce", ["loss='bce' does not fit output='linear'", "loss='bce_logits'",
                                     "output='sigmoid'"]),
    ("iris --layers 16 --loss nll", ["loss='nll' does not fit output='linear' (3 outputs)",
                                     "use output='log_softmax'"]),
    ("iris --layers 16 --output softmax", ["loss='cross_entropy' does not fit output='softmax'",
                                           SOFTMAX_TWICE]),
    ("iris --layers 16 --output softmax --loss cross_entropy", [SOFTMAX_TWICE]),
    ("blobs --layers 4 --output sigmoid --loss cross_entropy",
     ["loss='cross_entropy' does not fit output='sigmoid' (1 output)", "at least 2 outputs",
      "use loss='bce'"]),
    ("iris --layers 16 --loss bce --output sigmoid", ["loss='bce' (output='sigmoid', 3 outputs)",
                                                      "3 classes (0, 1, 2)", "loss='cross_entropy'"]),
    ("iris --layers 16 --loss bce", ["two-class loss", "3 classes", "loss='cross_entropy'"]),
    ("ONE_CLASS --layers 4", ["loss='cross_entropy'", "single class",
                              "all 32 training samples are class 0"]),
]


@pytest.mark.parametrize("argv,expected", REFUSED, ids=[a for a, _ in REFUSED])
def test_mismatched_pairs_exit_2_with_one_line_before_training(argv, expected, one_class_csv, capsys):
    argv = argv.replace("ONE_CLASS", one_class_csv)
    assert main(["train", *shlex.split(argv), "--epochs", "3"]) == 2
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("mlplab: error:")]
    assert len(errors) == 1, captured.err
    for text in expected:
        assert text in errors[0]
    assert "epoch 1/3" not in captured.err and captured.out == ""  # nothing trained


def test_sigmoid_output_on_two_classes_is_one_unit_with_bce(capsys, tmp_path):
    assert main(["train", "blobs", "--layers", "4", "--output", "sigmoid", "--epochs", "40",
                 "--lr", "0.05", "--save", str(tmp_path / "b.npz")]) == 0
    out = capsys.readouterr()
    assert "--output sigmoid" in out.err.splitlines()[0]
    model = nn.load(tmp_path / "b.npz")
    assert model.n_outputs == 1 and model.output_activation == "sigmoid"
    assert model.meta["train_config"]["output"] == "sigmoid"
    assert model.meta["train_config"]["loss"] is None  # picked: bce, by the same rule next time
    train = next(line for line in out.out.splitlines() if line.startswith("train"))
    assert float(train.split()[2].rstrip("%")) > 90


def test_sigmoid_run_measures_accuracy_at_one_half():
    result = run_training(TrainConfig(dataset="blobs", layers=(4,), output="sigmoid", epochs=30,
                                      lr=0.05))
    ds, model = result.dataset, result.model
    X = ds.scaler.transform(ds.X_test)
    p = model.predict_proba(X)[:, 0]
    assert np.array_equal(model.predict(X), (p > 0.5).astype(int))
    assert float(result.figures["test"]["accuracy"]) == pytest.approx(np.mean((p > 0.5) == ds.y_test))


@pytest.mark.parametrize("output,loss,task,n_classes,expected", [
    (None, None, "classification", 2, (2, "cross_entropy")),
    ("linear", None, "classification", 3, (3, "cross_entropy")),
    ("sigmoid", None, "classification", 2, (1, "bce")),
    ("sigmoid", None, "classification", 3, (3, "bce")),
    ("log_softmax", None, "classification", 3, (3, "nll")),
    ("softmax", None, "classification", 3, (3, "cross_entropy")),  # then refused: softmax twice
    (None, None, "regression", 1, (1, "mse")),
    ("sigmoid", None, "regression", 1, (1, "mse")),
    (None, None, "classification", 1, (1, "cross_entropy")),  # one-class table: refused for labels
    ("sigmoid", "mse", "classification", 2, (1, "mse")),
])
def test_output_and_loss(output, loss, task, n_classes, expected):
    config = TrainConfig(output=output, loss=loss)
    assert output_and_loss(config, task, n_classes) == expected


@pytest.mark.parametrize("output", [None, "linear", "sigmoid", "softmax", "log_softmax"])
def test_command_reproduces_the_output(output):
    config = TrainConfig(dataset="moons", layers=(8,), output=output, loss="mse")
    args = build_parser().parse_args(shlex.split(config.command())[1:])
    assert (args.output, args.loss) == (output, "mse")


def test_unknown_output_is_refused():
    with pytest.raises(ValueError, match=r"output must be one of linear, sigmoid, softmax, "
                                         r"log_softmax .*received output='tanh'"):
        TrainConfig(output="tanh")
