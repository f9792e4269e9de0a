"""The playground's step unit: lesson B's perceptron as the page's network.

With ``output="step"`` and no hidden layer the network is one hard threshold unit,
``y_hat = 1 if x . w + b >= 0 else 0`` (lesson B's step), trained by the perceptron
rule (:class:`mlplab.nn.Perceptron`, one :meth:`~mlplab.nn.Perceptron.partial_fit`
per epoch, the samples in order as in the lesson). Its "loss" is the fraction of
points it gets wrong (the 0-1 loss): the step has no gradient, so no smooth loss
is being minimised.

:class:`StepUnit` offers the few things the session reads from a network (its Dense
weights, hidden outputs, predictions), so frames, the graph and the GIF work as for
any other network. Why only without hidden layers: see :data:`WHY_NO_HIDDEN`.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .. import nn

#: the reason a step unit can only be the output of a network without hidden layers
WHY_NO_HIDDEN = ("the step's derivative is 0 everywhere (and undefined at 0), so backpropagation "
                 "passes no gradient through a step unit and cannot train hidden layers; the "
                 "perceptron rule trains only a single layer")


def refuse_hidden(where: str) -> str:
    """The message for a step unit where it cannot train (``where``: what was asked)."""
    return (f"{where}: {WHY_NO_HIDDEN}. Use step as the output of a network with no hidden "
            f"layer (a perceptron: output 'step', layers []), or a smooth activation (e.g. "
            f"sigmoid, lesson B's differentiable stand-in for the step)")


class StepUnit:
    """A perceptron ``(n_features -> 1 step unit)`` shaped like a one-layer network.

    ``dense_layers[0].params`` holds ``W (n_features, 1)`` (a view of the perceptron's
    weights: edits go through) and ``b (1, 1)``; ``predict_proba(X)`` is ``(n, 2)``
    of 0s and 1s (the step, as two class scores), ``hidden_outputs`` is empty.
    """

    def __init__(self, n_features: int, lr: float, seed: int, init: str = "small"):
        self.perceptron = nn.Perceptron(lr=lr, seed=seed, rule=">=",
                                        init="zeros" if init == "zeros" else "small")
        self.perceptron.start(n_features)  # lesson B's 0.01 N(0, 1) from the seed: frame 0 shows it
        self.b = np.zeros((1, 1))
        self.dense = SimpleNamespace(params={"W": self.perceptron.weights_[:, None], "b": self.b},
                                     grads={}, fan_in=n_features, fan_out=1)
        self.dense_layers = [self.dense]

    @property
    def lr(self) -> float:
        return self.perceptron.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.perceptron.lr = float(value)

    def parameters(self):
        """``(param, grad)`` pairs, as a network's (the grads are None: no gradient)."""
        return [(self.dense.params["W"], None), (self.b, None)]

    def train_epoch(self, X, y) -> int:
        """One epoch of the perceptron rule; returns its mistakes."""
        p = self.perceptron
        p.bias_ = float(self.b[0, 0])  # the page may have edited the weights
        p.partial_fit(X, y)
        self.b[0, 0] = p.bias_
        return p.errors_[-1]

    @property
    def converged(self) -> bool:
        return bool(self.perceptron.errors_) and self.perceptron.errors_[-1] == 0

    def decision_function(self, X) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.perceptron.weights_ + self.b[0, 0]

    def predict(self, X) -> np.ndarray:
        return (self.decision_function(X) >= 0).astype(np.int64)

    def predict_proba(self, X) -> np.ndarray:
        s = self.predict(X).astype(np.float32)
        return np.column_stack([1 - s, s])

    def hidden_outputs(self, X) -> list:
        return []

    def figures(self, X, y) -> dict:
        """``{"loss": fraction wrong, "accuracy": fraction right}`` on ``(X, y)``."""
        acc = float((self.predict(X) == np.asarray(y)).mean()) if len(y) else float("nan")
        return {"loss": 1 - acc, "accuracy": acc}
