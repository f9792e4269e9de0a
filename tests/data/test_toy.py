import numpy as np
import pytest

from mlplab import data


def test_logic_gates():
    X, y = data.logic_gate("xor")
    assert X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert y.tolist() == [0, 1, 1, 0]
    assert data.get("and")[1].tolist() == [0, 0, 0, 1]
    assert data.get("nand")[1].tolist() == [1, 1, 1, 0]
    assert data.get("or")[1].tolist() == [0, 1, 1, 1]


def test_disc_ring_geometry():
    X, y = data.disc_ring(seed=0)
    assert X.shape == (300, 2) and X.dtype == np.float32
    assert np.bincount(y).tolist() == [150, 150]
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 0].max() <= 0.5 and r[y == 1].min() >= 0.7 and r[y == 1].max() <= 1.0
    X2, _ = data.disc_ring(n_samples=100, inner_radius=1, ring=(2, 3), seed=0)
    r2 = np.hypot(*X2.T)
    assert r2[:50].max() <= 1 and r2[50:].min() >= 2


def test_same_seed_same_data_other_seed_other_data():
    for name in ["disc_ring", "moons", "circles", "spirals", "blobs", "moons_circles"]:
        a, b, c = data.get(name, seed=1), data.get(name, seed=1), data.get(name, seed=2)
        np.testing.assert_array_equal(a[0], b[0])
        assert not np.array_equal(a[0], c[0]), name


@pytest.mark.parametrize("n", [100, 101])
def test_moons_and_circles_match_scikit_learn_without_noise(n):
    sk = pytest.importorskip("sklearn.datasets", reason="scikit-learn is not installed")
    for ours, theirs in [(data.moons(n, shuffle=False), sk.make_moons(n, shuffle=False)),
                         (data.circles(n, factor=0.3, shuffle=False),
                          sk.make_circles(n, factor=0.3, shuffle=False))]:
        np.testing.assert_allclose(ours[0], theirs[0], atol=1e-6)
        np.testing.assert_array_equal(ours[1], theirs[1])


def test_noise_is_gaussian_with_the_given_std():
    clean, _ = data.moons(4000, shuffle=False)
    noisy, _ = data.moons(4000, noise=0.2, shuffle=False, seed=0)
    np.testing.assert_allclose((noisy - clean).std(), 0.2, rtol=0.03)


def test_spirals():
    X, y = data.spirals(n_samples=900, n_classes=3, noise=0.0, seed=0)
    assert np.bincount(y).tolist() == [300, 300, 300]
    r = np.hypot(*X.T)
    np.testing.assert_allclose(r.max(), 1.0, rtol=1e-6)
    # noise-free arms are rotations of each other by 2 pi / 3
    rot = np.array([[np.cos(2 * np.pi / 3), -np.sin(2 * np.pi / 3)],
                    [np.sin(2 * np.pi / 3), np.cos(2 * np.pi / 3)]])
    np.testing.assert_allclose(X[y == 0] @ rot.T, X[y == 1], atol=1e-5)


def test_moons_circles_mix():
    X, y = data.moons_circles(seed=0)
    assert X.shape == (1000, 2) and sorted(np.unique(y)) == [0, 1, 2, 3]
    np.testing.assert_allclose(X.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(X.std(0), 1, rtol=1e-4)
    # the circles were shifted away from the moons
    assert X[y >= 2, 0].mean() > X[y < 2, 0].mean()


def test_blobs_centres():
    X, y = data.blobs(n_samples=2000, std=0.1, seed=0)
    np.testing.assert_allclose(X[y == 0].mean(0), [2, 2], atol=0.02)
    np.testing.assert_allclose(X[y == 1].mean(0), [-2, -2], atol=0.02)
    X4, y4 = data.blobs(n_samples=400, n_classes=4, seed=0)
    assert np.bincount(y4).tolist() == [100] * 4


def test_line_with_outlier():
    X, y = data.line(noise=0.0, outlier=True)
    assert X.shape == (11, 1) and y.dtype == np.float32
    np.testing.assert_allclose(y[:10], 2 * np.arange(1, 11) + 1)
    assert (X[-1, 0], y[-1]) == (8.0, 50.0)


def test_per_seed_stacks_one_dataset_per_seed():
    X, y = data.per_seed("disc_ring", [4, 5, 6], n_samples=40)
    assert X.shape == (3, 40, 2) and y.shape == (3, 40)
    np.testing.assert_array_equal(X[1], data.disc_ring(n_samples=40, seed=5)[0])
    X2, _ = data.per_seed(data.moons, [0, 1], n_samples=10, noise=0.1)
    assert X2.shape == (2, 10, 2)
