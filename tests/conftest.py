import json
import os
import sys
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


KERNEL = "mlplab-tests"


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    """A Jupyter kernel that is this interpreter, with this checkout's mlplab first on its
    path (a kernelspec in a temporary JUPYTER_PATH), so no kernel need be installed."""
    import mlplab

    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    src = str(Path(mlplab.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "mlplab tests", "language": "python",
        "env": {"PYTHONPATH": path, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return KERNEL
