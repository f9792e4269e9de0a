"""The lessons' protocols from ``mlplab train``: options, their parsing, the summary."""

import shlex

import numpy as np
import pytest

from mlplab import nn
from mlplab.cli import build_parser
from mlplab.cli.train import train_config as _train_config
from mlplab.lab.console import _count

from .test_cli import _run


def _rows(out):
    return {line.split()[0]: line for line in out.splitlines() if line.strip()}


def test_seeds_replica_k_is_seed_k_alone_through_the_cli(capsys, tmp_path):
    common = ["disc_ring", "--layers", "4,4", "--epochs", "60", "--lr", "0.05", "--batch-size", "300"]
    assert _run(capsys, "train", *common, "--seeds", "0-2", "--save", str(tmp_path / "all.npz"))[0] == 0
    together = nn.load(tmp_path / "all.npz")
    assert together.meta["seeds"] == [0, 1, 2]
    for k in range(3):
        assert _run(capsys, "train", *common, "--seed", str(k), "--save", str(tmp_path / f"{k}.npz"))[0] == 0
        alone = nn.load(tmp_path / f"{k}.npz")
        for (a, _), (b, _) in zip(together.parameters(), alone.parameters()):
            np.testing.assert_array_equal(a[k], b)


def test_lesson_a_protocol_prints_the_training_success_count(capsys):
    code, out, err = _run(capsys, "train", "disc_ring", "--layers", "4,4", "--seeds", "0-19",
                          "--epochs", "300", "--lr", "0.05", "--batch-size", "300", "--test-size", "0",
                          "--val-split", "0", "--init", "torch")
    assert code == 0
    rows = _rows(out)
    assert rows["data"].startswith("data           300 training rows, no test set, each seed its own")
    assert "test" not in rows and "validation" not in rows
    reached = rows["seeds"].split()[1]
    ok, total = map(int, reached.split("/"))
    assert total == 20 and 0 < ok < 20
    assert rows["seeds"].endswith("reach training accuracy > 95%")


def test_success_line_only_where_asked_or_default(capsys):
    _, out, _ = _run(capsys, "train", "iris", "--layers", "8", "--epochs", "5", "--seeds", "0-2")
    assert "seeds" not in _rows(out)
    _, out, _ = _run(capsys, "train", "iris", "--layers", "8", "--epochs", "5", "--seeds", "0-2",
                     "--success", "test_accuracy>0.5")
    assert _rows(out)["seeds"].endswith("reach test accuracy > 50%")
    _, out, _ = _run(capsys, "train", "xor", "--layers", "4", "--epochs", "5")
    assert _rows(out)["success"].split()[2:] == ["(training", "accuracy", ">", "95%)"]
    # lesson E's noisy problems top out near 95%: no default verdict there
    _, out, _ = _run(capsys, "train", "spirals", "--layers", "8", "--epochs", "2", "--seeds", "0-1")
    assert "seeds" not in _rows(out) and "train" in _rows(out)


def test_linear_model_summary_and_evaluate(capsys, tmp_path):
    code, out, err = _run(capsys, "train", "blobs", "--layers", "", "--epochs", "40", "--lr", "0.1",
                          "--save", str(tmp_path / "lin.npz"))
    assert code == 0 and err.splitlines()[0] == "mlplab train blobs --layers 0 --lr 0.1 --epochs 40"
    assert _rows(out)["hidden"] == "hidden layers  none (a linear model)"
    code, out, _ = _run(capsys, "evaluate", str(tmp_path / "lin.npz"), "blobs")
    assert code == 0 and "samples 40" in out


def test_evaluate_a_model_trained_on_every_row(capsys, tmp_path):
    assert _run(capsys, "train", "moons", "--layers", "8", "--epochs", "5", "--n-samples", "90",
                "--noise", "0.1", "--test-size", "0", "--save", str(tmp_path / "m.npz"))[0] == 0
    code, out, _ = _run(capsys, "evaluate", str(tmp_path / "m.npz"), "moons")
    assert code == 0 and out.startswith("samples 90 ")  # the 90 rows it was drawn and trained with


def test_replicated_model_is_refused_by_evaluate_and_predict_naming_its_seeds(capsys, tmp_path):
    assert _run(capsys, "train", "iris", "--layers", "4", "--epochs", "2", "--seeds", "3-5",
                "--save", str(tmp_path / "r.npz"))[0] == 0
    scaler = nn.load(tmp_path / "r.npz").meta["scaler"]
    assert np.shape(scaler["offset"]) == (3, 1, 4)  # one scaler per seed
    (tmp_path / "x.csv").write_text("sepal_length,sepal_width,petal_length,petal_width\n5,3,1,0.2\n")
    for argv in (["evaluate", str(tmp_path / "r.npz"), "iris"],
                 ["predict", str(tmp_path / "r.npz"), str(tmp_path / "x.csv")]):
        code, _, err = _run(capsys, *argv)
        assert code == 2
        assert f"{argv[0]} takes a single model; this one holds replicas (3,) (seeds 3-5)" in err


def test_early_stopping_line(capsys):
    code, out, _ = _run(capsys, "train", "iris", "--layers", "16", "--epochs", "3000", "--lr", "0.05",
                        "--patience", "5", "--min-delta", "0.01")
    assert code == 0
    line = _rows(out)["early"]
    assert line.startswith("early stop     at epoch ") and "(val_loss, patience 5, min delta 0.01)" in line
    stopped = int(line.split()[4])
    best = int(line.split()[-1])
    assert stopped - best == 5 and stopped < 3000


def test_csv_task_inferred_and_overridden(capsys, tmp_path):
    path = tmp_path / "outlier.csv"
    path.write_text("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(10)) + "8,50\n")
    code, out, _ = _run(capsys, "train", str(path), "--layers", "0", "--epochs", "3", "--test-size", "0.2")
    assert code == 0 and "rmse" in out
    assert "read as regression: 11 distinct integer targets in 11 rows" in _rows(out)["data"]
    code, out, err = _run(capsys, "train", str(path), "--layers", "0", "--epochs", "3",
                          "--task", "classification", "--test-size", "0.2")
    assert code == 2 and err.strip().endswith(
        "outlier.csv: a stratified test split (test_size=0.2) needs two rows of every class; class(es) "
        "1, 3, 5, 7, 9, 11, 13, 15, 17, 19 have one (use test_size 0, or --task regression for "
        "numeric targets)")
    code, out, _ = _run(capsys, "train", str(path), "--layers", "0", "--epochs", "3",
                        "--task", "classification", "--test-size", "0")
    assert code == 0 and "accuracy" in out and "read as classification, as asked" in out


def test_a_one_row_csv_is_refused_in_our_words(capsys, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("a,b,label\n1,2,0\n")
    code, out, err = _run(capsys, "train", str(path), "--epochs", "2")
    assert code == 2 and out == ""
    assert err.strip().endswith(
        "one.csv: 1 row cannot be split into training and test rows with test_size=0.2 (0 training, "
        "1 test); give more rows, or test_size 0 (--test-size 0) to train on all of them")
    assert "aforementioned" not in err  # scikit-learn's own words stay inside


def test_printed_command_parses_back_to_the_same_config():
    argv = ["train", "moons", "--layers", "0", "--seeds", "0-3,9", "--init", "normal:0.5",
            "--schedule", "step:10:0.5", "--clip-value", "0.5", "--patience", "4", "--min-delta",
            "0.01", "--n-samples", "120", "--noise", "0.05", "--data-seed", "7", "--test-size", "0",
            "--val-split", "0", "--success", "train_accuracy >= 0.9", "--epochs", "30"]
    config = _train_config(build_parser().parse_args(argv))
    again = _train_config(build_parser().parse_args(shlex.split(config.command())[1:]))
    assert again == config


def test_counts_print_as_integers():
    assert _count(np.array([2, 3])) == "2.5 [2, 3]"
    assert _count(np.array([3, 4, 3])) == "3 [3, 4]"
    assert _count(np.int64(4)) == "4"


@pytest.mark.parametrize("argv,message", [
    (["--layers", "4,,4"], "argument --layers: expected comma-separated positive widths such as 128,64, "
                           "received '4,,4' (an empty width between commas)"),
    (["--layers", "4,0"], "received '4,0' (0 or '' alone: no hidden layer, a linear model)"),
    (["--seeds", "5-2"], "argument --seeds: expected seeds such as 0-19 or 0,3,7 (a range goes low-high), "
                         "received '5-2' (5-2 is reversed)"),
    (["--seeds", "0-99999999999999"], "argument --seeds: expected at most 10,000 seeds, received "
                                      "'0-99999999999999'"),
    (["--seeds", "0-3,2"], "argument --seeds: expected distinct seeds, received '0-3,2' (seed 2 twice)"),
    (["--seeds", "-1"], "argument --seeds: expected seeds such as 0-19 or 0,3,7, received '-1'"),
    (["--replicas", "10001"], "argument --replicas: expected an integer from 1 to 10,000, received '10001'"),
    (["--schedule", "warp"], "argument --schedule: unknown schedule 'warp' in 'warp'; valid names are: constant"),
    (["--schedule", "step:ten"], "argument --schedule: schedule 'step': step_size must be an integer; "
                                 "received 'ten' in 'step:ten'"),
    (["--init", "normal:-1"], "argument --init: init 'normal:-1': std must be a finite number"),
    (["--init", "he_normal:2"], "argument --init: init 'he_normal' takes no parameters"),
    (["--noise", "0.1"], "mlplab: error: dataset 'disc_ring' has no parameter 'noise' (its parameters: "
                         "n_samples, data_rng, data_seed); received noise=0.1"),
    (["--task", "regression"], "task applies to CSV files; dataset 'disc_ring' is classification"),
    (["--success", "train_acc > 0.9"], "argument --success: success measure must be one of accuracy, "
                                       "loss, rmse; received 'acc'"),
    (["--test-size", "0", "--success", "test_accuracy > 0.9"],
     "success rule 'test_accuracy > 0.9' needs test figures, and this run has none (--test-size is 0)"),
    (["--min-delta", "0.1"], "give patience too; received min_delta=0.1"),
    (["--layers", "0", "--batchnorm"], "batchnorm acts on hidden layers"),
    (["--test-size", "1"], "argument --test-size: expected a number in [0, 1), received '1'"),
])
def test_bad_train_options_exit_2_with_one_line(capsys, argv, message):
    code, _, err = _run(capsys, "train", "disc_ring", "--epochs", "1", *argv)
    assert code == 2
    assert message in err.strip().splitlines()[-1]
    assert "Traceback" not in err


def test_dataset_parameter_refused_for_a_table(capsys):
    code, _, err = _run(capsys, "train", "iris", "--n-samples", "50")
    assert code == 2
    assert err.strip().endswith("dataset 'iris' has no parameter 'n_samples' (its parameters: none); "
                                "received n_samples=50")


def test_batch_size_full_is_one_step_per_epoch(capsys):
    code, out, err = _run(capsys, "train", "xor", "--layers", "4", "--batch-size", "full",
                          "--epochs", "3")
    assert code == 0 and err.splitlines()[0] == "mlplab train xor --layers 4 --batch-size full --epochs 3"
    code, _, err = _run(capsys, "train", "xor", "--batch-size", "half")
    assert code == 2 and "--batch-size: expected a positive integer, received 'half'" in err
