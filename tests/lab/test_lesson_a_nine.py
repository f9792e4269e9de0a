"""Lesson A's "4,4 -> 45%": 9 of 20 seeds, with PyTorch's draws and the lesson's data,
reproduced without PyTorch (and checked against PyTorch itself when it is installed)."""

import subprocess
import sys
import textwrap

import numpy as np

import mlplab
from mlplab.data import toy
from mlplab.nn import success

from ..conftest import torch_or_skip

SEEDS = list(range(20))


def lesson_a_verdicts():
    """2-4-4-2 ReLU, PyTorch's initial weights, Adam 0.05, 300 full-batch epochs on each
    seed's own 150 + 150 points; success = training accuracy > 95%."""
    pairs = [toy.disc_ring(seed=s, rng="legacy") for s in SEEDS]
    X, y = np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])
    net = mlplab.mlp([2, 4, 4, 2], init="torch", rng="torch", seed=SEEDS)
    mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=300, batch_size=300)
    accuracy = (net.predict(X) == y).mean(axis=-1)
    return success.get(None)(accuracy)


def test_nine_of_twenty_without_torch():
    code = textwrap.dedent("""
        import sys
        sys.modules["torch"] = None  # any import of torch now fails
        from tests.lab.test_lesson_a_nine import lesson_a_verdicts
        ok = lesson_a_verdicts()
        print(int(ok.sum()), "torch" in sys.modules and sys.modules["torch"] is not None)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["9", "False"]


def test_the_same_seeds_succeed_in_pytorch():
    torch = torch_or_skip()
    verdicts = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        X, y = toy.disc_ring(seed=seed, rng="legacy")
        model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4),
                                    torch.nn.ReLU(), torch.nn.Linear(4, 2))
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        for _ in range(300):
            loss = torch.nn.functional.cross_entropy(model(Xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            verdicts.append((model(Xt).argmax(1) == yt).float().mean().item() > 0.95)
    assert sum(verdicts) == 9
    assert lesson_a_verdicts().tolist() == verdicts


def test_a_sweep_with_pytorch_draws_gives_the_same_seeds():
    """lab.sweep passes rng="torch" on to every padded replica: the same 9 seeds."""
    from mlplab import lab

    result = lab.sweep("disc_ring", vary={"layers": [(4, 4), (4, 3)]}, seeds=SEEDS, epochs=300,
                       lr=0.05, batch_size=300, init="torch", rng="torch", data_rng="legacy")
    four_four = [r["success"] for r in result.runs if r["layers"] == (4, 4)]
    assert four_four == lesson_a_verdicts().tolist()
    assert [s["successes"] for s in result.summary()] == [9, 14]
