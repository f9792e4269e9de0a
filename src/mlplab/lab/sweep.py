"""Sweeps: many settings x many seeds, success rates with their intervals.

>>> from mlplab import lab
>>> result = lab.sweep("disc_ring", vary={"layers": [(4, 4), (4, 3)]}, seeds=range(20),
...                    epochs=300, lr=0.05, batch_size=300, init="torch")   # doctest: +SKIP
>>> result.summary()[0]["rate"], result.summary()[0]["rate_low"]         # doctest: +SKIP

Each setting (one combination of the varied values) trains with every seed; each
seed has its own data draw, initial weights and shuffle, as ``mlplab train --seed s``.
Unlike ``mlplab train``, a sweep holds no data out unless asked (``test_size`` and
``val_split`` default to 0): figures are measured on every training point after the
last step. Settings that can share a replicated model form a group
(:func:`mlplab.lab.group.group_key`); groups are the unit of work the executor runs
and the store records, so an interrupted sweep resumes group by group.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from ..data import catalog
from . import executors
from .group import group_key, wilson
from .store import Store
from .sweep_spec import SweepSpec


def sweep(dataset, vary=None, seeds=range(20), *, success=None, executor="local", store=None,
          resume: bool = False, progress=None, **fixed) -> SweepResult:
    """Train every setting of ``vary`` with every seed; returns a :class:`SweepResult`.

    Parameters
    ----------
    dataset : str or (X, y)
        A catalogue name (``mlplab datasets``), a CSV path, or arrays ``X (n, f)``,
        ``y (n,)`` read as a CSV table would be.
    vary : dict
        Option -> list of values (or their text, ``{"layers": "2-8x2-8"}``); every
        combination is a setting, the last key varying fastest.
    seeds : iterable of int or text (``"0-19"``)
        The seeds every setting runs with (default 0..19).
    success : str, optional
        The rule a run must meet (default ``"train_accuracy > 0.95"``).
    executor : "local", "processes", "processes:N" or a ``dask.distributed.Client``
    store : path, optional
        SQLite run store; None keeps the sweep in memory. A store may hold many sweeps.
    resume : bool
        Continue the sweep in ``store`` with this very spec, running only the groups
        not finished; a stored sweep with another spec is refused, naming what differs.
    progress : callable, optional
        Called before the first group and after each one as ``progress(groups_done,
        groups_total, runs_done, runs_total, seconds)`` (counts include the groups a
        resumed sweep had finished before; seconds are this call's).
    **fixed
        Any other option of ``mlplab train`` (``epochs=300, lr=0.05, init="torch"``,
        ``n_samples``, ``noise``, ``data_seed``, ``test_size`` ...).
    """
    arrays = None
    if isinstance(dataset, (tuple, list)) and len(dataset) == 2:
        name = catalog.register_arrays(*dataset)
        arrays = (name, *catalog.ARRAYS[name])
        dataset = name
    elif isinstance(dataset, Path):
        dataset = str(dataset)
    spec = SweepSpec.build(dataset, vary, seeds, success, **fixed)
    pool = executors.get(executor)
    configs = spec.configs()
    st = Store(store)
    try:
        sweep_id = _open(st, spec, configs, resume, arrays)
        groups = st.groups(sweep_id)
        pending = st.pending(sweep_id)
        total_runs = len(configs) * len(spec.seeds)
        done_runs = sum(len(g) for i, g in enumerate(groups) if i not in set(pending)) * len(spec.seeds)
        tasks = [(g, [configs[i] for i in groups[g]], arrays) for g in pending]
        start, done = time.perf_counter(), len(groups) - len(pending)
        if progress is not None:
            progress(done, len(groups), done_runs, total_runs, 0.0)
        results = pool.run(tasks)
        try:
            for g, runs, seconds in results:
                for run in runs:
                    run["setting"] = groups[g][run["setting"]]
                st.finish_group(sweep_id, g, runs, seconds)
                done, done_runs = done + 1, done_runs + len(runs)
                if progress is not None:
                    progress(done, len(groups), done_runs, total_runs, time.perf_counter() - start)
        finally:
            results.close()
        return _result(st, sweep_id)
    finally:
        st.close()


def _open(st: Store, spec: SweepSpec, configs, resume: bool, arrays) -> int:
    """The sweep to run: a new one, or with ``resume`` the stored one with this spec."""
    stored = st.sweeps()
    if resume and stored:
        same = [s for s in stored if s["spec"] == spec.to_dict()]
        if same:
            return same[-1]["id"]
        last = stored[-1]
        diff = spec.differences(SweepSpec.from_dict(last["spec"]))
        raise ValueError(f"resume: the sweep stored in {st.path} (id {last['id']}) has another "
                         f"spec; {'; '.join(diff)}. Give the same options, or leave resume out "
                         f"to add a new sweep to the store")
    order: dict[tuple, list[int]] = {}
    for i, config in enumerate(configs):
        order.setdefault(group_key(config), []).append(i)
    return st.create_sweep(spec.to_json(), list(order.values()), len(configs) * len(spec.seeds),
                           arrays)


def load(path, sweep: int | None = None) -> SweepResult:
    """The result of a stored sweep (finished or not): ``lab.load("grid.db")``; give
    ``sweep`` (an id, see ``mlplab runs FILE``) when the store holds several."""
    st = Store(path, create=False)
    try:
        if sweep is None:
            ids = [s["id"] for s in st.sweeps()]
            if len(ids) != 1:
                raise ValueError(f"{path} holds {len(ids)} sweeps (ids {', '.join(map(str, ids))}); "
                                 f"give one: lab.load({str(path)!r}, sweep=ID)" if ids else
                                 f"{path} holds no sweep")
            sweep = ids[0]
        return _result(st, sweep)
    finally:
        st.close()


def _result(st: Store, sweep_id: int) -> SweepResult:
    spec = SweepSpec.from_dict(st.spec(sweep_id))
    arrays = st.arrays(sweep_id)
    if arrays is not None:
        catalog.ARRAYS.setdefault(arrays[0], arrays[1:])
    info = next(s for s in st.sweeps() if s["id"] == sweep_id)
    return SweepResult(spec, st.runs(sweep_id, history=True), sweep_id=sweep_id,
                       path=None if st.path == ":memory:" else st.path,
                       groups_done=info["groups_done"], groups_total=info["groups"])


class SweepResult:
    """What a sweep gave: ``runs``, ``summary()``, ``to_pandas()``, ``history(run)``.

    Attributes
    ----------
    spec : SweepSpec
    settings : list of dict
        The varied values of each setting, in order.
    runs : list of dict
        One per (setting, seed) that has run, by setting then seed: the varied
        values, ``"setting"`` (its index in ``settings``), ``"seed"``, ``"train_loss"``,
        ``"train_accuracy"`` (``train_rmse`` for regression), ``"test_*"`` /
        ``"validation_*"`` when there is such data, ``"alive"`` (alive ReLU units per
        hidden layer at the end), ``"epochs_run"``, ``"diverged"``, ``"success"``.
    groups_done, groups_total : int
        ``complete`` when equal (an interrupted sweep resumes with ``resume=True``).
    """

    def __init__(self, spec: SweepSpec, stored: list[dict], sweep_id=None, path=None,
                 groups_done=0, groups_total=0):
        self.spec = spec
        self.settings = spec.settings()
        self.varied = list(spec.vary)
        self.sweep_id, self.path = sweep_id, path
        self.groups_done, self.groups_total = groups_done, groups_total
        order = {s: k for k, s in enumerate(spec.seeds)}
        stored = sorted(stored, key=lambda r: (r["setting"], order.get(r["seed"], 0)))
        self._histories = [r.pop("history", {}) for r in stored]
        self.runs = [{**self.settings[r["setting"]], "setting": r["setting"], **r} for r in stored]

    @property
    def complete(self) -> bool:
        return self.groups_done == self.groups_total

    @property
    def success(self) -> str:
        return self.spec.success

    def history(self, run) -> dict:
        """The per-epoch history of a run (an index into ``runs`` or a run dict):
        ``{"loss": (epochs,), "accuracy": ..., "alive.1": ...}``."""
        if isinstance(run, dict):
            run = next(i for i, r in enumerate(self.runs)
                       if r["setting"] == run["setting"] and r["seed"] == run["seed"])
        if not 0 <= run < len(self._histories):
            raise ValueError(f"run must be an index from 0 to {len(self._histories) - 1} or a run "
                             f"dict from result.runs; received {run!r}")
        return self._histories[run]

    def histories(self, setting) -> list[dict]:
        """The histories of a setting's runs, seed by seed (``setting``: its index or its
        varied values as a dict)."""
        index = self._setting_index(setting)
        return [h for r, h in zip(self.runs, self._histories) if r["setting"] == index]

    def _setting_index(self, setting) -> int:
        if isinstance(setting, dict):
            for i, s in enumerate(self.settings):
                if all(s.get(k) == _as_value(k, v) for k, v in setting.items()):
                    return i
            raise ValueError(f"no setting {setting!r} in this sweep; its settings vary "
                             f"{', '.join(self.varied)}")
        if not 0 <= setting < len(self.settings):
            raise ValueError(f"setting must be an index from 0 to {len(self.settings) - 1} or a "
                             f"dict of varied values; received {setting!r}")
        return setting

    def figures(self) -> list[str]:
        """The measured figures the runs hold: ``train_loss``, ``train_accuracy``, ..."""
        names = []
        for r in self.runs[:1]:
            names = [k for k in r if k.startswith(("train_", "validation_", "test_"))]
        return names

    def summary(self) -> list[dict]:
        """One dict per setting: the varied values, ``"setting"``, ``"n"`` (runs),
        ``"successes"``, ``"rate"``, ``"rate_low"``, ``"rate_high"`` (the Wilson 95%
        interval, :func:`mlplab.lab.group.wilson`), ``"diverged"`` (count), and
        ``<figure>_median`` / ``_min`` / ``_max`` for each figure (NaN of diverged runs
        left out)."""
        by_setting = [[] for _ in self.settings]
        for r in self.runs:
            by_setting[r["setting"]].append(r)
        names = self.figures()
        out = []
        for i, runs in enumerate(by_setting):
            n, k = len(runs), sum(r["success"] for r in runs)
            low, high = wilson(k, n)
            row = {**self.settings[i], "setting": i, "n": n, "successes": k,
                   "rate": k / n if n else float("nan"), "rate_low": low, "rate_high": high,
                   "diverged": sum(r["diverged"] for r in runs)}
            for name in names:
                values = np.array([r[name] for r in runs], dtype=float)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)  # all NaN or none: NaN
                    row[f"{name}_median"] = float(np.nanmedian(values)) if n else float("nan")
                    row[f"{name}_min"] = float(np.nanmin(values)) if n else float("nan")
                    row[f"{name}_max"] = float(np.nanmax(values)) if n else float("nan")
            out.append(row)
        return out

    def to_pandas(self):
        """``(runs, summary)`` as pandas DataFrames (``layers`` as tuples)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_pandas needs pandas: pip install pandas", name="pandas") from None
        return pd.DataFrame(self.runs), pd.DataFrame(self.summary())

    def report(self, path) -> Path:
        """Write the sweep's HTML report (:mod:`mlplab.lab.sweep_report`); returns the path."""
        return report_writer()(self, path)

    def _repr_html_(self) -> str:
        """Jupyter: the summary table and the heatmap (:func:`~mlplab.lab.sweep_report.sweep_repr_html`)."""
        from .sweep_report import sweep_repr_html

        return sweep_repr_html(self)

    def table(self) -> str:
        """The summary as text: setting, k/N, rate [low, high], median accuracy."""
        from .sweep_table import format_summary

        return format_summary(self)

    def __repr__(self):
        state = "complete" if self.complete else f"{self.groups_done}/{self.groups_total} groups"
        return (f"<SweepResult {self.spec.dataset}: {len(self.settings)} settings x "
                f"{len(self.spec.seeds)} seeds, {len(self.runs)} runs, {state}>")


def report_writer():
    """``mlplab.lab.sweep_report.write_sweep_report`` (it needs matplotlib: the viz extra)."""
    from .sweep_report import write_sweep_report

    return write_sweep_report


def _as_value(key, value):
    """A varied value as settings hold it: ``"4x4"`` and ``[4, 4]`` are ``(4, 4)``."""
    if key == "layers":
        if isinstance(value, str):
            from .sweep_spec import parse_values

            parsed = parse_values(key, value)
            return parsed[0] if len(parsed) == 1 else value
        return tuple(value) if isinstance(value, (list, tuple)) else value
    return value
