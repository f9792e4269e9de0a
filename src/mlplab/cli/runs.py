"""``mlplab runs FILE``: the sweeps in a run store and their state."""

from __future__ import annotations

import sys
import time

from .options import positive_int


def add(sub):
    """``mlplab runs``."""
    p = sub.add_parser("runs", help="list the sweeps in a run store (mlplab sweep --store)",
                       description="List the sweeps in a run store: what they vary, groups done "
                                   "of all, runs, when. With an id, print that sweep's summary.")
    p.add_argument("store", metavar="FILE", help="a run store written by mlplab sweep --store")
    p.add_argument("sweep", nargs="?", type=positive_int, metavar="ID",
                   help="print this sweep's summary table")
    p.set_defaults(run=_cmd_runs)


def _when(t) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


def _cmd_runs(args) -> int:
    from ..lab.store import Store

    st = Store(args.store, create=False)
    try:
        sweeps = st.sweeps()
    finally:
        st.close()
    if args.sweep is not None:
        from .. import lab

        result = lab.load(args.store, args.sweep)
        print(f"sweep {args.sweep}: {result!r}")
        print(result.table())
        return 0
    if not sweeps:
        print(f"{args.store}: no sweeps")
        return 0
    rows = [(s, s["spec"]["dataset"], ", ".join(f"{k} ({len(v)})" for k, v in s["spec"]["vary"]) or "-")
            for s in sweeps]
    wd = max(7, *(len(d) for _, d, _ in rows))  # columns as wide as their longest entry: nothing cut
    wv = max(6, *(len(v) for _, _, v in rows))
    print(f"{'id':>3}  {'dataset':<{wd}} {'varies':<{wv}} {'seeds':>5}  {'groups':>9}  {'runs':>11}  "
          f"{'state':<11} {'started':<16}  updated")
    for s, dataset, varies in rows:
        state = "done" if s["groups_done"] == s["groups"] else "unfinished"
        print(f"{s['id']:>3}  {dataset:<{wd}} {varies:<{wv}} {len(s['spec']['seeds']):>5}  "
              f"{s['groups_done']:>4}/{s['groups']:<4}  {s['runs']:>5}/{s['runs_planned']:<5}  "
              f"{state:<11} {_when(s['created'])}  {_when(s['updated'])}", file=sys.stdout)
    print(f"summary of one: mlplab runs {args.store} ID; in Python: lab.load({args.store!r}, ID)")
    return 0
