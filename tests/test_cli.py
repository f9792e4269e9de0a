import subprocess
import sys

import numpy as np

import mlplab
from mlplab.cli import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"mlplab {mlplab.__version__}"


def test_info_lists_every_registry(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for line_start, name in [("activations:", "mish"), ("losses:", "focal"), ("optimizers:", "adamw"),
                             ("initializers:", "torch"), ("datasets:", "disc_ring")]:
        line = next(row for row in out.splitlines() if row.startswith(line_start))
        assert name in line


def test_demo_trains_and_reports(capsys, tmp_path):
    report = tmp_path / "demo.html"
    assert main(["demo", "--epochs", "60", "--every", "20", "--report", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    progress = [row for row in lines if row.startswith("epoch")]
    assert [row.split()[1] for row in progress] == ["20/60", "40/60", "60/60"]
    losses = [float(row.split("loss")[1].split()[0]) for row in progress]
    assert losses[0] > losses[-1]
    assert lines[-2].startswith("final: loss") and lines[-1] == f"report         {report}"
    page = report.read_text()
    assert "Decision boundary" in page and "mlplab-player" in page
    assert "http://" not in page and "https://" not in page


def test_demo_without_report(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--epochs", "5", "--no-report"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("final: loss")
    assert list(tmp_path.iterdir()) == []


def test_bad_argument_exits_2_with_one_line(capsys):
    try:
        main(["demo", "--epochs", "zero"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert "argument --epochs: expected a positive integer, received 'zero'" in err
    assert "Traceback" not in err


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "mlplab", "demo", "--epochs", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == ("mlplab demo: error: argument --epochs: expected a positive integer, "
                             "received '0' (see mlplab demo --help)\n")


def _run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_datasets_lists_sizes_and_presence(capsys):
    code, out, _ = _run(capsys, "datasets")
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:] if line.strip()}
    assert rows["iris"][1:5] == ["150", "4", "3", "present"]
    assert rows["mnist"][1:4] == ["70000", "784", "10"]


def test_train_prints_summary_and_saves(capsys, tmp_path):
    code, out, err = _run(capsys, "train", "iris", "--layers", "16", "--epochs", "60",
                          "--lr", "0.02", "--save", str(tmp_path / "iris.npz"))
    assert code == 0
    assert err.splitlines()[0] == "mlplab train iris --layers 16 --lr 0.02 --epochs 60"
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert {"train", "validation", "test", "alive", "time", "saved"} <= set(rows)
    test_acc = float(rows["test"].split()[2].rstrip("%"))
    assert test_acc >= 90.0
    assert "layer 1:" in rows["alive"] and "/16" in rows["alive"]
    assert (tmp_path / "iris.npz").is_file()
    # the table says which figures it holds: not the epoch lines' running averages
    assert rows["(measured"].strip().startswith("(measured once after the last step, in inference mode")


def test_train_many_seeds_reports_ranges(capsys):
    code, out, _ = _run(capsys, "train", "disc_ring", "--layers", "4,4", "--seeds", "0-4",
                        "--epochs", "30", "--lr", "0.05", "--batch-size", "300")
    assert code == 0
    assert "median [min, max] over seeds" in out
    assert "reach training accuracy > 95%" in out


def test_save_load_evaluate_gives_identical_predictions(tmp_path, capsys):
    from mlplab import nn
    from mlplab.lab import TrainConfig, run_training
    result = run_training(TrainConfig(dataset="digits", layers=(32,), epochs=3, seeds=(1,)))
    path = nn.save(result.model, tmp_path / "digits.npz", meta=result.meta())
    model = nn.load(path)
    X = result.dataset.scaler.transform(result.dataset.X_test)
    np.testing.assert_array_equal(model.predict(X), result.model.predict(X))
    code, out, _ = _run(capsys, "evaluate", str(path), "digits")
    assert code == 0
    expected = (result.model.predict(X) == result.dataset.y_test).mean()
    assert f"accuracy {100 * expected:.2f}%" in out
    assert "confusion matrix" in out and "macro avg" in out


def test_predict_writes_one_row_per_input(tmp_path, capsys):
    import csv
    code, _, _ = _run(capsys, "train", "iris", "--layers", "8", "--epochs", "40", "--lr", "0.02",
                      "--save", str(tmp_path / "m.npz"))
    assert code == 0
    rows = "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n"
    (tmp_path / "new.csv").write_text(rows)
    code, _, err = _run(capsys, "predict", str(tmp_path / "m.npz"), str(tmp_path / "new.csv"),
                        "-o", str(tmp_path / "pred.csv"))
    assert code == 0 and "wrote 2 predictions" in err
    table = list(csv.reader(open(tmp_path / "pred.csv")))
    assert table[0] == ["prediction", "p_setosa", "p_versicolor", "p_virginica"]
    assert table[1][0] == "setosa" and table[2][0] == "virginica"
    assert abs(sum(float(v) for v in table[1][1:]) - 1) < 1e-4


import pytest  # noqa: E402


@pytest.mark.parametrize("argv,message", [
    (["train", "irs"], "mlplab: error: unknown dataset 'irs'; valid names are: disc_ring"),
    (["train", "iris", "--layers", "12,x"],
     "argument --layers: expected comma-separated positive widths such as 128,64, received '12,x'"),
    (["train", "iris", "--activation", "rleu"], "argument --activation: unknown activation 'rleu'; valid: identity, relu"),
    (["train", "iris", "--activation", "relu,tahn"], "argument --activation: unknown activation 'tahn'"),
    (["train", "iris", "--layers", "4,4", "--activation", "relu,tanh,relu"],
     "activation lists one activation per hidden layer (2); received 3"),
    (["train", "iris", "--lr", "0"], "argument --lr: expected a positive number, received '0'"),
    (["train", "iris", "--dropout", "1"], "argument --dropout: expected a number in [0, 1), received '1'"),
    (["train", "iris", "--seeds", "3-x"], "argument --seeds: expected seeds such as 0-19 or 0,3,7, received '3-x'"),
    (["evaluate", "missing.npz", "iris"], "mlplab: error: no model file at 'missing.npz'"),
])
def test_bad_arguments_exit_2_with_one_line(capsys, argv, message):
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert message in err.strip().splitlines()[-1]
    assert "Traceback" not in err


def test_ctrl_c_exits_cleanly_without_a_model_file(tmp_path):
    import os
    import signal
    import time
    target = tmp_path / "model.npz"
    proc = subprocess.Popen([sys.executable, "-m", "mlplab", "train", "digits", "--epochs", "100000",
                             "--save", str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr.readline().startswith("mlplab train digits")
    time.sleep(2.5)  # data loaded, training under way
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted; nothing was saved" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- paths and model files
@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if training starts: path checks must come first."""
    from mlplab.lab import train

    started = []
    monkeypatch.setattr(train, "run_training", lambda *a, **k: started.append(1) or 1 / 0)
    return started


def _one_error_line(err):
    lines = [line for line in err.strip().splitlines() if not line.startswith("mlplab train ")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("option,target,setup,message", [
    ("--save", "out.npz", "dir", "cannot write the model file (--save) '{p}': it is a directory"),
    ("--save", "notes/m.npz", "file", "cannot write the model file (--save) '{p}': '{d}' is a file, not a folder"),
    ("--save", "nowhere/m.npz", None, "cannot write the model file (--save) '{p}': the folder '{d}' does not exist"),
    ("--report", "out.html", "dir", "cannot write the report (--report) '{p}': it is a directory"),
    ("--report", "notes/r.html", "file", "cannot write the report (--report) '{p}': '{d}' is a file"),
    ("--animate", "anim.gif", "dir", "cannot write the animation (--animate) '{p}': it is a directory"),
    ("--animate", "notes/a.gif", "file", "cannot write the animation (--animate) '{p}': '{d}' is a file"),
])
def test_output_paths_are_refused_before_training(capsys, tmp_path, no_training, option, target, setup, message):
    path = tmp_path / target
    if setup == "dir":
        path.mkdir()
    elif setup == "file":
        path.parent.write_text("not a folder")
    code, out, err = _run(capsys, "train", "xor", "--epochs", "2", option, str(path))
    assert code == 2 and out == "" and not no_training
    assert _one_error_line(err).startswith("mlplab: error: " + message.format(p=path, d=path.parent))


def test_predict_output_onto_a_directory_is_refused_first(capsys, tmp_path, monkeypatch):
    from mlplab import nn

    monkeypatch.setattr(nn, "load", lambda path: 1 / 0)  # never reached
    (tmp_path / "preds").mkdir()
    code, _, err = _run(capsys, "predict", "m.npz", "new.csv", "-o", str(tmp_path / "preds"))
    assert code == 2
    assert _one_error_line(err) == (f"mlplab: error: cannot write the predictions file (--output) "
                                    f"'{tmp_path / 'preds'}': it is a directory; give a file name inside it")


def test_permission_denied_exits_2_naming_the_path(capsys, monkeypatch):
    from mlplab import nn

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(nn, "load", denied)
    code, _, err = _run(capsys, "evaluate", "/srv/models/m.npz", "iris")
    assert code == 2
    assert _one_error_line(err) == "mlplab: error: /srv/models/m.npz: Permission denied"


def test_evaluate_a_directory_exits_2(capsys, tmp_path):
    code, _, err = _run(capsys, "evaluate", str(tmp_path), "iris")
    assert code == 2
    assert _one_error_line(err) == f"mlplab: error: '{tmp_path}' is a directory, not a model file"


def test_evaluate_through_a_file_exits_2(capsys, tmp_path):
    (tmp_path / "notes").write_text("x")
    code, _, err = _run(capsys, "evaluate", str(tmp_path / "notes" / "m.npz"), "iris")
    assert code == 2
    assert _one_error_line(err) == f"mlplab: error: no model file at '{tmp_path / 'notes' / 'm.npz'}'"


def test_train_on_a_csv_that_is_not_utf8_exits_2(capsys, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("x1,x2,label\n1,2,a\n3,4,\xe9\n".encode("latin-1"))
    code, _, err = _run(capsys, "train", str(path), "--epochs", "1")
    assert code == 2
    assert _one_error_line(err).startswith(f"mlplab: error: {path}: the CSV file is not UTF-8 text: byte 0xe9 "
                                           f"at offset 22 (line 3, column 5)")


@pytest.mark.parametrize("meta,missing", [
    ({}, "has no dataset metadata"),
    ({"dataset": "iris", "classes": ["a", "b", "c"]}, "has no 'scaler' in its metadata"),
    ({"scaler": {"kind": "none", "offset": [0] * 4, "scale": [1] * 4}}, "has no 'classes' in its metadata"),
    ({"scaler": {"kind": "zscore", "offset": [0, 0], "scale": [1, 1]}, "classes": ["a", "b", "c"]},
     "'scaler' metadata must give offset and scale for its 4 inputs"),
    ({"scaler": {"kind": "cube"}, "classes": ["a", "b", "c"]}, "'scaler' metadata is damaged (kind must be one of"),
    ({"scaler": {"kind": "none", "offset": [0] * 4, "scale": [1] * 4}, "classes": ["a", "b"]},
     "'classes' metadata must list 3 class names"),
    ({"scaler": {"kind": "none", "offset": [0] * 4, "scale": [1] * 4}, "classes": ["a", "b", "c"],
      "features": ["x"]}, "'features' metadata must list 4 column names"),
])
@pytest.mark.parametrize("command", ["evaluate", "predict"])
def test_model_file_without_the_metadata_a_command_needs(capsys, tmp_path, meta, missing, command):
    from mlplab.nn import mlp

    model = mlp([4, 5, 3], seed=0)
    model.meta = meta
    path = model.save(tmp_path / "m.npz")
    code, _, err = _run(capsys, command, str(path), "iris" if command == "evaluate" else "new.csv")
    assert code == 2
    line = _one_error_line(err)
    assert line.startswith(f"mlplab: error: {path}: the model") and missing in line


def test_a_failed_save_after_training_keeps_the_old_model(capsys, tmp_path, monkeypatch):
    from mlplab.nn import _atomic, mlp

    target = mlp([2, 3, 2], seed=0).save(tmp_path / "model.npz")
    before = target.read_bytes()

    def disk_full(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(_atomic.os, "replace", disk_full)
    code, _, err = _run(capsys, "train", "xor", "--epochs", "2", "--save", str(target))
    assert code == 2
    assert err.strip().splitlines()[-1] == f"mlplab: error: {target}: No space left on device"
    assert target.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def test_a_bad_option_is_one_line_naming_the_option_and_where_help_is(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["train", "iris", "--lr", "-1"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == ("mlplab train: error: argument --lr: expected a positive number, received '-1' "
                   "(see mlplab train --help)\n")
