"""Reproducible by default: fit shuffles from the model's seeds, one stream per replica."""

import json

import numpy as np
import pytest

from mlplab import nn
from mlplab.data import disc_ring, per_seed
from mlplab.nn import Sequential, fit, mlp


def _same_weights(a, b, r=None):
    pairs = list(zip(a.parameters(), b.parameters()))
    return all(np.array_equal(pa if r is None else pa[r], pb) for (pa, _), (pb, _) in pairs)


def test_same_bits_twice_by_default():
    X, y = disc_ring(seed=1)
    runs = []
    for _ in range(2):
        net = mlp([2, 8, 8, 2], seed=42, dropout=0.1)
        h = fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=5, batch_size=32)
        runs.append((net, h))
    (a, ha), (b, hb) = runs
    assert _same_weights(a, b) and np.array_equal(ha.loss, hb.loss)
    c = mlp([2, 8, 8, 2], seed=42, dropout=0.1)
    c.seeds = (43,)  # same start, another shuffling stream
    fit(c, X, y, loss="cross_entropy", lr=0.01, epochs=5, batch_size=32)
    assert not _same_weights(a, c)


def test_a_second_fit_continues_the_models_shuffling_stream():
    X, y = disc_ring(n_samples=100, seed=1)
    once, twice = mlp([2, 6, 2], seed=3), mlp([2, 6, 2], seed=3)
    fit(once, X, y, loss="cross_entropy", optimizer=nn.Adam(lr=0.01), epochs=6, batch_size=16)
    opt = nn.Adam(lr=0.01)
    fit(twice, X, y, loss="cross_entropy", optimizer=opt, epochs=3, batch_size=16)
    fit(twice, X, y, loss="cross_entropy", optimizer=opt, epochs=3, batch_size=16)
    assert _same_weights(once, twice)


@pytest.mark.parametrize("dropout", [0.0, 0.3])
@pytest.mark.parametrize("per_replica_X", [False, True])
def test_replica_k_equals_the_single_model_with_seed_k_under_minibatches(per_replica_X, dropout):
    seeds = [4, 9, 13]
    if per_replica_X:
        X, y = per_seed("disc_ring", seeds, n_samples=64)
    else:
        X, y = disc_ring(n_samples=64, seed=5)
    many = mlp([2, 6, 6, 2], seed=seeds, dropout=dropout, dtype="float64")
    hm = fit(many, X, y, loss="cross_entropy", lr=0.02, epochs=10, batch_size=10)
    for r, s in enumerate(seeds):
        one = mlp([2, 6, 6, 2], seed=s, dropout=dropout, dtype="float64")
        h1 = fit(one, X[r] if per_replica_X else X, y[r] if per_replica_X else y,
                 loss="cross_entropy", lr=0.02, epochs=10, batch_size=10)
        assert _same_weights(many, one, r)
        np.testing.assert_allclose(hm.loss[:, r], h1.loss, rtol=1e-12)
        assert np.array_equal(hm.accuracy[:, r], h1.accuracy)


def test_seed_and_replicas_number_the_replicas_seed_plus_r():
    X, y = disc_ring(n_samples=64, seed=5)
    many = mlp([2, 5, 2], seed=20, replicas=3, dtype="float64")
    assert many.seeds == (20, 21, 22)
    fit(many, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8)
    for r in range(3):
        one = mlp([2, 5, 2], seed=20 + r, dtype="float64")
        fit(one, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8)
        assert _same_weights(many, one, r)


@pytest.mark.parametrize("fit_seed, single_seed", [(7, lambda r: 7 + r),
                                                   ([11, 3, 8], lambda r: [11, 3, 8][r])])
def test_explicit_fit_seeds(fit_seed, single_seed):
    X, y = disc_ring(n_samples=64, seed=5)
    many = mlp([2, 5, 2], seed=[0, 1, 2], dtype="float64")
    fit(many, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8, seed=fit_seed)
    for r in range(3):
        one = mlp([2, 5, 2], seed=r, dtype="float64")
        fit(one, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8, seed=single_seed(r))
        assert _same_weights(many, one, r)


def test_a_generator_gives_every_replica_the_same_order():
    X, y = disc_ring(n_samples=64, seed=5)
    many = mlp([2, 5, 2], seed=[0, 1], dtype="float64")
    fit(many, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8,
        seed=np.random.default_rng(99))
    for r in range(2):
        one = mlp([2, 5, 2], seed=r, dtype="float64")
        fit(one, X, y, loss="cross_entropy", lr=0.02, epochs=5, batch_size=8,
            seed=np.random.default_rng(99))
        assert _same_weights(many, one, r)


def test_fit_seed_list_must_match_the_replicas():
    X, y = disc_ring(n_samples=20, seed=5)
    net = mlp([2, 3, 2], seed=[0, 1, 2])
    with pytest.raises(ValueError, match=r"seed lists one seed per replica \(3\); received 2 seeds: "
                                         r"seed=\[1, 2\]"):
        fit(net, X, y, loss="cross_entropy", epochs=1, batch_size=5, seed=[1, 2])
    with pytest.raises(TypeError, match=r"seed\[1\] must be None, a non-negative integer .*"
                                        r"received seed\[1\]=-4"):
        fit(net, X, y, loss="cross_entropy", epochs=1, batch_size=5, seed=[1, -4, 2])


def test_the_model_remembers_its_seeds():
    assert mlp([2, 2], seed=5).seeds == (5,)
    assert mlp([2, 2], seed=[3, 1]).seeds == (3, 1)
    assert mlp([2, 2]).seeds is None
    assert mlp([2, 2], seed=np.random.default_rng(0)).seeds is None
    assert Sequential([nn.Dense(2, 2, seed=0)]).seeds is None


def test_seeds_are_checked_when_set():
    net = mlp([2, 2], seed=[0, 1])
    with pytest.raises(ValueError, match=r"seeds must hold one seed per replica \(2\); received 1: \(4,\)"):
        net.seeds = [4]
    with pytest.raises(ValueError, match=r"seeds\[1\] must be an integer >= 0; received seeds\[1\]=-1"):
        net.seeds = [4, -1]
    with pytest.raises(TypeError, match="seeds must be None or a sequence of 2 non-negative integers; "
                                        "received seeds=7"):
        net.seeds = 7


@pytest.mark.parametrize("options", [dict(seed=6), dict(seed=[6, 2, 9]), dict(seed=4, replicas=2)])
def test_config_keeps_the_seeds_and_rebuilds_the_same_start(options):
    net = mlp([2, 5, 5, 3], dropout=0.2, batchnorm=True, dtype="float64", **options)
    cfg = json.loads(json.dumps(net.config()))
    assert cfg["seeds"] == list(net.seeds)
    again = Sequential.from_config(cfg)
    assert again.seeds == net.seeds and again.config() == cfg
    assert _same_weights(net, again)
    X, y = disc_ring(n_samples=40, seed=1)
    for m in (net, again):
        fit(m, X, y, loss="cross_entropy", lr=0.01, epochs=3, batch_size=8)
    assert _same_weights(net, again)  # same dropout masks and shuffles too


def test_save_and_load_keep_the_seeds(tmp_path):
    net = mlp([2, 4, 2], seed=[5, 8])
    loaded = nn.load(nn.save(net, tmp_path / "m.npz"))
    assert loaded.seeds == (5, 8) and _same_weights(net, loaded)
