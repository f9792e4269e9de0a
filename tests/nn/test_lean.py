"""The lean full-batch step (nn/_lean.py) gives the general path's numbers, bit for bit."""

import numpy as np
import pytest

from mlplab import nn
from mlplab.data import disc_ring, per_seed
from mlplab.nn import masking, training
from mlplab.nn._lean import LeanStep

SEEDS = [3, 8, 11]


def _both(build, X, y, **options):
    """(model, history) trained by the lean step and by the layers, from equal starts."""
    out = []
    for lean in (True, False):
        training.LEAN = lean
        try:
            net = build()
            opts = dict(options)
            if callable(opts.get("optimizer")):  # a fresh optimizer object for each run
                opts["optimizer"] = opts["optimizer"]()
            out.append((net, nn.fit(net, X, y, **opts)))
        finally:
            training.LEAN = True
    return out


def _assert_same(a, b):
    (na, ha), (nb, hb) = a, b
    for (pa, _), (pb, _) in zip(na.parameters(), nb.parameters()):
        assert pa.tobytes() == pb.tobytes()
    assert sorted(ha.keys()) == sorted(hb.keys())
    for key in ha.keys():
        assert np.asarray(ha[key]).tobytes() == np.asarray(hb[key]).tobytes(), key


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("data", ["per_replica", "shared", "single"])
def test_relu_mlp_equals_the_layers(dtype, data):
    if data == "per_replica":
        X, y = per_seed("disc_ring", SEEDS, n_samples=120)
    else:
        X, y = disc_ring(n_samples=120, seed=1)
    seed = 4 if data == "single" else SEEDS
    a, b = _both(lambda: nn.mlp([2, 6, 5, 2], seed=seed, init="torch", dtype=dtype), X, y,
                 loss="cross_entropy", optimizer="adam", lr=0.05, epochs=30,
                 callbacks=[nn.NeuronStats()])
    _assert_same(a, b)
    assert "alive.1" in a[1].keys()


def test_padded_widths_per_replica_lr_penalty_and_validation():
    sizes = [(2, a, b, 2) for a in (2, 5) for b in (3, 7) for _ in range(2)]
    seeds = list(range(len(sizes)))
    X, y = per_seed("disc_ring", seeds, n_samples=90)
    lr = np.linspace(0.01, 0.08, len(sizes))
    a, b = _both(lambda: masking.padded_mlp(sizes, seeds, init="torch"), X, y,
                 loss="cross_entropy", optimizer=lambda: nn.Adam(lr=lr), epochs=25, l2=1e-3,
                 validation_split=0.2, callbacks=[nn.NeuronStats()])
    _assert_same(a, b)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "leaky_relu"])
def test_other_activations_grad_masks_and_an_output_activation(activation):
    sizes = [(2, 3, 1), (2, 6, 1), (2, 4, 1)]
    X, y = per_seed("disc_ring", [0, 1, 2], n_samples=80)
    a, b = _both(lambda: masking.padded_mlp(sizes, [0, 1, 2], activation=activation,
                                            output="sigmoid"), X, y,
                 loss="bce", optimizer="sgd", lr=0.5, epochs=20)
    _assert_same(a, b)


def test_no_bias_and_momentum():
    X, y = disc_ring(n_samples=60, seed=2)
    a, b = _both(lambda: nn.mlp([2, 8, 2], seed=[1, 2], bias=False), X, y,
                 loss="cross_entropy", optimizer="momentum", lr=0.1, epochs=15)
    _assert_same(a, b)


def test_only_dense_and_plain_activations_take_the_lean_step():
    X = np.zeros((10, 2), "float32")
    assert LeanStep.of(nn.mlp([2, 4, 2], seed=0), X) is not None
    assert LeanStep.of(nn.mlp([2, 4, 2], seed=0, dropout=0.2), X) is None
    assert LeanStep.of(nn.mlp([2, 4, 2], seed=0, batchnorm=True), X) is None
    assert LeanStep.of(nn.mlp([2, 4, 2], seed=0), X.astype("float64")) is None


def test_mini_batches_and_a_replaced_parameter_keep_the_general_numbers():
    X, y = disc_ring(n_samples=40, seed=3)

    class Replace(nn.Callback):  # puts a new array in place of W at epoch 2
        def on_epoch_begin(self, run, epoch):
            if epoch == 2:
                layer = run.model.layers[0]
                layer.params["W"] = layer.params["W"] * 0.5

    a, b = _both(lambda: nn.mlp([2, 5, 2], seed=[0, 1]), X, y, loss="cross_entropy",
                 lr=0.05, epochs=6, callbacks=[Replace()])
    _assert_same(a, b)
