"""The HTML Jupyter shows for a network, a History and an animation."""

import base64
import re

import numpy as np

import mlplab
from mlplab.data import disc_ring
from mlplab.nn.recorders import BoundaryRecorder, Grid
from mlplab.notebook import reprs


def _png_sizes(text):
    """(width, height) of every inline PNG in ``text``."""
    sizes = []
    for data in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text):
        raw = base64.b64decode(data)
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        sizes.append((int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")))
    return sizes


def test_sequential_html_lists_layers_and_parameters():
    net = mlplab.mlp([2, 8, 8, 2], seed=[3, 4, 5])
    text = net._repr_html_()
    if hasattr(net, "summary"):  # the model's own summary takes over when it exists
        assert "114" in text.replace(",", "")
        return
    assert "Sequential: 114 parameters, 3 replicas, seeds 3, 4, 5" in text
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td></tr>", text)
    assert [(r[2], int(r[3])) for r in rows] == [("(n, 8)", 24), ("(n, 8)", 0), ("(n, 8)", 72),
                                                   ("(n, 8)", 0), ("(n, 2)", 18)]
    assert sum(int(r[3]) for r in rows) == net.n_params == 114


def test_history_html_is_a_png_of_the_curves_or_a_table_without_matplotlib(monkeypatch):
    X, y = disc_ring(seed=0)
    net = mlplab.mlp([2, 8, 2], seed=[0, 1])
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=10, validation_split=0.2)
    text = h._repr_html_()
    assert len(_png_sizes(text)) == 1 and _png_sizes(text)[0][0] > 300
    last = np.median(h["loss"][-1])
    assert f"History: 10 epochs; last epoch (median of 2 replicas): loss {last:.4f}" in text
    monkeypatch.setattr(reprs, "_have_matplotlib", lambda: False)
    table = h._repr_html_()
    assert "<img" not in table
    rows = re.findall(r"<tr><td>(.*?)</td>", table)
    assert rows == ["1", "2", "3", "...", "8", "9", "10"]
    assert f"<td>{np.median(h['loss'][0]):.4f}</td>" in table


def test_animation_html_is_the_offline_player_with_every_frame():
    from mlplab.viz import TrainingAnimation

    X, y = disc_ring(n_samples=60, seed=0)
    net = mlplab.mlp([2, 4, 2], seed=0)
    rec = BoundaryRecorder(Grid.around(X, resolution=20), every=2)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=6, callbacks=[rec])
    text = TrainingAnimation(rec, h, X, y, size=(4, 2), dpi=40)._repr_html_()
    assert "mlplab-player" in text and "<script>" in text
    # every recorded frame, plus the first one again as the picture shown before any script runs
    assert len(rec.frames) == 4 and len(_png_sizes(text)) == 5
    assert _png_sizes(text)[0] == (160, 80)
    assert '"labels": ["epoch 0", "epoch 2", "epoch 4", "epoch 6"]' in text
