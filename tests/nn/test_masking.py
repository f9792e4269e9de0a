"""Padded widths and per-replica options in the engine."""

import numpy as np
import pytest

from mlplab import nn
from mlplab.nn import masking

SIZES = [(2, 3, 5, 2), (2, 6, 2, 2), (2, 6, 5, 2)]
SEEDS = [4, 1, 4]


def data(R, n=24, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(R, n, 2)), rng.integers(0, 2, size=(R, n))


@pytest.mark.parametrize("rng", ["numpy", "torch"])
def test_replica_starts_as_mlp_alone_and_padding_is_zero(rng):
    net = masking.padded_mlp(SIZES, SEEDS, init="torch", dtype="float64", rng=rng)
    for r, (sizes, seed) in enumerate(zip(SIZES, SEEDS)):
        alone = nn.mlp(sizes, init="torch", seed=seed, dtype="float64", rng=rng)
        for big, small in zip(net.dense_layers, alone.dense_layers):
            W, b = big.params["W"][r], big.params["b"][r]
            a, c = small.params["W"].shape
            np.testing.assert_array_equal(W[:a, :c], small.params["W"])
            np.testing.assert_array_equal(b[:, :c], small.params["b"])
            assert not W[a:].any() and not W[:, c:].any() and not b[:, c:].any()
    assert net.seeds == tuple(SEEDS)
    np.testing.assert_array_equal(net.unit_masks[0][:, 0], [[1, 1, 1, 0, 0, 0], [1] * 6, [1] * 6])


OPTIMIZERS = [
    ("sgd", {}), ("momentum", {}), ("nesterov", {}), ("adam", {}), ("adamw", {}),
    ("rmsprop", {"momentum": 0.5}), ("adagrad", {}), ("sgd", {"weight_decay": 0.1}),
    ("adam", {"clip_value": 0.05}), ("adam", {"clip_norm": 0.1}),
]


@pytest.mark.parametrize("name, options", OPTIMIZERS)
@pytest.mark.parametrize("activation, batchnorm", [("relu", False), ("sigmoid", True),
                                                   ("tanh", False)])
def test_padded_units_stay_zero_and_replicas_train_as_alone(name, options, activation, batchnorm):
    X, y = data(len(SIZES))
    lrs = np.array([0.05, 0.02, 0.1])
    net = masking.padded_mlp(SIZES, SEEDS, activation=activation, batchnorm=batchnorm,
                             init="torch", dtype="float64")
    opt = nn.optimizers.get(name, lr=lrs, **options)
    h = nn.fit(net, X, y, loss="cross_entropy", optimizer=opt, epochs=15, batch_size=8, l1=1e-3,
               callbacks=[nn.NeuronStats()])
    for r, (sizes, seed) in enumerate(zip(SIZES, SEEDS)):
        alone = nn.mlp(sizes, activation=activation, batchnorm=batchnorm, init="torch",
                       seed=seed, dtype="float64")
        ha = nn.fit(alone, X[r], y[r], loss="cross_entropy", epochs=15, batch_size=8, l1=1e-3,
                    optimizer=nn.optimizers.get(name, lr=lrs[r], **options),
                    callbacks=[nn.NeuronStats()])
        np.testing.assert_allclose(h["loss"][:, r], ha["loss"], rtol=0, atol=1e-10)
        for key in ha.keys():
            if key != "lr":
                np.testing.assert_allclose(h[key][:, r], ha[key], rtol=0, atol=1e-10, err_msg=key)
        for big, small in zip([lay for lay in net.layers if lay.params],
                              [lay for lay in alone.layers if lay.params]):
            for key, value in small.params.items():
                a, c = value.shape[-2:]
                got = big.params[key][r]
                # a padded product sums its terms in another order (~1 ulp), which
                # RMSprop/Adam's g / sqrt(v) magnifies on weights whose v is tiny
                np.testing.assert_allclose(got[:a, :c], value, rtol=0, atol=1e-8)
                assert not got[a:].any() and not got[:, c:].any(), (key, "padding moved")


def test_dropout_per_replica_draws_as_alone():
    X, y = data(2, n=30)
    sizes, seeds, p = [(2, 4, 2), (2, 7, 2)], [3, 3], [0.3, 0.0]
    net = masking.padded_mlp(sizes, seeds, dropout=p, init="torch", dtype="float64")
    h = nn.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=10, batch_size=10)
    for r in range(2):
        alone = nn.mlp(sizes[r], dropout=p[r], init="torch", seed=seeds[r], dtype="float64")
        ha = nn.fit(alone, X[r], y[r], loss="cross_entropy", optimizer="adam", lr=0.05, epochs=10,
                    batch_size=10)
        np.testing.assert_allclose(h["loss"][:, r], ha["loss"], rtol=0, atol=1e-12)


def test_scalar_path_unchanged_by_per_replica_support():
    """An array of equal learning rates gives the bits of the scalar."""
    X, y = data(3)
    out = []
    for lr in (0.05, np.full(3, 0.05)):
        net = nn.mlp([2, 4, 2], seed=[0, 1, 2])
        nn.fit(net, X.astype("float32"), y, loss="cross_entropy", epochs=5,
               optimizer=nn.optimizers.get("adam", lr=lr))
        out.append(net.layers[0].params["W"].copy())
    np.testing.assert_array_equal(out[0], out[1])


def test_schedule_scales_per_replica_lr():
    X, y = data(2)
    net = nn.mlp([2, 3, 2], seed=[0, 1])
    opt = nn.optimizers.get("sgd", lr=[0.1, 0.01])
    h = nn.fit(net, X, y, loss="cross_entropy", optimizer=opt, epochs=3,
               callbacks=[nn.LRScheduler("step", step_size=1, gamma=0.5)])
    np.testing.assert_allclose(h["lr"], [[0.1, 0.01], [0.05, 0.005], [0.025, 0.0025]])


@pytest.mark.parametrize("kwargs, match", [
    ({"lr": [0.1, -1.0]}, r"lr\[1\] must be"),
    ({"lr": [[0.1]]}, "lr must be a number or one number per replica"),
    ({"weight_decay": [0.0, -0.5]}, r"weight_decay\[1\]"),
])
def test_per_replica_options_refused_by_element(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nn.optimizers.get("sgd", **kwargs)


def test_padded_mlp_refuses_other_depths_and_missing_seeds():
    with pytest.raises(ValueError, match=r"sizes\[1\]=\(2, 4, 4, 2\)"):
        masking.padded_mlp([(2, 3, 2), (2, 4, 4, 2)], [0, 1])
    with pytest.raises(ValueError, match="received 2 sizes and 1 seeds"):
        masking.padded_mlp([(2, 3, 2), (2, 4, 2)], [0])
    with pytest.raises(ValueError, match="rng must be one of numpy, torch; received rng='jax'"):
        masking.padded_mlp([(2, 3, 2), (2, 4, 2)], [0, 1], init="torch", rng="jax")
    with pytest.raises(ValueError, match=r"l1\[0\]"):
        nn.regularizers.Penalty(l1=[-1.0, 0.0])


def test_widths_pad_beyond_the_widest_replica_with_the_same_start():
    sizes, seeds = [(2, 3, 2), (2, 4, 2)], [0, 1]
    small = masking.padded_mlp(sizes, seeds)
    big = masking.padded_mlp(sizes, seeds, widths=(2, 7, 2))
    assert big.layers[0].params["W"].shape == (2, 2, 7)
    np.testing.assert_array_equal(big.layers[0].params["W"][..., :4], small.layers[0].params["W"])
    assert not big.layers[0].params["W"][..., 4:].any()
    with pytest.raises(ValueError, match=r"widths must list one width per layer of "
                                         r"sizes\[0\]=\(2, 3, 2\); received widths=\(7,\)"):
        masking.padded_mlp(sizes, seeds, widths=(7,))
