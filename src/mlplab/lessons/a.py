"""Lesson A: logits, softmax and dead relus
(``../shared/seeds/lesson-a-logits-softmax-dead-relu.txt``).

Each section below is one item of the lesson, run with mlplab: see
:mod:`mlplab.lessons.section` for the contract (``settings -> Outcome``).
"""

from __future__ import annotations

from .section import Claim, Lesson, Outcome, Settings  # noqa: F401

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


@LESSON.add("softmax", "Softmax of the logits [2, 1, 0.5]")
def softmax_table(s: Settings) -> Outcome:
    """p_i = exp(z_i) / sum_j exp(z_j) for z = [2, 1, 0.5], and the cross-entropy
    -log p_0 of the first class; the lesson's table is checked against both."""
    import numpy as np

    from ..nn import activations

    z = np.array([[2.0, 1.0, 0.5]])
    p = activations.get("softmax")(z)[0]
    total = float(np.exp(z).sum())
    said = (0.59, 0.22, 0.13)
    holds = bool(np.allclose(p, said, atol=0.005))
    shown = " / ".join(f"{v:.3f}" for v in p)
    return Outcome(
        numbers={"logits": z[0], "probabilities": p, "sum_exp": total,
                 "cross_entropy_class0": -np.log(p[0])},
        claims=[Claim("softmax([2, 1, 0.5]) = 0.59 / 0.22 / 0.13", shown, holds,
                      "" if holds else f"e^2 + e^1 + e^0.5 = {total:.2f}, and e^2 / {total:.2f} = "
                                       f"{p[0]:.3f}"),
                Claim("the sum of e^z is 12.5", f"{total:.2f}", abs(total - 12.5) < 0.05),
                Claim("the cross-entropy of class 0 is -log 0.59 = 0.53",
                      f"-log {p[0]:.3f} = {-np.log(p[0]):.3f}", abs(-np.log(p[0]) - 0.53) < 0.005)],
        text="Softmax turns logits into probabilities: exponentiate each, then divide by the sum. "
             "The largest logit gets the largest share, and the shares sum to one.",
        code='from mlplab.nn import activations\n'
             'activations.get("softmax")([2.0, 1.0, 0.5])',
    )
