"""Linear regions during training: a callback that counts them each epoch, and lesson
A's table (measured regions after training against the bound) in one call."""

from __future__ import annotations

import numpy as np

from ..nn import Callback, fit, mlp
from ..nn import success as success_rules
from .regions import _check_bounds, linear_regions, region_bound


class RegionCounter(Callback):
    """Count the linear regions over ``bounds`` at the end of every ``every``-th epoch.

    Adds ``regions`` to the epoch's logs, so ``history["regions"]`` is shaped
    ``(epochs, *replicas)``; epochs that were skipped read NaN. Counting is exact
    (polygon cutting), about a millisecond per small network and replica.

    >>> from mlplab.nn import mlp, fit
    >>> cb = RegionCounter(bounds=(-1.5, 1.5, -1.5, 1.5))
    """

    def __init__(self, bounds=(-1.0, 1.0, -1.0, 1.0), every: int = 1):
        self.bounds = _check_bounds(bounds)
        if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
            raise ValueError(f"every must be a positive integer (count every n-th epoch); "
                             f"received every={every!r}")
        self.every = int(every)

    def on_epoch_end(self, run, epoch, logs):
        if (epoch + 1) % self.every == 0 or epoch == 0:
            logs["regions"] = np.asarray(linear_regions(run.model, self.bounds), dtype=float)
        else:
            logs["regions"] = np.full(run.model.replicas or (), np.nan)


def _median_range(counts):
    counts = np.asarray(counts)
    return int(np.median(counts)), int(counts.min()), int(counts.max())


def regions_table(archs=((2, 4, 4, 2), (2, 8, 2, 2), (2, 4, 8, 2)), seeds=range(20),
                  dataset="disc_ring", epochs=300, lr=0.05, optimizer="adam", init="torch",
                  bounds=None, success=None):
    """Lesson A's "try this" table, measured: for each architecture, train one network per
    seed (lesson A's protocol: each seed its own ``dataset`` draw, full batch, Adam at
    0.05, 300 epochs, cross-entropy on logits) and count its linear regions at the end.

    Parameters
    ----------
    archs : sequence of size lists, inputs first (2 inputs).
    seeds : iterable of int
    bounds : (x0, x1, y0, y1), optional
        The window; default the box around all the data plus a 0.25 margin.
    success : rule for :mod:`mlplab.nn.success` (default: train accuracy > 0.95).

    Returns
    -------
    list of dict, one per architecture: ``arch``, ``params``, ``bound``, ``regions``
    (per seed), ``median``, ``min``, ``max``, ``succeeded`` (k of N), with ``.text()``
    available through :func:`format_regions_table`.
    """
    from ..data import per_seed
    seeds = [int(s) for s in seeds]
    X, y = per_seed(dataset, seeds)
    if bounds is None:
        lo, hi = X.reshape(-1, 2).min(0) - 0.25, X.reshape(-1, 2).max(0) + 0.25
        bounds = (lo[0], hi[0], lo[1], hi[1])
    bounds = _check_bounds(bounds)
    rule = success_rules.get(success)
    rows = []
    for arch in archs:
        arch = [int(a) for a in arch]
        net = mlp(arch, init=init, seed=seeds)
        fit(net, X, y, loss="cross_entropy", optimizer=optimizer, lr=lr, epochs=epochs,
            batch_size=X.shape[-2], shuffle=False)
        counts = np.asarray(linear_regions(net, bounds))
        accuracy = (net.predict(X) == y).mean(axis=-1)      # after the last step, as lesson A
        ok = rule.of({"train": {"accuracy": accuracy}})
        med, lo_, hi_ = _median_range(counts)
        rows.append({"arch": "-".join(map(str, arch)), "params": net.n_params,
                     "bound": region_bound(arch), "regions": counts, "median": med, "min": lo_,
                     "max": hi_, "succeeded": int(np.sum(ok)), "seeds": len(seeds)})
    return RegionsTable(rows, bounds)


class RegionsTable(list):
    """The rows of :func:`regions_table`, printable as a table."""

    def __init__(self, rows, bounds):
        super().__init__(rows)
        self.bounds = bounds

    def text(self) -> str:
        head = f"{'network':<10} {'params':>6} {'regions: median (min-max)':>26} {'bound':>6} {'success':>8}"
        lines = [head, "-" * len(head)]
        for r in self:
            rng = f"{r['median']} ({r['min']}-{r['max']})"
            lines.append(f"{r['arch']:<10} {r['params']:>6} {rng:>26} {r['bound']:>6} "
                         f"{r['succeeded']:>3}/{r['seeds']:<4}")
        x0, x1, y0, y1 = self.bounds
        lines.append(f"regions counted exactly over x in [{x0:.2f}, {x1:.2f}], y in [{y0:.2f}, {y1:.2f}]")
        return "\n".join(lines)

    __str__ = text
