"""Registry entries with parameters, written as one word: ``"step:10:0.5"``.

A *spec* is a registry name followed by its parameters, separated by colons, either
in the order of the factory's signature or by keyword::

    normal:0.5            -> initializers.get("normal", std=0.5)
    step:10:0.5           -> schedules.get("step", step_size=10, gamma=0.5)
    cosine:t_max=50       -> schedules.get("cosine", t_max=50)

The parameters a name accepts, their order and their types come from the factory
itself (``inspect.signature``: an ``int`` default takes integers, any other default
a number), so a new initializer or schedule needs nothing here.

>>> from mlplab.nn import schedules
>>> parse(schedules.registry, "step:10:0.5", "schedule")
('step', {'step_size': 10, 'gamma': 0.5})
"""

from __future__ import annotations

import inspect


def parameters(registry, name: str) -> list[inspect.Parameter]:
    """The keyword parameters of ``name``'s factory, in order (``self`` left out)."""
    factory = registry.factory(name)
    target = factory.__init__ if inspect.isclass(factory) else factory
    if inspect.isclass(factory) and target is object.__init__:
        return []
    return [p for p in list(inspect.signature(target).parameters.values())[
        (1 if inspect.isclass(factory) else 0):]
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def parse(registry, text: str, what: str) -> tuple[str, dict]:
    """``"name:a:b"`` or ``"name:key=value"`` -> ``(canonical name, {parameter: value})``.

    Raises ValueError naming ``what``, the rule and the text received: an unknown
    name (listing the valid ones), too many parameters, an unknown keyword, or a
    value of the wrong type.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{what} must be a name such as {registry.names()[0]!r}, optionally "
                         f"with parameters after colons; received {text!r}")
    name, *values = [t.strip() for t in text.split(":")]
    try:
        canonical = registry.canonical(name) or registry.factory(name)
    except ValueError:
        raise ValueError(f"unknown {what} {name!r} in {text!r}; valid names are: "
                         f"{', '.join(registry.names())}") from None
    params = parameters(registry, canonical)
    usage = (f"{canonical}:" + ":".join(p.name for p in params)) if params else canonical
    if len(values) > len(params):
        takes = f"takes {len(params)} parameter(s) ({usage})" if params else "takes no parameters"
        raise ValueError(f"{what} {canonical!r} {takes}; received {text!r}")
    kwargs = {}
    by_name = {p.name: p for p in params}
    for position, value in enumerate(values):
        key, eq, raw = value.partition("=")
        if eq:
            key = key.strip()
            if key not in by_name:
                raise ValueError(f"{what} {canonical!r} has no parameter {key!r} (it takes "
                                 f"{', '.join(by_name)}); received {text!r}")
        else:
            key, raw = params[position].name, value
        if key in kwargs:
            raise ValueError(f"{what} {canonical!r}: parameter {key!r} is given twice in {text!r}")
        kwargs[key] = _convert(by_name[key], raw.strip(), what, canonical, text)
    return canonical, kwargs


def build(registry, text: str, what: str, **defaults):
    """Parse ``text`` and build the entry; ``defaults`` fill parameters it leaves out.

    Errors from the factory's own checks (``std must be positive``) are given back
    with the spec they came from.
    """
    name, kwargs = parse(registry, text, what)
    accepted = {p.name for p in parameters(registry, name)}
    options = {k: v for k, v in defaults.items() if k in accepted}
    try:
        return registry.get(name, **{**options, **kwargs})
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what} {text!r}: {exc}") from None


def _convert(param, raw, what, name, text):
    want_int = isinstance(param.default, int) and not isinstance(param.default, bool)
    try:
        value = int(raw) if want_int else float(raw)
    except ValueError:
        kind = "an integer" if want_int else "a number"
        raise ValueError(f"{what} {name!r}: {param.name} must be {kind}; received {raw!r} "
                         f"in {text!r}") from None
    return value
