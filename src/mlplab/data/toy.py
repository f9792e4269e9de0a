"""Small synthetic datasets from the lessons, all seeded.

Every generator takes ``seed`` (an int or a ``numpy.random.Generator``) and
returns ``X`` as float32 ``(n_samples, n_features)`` and ``y`` as int64 class labels
``(n_samples,)`` (float32 targets for the regression line).

``disc_ring``, ``moons``, ``circles``, ``spirals`` and ``moons_circles`` also take
``rng="legacy"``: the draws the lessons' own code makes, with an integer ``seed``.
``disc_ring`` then draws from ``np.random.RandomState(seed)`` in lesson A's order
(angles of class 0, radii of class 0, angles of class 1, radii of class 1), which is
what ``np.random.seed(seed)`` followed by ``np.random.uniform`` gives; ``moons`` and
``circles`` are scikit-learn's ``make_moons`` / ``make_circles`` with
``random_state=seed`` (lesson D); ``spirals`` and ``moons_circles`` are lesson E's.
"""

from __future__ import annotations

import numpy as np

from ..nn import _validate
from ..nn._registry import Registry

registry = Registry("dataset")


def _finish(X, y, rng=None, shuffle=False):
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y)
    if shuffle:
        order = rng.permutation(len(X))
        X, y = X[order], y[order]
    return X, y


#: the random streams a generator may draw from
RNGS = ("numpy", "legacy")


def _legacy_seed(rng, seed):
    """The integer seed of a ``rng="legacy"`` draw, or None for the usual generator."""
    if rng not in RNGS:
        raise ValueError(f"rng must be one of {', '.join(RNGS)}; received rng={rng!r}")
    if rng == "numpy":
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise TypeError(f"rng='legacy' draws as np.random.seed(seed) does: seed must be an integer "
                        f"from 0 to 2**32 - 1; received seed={seed!r}")
    return int(seed)


def _two_class_counts(n_samples):
    n_samples = _validate.positive_int("n_samples", n_samples)
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2 (one per class); received n_samples={n_samples}")
    return n_samples // 2, n_samples - n_samples // 2  # as scikit-learn splits them


_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}


@registry.register("logic_gate", "gate")
def logic_gate(gate: str = "xor"):
    """The four rows of a two-input truth table: ``X = [[0,0],[0,1],[1,0],[1,1]]``.

    ``gate`` is one of ``and``, ``or``, ``nand``, ``nor``, ``xor``.

    >>> X, y = logic_gate("xor"); y.tolist()
    [0, 1, 1, 0]
    """
    if not isinstance(gate, str) or gate.lower() not in _GATES:
        raise ValueError(f"gate must be one of {', '.join(_GATES)}; received gate={gate!r}")
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return _finish(X, np.array(_GATES[gate.lower()], dtype=np.int64))


for _gate in _GATES:
    registry.register(_gate)(lambda gate=_gate: logic_gate(gate))


@registry.register("blobs", "gaussians")
def blobs(n_samples: int = 200, n_classes: int = 2, std: float = 1.0, radius: float = 2.83,
          seed=None):
    """Gaussian blobs, one per class, centred on a circle of ``radius``.

    Class ``k``'s centre is at angle ``pi/4 + 2 pi k / n_classes``: for two classes
    (2, 2) and (-2, -2), as TensorFlow Playground's "two Gaussians". Points are
    ``centre + std * N(0, I)``.
    """
    n_samples = _validate.positive_int("n_samples", n_samples)
    n_classes = _validate.positive_int("n_classes", n_classes)
    std = _validate.nonnegative("std", std)
    radius = _validate.nonnegative("radius", radius)
    rng = _validate.rng(_validate.seed("seed", seed))
    y = np.arange(n_samples) % n_classes
    angle = np.pi / 4 + 2 * np.pi * y / n_classes
    centres = radius * np.column_stack([np.cos(angle), np.sin(angle)])
    X = centres + std * rng.standard_normal((n_samples, 2))
    return _finish(X, y.astype(np.int64), rng, shuffle=True)


@registry.register("disc_ring", "circle", "disc_and_ring")
def disc_ring(n_samples: int = 300, inner_radius: float = 0.5, ring=(0.7, 1.0), seed=None,
              rng: str = "numpy"):
    """Class 0 in a disc, class 1 in a ring around it (lesson A's circle data).

    Angles are uniform in [0, 2 pi); radii are uniform in [0, inner_radius] for
    class 0 and in ``ring = (r_min, r_max)`` for class 1 (uniform in the radius, not
    in area, so the disc is denser at its centre). The first half of the rows is
    class 0, the second half class 1 (150 + 150 by default). ``rng="legacy"`` draws
    lesson A's points for ``np.random.seed(seed)`` (see the module docstring).
    """
    n0, n1 = _two_class_counts(n_samples)
    inner_radius = _validate.positive("inner_radius", inner_radius)
    r_min, r_max = (_validate.nonnegative("ring[0]", ring[0]), _validate.positive("ring[1]", ring[1]))
    if not inner_radius <= r_min < r_max:
        raise ValueError("ring must be (r_min, r_max) with inner_radius <= r_min < r_max; "
                         f"received inner_radius={inner_radius}, ring={tuple(ring)}")
    legacy = _legacy_seed(rng, seed)
    draw = (np.random.RandomState(legacy) if legacy is not None
            else _validate.rng(_validate.seed("seed", seed)))

    def polar(n, lo, hi):
        theta = draw.uniform(0, 2 * np.pi, n)
        r = draw.uniform(lo, hi, n)
        return np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    X = np.vstack([polar(n0, 0.0, inner_radius), polar(n1, r_min, r_max)])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n1])
    return _finish(X, y)


@registry.register("moons")
def moons(n_samples: int = 200, noise: float | None = None, seed=None, shuffle: bool = True,
          rng: str = "numpy"):
    """Two interleaving half circles (as ``sklearn.datasets.make_moons``).

    Class 0 lies on the upper half of the unit circle, class 1 on the lower half of
    a unit circle centred at (1, 0.5); ``noise`` is the standard deviation of the
    Gaussian noise added to every coordinate. ``rng="legacy"``: scikit-learn's
    ``make_moons(..., random_state=seed)`` itself (lesson D's data).
    """
    n0, n1 = _two_class_counts(n_samples)
    legacy = _legacy_seed(rng, seed)
    if legacy is not None:
        from sklearn.datasets import make_moons

        noise = None if noise is None else _validate.nonnegative("noise", noise)
        return _finish(*make_moons(n_samples, shuffle=shuffle, noise=noise, random_state=legacy))
    rng = _validate.rng(_validate.seed("seed", seed))
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n1)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n1])
    if noise:
        X = X + _validate.nonnegative("noise", noise) * rng.standard_normal(X.shape)
    return _finish(X, y, rng, shuffle)


@registry.register("circles")
def circles(n_samples: int = 200, noise: float | None = None, factor: float = 0.8, seed=None,
            shuffle: bool = True, rng: str = "numpy"):
    """A large circle (class 0) around a smaller one (class 1) (as ``make_circles``).

    The outer circle has radius 1 and the inner ``factor`` (0 < factor < 1); points
    are evenly spaced in angle, then Gaussian ``noise`` is added.
    """
    n0, n1 = _two_class_counts(n_samples)
    factor = _validate.real("factor", factor, low=0.0, high=1.0, low_open=True, high_open=True)
    legacy = _legacy_seed(rng, seed)
    if legacy is not None:
        from sklearn.datasets import make_circles

        noise = None if noise is None else _validate.nonnegative("noise", noise)
        return _finish(*make_circles(n_samples, shuffle=shuffle, noise=noise, random_state=legacy,
                                     factor=factor))
    rng = _validate.rng(_validate.seed("seed", seed))
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n1, endpoint=False)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   factor * np.column_stack([np.cos(t1), np.sin(t1)])])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n1])
    if noise:
        X = X + _validate.nonnegative("noise", noise) * rng.standard_normal(X.shape)
    return _finish(X, y, rng, shuffle)


@registry.register("spirals", "spiral")
def spirals(n_samples: int = 1000, n_classes: int = 3, noise: float = 0.2, turns: float = 2.0,
            seed=None, rng: str = "numpy"):
    """Interleaved spiral arms, one per class (lesson E).

    Arm ``k`` has ``n_samples // n_classes`` points at radius r = linspace(0, 1) and
    angle ``turns * 2 pi * r + 2 pi k / n_classes``, plus Gaussian ``noise``.
    ``rng="legacy"`` draws the noise from ``np.random.RandomState(seed)`` in lesson
    E's order (arm by arm: the x noise of its points, then their y noise).
    """
    n_samples = _validate.positive_int("n_samples", n_samples)
    n_classes = _validate.positive_int("n_classes", n_classes)
    noise = _validate.nonnegative("noise", noise)
    turns = _validate.positive("turns", turns)
    per = n_samples // n_classes
    if per < 1:
        raise ValueError(f"n_samples must be at least n_classes; received n_samples={n_samples}, "
                         f"n_classes={n_classes}")
    legacy = _legacy_seed(rng, seed)
    r = np.tile(np.linspace(0, 1, per), n_classes)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), per)
    theta = turns * 2 * np.pi * r + 2 * np.pi * y / n_classes
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    if legacy is not None:
        draw = np.random.RandomState(legacy)
        # (class, coordinate, point): per arm all x noise first, then all y noise
        X = X + noise * draw.standard_normal((n_classes, 2, per)).transpose(0, 2, 1).reshape(-1, 2)
    else:
        X = X + noise * _validate.rng(_validate.seed("seed", seed)).standard_normal(X.shape)
    return _finish(X, y)


@registry.register("moons_circles", "moons_and_circles")
def moons_circles(n_samples: int = 1000, moon_noise: float = 0.15, circle_noise: float = 0.1,
                  factor: float = 0.5, standardize: bool = True, seed=None, rng: str = "numpy"):
    """Lesson E's 4-class mix: moons (classes 0, 1) beside circles (classes 2, 3).

    Half the points are ``moons(noise=moon_noise)``; the other half
    ``circles(noise=circle_noise, factor=factor) * 2 + 2`` (shifted away); the
    features are then standardised to zero mean and unit variance.
    ``rng="legacy"``: scikit-learn's ``make_moons`` and ``make_circles``, both with
    ``random_state=seed``, in float64 as lesson E's own code makes them.
    """
    n_samples = _validate.positive_int("n_samples", n_samples)
    if n_samples < 4:
        raise ValueError(f"n_samples must be at least 4 (one per class); received n_samples={n_samples}")
    legacy = _legacy_seed(rng, seed)
    if legacy is not None:
        from sklearn.datasets import make_circles, make_moons

        Xm, ym = make_moons(n_samples - n_samples // 2, noise=moon_noise, random_state=legacy)
        Xc, yc = make_circles(n_samples // 2, noise=circle_noise, factor=factor, random_state=legacy)
    else:
        draw = _validate.rng(_validate.seed("seed", seed))
        Xm, ym = moons(n_samples - n_samples // 2, noise=moon_noise, seed=draw)
        Xc, yc = circles(n_samples // 2, noise=circle_noise, factor=factor, seed=draw)
    X = np.vstack([Xm, Xc.astype(np.float64) * 2 + 2])
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    return _finish(X, np.concatenate([ym, yc + 2]))


@registry.register("line", "regression_line")
def line(n_samples: int = 10, slope: float = 2.0, intercept: float = 1.0, noise: float = 2.0,
         outlier: bool = False, seed=None, rng: str = "numpy"):
    """Lesson C's regression data: y = slope x + intercept + N(0, noise^2).

    ``x`` is evenly spaced on [1, 10] (the integers 1..10 by default). With
    ``outlier=True`` one extra point (8, 50) is appended. Returns ``X (n, 1)`` and
    float32 targets ``y (n,)``. ``rng="legacy"`` draws the noise as
    ``np.random.seed(seed); np.random.normal(0, noise, n_samples)`` does, so
    ``line(outlier=True, seed=42, rng="legacy")`` is lesson C's MSE-vs-MAE data, point
    for point.

    >>> X, y = line(outlier=True, seed=42, rng="legacy")
    >>> X.shape, round(float(y[0]), 3), float(y[-1])
    ((11, 1), 3.993, 50.0)
    """
    n_samples = _validate.positive_int("n_samples", n_samples)
    slope = _validate.real("slope", slope)
    intercept = _validate.real("intercept", intercept)
    noise = _validate.nonnegative("noise", noise)
    legacy = _legacy_seed(rng, seed)
    x = np.linspace(1, 10, n_samples)
    if legacy is not None:  # the legacy stream's Gaussian, as np.random.normal draws it
        eps = np.random.RandomState(legacy).normal(0.0, noise, n_samples)
    else:
        eps = noise * _validate.rng(_validate.seed("seed", seed)).standard_normal(n_samples)
    y = slope * x + intercept + eps
    if outlier:
        x, y = np.append(x, 8.0), np.append(y, 50.0)
    return x[:, None].astype(np.float32), y.astype(np.float32)


def get(name: str, **kwargs):
    """Generate a dataset by name: ``get("moons", n_samples=500, noise=0.1, seed=0)``."""
    return registry.factory(name)(**kwargs)


def names() -> list[str]:
    return registry.names()


# ----------------------------------------------------------------- lesson C's own draws
def _lesson_stream(seed):
    """``np.random.RandomState(seed)``: the stream ``np.random.seed(seed)`` starts."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise TypeError(f"seed must be an integer from 0 to 2**32 - 1 (the lesson's "
                        f"np.random.seed(seed)); received seed={seed!r}")
    return np.random.RandomState(int(seed))


def lesson_c_outliers(seed: int = 42):
    """Lesson C's loss figure data, drawn as its code draws them: ``x = 1, ..., 10``,
    ``y = 2 x + 1 + N(0, 2^2)`` with ``np.random.seed(seed)`` then one
    ``np.random.normal(0, 2, 10)``, and the outlier (8, 50) appended.

    Returns ``X (11, 1)`` and ``y (11,)``, float64 (so that a least-squares line on
    them equals the lesson's ``np.polyfit``: slope 2.815, intercept 0.150 for seed 42).
    The same points as ``line(outlier=True, seed=seed, rng="legacy")``, which gives them
    in float32 as every catalogue dataset (a test holds the two together).
    """
    draw = _lesson_stream(seed)
    x = np.arange(1, 11, dtype=np.float64)
    y = 2 * x + 1 + draw.normal(0, 2, 10)
    return np.append(x, 8.0)[:, None], np.append(y, 50.0)


def lesson_c_line(n_samples: int = 100, hidden: int | None = None, seed: int = 42):
    """Lesson C's training-loop data, drawn as its code draws them: after
    ``np.random.seed(seed)``, ``x = 10 U[0, 1)`` ``(n, 1)`` then ``noise = 2 N(0, 1)``
    ``(n, 1)``, and ``y = 2 x + 1 + noise``. Returns raw ``X (n, 1)`` and ``y (n, 1)``,
    float64 (the lesson standardises X before training).

    With ``hidden=h`` also returns the lesson's initial weights of a ``1-h-1`` network,
    the next draws of the same stream: ``W1 = N(0, 1) (1, h) * sqrt(2 / (1 + h))``,
    ``W2 = N(0, 1) (h, 1) * sqrt(2 / (h + 1))``, zero biases, as a dict for
    :func:`mlplab.explain.set_weights` (``{"W1", "b1", "W2", "b2"}``).
    """
    n_samples = _validate.positive_int("n_samples", n_samples)
    draw = _lesson_stream(seed)
    X = draw.rand(n_samples, 1) * 10
    y = 2 * X + 1 + draw.randn(n_samples, 1) * 2
    if hidden is None:
        return X, y
    hidden = _validate.positive_int("hidden", hidden)
    scale = np.sqrt(2 / (1 + hidden))
    weights = {"W1": draw.randn(1, hidden) * scale, "b1": np.zeros(hidden),
               "W2": draw.randn(hidden, 1) * scale, "b2": np.zeros(1)}
    return X, y, weights
