"""One MNIST epoch with 1 and 2 BLAS threads, on an idle machine and on a busy one.

Lesson B's network (784-128-64-10 ReLU, cross-entropy, Adam lr 1e-3, batch 64) trains
one epoch through ``mlplab.fit`` on the real MNIST files, with OpenBLAS limited to 1
and then 2 threads (``mlplab.threads``). Then it starts ``--busy`` CPU-bound processes
(a Python busy loop each, which ends by itself after ``--busy-seconds`` and is stopped
by its pid when the measurement is done) and measures again. It prints the median
seconds of ``--repeats`` runs, the ratio of 2 threads to 1 and of busy to idle, the
load average, and how far apart the weights of 1 and 2 threads end (OpenBLAS splits
the sums differently, so float32 rounding differs).

"Idle" means no load of this script's own: on a shared machine other programs may be
running anyway, and the load average printed beside each row says how busy it was.

    MLPLAB_DATA=../shared/data python benchmarks/blas_threads.py [--quick] [--repeats 3]

``--quick`` trains on the first 12,800 images (a fifth of an epoch, 200 steps).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _data import shared_data  # noqa: E402

import mlplab  # noqa: E402
from mlplab.data import load_mnist  # noqa: E402

SIZES = [784, 128, 64, 10]
BUSY_LOOP = "import time\nend = time.time() + {seconds}\nwhile time.time() < end:\n    pass\n"


def load(quick: bool):
    directory = shared_data() / "mnist"
    X, y = load_mnist("train", directory=directory, download=False)  # flat, normalised float32
    if quick:
        X, y = X[:12800], y[:12800]
    return X, y


def one_epoch(X, y, threads: int):
    """Seconds for one epoch with ``threads`` BLAS threads, and the trained weights."""
    net = mlplab.mlp(SIZES, init="torch", seed=0)
    with mlplab.threads(threads):
        start = time.perf_counter()
        mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=1e-3, epochs=1,
                   batch_size=64, seed=0)
        seconds = time.perf_counter() - start
    return seconds, [layer.params["W"].copy() for layer in net.dense_layers]


def measure(X, y, repeats: int):
    """{threads: (median seconds, all seconds)}, and the largest weight gap of 1 and 2 threads."""
    out, weights = {}, {}
    for _ in range(repeats):
        for n in (1, 2):  # interleaved, so that a change of load hits both alike
            seconds, weights[n] = one_epoch(X, y, n)
            out.setdefault(n, []).append(seconds)
    gap = max(float(np.abs(a - b).max()) for a, b in zip(weights[1], weights[2]))
    return {n: (statistics.median(t), t) for n, t in out.items()}, gap


def busy(count: int, seconds: float):
    code = BUSY_LOOP.format(seconds=seconds)
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of an epoch")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--busy", type=int, default=1, help="busy-loop processes for the busy rows")
    parser.add_argument("--busy-seconds", type=float, default=600,
                        help="each busy loop ends by itself after this long")
    args = parser.parse_args(argv)

    X, y = load(args.quick)
    print(f"MNIST {len(X)} images, 784-128-64-10, Adam, batch 64; {os.cpu_count()} CPUs; "
          f"median of {args.repeats}")
    one_epoch(X[:640], y[:640], 1)  # warm-up
    rows = {}
    for label in ("idle", "busy"):
        procs = busy(args.busy, args.busy_seconds) if label == "busy" else []
        try:
            time.sleep(0.5 if procs else 0)
            load_before = os.getloadavg()[0]
            rows[label], gap = measure(X, y, args.repeats)
            load_after = os.getloadavg()[0]
        finally:
            for p in procs:
                os.kill(p.pid, 15)
                p.wait()
        (t1, all1), (t2, all2) = rows[label][1], rows[label][2]
        extra = f" + {args.busy} busy loop{'s' * (args.busy > 1)}" if procs else ""
        print(f"{label}{extra} (load average {load_before:.1f} -> {load_after:.1f}):")
        print(f"  1 thread  {t1:7.2f} s   ({', '.join(f'{t:.2f}' for t in all1)})")
        print(f"  2 threads {t2:7.2f} s   ({', '.join(f'{t:.2f}' for t in all2)})   "
              f"2/1 = {t2 / t1:.2f}x")
        print("  weights after 1 and 2 threads: "
              + ("the same, bit for bit" if gap == 0 else f"differ by at most {gap:.2g} (float32 rounding)"))
    for n in (1, 2):
        print(f"busy / idle with {n} thread{'s' * (n > 1)}: "
              f"{rows['busy'][n][0] / rows['idle'][n][0]:.2f}x")


if __name__ == "__main__":
    main()
