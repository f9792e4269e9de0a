"""Lesson A's architecture grid: mlplab's vectorised group against PyTorch and JAX.

The grid: 2-n1-n2-2 ReLU networks for n1, n2 in 2..8 (49 architectures) x 20 seeds,
each seed with its own disc-and-ring data (scaled as ``mlplab train`` scales it), Adam
lr 0.05, cross-entropy, 300 full-batch epochs, ``init="torch"``, no held-out data.

- mlplab: ``lab.group.train_group`` on the 49 settings (one depth: one group, what
  ``lab.sweep`` does), the widths padded and masked in a few parts of similar widths,
  trained in pieces by one process per CPU (``lab.parallel``), and again in one process;
- PyTorch loop: one ``nn.Sequential`` and ``torch.optim.Adam`` per (architecture, seed),
  the usual training loop (``torch.set_num_threads(1)`` by default: mlplab runs on one
  BLAS thread; ``--torch-threads 0`` keeps torch's default);
- PyTorch batched: per architecture, the 20 seeds stacked and trained at once with
  ``torch.func.vmap`` over ``functional_call`` and one ``torch.optim.Adam`` (the
  strongest torch peer);
- JAX (optional, skipped when absent): per architecture, ``jit(vmap(...))`` of the whole
  300-epoch loop (``lax.scan``), Adam written out; "cold" counts the compilation of
  each architecture, "warm" runs the compiled function again.

Also lesson A's single protocol (one 2-4-4-2 setting, 20 seeds, raw data) with
``mlplab.fit`` against JAX warm and cold. Every peer runs here, in this process;
seconds are medians over ``--repeats``, ratios are peer / mlplab.

    python benchmarks/sweep.py [--quick] [--repeats 3] [--peers mlplab,torch,torch-vmap,jax]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from _timing import timed  # noqa: E402

from mlplab.data import catalog, per_seed
from mlplab.lab import group, parallel
from mlplab.lab.train import TrainConfig

PEERS = ("mlplab", "torch", "torch-vmap", "jax")


def grid_configs(widths, seeds, epochs, lr):
    return [TrainConfig(dataset="disc_ring", layers=(a, b), optimizer="adam", lr=lr, epochs=epochs,
                        batch_size=1_000_000, init="torch", test_size=0.0, val_split=0.0,
                        seeds=tuple(seeds)) for a in widths for b in widths]


def grid_data(seeds):
    """Per-seed scaled data, as ``train_group`` gives each replica: X (S, n, 2), y (S, n)."""
    ds = catalog.load_seeds("disc_ring", seeds, test_size=0.0)
    X = np.asarray(ds.scaler.transform(ds.X_train), dtype=np.float32)
    return X.reshape(len(seeds), -1, 2), np.asarray(ds.y_train).reshape(len(seeds), -1)


# ------------------------------------------------------------------ mlplab
def mlplab_grid(configs, workers=None):
    runs = group.train_group(configs, workers=workers)
    return np.array([r["train_accuracy"] for r in runs])


def mlplab_single(X, y, seeds, epochs, lr):
    import mlplab

    net = mlplab.mlp([2, 4, 4, 2], init="torch", seed=list(seeds))
    mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=lr, epochs=epochs)
    return (net.predict(X) == y).mean(axis=-1)


# ----------------------------------------------------------------- PyTorch
def torch_loop(archs, X, y, seeds, epochs, lr):
    import torch

    accs = []
    for sizes in archs:
        for r, s in enumerate(seeds):
            torch.manual_seed(s)
            layers = []
            for a, b in zip(sizes[:-1], sizes[1:]):
                layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
            model = torch.nn.Sequential(*layers[:-1])
            opt = torch.optim.Adam(model.parameters(), lr=lr)
            xt, yt = torch.from_numpy(X[r]), torch.from_numpy(y[r]).long()
            loss_fn = torch.nn.CrossEntropyLoss()
            for _ in range(epochs):
                opt.zero_grad()
                loss_fn(model(xt), yt).backward()
                opt.step()
            with torch.no_grad():
                accs.append((model(xt).argmax(1) == yt).float().mean().item())
    return np.array(accs)


def torch_vmap(archs, X, y, seeds, epochs, lr):
    import torch
    from torch.func import functional_call, grad, stack_module_state, vmap

    xt, yt = torch.from_numpy(X), torch.from_numpy(y).long()
    accs = []
    for sizes in archs:
        models = []
        for s in seeds:
            torch.manual_seed(s)
            layers = []
            for a, b in zip(sizes[:-1], sizes[1:]):
                layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
            models.append(torch.nn.Sequential(*layers[:-1]))
        params, _ = stack_module_state(models)
        base = models[0].to("meta")

        def loss(p, x, t, base=base):
            return torch.nn.functional.cross_entropy(functional_call(base, p, (x,)), t)

        step_grad = vmap(grad(loss))
        opt = torch.optim.Adam(list(params.values()), lr=lr)
        for _ in range(epochs):
            grads = step_grad(params, xt, yt)
            for k, p in params.items():
                p.grad = grads[k]
            opt.step()
        with torch.no_grad():
            out = vmap(lambda p, x, base=base: functional_call(base, p, (x,)))(params, xt)
            accs += (out.argmax(-1) == yt).float().mean(-1).tolist()
    return np.array(accs)


# --------------------------------------------------------------------- JAX
def jax_trainer(sizes, epochs, lr):
    """A jitted ``train(keys, X, y) -> accuracy per seed``: vmap over seeds of a
    ``lax.scan`` over epochs, Adam (PyTorch's defaults) written out."""
    import jax
    import jax.numpy as jnp

    def init(key):
        params = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            key, kw, kb = jax.random.split(key, 3)
            bound = 1.0 / np.sqrt(a)
            params.append((jax.random.uniform(kw, (a, b), minval=-bound, maxval=bound),
                           jax.random.uniform(kb, (b,), minval=-bound, maxval=bound)))
        return params

    def forward(params, x):
        for W, b in params[:-1]:
            x = jax.nn.relu(x @ W + b)
        W, b = params[-1]
        return x @ W + b

    def loss(params, x, t):
        logp = jax.nn.log_softmax(forward(params, x))
        return -jnp.mean(jnp.take_along_axis(logp, t[:, None], axis=1))

    b1, b2, eps = 0.9, 0.999, 1e-8

    def train_one(key, x, t):
        params = init(key)
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)

        def step(carry, i):
            p, m, v = carry
            g = jax.grad(loss)(p, x, t)
            m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, g)
            v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, g)
            k = i + 1.0
            p = jax.tree_util.tree_map(
                lambda p, m, v: p - lr * (m / (1 - b1**k)) / (jnp.sqrt(v / (1 - b2**k)) + eps),
                p, m, v)
            return (p, m, v), None

        (params, _, _), _ = jax.lax.scan(step, (params, zeros, zeros), jnp.arange(epochs))
        return jnp.mean(jnp.argmax(forward(params, x), -1) == t)

    return jax.jit(jax.vmap(train_one))


def jax_grid(archs, X, y, seeds, epochs, lr, trainers):
    """Accuracy per (architecture, seed). ``trainers`` maps sizes -> jitted trainer: one
    missing is built (and compiled by its first call: the cold run), one there is reused."""
    import jax

    keys = jax.vmap(jax.random.PRNGKey)(np.asarray(seeds))
    accs = []
    for sizes in archs:
        if sizes not in trainers:
            trainers[sizes] = jax_trainer(sizes, epochs, lr)
        accs += np.asarray(trainers[sizes](keys, X, y)).tolist()
    return np.array(accs)


# ----------------------------------------------------------------- driver

def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def report(name, seconds, accs, base=None, note=""):
    ratio = f"  {seconds / base:6.1f}x mlplab" if base else ""
    print(f"  {name:<34} {seconds:8.3f} s{ratio}   {int((accs > 0.95).sum())}/{accs.size} "
          f"runs > 95% accuracy{note}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a fast check: 4 seeds, 60 epochs, widths 2, 5, 8")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peers", default=",".join(PEERS),
                        help=f"comma-separated subset of {','.join(PEERS)}")
    parser.add_argument("--torch-threads", type=int, default=1,
                        help="torch.set_num_threads (0: torch's default)")
    args = parser.parse_args(argv)
    widths = range(2, 9)
    if args.quick:
        args.seeds, args.epochs, widths = 4, 60, (2, 5, 8)
    peers = set(args.peers.split(","))
    seeds = list(range(args.seeds))
    archs = [(2, a, b, 2) for a in widths for b in widths]
    configs = grid_configs(widths, seeds, args.epochs, args.lr)
    X, y = grid_data(seeds)
    print(f"grid: {len(archs)} architectures x {len(seeds)} seeds x {args.epochs} full-batch "
          f"epochs ({len(archs) * len(seeds)} runs), Adam {args.lr}, disc_ring")
    group.train_group(configs[:1])  # imports and first-call costs out of the timing
    t_ml, acc = timed(lambda: mlplab_grid(configs), args.repeats)
    how = parallel.choose(parallel.HOW, 100)
    report(f"mlplab train_group ({how}, 1 per CPU)", t_ml, acc)
    t, acc = timed(lambda: mlplab_grid(configs, workers=1), args.repeats)
    report("mlplab train_group, one process", t, acc, t_ml)
    if available("torch"):
        import torch

        if args.torch_threads:
            torch.set_num_threads(args.torch_threads)
        if "torch-vmap" in peers:
            t, acc = timed(lambda: torch_vmap(archs, X, y, seeds, args.epochs, args.lr), 1)
            report("PyTorch vmap over seeds, per arch.", t, acc, t_ml)
        if "torch" in peers:
            t, acc = timed(lambda: torch_loop(archs, X, y, seeds, args.epochs, args.lr), 1)
            report("PyTorch loop", t, acc, t_ml)
    else:
        print("  PyTorch: not installed; skipped")
    if "jax" in peers and available("jax"):
        compiled = {}
        t_cold, acc = timed(lambda: jax_grid(archs, X, y, seeds, args.epochs, args.lr, compiled), 1)
        report("JAX vmap+jit per arch. (cold)", t_cold, acc, t_ml, "  (compiles 1 per arch.)")
        t, acc = timed(lambda: jax_grid(archs, X, y, seeds, args.epochs, args.lr, compiled),
                       args.repeats)
        report("JAX vmap+jit per arch. (warm)", t, acc, t_ml)
    elif "jax" in peers:
        print("  JAX: not installed (pip install 'jax[cpu]'); skipped")

    print(f"\nlesson A's protocol: one 2-4-4-2 setting x {len(seeds)} seeds x {args.epochs} epochs")
    Xs, ys = per_seed("disc_ring", seeds)
    Xs, ys = Xs.astype(np.float32), ys.astype(np.int64)
    mlplab_single(Xs, ys, seeds, 2, args.lr)
    t_one, acc = timed(lambda: mlplab_single(Xs, ys, seeds, args.epochs, args.lr),
                       max(args.repeats, 5))
    report("mlplab fit (replicas)", t_one, acc)
    if "jax" in peers and available("jax"):
        compiled = {}
        t_cold, acc = timed(lambda: jax_grid([(2, 4, 4, 2)], Xs, ys, seeds, args.epochs,
                                             args.lr, compiled), 1)
        report("JAX vmap+jit (cold)", t_cold, acc, t_one)
        t, acc = timed(lambda: jax_grid([(2, 4, 4, 2)], Xs, ys, seeds, args.epochs, args.lr,
                                        compiled), max(args.repeats, 5))
        report("JAX vmap+jit (warm)", t, acc, t_one)


if __name__ == "__main__":
    main()
