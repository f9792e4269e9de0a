"""The ``mlplab`` command."""

from __future__ import annotations

import argparse
import sys

from ._version import __version__

EPILOG_TRAIN = """examples:
  mlplab train iris --layers 16 --epochs 100 --lr 0.01
  mlplab train disc_ring --layers 4,4 --seeds 0-19 --epochs 300 --lr 0.05 --batch-size 300
  MLPLAB_DATA=../shared/data mlplab train mnist --layers 128,64 --epochs 5 --save mnist.npz

  MNIST to >= 98% test accuracy in about half a minute on 2 cores (98.5% measured, 31 s):
  mlplab train mnist --layers 512,256 --dropout 0.2 --batch-size 128 --epochs 15 \\
      --schedule cosine --save mnist.npz
"""


def _cmd_info(args) -> int:
    from . import data
    from .data import catalog
    from .nn import activations, initializers, losses, optimizers, schedules

    families = [
        ("activations", activations.names()),
        ("losses", losses.names()),
        ("optimizers", optimizers.names()),
        ("initializers", initializers.names()),
        ("schedules", schedules.names()),
        ("generators", data.names()),
        ("datasets", [e.name for e in catalog.entries()]),
    ]
    print(f"mlplab {__version__}")
    for family, names in families:
        print(f"{family + ':':14} {', '.join(names)}")
    return 0


def _cmd_datasets(args) -> int:
    from .data import catalog

    print(f"{'name':15} {'samples':>8} {'features':>9} {'classes':>8}  {'files':8} description")
    for e in catalog.entries():
        n, f, k = e.shape
        print(f"{e.name:15} {n:>8} {f:>9} {k if k else 'regr.':>8}  "
              f"{'present' if e.present() else 'missing':8} {e.description}")
    print("\nor any CSV file with a header row (the label in the last column)")
    return 0


def _cmd_demo(args) -> int:
    from . import nn
    from .lab.train import TrainConfig, run_training

    config = TrainConfig(dataset="disc_ring", layers=(8, 8), lr=args.lr, epochs=args.epochs,
                         batch_size=300, seeds=(args.seed,), val_split=0.0)
    print(f"demo: a 2-8-8-2 ReLU network learns disc-and-ring (240 training points, 60 test) "
          f"with Adam, lr {args.lr}, seed {args.seed}")
    args.report = _demo_report(args)
    _check_targets(report=args.report, animate=args.animate)
    result = run_training(config, record=args.report is not None,
                          callbacks=[nn.ProgressBar(stream=sys.stdout, every=args.every, live=False)])
    test = result.figures["test"]
    print(f"final: loss {float(result.history.loss[-1]):.4f}, "
          f"test accuracy {float(test['accuracy']):.1%}")
    _write_outputs(result, args)
    return 0


def _demo_report(args):
    """The demo writes mlplab-demo.html unless told otherwise or matplotlib is missing."""
    import importlib.util

    if args.no_report:
        return None
    if args.report is None:
        if importlib.util.find_spec("matplotlib") is None:
            print("(no report: pip install 'mlplab[viz]' to get mlplab-demo.html)")
            return None
        return "mlplab-demo.html"
    return args.report


def _check_targets(save=None, report=None, animate=None, output=None):
    """Refuse, before any training, output paths that cannot be written: a directory,
    a path through a file, a folder that does not exist (see nn._atomic.check_target)."""
    from .nn._atomic import check_target
    from .nn.serialization import model_path

    targets = [(model_path(save) if save else None, "model file (--save)"),
               (report, "report (--report)"), (animate, "animation (--animate)"),
               (output if output not in (None, "-") else None, "predictions file (--output)")]
    for path, what in targets:
        if path:
            check_target(path, create_parents=False, what=what)


def _check_animatable(args):
    """Refuse ``--animate`` before training when it cannot be honoured."""
    from .data import catalog

    if not args.animate.lower().endswith((".gif", ".mp4", ".html")):
        raise ValueError(f"--animate must end in .gif, .mp4 or .html; received {args.animate!r}")
    entry = catalog.ENTRIES.get(args.dataset)
    if entry is not None and (entry.shape[1] != 2 or entry.shape[2] is None):
        raise ValueError(f"--animate needs 2-D classification data; {args.dataset!r} has "
                         f"{entry.shape[1]} features" + ("" if entry.shape[2] else " (regression)"))


def _write_outputs(result, args):
    """The report and the animation a command was asked for."""
    if getattr(args, "report", None):
        from .lab.report import write_report  # needs matplotlib (the viz extra)

        print(f"report         {write_report(result, args.report)}")
    if getattr(args, "animate", None):
        from .viz import TrainingAnimation

        rec = result.recorders.get("boundary")
        if rec is None:
            raise ValueError(f"--animate needs 2-D classification data; {result.dataset.name!r} "
                             f"has {result.dataset.n_features} features")
        ds = result.dataset
        anim = TrainingAnimation(rec, result.history, ds.X_train, ds.y_train, classes=ds.classes,
                                 title=f"{result.config.activation} "
                                       f"{'-'.join(map(str, result.config.layers))}")
        print(f"animation      {anim.save(args.animate)}")


def _train_config(args):
    """The TrainConfig an ``mlplab train`` command line describes."""
    from .lab.train import TrainConfig

    return TrainConfig(
        dataset=args.dataset, layers=args.layers, activation=args.activation,
        optimizer=args.optimizer, lr=args.lr, batch_size=args.batch_size, epochs=args.epochs,
        seeds=_seed_list(args), loss=args.loss, init=args.init, dropout=args.dropout,
        batchnorm=args.batchnorm, l1=args.l1, l2=args.l2, clip_norm=args.clip_norm,
        schedule=args.schedule, val_split=args.val_split, test_size=args.test_size,
        scale=args.scale, clip_value=args.clip_value, patience=args.patience,
        min_delta=args.min_delta, n_samples=args.n_samples, noise=args.noise,
        data_seed=args.data_seed, task=args.task, success=args.success, output=args.output)


def _cmd_train(args) -> int:
    from . import nn
    from .lab.console import print_summary
    from .lab.train import run_training

    config = _train_config(args)
    print(config.command(), file=sys.stderr)
    _check_targets(save=args.save, report=args.report, animate=args.animate)
    if args.animate:
        _check_animatable(args)
    every = max(1, args.epochs // 20)
    result = run_training(config, callbacks=[nn.ProgressBar(stream=sys.stderr, every=every)],
                          record=bool(args.report or args.animate))
    print_summary(result, sys.stdout)
    if args.save:
        path = nn.save(result.model, args.save, meta=result.meta())
        print(f"saved          {path}")
    _write_outputs(result, args)
    return 0


def _cmd_playground(args) -> int:
    try:
        from .playground.app import serve
    except ImportError as exc:  # fastapi / uvicorn missing
        raise ValueError(f"the playground needs the 'playground' extra: pip install 'mlplab[playground]' "
                         f"({exc})") from None
    print(f"mlplab playground on http://{args.host}:{args.port}/  (Ctrl-C to stop)")
    serve(args.host, args.port, open_browser=args.open)
    return 0


def _load_model(path, command: str):
    """A saved model with the metadata ``evaluate`` and ``predict`` need (how the features
    were scaled, the class names, the feature columns), each checked against the network."""
    from . import nn
    from .data.preprocessing import Scaler
    from .lab.console import single_model

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
    from .lab.console import print_evaluation

    model = _load_model(args.model, "evaluate")
    print_evaluation(model, args.dataset, sys.stdout)
    return 0


def _cmd_predict(args) -> int:
    from .lab.console import write_predictions

    _check_targets(output=args.output)
    model = _load_model(args.model, "predict")
    out = sys.stdout if args.output in (None, "-") else None
    n = write_predictions(model, args.file, out or args.output)
    if out is None:
        print(f"wrote {n} predictions to {args.output}", file=sys.stderr)
    return 0


def _seed_list(args):
    if args.seeds is not None:
        return args.seeds
    return list(range(args.seed, args.seed + (args.replicas or 1)))


def _layers(text):
    """``--layers``: hidden widths ``128,64``; ``0`` or an empty value for none (a
    linear model). Every width is a positive integer; ``4,,4`` is refused."""
    rule = "comma-separated positive widths such as 128,64"
    if text.strip() in ("", "0"):
        return ()
    widths = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise argparse.ArgumentTypeError(f"expected {rule}, received {text!r} (an empty width "
                                             "between commas)")
        try:
            width = int(part)
        except ValueError:
            width = 0
        if width < 1:
            raise argparse.ArgumentTypeError(f"expected {rule}, received {text!r} "
                                             "(0 or '' alone: no hidden layer, a linear model)")
        widths.append(width)
    return tuple(widths)


def _seeds(text):
    """``--seeds``: ``0-19``, ``0,3,7`` or both (``0-4,10``); distinct seeds >= 0,
    ranges low-high, at most ``MAX_SEEDS`` in all (counted before any is made)."""
    from .lab.train import MAX_SEEDS, first_repeat

    rule = "seeds such as 0-19 or 0,3,7"
    seeds, count = [], 0
    for part in text.split(","):
        lo, dash, hi = (t.strip() for t in part.partition("-"))
        if not (lo.isdigit() and (hi.isdigit() if dash else True)):
            raise argparse.ArgumentTypeError(f"expected {rule}, received {text!r}")
        lo, hi = int(lo), int(hi) if dash else int(lo)
        if hi < lo:
            raise argparse.ArgumentTypeError(
                f"expected {rule} (a range goes low-high), received {text!r} ({part.strip()} "
                "is reversed)")
        count += hi - lo + 1
        if count > MAX_SEEDS:
            raise argparse.ArgumentTypeError(
                f"expected at most {MAX_SEEDS:,} seeds, received {text!r} ({count:,} or more)")
        seeds += range(lo, hi + 1)
    twice = first_repeat(seeds)
    if twice is not None:
        raise argparse.ArgumentTypeError(f"expected distinct seeds, received {text!r} "
                                         f"(seed {twice} twice)")
    return seeds


def _spec(registry_of, what, allow_none=False):
    """An argparse type for a registry name with parameters: ``step:10:0.5``."""

    def parse(text):
        from .lab import spec

        if allow_none and text.strip().lower() == "none":
            return "none"
        try:
            spec.build(registry_of(), text, what)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text.strip().lower()

    return parse


def _success_rule(text):
    from .nn import success

    try:
        return str(success.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _number(convert, accept, rule):
    """An argparse type: ``convert`` the text and check ``accept``, or say ``rule``."""

    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {rule}, received {text!r}")
        return value

    return parse


_positive_int = _number(int, lambda v: v >= 1, "a positive integer")
_nonnegative_int = _number(int, lambda v: v >= 0, "an integer >= 0")
_positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number")
_nonnegative_float = _number(float, lambda v: 0 <= v < float("inf"), "a number >= 0")
_fraction = _number(float, lambda v: 0 <= v < 1, "a number in [0, 1)")


def _choice(names_fn, what, many=False):
    """An argparse type for registry names (``many``: a comma-separated list of them)."""
    def parse(text):
        names = names_fn()
        picked = [t.strip().lower().replace("-", "_") for t in (text.split(",") if many else [text])]
        for name in picked:
            if name not in names:
                raise argparse.ArgumentTypeError(f"unknown {what} {name!r}; valid: {', '.join(names)}")
        return ",".join(picked)
    return parse


def _add_train(sub):
    from .data.tables import TASKS
    from .lab.train import MAX_SEEDS, OUTPUTS
    from .nn import activations, initializers, losses, optimizers, schedules

    p = sub.add_parser("train", help="train a network on a dataset or CSV file",
                       description="Train an MLP and print a summary; see `mlplab datasets`.",
                       epilog=EPILOG_TRAIN, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", help="a dataset name (mlplab datasets) or a CSV file path")
    p.add_argument("--layers", type=_layers, default=(32, 32),
                   help="hidden widths (default 32,32); 0 or '' for none: a linear model")
    p.add_argument("--activation", type=_choice(activations.names, "activation", many=True),
                   default="relu", help="hidden activation, or one per layer: relu,tanh (default relu)")
    p.add_argument("--optimizer", type=_choice(optimizers.names, "optimizer"), default="adam",
                   help="default adam: " + ", ".join(optimizers.names()))
    p.add_argument("--lr", type=_positive_float, default=1e-3, help="learning rate (default 1e-3)")
    p.add_argument("--batch-size", type=_positive_int, default=64, help="default 64")
    p.add_argument("--epochs", type=_positive_int, default=10, help="default 10")
    p.add_argument("--seed", type=_nonnegative_int, default=0, help="default 0")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--replicas", type=_number(int, lambda v: 1 <= v <= MAX_SEEDS,
                                                  f"an integer from 1 to {MAX_SEEDS:,}"),
                       help="train N seeds at once (seed..seed+N-1), each on its own data")
    group.add_argument("--seeds", type=_seeds,
                       help=f"train these seeds at once, e.g. 0-19 (at most {MAX_SEEDS:,}); each "
                            "seed has its own data draw, split and shuffle, as --seed k alone")
    p.add_argument("--loss", type=_choice(losses.names, "loss"),
                   help="default: the loss that fits --output (logits: cross_entropy; sigmoid: "
                        "bce; log_softmax: nll; regression: mse)")
    p.add_argument("--output", choices=OUTPUTS,
                   help="output layer (default linear: logits); sigmoid on 2 classes is 1 unit")
    p.add_argument("--init", type=_spec(lambda: initializers.registry, "init"), default="he_normal",
                   help="weight initializer, parameters after colons: normal:0.5 (std), "
                        "uniform:0.1 (limit) (default he_normal; see mlplab info)")
    p.add_argument("--dropout", type=_fraction, default=0.0, help="drop probability (default 0)")
    p.add_argument("--batchnorm", action="store_true", help="batch norm after each hidden layer")
    p.add_argument("--l1", type=_nonnegative_float, default=0.0, help="L1 penalty on weights")
    p.add_argument("--l2", type=_nonnegative_float, default=0.0, help="L2 penalty on weights")
    p.add_argument("--clip-norm", type=_positive_float, help="clip gradients to this global norm")
    p.add_argument("--clip-value", type=_positive_float,
                   help="clip every gradient element to [-v, v]")
    p.add_argument("--schedule", type=_spec(lambda: schedules.registry, "schedule", allow_none=True),
                   default="none",
                   help="learning-rate schedule with parameters after colons: step:10:0.5 "
                        "(step size, gamma), exponential:0.95, cosine or cosine:T; bare names: "
                        "cosine to 0 at the last epoch, step x0.1 every third, exponential x0.9")
    p.add_argument("--patience", type=_positive_int,
                   help="early stopping: stop after N epochs without improvement of the "
                        "validation loss (the training loss without validation); keeps the best weights")
    p.add_argument("--min-delta", type=_nonnegative_float, default=0.0,
                   help="early stopping: the smallest change that counts as improvement (default 0)")
    p.add_argument("--val-split", type=_fraction, help="validation fraction (default 0.1, 0 below 100 rows)")
    p.add_argument("--test-size", type=_fraction, default=0.2,
                   help="test fraction for datasets without a test split (default 0.2; "
                        "0: train and report on all the rows)")
    p.add_argument("--n-samples", type=_positive_int, help="generated datasets: rows to draw")
    p.add_argument("--noise", type=_nonnegative_float,
                   help="generated datasets: noise (moons, circles, spirals, line; blobs: their std)")
    p.add_argument("--data-seed", type=_nonnegative_int,
                   help="generated datasets: seed of the draw (default: each run's own seed)")
    p.add_argument("--task", choices=TASKS,
                   help="CSV files: read the label column as classes or as regression targets "
                        "(default: integer labels with at most 20 values, at most half as many "
                        "as rows, are classes)")
    p.add_argument("--success", type=_success_rule, metavar="RULE",
                   help="what counts as success, e.g. 'test_accuracy > 0.9' (default "
                        "'train_accuracy > 0.95'; the seeds line is printed for the 2-D toy "
                        "problems and truth tables, or when this is given)")
    p.add_argument("--scale", choices=("auto", "none", "zscore", "minmax", "robust"),
                   default="auto", help="feature scaling (default: the dataset's own)")
    p.add_argument("--save", metavar="MODEL.npz", help="write the trained model here")
    p.add_argument("--report", metavar="RUN.html", help="write a self-contained HTML report")
    p.add_argument("--animate", metavar="OUT.gif",
                   help="write the training animation (.gif, .mp4 or .html; 2-D data)")
    p.set_defaults(run=_cmd_train)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlplab", description="A neural-network lab written from scratch in NumPy.")
    parser.add_argument("--version", action="version", version=f"mlplab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = sub.add_parser("info", help="list activations, losses, optimizers, initializers, datasets")
    info.set_defaults(run=_cmd_info)

    datasets = sub.add_parser("datasets", help="list datasets, their sizes and whether files are present")
    datasets.set_defaults(run=_cmd_datasets)

    demo = sub.add_parser("demo", help="train a 2-8-8-2 ReLU net on disc-and-ring and print progress")
    demo.add_argument("--epochs", type=_positive_int, default=300, help="epochs (default 300)")
    demo.add_argument("--lr", type=_positive_float, default=0.01, help="learning rate (default 0.01)")
    demo.add_argument("--seed", type=_nonnegative_int, default=0, help="seed (default 0)")
    demo.add_argument("--every", type=_positive_int, default=30, help="print every N epochs (default 30)")
    demo.add_argument("--report", metavar="RUN.html",
                      help="where to write the HTML report (default mlplab-demo.html)")
    demo.add_argument("--no-report", action="store_true", help="do not write a report")
    demo.add_argument("--animate", metavar="OUT.gif", help="also write the animation")
    demo.set_defaults(run=_cmd_demo)

    _add_train(sub)

    pg = sub.add_parser("playground", help="start the browser playground (a local web server)")
    pg.add_argument("--host", default="127.0.0.1",
                    help="address to bind (default 127.0.0.1: this machine only)")
    pg.add_argument("--port", type=_number(int, lambda v: 0 <= v <= 65535, "a port from 0 to 65535"),
                    default=8000, help="default 8000")
    pg.add_argument("--open", action="store_true", help="open the page in a browser")
    pg.set_defaults(run=_cmd_playground)

    ev = sub.add_parser("evaluate", help="accuracy, confusion matrix and report of a saved model")
    ev.add_argument("model", help="a model saved by `mlplab train --save`")
    ev.add_argument("dataset", help="a dataset name (its test split) or a CSV file")
    ev.set_defaults(run=_cmd_evaluate)

    pr = sub.add_parser("predict", help="write a saved model's predictions for a CSV file")
    pr.add_argument("model", help="a model saved by `mlplab train --save`")
    pr.add_argument("file", help="a CSV file with the model's feature columns")
    pr.add_argument("--output", "-o", help="CSV file to write (default: standard output)")
    pr.set_defaults(run=_cmd_predict)
    _add_threads(parser, sub)
    return parser


def _add_threads(parser, sub):
    """``--threads N`` before the command (``mlplab --threads 2 train ...``) or after it."""
    from .nn.blas_threads import DEFAULT

    text = (f"BLAS threads for the matrix products (default {DEFAULT}, or $OPENBLAS_NUM_THREADS: "
            "more threads are slower on a busy machine)")
    parser.add_argument("--threads", type=_positive_int, metavar="N", help=text)
    for command in sub.choices.values():  # SUPPRESS: an absent option keeps the value given before
        command.add_argument("--threads", type=_positive_int, metavar="N", default=argparse.SUPPRESS,
                             help=text)


def _run(args) -> int:
    """Run the command with ``--threads`` BLAS threads, or the user's environment's, or DEFAULT."""
    from .nn import blas_threads

    with blas_threads.threads(args.threads or blas_threads.chosen() or blas_threads.DEFAULT):
        return args.run(args)


def _os_error(exc: OSError) -> str:
    """One line naming the path(s) of an OSError: ``m.npz: Permission denied``."""
    if exc.filename is None:
        return str(exc)  # our own messages name the path already
    paths = f"{exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 is not None else "")
    return f"{paths}: {exc.strerror or exc}"


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    from .nn import DivergenceError

    try:
        return _run(args)
    except KeyboardInterrupt:
        print("\nmlplab: interrupted; nothing was saved", file=sys.stderr)
        return 130
    except DivergenceError as exc:
        print(f"mlplab: {exc}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as exc:
        print(f"mlplab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # permission denied, is a directory, not a directory, disk full...
        print(f"mlplab: error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except ImportError as exc:  # an optional extra is missing
        extra = {"matplotlib": "viz", "PIL": "viz", "fastapi": "playground", "uvicorn": "playground",
                 "torch": "torch"}.get((exc.name or "").split(".")[0], "all")
        print(f"mlplab: error: {exc.name or exc} is not installed; "
              f"pip install 'mlplab[{extra}]'", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
