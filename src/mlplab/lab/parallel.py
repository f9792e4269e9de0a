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
  with its own lock: 1.57 s (1.9x; two copies running at once slow each other by
  about 2%). The copies see ``tasks`` and ``work`` as they were at the fork (nothing
  is pickled on the way in), take task numbers from a pipe, and send their results,
  pickled, once at the end (their length first), with the warnings they raised
  (filtered in the copy by the filters it inherited, shown here). A copy ignores
  Ctrl-C (this process handles it and ends the copies; Ctrl-C is held back while a
  copy is being made) and stops at its next check once this process is gone (killed).
  A copy first points every socket, pipe and event file it inherited at /dev/null
  (regular files stay open, and no descriptor number is freed for reuse). Without
  that, a notebook that nbclient ran later in the same process (the tests) waited
  5 minutes for a kernel's reply, 3 times out of 3; with it, never. The likely cause: a
  socket the parent closed while a copy still held it stayed registered in the
  parent's event loop (epoll forgets a file only when its last descriptor closes).
- ``"auto"``: fork on Linux when this process runs no other Python thread and has not
  imported ZeroMQ (a Jupyter kernel or client lives in it: even with the copies'
  sockets detached, a notebook run later by nbclient in the same process once more
  waited 5 minutes for a reply), threads otherwise. A fork copies only the calling
  thread, so a lock that another thread held at that moment stays held for ever in
  the copy (Jupyter's kernel, a web server and a Dask worker all run threads);
  macOS's system libraries are not safe to use in a forked copy, and Windows has no
  fork.
"""

from __future__ import annotations

import contextlib
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
    quiet = threading.active_count() == 1 and "zmq" not in sys.modules
    return "fork" if sys.platform.startswith("linux") and quiet else "threads"


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
    memory). In a copy (:meth:`in_copy`) it also reads as set once the process that made
    the flag is gone (its pid is taken before the fork, so an early death counts too)."""

    def __init__(self):
        self.byte = mmap.mmap(-1, 1)  # anonymous and shared: one page for all the copies
        self.parent = os.getpid()
        self.watch = False

    def set(self) -> None:
        self.byte[0] = 1

    def is_set(self) -> bool:
        return self.byte[0] == 1 or (self.watch and os.getppid() != self.parent)

    def in_copy(self) -> None:
        self.watch = True


#: a copy's message starts with its length in bytes (8, unsigned)
HEADER = struct.Struct("Q")


def in_forks(tasks, work, workers) -> list:
    """The tasks on this process and ``workers - 1`` forked copies of it (on threads when
    the task numbers do not fit in a pipe)."""
    queue = _task_pipe(len(tasks))
    if queue is None:
        return in_threads(tasks, work, workers)
    stop = SharedFlag()
    for stream in (sys.stdout, sys.stderr):  # or a copy would print what is buffered again
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    copies = {}  # pid -> the pipe its message comes from; a pid leaves once waited for
    fds = [queue]
    try:
        for _ in range(workers - 1):
            reader, writer = os.pipe()
            fds.append(reader)
            # Ctrl-C waits until the copy is recorded here and ignores Ctrl-C there
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                with _quiet_fork_warning():
                    try:
                        pid = os.fork()
                    except OSError as exc:
                        raise RuntimeError(
                            f"could not fork a copy of this process to train at once ({exc}); "
                            f"mlplab.lab.parallel.HOW = 'threads' uses threads") from exc
                    if pid == 0:
                        _copy(tasks, work, queue, writer, stop, mask)  # never returns
                copies[pid] = reader
            finally:
                os.close(writer)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            results = _take(tasks, work, queue, stop)
        except Stopped:  # a copy failed: its message says why
            results = {}
        messages = []
        for pid, reader in list(copies.items()):
            payload = _receive(reader)
            messages.append(_message(pid, payload, _wait(pid)))
            del copies[pid]
    except BaseException:  # this process failed or was interrupted
        stop.set()
        raise
    finally:
        for pid in copies:  # still running: end them (they hold nothing to save)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait(pid)
        for fd in fds:
            os.close(fd)
    errors = []
    for kind, body, caught in messages:
        for category, text, filename, lineno in caught:  # filtered in the copy already
            warnings.showwarning(text, category, filename, lineno)
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


def _task_pipe(n):
    """A pipe holding the task numbers ``0 .. n-1`` (4 bytes each), its writer closed;
    None when they do not fit (a pipe holds 64 KiB, or 8 KiB for a user over the
    kernel's pipe quota)."""
    queue, writer = os.pipe()
    data = struct.pack(f"{n}i", *range(n))
    try:
        os.set_blocking(writer, False)
        fits = os.write(writer, data) == len(data)
    except BlockingIOError:
        fits = False
    finally:
        os.close(writer)  # an empty pipe whose writer is closed reads b"": no task left
    if not fits:
        os.close(queue)
        return None
    return queue


@contextlib.contextmanager
def _quiet_fork_warning():
    """Python 3.12 and later warn at ``os.fork`` when the process runs other threads.
    With no other Python thread (what "auto" asks) the others are native threads of
    libraries, such as the BLAS library's pool: OpenBLAS stops it around a fork, and
    ``train_group`` uses one BLAS thread; the copy runs nothing else. So the warning is
    not shown then; with Python threads running (``how="fork"`` asked for) it is."""
    with warnings.catch_warnings():
        if threading.active_count() == 1:
            warnings.simplefilter("ignore", DeprecationWarning)
        yield


def _take(tasks, work, queue, stop) -> dict:
    """Take task numbers from the pipe until it is empty; ``{number: result}``."""
    done = {}
    while True:
        raw = os.read(queue, 4)
        if not raw:
            return done
        (k,) = struct.unpack("i", raw)
        done[k] = work(tasks[k], stop)


def _copy(tasks, work, queue, out, stop, mask) -> None:
    """The body of a forked copy: take tasks, send ``(kind, body, warnings)`` pickled
    once to ``out`` (after its length), and leave with ``os._exit`` (never back into the
    caller's code)."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _detach_inherited(keep=(queue, out))
        stop.in_copy()
        with warnings.catch_warnings(record=True) as caught:  # the filters as inherited
            try:
                message = ("done", _take(tasks, work, queue, stop))
            except Stopped:
                message = ("stopped", None)
            except BaseException as exc:  # noqa: BLE001 - sent to the parent, raised there
                stop.set()
                message = ("failed", _portable(exc))
        seen = list(dict.fromkeys((w.category, str(w.message), w.filename, w.lineno)
                                  for w in caught))
        payload = _pickled(message, seen)
        with os.fdopen(out, "wb") as stream:
            stream.write(HEADER.pack(len(payload)) + payload)
        code = 0
    finally:
        for stream in (sys.stdout, sys.stderr):  # what the tasks printed (a plain file only:
            if type(stream) is io.TextIOWrapper:  # Jupyter's streams need threads not copied)
                try:
                    stream.flush()
                except BaseException:  # noqa: BLE001 - leaving anyway
                    pass
        os._exit(code)


def _pickled(message, seen) -> bytes:
    """``(kind, body, warnings)`` pickled; what cannot be pickled becomes a failure
    that says so (warnings that cannot travel are left out)."""
    try:
        return pickle.dumps((*message, seen), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - any pickling failure
        what = "the results" if message[0] == "done" else "a warning"
        failure = RuntimeError(
            f"{what} of a forked copy of the process could not be pickled to be sent back "
            f"({type(exc).__name__}: {exc}); mlplab.lab.parallel.HOW = 'threads' keeps "
            f"everything in this process")
        return pickle.dumps(("failed", failure, []), protocol=pickle.HIGHEST_PROTOCOL)


def _detach_inherited(keep) -> None:
    """Point every socket, pipe and event file (epoll, eventfd) the copy inherited at
    /dev/null, but standard input, output and error and ``keep``: the parent's network
    connections and event loop stay the parent's alone. Regular files stay open (a log
    file keeps its lines), and no descriptor number is freed for reuse."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc (not Linux)
        return
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in fds:
            if fd <= 2 or fd in keep or fd == null:
                continue
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:  # closed since the listing (the listing's own descriptor)
                continue
            if target.startswith(("socket:", "pipe:", "anon_inode:")):
                os.dup2(null, fd)
    finally:
        os.close(null)


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


def _receive(fd) -> bytes | None:
    """A copy's message: its length, then as many bytes (not "until the end": a process
    the task started may still hold the pipe open); None when it ended before all came."""
    header = _read_exactly(fd, HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, HEADER.unpack(header)[0])


def _read_exactly(fd, n) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _wait(pid) -> int | None:
    """The copy's exit status once it has left; None when another handler of SIGCHLD
    took it first."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def _message(pid, payload, status) -> tuple:
    """A copy's ``(kind, body, warnings)``, or a failure when its message did not come."""
    if payload is not None:
        return pickle.loads(payload)
    if status is None:
        end = "its exit status was taken by another handler of SIGCHLD"
    elif os.WIFSIGNALED(status):
        end = f"killed by signal {os.WTERMSIG(status)}"
        if os.WTERMSIG(status) == signal.SIGKILL:
            end += "; out of memory?"
    else:
        end = f"exit status {os.waitstatus_to_exitcode(status)}"
    return ("failed", RuntimeError(
        f"a forked copy of the process (pid {pid}) ended before sending its results ({end}); "
        f"its tasks are lost. mlplab.lab.parallel.HOW = 'threads' trains in this process"), [])


#: the ways :func:`run` knows, by name
WAYS = {"threads": in_threads, "fork": in_forks}
