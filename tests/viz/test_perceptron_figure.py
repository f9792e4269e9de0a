import numpy as np
import pytest

pytest.importorskip("matplotlib")

from mlplab.data import logic_gate  # noqa: E402
from mlplab.nn import Perceptron  # noqa: E402
from mlplab.viz.perceptron import PerceptronAnimation, perceptron_figure  # noqa: E402


def test_line_beside_the_mistakes_per_epoch():
    X, y = logic_gate("and")
    p = Perceptron(lr=0.1, rule=">=").fit(X, y)
    fig = perceptron_figure(p, X, y)
    line_ax, bars_ax = fig.axes[:2]
    assert [b.get_height() for b in bars_ax.patches] == p.errors_ == [2, 3, 3, 0]
    assert bars_ax.get_title() == "converged after 4 epochs"
    assert line_ax.get_title() == "w = [0.200, 0.100], b = -0.200"
    # the exact line w.x + b = 0 is drawn as a contour: its points satisfy it
    path = line_ax.collections[0].get_paths()[0].vertices
    assert len(path) > 2 and np.abs(path @ p.weights_ + p.bias_).max() < 1e-2


def test_animation_frames_follow_the_epochs():
    X, y = logic_gate("or")
    seen = []
    p = Perceptron(lr=0.1).fit(X, y, on_epoch=lambda w, b: seen.append((w.copy(), b)))
    anim = PerceptronAnimation(seen, p.errors_, X, y)
    assert len(list(anim.frames())) == len(anim.labels()) == p.n_iter_ + 1
    with pytest.raises(ValueError, match="path holds"):
        PerceptronAnimation(seen[:-1], p.errors_, X, y)


def test_unfitted_or_wrong_shape_refused():
    with pytest.raises(ValueError, match="fitted Perceptron"):
        perceptron_figure(Perceptron(), *logic_gate("and"))
    p = Perceptron().fit(*logic_gate("and"))
    with pytest.raises(ValueError, match=r"2-D data; received X of shape \(4, 3\)"):
        perceptron_figure(p, np.zeros((4, 3)), [0, 0, 0, 1])
