"""Bad input: each case raises ValueError or TypeError naming the argument, the rule
and the value received (and the valid names for registries)."""

import numpy as np
import pytest

import mlplab
from mlplab.data import blobs, disc_ring
from mlplab.nn import BatchNorm, Dense, Dropout, activations, initializers, losses, mlp, optimizers, schedules

X, Y = blobs(n_samples=20, seed=0)


def _fit(**overrides):
    args = dict(model=mlp([2, 3, 2], seed=0), X=X, y=Y, loss="cross_entropy", epochs=2)
    args.update(overrides)
    return mlplab.fit(args.pop("model"), args.pop("X"), args.pop("y"), **args)


def test_x_with_one_dimension():
    with pytest.raises(ValueError, match=r"X must have at least 2 dimensions .* received shape \(20,\)"):
        _fit(X=X[:, 0])


def test_x_with_wrong_feature_count():
    with pytest.raises(ValueError, match=r"X must have 2 features .* received shape \(20, 3\)"):
        _fit(X=np.ones((20, 3)))


def test_x_with_wrong_replica_axis():
    with pytest.raises(ValueError, match=r"X must be \(n_samples, n_features\) or, per replica.*\(5, 20, 2\)"):
        _fit(model=mlp([2, 3, 2], seed=[0, 1]), X=np.ones((5, 20, 2)))


def test_y_with_wrong_length():
    with pytest.raises(ValueError, match=r"y must hold one target per sample of X \(20\).*received shape \(19,\)"):
        _fit(y=Y[:19])


def test_nan_in_x():
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X must contain only finite numbers; received nan at index \(3, 1\)"):
        _fit(X=bad)


def test_inf_in_x():
    bad = X.copy()
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"X must contain only finite numbers; received inf"):
        _fit(X=bad)


def test_nan_in_y():
    with pytest.raises(ValueError, match="y must contain only finite numbers"):
        _fit(y=np.where(Y == 0, np.nan, 1.0))


def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"y labels must lie in \[0, 1\] .* received labels from 0 to 2"):
        _fit(y=np.where(Y == 1, 2, 0))


def test_negative_labels():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 1\].*from -1 to 1"):
        _fit(y=Y - (Y == 0))


def test_non_integer_labels():
    with pytest.raises(ValueError, match="y must hold integer class labels; received the value 0.5"):
        _fit(y=Y * 0.5)


def test_strings_as_x():
    with pytest.raises(TypeError, match="X must hold numbers; received an array of dtype <U"):
        _fit(X=np.array([["a", "b"]] * 20))


@pytest.mark.parametrize("family,getter", [
    ("activation", activations.get), ("loss", losses.get), ("optimizer", optimizers.get),
    ("initializer", initializers.get), ("schedule", schedules.get),
])
def test_unknown_names_list_the_valid_ones(family, getter):
    with pytest.raises(ValueError, match=f"unknown {family} 'nope'; valid names are: ") as info:
        getter("nope")
    first = {"activation": "relu", "loss": "mse", "optimizer": "sgd", "initializer": "zeros",
             "schedule": "step"}[family]
    assert first in str(info.value)


def test_unknown_loss_in_fit():
    with pytest.raises(ValueError, match="unknown loss 'crossentropy'; valid names are: mse, mae"):
        _fit(loss="crossentropy")


def test_unknown_activation_in_mlp():
    with pytest.raises(ValueError, match="unknown activation 'rleu'.*relu"):
        mlp([2, 3, 2], activation="rleu")


def test_unknown_dataset():
    with pytest.raises(ValueError, match="unknown dataset 'mnst'; valid names are:.*moons"):
        mlplab.data.get("mnst")


def test_non_positive_layer_size():
    with pytest.raises(ValueError, match=r"sizes\[1\] must be a positive integer; received sizes\[1\]=0"):
        mlp([2, 0, 2])


def test_non_integer_layer_size():
    with pytest.raises(TypeError, match=r"sizes\[1\] must be a positive integer; received sizes\[1\]=2.5"):
        mlp([2, 2.5, 2])


def test_dense_non_positive_fan_out():
    with pytest.raises(ValueError, match="fan_out must be a positive integer; received fan_out=-3"):
        Dense(2, -3)


def test_batchnorm_non_positive_features():
    with pytest.raises(ValueError, match="n_features must be a positive integer; received n_features=0"):
        BatchNorm(0)


def test_zero_epochs():
    with pytest.raises(ValueError, match="epochs must be a positive integer; received epochs=0"):
        _fit(epochs=0)


def test_bool_epochs():
    with pytest.raises(TypeError, match="epochs must be a positive integer; received epochs=True"):
        _fit(epochs=True)


def test_zero_batch_size():
    with pytest.raises(ValueError, match="batch_size must be a positive integer; received batch_size=0"):
        _fit(batch_size=0)


def test_zero_learning_rate():
    with pytest.raises(ValueError, match=r"lr must be a finite number in \(0.0, inf\]; received lr=0.0"):
        _fit(lr=0)


def test_negative_learning_rate_on_optimizer():
    with pytest.raises(ValueError, match="lr must be a finite number .* received lr=-0.1"):
        optimizers.get("adam", lr=-0.1)


def test_nan_learning_rate():
    with pytest.raises(ValueError, match="lr must be a finite number .* received lr=nan"):
        _fit(lr=float("nan"))


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_p_outside_unit_interval(p):
    with pytest.raises(ValueError, match=rf"p must be a finite number in \[0.0, 1.0\); received p={p}"):
        Dropout(p)


def test_dropout_p_in_mlp():
    with pytest.raises(ValueError, match=r"dropout must be a finite number in \[0.0, 1.0\); received dropout=1.0"):
        mlp([2, 3, 2], dropout=1.0)


def test_validation_split_of_one():
    with pytest.raises(ValueError, match=r"validation_split must be a finite number in \[0.0, 1.0\); received validation_split=1.0"):
        _fit(validation_split=1.0)


def test_validation_and_split_together():
    with pytest.raises(ValueError, match="either validation or validation_split"):
        _fit(validation=(X, Y), validation_split=0.2)


def test_seed_list_length_must_match_replicas():
    with pytest.raises(ValueError, match="one seed per replica: received 2 seeds for replicas=3"):
        mlp([2, 3, 2], seed=[0, 1], replicas=3)


def test_negative_seed():
    with pytest.raises(TypeError, match="seed must be None, a non-negative integer .* received seed=-1"):
        mlp([2, 3, 2], seed=-1)


def test_model_must_be_sequential():
    with pytest.raises(TypeError, match="model must be a mlplab Sequential"):
        mlplab.fit("net", X, Y, loss="mse", epochs=1)


def test_bce_targets_outside_unit_interval():
    net = mlp([2, 3, 1], output="sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\] for loss 'bce'; received values from -1.0 to 3.5"):
        mlplab.fit(net, X, np.linspace(-1, 3.5, 20), loss="bce", epochs=1)


def test_options_for_an_object_are_refused():
    with pytest.raises(TypeError, match="options .* can only be given with a name"):
        losses.get(losses.get("huber"), delta=2.0)


def test_dataset_arguments():
    with pytest.raises(ValueError, match=r"ring must be \(r_min, r_max\) with inner_radius <= r_min < r_max"):
        disc_ring(inner_radius=0.8, ring=(0.7, 1.0))
    with pytest.raises(ValueError, match="n_samples must be a positive integer; received n_samples=0"):
        disc_ring(n_samples=0)


def test_nothing_trained_when_input_is_bad():
    net = mlp([2, 3, 2], seed=0)
    before = [p.copy() for p, _ in net.parameters()]
    with pytest.raises(ValueError):
        mlplab.fit(net, X, np.where(Y == 1, 5, 0), loss="cross_entropy", epochs=3)
    for b, (p, _) in zip(before, net.parameters()):
        np.testing.assert_array_equal(b, p)
