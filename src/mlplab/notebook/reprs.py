"""The HTML Jupyter shows for mlplab objects (their ``_repr_html_`` delegate here).

- a network: its layer table (``Sequential.summary()`` when the model has one, else a
  small table made here: layer, output width, parameters);
- a History: its curves as an inline PNG (``viz.training_curves``), or, without
  matplotlib, a compact table of the first and last epochs;
- an animation: the offline player (``viz.player``), frames inline.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np

from ..nn._format import number as fmt_value

#: epochs shown at each end of a History's table when matplotlib is missing
TABLE_EDGE = 3


def _table(header, rows, caption="") -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    cap = f"<caption style='text-align:left'>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='mlplab-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def layer_rows(model) -> list[tuple[str, str, str, int]]:
    """``(index, layer, output width, parameters per replica)`` for each layer."""
    reps = int(np.prod(model.replicas or (1,)))
    rows, width = [], model.n_inputs
    for i, layer in enumerate(model.layers):
        width = getattr(layer, "fan_out", width)
        n = sum(p.size for p in layer.params.values()) // reps
        rows.append((str(i), repr(layer), f"(n, {width})", n))
    return rows


def sequential_html(model) -> str:
    """The network's layer table, with its parameter count, replicas and seeds."""
    summary = getattr(model, "summary", None)
    if callable(summary):  # the model's own summary, when it has one
        text = summary()
        if hasattr(text, "_repr_html_"):
            return text._repr_html_()
        return f"<pre class='mlplab-summary'>{html.escape(str(text))}</pre>"
    caption = f"Sequential: {model.n_params:,} parameters"
    if model.replicas:
        caption += f", {int(np.prod(model.replicas))} replicas"
    if model.seeds is not None:
        seeds = model.seeds
        caption += f", seed{'s' if len(seeds) > 1 else ''} " + (
            ", ".join(map(str, seeds)) if len(seeds) <= 10 else f"{seeds[0]}..{seeds[-1]}")
    return _table(["#", "layer", "output", "parameters"], layer_rows(model), caption)


def figure_png(fig) -> str:
    """A matplotlib Figure as an ``<img>`` with an inline PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f"<img alt='figure' src='data:image/png;base64,{data}'>"


def _have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def history_html(history) -> str:
    """The curves of ``history`` as a PNG, or a compact table when matplotlib is missing."""
    if history.epochs == 0:
        return "<p>History: no epochs yet</p>"
    caption = _history_caption(history)
    if _have_matplotlib():
        from ..viz import training_curves

        picture = figure_png(training_curves(history))
        return f"<div class='mlplab-history'><p>{html.escape(caption)}</p>{picture}</div>"
    return history_table(history, caption)


def _median(values) -> float:
    values = np.asarray(values, dtype=float).reshape(-1)
    return float(np.nanmedian(values)) if np.isfinite(values).any() else float("nan")


def _history_caption(history) -> str:
    keys = [k for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k in history]
    last = ", ".join(f"{k} {fmt_value(_median(history[k][-1]))}" for k in keys)
    reps = np.asarray(history["loss"]).shape[1:]
    each = f" (median of {int(np.prod(reps))} replicas)" if reps else ""
    return f"History: {history.epochs} epochs; last epoch{each}: {last}"


def history_table(history, caption="") -> str:
    """The first and last ``TABLE_EDGE`` epochs of each figure (medians over replicas)."""
    keys = [k for k in history.keys() if np.asarray(history[k]).dtype.kind in "fiub"]
    n = history.epochs
    shown = list(range(n)) if n <= 2 * TABLE_EDGE else [*range(TABLE_EDGE), None,
                                                          *range(n - TABLE_EDGE, n)]
    rows = [["..."] * (len(keys) + 1) if e is None else
            [str(e + 1), *(fmt_value(_median(history[k][e])) for k in keys)] for e in shown]
    return _table(["epoch", *keys], rows, caption or _history_caption(history))


def animation_html(animation) -> str:
    """The animation's offline player (frames as inline PNGs)."""
    return animation.to_html()
