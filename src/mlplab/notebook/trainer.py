"""Lesson A's panel as an ipywidgets widget: sliders, "Train & animate", "Success rate".

Runs go through :func:`mlplab.lab.train.run_training` with the lesson's protocol: every
point trains (no test or validation rows), full batch, Adam, PyTorch's initializer.
"Success rate" trains the seeds ``seed, ..., seed + N - 1`` as replicas of one model and
judges them by the shared success rule (:mod:`mlplab.nn.success`).
"""

from __future__ import annotations

import html

import numpy as np

from ..data import catalog, toy
from ..lab.train import TrainConfig, run_training
from ..nn import Callback
from .reprs import figure_png

#: every 2-D classification dataset of the catalogue (what a boundary can show)
DATASETS = tuple(e.name for e in catalog.entries() if e.shape[1] == 2 and e.shape[2] is not None)
#: a batch this large is the whole training set (full-batch steps, as the lesson)
FULL_BATCH = 1 << 30


def _widgets():
    try:
        import ipywidgets
    except ImportError:
        raise ImportError("mlplab.widgets needs ipywidgets: pip install 'mlplab[notebook]'") from None
    return ipywidgets


def _display(output, html_text: str, text: str) -> None:
    """Put one HTML display in an Output widget (works with or without a running kernel)."""
    output.outputs = ({"output_type": "display_data", "metadata": {},
                       "data": {"text/html": html_text, "text/plain": text}},)


class _Progress(Callback):
    """Moves a progress bar widget one step per epoch (its updates reach the page at once)."""

    def __init__(self, bar):
        self.bar = bar

    def on_train_begin(self, run):
        self.bar.max, self.bar.value = run.epochs, 0

    def on_epoch_end(self, run, epoch, logs):
        self.bar.value = epoch + 1


class Trainer:
    """Sliders for two hidden widths (2-32), seed, epochs, learning rate and dataset.

    ``Train & animate`` trains one network (the seed) and shows the animation of its
    decision boundary inline in ``animation``; ``Success rate`` trains ``n_seeds`` seeds
    as replicas and shows their panels (titled by seed, green where the success rule
    holds) in ``panels`` and the ``k/N`` line in ``status``. Display it as the last
    expression of a cell: ``Trainer()``. ``rng="torch", data_rng="legacy"`` give each seed
    PyTorch's initial weights and lesson A's own points (its 9 of 20 for 2-4-4-2).

    >>> t = Trainer(epochs=50)          # doctest: +SKIP
    >>> t.success_button.click()        # doctest: +SKIP
    >>> t.status.value                  # doctest: +SKIP
    '<b>17/20 seeds reach training accuracy > 95%</b> ...'
    """

    def __init__(self, dataset: str = "disc_ring", widths=(4, 4), seed: int = 0, epochs: int = 300,
                 lr: float = 0.05, n_seeds: int = 20, init: str = "torch", success=None,
                 rng: str = "numpy", data_rng: str | None = None):
        w = _widgets()
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {', '.join(DATASETS)}; received {dataset!r}")
        if data_rng not in (None, *toy.RNGS):
            raise ValueError(f"data_rng must be one of {', '.join(toy.RNGS)} (or None); "
                             f"received data_rng={data_rng!r}")
        self.rng, self.data_rng = rng, data_rng
        widths = tuple(widths)
        if len(widths) != 2 or not all(isinstance(n, (int, np.integer)) and 2 <= n <= 32 for n in widths):
            raise ValueError(f"widths must be two hidden-layer widths from 2 to 32; received {widths!r}")
        self.init, self.success = init, success
        style = {"description_width": "7em"}
        self.n1 = w.IntSlider(widths[0], min=2, max=32, description="layer 1 width", style=style)
        self.n2 = w.IntSlider(widths[1], min=2, max=32, description="layer 2 width", style=style)
        self.seed = w.IntSlider(seed, min=0, max=999, description="seed", style=style)
        self.epochs = w.IntSlider(epochs, min=10, max=2000, step=10, description="epochs", style=style)
        self.lr = w.FloatLogSlider(lr, base=10, min=-4, max=0, step=0.1, description="learning rate",
                                   readout_format=".3g", style=style)
        self.dataset = w.Dropdown(options=DATASETS, value=dataset, description="dataset", style=style)
        self.n_seeds = w.IntSlider(n_seeds, min=2, max=100, description="seeds (N)", style=style)
        self.train_button = w.Button(description="Train & animate", button_style="primary")
        self.success_button = w.Button(description="Success rate")
        self.status = w.HTML("")
        self.progress = w.IntProgress(0, min=0, max=epochs, description="epochs", style=style)
        self.animation = w.Output()
        self.panels = w.Output()
        self.train_button.on_click(self.train_and_animate)
        self.success_button.on_click(self.success_rate)
        controls = w.VBox([self.dataset, self.n1, self.n2, self.seed, self.epochs, self.lr, self.n_seeds,
                           w.HBox([self.train_button, self.success_button])])
        self.widget = w.VBox([controls, self.progress, self.status, self.animation, self.panels])
        self.config([seed])  # a bad init, rng or success rule is refused now, not at the first click

    def config(self, seeds) -> TrainConfig:
        """The run the sliders describe, for ``seeds``."""
        return TrainConfig(dataset=self.dataset.value, layers=(self.n1.value, self.n2.value),
                           optimizer="adam", lr=float(self.lr.value), epochs=int(self.epochs.value),
                           batch_size=FULL_BATCH, seeds=tuple(seeds), init=self.init, val_split=0.0,
                           test_size=0.0, success=self.success, rng=self.rng, data_rng=self.data_rng)

    def _architecture(self, result) -> str:
        ds = result.dataset
        sizes = [ds.n_features, *result.config.layers, result.model.n_outputs]
        return f"{'-'.join(map(str, sizes))} ({result.model.n_params} parameters)"

    def train_and_animate(self, _button=None):
        """Train the seed on the sliders and show the animation of its boundary."""
        from ..viz import TrainingAnimation

        self.status.value = "training..."
        result = run_training(self.config([self.seed.value]), record=True,
                              callbacks=[_Progress(self.progress)])
        ds = result.dataset
        title = f"{self._architecture(result)}, seed {self.seed.value}"
        anim = TrainingAnimation(result.recorders["boundary"], result.history, ds.X_train, ds.y_train,
                                 classes=ds.classes, title=title)
        _display(self.animation, anim.to_html(fps=12), f"animation of {title}")
        acc = float(np.asarray(result.figures["train"]["accuracy"]))
        self.status.value = (f"<b>seed {self.seed.value}: training accuracy {100 * acc:.1f}%</b> after "
                             f"{result.history.epochs} epochs, {html.escape(self._architecture(result))}")
        self.last_result = result
        return result

    def success_rate(self, _button=None):
        """Train ``N`` seeds as replicas, show their panels and the ``k/N`` line."""
        from ..viz import decision_boundary

        first, n = self.seed.value, self.n_seeds.value
        config = self.config(range(first, first + n))
        self.status.value = f"training {n} seeds..."
        result = run_training(config, callbacks=[_Progress(self.progress)])
        ds, rule = result.dataset, config.success_rule
        ok = rule.of(result.figures)
        fig = decision_boundary(result.model, ds.X_train, ds.y_train, transform=ds.scaler.transform,
                                classes=ds.classes, success=rule, seeds=config.seeds,
                                history=result.history, figures=result.figures, max_panels=n)
        line = f"{int(ok.sum())}/{n} seeds reach {rule.describe()}"
        _display(self.panels, figure_png(fig), line)
        self.status.value = (f"<b>{html.escape(line)}</b> (seeds {first}-{first + n - 1}, "
                             f"{html.escape(self._architecture(result))}, {result.history.epochs} epochs)")
        self.last_result = result
        return result

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
