"""Each lesson runs once per test session in quick mode (``lesson_run("a")``), and the
tests of that lesson read its results.json, its page and its figure files."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "lessons"


@pytest.fixture(scope="session")
def lesson_run(tmp_path_factory):
    """``lesson_run(key) -> (results, folder)``: ``mlplab lesson KEY --quick`` run once."""
    from mlplab import lessons

    done = {}

    def run(key):
        if key not in done:
            folder = tmp_path_factory.mktemp(f"lesson-{key}")
            done[key] = (lessons.run(key, folder, quick=True, progress=False), folder)
        return done[key]

    return run


def execute_notebook(path, kernel_name, monkeypatch, timeout=300):
    """Execute the notebook at ``path`` in quick mode (MLPLAB_QUICK=1), from its folder;
    returns the executed notebook. Fails on the first cell that raises."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name}: outputs must be stripped in git"
    monkeypatch.setenv("MLPLAB_QUICK", "1")
    nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=timeout,
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def cell_text(cell) -> str:
    """Everything a code cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("name") == "stdout":
            parts.append(out["text"])
        parts += [out.get("data", {}).get(k, "") for k in ("text/plain", "text/html")]
    return "".join(parts)
