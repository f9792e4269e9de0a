"""Activation figures as the lessons draw them, the softmax temperature, dead units per
configuration and pictures of 20-layer networks (issue 12, the rest)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import disc_ring  # noqa: E402
from mlplab.nn import GradientStats, History, NeuronStats  # noqa: E402


def test_activations_as_the_lessons_draw_them():
    fig = viz.activation_functions(["sigmoid", "tanh"], layout="lesson")
    f, d = fig.axes[:2]
    lines = {ln.get_label(): ln for ln in f.get_lines()}
    x = lines["tanh"].get_xdata()
    np.testing.assert_allclose(lines["tanh"].get_ydata(), np.tanh(x), atol=1e-6)
    np.testing.assert_allclose(lines["relu (reference)"].get_ydata(), np.maximum(x, 0))
    dlines = {ln.get_label(): ln for ln in d.get_lines()}
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(dlines["sigmoid"].get_ydata(), s * (1 - s), atol=1e-6)
    with pytest.raises(ValueError, match="layout must be 'panels' or 'lesson'"):
        viz.activation_functions(layout="grid")


def test_softmax_temperature_sharpens_and_flattens():
    fig = viz.softmax_temperature((2.0, 1.0, 0.1), (0.5, 1.0, 5.0))
    p = fig.axes[0].mlplab_probabilities
    z = np.array([2.0, 1.0, 0.1])
    expected = np.exp(z / 1.0) / np.exp(z / 1.0).sum()
    np.testing.assert_allclose(p[1], expected, rtol=1e-6)
    assert p[0, 0] > p[1, 0] > p[2, 0] > 1 / 3  # low T: sharper on the largest logit
    heights = [b.get_height() for b in fig.axes[0].patches]
    np.testing.assert_allclose(heights, p.ravel(), rtol=1e-6)
    with pytest.raises(ValueError, match="temperatures must be positive"):
        viz.softmax_temperature(temperatures=(0, 1))


def _alive_history(alive_per_layer, epochs=3):
    h = History()
    for _ in range(epochs):
        h.append({"loss": np.array([0.5, 0.5]),
                  **{f"alive.{k + 1}": np.asarray(a, dtype=float) for k, a in enumerate(alive_per_layer)}})
    return h


def test_dead_units_per_configuration_in_percent():
    narrow = _alive_history([[4, 2], [3, 4]])  # 2 seeds: 1 and 2 dead of 8
    wide = _alive_history([[8, 8], [8, 7]])   # 0 and 1 dead of 16
    fig = viz.dead_units([narrow, wide], [[4, 4], [8, 8]], labels=["4,4", "8,8"])
    ax = fig.axes[0]
    bars = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(bars, [100 * 1.5 / 8, 100 * 0.5 / 16])
    dots = [ln.get_ydata() for ln in ax.get_lines()]
    np.testing.assert_allclose(dots[0], [12.5, 25.0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["4,4", "8,8"]
    with pytest.raises(ValueError, match="widths\\[0\\] names 3 hidden layers"):
        viz.dead_units(narrow, [4, 4, 4])


def test_twenty_layer_pictures_stay_readable():
    X, y = disc_ring(n_samples=60, seed=0)
    net = mlplab.mlp([2] + [6] * 20 + [2], activation="tanh", seed=0)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=2,
                   callbacks=[NeuronStats(), GradientStats()])
    for fig in (viz.gradient_norms(h), viz.saturation(h)):
        ax = fig.axes[0]
        fig.canvas.draw()
        colors = {tuple(np.round(np.asarray(__import__("matplotlib").colors.to_rgba(ln.get_color())), 3))
                  for ln in ax.get_lines()}
        assert len(colors) == len(ax.get_lines()) >= 20  # no colour repeats
        legend = ax.get_legend().get_window_extent()
        assert legend.x0 >= ax.get_window_extent().x1  # beside the axes, not over the lines
        assert legend.y1 <= fig.bbox.height + 1  # not cut off above
    reps = viz.hidden_representations(net, X, y)
    assert len(reps.axes) == 21
    reps.canvas.draw()
    widths = {round(a.get_position().width, 3) for a in reps.axes}
    assert min(widths) * reps.get_figwidth() > 1.8  # every thumbnail near 2 inches wide


def test_animations_render_only_the_frames_they_show():
    from mlplab.nn.recorders import BoundaryRecorder, Grid, WeightRecorder
    X, y = disc_ring(n_samples=60, seed=0)
    net = mlplab.mlp([2, 3, 2], seed=0)
    rec, wrec = BoundaryRecorder(Grid.around(X, resolution=20)), WeightRecorder()
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=30, callbacks=[rec, wrec])
    anim = viz.TrainingAnimation(rec, h, X, y, max_frames=5)
    assert anim.epochs == [0, 8, 15, 22, 30] and len(list(anim.frames())) == 5
    net_anim = viz.NetworkAnimation(wrec, max_frames=4)
    assert net_anim.epochs[0] == 0 and net_anim.epochs[-1] == 30 and len(list(net_anim.frames())) == 4
    with pytest.raises(ValueError, match="max_frames must be at least 2"):
        viz.TrainingAnimation(rec, h, X, y, max_frames=1)


def test_a_long_run_report_holds_a_bounded_number_of_frames():
    from mlplab.lab.report import REPORT_FRAMES, build_report
    from mlplab.lab.train import TrainConfig, run_training
    result = run_training(TrainConfig(dataset="disc_ring", layers=(3,), epochs=400, lr=0.05,
                                      n_samples=100), record=True)
    assert len(result.recorders["boundary"].epochs) > REPORT_FRAMES  # ~100 recorded
    page = build_report(result)
    images = page.count("data:image/png;base64,")
    assert images <= 10 + 2 * REPORT_FRAMES
    assert len(page) < 2_000_000
