"""Callbacks that record what training looks like, for pictures drawn afterwards.

Nothing re-runs training to draw it: these listen to the same event stream as the
history and keep compact snapshots.

- :class:`Grid`: a regular grid over the data's extent;
- :class:`BoundaryRecorder`: the model's class probabilities on a grid, every
  ``every`` epochs (and at the start), for decision-boundary pictures and
  animations;
- :class:`WeightRecorder`: copies of every Dense layer's weights and biases, for
  the animated network graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate
from .callbacks import Callback


@dataclass(frozen=True)
class Grid:
    """``resolution x resolution`` points covering ``[x0, x1] x [y0, y1]``.

    ``points`` is ``(resolution**2, 2)``, row-major with y growing along the rows
    (row 0 is ``y0``), so ``values.reshape(resolution, resolution)`` is an image with
    its origin at the lower left.
    """

    x0: float
    x1: float
    y0: float
    y1: float
    resolution: int = 100

    @classmethod
    def around(cls, X, resolution: int = 100, margin: float = 0.1) -> Grid:
        """A square-ish grid around the 2-D points ``X`` (with ``margin`` of the span added)."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, np.shape(X)[-1])
        if X.shape[-1] != 2:
            raise ValueError(f"a grid needs 2-D inputs; received {X.shape[-1]} features")
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = margin * np.maximum(hi - lo, 1e-9)
        lo, hi = lo - pad, hi + pad
        return cls(float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]),
                   _validate.positive_int("resolution", resolution))

    @property
    def axes(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.linspace(self.x0, self.x1, self.resolution),
                np.linspace(self.y0, self.y1, self.resolution))

    @property
    def points(self) -> np.ndarray:
        xs, ys = self.axes
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return (self.x0, self.x1, self.y0, self.y1)


class Snapshots(Callback):
    """Keep ``snapshot(model)`` at the start of training and every ``every`` epochs.

    ``items[i]`` was taken after ``epochs[i]`` epochs (0 = before training). A
    second ``fit`` with the same recorder continues the same film.
    """

    def __init__(self, every: int = 1):
        self.every = _validate.positive_int("every", every)
        self.items: list = []
        self.epochs: list[int] = []

    def snapshot(self, model):
        raise NotImplementedError

    def on_train_begin(self, run):
        if not self.items:
            self.items.append(self.snapshot(run.model))
            self.epochs.append(0)
        self._offset = self.epochs[-1]

    def on_epoch_end(self, run, epoch, logs):
        if (epoch + 1) % self.every == 0 or epoch + 1 == run.epochs or run.stop_training:
            self.items.append(self.snapshot(run.model))
            self.epochs.append(self._offset + epoch + 1)


class BoundaryRecorder(Snapshots):
    """Record ``predict_proba`` on ``grid`` at the start and every ``every`` epochs.

    ``frames`` holds float16 arrays ``(*replicas, res, res, n_classes)`` (one output
    becomes two classes: 1 - p, p) and ``film`` stacks them. A ``transform`` (e.g.
    the scaler the network was trained with) maps grid points to network inputs.
    """

    def __init__(self, grid: Grid, every: int = 1, transform=None):
        super().__init__(every)
        self.grid = grid
        self.transform = transform
        self._inputs = grid.points if transform is None else transform(grid.points)

    def snapshot(self, model) -> np.ndarray:
        proba = model.predict_proba(self._inputs)
        if proba.shape[-1] == 1:
            proba = np.concatenate([1 - proba, proba], axis=-1)
        r = self.grid.resolution
        return proba.reshape(*proba.shape[:-2], r, r, proba.shape[-1]).astype(np.float16)

    @property
    def frames(self) -> list[np.ndarray]:
        return self.items

    @property
    def film(self) -> np.ndarray:
        return np.stack(self.items)


class WeightRecorder(Snapshots):
    """Copies of each Dense layer's ``(W, b)`` at the start and every ``every`` epochs."""

    def snapshot(self, model):
        return [(layer.params["W"].copy(), layer.params.get("b", np.zeros((1, layer.fan_out))).copy())
                for layer in model.dense_layers]

    @property
    def snapshots(self) -> list:
        return self.items


class StepRecorder(Callback):
    """Every parameter, flattened into one row, before training and after each step
    (each batch): the walk a mini-batch or stochastic run makes, step by step.

    ``path`` is ``(steps + 1, n_params)`` in ``model.parameters()`` order (for a
    one-layer ``mlp([1, 1])``: ``(w, b)``); a model with replicas is refused, and a
    second ``fit`` continues the same path. ``epochs[i]`` is the epoch of row ``i``.
    """

    def __init__(self):
        self.rows: list[np.ndarray] = []
        self.epochs: list[int] = []

    def _row(self, model):
        return np.concatenate([np.asarray(p, dtype=np.float64).ravel() for p, _ in model.parameters()])

    def on_train_begin(self, run):
        if run.model.replicas:
            raise ValueError(f"StepRecorder records one model's path; this model has "
                             f"replicas={run.model.replicas}")
        self._offset = self.epochs[-1] if self.epochs else 0
        if not self.rows:
            self.rows.append(self._row(run.model))
            self.epochs.append(0)

    def on_epoch_begin(self, run, epoch):
        self._epoch = self._offset + epoch + 1

    def on_batch_end(self, run, batch, logs):
        self.rows.append(self._row(run.model))
        self.epochs.append(self._epoch)

    @property
    def path(self) -> np.ndarray:
        return np.stack(self.rows)
