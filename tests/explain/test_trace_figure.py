import numpy as np
import pytest

pytest.importorskip("matplotlib")

import mlplab  # noqa: E402
from mlplab.explain import lesson_b_network, trace  # noqa: E402


def _edge_widths(fig):
    from matplotlib.collections import LineCollection

    ax = fig.axes[0]
    solid = [c for c in ax.collections if isinstance(c, LineCollection)][:-1]  # last: loss links
    return [c.get_linewidths() for c in solid]


def test_one_width_scale_for_every_step():
    t = trace(lesson_b_network(), [0.5, 0.8], 1, lr=0.5)
    scale = max(np.abs(lay.W_new).max() for lay in t.layers)   # 0.6465642: W2 after the step
    forward = _edge_widths(t.figure("forward 1"))
    update = _edge_widths(t.figure("update"))
    # W2 = [0.5, 0.6] before and [0.5417, 0.6466] after, on the same scale
    np.testing.assert_allclose(forward[1], 0.5 + 5.5 * np.array([0.5, 0.6]) / scale)
    np.testing.assert_allclose(update[1], 0.5 + 5.5 * t.layers[1].W_new.ravel() / scale)
    assert max(update[1]) == pytest.approx(6.0)
    assert max(forward[1]) < 6.0


def test_values_on_nodes_follow_the_steps():
    t = trace(lesson_b_network(), [0.5, 0.8], 1, lr=0.5)

    def texts(step):
        return [x.get_text() for x in t.figure(step).axes[0].texts]

    assert any("a 0.5548" in s for s in texts("forward 1"))
    assert not any("a 0.6636" in s for s in texts("forward 1"))      # layer 2 not reached yet
    assert any("\u03b4 -0.1502" in s for s in texts("backward 2"))
    assert not any("\u03b4 -0.0185" in s for s in texts("backward 2"))
    assert any("dW -0.0833" in s for s in texts("backward 2"))       # gradients on the edges
    assert any("L 0.1132 -> 0.0945" in s for s in texts("update"))


def test_gif_and_html_have_one_frame_per_step(tmp_path):
    from PIL import Image

    t = trace(lesson_b_network(), [0.5, 0.8], 1)
    gif = t.animate(tmp_path / "t.gif")
    with Image.open(gif) as im:
        assert im.n_frames == len(t.steps) == 7
    page = t.animate(tmp_path / "t.html").read_text()
    assert page.count("data:image/png;base64,") == 7 + 1   # the frames and the first shown
    assert "7. update" in page


def test_a_wider_net_with_a_batch_draws_and_too_wide_is_refused():
    net = mlplab.mlp([3, 10, 4, 3], activation="relu", seed=0, dtype="float64")
    X = np.random.default_rng(0).normal(size=(8, 3))
    fig = trace(net, X, np.arange(8) % 3, loss="cross_entropy").figure("backward 1")
    assert "mean of 8 samples" in fig.axes[0].get_title(loc="left")
    wide = mlplab.mlp([2, 40, 1], seed=0)
    with pytest.raises(ValueError, match=r"at most 16 units; this network's widths are \[2, 40, 1\]"):
        trace(wide, [0.1, 0.2], 1).figure(0)
