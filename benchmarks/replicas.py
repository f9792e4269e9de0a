"""Lesson A's success-rate protocol: 20 seeds at once as replicas vs a PyTorch loop.

Each seed s gets its own disc-and-ring data (150 + 150 points, ``disc_ring(seed=s)``)
and a 2-4-4-2 ReLU network; Adam (lr 0.05), cross-entropy, 300 full-batch epochs.
mlplab trains all 20 as one replicated model; PyTorch (when installed) trains them
one after another in the usual loop. Both run here, in this process, and the
ratio is printed with how many seeds reached > 95% training accuracy.

    python benchmarks/replicas.py [--seeds 20] [--epochs 300] [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _timing import timed  # noqa: E402

import mlplab
from mlplab.data import per_seed

SIZES = [2, 4, 4, 2]


def run_mlplab(X, y, seeds, epochs, lr):
    net = mlplab.mlp(SIZES, activation="relu", init="torch", seed=list(seeds))
    history = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=lr,
                         epochs=epochs)
    acc = (net.predict(X) == y).mean(axis=-1)
    return acc, history


def run_torch(X, y, seeds, epochs, lr):
    import torch

    accs = []
    for r, s in enumerate(seeds):
        torch.manual_seed(s)
        model = torch.nn.Sequential(
            torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4), torch.nn.ReLU(),
            torch.nn.Linear(4, 2))
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        xt, yt = torch.from_numpy(X[r]), torch.from_numpy(y[r])
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(model(xt), yt)
            loss.backward()
            opt.step()
        with torch.no_grad():
            accs.append((model(xt).argmax(1) == yt).float().mean().item())
    return np.array(accs)



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    seeds = list(range(args.seeds))
    X, y = per_seed("disc_ring", seeds)

    t_ml, (acc_ml, _) = timed(lambda: run_mlplab(X, y, seeds, args.epochs, args.lr), args.repeats)
    print(f"mlplab replicas : {t_ml:.3f} s for {args.seeds} seeds x {args.epochs} epochs; "
          f"{int((acc_ml > 0.95).sum())}/{args.seeds} seeds reach > 95% accuracy")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("PyTorch         : not installed (pip install torch==2.13.0); no ratio")
        return
    t_pt, acc_pt = timed(lambda: run_torch(X, y, seeds, args.epochs, args.lr), args.repeats)
    print(f"PyTorch loop    : {t_pt:.3f} s; "
          f"{int((acc_pt > 0.95).sum())}/{args.seeds} seeds reach > 95% accuracy")
    ratio = t_ml / t_pt
    print(f"ratio mlplab / PyTorch = {ratio:.3f}x (target <= 0.12x): "
          + ("met" if ratio <= 0.12 else "NOT met"))


if __name__ == "__main__":
    main()
