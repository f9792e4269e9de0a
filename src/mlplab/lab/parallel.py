"""Independent tasks at once on this machine: on threads, or on forked copies of this process.

``run(tasks, work, workers)`` calls ``work(task, stop)`` for every task, ``workers`` at
a time, and returns the results in the order of ``tasks``. Tasks are handed out in
their order as workers come free (put the costliest first). ``stop`` is None when the
tasks run one after the other; otherwise ``stop.is_set()`` turns True once the others
should end early (a task failed, or Ctrl-C), and ``work`` ends by raising
:class:`Stopped` (``lab.group`` checks it after every epoch). The error raised is the
first real one met, never a :class:`Stopped`.

Two ways (:data:`WAYS`), and ``"auto"`` to pick (:data:`HOW`):

- ``"threads"``: a thread pool. NumPy lets go of Python's lock (the GIL) inside its
  loops and matrix products, but holds it while it sets up each call, and a training
  step of a small network is about a hundred calls of a few microseconds: the threads
  queue for the lock. Lesson A's grid (980 runs of 2-n1-n2-2, 2 CPUs): 2.97 s on one
  thread, 1.93 s on two (1.5x).
- ``"fork"``: this process and ``workers - 1`` copies of it made by ``os.fork``, each
  with its own lock: 1.55 s (1.9x; two copies running at once slow each other by
  about 2%). The copies see ``tasks`` and ``work`` as they were at the fork (nothing
  is pickled on the way in), take task numbers from a pipe, and send their results,
  pickled, once at the end, with the warnings they raised (shown again here, under
  this process's filters). A copy ignores Ctrl-C (this process handles it and ends
  the copies) and stops at its next check once this process is gone (killed). A copy
  first closes every file it inherited but standard input, output and error. Without
  that, a notebook that nbclient ran later in the same process (the tests) waited
  5 minutes for a kernel's reply, 3 times out of 3; with it, never. The likely cause: a
  socket the parent closed while a copy still held it stayed registered in the
  parent's event loop (epoll forgets a file only when its last descriptor closes).
- ``"auto"``: fork on Linux when this process runs no other Python thread, threads
  otherwise. A fork copies only the calling thread, so a lock that another thread
  held at that moment stays held for ever in the copy (Jupyter's kernel, a web
  server and a Dask worker all run threads); macOS's system libraries are not safe
  to use in a forked copy, and Windows has no fork.
"""

from __future__ import annotations

import io
import mmap
import os
import pickle
import signal
import struct
import sys
import threading
import traceback
import warnings
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

#: how :func:`run` runs tasks at once when not told: "auto", "fork" or "threads"
HOW = "auto"

#: the pipe that hands out task numbers holds 64 KiB, 16,384 numbers of 4 bytes: more
#: tasks than that run on threads, whatever was asked
MAX_FORKED_TASKS = 16_384


class Stopped(Exception):
    """A task ended early because another failed or the work was interrupted."""


def run(tasks, work, workers: int, how: str | None = None) -> list:
    """``[work(task, stop) for task in tasks]``, ``workers`` at a time (see the module)."""
    tasks = list(tasks)
    how = choose(HOW if how is None else how, len(tasks))
    workers = max(1, min(workers, len(tasks)))
    if workers == 1:
        return [work(task, None) for task in tasks]
    return WAYS[how](tasks, work, workers)


def choose(how: str, n_tasks: int = 0) -> str:
    """The way ``how`` means here: "auto" becomes "fork" or "threads" (see the module)."""
    if how not in ("auto", *WAYS):
        raise ValueError(f"how must be one of 'auto', {', '.join(map(repr, WAYS))}; "
                         f"received how={how!r}")
    if how == "fork" and not hasattr(os, "fork"):
        raise ValueError(f"how='fork' needs os.fork, which Python on {sys.platform} does not "
                         f"have; use 'threads' or 'auto'")
    if n_tasks > MAX_FORKED_TASKS:
        return "threads"
    if how != "auto":
        return how
    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 \
        else "threads"


def in_threads(tasks, work, workers) -> list:
    """The tasks on a pool of ``workers`` threads."""
    stop = threading.Event()
    with ThreadPoolExecutor(workers, thread_name_prefix="mlplab-task") as pool:
        futures = [pool.submit(work, task, stop) for task in tasks]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
        finally:  # an error, or KeyboardInterrupt while waiting
            if not all(f.done() and f.exception() is None for f in futures):
                stop.set()
                for future in futures:
                    future.cancel()
    for future in futures:  # the first real error, not the tasks it stopped
        if not future.cancelled() and isinstance(future.exception(), BaseException) \
                and not isinstance(future.exception(), Stopped):
            raise future.exception()
    return [future.result() for future in futures]


class SharedFlag:
    """A flag that this process and its forked copies all see (one byte of shared
    memory). In a copy (:meth:`in_copy`) it also reads as set once the parent is gone."""

    def __init__(self):
        self.byte = mmap.mmap(-1, 1)  # anonymous and shared: one page for all the copies
        self.parent = None

    def set(self) -> None:
        self.byte[0] = 1

    def is_set(self) -> bool:
        return self.byte[0] == 1 or (self.parent is not None and os.getppid() != self.parent)

    def in_copy(self) -> None:
        self.parent = os.getppid()


def in_forks(tasks, work, workers) -> list:
    """The tasks on this process and ``workers - 1`` forked copies of it."""
    queue, writer = os.pipe()
    os.write(writer, struct.pack(f"{len(tasks)}i", *range(len(tasks))))
    os.close(writer)  # empty pipe, writer closed: a read returns b"", no task left
    stop = SharedFlag()
    for stream in (sys.stdout, sys.stderr):  # or a copy would print what is buffered again
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    copies = {}  # pid -> the pipe its message comes from; a pid leaves once waited for
    readers = []
    try:
        for _ in range(workers - 1):
            reader, writer = os.pipe()
            pid = _fork()
            if pid == 0:
                os.close(reader)
                _copy(tasks, work, queue, writer, stop)  # never returns
            os.close(writer)
            copies[pid] = reader
            readers.append(reader)
        try:
            results = _take(tasks, work, queue, stop)
        except Stopped:  # a copy failed: its message says why
            results = {}
        messages = []
        for pid, reader in list(copies.items()):
            payload = _read(reader)
            _, status = os.waitpid(pid, 0)
            del copies[pid]
            messages.append(_message(pid, payload, status))
    except BaseException:  # this process failed or was interrupted
        stop.set()
        raise
    finally:
        for pid in copies:  # still running: end them (they hold nothing to save)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        for fd in (queue, *readers):
            os.close(fd)
    errors = []
    for kind, body, caught in messages:
        for category, text, filename, lineno in caught:
            warnings.warn_explicit(text, category, filename, lineno)
        if kind == "done":
            results.update(body)
        elif kind == "failed":
            errors.append(body)
    if errors:
        raise errors[0]
    if len(results) != len(tasks):
        raise RuntimeError(f"{len(tasks) - len(results)} of {len(tasks)} tasks did not finish, "
                           f"and no process said why")
    return [results[k] for k in range(len(tasks))]


def _fork() -> int:
    """``os.fork()``. Python 3.12 and later warn when the process has other threads; with
    no other Python thread (what "auto" asks) those can only be the BLAS library's own
    workers, which OpenBLAS stops around a fork itself, so the warning is not shown then."""
    with warnings.catch_warnings():
        if threading.active_count() == 1:
            warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _take(tasks, work, queue, stop) -> dict:
    """Take task numbers from the pipe until it is empty; ``{number: result}``."""
    done = {}
    while True:
        raw = os.read(queue, 4)
        if not raw:
            return done
        (k,) = struct.unpack("i", raw)
        done[k] = work(tasks[k], stop)


def _copy(tasks, work, queue, out, stop) -> None:
    """The body of a forked copy: take tasks, send ``(kind, body, warnings)`` pickled
    once to ``out``, and leave with ``os._exit`` (never back into the caller's code)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        _close_inherited(keep=(queue, out))
        stop.in_copy()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                message = ("done", _take(tasks, work, queue, stop))
            except Stopped:
                message = ("stopped", None)
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
                stop.set()
                message = ("failed", _portable(exc))
        seen = list(dict.fromkeys((w.category, str(w.message), w.filename, w.lineno)
                                  for w in caught))
        payload = pickle.dumps((*message, seen), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as stream:
            stream.write(payload)
        code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):  # what the tasks printed (a plain file only:
            if type(stream) is io.TextIOWrapper:  # Jupyter's streams need threads not copied)
                try:
                    stream.flush()
                except BaseException:  # noqa: BLE001 - leaving anyway
                    pass
        os._exit(code)


def _close_inherited(keep) -> None:
    """Close every file the copy inherited but standard input, output and error and
    ``keep``: the parent's sockets, event loops and open files stay the parent's alone."""
    keep = sorted(keep)
    for low, high in zip([3, *(k + 1 for k in keep)], [*keep, os.sysconf("SC_OPEN_MAX")]):
        os.closerange(low, high)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` with the copy's traceback as a note, or a RuntimeError carrying its text
    when ``exc`` does not survive pickling."""
    text = "".join(traceback.format_exception(exc))
    try:
        exc.add_note(f"(raised in a forked copy of the process, pid {os.getpid()}:\n{text})")
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any pickling failure
        return RuntimeError(f"a forked copy of the process (pid {os.getpid()}) failed:\n{text}")


def _read(fd) -> bytes:
    """Everything written to the pipe ``fd`` until its writer closed it."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _message(pid, payload, status) -> tuple:
    """A copy's ``(kind, body, warnings)``, or a failure when it sent nothing."""
    if payload:
        return pickle.loads(payload)
    end = (f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
           else f"exit status {os.waitstatus_to_exitcode(status)}")
    return ("failed", RuntimeError(
        f"a forked copy of the process (pid {pid}) ended before sending its results ({end}); "
        f"its tasks are lost. Out of memory? lab.parallel.HOW = 'threads' trains in threads"), [])


#: the ways :func:`run` knows, by name
WAYS = {"threads": in_threads, "fork": in_forks}
