"""The replicated fast paths give the bits of the plain formulas."""

import numpy as np
import pytest

from mlplab.nn import losses
from mlplab.nn._ops import add_rows, max_last, sum_last
from mlplab.nn.training import _predict_into


@pytest.mark.parametrize("shape", [(20, 300, 4), (7, 90, 8), (3, 2, 50, 2), (5, 7, 3), (600, 5)])
def test_add_rows_is_broadcast_addition(shape):
    rng = np.random.default_rng(0)
    y = rng.normal(size=shape).astype("float32")
    b = rng.normal(size=(*shape[:-2], 1, shape[-1])).astype("float32")
    expected = y + b
    out = add_rows(y, b)
    assert out is y
    np.testing.assert_array_equal(y, expected)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_two_class_cross_entropy_is_the_generic_formula(dtype, smoothing):
    rng = np.random.default_rng(1)
    pred = (rng.normal(size=(6, 40, 2)) * 4).astype(dtype)
    labels = rng.integers(0, 2, size=(6, 40))
    ce = losses.get("cross_entropy", label_smoothing=smoothing)
    for target in (labels, labels[0]):  # per replica, and shared by all replicas
        q = ce._q(pred, target)
        z = pred - max_last(pred)
        e = np.exp(z)
        total = sum_last(e)
        value = -losses._sum_classes_mean_samples(q * (z - np.log(total)))
        grad = (e / total - q) * (1.0 / 40)
        got_value, got_grad = ce.value_and_grad(pred, target)
        np.testing.assert_array_equal(got_value, value)
        np.testing.assert_allclose(got_grad, grad, rtol=0, atol=0)


def test_two_output_predictions_are_argmax_ties_to_zero():
    out = np.array([[[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]])
    dst = np.empty((1, 3), np.intp)
    _predict_into(out, 0.0, dst)
    np.testing.assert_array_equal(dst, out.argmax(axis=-1))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_against_zeros_is_maximum_with_zero(dtype, monkeypatch):
    from mlplab.nn import _ops

    x = np.random.default_rng(2).normal(size=(3, 50, 7)).astype(dtype)
    x.reshape(-1)[:6] = [-0.0, 0.0, np.nan, -np.inf, np.inf, -np.nan]
    expected = np.maximum(x, 0)
    assert _ops.relu(x).tobytes() == expected.tobytes()
    out = np.empty_like(x)
    assert _ops.relu(x, out=out) is out and out.tobytes() == expected.tobytes()
    monkeypatch.setattr(_ops, "ZEROS_CACHED", 10)  # a large array: fresh zeros, same bits
    assert _ops.relu(x).tobytes() == expected.tobytes()
