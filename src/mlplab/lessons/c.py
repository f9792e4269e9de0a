"""Lesson C: losses, gradient descent and the training loop
(``../shared/seeds/lesson-c-losses-gradient-descent-training-loop.txt``).

Each section below is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``).
"""

from __future__ import annotations

from .section import Claim, Lesson, Outcome, Settings  # noqa: F401

LESSON = Lesson(
    key="c",
    title="Losses, gradient descent and the training loop",
    source="lesson-c-losses-gradient-descent-training-loop.txt",
    about=("Data as numbers and its scaling; the losses (MSE, MAE, Huber, cross-entropy, focal) and what"
           " outliers do to them; gradient descent, momentum and Adam on a surface; batch, mini-batch "
           "and stochastic steps; the training loop on a regression task; learning-rate schedules and "
           "early stopping."),
    presets=("c-lr-too-big", "c-line-mae"),
)
