"""The vectorised group: every cell equals the same setting trained alone."""

import dataclasses

import numpy as np
import pytest

from mlplab.lab import group, parallel
from mlplab.lab.train import TrainConfig, run_training

BASE = dict(dataset="disc_ring", epochs=25, batch_size=40, test_size=0.25, val_split=0.1,
            init="torch", n_samples=120, dtype="float64")


def alone(config, seed):
    """The reference: that setting trained by itself with one seed, as a run dict."""
    return group._runs([config], [(0, seed)], *_trained(dataclasses.replace(config, seeds=(seed,))))


def _trained(config):
    result = run_training(config)
    return result.history, result.figures


def assert_same_runs(configs, tol):
    runs = group.train_group(configs)
    assert [(r["setting"], r["seed"]) for r in runs] == \
        [(i, s) for i, c in enumerate(configs) for s in c.seeds]
    for run in runs:
        ref = alone(configs[run["setting"]], run["seed"])[0]
        assert set(run) == set(ref) | {"setting"} or set(run) == set(ref)
        for key, value in ref.items():
            if key in ("setting", "history"):
                continue
            if isinstance(value, float):
                assert run[key] == pytest.approx(value, abs=tol, rel=0), key
            else:
                assert run[key] == value, key
        assert set(run["history"]) == set(ref["history"])
        for name, curve in ref["history"].items():
            np.testing.assert_allclose(run["history"][name], curve, atol=tol, rtol=0,
                                       err_msg=name)
    return runs


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_widths_padded_equal_alone_float64(optimizer):
    configs = [TrainConfig(**BASE, optimizer=optimizer, lr=0.05, layers=layers, seeds=seeds)
               for layers, seeds in [((3, 5), (0, 1)), ((6, 2), (1, 2)), ((6, 5), (3,))]]
    runs = assert_same_runs(configs, 1e-10)
    assert len({tuple(r["history"]["loss"][-3:]) for r in runs}) == len(runs)  # they differ


@pytest.mark.parametrize("key, values", [
    ("lr", [0.01, 0.05]), ("l1", [0.0, 0.001]), ("l2", [0.0, 0.01]),
    ("weight_decay", [None, 0.05]), ("dropout", [0.0, 0.3]),
])
def test_each_varied_key_equals_alone(key, values):
    configs = [TrainConfig(**{**BASE, "optimizer": "adamw" if key == "weight_decay" else "adam",
                              "lr": 0.02, "layers": layers, key: v, "seeds": (0, 4)})
               for layers, v in zip([(4, 3), (2, 5)], values)]
    assert_same_runs(configs, 1e-10)


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov", "rmsprop", "adagrad"])
def test_momentum_optimizers_equal_alone(optimizer):
    momenta = [0.5, 0.9] if optimizer != "adagrad" else [None, None]
    configs = [TrainConfig(**BASE, optimizer=optimizer, lr=0.01, layers=layers, momentum=m,
                           seeds=(2,), clip_norm=1.0)
               for layers, m in zip([(5, 3), (3, 5)], momenta)]
    assert_same_runs(configs, 1e-10)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "softplus"])
def test_saturating_activations_and_batchnorm(activation):
    configs = [TrainConfig(**{**BASE, "batch_size": 27}, activation=activation, batchnorm=True,
                           lr=0.03,
                           layers=layers, seeds=(1,), clip_value=0.5, schedule="cosine")
               for layers in [(2, 6), (6, 3)]]
    assert_same_runs(configs, 1e-10)


def test_float32_final_losses_within_1e_4():
    configs = [TrainConfig(**{**BASE, "dtype": "float32"}, lr=0.05, layers=layers, seeds=(0, 1))
               for layers in [(2, 2), (8, 4)]]
    runs = group.train_group(configs)
    for run in runs:
        ref = alone(configs[run["setting"]], run["seed"])[0]
        assert abs(run["train_loss"] - ref["train_loss"]) < 1e-4


def test_group_key_allows_varying_widths_not_depth():
    a = TrainConfig(layers=(4, 4), lr=0.1)
    assert group.group_key(a) == group.group_key(TrainConfig(layers=(2, 8), lr=0.01, l2=0.1))
    assert group.group_key(a) != group.group_key(TrainConfig(layers=(4,)))
    assert group.group_key(a) != group.group_key(TrainConfig(layers=(4, 4), epochs=11))
    assert group.group_key(a) != group.group_key(TrainConfig(layers=(4, 4), activation="tanh"))


def test_other_groups_refused():
    with pytest.raises(ValueError, match="received 2 groups"):
        group.train_group([TrainConfig(layers=(4,)), TrainConfig(layers=(4, 4))])


def test_plan_cuts_mixed_widths_keeps_equal_ones():
    mixed = [(a, b) for a in range(2, 9) for b in range(2, 9) for _ in range(20)]
    parts = group.plan(mixed)
    assert sorted(r for p in parts for r in p) == list(range(len(mixed)))
    assert 1 < len(parts) and min(map(len, parts)) >= group.MIN_PART
    widest = [max(max(mixed[r]) for r in p) for p in parts]
    assert min(widest) < 8  # the narrow settings are not padded to the widest
    assert group.plan([(8, 8)] * 980) == [list(range(980))]


def test_success_rule_per_setting_in_one_group():
    configs = [TrainConfig(**{**BASE, "epochs": 5}, layers=(3, 3), seeds=(0, 1), success=rule)
               for rule in ("train_accuracy > 0.0", "train_accuracy > 1.0")]
    runs = group.train_group(configs)
    assert [r["success"] for r in runs] == [True, True, False, False]
    assert group.group_key(TrainConfig(**BASE)) != group.group_key(TrainConfig(**BASE, noise=0.3))


def _mixed_grid(epochs=8):
    """Four architectures x 25 seeds: plan() cuts them into parts (float32, full batch)."""
    return [TrainConfig(dataset="disc_ring", layers=(a, b), optimizer="adam", lr=0.05,
                        epochs=epochs, batch_size=1_000_000, init="torch", test_size=0.0,
                        val_split=0.0, n_samples=60, seeds=tuple(range(25)))
            for a in (2, 8) for b in (2, 8)]


def _same_bits(a, b):
    assert len(a) == len(b)
    for ra, rb in zip(a, b):
        assert set(ra) == set(rb)
        for key, value in ra.items():
            if key == "history":
                for name, curve in value.items():
                    assert curve.tobytes() == rb[key][name].tobytes(), name
            else:
                assert value == rb[key], key


@pytest.mark.parametrize("how", ["threads", "fork"])
def test_parts_at_once_and_in_pieces_give_the_sequential_bits(how, monkeypatch):
    monkeypatch.setattr(parallel, "HOW", how)
    configs = _mixed_grid()
    layers = [c.layers for c in configs for _ in c.seeds]
    assert len(group.plan(layers)) >= 2
    monkeypatch.setattr(group, "PIECE", 10**6)  # whole parts, one after the other
    one = group.train_group(configs, workers=1)
    _same_bits(one, group.train_group(configs, workers=2))
    monkeypatch.setattr(group, "PIECE", 15)  # pieces of 12-13 replicas, padded as their part
    _same_bits(one, group.train_group(configs, workers=1))
    _same_bits(one, group.train_group(configs, workers=3))
    assert len({r["train_accuracy"] for r in one}) > 10  # real, differing runs


@pytest.mark.parametrize("how", ["threads", "fork"])
def test_a_part_that_fails_raises_its_error(how, monkeypatch):
    monkeypatch.setattr(parallel, "HOW", how)
    original = group._train_part
    calls = []

    def failing(configs, replicas, data, stop=None, widths=None):
        calls.append(stop)
        if any(configs[i].layers == (8, 8) for i, _ in replicas):
            raise ValueError("part (8, 8) failed")
        return original(configs, replicas, data, stop, widths)

    monkeypatch.setattr(group, "_train_part", failing)
    with pytest.raises(ValueError, match=r"part \(8, 8\) failed"):
        group.train_group(_mixed_grid(epochs=200), workers=2)
    if how == "threads":  # (a forked copy's calls are its own)
        assert calls[0] is not None and calls[0].is_set()  # the other parts were told to stop


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_workers_must_be_a_positive_integer(workers):
    with pytest.raises(ValueError, match=rf"workers must be a positive integer \(pieces trained at once\) or "
                                         rf"None; received workers={workers!r}"):
        group.train_group(_mixed_grid(), workers=workers)


@pytest.mark.parametrize("extra", [dict(dropout=0.3), dict(batchnorm=True),
                                   dict(activation="sigmoid"), dict(optimizer="sgd", momentum=0.9)])
def test_pieces_padded_as_their_part_keep_the_bits(extra, monkeypatch):
    monkeypatch.setattr(parallel, "HOW", "fork")
    configs = [TrainConfig(**{**BASE, "epochs": 4, "dtype": "float32", "lr": 0.05, "batch_size": 27, **extra},
                           layers=layers, seeds=tuple(range(4)))
               for layers in [(2, 3), (5, 2), (4, 6)]]
    monkeypatch.setattr(group, "PIECE", 10**6)
    whole = group.train_group(configs, workers=1)
    monkeypatch.setattr(group, "PIECE", 3)  # 4 pieces of 3 replicas, each padded to (5, 6)
    _same_bits(whole, group.train_group(configs, workers=2))
