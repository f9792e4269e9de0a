"""The run report shows the loss and output used, and stays small for long runs: only the
frames shown are rendered, figures are 8-bit PNG (issue 12)."""

import base64
import io
import json
import re

import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from mlplab.lab import TrainConfig, run_training  # noqa: E402
from mlplab.lab.report import REPORT_FRAMES, build_report  # noqa: E402


def _config_rows(page):
    table = page.split("<h2>Configuration</h2>")[1].split("</table>")[0]
    return dict(re.findall(r"<tr><td>(\w+)</td><td>(.*?)</td></tr>", table))


@pytest.mark.parametrize("options, loss, output", [
    ({}, "cross_entropy <small>(the default for this output)</small>", "linear <small>(logits)</small>"),
    ({"output": "sigmoid"}, "bce <small>(the default for this output)</small>", "sigmoid"),
    ({"loss": "mse"}, "mse", "linear <small>(logits)</small>"),
])
def test_configuration_shows_the_loss_and_output_used(options, loss, output):
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4,), epochs=2, **options))
    rows = _config_rows(build_report(result))
    assert rows["loss"] == loss and rows["output"] == output
    assert "None" not in (rows["loss"], rows["output"])


def test_a_long_run_renders_only_the_frames_shown_as_palette_pngs():
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=400,
                                      batch_size=300), record=True)
    assert len(result.recorders["boundary"].frames) == 101  # recorded: every 4 epochs
    page = build_report(result)
    films = [json.loads(m) for m in re.findall(r"var d = (\{.*?\});\n", page)]
    boundary = films[0]
    assert len(boundary["frames"]) == REPORT_FRAMES == 24
    assert boundary["labels"][0] == "epoch 0" and boundary["labels"][-1] == "epoch 400"
    from PIL import Image

    pngs = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)"', page)
    modes = {alt: Image.open(io.BytesIO(base64.b64decode(data))).mode for alt, data in pngs}
    assert modes["decision boundary"] == modes["loss and accuracy curves"] == "P"
    assert len(page) < 1_100_000  # 1.83 MB with 40 frames and 24-bit PNGs
