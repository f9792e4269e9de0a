"""The WebSocket protocol, through FastAPI's test client."""

import json
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the playground extra (fastapi) is not installed")
pytest.importorskip("httpx", reason="httpx is needed for FastAPI's test client")


from ._messages import until as _until  # noqa: E402


def test_page_health_and_favicon(client):
    page = client.get("/")
    assert page.status_code == 200 and "<canvas id=\"output\"" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from elsewhere
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg")
    assert client.get("/health").json() == {"status": "ok", "sessions": 0}


def test_config_answers_with_data_and_a_frame(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "config", "config": {"dataset": "xor", "layers": [3]}}))
        data = _until(ws, "data")
        assert data["config"]["dataset"] == "xor" and len(data["train"]) == 250
        frame = _until(ws, "frame")
        assert frame["epoch"] == 0 and frame["status"] == "paused"


def test_play_trains_and_pause_stops(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "config", "config": {"epochs_per_frame": 5}}))
        _until(ws, "frame")
        ws.send_text(json.dumps({"type": "play"}))
        epochs = [_until(ws, "frame")["epoch"] for _ in range(4)]
        assert epochs == sorted(epochs) and epochs[-1] >= 15 and all(e % 5 == 0 for e in epochs)
        ws.send_text(json.dumps({"type": "pause"}))
        last = _until(ws, "frame")
        while last.get("playing"):
            last = _until(ws, "frame")
        ws.send_text(json.dumps({"type": "step"}))
        frame = _until(ws, "frame")
        if frame["epoch"] == last["epoch"]:  # the pause's own frame came first
            frame = _until(ws, "frame")
        assert frame["epoch"] == last["epoch"] + 1


@pytest.mark.parametrize("text,message", [
    ("not json", "messages must be JSON objects"),
    ("[1, 2]", "messages must be JSON objects with a 'type'"),
    ('{"type": "fly"}', "unknown message type 'fly'"),
    ('{"type": "config", "config": {"layers": [1, 2, 3, 4, 5, 6, 7]}}', "at most 6 hidden layers"),
    ('{"type": "config", "config": {"layers": [40]}}', r"layers[0] must be an integer from 1 to 32"),
    ('{"type": "set", "key": "lr", "value": -1}', "lr must be a number above 0.0"),
    ('{"type": "export", "what": "everything"}', "export what must be one of model, data"),
    ('{"type": "edit_weight", "layer": 9, "from": 0, "to": 0, "value": 1}', "layer must be 0 to 2"),
])
def test_bad_messages_get_an_error_and_the_server_keeps_going(client, text, message):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(text)
        err = _until(ws, "error")
        assert message in err["message"]
        ws.send_text(json.dumps({"type": "step"}))  # still alive
        assert _until(ws, "frame")["epoch"] == 1


def test_oversized_message_is_refused(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "upload_csv", "text": "x" * 500_000}))
        assert "the limit is 400000" in _until(ws, "error")["message"]


def test_tabs_are_independent(client):
    with client.websocket_connect("/ws") as a, client.websocket_connect("/ws") as b:
        a.send_text(json.dumps({"type": "config", "config": {"dataset": "spiral"}}))
        b.send_text(json.dumps({"type": "config", "config": {"dataset": "gauss"}}))
        assert _until(a, "data")["config"]["dataset"] == "spiral"
        assert _until(b, "data")["config"]["dataset"] == "gauss"
        assert client.get("/health").json()["sessions"] == 2


def test_closing_the_tab_stops_its_worker(client):
    before = {t.ident for t in threading.enumerate() if t.name == "mlplab-playground-worker"}
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "play"}))
        _until(ws, "frame")
        mine = {t for t in threading.enumerate() if t.name == "mlplab-playground-worker"
                and t.ident not in before}
        assert len(mine) == 1
    deadline = time.time() + 5
    while any(t.is_alive() for t in mine) and time.time() < deadline:
        time.sleep(0.05)
    assert not any(t.is_alive() for t in mine)
    assert client.get("/health").json()["sessions"] == 0


def test_exports(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "step"}))
        _until(ws, "frame")
        ws.send_text(json.dumps({"type": "export", "what": "command"}))
        cmd = _until(ws, "export")
        assert cmd["text"].startswith("mlplab train playground-data.csv --layers 4,2 --activation tanh")
        ws.send_text(json.dumps({"type": "export", "what": "model"}))
        model = _until(ws, "export")
        assert model["filename"] == "playground-model.npz" and len(model["data"]) > 100


def test_success_rate_message(client):
    with client.websocket_connect("/ws") as ws:
        ws.send_text(json.dumps({"type": "success_rate", "epochs": 20}))
        out = _until(ws, "success_rate")
        assert len(out["seeds"]) == 20 and out["epochs"] == 20


def test_many_tabs_play_at_once(client):
    from contextlib import ExitStack
    with ExitStack() as stack:
        tabs = [stack.enter_context(client.websocket_connect("/ws")) for _ in range(4)]
        for i, ws in enumerate(tabs):
            ws.send_text(json.dumps({"type": "config", "config": {"seed": i, "epochs_per_frame": 2}}))
            ws.send_text(json.dumps({"type": "play"}))
        for ws in tabs:  # every tab keeps getting frames that move forward
            epochs = [_until(ws, "frame")["epoch"] for _ in range(3)]
            assert epochs[-1] > epochs[0]
        assert client.get("/health").json()["sessions"] == 4
