import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def torch_or_skip():
    """Import torch (float64 by default for parity checks), or skip with the reason."""
    torch = pytest.importorskip(
        "torch", reason="PyTorch is not installed: pip install torch==2.13.0 (the 'torch' extra)")
    return torch
