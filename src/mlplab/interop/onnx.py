"""ONNX export: ``model.to_onnx("net.onnx")``, for any ONNX runtime.

The graph computes the network in inference mode: input ``"X"`` shaped
``(batch, n_inputs)`` (any batch size), output ``"Y"`` shaped ``(batch, n_outputs)``,
in the model's dtype (float32 or float64). Layer by layer:

| mlplab            | ONNX operators                                                |
|-------------------|---------------------------------------------------------------|
| Dense             | MatMul(X, W) (+ Add b)                                        |
| BatchNorm         | BatchNormalization (running statistics, eps)                  |
| Dropout           | Identity (inference)                                          |
| relu, sigmoid, tanh, identity | Relu, Sigmoid, Tanh, Identity                     |
| leaky_relu        | LeakyRelu(alpha)                                              |
| elu, selu         | Where(X > 0, X, alpha (Exp(Min(X, 0)) - 1)) (times scale)     |
| softplus          | Where(X > threshold, X, Max(X, 0) + Log(1 + Exp(-Abs X)))     |
| swish             | X * Sigmoid(beta X)                                           |
| gelu              | 0.5 X (1 + Erf(X / sqrt 2)); tanh: 0.5 X (1 + Tanh(sqrt(2/pi) (X + 0.044715 X^3))) |
| mish              | X * Tanh(softplus(X)) (softplus composed as above)            |
| softmax, log_softmax | Softmax / LogSoftmax over the last axis (X / T first)      |

Opset 17, so that older runtimes read the files too (GELU and Mish are composed from
older operators; ELU, SELU and softplus too, since onnxruntime has no float64 kernels
for them; a float64 graph computes Erf in float32, the only kernel it has). The
file is written atomically: complete or absent. Needs the
``onnx`` package (the ``onnx`` extra).
"""

from __future__ import annotations

import math

import numpy as np

from ..nn._atomic import atomic_file
from ..nn.activation_layers import Activation
from ..nn.batchnorm import BatchNorm
from ..nn.dense import Dense
from ..nn.dropout import Dropout
from .torch import single

OPSET = 17
HINT = "onnx is not installed: pip install 'mlplab[onnx]'"


def _onnx():
    try:
        import onnx
    except ImportError as exc:
        raise ImportError(HINT, name="onnx") from exc
    return onnx


class _Graph:
    """Nodes and constants being collected, with fresh names."""

    def __init__(self, onnx, dtype):
        self.onnx, self.dtype = onnx, np.dtype(dtype)
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, base):
        self.count += 1
        return f"{base}_{self.count}"

    def const(self, base, value):
        name = self.name(base)
        array = np.asarray(value, dtype=self.dtype)
        self.inits.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(self.onnx.helper.make_node(kind, list(inputs), [out], **attrs))
        return out


# onnxruntime has no float64 kernels for Elu, Selu, Softplus and Erf: the first three
# are composed from operators that have them, in both dtypes alike
def _elu(g, x, alpha):
    """x if x > 0 else alpha (exp(x) - 1)."""
    neg = g.op("Sub", [g.op("Exp", [g.op("Min", [x, g.const("zero", 0.0)])]), g.const("one", 1.0)])
    return g.op("Where", [g.op("Greater", [x, g.const("zero", 0.0)]), x,
                          g.op("Mul", [neg, g.const("alpha", alpha)])])


def _softplus(g, x):
    """log(1 + e^x), stably: max(x, 0) + log(1 + e^-|x|)."""
    tail = g.op("Log", [g.op("Add", [g.const("one", 1.0),
                                     g.op("Exp", [g.op("Neg", [g.op("Abs", [x])])])])])
    return g.op("Add", [g.op("Max", [x, g.const("zero", 0.0)]), tail])


def _erf(g, x):
    """Erf; in a float64 graph through float32 (onnxruntime's only Erf kernel), which
    keeps GELU within about 1e-7 of the float64 value."""
    if g.dtype == np.float32:
        return g.op("Erf", [x])
    onnx = g.onnx
    low = g.op("Erf", [g.op("Cast", [x], to=onnx.TensorProto.FLOAT)])
    return g.op("Cast", [low], to=onnx.TensorProto.DOUBLE)


def _activation(g: _Graph, act, x: str) -> str:
    name = act.name
    simple = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "identity": "Identity"}
    if name in simple:
        return g.op(simple[name], [x])
    if name == "leaky_relu":
        return g.op("LeakyRelu", [x], alpha=float(act.alpha))
    if name == "elu":
        return _elu(g, x, act.alpha)
    if name == "selu":
        return g.op("Mul", [_elu(g, x, act.alpha), g.const("scale", act.scale)])
    if name == "softplus":
        above = g.op("Greater", [x, g.const("threshold", act.threshold)])
        return g.op("Where", [above, x, _softplus(g, x)])
    if name == "swish":
        scaled = x if act.beta == 1.0 else g.op("Mul", [x, g.const("beta", act.beta)])
        return g.op("Mul", [x, g.op("Sigmoid", [scaled])])
    if name == "gelu":
        half_x = g.op("Mul", [x, g.const("half", 0.5)])
        if act.approximate == "tanh":
            cube = g.op("Mul", [g.op("Mul", [x, x]), x])
            inner = g.op("Add", [x, g.op("Mul", [cube, g.const("c", 0.044715)])])
            t = g.op("Tanh", [g.op("Mul", [inner, g.const("sqrt_2_over_pi", math.sqrt(2 / math.pi))])])
        else:
            t = _erf(g, g.op("Div", [x, g.const("sqrt2", math.sqrt(2.0))]))
        return g.op("Mul", [half_x, g.op("Add", [t, g.const("one", 1.0)])])
    if name == "mish":
        return g.op("Mul", [x, g.op("Tanh", [_softplus(g, x)])])
    if name == "softmax":
        t = getattr(act, "temperature", 1.0)
        z = x if t == 1.0 else g.op("Div", [x, g.const("temperature", t)])
        return g.op("Softmax", [z], axis=-1)
    if name == "log_softmax":
        return g.op("LogSoftmax", [x], axis=-1)
    raise ValueError(f"activation {name!r} has no ONNX translation")


def build(model, replica=None):
    """The ``onnx.ModelProto`` of ``model`` (one replica of a replicated model)."""
    onnx = _onnx()
    model = single(model, replica, "to_onnx")
    g = _Graph(onnx, model.dtype)
    x = "X"
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Dense):
            x = g.op("MatMul", [x, g.const(f"W{i}", layer.params["W"])])
            if "b" in layer.params:
                x = g.op("Add", [x, g.const(f"b{i}", layer.params["b"][0])])
        elif isinstance(layer, BatchNorm):
            x = g.op("BatchNormalization",
                     [x, *(g.const(f"{k}{i}", d[k][0]) for d, k in (
                         (layer.params, "gamma"), (layer.params, "beta"),
                         (layer.state, "running_mean"), (layer.state, "running_var")))],
                     epsilon=float(layer.eps))
        elif isinstance(layer, Dropout):
            x = g.op("Identity", [x])
        elif isinstance(layer, Activation):
            x = _activation(g, layer.activation, x)
        else:
            raise ValueError(f"layer {i} ({type(layer).__name__}) has no ONNX translation")
    g.nodes.append(onnx.helper.make_node("Identity", [x], ["Y"]))
    elem = {np.dtype("float32"): onnx.TensorProto.FLOAT, np.dtype("float64"): onnx.TensorProto.DOUBLE}
    kind = elem[model.dtype]
    graph = onnx.helper.make_graph(
        g.nodes, "mlplab",
        [onnx.helper.make_tensor_value_info("X", kind, ["batch", model.n_inputs])],
        [onnx.helper.make_tensor_value_info("Y", kind, ["batch", model.n_outputs])],
        initializer=g.inits)
    proto = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", OPSET)],
                                   producer_name="mlplab")
    proto.ir_version = 8  # readable by onnxruntime >= 1.10
    onnx.checker.check_model(proto)
    return proto


def to_onnx(model, path, replica=None):
    """Write ``model`` as an ONNX file at ``path`` (atomically); returns the path.

    >>> import mlplab
    >>> net = mlplab.mlp([2, 8, 2], activation="gelu", seed=0)
    >>> net.to_onnx("net.onnx")  # doctest: +SKIP
    """
    proto = build(model, replica)
    with atomic_file(path, "wb") as f:
        f.write(proto.SerializeToString())
    return path
