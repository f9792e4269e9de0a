"""``Sequential.summary()``: the layers, their output shapes and parameter counts, as
Keras prints them.

Output shapes read ``(None, 16)``: ``None`` is the number of samples, and a model
with replicas shows them in front, ``(20, None, 16)``. Parameter counts are per
replica, so the total equals ``model.n_params``; batch norm's running statistics are
counted apart, as non-trainable numbers.

>>> from mlplab.nn import mlp
>>> print(mlp([2, 4, 1], seed=0).summary())  # doctest: +NORMALIZE_WHITESPACE
 #  layer     output shape   params  details
 0  Dense     (None, 4)          12  W 2x4, b 4
 1  ReLU      (None, 4)           0
 2  Dense     (None, 1)           5  W 4x1, b 1
 total: 17 trainable parameters
"""

from __future__ import annotations

import html

import numpy as np

FORMATS = (None, "text", "short", "html")


class Summary:
    """The rows of a summary: ``rows`` (index, layer name, output shape, params, details),
    ``total`` (== ``model.n_params``), ``non_trainable``. ``str()`` is the text table,
    ``short()`` one line per Dense layer, ``html()`` a ``<table>``."""

    def __init__(self, model):
        self.replicas = model.replicas
        self.seeds = model.seeds
        reps = int(np.prod(self.replicas or (1,)))
        self.rows = []
        self.non_trainable = 0
        width = model.n_inputs
        for i, layer in enumerate(model.layers):
            width = getattr(layer, "fan_out", width)
            params = sum(p.size for p in layer.params.values()) // reps
            state = sum(s.size for s in layer.state.values()) // reps
            self.non_trainable += state
            shape = "(" + ", ".join([*map(str, self.replicas or ()), "None", str(width)]) + ")"
            self.rows.append((i, type(layer).__name__, shape, params, _details(layer, state)))
        self.total = sum(r[3] for r in self.rows)
        self.sizes = [model.n_inputs, *(d.fan_out for d in model.dense_layers)]
        self._model = model

    def text(self) -> str:
        head = (" #", "layer", "output shape", "params", "details")
        body = [(f"{i:>2}", name, shape, f"{p:,}", d) for i, name, shape, p, d in self.rows]
        w = [max(len(r[c]) for r in [head, *body]) for c in range(4)]
        lines = [f"{r[0]:>{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]:>{w[3]}}  {r[4]}".rstrip()
                 for r in [head, *body]]
        return "\n".join(lines + [self._total_line()])

    def short(self) -> str:
        """The sizes and the total, then one line per Dense layer with what follows it
        (activation, batch norm, dropout): what ``mlplab train`` prints."""
        dense_rows, k = [], 0
        for i, name, _, params, details in self.rows:
            if name == "Dense":
                k += 1
                dense_rows.append([f"layer {k}", f"Dense {details.split(',')[0][2:]}", params])
            elif dense_rows:
                dense_rows[-1][1] += f" + {_layer_label(self._model.layers[i])}"
                dense_rows[-1][2] += params
        w = max(len(r[1]) for r in dense_rows)
        lines = ["-".join(map(str, self.sizes)) + ", "
                 + self._total_line(" per seed" if self.replicas else "").replace("total: ", "")]
        lines += [f"{label:<8} {what:<{w}}  {params:>7,} params" for label, what, params in dense_rows]
        return "\n".join(lines)

    def _total_line(self, per="") -> str:
        text = f"total: {self.total:,} trainable parameters{per}"
        if self.replicas:
            reps = int(np.prod(self.replicas))
            text += f" ({self.total * reps:,} in {reps} replicas"
            text += f", seeds {_seeds(self.seeds)})" if self.seeds else ")"
        if self.non_trainable:
            text += f"; {self.non_trainable:,} non-trainable (batch-norm running statistics)"
        return text

    def html(self) -> str:
        head = "".join(f"<th>{h}</th>" for h in ("#", "layer", "output shape", "params", "details"))
        rows = "".join(f"<tr><td>{i}</td><td>{html.escape(n)}</td><td><code>{html.escape(s)}</code>"
                       f"</td><td style='text-align:right'>{p:,}</td><td>{html.escape(d)}</td></tr>"
                       for i, n, s, p, d in self.rows)
        return (f"<table class='mlplab-summary'><tr>{head}</tr>{rows}</table>"
                f"<p class='note'>{html.escape(self._total_line())}</p>")

    def __str__(self) -> str:
        return self.text()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.html()


def summary(model, format=None):
    """The :class:`Summary` of ``model`` (``format=None``), or its text (``"text"``), its
    one-line-per-Dense form (``"short"``) or its HTML table (``"html"``) as a string."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(map(repr, FORMATS))}; "
                         f"received format={format!r}")
    s = Summary(model)
    return s if format is None else {"text": s.text, "short": s.short, "html": s.html}[format]()


def _details(layer, state) -> str:
    from .activation_layers import Activation
    from .batchnorm import BatchNorm
    from .dense import Dense
    from .dropout import Dropout

    if isinstance(layer, Dense):
        return f"W {layer.fan_in}x{layer.fan_out}" + (f", b {layer.fan_out}" if layer.bias else ", no bias")
    if isinstance(layer, BatchNorm):
        return f"gamma {layer.n_features}, beta {layer.n_features}; {state} running statistics"
    if isinstance(layer, Dropout):
        return f"p = {layer.p:g}"
    if isinstance(layer, Activation):
        options = layer.activation._options()
        return ", ".join(f"{k} = {v}" for k, v in options.items())
    return ""


def _layer_label(layer) -> str:
    from .activation_layers import Activation
    from .dropout import Dropout

    if isinstance(layer, Activation):
        return layer.activation.name
    if isinstance(layer, Dropout):
        return f"dropout {layer.p:g}"
    return "batch norm" if type(layer).__name__ == "BatchNorm" else type(layer).__name__


def _seeds(seeds) -> str:
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}-{seeds[-1]}"
    return ",".join(map(str, seeds))
