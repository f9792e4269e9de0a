"""Lesson D (an MLP from scratch against PyTorch): `mlplab lesson d --quick` reproduces
the lesson's own numbers from its own data, splits and initial weights."""

import numpy as np
import pytest

from mlplab import lessons
from mlplab.lessons.d import _common

from .conftest import NOTEBOOKS, cell_text, execute_notebook

SECTIONS = ["data", "linear", "activations", "forward", "backprop", "moons_mlp", "versus", "pytorch",
            "circles_pytorch", "iris", "iris_pytorch", "frameworks", "sklearn", "ex_architecture",
            "ex_activation", "ex_lr", "ex_l2", "ex_weights", "ex_own_data"]


@pytest.fixture(scope="module")
def run(lesson_run):
    return lesson_run("d")


def numbers(run, key):
    return run[0]["sections"][key]["numbers"]


def claims(run, key):
    return run[0]["sections"][key]["claims"]


def test_every_section_runs_in_the_lessons_order(run):
    results, _ = run
    assert list(results["sections"]) == SECTIONS
    broken = {k: s["error"] for k, s in results["sections"].items() if s.get("error")}
    assert not broken


def test_the_lessons_data_are_scikit_learns_draws():
    from sklearn.datasets import make_circles, make_moons

    X, y = _common.moons()
    Xs, ys = make_moons(n_samples=300, noise=0.1, random_state=42)
    assert np.allclose(X, Xs, atol=1e-6) and (y == ys).all()
    Xc, yc = _common.circles()
    Xs, ys = make_circles(n_samples=300, noise=0.1, factor=0.5, random_state=42)
    assert np.allclose(Xc, Xs, atol=1e-6) and (yc == ys).all()


def test_the_lessons_exact_numbers(run):
    assert round(100 * numbers(run, "linear")["accuracy"], 2) == 86.67
    assert round(100 * numbers(run, "iris")["test_accuracy"], 2) == 91.11
    assert round(numbers(run, "moons_mlp")["final_loss"], 4) == 0.0068
    v = numbers(run, "versus")
    assert (round(100 * v["circles_linear"], 2), round(100 * v["circles_mlp"], 2)) == (49.67, 99.67)
    assert v["moons_mlp"] == 1.0
    p = numbers(run, "pytorch")
    assert round(p["pytorch_start_loss"], 4) == 0.0183 and p["pytorch_start_accuracy"] == 1.0
    assert round(100 * numbers(run, "iris_pytorch")["pytorch_start_test_accuracy"], 2) == 91.11
    assert round(numbers(run, "forward")["y_hat"], 4) == 0.5138
    assert numbers(run, "forward")["practice_3"] == pytest.approx([1.2, 0.8])
    # all of the lesson's checked numbers hold
    for key in ("linear", "moons_mlp", "versus", "pytorch", "circles_pytorch", "iris", "iris_pytorch"):
        assert all(c["holds"] in (True, None) for c in claims(run, key)), key


def test_the_lessons_chain_rule_product_is_wrong_by_a_factor(run):
    n = numbers(run, "backprop")
    y_hat = numbers(run, "forward")["y_hat"]
    assert n["printed_over_true"] == pytest.approx(y_hat * (1 - y_hat))   # 0.2498
    assert n["max_difference"] < 1e-12 and n["gradcheck_ok"]
    verdicts = [c["holds"] for c in claims(run, "backprop")]
    assert verdicts == [False, True, True]
    assert "cancels" in claims(run, "backprop")[0]["evidence"]


def test_the_iris_confusion_matrix_counts_the_test_set(run):
    C = np.array(numbers(run, "iris")["confusion"])
    assert C.sum() == 45 and np.trace(C) == 41
    assert C[0, 0] == 15 and C[0, 1:].sum() == 0  # setosa never confused


def test_verify_agrees_with_pytorch_when_it_is_installed(run):
    pytest.importorskip("torch")
    p = numbers(run, "pytorch")
    assert p["torch"] and p["verify_agrees"] and p["verify_max_difference"] < 1e-4
    assert round(p["verify_torch_loss"], 4) == 0.0183      # PyTorch itself ends where the lesson's did
    assert numbers(run, "iris_pytorch")["verify_agrees"]


def test_without_pytorch_the_section_says_so(monkeypatch):
    from mlplab.interop import torch as bridge

    def missing():
        raise ImportError(bridge.HINT, name="torch")

    monkeypatch.setattr(bridge, "_torch", missing)
    out = lessons.get("d").section("pytorch")(quick=True)
    assert "PyTorch is not installed" in out.outside
    assert out.claims[-1].holds is None and "not measured" in out.claims[-1].measured
    assert round(out.numbers["pytorch_start_loss"], 4) == 0.0183   # needs no PyTorch
    assert "verify_moons" not in out.figures


def test_the_exercises_report_rates_with_intervals(run):
    arch = {tuple(r["layers"]): r for r in numbers(run, "ex_architecture")["summary"]}
    for r in arch.values():
        assert r["rate_low"] <= r["rate"] <= r["rate_high"] and r["n"] == 8
    assert arch[(10, 5)]["successes"] == 8 and arch[(5,)]["rate"] < 1
    act = {(r["activation"], r["init"]): r for r in numbers(run, "ex_activation")["summary"]}
    assert len(act) == 6
    assert act["sigmoid", "lecun_normal"]["train_loss_median"] > 5 * act["relu", "he_normal"]["train_loss_median"]
    assert act["sigmoid", "lecun_normal"]["successes"] == 0 and act["tanh", "lecun_normal"]["successes"] == 8
    lr = {r["lr"]: r for r in numbers(run, "ex_lr")["summary"]}
    assert lr[0.1]["successes"] == 8 and lr[0.001]["successes"] == 0
    dead = numbers(run, "ex_lr")["all_dead_layer2"]
    assert dead["10.0"] == 8 and dead["0.1"] == 0        # lr 10 kills every ReLU of layer 2
    l2 = {r["l2"]: r for r in numbers(run, "ex_l2")["summary"]}
    assert l2[0.1]["test_accuracy_median"] < 0.6 < 0.95 < l2[0.0]["test_accuracy_median"]


def test_sigmoid_gradients_vanish_relu_ones_do_not(run):
    r = numbers(run, "activations")["first_over_last"]
    assert r["sigmoid"] < 0.01 < r["relu"]


def test_figures_are_written(run):
    results, folder = run
    names = [f for s in results["sections"].values() for f in s["figures"]]
    for name in ("versus-linear_vs_mlp.png", "pytorch-scratch_vs_pytorch.png", "iris-iris_confusion.png",
                 "ex_l2-l2_train_test.png", "ex_lr-lr_curves.png"):
        assert name in names
    for name in names:
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_the_comparison_figure_is_two_by_two_with_smooth_boundaries(run):
    from matplotlib.image import imread

    img = imread(run[1] / "versus-linear_vs_mlp.png")
    h, w = img.shape[:2]
    assert 0.75 < h / w < 1.0        # two rows of two panels
    # the circles' MLP panel (bottom right): red outside, blue inside the ring
    centre = img[int(0.73 * h), int(0.73 * w), :3]
    corner = img[int(0.57 * h), int(0.62 * w), :3]
    assert centre[2] > centre[0] and corner[0] > corner[2]


def test_lesson_weights_refuse_an_unknown_model():
    with pytest.raises(ValueError, match="model must be one of forward, moons.*received 'mnist'"):
        _common.numpy_weights("mnist")
    with pytest.raises(ValueError, match="model must be one of moons, circles, iris; received 'forward'"):
        _common.torch_weights("forward")


def test_notebook_runs_and_prints_the_lessons_numbers(kernel_name, monkeypatch):
    nb = execute_notebook(NOTEBOOKS / "lesson-d.ipynb", kernel_name, monkeypatch)
    text = "".join(cell_text(c) for c in nb.cells if c.cell_type == "code")
    assert "86.67%" in text and "91.11%" in text and "0.0068" in text and "0.0183" in text
