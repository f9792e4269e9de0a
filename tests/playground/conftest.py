"""The real playground server in a subprocess, and what a test may not do without under CI.

Outside CI a missing piece (Chromium, playwright, fastapi) skips a test with the reason;
with ``CI=true`` it fails it, so that a CI run cannot pass by testing less.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str):
    """Skip with ``reason``; under CI=true, fail with it."""
    if IN_CI:
        pytest.fail(f"{reason} (CI={os.environ['CI']}: this test may not be skipped)", pytrace=False)
    pytest.skip(reason)


def need_module(name: str, hint: str):
    """Import ``name``, or skip / fail (under CI) saying ``hint`` and the import error."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        unavailable(f"{hint} ({exc})")


def need_file(path: str, hint: str) -> str:
    if not Path(path).exists():
        unavailable(f"{path} is absent ({hint})")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str        # http://127.0.0.1:PORT/
    ws_url: str     # ws://127.0.0.1:PORT/ws
    log: Path       # everything the server printed

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python -m mlplab playground --port P`` (uvicorn), as a user starts it."""
    hint = "the playground extra is not installed: pip install -e '.[dev]'"
    need_module("fastapi", hint)
    need_module("uvicorn", hint)
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mlplab", "playground", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/ws", log)
    deadline = time.time() + 30
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(server.url + "health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        proc.wait(timeout=10)
        pytest.fail(f"the playground server did not start (exit status {proc.returncode}):\n"
                    + server.output()[-2000:])
    yield server
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def client():
    """FastAPI's test client on a fresh playground app."""
    pytest.importorskip("fastapi", reason="the playground extra (fastapi) is not installed")
    pytest.importorskip("httpx", reason="httpx is needed for FastAPI's test client")
    from fastapi.testclient import TestClient

    from mlplab.playground.app import create_app

    with TestClient(create_app()) as c:
        yield c
