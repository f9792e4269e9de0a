"""The ``mlplab`` command."""

from __future__ import annotations

import argparse
import sys

from ._version import __version__


def _cmd_info(args) -> int:
    from . import data
    from .nn import activations, initializers, losses, optimizers, schedules

    families = [
        ("activations", activations.names()),
        ("losses", losses.names()),
        ("optimizers", optimizers.names()),
        ("initializers", initializers.names()),
        ("schedules", schedules.names()),
        ("datasets", data.names()),
    ]
    print(f"mlplab {__version__}")
    for family, names in families:
        print(f"{family + ':':14} {', '.join(names)}")
    return 0


def _cmd_demo(args) -> int:
    import numpy as np

    from . import data, nn

    X, y = data.disc_ring(seed=args.seed)
    net = nn.mlp([2, 8, 8, 2], activation="relu", seed=args.seed)
    print(f"demo: a 2-8-8-2 ReLU network learns disc-and-ring ({len(X)} points) "
          f"with Adam, lr {args.lr}, seed {args.seed}")
    history = nn.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=args.lr,
                     epochs=args.epochs, seed=args.seed,
                     callbacks=[nn.ProgressBar(stream=sys.stdout, every=args.every)])
    acc = float(np.mean(net.predict(X) == y))
    print(f"final: loss {float(history.loss[-1]):.4f}, training accuracy {acc:.1%}")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlplab", description="A neural-network lab written from scratch in NumPy.")
    parser.add_argument("--version", action="version", version=f"mlplab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = sub.add_parser("info", help="list activations, losses, optimizers, initializers, datasets")
    info.set_defaults(run=_cmd_info)

    demo = sub.add_parser("demo", help="train a 2-8-8-2 ReLU net on disc-and-ring and print progress")
    demo.add_argument("--epochs", type=_positive_int, default=300, help="epochs (default 300)")
    demo.add_argument("--lr", type=_positive_float, default=0.01, help="learning rate (default 0.01)")
    demo.add_argument("--seed", type=_nonnegative_int, default=0, help="seed (default 0)")
    demo.add_argument("--every", type=_positive_int, default=30,
                      help="print every N epochs (default 30)")
    demo.set_defaults(run=_cmd_demo)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, TypeError) as exc:
        print(f"mlplab: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
