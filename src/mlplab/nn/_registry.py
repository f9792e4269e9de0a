"""One registry per family (activations, losses, optimizers, initializers, ...).

A registry maps lower-case names to factories (classes or functions) and resolves
``get(name_or_object, **kwargs)``:

- an object that is already an instance of the family is returned unchanged;
- a name is looked up case-insensitively (``-`` and ``_`` are the same) and the
  factory is called with ``kwargs``;
- a config dict ``{"name": ..., **options}`` (what ``config()`` returns) is built
  the same way;
- an unknown name raises ``ValueError`` listing every valid name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_")


class Registry:
    """A named family of factories.

    Parameters
    ----------
    family : str
        What the entries are, used in error messages ("activation", "loss", ...).
    base : type, optional
        Instances of ``base`` pass through ``get`` unchanged.
    """

    def __init__(self, family: str, base: type | None = None):
        self.family = family
        self.base = base
        self._entries: dict[str, Callable[..., Any]] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, *aliases: str):
        """Decorator: register ``factory`` under ``name`` (and ``aliases``)."""

        def decorate(factory):
            key = _key(name)
            if key in self._entries or key in self._aliases:
                raise ValueError(f"{self.family} {name!r} is registered twice")
            self._entries[key] = factory
            for alias in aliases:
                self._aliases[_key(alias)] = key
            return factory

        return decorate

    def names(self) -> list[str]:
        """The canonical names, in registration order."""
        return list(self._entries)

    def __contains__(self, name: str) -> bool:
        return isinstance(name, str) and self.canonical(name) is not None

    def canonical(self, name: str) -> str | None:
        key = _key(name)
        if key in self._entries:
            return key
        return self._aliases.get(key)

    def factory(self, name: str) -> Callable[..., Any]:
        key = self.canonical(name) if isinstance(name, str) else None
        if key is None:
            raise ValueError(
                f"unknown {self.family} {name!r}; valid names are: "
                + ", ".join(self.names())
            )
        return self._entries[key]

    def get(self, name_or_obj: Any, **kwargs: Any) -> Any:
        """Resolve a name or config dict (calling its factory) or pass an object through."""
        if isinstance(name_or_obj, dict) and "name" in name_or_obj:
            options = {k: v for k, v in name_or_obj.items() if k != "name"}
            return self.factory(name_or_obj["name"])(**options, **kwargs)
        if self.base is not None and isinstance(name_or_obj, self.base):
            if kwargs:
                raise TypeError(
                    f"{self.family} options {sorted(kwargs)} can only be given with a "
                    f"name, not with an already built {type(name_or_obj).__name__}"
                )
            return name_or_obj
        if not isinstance(name_or_obj, str):
            raise TypeError(
                f"{self.family} must be a name (one of: {', '.join(self.names())})"
                + (f" or a {self.base.__name__}" if self.base else "")
                + f"; received {name_or_obj!r} of type {type(name_or_obj).__name__}"
            )
        return self.factory(name_or_obj)(**kwargs)


class Configurable:
    """Mixin for registry entries: ``name``, ``config()``, a readable ``repr`` and
    equality by configuration. Subclasses list their options in ``_options()``."""

    name = "configurable"

    def _options(self) -> dict:
        return {}

    def config(self) -> dict:
        return {"name": self.name, **self._options()}

    def __repr__(self):
        opts = ", ".join(f"{k}={v!r}" for k, v in self._options().items())
        return f"{type(self).__name__}({opts})"

    def __eq__(self, other):
        return type(self) is type(other) and self.config() == other.config()

    def __hash__(self):
        return hash((type(self), repr(self)))
