"""The playground as a user gets it: ``python -m mlplab playground`` (uvicorn) in a subprocess,
and a real WebSocket client (the websockets library) on a real socket.

FastAPI's test client (test_server.py) skips uvicorn, so it cannot see a missing WebSocket
library: uvicorn then answers the handshake with 404 and logs "No supported WebSocket
library detected". This test goes through uvicorn.
"""

import base64
import json
import math
import urllib.request

from .conftest import need_module

DEADLINE = 30  # seconds for any one message


def _next(ws, kind):
    """The next message of type ``kind`` (skipping the others; an ``error`` fails the test)."""
    for _ in range(200):
        msg = json.loads(ws.recv(timeout=DEADLINE))
        assert msg["type"] != "error", f"the server answered with an error: {msg['message']}"
        if msg["type"] == kind:
            return msg
    raise AssertionError(f"no {kind!r} message in 200")


def _health(server):
    with urllib.request.urlopen(server.url + "health", timeout=5) as r:
        return json.load(r)


def test_real_server_handshake_then_training_frames(server):
    client = need_module("websockets.sync.client",
                         "the websockets client is not installed (the playground extra brings it)")
    try:
        ws = client.connect(server.ws_url, open_timeout=DEADLINE)
    except Exception as exc:  # e.g. a 404: uvicorn without a WebSocket library
        raise AssertionError(f"WebSocket handshake failed: {exc!r}; server log:\n{server.output()}") from None
    with ws:
        assert ws.response.status_code == 101
        assert ws.response.headers["Upgrade"].lower() == "websocket"
        assert _health(server)["sessions"] == 1   # the server counts this connection

        ws.send(json.dumps({"type": "config", "config": {
            "dataset": "xor", "layers": [4], "lr": 0.03, "epochs_per_frame": 5}}))
        data = _next(ws, "data")
        assert data["config"]["dataset"] == "xor" and data["config"]["layers"] == [4]
        start = _next(ws, "frame")
        assert start["epoch"] == 0 and start["status"] == "paused"

        ws.send(json.dumps({"type": "play"}))
        frames = [_next(ws, "frame") for _ in range(4)]
        ws.send(json.dumps({"type": "pause"}))

    epochs = [f["epoch"] for f in frames]
    assert epochs == sorted(set(epochs)) and epochs[0] >= 5 and all(e % 5 == 0 for e in epochs)
    assert all(f["status"] == "playing" and f["playing"] for f in frames)
    last = frames[-1]
    # the frame's contents: figures, the loss curve of every epoch, the output map
    losses = [f["summary"]["train_loss"] for f in frames]
    assert all(math.isfinite(v) and v > 0 for v in losses)
    assert losses[-1] < start["summary"]["train_loss"]   # training, not standing still
    assert 0 <= last["summary"]["train_accuracy"] <= 1
    curve = [row for f in frames for row in f["curve"]]
    assert [row[0] for row in curve] == list(range(1, last["epoch"] + 1))
    assert all(math.isfinite(row[1]) for row in curve)
    assert len(base64.b64decode(last["map"])) == last["res"] ** 2
    assert [len(W) for W in last["weights"]] == [2, 4]   # xor: 2 inputs, 4 hidden units
    assert "No supported WebSocket library" not in server.output()
