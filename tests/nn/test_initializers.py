import math

import numpy as np
import pytest

from mlplab.nn import Dense, initializers

from ..conftest import torch_or_skip

FAN_IN, FAN_OUT = 400, 300

EXPECTED_STD = {
    "normal": 0.05,
    "uniform": 0.05 / math.sqrt(3),
    "xavier_normal": math.sqrt(2 / (FAN_IN + FAN_OUT)),
    "xavier_uniform": math.sqrt(6 / (FAN_IN + FAN_OUT)) / math.sqrt(3),
    "he_normal": math.sqrt(2 / FAN_IN),
    "he_uniform": math.sqrt(6 / FAN_IN) / math.sqrt(3),
    "lecun_normal": math.sqrt(1 / FAN_IN),
    "lecun_uniform": math.sqrt(3 / FAN_IN) / math.sqrt(3),
    "torch": 1 / math.sqrt(FAN_IN) / math.sqrt(3),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_STD))
def test_weight_spread(name):
    w = initializers.get(name)((FAN_IN, FAN_OUT), np.random.default_rng(0), "float64")
    assert w.shape == (FAN_IN, FAN_OUT)
    assert abs(w.mean()) < 0.02 * EXPECTED_STD[name] * 10
    assert abs(w.std() / EXPECTED_STD[name] - 1) < 0.02


@pytest.mark.parametrize("name", ["uniform", "xavier_uniform", "he_uniform", "lecun_uniform", "torch"])
def test_uniform_bounds(name):
    init = initializers.get(name)
    w = init((FAN_IN, FAN_OUT), np.random.default_rng(0), "float64")
    limit = init.scale(FAN_IN, FAN_OUT)
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.99 * limit


def test_zeros_and_biases():
    rng = np.random.default_rng(0)
    assert not initializers.get("zeros")((3, 4), rng).any()
    assert not initializers.get("he_normal").bias(3, 4, rng).any()
    b = initializers.get("torch").bias(16, 1000, rng, "float64")
    assert b.shape == (1, 1000) and np.abs(b).max() <= 0.25 and np.abs(b).max() > 0.24


def test_same_seed_same_weights_in_both_dtypes():
    a = Dense(5, 3, seed=42, dtype="float64").params["W"]
    b = Dense(5, 3, seed=42, dtype="float32").params["W"]
    np.testing.assert_array_equal(a.astype(np.float32), b)
    assert not np.array_equal(a, Dense(5, 3, seed=43, dtype="float64").params["W"])


def test_options_and_aliases():
    assert initializers.get("glorot_uniform").name == "xavier_uniform"
    assert initializers.get("normal", std=2.0).std == 2.0
    assert initializers.get({"name": "uniform", "limit": 0.3}).limit == 0.3


def test_torch_initializer_has_torch_linear_bounds():
    torch = torch_or_skip()
    torch.manual_seed(0)
    lin = torch.nn.Linear(FAN_IN, FAN_OUT)
    ours = Dense(FAN_IN, FAN_OUT, init="torch", seed=0, dtype="float64")
    bound = 1 / math.sqrt(FAN_IN)
    for theirs, mine in [(lin.weight, ours.params["W"]), (lin.bias, ours.params["b"])]:
        t = theirs.detach().double().numpy()
        assert t.max() <= bound and mine.max() <= bound
        assert abs(t.std() - mine.std()) < 0.05 * t.std()
