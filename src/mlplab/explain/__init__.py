"""Looking inside one network: every number of a training step (:func:`trace`), linear
regions, born-dead odds, gradient flow (and the scalar autograd's graph drawing, for
:mod:`mlplab.autograd`).

Counting and measuring need the engine (``nn``) alone; the pictures import matplotlib
(the ``viz`` extra) when they are drawn.

>>> from mlplab.explain import trace, lesson_b_network
>>> print(trace(lesson_b_network(), [0.5, 0.8], 1, lr=0.5).text())  # doctest: +SKIP
"""

from .born_dead import BornDead, alive_theory, born_dead_figure, dead_at_init
from .gradient_flow import gradient_flow, gradient_flow_figure, ratio
from .regions import Region, arrangement_count, grid_patterns, linear_regions, region_bound, regions
from .regions_figure import regions_figure
from .regions_train import RegionCounter, RegionsTable, regions_table
from .trace import LESSON_B, LayerTrace, Trace, lesson_b_network, set_weights, trace

__all__ = ["Region", "regions", "linear_regions", "region_bound", "arrangement_count",
           "grid_patterns", "regions_figure", "RegionCounter", "regions_table", "RegionsTable",
           "BornDead", "alive_theory", "born_dead_figure", "dead_at_init",
           "gradient_flow", "gradient_flow_figure", "ratio",
           "LESSON_B", "LayerTrace", "Trace", "lesson_b_network", "set_weights", "trace"]
