"""Named datasets for the command line: train/test splits, class names and the
scaler that goes with them.

``load("iris", seed=0)`` returns a :class:`Dataset`; ``entries()`` describes every
name (for ``mlplab datasets``). A path to a ``.csv`` file is a dataset too.

``load_seeds("disc_ring", range(20))`` gives each seed its own data draw, split and
scaler, stacked for replica training (``X_train`` shaped ``(20, n, f)``): replica
``r`` then sees exactly what ``load("disc_ring", seed=seeds[r])`` gives. Datasets
whose rows and split do not depend on the seed (MNIST's official split, the truth
tables, a CSV with a ``split`` column, any table with ``test_size=0``) are loaded
once and shared.

Generated datasets take parameters (``n_samples``, ``noise``, ``data_seed``: the
seed of the draw, instead of the run's seed); each entry lists those it accepts in
``Entry.options`` and any other is refused, naming the dataset.
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
    #: whether another seed gives other rows or another split (then each replica
    #: gets its own, see :func:`load_seeds`)
    seeded: bool = True
    #: with per-seed data, the seed of each replica (``X_train`` is ``(R, n, f)``)
    seeds: tuple[int, ...] | None = None

    @property
    def task(self) -> str:
        return "regression" if self.classes is None else "classification"

    @property
    def n_features(self) -> int:
        return self.X_train.shape[-1]

    @property
    def n_train(self) -> int:
        return self.X_train.shape[-2]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[-2]

    @property
    def n_outputs(self) -> int:
        return 1 if self.classes is None else len(self.classes)


#: per-seed data stacked for replicas may take at most this many bytes (features)
MAX_STACK_BYTES = 1 << 30
#: the dataset parameters a command line can set (``--n-samples`` ...)
DATA_OPTIONS = ("n_samples", "noise", "data_seed", "data_rng")


@dataclass
class Entry:
    name: str
    description: str
    shape: tuple[int, int, int | None]  # samples, features, classes (None: regression)
    load: Callable[..., Dataset] = field(repr=False)
    present: Callable[[], bool] = field(default=lambda: True, repr=False)
    #: the dataset parameters (of DATA_OPTIONS) this entry accepts
    options: tuple[str, ...] = ()
    #: judged by the success rule by default (``mlplab train`` prints "seeds k/N
    #: reach ..."): the lessons' small 2-D problems and the truth tables
    success: bool = False


def _split(name, X, y, classes, features, scaler_kind, seed, test_size, notes="", seeded=False):
    """Split (stratified for classes) and fit the scaler on the training rows.

    ``test_size=0`` keeps every row for training and leaves an empty test set."""
    if test_size:
        n = len(y)
        n_test = int(np.ceil(test_size * n))  # as scikit-learn counts the test rows
        if n_test < 1 or n - n_test < 1:
            raise ValueError(f"{name}: {n} row{'s' if n != 1 else ''} cannot be split into training and "
                             f"test rows with test_size={test_size} ({n - n_test} training, {n_test} test); "
                             "give more rows, or test_size 0 (--test-size 0) to train on all of them")
        if classes is not None:
            counts = np.bincount(y, minlength=len(classes))
            lonely = [classes[k] for k in np.flatnonzero(counts == 1)]
            if lonely:
                raise ValueError(f"{name}: a stratified test split (test_size={test_size}) needs two "
                                 f"rows of every class; class(es) {', '.join(lonely[:10])} have one "
                                 "(use test_size 0, or --task regression for numeric targets)")
        try:
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=test_size, seed=seed, stratify=classes is not None)
        except ValueError as exc:  # e.g. fewer test rows than classes
            raise ValueError(f"{name}: cannot split with test_size={test_size}: {exc}") from None
    else:
        X_train, X_test, y_train, y_test = X, X[:0], y, y[:0]
    scaler = Scaler(scaler_kind).fit(X_train)
    return Dataset(name, X_train, y_train, X_test, y_test, classes, features, scaler, notes,
                   seeded=seeded or bool(test_size))


def _toy(name, make, classes, description, shape, keywords, scaler="none", success=None, **fixed):
    """A generated dataset: ``make(seed=..., **fixed)``; ``keywords`` maps each dataset
    parameter it accepts (``n_samples``, ``noise``) to ``make``'s own keyword. ``success``
    (default: any classification) says whether the default success rule applies: not
    where noise caps training accuracy near 95% (lesson E's spirals, moons+circles)."""

    def load(seed=0, test_size=0.2, data_seed=None, **options):
        given = {keywords[k]: v for k, v in options.items() if k in keywords}
        X, y = make(seed=seed if data_seed is None else data_seed, **{**fixed, **given})
        notes = "" if data_seed is None else f"drawn with data seed {data_seed}"
        return _split(name, X, y, classes, [f"x{i + 1}" for i in range(X.shape[1])], scaler,
                      seed, test_size, notes, seeded=data_seed is None)

    return Entry(name, description, shape, load, options=(*keywords, "data_seed"),
                 success=classes is not None if success is None else success)


def _gate(gate):
    def load(seed=0, test_size=0.0, **_):
        X, y = toy.logic_gate(gate)
        return Dataset(gate, X, y, X, y, ["0", "1"], ["x1", "x2"], Scaler("none").fit(X),
                       "4 rows: the test set is the training set", seeded=False)
    return Entry(gate, f"{gate.upper()} truth table (4 rows)", (4, 2, 2), load, success=True)


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
                       f"official split; pixels normalised with mean {mean}, std {std}",
                       seeded=False)
    return load


def _csv(path, seed=0, test_size=0.2, label=-1, scale="zscore", task=None, **_):
    """A user's table. A column named ``split`` holding ``train``/``test`` fixes the
    split (the playground's exports use it); otherwise it is random and stratified.

    ``task`` (``"classification"`` or ``"regression"``) says how to read the label
    column; ``None`` decides by :func:`tables.infer_task` (the reason is in ``notes``).
    """
    if task is not None and task not in tables.TASKS:
        raise ValueError(f"task must be one of {', '.join(tables.TASKS)}; received task={task!r}")
    X, labels, features = tables.read_csv(path, label=label)
    return _table(path, X, labels, features, seed, test_size, scale, task)


def _table(path, X, labels, features, seed, test_size, scale, task):
    """A table read from a CSV file or given as arrays: the split, the task, the scaler."""
    split = None
    if "split" in features:
        col = features.index("split")
        if not np.isin(X[:, col], (0, 1)).all():
            raise ValueError(f"{path}: the 'split' column must hold 0 (train) or 1 (test)")
        split = X[:, col].astype(bool)
        X = np.delete(X, col, axis=1)
        features = features[:col] + features[col + 1:]
    if task is None:
        task, reason = tables.infer_task(labels)
        notes = f"read as {task}: {reason}; --task overrides"
    else:
        notes = f"read as {task}, as asked"
    if task == "regression":
        try:
            y, classes = labels.astype(np.float32), None
        except ValueError:
            bad = str(next(v for v in labels if not _is_number(v)))
            raise ValueError(f"{path}: task 'regression' needs numeric targets in the label "
                             f"column; received {bad!r}") from None
        if not np.isfinite(y).all():
            raise ValueError(f"{path}: task 'regression' needs finite targets in the label column")
    else:
        y, classes = tables.encode_labels(labels)
    if split is not None:
        scaler = Scaler(scale).fit(X[~split])
        return Dataset(Path(path).name, X[~split], y[~split], X[split], y[split], classes,
                       features, scaler, f"split as given by the file's 'split' column; {notes}",
                       seeded=False)
    return _split(Path(path).name, X, y, classes, features, scale, seed, test_size, notes)


#: tables given as arrays (``register_arrays``), by name
ARRAYS: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def register_arrays(X, y) -> str:
    """Make ``(X, y)`` a dataset that :func:`load` knows by the returned name,
    ``"arrays:<digest>"`` (the digest of the values: equal arrays, equal name).

    ``X`` is ``(n, f)`` numbers, ``y`` ``(n,)`` labels; they are read as a CSV file's
    table would be (task inferred unless given, z-scored, split at random).
    """
    import hashlib

    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y) or not len(X):
        raise ValueError(f"dataset arrays must be X (n, f) and y (n,) with n >= 1; received "
                         f"X {X.shape} and y {y.shape}")
    if not np.isfinite(X).all():
        raise ValueError("dataset arrays: X must hold finite numbers; received NaN or inf")
    digest = hashlib.sha1(X.tobytes() + str(X.shape).encode() + y.astype(str).tobytes())
    name = f"arrays:{digest.hexdigest()[:12]}"
    ARRAYS[name] = (X, y)
    return name


def _arrays(name, seed=0, test_size=0.2, scale="zscore", task=None, **_):
    X, y = ARRAYS[name]
    features = [f"x{i}" for i in range(X.shape[1])]
    return _table(name, X.astype(np.float32), y.astype(str), features, seed, test_size, scale, task)


def _is_number(text) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_N, _NOISE = {"n_samples": "n_samples"}, {"n_samples": "n_samples", "noise": "noise"}
_LEGACY = {"data_rng": "rng"}  # rng="legacy": the lessons' own draws (see data.toy)

ENTRIES = {e.name: e for e in [
    _toy("disc_ring", toy.disc_ring, ["disc", "ring"], "disc inside a ring (lesson A)",
         (300, 2, 2), {**_N, **_LEGACY}),
    _toy("moons", toy.moons, ["0", "1"], "two interleaving half circles, noise 0.2",
         (500, 2, 2), {**_NOISE, **_LEGACY}, n_samples=500, noise=0.2),
    _toy("circles", toy.circles, ["outer", "inner"], "two concentric circles, noise 0.1",
         (500, 2, 2), {**_NOISE, **_LEGACY}, n_samples=500, noise=0.1, factor=0.5),
    _toy("spirals", toy.spirals, ["0", "1", "2"], "three spiral arms (lesson E)",
         (1000, 2, 3), {**_NOISE, **_LEGACY}, success=False),
    _toy("blobs", toy.blobs, ["0", "1"], "two Gaussian blobs (noise: their std, 1)",
         (200, 2, 2), {"n_samples": "n_samples", "noise": "std"}),
    _toy("moons_circles", toy.moons_circles, ["0", "1", "2", "3"],
         "moons beside circles, 4 classes (lesson E)", (1000, 2, 4), {**_N, **_LEGACY},
         success=False),
    _toy("line", toy.line, None, "y = 2x + 1 + noise (regression, lesson C)",
         (100, 1, None), {**_NOISE, **_LEGACY}, scaler="zscore", n_samples=100),
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


def load(name: str, *, scale: str | None = None, task: str | None = None, **options) -> Dataset:
    """A named dataset (``"iris"``, ``"mnist"``, ...) or a CSV file path.

    Parameters
    ----------
    seed : int
        The seed of the split and, for generated data, of the draw.
    test_size : float in [0, 1)
        Fraction held out for testing where the dataset has no fixed test split;
        0 keeps every row for training (the test set is then empty).
    n_samples, noise, data_seed, data_rng : optional
        Parameters of generated datasets (see ``Entry.options``); ``None`` is the
        dataset's own default. ``data_rng="legacy"`` (disc_ring, moons, circles, spirals,
        moons_circles, line) draws
        what the lessons' NumPy / scikit-learn code draws for the seed. Refused, naming
        the dataset, where they do not apply.
    scale : str, optional
        Refit the scaler of this kind on the training rows (default: the dataset's own).
    task : "classification" or "regression", optional
        How to read a CSV file's label column (default: :func:`tables.infer_task`).
    """
    given = {k: v for k, v in options.items() if k in DATA_OPTIONS and v is not None}
    options = {k: v for k, v in options.items() if k not in DATA_OPTIONS}
    if name in ENTRIES:
        entry = ENTRIES[name]
        extra = [k for k in given if k not in entry.options]
        if extra:
            takes = ", ".join(entry.options) if entry.options else "none"
            raise ValueError(f"dataset {name!r} has no parameter {extra[0]!r} (its parameters: "
                             f"{takes}); received {extra[0]}={given[extra[0]]!r}")
        if task is not None:
            raise ValueError(f"task applies to CSV files; dataset {name!r} is "
                             f"{'regression' if entry.shape[2] is None else 'classification'}"
                             f" already; received task={task!r}")
        ds = entry.load(**options, **given)
    elif name.lower().endswith(".csv") or Path(name).is_file() or name in ARRAYS:
        if given:
            key = next(iter(given))
            raise ValueError(f"{key} applies to generated datasets, not to the CSV file {name!r}; "
                             f"received {key}={given[key]!r}")
        ds = (_arrays if name in ARRAYS else _csv)(name, task=task, **options)
    else:
        raise ValueError(f"unknown dataset {name!r}; valid names are: {', '.join(ENTRIES)} "
                         "(or a path to a .csv file)")
    if scale is not None:
        ds.scaler = Scaler(scale).fit(ds.X_train)
    return ds


def load_seeds(name: str, seeds, **options) -> Dataset:
    """One dataset per seed, stacked: replica ``r`` gets ``load(name, seed=seeds[r])``.

    Each seed has its own draw, split and scaler; ``X_train`` / ``X_test`` become
    ``(R, n, f)``, ``y_*`` ``(R, n)``, and ``scaler`` holds one offset and scale per
    replica (shaped ``(R, 1, f)``, so ``scaler.transform`` maps shared points such as
    a grid to per-replica inputs). A dataset that is the same for every seed
    (``Dataset.seeded`` False) is loaded once and shared: arrays stay ``(n, f)``.
    """
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed; received an empty list")
    first = load(name, seed=seeds[0], **options)
    if len(seeds) == 1 or not first.seeded:
        return first
    size = (first.X_train.nbytes + first.X_test.nbytes) * len(seeds)
    if size > MAX_STACK_BYTES:
        raise ValueError(f"per-seed data for {len(seeds):,} seeds of {name!r} would take "
                         f"{size / 2**20:,.1f} MiB (at most {MAX_STACK_BYTES / 2**20:,.0f} MiB); "
                         f"use fewer seeds")
    parts = [first, *(load(name, seed=s, **options) for s in seeds[1:])]
    for seed, ds in zip(seeds, parts):
        if ds.X_train.shape != first.X_train.shape or ds.X_test.shape != first.X_test.shape:
            raise ValueError(f"dataset {name!r} gives seed {seed} {ds.n_train} training and "
                             f"{ds.n_test} test rows, seed {seeds[0]} {first.n_train} and "
                             f"{first.n_test}: per-seed data must have one shape")

    def stack(attr):
        return np.stack([getattr(ds, attr) for ds in parts])

    return Dataset(first.name, stack("X_train"), stack("y_train"), stack("X_test"), stack("y_test"),
                   first.classes, first.feature_names, stack_scalers([d.scaler for d in parts]),
                   first.notes, seeded=True, seeds=seeds)


def stack_scalers(scalers) -> Scaler:
    """One scaler per replica as one :class:`Scaler` whose offset and scale are
    ``(R, 1, f)``; the first one itself when they are all equal."""
    first = scalers[0]
    if all(np.array_equal(s.offset_, first.offset_) and np.array_equal(s.scale_, first.scale_)
           for s in scalers):
        return first
    return Scaler(first.kind, first.feature_range,
                  offset=np.stack([np.reshape(s.offset_, (1, -1)) for s in scalers]),
                  scale=np.stack([np.reshape(s.scale_, (1, -1)) for s in scalers]))
