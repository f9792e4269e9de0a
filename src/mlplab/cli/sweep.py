"""``mlplab sweep``: many settings x many seeds, success rates with intervals."""

from __future__ import annotations

import argparse
import shlex
import sys
import time

from .options import check_targets, positive_int
from .train import add_options

EPILOG = """examples:
  lesson A's grid: 49 architectures 2-n1-n2-2 x 20 seeds, stored and reported
  mlplab sweep disc_ring --vary layers=2-8x2-8 --seeds 0-19 --epochs 300 --lr 0.05 \\
      --batch-size 300 --init torch --store grid.db --report grid.html

  mlplab sweep moons --vary activation=relu,tanh --vary lr=0.01,0.05 --seeds 0-9 --epochs 50
  mlplab sweep --config sweep.toml          (the same keys in a TOML file)
  mlplab sweep ... --store grid.db --resume (finish an interrupted sweep)
  mlplab runs grid.db                       (the sweeps in a store)

--vary KEY=VALUES: any option of `mlplab train`, plus n_samples, noise, data_seed.
  layers: widths joined by x, architectures by commas (4x4,4x3); 2-8x2-8 is every pair
  integers: 100,200 or ranges 100-102; numbers: 0.01,0.05; names: relu,tanh
  (a per-layer activation joins names with +: relu+tanh); batchnorm: true,false
Unlike `mlplab train`, a sweep holds no data out unless asked (--test-size and
--val-split default to 0), and --seeds defaults to 0-19.
"""

#: keys of a --config file besides the options of a run
CONFIG_KEYS = ("dataset", "vary", "seeds", "store", "report", "resume", "executor", "dask", "success")


def add(sub):
    """``mlplab sweep``."""
    p = sub.add_parser("sweep", help="train many settings x seeds; success rates with intervals",
                       description="Train every combination of the --vary values with every seed "
                                   "and print each setting's success rate with its 95% interval.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", nargs="?", help="a dataset name (mlplab datasets) or a CSV file path")
    p.add_argument("--vary", action="append", default=[], metavar="KEY=VALUES",
                   help="an option and its values, e.g. layers=2-8x2-8 or lr=0.01,0.05 (repeat it)")
    p.add_argument("--config", metavar="SWEEP.toml", help="read the sweep from a TOML file "
                   "(dataset, seeds, [vary], options); the command line overrides it")
    before = {a.dest for a in p._actions}
    add_options(p)
    for action in p._actions:  # only the options given are fixed; the sweep has its defaults
        if action.dest not in before:
            action.default = argparse.SUPPRESS
    p.add_argument("--store", metavar="RUNS.db", help="SQLite run store (default: none, in memory)")
    p.add_argument("--resume", action="store_true",
                   help="finish the sweep with these options in --store: only unfinished groups run")
    p.add_argument("--report", metavar="SWEEP.html", help="write the sweep's HTML report")
    p.add_argument("--executor", choices=("local", "processes"),
                   help="where groups train: this process (default) or a pool of processes")
    p.add_argument("--workers", type=positive_int, help="processes in the pool (default: CPUs)")
    p.add_argument("--dask", metavar="ADDRESS", help="train on a Dask cluster: the scheduler's "
                   "address, e.g. tcp://host:8786")
    p.set_defaults(run=_cmd_sweep)


def _options(args) -> dict:
    """The run options given on the command line: dest -> value."""
    skip = {"dataset", "vary", "config", "store", "resume", "report", "executor", "workers", "dask",
            "run", "command", "threads"}
    return {k: v for k, v in vars(args).items() if k not in skip}


def read_config(path) -> dict:
    """A TOML sweep file -> its keys (``-`` in names read as ``_``); unknown keys refused."""
    import tomllib

    from ..lab.sweep_spec import KEYS, unknown_key

    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML ({exc})") from None
    data = {k.replace("-", "_"): v for k, v in data.items()}
    for key in data:
        if key not in KEYS and key not in CONFIG_KEYS:
            raise ValueError(f"{path}: {unknown_key(key, 'a sweep file')}".replace(
                "valid keys are: ", f"valid keys are: {', '.join(CONFIG_KEYS)}, "))
    if "vary" in data and not isinstance(data["vary"], dict):
        raise ValueError(f"{path}: vary must be a table ([vary] then key = [values]); "
                         f"received {data['vary']!r}")
    for key in data.get("vary", {}):
        if key.replace("-", "_") not in KEYS:
            raise ValueError(f"{path}: [vary]: {unknown_key(key, 'a sweep')}")
    return data


def sweep_arguments(args) -> dict:
    """Everything ``lab.sweep`` takes, from the command line and ``--config``."""
    from ..lab.sweep_spec import KEYS, parse_values, unknown_key

    config = read_config(args.config) if args.config else {}
    vary = {k.replace("-", "_"): v for k, v in config.pop("vary", {}).items()}
    for item in args.vary:
        key, eq, text = item.partition("=")
        key = key.strip().replace("-", "_")
        if not eq or not key:
            raise ValueError(f"--vary takes KEY=VALUES such as layers=4x4,4x3; received {item!r}")
        if key not in KEYS:
            raise ValueError(f"--vary: {unknown_key(key, 'a sweep')}")
        vary[key] = parse_values(key, text)
    given = _options(args)
    seeds = config.pop("seeds", "0-19")
    if "seeds" in given:
        seeds = given.pop("seeds")
    elif "seed" in given or "replicas" in given:
        start = given.get("seed", 0)
        seeds = range(start, start + given.get("replicas", 1))
    given.pop("seed", None)
    given.pop("replicas", None)
    out = {"dataset": args.dataset or config.pop("dataset", None), "vary": vary, "seeds": seeds}
    config.pop("dataset", None)
    for key in ("store", "report", "resume", "executor", "dask"):  # the command line wins
        value = getattr(args, key)
        config_value = config.pop(key, None)
        out[key] = value if value not in (None, False) else config_value
    out["success"] = given.pop("success", None) or config.pop("success", None)
    out["fixed"] = {**config, **given}
    if out["dataset"] is None:
        raise ValueError("mlplab sweep needs a dataset: a name (mlplab datasets), a CSV path, "
                         "or dataset = ... in --config")
    return out


class Progress:
    """A bar over groups with runs per second, on stderr (a line per 10% when not a terminal)."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.tty = stream, stream.isatty()
        self.done = self.total = 0
        self.shown = self.first = None

    def __call__(self, done, total, runs, total_runs, seconds):
        if self.first is None:  # the call before any group: runs stored by an earlier session
            self.first = runs
        self.done, self.total = done, total
        tenth = done * 10 // max(total, 1)
        if not self.tty and tenth == self.shown and done < total:
            return
        self.shown = tenth
        filled = done * 20 // max(total, 1)
        rate = f"{(runs - self.first) / seconds:,.1f} runs/s" if seconds > 0 else ""
        line = (f"groups {done}/{total} [{'#' * filled}{'.' * (20 - filled)}] "
                f"{runs}/{total_runs} runs  {seconds:.1f} s  {rate}")
        print(("\r" if self.tty else "") + line, end="" if self.tty and done < total else "\n",
              file=self.stream, flush=True)


def _cmd_sweep(args) -> int:
    from .. import lab
    from ..lab.sweep import report_writer

    a = sweep_arguments(args)
    if a["report"]:
        report_writer()  # refused before training when the report cannot be written
        check_targets(report=a["report"])
    if a["dask"] and (a["executor"] or args.workers):
        raise ValueError("--dask sends the groups to a Dask cluster; leave out --executor and --workers")
    executor = a["executor"] or "local"
    if args.workers:
        if executor != "processes":
            raise ValueError("--workers sizes the pool of --executor processes; give that too")
        executor = f"processes:{args.workers}"
    client = None
    if a["dask"]:
        from distributed import Client  # the dask extra

        client = executor = Client(a["dask"], timeout="20s")
    progress = Progress()
    start = time.perf_counter()
    try:
        result = lab.sweep(a["dataset"], a["vary"], a["seeds"], success=a["success"],
                           executor=executor, store=a["store"], resume=bool(a["resume"]),
                           progress=progress, **a["fixed"])
    except KeyboardInterrupt:
        print(f"\nmlplab: interrupted after {progress.done}/{progress.total} groups", file=sys.stderr)
        if a["store"]:
            again = shlex.join(["mlplab", *sys.argv[1:]]) if sys.argv[1:2] == ["sweep"] else \
                "the same command"
            if "--resume" not in sys.argv:
                again += " --resume"
            print(f"the finished groups are saved in {a['store']}; resume with:\n  {again}",
                  file=sys.stderr)
        else:
            print("nothing was saved (no --store)", file=sys.stderr)
        return 130
    finally:
        if client is not None:
            client.close()
    seconds = time.perf_counter() - start
    n = len(result.settings)
    print(f"{a['dataset']}: {n} setting{'s' * (n != 1)} x {len(result.spec.seeds)} seeds, "
          f"{len(result.runs)} runs, {seconds:.1f} s")
    print(result.table())
    if a["store"]:
        print(f"store          {a['store']} (sweep {result.sweep_id}; mlplab runs {a['store']})")
    if a["report"]:
        print(f"report         {result.report(a['report'])}")
    return 0
