"""Loss functions, each with its gradient beside it.

Every loss has

- ``value(pred, target) -> per-replica mean``: shape ``pred.shape[:-2]`` (a 0-d
  array without replicas);
- ``grad(pred, target) -> dL/dpred``: the gradient of that mean, shaped like ``pred``.

``pred`` is ``(..., n_samples, n_outputs)``. Reductions follow PyTorch's default
``reduction="mean"``:

- *elementwise* losses (mse, mae, huber, bce, bce_logits) take targets shaped
  like ``pred`` and average over every element of a replica (N = n_samples *
  n_outputs);
- *label* losses (cross_entropy, nll, focal) take integer labels ``(..., n)`` or
  one-hot / probability targets ``(..., n, C)`` and average over the samples.

Targets may be shared by all replicas (no leading axes) or given per replica.

Each loss also declares the network output it fits (``outputs``, ``min_outputs``,
``classification``, ``binary``, ``refusals``); :mod:`.pairing` reads those
declarations to refuse a mismatched model / loss / targets triple before training.

>>> import numpy as np
>>> ce = get("cross_entropy")
>>> logits = np.array([[2.0, 0.0], [0.0, 2.0]])
>>> float(ce.value(logits, np.array([0, 1])))  # -log(e^2 / (e^2 + 1))
0.12692801104297263
"""

from __future__ import annotations

import numpy as np

from . import _validate
from ._ops import max_last, sum_last
from ._registry import Configurable, Registry
from .activations import _sigmoid


class Loss(Configurable):
    """Base class of all losses."""

    name = "loss"
    #: "elementwise" targets are shaped like pred; "labels" targets are class labels
    target_kind = "elementwise"
    #: a single output above this counts as class 1 when measuring accuracy
    threshold = 0.5
    #: output kinds this loss fits (see ``pairing.output_kind``): "linear" (logits),
    #: "sigmoid", "softmax", "log_softmax"; None: any output
    outputs: tuple[str, ...] | None = None
    #: the fewest network outputs it is meaningful on
    min_outputs = 1
    #: what it takes, in words (for the refusal message)
    takes = "any output"
    #: a classification loss: training labels of a single class are refused
    classification = False
    #: a two-class loss: integer labels of 3 or more classes are refused
    binary = False
    #: output kind -> the reason and fix when this loss refuses it (more than the generic text)
    refusals: dict[str, str] = {}

    def value(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def grad(self, pred: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def value_and_grad(self, pred: np.ndarray, target: np.ndarray):
        """``(value, grad)`` together; losses that share work between them override it."""
        return self.value(pred, target), self.grad(pred, target)

    def __call__(self, pred, target):
        return self.value(pred, target)


registry = Registry("loss", Loss)


def _mean(a):
    """Mean over the last two axes: one number per replica."""
    return np.add.reduce(a, axis=(-2, -1)) * (1.0 / (a.shape[-2] * a.shape[-1]))


def _n_elements(pred):
    return pred.shape[-2] * pred.shape[-1]


@registry.register("mse", "mean_squared_error")
class MSE(Loss):
    """L = mean((p - t)^2);  dL/dp = 2 (p - t) / N."""

    name = "mse"

    def value(self, pred, target):
        d = pred - target
        return _mean(d * d)

    def grad(self, pred, target):
        return (pred - target) * (2.0 / _n_elements(pred))


@registry.register("mae", "l1", "mean_absolute_error")
class MAE(Loss):
    """L = mean(|p - t|);  dL/dp = sign(p - t) / N (0 where p = t, as PyTorch)."""

    name = "mae"

    def value(self, pred, target):
        return _mean(np.abs(pred - target))

    def grad(self, pred, target):
        return np.sign(pred - target) * (1.0 / _n_elements(pred))


@registry.register("huber", "smooth_l1")
class Huber(Loss):
    """Quadratic near zero, linear far away (PyTorch ``HuberLoss``).

    With d = p - t: L = mean(d^2 / 2 if |d| <= delta else delta (|d| - delta / 2));
    dL/dp = clip(d, -delta, delta) / N.
    """

    name = "huber"

    def __init__(self, delta: float = 1.0):
        self.delta = _validate.positive("delta", delta)

    def value(self, pred, target):
        d = np.abs(pred - target)
        return _mean(np.where(d <= self.delta, 0.5 * d * d, self.delta * (d - 0.5 * self.delta)))

    def grad(self, pred, target):
        return np.clip(pred - target, -self.delta, self.delta) * (1.0 / _n_elements(pred))

    def _options(self):
        return {"delta": self.delta}


@registry.register("bce", "binary_cross_entropy")
class BCE(Loss):
    """Binary cross-entropy on probabilities p in (0, 1), clipped to [eps, 1 - eps].

    L = -mean(t log p + (1 - t) log(1 - p));  dL/dp = (p - t) / (p (1 - p)) / N.
    For logits use ``bce_logits``, which is exact and stable.
    """

    name = "bce"
    outputs = ("sigmoid",)
    takes = "probabilities, so a sigmoid output layer"
    classification = binary = True
    refusals = {"linear": "bce takes probabilities, so a sigmoid output layer, and linear outputs "
                          "are logits: use loss='bce_logits' (the sigmoid fused in), "
                          "or output='sigmoid'",
                **{kind: f"bce takes one probability per output, from a sigmoid output layer: use "
                         f"output='sigmoid', or drop output={kind!r} and use loss='bce_logits'"
                   for kind in ("softmax", "log_softmax")}}

    def __init__(self, eps: float = 1e-7):
        self.eps = _validate.real("eps", eps, low=0.0, high=0.5, low_open=True, high_open=True)

    def value(self, pred, target):
        p = np.clip(pred, self.eps, 1 - self.eps)
        return -_mean(target * np.log(p) + (1 - target) * np.log1p(-p))

    def grad(self, pred, target):
        p = np.clip(pred, self.eps, 1 - self.eps)
        return (p - target) / (p * (1 - p)) * (1.0 / _n_elements(pred))

    def _options(self):
        return {"eps": self.eps}


@registry.register("bce_logits", "binary_cross_entropy_with_logits")
class BCEWithLogits(Loss):
    """Sigmoid fused with binary cross-entropy, on logits z.

    L = mean(max(z, 0) - z t + log(1 + e^-|z|))  (= BCE(sigmoid(z), t), stably);
    dL/dz = (sigmoid(z) - t) / N.
    """

    name = "bce_logits"
    threshold = 0.0
    outputs = ("linear",)
    takes = "logits (a linear output layer) and applies the sigmoid itself"
    classification = binary = True
    refusals = {"sigmoid": "the sigmoid would be applied twice: drop output='sigmoid', "
                           "or use loss='bce' with output='sigmoid'"}

    def value(self, pred, target):
        return _mean(np.maximum(pred, 0) - pred * target + np.log1p(np.exp(-np.abs(pred))))

    def grad(self, pred, target):
        return (_sigmoid(pred) - target) * (1.0 / _n_elements(pred))


def _log_softmax(z):
    z = z - max_last(z)
    return z - np.log(sum_last(np.exp(z)))


def _softmax(z):
    e = np.exp(z - max_last(z))
    return e / sum_last(e)


def _sum_classes_mean_samples(a):
    """sum over classes, mean over samples: one number per replica."""
    return np.add.reduce(a, axis=(-2, -1)) * (1.0 / a.shape[-2])


def class_targets(target: np.ndarray, n_classes: int, dtype) -> np.ndarray:
    """Integer labels ``(..., n)`` -> one-hot ``(..., n, C)``; probability targets pass."""
    if target.dtype.kind in "iu":
        return (target[..., None] == np.arange(n_classes)).astype(dtype)
    return target


#: softmax then a loss that applies the softmax again (cross_entropy, focal): the text is a contract
SOFTMAX_TWICE = ("softmax would be applied twice: drop output='softmax', "
                 "or use loss='nll' with output='log_softmax'")


class _LabelLoss(Loss):
    target_kind = "labels"
    classification = True
    min_outputs = 2


@registry.register("cross_entropy", "categorical_crossentropy", "softmax_cross_entropy")
class SoftmaxCrossEntropy(_LabelLoss):
    """Softmax fused with cross-entropy, on logits z (PyTorch ``CrossEntropyLoss``).

    With q the target distribution (one-hot of the label, or given; with label
    smoothing s: q = (1 - s) q + s / C) and log p = log_softmax(z):

        L = -mean over samples of sum_c q_c log p_c
        dL/dz = (softmax(z) - q) / n_samples

    The fused gradient ``p - q`` is why the network's last layer stays linear.
    """

    name = "cross_entropy"
    # log_softmax(z) = z - logsumexp(z) only shifts the logits: the loss and gradient are unchanged
    outputs = ("linear", "log_softmax")
    takes = "logits (a linear output layer), one per class, and applies the softmax itself"
    refusals = {"softmax": SOFTMAX_TWICE}

    def __init__(self, label_smoothing: float = 0.0):
        self.label_smoothing = _validate.probability("label_smoothing", label_smoothing,
                                                     high_open=False)

    def _q(self, pred, target):
        q = class_targets(target, pred.shape[-1], pred.dtype)
        s = self.label_smoothing
        return q if s == 0.0 else (1 - s) * q + s / pred.shape[-1]

    def value(self, pred, target):
        return -_sum_classes_mean_samples(self._q(pred, target) * _log_softmax(pred))

    def grad(self, pred, target):
        return (_softmax(pred) - self._q(pred, target)) * (1.0 / pred.shape[-2])

    def value_and_grad(self, pred, target):
        q = self._q(pred, target)
        if pred.shape[-1] == 2 and not (pred.ndim == 2 and q.ndim == 2):
            return _two_class_value_and_grad(pred, q)
        z = pred - max_last(pred)
        e = np.exp(z)
        total = sum_last(e)
        n = pred.shape[-2]
        if pred.ndim == 2 and q.ndim == 2:  # one model: two dot products (the training hot path)
            value = (np.log(total).sum() - np.vdot(q, z)) / n
        else:  # L = mean(log sum_c e^z - sum_c q z), per replica
            value = -_sum_classes_mean_samples(q * (z - np.log(total)))
        e /= total
        e -= q
        e *= 1.0 / pred.shape[-2]
        return value, e

    def _options(self):
        return {"label_smoothing": self.label_smoothing}


def _two_class_value_and_grad(pred, q):
    """The replicated two-class path of ``SoftmaxCrossEntropy.value_and_grad``: the same
    operations on the same numbers, laid out class by class. A ``(..., n, 1)`` operand
    broadcast over two classes makes NumPy loop two elements at a time, and an operation
    on one strided column of ``(..., n, 2)`` runs without SIMD (a strided division is 5x a
    contiguous one); here ``z``, ``e^z`` and the softmax are contiguous ``(2, ..., n)``
    arrays, and only the loss terms (summed in the order of the ``(..., n, 2)`` layout)
    and the gradient are written back in it. Every result has the same bits."""
    a0, a1 = pred[..., 0], pred[..., 1]
    m = np.maximum(a0, a1)
    z = np.empty((2, *m.shape), pred.dtype)
    np.subtract(a0, m, out=z[0])
    np.subtract(a1, m, out=z[1])
    e = np.exp(z)
    total = e[0] + e[1]
    log_total = np.log(total)
    t = np.empty_like(pred)
    np.subtract(z[0], log_total, out=t[..., 0])
    np.subtract(z[1], log_total, out=t[..., 1])
    t *= q
    value = -_sum_classes_mean_samples(t)  # L = mean(log sum_c e^z - sum_c q z)
    e /= total
    grad = t  # the loss terms are summed: their array takes the gradient
    np.subtract(e[0], q[..., 0], out=grad[..., 0])
    np.subtract(e[1], q[..., 1], out=grad[..., 1])
    grad *= 1.0 / pred.shape[-2]
    return value, grad


@registry.register("nll", "negative_log_likelihood")
class NLL(_LabelLoss):
    """Negative log-likelihood on log-probabilities (PyTorch ``NLLLoss``; pair it
    with a ``log_softmax`` output).

    L = -mean over samples of sum_c q_c logp_c;  dL/dlogp = -q / n_samples.
    """

    name = "nll"
    outputs = ("log_softmax",)
    takes = "log-probabilities, so a log_softmax output layer"

    def value(self, pred, target):
        q = class_targets(target, pred.shape[-1], pred.dtype)
        return -_sum_classes_mean_samples(q * pred)

    def grad(self, pred, target):
        return class_targets(target, pred.shape[-1], pred.dtype) * (-1.0 / pred.shape[-2])


@registry.register("focal")
class Focal(_LabelLoss):
    """Focal loss on logits (Lin et al. 2017), multi-class through the softmax.

    With p = softmax(z), p_t the probability of the true class and alpha_t its
    weight (1, a number, or one weight per class):

        L = -mean over samples of alpha_t (1 - p_t)^gamma log p_t
        dL/dz = alpha_t [gamma (1 - p_t)^(gamma - 1) p_t log p_t - (1 - p_t)^gamma]
                * (onehot - p) / n_samples

    ``gamma = 0`` and no alpha give the cross-entropy.
    """

    name = "focal"
    outputs = ("linear", "log_softmax")  # as cross_entropy: the softmax is inside
    takes = "logits (a linear output layer), one per class, and applies the softmax itself"
    refusals = {"softmax": SOFTMAX_TWICE}

    def __init__(self, gamma: float = 2.0, alpha=None):
        self.gamma = _validate.nonnegative("gamma", gamma)
        if alpha is not None and not np.isscalar(alpha):
            alpha = [float(a) for a in alpha]
        elif alpha is not None:
            alpha = _validate.positive("alpha", alpha)
        self.alpha = alpha

    def _parts(self, pred, target):
        logp = _log_softmax(pred)
        q = class_targets(target, pred.shape[-1], pred.dtype)
        logpt = sum_last(q * logp)
        pt = np.exp(logpt)
        if self.alpha is None:
            a = 1.0
        elif isinstance(self.alpha, list):
            if len(self.alpha) != pred.shape[-1]:
                raise ValueError(f"alpha lists {len(self.alpha)} class weights but the "
                                 f"prediction has {pred.shape[-1]} classes")
            a = sum_last(q * np.asarray(self.alpha, dtype=pred.dtype))
        else:
            a = self.alpha
        return logp, q, logpt, pt, a

    def value(self, pred, target):
        _, _, logpt, pt, a = self._parts(pred, target)
        return -(a * (1 - pt) ** self.gamma * logpt)[..., 0].mean(axis=-1)

    def grad(self, pred, target):
        logp, q, logpt, pt, a = self._parts(pred, target)
        one_minus = 1 - pt
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(one_minus > 0, one_minus ** (self.gamma - 1), 0.0)
        g = a * (self.gamma * slope * pt * logpt - one_minus**self.gamma)
        return (g * (q - np.exp(logp)) * (1.0 / pred.shape[-2])).astype(pred.dtype, copy=False)

    def _options(self):
        return {"gamma": self.gamma, "alpha": self.alpha}


get = registry.get
names = registry.names
