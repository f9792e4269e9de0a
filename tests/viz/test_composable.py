"""Every public plotting function draws where it is told (``ax=`` for one panel, ``fig=``
for several, a SubFigure included) and returns the Figure (issue 12, composable)."""

import inspect

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import disc_ring, line  # noqa: E402
from mlplab.nn import GradientStats, NeuronStats, Perceptron  # noqa: E402
from mlplab.nn.recorders import Grid  # noqa: E402
from mlplab.viz._style import new_figure  # noqa: E402

#: public functions of mlplab.viz that compute numbers, not pictures
NOT_PICTURES = {"field_image", "optimizer_paths", "loss_landscape"}


@pytest.fixture(scope="module")
def run():
    X, y = disc_ring(n_samples=80, seed=0)
    net = mlplab.mlp([2, 4, 2, 2], seed=0)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=6, validation_split=0.2,
                   callbacks=[NeuronStats(), GradientStats()])
    sat = mlplab.mlp([2, 3, 2], activation="tanh", seed=0)
    hs = mlplab.fit(sat, X, y, loss="cross_entropy", lr=0.05, epochs=3, callbacks=[NeuronStats()])
    imgs = np.random.default_rng(0).random((30, 16)).astype(np.float32)
    labels = np.arange(30) % 3
    img_net = mlplab.mlp([16, 3], seed=0)
    Xl, yl = line(n_samples=8, seed=0)
    lin1 = mlplab.mlp([1, 1], seed=0)
    curves = viz.CurveRecorder(Xl, every=2)
    mlplab.fit(lin1, Xl, yl, loss="mse", lr=0.01, epochs=4, callbacks=[curves])
    perceptron = Perceptron(max_epochs=5).fit(X, y)
    return dict(X=X, y=y, perceptron=perceptron, net=net, h=h, hs=hs, imgs=imgs, labels=labels, img_net=img_net,
                lin1=lin1, curves=curves)


def _calls(r):
    """name -> (kind, call(where)) where kind is "ax" or "fig"."""
    Xl, yl = line(n_samples=8, seed=0)
    grid = Grid.around(r["X"], resolution=20)
    return {
        "decision_boundary": ("ax", lambda **w: viz.decision_boundary(r["net"], r["X"], r["y"],
                                                                      grid=grid, **w)),
        "training_curves": ("ax", lambda **w: viz.training_curves(r["h"], metrics=("loss",), **w)),
        "dataset": ("ax", lambda **w: viz.dataset(r["X"], r["y"], **w)),
        "activation_functions": ("fig", lambda **w: viz.activation_functions(["relu", "tanh"], **w)),
        "bce_vs_mse": ("fig", lambda **w: viz.bce_vs_mse(**w)),
        "regression_losses": ("ax", lambda **w: viz.regression_losses(Xl, yl, epochs=20, **w)),
        "confusion_heatmap": ("ax", lambda **w: viz.confusion_heatmap(np.eye(3, dtype=int) * 5, **w)),
        "image_grid": ("fig", lambda **w: viz.image_grid(r["imgs"], r["labels"], n=4, **w)),
        "prediction_grid": ("fig", lambda **w: viz.prediction_grid(r["img_net"], r["imgs"],
                                                                   r["labels"], n=4, **w)),
        "network_graph": ("ax", lambda **w: viz.network_graph(r["net"], **w)),
        "alive_neurons": ("fig", lambda **w: viz.alive_neurons(r["h"], **w)),
        "gradient_norms": ("fig", lambda **w: viz.gradient_norms(r["h"], **w)),
        "saturation": ("ax", lambda **w: viz.saturation(r["hs"], **w)),
        "hidden_representations": ("fig", lambda **w: viz.hidden_representations(r["net"], r["X"],
                                                                                 r["y"], **w)),
        "warped_grid": ("fig", lambda **w: viz.warped_grid(r["net"], r["X"], r["y"], layer=2, **w)),
        "plot_paths": ("ax", lambda **w: viz.plot_paths("rosenbrock", steps=10, **w)),
        "softmax_temperature": ("ax", lambda **w: viz.softmax_temperature(**w)),
        "dead_units": ("ax", lambda **w: viz.dead_units([r["h"], r["h"]], [4, 2], **w)),
        "loss_vs_error": ("fig", lambda **w: viz.loss_vs_error(**w)),
        "regression_fit": ("ax", lambda **w: viz.regression_fit(r["lin1"], Xl, yl, **w)),
        "regression_predictions": ("ax", lambda **w: viz.regression_predictions(r["curves"], Xl, yl,
                                                                                **w)),
        "perceptron_figure": ("fig", lambda **w: viz.perceptron_figure(r["perceptron"], r["X"], r["y"],
                                                                     **w)),
        "loss_surface": ("ax", lambda **w: viz.loss_surface(r["net"], r["X"], r["y"], n=5, **w)),
    }


def _public_pictures():
    return sorted(name for name in viz.__all__ if inspect.isfunction(getattr(viz, name))
                  and name not in NOT_PICTURES)


def test_every_public_plotting_function_takes_ax_or_fig_and_is_tested_here(run):
    calls = _calls(run)
    for name in _public_pictures():
        params = inspect.signature(getattr(viz, name)).parameters
        assert "ax" in params or "fig" in params, f"viz.{name} takes neither ax= nor fig="
        assert name in calls, f"viz.{name} is public: add it to this test"


@pytest.mark.parametrize("name", _public_pictures())
def test_draws_on_the_given_axes_or_subfigure_and_returns_its_figure(run, name):
    kind, call = _calls(run)[name]
    host = new_figure(12, 5)
    if kind == "ax":
        left, right = host.subplots(1, 2)
        right.plot([0, 1], [0, 1])
        got = call(ax=left)
        assert got is host
        assert left.has_data() or left.images or left.collections or left.texts
        assert len(right.lines) == 1  # the neighbour is untouched
    else:
        sub_a, sub_b = host.subfigures(1, 2)
        got = call(fig=sub_b)
        assert got is host
        assert sub_b.axes and not sub_a.axes
    # and alone, a new Figure of its own
    alone = call()
    assert alone is not host and type(alone).__name__ == "Figure"


def test_a_two_by_two_comparison_of_boundaries_and_curves(run):
    fig = new_figure(9, 7)
    axes = fig.subplots(2, 2)
    lin = mlplab.mlp([2, 2], seed=0)
    grid = Grid.around(run["X"], resolution=20)
    assert viz.decision_boundary(lin, run["X"], run["y"], grid=grid, ax=axes[0, 0]) is fig
    assert viz.decision_boundary(run["net"], run["X"], run["y"], grid=grid, ax=axes[0, 1]) is fig
    assert viz.training_curves(run["h"], metrics=("loss", "accuracy"), ax=axes[1]) is fig
    assert len(fig.axes) >= 4 and all(a.has_data() or a.images for a in axes.ravel())


def test_wrong_places_are_refused_with_the_argument_named(run):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        viz.dataset(run["X"], run["y"], ax="left")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        viz.bce_vs_mse(fig=3)
    with pytest.raises(ValueError, match="one Axes per metric"):
        viz.training_curves(run["h"], ax=new_figure(3, 3).add_subplot())
    reps = mlplab.mlp([2, 3, 2], seed=[1, 2])
    with pytest.raises(ValueError, match="pass fig="):
        viz.decision_boundary(reps, run["X"], run["y"], ax=new_figure(3, 3).add_subplot())


def test_prediction_grid_orders_and_layouts(run):
    net, imgs, labels = run["img_net"], run["imgs"], run["labels"]
    pred = net.predict_proba(imgs).argmax(-1)
    fig = viz.prediction_grid(net, imgs, labels, n=16, order="first", layout=(2, 8))
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 16
    geom = {ax.get_subplotspec().get_geometry()[:2] for ax in shown}
    assert geom == {(2, 8)}
    # "first": the data's order, panel i is image i
    assert np.array_equal(shown[3].images[0].get_array(), imgs[3].reshape(4, 4))
    fig = viz.prediction_grid(net, imgs, labels, n=4, order="mistakes", layout=(2, 2))
    wrong = np.flatnonzero(pred != labels)[:4]
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert all("true" in t for t in titles[:len(wrong)])
    with pytest.raises(ValueError, match="order must be one of"):
        viz.prediction_grid(net, imgs, labels, order="worst")
    with pytest.raises(ValueError, match="layout must be"):
        viz.prediction_grid(net, imgs, labels, layout=(0, 4))


def test_dataset_scatter_draws_every_point_in_its_class_colour(run):
    from matplotlib.colors import to_hex
    fig = viz.dataset(run["X"], run["y"])
    ax = fig.axes[0]
    cols = {to_hex(c.get_facecolors()[0]): len(c.get_offsets()) for c in ax.collections}
    assert cols == {"#d62728": int((run["y"] == 0).sum()), "#1f77b4": int((run["y"] == 1).sum())}
    assert "80 points" in ax.get_title()
    Xl, yl = line(n_samples=8, seed=0)
    ax = viz.dataset(Xl, yl).axes[0]
    assert np.allclose(ax.collections[0].get_offsets(), np.column_stack([Xl.ravel(), yl]))
    with pytest.raises(ValueError, match="X must be"):
        viz.dataset(np.zeros((4, 3)), np.zeros(4))
