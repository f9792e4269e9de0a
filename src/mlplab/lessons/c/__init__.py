"""Lesson C: losses, gradient descent and the training loop
(``../shared/seeds/lesson-c-losses-gradient-descent-training-loop.txt``).

Each section is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``). The sections
live in three modules, imported below in the lesson's order: data and losses
(§1-2), gradient descent (§3), backpropagation and the training loop (§4-5).

The lesson's own data are drawn as its code draws them (``np.random.seed(42)``):
:func:`mlplab.data.toy.lesson_c_outliers` and :func:`mlplab.data.toy.lesson_c_line`.
"""

from __future__ import annotations

from ..section import Claim, Lesson, Outcome, Settings  # noqa: F401

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

from . import data_losses, descent, loop  # noqa: E402,F401  (registers the sections, in order)
