"""Pictures of a sweep: success rates with their intervals, the spread of a figure over
seeds, training curves as median bands and alive units, one value per setting.

The sweep result is read through a small duck-typed interface (what
``mlplab.lab.sweep`` returns satisfies it; so does any object with these names):

``result.runs``
    list of dicts, one per (setting, seed): the varied values (``"layers": (4, 3)``,
    ``"activation": "relu"``, ``"lr": 0.05``), ``"seed"``, figures such as
    ``"train_loss"``, ``"train_accuracy"``, ``"test_accuracy"``, ``"alive"`` (alive
    units per hidden layer at the last epoch), ``"diverged"``, ``"success"`` and,
    for curves, ``"history"`` (``{"loss": per-epoch array, "accuracy": ...,
    "alive.1": ...}``, as :func:`mlplab.lab.group.train_group` returns it).
``result.summary()``
    list of dicts, one per setting: the varied values, ``"n"``, ``"successes"``,
    ``"rate"``, ``"rate_low"``, ``"rate_high"`` (the Wilson 95% interval), and any
    further figures (medians, ranges).
``result.vary`` (or ``result.varied``)
    the varied keys, in order (a dict ``{key: values}`` or a list of keys); else
    ``result.spec.vary`` / ``result.spec["vary"]``.
``result.success``
    the success rule (text or :class:`~mlplab.nn.success.Success`); else
    ``result.spec["success"]``; else the default rule.
``result.spec`` (optional)
    the sweep's spec: a dict, or an object with ``to_dict()``; a fixed ``"layers"``
    there (or in its ``"fixed"`` dict) gives the widths when layers are not varied.
``result.histories(setting)`` or ``result.history(run)`` (optional)
    for runs kept without their ``"history"``: the first is called with a setting's
    varied values as a dict and returns its histories, one dict per seed; the second
    with one run dict, and returns that run's history.

A *setting* is one combination of varied values. A ``layers`` key whose values are
all two hidden layers is drawn as two axes, first-layer width ``n1`` and
second-layer width ``n2``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from itertools import product

import numpy as np
from matplotlib import colormaps
from matplotlib.ticker import PercentFormatter

from ..nn import success as success_rules
from ._style import BAD, CLASS_COLORS, GOOD, new_figure

#: colour of a success rate in [0, 1] (perceptually uniform, readable in grey)
CMAP = "viridis"
#: at most this many settings drawn as curves (spread over the success rates)
MAX_CURVES = 6


# -- reading a result ------------------------------------------------------------------

def _hashable(v):
    if isinstance(v, (list, tuple, np.ndarray)):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def value_text(key: str, v) -> str:
    """A varied value as words: ``(4, 3)`` -> ``"4x3"``, ``0.05`` -> ``"lr=0.05"``."""
    v = _hashable(v)
    if isinstance(v, tuple):
        return "x".join(map(str, v)) or "linear"
    if isinstance(v, bool) or v is None:
        return f"{key}={v}"
    if isinstance(v, (int, float)):
        return f"{key}={v:g}"
    return str(v)


def metric_words(metric: str) -> str:
    """``"train_accuracy"`` -> ``"training accuracy"``."""
    split, _, measure = metric.partition("_")
    split = {"train": "training", "val": "validation"}.get(split, split)
    return f"{split} {measure}".strip()


@dataclass
class Setting:
    """One setting of a sweep: its varied ``values``, its runs and its success rate."""

    values: dict
    runs: list = field(default_factory=list)
    n: int = 0
    successes: int = 0
    rate: float = float("nan")
    low: float = float("nan")
    high: float = float("nan")

    @property
    def label(self) -> str:
        return ", ".join(value_text(k, v) for k, v in self.values.items()) or "all runs"

    def figure(self, name: str) -> np.ndarray:
        """One float per run (NaN where the run lacks it or diverged)."""
        return np.array([np.nan if r.get("diverged") else float(r.get(name, np.nan))
                         for r in self.runs], dtype=float)


@dataclass
class SweepView:
    """What the pictures need, read once from a result: the varied ``keys``, the
    ``settings`` in the sweep's order and the success ``rule``."""

    keys: list
    settings: list
    rule: success_rules.Success
    spec: dict
    source: object = None

    def histories(self, setting: Setting) -> list:
        """The setting's per-seed histories: from its runs, else from
        ``result.histories(values)`` or ``result.history(run)``."""
        found = [r["history"] for r in setting.runs if r.get("history")]
        if found or not setting.runs:
            return found
        many = getattr(self.source, "histories", None)
        if callable(many):
            return [h for h in many(dict(setting.values)) if h]
        one = getattr(self.source, "history", None)
        return [h for h in (one(r) for r in setting.runs) if h] if callable(one) else []

    def widths(self, setting: Setting):
        layers = setting.values.get("layers", self.spec.get("layers",
                                                             self.spec.get("fixed", {}).get("layers")))
        return None if layers is None else [int(w) for w in _hashable(layers)]


_SUMMARY = ("setting", "n", "successes", "rate", "rate_low", "rate_high", "diverged")


def view(result) -> SweepView:
    """Read ``result`` through the interface of the module docstring."""
    if isinstance(result, SweepView):
        return result
    missing = [n for n in ("runs", "summary") if not hasattr(result, n)]
    if missing:
        raise TypeError(f"result must be a sweep result with runs and summary() (see "
                        f"mlplab.viz.sweep); received {type(result).__name__} without "
                        f"{', '.join(missing)}")
    raw = getattr(result, "spec", None)
    spec = raw.to_dict() if hasattr(raw, "to_dict") else dict(raw or {})
    vary = next((x for x in (getattr(result, "vary", None), getattr(result, "varied", None),
                             getattr(raw, "vary", None), spec.get("vary")) if x is not None), None)
    summary = list(result.summary())
    if vary is None:  # the summary's keys that are not its statistics
        vary = [k for k in (summary[0] if summary else {}) if k not in _SUMMARY
                and not any(s in k for s in ("median", "min", "max", "mean"))]
    # a dict, a list of keys, or a list of (key, values) pairs
    keys = [k[0] if isinstance(k, (list, tuple)) else k for k in vary]
    rule = success_rules.get(getattr(result, "success", None) or spec.get("success"))
    settings, index = [], {}
    for row in summary:
        values = {k: _hashable(row[k]) for k in keys}
        s = Setting(values, n=int(row["n"]), successes=int(row["successes"]),
                    rate=float(row["rate"]), low=float(row["rate_low"]), high=float(row["rate_high"]))
        index[tuple(values.values())] = s
        settings.append(s)
    for run in result.runs:
        key = tuple(_hashable(run.get(k)) for k in keys)
        if key not in index:
            raise ValueError(f"result.runs holds a run of setting {dict(zip(keys, key))} that "
                             f"result.summary() does not list")
        index[key].runs.append(run)
    if not settings:
        raise ValueError("the sweep result holds no settings (summary() is empty): nothing to draw")
    return SweepView(keys, settings, rule, spec, result)


# -- the grid of settings --------------------------------------------------------------

@dataclass
class _Dim:
    name: str      # axis label
    key: str       # varied key it reads
    part: int | None = None  # index into a layers tuple

    def of(self, s: Setting):
        v = s.values[self.key]
        return v[self.part] if self.part is not None else v

    def text(self, v) -> str:
        """The value as a tick label: ``4``, ``relu``, ``0.05``."""
        return str(v) if self.part is not None else value_text(self.key, v).split("=")[-1]

    def title(self, v) -> str:
        """The value as a panel title: ``n2=4``, ``relu``, ``lr=0.05``."""
        return f"{self.name.split(' ')[0]}={v}" if self.part is not None else value_text(self.key, v)


def _dims(v: SweepView) -> list:
    dims = []
    for key in v.keys:
        values = [s.values[key] for s in v.settings]
        pairs = all(isinstance(x, tuple) and len(x) == 2 for x in values)
        if key == "layers" and pairs:
            n1, n2 = {x[0] for x in values}, {x[1] for x in values}
            # split only when the n1 x n2 grid is mostly filled
            if len(set(values)) >= 0.5 * len(n1) * len(n2):
                dims += [_Dim("n1 (first hidden layer width)", key, 0),
                         _Dim("n2 (second hidden layer width)", key, 1)]
                continue
        dims.append(_Dim(key, key))
    return dims


def _levels(dim: _Dim, settings) -> list:
    seen = []
    for s in settings:
        x = dim.of(s)
        if x not in seen:
            seen.append(x)
    try:
        return sorted(seen)
    except TypeError:
        return seen


def _xlabels(ax, labels):
    """One tick label per setting: upright when short and few, slanted when long,
    vertical when many."""
    many, long = len(labels) > 10, max(map(len, labels), default=0) > 5
    ax.set_xticks(range(len(labels)), labels, rotation=90 if many else (30 if long else 0),
                  ha="right" if long and not many else "center", rotation_mode="anchor" if long and
                  not many else "default", fontsize=8 if many else 9)


def _ink(rgba) -> str:
    """Black or white text, whichever reads on a cell of colour ``rgba``."""
    r, g, b = rgba[:3]
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _percent(x) -> str:
    return f"{100 * x:.0f}%"


def _heat_panel(ax, settings, rows: _Dim, cols: _Dim, cmap, value, lines):
    """One grid of cells: colour ``value(s)`` in [0, 1]; ``lines(s)`` gives the cell's
    bold first line and its small second line."""
    rl, cl = _levels(rows, settings), _levels(cols, settings)
    grid = np.full((len(rl), len(cl)), np.nan)
    cells = {}
    for s in settings:
        i, j = rl.index(rows.of(s)), cl.index(cols.of(s))
        grid[i, j] = value(s)
        cells[i, j] = s
    cmap = (colormaps[cmap] if isinstance(cmap, str) else cmap).with_extremes(bad="#eeeeee")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=1, aspect="auto",
                      interpolation="nearest")
    for (i, j), s in cells.items():
        ink = _ink(image.cmap(image.norm(grid[i, j]))) if np.isfinite(grid[i, j]) else "black"
        big, small = lines(s)
        ax.text(j, i - 0.13, big, ha="center", va="center", fontsize=10, fontweight="bold",
                color=ink, gid="count")
        if small:
            ax.text(j, i + 0.22, small, ha="center", va="center", fontsize=8, color=ink,
                    gid="interval")
    for i, j in zip(*np.nonzero(np.isnan(grid))):
        if (i, j) not in cells:
            ax.text(j, i, "not run", ha="center", va="center", fontsize=7, color="#888888")
    ax.set_xticks(range(len(cl)), [cols.text(x) for x in cl])
    ax.set_yticks(range(len(rl)), [rows.text(x) for x in rl])
    ax.set_xlabel(cols.name)
    ax.set_ylabel(rows.name)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def _interval(s: Setting) -> str:
    """``"15-52%"``: the Wilson interval in whole percents."""
    return f"{100 * s.low:.0f}\u2013{100 * s.high:.0f}%"


def _rate_lines(s: Setting):
    return (f"{s.successes}/{s.n}", _interval(s)) if s.n else ("no runs yet", "")


def _grid(v: SweepView, rows=None, cols=None):
    """The rows, columns and further (panel) dimensions of a grid of settings, or None
    when fewer than two dimensions vary."""
    dims = _dims(v)
    if len(dims) < 2:
        return None

    def pick(name):
        for d in dims:
            if name in (d.key, d.name) or d.name.startswith(name + " "):
                return d
        raise ValueError(f"rows and cols must name a varied key "
                         f"({', '.join(d.name.split(' ')[0] for d in dims)}); received {name!r}")

    r = pick(rows) if rows else None
    c = pick(cols) if cols else None
    rest = [d for d in dims if d is not r and d is not c]
    r = r or rest.pop(0)
    c = c or rest.pop(0)
    return r, c, rest


def _panels(v: SweepView, rest):
    combos = list(product(*[_levels(d, v.settings) for d in rest])) if rest else [()]
    panels = [(combo, [s for s in v.settings if all(d.of(s) == x for d, x in zip(rest, combo))])
              for combo in combos]
    return [(combo, ss) for combo, ss in panels if ss]


def _heat_axes(v, r, c, n_panels, ax, fig, why):
    """Axes for ``n_panels`` grids of ``r`` x ``c`` cells (0.8 inch each)."""
    if ax is not None and n_panels > 1:
        raise ValueError(f"ax= draws one panel, and this picture needs {n_panels} ({why}); "
                         f"pass fig= instead")
    if ax is not None:
        return ax.figure, [ax]
    nr, nc = len(_levels(r, v.settings)), len(_levels(c, v.settings))
    per_row = min(n_panels, 3)
    lines = -(-n_panels // per_row)
    w, h = max(3.2, 1.3 + 0.8 * nc), max(2.6, 1.0 + 0.8 * nr)
    if fig is None:
        fig = new_figure(max(per_row * w + 1.0, 5.4), lines * h + 0.6)
    axes = np.atleast_1d(fig.subplots(lines, per_row, squeeze=False)).ravel()
    for extra in axes[n_panels:]:
        extra.set_visible(False)
    return fig, list(axes[:n_panels])


def _seeds_text(v: SweepView) -> str:
    n = sorted({s.n for s in v.settings})
    return f"{n[0]} seeds" if len(n) == 1 else f"{n[0]}-{n[-1]} seeds"


def success_heatmap(result, rows=None, cols=None, ax=None, fig=None, title=None, cmap=CMAP):
    """Success rate per setting: a grid over two varied keys, each cell showing
    ``k/N`` (seeds that met the success rule) and the Wilson 95% interval, coloured by
    the rate ``k/N``.

    A ``layers`` key whose values are all two hidden layers gives the two axes
    ``n1`` (rows) and ``n2`` (columns); otherwise the first varied key gives the
    rows and the second the columns (``rows`` / ``cols`` pick others by key name, or
    ``"n1"`` / ``"n2"``). Further keys give one panel per combination of their values.
    With a single key the rates are points with interval bars
    (:func:`success_rates`).

    Parameters
    ----------
    result : sweep result
        See the module docstring.
    ax, fig : matplotlib Axes or Figure, optional
        Where to draw (``ax`` only for a single panel).

    Returns
    -------
    matplotlib.figure.Figure
    """
    v = view(result)
    grid = _grid(v, rows, cols)
    if grid is None:
        return success_rates(v, ax=ax, title=title)
    r, c, rest = grid
    panels = _panels(v, rest)
    fig, axes = _heat_axes(v, r, c, len(panels), ax, fig,
                           f"one per value of {', '.join(d.key for d in rest)}")
    image = None
    for a, (combo, ss) in zip(axes, panels):
        image = _heat_panel(a, ss, r, c, cmap, lambda s: s.rate, _rate_lines)
        if combo:
            a.set_title(", ".join(d.title(x) for d, x in zip(rest, combo)), fontsize=10)
    bar = fig.colorbar(image, ax=axes, shrink=0.85, format=PercentFormatter(1.0))
    bar.set_label("success rate", fontsize=9)
    fig.suptitle(title or f"success: {v.rule.describe()} ({_seeds_text(v)} per setting)\n"
                 f"each cell: seeds that succeeded / seeds run, and the 95% interval",
                 fontsize=10)
    return fig


def success_rates(result, ax=None, title=None):
    """Success rate per setting as points with their Wilson 95% interval bars and
    ``k/N`` beside each, settings in the sweep's order (one varied key)."""
    v = view(result)
    if ax is None:
        fig = new_figure(max(4.0, 1.4 + 0.55 * len(v.settings)), 3.6)
        ax = fig.subplots()
    fig = ax.figure
    x = np.arange(len(v.settings))
    rate = np.array([s.rate for s in v.settings])
    low = np.array([s.low for s in v.settings])
    high = np.array([s.high for s in v.settings])
    # rounding may leave a bound a hair inside the rate (k = 0 or k = n)
    yerr = np.clip([rate - low, high - rate], 0, None)
    ax.errorbar(x, rate, yerr=yerr, fmt="o", color="#333333", ms=6,
                capsize=4, lw=1.4, label="success rate, 95% interval")
    for i, s in enumerate(v.settings):
        ax.annotate(f"{s.successes}/{s.n}", (i, s.rate), xytext=(7, 0), textcoords="offset points",
                    va="center", fontsize=8, gid="count")
    _xlabels(ax, [s.label for s in v.settings])
    ax.set_xlim(-0.6, len(x) - 0.2)
    ax.set_ylim(-0.03, 1.03)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("success rate")
    ax.set_xlabel(", ".join(v.keys))
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title or f"success: {v.rule.describe()}", fontsize=10)
    return fig


# -- one figure per run ----------------------------------------------------------------

def _order(v: SweepView) -> list:
    return list(v.settings)


#: at most this many settings side by side in one row of the distribution picture
MAX_STRIPS = 25


def accuracy_distribution(result, metric=None, kind="strip", ax=None, fig=None, title=None,
                          max_per_row=MAX_STRIPS):
    """A figure of every run (by default the one the success rule reads), one column
    per setting: a strip of points coloured by the verdict (green success, red failure),
    or a violin, with the median marked and the rule's threshold drawn as a dashed
    line. Diverged runs sit at the bottom as crosses. More than ``max_per_row``
    settings wrap onto further rows (unless ``ax`` is given).

    Parameters
    ----------
    metric : str, optional
        A run figure such as ``"train_accuracy"``, ``"test_accuracy"``, ``"train_loss"``.
    kind : {"strip", "violin"}
    """
    if kind not in ("strip", "violin"):
        raise ValueError(f"kind must be 'strip' or 'violin'; received kind={kind!r}")
    v = view(result)
    metric = metric or v.rule.metric
    settings = _order(v)
    if not any(metric in r for s in settings for r in s.runs):
        have = sorted({k for s in settings for r in s.runs for k, x in r.items()
                       if isinstance(x, (int, float)) and not isinstance(x, bool)} - {"seed", "setting"})
        raise ValueError(f"metric must be a figure of the runs ({', '.join(have)}); "
                         f"received metric={metric!r}")
    if ax is not None:
        fig, chunks = ax.figure, [(ax, settings, 0)]
    else:
        lines = -(-len(settings) // max(1, int(max_per_row)))
        per = -(-len(settings) // lines)
        fig = fig or new_figure(max(5.0, 1.6 + 0.3 * per), 0.5 + (3.3 if per > 10 else 2.9) * lines)
        axes = np.atleast_1d(fig.subplots(lines, 1, sharey=True)).ravel()
        chunks = [(a, settings[k * per:(k + 1) * per], k * per) for k, a in enumerate(axes)]
    values = np.concatenate([s.figure(metric) for s in settings])
    finite = values[np.isfinite(values)]
    bottom = finite.min() if finite.size else 0.0
    rng = np.random.default_rng(0)  # jitter only: the same picture every time
    for a, part, first in chunks:
        _strips(a, v, part, first, metric, kind, rng, bottom)
    if v.rule.metric == metric:
        handles, labels = chunks[0][0].get_legend_handles_labels()
        if ax is None:  # below the panels, off the runs
            fig.legend(handles, labels, fontsize=8, loc="outside lower center", frameon=False)
        else:
            ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    chunks[-1][0].set_xlabel(", ".join(v.keys))
    fig.suptitle(title or f"{metric_words(metric)} of every seed, per setting "
                 f"(black bar: median)", fontsize=10)
    return fig


def _strips(ax, v, settings, first, metric, kind, rng, bottom):
    x = np.arange(len(settings))
    if kind == "violin":
        data = [s.figure(metric) for s in settings]
        data = [d[np.isfinite(d)] for d in data]
        at = [i for i, d in enumerate(data) if d.size > 1 and np.ptp(d) > 0]
        if at:
            parts = ax.violinplot([data[i] for i in at], positions=at, widths=0.8, showextrema=False)
            for body in parts["bodies"]:
                body.set_facecolor("#8fa8c8")
                body.set_alpha(0.6)
    for i, s in enumerate(settings):
        values = s.figure(metric)
        ok = np.array([bool(r.get("success")) for r in s.runs])
        jitter = x[i] + rng.uniform(-0.28, 0.28, len(values)) * (1 if kind == "strip" else 0.4)
        good = np.isfinite(values)
        ax.scatter(jitter[good], values[good], s=12 if kind == "strip" else 6,
                   c=np.where(ok[good], GOOD, BAD), alpha=0.75, lw=0, zorder=3,
                   gid=f"setting {first + i}")
        if (~good).any():
            ax.scatter(jitter[~good], np.full((~good).sum(), bottom), marker="x", color=BAD, s=16,
                       zorder=3, gid=f"diverged {first + i}")
        if good.any():
            ax.plot([x[i] - 0.33, x[i] + 0.33], [np.median(values[good])] * 2, color="black", lw=1.6,
                    zorder=4, gid="median")
    if v.rule.metric == metric:
        ax.axhline(v.rule.threshold, color="#444444", ls="--", lw=1, zorder=2, gid="threshold",
                   label=f"success: {v.rule.describe()}")
    _xlabels(ax, [s.label for s in settings])
    ax.set_xlim(-0.6, len(x) - 0.4)
    if metric.endswith("accuracy"):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(metric_words(metric))
    ax.grid(axis="y", alpha=0.3)


def _stack(histories, name):
    """``(epochs, seeds)``; shorter histories (early stopping) padded with NaN."""
    series = [np.asarray(h[name], dtype=float).reshape(-1) for h in histories if name in h]
    if not series:
        return None
    out = np.full((max(len(a) for a in series), len(series)), np.nan)
    for k, a in enumerate(series):
        out[:len(a), k] = a
    return out


def _band(ax, values, color, label):
    """Median line and middle-half band of ``(epochs, seeds)`` values (NaN left out)."""
    epochs = np.arange(1, len(values) + 1)
    with warnings.catch_warnings():  # an epoch where every seed is NaN stays a gap
        warnings.simplefilter("ignore", RuntimeWarning)
        low, med, high = np.nanpercentile(values, [25, 50, 75], axis=1)
    ax.fill_between(epochs, low, high, color=color, alpha=0.18, lw=0)
    ax.plot(epochs, med, color=color, lw=1.8, label=label)


def _spread_pick(settings, m):
    """``m`` settings spread over the success rates, lowest to highest."""
    ranked = sorted(settings, key=lambda s: (s.rate, s.label))
    picks = np.unique(np.round(np.linspace(0, len(ranked) - 1, m)).astype(int))
    return [ranked[i] for i in picks]


def sweep_curves(result, metrics=("loss", "accuracy"), settings=None, max_settings=MAX_CURVES,
                 fig=None, title=None):
    """Training curves per setting over its seeds (line: the median; band: the middle
    half, 25th to 75th percentile), one colour per setting, labelled with its ``k/N``.

    With more than ``max_settings`` settings, that many are drawn, spread from the
    lowest success rate to the highest; ``settings`` (labels such as ``"4x3"``) picks
    them instead.
    """
    v = view(result)
    chosen = v.settings
    if settings is not None:
        by_label = {s.label: s for s in v.settings}
        unknown = [x for x in settings if x not in by_label]
        if unknown:
            raise ValueError(f"settings must be labels of this sweep's settings ({', '.join(by_label)}); "
                             f"received {unknown}")
        chosen = [by_label[x] for x in settings]
    else:
        chosen = [s for s in chosen if s.runs]
        if len(chosen) > max_settings:
            chosen = _spread_pick(chosen, max_settings)
    histories = [v.histories(s) for s in chosen]
    shown = [m for m in metrics if any(_stack(h, m) is not None for h in histories)]
    if not shown:
        raise ValueError(f"the runs hold no per-epoch history of {', '.join(metrics)}: curves need "
                         "each run's 'history' (as lab.group.train_group returns it)")
    if fig is None:
        fig = new_figure(4.6 * len(shown), 3.6)
    axes = np.atleast_1d(fig.subplots(1, len(shown)))
    for ax, metric in zip(axes, shown):
        for i, (s, h) in enumerate(zip(chosen, histories)):
            values = _stack(h, metric)
            if values is not None:
                _band(ax, values, CLASS_COLORS[i % len(CLASS_COLORS)], f"{s.label}: {s.successes}/{s.n}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        if metric == "accuracy":
            ax.set_ylim(top=1.01)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7.5)
    note = "" if len(chosen) == len(v.settings) else \
        f"\n{len(chosen)} of {len(v.settings)} settings, from the lowest success rate to the highest"
    fig.suptitle(title or f"training curves per setting: median over seeds, band = middle half{note}",
                 fontsize=10)
    return fig


def _alive(v: SweepView, s: Setting, j: int):
    """Layer ``j``'s alive counts over the setting's seeds, and its width (or None)."""
    counts = np.array([r["alive"][j] for r in s.runs if r.get("alive") and len(r["alive"]) > j],
                      dtype=float)
    w = v.widths(s)
    return counts, (w[j] if w is not None and len(w) > j else None)


def sweep_alive(result, ax=None, fig=None, title=None, cmap=CMAP):
    """Alive ReLU units at the last epoch per setting and hidden layer: the mean over
    seeds as a fraction of the layer's width, and how many seeds ended with that layer
    wholly dead.

    Over a grid of two varied keys (e.g. n1 x n2) it is one heatmap per layer, each
    cell reading "mean alive / width" and "dead k/N"; otherwise one bar per layer and
    setting, with the seeds that lost a whole layer written above in red.
    """
    v = view(result)
    depth = max((len(r.get("alive") or []) for s in v.settings for r in s.runs), default=0)
    if depth == 0:
        raise ValueError("the runs hold no 'alive' counts (alive ReLU units per hidden layer): "
                         "nothing to draw")
    known = all(_alive(v, s, j)[1] is not None for s in v.settings for j in range(depth))
    grid = _grid(v)
    if grid is not None and not grid[2] and known:
        r, c, _ = grid
        fig, axes = _heat_axes(v, r, c, depth, ax, fig, "one per hidden layer")

        def mean(s, j):
            counts, w = _alive(v, s, j)
            return float(counts.mean() / w) if counts.size else np.nan

        def lines(s, j):
            counts, w = _alive(v, s, j)
            if not counts.size:
                return ("no ReLU" if s.runs else "no runs yet"), ""
            dead = int((counts == 0).sum())
            return f"{counts.mean():.1f}/{w}", (f"dead {dead}/{counts.size}" if dead else "")

        image = None
        for j, a in enumerate(axes):
            image = _heat_panel(a, v.settings, r, c, cmap, lambda s, j=j: mean(s, j),
                                lambda s, j=j: lines(s, j))
            a.set_title(f"hidden layer {j + 1}", fontsize=10)
        bar = fig.colorbar(image, ax=axes, shrink=0.85, format=PercentFormatter(1.0))
        bar.set_label("alive units, mean over seeds", fontsize=9)
        fig.suptitle(title or f"alive ReLU units at the last epoch ({_seeds_text(v)} per setting)\n"
                     "each cell: mean alive units / width, and seeds whose layer died entirely",
                     fontsize=10)
        return fig
    settings = v.settings
    if ax is None:
        fig = fig or new_figure(max(5.0, 1.8 + 0.22 * depth * len(settings)), 3.6)
        ax = fig.subplots()
    fig = ax.figure
    width = 0.8 / depth
    x = np.arange(len(settings))
    for j in range(depth):
        heights = []
        for s in settings:
            counts, w = _alive(v, s, j)
            counts = counts / w if known else counts
            heights.append(float(counts.mean()) if counts.size else np.nan)
        ax.bar(x - 0.4 + width * (j + 0.5), heights, width * 0.92,
               color=CLASS_COLORS[j % len(CLASS_COLORS)], label=f"layer {j + 1}", gid=f"layer {j + 1}")
    top = 1.0 if known else max(max(r.get("alive") or [0]) for s in settings for r in s.runs)
    dead_any = False
    for i, s in enumerate(settings):
        if not any(r.get("alive") for r in s.runs):
            ax.text(x[i], 0.02 * top, "no ReLU" if s.runs else "no runs", ha="center", va="bottom",
                    fontsize=7, color="#777777", rotation=90, gid="no counts")
        dead = sum(1 for r in s.runs if r.get("alive") and min(r["alive"]) == 0)
        if dead:
            dead_any = True
            ax.text(x[i], top * 1.02, f"{dead}/{len(s.runs)}", ha="center", va="bottom", fontsize=7,
                    color=BAD, rotation=90 if len(x) > 10 else 0, gid="dead")
    ax.set_ylim(0, top * (1.2 if dead_any else 1.05))
    if known:
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("alive units, mean over seeds" + ("" if known else " (count)"))
    _xlabels(ax, [s.label for s in settings])
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_xlabel(", ".join(v.keys))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(title or "alive ReLU units at the last epoch, per layer"
                 + ("\nin red: seeds that ended with a whole layer dead" if dead_any else ""), fontsize=10)
    return fig
