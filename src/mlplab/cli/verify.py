"""``mlplab verify``: train the same network in mlplab and in PyTorch and compare."""

from __future__ import annotations

import argparse
import sys

EPILOG = """examples:
  mlplab verify moons --layers 10,5 --optimizer sgd --lr 0.1 --epochs 2000
  mlplab verify iris --layers 10,8 --optimizer sgd --lr 0.01 --epochs 500 --dtype float64
  mlplab verify disc_ring --layers 4,4 --lr 0.05 --batch-size 300 --epochs 300 --plot v.png

Exit status 0 when the two agree, 1 when they do not (the rule is printed)."""


def _cmd_verify(args) -> int:
    from ..lab.verify import verify
    from .options import check_targets
    from .train import train_config

    check_targets(report=args.report, output=args.plot)
    config = train_config(args)
    print(f"verify: {config.command().replace('mlplab train', 'mlplab verify', 1)}", file=sys.stderr)
    every = max(1, config.epochs // 10)

    def progress(epoch, loss_m, loss_t):
        if epoch % every == 0 or epoch == config.epochs:
            print(f"epoch {epoch}/{config.epochs}  loss mlplab {loss_m:.6f}  PyTorch {loss_t:.6f}",
                  file=sys.stderr)

    result = verify(config, dtype=args.dtype, tolerance=args.tolerance, callback=progress)
    print(result.text())
    if args.plot or args.report:
        write_pictures(result, args.plot, args.report)
    return 0 if result.agrees else 1


def write_pictures(result, plot=None, report=None):
    """The figure as a PNG (``plot``) and/or in a small self-contained HTML page."""
    import base64
    import html
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..nn._atomic import atomic_file

    fig = result.figure()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    png = buffer.getvalue()
    if plot:
        with atomic_file(plot, "wb") as f:
            f.write(png)
        print(f"plot           {plot}")
    if report:
        page = (f"<!doctype html><meta charset='utf-8'><title>mlplab verify</title>"
                f"<h1>mlplab vs PyTorch</h1><p><code>{html.escape(result.config.command())}</code> "
                f"({result.dtype})</p><pre>{html.escape(result.text())}</pre>"
                f"<img alt='loss curves and decision boundaries' "
                f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>")
        with atomic_file(report, "w", encoding="utf-8") as f:
            f.write(page)
        print(f"report         {report}")


def add(sub):
    from .options import positive_float
    from .train import add_options

    p = sub.add_parser("verify", help="train the same network in mlplab and PyTorch and compare",
                       description="Train one network in mlplab and in PyTorch (the 'torch' extra) "
                                   "from the same initial weights on the same batches; report per "
                                   "epoch the largest loss difference, both accuracies, the "
                                   "agreement of the decision boundaries (2-D data) and both times.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", help="a dataset name (mlplab datasets) or a CSV file path")
    add_options(p)
    p.add_argument("--tolerance", type=positive_float,
                   help="largest loss difference allowed (default 1e-4 in float32, 1e-7 in float64)")
    p.add_argument("--plot", metavar="OUT.png", help="both loss curves and both boundaries")
    p.add_argument("--report", metavar="OUT.html", help="the table and the picture in one page")
    p.set_defaults(run=_cmd_verify)
