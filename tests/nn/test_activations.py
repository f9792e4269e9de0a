import numpy as np
import pytest

from mlplab.nn import activations, gradcheck
from mlplab.nn.activation_layers import Activation, layer_for

from ..conftest import torch_or_skip

NAMES = activations.names()


def _input(rng, shape):
    # stay away from the kinks of relu / leaky_relu / elu at 0
    x = rng.standard_normal(shape) * 2
    return np.where(np.abs(x) < 1e-3, 0.5, x)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(5, 3), (4, 5, 3)], ids=["single", "replicas"])
def test_activation_layer_passes_gradcheck(name, shape, rng):
    result = gradcheck(layer_for(name), _input(rng, shape))
    assert result.worst < 1e-6, result


@pytest.mark.parametrize("name", [n for n in NAMES if activations.get(n).elementwise])
def test_derivative_matches_central_difference(name, rng):
    act = activations.get(name)
    x = _input(rng, (200,))
    h = 1e-6
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x, act(x)), numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(act.derivative(x), act.derivative(x, act(x)), rtol=1e-12)


def test_known_values():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(activations.get("relu")(x), [0, 0, 3])
    np.testing.assert_array_equal(activations.get("relu").derivative(x), [0, 0, 1])
    np.testing.assert_allclose(activations.get("leaky_relu", alpha=0.1)(x), [-0.2, 0, 3])
    np.testing.assert_allclose(activations.get("sigmoid")(np.array([0.0])), [0.5])
    np.testing.assert_allclose(activations.get("elu")(np.array([-1.0])), [np.exp(-1) - 1])
    np.testing.assert_allclose(activations.get("softmax")(np.array([[0.0, np.log(3.0)]])),
                               [[0.25, 0.75]])
    # SiLU is swish with beta = 1: x sigmoid(x) at x = 1
    np.testing.assert_allclose(activations.get("silu")(np.array([1.0])), [1 / (1 + np.exp(-1))])


def test_sigmoid_is_stable_for_large_inputs():
    sig = activations.get("sigmoid")
    with np.errstate(over="raise"):
        y = sig(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(y, [0.0, 1.0])


def test_softmax_temperature_flattens_distribution():
    x = np.array([[1.0, 2.0, 3.0]])
    hot = activations.get("softmax", temperature=10.0)(x)
    cold = activations.get("softmax")(x)
    assert hot.max() < cold.max()
    np.testing.assert_allclose(hot.sum(), 1.0)


def test_float32_stays_float32():
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(4, 3)
    for name in NAMES:
        act = activations.get(name)
        assert act(x).dtype == np.float32, name
        assert act.vjp(x, act(x), np.ones_like(x)).dtype == np.float32, name


_INTS = np.arange(-2, 3)                     # integer array: -2 .. 2
_REFERENCE = _INTS.astype(np.float64)


def _three(act, x):
    """f(x), f'(x) and the backward pass with dL/dy = 1, as one tuple."""
    return act(x), act.derivative(x), act.vjp(x, act(x), np.ones(np.shape(x), dtype=int))


@pytest.mark.parametrize("name", NAMES)
def test_python_numbers_compute_in_float64(name):
    act = activations.get(name)
    for number in (-1, 0.5, 2, True):
        for got, want in zip(_three(act, number), _three(act, np.array([float(number)]))):
            assert isinstance(got, np.float64), (number, type(got))
            # softmax / log_softmax see a scalar as one class: compare with a 1-vector
            np.testing.assert_allclose(got, want[0], rtol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_integer_arrays_compute_in_float64(name):
    act = activations.get(name)
    for got, want in zip(_three(act, _INTS), _three(act, _REFERENCE)):
        assert got.dtype == np.float64
        np.testing.assert_allclose(got, want, rtol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_float32_arrays_match_float64_values(name):
    act = activations.get(name)
    for got, want in zip(_three(act, _REFERENCE.astype(np.float32)), _three(act, _REFERENCE)):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert isinstance(act(np.float32(0.5)), np.float32)


def test_the_integer_cases_of_the_issue():
    sig = activations.get("sigmoid")
    assert sig(0.0) == 0.5 and sig(0) == 0.5
    np.testing.assert_allclose(sig(np.arange(-2, 3)),
                               [1 / (1 + np.e ** 2), 1 / (1 + np.e), 0.5,
                                1 / (1 + np.e ** -1), 1 / (1 + np.e ** -2)], rtol=1e-15)
    assert activations.get("leaky_relu").derivative(-1) == 0.01
    assert activations.get("leaky_relu", alpha=0.2)(-3) == pytest.approx(-0.6)
    np.testing.assert_array_equal(activations.get("relu").derivative(np.array([-1, 0, 1])), [0, 0, 1])


@pytest.mark.parametrize("name", NAMES)
def test_layer_config_round_trip(name):
    layer = layer_for(name)
    cfg = layer.config()
    from mlplab.nn import layer_from_config
    again = layer_from_config(cfg)
    assert type(again) is type(layer)
    assert again.config() == cfg


def test_generic_activation_layer_round_trip():
    from mlplab.nn import layer_from_config
    layer = Activation("leaky_relu", alpha=0.2)
    again = layer_from_config(layer.config())
    assert again.activation == activations.get("leaky_relu", alpha=0.2)


def _torch_fn(torch, act):
    F = torch.nn.functional
    table = {
        "identity": lambda x: x,
        "relu": F.relu,
        "leaky_relu": lambda x: F.leaky_relu(x, act.alpha) if hasattr(act, "alpha") else None,
        "elu": lambda x: F.elu(x, getattr(act, "alpha", 1.0)),
        "selu": F.selu,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softplus": F.softplus,
        "swish": lambda x: x * torch.sigmoid(getattr(act, "beta", 1.0) * x),
        "gelu": lambda x: F.gelu(x, approximate=getattr(act, "approximate", "none")),
        "mish": F.mish,
        "softmax": lambda x: F.softmax(x / getattr(act, "temperature", 1.0), dim=-1),
        "log_softmax": lambda x: F.log_softmax(x, dim=-1),
    }
    return table[act.name]


TORCH_CASES = [(n, {}) for n in NAMES] + [
    ("leaky_relu", {"alpha": 0.2}), ("elu", {"alpha": 0.5}), ("swish", {"beta": 1.7}),
    ("gelu", {"approximate": "tanh"}), ("softmax", {"temperature": 2.5}),
]


@pytest.mark.parametrize("name,options", TORCH_CASES, ids=lambda v: str(v))
def test_matches_torch_forward_and_backward(name, options, rng):
    torch = torch_or_skip()
    act = activations.get(name, **options)
    x = _input(rng, (3, 6, 4))
    dy = rng.standard_normal(x.shape)
    xt = torch.tensor(x, requires_grad=True)
    yt = _torch_fn(torch, act)(xt)
    yt.backward(torch.tensor(dy))
    y = act(x)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(act.vjp(x, y, dy), xt.grad.numpy(), rtol=1e-9, atol=1e-12)
