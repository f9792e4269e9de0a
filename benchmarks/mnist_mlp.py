"""Lesson B's MNIST network, side by side: mlplab, PyTorch and scikit-learn.

784-128-64-10 ReLU, cross-entropy, Adam lr 1e-3, batch 64, reshuffled every epoch,
pixels normalised with mean 0.1307 and std 0.3081. In one run, each tool (when
installed) trains for ``--epochs`` epochs, ``--repeats`` times; the figure is the
median seconds per epoch, and the test accuracy after the last epoch:

- mlplab (``mlplab.fit``),
- PyTorch with the data preloaded as tensors and sliced by a random permutation,
- PyTorch with a ``DataLoader`` over a ``TensorDataset``,
- scikit-learn's ``MLPClassifier`` with one ``partial_fit`` per epoch.

It also measures the floor this machine's BLAS sets: the time of the eight matrix
products of one training step (forward, weight gradients, input gradients) times
the number of steps per epoch.

    MLPLAB_DATA=../shared/data python benchmarks/mnist_mlp.py [--epochs 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _data import shared_data  # noqa: E402

import mlplab  # noqa: E402
from mlplab.data import load_mnist  # noqa: E402

SIZES = [784, 128, 64, 10]
LR, BATCH = 1e-3, 64


class EpochTimer(mlplab.nn.Callback):
    def on_train_begin(self, run):
        self.times = []

    def on_epoch_begin(self, run, epoch):
        self._t = time.perf_counter()

    def on_epoch_end(self, run, epoch, logs):
        self.times.append(time.perf_counter() - self._t)


def bench_mlplab(data, epochs, seed):
    X, y, Xt, yt = data
    net = mlplab.mlp(SIZES, init="torch", seed=seed)
    timer = EpochTimer()
    mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=LR, epochs=epochs,
               batch_size=BATCH, seed=seed, callbacks=[timer])
    return timer.times, float((net.predict(Xt) == yt).mean())


def _torch_model(torch, seed):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(),
                         nn.Linear(64, 10))


def _torch_accuracy(torch, model, Xt, yt):
    with torch.no_grad():
        return float((model(torch.from_numpy(Xt)).argmax(1).numpy() == yt).mean())


def bench_torch_preloaded(data, epochs, seed):
    import torch

    X, y, Xt, yt = data
    model = _torch_model(torch, seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xg, yg = torch.from_numpy(X), torch.from_numpy(y)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(len(X))
        for i in range(0, len(X), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss_fn(model(Xg[idx]), yg[idx]).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return times, _torch_accuracy(torch, model, Xt, yt)


def bench_torch_dataloader(data, epochs, seed):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    X, y, Xt, yt = data
    model = _torch_model(torch, seed)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(y)),
                        batch_size=BATCH, shuffle=True)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return times, _torch_accuracy(torch, model, Xt, yt)


def bench_sklearn(data, epochs, seed):
    import warnings

    from sklearn.neural_network import MLPClassifier

    X, y, Xt, yt = data
    clf = MLPClassifier(hidden_layer_sizes=(128, 64), solver="adam", learning_rate_init=LR,
                        batch_size=BATCH, shuffle=True, random_state=seed)
    classes = np.arange(10)
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(epochs):
            start = time.perf_counter()
            clf.partial_fit(X, y, classes=classes)
            times.append(time.perf_counter() - start)
    return times, float((clf.predict(Xt) == yt).mean())


def matmul_floor(n_samples, repeats=200):
    """Seconds per epoch spent in one step's eight matrix products, at this BLAS's speed."""
    rng = np.random.default_rng(0)
    f32 = np.float32
    x = rng.standard_normal((BATCH, 784), dtype=f32)
    Ws = [rng.standard_normal((a, b), dtype=f32) for a, b in zip(SIZES[:-1], SIZES[1:])]
    hs = [x] + [rng.standard_normal((BATCH, b), dtype=f32) for b in SIZES[1:]]

    def step():
        for h, W in zip(hs[:-1], Ws):
            h @ W                                    # forward
        for i, W in enumerate(Ws):
            hs[i].T @ hs[i + 1]                      # dL/dW
            if i:
                hs[i + 1] @ W.T                      # dL/dx (not for the input layer)

    step()
    start = time.perf_counter()
    for _ in range(repeats):
        step()
    per_step = (time.perf_counter() - start) / repeats
    flops = 2 * BATCH * sum(a * b for a, b in zip(SIZES[:-1], SIZES[1:])) * 2
    flops += 2 * BATCH * sum(a * b for a, b in zip(SIZES[1:-1], SIZES[2:]))
    steps = -(-n_samples // BATCH)
    return per_step * steps, flops / per_step / 1e9


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="run only these tools")
    args = parser.parse_args(argv)

    directory = shared_data() / "mnist"
    X, y = load_mnist("train", directory=directory, download=False)
    Xt, yt = load_mnist("test", directory=directory, download=False)
    data = (X, y, Xt, yt)
    tools = {"mlplab": bench_mlplab, "torch-preloaded": bench_torch_preloaded,
             "torch-dataloader": bench_torch_dataloader, "sklearn-partial_fit": bench_sklearn}
    tools = {k: v for k, v in tools.items() if not args.only or k in args.only}
    runs = {name: [] for name in tools}
    # repeats are interleaved (every tool once, then again) so that the machine's
    # drift over the run touches every tool alike
    for seed in range(args.repeats):
        for name, fn in tools.items():
            if runs.get(name) is None:
                continue
            try:
                runs[name].append(fn(data, args.epochs, seed))
            except ImportError as exc:
                print(f"{name:20} skipped: {exc}")
                runs[name] = None
    results, fastest = {}, {}
    for name, done in runs.items():
        if not done:
            continue
        per_epoch = statistics.median(t for times, _ in done for t in times)
        fastest[name] = min(t for times, _ in done for t in times)
        acc = statistics.median(a for _, a in done)
        results[name] = per_epoch
        print(f"{name:20} {per_epoch:6.3f} s/epoch (fastest {fastest[name]:.3f})   test accuracy "
              f"after {args.epochs} epochs {100 * acc:.2f}% (median of {len(done)} runs)", flush=True)
    floor, gflops = matmul_floor(len(X))
    print(f"{'matmul floor':20} {floor:6.3f} s/epoch   ({gflops:.0f} GFLOP/s on this step's products)")
    if "mlplab" in results:
        base = results["mlplab"]
        for name, t in results.items():
            if name != "mlplab":
                print(f"mlplab / {name:20} = {base / t:.2f}x")
        print(f"mlplab / matmul floor         = {base / floor:.2f}x")
        if "torch-preloaded" in results:
            ratio = base / results["torch-preloaded"]
            best = fastest["mlplab"] / fastest["torch-preloaded"]
            print(f"target mlplab <= 0.55x torch-preloaded: {'met' if ratio <= 0.55 else 'NOT met'}"
                  f" ({ratio:.2f}x on medians, {best:.2f}x on the fastest epochs)")


if __name__ == "__main__":
    main()
