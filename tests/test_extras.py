"""The extras in pyproject.toml bring what their features need."""

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
WEBSOCKET_LIBRARIES = {"websockets", "wsproto", "uvicorn[standard]"}


def _extras():
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]


def _names(requirements):
    """'uvicorn[standard]>=0.27' -> 'uvicorn[standard]'; 'mlplab[viz,dev]' -> its extras, expanded."""
    extras, names = _extras(), set()
    for req in requirements:
        name = re.match(r"[A-Za-z0-9_.-]+(\[[^\]]*\])?", req.replace(" ", "")).group(0).lower()
        if name.startswith("mlplab["):
            for extra in name[len("mlplab["):-1].split(","):
                names |= _names(extras[extra])
        else:
            names.add(name)
    return names


def test_playground_dev_and_all_bring_a_websocket_library_for_uvicorn():
    extras = _extras()
    for extra in ("playground", "dev", "all"):
        names = _names(extras[extra])
        assert {"fastapi", "uvicorn"} <= {n.split("[")[0] for n in names}, extra
        assert names & WEBSOCKET_LIBRARIES, (
            f"the {extra!r} extra installs uvicorn without a WebSocket library: {sorted(names)}")


def test_threadpoolctl_is_a_dependency_of_its_own():
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.startswith("threadpoolctl") for d in deps)   # fit limits BLAS threads with it
