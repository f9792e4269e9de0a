"""Timing shared by the benchmarks."""

import statistics
import time


def timed(fn, repeats):
    """``(median seconds over repeats, the last result)`` of calling ``fn()``."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
