"""Lesson B: perceptron, backpropagation and mnist
(``../shared/seeds/lesson-b-perceptron-backprop-mnist.txt``).

Each section below is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``).
"""

from __future__ import annotations

from ..section import Claim, Lesson, Outcome, Settings  # noqa: F401

LESSON = Lesson(
    key="b",
    title="Perceptron, backpropagation and MNIST",
    source="lesson-b-perceptron-backprop-mnist.txt",
    about=("The perceptron learns AND and OR but never XOR; activation functions and their derivatives; "
           "a two-layer network that learns XOR; one forward and backward pass worked number by number; "
           "MSE against cross-entropy; and a 784-128-64-10 network on MNIST with its hidden sizes and "
           "activations compared."),
    presets=("b-xor-no-hidden", "b-xor-2-hidden"),
)

# the sections, in the lesson's order (each module registers its sections on LESSON)
from . import first, backprop, digits  # noqa: E402,F401,I001
