"""Curves: the right labels, accuracy in %, whole epochs, chosen series, legends off the
curves, colours that do not repeat (issue 12, curves)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from mlplab import viz  # noqa: E402
from mlplab.nn import History  # noqa: E402


def _history(epochs=7, test=True):
    h = History()
    for e in range(epochs):
        logs = {"loss": np.array(1.0 / (e + 1)), "accuracy": np.array(0.5 + 0.05 * e),
                "val_loss": np.array(1.2 / (e + 1)), "val_accuracy": np.array(0.45 + 0.05 * e),
                "lr": np.array(0.1 * 0.5 ** e)}
        if test:
            logs.update(test_loss=np.array(1.3 / (e + 1)), test_accuracy=np.array(0.4 + 0.05 * e))
        h.append(logs)
    return h


def _labels(ax):
    return [ln.get_label() for ln in ax.get_lines()]


def test_labels_train_validation_test_and_lr_is_lr():
    fig = viz.training_curves(_history(), metrics=("loss", "lr"))
    loss, lr = fig.axes
    assert _labels(loss) == ["train", "validation", "test"]
    assert [ln.get_linestyle() for ln in loss.get_lines()] == ["-", "--", ":"]
    np.testing.assert_allclose(loss.get_lines()[2].get_ydata(), 1.3 / np.arange(1, 8))
    assert _labels(lr) == ["lr"]
    assert lr.get_ylabel() == "learning rate"


def test_accuracy_in_percent_and_whole_epoch_ticks():
    fig = viz.training_curves(_history(), metrics=("accuracy",))
    ax = fig.axes[0]
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith("%") for t in ticks)
    assert ax.get_ylabel() == "accuracy (%)"
    xt = [v for v in ax.get_xticks() if ax.get_xlim()[0] <= v <= ax.get_xlim()[1]]
    assert all(float(v).is_integer() for v in xt)


def test_a_choice_of_series():
    fig = viz.training_curves(_history(), metrics=("loss",), series=("train", "test"))
    assert _labels(fig.axes[0]) == ["train", "test"]
    with pytest.raises(ValueError, match="series must be among"):
        viz.training_curves(_history(), series=("val",))
    with pytest.raises(ValueError, match="none of metrics"):
        viz.training_curves(_history(), metrics=("f1",))


def test_legend_of_ten_runs_covers_no_curve_and_colours_do_not_repeat():
    runs = [_history(test=False) for _ in range(12)]
    fig = viz.training_curves(runs, labels=[f"act {i}" for i in range(12)], metrics=("loss",))
    ax = fig.axes[0]
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    axes_box = ax.get_window_extent()
    assert legend.y0 >= axes_box.y1 - 1  # above the plotting area
    colors = {tuple(np.round(ln.get_color() if isinstance(ln.get_color(), tuple)
                             else __import__("matplotlib").colors.to_rgba(ln.get_color()), 3))
              for ln in ax.get_lines()}
    assert len(colors) == 12


def test_a_test_curve_per_epoch_from_the_test_curve_callback():
    import mlplab
    from mlplab.data import disc_ring
    from mlplab.nn import losses

    X, y = disc_ring(n_samples=80, seed=0)
    Xt, yt = disc_ring(n_samples=40, seed=1)
    net = mlplab.mlp([2, 4, 2], seed=0)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=5,
                   callbacks=[viz.TestCurve(Xt, yt)])
    assert len(h["test_loss"]) == 5
    # the last epoch's test loss is the trained network's loss on the test set
    last = float(losses.get("cross_entropy").value(net.forward(Xt), yt))
    assert float(h["test_loss"][-1]) == pytest.approx(last, rel=1e-5)
    fig = viz.training_curves(h, metrics=("loss", "accuracy"))
    assert _labels(fig.axes[0]) == ["train", "test"]
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), np.asarray(h["test_loss"]))


def test_split_layout_draws_training_and_validation_on_separate_panels():
    runs = [_history(test=False), _history(test=False)]
    fig = viz.training_curves(runs, labels=["relu", "elu"], metrics=("accuracy",),
                              layout="split")
    axes = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in axes] == ["training accuracy", "validation accuracy"]
    # each panel holds one series, one line per run, named by the run alone
    assert [_labels(a) for a in axes] == [["relu", "elu"], ["relu", "elu"]]
    np.testing.assert_allclose(axes[1].get_lines()[0].get_ydata(), 0.45 + 0.05 * np.arange(7))
    assert {ln.get_linestyle() for ln in axes[1].get_lines()} == {"--"}
    assert axes[0].get_ylim() == axes[1].get_ylim()  # one scale per metric
    # one legend for the figure, not one per panel
    assert len(fig.legends) == 1 and all(a.get_legend() is None for a in axes)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["relu", "elu"]


def test_split_layout_rows_per_metric_and_composes_into_given_axes():
    fig = viz.training_curves(_history(), metrics=("loss", "lr"), layout="split")
    visible = [a.get_title() for a in fig.axes if a.get_visible()]
    assert visible == ["training loss", "validation loss", "test loss", "lr"]
    from matplotlib.figure import Figure

    outer = Figure(figsize=(8, 3))
    axes = outer.subplots(1, 3)
    got = viz.training_curves(_history(), metrics=("accuracy",), layout="split", ax=axes)
    assert got is outer and [a.get_title() for a in axes] == [
        "training accuracy", "validation accuracy", "test accuracy"]
    with pytest.raises(ValueError, match=r"ax must give one Axes per metric and series drawn "
                                         r"\(\['train accuracy', 'validation accuracy', "
                                         r"'test accuracy'\]\); received 2 Axes"):
        viz.training_curves(_history(), metrics=("accuracy",), layout="split", ax=axes[:2])
    with pytest.raises(ValueError, match=r"layout must be one of 'together', 'split'; "
                                         r"received layout='grid'"):
        viz.training_curves(_history(), layout="grid")
