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
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must hold real numbers; received complex values (dtype {arr.dtype}); "
                        f"pass the real part (X.real) or the magnitude (abs(X)) explicitly")
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
        arr = cast(name, arr, dtype)
    return arr


def cast(name: str, arr: np.ndarray, dtype) -> np.ndarray:
    """``arr`` as ``dtype``, refusing finite values that the cast would turn into inf
    (``1e39`` does not fit in float32, whose largest value is about ``3.4e38``)."""
    dtype = np.dtype(dtype)
    if arr.dtype == dtype:
        return arr
    with np.errstate(over="ignore"):
        out = arr.astype(dtype)
    if np.issubdtype(dtype, np.floating) and np.issubdtype(arr.dtype, np.number):
        finite = np.isfinite(out)
        if not finite.all():
            was = np.isfinite(arr) if np.issubdtype(arr.dtype, np.inexact) else np.ones(arr.shape, bool)
            lost = np.argwhere(~finite & was)
            if len(lost):
                i = tuple(int(k) for k in lost[0])
                raise ValueError(
                    f"{name} must fit in {dtype.name} (largest magnitude {np.finfo(dtype).max:.4g}); "
                    f"received {arr[i].item()!r} at index {i}; rescale the data or use "
                    f"a float64 model (mlp(..., dtype='float64'))")
    return out


def model_input(name: str, value, n_features: int, replicas, dtype) -> np.ndarray:
    """Check an input ``(n, f)`` or ``(*replicas, n, f)`` for a network and cast it.

    The rules: real, finite numbers that fit in ``dtype``; at least 2 dimensions;
    ``n_features`` on the last axis; leading axes equal to the network's replicas.
    """
    arr = finite_array(name, value, min_ndim=2, dtype=dtype)
    input_shape(name, arr.shape, n_features, replicas)
    return arr


def input_shape(name: str, shape: tuple, n_features: int, replicas) -> None:
    """The shape rules of :func:`model_input` alone (cheap: no pass over the data)."""
    reps = tuple(replicas or ())
    if len(shape) < 2:
        raise ValueError(f"{name} must have at least 2 dimensions (..., n_samples, n_features); "
                         f"received shape {tuple(shape)}")
    if shape[-1] != n_features:
        raise ValueError(f"{name} must have {n_features} features (last axis) for this network; "
                         f"received shape {tuple(shape)}")
    if tuple(shape[:-2]) not in ((), reps):
        rule = (f"(n_samples, {n_features}) or, one per replica, {(*reps, 'n_samples', n_features)}"
                if reps else f"(n_samples, {n_features}) (this network has no replicas)")
        raise ValueError(f"{name} must be shaped {rule}; received shape {tuple(shape)}")


#: the most replicas one model may hold (each is a full copy of the weights)
MAX_REPLICAS = 100_000


def replicas(name: str, value) -> tuple[int, ...]:
    """``None`` (no replicas), a positive int, or a tuple/list of positive ints; returned as
    a shape tuple. The total count is at most :data:`MAX_REPLICAS`."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise ValueError(f"{name} must be None, a positive integer or a tuple of them; "
                         f"received {name}={value!r}")
    for v in items:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must be None, a positive integer or a tuple of them; "
                            f"received {name}={_show(value)}")
        if v < 1:
            raise ValueError(f"{name} must be None, a positive integer or a tuple of them; "
                             f"received {name}={value!r}")
    shape = tuple(int(v) for v in items)
    count = 1
    for v in shape:
        count *= v
    if count > MAX_REPLICAS:
        raise ValueError(f"{name} asks for {count} replicas; the limit is {MAX_REPLICAS}; "
                         f"received {name}={value!r}")
    return shape


FLOAT_DTYPES = ("float32", "float64")


def float_dtype(name: str, value) -> np.dtype:
    """``"float32"`` or ``"float64"`` (a name, a NumPy dtype or type)."""
    try:
        dtype = np.dtype(value) if value is not None else None
    except TypeError:
        dtype = None
    if dtype is None or dtype.name not in FLOAT_DTYPES:
        raise (ValueError if dtype is not None or isinstance(value, str) else TypeError)(
            f"{name} must be one of {', '.join(map(repr, FLOAT_DTYPES))}; received {name}={_show(value)}")
    return dtype


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


def per_replica(name: str, value, check):
    """A number checked by ``check(name, value)``, or one per replica: a 1-d sequence
    whose elements each pass ``check`` (returned as a float64 array shaped ``(R,)``)."""
    if np.ndim(value) == 0:
        return check(name, value)
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        arr = np.asarray(value, dtype=object)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a number or one number per replica (a 1-d sequence); "
                         f"received shape {arr.shape}")
    if arr.dtype == object or np.isnan(arr).any():
        for i, v in enumerate(value):
            check(f"{name}[{i}]", v)
    for v in np.unique(arr):  # a handful of distinct values: each checked once
        try:
            check(name, float(v))
        except (TypeError, ValueError):
            i = int(np.flatnonzero(arr == v)[0])
            check(f"{name}[{i}]", value[i])
    return arr


def broadcast_to_replicas(value, like: np.ndarray):
    """``value`` ready to multiply ``like`` (``(R, a, b)``): a Python float as it is, a
    per-replica array ``(R,)`` as ``(R, 1, 1)`` in ``like``'s dtype (the same rounding as a
    scalar, which NumPy casts to the array's dtype)."""
    if not isinstance(value, np.ndarray):
        return value
    return value.reshape(value.shape + (1,) * (like.ndim - value.ndim)).astype(like.dtype)


def nonzero(value) -> bool:
    """Whether a number, or any of a per-replica array, is not 0 (fast for numbers)."""
    return bool(value.any()) if isinstance(value, np.ndarray) else bool(value)
