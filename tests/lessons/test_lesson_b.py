"""`mlplab lesson b --quick`: every section ran, the exact numbers are exact (checked
against small plain-NumPy re-computations of the lesson's procedures), the MNIST
numbers sit in their bands, the figures are written, and the notebook runs."""

import json

import numpy as np
import pytest

from .conftest import NOTEBOOKS, cell_text, execute_notebook

SECTIONS = ["perceptron", "activations", "vanishing", "xor", "trace", "losses", "autograd", "module",
            "mnist-data", "mnist", "hidden-sizes", "activations-mnist"]


@pytest.fixture(scope="module")
def run(lesson_run):
    return lesson_run("b")


@pytest.fixture(scope="module")
def sections(run):
    return run[0]["sections"]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_every_section_ran_in_the_lessons_order(run, sections):
    results, folder = run
    assert list(sections) == SECTIONS
    errors = {k: s["error"] for k, s in sections.items() if "error" in s}
    assert not errors
    assert results["ok"]
    on_disk = json.loads((folder / "results.json").read_text())
    assert list(on_disk["sections"]) == SECTIONS


def test_figures_are_written_as_png_and_gif(run, sections):
    _, folder = run
    files = [f for s in sections.values() for f in s["figures"]]
    assert len(files) >= 14
    for name in files:
        head = (folder / name).read_bytes()[:8]
        assert head.startswith(b"\x89PNG") or head.startswith(b"GIF89a"), name
    from PIL import Image

    gif = Image.open(folder / "trace-trace-steps.gif")
    assert gif.n_frames == 7          # input, forward 1, forward 2, loss, backward 2, backward 1, update
    page = (folder / "index.html").read_text()
    assert "One forward and backward pass" in page and "delta2" in page


def _lesson_perceptron(X, y, w):
    """The lesson's procedure: online updates, fire when w.x + b >= 0, stop at 0 mistakes."""
    b, epochs = 0.0, 0
    for _ in range(100):
        epochs += 1
        wrong = 0
        for xi, yi in zip(X, y):
            err = yi - int(xi @ w + b >= 0)
            if err:
                wrong += 1
                w, b = w + 0.1 * err * xi, b + 0.1 * err
        if wrong == 0:
            return w, b, epochs, True
    return w, b, epochs, False


def test_perceptron_matches_the_lessons_procedure(sections):
    n = sections["perceptron"]["numbers"]
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    draws = np.random.RandomState(42)
    for gate, y in (("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0])):
        w, b, epochs, done = _lesson_perceptron(X, y, 0.01 * draws.randn(2))
        assert n[gate]["converged"] is done
        assert n[gate]["epochs"] == epochs
        assert np.allclose(n[gate]["weights"], w, atol=1e-12) and abs(n[gate]["bias"] - b) < 1e-12
    assert n["and"]["epochs"] == 4 and n["or"]["epochs"] == 4 and n["xor"]["epochs"] == 100
    assert n["and"]["predictions"] == [0, 0, 0, 1] and n["or"]["predictions"] == [0, 1, 1, 1]
    assert n["xor"]["correct"] < 4 and n["xor_starts"]["converged"] == 0
    assert n["and"]["zero_start"]["points_on_line"] == 1       # the textbook start: a point on the line
    assert all(c["holds"] for c in sections["perceptron"]["claims"])


def test_activation_values_and_slopes(sections):
    n = sections["activations"]["numbers"]
    assert n["values"] == {"sigmoid(0)": 0.5, "relu(-1)": 0.0, "relu(1)": 1.0, "tanh(0)": 0.0,
                           "leaky_relu(-1)": pytest.approx(-0.01)}
    assert n["derivatives"]["sigmoid"]["largest"] == pytest.approx(0.25)
    assert n["derivatives"]["sigmoid"]["at_5"] == pytest.approx(_sigmoid(5) * (1 - _sigmoid(5)))
    flow = sections["vanishing"]["numbers"]["first_over_last"]
    assert flow["sigmoid"] < 1e-4 < flow["relu"]


def test_xor_network_reproduces_the_lessons_losses(sections):
    n = sections["xor"]["numbers"]
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    draws = np.random.RandomState(42)
    W1, W2 = 0.5 * draws.randn(2, 4), 0.5 * draws.randn(4, 1)
    b1, b2 = np.zeros((1, 4)), np.zeros((1, 1))
    every = []
    for epoch in range(10_000):   # the lesson's update: += 2.0 * a^T (y - a) s'(z) / 4
        a1 = _sigmoid(X @ W1 + b1)
        a2 = _sigmoid(a1 @ W2 + b2)
        if epoch % 1000 == 0:
            every.append(np.mean((y - a2) ** 2))
        d2 = (y - a2) * a2 * (1 - a2)
        d1 = (d2 @ W2.T) * a1 * (1 - a1)
        W2, b2 = W2 + 2.0 * a1.T @ d2 / 4, b2 + 2.0 * d2.sum(0) / 4
        W1, b1 = W1 + 2.0 * X.T @ d1 / 4, b1 + 2.0 * d1.sum(0) / 4
    assert np.allclose(n["loss_every_1000"], every, rtol=1e-9)
    assert np.allclose(n["outputs"], _sigmoid(_sigmoid(X @ W1 + b1) @ W2 + b2).ravel(), atol=1e-9)
    assert round(n["loss_every_1000"][0], 4) == 0.2557 and n["right"] == 4 and n["n_params"] == 17
    cli = n["cli_lr2"]
    assert cli["last_loss"] > 10 * cli["first_loss"] and cli["accuracy"] == 0.5
    assert cli["warnings"] and "rose" in cli["warnings"][0]
    verdicts = [c["holds"] for c in sections["xor"]["claims"]]
    assert verdicts == [True, True, None, False]


def test_the_worked_step_is_the_lessons_every_number(sections):
    n = sections["trace"]["numbers"]
    x, y = np.array([[0.5, 0.8]]), 1.0
    W1, b1 = np.array([[0.1, 0.3], [0.2, 0.4]]), np.array([[0.01, 0.02]])
    W2, b2 = np.array([[0.5], [0.6]]), np.array([[0.03]])
    z1 = x @ W1 + b1
    a1 = _sigmoid(z1)
    z2 = a1 @ W2 + b2
    a2 = _sigmoid(z2)
    d2 = -2 * (y - a2) * a2 * (1 - a2)
    d1 = (d2 @ W2.T) * a1 * (1 - a1)
    W1n, b1n, W2n, b2n = W1 - 0.5 * x.T @ d1, b1 - 0.5 * d1, W2 - 0.5 * a1.T @ d2, b2 - 0.5 * d2
    new = _sigmoid(_sigmoid(x @ W1n + b1n) @ W2n + b2n)
    expect = {"z1": z1, "a1": a1, "z2": z2, "a2": a2, "loss": (y - a2) ** 2, "dL_da2": -2 * (y - a2),
              "delta2": d2, "dW2": a1.T @ d2, "db2": d2, "dL_da1": d2 @ W2.T, "delta1": d1,
              "dW1": x.T @ d1, "db1": d1, "W1_new": W1n, "b1_new": b1n, "W2_new": W2n, "b2_new": b2n,
              "a2_new": new, "loss_new": (y - new) ** 2}
    for key, value in expect.items():
        assert np.allclose(n[key], np.ravel(value) if np.size(value) > 1 and key not in ("dW1", "W1_new")
                           else value, atol=1e-13), key
    # the values as the lesson prints them (7 digits)
    assert round(n["loss"], 7) == 0.1131537 and round(n["loss_new"], 7) == 0.0945448
    assert round(n["delta2"], 7) == -0.1501814 and round(n["loss_drop"], 7) == 0.018609
    assert n["autograd_gap"] < 1e-12
    rows = sections["trace"]["tables"]
    assert len(next(iter(rows.values()))) >= 20


def test_losses_and_autograd(sections):
    n = sections["losses"]["numbers"]
    assert np.allclose(n["bce"], -np.log(n["p"]), rtol=1e-6)
    assert np.allclose(n["mse"], (1 - np.array(n["p"])) ** 2)
    a = sections["autograd"]["numbers"]
    assert (a["y"], a["dy_dx"], a["dot"], a["dot_grad"]) == (16.0, 8.0, 32.0, [4.0, 5.0, 6.0])
    assert round(a["net_output"], 4) == 0.5979 and round(a["net_loss"], 6) == 0.161695
    torch = pytest.importorskip("torch")
    torch.manual_seed(42)
    x = torch.randn(1, 3)
    wh = torch.randn(3, 2, dtype=torch.float32).double().requires_grad_()
    wo = torch.randn(2, 1).double().requires_grad_()
    out = torch.sigmoid(torch.sigmoid(x.double() @ wh) @ wo)
    loss = ((1 - out) ** 2).mean()
    loss.backward()
    assert a["net_output"] == pytest.approx(out.item(), abs=1e-12)
    assert np.allclose(a["grad_hidden"], wh.grad.numpy(), atol=1e-12)
    assert np.allclose(a["grad_out"], wo.grad.numpy().ravel(), atol=1e-12)
    assert sections["module"]["numbers"]["total"] == 17


def test_mnist_numbers_in_their_bands(sections):
    d = sections["mnist-data"]["numbers"]
    assert d["train_shape"] == [60000, 784] and d["test_shape"] == [10000, 784]
    assert d["first_labels"] == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5, 3, 6, 1, 7]
    m = sections["mnist"]["numbers"]
    assert m["n_params"] == 109_386 and (m["n_train"], m["n_test"], m["epochs"]) == (5000, 1000, 2)
    assert m["loss"][1] < m["loss"][0]
    assert 0.83 < m["final_test_accuracy"] < 0.95          # quick mode: 5,000 images, 2 epochs
    assert [c["holds"] for c in sections["mnist"]["claims"]] == [True, True, None]
    h = sections["hidden-sizes"]["numbers"]
    assert h["params"] == [25_818, 52_650, 109_386, 235_146]
    medians = [h["test_accuracy"][str(n)][0] for n in (32, 64, 128, 256)]
    assert all(0.8 < v < 0.95 for v in medians) and medians[-1] > medians[0]
    c = sections["activations-mnist"]["numbers"]
    first = c["first_epoch_loss"]
    for seed in c["seeds"]:     # sigmoid's first epoch is the slowest by far at any size of data
        assert first[f"sigmoid/{seed}"] > 1.5 * max(first[f"relu/{seed}"], first[f"tanh/{seed}"])
    assert c["counts"]["sigmoid_slowest"] == c["counts"]["n"] == 2


def test_notebook_runs_and_prints_the_lessons_numbers(kernel_name, monkeypatch):
    nb = execute_notebook(NOTEBOOKS / "lesson-b.ipynb", kernel_name, monkeypatch)
    text = "\n".join(cell_text(c) for c in nb.cells if c.cell_type == "code")
    assert "converged after 4 epochs" in text
    assert "0.1131537" in text and "0.0945448" in text      # the worked step's loss, before and after
    assert "dy/dx = 8.0" in text
    assert "109,386" in text
