"""The ``mlplab`` command: one small module per subcommand (``cli/train.py`` ...),
each with an ``add(sub)`` that registers its parser; shared option types live in
``cli/options.py``. A new subcommand is a new module listed in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys

from .._version import __version__
from . import explain, export, info, lesson, models, playground, runs, sweep, train, verify
from .options import positive_int

#: each entry registers one or more subcommands, in the order ``mlplab --help`` lists them
COMMANDS = [info.add, train.add_demo, train.add, sweep.add, runs.add, verify.add, explain.add,
            export.add, playground.add, lesson.add, models.add]


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error: ``mlplab train: error: ...`` and where help is,
    instead of the whole usage block above the one line that matters."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="mlplab", description="A neural-network lab written from scratch in NumPy.")
    parser.add_argument("--version", action="version", version=f"mlplab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    _add_threads(parser, sub)
    return parser


def _add_threads(parser, sub):
    """``--threads N`` before the command (``mlplab --threads 2 train ...``) or after it."""
    from ..nn.blas_threads import DEFAULT

    text = (f"BLAS threads for the matrix products (default {DEFAULT}, or $OPENBLAS_NUM_THREADS: "
            "more threads are slower on a busy machine)")
    parser.add_argument("--threads", type=positive_int, metavar="N", help=text)
    for command in sub.choices.values():  # SUPPRESS: an absent option keeps the value given before
        command.add_argument("--threads", type=positive_int, metavar="N", default=argparse.SUPPRESS,
                             help=text)


def _run(args) -> int:
    """Run the command with ``--threads`` BLAS threads, or the user's environment's, or DEFAULT."""
    from ..nn import blas_threads

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
    from ..nn import DivergenceError

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
                 "torch": "torch", "onnx": "onnx", "onnxruntime": "onnx",
                 }.get((exc.name or "").split(".")[0], "all")
        print(f"mlplab: error: {exc.name or exc} is not installed; "
              f"pip install 'mlplab[{extra}]'", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
