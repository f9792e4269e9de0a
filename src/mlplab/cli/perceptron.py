"""``mlplab train DATASET --perceptron``: Rosenblatt's perceptron instead of a network.

It prints the weights, the bias, the epochs to converge and the mistakes per epoch;
``--report`` writes the line over the data beside the mistakes per epoch, and
``--animate`` the line moving epoch by epoch (2-D data).
"""

from __future__ import annotations

import html
import sys

#: lesson B's perceptron: lr 0.1, at most 100 epochs (--lr and --epochs change them)
LR, EPOCHS = 0.1, 100


def add_options(p):
    """The perceptron's options on ``mlplab train``."""
    g = p.add_argument_group("perceptron (with --perceptron; --lr defaults to 0.1 and --epochs "
                             "to 100 there, as in lesson B)")
    g.add_argument("--perceptron", action="store_true",
                   help="train a perceptron (a step unit, the perceptron rule) instead of a network")
    g.add_argument("--start", choices=("zeros", "small"), default="zeros",
                   help="starting weights: zeros (default) or small: 0.01 N(0, 1) drawn as "
                        "np.random.seed(SEED); np.random.randn(n), as lesson B")
    g.add_argument("--rule", choices=(">", ">="), default=">",
                   help="predict 1 when w.x + b > 0 (default) or >= 0 (lesson B's step)")


def run(args) -> int:
    from ..lab.perceptron import PerceptronConfig, run_perceptron
    from .options import check_targets

    hidden = [flag for flag, given in (("--layers", args.layers != (32, 32)),
                                       ("--seeds/--replicas", args.seeds or args.replicas),
                                       ("--save", args.save)) if given]
    if hidden:
        raise ValueError(f"--perceptron trains one perceptron; {hidden[0]} applies to networks")
    check_targets(report=args.report, animate=args.animate)
    if args.animate and not args.animate.lower().endswith((".gif", ".html", ".mp4")):
        raise ValueError(f"--animate must end in .gif, .mp4 or .html; received {args.animate!r}")
    options = {k: getattr(args, k) for k in ("n_samples", "noise", "data_seed")
               if getattr(args, k) is not None}
    if getattr(args, "scale", "auto") not in (None, "auto"):  # e.g. the playground's CSV, unscaled
        options["scale"] = args.scale
    config = PerceptronConfig(dataset=args.dataset, lr=LR if args.lr is None else args.lr,
                              epochs=EPOCHS if args.epochs is None else args.epochs,
                              init=args.start, rule=args.rule, seed=args.seed,
                              test_size=args.test_size, data_options=options)
    result = run_perceptron(config)
    print_result(result, sys.stdout)
    write_outputs(result, args)
    return 0


def print_result(result, out) -> None:
    p, cfg = result.model, result.config
    w = ", ".join(f"{v:.4f}" for v in p.weights_)
    start = ", ".join(f"{v:.4f}" for v in p.initial_weights_)
    print(f"perceptron     {result.dataset.name}: lr {cfg.lr:g}, start {cfg.init} [{start}], "
          f"predicts 1 when w.x + b {cfg.rule} 0", file=out)
    print(f"{'weights':14} [{w}]", file=out)
    print(f"{'bias':14} {p.bias_:.4f}", file=out)
    n = p.n_iter_
    verdict = (f"converged after {n} epoch{'s' * (n > 1)} (the last without mistakes)" if p.converged_
               else f"not converged in {n} epochs (the classes may not be separable by a line)")
    print(f"{'epochs':14} {verdict}", file=out)
    print(f"{'mistakes':14} {' '.join(map(str, p.errors_[:40]))}"
          + (" ..." if len(p.errors_) > 40 else "") + "   (per epoch)", file=out)
    ds = result.dataset
    same = ds.X_test is ds.X_train  # a truth table: its 4 rows are all there is
    print(f"{'train':14} accuracy {100 * result.train_accuracy:.2f}%"
          + (f"  ({ds.n_train} rows; no separate test set)" if same else ""), file=out)
    if result.test_accuracy is not None and not same:
        print(f"{'test':14} accuracy {100 * result.test_accuracy:.2f}%", file=out)


def write_outputs(result, args) -> None:
    ds = result.dataset
    two_d = ds.n_features == 2
    if (args.report or args.animate) and not two_d:
        raise ValueError(f"--report and --animate draw the perceptron's line on 2-D data; "
                         f"{ds.name!r} has {ds.n_features} features")
    if args.report:
        print(f"report         {write_report(result, args.report)}")
    if args.animate:
        from ..viz.perceptron import PerceptronAnimation

        anim = PerceptronAnimation(result.path, result.model.errors_, ds.scaler.transform(ds.X_train),
                                   ds.y_train, classes=ds.classes, converged=result.model.converged_)
        print(f"animation      {anim.save(args.animate, fps=2)}")


def write_report(result, path):
    from ..lab.report import CSS, _img
    from ..nn._atomic import atomic_file
    from ..viz.perceptron import PerceptronAnimation, perceptron_figure
    from ..viz.player import PAGE_CSS, player_html

    ds, p = result.dataset, result.model
    X = ds.scaler.transform(ds.X_train)
    fig = perceptron_figure(p, X, ds.y_train, classes=ds.classes)
    anim = PerceptronAnimation(result.path, p.errors_, X, ds.y_train, classes=ds.classes,
                               converged=p.converged_)
    buf = []
    print_result(result, _Lines(buf))
    body = (f"<h1>perceptron: {html.escape(ds.name)}</h1><pre>{html.escape(''.join(buf))}</pre>"
            + _img(fig, "the perceptron's line and its mistakes per epoch")
            + player_html(list(anim.frames()), anim.labels(), fps=2, title="epoch by epoch"))
    page = (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><link rel='icon' "
            f"href='data:,'><title>perceptron</title><style>{PAGE_CSS}{CSS}</style></head>"
            f"<body>{body}</body></html>\n")
    with atomic_file(path, "w", encoding="utf-8") as f:
        f.write(page)
    return path


class _Lines:
    def __init__(self, buf):
        self.buf = buf

    def write(self, text):
        self.buf.append(text)
