"""Text output of the command line: the summary after training, evaluation of a
saved model, and predictions written to CSV."""

from __future__ import annotations

import csv
import sys

import numpy as np

from ..data import catalog
from ..data.preprocessing import Scaler
from ..data.tables import read_csv
from ..nn import metrics
from ..nn._atomic import atomic_file
from ..nn._format import percent, spread
from .train import alive_units, seed_ranges


def _cell(value, as_percent=False):
    """One figure, or median [min, max] over replicas."""
    text, span = spread(value, percent) if as_percent else spread(value)
    return f"{text} {span}" if span else text


def _count(value) -> str:
    """A count, or median [min, max] of counts: whole numbers print as integers
    (a median of an even number of replicas may end in .5)."""
    text, span = spread(value, lambda x: f"{x:g}")
    return f"{text} {span}" if span else text


def announces_success(result) -> bool:
    """Whether the summary judges seeds by the success rule: when a rule was asked
    for (``--success``) or the dataset is judged by default (``Entry.success``: the
    lessons' 2-D toy problems and the truth tables, as lesson A counts its seeds)."""
    entry = catalog.ENTRIES.get(result.config.dataset)
    return result.config.success is not None or bool(entry and entry.success)


def print_summary(result, out=sys.stdout) -> None:
    """The table after ``mlplab train``: figures per split, alive units, success, time."""
    cfg = result.config
    ds = result.dataset
    regression = ds.task == "regression"
    second = "rmse" if regression else "accuracy"
    reps = len(cfg.seeds)
    print("", file=out)
    data = (f"{ds.n_train - result.n_val} training rows"
            + (f", {result.n_val} validation" if result.n_val else "")
            + (f", {ds.n_test} test" if ds.n_test else ", no test set"))
    if reps > 1:
        data += ", each seed its own" if ds.seeds else ", the same for every seed"
    print(f"{'data':14} {data}" + (f" ({ds.notes})" if ds.notes else ""), file=out)
    head = "median [min, max] over seeds" if reps > 1 else ""
    print(f"{'':14} {'loss':<28} {second:<30} {head}", file=out)
    for split, figures in result.figures.items():
        print(f"{split:14} {_cell(figures['loss']):<28} "
              f"{_cell(figures[second], as_percent=not regression):<30}", file=out)
    print(f"{'':14} (measured once after the last step, in inference mode; each epoch line above "
          f"is an average while that epoch trained)", file=out)
    alive = alive_units(result)
    if alive:
        cells = [f"layer {k}: {_count(a)}/{width}" for k, (a, width) in alive.items()]
        print(f"{'alive units':14} " + "   ".join(cells), file=out)
    elif not cfg.layers:
        print(f"{'hidden layers':14} none (a linear model)", file=out)
    stopper = result.early_stopping
    if stopper is not None:
        h = result.history
        stopped = (f"at epoch {h.stopped_epoch + 1} of {cfg.epochs}" if h.stopped_epoch is not None
                   else f"not triggered in {cfg.epochs} epochs")
        print(f"{'early stop':14} {stopped} ({stopper.monitor}, patience {stopper.patience}, "
              f"min delta {stopper.min_delta:g}); weights of best epoch "
              f"{_count(np.asarray(stopper.best_epoch) + 1)}", file=out)
    if announces_success(result):
        ok = np.asarray(result.succeeded())
        rule = result.success_rule.describe()
        if reps > 1:
            print(f"{'seeds':14} {int(ok.sum())}/{reps} reach {rule}", file=out)
        else:
            print(f"{'success':14} {'yes' if ok.all() else 'no'} ({rule})", file=out)
    h = result.history
    print(f"{'time':14} {result.seconds:.2f} s for {h.epochs} epochs "
          f"({result.seconds / max(h.epochs, 1):.3f} s/epoch)", file=out)
    print_warnings(h)


def print_warnings(history, err=None) -> None:
    """Each of ``history.warnings`` as one ``warning: ...`` line on stderr."""
    for text in getattr(history, "warnings", ()):
        print(f"warning: {text}", file=err or sys.stderr)


def single_model(model, command: str) -> None:
    """evaluate and predict take one model; a file of replicas names its seeds."""
    if model.replicas:
        seeds = model.meta.get("seeds")
        which = f" (seeds {seed_ranges(seeds)})" if seeds else ""
        raise ValueError(f"{command} takes a single model; this one holds replicas "
                         f"{model.replicas}{which}; train the seed you want alone with --seed S "
                         "(the replica that holds seed S, weight for weight)")


def _data_for(model, dataset: str):
    """Features (scaled as when the model was trained) and labels to evaluate on.

    A named dataset gives its test split as drawn for the model (seed, test size
    and dataset parameters from the metadata); when the model was trained with
    ``--test-size 0`` there is none, and the rows it was trained on are used."""
    meta = model.meta
    scaler = Scaler.from_config(meta["scaler"])
    if dataset.lower().endswith(".csv"):
        X, labels, _ = read_csv(dataset, label=-1, features=meta.get("features"))
        classes = meta.get("classes")
        if classes is None:
            return scaler.transform(X), labels.astype(np.float32), None
        unknown = sorted(set(labels) - set(classes))
        if unknown:
            raise ValueError(f"{dataset}: labels {unknown[:5]} are not among the model's classes "
                             f"{classes}")
        return scaler.transform(X), np.array([classes.index(c) for c in labels]), classes
    split = dict(meta.get("split", {}))
    options = {k: split[k] for k in catalog.DATA_OPTIONS if k in split and dataset == meta.get("dataset")}
    ds = catalog.load(dataset, seed=split.get("seed", 0), test_size=split.get("test_size", 0.2),
                      **options)
    if ds.n_features != model.n_inputs:
        raise ValueError(f"dataset {dataset!r} has {ds.n_features} features; the model takes "
                         f"{model.n_inputs}")
    if not ds.n_test:  # trained with --test-size 0: no held-out rows
        return scaler.transform(ds.X_train), ds.y_train, meta.get("classes")
    return scaler.transform(ds.X_test), ds.y_test, meta.get("classes")


def _rows_note(model, dataset: str) -> str:
    trained_on_all = model.meta.get("split", {}).get("test_size") == 0
    if trained_on_all and not dataset.lower().endswith(".csv"):
        return "   (the training rows: the model was trained with --test-size 0)"
    return ""


def print_evaluation(model, dataset: str, out=sys.stdout) -> dict:
    """Accuracy, confusion matrix and classification report (or RMSE and R^2)."""
    single_model(model, "evaluate")
    X, y, classes = _data_for(model, dataset)
    if classes is None:
        pred = model.forward(X)[..., 0]
        r2, err = float(metrics.r2_score(y, pred)), float(metrics.rmse(y, pred))
        print(f"samples {len(y)}   RMSE {err:.4f}   R^2 {r2:.4f}{_rows_note(model, dataset)}", file=out)
        return {"rmse": err, "r2": r2}
    pred = model.predict(X)
    acc = float(metrics.accuracy(y, pred))
    print(f"samples {len(y)}   accuracy {100 * acc:.2f}%{_rows_note(model, dataset)}\n", file=out)
    C = metrics.confusion_matrix(y, pred, len(classes))
    width = max(6, *(len(c) for c in classes)) + 1
    print("confusion matrix (rows: true class, columns: predicted)", file=out)
    print(" " * width + "".join(f"{c[:width - 1]:>{width}}" for c in classes), file=out)
    for c, row in zip(classes, C):
        print(f"{c[:width - 1]:>{width}}" + "".join(f"{v:>{width}}" for v in row), file=out)
    print("", file=out)
    print(metrics.classification_report(y, pred, classes), file=out)
    return {"accuracy": acc, "confusion": C}


def write_predictions(model, path, out) -> int:
    """Predict every row of the CSV ``path``; write ``prediction`` (and one
    probability column per class) to ``out`` (a path or a text stream)."""
    single_model(model, "predict")
    meta = model.meta
    X, _, _ = read_csv(path, label=None, features=meta.get("features"))
    X = Scaler.from_config(meta["scaler"]).transform(X)
    classes = meta.get("classes")
    if classes is None:
        header, rows = ["prediction"], [[f"{v:.6g}"] for v in model.forward(X)[..., 0]]
    else:
        proba = model.predict_proba(X)
        if proba.shape[-1] == 1:
            proba = np.concatenate([1 - proba, proba], axis=-1)
        header = ["prediction"] + [f"p_{c}" for c in classes]
        rows = [[classes[int(np.argmax(p))]] + [f"{v:.6f}" for v in p] for p in proba]
    if isinstance(out, (str, bytes)) or hasattr(out, "__fspath__"):
        with atomic_file(out, "w", newline="") as f:
            _write_rows(f, header, rows)
    else:
        _write_rows(out, header, rows)
    return len(rows)


def _write_rows(stream, header, rows):
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(rows)
