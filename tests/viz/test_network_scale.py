"""The network graph on one absolute weight scale (issue 12, network graph)."""

from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from mlplab import viz  # noqa: E402


def _snap(w):
    return [(np.array([[w, 0.5]]), np.zeros((1, 2))), (np.array([[1.0], [-1.0]]), np.zeros((1, 1)))]


def test_a_growing_weight_looks_thicker_frame_after_frame():
    rec = SimpleNamespace(snapshots=[_snap(w) for w in (0.5, 1.0, 2.0)], epochs=[0, 5, 10])
    anim = viz.NetworkAnimation(rec)
    assert anim.scale == 2.0  # the largest |w| of the whole film
    widths = []
    for _ in anim.frames():
        widths.append(np.asarray(anim._graph.edges.get_linewidths()).copy())
    first_edge = [w[0] for w in widths]
    np.testing.assert_allclose(first_edge, 0.3 + 5.7 * np.array([0.5, 1.0, 2.0]) / 2.0)
    # a weight that does not change keeps its width (|w| = 1 -> the same in every frame)
    assert len({round(float(w[2]), 6) for w in widths}) == 1


def test_before_and_after_share_a_scale_and_nodes_are_labelled():
    before = viz.network_graph(_snap(0.5), scale=2.0)
    after = viz.network_graph(_snap(2.0), scale=2.0)
    wb = before.axes[0].collections[0].get_linewidths()[0]
    wa = after.axes[0].collections[0].get_linewidths()[0]
    assert wa == pytest.approx(6.0) and wb == pytest.approx(0.3 + 5.7 * 0.25)
    texts = {t.get_text() for t in after.axes[0].texts}
    assert {"x1", "h1.1", "h1.2", "out 0"} <= texts
    with pytest.raises(ValueError, match="scale must be a positive number"):
        viz.network_graph(_snap(1.0), scale=0)
