"""Lesson E: deep networks: gradients, activations, normalisation
(``../shared/seeds/lesson-e-deep-networks-keras.txt``).

Each section below is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``).
"""

from __future__ import annotations

from .section import Claim, Lesson, Outcome, Settings  # noqa: F401

LESSON = Lesson(
    key="e",
    title="Deep networks: gradients, activations, normalisation",
    source="lesson-e-deep-networks-keras.txt",
    about=("Shallow against deep on spirals, vanishing gradients through sigmoid layers, the modern "
           "activations (Leaky ReLU, ELU, SELU, Swish, GELU, Mish), batch normalisation and dropout, "
           "hidden representations, dead ReLUs against initialisation, and gradient clipping."),
    presets=("e-deep-sigmoid", "e-deep-relu"),
)
