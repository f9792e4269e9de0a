"""A scalar autograd engine: :class:`Value`, one number that remembers how it was made.

Each operation builds a node of an expression graph and carries its local
derivative right beside it (the chain rule, one node at a time). ``y.backward()``
visits the graph in reverse topological order (``y.order()`` shows it) and adds,
for every child ``c`` of a node ``n``::

    c.grad += (dn/dc) * n.grad

The ``+=`` matters: a value used twice receives two contributions, and its
gradient is their sum (``x * x`` at 3 gives 3 + 3 = 6). ``y.steps`` keeps every
contribution of the last backward pass, in order, so the accumulation can be read.

>>> x = Value(3.0, label="x")
>>> y = x**2 + 2*x + 1
>>> y.backward()
>>> x.grad
8.0

:class:`ValueMLP` rebuilds a small :class:`mlplab.nn.Sequential` out of Values, so
the engine's gradients can be checked one scalar at a time.
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Step:
    """One contribution of a backward pass: ``child.grad += local * parent.grad``."""

    child: Value
    parent: Value
    local: float        # d parent / d child
    added: float        # local * parent.grad
    total: float        # child.grad after the addition

    def __str__(self):
        return (f"{self.child.name}.grad += {_fmt(self.local)} * {self.parent.name}.grad "
                f"= {_fmt(self.added)}  -> {_fmt(self.total)}")


_COUNTER = itertools.count(1)


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _number(op: str, v) -> float:
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise TypeError(f"Value {op}: the operand must be a real number (int, float) or a Value; "
                        f"received {v!r} of type {type(v).__name__}")
    return float(v)


class Value:
    """A scalar with a gradient: ``data`` (the number), ``grad`` (dL/d this, after
    ``backward``), the node(s) it was made from and the operation.

    Supports ``+ - * / **`` with numbers on either side, ``exp``, ``log``, ``tanh``,
    ``relu`` and ``sigmoid``. Derivatives are taken with respect to each operand
    (the input of the operation), written beside each operation below.

    Parameters
    ----------
    data : int or float
    label : str, optional
        Name shown by ``order()``, ``steps`` and ``draw()`` (e.g. ``"x"``, ``"w1"``).
    """

    __array_ufunc__ = None  # numpy scalars on the left defer to Value's reflected operators

    def __init__(self, data, label: str = "", _children=(), _op: str = ""):
        self.data = _number("(the data)", data)
        self.grad = 0.0
        self.label = str(label)
        self._prev = tuple(_children)
        self._op = _op
        self._local: tuple[float, ...] = ()  # d self / d child, one per child
        self.steps: list[Step] = []
        self._n = next(_COUNTER)

    @property
    def name(self) -> str:
        """The label; else ``v<n>`` for an input, ``(<op>)#<n>`` for an intermediate node."""
        if self.label:
            return self.label
        return f"({self._op})#{self._n}" if self._op else f"v{self._n}"

    def __repr__(self):
        return f"Value({self.name}: data={_fmt(self.data)}, grad={_fmt(self.grad)})"

    # ------------------------------------------------------------ building
    @staticmethod
    def _lift(other, op: str) -> Value:
        if isinstance(other, Value):
            return other
        return Value(_number(op, other))

    def _make(self, data: float, children, local, op: str) -> Value:
        out = Value(data, _children=children, _op=op)
        out._local = tuple(float(d) for d in local)
        return out

    def __add__(self, other):            # d/da (a + b) = 1, d/db = 1
        other = self._lift(other, "+")
        return self._make(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):            # d/da (a b) = b, d/db = a
        other = self._lift(other, "*")
        return self._make(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other):        # d/da (a / b) = 1/b, d/db = -a/b^2
        other = self._lift(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"Value /: division by zero ({self.name} / {other.name}, "
                                    f"the divisor is {other.data!r})")
        b = other.data
        return self._make(self.data / b, (self, other), (1.0 / b, -self.data / (b * b)), "/")

    def __pow__(self, other):
        # a ** n (n a number): d/da = n a^(n-1).  a ** b (b a Value): also d/db = a^b ln a
        a = self.data
        if isinstance(other, Value):
            if a <= 0:
                raise ValueError(f"Value **: a Value exponent needs a positive base (a ** b = "
                                 f"exp(b ln a)); received base {self.name} = {a!r}")
            out = a ** other.data
            return self._make(out, (self, other), (other.data * a ** (other.data - 1), out * math.log(a)),
                              "**")
        n = _number("**", other)
        if a == 0 and n < 0:
            raise ZeroDivisionError(f"Value **: 0 to a negative power; received {self.name} = 0 ** {n!r}")
        if a < 0 and not n.is_integer():
            raise ValueError(f"Value **: a negative base needs an integer exponent (the result would be "
                             f"complex); received {self.name} = {a!r} ** {n!r}")
        if n == 0:
            local = 0.0
        elif a == 0 and n < 1:
            local = math.inf      # the slope of a ** n at 0 for 0 < n < 1
        else:
            local = n * a ** (n - 1)
        return self._make(a ** n, (self,), (local,), f"**{_fmt(n)}")

    def __rpow__(self, other):           # c ** a: d/da = c^a ln c
        c = _number("**", other)
        if c <= 0:
            raise ValueError(f"Value **: a number raised to a Value needs a positive base; "
                             f"received {c!r} ** {self.name}")
        out = c ** self.data
        return self._make(out, (self,), (out * math.log(c),), f"{_fmt(c)}**")

    def __neg__(self):                   # d/da (-a) = -1
        return self._make(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other):            # d/da (a - b) = 1, d/db = -1
        other = self._lift(other, "-")
        return self._make(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __radd__(self, other):
        return self._lift(other, "+") + self

    def __rmul__(self, other):
        return self._lift(other, "*") * self

    def __rsub__(self, other):
        return self._lift(other, "-") - self

    def __rtruediv__(self, other):
        return self._lift(other, "/") / self

    def exp(self):                       # d/da e^a = e^a
        out = math.exp(self.data)
        return self._make(out, (self,), (out,), "exp")

    def log(self):                       # d/da ln a = 1/a
        if self.data <= 0:
            raise ValueError(f"Value.log: the logarithm needs a positive number; "
                             f"received {self.name} = {self.data!r}")
        return self._make(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self):                      # d/da tanh a = 1 - tanh(a)^2
        t = math.tanh(self.data)
        return self._make(t, (self,), (1.0 - t * t,), "tanh")

    def relu(self):                      # d/da relu a = 1 if a > 0 else 0
        return self._make(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu")

    def sigmoid(self):                   # d/da s(a) = s(a) (1 - s(a))
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return self._make(s, (self,), (s * (1.0 - s),), "sigmoid")

    # ------------------------------------------------------------ backward
    def order(self) -> list[Value]:
        """Every node of the graph in the order ``backward`` visits them: this value
        first, each node before the nodes it was made from (reverse topological order).

        A node used several times appears once, after *all* its users, so its
        gradient is complete before it passes it on. Built without recursion, so
        deep graphs do not hit Python's recursion limit.
        """
        topo, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                topo.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(node._prev) if id(c) not in seen)
        return topo[::-1]

    def backward(self) -> None:
        """Fill ``grad`` of every node with d self / d node.

        The gradients of the whole graph are first set to 0 (so calling it twice gives
        the same numbers), then ``self.grad = 1`` and every node passes
        ``local * grad`` to each child, in ``order()``. ``self.steps`` records each
        contribution (:class:`Step`).
        """
        nodes = self.order()
        for node in nodes:
            node.grad = 0.0
        self.grad = 1.0
        steps = []
        for node in nodes:
            for child, local in zip(node._prev, node._local):
                added = local * node.grad
                child.grad += added
                steps.append(Step(child, node, local, added, child.grad))
        self.steps = steps

    def explain(self) -> str:
        """The last backward pass in words: the order, then every ``grad +=``."""
        lines = ["order: " + " -> ".join(n.name for n in self.order()), f"{self.name}.grad = 1"]
        lines += [str(s) for s in self.steps]
        return "\n".join(lines)

    def draw(self, ax=None):
        """The expression graph, inputs on the left: each value with its data and grad,
        each operation as a small circle. Returns the matplotlib Figure (the ``viz`` extra)."""
        from .explain.graph import draw_value_graph
        return draw_value_graph(self, ax=ax)


class ValueMLP:
    """A :class:`mlplab.nn.Sequential` rebuilt out of :class:`Value` scalars.

    Dense layers become sums of products; the elementwise activations ``relu``,
    ``tanh``, ``sigmoid`` and ``identity`` become the Value operations. ``params``
    maps the engine's names (``"0.W"``, ``"0.b"``, ...) to nested lists of Values,
    so ``grads()`` can be compared with ``model.named_parameters()`` after the
    engine's own backward pass.

    >>> from mlplab.nn import mlp
    >>> vnet = ValueMLP(mlp([2, 2, 1], activation="sigmoid", seed=0))
    >>> out = vnet([0.5, 0.8])          # one Value per output unit
    """

    _ACTS = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
             "identity": lambda v: v}

    def __init__(self, model):
        from .nn import Activation, Dense, Sequential
        if not isinstance(model, Sequential):
            raise TypeError(f"model must be a mlplab Sequential; received {type(model).__name__}")
        if model.replicas:
            raise ValueError(f"model must have no replicas (one network); received replicas={model.replicas}")
        self.plan, self.params = [], {}
        for i, layer in enumerate(model.layers):
            if isinstance(layer, Dense):
                W = layer.params["W"].astype(float)
                b = layer.params["b"].astype(float)[0] if "b" in layer.params else np.zeros(W.shape[1])
                Wv = [[Value(W[r, c], label=f"W{i}[{r},{c}]") for c in range(W.shape[1])]
                      for r in range(W.shape[0])]
                bv = [Value(b[c], label=f"b{i}[{c}]") for c in range(W.shape[1])]
                self.params[f"{i}.W"], self.params[f"{i}.b"] = Wv, bv
                self.plan.append(("dense", Wv, bv))
            elif isinstance(layer, Activation) and layer.activation.name in self._ACTS:
                self.plan.append(("act", self._ACTS[layer.activation.name], None))
            else:
                raise ValueError(f"ValueMLP rebuilds Dense layers and the activations "
                                 f"{', '.join(self._ACTS)}; layer {i} is {layer!r}")

    def __call__(self, x) -> list[Value]:
        h = [v if isinstance(v, Value) else Value(v, label=f"x{j}") for j, v in enumerate(x)]
        for kind, a, b in self.plan:
            if kind == "dense":
                h = [sum((h[r] * a[r][c] for r in range(len(h))), b[c]) for c in range(len(b))]
            else:
                h = [a(v) for v in h]
        return h

    def grads(self) -> dict[str, np.ndarray]:
        """``{"0.W": dW, "0.b": db, ...}`` as float64 arrays shaped like the engine's."""
        out = {}
        for key, vals in self.params.items():
            arr = np.array([[v.grad for v in row] for row in vals]) if key.endswith("W") \
                else np.array([[v.grad for v in vals]])
            out[key] = arr
        return out
