"""One training run (lab/train.py): per-seed data, linear models, all-data runs,
early stopping, clipping, schedule and init specs, dataset parameters, success."""

import numpy as np
import pytest

from mlplab import nn
from mlplab.data import catalog, per_seed
from mlplab.lab import TrainConfig, run_training
from mlplab.lab.train import build_model, seed_ranges


def _weights(model, replica=None):
    return [p if replica is None else p[replica] for p, _ in model.parameters()]


def _assert_replica_is_single_run(config, seeds):
    together = run_training(TrainConfig(**{**config, "seeds": seeds}))
    for k, seed in enumerate(seeds):
        alone = run_training(TrainConfig(**{**config, "seeds": (seed,)}))
        for a, b in zip(_weights(together.model, k), _weights(alone.model)):
            np.testing.assert_array_equal(a, b)
        for split, figures in alone.figures.items():
            for name, value in figures.items():
                assert together.figures[split][name][k] == value, (seed, split, name)


@pytest.mark.parametrize("config", [
    # lesson A's protocol: all the points, no validation, each seed its own draw
    dict(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=40, batch_size=300, test_size=0.0,
         val_split=0.0, init="torch"),
    # a table: each seed its own split, scaler and validation rows
    dict(dataset="iris", layers=(8,), lr=0.02, epochs=30, batch_size=200),
    # a generated dataset with a split and a validation part
    dict(dataset="moons", layers=(6,), lr=0.02, epochs=20, batch_size=500, n_samples=200,
         noise=0.3),
])
def test_replica_k_is_seed_k_alone_on_every_weight_full_batch(config):
    _assert_replica_is_single_run(config, (3, 0, 7))


def test_replica_k_is_seed_k_alone_on_every_weight_mini_batch():
    _assert_replica_is_single_run(dict(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=10,
                                       batch_size=32, test_size=0.2), (1, 2, 5))
    # seeds that are not a run of consecutive numbers, with dropout's own streams too
    _assert_replica_is_single_run(dict(dataset="moons", layers=(8,), lr=0.02, epochs=5,
                                       batch_size=16, dropout=0.2), (3, 11))


def test_lesson_a_success_count_matches_the_python_protocol():
    """`--seeds 0-19 --test-size 0 --val-split 0 --init torch` == per_seed + mlp + fit."""
    result = run_training(TrainConfig(dataset="disc_ring", layers=(4, 4), lr=0.05, epochs=300,
                                      batch_size=300, seeds=range(20), test_size=0.0,
                                      val_split=0.0, init="torch"))
    X, y = per_seed("disc_ring", range(20))
    model = nn.mlp([2, 4, 4, 2], seed=list(range(20)), init="torch")
    nn.fit(model, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=300, batch_size=300)
    accuracy = (model.predict(X) == y).mean(axis=-1)
    np.testing.assert_array_equal(result.figures["train"]["accuracy"], accuracy)
    np.testing.assert_array_equal(result.succeeded(), accuracy > 0.95)
    assert 0 < result.succeeded().sum() < 20  # the protocol does separate seeds


def test_per_seed_data_stacks_draws_splits_and_scalers():
    ds = catalog.load_seeds("iris", (4, 9))
    assert ds.X_train.shape == (2, 120, 4) and ds.X_test.shape == (2, 30, 4) and ds.seeds == (4, 9)
    for r, seed in enumerate((4, 9)):
        alone = catalog.load("iris", seed=seed)
        np.testing.assert_array_equal(ds.X_train[r], alone.X_train)
        np.testing.assert_array_equal(ds.y_test[r], alone.y_test)
        np.testing.assert_allclose(ds.scaler.transform(alone.X_train)[r],
                                   alone.scaler.transform(alone.X_train))
    grid = np.zeros((5, 4), np.float32)  # shared points become per-replica inputs
    assert ds.scaler.transform(grid).shape == (2, 5, 4)


@pytest.mark.parametrize("name,options", [("xor", {}), ("disc_ring", {"test_size": 0.0, "data_seed": 3}),
                                          ("iris", {"test_size": 0.0})])
def test_data_that_does_not_depend_on_the_seed_is_shared(name, options):
    ds = catalog.load_seeds(name, range(5), **options)
    assert ds.seeds is None and ds.X_train.ndim == 2


def test_linear_model_end_to_end(tmp_path):
    result = run_training(TrainConfig(dataset="blobs", layers=(), lr=0.1, epochs=50, seeds=(0, 1)))
    dense = [layer for layer in result.model.layers if isinstance(layer, nn.Dense)]
    assert len(dense) == 1 and dense[0].params["W"].shape == (2, 2, 2)
    assert result.model.n_params == 6
    assert np.all(result.figures["test"]["accuracy"] > 0.95)  # two well separated blobs
    path = nn.save(result.model, tmp_path / "linear.npz", meta=result.meta())
    back = nn.load(path)
    assert back.meta["train_config"]["layers"] == []
    X = result.dataset.scaler.transform(result.dataset.X_test)
    np.testing.assert_array_equal(back.predict(X), result.model.predict(X))
    assert "--layers 0" in result.config.command()


def test_test_size_zero_trains_and_reports_on_every_row():
    result = run_training(TrainConfig(dataset="moons", layers=(8,), lr=0.02, epochs=5,
                                      test_size=0.0, val_split=0.0))
    assert set(result.figures) == {"train"}
    ds = result.dataset
    assert ds.n_train == 500 and ds.n_test == 0
    expected = (result.model.predict(ds.scaler.transform(ds.X_train)) == ds.y_train).mean()
    assert result.figures["train"]["accuracy"] == pytest.approx(expected)


def test_early_stopping_stops_and_keeps_the_best_weights():
    result = run_training(TrainConfig(dataset="iris", layers=(16,), lr=0.05, epochs=2000,
                                      patience=5, min_delta=0.01))
    h, stopper = result.history, result.early_stopping
    assert stopper.monitor == "val_loss"
    assert h.stopped_epoch is not None and h.epochs == h.stopped_epoch + 1 < 2000
    assert h.stopped_epoch - int(stopper.best_epoch) == 5
    assert result.figures["validation"]["loss"] == pytest.approx(h["val_loss"][int(stopper.best_epoch)])


def test_clip_value_bounds_each_update():
    config = dict(dataset="iris", layers=(4,), optimizer="sgd", lr=1.0, epochs=1, batch_size=200,
                  init="normal:0.5")
    start = build_model(TrainConfig(**config), 4, 3)
    clipped = run_training(TrainConfig(**config, clip_value=1e-6)).model
    free = run_training(TrainConfig(**config)).model
    moves = [np.abs(a - b).max() for a, b in zip(_weights(clipped), _weights(start))]
    assert 0 < max(moves) <= 1e-6 + 1e-7  # float32 rounding of weights near 0.5
    assert max(np.abs(a - b).max() for a, b in zip(_weights(free), _weights(start))) > 1e-3


@pytest.mark.parametrize("schedule,expected", [
    ("step:3:0.5", [0.1 * 0.5 ** (t // 3) for t in range(8)]),
    ("exponential:0.8", [0.1 * 0.8**t for t in range(8)]),
    ("cosine", [0.1 * (1 + np.cos(np.pi * t / 8)) / 2 for t in range(8)]),   # to 0 at the end
    ("cosine:10", [0.1 * (1 + np.cos(np.pi * t / 10)) / 2 for t in range(8)]),
    ("step", [0.1 * 0.1 ** (t // 2) for t in range(8)]),                    # x0.1 every third
])
def test_schedule_specs_set_the_learning_rate(schedule, expected):
    result = run_training(TrainConfig(dataset="xor", layers=(4,), lr=0.1, epochs=8, schedule=schedule))
    np.testing.assert_allclose(result.history["lr"], expected, rtol=1e-6)


def test_init_spec_builds_the_registry_initializer_with_its_parameter():
    model = build_model(TrainConfig(layers=(300,), init="normal:0.5", seeds=(2,)), 200, 3)
    expected = nn.mlp([200, 300, 3], init=nn.initializers.get("normal", std=0.5), seed=2)
    for a, b in zip(_weights(model), _weights(expected)):
        np.testing.assert_array_equal(a, b)
    assert np.std(model.layers[0].params["W"]) == pytest.approx(0.5, rel=0.01)


def test_dataset_parameters_change_the_draw():
    result = run_training(TrainConfig(dataset="circles", layers=(4,), epochs=1, n_samples=60,
                                      noise=0.0, test_size=0.0, seeds=(0, 1)))
    X = result.dataset.X_train
    assert X.shape == (2, 60, 2)
    radius = np.hypot(X[..., 0], X[..., 1])
    np.testing.assert_allclose(np.unique(np.round(radius, 5)), [0.5, 1.0])  # no noise
    shared = catalog.load_seeds("moons", (0, 1), data_seed=5, test_size=0.2)
    both = np.concatenate([shared.X_train, shared.X_test], axis=1)
    np.testing.assert_array_equal(np.sort(both[0], axis=0), np.sort(both[1], axis=0))
    assert not np.array_equal(shared.X_test[0], shared.X_test[1])  # one draw, two splits


def test_success_rule_is_checked_before_training():
    with pytest.raises(ValueError, match=r"success rule 'test_accuracy > 0.9' needs test figures.*"
                                         r"--test-size is 0"):
        run_training(TrainConfig(dataset="disc_ring", test_size=0.0, success="test_accuracy > 0.9"))
    with pytest.raises(ValueError, match="measures accuracy, which a regression run does not have"):
        run_training(TrainConfig(dataset="line", success="train_accuracy > 0.9"))


def test_success_rule_judges_the_figures():
    result = run_training(TrainConfig(dataset="iris", layers=(8,), lr=0.02, epochs=20, seeds=range(4),
                                      success="test_loss < 0.5"))
    np.testing.assert_array_equal(result.succeeded(), result.figures["test"]["loss"] < 0.5)
    assert result.meta()["success"] == "test_loss < 0.5"


def test_command_lists_every_new_option_and_meta_keeps_them():
    config = TrainConfig(dataset="moons", layers=(), seeds=(0, 1, 2, 3, 9), init="normal:0.5",
                         schedule="step:10:0.5", clip_value=0.5, patience=4, min_delta=0.01,
                         n_samples=120, noise=0.05, data_seed=7, test_size=0.0, val_split=0.0,
                         success="train_accuracy >= 0.9")
    command = config.command()
    for part in ["--layers 0", "--seeds 0-3,9", "--init normal:0.5", "--schedule step:10:0.5",
                 "--clip-value 0.5", "--patience 4", "--min-delta 0.01", "--n-samples 120",
                 "--noise 0.05", "--data-seed 7", "--test-size 0.0",
                 "--success 'train_accuracy >= 0.9'"]:
        assert part in command
    assert seed_ranges([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8"


@pytest.mark.parametrize("options,message", [
    (dict(seeds=range(10_001)), "seeds may hold at most 10,000 seeds; received 10,001"),
    (dict(seeds=(1, 2, 1)), "seeds must be distinct; seed 1 is given twice"),
    (dict(layers=(4, 0)), r"layers must be positive widths .*received layers=\(4, 0\)"),
    (dict(min_delta=0.1), "give patience too; received min_delta=0.1"),
    (dict(layers=(), dropout=0.5), r"dropout acts on hidden layers, and a linear model \(layers=\(\)\) has none"),
    (dict(schedule="step:0"), "schedule 'step:0': step_size must be"),
    (dict(schedule="cosine:4", epochs=8), "schedule 'cosine:4' brings the learning rate to 0 at epoch 5 of 8"),
    (dict(init="he_normal:2"), "init 'he_normal' takes no parameters; received 'he_normal:2'"),
    (dict(task="ordinal"), "task must be one of classification, regression; received task='ordinal'"),
    (dict(test_size=1.0), r"test_size must be in \[0, 1\); received test_size=1.0"),
])
def test_bad_configs_are_refused_naming_the_option(options, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**options)


def test_per_seed_data_is_bounded_before_it_is_stacked(monkeypatch):
    monkeypatch.setattr(catalog, "MAX_STACK_BYTES", 100_000)
    with pytest.raises(ValueError, match=r"per-seed data for 50 seeds of 'disc_ring' would take "
                                         r"0.1 MiB \(at most 0 MiB\); use fewer seeds"):
        catalog.load_seeds("disc_ring", range(50))
