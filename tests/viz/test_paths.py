"""Optimizer paths from their real start, a step counter per frame, 3-D, noisy paths and
a model's loss surface (issue 12, optimizer paths)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import disc_ring  # noqa: E402

TWO = {"gradient descent": ("sgd", {}), "momentum": ("sgd", {"momentum": 0.9})}


def test_start_marker_and_title_from_the_real_start():
    paths = viz.optimizer_paths("lesson_c", steps=200, walkers=TWO, start=(0.1, 1.6),
                                lr={"gradient descent": 0.1, "momentum": 0.01})
    ax = viz.plot_paths("lesson_c", paths=paths).axes[0]
    assert "from (0.1, 1.6)" in ax.get_title() and "3.5" not in ax.get_title()
    start = next(ln for ln in ax.get_lines() if ln.get_label() == "start")
    np.testing.assert_allclose(start.get_xydata(), [[0.1, 1.6]])


def test_every_frame_of_the_paths_animation_counts_its_step():
    paths = viz.optimizer_paths("lesson_c", steps=20, walkers=TWO, start=(0.1, 1.6))
    anim = viz.PathsAnimation("lesson_c", paths, every=5)
    counts = []
    for _ in anim.frames():
        counts.append(anim._counter.get_text())
    assert counts == [f"step {k} of 20" for k in (0, 5, 10, 15, 20)]
    assert "from (0.1, 1.6)" in anim._counter.axes.get_title()


def test_three_d_surface_draws_the_paths_on_the_surface():
    paths = viz.optimizer_paths("rosenbrock", steps=30, walkers=TWO)
    fig = viz.plot_paths("rosenbrock", paths=paths, three_d=True)
    ax = fig.axes[0]
    assert ax.name == "3d"
    line = next(ln for ln in ax.get_lines() if ln.get_label() == "momentum")
    xs, ys, zs = line.get_data_3d()
    np.testing.assert_allclose(np.column_stack([xs, ys]), paths["momentum"])
    with pytest.raises(ValueError, match="3-D Axes"):
        viz.plot_paths("rosenbrock", paths=paths, three_d=True, ax=viz.dataset([[0, 0]], [0]).axes[0])


def test_mini_batch_paths_are_noisy_and_reproducible():
    clean = viz.optimizer_paths("rosenbrock", steps=50, walkers=TWO)
    noisy = viz.optimizer_paths("rosenbrock", steps=50, walkers=TWO, noise=0.5, seed=1)
    again = viz.optimizer_paths("rosenbrock", steps=50, walkers=TWO, noise=0.5, seed=1)
    np.testing.assert_array_equal(noisy["momentum"], again["momentum"])
    assert np.abs(noisy["momentum"] - clean["momentum"]).max() > 1e-3
    np.testing.assert_array_equal(noisy["momentum"][0], clean["momentum"][0])
    with pytest.raises(ValueError, match="noise must be a number >= 0"):
        viz.optimizer_paths("rosenbrock", noise=-1)


def test_model_loss_surface_is_lowest_near_the_trained_weights_and_leaves_them_alone():
    X, y = disc_ring(n_samples=100, seed=0)
    net = mlplab.mlp([2, 8, 2], seed=0)
    mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, optimizer="adam", epochs=60)
    before = [p.copy() for p, _ in net.parameters()]
    a, b, L = viz.loss_landscape(net, X, y, span=1.0, n=9)
    centre = L[4, 4]
    from mlplab.nn import losses
    assert centre == pytest.approx(float(losses.get("cross_entropy").value(net.forward(X), y)))
    assert centre <= L.min() + 0.05 and L.max() > 2 * centre
    for p, q in zip(before, (p for p, _ in net.parameters())):
        np.testing.assert_array_equal(p, q)
    fig = viz.loss_surface(net, X, y, n=7)
    assert "around the trained weights" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="span must be a positive number"):
        viz.loss_landscape(net, X, y, span=0)
