"""Saving and loading networks: one ``.npz`` with the weights and a versioned JSON config.

Layout of the archive (``numpy.savez``, no pickles):

- ``__mlplab__``: a JSON string ``{"format": "mlplab", "version": 1, "model": config,
  "meta": {...}}`` (``meta`` is free-form: the CLI keeps the dataset, classes and
  scaler there);
- ``param/<layer>.<name>`` and ``state/<layer>.<name>``: the arrays.

Files are written to a temporary file beside the target and renamed into place,
so an interrupted save never leaves a half-written model. Loading checks the
header, the config, and every array's name, shape and dtype before the model is
returned: a damaged, truncated or foreign file raises ``ValueError`` and nothing
half-loaded escapes.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np

from ._atomic import atomic_file

FORMAT = "mlplab"
VERSION = 1
_HEADER = "__mlplab__"


def save(model, path, meta: dict | None = None) -> Path:
    """Write ``model`` (and ``meta``, default ``model.meta``) to ``path``; ``.npz`` is
    appended when missing. Returns the path written."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    with atomic_file(path) as f:
        write(model, f, meta)
    return path


def write(model, file, meta: dict | None = None) -> None:
    """Write ``model`` in the ``.npz`` layout above to an open binary ``file``."""
    meta = model.meta if meta is None else meta
    try:
        header = json.dumps({"format": FORMAT, "version": VERSION, "model": model.config(),
                             "meta": meta})
    except TypeError as exc:
        raise TypeError(f"meta must be JSON-serialisable: {exc}") from None
    arrays = {_HEADER: np.array(header)}
    arrays.update({f"param/{name}": p for name, p, _ in model.named_parameters()})
    arrays.update({f"state/{name}": s for name, s in model.named_state()})
    np.savez(file, **arrays)


def load(path):
    """Read a model written by :func:`save`."""
    from .sequential import Sequential

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {str(path)!r}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise ValueError(
            f"{str(path)!r} is not a readable mlplab model file (.npz): {exc}"
        ) from None
    if _HEADER not in arrays:
        raise ValueError(f"{str(path)!r} is an .npz file but not an mlplab model (no {_HEADER} entry)")
    try:
        header = json.loads(str(arrays.pop(_HEADER)))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{str(path)!r} has a damaged model header: {exc}") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{str(path)!r} is not an mlplab model (format {header!r:.80})")
    if header.get("version") != VERSION:
        raise ValueError(
            f"{str(path)!r} is an mlplab model of format version {header.get('version')!r}; "
            f"this mlplab reads version {VERSION}"
        )
    try:
        model = Sequential.from_config(header["model"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{str(path)!r} has a model config this mlplab cannot build: {exc}") from None
    expected = {f"param/{n}": p for n, p, _ in model.named_parameters()}
    expected.update({f"state/{n}": s for n, s in model.named_state()})
    if set(expected) != set(arrays):
        missing, extra = sorted(set(expected) - set(arrays)), sorted(set(arrays) - set(expected))
        raise ValueError(f"{str(path)!r} does not match its config: missing {missing}, unexpected {extra}")
    for key, target in expected.items():
        got = arrays[key]
        if got.shape != target.shape or got.dtype != target.dtype:
            raise ValueError(
                f"{str(path)!r}: array {key!r} has shape {got.shape} and dtype {got.dtype}; "
                f"the config needs shape {target.shape} and dtype {target.dtype}"
            )
        if not np.isfinite(got).all():
            raise ValueError(f"{str(path)!r}: array {key!r} holds NaN or inf")
    for key, target in expected.items():
        target[...] = arrays[key]
    model.meta = header.get("meta") or {}
    return model
