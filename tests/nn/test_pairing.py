import re

import numpy as np
import pytest

from mlplab.nn import Callback, fit, losses, mlp, pairing
from mlplab.nn.losses import SOFTMAX_TWICE

# output kind -> (mlp output argument, number of outputs)
OUTPUTS = {
    "linear-1": (None, 1), "linear-3": (None, 3), "sigmoid-1": ("sigmoid", 1),
    "sigmoid-3": ("sigmoid", 3), "softmax-3": ("softmax", 3), "log_softmax-3": ("log_softmax", 3),
}
ALL = set(OUTPUTS)
ACCEPTED = {
    "mse": ALL, "mae": ALL, "huber": ALL,  # one-hot targets fit any output (lesson B)
    "bce": {"sigmoid-1", "sigmoid-3"},
    "bce_logits": {"linear-1", "linear-3"},
    # log_softmax only shifts the logits: cross_entropy on it is cross_entropy on the logits
    "cross_entropy": {"linear-3", "log_softmax-3"},
    "focal": {"linear-3", "log_softmax-3"},
    "nll": {"log_softmax-3"},
}


def _data(k, n=30, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % max(k, 2)
    return rng.normal(size=(n, 2)), (labels if k == 1 else np.eye(k)[labels])


def test_the_table_covers_every_registered_loss():
    assert set(ACCEPTED) == set(losses.names())


@pytest.mark.parametrize("kind", OUTPUTS)
@pytest.mark.parametrize("loss", sorted(ACCEPTED))
def test_loss_output_table(loss, kind):
    output, k = OUTPUTS[kind]
    model = mlp([2, k], output=output, seed=0)
    X, y = _data(k)
    if kind in ACCEPTED[loss]:
        h = fit(model, X, y, loss=loss, epochs=2)
        assert np.isfinite(h.loss).all() and h.loss.shape == (2,)
        return
    found = kind.split("-")[0]
    with pytest.raises(ValueError) as err:
        fit(model, X, y, loss=loss, epochs=2)
    message = str(err.value)
    assert f"loss={loss!r}" in message and f"output={found!r} ({k} output" in message
    assert "\n" not in message
    _assert_fixes_fit(message, loss, found, k)


def _assert_fixes_fit(message, loss, found, k):
    """Every fix the message proposes is a pair the check accepts."""
    fixes = message.rsplit(": ", 1)[1]
    pieces = [re.sub(r"\s*\(.*?\)", "", p).strip() for p in re.split(r", or |, ", fixes)]
    assert pieces, message
    for piece in pieces:
        new_loss = re.search(r"loss='(\w+)'", piece)
        new_output = re.search(r"output='(\w+)'", piece)
        out = found if new_output is None else new_output.group(1)
        if piece.startswith("drop output="):
            out = "linear"
        n = 3 if "one output per class" in piece else k
        candidate = new_loss.group(1) if new_loss else loss
        assert new_loss or new_output or "one output per class" in piece, (piece, message)
        assert pairing.fits(candidate, out, n), (piece, message)


@pytest.mark.parametrize("loss", ["cross_entropy", "focal"])
def test_softmax_before_a_softmax_loss_says_softmax_twice(loss):
    with pytest.raises(ValueError) as err:
        pairing.check(mlp([4, 3], output="softmax", seed=0), loss)
    assert str(err.value).endswith(SOFTMAX_TWICE)
    assert SOFTMAX_TWICE == ("softmax would be applied twice: drop output='softmax', "
                             "or use loss='nll' with output='log_softmax'")


def test_bce_on_logits_points_to_bce_logits_and_sigmoid():
    with pytest.raises(ValueError, match=r"loss='bce_logits'.*output='sigmoid'"):
        pairing.check(mlp([2, 2], seed=0), "bce")


def test_refused_before_any_training_step():
    events = []

    class Spy(Callback):
        def on_train_begin(self, run):
            events.append("begin")

    model = mlp([2, 3], seed=0)
    before = model.layers[0].params["W"].copy()
    X, y = _data(3)
    with pytest.raises(ValueError, match="loss='nll'"):
        fit(model, X, y.argmax(-1), loss="nll", epochs=3, callbacks=[Spy()])
    assert events == [] and np.array_equal(model.layers[0].params["W"], before)


@pytest.mark.parametrize("loss,output", [("bce", "sigmoid"), ("bce_logits", None)])
def test_two_class_loss_refuses_three_class_labels(loss, output):
    X, _ = _data(1)
    with pytest.raises(ValueError) as err:
        fit(mlp([2, 1], output=output, seed=0), X, np.arange(30) % 3, loss=loss, epochs=1)
    message = str(err.value)
    assert f"loss={loss!r} (output=" in message and "is a two-class loss" in message
    assert "3 classes (0, 1, 2)" in message and "loss='cross_entropy'" in message


def test_two_class_loss_takes_one_hot_rows_of_three_classes():
    """Several sigmoid outputs with one-hot rows are independent two-class problems."""
    X, y = _data(3)
    h = fit(mlp([2, 3], output="sigmoid", seed=0), X, y, loss="bce", epochs=1)
    assert np.isfinite(h.loss[-1])


CLASSIFIERS = [("cross_entropy", None, 3), ("focal", None, 3), ("nll", "log_softmax", 3),
               ("bce", "sigmoid", 1), ("bce_logits", None, 1)]


@pytest.mark.parametrize("loss,output,k", CLASSIFIERS)
def test_single_class_labels_are_refused(loss, output, k):
    X, _ = _data(k, n=20)
    with pytest.raises(ValueError) as err:
        fit(mlp([2, k], output=output, seed=0), X, np.ones(20, int), loss=loss, epochs=1)
    message = str(err.value)
    assert message.startswith(f"loss={loss!r} (output={output or 'linear'!r}, {k} output")
    assert "needs training labels of at least two classes" in message
    assert "all 20 training samples are class 1" in message


def test_single_class_one_hot_rows_are_refused():
    X, _ = _data(3, n=12)
    with pytest.raises(ValueError, match="all 12 training samples are class 2"):
        pairing.check(mlp([2, 3], seed=0), "cross_entropy", np.eye(3)[np.full(12, 2)], n_samples=12)


def test_single_class_checked_per_replica():
    X, _ = _data(3)
    y = np.stack([np.arange(30) % 3, np.arange(30) % 3, np.zeros(30, int)])
    with pytest.raises(ValueError, match=r"single class in replica 2 \(seed 2\): all 30 training samples are class 0"):
        fit(mlp([2, 3], seed=[0, 1, 2]), X, y, loss="cross_entropy", epochs=1)
    h = fit(mlp([2, 3], seed=[0, 1, 2]), X, y[[0, 1, 0]], loss="cross_entropy", epochs=1)
    assert h.loss.shape == (1, 3)


def test_single_class_before_the_validation_split_is_refused():
    X, _ = _data(2)
    y = np.r_[np.zeros(24, int), np.ones(6, int)]  # sorted labels: the last 20% is all class 1
    model = mlp([2, 2], seed=0)
    with pytest.raises(ValueError, match="all 24 training samples .* are class 0"):
        fit(model, X, y, loss="cross_entropy", epochs=1, validation_split=0.2)
    assert fit(model, X, y, loss="cross_entropy", epochs=1).loss.shape == (1,)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_regression_losses_take_class_labels_and_constant_targets(loss):
    X, _ = _data(2)
    h = fit(mlp([2, 2], output="softmax", seed=0), X, np.arange(30) % 2, loss=loss, epochs=1)
    assert h.accuracy.shape == (1,)
    h = fit(mlp([2, 1], seed=0), X, np.full(30, 0.5), loss=loss, epochs=1)  # regression: no rule
    assert np.isfinite(h.loss[-1])


@pytest.mark.parametrize("output,k,task,expected", [
    ("sigmoid", 1, "classification", "bce"), ("sigmoid", 3, "classification", "bce"),
    ("linear", 1, "classification", "bce_logits"), ("linear", 4, "classification", "cross_entropy"),
    ("log_softmax", 3, "classification", "nll"), ("softmax", 3, "classification", None),
    ("log_softmax", 1, "classification", None), ("sigmoid", 1, "regression", "mse"),
])
def test_loss_for_picks_a_loss_that_fits(output, k, task, expected):
    picked = pairing.loss_for(output, k, task)
    assert picked == expected
    if picked is not None:
        assert pairing.fits(picked, output, k)


def test_output_kind_reads_the_last_layer():
    assert [pairing.output_kind(mlp([2, 3], output=o, seed=0))
            for o in (None, "sigmoid", "softmax", "log_softmax", "tanh")] == \
        ["linear", "sigmoid", "softmax", "log_softmax", "tanh"]
