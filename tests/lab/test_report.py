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
    assert ("--animate needs 2-D classification data or 1-D regression data; 'iris' has 4 "
            "features") in capsys.readouterr().err
    assert not (tmp_path / "a.gif").exists()


def _diverge(result, replica, epoch):
    """What the engine leaves after replica ``replica`` diverged at ``epoch``: NaN figures
    from then on, NaN weights, ``History.diverged`` / ``diverged_epoch``."""
    import numpy as np

    from mlplab.nn import History

    old, h = result.history, History()
    for e in range(old.epochs):
        logs = {}
        for key in old.keys():
            v = np.array(old[key][e], dtype=float)
            if v.ndim and e >= epoch:
                v[replica] = np.nan
            logs[key] = v
        h.append(logs)
    n = len(result.config.seeds)
    h.diverged = np.arange(n) == replica
    h.diverged_epoch = np.where(h.diverged, epoch, -1)
    result.history = h
    for f in result.figures.values():
        for measure in f:
            f[measure] = np.array(f[measure], dtype=float)
            f[measure][replica] = np.nan
    for layer in result.model.layers:
        for p in layer.params.values():
            p[replica] = np.nan
    return result


def test_report_with_a_diverged_seed_covers_every_seed_and_marks_it(monkeypatch):
    import numpy as np

    from mlplab import viz

    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=12,
                                      batch_size=300, seeds=(10, 11, 12, 13)), record=True)
    _diverge(result, replica=1, epoch=7)
    result.config.success = "train_accuracy > 0.6"   # TrainConfig.success (the rule's text)
    titles = {}

    def spy(name):
        original = getattr(viz, name)

        def draw(*args, **kwargs):
            fig = original(*args, **kwargs)
            titles[name] = (fig._suptitle.get_text(), [ax.get_title() for ax in fig.axes])
            return fig
        monkeypatch.setattr(viz, name, draw)

    spy("decision_boundary")
    spy("alive_neurons")
    page = build_report(result)
    ok = np.asarray(result.figures["train"]["accuracy"]) > 0.6
    k = int(ok.sum())
    assert f"{k}/4 seeds reach training accuracy &gt; 60%" in page
    assert "1 of 4 seeds diverged" in page
    # the seed table: one row per seed, the diverged one marked
    rows = re.findall(r"<tr><td>(1[0-3])</td>.*?</tr>", page)
    assert rows == ["10", "11", "12", "13"]
    assert re.search(r"<tr><td>11</td>(<td>nan%?</td>)+<td><span class='bad'>diverged at epoch 7</span>",
                     page)
    # pictures judge with the same rule and title the diverged panel
    for name in ("decision_boundary", "alive_neurons"):
        suptitle, panels = titles[name]
        assert f"{k}/4 seeds reach training accuracy > 60%, 1 diverged" in suptitle, name
        assert panels[1] == "seed 11: diverged at epoch 7", name
        assert panels[0].startswith("seed 10: "), name
    assert "nan [" not in page and "nan <small>" not in page  # medians leave the NaN seed out


def test_report_gradient_table_shows_tiny_norms_in_scientific_notation():
    import numpy as np

    from mlplab.nn import History

    result = run_training(TrainConfig(dataset="disc_ring", layers=(4,), epochs=3, batch_size=300),
                          record=True)
    old, h = result.history, History()
    for e in range(old.epochs):
        h.append({k: (np.float64(1e-11) if k == "grad_norm.1" else old[k][e]) for k in old.keys()})
    result.history = h
    page = build_report(result)
    row = re.search(r"<tr><td>Dense layer 1</td><td>(.*?)</td>", page).group(1)
    assert row == "1.000e-11"


def test_report_without_a_test_set_shows_the_training_rows():
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=20,
                                      batch_size=300, test_size=0.0, val_split=0.0), record=True)
    assert result.dataset.n_test == 0
    page = build_report(result)
    assert "Training set (no test set)" in _sections(page) and "Test set" not in _sections(page)
    # the classification report counts every one of the 300 training rows
    assert re.search(r"\b300\b", page.split("Training set (no test set)")[1].split("</pre>")[0])
