"""The lessons' own data draws: rng="legacy"."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_moons

from mlplab.data import catalog, toy


def test_disc_ring_legacy_is_np_random_seed_in_lesson_order():
    np.random.seed(7)  # what lesson A's code does (its global state is restored below)
    state = np.random.get_state()
    try:
        u = np.random.uniform
        t0, r0 = u(0, 2 * np.pi, 150), u(0, 0.5, 150)
        t1, r1 = u(0, 2 * np.pi, 150), u(0.7, 1.0, 150)
    finally:
        np.random.set_state(state)
    want = np.vstack([np.column_stack([r0 * np.cos(t0), r0 * np.sin(t0)]),
                      np.column_stack([r1 * np.cos(t1), r1 * np.sin(t1)])]).astype(np.float32)
    X, y = toy.disc_ring(seed=7, rng="legacy")
    np.testing.assert_array_equal(X, want)
    assert y.tolist() == [0] * 150 + [1] * 150
    assert not np.array_equal(toy.disc_ring(seed=7)[0], want)  # the default stream is another


def test_moons_and_circles_legacy_are_scikit_learns():
    X, y = toy.moons(300, noise=0.1, seed=42, rng="legacy")
    Xs, ys = make_moons(n_samples=300, noise=0.1, random_state=42)
    np.testing.assert_array_equal(X, Xs.astype(np.float32))
    np.testing.assert_array_equal(y, ys)
    X, y = toy.circles(300, noise=0.1, factor=0.5, seed=42, rng="legacy")
    Xs, ys = make_circles(n_samples=300, noise=0.1, factor=0.5, random_state=42)
    np.testing.assert_array_equal(X, Xs.astype(np.float32))
    np.testing.assert_array_equal(y, ys)


def test_catalog_passes_data_rng_and_refuses_it_elsewhere():
    ds = catalog.load("moons", seed=3, test_size=0, n_samples=300, noise=0.1, data_rng="legacy")
    np.testing.assert_array_equal(ds.X_train, make_moons(300, noise=0.1, random_state=3)[0].astype(np.float32))
    with pytest.raises(ValueError, match="dataset 'iris' has no parameter 'data_rng'"):
        catalog.load("iris", data_rng="legacy")


def test_bad_legacy_arguments():
    with pytest.raises(ValueError, match="rng must be one of numpy, legacy; received rng='torch'"):
        toy.disc_ring(seed=0, rng="torch")
    with pytest.raises(TypeError, match=r"seed must be an integer from 0 to 2\*\*32 - 1; received seed=None"):
        toy.moons(seed=None, rng="legacy")


def test_line_legacy_is_lesson_c_outlier_data():
    # lesson C's draw: the legacy stream seeded 42, N(0, 2) noise on y = 2x + 1, then (8, 50)
    eps = np.random.RandomState(42).normal(0, 2, 10)
    x = np.arange(1, 11, dtype=float)
    X, y = toy.line(outlier=True, seed=42, rng="legacy")
    np.testing.assert_array_equal(X[:, 0], np.append(x, 8).astype(np.float32))
    np.testing.assert_array_equal(y, np.append(2 * x + 1 + eps, 50).astype(np.float32))
    assert not np.array_equal(toy.line(outlier=True, seed=42)[1], y)  # the default stream differs
    ds = catalog.load("line", data_rng="legacy", n_samples=10, noise=2.0, test_size=0, data_seed=42)
    np.testing.assert_array_equal(np.sort(ds.y_train), np.sort(y[:10]))
    with pytest.raises(TypeError, match=r"rng='legacy' draws as np.random.seed\(seed\) does: seed "
                                        r"must be an integer from 0 to 2\*\*32 - 1; received seed=None"):
        toy.line(rng="legacy")
    with pytest.raises(ValueError, match=r"rng must be one of numpy, legacy; received rng='torch'"):
        toy.line(rng="torch")
