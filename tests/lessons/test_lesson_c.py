"""Lesson C run as `mlplab lesson c --quick`: its sections, the lesson's exact numbers
(the MSE line 2.815 / 0.150 and the 1-4-1 losses), the paths and updates checked
against the lesson's rules written out here, the figures, and the notebook."""

import numpy as np
import pytest

from .conftest import NOTEBOOKS, cell_text, execute_notebook

SECTIONS = ["numbers", "losses", "outlier", "descent", "learning_rate", "batches", "optimizers",
            "backprop", "training_loop", "schedules", "early_stopping"]


@pytest.fixture(scope="module")
def run(lesson_run):
    return lesson_run("c")


@pytest.fixture(scope="module")
def sections(run):
    return run[0]["sections"]


def test_every_section_present_in_order_without_error(run, sections):
    results, _ = run
    assert list(sections) == SECTIONS
    assert results["ok"] is True
    assert not [k for k, v in sections.items() if "error" in v]


def test_the_mse_line_is_the_lessons(sections):
    n = sections["outlier"]["numbers"]
    assert (round(n["mse_slope"], 3), round(n["mse_intercept"], 3)) == (2.815, 0.150)
    slope, intercept = np.polyfit(n["X"], n["y"], 1)
    assert n["mse_slope"] == pytest.approx(slope, abs=1e-6)
    assert n["mse_intercept"] == pytest.approx(intercept, abs=1e-6)
    # the exact MAE fit beats the lesson's approximate line on its own measure
    assert n["mean_abs_error_mae_line"] < n["mean_abs_error_lesson_line"]
    verdicts = [c["holds"] for c in sections["outlier"]["claims"]]
    assert verdicts == [True, True, False, True]


def _lesson_regression_losses():
    """The lesson's 1-4-1 loop, written out: sigmoid hidden layer, linear output, MSE,
    full-batch gradient descent with lr 0.01, from its np.random.seed(42) draws."""
    draw = np.random.RandomState(42)
    x = draw.rand(100, 1) * 10
    y = 2 * x + 1 + draw.randn(100, 1) * 2
    x = (x - x.mean()) / x.std()
    W1, W2 = draw.randn(1, 4) * np.sqrt(2 / 5), draw.randn(4, 1) * np.sqrt(2 / 5)
    b1, b2 = np.zeros((1, 4)), np.zeros((1, 1))
    out = []
    for _ in range(5000):
        a = 1 / (1 + np.exp(-(x @ W1 + b1)))
        p = a @ W2 + b2
        out.append(np.mean((y - p) ** 2))
        d2 = 2 * (p - y) / y.size
        d1 = d2 @ W2.T * a * (1 - a)
        W2, b2 = W2 - 0.01 * a.T @ d2, b2 - 0.01 * d2.sum(0, keepdims=True)
        W1, b1 = W1 - 0.01 * x.T @ d1, b1 - 0.01 * d1.sum(0, keepdims=True)
    return out


def test_the_regression_losses_are_the_lessons_exactly(sections):
    n = sections["training_loop"]["numbers"]
    measured = {int(k): v for k, v in n["loss_by_epoch"].items()}
    assert {e: round(v, 4) for e, v in measured.items()} == {
        1: 148.6393, 100: 6.1764, 1000: 3.3699, 2000: 3.2312, 3000: 3.1658, 4000: 3.1241, 5000: 3.0965}
    written_out = _lesson_regression_losses()
    for e, v in measured.items():
        assert v == pytest.approx(written_out[e - 1], rel=1e-10)
    assert sections["training_loop"]["claims"][0]["holds"] is True


def _lesson_walk(start, lr, beta, steps=200):
    """Gradient descent (beta 0) or momentum on the lesson's surface, with the lesson's
    central-difference gradient (h = 1e-5)."""
    from mlplab.viz.surfaces import get_surface

    f = get_surface("lesson_c").f
    p, v, h = np.array(start, dtype=float), np.zeros(2), 1e-5
    for _ in range(steps):
        g = np.array([(f(p[0] + h, p[1]) - f(p[0] - h, p[1])) / (2 * h),
                      (f(p[0], p[1] + h) - f(p[0], p[1] - h)) / (2 * h)])
        v = beta * v - lr * g
        p = p + v
    return p


def test_descent_paths_equal_the_lessons_walkers(sections):
    ends = sections["descent"]["numbers"]["ends"]
    np.testing.assert_allclose(ends["gradient descent"], _lesson_walk((0.1, 1.6), 0.1, 0.0), atol=1e-6)
    np.testing.assert_allclose(ends["momentum"], _lesson_walk((0.1, 1.6), 0.01, 0.9), atol=1e-6)
    f = sections["descent"]["numbers"]["f_end"]
    assert f["momentum"] == pytest.approx(-2.495, abs=1e-3)
    assert f["gradient descent"] == pytest.approx(-1.303, abs=1e-3)
    assert sections["descent"]["numbers"]["settled_at_step"]["gradient descent"] == 142


def test_backprop_demo_follows_the_lessons_update_rule(sections):
    """The lesson's rule: error = target - output, deltas through tanh', velocities
    v = 0.9 v + 0.01 * (activation^T delta), weights += v, one example at a time."""
    from mlplab.lessons.c.loop import backprop_setup

    w, X, T = backprop_setup()
    W1, b1, W2, b2 = (w[k].copy() for k in ("W1", "b1", "W2", "b2"))
    vel = [np.zeros_like(a) for a in (W1, b1, W2, b2)]
    for x, t in zip(X.reshape(-1, 2), T.reshape(-1, 2)):
        x, t = x[None], t[None]
        h = np.tanh(x @ W1 + b1)
        o = np.tanh(h @ W2 + b2)
        d2 = (t - o) * (1 - o**2)
        d1 = d2 @ W2.T * (1 - h**2)
        steps = [x.T @ d1, d1, h.T @ d2, d2]
        vel = [0.9 * v + 0.01 * s for v, s in zip(vel, steps)]
        W1, b1, W2, b2 = (a + v for a, v in zip((W1, b1, W2, b2), vel))
    out = np.tanh(np.tanh(np.array([[0.3, -0.2]]) @ W1 + b1) @ W2 + b2)[0]
    n = sections["backprop"]["numbers"]
    np.testing.assert_allclose(n["output_for_0.3_-0.2"], out, rtol=1e-10)
    assert n["loss_epoch50"] < n["loss_epoch1"] / 100
    assert n["trace_steps"][0] == "input" and n["trace_steps"][-1] == "update"


def test_losses_batches_schedules_and_stopping(sections):
    n = sections["losses"]["numbers"]
    assert (n["mse"], n["mae"]) == (0.375, 0.5)
    assert n["bce_at_p0_eps1e-15"] == pytest.approx(34.539, abs=1e-3)
    assert n["dbce_per_point"][0] == pytest.approx(-100.0)
    b = sections["batches"]["numbers"]
    assert b["updates"] == {"batch (100)": 15, "mini-batch (10)": 150, "stochastic (1)": 1500}
    assert b["final_loss"]["stochastic (1)"] < b["final_loss"]["batch (100)"]
    s = sections["schedules"]
    assert s["numbers"]["step_differs_at"] == [9, 19, 29, 39]
    assert [c["holds"] for c in s["claims"]] == [True, None]
    e = sections["early_stopping"]["numbers"]
    assert e["stopped_epoch"] == e["lesson_rule_stops_at"] and e["stopped_epoch"] < 499
    assert e["best_epoch"] == e["stopped_epoch"] - 5
    h = sections["numbers"]["numbers"]["house_minmax"]
    np.testing.assert_allclose(h, [[0.538, 0.5], [0.011, 0.833]], atol=5e-4)


def test_figures_are_written(run, sections):
    from PIL import Image

    _, folder = run
    names = [f for s in sections.values() for f in s["figures"]]
    assert len(names) >= 20
    for name in names:
        head = (folder / name).read_bytes()[:8]
        if name.endswith(".png"):
            assert head == b"\x89PNG\r\n\x1a\n", name
        else:
            assert name.endswith(".gif") and head[:6] in (b"GIF89a", b"GIF87a"), name
            assert 2 <= Image.open(folder / name).n_frames <= 40, name
    assert {"descent-paths_animation.gif", "backprop-weights_animation.gif",
            "training_loop-predictions.png", "outlier-outlier_lines.png"} <= set(names)
    page = (folder / "index.html").read_text()
    assert "does not hold" in page and "2.815" in page


def test_notebook_runs_and_prints_the_lessons_numbers(kernel_name, monkeypatch):
    nb = execute_notebook(NOTEBOOKS / "lesson-c.ipynb", kernel_name, monkeypatch)
    text = "\n".join(cell_text(c) for c in nb.cells if c.cell_type == "code")
    assert "slope 2.815, intercept 0.150" in text
    for v in ("148.6393", "6.1764", "3.3699", "3.0965"):
        assert v in text
