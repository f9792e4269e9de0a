"""Activation functions, each with its derivative beside it.

Every activation is a small stateless object:

- ``f(x)`` (``__call__``) computes ``y = f(x)`` elementwise;
- ``derivative(x, y)`` is ``dy/dx`` **with respect to the input** ``x``; ``y = f(x)``
  is passed too so that derivatives written in terms of the output (sigmoid:
  ``y (1 - y)``) reuse it instead of recomputing;
- ``vjp(x, y, dy)`` is the backward pass ``dL/dx`` given ``dL/dy``; for elementwise
  functions it is ``dy * derivative(x, y)``. Softmax and log-softmax mix the last
  axis and override it with their Jacobian-vector products.

All of them work on arrays of any shape ``(..., n_samples, n_features)``.

>>> import numpy as np
>>> relu = get("relu")
>>> relu(np.array([-1.0, 2.0])), relu.derivative(np.array([-1.0, 2.0]))
(array([0., 2.]), array([0., 1.]))
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate
from ._ops import max_last, relu, sum_last
from ._registry import Configurable, Registry


class Activation(Configurable):
    """Base class. Subclasses set ``name`` and define ``_f(x)`` and ``_df(x, y)`` (and
    ``_vjp(x, y, dy)`` when the function mixes the last axis) on floating-point arrays.

    The public ``__call__``, ``derivative`` and ``vjp`` compute in floating point whatever
    they are given: Python numbers, integer and boolean arrays become float64; a float
    array keeps its dtype (float32 in, float32 out). A scalar in gives a NumPy scalar
    out: ``get("sigmoid")(0.0) == 0.5``.
    """

    name = "activation"
    elementwise = True

    def __call__(self, x) -> np.ndarray:
        """``y = f(x)``, elementwise for the elementwise functions."""
        a = self._floating(x)
        return _unwrap(self._f(a), x)

    def derivative(self, x, y=None) -> np.ndarray:
        """Elementwise ``df/dx`` at ``x`` (``y = f(x)`` may be given to save work)."""
        a = self._floating(x)
        return _unwrap(self._df(a, None if y is None else self._floating(y, a.dtype)), x)

    def vjp(self, x, y, dy) -> np.ndarray:
        """Backward pass: ``dL/dx = dL/dy * f'(x)``."""
        a = self._floating(x)
        return _unwrap(self._vjp(a, self._floating(y, a.dtype), self._floating(dy, a.dtype)), x)

    def _floating(self, x, dtype=np.float64) -> np.ndarray:
        """``x`` as an array of floating point: ``dtype`` (the input's, for ``y`` and
        ``dy``) unless it already holds floats (or complex numbers, left for the caller's
        own checks). A function of the last axis (softmax) sees a scalar as a vector of
        one element."""
        a = np.asarray(x)
        a = a if a.dtype.kind in "fc" else a.astype(dtype)
        return a.reshape(1) if a.ndim == 0 and not self.elementwise else a

    def _f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _df(self, x: np.ndarray, y: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError

    def _vjp(self, x: np.ndarray, y: np.ndarray, dy: np.ndarray) -> np.ndarray:
        # through the public derivative, so a subclass that overrides it is followed
        return dy * self.derivative(x, y)


def _unwrap(result: np.ndarray, given):
    """The result shaped as ``given``; a NumPy scalar for a scalar given (0-d arrays
    stay arrays)."""
    if np.ndim(given) == 0:
        result = np.asarray(result).reshape(())
        return result if isinstance(given, np.ndarray) else result[()]
    return result


registry = Registry("activation", Activation)


def _sigmoid(x):
    """Logistic function, stable for large |x|: 1 / (1 + e^-x) = e^x / (1 + e^x)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)


_erf_object = np.frompyfunc(math.erf, 1, 1)


def _erf(x):
    """Error function, elementwise, from the C library's ``erf`` (NumPy has none)."""
    return np.asarray(_erf_object(x.astype(np.float64, copy=False)), dtype=np.float64).astype(x.dtype)


@registry.register("identity", "linear", "none")
class Identity(Activation):
    """f(x) = x;  f'(x) = 1."""

    name = "identity"

    def _f(self, x):
        return x

    def _df(self, x, y=None):
        return np.ones_like(x)

    def _vjp(self, x, y, dy):
        return dy


@registry.register("relu")
class ReLU(Activation):
    """f(x) = max(0, x);  f'(x) = 1 if x > 0 else 0 (0 at the kink, as PyTorch)."""

    name = "relu"

    def _f(self, x):
        return relu(x) if x.ndim else np.maximum(x, 0)

    def _df(self, x, y=None):
        return (x > 0).astype(x.dtype)

    def _vjp(self, x, y, dy):
        return dy * (x > 0)


@registry.register("leaky_relu", "leakyrelu")
class LeakyReLU(Activation):
    """f(x) = x if x > 0 else alpha x;  f'(x) = 1 if x > 0 else alpha."""

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01):
        self.alpha = _validate.nonnegative("alpha", alpha)

    def _f(self, x):
        return np.where(x > 0, x, self.alpha * x)

    def _df(self, x, y=None):
        return np.where(x > 0, 1.0, self.alpha).astype(x.dtype)

    def _options(self):
        return {"alpha": self.alpha}


@registry.register("elu")
class ELU(Activation):
    """f(x) = x if x > 0 else alpha (e^x - 1);  f'(x) = 1 if x > 0 else alpha e^x."""

    name = "elu"

    def __init__(self, alpha: float = 1.0):
        self.alpha = _validate.positive("alpha", alpha)

    def _f(self, x):
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))

    def _df(self, x, y=None):
        return np.where(x > 0, 1.0, self.alpha * np.exp(np.minimum(x, 0))).astype(x.dtype)

    def _options(self):
        return {"alpha": self.alpha}


@registry.register("selu")
class SELU(Activation):
    """f(x) = scale * (x if x > 0 else alpha (e^x - 1)), with the self-normalising
    constants alpha = 1.6732632..., scale = 1.0507009...;
    f'(x) = scale if x > 0 else scale alpha e^x."""

    name = "selu"
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946

    def _f(self, x):
        return self.scale * np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))

    def _df(self, x, y=None):
        neg = self.alpha * np.exp(np.minimum(x, 0))
        return (self.scale * np.where(x > 0, 1.0, neg)).astype(x.dtype)


@registry.register("sigmoid", "logistic")
class Sigmoid(Activation):
    """f(x) = 1 / (1 + e^-x);  f'(x) = f(x) (1 - f(x))."""

    name = "sigmoid"

    def _f(self, x):
        return _sigmoid(x)

    def _df(self, x, y=None):
        y = _sigmoid(x) if y is None else y
        return y * (1 - y)


@registry.register("tanh")
class Tanh(Activation):
    """f(x) = tanh(x);  f'(x) = 1 - tanh(x)^2."""

    name = "tanh"

    def _f(self, x):
        return np.tanh(x)

    def _df(self, x, y=None):
        y = np.tanh(x) if y is None else y
        return 1 - y * y


@registry.register("softplus")
class Softplus(Activation):
    """f(x) = log(1 + e^x) (and x itself above ``threshold``, as PyTorch);
    f'(x) = sigmoid(x) (1 above ``threshold``)."""

    name = "softplus"

    def __init__(self, threshold: float = 20.0):
        self.threshold = _validate.positive("threshold", threshold)

    def _f(self, x):
        return np.where(x > self.threshold, x, np.logaddexp(0, x)).astype(x.dtype, copy=False)

    def _df(self, x, y=None):
        return np.where(x > self.threshold, 1.0, _sigmoid(x)).astype(x.dtype)

    def _options(self):
        return {"threshold": self.threshold}


@registry.register("swish", "silu")
class Swish(Activation):
    """f(x) = x sigmoid(beta x) (SiLU at beta = 1);
    f'(x) = s + beta x s (1 - s) with s = sigmoid(beta x)."""

    name = "swish"

    def __init__(self, beta: float = 1.0):
        self.beta = _validate.positive("beta", beta)

    def _f(self, x):
        return x * _sigmoid(self.beta * x)

    def _df(self, x, y=None):
        s = _sigmoid(self.beta * x)
        return s + self.beta * x * s * (1 - s)

    def _options(self):
        return {"beta": self.beta}


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@registry.register("gelu")
class GELU(Activation):
    """Exact: f(x) = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2;  f'(x) = Phi(x) + x phi(x).

    ``approximate="tanh"``: f(x) = x (1 + tanh(u)) / 2 with
    u = sqrt(2/pi) (x + 0.044715 x^3);
    f'(x) = (1 + t) / 2 + x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2) / 2, t = tanh(u).
    """

    name = "gelu"
    _CHOICES = ("none", "tanh")

    def __init__(self, approximate: str = "none"):
        if approximate not in self._CHOICES:
            raise ValueError(
                f"approximate must be one of {self._CHOICES}; received approximate={approximate!r}"
            )
        self.approximate = approximate

    def _f(self, x):
        if self.approximate == "tanh":
            return 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3)))
        return 0.5 * x * (1 + _erf(x / math.sqrt(2.0)))

    def _df(self, x, y=None):
        if self.approximate == "tanh":
            t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3))
            du = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
        cdf = 0.5 * (1 + _erf(x / math.sqrt(2.0)))
        return cdf + x * _INV_SQRT_2PI * np.exp(-0.5 * x * x)

    def _options(self):
        return {"approximate": self.approximate}


@registry.register("mish")
class Mish(Activation):
    """f(x) = x tanh(softplus(x));
    f'(x) = tanh(sp) + x (1 - tanh(sp)^2) sigmoid(x), sp = softplus(x)."""

    name = "mish"

    def _f(self, x):
        return x * np.tanh(np.logaddexp(0, x))

    def _df(self, x, y=None):
        t = np.tanh(np.logaddexp(0, x))
        return t + x * (1 - t * t) * _sigmoid(x)


@registry.register("softmax")
class Softmax(Activation):
    """f(x)_i = exp(x_i / T) / sum_j exp(x_j / T) over the last axis (temperature T).

    Not elementwise: ``vjp`` is the Jacobian-vector product
    dL/dx = y * (dL/dy - sum_j dL/dy_j y_j) / T.
    ``derivative`` returns only the Jacobian's diagonal, y (1 - y) / T.
    """

    name = "softmax"
    elementwise = False

    def __init__(self, temperature: float = 1.0):
        self.temperature = _validate.positive("temperature", temperature)

    def _f(self, x):
        z = x / self.temperature if self.temperature != 1.0 else x
        e = np.exp(z - max_last(z))
        return e / sum_last(e)

    def _df(self, x, y=None):
        y = self(x) if y is None else y
        return y * (1 - y) / self.temperature

    def _vjp(self, x, y, dy):
        return y * (dy - sum_last(dy * y)) / self.temperature

    def _options(self):
        return {"temperature": self.temperature}


@registry.register("log_softmax", "logsoftmax")
class LogSoftmax(Activation):
    """f(x)_i = x_i - log sum_j exp(x_j) over the last axis (pairs with the ``nll`` loss).

    ``vjp``: dL/dx = dL/dy - softmax(x) * sum_j dL/dy_j.
    ``derivative`` returns only the Jacobian's diagonal, 1 - softmax(x).
    """

    name = "log_softmax"
    elementwise = False

    def _f(self, x):
        z = x - max_last(x)
        return z - np.log(sum_last(np.exp(z)))

    def _df(self, x, y=None):
        y = self(x) if y is None else y
        return 1 - np.exp(y)

    def _vjp(self, x, y, dy):
        return dy - np.exp(y) * sum_last(dy)


get = registry.get
names = registry.names
