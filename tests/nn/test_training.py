import io

import numpy as np
import pytest

import mlplab
from mlplab.data import blobs, disc_ring, logic_gate, per_seed
from mlplab.nn import SGD, Callback, DivergenceError, EarlyStopping, ProgressBar, fit, mlp


def test_twenty_replicas_equal_twenty_single_models():
    seeds = list(range(20))
    X, y = per_seed("disc_ring", seeds, n_samples=60)
    many = mlp([2, 4, 4, 2], init="torch", seed=seeds, dtype="float64")
    fit(many, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=100)
    for r, s in enumerate(seeds):
        one = mlp([2, 4, 4, 2], init="torch", seed=s, dtype="float64")
        fit(one, X[r], y[r], loss="cross_entropy", optimizer="adam", lr=0.05, epochs=100)
        for (pm, _), (p1, _) in zip(many.parameters(), one.parameters()):
            np.testing.assert_allclose(pm[r], p1, rtol=1e-9, atol=1e-12)


def test_replicas_equal_singles_with_minibatches_in_float32():
    seeds = [0, 1, 2]
    X, y = disc_ring(n_samples=64, seed=5)
    many = mlp([2, 6, 2], seed=seeds)
    h = fit(many, X, y, loss="cross_entropy", lr=0.01, epochs=20, batch_size=16, seed=3)
    assert h.loss.shape == (20, 3)
    for r, s in enumerate(seeds):
        one = mlp([2, 6, 2], seed=s)
        # an int fit seed gives replica r the stream of seed + r
        h1 = fit(one, X, y, loss="cross_entropy", lr=0.01, epochs=20, batch_size=16, seed=3 + r)
        np.testing.assert_allclose(h.loss[:, r], h1.loss, rtol=1e-4)
        np.testing.assert_allclose(many.layers[0].params["W"][r], one.layers[0].params["W"],
                                   rtol=1e-4, atol=1e-6)


def test_same_seed_same_result_bit_for_bit():
    X, y = disc_ring(seed=1)

    def run():
        net = mlp([2, 8, 8, 2], seed=7, dropout=0.1)
        h = fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=5, batch_size=32, seed=7)
        return h.loss, net.layers[0].params["W"].copy()

    (l1, w1), (l2, w2) = run(), run()
    np.testing.assert_array_equal(l1, l2)
    np.testing.assert_array_equal(w1, w2)


def test_learns_disc_ring():
    X, y = disc_ring(seed=0)
    net = mlp([2, 8, 8, 2], seed=0)
    h = fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=300)
    assert h.loss[-1] < 0.05 * h.loss[0]
    assert h.accuracy[-1] == 1.0
    assert (net.predict(X) == y).mean() == 1.0


def test_history_shapes_and_validation_split():
    X, y = blobs(n_samples=100, seed=0)
    net = mlp([2, 4, 2], seed=[0, 1, 2])
    h = fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=7, batch_size=10, validation_split=0.2)
    assert set(h.keys()) == {"loss", "accuracy", "lr", "val_loss", "val_accuracy"}
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert h[key].shape == (7, 3)
    # the held-out 20 are the last 20 rows; recompute their accuracy
    acc = (net.predict(X[80:]) == y[80:]).mean(axis=-1)
    np.testing.assert_allclose(h.val_accuracy[-1], acc)


def test_one_sample_at_a_time_is_plain_sgd():
    X, y = logic_gate("or")
    net = mlp([2, 1], output="sigmoid", init="zeros", seed=0, dtype="float64")
    fit(net, X, y, loss="mse", optimizer="sgd", lr=0.5, epochs=1, batch_size=1, shuffle=False)
    # by hand: w, b start at 0; each sample moves them by -lr * 2 (a - t) a (1 - a) x
    w, b = np.zeros(2), 0.0
    for x, t in zip(X.astype(float), y):
        a = 1 / (1 + np.exp(-(x @ w + b)))
        delta = 2 * (a - t) * a * (1 - a)
        w, b = w - 0.5 * delta * x, b - 0.5 * delta
    np.testing.assert_allclose(net.layers[0].params["W"][:, 0], w, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].params["b"][0, 0], b, rtol=1e-12)


def test_callbacks_see_every_event_in_order():
    events = []

    class Spy(Callback):
        def on_train_begin(self, run):
            events.append("begin")

        def on_epoch_begin(self, run, epoch):
            events.append(f"e{epoch}")

        def on_batch_end(self, run, batch, logs):
            events.append(f"b{batch}")

        def on_epoch_end(self, run, epoch, logs):
            events.append(f"/e{epoch}:{sorted(logs)}")

        def on_train_end(self, run):
            events.append("end")

    X, y = blobs(n_samples=20, seed=0)
    fit(mlp([2, 2], seed=0), X, y, loss="cross_entropy", epochs=2, batch_size=8, callbacks=[Spy()])
    logs = "['accuracy', 'loss', 'lr']"
    assert events == ["begin", "e0", "b0", "b1", "b2", f"/e0:{logs}",
                      "e1", "b0", "b1", "b2", f"/e1:{logs}", "end"]


def test_early_stopping_restores_best_weights():
    X, y = disc_ring(n_samples=200, seed=0)
    Xv, yv = disc_ring(n_samples=200, seed=1)
    net = mlp([2, 16, 2], seed=0)
    stop = EarlyStopping(monitor="val_loss", patience=3)
    # a learning rate this high oscillates, so the best epoch is not the last
    h = fit(net, X, y, loss="cross_entropy", optimizer="sgd", lr=3.0, epochs=200,
            validation=(Xv, yv), callbacks=[stop])
    assert h.stopped_epoch is not None and h.epochs < 200
    best = int(stop.best_epoch)
    assert h.val_loss[best] == h.val_loss.min()
    ce = mlplab.nn.losses.get("cross_entropy")
    np.testing.assert_allclose(ce.value(net.forward(Xv), yv), h.val_loss[best], rtol=1e-5)


def test_early_stopping_waits_for_every_replica():
    X, y = blobs(n_samples=50, seed=0)
    net = mlp([2, 3, 2], seed=[0, 1])
    stop = EarlyStopping(monitor="loss", patience=2, min_delta=10.0, restore_best=False)
    h = fit(net, X, y, loss="cross_entropy", epochs=50, callbacks=[stop])
    assert h.epochs == 3  # nothing improves by 10: stop after patience epochs


def test_early_stopping_names_missing_monitor():
    X, y = blobs(n_samples=20, seed=0)
    with pytest.raises(ValueError, match="monitors 'val_loss'.*available: loss, accuracy, lr"):
        fit(mlp([2, 2], seed=0), X, y, loss="cross_entropy", epochs=3,
            callbacks=[EarlyStopping()])


def test_divergence_stops_with_a_useful_message():
    X, y = disc_ring(seed=0)
    X = X * 1e4
    net = mlp([2, 16, 16, 2], seed=0)
    with pytest.raises(DivergenceError) as info:
        fit(net, X, y, loss="mse", optimizer="sgd", lr=10.0, epochs=50)
    msg = str(info.value)
    assert msg.startswith("training diverged at epoch 2, batch 1: the loss became inf")
    assert "lower learning rate (now 10; try 1)" in msg and "clip_norm=1.0" in msg
    assert "scaling the inputs (their largest magnitude is 9.86e+03)" in msg
    assert info.value.history.epochs == info.value.epoch


def test_continuing_with_the_same_optimizer_keeps_its_state():
    X, y = blobs(n_samples=30, seed=0)
    net_a, net_b = mlp([2, 3, 2], seed=0), mlp([2, 3, 2], seed=0)
    opt = mlplab.nn.Adam(lr=0.01)
    fit(net_a, X, y, loss="cross_entropy", optimizer=opt, epochs=5)
    fit(net_a, X, y, loss="cross_entropy", optimizer=opt, epochs=5)
    fit(net_b, X, y, loss="cross_entropy", optimizer="adam", lr=0.01, epochs=10)
    np.testing.assert_allclose(net_a.layers[0].params["W"], net_b.layers[0].params["W"], rtol=1e-6)


def test_l2_penalty_is_reported_apart_and_shrinks_weights():
    X, y = blobs(n_samples=60, seed=0)
    plain, reg = mlp([2, 8, 2], seed=0), mlp([2, 8, 2], seed=0)
    h0 = fit(plain, X, y, loss="cross_entropy", lr=0.05, epochs=100)
    h1 = fit(reg, X, y, loss="cross_entropy", lr=0.05, epochs=100, l2=0.05)
    assert "penalty" not in h0 and "penalty" in h1
    w = reg.layers[0].params["W"], reg.layers[2].params["W"]
    np.testing.assert_allclose(h1.penalty[-1], 0.05 * sum((a * a).sum() for a in w), rtol=1e-5)
    assert np.abs(reg.layers[0].params["W"]).sum() < np.abs(plain.layers[0].params["W"]).sum()


def test_progress_bar_prints_epochs():
    X, y = blobs(n_samples=20, seed=0)
    out = io.StringIO()
    fit(mlp([2, 2], seed=0), X, y, loss="cross_entropy", epochs=4,
        callbacks=[ProgressBar(stream=out, every=2)])
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("epoch 2/4  loss ")
    assert "accuracy" in lines[1]


def test_regression_on_the_line():
    from mlplab.data import line
    X, y = line(n_samples=50, noise=0.0, seed=0)
    net = mlp([1, 1], seed=0, dtype="float64")
    h = fit(net, X / 10, y, loss="mse", optimizer="sgd", lr=0.1, epochs=2000)
    assert "accuracy" not in h
    np.testing.assert_allclose(net.layers[0].params["W"][0, 0] / 10, 2.0, rtol=1e-3)
    np.testing.assert_allclose(net.layers[0].params["b"][0, 0], 1.0, rtol=1e-2)


def test_sgd_with_momentum_object():
    X, y = logic_gate("xor")
    net = mlp([2, 4, 1], activation="tanh", output="sigmoid", seed=1)
    h = fit(net, X, y, loss="bce", optimizer=SGD(lr=0.5, momentum=0.9), epochs=300)
    assert h.accuracy[-1] == 1.0


def test_replicas_with_dropout_equal_single_models_with_their_seeds():
    seeds = [3, 7, 11]
    X, y = disc_ring(n_samples=40, seed=2)
    many = mlp([2, 6, 6, 2], dropout=0.3, seed=seeds, dtype="float64")
    fit(many, X, y, loss="cross_entropy", lr=0.02, epochs=15, batch_size=10, seed=1)
    for r, s in enumerate(seeds):
        one = mlp([2, 6, 6, 2], dropout=0.3, seed=s, dtype="float64")
        fit(one, X, y, loss="cross_entropy", lr=0.02, epochs=15, batch_size=10, seed=1 + r)
        for (pm, _), (p1, _) in zip(many.parameters(), one.parameters()):
            np.testing.assert_allclose(pm[r], p1, rtol=1e-9, atol=1e-12)
