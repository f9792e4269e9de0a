"""Pictures are checked by what they draw: pixel colours, frame counts, artist data."""

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

import mlplab  # noqa: E402
from mlplab import viz  # noqa: E402
from mlplab.data import disc_ring, line, per_seed  # noqa: E402
from mlplab.nn import Dense, History, NeuronStats, Perceptron, Sequential  # noqa: E402
from mlplab.nn.recorders import BoundaryRecorder, Grid, WeightRecorder  # noqa: E402
from mlplab.viz._style import BAD, GOOD, class_rgb, rgb_array  # noqa: E402


def _linear_classifier():
    """Logits (0, 4 x1): class 1 exactly where x1 > 0."""
    net = Sequential([Dense(2, 2, dtype="float64")])
    net.layers[0].params["W"][...] = [[0.0, 4.0], [0.0, 0.0]]
    net.layers[0].params["b"][...] = 0.0
    return net


def test_field_image_colours_both_sides_and_marks_the_boundary():
    grid = Grid(-1, 1, -1, 1, resolution=41)
    net = _linear_classifier()
    proba = net.predict_proba(grid.points).reshape(41, 41, 2)
    img = viz.field_image(proba).astype(int)
    red, blue = (class_rgb(2) * 255).astype(int)
    left, right = img[20, 2], img[20, 38]       # x1 = -0.9 and x1 = +0.9
    assert left[0] > left[2] and right[2] > right[0]  # reddish left, bluish right
    assert np.abs(left - red).sum() < np.abs(left - blue).sum()
    # the class changes between columns 20 (x1 = 0, p = 0.5) and 21: a dark line there
    assert set(np.flatnonzero(img[:, :, 0].max(axis=0) < 60)) == {21}


def test_decision_boundary_figure_pixels(tmp_path):
    net = _linear_classifier()
    X = np.array([[-0.8, 0.5], [0.8, -0.5]])
    fig = viz.decision_boundary(net, X, np.array([0, 1]), grid=Grid(-1, 1, -1, 1, 80))
    ax = fig.axes[0]
    rgb = rgb_array(fig)
    h = rgb.shape[0]

    def pixel(x, y):
        px, py = ax.transData.transform((x, y))
        return rgb[int(round(h - py)), int(round(px))].astype(int)

    for (x, y) in [(-0.5, -0.7), (-0.3, 0.8)]:
        p = pixel(x, y)
        assert p[0] > p[2] + 30, p   # red side
    for (x, y) in [(0.5, 0.7), (0.3, -0.8)]:
        p = pixel(x, y)
        assert p[2] > p[0] + 30, p   # blue side
    assert pixel(0.0, 0.3).max() < 90  # on the boundary line


@pytest.fixture(scope="module")
def trained():
    X, y = disc_ring(n_samples=120, seed=0)
    net = mlplab.mlp([2, 6, 6, 2], seed=0)
    rec = BoundaryRecorder(Grid.around(X, resolution=30), every=5)
    wrec = WeightRecorder(every=10)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.02, epochs=40,
                   callbacks=[rec, wrec, NeuronStats()])
    return X, y, net, rec, wrec, h


def test_recorder_frames(trained):
    X, y, net, rec, wrec, h = trained
    assert rec.epochs == [0, 5, 10, 15, 20, 25, 30, 35, 40]
    assert rec.film.shape == (9, 30, 30, 2)
    last = net.predict_proba(rec.grid.points).reshape(30, 30, 2)
    np.testing.assert_allclose(rec.film[-1], last, atol=1e-3)  # float16 storage
    assert wrec.epochs == [0, 10, 20, 30, 40] and len(wrec.snapshots[0]) == 3


def test_gif_has_one_frame_per_record_and_the_figure_size(trained, tmp_path):
    from PIL import Image
    X, y, net, rec, wrec, h = trained
    anim = viz.TrainingAnimation(rec, h, X, y, size=(6.0, 3.0), dpi=50)
    path = anim.save(tmp_path / "a.gif", fps=5)
    with Image.open(path) as gif:
        assert gif.n_frames == 9
        assert gif.size == (300, 150)
        assert gif.info["duration"] == 200
        first = np.asarray(gif.convert("RGB"), dtype=int)
        gif.seek(8)
        last = np.asarray(gif.convert("RGB"), dtype=int)
    assert np.abs(first - last).sum() > 0  # the film moves


def test_animation_frames_change_and_end_on_the_trained_model(trained):
    X, y, net, rec, wrec, h = trained
    frames = list(viz.TrainingAnimation(rec, h, X, y, dpi=40).frames())
    assert len(frames) == 9 and frames[0].shape == frames[-1].shape
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).sum() > 0
    # drawing the last frame again from scratch gives the same picture as the fast path
    again = list(viz.TrainingAnimation(rec, h, X, y, dpi=40).frames())[-1]
    np.testing.assert_array_equal(frames[-1], again)


def test_html_player_is_offline_and_holds_every_frame(trained, tmp_path):
    X, y, net, rec, wrec, h = trained
    page = viz.TrainingAnimation(rec, h, X, y, dpi=40).save(tmp_path / "a.html").read_text()
    assert page.count("data:image/png;base64,") == 9 + 1  # the frames + the first <img src>
    assert "http://" not in page and "https://" not in page
    assert '"labels": ["epoch 0", "epoch 5"' in page


def test_mp4_when_ffmpeg_exists(trained, tmp_path):
    import shutil
    import subprocess
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed (apt-get install ffmpeg)")
    X, y, net, rec, wrec, h = trained
    path = viz.TrainingAnimation(rec, h, X, y, size=(6.0, 3.0), dpi=50).save(tmp_path / "a.mp4", fps=5)
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                            "-show_entries", "stream=nb_read_frames,width,height,codec_name",
                            "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True)
    codec, width, height, frames = probe.stdout.strip().split(",")
    assert (codec, int(width), int(height), int(frames)) == ("h264", 300, 150, 9)


def test_mp4_without_ffmpeg_says_what_to_do(trained, tmp_path, monkeypatch):
    import shutil
    X, y, net, rec, wrec, h = trained
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="MP4 export needs ffmpeg"):
        viz.TrainingAnimation(rec, h, X, y).save(tmp_path / "a.mp4")
    assert not (tmp_path / "a.mp4").exists()


def test_animation_refuses_unknown_suffix(trained, tmp_path):
    X, y, net, rec, wrec, h = trained
    with pytest.raises(ValueError, match="must end in .gif, .mp4 or .html"):
        viz.TrainingAnimation(rec, h, X, y).save(tmp_path / "a.avi")


def test_network_graph_edges_follow_the_weights():
    W1 = np.array([[1.0, -2.0], [0.5, 0.0]])
    W2 = np.array([[-4.0], [2.0]])
    fig = viz.network_graph([(W1, np.array([[0.3, -0.1]])), (W2, np.array([[0.0]]))])
    edges = fig.axes[0].collections[0]
    weights = np.concatenate([W1.ravel(), W2.ravel()])
    colors = edges.get_colors()
    blue = np.array([0.12, 0.47, 0.71])
    red = np.array([0.84, 0.15, 0.16])
    for w, c in zip(weights, colors):
        assert np.allclose(c[:3], blue if w >= 0 else red, atol=0.01)
    widths = np.asarray(edges.get_linewidths())
    assert widths[4] == widths.max() == pytest.approx(6.0)          # |w| = 4, the largest
    np.testing.assert_allclose(widths, 0.3 + 5.7 * np.abs(weights) / 4)
    segments = edges.get_segments()
    assert len(segments) == 6 and segments[1][0][0] == 0 and segments[4][0][0] == 1


def test_network_animation(trained, tmp_path):
    from PIL import Image
    X, y, net, rec, wrec, h = trained
    path = viz.NetworkAnimation(wrec, history=h).save(tmp_path / "net.gif")
    with Image.open(path) as gif:
        assert gif.n_frames == 5


@pytest.mark.parametrize("surface,minimum", [("rosenbrock", (1.0, 1.0)), ("beale", (3.0, 0.5))])
def test_adam_path_reaches_the_minimum(surface, minimum):
    paths = viz.optimizer_paths(surface, steps=3000)
    np.testing.assert_allclose(paths["adam"][-1], minimum, atol=1e-3)
    assert set(paths) == {"gradient descent", "momentum", "nesterov", "rmsprop", "adam"}
    assert all(np.allclose(p[0], paths["adam"][0]) for p in paths.values())  # same start


def test_paths_figure_draws_every_path():
    paths = viz.optimizer_paths("lesson_c", steps=50)
    fig = viz.plot_paths("lesson_c", paths)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    np.testing.assert_allclose(lines["momentum"].get_xydata(), paths["momentum"])
    assert len(list(viz.PathsAnimation("lesson_c", paths, every=10).frames())) == 6


def test_curves_draw_the_median_of_replicas():
    X, y = per_seed("disc_ring", range(4), n_samples=60)
    net = mlplab.mlp([2, 4, 2], seed=list(range(4)))
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=15)
    fig = viz.training_curves(h)
    line = next(ln for ln in fig.axes[0].get_lines() if "median" in ln.get_label())
    np.testing.assert_allclose(line.get_ydata(), np.median(h.loss, axis=1))
    assert len(fig.axes) == 2


def test_alive_grid_colours_panels_by_success():
    X, y = per_seed("disc_ring", range(3), n_samples=60)
    net = mlplab.mlp([2, 4, 4, 2], seed=[0, 1, 2])
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=10, callbacks=[NeuronStats()])
    fig = viz.alive_neurons(h, widths=[4, 4], success=np.array([True, False, True]), seeds=[7, 8, 9])
    titles = [ax.title for ax in fig.axes]
    final = h.accuracy[-1]
    assert [t.get_text() for t in titles] == [f"seed {s}: {100 * a:.3g}%" for s, a in zip([7, 8, 9], final)]
    assert titles[0].get_color() != titles[1].get_color() == BAD
    line = fig.axes[1].get_lines()[0]  # layer 1, drawn a little off its count
    np.testing.assert_allclose(line.get_ydata() - line.get_ydata()[0] + h["alive.1"][0, 1],
                               h["alive.1"][:, 1])
    assert "2/3 seeds reach training accuracy > 95%" in fig._suptitle.get_text()


def _alive_history(n_replicas, epochs=5, equal=True):
    """A History with NeuronStats-like figures: both layers keep 3 of 4 units alive."""
    h = History()
    for _ in range(epochs):
        acc = np.linspace(0.9, 1.0, n_replicas)
        h.append({"loss": np.full(n_replicas, 0.1), "accuracy": acc,
                  "alive.1": np.full(n_replicas, 3.0), "alive.2": np.full(n_replicas, 3.0 if equal else 1.0)})
    return h


def test_alive_lines_of_equal_counts_both_stay_visible():
    fig = viz.alive_neurons(_alive_history(2), widths=[4, 4], seeds=[0, 1])
    first, second = (ln for ln in fig.axes[0].get_lines() if ln.get_label().startswith("layer"))
    gap = first.get_ydata()[0] - second.get_ydata()[0]
    assert abs(gap) >= 0.1                       # apart by more than a line's width
    assert np.round(first.get_ydata()).tolist() == np.round(second.get_ydata()).tolist() == [3] * 5
    assert first.get_linestyle() != second.get_linestyle()
    assert first.get_marker() != second.get_marker()
    labels = sorted(t.get_text() for t in fig.axes[0].texts)
    assert labels == ["L1: 3/4", "L2: 3/4"]


def test_alive_title_counts_every_replica_and_says_what_it_shows():
    h = _alive_history(30)                     # accuracy 0.9 .. 1.0: 15 above 0.95
    fig = viz.alive_neurons(h, widths=[4, 4], seeds=range(100, 130), max_panels=6)
    assert len(fig.axes) == 6
    assert "15/30 seeds reach training accuracy > 95% (showing 6 of 30)" in fig._suptitle.get_text()
    assert fig.axes[5].title.get_text() == f"seed 105: {100 * h.accuracy[-1][5]:.3g}%"
    fig = viz.alive_neurons(h, seeds=range(30), success="train_accuracy > 0.5", max_panels=6)
    assert "30/30 seeds reach training accuracy > 50%" in fig._suptitle.get_text()


def test_alive_refuses_seeds_that_do_not_fit_the_replicas():
    with pytest.raises(ValueError, match=r"seeds must give one seed per replica \(3\); received 2"):
        viz.alive_neurons(_alive_history(3), seeds=[1, 2])


def test_alive_marks_a_diverged_replica_and_survives_nan():
    h = _alive_history(3, epochs=6)
    for key in ("loss", "accuracy", "alive.1", "alive.2"):
        for row in h._rows[key][2:]:
            row[1] = np.nan
    h.diverged = np.array([False, True, False])
    h.diverged_epoch = np.array([-1, 2, -1])
    fig = viz.alive_neurons(h, widths=[4, 4], seeds=[5, 6, 7])
    title = fig.axes[1].title
    assert title.get_text() == "seed 6: diverged at epoch 2" and title.get_color() == BAD
    assert "1/3 seeds reach training accuracy > 95%, 1 diverged" in fig._suptitle.get_text()
    rgb_array(fig)  # draws without error


def test_confusion_heatmap_writes_the_counts():
    C = np.array([[5, 1], [0, 7]])
    fig = viz.confusion_heatmap(C, ["a", "b"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["5", "1", "0", "7"]
    assert "accuracy 92.31%" in fig.axes[0].get_title()


def test_regression_losses_show_the_outlier_pull():
    X, y = line(noise=0.5, outlier=True, seed=0)
    fits = viz.regression_losses(X, y).mlplab_fits
    err = {name: abs(slope - 2.0) for name, (slope, _) in fits.items()}
    assert err["mse"] > 2 * err["mae"] and err["mse"] > 2 * err["huber"]
    assert err["mae"] < 0.2


def test_activation_panels_plot_the_functions():
    fig = viz.activation_functions(["relu", "tanh"])
    f_line = [ln for ln in fig.axes[1].get_lines() if ln.get_label() == "f(x)"][0]
    x, y = f_line.get_data()
    np.testing.assert_allclose(y, np.tanh(x))
    assert len(fig.axes) == 2


def test_hidden_representation_pca_matches_svd(trained):
    from mlplab.viz.representations import hidden_activations, project
    X, y, net, rec, wrec, h = trained
    H = hidden_activations(net, X)
    assert [a.shape[1] for a in H] == [6, 6]
    P = project(H[0], "pca")
    centred = H[0] - H[0].mean(axis=0)
    # the projection keeps as much variance as the two largest singular values
    s = np.linalg.svd(centred, compute_uv=False)
    np.testing.assert_allclose((P**2).sum(), (s[:2] ** 2).sum(), rtol=1e-4)
    fig = viz.hidden_representations(net, X, y)
    assert len(fig.axes) == 3


def test_warped_grid_needs_a_two_unit_layer(trained):
    X, y, net, rec, wrec, h = trained
    with pytest.raises(ValueError, match="hidden layer 1 has 6 units"):
        viz.warped_grid(net, X, y, layer=1)
    two = mlplab.mlp([2, 2, 2], activation="tanh", seed=0)
    fig = viz.warped_grid(two, X, y, layer=1)
    assert len(fig.axes) == 2


def test_prediction_grid_marks_mistakes_red():
    from mlplab.data import load_digits
    X, y = load_digits()
    net = mlplab.mlp([64, 16, 10], seed=0)
    mlplab.fit(net, X / 16, y, loss="cross_entropy", lr=0.01, epochs=2)
    fig = viz.prediction_grid(net, X[:200], y[:200], n=16, inputs=X[:200] / 16, shape=(8, 8))
    wrong = [ax for ax in fig.axes if "true" in ax.get_title()]
    right = [ax for ax in fig.axes if "true" not in ax.get_title()]
    n_wrong = int(fig._suptitle.get_text().split("; ")[1].split()[0])
    assert len(wrong) == n_wrong == 8 and len(right) == 8
    assert {ax.title.get_color() for ax in wrong}.isdisjoint({ax.title.get_color() for ax in right})


def _replicated_classifier(signs):
    """Replica r has logits (0, 4 s_r x1): right everywhere for s_r = 1, wrong for -1."""
    net = Sequential([Dense(2, 2, replicas=len(signs), dtype="float64")])
    net.layers[0].params["W"][...] = 0.0
    net.layers[0].params["W"][:, 0, 1] = 4.0 * np.asarray(signs, dtype=float)
    net.layers[0].params["b"][...] = 0.0
    return net


_POINTS = np.array([[-0.8, 0.5], [-0.4, -0.2], [0.8, -0.5], [0.4, 0.3]])
_LABELS = np.array([0, 0, 1, 1])


def test_boundary_panels_are_titled_by_seed_and_the_title_counts_every_replica():
    signs = [1, -1] * 12 + [1]                 # 13 right, 12 wrong, 25 replicas
    net = _replicated_classifier(signs)
    net.seeds = tuple(range(100, 125))         # what Sequential.seeds holds
    fig = viz.decision_boundary(net, _POINTS, _LABELS, grid=Grid(-1, 1, -1, 1, 20), max_panels=5)
    assert len(fig.axes) == 5
    assert [ax.title.get_text() for ax in fig.axes] == \
        ["seed 100: 100%", "seed 101: 0%", "seed 102: 100%", "seed 103: 0%", "seed 104: 100%"]
    assert [ax.title.get_color() for ax in fig.axes[:2]] == [GOOD, BAD]
    assert fig._suptitle.get_text() == "13/25 seeds reach training accuracy > 95% (showing 5 of 25)"
    # explicit seeds win; without any, panels say "replica", not "seed"
    fig = viz.decision_boundary(net, _POINTS, _LABELS, grid=Grid(-1, 1, -1, 1, 20), seeds=range(25))
    assert fig.axes[3].title.get_text() == "seed 3: 0%"
    net.seeds = None
    fig = viz.decision_boundary(net, _POINTS, _LABELS, grid=Grid(-1, 1, -1, 1, 20))
    assert fig.axes[0].title.get_text() == "replica 0: 100%"
    assert fig._suptitle.get_text().startswith("13/25 replicas reach")


def test_boundary_success_rule_text_and_the_old_threshold_argument():
    net = _replicated_classifier([1, -1, 1])
    grid = Grid(-1, 1, -1, 1, 20)
    X = np.vstack([_POINTS, [[0.5, 0.5]]])      # 5 points; replica 0 gets all, replica 1 none
    y = np.append(_LABELS, 0)                   # ... but the fifth is mislabelled: 80% / 20%
    fig = viz.decision_boundary(net, X, y, grid=grid, seeds=[1, 2, 3], success=0.75)
    assert fig._suptitle.get_text() == "2/3 seeds reach training accuracy > 75%"
    assert fig.axes[0].title.get_text() == "seed 1: 80%"
    fig = viz.decision_boundary(net, X, y, grid=grid, seeds=[1, 2, 3], success="train_accuracy > 0.8")
    assert fig._suptitle.get_text() == "0/3 seeds reach training accuracy > 80%"
    fig = viz.decision_boundary(net, X, y, grid=grid, seeds=[1, 2, 3],
                                figures={"train": {"accuracy": np.array([0.5, 0.99, 0.97])}})
    assert fig._suptitle.get_text() == "2/3 seeds reach training accuracy > 95%"
    with pytest.raises(ValueError, match="needs the test accuracy"):
        viz.decision_boundary(net, X, y, grid=grid, success="test_accuracy > 0.9")


def test_boundary_marks_a_diverged_replica_and_survives_nan_weights():
    net = _replicated_classifier([1, 1, -1])
    net.layers[0].params["W"][1] = np.nan      # replica 1 blew up
    h = History()
    h.append({"loss": np.array([0.1, np.nan, 0.2])})
    h.diverged, h.diverged_epoch = np.array([False, True, False]), np.array([-1, 7, -1])
    fig = viz.decision_boundary(net, _POINTS, _LABELS, grid=Grid(-1, 1, -1, 1, 20), seeds=[0, 1, 2],
                                history=h)
    assert [ax.title.get_text() for ax in fig.axes] == ["seed 0: 100%", "seed 1: diverged at epoch 7",
                                                        "seed 2: 0%"]
    assert fig.axes[1].title.get_color() == BAD
    assert fig._suptitle.get_text() == "1/3 seeds reach training accuracy > 95%, 1 diverged"
    field = fig.axes[1].images[0].get_array()
    assert (np.asarray(field) == 219).all()    # light grey: no finite probability anywhere
    # without the history, non-finite probabilities are enough to say so
    fig = viz.decision_boundary(net, _POINTS, _LABELS, grid=Grid(-1, 1, -1, 1, 20), seeds=[0, 1, 2])
    assert fig.axes[1].title.get_text() == "seed 1: diverged"


def test_field_image_greys_out_missing_probabilities():
    p = np.full((3, 3, 2), 0.5)
    p[0, 0] = np.nan
    img = viz.field_image(p)
    assert img[0, 0].tolist() == [219, 219, 219] and img[1, 1].tolist() != [219, 219, 219]


def test_boundary_of_a_perceptron_is_one_panel_with_its_line():
    X = np.array([[-1.0, -1.0], [-0.5, 0.5], [1.0, 1.0], [0.5, -0.5]])
    y = np.array([0, 0, 1, 1])
    p = Perceptron().fit(X, y)
    grid = Grid(-1.5, 1.5, -1.5, 1.5, 60)
    fig = viz.decision_boundary(p, X, y, grid=grid)
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "decision boundary"
    (contour,) = [c for c in fig.axes[0].collections if hasattr(c, "levels")]
    assert contour.levels.tolist() == [0.0]
    # the drawn line is where w . x + b = 0
    xy = np.vstack([path.vertices for path in contour.get_paths()])
    np.testing.assert_allclose(xy @ p.weights_ + p.bias_, 0.0, atol=1e-6)  # grid in float32
    rgb = np.asarray(fig.axes[0].images[0].get_array()).astype(int)
    side = p.decision_function(grid.points).reshape(60, 60) > 0
    assert (rgb[side][:, 2] > rgb[side][:, 0]).all() and (rgb[~side][:, 0] > rgb[~side][:, 2]).all()


def test_an_unfitted_perceptron_says_so():
    with pytest.raises(ValueError, match="Perceptron is not fitted yet: call fit"):
        viz.decision_boundary(Perceptron(), _POINTS, _LABELS)


def test_curves_leave_a_diverged_replica_out_of_the_band():
    h = History()
    for e in range(4):
        h.append({"loss": np.array([1.0 / (e + 1), np.nan if e >= 2 else 2.0, 3.0])})
    fig = viz.training_curves(h, metrics=("loss",))
    line = next(ln for ln in fig.axes[0].get_lines() if "median" in ln.get_label())
    # epochs 2 and 3: the median of the two replicas left, not NaN
    np.testing.assert_allclose(line.get_ydata(), [2.0, 2.0, (1 / 3 + 3) / 2, (1 / 4 + 3) / 2])
