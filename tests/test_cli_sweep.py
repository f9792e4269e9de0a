"""``mlplab sweep`` and ``mlplab runs`` end to end, on tiny sweeps."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlplab import lab
from mlplab.cli import main
from mlplab.lab.train import TrainConfig, run_training

TINY = ["--seeds", "0-3", "--epochs", "15", "--lr", "0.05", "--batch-size", "300"]


def test_sweep_prints_each_setting_with_its_rate(tmp_path, capsys):
    db = tmp_path / "grid.db"
    assert main(["sweep", "disc_ring", "--vary", "layers=3x3,4x2-3", "--vary", "activation=relu,tanh",
                 *TINY, "--store", str(db)]) == 0
    out = capsys.readouterr().out
    result = lab.load(db)
    rows = result.summary()
    assert len(rows) == 6 and [r["n"] for r in rows] == [4] * 6
    lines = [line for line in out.splitlines() if line.startswith("layers=")]
    assert [line.split()[:2] for line in lines] == [
        ["layers=3x3", "activation=relu"], ["layers=3x3", "activation=tanh"],
        ["layers=4x2", "activation=relu"], ["layers=4x2", "activation=tanh"],
        ["layers=4x3", "activation=relu"], ["layers=4x3", "activation=tanh"]]
    for line, row in zip(lines, rows):
        assert f"{row['successes']}/4" in line.split()[2]
        assert f"{row['rate_low']:.0%}, {row['rate_high']:.0%}]" in line
        assert line.rstrip().endswith(f"{row['train_accuracy_median']:.0%}")
    # a stored run is the same setting trained alone with its seed, every point for training
    run = next(r for r in result.runs if r["layers"] == (4, 3) and r["activation"] == "relu"
               and r["seed"] == 1)
    alone = run_training(TrainConfig("disc_ring", layers=(4, 3), seeds=(1,), epochs=15, lr=0.05,
                                     batch_size=300, test_size=0, val_split=0))
    assert run["train_accuracy"] == pytest.approx(float(alone.figures["train"]["accuracy"]), abs=0.01)
    assert run["train_loss"] == pytest.approx(float(alone.figures["train"]["loss"]), abs=1e-4)
    assert f"store          {db} (sweep 1" in out


def test_config_file_equals_the_command_line(tmp_path):
    toml = tmp_path / "sweep.toml"
    toml.write_text('dataset = "disc_ring"\nseeds = "0-3"\nepochs = 15\nlr = 0.05\nbatch-size = 300\n'
                    f'store = "{tmp_path / "a.db"}"\n\n[vary]\nlayers = ["3x3", "4x2"]\n'
                    'activation = "relu,tanh"\n')
    assert main(["sweep", "--config", str(toml)]) == 0
    assert main(["sweep", "disc_ring", "--vary", "layers=3x3,4x2", "--vary", "activation=relu,tanh",
                 *TINY, "--store", str(tmp_path / "b.db")]) == 0
    a, b = lab.load(tmp_path / "a.db"), lab.load(tmp_path / "b.db")
    assert a.spec == b.spec and a.runs == b.runs and len(a.runs) == 16


def test_config_file_unknown_key_refused(tmp_path, capsys):
    toml = tmp_path / "sweep.toml"
    toml.write_text('dataset = "disc_ring"\nlearning_rate = 0.1\n')
    assert main(["sweep", "--config", str(toml)]) == 2
    assert "sweep.toml: a sweep file has no option 'learning_rate'" in capsys.readouterr().err


@pytest.mark.parametrize("vary, message", [
    ("layer=4x4", "--vary: a sweep has no option 'layer' (valid keys are: layers"),
    ("lr=", "vary['lr'] is empty; give at least one value"),
    ("l2=0.1,-1", "vary['l2'] must be a number >= 0; received -1.0"),
    ("lr=0.1", "'lr' is both varied and fixed"),
    ("layers=4x0", "vary['layers'] must be hidden widths"),
    ("optimizer=adam,adamm", "vary['optimizer'] must be one of"),
])
def test_bad_spec_refused_before_anything_runs(tmp_path, capsys, vary, message):
    db = tmp_path / "x.db"
    assert main(["sweep", "disc_ring", "--vary", vary, *TINY, "--store", str(db)]) == 2
    assert message in capsys.readouterr().err
    assert not db.exists()


def test_report_is_written_and_a_bad_report_path_refused_before_training(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["sweep", "disc_ring", "--vary", "lr=0.1", *TINY, "--store", str(db),
                 "--report", str(tmp_path / "no-such-folder" / "r.html")]) == 2
    assert "no-such-folder" in capsys.readouterr().err and not db.exists()
    assert main(["sweep", "disc_ring", "--vary", "layers=2x2,3x3", *TINY, "--store", str(db),
                 "--report", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text()
    assert "What this shows" in page and "3x3" in page.replace("×", "x")


def test_runs_lists_the_sweeps_of_a_store(tmp_path, capsys):
    db = tmp_path / "grid.db"
    main(["sweep", "disc_ring", "--vary", "layers=3x3,4", *TINY, "--store", str(db)])
    main(["sweep", "disc_ring", "--vary", "lr=0.01,0.05,0.1", "--seeds", "0-1", "--epochs", "2",
          "--store", str(db)])
    capsys.readouterr()
    assert main(["runs", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[:7] == ["1", "disc_ring", "layers", "(2)", "4", "2/2", "8/8"]
    # lr varies inside one replicated model: one group
    assert lines[2].split()[:7] == ["2", "disc_ring", "lr", "(3)", "2", "1/1", "6/6"]
    assert main(["runs", str(db), "2"]) == 0
    assert "lr=0.05" in capsys.readouterr().out
    main(["sweep", "disc_ring", "--vary", "layers=3,4", "--vary", "activation=relu,tanh", "--vary",
          "lr=0.01,0.05", "--vary", "optimizer=adam,sgd", "--seeds", "0", "--epochs", "1", "--store", str(db)])
    capsys.readouterr()
    assert main(["runs", str(db)]) == 0
    long = capsys.readouterr().out.splitlines()[3]  # a long "varies" is shown whole, not cut
    assert "layers (2), activation (2), lr (2), optimizer (2)     1" in long
    assert main(["runs", str(tmp_path / "none.db")]) == 2


def test_ctrl_c_leaves_a_store_that_resumes(tmp_path):
    db = tmp_path / "c.db"
    args = [sys.executable, "-m", "mlplab", "sweep", "disc_ring", "--vary", "data_seed=0-19",
            "--seeds", "0-1", "--epochs", "100", "--lr", "0.05", "--batch-size", "300",
            "--store", str(db)]
    env = {**os.environ, "PYTHONPATH": str(Path(lab.__file__).parents[2]), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
                if con.execute("SELECT COUNT(*) FROM groups WHERE status='done'").fetchone()[0]:
                    break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "resume with:" in err and err.rstrip().endswith(f"--store {db} --resume")
    done = lab.load(db).groups_done
    assert 1 <= done < 20
    assert main(["sweep", *args[4:], "--resume"]) == 0  # in this process: the same command
    assert lab.load(db).complete and len(lab.load(db).runs) == 40


def test_success_rule_from_the_command_line(tmp_path):
    db = tmp_path / "s.db"
    assert main(["sweep", "disc_ring", "--vary", "layers=3,6", *TINY, "--store", str(db),
                 "--success", "train_loss < 0.6"]) == 0
    result = lab.load(db)
    assert result.success == "train_loss < 0.6"
    assert [r["success"] for r in result.runs] == [r["train_loss"] < 0.6 for r in result.runs]


def test_store_that_cannot_be_opened_named(tmp_path, capsys):
    assert main(["sweep", "disc_ring", "--vary", "l2=0.1", *TINY,
                 "--store", str(tmp_path)]) == 2
    assert f"{tmp_path}: cannot open the run store" in capsys.readouterr().err
