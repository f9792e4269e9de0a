"""Bad messages over the WebSocket: each gets an ``error`` reply, and the session is left
exactly as it was (settings, data, weights, epoch); a valid message works afterwards."""

import json

import numpy as np
import pytest

pytest.importorskip("fastapi", reason="the playground extra (fastapi) is not installed")
pytest.importorskip("httpx", reason="httpx is needed for FastAPI's test client")


from mlplab.playground.connection import MAX_DEPTH, json_depth  # noqa: E402
from mlplab.playground.session import Session  # noqa: E402

from ._messages import until as _until  # noqa: E402


def _state(session):
    with session.lock:
        return {"config": session.config.as_dict(), "epoch": session.epoch, "status": session.status,
                "weights": [p.copy() for p, _ in session.model.parameters()],
                "data": (session.X_train.copy(), session.y_train.copy(), session.X_test.copy())}


def _assert_same(before, after):
    assert after["config"] == before["config"]
    assert (after["epoch"], after["status"]) == (before["epoch"], before["status"])
    assert len(after["weights"]) == len(before["weights"])
    for a, b in zip(after["weights"], before["weights"]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(after["data"], before["data"]):
        np.testing.assert_array_equal(a, b)


def _send(ws, client, send):
    """Set the tab up, send one bad message with ``send(ws)``, and return the error
    message and the session's state before and after."""
    ws.send_text(json.dumps({"type": "config", "config": {"dataset": "xor", "layers": [3]}}))
    _until(ws, "frame")
    ws.send_text(json.dumps({"type": "step"}))
    assert _until(ws, "frame")["epoch"] == 1
    (conn,) = client.app.state.connections
    before = _state(conn.session)
    send(ws)
    error = _until(ws, "error")["message"]
    return error, before, _state(conn.session)


BAD = {
    "binary frame": (lambda ws: ws.send_bytes(b"\x00\x01\x02{"),
                     "messages must be JSON text frames; received a binary frame of 4 bytes"),
    "100000 nested lists": (lambda ws: ws.send_text("[" * 100_000 + "]" * 100_000),
                            f"message nested 100000 levels deep; the limit is {MAX_DEPTH}"),
    "deep config": (lambda ws: ws.send_text('{"type": "config", "config": ' + '{"a": ' * 5000 + "1"
                                            + "}" * 5000 + "}"),
                    f"message nested 5001 levels deep; the limit is {MAX_DEPTH}"),
    "JSON list": (lambda ws: ws.send_text("[1, 2]"),
                  "messages must be JSON objects with a 'type'; received a JSON list"),
    "JSON string": (lambda ws: ws.send_text('"play"'),
                    "messages must be JSON objects with a 'type'; received a JSON str"),
    "JSON number": (lambda ws: ws.send_text("42"),
                    "messages must be JSON objects with a 'type'; received a JSON int"),
    "JSON null": (lambda ws: ws.send_text("null"),
                  "messages must be JSON objects with a 'type'; received a JSON NoneType"),
    "type not a string": (lambda ws: ws.send_text('{"type": ["play"]}'),
                          "messages must be JSON objects with a 'type' string; received type=['play']"),
    "csv dataset without an upload": (
        lambda ws: ws.send_text(json.dumps({"type": "set", "key": "dataset", "value": "csv"})),
        "dataset 'csv' needs an uploaded CSV file first"),
    "too wide a layer": (
        lambda ws: ws.send_text(json.dumps({"type": "config", "config": {"layers": [3, 99]}})),
        "layers[1] must be an integer from 1 to 32; received 99"),
    "negative learning rate": (
        lambda ws: ws.send_text(json.dumps({"type": "set", "key": "lr", "value": -1})),
        "lr must be a number above 0.0 to 10.0; received -1.0"),
    "unknown setting": (
        lambda ws: ws.send_text(json.dumps({"type": "set", "key": "gpu", "value": True})),
        "unknown setting(s) gpu"),
    "point outside the square": (
        lambda ws: ws.send_text(json.dumps({"type": "points", "points": [[1, 1, 0], [99, 0, 1]]})),
        "points[1] must lie in [-6, 6]^2 with a class 0-7; received [99, 0, 1]"),
    "CSV too short": (
        lambda ws: ws.send_text(json.dumps({"type": "upload_csv", "text": "x1,x2,label\n1,2,a\n"})),
        "the CSV file needs a header row and at least 2 data rows"),
    "weight not a number": (
        lambda ws: ws.send_text(json.dumps({"type": "edit_weight", "layer": 0, "from": 0, "to": 0,
                                            "value": "big"})),
        "weight value must be a number from -100 to 100; received 'big'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_message_gets_an_error_and_leaves_the_session_as_it_was(client, case):
    send, message = BAD[case]
    with client.websocket_connect("/ws") as ws:
        error, before, after = _send(ws, client, send)
        assert message in error
        _assert_same(before, after)
        ws.send_text(json.dumps({"type": "step"}))  # a valid message still works
        assert _until(ws, "frame")["epoch"] == 2


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[{{{{", "b": [[1], {"c": "]]]"}]}') == 3
    assert json_depth('"\\"[[[["') == 0
    assert json_depth("[" * 50 + "]" * 50) == 50


def test_refused_setting_leaves_a_session_exactly_as_it_was():
    s = Session({"dataset": "xor", "layers": [3]})
    s.train(3)
    before = _state(s)
    with pytest.raises(ValueError, match="dataset 'csv' needs an uploaded CSV file first"):
        s.configure({"dataset": "csv", "layers": [5, 5], "lr": 0.5})
    _assert_same(before, _state(s))
    assert s.optimizer.lr == before["config"]["lr"]
    s.train(1)
    assert s.epoch == 4
