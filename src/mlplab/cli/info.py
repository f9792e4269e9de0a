"""``mlplab info`` and ``mlplab datasets``: what there is."""

from __future__ import annotations

from .._version import __version__


def _cmd_info(args) -> int:
    from .. import data
    from ..data import catalog
    from ..nn import activations, initializers, losses, optimizers, schedules

    families = [
        ("activations", activations.names()),
        ("losses", losses.names()),
        ("optimizers", optimizers.names()),
        ("initializers", initializers.names()),
        ("schedules", schedules.names()),
        ("generators", data.names()),
        ("datasets", [e.name for e in catalog.entries()]),
    ]
    print(f"mlplab {__version__}")
    for family, names in families:
        print(f"{family + ':':14} {', '.join(names)}")
    return 0


def _cmd_datasets(args) -> int:
    from ..data import catalog

    print(f"{'name':15} {'samples':>8} {'features':>9} {'classes':>8}  {'files':8} description")
    for e in catalog.entries():
        n, f, k = e.shape
        print(f"{e.name:15} {n:>8} {f:>9} {k if k else 'regr.':>8}  "
              f"{'present' if e.present() else 'missing':8} {e.description}")
    print("\nor any CSV file with a header row (the label in the last column)")
    return 0


def add(sub):
    sub.add_parser("info", help="list activations, losses, optimizers, initializers, datasets"
                   ).set_defaults(run=_cmd_info)
    sub.add_parser("datasets", help="list datasets, their sizes and whether files are present"
                   ).set_defaults(run=_cmd_datasets)
