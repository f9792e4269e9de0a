"""Looking inside one network: every number of a training step (:func:`trace`).

``mlplab.explain`` imports the engine (``nn``) only; the pictures of a trace load
matplotlib when they are drawn (the ``viz`` extra).

>>> from mlplab.explain import trace, lesson_b_network
>>> print(trace(lesson_b_network(), [0.5, 0.8], 1, lr=0.5).text())  # doctest: +SKIP
"""

from .trace import LESSON_B, LayerTrace, Trace, lesson_b_network, set_weights, trace

__all__ = ["LESSON_B", "LayerTrace", "Trace", "lesson_b_network", "set_weights", "trace"]
