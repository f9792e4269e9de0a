"""Running a lesson: every section in order, its figures written as files, then
``results.json`` (every number, by section) and ``index.html`` (the offline report).

A section that raises does not stop the others: its error is recorded in both files
and the run reports failure, so a broken section is seen, never skipped in silence.
"""

from __future__ import annotations

import json
import math
import sys
import time
import traceback
from pathlib import Path

import numpy as np

from .._version import __version__
from ..nn._atomic import atomic_file
from .section import Lesson, Outcome, Settings


def plain(value):
    """``value`` as JSON-able Python: NumPy scalars and arrays become numbers and lists,
    tuples lists, non-finite floats ``None`` (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a lesson number must be a number, string, list or dict; got {type(value).__name__}")


def _write_figure(obj, folder: Path, stem: str) -> str:
    """Write one figure (PNG) or animation (GIF) and return its file name."""
    from matplotlib.figure import Figure

    if isinstance(obj, Figure):
        name = f"{stem}.png"
        with atomic_file(folder / name, "wb") as f:
            obj.savefig(f, format="png")
        return name
    if hasattr(obj, "save"):
        name = f"{stem}.gif"
        obj.save(folder / name)
        return name
    raise TypeError(f"figure {stem!r}: expected a matplotlib Figure or an animation with save(); "
                    f"got {type(obj).__name__}")


class Bar:
    """A one-line progress bar over sections on stderr (a line per section off a terminal)."""

    def __init__(self, lesson: Lesson, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.lesson, self.total, self.done, self.title, self.t0 = lesson, total, 0, "", time.perf_counter()

    def show(self, note: str = "") -> None:
        filled = self.done * 20 // max(self.total, 1)
        line = (f"lesson {self.lesson.key} [{'#' * filled}{'.' * (20 - filled)}] {self.done}/{self.total}"
                f"  {time.perf_counter() - self.t0:5.1f} s  {self.title}" + (f": {note}" if note else ""))
        if self.tty:
            print("\r" + line[:150].ljust(150), end="", file=self.stream, flush=True)
        elif not note:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=self.stream, flush=True)


def _run_section(section, settings, folder: Path) -> dict:
    t0 = time.perf_counter()
    entry = {"title": section.title}
    try:
        outcome = section.run(settings)
        if not isinstance(outcome, Outcome):
            raise TypeError(f"section {section.key!r} returned {type(outcome).__name__}, not an Outcome")
        entry.update(numbers=plain(outcome.numbers),
                     figures=[_write_figure(f, folder, f"{section.key}-{stem}")
                              for stem, f in outcome.figures.items()],
                     tables=plain(outcome.tables),
                     claims=[plain({"said": c.said, "measured": c.measured, "holds": c.holds,
                                    "evidence": c.evidence}) for c in outcome.claims],
                     text=outcome.text, code=outcome.code, outside=outcome.outside)
    except Exception as exc:  # recorded, shown, and the run fails at the end
        entry.update(error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc())
    entry["seconds"] = round(time.perf_counter() - t0, 3)
    return entry


def verdicts(results: dict) -> dict:
    """How many of a run's claims hold (True), do not hold (False) and are shown to
    compare (None), and how many there are ("all")."""
    claims = [c for s in results["sections"].values() for c in s.get("claims", [])]
    return {"all": len(claims), **{v: sum(c["holds"] is v for c in claims) for v in (True, False, None)}}


def run_lesson(lesson: Lesson, out, quick: bool = False, only=None, progress=None) -> dict:
    """Run ``lesson`` (every section, or those whose keys are in ``only``) and write
    ``out/index.html``, ``out/results.json`` and the figure files (``<key>-<name>.png``).

    Returns the results (what results.json holds): ``{"lesson", "title", "quick",
    "version", "seconds", "ok", "sections": {key: {"title", "numbers", "figures",
    "tables", "claims", "text", "code", "outside", "seconds"[, "error", "traceback"]}}}``.
    ``progress``: a :class:`Bar` is drawn on stderr when None; False draws nothing.
    """
    from .page import build_page

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"--out {str(folder)!r} is a file; give a folder for the lesson's report")
    keys = [s.key for s in lesson.sections]
    chosen = list(only) if only else keys
    unknown = [k for k in chosen if k not in keys]
    if unknown:
        raise ValueError(f"lesson {lesson.key} has no section {', '.join(map(repr, unknown))}; "
                         f"its sections are: {', '.join(keys)}")
    folder.mkdir(parents=True, exist_ok=True)
    bar = Bar(lesson, len(chosen)) if progress is None else None
    t0 = time.perf_counter()
    sections = {}
    for section in (s for s in lesson.sections if s.key in chosen):
        if bar:
            bar.title = section.title
            bar.show()
        say = (lambda text: bar.show(text)) if bar else (progress or None)
        sections[section.key] = _run_section(section, Settings(quick=quick, progress=say), folder)
        if bar:
            bar.done += 1
    if bar:
        bar.title = "done"
        bar.show()
        bar.close()
    results = {"lesson": lesson.key, "title": lesson.title, "source": lesson.source, "quick": quick,
               "version": __version__, "seconds": round(time.perf_counter() - t0, 3),
               "ok": not any("error" in s for s in sections.values()), "sections": sections}
    with atomic_file(folder / "results.json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, allow_nan=False)
    with atomic_file(folder / "index.html", "w", encoding="utf-8") as f:
        f.write(build_page(lesson, results))
    return results
