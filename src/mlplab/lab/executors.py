"""Where the groups of a sweep train: in this process, in a pool of processes, or on
a Dask cluster.

An executor takes tasks ``(index, configs, arrays)`` and yields ``(index, runs, seconds)`` as
groups finish (in any order); :func:`run_task` is the one function every executor
calls, so the same seeds give the same numbers, bit for bit, wherever they run
(every fit uses one BLAS thread, see :mod:`mlplab.nn.blas_threads`). Groups are the
unit of work: a task is one group, the client keeps the store.

``get("local")``, ``get("processes")`` (``ProcessPoolExecutor``, spawned workers),
``get(client)`` for a ``dask.distributed.Client``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator


def run_task(task) -> tuple[int, list[dict], float]:
    """Train one group: ``(index, configs, arrays)`` -> ``(index, runs, seconds)``.

    ``arrays`` is ``(name, X, y)`` for a dataset given as arrays (registered in the
    worker before training) or None. Top-level, so spawned processes and Dask
    workers can import it.
    """
    import time

    from ..data import catalog
    from .group import train_group

    index, configs, arrays = task
    if arrays is not None:
        name, X, y = arrays
        catalog.ARRAYS.setdefault(name, (X, y))
    start = time.perf_counter()
    runs = train_group(configs)
    return index, runs, time.perf_counter() - start


class Local:
    """Each group in this process, one after the other."""

    name = "local"

    def run(self, tasks) -> Iterator[tuple[int, list[dict], float]]:
        for task in tasks:
            yield run_task(task)


def _init_worker():
    """A pool process ignores Ctrl-C (the client handles it and stops the pool) and trains
    a group's pieces one at a time (the pool already has a process per CPU)."""
    from . import group

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    group.WORKERS = 1


class Processes:
    """A pool of spawned processes, one group per task (``workers``: default the CPU count)."""

    name = "processes"

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def run(self, tasks):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        tasks = list(tasks)
        pool = ProcessPoolExecutor(max_workers=min(self.workers, max(1, len(tasks))),
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker)
        try:
            futures = [pool.submit(run_task, task) for task in tasks]
            for future in as_completed(futures):
                yield future.result()
        except BaseException:  # interrupted (or closed early): groups under way are dropped
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class Dask:
    """A ``dask.distributed.Client``: each group is one task on the cluster; results
    come back to this process, which alone writes the store."""

    name = "dask"

    def __init__(self, client):
        self.client = client

    def run(self, tasks):
        from distributed import as_completed

        futures = [self.client.submit(run_task, task, pure=False) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self.client.cancel([f for f in futures if not f.done()])


def get(executor="local"):
    """``"local"``, ``"processes"`` (or ``"processes:4"``: four workers), a Dask
    ``Client``, or an object with ``run(tasks)`` as the classes here."""
    if isinstance(executor, str):
        name, _, workers = executor.partition(":")
        if name == "local" and not workers:
            return Local()
        if name == "processes":
            if workers and not (workers.isdigit() and int(workers) >= 1):
                raise ValueError(f"executor 'processes:N' needs a positive number of workers; "
                                 f"received {executor!r}")
            return Processes(int(workers) if workers else None)
        raise ValueError(f"executor must be 'local', 'processes' (or 'processes:N'), or a "
                         f"dask.distributed.Client; received {executor!r}")
    if hasattr(executor, "submit") and hasattr(executor, "gather"):  # before run: a Client has one
        return Dask(executor)
    if hasattr(executor, "run") and callable(executor.run):
        return executor
    raise TypeError(f"executor must be 'local', 'processes', or a dask.distributed.Client; "
                    f"received {type(executor).__name__}")
