"""The lesson runner: files written, numbers made plain, errors recorded not hidden,
bad arguments refused; and the `mlplab lesson` command."""

import json

import numpy as np
import pytest

from mlplab import lessons
from mlplab.cli import main
from mlplab.lessons.runner import plain, run_lesson
from mlplab.lessons.section import Claim, Lesson, Outcome


def toy_lesson():
    lesson = Lesson("z", "A toy", "toy.txt", "Two sections, one broken.")

    @lesson.add("square", "Squares")
    def square(s):
        from mlplab.viz._style import new_figure

        fig = new_figure(3, 2)
        fig.add_subplot().plot([0, 1, 2], [0, 1, 4])
        n = s.pick(10, 3)
        return Outcome(numbers={"n": n, "squares": np.arange(n) ** 2, "mean": np.float32(1.5)},
                       figures={"curve": fig}, tables={"Powers": [{"n": 2, "n^2": 4}, {"n": 3, "n^2": 9}]},
                       claims=[Claim("3 squared is 9", "9", 3 ** 2 == 9)],
                       text="One paragraph.\n\nAnother.", code="np.arange(n) ** 2")

    @lesson.add("broken", "Broken")
    def broken(s):
        raise RuntimeError("it broke")

    return lesson


def test_a_run_writes_page_numbers_and_figures(tmp_path):
    results = run_lesson(toy_lesson(), tmp_path, quick=True, progress=False)
    on_disk = json.loads((tmp_path / "results.json").read_text())
    assert on_disk == results
    sq = on_disk["sections"]["square"]
    assert sq["numbers"] == {"n": 3, "squares": [0, 1, 4], "mean": 1.5}
    assert sq["claims"] == [{"said": "3 squared is 9", "measured": "9", "holds": True, "evidence": ""}]
    assert sq["figures"] == ["square-curve.png"]
    assert sq["tables"] == {"Powers": [{"n": 2, "n^2": 4}, {"n": 3, "n^2": 9}]}
    assert (tmp_path / "square-curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # a broken section is recorded and visible, and the run is not ok
    assert on_disk["ok"] is False
    assert on_disk["sections"]["broken"]["error"] == "RuntimeError: it broke"
    page = (tmp_path / "index.html").read_text()
    assert "This section failed: RuntimeError: it broke" in page
    assert "<img src='square-curve.png'" in page and "<p>Another.</p>" in page
    assert "1 claims checked" in page
    assert "<caption>Powers</caption><tr><th>n</th><th>n^2</th></tr><tr><td>2</td><td>4</td></tr>" in page


def test_quick_and_full_settings_differ(tmp_path):
    full = run_lesson(toy_lesson(), tmp_path, quick=False, only=["square"], progress=False)
    assert full["sections"]["square"]["numbers"]["n"] == 10
    assert list(full["sections"]) == ["square"]


def test_plain_refuses_what_json_cannot_hold():
    assert plain({"x": np.nan, "y": (1, np.int64(2))}) == {"x": None, "y": [1, 2]}
    with pytest.raises(TypeError, match="a lesson number must be .* got object"):
        plain(object())


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="lesson must be one of a, b, c, d, e; got 'f'"):
        lessons.get("f")
    with pytest.raises(ValueError, match="lesson z has no section 'nope'; its sections are: square, broken"):
        run_lesson(toy_lesson(), tmp_path, only=["nope"], progress=False)
    target = tmp_path / "file"
    target.write_text("keep me")
    with pytest.raises(NotADirectoryError, match="is a file"):
        run_lesson(toy_lesson(), target, progress=False)
    assert target.read_text() == "keep me"
    lesson = toy_lesson()
    with pytest.raises(ValueError, match="the section key 'square' is used twice"):
        lesson.add("square", "again")


def test_the_command_lists_lessons_and_sections(capsys):
    assert main(["lesson"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()[:5]] == ["a", "b", "c", "d", "e"]
    assert main(["lesson", "a", "--list"]) == 0
    assert "softmax" in capsys.readouterr().out


def test_the_command_runs_a_section(tmp_path, capsys):
    assert main(["lesson", "a", "--quick", "--only", "softmax", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "1 sections" in out and f"wrote {tmp_path / 'r' / 'index.html'}" in out
    results = json.loads((tmp_path / "r" / "results.json").read_text())
    assert results["quick"] is True and list(results["sections"]) == ["softmax"]


def test_an_unknown_lesson_on_the_command_line(capsys):
    assert main(["lesson", "q"]) == 2
    assert "lesson must be one of a, b, c, d, e; got 'q'" in capsys.readouterr().err
