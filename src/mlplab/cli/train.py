"""``mlplab train`` (and ``mlplab demo``, the same run with fixed settings)."""

from __future__ import annotations

import argparse
import sys

from . import perceptron
from .options import (
    batch_size,
    check_targets,
    choice,
    fraction,
    layers,
    nonnegative_float,
    nonnegative_int,
    number,
    positive_float,
    positive_int,
    seed_list,
    seeds,
    spec_type,
    success_rule,
)

EPILOG_TRAIN = """examples:
  mlplab train iris --layers 16 --epochs 100 --lr 0.01
  mlplab train disc_ring --layers 4,4 --seeds 0-19 --epochs 300 --lr 0.05 --batch-size 300
  MLPLAB_DATA=../shared/data mlplab train mnist --layers 128,64 --epochs 5 --save mnist.npz

  MNIST to >= 98% test accuracy in about half a minute on 2 cores (98.5% measured, 31 s):
  mlplab train mnist --layers 512,256 --dropout 0.2 --batch-size 128 --epochs 15 \\
      --schedule cosine --save mnist.npz
"""


def check_animatable(args):
    """Refuse ``--animate`` before training when it cannot be honoured."""
    from ..data import catalog

    if not args.animate.lower().endswith((".gif", ".mp4", ".html")):
        raise ValueError(f"--animate must end in .gif, .mp4 or .html; received {args.animate!r}")
    entry = catalog.ENTRIES.get(args.dataset)
    one_d_regression = entry is not None and entry.shape[1] == 1 and entry.shape[2] is None
    if entry is not None and not one_d_regression and (entry.shape[1] != 2 or entry.shape[2] is None):
        raise ValueError(f"--animate needs 2-D classification data or 1-D regression data; "
                         f"{args.dataset!r} has {entry.shape[1]} features"
                         + ("" if entry.shape[2] else " (regression)"))


def write_outputs(result, args):
    """The report and the animation a command was asked for."""
    if getattr(args, "report", None):
        from ..lab.report import write_report  # needs matplotlib (the viz extra)

        print(f"report         {write_report(result, args.report)}")
    if getattr(args, "animate", None):
        from ..lab.report import run_title
        from ..viz import RegressionAnimation, TrainingAnimation

        rec = result.recorders.get("boundary")
        ds = result.dataset
        curve = result.recorders.get("curve")
        if rec is None and curve is not None:
            anim = RegressionAnimation(curve, result.history, ds.X_train, ds.y_train,
                                       title=run_title(result))
            print(f"animation      {anim.save(args.animate)}")
            return
        if rec is None:
            raise ValueError(f"--animate needs 2-D classification data or 1-D regression data; "
                             f"{result.dataset.name!r} has {result.dataset.n_features} features")
        anim = TrainingAnimation(rec, result.history, ds.X_train, ds.y_train, classes=ds.classes,
                                 title=run_title(result))
        print(f"animation      {anim.save(args.animate)}")


def train_config(args):
    """The TrainConfig an ``mlplab train`` command line describes."""
    from ..lab.train import TrainConfig

    return TrainConfig(
        dataset=args.dataset, layers=args.layers, activation=args.activation,
        optimizer=args.optimizer, lr=TrainConfig.lr if args.lr is None else args.lr,
        batch_size=args.batch_size, epochs=TrainConfig.epochs if args.epochs is None else args.epochs,
        seeds=seed_list(args), loss=args.loss, init=args.init, dropout=args.dropout,
        batchnorm=args.batchnorm, l1=args.l1, l2=args.l2, clip_norm=args.clip_norm,
        schedule=args.schedule, val_split=args.val_split, test_size=args.test_size,
        scale=args.scale, clip_value=args.clip_value, patience=args.patience,
        min_delta=args.min_delta, n_samples=args.n_samples, noise=args.noise,
        data_seed=args.data_seed, task=args.task, success=args.success, output=args.output,
        rng=args.rng, data_rng=args.data_rng, momentum=args.momentum,
        weight_decay=args.weight_decay, dtype=args.dtype)


def PrintSummary(stream):
    """A callback that prints the network's short summary (one line per Dense layer)
    when training begins."""
    from ..nn import Callback

    class _PrintSummary(Callback):
        def on_train_begin(self, run):
            first, *rest = run.model.summary("short").splitlines()
            print("\n".join([f"{'network':14} {first}", *(" " * 15 + line for line in rest)]),
                  file=stream)
            stream.flush()

    return _PrintSummary()


def _cmd_train(args) -> int:
    from .. import nn
    from ..lab.console import print_summary
    from ..lab.train import run_training

    if args.perceptron:
        return perceptron.run(args)
    config = train_config(args)
    print(config.command(), file=sys.stderr)
    check_targets(save=args.save, report=args.report, animate=args.animate)
    if args.animate:
        check_animatable(args)
    every = max(1, config.epochs // 20)
    result = run_training(config, callbacks=[PrintSummary(sys.stdout),
                                             nn.ProgressBar(stream=sys.stderr, every=every)],
                          record=bool(args.report or args.animate))
    print_summary(result, sys.stdout)
    if args.save:
        path = nn.save(result.model, args.save, meta=result.meta())
        print(f"saved          {path}")
    write_outputs(result, args)
    return 0


def _cmd_demo(args) -> int:
    from .. import nn
    from ..lab.train import TrainConfig, run_training

    config = TrainConfig(dataset="disc_ring", layers=(8, 8), lr=args.lr, epochs=args.epochs,
                         batch_size=300, seeds=(args.seed,), val_split=0.0)
    print(f"demo: a 2-8-8-2 ReLU network learns disc-and-ring (240 training points, 60 test) "
          f"with Adam, lr {args.lr}, seed {args.seed}")
    args.report = _demo_report(args)
    check_targets(report=args.report, animate=args.animate)
    result = run_training(config, record=args.report is not None,
                          callbacks=[nn.ProgressBar(stream=sys.stdout, every=args.every, live=False)])
    test = result.figures["test"]
    print(f"final: loss {float(result.history.loss[-1]):.4f}, "
          f"test accuracy {float(test['accuracy']):.1%}")
    write_outputs(result, args)
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


def add_options(p):
    """Every option that defines a run (what ``TrainConfig`` holds but the dataset):
    ``mlplab train`` has them, and so may any command that trains."""
    from ..data.tables import TASKS
    from ..lab.train import MAX_SEEDS, OUTPUTS
    from ..nn import activations, initializers, losses, optimizers, schedules

    p.add_argument("--layers", type=layers, default=(32, 32),
                   help="hidden widths (default 32,32); 0 or '' for none: a linear model")
    p.add_argument("--activation", type=choice(activations.names, "activation", many=True),
                   default="relu", help="hidden activation, or one per layer: relu,tanh (default relu)")
    p.add_argument("--optimizer", type=choice(optimizers.names, "optimizer"), default="adam",
                   help="default adam: " + ", ".join(optimizers.names()))
    p.add_argument("--lr", type=positive_float, default=1e-3, help="learning rate (default 1e-3)")
    p.add_argument("--batch-size", type=batch_size, default=64,
                   help="samples per step (default 64); 'full' for every training row at once")
    p.add_argument("--epochs", type=positive_int, default=10, help="default 10")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="default 0")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--replicas", type=number(int, lambda v: 1 <= v <= MAX_SEEDS,
                                                  f"an integer from 1 to {MAX_SEEDS:,}"),
                       help="train N seeds at once (seed..seed+N-1), each on its own data")
    group.add_argument("--seeds", type=seeds,
                       help=f"train these seeds at once, e.g. 0-19 (at most {MAX_SEEDS:,}); each "
                            "seed has its own data draw, split and shuffle, as --seed k alone")
    p.add_argument("--loss", type=choice(losses.names, "loss"),
                   help="default: the loss that fits --output (logits: cross_entropy; sigmoid: "
                        "bce; log_softmax: nll; regression: mse)")
    p.add_argument("--output", choices=OUTPUTS,
                   help="output layer (default linear: logits); sigmoid on 2 classes is 1 unit")
    p.add_argument("--init", type=spec_type(lambda: initializers.registry, "init"), default="he_normal",
                   help="weight initializer, parameters after colons: normal:0.5 (std), "
                        "uniform:0.1 (limit) (default he_normal; see mlplab info)")
    p.add_argument("--dropout", type=fraction, default=0.0, help="drop probability (default 0)")
    p.add_argument("--batchnorm", action="store_true", help="batch norm after each hidden layer")
    p.add_argument("--l1", type=nonnegative_float, default=0.0, help="L1 penalty on weights")
    p.add_argument("--l2", type=nonnegative_float, default=0.0, help="L2 penalty on weights")
    p.add_argument("--clip-norm", type=positive_float, help="clip gradients to this global norm")
    p.add_argument("--clip-value", type=positive_float,
                   help="clip every gradient element to [-v, v]")
    p.add_argument("--schedule", type=spec_type(lambda: schedules.registry, "schedule", allow_none=True),
                   default="none",
                   help="learning-rate schedule with parameters after colons: step:10:0.5 "
                        "(step size, gamma), exponential:0.95, cosine or cosine:T; bare names: "
                        "cosine to 0 at the last epoch, step x0.1 every third, exponential x0.9")
    p.add_argument("--patience", type=positive_int,
                   help="early stopping: stop after N epochs without improvement of the "
                        "validation loss (the training loss without validation); keeps the best weights")
    p.add_argument("--min-delta", type=nonnegative_float, default=0.0,
                   help="early stopping: the smallest change that counts as improvement (default 0)")
    p.add_argument("--val-split", type=fraction, help="validation fraction (default 0.1, 0 below 100 rows)")
    p.add_argument("--test-size", type=fraction, default=0.2,
                   help="test fraction for datasets without a test split (default 0.2; "
                        "0: train and report on all the rows)")
    p.add_argument("--n-samples", type=positive_int, help="generated datasets: rows to draw")
    p.add_argument("--noise", type=nonnegative_float,
                   help="generated datasets: noise (moons, circles, spirals, line; blobs: their std)")
    p.add_argument("--data-seed", type=nonnegative_int,
                   help="generated datasets: seed of the draw (default: each run's own seed)")
    p.add_argument("--rng", choices=("numpy", "torch"), default="numpy",
                   help="where the initial weights come from: torch = PyTorch's own draws for "
                        "torch.manual_seed(seed), bit for bit, without PyTorch (needs --init torch)")
    p.add_argument("--data-rng", choices=("numpy", "legacy"),
                   help="generated datasets: legacy = the lessons' draws for the seed "
                        "(np.random.seed for disc_ring; scikit-learn's make_moons/make_circles)")
    p.add_argument("--task", choices=TASKS,
                   help="CSV files: read the label column as classes or as regression targets "
                        "(default: integer labels with at most 20 values, at most half as many "
                        "as rows, are classes)")
    p.add_argument("--success", type=success_rule, metavar="RULE",
                   help="what counts as success, e.g. 'test_accuracy > 0.9' (default "
                        "'train_accuracy > 0.95'; the seeds line is printed for the 2-D toy "
                        "problems and truth tables, or when this is given)")
    p.add_argument("--scale", choices=("auto", "none", "zscore", "minmax", "robust"),
                   default="auto", help="feature scaling (default: the dataset's own)")
    p.add_argument("--momentum", type=fraction,
                   help="momentum of sgd, momentum, nesterov, rmsprop (default: the optimizer's)")
    p.add_argument("--weight-decay", type=nonnegative_float,
                   help="optimizer weight decay (default: the optimizer's, 0.01 for adamw)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                   help="floating-point precision (default float32)")


def add(sub):
    """``mlplab train``."""
    p = sub.add_parser("train", help="train a network on a dataset or CSV file",
                       description="Train an MLP and print a summary; see `mlplab datasets`.",
                       epilog=EPILOG_TRAIN, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", help="a dataset name (mlplab datasets) or a CSV file path")
    add_options(p)
    p.add_argument("--save", metavar="MODEL.npz", help="write the trained model here")
    p.add_argument("--report", metavar="RUN.html", help="write a self-contained HTML report")
    p.add_argument("--animate", metavar="OUT.gif",
                   help="write the training animation (.gif, .mp4 or .html; 2-D data)")
    perceptron.add_options(p)
    p.set_defaults(run=_cmd_train, lr=None, epochs=None)  # None: the network's or the perceptron's


def add_demo(sub):
    """``mlplab demo``."""
    demo = sub.add_parser("demo", help="train a 2-8-8-2 ReLU net on disc-and-ring and print progress")
    demo.add_argument("--epochs", type=positive_int, default=300, help="epochs (default 300)")
    demo.add_argument("--lr", type=positive_float, default=0.01, help="learning rate (default 0.01)")
    demo.add_argument("--seed", type=nonnegative_int, default=0, help="seed (default 0)")
    demo.add_argument("--every", type=positive_int, default=30, help="print every N epochs (default 30)")
    demo.add_argument("--report", metavar="RUN.html",
                      help="where to write the HTML report (default mlplab-demo.html)")
    demo.add_argument("--no-report", action="store_true", help="do not write a report")
    demo.add_argument("--animate", metavar="OUT.gif", help="also write the animation")
    demo.set_defaults(run=_cmd_demo)
