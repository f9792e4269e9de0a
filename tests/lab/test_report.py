import re

import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from mlplab.cli import main  # noqa: E402
from mlplab.lab import TrainConfig, run_training  # noqa: E402
from mlplab.lab.report import build_report, write_report  # noqa: E402


def _sections(page):
    return re.findall(r"<h2>(.*?)</h2>", page)


def test_report_for_2d_data_has_the_boundary_and_the_animation(tmp_path):
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=20,
                                      batch_size=300), record=True)
    path = write_report(result, tmp_path / "run.html")
    page = path.read_text()
    assert _sections(page) == ["Configuration", "Results", "Training curves", "Decision boundary",
                               "Test set", "Hidden representations", "Diagnostics", "The network"]
    assert page.count("mlplab-player") >= 2           # boundary film and weight film
    assert "mlplab train disc_ring --layers 4,4" in page
    assert not re.search(r"(src|href)=.(https?:)?//", page)  # nothing loaded from elsewhere
    assert (path.stat().st_mode & 0o777) != 0o600


def test_report_for_images_shows_samples_and_predictions():
    result = run_training(TrainConfig(dataset="digits", layers=(16,), epochs=2), record=True)
    page = build_report(result)
    assert "Images" in _sections(page) and "Decision boundary" not in _sections(page)
    assert page.count("<img") >= 6


def test_report_for_replicas_reports_ranges():
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=10,
                                      batch_size=300, seeds=(0, 1, 2)), record=True)
    page = build_report(result)
    assert "median [min, max] over seeds" in page
    assert "Test set" not in _sections(page)  # per-seed confusion matrices are not drawn


def test_train_writes_report_and_gif(tmp_path, capsys):
    code = main(["train", "moons", "--layers", "8", "--epochs", "15", "--lr", "0.02",
                 "--report", str(tmp_path / "r.html"), "--animate", str(tmp_path / "a.gif")])
    assert code == 0
    out = capsys.readouterr().out
    assert f"report         {tmp_path / 'r.html'}" in out
    from PIL import Image
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 16  # epochs 0..15


def test_animate_needs_2d_data(tmp_path, capsys):
    code = main(["train", "iris", "--epochs", "2", "--animate", str(tmp_path / "a.gif")])
    assert code == 2
    assert "--animate needs 2-D classification data; 'iris' has 4 features" in capsys.readouterr().err
    assert not (tmp_path / "a.gif").exists()
