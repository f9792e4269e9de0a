"""The same seeds give the same numbers, bit for bit, on every executor; a sweep killed
with SIGKILL resumes and ends equal to an uninterrupted one."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mlplab import lab

SPEC = dict(vary={"layers": "3x3,5", "activation": "relu,tanh", "lr": [0.02, 0.1]},
            seeds=[0, 3], epochs=8, batch_size=100)


def same(a, b):
    """Equal runs and equal histories, bit for bit."""
    assert a.runs == b.runs
    for i in range(len(a.runs)):
        ha, hb = a.history(i), b.history(i)
        assert ha.keys() == hb.keys()
        for name in ha:
            np.testing.assert_array_equal(ha[name], hb[name])


@pytest.fixture(scope="module")
def local():
    return lab.sweep("disc_ring", **SPEC)


def test_processes_equal_local(local):
    same(lab.sweep("disc_ring", executor="processes:2", **SPEC), local)


def test_dask_local_cluster_equals_local(local):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    client = distributed.Client(cluster)
    try:
        result = lab.sweep("disc_ring", executor=client, **SPEC)
    finally:
        client.close()
        cluster.close()
    same(result, local)


def test_unknown_executor_refused():
    with pytest.raises(ValueError, match="executor must be 'local', 'processes'.*received 'threads'"):
        lab.sweep("disc_ring", executor="threads", **SPEC)


def _done(db):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM groups WHERE status='done'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_resume_after_sigkill_equals_an_uninterrupted_sweep(tmp_path):
    db = tmp_path / "kill.db"
    # 24 groups (each data seed is its own dataset), slow enough to be killed half-way
    args = ["disc_ring", "--vary", "data_seed=0-23", "--seeds", "0-1", "--epochs", "100",
            "--lr", "0.05", "--batch-size", "300"]
    env = {**os.environ, "PYTHONPATH": str(Path(lab.__file__).parents[2]), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mlplab", "sweep", *args, "--store", str(db)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _done(db) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    killed = lab.load(db)
    assert 2 <= killed.groups_done < 24 and not killed.complete
    assert len(killed.runs) == 2 * killed.groups_done  # whole groups only

    spec = dict(vary={"data_seed": list(range(24))}, seeds=[0, 1], epochs=100, lr=0.05,
                batch_size=300)
    ran = []
    import mlplab.lab.executors as ex

    original = ex.run_task

    def counting(task):
        ran.append(task[0])
        return original(task)

    ex.run_task = counting
    try:
        resumed = lab.sweep("disc_ring", store=db, resume=True, **spec)
    finally:
        ex.run_task = original
    assert len(ran) == 24 - killed.groups_done  # only the groups not finished
    assert resumed.complete and resumed.sweep_id == killed.sweep_id
    with sqlite3.connect(db) as con:  # no duplicate, no half-written row
        assert con.execute("SELECT COUNT(*), COUNT(DISTINCT setting || '/' || seed) FROM runs"
                           ).fetchone() == (48, 48)
    same(resumed, lab.sweep("disc_ring", **spec))
