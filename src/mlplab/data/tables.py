"""Tables: Iris (shipped with mlplab), scikit-learn's 8x8 digits, and a user's CSV."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import numpy as np

from .files import read_text


class CSVError(ValueError):
    """A CSV file that cannot be read as a table of numeric features and a label."""


def read_csv(path, label: str | int | None = -1, features=None):
    """Read a table with a header row: numeric feature columns and a label column.

    Parameters
    ----------
    path : file path
    label : name or index of the label column (default: the last one); ``None``
        when the file holds features only (for prediction)
    features : names of the feature columns (default: every other column)

    Returns
    -------
    X : float32 ``(n, f)``;  labels : the label column as strings ``(n,)`` (or None);
    feature_names : list of str
    """
    path = Path(path)
    if path.is_dir():
        raise CSVError(f"{str(path)!r} is a directory, not a CSV file")
    if not path.is_file():
        raise CSVError(f"no CSV file at {str(path)!r}")
    try:
        text = read_text(path, "CSV file")
    except ValueError as exc:  # not UTF-8
        raise CSVError(str(exc)) from None
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline=""))
                if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise CSVError(f"{path}: not a readable CSV file: {exc}") from None
    if not rows:
        raise CSVError(f"{path}: the file is empty")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    if not body:
        raise CSVError(f"{path}: the file has a header but no data rows")
    label_index = None
    if label is not None:
        if isinstance(label, str):
            if label not in header:
                raise CSVError(f"{path}: no label column {label!r}; columns are: {', '.join(header)}")
            label_index = header.index(label)
        else:
            if not -len(header) <= label < len(header):
                raise CSVError(f"{path}: label column index {label} is out of range for "
                               f"{len(header)} columns")
            label_index = label % len(header)
    if features is None:
        feature_idx = [i for i in range(len(header)) if i != label_index]
    else:
        missing = [c for c in features if c not in header]
        if missing:
            raise CSVError(f"{path}: missing feature column(s) {', '.join(map(repr, missing))}; "
                           f"columns are: {', '.join(header)}")
        feature_idx = [header.index(c) for c in features]
    if not feature_idx:
        raise CSVError(f"{path}: no feature columns besides the label")
    X = np.empty((len(body), len(feature_idx)), dtype=np.float32)
    for r, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CSVError(f"{path}, line {r}: {len(row)} values for {len(header)} columns")
        for j, i in enumerate(feature_idx):
            try:
                X[r - 2, j] = float(row[i])
            except ValueError:
                raise CSVError(f"{path}, line {r}, column {header[i]!r}: {row[i]!r} is not a number"
                               ) from None
    if not np.isfinite(X).all():
        r, j = np.argwhere(~np.isfinite(X))[0]
        raise CSVError(f"{path}, line {r + 2}, column {header[feature_idx[j]]!r}: not a finite number")
    labels = None if label_index is None else np.array([row[label_index].strip() for row in body])
    return X, labels, [header[i] for i in feature_idx]


#: the tasks a table can be read as (``--task``)
TASKS = ("classification", "regression")
#: integer labels are read as classes when there are at most this many distinct values ...
MAX_AUTO_CLASSES = 20


def infer_task(labels: np.ndarray) -> tuple[str, str]:
    """``(task, reason)``: how a label column is read when ``--task`` is not given.

    The rule, in order:

    - labels that are not all numbers are classes;
    - numbers with a fractional part (``2.5``) are regression targets;
    - integers are classes when there are at most ``MAX_AUTO_CLASSES`` (20) distinct
      values *and* at most half as many as rows (each class has two rows on average);
      otherwise regression (an 11-row table with 11 integer targets is a regression,
      not 11 classes of one row each).

    >>> infer_task(np.array(["0", "1", "1", "0"]))[0]
    'classification'
    >>> infer_task(np.array([str(v) for v in range(11)]))[0]
    'regression'
    """
    try:
        values = labels.astype(np.float64)
    except ValueError:
        return "classification", "the labels are not all numbers"
    if not np.all(np.isfinite(values)):
        return "classification", "the labels are not all finite numbers"
    if not np.all(values == np.round(values)):
        return "regression", "the targets are numbers with a fractional part"
    n, k = len(values), len(np.unique(values))
    if k <= MAX_AUTO_CLASSES and 2 * k <= n:
        return "classification", f"{k} distinct integer labels in {n} rows"
    return "regression", (f"{k} distinct integer targets in {n} rows (classes need at most "
                          f"{MAX_AUTO_CLASSES} values and at most half as many as rows)")


def encode_labels(labels: np.ndarray):
    """String labels -> ``(int64 codes, class names)``, classes sorted (numerically
    when every label is a number)."""
    from sklearn.preprocessing import LabelEncoder

    try:
        numeric = labels.astype(np.float64)
    except ValueError:
        numeric = None
    if numeric is not None:
        enc = LabelEncoder().fit(numeric)
        return enc.transform(numeric).astype(np.int64), [_fmt(c) for c in enc.classes_]
    enc = LabelEncoder().fit(labels)
    return enc.transform(labels).astype(np.int64), [str(c) for c in enc.classes_]


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def load_iris():
    """Fisher's Iris: ``X (150, 4)`` float32 in cm, ``y`` int64 (0 setosa, 1 versicolor,
    2 virginica), and the feature and class names."""
    with resources.as_file(resources.files(__package__) / "iris.csv") as path:
        X, labels, names = read_csv(path, label="species")
    classes = ["setosa", "versicolor", "virginica"]
    y = np.array([classes.index(s) for s in labels], dtype=np.int64)
    return X, y, names, classes


def load_digits():
    """scikit-learn's 8x8 handwritten digits (1797 images, offline): ``X (1797, 64)``
    float32 pixel intensities 0-16, ``y`` int64 0-9."""
    from sklearn.datasets import load_digits as sk_digits

    d = sk_digits()
    return d.data.astype(np.float32), d.target.astype(np.int64)
