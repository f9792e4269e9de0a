"""Lesson A: logits, softmax and dead relus
(``../shared/seeds/lesson-a-logits-softmax-dead-relu.txt``).

Each section is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``). The
sections live in small modules, imported below in the lesson's order:

- :mod:`.outputs`: one output (sigmoid + BCE) against two (softmax + cross-entropy) on
  the lesson's blobs, and logits as log-odds;
- :mod:`.softmax`: the softmax table, 2-class softmax as a sigmoid, the losses, why
  exponentiate, temperature;
- :mod:`.deeper`: the 2-16-16-2 network and the "train and animate" widget;
- :mod:`.seeds`: the success-rate test (9 of 20), and the architectures it compares;
- :mod:`.regions`: linear regions, the n1 x n2 grid and the "try this" table;
- :mod:`.stuck`: 45% against many seeds, what failing runs look like, the fixes, and
  the lesson's widgets in the playground.

Every training run that the lesson fixes follows its protocol (:mod:`._protocol`):
each seed its own 150 + 150 points drawn as ``np.random.seed(seed)`` draws them,
PyTorch's initial weights for that seed, Adam at 0.05, 300 full-batch epochs, success
= training accuracy above 95% after the last step.
"""

from __future__ import annotations

from ..section import Lesson

LESSON = Lesson(
    key="a",
    title="Logits, softmax and dead ReLUs",
    source="lesson-a-logits-softmax-dead-relu.txt",
    about=("One output or two for a two-class problem, what logits and softmax are, decision boundaries "
           "that bend as a network trains, and lesson A's central test: how often a small 2-n1-n2-2 ReLU"
           " network learns the disc and ring, over many seeds, and why it fails when it does (dead "
           "units, too few linear regions)."),
    presets=("a-disc-ring-4-4", "a-disc-ring-8-8"),
)

# the sections register in import order, which is the lesson's order
# isort: off
from . import outputs, softmax, deeper, seeds, regions, stuck  # noqa: E402,F401
# isort: on
