"""Lesson C's own data: the draws its code makes after np.random.seed(42)."""

import numpy as np
import pytest

from mlplab.data.toy import lesson_c_line, lesson_c_outliers, line


def test_outlier_data_are_the_lessons_and_give_its_least_squares_line():
    X, y = lesson_c_outliers(seed=42)
    assert X.shape == (11, 1) and y.shape == (11,) and y.dtype == np.float64
    noise = np.random.RandomState(42).normal(0, 2, 10)
    np.testing.assert_array_equal(y[:10], 2 * np.arange(1, 11) + 1 + noise)
    assert (X[-1, 0], y[-1]) == (8.0, 50.0)
    slope, intercept = np.polyfit(X[:, 0], y, 1)
    assert (round(slope, 3), round(intercept, 3)) == (2.815, 0.150)
    # one data set, two spellings: the catalogue's line with the lesson's draws, in float32
    X32, y32 = line(outlier=True, seed=42, rng="legacy")
    np.testing.assert_array_equal(X32, X.astype(np.float32))
    np.testing.assert_array_equal(y32, y.astype(np.float32))


def test_training_data_and_first_weights_continue_one_stream():
    X, y, w = lesson_c_line(hidden=4, seed=42)
    draw = np.random.RandomState(42)
    x = draw.rand(100, 1) * 10
    np.testing.assert_array_equal(X, x)
    np.testing.assert_array_equal(y, 2 * x + 1 + draw.randn(100, 1) * 2)
    np.testing.assert_array_equal(w["W1"], draw.randn(1, 4) * np.sqrt(2 / 5))
    np.testing.assert_array_equal(w["W2"], draw.randn(4, 1) * np.sqrt(2 / 5))
    assert not w["b1"].any() and not w["b2"].any()
    X2, y2 = lesson_c_line(seed=42)          # without hidden: the data alone
    np.testing.assert_array_equal(X2, X)


def test_bad_seed_and_sizes_are_refused_by_name():
    with pytest.raises(TypeError, match="seed must be an integer"):
        lesson_c_outliers(seed=1.5)
    with pytest.raises(ValueError, match="n_samples"):
        lesson_c_line(n_samples=0)
    with pytest.raises(ValueError, match="hidden"):
        lesson_c_line(hidden=-2)
