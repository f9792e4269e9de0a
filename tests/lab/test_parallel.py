"""Tasks at once, on threads or forked copies: results in order, errors, warnings, ends."""

import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import pytest

from mlplab.lab import parallel

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")
SRC = str(Path(parallel.__file__).resolve().parents[2])


def _no_child_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _slow_square(task, stop):
    time.sleep(0.05)
    return task * task, os.getpid()


@pytest.mark.parametrize("how", ["threads", "fork"])
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_task_order(how, workers):
    out = parallel.run(range(9), _slow_square, workers, how=how)
    assert [square for square, _ in out] == [k * k for k in range(9)]
    pids = {pid for _, pid in out}
    if how == "fork" and workers > 1:  # the copies really took tasks
        assert len(pids) >= 2 and os.getpid() in pids
    else:
        assert pids == {os.getpid()}
    _no_child_left()


def _fails_or_waits(task, stop):
    if task == 1:
        time.sleep(0.1)
        raise ValueError("task 1 failed")
    for _ in range(3000):  # 30 s unless told to stop
        if stop.is_set():
            raise parallel.Stopped()
        time.sleep(0.01)
    return task


@pytest.mark.parametrize("how", ["threads", "fork"])
def test_a_failing_task_raises_its_error_and_the_others_end(how):
    start = time.perf_counter()
    with pytest.raises(ValueError, match="task 1 failed"):
        parallel.run(range(4), _fails_or_waits, 2, how=how)
    assert time.perf_counter() - start < 15  # the waiting tasks did not run their 30 s
    _no_child_left()


def _in_copies(action):
    """A task function that, in a forked copy only, calls ``action(task)`` before
    returning the task (each task takes 50 ms, so the copy takes some)."""
    parent = os.getpid()

    def work(task, stop):
        time.sleep(0.05)
        if os.getpid() != parent:
            action(task)
        return task

    return work


def test_a_failing_copy_stops_the_task_of_this_process():
    parent = os.getpid()

    def work(task, stop):
        if os.getpid() != parent:
            time.sleep(0.1)
            raise ValueError(f"task {task} failed in the copy")
        for _ in range(3000):  # 30 s unless told to stop
            if stop.is_set():
                raise parallel.Stopped()
            time.sleep(0.01)
        return task

    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"task \d failed in the copy"):
        parallel.run(range(4), work, 2, how="fork")
    assert time.perf_counter() - start < 15
    _no_child_left()


def test_an_error_that_does_not_pickle_arrives_as_its_text():
    class Local(Exception):  # a local class cannot be pickled
        pass

    def fail(task):
        raise Local(f"task {task} went wrong in the copy")

    with pytest.raises(RuntimeError, match=r"(?s)a forked copy of the process \(pid \d+\) "
                                           r"failed:.*Local: task \d went wrong in the copy"):
        parallel.run(range(6), _in_copies(fail), 2, how="fork")
    _no_child_left()


def test_an_error_in_a_copy_keeps_its_type_and_names_the_copy():
    def fail(task):
        raise KeyError(f"setting {task}")

    with pytest.raises(KeyError) as caught:
        parallel.run(range(6), _in_copies(fail), 2, how="fork")
    assert any("raised in a forked copy of the process" in note
               for note in getattr(caught.value, "__notes__", []))


def test_a_copy_killed_mid_task_is_reported_not_lost():
    def die(task):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(RuntimeError, match=r"a forked copy of the process \(pid \d+\) ended before "
                                           r"sending its results \(killed by signal 9; out of memory\?\)"):
        parallel.run(range(6), _in_copies(die), 2, how="fork")
    _no_child_left()


def test_warnings_raised_in_a_copy_are_shown_by_the_caller():
    def warn(task):
        warnings.warn(f"careful with task {task}", UserWarning, stacklevel=1)

    with pytest.warns(UserWarning, match=r"careful with task \d"):
        assert parallel.run(range(6), _in_copies(warn), 2, how="fork") == list(range(6))


def test_a_copy_holds_none_of_the_parents_sockets_but_keeps_its_files(tmp_path):
    parent = os.getpid()
    a, b = socket.socketpair()
    with a, b, open(tmp_path / "log.txt", "w") as log:
        inode = os.fstat(log.fileno()).st_ino

        def look(task, stop):
            time.sleep(0.05)
            return (os.getpid(), stat.S_ISSOCK(os.fstat(a.fileno()).st_mode),
                    os.fstat(log.fileno()).st_ino == inode)

        out = parallel.run(range(6), look, 2, how="fork")
    assert {(sock, same) for pid, sock, same in out if pid == parent} == {(True, True)}
    assert {(sock, same) for pid, sock, same in out if pid != parent} == {(False, True)}


def test_results_that_do_not_pickle_are_refused_by_name():
    def unpicklable(task):
        return lambda: task  # a lambda cannot be pickled

    parent = os.getpid()

    def work(task, stop):
        time.sleep(0.05)
        return unpicklable(task) if os.getpid() != parent else task

    with pytest.raises(RuntimeError, match=r"the results of a forked copy of the process could "
                                           r"not be pickled to be sent back .*HOW = 'threads'"):
        parallel.run(range(6), work, 2, how="fork")
    _no_child_left()


def test_a_process_started_by_a_task_does_not_hold_the_results_back():
    def start_sleeper(task):
        if os.fork() == 0:  # a grandchild that keeps the copy's pipes for 20 s
            time.sleep(20)
            os._exit(0)

    start = time.perf_counter()
    assert parallel.run(range(6), _in_copies(start_sleeper), 2, how="fork") == list(range(6))
    assert time.perf_counter() - start < 10


def test_warnings_a_filter_here_ignores_stay_ignored():
    def warn(task):
        warnings.warn(f"quiet {task}", UserWarning, stacklevel=1)
        warnings.warn(f"loud {task}", UserWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", message="quiet")
        parallel.run(range(6), _in_copies(warn), 2, how="fork")
    texts = [str(w.message) for w in caught]
    assert texts and all(t.startswith("loud") for t in texts)


def test_fork_works_when_sigchld_is_ignored_and_stdin_is_closed():
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        sys.path.insert(0, {SRC!r})
        from mlplab.lab import parallel
        os.close(0)  # no standard input: the first pipe gets descriptor 0
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # copies reaped by the kernel
        def work(task, stop):
            time.sleep(0.05)
            return task * task, os.getpid()
        out = parallel.run(range(6), work, 2, how="fork")
        print([r for r, _ in out], len({{p for _, p in out}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("]")[0] + "]" == str([k * k for k in range(6)])
    assert done.stdout.split("]")[1].strip() == "2"  # both processes took tasks


def test_auto_forks_only_on_linux_without_other_threads(monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    monkeypatch.setattr(parallel.sys, "platform", "linux")
    monkeypatch.delitem(parallel.sys.modules, "zmq", raising=False)
    assert parallel.choose("auto", 10) == "fork"
    monkeypatch.setitem(parallel.sys.modules, "zmq", object())  # a Jupyter kernel or client
    assert parallel.choose("auto", 10) == "threads"
    monkeypatch.delitem(parallel.sys.modules, "zmq")
    assert parallel.choose("auto", parallel.MAX_FORKED_TASKS + 1) == "threads"
    assert parallel.choose("fork", parallel.MAX_FORKED_TASKS + 1) == "threads"  # the pipe is full
    monkeypatch.setattr(parallel.sys, "platform", "darwin")
    assert parallel.choose("auto", 10) == "threads"
    monkeypatch.undo()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.choose("auto", 10) == "threads"
        assert parallel.choose("fork", 10) == "fork"  # asked for: done
    finally:
        release.set()
        other.join()


def test_an_unknown_way_is_refused():
    with pytest.raises(ValueError, match=r"how must be one of 'auto', 'threads', 'fork'; "
                                         r"received how='processes'"):
        parallel.run([1, 2], _slow_square, 2, how="processes")


SCRIPT = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {src!r})
    from mlplab.lab import parallel

    parent = os.getpid()

    def work(task, stop):
        if os.getpid() != parent:
            open({pidfile!r} + ".tmp", "w").write(str(os.getpid()))
            os.replace({pidfile!r} + ".tmp", {pidfile!r})
            for _ in range(6000):  # 60 s unless stopped
                if stop.is_set():
                    raise parallel.Stopped()
                time.sleep(0.01)
        else:
            time.sleep(60)
        return task

    parallel.run(range(2), work, 2, how="fork")
""")


def _gone(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # ended (a zombie waits for whoever adopted it)


def _start(tmp_path):
    pidfile = tmp_path / "copy.pid"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(src=SRC, pidfile=str(pidfile))],
                            stderr=subprocess.PIPE, text=True)
    for _ in range(1500):
        if pidfile.exists() or proc.poll() is not None:
            break
        time.sleep(0.01)
    assert pidfile.exists(), proc.stderr.read() if proc.poll() is not None else "no copy"
    copy = int(pidfile.read_text())
    assert not _gone(copy)
    return proc, copy


def _ends_soon(pid):
    for _ in range(1000):
        if _gone(pid):
            return True
        time.sleep(0.01)
    return False


def test_a_copy_stops_when_its_parent_is_killed(tmp_path):
    proc, copy = _start(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert _ends_soon(copy)  # within 10 s, not after its 60


def test_ctrl_c_in_the_parent_ends_the_copies(tmp_path):
    proc, copy = _start(tmp_path)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == -signal.SIGINT and "KeyboardInterrupt" in err
    assert _gone(copy)  # ended before the parent left
