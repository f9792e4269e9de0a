"""What ``fit`` returns: per-epoch figures shaped ``(epochs, *replicas)``."""

from __future__ import annotations

import numpy as np


class History:
    """Per-epoch training figures.

    ``history["loss"]`` (or ``history.loss``) is an array shaped
    ``(epochs_run, *replicas)``; so are ``accuracy``, ``penalty``, ``lr`` (one
    value per epoch), and ``val_loss`` / ``val_accuracy`` when validation data was
    given. ``stopped_epoch`` is set when a callback ended training early.

    ``warnings`` lists, in words, what went wrong without stopping training (a
    training loss that climbed, replicas that diverged), each naming the epoch, the
    figures and what to try; one entry per kind of problem. ``diverged`` (bool) and
    ``diverged_epoch`` (int, -1 = never) are shaped like the replicas (0-d without
    replicas): a replica whose loss turned NaN/inf is frozen from that epoch (its
    parameters stop changing, its figures read NaN) while the others train on.
    """

    def __init__(self):
        self._rows: dict[str, list] = {}
        self.stopped_epoch: int | None = None
        self.warnings: list[str] = []
        self.diverged = np.asarray(False)
        self.diverged_epoch = np.asarray(-1)

    def append(self, logs: dict) -> None:
        for key, value in logs.items():
            self._rows.setdefault(key, []).append(np.asarray(value))

    def keys(self) -> list[str]:
        return list(self._rows)

    def __contains__(self, key) -> bool:
        return key in self._rows

    def __getitem__(self, key: str) -> np.ndarray:
        if key not in self._rows:
            raise KeyError(f"no {key!r} in this history; it has: {', '.join(self._rows)}")
        return np.stack(self._rows[key])

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    @property
    def epochs(self) -> int:
        return len(next(iter(self._rows.values()), []))

    @property
    def loss_curve_(self) -> np.ndarray:
        """Training loss per epoch (scikit-learn's name)."""
        return self["loss"]

    def as_dict(self) -> dict[str, np.ndarray]:
        return {k: self[k] for k in self._rows}

    def __repr__(self):
        return f"History(epochs={self.epochs}, keys={self.keys()})"

    def _repr_html_(self) -> str:
        """Jupyter: the curves as a PNG, or a table without matplotlib (:mod:`mlplab.notebook.reprs`)."""
        from ..notebook.reprs import history_html
        return history_html(self)
