"""Named datasets for the command line: train/test splits, class names and the
scaler that goes with them.

``load("iris", seed=0)`` returns a :class:`Dataset`; ``entries()`` describes every
name (for ``mlplab datasets``). A path to a ``.csv`` file is a dataset too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import mnist, tables, toy
from .preprocessing import Scaler, train_test_split


@dataclass
class Dataset:
    """Raw features (before scaling), labels, and what is needed to use them.

    ``scaler`` is fitted on the training rows; apply it with ``scaler.transform``.
    ``classes`` is None for regression.
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: list[str] | None
    feature_names: list[str]
    scaler: Scaler
    notes: str = ""

    @property
    def task(self) -> str:
        return "regression" if self.classes is None else "classification"

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_outputs(self) -> int:
        return 1 if self.classes is None else len(self.classes)


@dataclass
class Entry:
    name: str
    description: str
    shape: tuple[int, int, int | None]  # samples, features, classes (None: regression)
    load: Callable[..., Dataset] = field(repr=False)
    present: Callable[[], bool] = field(default=lambda: True, repr=False)


def _split(name, X, y, classes, features, scaler_kind, seed, test_size, notes=""):
    if test_size:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=test_size, seed=seed, stratify=classes is not None)
    else:  # a truth table is its own test set
        X_train, X_test, y_train, y_test = X, X, y, y
    scaler = Scaler(scaler_kind).fit(X_train)
    return Dataset(name, X_train, y_train, X_test, y_test, classes, features, scaler, notes)


def _toy(name, make, classes, description, shape, scaler="none"):
    def load(seed=0, test_size=0.2, **_):
        X, y = make(seed)
        return _split(name, X, y, classes, [f"x{i + 1}" for i in range(X.shape[1])], scaler,
                      seed, test_size)
    return Entry(name, description, shape, load)


def _gate(gate):
    def load(seed=0, test_size=0.0, **_):
        X, y = toy.logic_gate(gate)
        return _split(gate, X, y, ["0", "1"], ["x1", "x2"], "none", seed, 0.0,
                      "4 rows: the test set is the training set")
    return Entry(gate, f"{gate.upper()} truth table (4 rows)", (4, 2, 2), load)


def _iris(seed=0, test_size=0.2, **_):
    X, y, features, classes = tables.load_iris()
    return _split("iris", X, y, classes, features, "zscore", seed, test_size)


def _digits(seed=0, test_size=0.2, **_):
    X, y = tables.load_digits()
    ds = _split("digits", X, y, [str(d) for d in range(10)],
                [f"px{i}" for i in range(64)], "none", seed, test_size)
    ds.scaler = Scaler("fixed", offset=np.zeros(1), scale=np.full(1, 16.0))
    return ds


def _mnist_like(name):
    spec = mnist.SPECS[name]

    def load(directory=None, download=True, **_):
        X_train, y_train = mnist.load_mnist("train", name=name, directory=directory,
                                            download=download, dtype="uint8")
        X_test, y_test = mnist.load_mnist("test", name=name, directory=directory,
                                          download=download, dtype="uint8")
        mean, std = spec["stats"]
        scaler = Scaler("fixed", offset=np.full(1, 255 * mean), scale=np.full(1, 255 * std))
        return Dataset(name, X_train, y_train, X_test, y_test, list(spec["classes"]),
                       [f"px{i}" for i in range(784)], scaler,
                       f"official split; pixels normalised with mean {mean}, std {std}")
    return load


def _csv(path, seed=0, test_size=0.2, label=-1, scale="zscore", **_):
    """A user's table. A column named ``split`` holding ``train``/``test`` fixes the
    split (the playground's exports use it); otherwise it is random and stratified."""
    X, labels, features = tables.read_csv(path, label=label)
    split = None
    if "split" in features:
        col = features.index("split")
        if not np.isin(X[:, col], (0, 1)).all():
            raise ValueError(f"{path}: the 'split' column must hold 0 (train) or 1 (test)")
        split = X[:, col].astype(bool)
        X = np.delete(X, col, axis=1)
        features = features[:col] + features[col + 1:]
    try:
        values = labels.astype(np.float64)
    except ValueError:
        values = None
    if values is not None and len(np.unique(values)) > 20 and not np.all(values == np.round(values)):
        y, classes = values.astype(np.float32), None  # many non-integer values: regression
    else:
        y, classes = tables.encode_labels(labels)
    if split is not None:
        scaler = Scaler(scale).fit(X[~split])
        return Dataset(Path(path).name, X[~split], y[~split], X[split], y[split], classes,
                       features, scaler, "split as given by the file's 'split' column")
    return _split(Path(path).name, X, y, classes, features, scale, seed, test_size)


ENTRIES = {e.name: e for e in [
    _toy("disc_ring", lambda s: toy.disc_ring(seed=s), ["disc", "ring"],
         "disc inside a ring (lesson A)", (300, 2, 2)),
    _toy("moons", lambda s: toy.moons(500, noise=0.2, seed=s), ["0", "1"],
         "two interleaving half circles, noise 0.2", (500, 2, 2)),
    _toy("circles", lambda s: toy.circles(500, noise=0.1, factor=0.5, seed=s), ["outer", "inner"],
         "two concentric circles, noise 0.1", (500, 2, 2)),
    _toy("spirals", lambda s: toy.spirals(seed=s), ["0", "1", "2"],
         "three spiral arms (lesson E)", (1000, 2, 3)),
    _toy("blobs", lambda s: toy.blobs(seed=s), ["0", "1"], "two Gaussian blobs", (200, 2, 2)),
    _toy("moons_circles", lambda s: toy.moons_circles(seed=s), ["0", "1", "2", "3"],
         "moons beside circles, 4 classes (lesson E)", (1000, 2, 4)),
    _toy("line", lambda s: toy.line(n_samples=100, seed=s), None,
         "y = 2x + 1 + noise (regression, lesson C)", (100, 1, None), scaler="zscore"),
    *[_gate(g) for g in ("and", "or", "xor")],
    Entry("iris", "Fisher's iris flowers (shipped)", (150, 4, 3), _iris),
    Entry("digits", "8x8 handwritten digits (scikit-learn, offline)", (1797, 64, 10), _digits),
    Entry("mnist", "handwritten digits 28x28, 60000 + 10000", (70000, 784, 10),
          _mnist_like("mnist"), lambda: mnist.present("mnist")),
    Entry("fashion_mnist", "clothing 28x28, 60000 + 10000", (70000, 784, 10),
          _mnist_like("fashion_mnist"), lambda: mnist.present("fashion_mnist")),
]}


def entries() -> list[Entry]:
    return list(ENTRIES.values())


def load(name: str, **options) -> Dataset:
    """A named dataset (``"iris"``, ``"mnist"``, ...) or a CSV file path."""
    if name in ENTRIES:
        return ENTRIES[name].load(**options)
    if name.lower().endswith(".csv") or Path(name).is_file():
        return _csv(name, **options)
    raise ValueError(f"unknown dataset {name!r}; valid names are: {', '.join(ENTRIES)} "
                     "(or a path to a .csv file)")
