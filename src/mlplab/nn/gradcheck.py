"""Central finite-difference gradient checks, in float64.

``gradcheck(obj, x, target=None)`` compares the analytic gradients of a layer, a
network or a loss with central differences

    dL/dtheta_i ~ (L(theta_i + h) - L(theta_i - h)) / (2 h)

for the input and every parameter. For layers and networks the scalar checked is
``L = sum(forward(x) * R)`` with a fixed random ``R`` (so every output matters and
``dL/dy = R``); for a loss it is the sum over replicas of ``loss.value(pred,
target)`` with respect to ``pred``. Random layers (dropout) replay the same mask
for every evaluation. The object is copied and cast to float64; the original is
not touched.

The error reported for each array is ``max |a - n| / max(max |a|, max |n|, tiny)``.

>>> import numpy as np
>>> from mlplab.nn import mlp
>>> result = gradcheck(mlp([3, 4, 2], activation="tanh", seed=0), np.random.rand(5, 3))
>>> result.ok
True
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from . import _validate
from .layer import Layer
from .losses import Loss


@dataclass
class GradcheckResult:
    """Relative error per checked array (``"x"``, ``"0.W"``, ...) against ``tol``."""

    errors: dict
    tol: float

    @property
    def worst(self) -> float:
        return max(self.errors.values()) if self.errors else 0.0

    @property
    def ok(self) -> bool:
        return self.worst < self.tol

    def __bool__(self):
        return self.ok

    def __repr__(self):
        rows = ", ".join(f"{k}: {v:.2e}" for k, v in self.errors.items())
        return f"GradcheckResult(ok={self.ok}, worst={self.worst:.2e}, tol={self.tol:g}; {rows})"


def _relative_error(a, n):
    scale = max(np.abs(a).max(initial=0.0), np.abs(n).max(initial=0.0), 1e-12)
    return float(np.abs(a - n).max(initial=0.0) / scale)


def _numeric(f, arr, h):
    """Central differences of scalar ``f()`` with respect to ``arr`` (perturbed in place)."""
    grad = np.zeros(arr.shape)
    for i in np.ndindex(arr.shape):  # indexing arr itself: it may be a strided view
        old = arr[i]
        arr[i] = old + h
        up = f()
        arr[i] = old - h
        down = f()
        arr[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def _layers_of(obj):
    return obj.layers if hasattr(obj, "layers") else [obj]


def _to_float64(obj):
    obj = copy.deepcopy(obj)
    if hasattr(obj, "astype"):
        return obj.astype(np.float64)
    for layer in _layers_of(obj):
        for d in (layer.params, layer.state):
            for k in d:
                d[k] = d[k].astype(np.float64)
        if hasattr(layer, "dtype"):
            layer.dtype = np.dtype(np.float64)
    return obj


def gradcheck(obj, x, target=None, *, training=True, h=1e-6, tol=1e-6, seed=0) -> GradcheckResult:
    """Check ``obj``'s analytic gradients against central differences.

    Parameters
    ----------
    obj : Layer, Sequential or Loss
    x : array ``(..., n, f)``
        Input of the layer/network, or the prediction for a loss.
    target : array, optional
        The target, for a loss.
    training : bool
        Mode of the forward pass (batch norm and dropout differ).
    h : float > 0
        Step of the central differences.
    tol : float > 0
        Largest relative error that passes.

    Raises
    ------
    TypeError, ValueError
        For an ``obj`` that is none of these, a non-positive ``h`` or ``tol``, an ``x``
        that is not a finite real array of the right width, or a loss ``target`` missing
        or shaped unlike ``x``.
    """
    h = _validate.positive("h", h)
    tol = _validate.positive("tol", tol)
    if not (isinstance(obj, (Layer, Loss)) or hasattr(obj, "layers")):
        raise TypeError(f"obj must be a Layer, a Sequential or a Loss (gradcheck checks the "
                        f"gradients these compute); received {type(obj).__name__}")
    x = np.array(_validate.finite_array("x", x, min_ndim=2), dtype=np.float64)
    if isinstance(obj, Loss):
        if target is None:
            raise TypeError(f"target is needed to check loss {obj.name!r}: gradcheck(loss, pred, "
                            f"target); received target=None")
        target = _validate.finite_array("target", target, min_ndim=1)
        if target.shape not in (x.shape, x.shape[:-1]):
            raise ValueError(f"target must be shaped like pred {x.shape} (targets) or "
                             f"{x.shape[:-1]} (labels); received shape {target.shape}")
        def f():
            return float(np.sum(obj.value(x, target)))

        analytic = obj.grad(x, target)
        return GradcheckResult({"pred": _relative_error(analytic, _numeric(f, x, h))}, tol)

    width = next((getattr(obj, a) for a in ("n_inputs", "fan_in", "n_features") if hasattr(obj, a)), None)
    if width is not None:
        _validate.input_shape("x", x.shape, width, getattr(obj, "replicas", None))
    obj = _to_float64(obj)
    layers = _layers_of(obj)
    rng_states = [(rng, copy.deepcopy(rng.bit_generator.state))
                  for layer in layers for rng in getattr(layer, "rngs", ())]
    stats = [(layer, {k: v.copy() for k, v in layer.state.items()}) for layer in layers]

    def forward():
        for rng, state in rng_states:  # replay the same dropout masks
            rng.bit_generator.state = copy.deepcopy(state)
        for layer, saved in stats:  # running statistics must not drift between calls
            layer.state.update({k: v.copy() for k, v in saved.items()})
        return obj.forward(x, training)

    R = np.random.default_rng(seed).standard_normal(forward().shape)

    def f():
        return float(np.sum(forward() * R))

    forward()
    dx = obj.backward(R)
    errors = {"x": _relative_error(dx, _numeric(f, x, h))}
    if hasattr(obj, "named_parameters"):
        named = [(name, p, g) for name, p, g in obj.named_parameters()]
    else:
        named = [(k, p, obj.grads.get(k)) for k, p in obj.params.items()]
    named = [(name, p, g.copy()) for name, p, g in named]
    for name, p, g in named:
        errors[name] = _relative_error(g, _numeric(f, p, h))
    return GradcheckResult(errors, tol)
