"""The decision boundary is a smooth contour at p = 0.5, points stay visible and the
legend never covers them (issue 12, decision boundaries)."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import disc_ring  # noqa: E402
from mlplab.nn.recorders import BoundaryRecorder, Grid  # noqa: E402
from mlplab.viz.boundary import boundary_levels  # noqa: E402


class Disc:
    """p(class 1) = sigmoid(8 (r^2 - 0.36)): the boundary is the circle r = 0.6."""

    def predict_proba(self, X):
        X = np.asarray(X, dtype=np.float64)
        p1 = 1 / (1 + np.exp(-8 * ((X ** 2).sum(-1) - 0.36)))
        return np.stack([1 - p1, p1], axis=-1)

    def predict(self, X):
        return self.predict_proba(X).argmax(-1)


def _boundary_vertices(ax):
    from matplotlib.contour import ContourSet
    sets = [c for c in ax.get_children() if isinstance(c, ContourSet)]
    assert sets, "no contour drawn"
    return [p.vertices for c in sets for p in c.get_paths() if len(p.vertices)]


def test_boundary_is_a_smooth_contour_at_one_half_not_a_staircase():
    X = np.array([[0.0, 0.0], [0.9, 0.0]])
    fig = viz.decision_boundary(Disc(), X, np.array([0, 1]), grid=Grid(-1, 1, -1, 1, 50))
    paths = _boundary_vertices(fig.axes[0])
    v = np.vstack(paths)
    # interpolated between the 50x50 cells: every vertex lies on the true circle
    r = np.sqrt((v ** 2).sum(1))
    assert np.abs(r - 0.6).max() < 0.01
    # a staircase runs along the grid: every step horizontal or vertical; a contour does not
    steps = np.diff(paths[0], axis=0)
    axis_aligned = (np.abs(steps) < 1e-9).any(axis=1).mean()
    assert axis_aligned < 0.2, axis_aligned
    # p = 0.5 exactly on it (the level drawn is the probability's 0.5)
    p = Disc().predict_proba(v)[:, 1]
    assert np.abs(p - 0.5).max() < 0.05


def test_boundary_levels_for_more_classes_meet_where_two_classes_tie():
    grid = Grid(-1, 1, -1, 1, 21)
    x = grid.points[:, 0].reshape(21, 21)
    logits = np.stack([-4 * x, 0 * x, 4 * x], axis=-1)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    fields = boundary_levels(p)
    assert len(fields) == 3
    # class 0 against the rest changes sign at x = 0 (where classes 0 and 1 tie ... and 2)
    assert fields[0][10, 0] > 0 > fields[0][10, 20]


def test_legend_never_covers_a_point():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    net = mlplab.mlp([2, 4, 2], seed=1)
    for X_test in (None, X + 0.05):
        fig = viz.decision_boundary(net, X, y, X_test, None if X_test is None else y)
        fig.canvas.draw()
        ax = fig.axes[0]
        box = ax.get_legend().get_window_extent()
        pts = ax.transData.transform(np.vstack([X] + ([] if X_test is None else [X_test])))
        inside = (pts[:, 0] >= box.x0 - 5) & (pts[:, 0] <= box.x1 + 5) & \
                 (pts[:, 1] >= box.y0 - 5) & (pts[:, 1] <= box.y1 + 5)
        assert not inside.any()
        # the four truth-table points are drawn big enough to see
        assert min(c.get_sizes()[0] for c in ax.collections if hasattr(c, "get_sizes")) >= 40


def test_points_of_a_twenty_panel_grid_are_rimmed_and_big_enough():
    X, y = disc_ring(n_samples=100, seed=0)
    net = mlplab.mlp([2, 3, 2], seed=list(range(20)))
    fig = viz.decision_boundary(net, X, y, grid=Grid.around(X, resolution=30))
    assert len(fig.axes) == 20
    for ax in fig.axes:
        scatters = [c for c in ax.collections if hasattr(c, "get_offsets") and
                    len(c.get_offsets()) > 10]
        assert scatters
        for c in scatters:
            assert c.get_sizes()[0] >= 7
            edge = c.get_edgecolors()[0][:3]
            assert edge.max() < 0.3  # a dark rim: visible on its own class's colour


def test_animation_frames_draw_the_contour_of_each_frame():
    X, y = disc_ring(n_samples=120, seed=0)
    net = mlplab.mlp([2, 6, 2], seed=0)
    grid = Grid.around(X, resolution=40)
    rec = BoundaryRecorder(grid, every=10)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, optimizer="adam", epochs=40,
                   callbacks=[rec])
    anim = viz.TrainingAnimation(rec, h, X, y)
    frames = list(anim.frames())
    assert len(frames) == len(rec.epochs)
    # after the last frame, the drawn line is the last recorded field's zero level
    v = np.vstack(_boundary_vertices(anim._im.axes))
    z = boundary_levels(anim.film[-1])[0]
    xs, ys = grid.axes
    i = np.clip(np.searchsorted(xs, v[:, 0]) - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, v[:, 1]) - 1, 0, len(ys) - 2)
    corners = np.stack([z[j, i], z[j, i + 1], z[j + 1, i], z[j + 1, i + 1]])
    assert ((corners.min(0) <= 1e-9) & (corners.max(0) >= -1e-9)).all()  # each vertex in a cell crossing 0
    # the legend sits beside the field, not over it
    ax = anim._im.axes
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
