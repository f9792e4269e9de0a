"""Optimizers: SGD (momentum, Nesterov), RMSprop, Adagrad, Adam, AdamW.

An optimizer sees only ``(param, grad)`` pairs, keeps its state per parameter
(by position in the list it is given at each step) and updates the parameters in
place. Defaults and update rules follow ``torch.optim``, so a lesson written for
PyTorch gives the same numbers.

Each ``step(pairs)`` does, in order:

1. clipping of the raw gradients, by value (``clip_value``: g = clip(g, -v, v)) or
   by global norm (``clip_norm``: g *= min(1, c / (||g|| + 1e-6)), the norm taken
   over all parameters of one replica, as ``torch.nn.utils.clip_grad_norm_`` does
   for one model);
2. weight decay (coupled: g += wd * p; AdamW decouples it: p *= 1 - lr * wd);
3. the rule of the optimizer.

``lr`` is a plain attribute: changing it mid-training keeps the state (moments,
velocities). Parameters are shaped ``(*replicas, a, b)``; every rule is
elementwise, so replicas train independently.

Per-replica options: ``lr``, ``weight_decay`` and SGD's / RMSprop's ``momentum`` may
be one number per replica (a sequence shaped ``(R,)`` for parameters shaped
``(R, a, b)``), broadcast over each replica's parameters; replica ``r`` then steps
exactly as an optimizer given the numbers of replica ``r`` would. A schedule scales
such an ``lr`` as it scales a number.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate
from ._registry import Configurable, Registry


class Optimizer(Configurable):
    """Base class: subclasses implement ``_update(state, p, g)``."""

    name = "optimizer"
    default_lr = 1e-3

    def __init__(self, lr=None, weight_decay=0.0, clip_value=None, clip_norm=None):
        self.lr = self.default_lr if lr is None else lr
        self.weight_decay = _validate.per_replica("weight_decay", weight_decay, _validate.nonnegative)
        self.clip_value = None if clip_value is None else _validate.positive("clip_value", clip_value)
        self.clip_norm = None if clip_norm is None else _validate.positive("clip_norm", clip_norm)
        self.state: list[dict] = []
        self.steps = 0

    @property
    def lr(self) -> float:
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = _validate.per_replica("lr", value, _validate.positive)

    def _rate(self, p):
        """``lr`` ready to multiply ``p`` (a number, or ``(R, 1, 1)`` per replica)."""
        return _validate.broadcast_to_replicas(self._lr, p)

    def step(self, pairs) -> None:
        """Update every ``param`` in place from its ``grad``.

        ``pairs`` is a list of ``(param, grad)``; the same model gives the same
        order each time, which is how state is matched to parameters.
        """
        pairs = list(pairs)
        if not self.state:
            self.state = [{} for _ in pairs]
        elif len(self.state) != len(pairs):
            raise ValueError(
                f"this {type(self).__name__} was used with {len(self.state)} parameters and "
                f"now receives {len(pairs)}; use one optimizer per model (or call reset())"
            )
        grads = [g for _, g in pairs]
        if self.clip_value is not None:
            grads = [np.clip(g, -self.clip_value, self.clip_value) for g in grads]
        if self.clip_norm is not None:
            grads = _clip_by_global_norm(grads, self.clip_norm)
        self.steps += 1
        for state, (p, _), g in zip(self.state, pairs, grads):
            self._update(state, p, g)

    def reset(self) -> None:
        """Forget all state (moments, velocities, step count)."""
        self.state = []
        self.steps = 0

    def _decayed(self, p, g):
        if not _validate.nonzero(self.weight_decay):
            return g
        return g + _validate.broadcast_to_replicas(self.weight_decay, p) * p

    def _update(self, state: dict, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError


    def config(self) -> dict:
        cfg = {"name": self.name, "lr": _config_value(self.lr), **self._options()}
        for key in ("weight_decay", "clip_value", "clip_norm"):
            cfg[key] = _config_value(getattr(self, key))
        return cfg

    def __repr__(self):
        opts = ", ".join(f"{k}={v!r}" for k, v in self.config().items() if k != "name")
        return f"{type(self).__name__}({opts})"


def _config_value(v):
    return v.tolist() if isinstance(v, np.ndarray) else v


def _clip_by_global_norm(grads, max_norm):
    """Scale all gradients of a replica by min(1, max_norm / (norm + 1e-6))."""
    sq = sum((g.astype(np.float64) ** 2).sum(axis=(-2, -1)) for g in grads)
    coef = np.minimum(1.0, max_norm / (np.sqrt(sq) + 1e-6))
    coef = np.asarray(coef)[..., None, None]
    return [g * coef.astype(g.dtype) for g in grads]


def _work(state: dict, p: np.ndarray) -> np.ndarray:
    """A scratch array shaped like ``p``, kept with the parameter's state."""
    t = state.get("_work")
    if t is None:
        t = state["_work"] = np.empty_like(p)
    return t


def _scaled(g: np.ndarray, lr, state: dict) -> np.ndarray:
    """``lr * g`` in the scratch array (``lr`` a number or ``(R, 1, 1)``)."""
    return np.multiply(g, lr, out=_work(state, g))


registry = Registry("optimizer", Optimizer)


@registry.register("sgd")
class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Without momentum: p -= lr g.  With momentum mu (and dampening d):
    v = mu v + (1 - d) g (v = g at the first step); p -= lr (g + mu v) with
    Nesterov, p -= lr v without.
    """

    name = "sgd"
    default_lr = 0.01

    def __init__(self, lr=None, momentum=0.0, nesterov=False, dampening=0.0, **kwargs):
        super().__init__(lr, **kwargs)
        self.momentum = _validate.per_replica(
            "momentum", momentum, lambda n, v: _validate.probability(n, v, high_open=True))
        self.dampening = _validate.probability("dampening", dampening, high_open=False)
        self.nesterov = bool(nesterov)
        if self.nesterov and (not np.all(self.momentum) or self.dampening != 0):
            raise ValueError(
                "nesterov=True needs momentum > 0 and dampening = 0; received "
                f"momentum={self.momentum}, dampening={self.dampening}"
            )

    def _update(self, state, p, g):
        g = self._decayed(p, g)
        if _validate.nonzero(self.momentum):  # per replica, momentum 0 is exactly plain SGD (v = g)
            mu = _validate.broadcast_to_replicas(self.momentum, p)
            v = state.get("velocity")
            if v is None:
                v = state["velocity"] = g.copy()
            else:
                v *= mu
                v += g if self.dampening == 0 else (1 - self.dampening) * g
            g = g + mu * v if self.nesterov else v
        p -= _scaled(g, self._rate(p), state)

    def _options(self):
        return {"momentum": _config_value(self.momentum), "nesterov": self.nesterov,
                "dampening": self.dampening}


@registry.register("momentum")
def _momentum(lr=None, momentum=0.9, **kwargs) -> SGD:
    """SGD with momentum 0.9 (a name for the classic setting)."""
    return SGD(lr, momentum=momentum, **kwargs)


@registry.register("nesterov")
def _nesterov(lr=None, momentum=0.9, **kwargs) -> SGD:
    """SGD with Nesterov momentum 0.9."""
    return SGD(lr, momentum=momentum, nesterov=True, **kwargs)


@registry.register("rmsprop")
class RMSprop(Optimizer):
    """RMSprop: s = alpha s + (1 - alpha) g^2;  p -= lr g / (sqrt(s) + eps).

    ``centered`` subtracts the squared running mean of g inside the root;
    ``momentum`` accumulates b = mu b + g / (sqrt(s) + eps) and steps by b.
    """

    name = "rmsprop"
    default_lr = 0.01

    def __init__(self, lr=None, alpha=0.99, eps=1e-8, momentum=0.0, centered=False, **kwargs):
        super().__init__(lr, **kwargs)
        self.alpha = _validate.probability("alpha", alpha)
        self.eps = _validate.positive("eps", eps)
        self.momentum = _validate.per_replica("momentum", momentum, _validate.probability)
        self.centered = bool(centered)

    def _update(self, state, p, g):
        g = self._decayed(p, g)
        if not state:
            state["square_avg"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
            if _validate.nonzero(self.momentum):
                state["momentum_buffer"] = np.zeros_like(p)
        s = state["square_avg"]
        s *= self.alpha
        s += (1 - self.alpha) * g * g
        if self.centered:
            m = state["grad_avg"]
            m *= self.alpha
            m += (1 - self.alpha) * g
            denom = np.sqrt(s - m * m) + self.eps
        else:
            denom = np.sqrt(s) + self.eps
        lr = self._rate(p)
        if _validate.nonzero(self.momentum):
            b = state["momentum_buffer"]
            b *= _validate.broadcast_to_replicas(self.momentum, p)
            b += g / denom
            p -= lr * b
        else:
            p -= lr * g / denom

    def _options(self):
        return {"alpha": self.alpha, "eps": self.eps, "momentum": _config_value(self.momentum),
                "centered": self.centered}


@registry.register("adagrad")
class Adagrad(Optimizer):
    """Adagrad: s += g^2;  p -= lr_t g / (sqrt(s) + eps), lr_t = lr / (1 + (t - 1) lr_decay)."""

    name = "adagrad"
    default_lr = 0.01

    def __init__(self, lr=None, lr_decay=0.0, eps=1e-10, initial_accumulator_value=0.0, **kwargs):
        super().__init__(lr, **kwargs)
        self.lr_decay = _validate.nonnegative("lr_decay", lr_decay)
        self.eps = _validate.positive("eps", eps)
        self.initial_accumulator_value = _validate.nonnegative(
            "initial_accumulator_value", initial_accumulator_value)

    def _update(self, state, p, g):
        g = self._decayed(p, g)
        s = state.get("sum")
        if s is None:
            s = state["sum"] = np.full_like(p, self.initial_accumulator_value)
        s += g * g
        lr = _validate.broadcast_to_replicas(self.lr / (1 + (self.steps - 1) * self.lr_decay), p)
        p -= lr * g / (np.sqrt(s) + self.eps)

    def _options(self):
        return {"lr_decay": self.lr_decay, "eps": self.eps,
                "initial_accumulator_value": self.initial_accumulator_value}


@registry.register("adam")
class Adam(Optimizer):
    """Adam (Kingma & Ba), as ``torch.optim.Adam``.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
    p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).

    The state keeps ``m_sum = m / (1 - b1)`` and ``v_sum = v / (1 - b2)`` (see
    ``moments``), which saves passes over the parameters.
    """

    name = "adam"
    default_lr = 1e-3
    decoupled = False

    def __init__(self, lr=None, betas=(0.9, 0.999), eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2); received betas={betas!r}")
        self.betas = (_validate.probability("betas[0]", betas[0]),
                      _validate.probability("betas[1]", betas[1]))
        self.eps = _validate.positive("eps", eps)

    def _update(self, state, p, g):
        if self.decoupled:
            if _validate.nonzero(self.weight_decay):
                p *= _validate.broadcast_to_replicas(1 - self.lr * self.weight_decay, p)
        else:
            g = self._decayed(p, g)
        b1, b2 = self.betas
        if not state:
            state["m_sum"], state["v_sum"] = np.zeros_like(p), np.zeros_like(p)
        m, v = state["m_sum"], state["v_sum"]
        t = _work(state, p)
        # In place and with the constant factors folded into scalars, 10 passes over
        # the parameters per step: on MNIST-sized networks the update costs as much
        # as the matrix products. With M = m / (1 - b1) and V = v / (1 - b2):
        #   M = b1 M + g,   V = b2 V + g^2,
        #   p -= k M / (sqrt(V) + eps / c),  c = sqrt((1 - b2) / (1 - b2^t)),
        #   k = lr (1 - b1) / ((1 - b1^t) c)
        # which is the Adam step above.
        m *= b1
        m += g
        np.multiply(g, g, out=t)
        v *= b2
        v += t
        step = self.steps
        c = math.sqrt((1 - b2) / (1 - b2**step))
        np.sqrt(v, out=t)
        t += self.eps / c
        np.divide(m, t, out=t)
        t *= _validate.broadcast_to_replicas(self.lr * (1 - b1) / ((1 - b1**step) * c), t)
        p -= t

    def moments(self, index: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The first and second moment estimates ``(m, v)`` of parameter ``index``."""
        state = self.state[index]
        return (1 - self.betas[0]) * state["m_sum"], (1 - self.betas[1]) * state["v_sum"]

    def _options(self):
        return {"betas": list(self.betas), "eps": self.eps}


@registry.register("adamw")
class AdamW(Adam):
    """Adam with decoupled weight decay (default 0.01, as ``torch.optim.AdamW``):
    p *= 1 - lr wd, then the Adam step on the undecayed gradient."""

    name = "adamw"
    decoupled = True

    def __init__(self, lr=None, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, **kwargs):
        super().__init__(lr, betas=betas, eps=eps, weight_decay=weight_decay, **kwargs)


get = registry.get
names = registry.names
