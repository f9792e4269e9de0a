"""What a sweep runs: the dataset, the varied options, the fixed ones and the seeds.

Any option of ``mlplab train`` (a field of :class:`~mlplab.lab.train.TrainConfig`,
dataset parameters ``n_samples``, ``noise``, ``data_seed`` included) may be fixed or
varied. Every value is checked here, before anything trains, and a refused one is
named by its key::

    >>> s = SweepSpec.build("disc_ring", vary={"layers": "4x4,4x3"}, seeds=range(3))
    >>> [c.layers for c in s.configs()]
    [(4, 4), (4, 3)]

Values may be written as text, as on the command line (:func:`parse_values`):
``layers=2-8x2-8`` is every pair of widths from 2 to 8, ``lr=0.01,0.05`` two rates,
``epochs=100-102`` three integers, ``activation=relu,relu+tanh`` a per-layer list
joined by ``+``.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field

from .. import nn
from ..data import catalog, tables, toy
from ..nn import success as rules
from . import spec as registry_spec
from .train import MAX_SEEDS, OUTPUTS, SCALES, TrainConfig, first_repeat

#: a sweep holds no data out unless asked (the lessons count successes on every point)
SWEEP_DEFAULTS = {"test_size": 0.0, "val_split": 0.0}
INTS = ("epochs", "batch_size", "patience", "n_samples", "data_seed")
FLOATS = ("lr", "momentum", "weight_decay", "dropout", "l1", "l2", "clip_norm", "clip_value",
          "min_delta", "noise", "test_size", "val_split")
BOOLS = ("batchnorm",)
NAMES = ("activation", "optimizer", "loss", "output", "init", "schedule", "scale", "task", "rng",
         "data_rng", "dtype")
#: options that may be None (the default that depends on the run)
OPTIONAL = ("batch_size", "momentum", "weight_decay", "loss", "output", "clip_norm", "clip_value",
            "patience", "n_samples", "noise", "data_seed", "val_split", "task", "data_rng")
#: every key a sweep can fix or vary
KEYS = ("layers", *INTS, *FLOATS, *BOOLS, *NAMES)
_NUMBER_RULES = {
    "epochs": (1, None, "a positive integer"), "batch_size": (1, None, "a positive integer"),
    "patience": (1, None, "a positive integer"), "n_samples": (1, None, "a positive integer"),
    "data_seed": (0, None, "an integer >= 0"),
    "lr": (0, None, "a positive number"), "clip_norm": (0, None, "a positive number"),
    "clip_value": (0, None, "a positive number"),
    "dropout": (0, 1, "a number in [0, 1)"), "test_size": (0, 1, "a number in [0, 1)"),
    "val_split": (0, 1, "a number in [0, 1)"),
    "l1": (0, None, "a number >= 0"), "l2": (0, None, "a number >= 0"),
    "min_delta": (0, None, "a number >= 0"), "noise": (0, None, "a number >= 0"),
    "momentum": (0, 1, "a number in [0, 1)"), "weight_decay": (0, None, "a number >= 0"),
}
_STRICT = ("lr", "clip_norm", "clip_value")  # > 0, not >= 0


def _choices(key):
    return {"activation": nn.activations.names, "optimizer": nn.optimizers.names,
            "loss": nn.losses.names, "output": lambda: list(OUTPUTS),
            "scale": lambda: list(SCALES), "task": lambda: list(tables.TASKS),
            "rng": lambda: list(nn.sequential.DRAWS), "data_rng": lambda: list(toy.RNGS),
            "dtype": lambda: ["float32", "float64"]}.get(key)


def check_value(key: str, value, where: str):
    """The value of option ``key`` as TrainConfig holds it, or a ValueError/TypeError
    naming ``where`` (``"vary['lr']"``, ``"lr"``), the rule and the value."""
    def refuse(rule, error=ValueError):
        raise error(f"{where} must be {rule}; received {value!r}")

    if value is None:
        if key in OPTIONAL:
            return None
        refuse("given (None is not a value of this option)")
    if key == "layers":
        widths = (value,) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(widths, str):
            return check_value(key, _layers(widths, where)[0], where) if "," not in widths else \
                refuse("one architecture such as '4x4' (a list of them goes in vary)")
        if not isinstance(widths, (tuple, list)) or not all(
                isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in widths):
            refuse("hidden widths: positive integers such as (4, 4), or () for none", TypeError)
        return tuple(int(w) for w in widths)
    if key in INTS:
        if isinstance(value, bool) or not isinstance(value, int):
            refuse(_NUMBER_RULES[key][2], TypeError)
        lo, _, rule = _NUMBER_RULES[key]
        if value < lo:
            refuse(rule)
        return int(value)
    if key in FLOATS:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            refuse(_NUMBER_RULES[key][2], TypeError)
        lo, hi, rule = _NUMBER_RULES[key]
        value = float(value)
        if not math.isfinite(value) or value < lo or (hi is not None and value >= hi) or \
                (key in _STRICT and value <= 0):
            refuse(rule)
        return value
    if key in BOOLS:
        if not isinstance(value, bool):
            refuse("true or false", TypeError)
        return value
    if not isinstance(value, str):
        refuse("a name", TypeError)
    text = value.strip().lower().replace("-", "_") if key not in ("init", "schedule") else \
        value.strip().lower()
    if key in ("init", "schedule"):
        if key == "schedule" and text == "none":
            return "none"
        registry = nn.initializers.registry if key == "init" else nn.schedules.registry
        try:
            registry_spec.build(registry, text, key)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
        return text
    names = _choices(key)()
    for part in text.split(",") if key == "activation" else [text]:
        if part not in names:
            raise ValueError(f"{where} must be one of {', '.join(names)}; received {value!r}")
    return text


def _layers(text: str, where: str) -> list[tuple[int, ...]]:
    """``"4x4,4x3"`` -> [(4, 4), (4, 3)]; ``"2-3x5"`` -> [(2, 5), (3, 5)]; ``0`` -> [()]."""
    out = []
    for item in text.split(","):
        item = item.strip().lower()
        if item in ("", "0"):
            out.append(())
            continue
        choices = [_int_range(part, where, text) for part in item.split("x")]
        out += [tuple(c) for c in itertools.product(*choices)]
    return out


def _int_range(part: str, where: str, text: str) -> list[int]:
    lo, dash, hi = (t.strip() for t in part.partition("-"))
    if not (lo.isdigit() and (hi.isdigit() if dash else True)):
        raise ValueError(f"{where}: expected integers or ranges low-high separated by commas "
                         f"(layers: widths joined by x, such as 4x4 or 2-8x2-8); received "
                         f"{text!r} ({part.strip()!r})")
    lo, hi = int(lo), int(hi) if dash else int(lo)
    if hi < lo:
        raise ValueError(f"{where}: a range goes low-high; received {text!r} ({part.strip()} "
                         "is reversed)")
    return list(range(lo, hi + 1))


def parse_values(key: str, text: str) -> list:
    """Command-line text of a varied option -> its list of values (unchecked).

    ``layers``: architectures separated by commas, widths joined by ``x``, each width
    a number or a range (``2-8x2-8`` is all 49 pairs); integers: numbers or ranges
    (``100-102``); numbers: ``0.01,0.05``; true/false; names (``relu,tanh``; a
    per-layer activation list joins names with ``+``); ``none`` where None is allowed.
    """
    where = f"vary[{key!r}]"
    if key not in KEYS:
        raise ValueError(unknown_key(key, "vary"))
    if not text.strip():
        raise ValueError(f"{where} is empty; give at least one value")
    if key == "layers":
        return _layers(text, where)
    out = []
    for item in (t.strip() for t in text.split(",")):
        if item.lower() == "none" and (key in OPTIONAL or key == "schedule"):
            out.append("none" if key == "schedule" else None)
        elif key in INTS:
            out += _int_range(item, where, text)
        elif key in FLOATS:
            try:
                out.append(float(item))
            except ValueError:
                raise ValueError(f"{where}: expected numbers separated by commas; received "
                                 f"{text!r} ({item!r})") from None
        elif key in BOOLS:
            truth = {"true": True, "yes": True, "on": True, "1": True,
                     "false": False, "no": False, "off": False, "0": False}.get(item.lower())
            if truth is None:
                raise ValueError(f"{where}: expected true or false; received {text!r} ({item!r})")
            out.append(truth)
        else:
            out.append(item.replace("+", ","))
    return out


def unknown_key(key, what):
    hint = {"seed": "use seeds", "dataset": "the dataset is the first argument, not an option",
            "seeds": "seeds are given once (seeds=...), not varied",
            "success": "the success rule judges every setting: give it once (success=...)",
            "replicas": "use seeds"}.get(key, f"valid keys are: {', '.join(KEYS)}")
    return f"{what} has no option {key!r} ({hint})"


def parse_seeds(seeds) -> tuple[int, ...]:
    """``range(20)``, ``[0, 3, 7]`` or text ``"0-19"`` / ``"0-4,10"`` -> distinct ints >= 0."""
    if isinstance(seeds, str):
        seeds = [s for part in seeds.split(",") for s in _int_range(part, "seeds", seeds)]
    try:
        seeds = list(seeds)
    except TypeError:
        raise TypeError(f"seeds must be a list or range of integers; received {seeds!r}") from None
    bad = next((s for s in seeds if isinstance(s, bool) or not isinstance(s, int) or s < 0), None)
    if bad is not None:
        raise ValueError(f"seeds must be integers >= 0; received {bad!r}")
    if not seeds:
        raise ValueError("seeds must hold at least one seed; received an empty list")
    if len(seeds) > MAX_SEEDS:
        raise ValueError(f"seeds may hold at most {MAX_SEEDS:,} seeds; received {len(seeds):,}")
    twice = first_repeat(seeds)
    if twice is not None:
        raise ValueError(f"seeds must be distinct; seed {twice} is given twice")
    return tuple(int(s) for s in seeds)


@dataclass
class SweepSpec:
    """A checked sweep: one :class:`TrainConfig` per setting (the product of the
    varied values, in the order given), each with every seed."""

    dataset: str
    vary: dict = field(default_factory=dict)    # key -> list of checked values
    seeds: tuple[int, ...] = (0,)
    fixed: dict = field(default_factory=dict)   # key -> checked value
    success: str = str(rules.DEFAULT)

    @classmethod
    def build(cls, dataset, vary=None, seeds=range(20), success=None, **fixed) -> SweepSpec:
        """Check everything (see the module docstring); errors name the key."""
        if not isinstance(dataset, str):
            raise TypeError(f"dataset must be a catalogue name, a CSV path or (X, y) arrays; "
                            f"received {type(dataset).__name__}")
        vary = dict(vary or {})
        checked = {}
        for key, values in vary.items():
            if key not in KEYS:
                raise ValueError(unknown_key(key, "vary"))
            where = f"vary[{key!r}]"
            if key in fixed:
                raise ValueError(f"{key!r} is both varied and fixed; give it in one place "
                                 f"(vary[{key!r}]={values!r}, {key}={fixed[key]!r})")
            if isinstance(values, str):
                values = parse_values(key, values)
            elif isinstance(values, (int, float, bool)) or values is None:
                raise TypeError(f"{where} must be a list of values (or their text such as "
                                f"'0.01,0.05'); received {values!r}")
            values = [check_value(key, _from_text(key, v, where), where) for v in values]
            if not values:
                raise ValueError(f"{where} is empty; give at least one value")
            twice = first_repeat(values)
            if twice is not None:
                raise ValueError(f"{where} holds {twice!r} twice; each setting once")
            checked[key] = values
        fixed_checked = {}
        for key, value in fixed.items():
            if key not in KEYS:
                raise ValueError(unknown_key(key, "sweep"))
            fixed_checked[key] = check_value(key, value, key)
        rule = str(rules.get(success))
        out = cls(dataset, checked, parse_seeds(seeds), fixed_checked, rule)
        configs = out.configs()  # TrainConfig's own checks (the combinations)
        out._check_data(configs)
        return out

    def settings(self) -> list[dict]:
        """The varied values of each setting, in order (the last key varies fastest)."""
        keys = list(self.vary)
        return [dict(zip(keys, combo)) for combo in itertools.product(*self.vary.values())]

    def configs(self) -> list[TrainConfig]:
        out = []
        for setting in self.settings():
            options = {**SWEEP_DEFAULTS, **self.fixed, **setting}
            try:
                out.append(TrainConfig(dataset=self.dataset, seeds=self.seeds,
                                       success=self.success, **options))
            except (ValueError, TypeError) as exc:
                where = ", ".join(f"{k}={v!r}" for k, v in setting.items()) or "the sweep"
                raise ValueError(f"setting {where}: {exc}") from None
        return out

    def _check_data(self, configs):
        """Load the first seed's data of each distinct dataset once: a parameter the
        dataset refuses or a success rule about a split it will not have is named now."""
        from .train import _check_success, load_data

        seen = set()
        for config in configs:
            key = tuple(getattr(config, k) for k in ("test_size", "val_split", "scale", "task",
                                                     *catalog.DATA_OPTIONS))
            if key in seen:
                continue
            seen.add(key)
            first = TrainConfig(**{**config.as_dict(), "seeds": config.seeds[:1]})
            ds = load_data(first)
            n_val = int(round(ds.n_train * (config.val_split or 0)))
            _check_success(config.success_rule, ds, n_val)

    def to_dict(self) -> dict:
        """JSON-ready (tuples as lists); :meth:`from_dict` gives the spec back."""
        def plain(v):
            return list(v) if isinstance(v, tuple) else v
        return {"dataset": self.dataset,
                "vary": [[k, [plain(v) for v in vs]] for k, vs in self.vary.items()],  # in order
                "seeds": list(self.seeds), "fixed": {k: plain(v) for k, v in self.fixed.items()},
                "success": self.success}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict) -> SweepSpec:
        def back(k, v):
            return tuple(v) if k == "layers" else v
        return cls(d["dataset"], {k: [back(k, v) for v in vs] for k, vs in d["vary"]},
                   tuple(d["seeds"]), {k: back(k, v) for k, v in d["fixed"].items()}, d["success"])

    def differences(self, other: SweepSpec) -> list[str]:
        """What differs from ``other``, one phrase per part: ``"vary['lr']: [0.1] here,
        [0.2] stored"``."""
        a, b = self.to_dict(), other.to_dict()
        a["vary"], b["vary"] = dict(a["vary"]), dict(b["vary"])
        out = []
        for part in ("dataset", "seeds", "success"):
            if a[part] != b[part]:
                out.append(f"{part}: {_short(a[part])} here, {_short(b[part])} stored")
        for part in ("vary", "fixed"):
            for key in sorted(set(a[part]) | set(b[part])):
                here, there = a[part].get(key, "absent"), b[part].get(key, "absent")
                if here != there:
                    out.append(f"{part}[{key!r}]: {_short(here)} here, {_short(there)} stored")
        if not out and list(a["vary"]) != list(b["vary"]):
            out.append(f"the order of the varied keys: {list(a['vary'])} here, "
                       f"{list(b['vary'])} stored")
        return out


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _from_text(key, value, where):
    """A list element written as text (``"4x4"``, TOML's ``"relu+tanh"``)."""
    if isinstance(value, str) and key == "layers":
        parsed = _layers(value, where)
        if len(parsed) != 1:
            raise ValueError(f"{where}: {value!r} is {len(parsed)} architectures; give it as "
                             "the whole value (vary={'layers': '2-8x2-8'}) or one per element")
        return parsed[0]
    if isinstance(value, str) and key == "activation":
        return value.replace("+", ",")
    return value

