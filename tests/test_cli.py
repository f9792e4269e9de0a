import subprocess
import sys

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


def test_demo_trains_and_reports(capsys):
    assert main(["demo", "--epochs", "60", "--every", "20"]) == 0
    lines = capsys.readouterr().out.splitlines()
    progress = [row for row in lines if row.startswith("epoch")]
    assert [row.split()[1] for row in progress] == ["20/60", "40/60", "60/60"]
    losses = [float(row.split("loss")[1].split()[0]) for row in progress]
    assert losses[0] > losses[-1]
    assert lines[-1].startswith("final: loss")


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
    assert result.stderr.strip().splitlines()[-1].endswith(
        "argument --epochs: expected a positive integer, received '0'")
