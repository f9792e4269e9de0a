"""One dataset per seed, stacked for replica training."""

from __future__ import annotations

import numpy as np

from . import toy


def per_seed(dataset, seeds, **options):
    """Generate ``dataset`` once per seed and stack: ``X (R, n, f)``, ``y (R, n)``.

    ``dataset`` is a name (``"disc_ring"``) or a generator function taking ``seed``.
    Replica ``r`` then trains on exactly the data ``dataset(seed=seeds[r])`` gives.

    >>> X, y = per_seed("disc_ring", range(20))
    >>> X.shape, y.shape
    ((20, 300, 2), (20, 300))
    """
    make = toy.registry.factory(dataset) if isinstance(dataset, str) else dataset
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed; received an empty list")
    pairs = [make(seed=s, **options) for s in seeds]
    return np.stack([X for X, _ in pairs]), np.stack([y for _, y in pairs])
