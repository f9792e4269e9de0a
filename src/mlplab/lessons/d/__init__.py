"""Lesson D: an mlp from scratch against pytorch
(``../shared/seeds/lesson-d-mlp-from-scratch-vs-pytorch.txt``).

Each section below is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``).
"""

from __future__ import annotations

from ..section import Claim, Lesson, Outcome, Settings  # noqa: F401

LESSON = Lesson(
    key="d",
    title="An MLP from scratch against PyTorch",
    source="lesson-d-mlp-from-scratch-vs-pytorch.txt",
    about=("Logistic regression against a multi-layer perceptron on moons and circles, an MLP written "
           "from scratch checked against PyTorch, a multi-class network on Iris, and the exercises on "
           "architecture, activation, learning rate and L2 regularisation."),
    presets=("d-moons-linear", "d-moons-mlp"),
)

# the sections, in the lesson's order (each module registers its sections on LESSON)
from . import basics, frameworks, exercises  # noqa: E402, F401, I001  (order = the lesson's)
