import numpy as np
import pytest

from mlplab.nn._format import number, percent, spread


@pytest.mark.parametrize("value, text", [
    (1e-11, "1.000e-11"),        # four decimals would print 0.0000
    (-0.0005, "-5.000e-04"),
    (0.0, "0.0000"),
    (0.6931, "0.6931"),
    (0.001, "0.0010"),
    (47.84, "47.8400"),
    (123456.0, "1.235e+05"),     # too wide for the column
    (np.nan, "nan"),
    (np.inf, "inf"),
])
def test_number_keeps_every_value_visible(value, text):
    assert number(value) == text


def test_spread_leaves_out_and_counts_values_that_are_not_finite():
    assert spread([0.5, np.nan, 0.7]) == ("0.6000", "[0.5000, 0.7000], 1 not finite")
    assert spread([np.nan, np.inf]) == ("nan", "[all 2 not finite]")
    assert spread([1e-11, 3e-11]) == ("2.000e-11", "[1.000e-11, 3.000e-11]")
    assert spread(np.float32(0.25), percent) == ("25.00%", None)
    assert percent(np.nan) == "nan"
