"""PyTorch's own random draws without PyTorch: bit-equal to torch for many seeds,
layer sizes (fan-in 1 included), layer orders and both dtypes."""

import numpy as np
import pytest

import mlplab
from mlplab.nn import Sequential
from mlplab.nn.torch_draws import TorchGenerator, linear_stack

from ..conftest import torch_or_skip


def _cases():
    rng = np.random.default_rng(2024)
    seeds = [0, 1, 2, 7, 42, 1234, 2**31 - 1, 2**31, 2**32 - 1] + [int(s) for s in rng.integers(0, 2**32, 21)]
    cases = []
    for i, seed in enumerate(seeds):
        depth = int(rng.integers(1, 5))
        sizes = [int(v) for v in rng.integers(1, 50, depth + 1)]
        if i % 4 == 0:
            sizes[0] = 1  # fan-in 1
        if i % 5 == 1:
            sizes = sizes[::-1]  # the same widths in the other order
        cases.append((seed, tuple(sizes)))
    cases.append((3, (784, 128, 64, 10)))
    return cases


CASES = _cases()


def test_there_are_at_least_50_cases_with_fan_in_1():
    assert len(CASES) * 2 >= 50  # each case in float32 and in float64
    assert any(sizes[0] == 1 for _, sizes in CASES)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed,sizes", CASES, ids=str)
def test_linear_layers_equal_torch_bit_for_bit(seed, sizes, dtype):
    torch = torch_or_skip()
    torch.manual_seed(seed)
    tdtype = getattr(torch, dtype)
    modules = [torch.nn.Linear(a, b, dtype=tdtype) for a, b in zip(sizes[:-1], sizes[1:])]
    net = mlplab.mlp(list(sizes), init="torch", rng="torch", seed=seed, dtype=dtype)
    for (W, b), m, dense in zip(linear_stack(seed, sizes, dtype), modules, net.dense_layers):
        np.testing.assert_array_equal(W, m.weight.detach().numpy())
        np.testing.assert_array_equal(b, m.bias.detach().numpy())
        np.testing.assert_array_equal(dense.params["W"], m.weight.detach().numpy().T)
        np.testing.assert_array_equal(dense.params["b"][0], m.bias.detach().numpy())
        assert dense.params["W"].dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uniform_with_any_bounds_and_following_draws(dtype):
    torch = torch_or_skip()
    torch.manual_seed(11)
    tdtype = getattr(torch, dtype)
    a = torch.empty(3, 40, dtype=tdtype).uniform_(-0.3, 1.7).numpy()
    b = torch.empty(17, dtype=tdtype).uniform_(2.0, 2.5).numpy()
    g = TorchGenerator(11)
    np.testing.assert_array_equal(g.uniform((3, 40), -0.3, 1.7, dtype), a)
    np.testing.assert_array_equal(g.uniform(17, 2.0, 2.5, dtype), b)


def test_replicas_bias_free_layers_and_config_round_trip():
    torch = torch_or_skip()
    seeds = [5, 0, 99]
    net = mlplab.mlp([2, 3, 3, 2], init="torch", rng="torch", seed=seeds, batchnorm=True)
    for r, s in enumerate(seeds):
        torch.manual_seed(s)  # batch norm's Dense has no bias: torch draws none either
        mods = [torch.nn.Linear(2, 3, bias=False), torch.nn.Linear(3, 3, bias=False), torch.nn.Linear(3, 2)]
        for m, dense in zip(mods, net.dense_layers):
            np.testing.assert_array_equal(dense.params["W"][r], m.weight.detach().numpy().T)
    again = Sequential.from_config(net.config())
    for a, b in zip(again.dense_layers, net.dense_layers):
        np.testing.assert_array_equal(a.params["W"], b.params["W"])


def test_pytorch_draws_need_init_torch_and_integer_seeds():
    with pytest.raises(ValueError, match="rng='torch' .* needs init='torch'; received init='he_normal'"):
        mlplab.mlp([2, 2], rng="torch", seed=0)
    with pytest.raises(TypeError, match="rng='torch' needs integer seeds"):
        mlplab.mlp([2, 2], init="torch", rng="torch", seed=None)
    with pytest.raises(ValueError, match="rng must be one of numpy, torch; received rng='jax'"):
        mlplab.mlp([2, 2], init="torch", rng="jax", seed=0)
    with pytest.raises(TypeError, match=r"seed must be an integer from 0 to 2\*\*32 - 1 .*received seed=4294967296"):
        TorchGenerator(2**32)
