"""The network animation's HTML player tells each weight's value on hover, in the frame
shown (issue 12, network graph)."""

from types import SimpleNamespace

import numpy as np
import pytest

from .test_browser import browser  # noqa: F401  (fixture)

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")


def test_hover_shows_the_weight_of_the_frame_shown(browser, tmp_path):  # noqa: F811
    from mlplab import viz

    def snap(w):
        return [(np.array([[w, 0.5], [-0.25, 1.0]]), np.array([[0.1, -0.2]])),
                (np.array([[1.0], [-1.0]]), np.array([[0.3]]))]

    anim = viz.NetworkAnimation(SimpleNamespace(snapshots=[snap(0.75), snap(2.5)], epochs=[0, 10]))
    path = anim.save(tmp_path / "net.html")
    data = anim.hover_data()
    assert data["edge_names"][0] == "w x1 -> h1.1" and data["weights"][1][0] == 2.5
    assert data["node_names"] == ["bias h1.1", "bias h1.2", "bias out 0"]
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.goto(path.as_uri())
    box = page.locator("img").bounding_box()
    fx, fy = data["edges"][0]
    x, y = box["x"] + fx * box["width"], box["y"] + fy * box["height"]
    page.mouse.move(x, y)
    assert page.text_content(".mlplab-hover") == "w x1 -> h1.1 = 0.7500"
    page.click("[data-act=last]")
    page.mouse.move(x + 1, y)
    assert page.text_content(".mlplab-hover") == "w x1 -> h1.1 = 2.5000"
    page.close()
