"""Lesson E, exercise 2: sigmoid, tanh and ReLU beside their derivatives, and how the
gradient fares through 20 layers of each (the lesson's scalar simulation, then real
networks measured layer by layer)."""

from __future__ import annotations

import numpy as np

from ..section import Claim, Outcome, Settings
from . import LESSON
from ._common import figure, lesson_data


@LESSON.add("derivatives", "Ex2: sigmoid, tanh and ReLU beside their derivatives")
def derivatives(s: Settings) -> Outcome:
    """The three functions and their derivatives on [-5, 5], and each derivative's largest
    value there (the lesson: 0.25, 1, 1)."""
    from ... import viz
    from ...nn import activations

    names = ("sigmoid", "tanh", "relu")
    x = np.linspace(-5, 5, 1000)  # the lesson's grid (it does not hold 0 itself)
    peak = {n: float(activations.get(n).derivative(x).max()) for n in names}
    fig = viz.activation_functions(list(names), x_range=(-5, 5), layout="lesson")
    said = {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0}
    return Outcome(
        numbers={"max_derivative": peak},
        figures={"functions": fig},
        claims=[Claim(f"the largest derivative of {n} is {said[n]:g}", f"{peak[n]:.3f}",
                      abs(peak[n] - said[n]) < 5e-4) for n in names],
        text="Back-propagation multiplies by the activation's derivative once per layer. Sigmoid's "
             "derivative is at most 1/4 (at 0) and nearly 0 once |x| > 4; tanh's reaches 1 only at 0; "
             "ReLU's is exactly 1 for every positive input and 0 for every negative one.",
        code="from mlplab.nn import activations\n"
             "activations.get(\"sigmoid\").derivative(np.linspace(-5, 5, 1000)).max()   # 0.250\n"
             "mlplab.viz.activation_functions([\"sigmoid\", \"tanh\", \"relu\"], x_range=(-5, 5), "
             "layout=\"lesson\")",
    )


def lesson_simulation(n_layers: int = 20, n_runs: int = 100, seed: int = 42) -> dict:
    """The lesson's scalar simulation: a gradient of 1 multiplied by ``f'(z)`` for ``z ~ N(0, 1)``
    once per layer, ``n_runs`` times per activation (sigmoid, tanh, relu in that order, from
    ``np.random.seed(seed)``); the mean at the input. For ReLU the product is 1 only when all
    ``n_layers`` draws are positive (probability 2^-20), so the mean is almost surely 0."""
    from ...nn import activations

    draw = np.random.RandomState(seed)
    out = {}
    for name in ("sigmoid", "tanh", "relu"):
        z = draw.standard_normal((n_runs, n_layers))
        out[name] = float(np.prod(activations.get(name).derivative(z), axis=1).mean())
    return out


@LESSON.add("gradient-flow", "Ex2: vanishing gradients through 20 layers")
def gradient_flow(s: Settings) -> Outcome:
    """``||dL/dW||`` of each of 21 Dense layers (20 hidden of 64) at initialisation, for sigmoid,
    tanh, ReLU and Leaky ReLU, with He and with Glorot initial weights, on the lesson's
    moons + circles training rows; beside it, the lesson's own scalar simulation."""
    from ... import explain

    Xtr, _, ytr, _ = lesson_data("moons_circles")
    seeds = range(s.pick(5, 3))
    acts = ("sigmoid", "tanh", "relu", "leaky_relu")
    flows = {init: explain.gradient_flow(acts, depth=20, width=64, init=init, X=Xtr, y=ytr, seeds=seeds)
             for init in ("he_normal", "xavier_normal")}
    ratios = {init: explain.ratio(f) for init, f in flows.items()}
    fig = figure(12.4, 4.4)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    for ax, (init, flow) in zip((ax1, ax2), flows.items()):
        explain.gradient_flow_figure(flow, ax=ax)
        ax.set_title(f"{init}: ||dL/dW|| per layer, median of {len(seeds)} networks", fontsize=9)
    sim = lesson_simulation()
    layers = (1, 5, 10, 15, 20, 21)
    rows = [{"activation": a, "init": init, **{f"layer {k}": f"{flows[init][a][k - 1]:.1e}" for k in layers},
             "first / last": f"{ratios[init][a]:.1e}"} for init in flows for a in acts]
    he = ratios["he_normal"]
    return Outcome(
        numbers={"first_over_last": ratios, "lesson_simulation": sim,
                 "norms": {init: {a: v for a, v in f.items()} for init, f in flows.items()}},
        figures={"flow": fig},
        tables={"||dL/dW|| at initialisation, layer 1 = next to the input": rows},
        claims=[
            Claim("through 20 sigmoid layers the gradient vanishes",
                  f"layer 1 gets {he['sigmoid']:.1e} of the last layer's gradient (He), "
                  f"{ratios['xavier_normal']['sigmoid']:.1e} (Glorot)", he["sigmoid"] < 1e-6),
            Claim("ReLU keeps the gradient flowing where sigmoid and tanh do not",
                  f"real networks: ReLU {he['relu']:.2f}, Leaky ReLU {he['leaky_relu']:.2f}, tanh "
                  f"{he['tanh']:.2f} (first / last, He); the lesson's own simulation prints ReLU "
                  f"{sim['relu']:.3f}", None,
                  "the lesson's scalar simulation says ReLU vanishes too (0.000 at the input): a "
                  "product of 20 derivatives that are each 0 or 1 is 0 unless all 20 draws are "
                  "positive. Real networks have many units per layer, so some path stays on."),
            Claim("the lesson's simulation: sigmoid 2.2e-14, tanh 3.6e-05 at the input",
                  f"sigmoid {sim['sigmoid']:.1e}, tanh {sim['tanh']:.1e}, ReLU {sim['relu']:.3f} "
                  "(run with np.random.seed(42) just before)", None),
        ],
        text="The lesson multiplies scalars; mlplab measures real networks: 20 hidden layers of 64 "
             "units, one forward and backward pass over the lesson's moons + circles training rows, "
             "and the size of each layer's weight gradient. Through sigmoid layers the gradient "
             "shrinks by a factor of 4 or more per layer, so the first layer gets "
             f"{he['sigmoid']:.0e} of what the last one gets: it hardly learns. Tanh, ReLU and Leaky "
             "ReLU keep every layer within one order of magnitude of the last.\n\n"
             "The initialisation matters too (the lesson's 'your turn'): with Glorot weights, which "
             "are not scaled for ReLU, the ReLU signal halves in variance at every layer, so every "
             "layer's gradient is small (ReLU, layer 21: "
             f"{flows['xavier_normal']['relu'][-1]:.0e} against {flows['he_normal']['relu'][-1]:.1f} "
             "with He weights), even though the first-to-last ratio stays near 1.",
        code="from mlplab import explain\n"
             "flow = explain.gradient_flow((\"sigmoid\", \"tanh\", \"relu\", \"leaky_relu\"), depth=20, "
             "width=64,\n                            init=\"he_normal\", X=X_train, y=y_train, "
             "seeds=range(5))\n"
             "explain.ratio(flow)                 # first layer's ||dL/dW|| / last layer's\n"
             "explain.gradient_flow_figure(flow)",
    )
