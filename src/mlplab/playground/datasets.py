"""The playground's 2-D datasets, all inside the square [-6, 6]^2.

``make(name, n_samples, noise, seed)`` returns ``(X, y, task)``: float32 points,
int64 labels (or float32 targets in [-1, 1] for regression) and ``"classification"``
or ``"regression"``. ``noise`` runs from 0 to 0.5, as TensorFlow Playground's
0-50% slider.

Points are drawn to fill the view; :data:`INPUT_SCALE` says by how much a dataset was
enlarged for that, and the network sees the points divided by it, at the scale its
lesson uses (lesson A's disc and ring has radius 1: drawn x5, the network sees x / 5,
as a network trained on ``mlplab.data.disc_ring`` does).
"""

from __future__ import annotations

import numpy as np

from ..data import toy
from ..data.preprocessing import Scaler
from ..data.tables import load_iris

DOMAIN = 6.0


def _circle(n, noise, rng):
    X, y = toy.disc_ring(n, seed=rng)
    return X * 5 + rng.normal(0, noise * 2, X.shape), y


def _table(labels):
    # lesson B's truth tables: the 4 points (0, 0), (0, 1), (1, 0), (1, 1), drawn x5
    def make(n, noise, rng):
        X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
        return X * 5 + rng.normal(0, noise, X.shape), np.array(labels, dtype=np.int64)
    return make


def _xor(n, noise, rng):
    X = rng.uniform(-5, 5, (n, 2))
    X += np.sign(X) * 0.3  # keep points off the axes, as TF Playground
    y = (X[:, 0] * X[:, 1] >= 0).astype(np.int64)
    return X + rng.normal(0, noise * 2, X.shape), y


def _gauss(n, noise, rng):
    return toy.blobs(n, n_classes=2, std=0.5 + 3 * noise, radius=2.83, seed=rng)


def _spiral(n, noise, rng):
    # two arms, as TF Playground: radius grows with the angle
    half = n // 2
    out, labels = [], []
    for k, delta in enumerate((0.0, np.pi)):
        t = np.linspace(0, 1, half if k == 0 else n - half)
        r = 5 * t
        angle = 1.75 * t * 2 * np.pi + delta
        pts = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
        out.append(pts + rng.normal(0, noise * 2, pts.shape))
        labels.append(np.full(len(t), k))
    return np.vstack(out), np.concatenate(labels).astype(np.int64)


def _moons(n, noise, rng):
    X, y = toy.moons(n, noise=0.05 + noise, seed=rng)
    return (X - [0.5, 0.25]) * 3, y


def _spirals3(n, noise, rng):
    X, y = toy.spirals(n, n_classes=3, noise=0.02 + noise / 2, turns=1.0, seed=rng)
    return X * 5, y


def _blobs(k):
    def make(n, noise, rng):
        return toy.blobs(n, n_classes=k, std=0.6 + 2 * noise, radius=3.5, seed=rng)
    return make


def _moons_circles(n, noise, rng):
    X, y = toy.moons_circles(n, moon_noise=0.05 + noise, circle_noise=0.05 + noise / 2, seed=rng)
    return X * 2.2, y


def _iris(n, noise, rng):
    X, y, _, _ = load_iris()
    Z = Scaler("zscore").fit_transform(X)
    _, _, vt = np.linalg.svd(Z - Z.mean(axis=0), full_matrices=False)
    P = (Z @ vt[:2].T) * 1.8
    return P + rng.normal(0, noise, P.shape), y


def _reg_plane(n, noise, rng):
    X = rng.uniform(-5, 5, (n, 2))
    y = (X[:, 0] + X[:, 1]) / 10 + rng.normal(0, noise, n)
    return X, np.clip(y, -1, 1)


def _reg_line(n, noise, rng):
    # lesson C's line y = 2x + 1 + noise on x in [1, 10], drawn as points (x, y) across the
    # view: x -> (x - 5.5) * 10 / 9 in [-5, 5], y -> (y - 12) / 2.4; the target is that
    # height / DOMAIN (in [-1, 1], as every playground regression target), and the network
    # sees x only (ONE_D), so its output over x is the fitted curve
    x = np.linspace(1, 10, n)
    y = 2 * x + 1 + rng.normal(0, 1 + 8 * noise, n)
    X = np.column_stack([(x - 5.5) * 10 / 9, np.clip((y - 12) / 2.4, -DOMAIN, DOMAIN)])
    return X, X[:, 1] / DOMAIN


def _reg_gauss(n, noise, rng):
    X = rng.uniform(-5, 5, (n, 2))
    centres = [(-3, 2.5, 1.0), (0, 2.5, -1.0), (3, 2.5, 1.0), (-3, -2.5, -1.0), (0, -2.5, 1.0),
               (3, -2.5, -1.0)]
    y = np.zeros(n)
    for cx, cy, sign in centres:
        y += sign * np.exp(-((X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2) / 2)
    return X, np.clip(y + rng.normal(0, noise, n), -1, 1)


#: name -> (generator, task, number of classes)
DATASETS = {
    "circle": (_circle, "classification", 2),
    "xor": (_xor, "classification", 2),
    "xor_table": (_table([0, 1, 1, 0]), "classification", 2),
    "and_table": (_table([0, 0, 0, 1]), "classification", 2),
    "or_table": (_table([0, 1, 1, 1]), "classification", 2),
    "gauss": (_gauss, "classification", 2),
    "spiral": (_spiral, "classification", 2),
    "moons": (_moons, "classification", 2),
    "spirals3": (_spirals3, "classification", 3),
    "blobs3": (_blobs(3), "classification", 3),
    "blobs4": (_blobs(4), "classification", 4),
    "moons_circles": (_moons_circles, "classification", 4),
    "iris": (_iris, "classification", 3),
    "reg_plane": (_reg_plane, "regression", 1),
    "reg_gauss": (_reg_gauss, "regression", 1),
    "reg_line": (_reg_line, "regression", 1),
}


def make(name: str, n_samples: int, noise: float, seed: int):
    gen, task, _ = DATASETS[name]
    rng = np.random.default_rng(seed)
    X, y = gen(n_samples, noise, rng)
    X = np.clip(np.asarray(X, dtype=np.float64), -DOMAIN, DOMAIN).astype(np.float32)
    y = np.asarray(y, dtype=np.float32 if task == "regression" else np.int64)
    return X, y, task


#: lesson B's truth tables: at 100% training their rows keep the lesson's order
TABLES = {"xor_table", "and_table", "or_table"}

#: 1-D datasets: the point's height is its target, so the network takes x1 features only
ONE_D = {"reg_line"}
X1_FEATURES = ("x1", "x1^2", "sin(x1)")

#: how much a dataset is enlarged to fill the view; the network sees points / scale
INPUT_SCALE = {"circle": 5.0, "xor_table": 5.0, "and_table": 5.0, "or_table": 5.0}


def input_scale(name: str) -> float:
    return INPUT_SCALE.get(name, 1.0)


def split(X, y, train_ratio: float, seed: int, keep_order: bool = False):
    """Shuffle and cut: the first ``train_ratio`` of the rows train, the rest test
    (none at 100%; then ``keep_order`` keeps the rows in order, as a truth table's)."""
    if train_ratio >= 1.0 and keep_order:  # the perceptron rule visits lesson B's rows in order
        return X, y, X[:0], y[:0]
    order = np.random.default_rng(seed + 7919).permutation(len(X))
    cut = max(1, min(len(X) - (train_ratio < 1), int(round(train_ratio * len(X)))))
    tr, te = order[:cut], order[cut:]
    return X[tr], y[tr], X[te], y[te]


#: the input features a network can take, computed from the point (x1, x2)
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}


def features(X, names) -> np.ndarray:
    """The chosen features of points ``X (n, 2)``: ``(n, len(names))`` float32."""
    return np.column_stack([FEATURES[f](X) for f in names]).astype(np.float32)
