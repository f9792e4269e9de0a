"""The five lessons as code: ``mlplab lesson a|b|c|d|e`` and the notebooks in ``lessons/``.

Each lesson module (``lessons/a.py`` ...) holds a :class:`~.section.Lesson` whose
sections are plain functions from settings to numbers and figures. :func:`run` runs a
lesson and writes ``index.html``, ``results.json`` and the figure files.
"""

from __future__ import annotations

from importlib import import_module

from .section import Claim, Lesson, Outcome, Section, Settings

#: the lessons in teaching order; lesson ``k`` is the module ``mlplab.lessons.k`` holding ``LESSON``
KEYS = ("a", "b", "c", "d", "e")


def get(key: str) -> Lesson:
    """The lesson ``key`` ("a" ... "e"), or a ValueError naming the valid keys."""
    name = str(key).lower()
    if name not in KEYS:
        raise ValueError(f"lesson must be one of {', '.join(KEYS)}; got {key!r}")
    return import_module(f"{__name__}.{name}").LESSON


def all_lessons() -> list[Lesson]:
    return [get(k) for k in KEYS]


def run(key: str, out, quick: bool = False, only=None, progress=None):
    """Run lesson ``key`` into the folder ``out``; see :func:`.runner.run_lesson`."""
    from .runner import run_lesson

    return run_lesson(get(key), out, quick=quick, only=only, progress=progress)


__all__ = ["Claim", "Lesson", "Outcome", "Section", "Settings", "all_lessons", "get", "run"]
