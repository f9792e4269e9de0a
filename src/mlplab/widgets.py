"""Jupyter widgets (the ``notebook`` extra: ipywidgets): :class:`Trainer`, lesson A's panel."""

from .notebook.trainer import DATASETS, Trainer

__all__ = ["Trainer", "DATASETS"]
