"""Showing a figure that may hold one value per replica: one formatter for every table
(console summary, progress bar, report)."""

from __future__ import annotations

import math

import numpy as np


def number(x) -> str:
    """Four decimals where they show the value (0.0123, 47.8400); scientific notation
    where four decimals would hide it or overflow the column (1.000e-11, 3.200e+07)."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)                      # nan, inf, -inf
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4f}"
    return f"{x:.3e}"


def percent(x) -> str:
    x = float(x)
    return f"{100 * x:.2f}%" if math.isfinite(x) else str(x)


def spread(value, fmt=number) -> tuple[str, str | None]:
    """``(text, range)``: the value itself with ``range`` None, or, for several replicas,
    their median and ``"[min, max]"``. Replicas whose value is NaN or infinite (a
    diverged run) are left out of both and counted: ``"[min, max], 1 not finite"``."""
    v = np.asarray(value, dtype=np.float64).ravel()
    if v.size == 1:
        return fmt(v[0]), None
    finite = v[np.isfinite(v)]
    if finite.size == 0:
        return fmt(np.nan), f"[all {v.size} not finite]"
    span = f"[{fmt(finite.min())}, {fmt(finite.max())}]"
    if finite.size < v.size:
        span += f", {v.size - finite.size} not finite"
    return fmt(np.median(finite)), span
