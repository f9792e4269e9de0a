"""Experiments: a training run from a plain config, and (later) sweeps, executors,
the run store and reports."""

from .train import TrainConfig, TrainResult, run_training

__all__ = ["TrainConfig", "TrainResult", "run_training"]
