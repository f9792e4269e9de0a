"""The summary of a sweep as a text table (what ``mlplab sweep`` prints)."""

from __future__ import annotations

import math


def value_text(key, value) -> str:
    """``(4, 3)`` -> ``4x3`` (``()`` -> ``0``: no hidden layer); other values as given."""
    if key == "layers":
        return "x".join(map(str, value)) or "0"
    return "none" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def setting_text(result, row) -> str:
    return " ".join(f"{k}={value_text(k, row[k])}" for k in result.varied) or "(one setting)"


def _pct(x) -> str:
    return "-" if math.isnan(x) else f"{x:.0%}"


def format_summary(result) -> str:
    """One line per setting, in the sweep's order: setting, k/N, rate [low, high]
    (Wilson 95%), median accuracy (rmse for regression) on train and test data."""
    rows = result.summary()
    figures = result.figures()
    shown = [f for f in ("train_accuracy", "test_accuracy") if f in figures] or \
        [f for f in ("train_rmse", "test_rmse") if f in figures]
    labels = [setting_text(result, r) for r in rows]
    width = max([len("setting"), *map(len, labels)])
    head = f"{'setting':<{width}}  {'k/N':>7}  {'rate [95% interval]':<20}" + "".join(
        f"  {'median ' + f.replace('_', ' '):>22}" for f in shown)
    lines = [head]
    for label, r in zip(labels, rows):
        rate = f"{_pct(r['rate'])} [{_pct(r['rate_low'])}, {_pct(r['rate_high'])}]"
        cells = "".join(
            f"  {(_pct(r[f + '_median']) if f.endswith('accuracy') else format(r[f + '_median'], '.4g')):>22}"
            for f in shown)
        lines.append(f"{label:<{width}}  {r['successes']:>3}/{r['n']:<3}  {rate:<20}{cells}")
    lines.append(f"success: {result.success} (interval: Wilson 95%)")
    return "\n".join(lines)
