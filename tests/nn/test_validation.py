"""Bad input: each case raises ValueError or TypeError naming the argument, the rule
and the value received (and the valid names for registries)."""

import re

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


# ------------------------------------------------------------------ inputs to a network
NET = mlp([2, 3, 2], seed=0)
NET3 = mlp([2, 3, 2], seed=[0, 1, 2])


def _entry(name):
    return {"predict": NET.predict, "predict_proba": NET.predict_proba, "forward": NET.forward,
            "fit": lambda X: _fit(X=X)}[name]


@pytest.mark.parametrize("entry", ["predict", "predict_proba", "forward", "fit"])
def test_complex_x_is_refused(entry):
    with pytest.raises(TypeError, match=r"X must hold real numbers; received complex values \(dtype complex128\)"):
        _entry(entry)(X.astype(np.float64) + 1j)


@pytest.mark.parametrize("entry", ["predict", "forward"])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_x_is_refused_at_inference(entry, value):
    bad = X.copy()
    bad[5, 0] = value
    with pytest.raises(ValueError, match=rf"X must contain only finite numbers; received {value} at index \(5, 0\)"):
        _entry(entry)(bad)


@pytest.mark.parametrize("entry", ["predict", "predict_proba", "forward", "fit"])
def test_float64_values_beyond_float32_are_refused_naming_the_value(entry):
    bad = X.astype(np.float64)
    bad[4, 1] = -1e39
    with pytest.raises(ValueError, match=r"X must fit in float32 \(largest magnitude 3.403e\+38\); "
                                         r"received -1e\+39 at index \(4, 1\)"):
        _entry(entry)(bad)


def test_float64_model_takes_values_beyond_float32():
    net = mlp([2, 3, 2], seed=0, dtype="float64", activation="tanh")
    big = X.astype(np.float64)
    big[4, 1] = 1e39
    assert np.isfinite(net.forward(big)).all()  # no silent inf: the value fits in float64


@pytest.mark.parametrize("entry", ["predict", "predict_proba", "forward"])
def test_replica_axis_must_match_the_model(entry):
    fn = getattr(NET3, entry)
    with pytest.raises(ValueError, match=r"X must be shaped \(n_samples, 2\) or, one per replica, "
                                         r"\(3, 'n_samples', 2\); received shape \(5, 20, 2\)"):
        fn(np.ones((5, 20, 2)))


def test_replica_axis_refused_on_a_model_without_replicas():
    with pytest.raises(ValueError, match=r"\(this network has no replicas\); received shape \(5, 20, 2\)"):
        NET.forward(np.ones((5, 20, 2), np.float32))


def test_per_replica_input_of_the_right_shape_is_taken():
    Xr = np.stack([X, X + 1, X - 1]).astype(np.float32)
    out = NET3.forward(Xr)
    assert out.shape == (3, 20, 2)
    np.testing.assert_allclose(out[1], NET3.forward(X + 1)[1], rtol=1e-6)


@pytest.mark.parametrize("entry", ["predict", "predict_proba", "forward"])
def test_one_dimensional_input_is_refused(entry):
    with pytest.raises(ValueError, match=r"X must have at least 2 dimensions .* received shape \(2,\)"):
        _entry(entry)(np.ones(2, np.float32))


def test_forward_takes_a_list_and_checks_it():
    np.testing.assert_allclose(NET.forward([[0.5, -1.0]]), NET.forward(np.array([[0.5, -1.0]], np.float32)))
    with pytest.raises(TypeError, match="X must hold numbers"):
        NET.forward([["a", "b"]])


@pytest.mark.parametrize("replicas,error", [
    (0, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError), ([0], ValueError),
    (True, TypeError), ((2, 0), ValueError), ([], ValueError),
])
def test_nonsense_replicas_in_mlp(replicas, error):
    with pytest.raises(error, match=rf"replicas must be None, a positive integer or a tuple of them; "
                                    rf"received replicas={re.escape(repr(replicas))}$"):
        mlp([2, 3, 2], replicas=replicas)


def test_too_many_replicas_in_mlp_are_refused_before_allocating():
    with pytest.raises(ValueError, match=r"replicas asks for 1000000000000 replicas; the limit is 100000"):
        mlp([2, 3, 2], replicas=(10**6, 10**6))


@pytest.mark.parametrize("dtype,error", [
    ("float16", ValueError), ("int32", ValueError), ("banana", ValueError), ("complex64", ValueError),
    (None, TypeError), (3, TypeError),
])
def test_nonsense_dtype_in_mlp(dtype, error):
    with pytest.raises(error, match=rf"dtype must be one of 'float32', 'float64'; received dtype={re.escape(repr(dtype))}"):
        mlp([2, 3, 2], dtype=dtype)


@pytest.mark.parametrize("layer", [lambda: Dense(2, 3, dtype="int32"), lambda: BatchNorm(3, dtype="float16")])
def test_nonsense_dtype_in_layers(layer):
    with pytest.raises(ValueError, match="dtype must be one of 'float32', 'float64'"):
        layer()


def test_float64_dtype_as_a_numpy_type_is_taken():
    assert mlp([2, 3, 2], dtype=np.float64).dtype == np.float64


# --------------------------------------------------------------------------- gradcheck
@pytest.mark.parametrize("obj", [lambda x: x ** 2, None, "relu", np.ones(3)])
def test_gradcheck_refuses_a_non_model(obj):
    with pytest.raises(TypeError, match="obj must be a Layer, a Sequential or a Loss .*received "):
        mlplab.gradcheck(obj, np.ones((2, 2)))


@pytest.mark.parametrize("option,value,error", [
    ("h", 0, ValueError), ("h", -1e-6, ValueError), ("h", float("nan"), ValueError), ("h", "1e-6", TypeError),
    ("tol", 0, ValueError), ("tol", -1.0, ValueError),
])
def test_gradcheck_refuses_bad_steps_and_tolerances(option, value, error):
    with pytest.raises(error, match=rf"{option} must be a"):
        mlplab.gradcheck(NET, np.ones((2, 2)), **{option: value})


@pytest.mark.parametrize("x,message", [
    (np.ones((4, 3)), r"x must have 2 features \(last axis\) for this network; received shape \(4, 3\)"),
    (np.ones(2), r"x must have at least 2 dimensions"),
    (np.full((4, 2), np.nan), r"x must contain only finite numbers; received nan"),
    (np.ones((4, 2)) * 1j, r"x must hold real numbers"),
])
def test_gradcheck_refuses_bad_x_for_a_network(x, message):
    with pytest.raises((ValueError, TypeError), match=message):
        mlplab.gradcheck(NET, x)


def test_gradcheck_refuses_replica_shape_mismatch():
    with pytest.raises(ValueError, match=r"x must be shaped .*\(3, 'n_samples', 2\); received shape \(5, 4, 2\)"):
        mlplab.gradcheck(NET3, np.ones((5, 4, 2)))


def test_gradcheck_refuses_a_dense_input_of_the_wrong_width():
    with pytest.raises(ValueError, match=r"x must have 2 features .*received shape \(4, 5\)"):
        mlplab.gradcheck(Dense(2, 3, seed=0), np.ones((4, 5)))


def test_gradcheck_loss_without_target():
    with pytest.raises(TypeError, match="target is needed to check loss 'mse'.*received target=None"):
        mlplab.gradcheck(losses.get("mse"), np.ones((4, 2)))


def test_gradcheck_loss_with_mismatched_target():
    with pytest.raises(ValueError, match=r"target must be shaped like pred \(4, 2\) \(targets\) or \(4,\) "
                                         r"\(labels\); received shape \(3, 2\)"):
        mlplab.gradcheck(losses.get("mse"), np.ones((4, 2)), np.ones((3, 2)))


def test_gradcheck_still_passes_on_good_input():
    result = mlplab.gradcheck(mlp([2, 3, 2], activation="tanh", seed=0), np.random.default_rng(0).random((4, 2)))
    assert result.ok and result.worst < 1e-6


@pytest.mark.parametrize("shape", [(6,), (6, 1), (6, 2)])
def test_float_targets_that_overflow_float32_are_named(shape):
    import mlplab
    X = np.zeros((6, 2), np.float32)
    y = np.zeros(shape)
    y[(3,) + (0,) * (len(shape) - 1)] = 1e39
    net = mlplab.mlp([2, shape[-1] if len(shape) == 2 else 1], seed=0)
    with pytest.raises(ValueError, match=r"y must fit in float32 .*received 1e\+39 at index \(3"):
        mlplab.fit(net, X, y, loss="mse", epochs=1)
