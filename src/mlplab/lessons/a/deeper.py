"""Two hidden layers: the 2-16-16-2 network on the disc and ring, and the lesson's
"train and animate" widget as one run."""

from __future__ import annotations

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import LESSON_SEEDS, RUN, claim

#: the lesson's window for the disc and ring
WINDOW = (-1.5, 1.5, -1.5, 1.5)


def _lesson_run(sizes, seed: int, epochs: int = 300, callbacks=()):
    """One network of ``sizes`` trained on seed's own disc and ring with the lesson's
    protocol; returns (net, history, X, y)."""
    import mlplab
    from mlplab.data import toy

    X, y = toy.disc_ring(seed=seed, rng="legacy")
    net = mlplab.mlp(sizes, init="torch", rng="torch", seed=seed)
    history = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=RUN["lr"], epochs=epochs,
                         batch_size=len(X), callbacks=list(callbacks))
    return net, history, X, y


@LESSON.add("network-16", "A 2-16-16-2 ReLU network on the disc and ring")
def network_16(s: Settings) -> Outcome:
    """Parameters of 2-16-16-2, its trained graph and boundary (seed 0), and how many of
    the lesson's 20 seeds it learns."""
    from mlplab import lab, viz

    net, history, X, y = _lesson_run([2, 16, 16, 2], seed=0)
    sweep = lab.sweep("disc_ring", vary={"layers": [(16, 16), (2, 2)]}, seeds=LESSON_SEEDS, **RUN)
    k16, k2 = (row["successes"] for row in sweep.summary())
    accuracy = float(np.mean(net.predict(X) == y))
    return Outcome(
        numbers={"parameters": net.n_params, "seed0_accuracy": accuracy, "successes_16_16": k16,
                 "successes_2_2": k2, "seeds": len(LESSON_SEEDS)},
        figures={"graph": viz.network_graph(net, title=f"2-16-16-2 after training, seed 0 "
                                                       f"({net.n_params} parameters)"),
                 "boundary": viz.decision_boundary(net, X, y, classes=["disc", "ring"],
                                                   title=f"2-16-16-2, seed 0: {100 * accuracy:.1f}%")},
        claims=[claim("2-16-16-2 has 2*16+16 + 16*16+16 + 16*2+2 parameters",
                      str(net.n_params), net.n_params == 354),
                claim("16 neurons per layer carve the circle", f"{k16}/20 seeds reach training "
                      f"accuracy > 95%", k16 == 20),
                claim("with only 2-3 neurons the boundary stays almost straight",
                      f"2-2: {k2}/20 seeds succeed", k2 <= 2)],
        text="Two hidden ReLU layers of 16 units turn the straight boundary of the first models "
             "into a closed polygon around the disc. With the lesson's protocol every one of "
             "its 20 seeds learns the disc and ring; with two units per layer almost none do.",
        code='from mlplab.data import toy\n'
             'X, y = toy.disc_ring(seed=0, rng="legacy")        # the lesson\'s own points\n'
             'net = mlplab.mlp([2, 16, 16, 2], init="torch", rng="torch", seed=0)\n'
             'mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05,\n'
             '           epochs=300, batch_size=300)\n'
             'mlplab.viz.network_graph(net); mlplab.viz.decision_boundary(net, X, y)\n'
             'lab.sweep("disc_ring", vary={"layers": [(16, 16), (2, 2)]}, seeds=range(20),\n'
             '          epochs=300, lr=0.05, batch_size=300, init="torch", rng="torch",\n'
             '          data_rng="legacy").table()',
    )


@LESSON.add("train-animate", "Train and animate (the lesson's first widget)")
def train_animate(s: Settings) -> Outcome:
    """The widget's default: 2-8-8-2, seed 0, 50 epochs, a frame every 2 epochs on the
    lesson's 50 x 50 grid over [-1.5, 1.5]^2."""
    from mlplab import viz
    from mlplab.nn.recorders import BoundaryRecorder, Grid

    recorder = BoundaryRecorder(Grid(*WINDOW, resolution=50), every=2)
    net, history, X, y = _lesson_run([2, 8, 8, 2], seed=0, epochs=50, callbacks=[recorder])
    loss = float(history["loss"][-1])
    accuracy = float(np.mean(net.predict(X) == y))
    title = f"2-8-8-2 ({net.n_params} parameters), seed 0"
    anim = viz.TrainingAnimation(recorder, history, X, y, classes=["disc", "ring"], title=title,
                                 max_frames=s.pick(26, 10), size=(8.0, 3.5), dpi=s.pick(72, 56))
    return Outcome(
        numbers={"parameters": net.n_params, "frames": len(recorder.frames), "final_loss": loss,
                 "accuracy": accuracy},
        figures={"animation": anim},
        claims=[claim("the widget prints the architecture and its parameter count",
                      f"2 -> 8 -> 8 -> 2: {net.n_params} parameters", net.n_params == 114)],
        text="The lesson's first widget trains one network for the widths, seed and epochs on its "
             "sliders and animates the boundary, one frame every 2 epochs. The same run here: "
             "after 50 epochs the boundary already closes around the disc.\n\n"
             "To move the sliders yourself: the notebook lessons/lesson-a.ipynb has "
             "mlplab.widgets.Trainer (widths 2-32, seed, epochs, 'Train & animate', 'Success "
             "rate'), and `mlplab lesson a --playground` opens the browser playground on this "
             "lesson's presets.",
        code='rec = BoundaryRecorder(Grid(-1.5, 1.5, -1.5, 1.5, resolution=50), every=2)\n'
             'h = mlplab.fit(net, X, y, loss="cross_entropy", optimizer="adam", lr=0.05,\n'
             '               epochs=50, batch_size=300, callbacks=[rec])\n'
             'mlplab.viz.TrainingAnimation(rec, h, X, y).save("widget.gif")\n'
             '# in Jupyter: mlplab.widgets.Trainer(widths=(8, 8), epochs=50)',
    )
