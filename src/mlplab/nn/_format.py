"""Showing a figure that may hold one value per replica."""

from __future__ import annotations

import numpy as np


def spread(value, fmt=lambda x: f"{x:.4f}") -> tuple[str, str | None]:
    """``(text, range)``: the value itself with ``range`` None, or, for several replicas,
    their median and ``"[min, max]"``."""
    v = np.asarray(value, dtype=np.float64).ravel()
    if v.size == 1:
        return fmt(v[0]), None
    return fmt(np.median(v)), f"[{fmt(v.min())}, {fmt(v.max())}]"


def percent(x) -> str:
    return f"{100 * x:.2f}%"
