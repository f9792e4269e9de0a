"""Weight initializers.

An initializer draws a Dense weight of shape ``(fan_in, fan_out)`` and its bias of
shape ``(1, fan_out)`` from a ``numpy.random.Generator``. Draws are made in float64
and then cast, so a float32 and a float64 model built from the same seed hold the
same numbers up to rounding. The weight is always drawn before the bias.

| name             | weight                                   | bias                 |
|------------------|------------------------------------------|----------------------|
| zeros            | 0                                        | 0                    |
| normal(std)      | N(0, std^2)                              | 0                    |
| uniform(limit)   | U(-limit, limit)                         | 0                    |
| xavier_normal    | N(0, 2 / (fan_in + fan_out))             | 0                    |
| xavier_uniform   | U(+-sqrt(6 / (fan_in + fan_out)))        | 0                    |
| he_normal        | N(0, 2 / fan_in)                         | 0                    |
| he_uniform       | U(+-sqrt(6 / fan_in))                    | 0                    |
| lecun_normal     | N(0, 1 / fan_in)                         | 0                    |
| lecun_uniform    | U(+-sqrt(3 / fan_in))                    | 0                    |
| torch            | U(+-1 / sqrt(fan_in))                    | U(+-1 / sqrt(fan_in))|

``torch`` is what ``torch.nn.Linear`` does by default (Kaiming-uniform with
``a = sqrt(5)``, which works out to the bound ``1 / sqrt(fan_in)``). Given a
:class:`~mlplab.nn.torch_draws.TorchGenerator` instead of a NumPy generator (what
``mlp(..., init="torch", rng="torch")`` does), it makes PyTorch's own draws, bit for bit. The normal
initializers are plain (untruncated) normals, as in ``torch.nn.init``.

>>> import numpy as np
>>> w = get("he_normal")((784, 128), np.random.default_rng(0), "float32")
>>> w.shape, w.dtype
((784, 128), dtype('float32'))
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate
from ._registry import Configurable, Registry
from .torch_draws import TorchGenerator


class Initializer(Configurable):
    """Base class: subclasses define ``weight_scale`` or override ``draw``."""

    #: "normal" or "uniform"
    kind = "normal"

    def scale(self, fan_in: int, fan_out: int) -> float:
        """Standard deviation (normal) or limit (uniform) for this layer."""
        raise NotImplementedError

    def _draw(self, shape, scale, rng):
        if self.kind == "normal":
            return rng.standard_normal(shape) * scale
        return rng.uniform(-scale, scale, size=shape)

    def __call__(self, shape, rng: np.random.Generator, dtype="float32") -> np.ndarray:
        fan_in, fan_out = shape
        return self._draw(shape, self.scale(fan_in, fan_out), rng).astype(dtype)

    def bias(self, fan_in: int, fan_out: int, rng: np.random.Generator, dtype="float32"):
        """Bias of shape ``(1, fan_out)``; zeros unless the scheme says otherwise."""
        return np.zeros((1, fan_out), dtype=dtype)


registry = Registry("initializer", Initializer)


@registry.register("zeros", "zero")
class Zeros(Initializer):
    name = "zeros"

    def __call__(self, shape, rng, dtype="float32"):
        return np.zeros(shape, dtype=dtype)


@registry.register("normal", "random_normal")
class Normal(Initializer):
    name = "normal"

    def __init__(self, std: float = 0.05):
        self.std = _validate.positive("std", std)

    def scale(self, fan_in, fan_out):
        return self.std

    def _options(self):
        return {"std": self.std}


@registry.register("uniform", "random_uniform")
class Uniform(Initializer):
    name = "uniform"
    kind = "uniform"

    def __init__(self, limit: float = 0.05):
        self.limit = _validate.positive("limit", limit)

    def scale(self, fan_in, fan_out):
        return self.limit

    def _options(self):
        return {"limit": self.limit}


def _fan_rule(name, kind, rule, doc):
    """Make an initializer class whose scale is ``rule(fan_in, fan_out)``."""
    cls = type(
        "".join(part.title() for part in name.split("_")),
        (Initializer,),
        {"name": name, "kind": kind, "scale": lambda self, i, o: rule(i, o), "__doc__": doc},
    )
    return cls


XavierNormal = registry.register("xavier_normal", "glorot_normal")(
    _fan_rule("xavier_normal", "normal", lambda i, o: math.sqrt(2.0 / (i + o)),
              "Glorot/Xavier normal: std = sqrt(2 / (fan_in + fan_out)).")
)
XavierUniform = registry.register("xavier_uniform", "glorot_uniform")(
    _fan_rule("xavier_uniform", "uniform", lambda i, o: math.sqrt(6.0 / (i + o)),
              "Glorot/Xavier uniform: limit = sqrt(6 / (fan_in + fan_out)).")
)
HeNormal = registry.register("he_normal", "kaiming_normal")(
    _fan_rule("he_normal", "normal", lambda i, o: math.sqrt(2.0 / i),
              "He/Kaiming normal (for ReLU): std = sqrt(2 / fan_in).")
)
HeUniform = registry.register("he_uniform", "kaiming_uniform")(
    _fan_rule("he_uniform", "uniform", lambda i, o: math.sqrt(6.0 / i),
              "He/Kaiming uniform (for ReLU): limit = sqrt(6 / fan_in).")
)
LecunNormal = registry.register("lecun_normal")(
    _fan_rule("lecun_normal", "normal", lambda i, o: math.sqrt(1.0 / i),
              "LeCun normal (for SELU): std = sqrt(1 / fan_in).")
)
LecunUniform = registry.register("lecun_uniform")(
    _fan_rule("lecun_uniform", "uniform", lambda i, o: math.sqrt(3.0 / i),
              "LeCun uniform: limit = sqrt(3 / fan_in).")
)


@registry.register("torch", "pytorch")
class Torch(Initializer):
    """``torch.nn.Linear``'s default: weight and bias uniform in +-1/sqrt(fan_in)."""

    name = "torch"
    kind = "uniform"

    def scale(self, fan_in, fan_out):
        return 1.0 / math.sqrt(fan_in)

    def __call__(self, shape, rng, dtype="float32"):
        if isinstance(rng, TorchGenerator):  # PyTorch's own draws: (out, in), transposed
            return rng.linear(*shape, dtype, bias=False)[0].T.copy()
        return super().__call__(shape, rng, dtype)

    def bias(self, fan_in, fan_out, rng, dtype="float32"):
        if isinstance(rng, TorchGenerator):
            bound = 1 / math.sqrt(fan_in)
            return rng.uniform((1, fan_out), -bound, bound, dtype)
        return self._draw((1, fan_out), 1.0 / math.sqrt(fan_in), rng).astype(dtype)


get = registry.get
names = registry.names
