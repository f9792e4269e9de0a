"""Showing a figure that may hold one value per replica."""

from __future__ import annotations

import numpy as np


def spread(value, fmt=lambda x: f"{x:.4f}") -> tuple[str, str | None]:
    """``(text, range)``: the value itself with ``range`` None, or, for several replicas,
    their median and ``"[min, max]"``. Replicas whose figure is NaN (diverged, frozen)
    are left out of both and counted: ``"[min, max]; 2 NaN"``."""
    v = np.asarray(value, dtype=np.float64).ravel()
    if v.size == 1:
        return fmt(v[0]), None
    nan = np.isnan(v)
    if nan.all() or not nan.any():
        return fmt(np.median(v)), f"[{fmt(v.min())}, {fmt(v.max())}]"
    v = v[~nan]
    return fmt(np.median(v)), f"[{fmt(v.min())}, {fmt(v.max())}]; {int(nan.sum())} NaN"


def percent(x) -> str:
    return f"{100 * x:.2f}%"
