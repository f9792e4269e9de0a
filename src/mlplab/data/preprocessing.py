"""Scaling, encoding and splitting.

Every scaler here reduces to ``X' = (X - offset) / scale`` per feature, fitted with
scikit-learn's estimators, so a fitted scaler is two short arrays that travel in a
saved model's metadata and are applied again at prediction time:

| kind     | offset                           | scale                      |
|----------|----------------------------------|----------------------------|
| zscore   | mean                             | standard deviation         |
| minmax   | min - a (max - min) / (b - a)    | (max - min) / (b - a)      |
| robust   | median                           | interquartile range        |
| fixed    | given                            | given (MNIST: 0.1307, 0.3081 on [0, 1]) |
| none     | 0                                | 1                          |

(``minmax`` maps [min, max] onto ``feature_range = (a, b)``; constant features get
scale 1.)
"""

from __future__ import annotations

import numpy as np

from ..nn import _validate


class Scaler:
    """``X' = (X - offset) / scale``; see the module docstring for the kinds."""

    def __init__(self, kind: str = "zscore", feature_range=(0.0, 1.0), offset=None, scale=None):
        kinds = ("zscore", "minmax", "robust", "fixed", "none")
        if kind not in kinds:
            raise ValueError(f"kind must be one of {', '.join(kinds)}; received kind={kind!r}")
        self.kind = kind
        a, b = feature_range
        if not a < b:
            raise ValueError(f"feature_range must be (a, b) with a < b; received {feature_range!r}")
        self.feature_range = (float(a), float(b))
        self.offset_ = None if offset is None else np.asarray(offset, dtype=np.float64)
        self.scale_ = None if scale is None else np.asarray(scale, dtype=np.float64)

    def fit(self, X) -> Scaler:
        from sklearn import preprocessing as skp

        X = _validate.finite_array("X", X, min_ndim=2).reshape(-1, np.shape(X)[-1])
        if self.kind == "zscore":
            est = skp.StandardScaler().fit(X)
            self.offset_, self.scale_ = est.mean_, est.scale_
        elif self.kind == "robust":
            est = skp.RobustScaler().fit(X)
            self.offset_, self.scale_ = est.center_, est.scale_
        elif self.kind == "minmax":
            est = skp.MinMaxScaler(feature_range=self.feature_range).fit(X)
            # sklearn: X' = X * scale_ + min_  ->  offset = -min_ / scale_, scale = 1 / scale_
            self.scale_ = 1.0 / est.scale_
            self.offset_ = -est.min_ * self.scale_
        elif self.kind == "none":
            self.offset_, self.scale_ = np.zeros(X.shape[-1]), np.ones(X.shape[-1])
        elif self.offset_ is None or self.scale_ is None:
            raise ValueError("a 'fixed' scaler needs offset and scale")
        return self

    def transform(self, X) -> np.ndarray:
        if self.offset_ is None:
            raise ValueError("this Scaler is not fitted yet; call fit(X) first")
        X = np.asarray(X)
        if X.shape[-1] != self.offset_.shape[-1] and self.offset_.size != 1:
            raise ValueError(f"X has {X.shape[-1]} features; the scaler was fitted on "
                             f"{self.offset_.shape[-1]}")
        dtype = X.dtype if np.issubdtype(X.dtype, np.floating) else np.float32
        return ((X - self.offset_.astype(dtype)) / self.scale_.astype(dtype)).astype(dtype)

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def config(self) -> dict:
        return {"kind": self.kind, "feature_range": list(self.feature_range),
                "offset": None if self.offset_ is None else self.offset_.tolist(),
                "scale": None if self.scale_ is None else self.scale_.tolist()}

    @classmethod
    def from_config(cls, cfg: dict) -> Scaler:
        return cls(cfg["kind"], tuple(cfg.get("feature_range", (0, 1))), cfg.get("offset"),
                   cfg.get("scale"))


def one_hot(y, n_classes: int | None = None, dtype="float32") -> np.ndarray:
    """Integer labels ``(..., n)`` -> one-hot rows ``(..., n, C)``."""
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer labels; received dtype {y.dtype}")
    n_classes = int(y.max()) + 1 if n_classes is None else n_classes
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"labels must lie in [0, {n_classes - 1}]; received {y.min()} to {y.max()}")
    return (y[..., None] == np.arange(n_classes)).astype(dtype)


def train_test_split(X, y, test_size: float = 0.2, seed=None, stratify: bool = True):
    """Split ``(X, y)`` into ``X_train, X_test, y_train, y_test`` (scikit-learn's
    ``train_test_split``), keeping class proportions when ``stratify``."""
    from sklearn.model_selection import train_test_split as sk_split

    test_size = _validate.real("test_size", test_size, low=0.0, high=1.0, low_open=True,
                               high_open=True)
    return sk_split(X, y, test_size=test_size, random_state=seed,
                    stratify=y if stratify else None)
