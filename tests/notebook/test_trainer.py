"""mlplab.widgets.Trainer driven from Python: click the buttons, read the output widgets."""

import base64
import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from mlplab.lab.train import run_training  # noqa: E402
from mlplab.widgets import DATASETS, Trainer  # noqa: E402


def _html(output):
    (item,) = output.outputs
    return item["data"]["text/html"]


def test_success_rate_button_shows_k_of_n_and_the_panels():
    t = Trainer(epochs=60, n_seeds=6, seed=10)
    t.n1.value, t.n2.value = 3, 3
    t.success_button.click()
    reference = run_training(t.config(range(10, 16)))  # the same run, outside the widget
    ok = reference.config.success_rule.of(reference.figures)
    line = f"{int(ok.sum())}/6 seeds reach training accuracy &gt; 95%"
    assert t.status.value.startswith(f"<b>{line}</b> (seeds 10-15, 2-3-3-2 (29 parameters), 60 epochs)")
    np.testing.assert_array_equal(t.last_result.figures["train"]["accuracy"],
                                  reference.figures["train"]["accuracy"])
    text = _html(t.panels)
    (png,) = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", text)
    assert base64.b64decode(png)[:4] == b"\x89PNG"
    assert t.panels.outputs[0]["data"]["text/plain"] == line.replace("&gt;", ">")


def test_train_and_animate_button_shows_the_player():
    t = Trainer(dataset="xor", widths=(2, 2), epochs=20, lr=0.1)
    seen = []
    t.progress.observe(lambda change: seen.append(change["new"]), "value")
    t.train_button.click()
    text = _html(t.animation)
    assert "mlplab-player" in text
    assert text.count("data:image/png;base64,") == 21 + 1  # epochs 0..20, and the first shown
    acc = float(t.last_result.figures["train"]["accuracy"])
    assert t.status.value.startswith(f"<b>seed 0: training accuracy {100 * acc:.1f}%</b> after 20 epochs")
    assert "2-2-2-2 (18 parameters)" in t.status.value
    assert seen == list(range(1, 21)) and t.progress.max == 20  # moved once per epoch


def test_sliders_cover_the_lesson_ranges():
    t = Trainer()
    assert (t.n1.min, t.n1.max, t.n2.min, t.n2.max) == (2, 32, 2, 32)
    assert "disc_ring" in DATASETS and "iris" not in DATASETS  # 2-D classification only
    assert t.config([0]).init == "torch" and t.config([0]).test_size == 0.0


def test_lesson_a_draws_give_its_nine_of_twenty():
    """PyTorch's initial weights and the lesson's own points: seeds 0-19 of 2-4-4-2 give 9."""
    t = Trainer(rng="torch", data_rng="legacy")
    t.success_button.click()
    assert t.status.value.startswith("<b>9/20 seeds reach training accuracy &gt; 95%</b> (seeds 0-19")


@pytest.mark.parametrize("kwargs, message", [
    ({"dataset": "iris"}, "dataset must be one of disc_ring, .*; received 'iris'"),
    ({"widths": (4, 64)}, r"widths must be two hidden-layer widths from 2 to 32; received \(4, 64\)"),
    ({"data_rng": "torch"}, r"data_rng must be one of numpy, legacy \(or None\); received data_rng='torch'"),
    ({"rng": "torch", "init": "he_normal"}, "rng 'torch' .* needs init 'torch'; received init='he_normal'"),
])
def test_bad_settings_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Trainer(**kwargs)


def test_missing_ipywidgets_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r"mlplab.widgets needs ipywidgets: pip install 'mlplab\[notebook\]'"):
        Trainer()


def test_notebook_extra_and_dev_bring_what_the_notebook_needs():
    import tomllib
    from pathlib import Path

    extras = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    names = lambda extra: {re.split(r"[<>=\[]", d)[0] for d in extras[extra]}  # noqa: E731
    assert {"ipywidgets", "matplotlib"} <= names("notebook")
    assert {"ipywidgets", "nbclient", "nbformat", "ipykernel"} <= names("dev")
