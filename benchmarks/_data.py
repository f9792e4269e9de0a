"""Where the benchmarks find ../shared/data (or $MLPLAB_DATA)."""

import os
from pathlib import Path


def shared_data() -> Path:
    if os.environ.get("MLPLAB_DATA"):
        return Path(os.environ["MLPLAB_DATA"])
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"
