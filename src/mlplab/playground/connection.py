"""One browser tab's connection: its session, worker thread and messages.

Each connection owns a :class:`~mlplab.playground.session.Session` and a worker
thread that does all its training; the event loop only parses messages and sends
what the worker produced. Frames are paced: after each chunk of
``epochs_per_frame`` epochs the worker waits until the previous frame has gone out
and at most ``MAX_FPS`` frames a second leave, so the speed control means "epochs
per frame". A message that cannot be understood gets an ``error`` reply; nothing a
client sends can stop the server. Closing the tab stops its worker.
"""

from __future__ import annotations

import asyncio
import json
import queue
import re
import threading
import time

import numpy as np

from .config import LIMITS
from .exports import EXPORTS, success_rate
from .session import Session

MAX_FPS = 40


class Connection:
    """One tab: its session, its worker thread and its outgoing messages."""

    def __init__(self, send_text, loop: asyncio.AbstractEventLoop):
        self.send_text = send_text
        self.loop = loop
        self.session = Session()
        self.playing = False
        self.jobs: queue.Queue = queue.Queue()
        self.stopped = threading.Event()
        self.wake = threading.Event()
        self.frame_sent = threading.Event()
        self.frame_sent.set()
        self.outbox: asyncio.Queue = asyncio.Queue()
        self.pending_frame: dict | None = None
        self.curve_sent = 0
        self.stats = {"frames": 0, "bytes": 0}
        self.worker = threading.Thread(target=self._work, name="mlplab-playground-worker", daemon=True)

    # -------------------------------------------------------------- worker
    def start(self):
        self.worker.start()
        self.sender = asyncio.ensure_future(self._send_loop())

    def stop(self):
        self.stopped.set()
        self.wake.set()
        self.frame_sent.set()
        if self.worker.is_alive():
            self.worker.join(timeout=5)
        self.sender.cancel()

    def submit(self, job):
        """Run ``job(session)`` in the worker thread (in order with training)."""
        self.jobs.put(job)
        self.wake.set()

    def _work(self):
        last = 0.0
        while not self.stopped.is_set():
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                job = None
            if job is not None:
                self._run(job)
                continue
            if not self.playing:
                self.wake.wait(0.5)
                self.wake.clear()
                continue
            s = self.session
            self._run(lambda s: s.train(s.config.epochs_per_frame), frame=False)
            if s.status in ("done", "diverged"):
                self.playing = False
            # pace: the previous frame has left, and not more than MAX_FPS frames a second
            self.frame_sent.wait()
            wait = last + 1.0 / MAX_FPS - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            last = time.perf_counter()
            self._publish_frame()

    def _run(self, job, frame=True):
        try:
            result = job(self.session)
            if isinstance(result, dict):
                self._post(result)
            if frame:
                self._publish_frame()
        except Exception as exc:  # reported to the page; the worker keeps going
            self._post({"type": "error", "message": str(exc)})

    def _publish_frame(self):
        self.frame_sent.clear()
        frame = self.session.frame(since=self.curve_sent)
        self.curve_sent = self.session.epoch if frame["curve"] else self.curve_sent
        frame["playing"] = self.playing
        self._call_in_loop(self._deliver, frame)

    def _post(self, message: dict):
        self._call_in_loop(self.outbox.put_nowait, message)

    def _call_in_loop(self, fn, *args):
        """Hand ``fn(*args)`` to the event loop, unless the tab has gone meanwhile."""
        if self.stopped.is_set():
            return
        try:
            self.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop closed: the tab is gone
            self.stopped.set()

    # --------------------------------------------------------------- event loop side
    def _deliver(self, frame):
        if self.pending_frame is not None:  # not sent yet: keep its curve rows
            frame["curve"] = self.pending_frame["curve"] + frame["curve"]
        self.pending_frame = frame
        self.outbox.put_nowait(None)  # wake the sender

    async def _send_loop(self):
        while True:
            message = await self.outbox.get()
            if message is None:
                message, self.pending_frame = self.pending_frame, None
                if message is None:
                    continue
                text = json.dumps(message, separators=(",", ":"))
                self.stats["frames"] += 1
                self.stats["bytes"] += len(text)
                await self.send_text(text)
                self.frame_sent.set()
            else:
                await self.send_text(json.dumps(message, separators=(",", ":")))

    async def handle(self, text: str | bytes):
        """Parse one client message and act on it; errors become ``error`` replies.

        Refused before anything changes: binary frames, messages over
        ``LIMITS["message_bytes"]``, JSON nested deeper than :data:`MAX_DEPTH`, JSON
        that is not an object with a ``type``, unknown types. A refused setting is
        refused by the session, which is left as it was.
        """
        try:
            msg = parse_message(text)
            handler = HANDLERS.get(msg["type"])
            if handler is None:
                raise ValueError(f"unknown message type {msg['type']!r}; valid: {', '.join(HANDLERS)}")
            handler(self, msg)
        except (ValueError, TypeError, RecursionError) as exc:
            await self.outbox.put({"type": "error", "message": str(exc)})


#: the deepest nesting of lists and objects a message may have (the page sends at most 3)
MAX_DEPTH = 16
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def json_depth(text: str) -> int:
    """How deeply lists and objects nest in the JSON ``text`` (0 for a bare value),
    found without parsing it (so without recursion)."""
    brackets = _STRING.sub("", text).encode("ascii", "ignore")
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, np.uint8)
    step = np.isin(codes, (91, 123)).astype(np.int64) - np.isin(codes, (93, 125))
    return int(np.cumsum(step).max(initial=0))


def parse_message(text) -> dict:
    """A client message as a dict with a string ``type``, or ``ValueError`` saying why not."""
    if not isinstance(text, str):
        size = len(text) if isinstance(text, (bytes, bytearray)) else 0
        raise ValueError(f"messages must be JSON text frames; received a binary frame of {size} bytes")
    size = len(text.encode("utf-8", "replace"))
    if size > LIMITS["message_bytes"]:
        raise ValueError(f"message of {size} bytes; the limit is {LIMITS['message_bytes']}")
    depth = json_depth(text)
    if depth > MAX_DEPTH:
        raise ValueError(f"message nested {depth} levels deep; the limit is {MAX_DEPTH}")
    try:
        msg = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"messages must be JSON objects: {exc}") from None
    if not isinstance(msg, dict):
        raise ValueError(f"messages must be JSON objects with a 'type'; received a JSON "
                         f"{type(msg).__name__}")
    if not isinstance(msg.get("type"), str):
        raise ValueError(f"messages must be JSON objects with a 'type' string; received "
                         f"type={msg.get('type')!r:.60}")
    return msg


# ---------------------------------------------------------------- message handlers
def _config(conn, msg):
    def job(s):
        s.configure(msg.get("config") or {})
        return s.data_message()
    conn.submit(job)


def _play(conn, msg):
    conn.playing = True
    conn.session.status = "playing"
    conn.wake.set()


def _pause(conn, msg):
    conn.playing = False
    conn.submit(lambda s: setattr(s, "status", "paused"))


def _step(conn, msg):
    conn.playing = False
    conn.submit(lambda s: s.train(1))


def _restart(conn, action):
    """Stop playing, run ``action(session)`` in the worker, then send the new data."""
    conn.playing = False
    conn.curve_sent = 0

    def job(s):
        action(s)
        return s.data_message()

    conn.submit(job)


def _reset(conn, msg):
    _restart(conn, lambda s: s.reset(new_weights=bool(msg.get("new_weights"))))


def _regenerate(conn, msg):
    _restart(conn, lambda s: s.regenerate())


def _set(conn, msg):
    key, value = msg.get("key"), msg.get("value")
    if not isinstance(key, str):
        raise ValueError("set needs a 'key' naming a setting")
    def job(s):
        rebuilt = s.configure({key: value})
        return s.data_message() if rebuilt else None

    conn.submit(job)


def _points(conn, msg):
    _restart(conn, lambda s: s.set_points(msg.get("points")))


def _upload(conn, msg):
    _restart(conn, lambda s: s.set_csv(msg.get("text")))


def _edit_weight(conn, msg):
    conn.submit(lambda s: s.edit_weight(msg.get("layer"), msg.get("from"), msg.get("to"),
                                        msg.get("value")))


def _success_rate(conn, msg):
    conn.playing = False
    conn.submit(lambda s: success_rate(s, msg.get("epochs")))


def _export(conn, msg):
    what = msg.get("what")
    if what not in EXPORTS:
        raise ValueError(f"export what must be one of {', '.join(EXPORTS)}; received {what!r}")
    conn.submit(lambda s: {"type": "export", "what": what, **EXPORTS[what](s)})


HANDLERS = {"config": _config, "play": _play, "pause": _pause, "step": _step, "reset": _reset,
            "regenerate": _regenerate, "set": _set, "points": _points, "upload_csv": _upload,
            "edit_weight": _edit_weight, "success_rate": _success_rate, "export": _export}
