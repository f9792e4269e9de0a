"""``mlplab evaluate`` and ``mlplab predict``: using a saved model."""

from __future__ import annotations

import sys

from .options import check_targets


def load_model(path, command: str):
    """A saved model with the metadata ``evaluate`` and ``predict`` need (how the features
    were scaled, the class names, the feature columns), each checked against the network."""
    from .. import nn
    from ..data.preprocessing import Scaler
    from ..lab.console import single_model

    model = nn.load(path)
    single_model(model, command)
    meta = model.meta
    hint = f"`mlplab {command}` needs the metadata that `mlplab train --save` writes"
    missing = [k for k in ("scaler", "classes") if k not in meta]
    if missing:
        what = "no dataset metadata" if not meta else f"no {' or '.join(map(repr, missing))} in its metadata"
        raise ValueError(f"{path}: the model file has {what} (scaler: how the features were scaled; "
                         f"classes: the class names, or null for regression); {hint}")
    try:
        scaler = Scaler.from_config(meta["scaler"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: the model's 'scaler' metadata is damaged ({exc}); {hint}") from None
    widths = {a.size for a in (scaler.offset_, scaler.scale_) if a is not None}
    if scaler.offset_ is None or scaler.scale_ is None or not widths <= {1, model.n_inputs}:
        raise ValueError(f"{path}: the model's 'scaler' metadata must give offset and scale for its "
                         f"{model.n_inputs} inputs; received {meta['scaler']!r:.120}")
    classes, features = meta.get("classes"), meta.get("features")
    n_classes = max(model.n_outputs, 2)
    if classes is not None and not (isinstance(classes, list) and len(classes) == n_classes
                                    and all(isinstance(c, str) for c in classes)):
        raise ValueError(f"{path}: the model's 'classes' metadata must list {n_classes} class names "
                         f"(or be null for regression); received {classes!r:.120}")
    if features is not None and not (isinstance(features, list) and len(features) == model.n_inputs
                                     and all(isinstance(c, str) for c in features)):
        raise ValueError(f"{path}: the model's 'features' metadata must list {model.n_inputs} column "
                         f"names; received {features!r:.120}")
    return model


def _cmd_evaluate(args) -> int:
    from ..lab.console import print_evaluation

    model = load_model(args.model, "evaluate")
    print_evaluation(model, args.dataset, sys.stdout)
    return 0


def _cmd_predict(args) -> int:
    from ..lab.console import write_predictions

    check_targets(output=args.output)
    model = load_model(args.model, "predict")
    out = sys.stdout if args.output in (None, "-") else None
    n = write_predictions(model, args.file, out or args.output)
    if out is None:
        print(f"wrote {n} predictions to {args.output}", file=sys.stderr)
    return 0


def add(sub):
    ev = sub.add_parser("evaluate", help="accuracy, confusion matrix and report of a saved model")
    ev.add_argument("model", help="a model saved by `mlplab train --save`")
    ev.add_argument("dataset", help="a dataset name (its test split) or a CSV file")
    ev.set_defaults(run=_cmd_evaluate)

    pr = sub.add_parser("predict", help="write a saved model's predictions for a CSV file")
    pr.add_argument("model", help="a model saved by `mlplab train --save`")
    pr.add_argument("file", help="a CSV file with the model's feature columns")
    pr.add_argument("--output", "-o", help="CSV file to write (default: standard output)")
    pr.set_defaults(run=_cmd_predict)
