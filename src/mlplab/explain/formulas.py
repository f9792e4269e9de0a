"""The formulas a :class:`~mlplab.explain.trace.Trace` prints beside its numbers.

Notation of the lessons: layer ``k`` (from 1) computes ``zk = a(k-1) @ Wk + bk`` and
``ak = f(zk)``, with ``a0 = x``; ``deltak = dL/dzk``. One small table per family,
keyed by registry name; a name missing here gets the generic ``f'(zk)``.
"""

from __future__ import annotations

#: activation name -> derivative written with zk and ak (``{z}``, ``{a}`` filled in)
DERIVATIVES = {
    "sigmoid": "{a} (1 - {a})",
    "tanh": "1 - {a}^2",
    "relu": "1 if {z} > 0 else 0",
    "leaky_relu": "1 if {z} > 0 else alpha",
    "elu": "1 if {z} > 0 else {a} + alpha",
    "softplus": "sigmoid({z})",
    "identity": "1",
}

#: loss name -> (value, gradient with respect to the output ``{a}``), ``{N}`` the count
#: the mean runs over (n samples x outputs for elementwise losses, n for label losses)
LOSSES = {
    "mse": ("mean(({a} - y)^2)", "2 ({a} - y) / {N}"),
    "mae": ("mean(|{a} - y|)", "sign({a} - y) / {N}"),
    "bce": ("-mean(y log {a} + (1 - y) log(1 - {a}))", "({a} - y) / ({a} (1 - {a})) / {N}"),
    "bce_logits": ("-mean(y log s + (1 - y) log(1 - s)), s = sigmoid({a})",
                   "(sigmoid({a}) - y) / {N}"),
    "cross_entropy": ("-mean(log softmax({a})[y])", "(softmax({a}) - onehot(y)) / {N}"),
    "nll": ("-mean({a}[y])", "-onehot(y) / {N}"),
}


def derivative(name: str, k: int) -> str:
    """``"a2 (1 - a2)"`` for a sigmoid in layer 2."""
    text = DERIVATIVES.get(name)
    return f"{name}'(z{k})" if text is None else text.format(z=f"z{k}", a=f"a{k}")


def loss(name: str, k: int, count: int) -> tuple[str, str]:
    """``(value formula, gradient formula)`` of a loss on the output ``ak``.

    With one number to average (``count == 1``) the mean and the division vanish,
    so mse reads ``(a2 - y)^2`` and ``2 (a2 - y)`` as in lesson B's worked example.
    """
    a = f"a{k}"
    value, grad = LOSSES.get(name, (f"{name}({{a}}, y)", f"d {name} / d{{a}}"))
    value, grad = value.format(a=a), grad.format(a=a, N=count)
    if count == 1:
        grad = grad.replace(" / 1", "")
        if value.startswith("mean(") and value.endswith(")"):
            value = value[5:-1]
    return value, grad
