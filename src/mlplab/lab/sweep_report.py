"""One self-contained HTML file per sweep, and the compact view Jupyter shows.

The report holds the sweep's spec, a few sentences computed from the data ("what this
shows": which settings' 95% intervals overlap, which key moves the success rate
most), the summary table (click a column's head to sort), the success-rate heatmap,
the distribution of the success figure over seeds, training curves per setting, alive
units per setting and, folded, every run. Images are inline PNG; the page makes no
network request.

The result is read through the duck-typed interface of :mod:`mlplab.viz.sweep`
(``runs``, ``summary()``, ``vary``, ``success``, optionally ``spec``).

>>> write_sweep_report(result, "grid.html")     # doctest: +SKIP
>>> result._repr_html_ = lambda: sweep_repr_html(result)   # what the result class does
"""

from __future__ import annotations

import base64
import html
from itertools import combinations
from pathlib import Path

import numpy as np

from ..nn._format import number, percent
from .group import wilson
from .report import CSS, _img, _section, _table

#: summary columns shown as k/N, rate and interval rather than one by one
_RATE_COLUMNS = ("n", "successes", "rate", "rate_low", "rate_high")
#: at most this many runs listed in the folded table of runs
MAX_RUN_ROWS = 5000

SORT_JS = """
<script>
document.querySelectorAll("table.sortable").forEach(function(t) {
  t.querySelectorAll("th").forEach(function(th, col) {
    th.title = "sort by this column"; th.style.cursor = "pointer";
    th.addEventListener("click", function() {
      var body = t.tBodies[0], rows = Array.from(body.rows);
      var up = th.getAttribute("data-dir") !== "up";
      t.querySelectorAll("th").forEach(function(h) { h.removeAttribute("data-dir"); });
      th.setAttribute("data-dir", up ? "up" : "down");
      rows.sort(function(a, b) {
        var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
        return up ? c : -c;
      });
      rows.forEach(function(r) { body.appendChild(r); });
    });
  });
});
</script>
"""

SWEEP_CSS = """
th[data-dir=up]::after { content: " \\25B2"; } th[data-dir=down]::after { content: " \\25BC"; }
ul.findings li { margin: .25em 0; } details summary { cursor: pointer; color: #444; }
.scroll { max-height: 30em; overflow-y: auto; display: inline-block; border-bottom: 1px solid #ddd; }
.scroll table { margin: 0; } .scroll thead th { position: sticky; top: 0; }
table.sortable td { white-space: nowrap; }
"""


def _sort_key(v) -> str:
    """What a cell sorts by: numbers as numbers, widths (4, 3) as "0004.0003"."""
    if isinstance(v, tuple):
        return ".".join(f"{int(x):04d}" for x in v) if all(isinstance(x, int) for x in v) else str(v)
    if isinstance(v, (bool, np.bool_)):
        return str(int(v))
    return repr(float(v)) if isinstance(v, (int, float, np.integer, np.floating)) else str(v)


def _sortable(rows, head) -> str:
    """A table whose cells are ``(text, sort value)`` pairs, sorted by a click on its head."""
    out = ["<table class='sortable'><thead><tr>" + "".join(f"<th>{h}</th>" for h in head)
           + "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td data-v='{html.escape(_sort_key(v), quote=True)}'>{t}</td>"
                                    for t, v in row) + "</tr>")
    return "\n".join(out + ["</tbody></table>"])


def _figure_text(name: str, value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return percent(value) if "accuracy" in name or name.startswith("rate") else number(value)
    return html.escape(str(value))


def _columns(rows, skip) -> list:
    """The summary's further figures as ``(title, name, parts)``: ``x_median``,
    ``x_min``, ``x_max`` become one column ``x`` (median [min, max]); a ``diverged``
    count only when some run diverged; the setting's index never."""
    keys = [k for k in (rows[0] if rows else {}) if k not in skip and k != "setting"]
    out, seen = [], set()
    for k in keys:
        base = k.rsplit("_", 1)[0] if k.endswith(("_median", "_min", "_max")) else None
        if base and f"{base}_median" in keys:
            if base not in seen:
                seen.add(base)
                parts = [f"{base}_{p}" for p in ("median", "min", "max") if f"{base}_{p}" in keys]
                out.append((f"{base.replace('_', ' ')} <small>median [min, max]</small>", base, parts))
        elif k == "diverged" and not any(r.get(k) for r in rows):
            continue
        else:
            out.append((html.escape(k.replace("_", " ")), k, [k]))
    return out


def summary_table(result, extra=True) -> str:
    """The summary as a sortable table: the varied values, ``k/N``, the rate and its
    95% interval, then (``extra``) the further figures of ``result.summary()``, each
    ``x_median`` / ``x_min`` / ``x_max`` trio as one column."""
    from ..viz.sweep import value_text, view

    v = view(result)
    rows = list(result.summary())
    more = _columns(rows, set(v.keys) | set(_RATE_COLUMNS)) if extra else []
    head = [html.escape(k) for k in v.keys] + ["successes", "rate", "95% interval"] + [t for t, _, _ in more]
    body = []
    for row, s in zip(rows, v.settings):
        cells = [(html.escape(value_text(k, s.values[k]).split("=")[-1]), s.values[k]) for k in v.keys]
        cells += [(f"{s.successes}/{s.n}", s.successes / max(s.n, 1)), (percent(s.rate), s.rate),
                  (f"{percent(s.low)} &ndash; {percent(s.high)}", s.low)]
        for _, name, parts in more:
            values = [row.get(p, "") for p in parts]
            text = _figure_text(name, values[0])
            if len(values) > 1:
                text += " <small>[" + ", ".join(_figure_text(name, x) for x in values[1:]) + "]</small>"
            cells.append((text, values[0] if isinstance(values[0], (int, float)) else str(values[0])))
        body.append(cells)
    return _sortable(body, head)


def _runs_table(v) -> str:
    names = []
    for s in v.settings:
        for r in s.runs:
            names += [k for k, x in r.items() if k not in names and k not in v.keys
                      and k not in ("history", "setting") and not isinstance(x, dict)]
    rows = []
    for s in v.settings:
        for r in s.runs:
            cells = [(html.escape(s.label), s.label)]
            for k in names:
                x = r.get(k, "")
                if isinstance(x, (list, tuple)):
                    cells.append((html.escape(", ".join(map(str, x))), _sort_key(tuple(x))))
                else:
                    cells.append((_figure_text(k, x), x if isinstance(x, (int, float)) else str(x)))
            rows.append(cells)
    shown = rows[:MAX_RUN_ROWS]
    note = "" if len(shown) == len(rows) else f" (the first {MAX_RUN_ROWS:,})"
    return (f"<details><summary>every run: {len(rows):,}{note}</summary><div class='scroll'>"
            + _sortable(shown, ["setting"] + [html.escape(k.replace("_", " ")) for k in names])
            + "</div></details>")


def _overlap(a, b) -> bool:
    return a.low <= b.high and b.low <= a.high


def _pc(x) -> str:
    return f"{100 * x:.0f}%"


def _count(s) -> str:
    return f"{s.label} ({s.successes}/{s.n})"


def _ties(settings, s, show: int = 4) -> str:
    """``s`` in words, or every setting with exactly its count when several share it."""
    same = [t for t in settings if (t.successes, t.n) == (s.successes, s.n)]
    if len(same) == 1:
        return _count(s)
    names = ", ".join(t.label for t in same[:show]) + (f" and {len(same) - show} more"
                                                        if len(same) > show else "")
    return f"{s.successes}/{s.n}, shared by {len(same)} settings ({names})"


def _neighbours(dims, settings, a, b) -> bool:
    """Whether settings ``a`` and ``b`` differ in one dimension, by one step of its levels."""
    from ..viz.sweep import _levels

    differ = [d for d in dims if d.of(a) != d.of(b)]
    if len(differ) != 1:
        return False
    levels = _levels(differ[0], settings)
    return abs(levels.index(differ[0].of(a)) - levels.index(differ[0].of(b))) == 1


def findings(result) -> list[str]:
    """Sentences read off the data: the best and worst settings, which differences the
    seeds cannot resolve (95% Wilson intervals that overlap), and, per varied key, how
    far the success rate moves when that key changes (averaged over the others)."""
    from ..viz.sweep import _dims, _levels, view

    v = view(result)
    ss = [s for s in v.settings if s.n > 0]
    if not ss:
        return ["No setting has a run yet."]
    seeds = sorted({s.n for s in ss})
    at = f"{seeds[0]} seeds" if len(seeds) == 1 else f"{seeds[0]}-{seeds[-1]} seeds"
    out = []
    if len(ss) == 1:
        s = ss[0]
        return [f"{s.successes}/{s.n} seeds reach {v.rule.describe()}: {_pc(s.rate)}, "
                f"95% interval {_pc(s.low)} to {_pc(s.high)}."]
    best = max(ss, key=lambda s: s.rate)
    worst = min(ss, key=lambda s: s.rate)
    tied = [s for s in ss if s is not best and _overlap(s, best)]
    if (best.successes, best.n) == (worst.successes, worst.n):
        out.append(f"Every setting reaches {best.successes}/{best.n}, 95% interval "
                   f"{_pc(best.low)} to {_pc(best.high)}.")
    else:
        out.append(f"Highest success rate: {_ties(ss, best)}, 95% interval {_pc(best.low)} to "
                   f"{_pc(best.high)}; lowest: {_ties(ss, worst)}, {_pc(worst.low)} to "
                   f"{_pc(worst.high)}.")
    out.append(f"{len(tied)} of the other {len(ss) - 1} settings cannot be told apart from "
               f"{best.label} at {at}: their 95% intervals overlap with its own.")
    pairs = list(combinations(ss, 2))
    apart = [(a, b) for a, b in pairs if not _overlap(a, b)]
    close = [(a, b) for a, b in pairs if _overlap(a, b)]
    text = f"Of the {len(pairs):,} pairs of settings, {len(apart):,} have intervals that do not overlap"
    if close:
        a, b = max(close, key=lambda p: abs(p[0].rate - p[1].rate))
        text += (f"; the widest gap that is still within the noise: {_count(a)} and "
                 f"{_count(b)} cannot be told apart at {at}")
    out.append(text + ".")
    dims = _dims(v)
    near = [(a, b) for a, b in pairs if _neighbours(dims, ss, a, b)]
    if near:
        same = [(a, b) for a, b in near if _overlap(a, b)]
        out.append(f"Of the {len(near)} pairs of neighbouring settings (one value one step apart), "
                   f"{len(same)} cannot be told apart at {at}"
                   + (", e.g. {} and {}.".format(*map(_count, max(
                       same, key=lambda p: abs(p[0].rate - p[1].rate)))) if same else "."))
    effects = []
    for d in dims:
        levels = _levels(d, ss)
        if len(levels) < 2:
            continue
        means = [float(np.mean([s.rate for s in ss if d.of(s) == x])) for x in levels]
        lo, hi = int(np.argmin(means)), int(np.argmax(means))
        effects.append((means[hi] - means[lo], d, levels[lo], means[lo], levels[hi], means[hi]))
    effects.sort(key=lambda e: -e[0])
    for k, (_, d, xl, ml, xh, mh) in enumerate(effects):
        name = d.name.split(" (")[0]
        also = "" if len(dims) == 1 else " averaged over the other settings"
        lead = f"{name} ({d.name.split(' (')[1][:-1]})" if " (" in d.name else name
        if mh - ml < 0.005:
            out.append(f"{lead[0].upper() + lead[1:]} makes no difference to the success rate{also} "
                       f"({_pc(mh)} for each value).")
            continue
        out.append(f"{'Changing ' + lead if k == 0 else 'By comparison ' + lead} moves "
                   f"the success rate{also} from {_pc(ml)} ({name}={d.text(xl)}) to "
                   f"{_pc(mh)} ({name}={d.text(xh)})"
                   + (": the largest effect of the varied keys." if k == 0 and len(effects) > 1 else "."))
    n = seeds[0]
    low, high = wilson(n // 2, n)
    out.append(f"At {n} seeds a rate near 50% has a 95% interval {_pc(low)} to {_pc(high)} "
               f"(about \u00b1{50 * (high - low):.0f} points); four times the seeds halve it.")
    diverged = sum(1 for s in ss for r in s.runs if r.get("diverged"))
    if diverged:
        out.append(f"{diverged} run{'s' if diverged > 1 else ''} diverged (loss NaN or infinite) "
                   f"and count as failures.")
    return out


def _spec_rows(v) -> list:
    """The spec as table rows: dataset, each varied key with its values, seeds, fixed
    options, the success rule and the size."""
    from ..viz.sweep import value_text

    spec = dict(v.spec)
    rows = [["dataset", html.escape(_short(spec["dataset"]))]] if "dataset" in spec else []
    for key in v.keys:
        values = list(dict.fromkeys(s.values[key] for s in v.settings))
        text = ", ".join(value_text(key, x).split("=")[-1] for x in values)
        rows.append([f"vary {html.escape(key)}", html.escape(_short(text, 400))
                     + f" <small>({len(values)} values)</small>"])
    if "seeds" in spec:
        rows.append(["seeds", html.escape(_short(spec["seeds"]))])
    fixed = spec.get("fixed") or {}
    if fixed:
        rows.append(["fixed", html.escape(", ".join(f"{k}={_short(x)}" for k, x in fixed.items()))])
    for key, value in spec.items():
        if key not in ("dataset", "vary", "seeds", "fixed", "success"):
            rows.append([html.escape(str(key)), html.escape(_short(value, 400))])
    rows.append(["success rule", html.escape(f"{v.rule} ({v.rule.describe()})")])
    runs = sum(len(s.runs) for s in v.settings)
    rows.append(["size", f"{len(v.settings)} settings, {runs:,} runs"])
    return rows


def _short(value, limit=120) -> str:
    if isinstance(value, range):
        value = f"{value.start}-{value.stop - 1}" if value.step == 1 else str(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(x, (int, np.integer)) for x in value) \
            and list(value) == list(range(value[0], value[0] + len(value))) and len(value) > 3:
        value = f"{value[0]}-{value[-1]}"
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def build_sweep_report(result, title: str | None = None) -> str:
    """The report's HTML text (see the module docstring)."""
    from ..viz.player import PAGE_CSS
    from ..viz.sweep import (
        accuracy_distribution,
        metric_words,
        success_heatmap,
        sweep_alive,
        sweep_curves,
        view,
    )

    v = view(result)
    name = v.spec.get("dataset") or v.spec.get("data") or ""
    title = title or f"mlplab sweep{': ' + str(name) if isinstance(name, str) and name else ''}"
    parts = [f"<h1>{html.escape(title)}</h1>",
             f"<p class='note'>{len(v.settings)} settings of {html.escape(', '.join(v.keys))}; "
             f"success means {html.escape(v.rule.describe())}</p>"]
    parts.append(_section("Spec", _table(_spec_rows(v), ["", "value"])))
    parts.append(_section("What this shows", "<ul class='findings'>"
                          + "".join(f"<li>{html.escape(t)}</li>" for t in findings(v)) + "</ul>"))
    parts.append(_section("Success rates", _img(success_heatmap(v), "success rate per setting"),
                          "<div class='scroll'>" + summary_table(result) + "</div>"))
    metric = v.rule.metric if any(v.rule.metric in r for s in v.settings for r in s.runs) \
        else "train_accuracy"
    parts.append(_section(f"{metric_words(metric).capitalize()} over seeds",
                          _img(accuracy_distribution(v, metric=metric), f"{metric} per setting")))
    if any(v.histories(s) for s in v.settings[:1]):
        parts.append(_section("Training curves", _img(sweep_curves(v), "training curves per setting")))
    if any(r.get("alive") for s in v.settings for r in s.runs):
        parts.append(_section("Alive units", _img(sweep_alive(v), "alive units per setting")))
    parts.append(_section("Runs", _runs_table(v)))
    parts.append(SORT_JS)
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<link rel='icon' href='data:,'><title>{html.escape(title)}</title>"
            f"<style>{PAGE_CSS}{CSS}{SWEEP_CSS}</style></head><body>{body}</body></html>\n")


def write_sweep_report(result, path, title: str | None = None) -> Path:
    """Write :func:`build_sweep_report` to ``path`` (atomically: complete or absent)."""
    from ..nn._atomic import atomic_file

    text = build_sweep_report(result, title)
    with atomic_file(path, "w", encoding="utf-8") as f:
        f.write(text)
    return Path(path)


def sweep_repr_html(result) -> str:
    """The compact view for Jupyter (``_repr_html_``): one line of counts, the success
    heatmap as a small inline PNG and the table of rates."""
    from ..viz._style import png_bytes
    from ..viz.sweep import success_heatmap, view

    v = view(result)
    runs = sum(len(s.runs) for s in v.settings)
    png = base64.b64encode(png_bytes(success_heatmap(v), dpi=72)).decode("ascii")
    return ("<div class='mlplab-sweep'>"
            f"<p><b>sweep</b>: {len(v.settings)} settings of {html.escape(', '.join(v.keys))}, "
            f"{runs:,} runs; success means {html.escape(v.rule.describe())}</p>"
            f"<img alt='success rate per setting' style='max-width:100%' "
            f"src='data:image/png;base64,{png}'>"
            f"<div style='max-height:22em;overflow-y:auto'>{summary_table(result, extra=False)}</div>"
            "</div>")


__all__ = ["build_sweep_report", "write_sweep_report", "sweep_repr_html", "summary_table", "findings"]
