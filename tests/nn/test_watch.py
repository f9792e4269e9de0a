"""Training that goes wrong without stopping: rising-loss warnings, frozen replicas,
and NaN advice that fits the cause."""

import numpy as np
import pytest

from mlplab import nn
from mlplab.data import catalog, disc_ring, logic_gate, per_seed
from mlplab.nn import Callback, DivergenceError, fit, mlp
from mlplab.nn.watch import rising_loss


# ------------------------------------------------------------------ rising loss
def test_the_audits_climbing_loss_warns_once_with_figures_and_advice():
    # lesson B, exercise 1 from the CLI: 2-4-2 sigmoid, MSE on one-hot, SGD lr 2, 10,000 epochs
    X, y = logic_gate("xor")
    net = mlp([2, 4, 2], activation="sigmoid", seed=0)
    h = fit(net, X, y, loss="mse", optimizer="sgd", lr=2.0, epochs=10000, batch_size=4)
    first, last = float(h.loss[0]), float(h.loss[-1])
    assert last > 30 * first and np.isfinite(last)
    assert len(h.warnings) == 1
    w = h.warnings[0]
    assert w.startswith(f"the training loss rose: {first:.4g} at epoch 1, {last:.4g} at epoch 10000 "
                        "(ended above where it started)")
    assert "lower learning rate (now 2; try 0.2)" in w and "clip_norm=1.0" in w
    assert "another optimizer ('adam' instead of 'sgd')" in w


class _RaiseLR(Callback):
    """The learning rate jumps to ``lr`` at epoch ``at`` (a schedule gone wrong)."""

    def __init__(self, at, lr):
        self.at, self.lr = at, lr

    def on_epoch_begin(self, run, epoch):
        if epoch == self.at:
            run.optimizer.lr = self.lr


def test_a_loss_that_falls_then_climbs_back_warns_naming_the_seeds():
    X, y = disc_ring(n_samples=200, seed=0)
    net = mlp([2, 8, 8, 2], seed=[0, 1, 2], dtype="float64")
    h = fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=0.5, epochs=200,
            callbacks=[_RaiseLR(100, 2.0)])
    found = rising_loss(h.loss)
    assert sorted(found) == [0, 2]
    for r in (0, 2):
        assert h.loss[99, r] < 0.05 and h.loss[-1, r] > 10 * h.loss[99, r]
        assert found[r]["kind"] == "climbed far above its lowest"
    (w,) = h.warnings
    assert w.startswith("the training loss rose for 2 of 3 replicas (seeds 0, 2): seed 0: "
                        f"{h.loss[0, 0]:.4g} at epoch 1, lowest ")
    assert f"{h.loss[-1, 2]:.4g} at epoch 200 (climbed far above its lowest)" in w
    assert "The learning rate (2) is probably too large" in w


def test_rising_loss_rule_on_hand_made_curves():
    noisy_floor = np.array([2.0, 1.0, 0.5, 0.2, 0.1, 0.12, 0.09, 0.3, 0.1, 0.11])
    climbed = np.array([2.0, 1.0, 0.5, 0.2, 0.1, 0.3, 0.6, 0.9, 1.2, 1.5])
    found = rising_loss(np.stack([noisy_floor, climbed], axis=1))
    assert list(found) == [1]
    assert found[1]["kind"] == "climbed far above its lowest"
    assert (found[1]["low"], found[1]["low_epoch"], found[1]["last"]) == (0.1, 5, 1.5)
    assert rising_loss(np.array([[1.0]])) == {}                      # one epoch: nothing to judge
    assert rising_loss(np.array([1.0, np.nan, np.nan])[:, None]) == {}  # a diverged replica
    # a loss fitted to float precision does not "rise" from 0 to 1e-9 (a 1-row data set)
    assert rising_loss(np.array([[0.0], [0.0], [1e-9]])) == {}
    assert list(rising_loss(np.array([[0.0], [0.0], [1e-3]]))) == [0]


def _disc(batch_size=None):
    X, y = disc_ring(seed=0)
    return mlp([2, 8, 8, 2], seed=list(range(5))), X, y, \
        dict(loss="cross_entropy", lr=0.01, epochs=300, batch_size=batch_size)


def _lesson_a():
    X, y = per_seed("disc_ring", list(range(10)))
    return mlp([2, 4, 4, 2], seed=list(range(10))), X, y, dict(loss="cross_entropy", lr=0.05, epochs=300)


def _table(name, sizes, seeds, **options):
    def build():
        ds = catalog.load(name, seed=0)
        net = mlp([ds.n_features, *sizes, ds.n_outputs], seed=seeds,
                  **{k: options.pop(k) for k in ("batchnorm", "dropout") if k in options})
        return net, ds.scaler.transform(ds.X_train), ds.y_train, dict(loss="cross_entropy", **options)
    return build


def _line_one_sample_at_a_time():
    ds = catalog.load("line", seed=0)
    return mlp([1, 1], seed=0), ds.X_train[:10], ds.y_train[:10], \
        dict(loss="mse", optimizer="sgd", lr=0.01, epochs=200, batch_size=1)


ORDINARY = {
    "disc_ring 2-8-8-2 adam 0.01 (README)": _disc,
    "disc_ring adam 0.01 batch 32": lambda: _disc(32),
    "disc_ring 4,4 adam 0.05, per-seed data (lesson A)": _lesson_a,
    "iris 16 adam 0.01 (README)": _table("iris", [16], list(range(5)), lr=0.01, epochs=100,
                                         batch_size=64),
    "iris sgd one sample at a time": _table("iris", [16], [0, 1, 2], optimizer="sgd", lr=0.1,
                                            epochs=60, batch_size=1),
    "spirals 100,100,100 sgd batch 32 (lesson E)": _table("spirals", [100, 100, 100], [0, 1],
                                                          optimizer="sgd", lr=0.1, epochs=30,
                                                          batch_size=32),
    "moons_circles batch norm + dropout 0.3 (lesson E)": _table(
        "moons_circles", [64, 32], [0, 1], batchnorm=True, dropout=0.3, epochs=20, batch_size=32),
    "line, sgd one sample at a time (lesson C)": _line_one_sample_at_a_time,
}


@pytest.mark.parametrize("name", list(ORDINARY))
def test_ordinary_training_does_not_warn(name):
    net, X, y, options = ORDINARY[name]()
    h = fit(net, X, y, **options)
    assert h.warnings == []
    assert np.all(h.loss[-1] < h.loss[0])  # they do learn


def test_mnist_for_a_partial_run_does_not_warn(mnist_dir):
    from mlplab.data.mnist import load_mnist

    X, y = load_mnist("train", directory=mnist_dir)
    h = fit(mlp([784, 128, 64, 10], seed=0), X[:3000], y[:3000], loss="cross_entropy", epochs=2,
            batch_size=64)
    assert h.warnings == [] and h.loss[-1] < h.loss[0]


def test_cli_prints_each_warning_on_stderr(capsys):
    from mlplab.cli import main

    code = main(["train", "xor", "--layers", "4", "--activation", "sigmoid", "--loss", "mse",
                 "--optimizer", "sgd", "--lr", "2", "--epochs", "3000", "--batch-size", "4"])
    err = capsys.readouterr().err
    assert code == 0
    (line,) = [row for row in err.splitlines() if row.startswith("warning: ")]
    assert line.startswith("warning: the training loss rose: ")
    assert "at epoch 3000 (ended above where it started)" in line


# ------------------------------------------------------------- frozen replicas
class _Params(Callback):
    def __init__(self):
        self.seen = []

    def on_epoch_end(self, run, epoch, logs):
        self.seen.append([p.copy() for p, _ in run.model.parameters()])


def test_a_diverging_replica_is_frozen_and_the_others_train_as_without_it():
    X, y = disc_ring(n_samples=64, seed=5)
    Xs = np.stack([X, 30 * X, X])  # replica 1's inputs are too large for lr 0.1
    spy = _Params()
    many = mlp([2, 6, 6, 2], activation="leaky_relu", seed=[4, 9, 13], dtype="float64")
    h = fit(many, Xs, y, loss="mse", optimizer="sgd", lr=0.1, epochs=30, batch_size=16, callbacks=[spy])
    assert h.diverged.tolist() == [False, True, False]
    e = int(h.diverged_epoch[1])
    assert h.diverged_epoch.tolist() == [-1, e, -1] and 0 <= e < 29
    assert np.isnan(h.loss[e:, 1]).all() and np.isfinite(h.loss[:e, 1]).all()
    assert np.isnan(h.accuracy[e:, 1]).all() and np.isfinite(h.loss[:, [0, 2]]).all()
    for later in spy.seen[e:]:  # its parameters stopped changing
        assert all(np.array_equal(a[1], b[1]) for a, b in zip(spy.seen[e], later))
    (w,) = h.warnings
    assert w.startswith(f"1 of 3 replicas diverged (the loss became NaN or inf): seed 9 at epoch {e + 1}")
    assert "the other 2 trained on" in w and "lower learning rate (now 0.1; try 0.01)" in w
    two = mlp([2, 6, 6, 2], activation="leaky_relu", seed=[4, 13], dtype="float64")
    h2 = fit(two, Xs[[0, 2]], y, loss="mse", optimizer="sgd", lr=0.1, epochs=30, batch_size=16)
    for (pm, _), (p2, _) in zip(many.parameters(), two.parameters()):
        assert np.array_equal(pm[[0, 2]], p2)
    assert np.array_equal(h.loss[:, [0, 2]], h2.loss)


def test_frozen_replica_leaks_nothing_through_batchnorm_dropout_or_clipping():
    X, y = disc_ring(n_samples=64, seed=5)
    T = np.eye(2)[y]
    Ts = np.stack([T, 1e200 * T, T])  # replica 1's loss is inf at the first batch
    options = dict(loss="mse", epochs=8, batch_size=16)
    many = mlp([2, 6, 6, 2], batchnorm=True, dropout=0.2, seed=[4, 9, 13], dtype="float64")
    start = [p.copy() for p, _ in many.parameters()]
    h = fit(many, X, Ts, optimizer=nn.optimizers.get("adam", lr=0.01, clip_norm=1.0), **options)
    assert h.diverged.tolist() == [False, True, False] and h.diverged_epoch.tolist() == [-1, 0, -1]
    for (p, _), p0 in zip(many.parameters(), start):
        assert np.array_equal(p[1], p0[1])  # frozen before its first update
    two = mlp([2, 6, 6, 2], batchnorm=True, dropout=0.2, seed=[4, 13], dtype="float64")
    fit(two, X, Ts[[0, 2]], optimizer=nn.optimizers.get("adam", lr=0.01, clip_norm=1.0), **options)
    for (pm, _), (p2, _) in zip(many.parameters(), two.parameters()):
        assert np.array_equal(pm[[0, 2]], p2)
    for (_, sm), (_, s2) in zip(many.named_state(), two.named_state()):
        assert np.array_equal(sm[[0, 2]], s2)  # batch-norm running statistics


def test_progress_lines_show_the_replicas_that_train_on():
    import io

    X, y = disc_ring(n_samples=64, seed=5)
    out = io.StringIO()
    fit(mlp([2, 6, 6, 2], activation="leaky_relu", seed=[4, 9, 13], dtype="float64"),
        np.stack([X, 30 * X, X]), y, loss="mse", optimizer="sgd", lr=0.1, epochs=30,
        batch_size=16, callbacks=[nn.ProgressBar(stream=out)])
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("epoch 30/30  loss 0.0") and "], 1 not finite  accuracy 0.9" in last


def test_divergence_error_only_when_every_replica_has_diverged():
    X, y = disc_ring(n_samples=64, seed=5)
    Xs = np.stack([30 * X, X, 300 * X])
    net = mlp([2, 6, 6, 2], activation="leaky_relu", seed=[4, 9, 13], dtype="float64")
    h = fit(net, Xs, y, loss="mse", optimizer="sgd", lr=0.1, epochs=30, batch_size=16)
    assert h.diverged.tolist() == [True, False, True]
    assert h.warnings[0].startswith("2 of 3 replicas diverged")
    net = mlp([2, 6, 6, 2], activation="leaky_relu", seed=[4, 13], dtype="float64")
    with pytest.raises(DivergenceError) as info:
        fit(net, Xs[[0, 2]], y, loss="mse", optimizer="sgd", lr=0.1, epochs=30, batch_size=16)
    msg = str(info.value)
    assert msg.startswith("training diverged at epoch ")
    assert "Every replica has now diverged; before this one: seed" in msg
    assert info.value.history.diverged.all()


def test_without_replicas_divergence_still_stops():
    X, y = disc_ring(seed=0)
    with pytest.raises(DivergenceError) as info:
        fit(mlp([2, 8, 2], seed=0), X * 1e4, y, loss="mse", optimizer="sgd", lr=10.0, epochs=50)
    h = info.value.history
    assert bool(h.diverged) and int(h.diverged_epoch) == info.value.epoch


# ---------------------------------------------------------------- NaN advice
def test_a_relu_net_on_he_normal_is_not_told_to_try_he_normal():
    X, y = disc_ring(seed=0)
    with pytest.raises(DivergenceError) as info:
        fit(mlp([2, 16, 16, 2], init="he_normal", seed=0), X * 1e4, y, loss="mse",
            optimizer="sgd", lr=10.0, epochs=50)
    msg = str(info.value)
    assert "he_normal" not in msg and "lower learning rate (now 10; try 1)" in msg


def test_a_relu_net_on_another_initializer_is_told_to_try_he_normal():
    X, y = disc_ring(seed=0)
    with pytest.raises(DivergenceError) as info:
        fit(mlp([2, 16, 16, 2], init="normal", seed=0), X * 1e4, y, loss="mse",
            optimizer="sgd", lr=10.0, epochs=50)
    assert "the 'he_normal' initializer for ReLU (now normal)" in str(info.value)


def test_a_nan_from_the_first_forward_pass_is_blamed_on_the_data_not_the_learning_rate():
    X, y = disc_ring(seed=0)
    with pytest.raises(DivergenceError) as info:
        fit(mlp([2, 16, 2], seed=0), X * 1e20, y, loss="mse", epochs=5)  # float32 overflows
    msg = str(info.value)
    assert msg.startswith("training diverged at epoch 1, batch 1, in the forward pass before any "
                          "update: the loss became inf")
    assert "learning rate played no part" in msg and "lower learning rate" not in msg
    assert "scaling the inputs (their largest magnitude is 9.86e+19)" in msg


class _XTanhSqrt(nn.activations.Activation):
    """x tanh(sqrt(x)): NaN for x < 0 (lesson E's custom activation)."""

    name = "x_tanh_sqrt"

    def __call__(self, x):
        return x * np.tanh(np.sqrt(x))

    def derivative(self, x, y=None):
        s = np.sqrt(x)
        return np.tanh(s) + x * (1 - np.tanh(s) ** 2) / (2 * s)


def test_a_nan_made_by_an_activation_names_it_and_not_the_learning_rate():
    X, y = disc_ring(seed=0)
    net = nn.Sequential([nn.Dense(2, 8, seed=0), nn.Activation(_XTanhSqrt()), nn.Dense(8, 2, seed=1)])
    with pytest.raises(DivergenceError) as info:
        fit(net, X, y, loss="cross_entropy", epochs=5)
    msg = str(info.value)
    assert "the activation of hidden layer 1 ('x_tanh_sqrt') turned finite inputs (from -" in msg
    assert "into NaN" in msg and "This is not the learning rate" in msg
    assert "lower learning rate" not in msg
