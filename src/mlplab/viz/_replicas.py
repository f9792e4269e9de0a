"""One panel per replica: who it is (its seed), how it did (the one success rule of
:mod:`mlplab.nn.success`) and whether it diverged. Shared by every picture that draws
a grid of replicas (:func:`~mlplab.viz.decision_boundary`,
:func:`~mlplab.viz.alive_neurons`), so their titles and colours always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import success as success_rules
from ._style import BAD, GOOD


def rule_of(success) -> success_rules.Success:
    """The success rule from what a picture was given: None (the default rule), a rule's
    text or a :class:`~mlplab.nn.success.Success`; a bare number ``t`` is the older
    threshold argument and means ``train_accuracy > t``."""
    if isinstance(success, (int, float, np.integer, np.floating)) and not isinstance(success, bool):
        return success_rules.Success("train", "accuracy", ">", float(success))
    return success_rules.get(success)


def seed_labels(n: int, seeds=None, model=None) -> list[str]:
    """``"seed 100"`` per replica from ``seeds`` or ``model.seeds``; ``"replica r"``
    when neither is known (an index is not a seed)."""
    if seeds is None:
        seeds = getattr(model, "seeds", None)
    if seeds is None:
        return [f"replica {r}" for r in range(n)]
    seeds = [int(s) for s in np.asarray(seeds).reshape(-1)]
    if len(seeds) != n:
        raise ValueError(f"seeds must give one seed per replica ({n}); received {len(seeds)} "
                         f"seeds: {seeds[:8]}{'...' if len(seeds) > 8 else ''}")
    return [f"seed {s}" for s in seeds]


def divergence(history, n: int) -> np.ndarray:
    """Epoch at which each of ``n`` replicas diverged, -1 where it did not, read from
    ``history.diverged`` / ``history.diverged_epoch`` when the history records them."""
    flags = getattr(history, "diverged", None) if history is not None else None
    if flags is None:
        return np.full(n, -1)
    flags = np.broadcast_to(np.asarray(flags, dtype=bool).reshape(-1), (n,))
    epochs = getattr(history, "diverged_epoch", None)
    epochs = np.full(n, 0) if epochs is None else \
        np.broadcast_to(np.asarray(epochs, dtype=int).reshape(-1), (n,))
    return np.where(flags, np.maximum(epochs, 0), -1)


def _value_text(rule, value) -> str:
    if not np.isfinite(value):
        return "no figure"
    if rule.measure == "accuracy":
        return f"{100 * value:.3g}%"
    return f"{rule.measure} {value:.3g}"


@dataclass
class Outcomes:
    """Per replica: ``labels`` (seed), ``values`` (the rule's figure, NaN when unknown),
    ``ok`` (the rule's verdict), ``diverged_at`` (epoch, -1 never, -2 at an unknown
    epoch), and the number of panels ``shown``."""

    rule: success_rules.Success
    labels: list
    values: np.ndarray
    ok: np.ndarray
    diverged_at: np.ndarray
    shown: int
    judged: bool = True

    @classmethod
    def build(cls, n, *, success=None, figures=None, seeds=None, model=None, history=None,
              broken=None, max_panels=20):
        """``figures`` is ``{split: {measure: values per replica}}`` (as ``TrainResult.figures``);
        ``broken`` marks replicas known to be non-finite without a recorded epoch.
        ``success`` may also be one bool per replica, taken as the verdict itself. A rule
        asked for by name whose figure is missing is an error; the default rule then
        only leaves the panels uncoloured."""
        asked = success is not None
        verdict = None
        if success is not None and not isinstance(success, (str, success_rules.Success)) \
                and np.ndim(success) > 0:
            verdict = np.asarray(success, dtype=bool).reshape(-1)
            if verdict.size != n:
                raise ValueError(f"success, given as one verdict per replica, must hold {n} "
                                 f"values; received {verdict.size}")
            success = None
        rule = rule_of(success)
        diverged_at = divergence(history, n)
        if broken is not None:
            diverged_at = np.where(np.asarray(broken).reshape(-1) & (diverged_at < 0), -2, diverged_at)
        values = np.full(n, np.nan)
        if figures is not None and rule.split in figures and rule.measure in figures[rule.split]:
            values = np.broadcast_to(np.asarray(figures[rule.split][rule.measure], dtype=float)
                                     .reshape(-1), (n,)).copy()
            values[diverged_at != -1] = np.nan
            if verdict is None:
                verdict = rule(values)
        elif verdict is None and asked:
            rule.of(figures or {})  # raises: names the figure the rule needs and those there are
        judged = verdict is not None
        verdict = (np.zeros(n, dtype=bool) if verdict is None else verdict) & (diverged_at == -1)
        return cls(rule, seed_labels(n, seeds, model), values, verdict, diverged_at,
                   min(n, int(max_panels)), judged)

    @property
    def n(self) -> int:
        return len(self.labels)

    def title(self, r: int) -> str:
        """``"seed 100: 96.7%"``, or ``"seed 3: diverged at epoch 12"``."""
        if self.diverged_at[r] >= 0:
            return f"{self.labels[r]}: diverged at epoch {self.diverged_at[r]}"
        if self.diverged_at[r] == -2:
            return f"{self.labels[r]}: diverged"
        if np.isfinite(self.values[r]):
            return f"{self.labels[r]}: {_value_text(self.rule, self.values[r])}"
        return self.labels[r]

    def color(self, r: int) -> str:
        """Green for success, red for failure or divergence, black when nothing was judged."""
        if self.diverged_at[r] != -1:
            return BAD
        return (GOOD if self.ok[r] else BAD) if self.judged else "black"

    def summary(self) -> str:
        """``"35/50 seeds reach training accuracy > 95%, 1 diverged (showing 20 of 50)"``."""
        noun = "seeds" if self.labels and self.labels[0].startswith("seed") else "replicas"
        text = f"{int(self.ok.sum())}/{self.n} {noun} reach {self.rule.describe()}" \
            if self.judged else f"{self.n} {noun}"
        n_div = int((self.diverged_at != -1).sum())
        if n_div:
            text += f", {n_div} diverged"
        if self.shown < self.n:
            text += f" (showing {self.shown} of {self.n})"
        return text
