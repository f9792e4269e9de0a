"""line_mse: the MSE of w x + b over (w, b) as a surface for the optimizer pictures."""

import numpy as np
import pytest

from mlplab.viz.surfaces import line_mse


def test_value_gradient_and_minimum_are_the_line_fits():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 5, 30)
    y = 1.5 * x - 2 + rng.standard_normal(30)
    s = line_mse(x[:, None], y)
    w, b = 0.7, 0.3
    assert s.f(w, b) == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)
    h = 1e-6
    num = [(s.f(w + h, b) - s.f(w - h, b)) / (2 * h), (s.f(w, b + h) - s.f(w, b - h)) / (2 * h)]
    np.testing.assert_allclose(s.grad(w, b), num, rtol=1e-6)
    np.testing.assert_allclose(s.minimum, np.polyfit(x, y, 1), rtol=1e-10)
    grid = s.f(np.zeros((3, 4)), np.ones((3, 4)))       # works on meshgrids
    assert grid.shape == (3, 4)
    lo_w, hi_w, lo_b, hi_b = s.window
    assert lo_w < min(0, s.minimum[0]) and hi_b > s.minimum[1]


def test_mismatched_points_are_refused():
    with pytest.raises(ValueError, match="same number"):
        line_mse(np.zeros((3, 1)), np.zeros(4))
