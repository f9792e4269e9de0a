"""The option types and checks every ``mlplab`` subcommand shares.

argparse stays the parser; each function here is an argparse ``type=`` (it turns the
text into a value or raises ``ArgumentTypeError`` naming the rule and the text) or a
check made before any work starts.
"""

from __future__ import annotations

import argparse


def number(convert, accept, rule):
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


positive_int = number(int, lambda v: v >= 1, "a positive integer")


nonnegative_int = number(int, lambda v: v >= 0, "an integer >= 0")


positive_float = number(float, lambda v: 0 < v < float("inf"), "a positive number")


nonnegative_float = number(float, lambda v: 0 <= v < float("inf"), "a number >= 0")


fraction = number(float, lambda v: 0 <= v < 1, "a number in [0, 1)")


def choice(names_fn, what, many=False):
    """An argparse type for registry names (``many``: a comma-separated list of them)."""
    def parse(text):
        names = names_fn()
        picked = [t.strip().lower().replace("-", "_") for t in (text.split(",") if many else [text])]
        for name in picked:
            if name not in names:
                raise argparse.ArgumentTypeError(f"unknown {what} {name!r}; valid: {', '.join(names)}")
        return ",".join(picked)
    return parse


def spec_type(registry_of, what, allow_none=False):
    """An argparse type for a registry name with parameters: ``step:10:0.5``."""

    def parse(text):
        from ..lab import spec

        if allow_none and text.strip().lower() == "none":
            return "none"
        try:
            spec.build(registry_of(), text, what)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text.strip().lower()

    return parse


def success_rule(text):
    from ..nn import success

    try:
        return str(success.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def layers(text):
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


def seeds(text):
    """``--seeds``: ``0-19``, ``0,3,7`` or both (``0-4,10``); distinct seeds >= 0,
    ranges low-high, at most ``MAX_SEEDS`` in all (counted before any is made)."""
    from ..lab.train import MAX_SEEDS, first_repeat

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


def seed_list(args):
    if args.seeds is not None:
        return args.seeds
    return list(range(args.seed, args.seed + (args.replicas or 1)))


def check_targets(save=None, report=None, animate=None, output=None):
    """Refuse, before any training, output paths that cannot be written: a directory,
    a path through a file, a folder that does not exist (see nn._atomic.check_target)."""
    from ..nn._atomic import check_target
    from ..nn.serialization import model_path

    targets = [(model_path(save) if save else None, "model file (--save)"),
               (report, "report (--report)"), (animate, "animation (--animate)"),
               (output if output not in (None, "-") else None, "predictions file (--output)")]
    for path, what in targets:
        if path:
            check_target(path, create_parents=False, what=what)


def batch_size(text):
    """``--batch-size``: a positive integer, or ``full`` (None: every training row in one step)."""
    if text.strip().lower() == "full":
        return None
    return positive_int(text)
