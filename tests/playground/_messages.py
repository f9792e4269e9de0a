"""Reading the playground's WebSocket messages in tests."""

import json


def until(ws, kind, limit=50):
    """The first message of type ``kind`` among the next ``limit`` (others are skipped)."""
    for _ in range(limit):
        msg = json.loads(ws.receive_text())
        if msg["type"] == kind:
            return msg
    raise AssertionError(f"no {kind!r} message")
