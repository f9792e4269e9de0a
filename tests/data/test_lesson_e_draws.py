"""Lesson E's data drawn as its own code draws it (rng="legacy"): the spirals from
np.random.seed(42), the moons + circles from scikit-learn with random_state=42."""

import numpy as np
import pytest

from mlplab.data import catalog, toy


def lesson_spirals(n_samples=1000, n_classes=3, noise=0.2, seed=42):
    """The lesson's procedure, written out: per arm, angles and radii on a line, then the
    x noise and the y noise of its points from the global stream."""
    np.random.seed(seed)
    per = n_samples // n_classes
    X, y = [], []
    for k in range(n_classes):
        t = np.linspace(0, 4 * np.pi, per) + k * 2 * np.pi / n_classes
        r = np.linspace(0, 1, per)
        a = r * np.cos(t) + np.random.randn(per) * noise
        b = r * np.sin(t) + np.random.randn(per) * noise
        X.append(np.column_stack([a, b]))
        y.append(np.full(per, k))
    return np.vstack(X), np.hstack(y)


@pytest.mark.parametrize("seed, noise", [(42, 0.2), (7, 0.05)])
def test_legacy_spirals_are_the_lessons_points(seed, noise):
    X, y = toy.spirals(seed=seed, noise=noise, rng="legacy")
    X0, y0 = lesson_spirals(seed=seed, noise=noise)
    assert X.shape == (999, 2) and X.dtype == np.float32
    np.testing.assert_allclose(X, X0, atol=1e-6)
    np.testing.assert_array_equal(y, y0)


def test_legacy_moons_circles_are_the_lessons_points():
    from sklearn.datasets import make_circles, make_moons
    from sklearn.preprocessing import StandardScaler

    X1, y1 = make_moons(n_samples=500, noise=0.15, random_state=42)
    X2, y2 = make_circles(n_samples=500, noise=0.1, factor=0.5, random_state=42)
    X0 = StandardScaler().fit_transform(np.vstack([X1, X2 * 2 + 2]))
    X, y = toy.moons_circles(seed=42, rng="legacy")
    np.testing.assert_allclose(X, X0, atol=1e-6)
    np.testing.assert_array_equal(y, np.hstack([y1, y2 + 2]))


def test_the_usual_draws_are_unchanged_by_the_legacy_option():
    X, _ = toy.spirals(seed=0)
    Xl, _ = toy.spirals(seed=0, rng="legacy")
    assert not np.allclose(X, Xl)
    np.testing.assert_array_equal(X, toy.spirals(seed=0, rng="numpy")[0])


def test_the_catalogue_passes_data_rng_to_lesson_e_sets():
    ds = catalog.load("spirals", seed=42, data_rng="legacy", data_seed=42)
    X, y = toy.spirals(seed=42, rng="legacy")
    assert ds.n_train + ds.n_test == 999
    assert {tuple(r) for r in np.vstack([ds.X_train, ds.X_test])} == {tuple(r) for r in X}
    mc = catalog.load("moons_circles", seed=3, data_rng="legacy", data_seed=42)
    assert mc.n_train == 800


def test_legacy_needs_an_integer_seed():
    with pytest.raises(TypeError, match=r"seed must be an integer.*received seed=None"):
        toy.spirals(rng="legacy")
    with pytest.raises(TypeError, match=r"received seed=1.5"):
        toy.moons_circles(seed=1.5, rng="legacy")


def test_an_unknown_rng_is_refused_by_name():
    with pytest.raises(ValueError, match=r"rng must be one of numpy, legacy; received rng='torch'"):
        toy.spirals(seed=0, rng="torch")
