"""Softmax: the lesson's table, two classes as a sigmoid, BCE and cross-entropy, why
exponentiate, and temperature."""

from __future__ import annotations

import numpy as np

from ..section import Outcome, Settings
from . import LESSON
from ._protocol import claim


@LESSON.add("softmax", "Softmax of the logits [2, 1, 0.5]")
def softmax_table(s: Settings) -> Outcome:
    """p_i = exp(z_i) / sum_j exp(z_j) for z = [2, 1, 0.5], and the cross-entropy
    -log p_0 of the first class; the lesson's table is checked against both."""
    from mlplab.nn import activations

    z = np.array([[2.0, 1.0, 0.5]])
    p = activations.get("softmax")(z)[0]
    total = float(np.exp(z).sum())
    said = (0.59, 0.22, 0.13)
    holds = bool(np.allclose(p, said, atol=0.005))
    shown = " / ".join(f"{v:.3f}" for v in p)
    rows = [{"class": c, "logit z": f"{zi:g}", "e^z": f"{np.exp(zi):.2f}", "softmax": f"{pi:.3f}",
             "the lesson": f"{si:.2f}"} for c, zi, pi, si in zip(("red", "blue", "green"), z[0], p, said)]
    return Outcome(
        numbers={"logits": z[0], "probabilities": p, "sum_exp": total,
                 "cross_entropy_class0": -np.log(p[0])},
        tables={"softmax of [2, 1, 0.5]": rows},
        claims=[claim("softmax([2, 1, 0.5]) = 0.59 / 0.22 / 0.13", shown, holds,
                      "" if holds else f"e^2 + e^1 + e^0.5 = {total:.2f}, and e^2 / {total:.2f} = "
                                       f"{p[0]:.3f}"),
                claim("the sum of e^z is 12.5", f"{total:.2f}", abs(total - 12.5) < 0.05,
                      f"7.39 + 2.72 + 1.65 = {total:.2f}"),
                claim("the cross-entropy of class 0 is -log 0.59 = 0.53",
                      f"-log {p[0]:.3f} = {-np.log(p[0]):.3f}", abs(-np.log(p[0]) - 0.53) < 0.005,
                      "-log 0.59 is 0.53, but 0.59 is not softmax([2, 1, 0.5])[0]")],
        text="Softmax turns logits into probabilities: exponentiate each, then divide by the sum. "
             "The largest logit gets the largest share, and the shares sum to one. The lesson's "
             "table divides by 12.5 where the exponentials add up to 11.76, so all three of its "
             "probabilities are too small (they sum to 0.94).",
        code='from mlplab.nn import activations\n'
             'activations.get("softmax")([2.0, 1.0, 0.5])',
    )


@LESSON.add("two-class", "Two-class softmax is the sigmoid of the difference")
def two_class(s: Settings) -> Outcome:
    """softmax([z0, z1])_1 = 1 / (1 + e^-(z1 - z0)) = sigmoid(z1 - z0), checked on random logits."""
    from mlplab.nn import activations

    z = np.random.default_rng(0).normal(scale=3.0, size=(1000, 2))
    soft = activations.get("softmax")(z)[:, 1]
    sig = activations.get("sigmoid")(z[:, 1] - z[:, 0])
    gap = float(np.abs(soft - sig).max())
    return Outcome(
        numbers={"pairs": len(z), "largest_difference": gap},
        claims=[claim("softmax over [z0, z1] equals sigmoid(z1 - z0) for the second class",
                      f"largest difference over 1000 random pairs: {gap:.1e}", gap < 1e-12)],
        text="Divide the numerator and denominator of e^z1 / (e^z0 + e^z1) by e^z1: what is left "
             "is 1 / (1 + e^-(z1 - z0)), the sigmoid of the difference. So a 2-output softmax "
             "network and a 1-output sigmoid network can express the same classifiers; only the "
             "difference of the two logits matters.",
        code='z = np.random.default_rng(0).normal(scale=3, size=(1000, 2))\n'
             'p1 = activations.get("softmax")(z)[:, 1]\n'
             'np.abs(p1 - activations.get("sigmoid")(z[:, 1] - z[:, 0])).max()',
    )


@LESSON.add("losses", "Binary cross-entropy and cross-entropy")
def losses(s: Settings) -> Outcome:
    """BCE = -[y log p + (1 - y) log(1 - p)] and CE = -log p_true, through mlplab's losses."""
    from mlplab.nn import losses as L

    bce = L.get("bce")
    at = {f"p={p:g}, y={t}": float(bce.value(np.array([[p]]), np.array([[float(t)]])))
          for p, t in ((0.9, 1), (0.1, 1), (0.9, 0), (0.5, 1))}
    ce = float(L.get("cross_entropy").value(np.array([[2.0, 1.0, 0.5]]), np.array([0])))
    return Outcome(
        numbers={"bce": at, "cross_entropy_logits_2_1_0.5_class0": ce, "ln2": float(np.log(2))},
        claims=[claim("with y = 1, BCE is -log p (it punishes a low p)",
                      f"bce(0.9, 1) = {at['p=0.9, y=1']:.5f} = -ln 0.9; bce(0.1, 1) = "
                      f"{at['p=0.1, y=1']:.3f}", abs(at["p=0.9, y=1"] + np.log(0.9)) < 1e-6),
                claim("with y = 0, BCE is -log(1 - p) (it punishes a high p)",
                      f"bce(0.9, 0) = {at['p=0.9, y=0']:.3f} = -ln 0.1",
                      abs(at["p=0.9, y=0"] + np.log(0.1)) < 1e-5),
                claim("cross-entropy of the logits [2, 1, 0.5] for class 0 is -log 0.59 = 0.53",
                      f"{ce:.3f} (= -log 0.629)", abs(ce - 0.53) < 0.005,
                      "the true softmax gives 0.629 for class 0, so the loss is 0.464")],
        text="Binary cross-entropy scores one probability against a 0/1 label; cross-entropy "
             "scores the probability given to the true class among many. mlplab's cross_entropy "
             "takes logits and applies the softmax inside, as PyTorch's CrossEntropyLoss does, "
             "which is why a 2-output network returns raw logits.",
        code='from mlplab.nn import losses\n'
             'losses.get("bce").value(np.array([[0.9]]), np.array([[1.0]]))        # 0.105\n'
             'losses.get("cross_entropy").value(np.array([[2.0, 1, 0.5]]), np.array([0]))',
    )


@LESSON.add("why-exp", "Why exponentiate, not just divide by the sum?")
def why_exp(s: Settings) -> Outcome:
    """Plain normalisation z_i / sum z against softmax on the lesson's examples, and the
    softmax gradient's diagonal p (1 - p) against central differences."""
    from mlplab.nn import activations

    soft = activations.get("softmax")
    cases = {"3, 1": [3.0, 1.0], "2, -2": [2.0, -2.0], "-1, -2": [-1.0, -2.0], "5, 3": [5.0, 3.0]}
    rows, numbers = [], {}
    for name, z in cases.items():
        z = np.array(z)
        total = z.sum()
        plain = z / total if total != 0 else np.array([np.nan, np.nan])
        p = soft(z)
        numbers[name] = {"plain": plain, "softmax": p}
        rows.append({"logits": name, "z / sum(z)": "divide by 0" if total == 0 else
                     " / ".join(f"{v:.3f}" for v in plain), "softmax": " / ".join(f"{v:.3f}" for v in p)})
    z = np.array([2.0, 1.0, 0.5])
    h = 1e-6
    numeric = np.array([(soft(z + h * e)[i] - soft(z - h * e)[i]) / (2 * h)
                        for i, e in enumerate(np.eye(3))])
    diag = soft.derivative(z)
    five = numbers["5, 3"]["softmax"]
    flipped = numbers["-1, -2"]["plain"]
    return Outcome(
        numbers={"cases": numbers, "gradient_diagonal": diag, "central_difference": numeric},
        tables={"plain normalisation against softmax": rows},
        claims=[claim("[5, 3] gives 0.88 / 0.12 under softmax, 0.625 by plain division",
                      f"{five[0]:.3f} / {five[1]:.3f}; {numbers['5, 3']['plain'][0]:.3f}",
                      bool(np.allclose(five, [0.88, 0.12], atol=0.005))),
                claim("plain division of [-1, -2] ranks the lower score first",
                      f"{flipped[0]:.3f} / {flipped[1]:.3f}", bool(flipped[1] > flipped[0])),
                claim("d softmax_i / d z_i = p_i (1 - p_i)",
                      f"largest gap to central differences {np.abs(diag - numeric).max():.1e}",
                      bool(np.allclose(diag, numeric, atol=1e-8)))],
        text="Dividing logits by their sum fails as soon as a logit is negative: the sum can be "
             "zero, and two negative scores come out in the wrong order. e^z is always positive "
             "and keeps the order, and it stretches differences: logits 5 and 3 become 88% and 12%.",
        code='soft = activations.get("softmax")\n'
             'soft([5.0, 3.0])                      # 0.881, 0.119\n'
             'soft.derivative([2.0, 1.0, 0.5])      # p (1 - p), the diagonal of the Jacobian',
    )


@LESSON.add("temperature", "Temperature: from argmax to uniform")
def temperature(s: Settings) -> Outcome:
    """softmax(z / T) for the lesson's logits at several T."""
    from mlplab import viz
    from mlplab.nn import activations

    z = np.array([2.0, 1.0, 0.5])
    temps = (0.01, 0.5, 1.0, 2.0, 100.0)
    probs = {f"{t:g}": activations.get("softmax", temperature=t)(z) for t in temps}
    cold, hot = probs["0.01"], probs["100"]
    return Outcome(
        numbers={"logits": z, "softmax_at_T": probs},
        figures={"temperature": viz.softmax_temperature(z, (0.25, 0.5, 1.0, 2.0, 5.0))},
        claims=[claim("T -> 0: the winner takes all (argmax)", " / ".join(f"{v:.3f}" for v in cold),
                      bool(cold[0] > 0.999)),
                claim("T -> infinity: uniform", "T = 100: " + " / ".join(f"{v:.3f}" for v in hot),
                      bool(np.allclose(hot, 1 / 3, atol=0.005))),
                claim("T = 1 is the usual softmax", " / ".join(f"{v:.3f}" for v in probs["1"]),
                      bool(np.allclose(probs["1"], activations.get("softmax")(z))))],
        text="Dividing the logits by a temperature T before the softmax sets how sharp the "
             "probabilities are: a small T exaggerates differences until only the largest logit "
             "counts; a large T shrinks them until every class gets the same share.",
        code='activations.get("softmax", temperature=0.5)([2.0, 1.0, 0.5])\n'
             'mlplab.viz.softmax_temperature([2.0, 1.0, 0.5], (0.25, 0.5, 1, 2, 5))',
        outside="Sparsemax (probabilities with exact zeros) is not in mlplab. For these logits it "
                "gives [1, 0, 0]: its threshold is tau = 1, and max(z - tau, 0) leaves only the "
                "first logit. The nearest thing shown is softmax at a low temperature, which "
                "approaches the same winner-takes-all answer without ever reaching exact zeros.",
    )
