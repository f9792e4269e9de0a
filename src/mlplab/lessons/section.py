"""A lesson as data: an ordered list of sections, each a plain function from
:class:`Settings` to an :class:`Outcome` (numbers, figures, the lesson's claims beside
what mlplab measured).

The report (``mlplab lesson``), the notebooks and the tests all call the same section
functions, so every number has one source::

    from mlplab import lessons
    out = lessons.get("a").section("softmax")(quick=True)
    out.numbers["probabilities"]        # [0.629, 0.231, 0.140]
    out.claims[0].holds                 # False: the lesson's table says 0.59 / 0.22 / 0.13
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Claim:
    """One thing the lesson says, beside what mlplab measured.

    ``said``: the claim in our words ("softmax([2, 1, 0.5]) = 0.59 / 0.22 / 0.13");
    ``measured``: what mlplab got ("0.629 / 0.231 / 0.140"); ``holds``: True (it holds),
    False (it does not: ``evidence`` says why), None (shown, not judged: an estimate,
    a picture to compare by eye).
    """

    said: str
    measured: str
    holds: bool | None = None
    evidence: str = ""

    @property
    def verdict(self) -> str:
        return {True: "holds", False: "does not hold", None: "compare"}[self.holds]


@dataclass
class Outcome:
    """What one section produced.

    - ``numbers``: name -> JSON-able value (floats, ints, strings, lists, dicts of them;
      NumPy values are converted when written);
    - ``figures``: file stem -> a matplotlib Figure (written as PNG) or an animation with
      ``save(path)`` (written as GIF); insertion order is the order shown;
    - ``tables``: caption -> rows (a list of dicts with the same keys, the columns), for
      the lesson's tables reproduced (shown as HTML tables, kept in results.json);
    - ``claims``: the lesson's claims and verdicts (:class:`Claim`);
    - ``text``: a few sentences of explanation (plain text; blank lines split paragraphs);
    - ``code``: the few lines of mlplab that do this experiment, shown in the report;
    - ``outside``: where the lesson uses something outside mlplab (a GPU, CIFAR-10 ...):
      what, and the nearest thing shown instead.
    """

    numbers: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    claims: list = field(default_factory=list)
    text: str = ""
    code: str = ""
    outside: str = ""


@dataclass(frozen=True)
class Settings:
    """How a section runs: ``quick`` (a reduced protocol: fewer seeds and epochs, an
    MNIST subset) and ``progress`` (called with a short text as long work advances)."""

    quick: bool = False
    progress: Callable[[str], None] | None = None

    def pick(self, full, quick):
        """``quick`` in quick mode, else ``full``."""
        return quick if self.quick else full

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)


@dataclass(frozen=True)
class Section:
    """One item of a lesson: ``key`` (stable, used in results.json and file names),
    ``title`` (as the report shows it) and ``run(settings) -> Outcome``."""

    key: str
    title: str
    run: Callable[[Settings], Outcome]

    def __call__(self, quick: bool = False, progress=None) -> Outcome:
        return self.run(Settings(quick=quick, progress=progress))


@dataclass
class Lesson:
    """A lesson: ``key`` ("a"), ``title``, ``source`` (the lesson's file name),
    ``about`` (one paragraph), ``presets`` (playground preset names) and its sections
    in the lesson's order, registered with :meth:`add`."""

    key: str
    title: str
    source: str
    about: str
    presets: tuple = ()
    sections: list = field(default_factory=list)

    def add(self, key: str, title: str):
        """Decorator: ``@LESSON.add("softmax", "Softmax of [2, 1, 0.5]")`` on a function
        ``(settings) -> Outcome`` appends it as the next section."""
        if any(s.key == key for s in self.sections):
            raise ValueError(f"lesson {self.key}: the section key {key!r} is used twice")

        def register(fn):
            self.sections.append(Section(key, title, fn))
            return fn

        return register

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"lesson {self.key} has no section {key!r}; "
                       f"its sections are: {', '.join(s.key for s in self.sections)}")
