"""Checks at the public boundary.

Every check raises ``ValueError`` or ``TypeError`` whose message names the
argument, states the rule and shows the value received, e.g.
``epochs must be a positive integer; received epochs=0``.
"""

from __future__ import annotations

import numbers

import numpy as np


def _show(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return repr(value)


def positive_int(name: str, value, *, allow_none: bool = False):
    """``value`` must be an integer >= 1 (bools are refused)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer; received {name}={_show(value)}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer; received {name}={value}")
    return int(value)


def nonnegative_int(name: str, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0; received {name}={_show(value)}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0; received {name}={value}")
    return int(value)


def real(name: str, value, *, low=None, high=None, low_open=False, high_open=False):
    """``value`` must be a finite real number inside the stated interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; received {name}={_show(value)}")
    value = float(value)
    lo = "(" if low_open else "["
    hi = ")" if high_open else "]"
    rule = f"in {lo}{'-inf' if low is None else low}, {'inf' if high is None else high}{hi}"
    bad = not np.isfinite(value)
    if low is not None:
        bad |= value <= low if low_open else value < low
    if high is not None:
        bad |= value >= high if high_open else value > high
    if bad:
        raise ValueError(f"{name} must be a finite number {rule}; received {name}={value!r}")
    return value


def positive(name: str, value):
    """A finite number > 0 (learning rates, temperatures, ...)."""
    return real(name, value, low=0.0, low_open=True)


def nonnegative(name: str, value):
    return real(name, value, low=0.0)


def probability(name: str, value, *, high_open=True):
    """A number in [0, 1) (or [0, 1] with ``high_open=False``)."""
    return real(name, value, low=0.0, high=1.0, high_open=high_open)


def finite_array(name: str, value, *, min_ndim: int = 2, dtype=None) -> np.ndarray:
    """A real array with at least ``min_ndim`` dimensions and no NaN or inf."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be array-like; received {_show(value)}: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must hold numbers; received an array of dtype {arr.dtype}")
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimensions "
            f"(..., n_samples, n_features); received shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; received shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.inexact) and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} must contain only finite numbers; received {arr[tuple(bad)]} "
            f"at index {tuple(int(i) for i in bad)}"
        )
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    return arr


def seed(name: str, value):
    """``None``, a non-negative integer or a ``numpy.random.Generator``."""
    if value is None or isinstance(value, np.random.Generator):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise TypeError(
            f"{name} must be None, a non-negative integer or a numpy.random.Generator; "
            f"received {name}={_show(value)}"
        )
    return int(value)


def rng(value) -> np.random.Generator:
    return value if isinstance(value, np.random.Generator) else np.random.default_rng(value)
