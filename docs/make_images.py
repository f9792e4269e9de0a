"""Draw the pictures shown in the README (run from the repository root).

    MLPLAB_DATA=../shared/data python docs/make_images.py
"""

from pathlib import Path

import numpy as np
from PIL import Image

import mlplab
from mlplab import viz
from mlplab.data import disc_ring, line, load_mnist, per_seed
from mlplab.nn import NeuronStats
from mlplab.nn.recorders import BoundaryRecorder, Grid

OUT = Path(__file__).parent / "images"


def _palette(path, colors=96):
    """Rewrite a PNG with a small palette: the README stays light."""
    Image.open(path).convert("RGB").quantize(colors=colors).save(path, optimize=True)


def animation_frame():
    X, y = disc_ring(seed=0)
    net = mlplab.mlp([2, 8, 8, 2], seed=0)
    rec = BoundaryRecorder(Grid.around(X), every=3)
    h = mlplab.fit(net, X, y, loss="cross_entropy", lr=0.01, epochs=300, callbacks=[rec])
    frames = list(viz.TrainingAnimation(rec, h, X, y, title="2-8-8-2 ReLU, Adam lr 0.01").frames())
    Image.fromarray(frames[12]).save(OUT / "training-animation-frame.png", optimize=True)
    _palette(OUT / "training-animation-frame.png")


def seeds_grid():
    X, y = per_seed("disc_ring", range(20))
    net = mlplab.mlp([2, 4, 4, 2], init="torch", seed=list(range(20)))
    mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=300, callbacks=[NeuronStats()])
    viz.decision_boundary(net, X, y).savefig(OUT / "twenty-seeds.png", dpi=60)
    _palette(OUT / "twenty-seeds.png")


def regression_losses():
    X, y = line(outlier=True, seed=42, rng="legacy")  # lesson C's own data, point for point
    viz.regression_losses(X, y).savefig(OUT / "regression-losses.png", dpi=70)
    _palette(OUT / "regression-losses.png")


def split_curves():
    """Lesson E: training and validation accuracy per activation, on separate panels."""
    from mlplab.lab import TrainConfig, run_training

    names = ["relu", "elu", "selu", "gelu"]
    runs = [run_training(TrainConfig(dataset="moons", layers=(16, 16), activation=a, epochs=40,
                                      val_split=0.2, seeds=(0, 1, 2))).history for a in names]
    fig = viz.training_curves(runs, labels=names, metrics=("accuracy",), layout="split")
    fig.savefig(OUT / "training-curves-split.png", dpi=70)
    _palette(OUT / "training-curves-split.png")


def sweep_grid():
    """Lesson A's grid: n1, n2 in 2..8, 20 seeds each, 300 full-batch epochs of Adam 0.05."""
    from mlplab import lab
    from mlplab.viz.sweep import success_heatmap

    vary = {"layers": [(a, b) for a in range(2, 9) for b in range(2, 9)]}
    fixed = dict(epochs=300, optimizer="adam", lr=0.05, init="torch", test_size=0.0, val_split=0.0,
                 batch_size=300)  # disc_ring's 300 points: full batch
    if callable(getattr(lab, "sweep", None)):
        result = lab.sweep("disc_ring", vary=vary, seeds=range(20), **fixed)
    else:  # before lab.sweep: the same runs, one lab.group.train_group per setting
        from tests.lab._sweeps import sweep
        result = sweep(vary, seeds=range(20), **fixed)
    success_heatmap(result).savefig(OUT / "sweep-grid.png", dpi=100)


def mnist_predictions():
    X, y = load_mnist("train")
    Xt, yt = load_mnist("test")
    raw, _ = load_mnist("test", dtype="uint8")
    net = mlplab.mlp([784, 128, 64, 10], seed=0)
    mlplab.fit(net, X, y, loss="cross_entropy", lr=1e-3, epochs=3, batch_size=64)
    viz.prediction_grid(net, raw, yt, n=24, inputs=Xt, seed=1).savefig(
        OUT / "mnist-predictions.png", dpi=70)


def linear_regions():
    from mlplab import explain
    from mlplab.viz._style import new_figure
    X, y = disc_ring(seed=0)
    box = (-1.25, 1.25, -1.25, 1.25)
    fig = new_figure(9.0, 4.6)
    axes = fig.subplots(1, 2)
    for ax, sizes, seed in zip(axes, ([2, 8, 2], [2, 4, 8, 2]), (1, 0)):
        net = mlplab.mlp(sizes, init="torch", seed=seed)
        mlplab.fit(net, X, y, loss="cross_entropy", lr=0.05, epochs=300, batch_size=300, shuffle=False)
        explain.regions_figure(net, box, X, y, ax=ax)
    fig.savefig(OUT / "linear-regions.png", dpi=72)


def trace_frame():
    from mlplab.explain import lesson_b_network, trace

    t = trace(lesson_b_network(), [0.5, 0.8], 1, loss="mse", lr=0.5)
    t.figure("backward 1", dpi=100).savefig(OUT / "trace-frame.png")
    image = Image.open(OUT / "trace-frame.png").convert("RGB")
    image.quantize(colors=128).save(OUT / "trace-frame.png", optimize=True)


if __name__ == "__main__":
    import sys

    OUT.mkdir(parents=True, exist_ok=True)
    makers = {"animation": animation_frame, "seeds": seeds_grid, "regression": regression_losses,
              "curves": split_curves,
              "mnist": mnist_predictions, "sweep": sweep_grid, "regions": linear_regions,
              "trace": trace_frame}
    for name in sys.argv[1:] or makers:  # e.g. `python docs/make_images.py seeds regression`
        makers[name]()
    for p in sorted(OUT.glob("*.png")):
        print(p, p.stat().st_size // 1024, "KB", np.asarray(Image.open(p)).shape)
