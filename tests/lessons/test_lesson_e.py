"""Lesson E in quick mode: every section, the exact numbers (20,803 against 6,003
parameters, the derivatives' maxima, the values at -1, the lesson's scalar simulation),
the statistical ones within bands, the figures, and the notebook."""

import math

import numpy as np
import pytest

from .conftest import NOTEBOOKS, cell_text, execute_notebook

SECTIONS = ["spirals", "shallow-deep", "derivatives", "gradient-flow", "modern", "activation-race",
            "representations", "dead-relu", "clipping", "batchnorm-dropout", "ten-layers",
            "custom-activation", "grid", "mnist"]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run(lesson_run):
    return lesson_run("e")


@pytest.fixture(scope="module")
def sections(run):
    return run[0]["sections"]


def claim(section, start):
    return next(c for c in section["claims"] if c["said"].startswith(start))


def test_every_section_is_there_in_the_lessons_order_without_error(run):
    results, _ = run
    assert list(results["sections"]) == SECTIONS
    assert results["ok"], {k: s.get("error") for k, s in results["sections"].items() if "error" in s}
    assert all(s["code"].strip() and s["text"].strip() for s in results["sections"].values())


def test_deep_has_more_parameters_not_fewer(sections):
    n = sections["spirals"]["numbers"]
    assert (n["shallow_params"], n["deep_params"]) == (6003, 20803)
    assert n["n_points"] == 999 and n["per_class"] == [333, 333, 333]
    c = claim(sections["spirals"], "the deep network (3 x 100) uses fewer parameters")
    assert c["holds"] is False and "20,803" in c["measured"] and "6,003" in c["measured"]
    assert "346.5%" in c["evidence"]
    # the Keras model.summary() equivalent, row by row
    rows = sections["spirals"]["tables"]["deep.summary() (Keras: model.summary())"]
    assert [r["params"] for r in rows] == [300, 0, 10100, 0, 10100, 0, 303]


def test_shallow_and_deep_on_the_lessons_spirals(sections):
    n = sections["shallow-deep"]["numbers"]
    # at noise 0.2 both stay near chance (1/3); at 0.05 the deep network pulls away
    for name in ("shallow", "deep"):
        assert 0.25 <= n["test_median"][name] <= 0.5
    sweep = n["sweep_test_median"]
    assert sweep["noise 0.05, deep"] > sweep["noise 0.05, shallow"] + 0.15
    said = claim(sections["shallow-deep"], "the deep network reaches clearly better")
    learned = max(n["test_median"].values()) > 1 / 3 + 0.1
    # networks that learned nothing cannot judge the claim: shown, not judged
    assert said["holds"] is (False if learned else None)
    assert learned or "neither learned, so the claim cannot be judged" in said["evidence"]


def test_derivatives_and_values_at_minus_one_are_exact(sections):
    peak = sections["derivatives"]["numbers"]["max_derivative"]
    assert peak["sigmoid"] == pytest.approx(0.25, abs=2e-6) and peak["relu"] == 1.0
    assert peak["tanh"] == pytest.approx(1.0, abs=3e-5)
    at = sections["modern"]["numbers"]["at_minus_1"]
    e = math.exp(-1)
    expected = {"relu": 0.0, "leaky_relu": -0.01, "elu": e - 1, "selu": 1.0507009873554805 * 1.6732632423543772
                * (e - 1), "swish": -1 / (1 + math.e), "mish": -math.tanh(math.log(1 + e)),
                "gelu": -0.5 * (1 + math.erf(-1 / math.sqrt(2)))}
    for name, value in expected.items():
        assert at[name] == pytest.approx(value, abs=1e-6), name
    assert all(c["holds"] for c in sections["modern"]["claims"])


def test_gradient_flow_vanishes_through_sigmoid_only(sections):
    n = sections["gradient-flow"]["numbers"]
    he = n["first_over_last"]["he_normal"]
    assert he["sigmoid"] < 1e-8
    assert 1e-2 < he["relu"] < 10 and 1e-2 < he["tanh"] < 10 and 1e-2 < he["leaky_relu"] < 10
    # the lesson's own scalar simulation with np.random.seed(42): ReLU reads 0 as well
    sim = n["lesson_simulation"]
    assert sim["relu"] == 0.0
    assert sim["sigmoid"] == pytest.approx(2.15e-14, rel=0.01) and sim["tanh"] == pytest.approx(3.60e-5, rel=0.01)
    assert len(n["norms"]["he_normal"]["sigmoid"]) == 21


def test_the_activation_race_over_seeds(sections):
    s = sections["activation-race"]
    test = s["numbers"]["test_median"]
    assert set(test) == {"relu", "elu", "selu", "swish", "gelu"}
    assert all(0.6 < v <= 1.0 for v in test.values()) and test["relu"] > 0.8
    rows = s["tables"]["accuracy, median [min, max] over seeds (Keras's summary table)"]
    assert [r["activation"] for r in rows] == ["relu", "elu", "selu", "swish", "gelu"]


def test_representations_become_linearly_separable(sections):
    n = sections["representations"]["numbers"]
    probe = list(n["linear_probe"].values())
    assert probe[-1] > probe[0] + 0.2 and n["test_accuracy"] > 0.85
    assert claim(sections["representations"], "the lesson's cell samples 500")["holds"] is False


def test_dead_relus_per_initialisation(sections):
    n = sections["dead-relu"]["numbers"]
    assert n["dead_median_pct"]["zeros"] == 100.0 and n["test_median"]["zeros"] == 0.25
    assert n["per_init"]["zeros"]["born_dead"] == 1.0 and n["per_init"]["he_normal"]["born_dead"] == 0.0
    for init in ("N(0, 0.5)", "he_normal", "glorot_uniform"):
        assert n["dead_median_pct"][init] < 20 and n["test_median"][init] > 0.8
        # the lesson's weight-sign proxy counts more units than are really dead
        assert np.median(n["per_init"][init]["proxy_pct"]) > n["dead_median_pct"][init]


def test_clipping_changes_nothing_on_the_lessons_data_and_saves_sgd(sections):
    n = sections["clipping"]["numbers"]
    assert abs(n["improvement_pct"]) < 10
    assert n["largest_gradient"]["no clipping"] < 5
    seeds = len(n["seeds"])
    assert n["sgd_lr_0.1"]["no clipping"]["diverged"] == seeds
    assert "diverged at epoch 1" in n["sgd_lr_0.1"]["no clipping"]["message"]
    assert n["sgd_lr_0.1"]["clip_norm=1.0"]["diverged"] == 0
    assert claim(sections["clipping"], "gradient clipping prevents explosions")["holds"] is True


def test_batchnorm_speeds_up_and_dropout_with_he_weights_lags(sections):
    n = sections["batchnorm-dropout"]["numbers"]
    reach = n["epochs_to_90pct_validation"]
    assert reach["BN only"] is not None and reach["BN only"] <= 6
    assert reach["no BN, no dropout"] is None or reach["BN only"] < reach["no BN, no dropout"]
    t = n["test_median"]
    assert t["dropout only, he_normal"] < t["dropout only, xavier_uniform"] - 0.05
    assert claim(sections["batchnorm-dropout"], "batch norm accelerates training")["holds"] is True


def test_practice_sections(sections):
    ten = sections["ten-layers"]["numbers"]
    assert ten["test_median"]["sigmoid"] < 0.5 < ten["test_median"]["relu"]
    assert ten["first_over_last_gradient"]["sigmoid"][0] < 1e-4
    custom = sections["custom-activation"]
    assert custom["numbers"]["gradcheck_ok"] is True
    assert "NaN" in custom["numbers"]["nan_message"] and custom["claims"][0]["holds"] is False
    assert len(sections["grid"]["tables"]["depth x learning rate (batch 32)"]) == 12
    mnist = sections["mnist"]
    assert all(v > 0.8 for v in mnist["numbers"]["test_accuracy"].values())
    assert "CIFAR-10" in mnist["outside"]


def test_figures_are_written_and_show_something(run):
    from matplotlib.image import imread

    results, folder = run
    names = [f for s in results["sections"].values() for f in s["figures"]]
    assert len(names) == 16
    for name in names:
        assert (folder / name).read_bytes()[:8] == PNG, name
    img = imread(folder / "shallow-deep-boundaries.png")
    assert img.shape[1] > 800 and img[..., :3].std() > 0.1      # four coloured boundary panels
    page = (folder / "index.html").read_text()
    assert "20,803" in page and "does not hold" in page


def test_the_notebook_runs(kernel_name, monkeypatch):
    nb = execute_notebook(NOTEBOOKS / "lesson-e.ipynb", kernel_name, monkeypatch)
    text = "\n".join(cell_text(c) for c in nb.cells if c.cell_type == "code")
    assert "6,003" in text and "20,803" in text
    assert "sigmoid first/last" in text
