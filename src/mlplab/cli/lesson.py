"""``mlplab lesson [a|b|c|d|e]``: list the lessons, or run one into a report folder."""

from __future__ import annotations

import sys
from pathlib import Path


def add(sub):
    """``mlplab lesson``."""
    p = sub.add_parser(
        "lesson", help="run one of the five lessons: report, numbers and figures",
        description="Without a lesson, list the lessons. With one, run every item of it with "
                    "mlplab and write OUT/index.html (offline report: each section's figures, the "
                    "numbers measured and the lesson's claims beside them, with verdicts), "
                    "OUT/results.json (every number, by section) and the figure files.")
    p.add_argument("lesson", nargs="?", metavar="LESSON", help="a, b, c, d or e")
    p.add_argument("--out", metavar="DIR", help="folder for the report (default: lesson-LESSON)")
    p.add_argument("--quick", action="store_true",
                   help="a reduced protocol (fewer seeds and epochs, an MNIST subset): under a minute")
    p.add_argument("--only", metavar="KEYS",
                   help="run only these sections (keys joined by commas; see --list)")
    p.add_argument("--list", action="store_true", help="list the lesson's sections and stop")
    p.add_argument("--open", action="store_true", help="open the report in a browser when done")
    p.add_argument("--playground", action="store_true",
                   help="instead of running the lesson, open the playground on its presets")
    p.add_argument("--port", type=int, default=8000, help="the playground's port (default 8000)")
    p.set_defaults(run=_cmd_lesson)


def _list_lessons() -> int:
    from .. import lessons

    for lesson in lessons.all_lessons():
        print(f"{lesson.key}  {lesson.title}  ({len(lesson.sections)} sections)")
    print("run one: mlplab lesson a --out lesson-a [--quick] [--open]")
    return 0


def _summary(results: dict) -> str:
    from ..lessons.runner import verdicts

    n = verdicts(results)
    return (f"{len(results['sections'])} sections, {n['all']} claims of the lesson checked: "
            f"{n[True]} hold, {n[False]} do not hold, {n[None]} shown to compare")


def _cmd_lesson(args) -> int:
    from .. import lessons

    if args.lesson is None:
        return _list_lessons()
    lesson = lessons.get(args.lesson)
    if args.list:
        for s in lesson.sections:
            print(f"{s.key:24s} {s.title}")
        return 0
    if args.playground:
        from .playground import _cmd_playground_at

        return _cmd_playground_at(args.port, lesson.presets)
    out = Path(args.out or f"lesson-{lesson.key}")
    only = [k.strip() for k in args.only.split(",") if k.strip()] if args.only else None
    results = lessons.run(lesson.key, out, quick=args.quick, only=only)
    print(f"lesson {lesson.key}: {_summary(results)}; {results['seconds']:.0f} s")
    print(f"wrote {out / 'index.html'} and {out / 'results.json'}")
    errors = {k: s["error"] for k, s in results["sections"].items() if "error" in s}
    for key, error in errors.items():
        print(f"mlplab lesson {lesson.key}: section {key!r} failed: {error}", file=sys.stderr)
    if args.open:
        import webbrowser

        webbrowser.open((out / "index.html").resolve().as_uri())
    return 1 if errors else 0
