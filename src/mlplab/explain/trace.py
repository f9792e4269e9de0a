"""One training step, every number of it: :func:`trace` returns a :class:`Trace`.

For a network of Dense layers, each followed by at most one activation, and
samples ``x`` with targets ``y``, the trace holds (in float64, whatever the
network's dtype), per layer ``k = 1..K`` with ``a0 = x``:

- forward: ``zk = a(k-1) @ Wk + bk``, ``ak = f(zk)``, then the loss ``L(aK, y)``;
- backward: ``dL/dak`` (from the loss for ``k = K``, else ``delta(k+1) @ W(k+1)^T``),
  the chain-rule factor ``dak/dzk = f'(zk)``, ``deltak = dL/dzk = dL/dak * f'(zk)``,
  ``dL/dWk = a(k-1)^T @ deltak`` and ``dL/dbk = deltak`` summed over the samples;
- one plain SGD step: ``Wk - lr dL/dWk``, ``bk - lr dL/dbk``, and the loss again.

The network itself is not changed. ``Trace.text()`` prints it as a table with the
formula beside each number; ``figure(step)`` and ``animate(path)`` draw it on the
network graph (matplotlib, the ``viz`` extra).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from ..nn import _validate, losses, pairing
from ..nn.activation_layers import Activation
from ..nn.dense import Dense
from ..nn.dropout import Dropout
from ..nn.sequential import Sequential
from . import formulas

#: up to this many samples the text shows every sample's row; above, the batch mean
ROWS_SHOWN = 4


@dataclass
class LayerTrace:
    """Every quantity of layer ``k`` (arrays are ``(n_samples, units)`` unless noted)."""

    k: int
    activation: str          # the activation's name ("identity" when there is none)
    elementwise: bool        # False for softmax: delta is a Jacobian product, no factor
    W: np.ndarray            # (fan_in, fan_out)
    b: np.ndarray            # (fan_out,)
    has_bias: bool
    a_in: np.ndarray         # a(k-1), x for k = 1
    z: np.ndarray
    a: np.ndarray
    dL_da: np.ndarray
    da_dz: np.ndarray | None  # f'(zk), None when the activation is not elementwise
    delta: np.ndarray
    dW: np.ndarray           # (fan_in, fan_out)
    db: np.ndarray           # (fan_out,)
    dL_da_in: np.ndarray     # delta @ W^T: dL/da(k-1)
    W_new: np.ndarray
    b_new: np.ndarray


@dataclass
class Trace:
    """One forward pass, the loss, the backward pass and one SGD step (see the module)."""

    x: np.ndarray            # (n, n_inputs)
    y: np.ndarray            # (n, n_outputs): the loss's targets (labels as one-hot rows)
    loss_name: str
    lr: float
    layers: list[LayerTrace]
    loss: float
    new_output: np.ndarray   # aK after the step
    new_loss: float
    count: int               # what the loss averages over (elements, or samples)

    # ------------------------------------------------------------------ access
    @property
    def output(self) -> np.ndarray:
        return self.layers[-1].a

    @property
    def n_samples(self) -> int:
        return self.x.shape[0]

    @property
    def steps(self) -> list[str]:
        """Names of the drawn steps, in order: ``input``, ``forward 1`` .. ``forward K``,
        ``loss``, ``backward K`` .. ``backward 1``, ``update``."""
        K = len(self.layers)
        return (["input"] + [f"forward {k}" for k in range(1, K + 1)] + ["loss"]
                + [f"backward {k}" for k in range(K, 0, -1)] + ["update"])

    def step_index(self, step) -> int:
        """The position of ``step`` (an index or a name from :attr:`steps`)."""
        names = self.steps
        if isinstance(step, (int, np.integer)) and not isinstance(step, bool):
            if not -len(names) <= step < len(names):
                raise ValueError(f"step must be an index from 0 to {len(names) - 1} or a name "
                                 f"({', '.join(names)}); received step={step}")
            return int(step) % len(names)
        if step not in names:
            raise ValueError(f"step must be one of {', '.join(names)} (or an index); "
                             f"received step={step!r}")
        return names.index(step)

    # -------------------------------------------------------------- the table
    def rows(self, digits: int = 7) -> list[tuple[str, str, str, str]]:
        """``(step, quantity, formula, value)`` for every number, in the order computed."""
        fmt = _Formatter(digits, self.n_samples)
        K = len(self.layers)
        out = [("input", "x", "input" + fmt.note, fmt.nodes(self.x)),
               ("input", "y", "target", fmt.nodes(self.y))]
        for t in self.layers:
            prev = "x" if t.k == 1 else f"a{t.k - 1}"
            step = f"forward {t.k}"
            out.append((step, f"z{t.k}", f"{prev} @ W{t.k}" + (f" + b{t.k}" if t.has_bias else ""),
                        fmt.nodes(t.z)))
            what = f"z{t.k} (no activation)" if t.activation == "identity" else f"{t.activation}(z{t.k})"
            out.append((step, f"a{t.k}", what, fmt.nodes(t.a)))
        value, grad = formulas.loss(self.loss_name, K, self.count)
        out.append(("loss", "L", f"{value}  ({self.loss_name})", fmt.scalar(self.loss)))
        out.append(("loss", f"dL/da{K}", grad, fmt.nodes(self.layers[-1].dL_da)))
        for t in reversed(self.layers):
            k, step = t.k, f"backward {t.k}"
            if k < K:
                out.append((step, f"dL/da{k}", f"delta{k + 1} @ W{k + 1}^T", fmt.nodes(t.dL_da)))
            if t.elementwise:
                out.append((step, f"da{k}/dz{k}", f"{t.activation}'(z{k}) = "
                            + formulas.derivative(t.activation, k), fmt.nodes(t.da_dz)))
                out.append((step, f"delta{k}", f"dL/dz{k} = dL/da{k} * da{k}/dz{k}", fmt.nodes(t.delta)))
            else:
                out.append((step, f"delta{k}", f"dL/dz{k} = {t.activation} Jacobian^T @ dL/da{k}",
                            fmt.nodes(t.delta)))
            prev = "x" if k == 1 else f"a{k - 1}"
            out.append((step, f"dL/dW{k}", f"{prev}^T @ delta{k}", fmt.matrix(t.dW)))
            if t.has_bias:
                summed = f"delta{k}" if self.n_samples == 1 else f"delta{k} summed over samples"
                out.append((step, f"dL/db{k}", summed, fmt.vector(t.db)))
        for t in self.layers:
            out.append(("update", f"W{t.k}", f"W{t.k} - {self.lr:g} * dL/dW{t.k}", fmt.matrix(t.W_new)))
            if t.has_bias:
                out.append(("update", f"b{t.k}", f"b{t.k} - {self.lr:g} * dL/db{t.k}",
                            fmt.vector(t.b_new)))
        out.append(("update", f"new a{K}", "forward pass with the new weights",
                    fmt.nodes(self.new_output)))
        out.append(("update", "new L", "loss with the new weights", fmt.scalar(self.new_loss)
                    + f"  (change {self.new_loss - self.loss:+.{digits}f})"))
        return out

    def text(self, digits: int = 7) -> str:
        """The table: one line per number, its formula beside it, grouped by phase."""
        rows = self.rows(digits)
        name_w = max(len(r[1]) for r in rows)
        form_w = min(max(len(r[2]) for r in rows), 44)
        heads = {"input": "INPUT", "forward": "FORWARD PASS", "loss": "LOSS",
                 "backward": "BACKWARD PASS (chain rule, from the output back)",
                 "update": f"SGD UPDATE (lr = {self.lr:g})"}
        lines, phase = [], None
        for step, name, formula, value in rows:
            head = step.split()[0]
            if head != phase:
                phase = head
                lines.append(("" if not lines else "\n") + heads[head])
            indent = " " * (2 + name_w + 2 + form_w + 3)
            value = value.replace("\n", "\n" + indent)
            lines.append(f"  {name:<{name_w}}  {formula:<{form_w}} = {value}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict:
        """Every number as plain lists (JSON-able), with ``layers`` one dict per layer."""
        def layer(t: LayerTrace) -> dict:
            return {"k": t.k, "activation": t.activation,
                    **{name: getattr(t, name).tolist() for name in
                       ("W", "b", "a_in", "z", "a", "dL_da", "delta", "dW", "db", "dL_da_in",
                        "W_new", "b_new")},
                    "da_dz": None if t.da_dz is None else t.da_dz.tolist(), "has_bias": t.has_bias}

        return {"x": self.x.tolist(), "y": self.y.tolist(), "loss_name": self.loss_name,
                "lr": self.lr, "loss": self.loss, "new_loss": self.new_loss,
                "output": self.output.tolist(), "new_output": self.new_output.tolist(),
                "layers": [layer(t) for t in self.layers]}

    def _repr_html_(self) -> str:
        out = ["<table class='mlplab-trace'><tr><th>step</th><th>quantity</th>"
               "<th>formula</th><th>value</th></tr>"]
        for step, name, formula, value in self.rows():
            out.append(f"<tr><td>{html.escape(step)}</td><td>{html.escape(name)}</td>"
                       f"<td><code>{html.escape(formula)}</code></td>"
                       f"<td><pre style='margin:0'>{html.escape(value)}</pre></td></tr>")
        return "\n".join(out + ["</table>"])

    # --------------------------------------------------------------- pictures
    def figure(self, step=-1, dpi: int = 100):
        """The network graph at ``step`` (index or name, see :attr:`steps`; default the
        update): values on the nodes, weights (forward) or their gradients (backward)
        on the edges, edges coloured by sign with one width scale for every step."""
        from .drawing import draw_step

        return draw_step(self, self.step_index(step), dpi=dpi)

    def animation(self):
        """A :class:`~mlplab.viz.FrameAnimation` of every step (``.save(path)``)."""
        from .drawing import TraceAnimation

        return TraceAnimation(self)

    def animate(self, path, fps: float = 1.0):
        """Write the steps as an animated ``.gif``, an offline ``.html`` player or ``.mp4``."""
        return self.animation().save(path, fps=fps)


class _Formatter:
    """Numbers with ``digits`` decimals; one sample's rows as vectors, a few samples'
    as one row each, many samples' as their mean (said in the table's first row)."""

    def __init__(self, digits: int, n: int):
        self.digits, self.n = digits, n
        self.note = "" if n <= ROWS_SHOWN else f" (node values: mean of {n} samples)"

    def scalar(self, v) -> str:
        v = float(v)
        if v != 0 and not 10 ** -self.digits <= abs(v) < 1e6:
            return f"{v:.{self.digits - 1}e}"
        return f"{v:.{self.digits}f}"

    def vector(self, v) -> str:
        return "[" + ", ".join(self.scalar(x) for x in np.ravel(v)) + "]"

    def matrix(self, m) -> str:
        m = np.atleast_2d(m)
        rows = [self.vector(r) for r in m]
        if len(rows) == 1:
            return "[" + rows[0] + "]"
        one_line = "[" + ", ".join(rows) + "]"
        return one_line if len(one_line) <= 64 else "[" + ",\n ".join(rows) + "]"

    def nodes(self, arr) -> str:
        """A per-node quantity ``(n, units)``."""
        if self.n == 1:
            return self.vector(arr[0])
        if self.n <= ROWS_SHOWN:
            return self.matrix(arr)
        return self.vector(np.mean(arr, axis=0))


def _groups(model: Sequential):
    """``[(Dense, Activation or None)]``: each Dense with the activation after it."""
    groups = []
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Dense):
            groups.append([layer, None])
        elif isinstance(layer, Activation) and groups and groups[-1][1] is None:
            groups[-1][1] = layer
        elif isinstance(layer, Dropout):
            continue  # the trace runs in inference mode: dropout passes values through
        else:
            where = "before the first Dense layer" if not groups else "a second activation"
            what = (type(layer).__name__ if not isinstance(layer, Activation) else where)
            raise ValueError(f"trace follows Dense layers each followed by at most one activation "
                             f"(dropout is skipped); model.layers[{i}] is {what} "
                             f"({layer!r}): trace a network without it")
    return groups


def _params(layer: Dense, replica):
    W = np.asarray(layer.params["W"], dtype=np.float64)
    b = np.asarray(layer.params["b"], dtype=np.float64) if layer.bias else np.zeros((1, layer.fan_out))
    if replica is not None:  # replicas flattened in order
        W, b = W.reshape(-1, *W.shape[-2:])[replica], b.reshape(-1, *b.shape[-2:])[replica]
    return W.copy(), b.reshape(-1).copy()


def _forward(weights, acts, x):
    a, zs, outs = x, [], []
    for (W, b), act in zip(weights, acts):
        z = a @ W + b
        a = z if act is None else np.asarray(act(z), dtype=np.float64)
        zs.append(z)
        outs.append(a)
    return zs, outs


def trace(model: Sequential, x, y, loss="mse", lr: float = 0.5, replica: int | None = None) -> Trace:
    """Trace one SGD step of ``model`` on samples ``x`` with targets ``y``.

    Parameters
    ----------
    model : Sequential
        Dense layers, each followed by at most one activation (dropout is skipped:
        the trace runs in inference mode). Not modified.
    x : array ``(n_features,)`` for one sample or ``(n_samples, n_features)``
    y : targets as ``fit`` takes them: a number or ``(n,)`` for one output or class
        labels, ``(n, n_outputs)`` otherwise
    loss : str or Loss
        Any loss of :mod:`mlplab.nn.losses`; mse averages over samples and outputs, so
        for one sample and one output it is lesson B's ``(y - a)^2``.
    lr : float
        The SGD learning rate of the update.
    replica : int, optional
        Which replica to trace when the model has replicas.

    Returns
    -------
    Trace

    >>> from mlplab.explain import lesson_b_network
    >>> t = trace(lesson_b_network(), [0.5, 0.8], 1, loss="mse", lr=0.5)
    >>> round(t.loss, 7), round(t.new_loss, 7)
    (0.1131537, 0.0945448)
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be a Sequential (mlplab.mlp(...) or a saved model); "
                        f"received {type(model).__name__}")
    lr = _validate.positive("lr", lr)
    reps = model.replicas
    if reps and replica is None:
        raise ValueError(f"model has replicas {reps}: pass replica=k to trace one of them")
    if reps:
        count = int(np.prod(reps))
        if isinstance(replica, bool) or not isinstance(replica, (int, np.integer)) \
                or not 0 <= replica < count:
            raise ValueError(f"replica must be an integer from 0 to {count - 1}; "
                             f"received replica={replica!r}")
        replica = int(replica)
    elif replica is not None:
        raise ValueError(f"replica is for models with replicas; this one has none "
                         f"(received replica={replica!r})")
    loss = losses.get(loss)
    pairing.check_output(loss, pairing.output_kind(model), model.n_outputs)
    x = _validate.finite_array("x", x, min_ndim=1, dtype=np.float64)
    x = x.reshape(1, -1) if x.ndim == 1 else x
    if x.ndim != 2 or x.shape[1] != model.n_inputs:
        raise ValueError(f"x must be one sample of {model.n_inputs} features or (n_samples, "
                         f"{model.n_inputs}); received shape {x.shape}")
    y_arr = np.asarray(y)
    y_arr = y_arr.reshape(1) if y_arr.ndim == 0 else y_arr
    flat_targets = y_arr.ndim == 1 and y_arr.size == model.n_outputs > 1
    if x.shape[0] == 1 and flat_targets and loss.target_kind != "labels":
        y_arr = y_arr.reshape(1, -1)  # one sample's targets given flat
    from ..nn.training import prepare

    _, T, _ = prepare(model, loss, x, y_arr, x_name="x", y_name="y")
    T = np.asarray(y_arr, dtype=np.float64).reshape(T.shape) if y_arr.size == T.size else T.astype(np.float64)

    groups = _groups(model)
    weights = [_params(dense, replica) for dense, _ in groups]
    acts = [None if act is None else act.activation for _, act in groups]
    zs, outs = _forward(weights, acts, x)
    out = outs[-1]
    L = float(loss.value(out, T))
    g = np.asarray(loss.grad(out, T), dtype=np.float64)
    count = out.size if loss.target_kind == "elementwise" else out.shape[0]
    layer_traces = []
    for k in range(len(groups), 0, -1):
        (W, b), act = weights[k - 1], acts[k - 1]
        z, a = zs[k - 1], outs[k - 1]
        a_in = x if k == 1 else outs[k - 2]
        name = "identity" if act is None else act.name
        elementwise = act is None or act.elementwise
        if act is None:
            factor, delta = np.ones_like(z), g
        elif elementwise:
            factor = np.asarray(act.derivative(z, a), dtype=np.float64)
            delta = g * factor
        else:
            factor, delta = None, np.asarray(act.vjp(z, a, g), dtype=np.float64)
        dW, db = a_in.T @ delta, delta.sum(axis=0)
        dL_da_in = delta @ W.T
        has_bias = groups[k - 1][0].bias
        layer_traces.append(LayerTrace(
            k=k, activation=name, elementwise=elementwise, W=W, b=b, has_bias=has_bias, a_in=a_in,
            z=z, a=a, dL_da=g, da_dz=factor, delta=delta, dW=dW, db=db, dL_da_in=dL_da_in,
            W_new=W - lr * dW, b_new=b - lr * db if has_bias else b.copy()))
        g = dL_da_in
    layer_traces.reverse()
    _, new_outs = _forward([(t.W_new, t.b_new) for t in layer_traces], acts, x)
    new_out = new_outs[-1]
    return Trace(x=x, y=T, loss_name=loss.name, lr=lr, layers=layer_traces, loss=L,
                 new_output=new_out, new_loss=float(loss.value(new_out, T)), count=count)


def set_weights(model: Sequential, weights: dict) -> Sequential:
    """Set Dense layer ``k``'s weights from ``{"W1": ..., "b1": ..., "W2": ...}`` (layers
    numbered from 1 as in the trace); keys left out keep their values. In place;
    returns the model.

    >>> net = set_weights(mlplab.mlp([2, 1]), {"W1": [[0.5], [0.6]], "b1": [0.03]})  # doctest: +SKIP
    """
    if not isinstance(weights, dict):
        raise TypeError(f"weights must be a dict such as {{'W1': [[0.1, 0.3], [0.2, 0.4]], "
                        f"'b1': [0.01, 0.02]}}; received {type(weights).__name__}")
    dense = model.dense_layers
    if model.replicas:
        raise ValueError(f"set_weights takes a model without replicas; this one has {model.replicas}")
    valid = [f"{p}{k}" for k in range(1, len(dense) + 1) for p in "Wb"]
    for key, value in weights.items():
        if key not in valid:
            raise ValueError(f"weights key {key!r} is not a parameter of this network; valid keys: "
                             f"{', '.join(valid)} (Dense layers numbered from 1)")
        layer = dense[int(key[1:]) - 1]
        if key[0] == "b" and not layer.bias:
            raise ValueError(f"weights key {key!r}: Dense layer {key[1:]} has no bias")
        target = layer.params[key[0]]
        arr = _validate.finite_array(f"weights[{key!r}]", value, min_ndim=1, dtype=np.float64)
        if key[0] == "b" and arr.shape == (target.shape[-1],):
            arr = arr.reshape(target.shape)
        if arr.shape != target.shape:
            want, shape = (("(fan_in, fan_out)", target.shape) if key[0] == "W"
                           else ("(fan_out,)", (target.shape[-1],)))
            raise ValueError(f"weights[{key!r}] must be shaped {shape} {want} for this network; "
                             f"received shape {arr.shape}")
        target[...] = arr.astype(target.dtype)
    return model


def lesson_b_network(dtype: str = "float64") -> Sequential:
    """Lesson B's worked example: a 2-2-1 sigmoid network with the lesson's weights
    ``W1 = [[0.1, 0.3], [0.2, 0.4]]``, ``b1 = [0.01, 0.02]``, ``W2 = [[0.5], [0.6]]``,
    ``b2 = [0.03]``; trace it on ``x = [0.5, 0.8]``, ``y = 1`` with mse and lr 0.5."""
    from ..nn import mlp

    net = mlp([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0, dtype=dtype)
    return set_weights(net, LESSON_B)


#: the weights of lesson B's worked example (see :func:`lesson_b_network`)
LESSON_B = {"W1": [[0.1, 0.3], [0.2, 0.4]], "b1": [0.01, 0.02], "W2": [[0.5], [0.6]], "b2": [0.03]}
