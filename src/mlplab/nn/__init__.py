"""The mlplab engine: layers, losses, optimizers and training, in NumPy alone.

Arrays are ``(..., n_samples, n_features)``; the leading axes are replicas (one
per seed) that train together through broadcasting.
"""

from . import activations, initializers, losses, metrics, optimizers, schedules, training
from .activation_layers import (
    ELU,
    GELU,
    SELU,
    Activation,
    Identity,
    LeakyReLU,
    LogSoftmax,
    Mish,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Swish,
    Tanh,
)
from .batchnorm import BatchNorm
from .callbacks import Callback, EarlyStopping, LRScheduler, ProgressBar, Run
from .dense import Dense
from .diagnostics import GradientStats, NeuronStats
from .dropout import Dropout
from .gradcheck import GradcheckResult, gradcheck
from .history import History
from .layer import Layer, layer_from_config
from .optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from .perceptron import Perceptron
from .sequential import Sequential, mlp
from .serialization import load, save
from .training import DivergenceError, fit


def from_torch(module) -> Sequential:
    """An mlplab network from a ``torch.nn.Sequential`` (see :mod:`mlplab.interop.torch`)."""
    from ..interop.torch import from_torch as read

    return read(module)


__all__ = [
    "activations", "initializers", "losses", "metrics", "optimizers", "schedules", "training",
    "Activation", "ReLU", "LeakyReLU", "ELU", "SELU", "Sigmoid", "Tanh", "Softplus", "Swish",
    "GELU", "Mish", "Identity", "Softmax", "LogSoftmax", "BatchNorm", "Dense", "Dropout",
    "Layer", "layer_from_config", "Sequential", "mlp", "fit", "History", "DivergenceError",
    "Callback", "EarlyStopping", "LRScheduler", "ProgressBar", "Run",
    "SGD", "Adagrad", "Adam", "AdamW", "RMSprop", "Perceptron", "gradcheck", "GradcheckResult",
    "save", "load", "NeuronStats", "GradientStats", "from_torch",
]
