"""mlplab.verify: mlplab and PyTorch side by side."""

import numpy as np
import pytest

import mlplab
from mlplab.cli import main
from mlplab.lab.verify import MIN_AGREEMENT, TOLERANCE

from ..conftest import torch_or_skip

MOONS = dict(layers=(10, 5), optimizer="sgd", lr=0.1, epochs=40, batch_size=64)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_agrees_on_moons(dtype):
    torch_or_skip()
    result = mlplab.verify("moons", dtype=dtype, **MOONS)
    assert result.agrees
    assert result.max_difference <= TOLERANCE[dtype] / 100  # far inside the tolerance
    assert len(result.loss["mlplab"]) == len(result.loss["torch"]) == 40
    np.testing.assert_array_equal(result.accuracy["mlplab"], result.accuracy["torch"])
    assert result.min_agreement >= MIN_AGREEMENT and result.agreement[40] == 1.0
    assert result.loss["mlplab"][-1] < result.loss["mlplab"][0]  # it did train
    assert result.seconds["mlplab"] > 0 and result.seconds["torch"] > 0
    assert "AGREE:" in result.text()


def test_batch_norm_adam_and_l2_agree():
    torch_or_skip()
    result = mlplab.verify("moons", layers=(8,), optimizer="adam", lr=0.01, epochs=15, batchnorm=True,
                           l2=1e-3, dtype="float64")
    assert result.agrees and result.max_difference < 1e-12


def test_full_batch_as_none_agrees():
    torch_or_skip()
    result = mlplab.verify("moons", layers=(6,), optimizer="adam", lr=0.05, epochs=10, batch_size=None,
                           dtype="float64")
    assert result.agrees and result.max_difference < 1e-12
    assert len(result.loss["torch"]) == 10


def test_one_perturbed_weight_disagrees_loudly():
    torch_or_skip()
    result = mlplab.verify("moons", perturb=0.05, **MOONS)
    assert not result.agrees
    assert result.max_difference > TOLERANCE["float32"]
    assert result.text().splitlines()[-3].startswith("DISAGREE: largest loss difference")
    assert "first passes the tolerance at epoch 1;" in result.text()


def test_cli_exit_status_and_pictures(tmp_path, capsys):
    torch_or_skip()
    pytest.importorskip("matplotlib")
    args = ["verify", "moons", "--layers", "6", "--optimizer", "sgd", "--lr", "0.1", "--epochs", "5"]
    assert main(args + ["--plot", str(tmp_path / "v.png"), "--report", str(tmp_path / "v.html")]) == 0
    out = capsys.readouterr().out
    assert "AGREE: largest loss difference" in out and "time: mlplab" in out
    assert (tmp_path / "v.png").read_bytes()[:4] == b"\x89PNG"
    assert "data:image/png;base64," in (tmp_path / "v.html").read_text()
    assert main(args + ["--tolerance", "1e-30", "--dtype", "float32"]) == 1  # rounding alone breaks it
    assert "DISAGREE" in capsys.readouterr().out


def test_refuses_what_it_cannot_replay():
    torch_or_skip()
    with pytest.raises(ValueError, match="does not compare dropout, l1 yet .*received dropout=0.2, l1=0.1"):
        mlplab.verify("moons", dropout=0.2, l1=0.1, epochs=1)
    with pytest.raises(ValueError, match="give one seed; received 3 seeds"):
        mlplab.verify("moons", seeds=(0, 1, 2), epochs=1)
    with pytest.raises(ValueError, match="dtype must be float32 or float64; received dtype='float16'"):
        mlplab.verify("moons", dtype="float16")
    with pytest.raises(ValueError, match="verify can replay the losses .*received loss='focal'"):
        mlplab.verify("moons", loss="focal", epochs=1)


def test_float32_drift_is_told_apart_from_a_bug_in_float64():
    """Lesson A's 2-4-4-2, seed 15: float32 rounding tips the run onto another path
    around epoch 250 in one engine; in float64 both agree to 1e-11."""
    torch_or_skip()
    lesson = dict(layers=(4, 4), lr=0.05, batch_size=300, epochs=300, init="torch", rng="torch",
                  data_rng="legacy", test_size=0, val_split=0, seeds=(15,))
    assert mlplab.verify("disc_ring", dtype="float64", **lesson).max_difference < 1e-11
