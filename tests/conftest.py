import os
from pathlib import Path

import numpy as np
import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_configure(config):
    # tests find ../shared/data unless MLPLAB_DATA says otherwise
    if "MLPLAB_DATA" not in os.environ and SHARED_DATA.is_dir():
        os.environ["MLPLAB_DATA"] = str(SHARED_DATA)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Downloads and caches of a test never touch the user's ~/.cache."""
    monkeypatch.setenv("MLPLAB_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def mnist_dir():
    path = Path(os.environ.get("MLPLAB_DATA", SHARED_DATA)) / "mnist"
    if not (path / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"the MNIST files are not in {path} (set MLPLAB_DATA)")
    return path


def torch_or_skip():
    """Import torch (float64 by default for parity checks), or skip with the reason."""
    torch = pytest.importorskip(
        "torch", reason="PyTorch is not installed: pip install torch==2.13.0 (the 'torch' extra)")
    return torch
