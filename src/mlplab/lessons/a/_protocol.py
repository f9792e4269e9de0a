"""Lesson A's fixed settings, shared by its sections.

``RUN`` is the success-rate protocol as options of :func:`mlplab.lab.sweep`: each
seed draws its own disc and ring as the lesson's NumPy code does (``data_rng="legacy"``),
starts from PyTorch's ``nn.Linear`` weights for that seed (``init="torch"``,
``rng="torch"``), and trains 300 full-batch epochs of Adam at 0.05.
"""

from __future__ import annotations

import numpy as np

#: the lesson's success-rate protocol, as sweep options
RUN = {"epochs": 300, "lr": 0.05, "batch_size": 300, "optimizer": "adam", "init": "torch",
       "rng": "torch", "data_rng": "legacy"}
#: the seeds the lesson runs (its "# Seeds" slider at 20)
LESSON_SEEDS = range(20)


def many_seeds(s) -> range:
    """Seeds for a rate that is not the lesson's 20: 400 in full mode, 100 in quick mode."""
    return range(s.pick(400, 100))


def blobs(seed: int = 42, n: int = 100, std: float = 0.4):
    """The lesson's two blobs: ``np.random.seed(42)``, then class 0 (red) around
    (-0.5, -0.5) and class 1 (blue) around (0.5, 0.5), std 0.4, 100 points each.
    Returns ``X (200, 2)`` float32 and ``y (200,)``."""
    draw = np.random.RandomState(seed)
    X0 = draw.randn(n, 2) * std + np.array([-0.5, -0.5])
    X1 = draw.randn(n, 2) * std + np.array([0.5, 0.5])
    return np.vstack([X0, X1]).astype(np.float32), np.repeat([0, 1], n)


def rate_text(k: int, n: int) -> str:
    """``"9/20 = 45% [26%, 66%]"``: k of n with the Wilson 95% interval."""
    from ...lab.group import wilson

    low, high = wilson(k, n)
    return f"{k}/{n} = {100 * k / n:.0f}% [{100 * low:.0f}%, {100 * high:.0f}%]"


def interval(k: int, n: int) -> list:
    """``[rate, low, high]`` (Wilson 95%) as plain floats."""
    from ...lab.group import wilson

    return [k / n, *wilson(k, n)]


def claim(said: str, measured: str, holds, evidence: str = ""):
    """A :class:`~mlplab.lessons.section.Claim` whose evidence is kept only when the claim
    does not hold (evidence explains a failed claim; a claim that holds needs none)."""
    from ..section import Claim

    holds = None if holds is None else bool(holds)
    return Claim(said, measured, holds, evidence if holds is False else "")
