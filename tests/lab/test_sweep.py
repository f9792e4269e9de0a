"""lab.sweep: the spec, the result (runs, summary, Wilson, to_pandas, history), lab.load."""

import math

import numpy as np
import pytest

from mlplab import lab
from mlplab.lab.group import wilson
from mlplab.lab.sweep_spec import KEYS, SweepSpec, parse_values
from mlplab.lab.train import TrainConfig, run_training

TINY = dict(epochs=15, lr=0.05, batch_size=300)


# -- parsing the values of --vary ---------------------------------------------------------
def test_layers_ranges_are_every_pair_in_order():
    pairs = parse_values("layers", "2-8x2-8")
    assert len(pairs) == 49 and pairs[0] == (2, 2) and pairs[1] == (2, 3) and pairs[-1] == (8, 8)
    assert parse_values("layers", "4x4,4x3,3x6") == [(4, 4), (4, 3), (3, 6)]
    assert parse_values("layers", "8,0") == [(8,), ()]
    assert parse_values("layers", "2-3x5x1") == [(2, 5, 1), (3, 5, 1)]


def test_numbers_names_and_booleans():
    assert parse_values("lr", "0.01, 0.05") == [0.01, 0.05]
    assert parse_values("epochs", "100-102,200") == [100, 101, 102, 200]
    assert parse_values("activation", "relu,relu+tanh") == ["relu", "relu,tanh"]
    assert parse_values("batchnorm", "true,off") == [True, False]
    assert parse_values("clip_norm", "none,1") == [None, 1.0]


def test_every_option_of_train_can_be_swept():
    fields = set(TrainConfig.__dataclass_fields__) - {"dataset", "seeds", "success"}
    assert set(KEYS) == fields


def test_settings_are_the_product_last_key_fastest():
    spec = SweepSpec.build("disc_ring", {"layers": "4x4,4x3", "activation": "relu,tanh"},
                           seeds=range(2), **TINY)
    assert spec.settings() == [{"layers": (4, 4), "activation": "relu"},
                               {"layers": (4, 4), "activation": "tanh"},
                               {"layers": (4, 3), "activation": "relu"},
                               {"layers": (4, 3), "activation": "tanh"}]
    config = spec.configs()[3]
    assert (config.layers, config.activation, config.seeds) == ((4, 3), "tanh", (0, 1))
    assert (config.test_size, config.val_split, config.epochs) == (0.0, 0.0, 15)  # nothing held out


# -- bad specs: refused before anything runs, naming the key (one test per kind) -------------
def test_unknown_key_refused():
    with pytest.raises(ValueError, match=r"vary has no option 'layer' \(valid keys are: layers"):
        lab.sweep("disc_ring", vary={"layer": [(4, 4)]}, seeds=[0])


def test_unknown_fixed_option_refused():
    with pytest.raises(ValueError, match=r"sweep has no option 'seed' \(use seeds\)"):
        lab.sweep("disc_ring", vary={"lr": [0.1]}, seed=3)


def test_empty_list_refused():
    with pytest.raises(ValueError, match=r"vary\['lr'\] is empty"):
        lab.sweep("disc_ring", vary={"lr": []}, seeds=[0])


def test_refused_value_named():
    with pytest.raises(ValueError, match=r"vary\['lr'\] must be a positive number; received -0.1"):
        lab.sweep("disc_ring", vary={"lr": [0.1, -0.1]}, seeds=[0])
    with pytest.raises(ValueError, match=r"vary\['activation'\] must be one of .*received 'rleu'"):
        lab.sweep("disc_ring", vary={"activation": ["relu", "rleu"]}, seeds=[0])
    with pytest.raises(TypeError, match=r"^epochs must be a positive integer; received 2.5"):
        lab.sweep("disc_ring", vary={"lr": [0.1]}, seeds=[0], epochs=2.5)


def test_value_refused_by_the_dataset_named():
    with pytest.raises(ValueError, match=r"dataset 'disc_ring' has no parameter 'noise'"):
        lab.sweep("disc_ring", vary={"noise": [0.1, 0.2]}, seeds=[0], epochs=1)


def test_combination_refused_names_the_setting():
    with pytest.raises(ValueError, match=r"setting layers=\(\): dropout acts on hidden layers"):
        lab.sweep("disc_ring", vary={"layers": [(4,), ()]}, seeds=[0], dropout=0.2, epochs=1)


def test_key_both_varied_and_fixed_refused():
    with pytest.raises(ValueError, match=r"'lr' is both varied and fixed"):
        lab.sweep("disc_ring", vary={"lr": [0.1]}, seeds=[0], lr=0.2)


def test_repeated_value_and_bad_seeds_refused():
    with pytest.raises(ValueError, match=r"vary\['layers'\] holds \(4, 4\) twice"):
        lab.sweep("disc_ring", vary={"layers": ["4x4", (4, 4)]}, seeds=[0])
    with pytest.raises(ValueError, match="seeds must be distinct; seed 1 is given twice"):
        lab.sweep("disc_ring", vary={"lr": [0.1]}, seeds=[1, 1])


def test_success_rule_without_its_split_refused_before_training():
    with pytest.raises(ValueError, match="needs test figures, and this run has none"):
        lab.sweep("disc_ring", vary={"lr": [0.1]}, seeds=[0], success="test_accuracy > 0.9")


# -- Wilson ---------------------------------------------------------------------------------
def test_wilson_against_a_hand_computation():
    # 9 successes of 20, z = 1.959964: p = 0.45, z^2 = 3.841459, d = 1 + z^2/20 = 1.192073
    # centre = (0.45 + z^2/40) / d = 0.546036 / 1.192073 = 0.458056
    # half   = z sqrt(0.45*0.55/20 + z^2/1600) / d = 1.959964 * 0.121556 / 1.192073 = 0.199858
    # [0.458056 - 0.199858, 0.458056 + 0.199858] = [0.258198, 0.657914]
    low, high = wilson(9, 20)
    assert low == pytest.approx(0.258198, abs=2e-6) and high == pytest.approx(0.657914, abs=2e-6)
    assert wilson(0, 20) == pytest.approx((0.0, 0.161125), abs=2e-6)
    assert wilson(20, 20) == pytest.approx((1 - 0.161125, 1.0), abs=2e-6)


# -- the result -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return lab.sweep("disc_ring", vary={"layers": "3x3,6x4", "activation": "relu,tanh"},
                     seeds=range(4), **TINY)


def test_runs_match_training_each_seed_alone(small):
    assert len(small.runs) == 16
    run = small.runs[6]  # setting 1 (3x3, tanh), seed 2
    assert (run["layers"], run["activation"], run["seed"], run["setting"]) == ((3, 3), "tanh", 2, 1)
    alone = run_training(TrainConfig("disc_ring", layers=(3, 3), activation="tanh", seeds=(2,),
                                     test_size=0.0, val_split=0.0, **TINY))
    # float32: a group may sum in another order than the run alone (lab.group's contract)
    assert run["train_loss"] == pytest.approx(float(alone.figures["train"]["loss"]), abs=1e-4)
    assert run["train_accuracy"] == pytest.approx(float(alone.figures["train"]["accuracy"]), abs=0.01)
    assert run["success"] == (run["train_accuracy"] > 0.95)
    assert run["epochs_run"] == 15 and run["alive"] == [] and "test_accuracy" not in run  # tanh
    relu = small.runs[0]  # alive ReLU units per hidden layer, at most the widths (3, 3)
    assert len(relu["alive"]) == 2 and all(0 <= a <= 3 for a in relu["alive"])
    h = small.history(6)
    assert h["loss"].shape == (15,)
    np.testing.assert_allclose(h["loss"], np.asarray(alone.history["loss"], dtype=float), atol=1e-4)
    assert [len(x["loss"]) for x in small.histories({"layers": (3, 3), "activation": "tanh"})] == [15] * 4


def test_summary_counts_and_intervals(small):
    rows = small.summary()
    assert [(r["layers"], r["activation"]) for r in rows] == [
        ((3, 3), "relu"), ((3, 3), "tanh"), ((6, 4), "relu"), ((6, 4), "tanh")]
    for i, row in enumerate(rows):
        mine = [r for r in small.runs if r["setting"] == i]
        k = sum(r["success"] for r in mine)
        acc = sorted(r["train_accuracy"] for r in mine)
        assert (row["n"], row["successes"], row["rate"]) == (4, k, k / 4)
        assert (row["rate_low"], row["rate_high"]) == wilson(k, 4)
        assert row["train_accuracy_median"] == pytest.approx((acc[1] + acc[2]) / 2)
        assert (row["train_accuracy_min"], row["train_accuracy_max"]) == (acc[0], acc[-1])
        assert row["train_loss_min"] <= row["train_loss_median"] <= row["train_loss_max"]


def test_to_pandas(small):
    pd = pytest.importorskip("pandas")
    runs, summary = small.to_pandas()
    assert isinstance(runs, pd.DataFrame) and len(runs) == 16 and len(summary) == 4
    assert runs["train_accuracy"].tolist() == [r["train_accuracy"] for r in small.runs]
    by_hand = runs.groupby("setting")["success"].sum().tolist()
    assert summary["successes"].tolist() == by_hand


def test_to_pandas_without_pandas_says_so(small, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="to_pandas needs pandas: pip install pandas"):
        small.to_pandas()


def test_held_out_data_when_asked():
    r = lab.sweep("moons", vary={"lr": [0.05]}, seeds=[0, 1], test_size=0.2, epochs=3)
    assert all(0 <= run["test_accuracy"] <= 1 for run in r.runs)
    assert "test_accuracy_median" in r.summary()[0]


def test_arrays_as_dataset():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    r = lab.sweep((X, y), vary={"layers": [(4,), (8,)]}, seeds=[0, 1], epochs=30, lr=0.05,
                  batch_size=80)
    assert len(r.runs) == 4 and r.spec.dataset.startswith("arrays:")
    assert min(run["train_accuracy"] for run in r.runs) > 0.8  # a linear boundary, easy


def test_report_is_written_from_the_result(small, tmp_path):
    page = small.report(tmp_path / "r.html").read_text()
    assert "Success rates" in page and all(f"{r['seed']}" in page for r in small.runs)


# -- the store --------------------------------------------------------------------------------
def test_load_round_trip(tmp_path):
    db = tmp_path / "runs.db"
    r = lab.sweep("disc_ring", vary={"layers": "3x3,4"}, seeds=[0, 2], store=db, **TINY)
    back = lab.load(db)
    assert back.runs == r.runs and back.complete and back.summary() == r.summary()
    for i in range(len(r.runs)):
        assert back.history(i).keys() == r.history(i).keys()
        np.testing.assert_array_equal(back.history(i)["loss"], r.history(i)["loss"])
    lab.sweep("disc_ring", vary={"lr": [0.1]}, seeds=[0], store=db, epochs=2, batch_size=300)
    with pytest.raises(ValueError, match=r"holds 2 sweeps \(ids 1, 2\); give one"):
        lab.load(db)
    assert lab.load(db, 2).runs[0]["lr"] == 0.1 and lab.load(db, 1).runs == r.runs


def test_resume_with_another_spec_names_what_differs(tmp_path):
    db = tmp_path / "runs.db"
    lab.sweep("disc_ring", vary={"layers": "3x3"}, seeds=[0], store=db, **TINY)
    with pytest.raises(ValueError, match=r"another spec; seeds: \[0, 1\] here, \[0\] stored; "
                                         r"fixed\['lr'\]: 0.1 here, 0.05 stored"):
        lab.sweep("disc_ring", vary={"layers": "3x3"}, seeds=[0, 1], store=db,
                  **{**TINY, "lr": 0.1}, resume=True)


def test_resume_of_a_finished_sweep_trains_nothing(tmp_path, monkeypatch):
    db = tmp_path / "runs.db"
    first = lab.sweep("disc_ring", vary={"layers": "3x3,4"}, seeds=[0, 1], store=db, **TINY)
    import mlplab.lab.executors as ex

    monkeypatch.setattr(ex, "run_task", lambda task: pytest.fail("a finished group ran again"))
    again = lab.sweep("disc_ring", vary={"layers": "3x3,4"}, seeds=[0, 1], store=db, resume=True,
                      **TINY)
    assert again.runs == first.runs and again.sweep_id == first.sweep_id


def test_store_that_is_not_a_store_refused(tmp_path):
    bad = tmp_path / "x.db"
    bad.write_text("hello, not SQLite" * 100)
    with pytest.raises(ValueError, match="x.db: not an mlplab run store"):
        lab.load(bad)
    with pytest.raises(FileNotFoundError, match="no such run store"):
        lab.load(tmp_path / "absent.db")


def test_nan_figures_round_trip(tmp_path):
    db = tmp_path / "runs.db"
    r = lab.sweep("disc_ring", vary={"lr": [50.0]}, seeds=[0], store=db, epochs=30, batch_size=300,
                  optimizer="sgd", init="normal:3")
    back = lab.load(db).runs[0]
    assert back["diverged"] == r.runs[0]["diverged"]
    assert (math.isnan(back["train_loss"]) and math.isnan(r.runs[0]["train_loss"])) or \
        back["train_loss"] == r.runs[0]["train_loss"]


def test_arrays_of_the_wrong_shape_refused():
    with pytest.raises(ValueError, match=r"dataset arrays must be X \(n, f\) and y \(n,\).*"
                                         r"received X \(5,\) and y \(5,\)"):
        lab.sweep((np.zeros(5), np.zeros(5)), vary={"lr": [0.1]}, seeds=[0])
    with pytest.raises(ValueError, match="X must hold finite numbers; received NaN or inf"):
        lab.sweep((np.full((4, 2), np.nan), np.array([0, 1, 0, 1])), vary={"lr": [0.1]}, seeds=[0])


def test_full_batch_is_none_and_the_result_shows_itself_in_jupyter():
    from mlplab.lab.train import TrainConfig, run_training

    result = lab.sweep("disc_ring", vary={"layers": ["4x4", "2x2"]}, seeds=range(2), epochs=15,
                       lr=0.05, batch_size=None)
    alone = run_training(TrainConfig(layers=(4, 4), epochs=15, lr=0.05, batch_size=None,
                                     seeds=(1,), test_size=0.0, val_split=0.0))
    run = next(r for r in result.runs if r["layers"] == (4, 4) and r["seed"] == 1)
    assert run["train_loss"] == pytest.approx(float(alone.figures["train"]["loss"]), abs=1e-6)
    html = result._repr_html_()
    assert "<table" in html and html.count("<img") == 1 and "4x4" in html.replace("×", "x")


def test_histories_take_a_setting_as_the_sweep_spells_it_and_bad_indices_are_named(small):
    setting = small.settings[0]
    text = "x".join(map(str, setting["layers"]))
    assert small.histories({"layers": text}) == small.histories({"layers": list(setting["layers"])})
    with pytest.raises(ValueError, match=f"run must be an index from 0 to {len(small.runs) - 1}"):
        small.history(len(small.runs))
