"""Experiments: a training run from a plain config, sweeps over settings and seeds
(executors, the run store), and reports."""

from .sweep import SweepResult, load, sweep
from .train import TrainConfig, TrainResult, run_training

__all__ = ["SweepResult", "TrainConfig", "TrainResult", "load", "run_training", "sweep"]
