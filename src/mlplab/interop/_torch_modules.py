"""The two activation modules PyTorch lacks, importable by name (so that a saved
``torch.save(module)`` loads again). Imports torch: import this module lazily."""

from __future__ import annotations

import torch


class Swish(torch.nn.Module):
    """x * sigmoid(beta x) (``nn.SiLU`` at beta 1)."""

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = float(beta)

    def forward(self, x):
        return x * (self.beta * x).sigmoid()

    def extra_repr(self):
        return f"beta={self.beta}"


class TemperatureSoftmax(torch.nn.Module):
    """softmax(x / temperature) over the last axis."""

    def __init__(self, temperature: float = 1.0):
        super().__init__()
        self.temperature = float(temperature)

    def forward(self, x):
        return (x / self.temperature).softmax(-1)

    def extra_repr(self):
        return f"temperature={self.temperature}"
