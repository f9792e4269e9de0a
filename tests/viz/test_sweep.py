"""Sweep pictures, checked on results made of real runs of lab.group.train_group: the
texts each cell shows, the colours against the rates, the points and lines drawn."""

import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib is not installed (the 'viz' extra)")

from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402

from mlplab.lab.group import wilson  # noqa: E402
from mlplab.lab.sweep_report import build_sweep_report  # noqa: E402
from mlplab.viz import sweep as vs  # noqa: E402
from mlplab.viz._style import BAD, GOOD  # noqa: E402
from tests.lab._sweeps import Result, layers_grid, one_key, sweep  # noqa: E402


def _by_setting(result, key="layers"):
    out = {}
    for r in result.runs:
        out.setdefault(r[key], []).append(r)
    return out


def _texts(fig, gid):
    return [t for ax in fig.axes for t in ax.texts if t.get_gid() == gid]


def _luminance(rgba):
    return 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]


def test_heatmap_cells_read_k_over_n_and_the_wilson_interval_at_n1_n2():
    result = layers_grid()
    runs = _by_setting(result)
    fig = vs.success_heatmap(result)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "4"]   # n1, the rows
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2", "4"]   # n2, the columns
    assert ax.get_ylabel().startswith("n1") and ax.get_xlabel().startswith("n2")
    counts = {(round(t.get_position()[1] + 0.13), round(t.get_position()[0])): t.get_text()
              for t in _texts(fig, "count")}
    intervals = {(round(t.get_position()[1] - 0.22), round(t.get_position()[0])): t.get_text()
                 for t in _texts(fig, "interval")}
    image = next(c for c in ax.get_children() if isinstance(c, AxesImage))
    rates = image.get_array()
    for (n1, n2), rs in runs.items():
        i, j = [2, 4].index(n1), [2, 4].index(n2)
        k = sum(r["success"] for r in rs)
        assert counts[i, j] == f"{k}/{len(rs)}"
        low, high = wilson(k, len(rs))
        assert intervals[i, j] == f"{100 * low:.0f}\u2013{100 * high:.0f}%"
        assert rates[i, j] == pytest.approx(k / len(rs))
    # colour follows the rate: a higher rate is a brighter cell (viridis)
    flat = sorted((float(r), _luminance(image.cmap(image.norm(r)))) for r in rates.ravel())
    assert len({r for r, _ in flat}) > 1, "the test grid should hold different rates"
    for (r1, l1), (r2, l2) in zip(flat, flat[1:]):
        assert l1 <= l2 + 1e-12 and (r1 == r2 or l1 < l2)
    assert "training accuracy > 95%" in fig._suptitle.get_text()


def _inside(fig, gid):
    """Every text of ``gid`` lies within its own cell, and no two overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = _texts(fig, gid)
    boxes = [t.get_window_extent(renderer) for t in texts]
    ax = fig.axes[0]
    for t, b in zip(texts, boxes):
        x, y = t.get_position()
        (x0, y0), (x1, y1) = ax.transData.transform([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)])
        assert min(x0, x1) <= b.x0 and b.x1 <= max(x0, x1), t.get_text()
        assert t.get_fontsize() >= 7
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            assert not boxes[a].overlaps(boxes[b])
    return len(texts)


def test_heatmap_is_readable_at_7x7_and_at_2x2():
    grid = sweep({"layers": [(a, b) for a in range(2, 9) for b in range(2, 9)]}, seeds=(0, 1), epochs=3)
    fig = vs.success_heatmap(grid)
    assert _inside(fig, "count") == 49 and _inside(fig, "interval") == 49
    assert _inside(vs.success_heatmap(layers_grid()), "count") == 4


def test_one_varied_key_gives_points_with_interval_bars():
    result = one_key()
    fig = vs.success_heatmap(result)             # one key: the heatmap falls back to points
    ax = fig.axes[0]
    line = ax.lines[0]
    summary = result.summary()
    assert list(line.get_ydata()) == pytest.approx([row["rate"] for row in summary])
    bars = ax.collections[0].get_segments()      # one vertical bar per setting: low to high
    assert np.concatenate([np.sort(s[:, 1]) for s in bars]) == \
        pytest.approx([x for row in summary for x in (row["rate_low"], row["rate_high"])])
    assert [t.get_text() for t in _texts(fig, "count")] == \
        [f"{row['successes']}/{row['n']}" for row in summary]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["lr=0.001", "lr=0.05", "lr=0.2"]


def test_a_third_key_gives_one_heatmap_per_value():
    result = sweep({"layers": [(2, 2), (2, 4), (4, 2), (4, 4)], "activation": ["relu", "tanh"]},
                   seeds=(0, 1), epochs=5)
    fig = vs.success_heatmap(result)
    panels = [ax for ax in fig.axes if any(isinstance(c, AxesImage) for c in ax.get_children())]
    assert [ax.get_title() for ax in panels] == ["relu", "tanh"]
    assert len(_texts(fig, "count")) == 8
    fig = vs.success_heatmap(result, rows="activation", cols="n1")
    assert [ax.get_title() for ax in fig.axes if ax.images] == ["n2=2", "n2=4"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["relu", "tanh"]


def test_distribution_draws_every_seed_the_medians_and_the_threshold():
    result = layers_grid()
    runs = _by_setting(result)
    fig = vs.accuracy_distribution(result)
    ax = fig.axes[0]
    strips = [c for c in ax.collections if isinstance(c, PathCollection)
              and (c.get_gid() or "").startswith("setting")]
    assert len(strips) == len(runs) == 4
    for strip, rs in zip(strips, runs.values()):
        assert sorted(strip.get_offsets()[:, 1]) == pytest.approx(sorted(r["train_accuracy"] for r in rs))
        colours = [tuple(np.round(c[:3], 3)) for c in strip.get_facecolors()]
        want = {True: GOOD, False: BAD}
        from matplotlib.colors import to_rgb
        order = np.argsort(strip.get_offsets()[:, 1], kind="stable")
        got = sorted(zip(strip.get_offsets()[:, 1], colours))
        expected = sorted((r["train_accuracy"], tuple(np.round(to_rgb(want[r["success"]]), 3))) for r in rs)
        assert got == expected and len(order) == 5
    medians = [line for line in ax.lines if line.get_gid() == "median"]
    assert [m.get_ydata()[0] for m in medians] == \
        pytest.approx([np.median([r["train_accuracy"] for r in rs]) for rs in runs.values()])
    threshold = [line for line in ax.lines if line.get_gid() == "threshold"]
    assert len(threshold) == 1 and list(threshold[0].get_ydata()) == [0.95, 0.95]
    # the legend sits below the panels: its box covers no run's point
    fig.canvas.draw()
    (legend,) = fig.legends
    box = legend.get_window_extent()
    for strip in strips:
        for x, y in ax.transData.transform(strip.get_offsets()):
            assert not (box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1)
    assert box.y1 < ax.get_window_extent().y0


def test_distribution_as_violins_and_wrapped_rows():
    result = layers_grid()
    fig = vs.accuracy_distribution(result, kind="violin")
    spread = sum(1 for rs in _by_setting(result).values()
                 if np.ptp([r["train_accuracy"] for r in rs]) > 0)
    assert len([c for c in fig.axes[0].collections if c.get_gid() is None]) == spread
    fig = vs.accuracy_distribution(result, max_per_row=2)
    assert len(fig.axes) == 2
    assert [t.get_text() for ax in fig.axes for t in ax.get_xticklabels()] == ["2x2", "2x4", "4x2", "4x4"]
    # a figure the rule does not read: no threshold line
    fig = vs.accuracy_distribution(result, metric="train_loss")
    assert not [line for line in fig.axes[0].lines if line.get_gid() == "threshold"]


def test_curves_are_medians_over_seeds_labelled_with_k_over_n():
    result = layers_grid()
    runs = _by_setting(result)
    fig = vs.sweep_curves(result)
    loss, acc = fig.axes
    assert [line.get_label() for line in loss.lines] == \
        [f"{'x'.join(map(str, k))}: {sum(r['success'] for r in rs)}/{len(rs)}" for k, rs in runs.items()]
    for line, rs in zip(loss.lines, runs.values()):
        want = np.median(np.stack([r["history"]["loss"] for r in rs], axis=1), axis=1)
        assert line.get_ydata() == pytest.approx(want)
    assert acc.get_ylabel() == "accuracy"
    fig = vs.sweep_curves(result, max_settings=2)   # spread over the rates: lowest and highest
    rates = {f"{'x'.join(map(str, k))}": np.mean([r["success"] for r in rs]) for k, rs in runs.items()}
    shown = [line.get_label().split(":")[0] for line in fig.axes[0].lines]
    assert len(shown) == 2 and rates[shown[0]] == min(rates.values()) and rates[shown[1]] == max(rates.values())
    fig = vs.sweep_curves(result, settings=["4x4"], metrics=("accuracy",))
    assert [line.get_label().split(":")[0] for line in fig.axes[0].lines] == ["4x4"]


def test_curves_from_a_store_that_keeps_histories_apart():
    result = layers_grid()
    asked = []

    def own(layers):
        return [r["history"] for r in result.runs if r["layers"] == layers]

    class BySetting(Result):
        def histories(self, setting):
            asked.append(setting)
            return own(setting["layers"])

    class ByRun(Result):
        def history(self, run):
            asked.append(run["seed"])
            return next(r["history"] for r in result.runs
                        if r["layers"] == run["layers"] and r["seed"] == run["seed"])

    runs = [{k: x for k, x in r.items() if k != "history"} for r in result.runs]
    want = np.median(np.stack([h["loss"] for h in own((2, 4))], 1), 1)
    for kind, calls in ((BySetting, [{"layers": (2, 4)}]), (ByRun, [0, 1, 2, 3, 4])):
        asked.clear()
        fig = vs.sweep_curves(kind(runs, result.vary), settings=["2x4"], metrics=("loss",))
        assert fig.axes[0].lines[0].get_ydata() == pytest.approx(want)
        assert asked == calls


def test_a_sweep_under_way_shows_the_settings_not_run_yet():
    result = layers_grid()
    partial = Result([r for r in result.runs if r["layers"] != (4, 4)], result.vary)
    rows = partial.summary() + [{"layers": (4, 4), "n": 0, "successes": 0, "rate": float("nan"),
                                 "rate_low": float("nan"), "rate_high": float("nan")}]
    partial.summary = lambda: rows
    fig = vs.success_heatmap(partial)
    assert sorted(t.get_text() for t in _texts(fig, "count"))[-1] == "no runs yet"
    assert len(_texts(fig, "interval")) == 3
    fig = vs.sweep_curves(partial)
    assert "4x4" not in [line.get_label().split(":")[0] for line in fig.axes[0].lines]
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # no mean of an empty setting
        fig = vs.sweep_alive(partial)
        page = build_sweep_report(partial)
    assert "no runs yet" in [t.get_text() for t in fig.axes[0].texts]
    assert "every run: 15" in page and "3 settings" not in page


def test_alive_units_over_the_grid_and_as_bars():
    result = layers_grid()
    runs = _by_setting(result)
    fig = vs.sweep_alive(result)
    panels = [ax for ax in fig.axes if ax.images]
    assert [ax.get_title() for ax in panels] == ["hidden layer 1", "hidden layer 2"]
    for j, ax in enumerate(panels):
        rates = ax.images[0].get_array()
        for (n1, n2), rs in runs.items():
            width = (n1, n2)[j]
            mean = np.mean([r["alive"][j] for r in rs])
            assert rates[[2, 4].index(n1), [2, 4].index(n2)] == pytest.approx(mean / width)
        texts = [t.get_text() for t in ax.texts if t.get_gid() == "count"]
        assert texts == [f"{np.mean([r['alive'][j] for r in rs]):.1f}/{(k)[j]}" for k, rs in runs.items()]
    lr = one_key()                                   # widths fixed at (4, 4): bars of fractions
    fig = vs.sweep_alive(lr)
    bars = [p for p in fig.axes[0].patches if p.get_gid() == "layer 1"]
    by_lr = _by_setting(lr, "lr")
    assert [b.get_height() for b in bars] == \
        pytest.approx([np.mean([r["alive"][0] for r in rs]) / 4 for rs in by_lr.values()])
    mixed = sweep({"activation": ["relu", "tanh"]}, seeds=(0, 1), epochs=3, layers=(4, 4))
    fig = vs.sweep_alive(mixed)                      # tanh layers have no alive counts
    assert [(t.get_text(), t.get_position()[0]) for t in fig.axes[0].texts
            if t.get_gid() == "no counts"] == [("no ReLU", 1)]


def test_bad_input_is_named():
    result = layers_grid()
    with pytest.raises(TypeError, match="result must be a sweep result .* received object"):
        vs.success_heatmap(object())
    with pytest.raises(ValueError, match="metric must be a figure of the runs .*train_accuracy.*"
                                         "received metric='val_accuracy'"):
        vs.accuracy_distribution(result, metric="val_accuracy")
    with pytest.raises(ValueError, match="kind must be 'strip' or 'violin'; received kind='box'"):
        vs.accuracy_distribution(result, kind="box")
    with pytest.raises(ValueError, match="rows and cols must name a varied key .*received 'depth'"):
        vs.success_heatmap(result, rows="depth")
    with pytest.raises(ValueError, match="settings must be labels .*received \\['9x9'\\]"):
        vs.sweep_curves(result, settings=["9x9"])
    bare = Result([{k: v for k, v in r.items() if k not in ("history", "alive")} for r in result.runs],
                  result.vary)
    with pytest.raises(ValueError, match="no per-epoch history"):
        vs.sweep_curves(bare)
    with pytest.raises(ValueError, match="no 'alive' counts"):
        vs.sweep_alive(bare)
    three = sweep({"layers": [(2, 2), (4, 4)], "activation": ["relu", "tanh"]}, seeds=(0,), epochs=2)
    fig = vs.new_figure(4, 3)
    with pytest.raises(ValueError, match="ax= draws one panel, and this picture needs 2"):
        vs.success_heatmap(three, rows="n1", cols="n2", ax=fig.subplots())
    orphan = Result(result.runs, result.vary)
    orphan.summary = lambda: Result.summary(result)[:3]
    with pytest.raises(ValueError, match="a run of setting \\{'layers': \\(4, 4\\)\\} that "
                                         "result.summary\\(\\) does not list"):
        vs.success_heatmap(orphan)


def test_a_result_shaped_like_lab_sweeps_own():
    """``varied`` instead of ``vary``, a spec object with ``to_dict()`` (vary as pairs,
    fixed layers), summary rows with ``setting`` and ``diverged``: read the same."""
    base = one_key()

    class Spec:
        vary = {"lr": [0.001, 0.05, 0.2]}

        def to_dict(self):
            return {"dataset": "disc_ring", "vary": [["lr", [0.001, 0.05, 0.2]]],
                    "fixed": {"layers": [4, 4]}, "seeds": [0, 1, 2, 3, 4], "success": None}

    class Shaped:
        runs = [{**r, "setting": [0.001, 0.05, 0.2].index(r["lr"])} for r in base.runs]
        varied = ["lr"]
        spec = Spec()
        success = "train_accuracy > 0.95"

        def summary(self):
            return [{**row, "setting": i, "diverged": 0} for i, row in enumerate(base.summary())]

    v = vs.view(Shaped())
    assert v.keys == ["lr"] and [s.label for s in v.settings] == ["lr=0.001", "lr=0.05", "lr=0.2"]
    assert v.widths(v.settings[0]) == [4, 4]
    Spec.vary = None
    Shaped.varied = None
    assert vs.view(Shaped()).keys == ["lr"]          # from spec.to_dict()["vary"] pairs
