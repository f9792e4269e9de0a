"""One self-contained HTML file per run: configuration, figures, tables, diagnostics.

Images are inline PNG, the animation is the offline player of
:mod:`mlplab.viz.player`, and nothing in the page refers to the network: it opens
the same on a plane.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import numpy as np

from ..nn import metrics
from ..nn import success as success_rules
from ..nn._format import number, percent, spread
from .train import TrainResult, alive_units, output_and_loss

IMAGE_DATASETS = {"mnist": (28, 28), "fashion_mnist": (28, 28), "digits": (8, 8)}


def _img(fig, alt: str) -> str:
    from ..viz._style import png_bytes

    data = base64.b64encode(png_bytes(fig, palette=True)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _cell(value, as_percent=False):
    """One figure, or the median with ``[min, max]`` over replicas in small print."""
    text, span = spread(value, percent) if as_percent else spread(value)
    return f"{text} <small>{span}</small>" if span else text


def _table(rows, head=None) -> str:
    out = ["<table>"]
    if head:
        out.append("<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>")
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    return "\n".join(out + ["</table>"])


def _verdicts(result: TrainResult, rule) -> np.ndarray | None:
    """The success rule on the run's figures, one bool per replica (None when the run
    lacks the figure the rule reads, e.g. accuracy for regression)."""
    split = result.figures.get(rule.split, {})
    return rule(split[rule.measure]).reshape(-1) if rule.measure in split else None


def _seed_table(result: TrainResult, rule, ok, diverged_at) -> str:
    """One row per seed: its figures and its verdict, coloured by the one success rule."""
    cfg = result.config
    columns = [(split, measure) for split, f in result.figures.items() for measure in f]
    rows = []
    for r, seed in enumerate(cfg.seeds):
        cells = [str(seed)]
        for split, measure in columns:
            v = float(np.asarray(result.figures[split][measure], dtype=float).reshape(-1)[r])
            cells.append(percent(v) if measure == "accuracy" else number(v))
        if diverged_at[r] != -1:
            verdict = f"<span class='bad'>diverged at epoch {diverged_at[r]}</span>"
        elif ok is None:
            verdict = ""
        else:
            verdict = "<span class='good'>success</span>" if ok[r] else "<span class='bad'>failure</span>"
        rows.append(cells + [verdict])
    head = ["seed", *[f"{split} {measure}" for split, measure in columns],
            html.escape(rule.describe()) if ok is not None else ""]
    return _table(rows, head)


def _section(title, *parts) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{''.join(parts)}</section>"


CSS = """
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 1.6em;
border-bottom: 1px solid #ddd; padding-bottom: .2em; }
code, pre { background: #f5f5f5; padding: .1em .3em; border-radius: 3px; font-size: .92em; }
pre { padding: .6em; overflow-x: auto; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ddd;
padding: .25em .7em; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #fafafa; } img { max-width: 100%; display: block; margin: .4em 0; }
small { color: #666; } .note { color: #555; }
.good { color: #2e8b3a; font-weight: 600; } .bad { color: #c0392b; font-weight: 600; }
"""


def run_title(result) -> str:
    """``"2-4-4-2 relu (26 parameters)"``: the architecture, not only the hidden sizes."""
    cfg, ds = result.config, result.dataset
    sizes = "-".join(map(str, [ds.n_features, *cfg.layers, ds.n_outputs]))
    return f"{sizes} {cfg.activation} ({result.model.n_params} parameters)"


#: frames per animation in a report: only these are rendered (a 2000-epoch run records ~100);
#: 24 frames at 8 a second play in 3 s, as 40 at 12 did, at 60% of the bytes and time
REPORT_FRAMES = 24


def build_report(result: TrainResult, title: str | None = None) -> str:
    """The report's HTML text for a finished run (see the module docstring)."""
    from ..viz import (
        TrainingAnimation,
        alive_neurons,
        confusion_heatmap,
        decision_boundary,
        gradient_norms,
        hidden_representations,
        image_grid,
        network_graph,
        prediction_grid,
        regression_fit,
        saturation,
        training_curves,
    )
    from ..viz._replicas import divergence
    from ..viz.network import NetworkAnimation
    from ..viz.player import PAGE_CSS, player_html

    cfg, ds, model, h = result.config, result.dataset, result.model, result.history
    title = title or f"mlplab run: {ds.name}"
    reps = len(cfg.seeds)
    classification = ds.task == "classification"
    rule = success_rules.get(getattr(cfg, "success", None))
    ok = _verdicts(result, rule)
    diverged_at = divergence(h, reps)
    if ok is not None:
        ok = ok & (diverged_at == -1)
    # pictures of one replica show the first that did not diverge
    shown = int(np.flatnonzero(diverged_at == -1)[0]) if (diverged_at == -1).any() else 0
    second = "accuracy" if classification else "rmse"
    parts = [f"<h1>{html.escape(title)}</h1>",
             f"<p class='note'>reproduce with <code>{html.escape(cfg.command())}</code></p>"]

    config_rows = [[k, html.escape(str(v))] for k, v in cfg.as_dict().items()]
    _, loss_used = output_and_loss(cfg, ds.task, ds.n_outputs)
    used = {"loss": loss_used if cfg.loss else f"{loss_used} <small>(the default for this output)</small>",
            "output": (cfg.output or "linear") + (" <small>(logits)</small>" if cfg.output in (None, "linear")
                                                  and classification else "")}
    config_rows = [[k, used.get(k, v)] for k, v in config_rows]
    config_rows.insert(1, ["network", " - ".join(map(str, [ds.n_features, *cfg.layers, ds.n_outputs]))
                           + f" ({model.n_params} parameters per seed)"])
    parts.append(_section("Configuration", _table(config_rows, ["setting", "value"]),
                          "<h3>Layers</h3>" + model.summary(format="html"),
                          f"<p class='note'>{html.escape(ds.notes)}</p>" if ds.notes else ""))

    rows = [[split, _cell(f["loss"]), _cell(f[second], as_percent=classification)]
            for split, f in result.figures.items()]
    figures = [_table(rows, ["", "loss", second + (" (median [min, max] over seeds)" if reps > 1 else "")])]
    n_div = int((diverged_at != -1).sum())
    if n_div:
        figures.append(f"<p class='bad'>{n_div} of {reps} seeds diverged (loss NaN or infinite): "
                       "their figures are NaN, left out of the medians and ranges above, and the "
                       "other seeds trained on.</p>")
    if reps > 1:
        if ok is not None:
            figures.append(f"<p><b>{int(ok.sum())}/{reps} seeds reach "
                           f"{html.escape(rule.describe())}</b> (the success rule)</p>")
        figures.append(_seed_table(result, rule, ok, diverged_at))
    alive = alive_units(result)
    if alive:
        rows = []
        for k, (a, w) in alive.items():
            text, span = spread(a)
            rows.append([f"hidden layer {k}", f"{text.replace('.0000', '')} of {w}"
                         + (f" <small>{span.replace('.0000', '')}</small>" if span else "")])
        figures.append(_table(rows, ["alive ReLU units", "last epoch"]))
    figures.append(f"<p class='note'>{h.epochs} epochs in {result.seconds:.2f} s</p>")
    parts.append(_section("Results", *figures))
    parts.append(_section("Training curves", _img(training_curves(h), "loss and accuracy curves")))

    X_raw, X_test_raw = ds.X_train, ds.X_test
    transform = ds.scaler.transform
    if ds.n_features == 2 and classification:
        fig = decision_boundary(model, X_raw, ds.y_train, X_test_raw if reps == 1 else None,
                                ds.y_test if reps == 1 else None, transform=transform,
                                classes=ds.classes, success=rule, seeds=cfg.seeds, history=h,
                                figures=result.figures if ok is not None else None)
        items = [_img(fig, "decision boundary")]
        rec = result.recorders.get("boundary")
        if rec is not None:
            anim = TrainingAnimation(rec, h, X_raw, ds.y_train, classes=ds.classes, replica=shown,
                                     title=run_title(result)
                                           + (f", seed {cfg.seeds[shown]}" if reps > 1 else ""),
                                     max_frames=REPORT_FRAMES)
            items.append(player_html(list(anim.frames()), anim.labels(), fps=8, title="training"))
        parts.append(_section("Decision boundary", *items))

    if ds.n_features == 1 and not classification:
        X_tr = X_raw[shown] if np.ndim(X_raw) == 3 else X_raw
        y_tr = ds.y_train[shown] if np.ndim(ds.y_train) == 2 else ds.y_train
        with_test = reps == 1 and ds.n_test
        items = [_img(regression_fit(model, X_tr, y_tr, X_test_raw if with_test else None,
                                     ds.y_test if with_test else None, transform=transform,
                                     replica=shown), "fitted curve")]
        curve = result.recorders.get("curve")
        if curve is not None:
            from ..viz.regression import RegressionAnimation
            anim = RegressionAnimation(curve, h, X_tr, y_tr, replica=shown, max_frames=REPORT_FRAMES,
                                       title=run_title(result))
            items.append(player_html(list(anim.frames()), anim.labels(), fps=8, title="training"))
        parts.append(_section("Fitted curve", *items))

    if classification and reps == 1:
        # with no test set (--test-size 0) the training rows are what there is to show
        split, X_eval_raw, y_eval = (("test", X_test_raw, ds.y_test) if ds.n_test else
                                     ("training", X_raw, ds.y_train))
        X_eval = transform(X_eval_raw)
        pred = model.predict(X_eval)
        C = metrics.confusion_matrix(y_eval, pred, len(ds.classes))
        items = [_img(confusion_heatmap(C, ds.classes), "confusion matrix"),
                 f"<pre>{html.escape(metrics.classification_report(y_eval, pred, ds.classes))}</pre>"]
        parts.append(_section("Test set" if ds.n_test else "Training set (no test set)", *items))
        if ds.name in IMAGE_DATASETS:
            shape = IMAGE_DATASETS[ds.name]
            parts.append(_section(
                "Images",
                _img(image_grid(X_eval_raw, y_eval, n=30, shape=shape, classes=ds.classes,
                                title=f"{split} images", seed=0), "sample images"),
                _img(prediction_grid(model, X_eval_raw, y_eval, n=30, shape=shape,
                                     classes=ds.classes, inputs=X_eval), "predictions")))
        parts.append(_section("Hidden representations",
                              _img(hidden_representations(model, X_eval, y_eval,
                                                          classes=ds.classes, max_points=1500),
                                   "hidden representations")))

    diag = []
    if any(k.startswith("alive.") for k in h.keys()):
        diag.append(_img(alive_neurons(h, widths=list(cfg.layers), seeds=cfg.seeds,
                                       success=rule if ok is not None else None,
                                       figures=result.figures if ok is not None else None),
                         "alive units"))
    if any(k.startswith("saturation.") for k in h.keys()):
        diag.append(_img(saturation(h), "saturation"))
    if any(k.startswith("grad_norm.") for k in h.keys()):
        diag.append(_img(gradient_norms(h), "gradient norms"))
        last = [[f"Dense layer {k.split('.')[1]}", _cell(h[k][-1]),
                 _cell(h[k.replace('grad_norm', 'weight_norm')][-1]),
                 _cell(h[k.replace('grad_norm', 'update_ratio')][-1])]
                for k in h.keys() if k.startswith("grad_norm.")]
        diag.append(_table(last, ["layer", "gradient norm", "weight norm", "update / weight"]))
    if diag:
        parts.append(_section("Diagnostics", *diag))

    if "weights" in result.recorders:
        names = ds.feature_names if len(ds.feature_names) <= 8 else None
        anim = NetworkAnimation(result.recorders["weights"], replica=shown, input_names=names,
                                history=h, max_frames=REPORT_FRAMES)
        parts.append(_section("The network", _img(network_graph(model, replica=shown, input_names=names),
                                                  "network graph"),
                              anim.to_html(fps=8)))  # hover: each weight's value

    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<link rel='icon' href='data:,'><title>{html.escape(title)}</title>"
            f"<style>{PAGE_CSS}{CSS}</style></head><body>{body}</body></html>\n")


def write_report(result: TrainResult, path, title: str | None = None) -> Path:
    """Write :func:`build_report` to ``path`` (atomically)."""
    from ..nn._atomic import atomic_file

    text = build_report(result, title)
    with atomic_file(path, "w", encoding="utf-8") as f:
        f.write(text)
    return Path(path)
