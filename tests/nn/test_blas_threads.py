"""BLAS threads: fit's default of one, set_threads / threads, the environment, bad values.

Every count is read from the BLAS library itself (threadpoolctl's threadpool_info).
"""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import mlplab
from mlplab.nn import Callback, blas_threads


def in_force() -> set:
    """The thread counts of the loaded BLAS libraries, as they say."""
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


class Spy(Callback):
    """Reads the BLAS thread count during every epoch."""

    def on_train_begin(self, run):
        self.seen = set()

    def on_epoch_end(self, run, epoch, logs):
        self.seen |= in_force()


def train(**fit_options):
    X = np.random.default_rng(0).standard_normal((64, 3)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    spy = Spy()
    mlplab.fit(mlplab.mlp([3, 8, 2], seed=0), X, y, loss="cross_entropy", epochs=2, batch_size=16,
               seed=0, callbacks=[spy], **fit_options)
    return spy.seen


@pytest.fixture(autouse=True)
def no_choice(monkeypatch):
    """No count chosen by the environment (the preamble exports OPENBLAS_NUM_THREADS=1)."""
    for var in blas_threads.ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    mlplab.set_threads(None)
    yield
    mlplab.set_threads(None)


def test_fit_trains_on_one_thread_and_gives_the_count_back():
    with threadpool_limits(2, user_api="blas"):
        assert in_force() == {2}
        assert train() == {blas_threads.DEFAULT} == {1}
        assert in_force() == {2}


def test_fit_gives_the_count_back_when_training_fails():
    with threadpool_limits(2, user_api="blas"):
        with pytest.raises(ValueError):
            mlplab.fit(mlplab.mlp([3, 2], seed=0), np.zeros((4, 5), np.float32), np.zeros(4, int),
                       loss="cross_entropy", epochs=1)
        assert in_force() == {2}


def test_set_threads_holds_in_fit_and_after_until_none():
    with threadpool_limits(1, user_api="blas"):
        mlplab.set_threads(2)
        assert in_force() == {2}
        assert train() == {2}          # fit keeps the chosen count
        assert in_force() == {2}
        mlplab.set_threads(3)          # a new choice replaces the old one
        assert in_force() == {3}
        mlplab.set_threads(None)       # back to what the library had
        assert in_force() == {1}
        assert blas_threads.chosen() is None


def test_threads_block_holds_inside_and_restores_after():
    with threadpool_limits(1, user_api="blas"):
        with mlplab.threads(2):
            assert in_force() == {2}
            assert train() == {2}
            with mlplab.threads(3):
                assert in_force() == {3}
            assert in_force() == {2} and blas_threads.chosen() == 2
        assert in_force() == {1}
        assert blas_threads.chosen() is None


def test_an_environment_variable_is_a_choice_fit_keeps(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    with threadpool_limits(2, user_api="blas"):
        assert train() == {2}


def test_fit_inside_fit_keeps_one_thread_until_the_outer_one_ends():
    class Inner(Callback):
        def on_epoch_end(self, run, epoch, logs):
            self.inner = train()
            self.after_inner = in_force()

    inner = Inner()
    X = np.zeros((8, 3), np.float32)
    with threadpool_limits(2, user_api="blas"):
        mlplab.fit(mlplab.mlp([3, 2], seed=0), X, np.arange(8) % 2, loss="cross_entropy", epochs=1,
                   callbacks=[inner])
        assert inner.inner == {1} and inner.after_inner == {1}
        assert in_force() == {2}


@pytest.mark.parametrize("call", [mlplab.set_threads, lambda n: mlplab.threads(n).__enter__()])
@pytest.mark.parametrize("bad,error,shown", [
    (0, ValueError, "received 0"),
    (-2, ValueError, "received -2"),
    (1.5, TypeError, "received 1.5 (float)"),
    ("2", TypeError, "received '2' (str)"),
    (True, TypeError, "received True (bool)"),
])
def test_bad_counts_are_refused_naming_n(call, bad, error, shown):
    before = in_force()
    with pytest.raises(error, match=r"^n must be a positive integer \(a number of BLAS threads\); ") as e:
        call(bad)
    assert shown in str(e.value)
    assert in_force() == before and blas_threads.chosen() is None


def test_numpy_integers_are_counts():
    with threadpool_limits(1, user_api="blas"):
        with mlplab.threads(np.int64(2)):
            assert in_force() == {2}


def test_importing_the_engine_does_not_import_threadpoolctl():
    import subprocess
    import sys

    code = "import sys, mlplab, mlplab.nn; print('threadpoolctl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"   # fit imports it when it first trains
