"""`mlplab --threads N`: before or after any command, the count in force while it runs."""

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from mlplab import cli
from mlplab.nn import blas_threads


def in_force() -> set:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


@pytest.fixture
def seen(monkeypatch):
    """Replace `mlplab info` by a spy that records the BLAS thread count it runs with."""
    for var in blas_threads.ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    record = []
    monkeypatch.setattr(cli.info, "_cmd_info", lambda args: record.append(in_force()) or 0)
    return record


@pytest.mark.parametrize("argv,count", [
    (["info"], 1),                          # the default
    (["info", "--threads", "2"], 2),
    (["--threads", "2", "info"], 2),
    (["--threads", "3", "info", "--threads", "2"], 2),   # the last word wins
])
def test_the_command_runs_with_the_count_and_gives_it_back(seen, argv, count):
    with threadpool_limits(4, user_api="blas"):
        assert cli.main(argv) == 0
        assert seen == [{count}]
        assert in_force() == {4}


def test_the_environment_sets_the_count_when_threads_is_absent(seen, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    with threadpool_limits(1, user_api="blas"):
        assert cli.main(["info"]) == 0
    assert seen == [{2}]


@pytest.mark.parametrize("command", ["info", "datasets", "demo", "train", "playground", "evaluate",
                                     "predict"])
def test_every_command_takes_threads(command):
    parser = cli.build_parser()
    positional = {"train": ["xor"], "evaluate": ["m.npz", "iris"], "predict": ["m.npz", "x.csv"]}
    args = parser.parse_args([command, *positional.get(command, []), "--threads", "2"])
    assert args.threads == 2


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_count_exits_2_naming_threads(value, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["train", "xor", "--threads", value])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --threads: expected a positive integer, received '{value}'" in err
