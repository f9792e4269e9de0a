"""How many threads the BLAS library (OpenBLAS, MKL) may use for mlplab's matrix products.

mlplab's products are small (a batch of 64 rows against a few hundred units), so a
second BLAS thread gains little on an idle machine, and on a busy one it costs a lot:
OpenBLAS's threads wait for each other, and with another program holding a core an
MNIST epoch took 15-24 s instead of about 1 s (``benchmarks/blas_threads.py`` measures
it). So :func:`~mlplab.nn.fit` trains with ``DEFAULT`` (1) BLAS thread and gives the
previous count back when it returns, unless a count was chosen:

- with :func:`set_threads` (from now on) or :func:`threads` (inside a ``with`` block),
  both also ``mlplab.set_threads`` / ``mlplab.threads``; the command line's
  ``--threads N`` calls :func:`set_threads`;
- or by an environment variable the BLAS library reads itself
  (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``, ...).

The count changes only how OpenBLAS splits each product among threads, but that changes
the order of the float32 sums, so 1 and 2 threads differ in the last bits (about 1e-5 in
a product of 784 terms). One thread by default also means that a seed gives the same
bits on every machine, whatever its number of cores.

>>> import mlplab
>>> with mlplab.threads(2):       # two BLAS threads for this block only
...     pass
>>> mlplab.set_threads(1)         # one thread from now on, for everything
>>> mlplab.set_threads(None)      # back to the library's own count (fit: DEFAULT)

threadpoolctl (installed with scikit-learn) is imported only when a count is set, so
importing :mod:`mlplab.nn` stays NumPy-only. The counts are per process, not per thread.
"""

from __future__ import annotations

import functools
import numbers
import os
import threading
from contextlib import contextmanager

DEFAULT = 1
ENV_VARS = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
            "BLIS_NUM_THREADS")

_lock = threading.RLock()
_chosen: int | None = None   # the count set by set_threads / threads()
_set_limiter = None          # set_threads' limiter (it knows the counts to give back)
_fits = 0                    # fits running under DEFAULT (concurrent or nested)
_fit_limiter = None


def check_threads(n, name: str = "n") -> int:
    """``n`` as an int, or a TypeError / ValueError naming ``name``, the rule and the value."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer (a number of BLAS threads); "
                        f"received {n!r} ({type(n).__name__})")
    if n < 1:
        raise ValueError(f"{name} must be a positive integer (a number of BLAS threads); received {n!r}")
    return int(n)


def _limit(n: int):
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n, user_api="blas")


def env_choice() -> int | None:
    """The thread count an environment variable asks the BLAS library for, if any."""
    for var in ENV_VARS:
        text = os.environ.get(var, "").strip()
        if text.isdigit() and int(text) >= 1:
            return int(text)
    return None


def chosen() -> int | None:
    """The count someone chose (:func:`set_threads`, :func:`threads`, the environment), or None."""
    return _chosen if _chosen is not None else env_choice()


def set_threads(n: int | None) -> None:
    """Let BLAS use ``n`` threads from now on, in the whole process (``fit`` included).

    Parameters
    ----------
    n : int >= 1, or None
        The number of BLAS threads. ``None`` gives the library back the counts it had
        before the first ``set_threads`` and lets ``fit`` use ``DEFAULT`` again.

    Examples
    --------
    >>> import mlplab
    >>> mlplab.set_threads(2)
    >>> mlplab.set_threads(None)
    """
    global _chosen, _set_limiter
    if n is not None:
        n = check_threads(n)
    with _lock:
        if _set_limiter is not None:
            _set_limiter.restore_original_limits()
            _set_limiter = None
        if n is not None:
            _set_limiter = _limit(n)
        _chosen = n


@contextmanager
def threads(n: int):
    """Let BLAS use ``n`` threads inside a ``with`` block, then give the previous counts back.

    >>> import mlplab
    >>> with mlplab.threads(2):
    ...     pass
    """
    global _chosen
    n = check_threads(n)
    with _lock:
        previous = _chosen
        limiter = _limit(n)
        _chosen = n
    try:
        yield
    finally:
        with _lock:
            limiter.restore_original_limits()
            _chosen = previous


_fit_controller = None


def _fit_limit(n: int):
    """``_limit(n)`` through one ThreadpoolController kept for ``fit``: finding the BLAS
    libraries costs about 1 ms, setting their count a few microseconds (``fit`` is called
    once per group part, and often in a loop). Libraries loaded after the first ``fit``
    are not limited by ``fit`` (its products use NumPy's BLAS, found then)."""
    global _fit_controller
    if _fit_controller is None:
        from threadpoolctl import ThreadpoolController

        _fit_controller = ThreadpoolController()
    return _fit_controller.limit(limits=n, user_api="blas")


@contextmanager
def _default_for_fit():
    global _fits, _fit_limiter
    with _lock:
        if _fits == 0:
            _fit_limiter = _fit_limit(DEFAULT)
        _fits += 1
    try:
        yield
    finally:
        with _lock:
            _fits -= 1
            if _fits == 0:
                _fit_limiter.restore_original_limits()
                _fit_limiter = None


def training_threads(fn):
    """Decorate a training function: it runs with ``DEFAULT`` BLAS threads unless a count was chosen."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if chosen() is not None:
            return fn(*args, **kwargs)
        with _default_for_fit():
            return fn(*args, **kwargs)

    return run
