"""Regression pictures: curves at chosen epochs, the 1-D animation, the fitted curve and
the loss figures of lesson C (issue 12, regression)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import line  # noqa: E402
from mlplab.nn import losses  # noqa: E402
from mlplab.viz.functions import line_label  # noqa: E402


@pytest.fixture(scope="module")
def run():
    X, y = line(n_samples=40, seed=0)
    net = mlplab.mlp([1, 4, 1], activation="sigmoid", seed=0, dtype="float64")
    rec = viz.CurveRecorder(X, at=(6, 101, 300))
    h = mlplab.fit(net, X, y, loss="mse", optimizer="adam", lr=0.05, epochs=300, callbacks=[rec])
    return X, y, net, rec, h


def test_curves_are_recorded_at_the_chosen_epochs_and_drawn_as_they_were(run):
    X, y, net, rec, h = run
    assert rec.epochs == [0, 6, 101, 300]
    fig = viz.regression_predictions(rec, X, y, epochs=[6, 300])
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    assert set(lines) == {"epoch 6", "epoch 300"}
    final = net.forward(rec.xs[:, None])[:, 0]
    np.testing.assert_allclose(lines["epoch 300"].get_ydata(), final, rtol=1e-6)
    assert np.ptp(lines["epoch 6"].get_ydata()) < np.ptp(final)  # early: flatter
    with pytest.raises(ValueError, match=r"epochs \[50\] were not recorded"):
        viz.regression_predictions(rec, X, y, epochs=[50])


def test_regression_animation_has_a_frame_per_record_ending_on_the_fit(run):
    X, y, net, rec, h = run
    anim = viz.RegressionAnimation(rec, h, X, y)
    frames = list(anim.frames())
    assert len(frames) == 4 and frames[0].shape == frames[-1].shape
    np.testing.assert_allclose(anim._curve.get_ydata(), net.forward(rec.xs[:, None])[:, 0])
    assert not np.array_equal(frames[0], frames[-1])


def test_fitted_curve_goes_through_the_network(run):
    X, y, net, rec, h = run
    fig = viz.regression_fit(net, X, y)
    ln = next(ln for ln in fig.axes[0].get_lines() if ln.get_label() == "network")
    np.testing.assert_allclose(ln.get_ydata(), net.forward(ln.get_xdata()[:, None])[:, 0], rtol=1e-6)
    with pytest.raises(ValueError, match="X must be one feature"):
        viz.regression_fit(net, np.zeros((4, 2)), np.zeros(4))


def test_line_labels_write_the_sign_once():
    assert line_label(2.75, -0.91) == "y = 2.75x - 0.91"
    assert line_label(2.0, 1.0) == "y = 2.00x + 1.00"


def test_outlier_figure_writes_each_points_loss_and_names_only_what_is_drawn():
    X = np.arange(1, 11, dtype=float)
    y = 3 * X + 1
    X, y = np.append(X, 8.0), np.append(y, 50.0)   # one extreme outlier
    fig = viz.regression_losses(X, y, names=("mse", "mae"), epochs=1500)
    ax = fig.axes[0]
    (ms, mb), (as_, _) = fig.mlplab_fits["mse"], fig.mlplab_fits["mae"]
    # MSE: ordinary least squares; MAE: the clean line, untouched by the outlier
    np.testing.assert_allclose([ms, mb], np.polyfit(X, y, 1), rtol=1e-3, atol=1e-3)
    assert abs(as_ - 3) < 0.05
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels[0] == f"MSE: {line_label(ms, mb)}" and "+ -" not in " ".join(labels)
    # each point's loss under each annotated fit, beside it
    texts = [t for t in ax.texts]
    assert len(texts) == 2 * len(X)
    expected = (ms * 8 + mb - 50) ** 2
    assert any(t.get_text() == f"{expected:.3g}" and t.xy == (8.0, 50.0) for t in texts)
    assert ax.get_title() == "straight lines fitted with MSE and MAE"
    # the lines differ in style so one never hides another
    assert len({(ln.get_linestyle(), ln.get_linewidth()) for ln in ax.get_lines()}) == 2
    fig = viz.regression_losses(X, y, names=("mse", losses.get("huber", delta=5)), epochs=50,
                                annotate=())
    assert "Huber (delta=5)" in fig.axes[0].get_title() and not fig.axes[0].texts


def test_outlier_figure_on_lesson_c_own_data_fits_as_the_lesson():
    X, y = line(outlier=True, seed=42, rng="legacy")  # np.random.seed(42) data, (8, 50) appended
    fig = viz.regression_losses(X, y, names=("mse", "mae"))
    (ms, mb), (as_, ab) = fig.mlplab_fits["mse"], fig.mlplab_fits["mae"]
    # MSE: the lesson's np.polyfit line, 2.815x + 0.150; MAE: the exact L1 line (2.01x + 1.98)
    np.testing.assert_allclose([ms, mb], np.polyfit(X[:, 0], y, 1), atol=1e-3)
    assert round(ms, 3) == 2.815 and round(mb, 2) == 0.15
    assert abs(as_ - 2.01) < 0.02 and abs(ab - 1.99) < 0.05
    outlier = {t.get_text() for t in fig.axes[0].texts if t.xy == (8.0, 50.0)}
    assert "747" in outlier  # the lesson's "MSE: 747.2" beside its outlier


def test_loss_and_gradient_against_the_error_come_from_the_engine():
    fig = viz.loss_vs_error()
    ax, gx = fig.axes
    grads = {ln.get_label(): ln for ln in gx.get_lines() if not ln.get_label().startswith("_")}
    e = grads["MSE"].get_xdata()
    np.testing.assert_allclose(grads["MSE"].get_ydata(), 2 * e)
    np.testing.assert_allclose(grads["Huber (delta=1)"].get_ydata(), np.clip(e, -1, 1))
    np.testing.assert_allclose(np.abs(grads["MAE"].get_ydata()[np.abs(e) > 0.01]), 1.0)
    with pytest.raises(ValueError, match="error_range must be"):
        viz.loss_vs_error(error_range=(1, -1))


def test_cli_animates_and_reports_a_one_d_regression(tmp_path, capsys):
    from PIL import Image

    from mlplab.cli import main
    gif, report = tmp_path / "line.gif", tmp_path / "line.html"
    assert main(["train", "line", "--layers", "4", "--activation", "sigmoid", "--optimizer", "adam",
                 "--lr", "0.05", "--epochs", "40", "--loss", "mse", "--animate", str(gif),
                 "--report", str(report)]) == 0
    with Image.open(gif) as im:
        assert im.n_frames == 41  # epoch 0 and every epoch of 40
    page = report.read_text()
    assert "Fitted curve" in page and "fitted curve" in page
