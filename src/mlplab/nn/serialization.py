"""Saving and loading networks: one ``.npz`` with the weights and a versioned JSON config.

Layout of the archive (``numpy.savez``, no pickles):

- ``__mlplab__``: a JSON string ``{"format": "mlplab", "version": 1, "model": config,
  "meta": {...}}`` (``meta`` is free-form: the CLI keeps the dataset, classes and
  scaler there);
- ``param/<layer>.<name>`` and ``state/<layer>.<name>``: the arrays.

Files are written to a temporary file beside the target, read back, and only then
renamed into place, so an interrupted or failed save never leaves a half-written
model and never replaces a good file with one that cannot be loaded. Loading checks the
header, the config, and every array's name, shape and dtype before the model is
returned: a damaged, truncated or foreign file raises ``ValueError`` and nothing
half-loaded escapes.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import numpy as np

from ._atomic import atomic_file

FORMAT = "mlplab"
VERSION = 1
_HEADER = "__mlplab__"


def model_path(path) -> Path:
    """Where :func:`save` writes for ``path``: ``.npz`` is appended when missing."""
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def save(model, path, meta: dict | None = None) -> Path:
    """Write ``model`` (and ``meta``, default ``model.meta``) to ``path``; ``.npz`` is
    appended when missing. Returns the path written.

    Refused before anything is written: NaN or inf weights (naming the layer), meta
    that is not JSON, a ``path`` that is a directory or lies under a file. The file is
    written beside ``path`` and read back with :func:`load` before it replaces
    ``path``, so a save that fails leaves the previous file byte for byte as it was.
    """
    path = model_path(path)

    def readable(tmp):
        try:
            load(tmp)
        except (ValueError, TypeError, OSError) as exc:
            raise ValueError(f"the model written for {str(path)!r} could not be read back, so "
                             f"{str(path)!r} was left as it was: {exc}") from None

    check_savable(model)
    with atomic_file(path, check=readable) as f:
        write(model, f, meta)
    return path


def check_savable(model) -> None:
    """Refuse a model that :func:`load` could not read back: NaN or inf in a parameter
    or state array (naming the layer, the array and the index), or a layer whose class
    is not registered (so its config cannot be rebuilt)."""
    from .layer import registry

    for i, layer in enumerate(model.layers):
        name = type(layer).__name__
        cls = layer.config().get("class")
        if cls not in registry:
            raise ValueError(f"cannot save layer {i} ({name}): its class {cls!r} is not registered, "
                             f"so the file could not be loaded; register it with mlplab.nn.layer.register")
        for kind, arrays in (("parameter", layer.params), ("state", layer.state)):
            for key, arr in arrays.items():
                bad = ~np.isfinite(arr)
                if bad.any():
                    where = tuple(int(k) for k in np.argwhere(bad)[0])
                    reps = len(arr.shape) - 2
                    replica = f" of replica {where[:reps] if reps > 1 else where[0]}" if reps else ""
                    raise ValueError(
                        f"cannot save: layer {i} ({name}) {kind} {key!r}{replica} holds "
                        f"{arr[where].item()} at index {where} ({int(bad.sum())} of {arr.size} values "
                        f"are NaN or inf; did training diverge?); a model with non-finite weights "
                        f"cannot be used or loaded, so nothing was written")


def write(model, file, meta: dict | None = None) -> None:
    """Write ``model`` in the ``.npz`` layout above to an open binary ``file``
    (refusing what :func:`check_savable` refuses)."""
    meta = model.meta if meta is None else meta
    check_savable(model)
    try:
        header = json.dumps({"format": FORMAT, "version": VERSION, "model": model.config(),
                             "meta": meta})
    except (TypeError, ValueError) as exc:
        raise TypeError(f"meta must be JSON-serialisable: {exc}") from None
    arrays = {_HEADER: np.array(header)}
    arrays.update({f"param/{name}": p for name, p, _ in model.named_parameters()})
    arrays.update({f"state/{name}": s for name, s in model.named_state()})
    np.savez(file, **arrays)


#: the most layers a model file may declare
MAX_LAYERS = 10_000


def _some(names, k=5):
    names = sorted(names)
    return f"{names[:k]}" + (f" and {len(names) - k} more" if len(names) > k else "")


def _numbers_needed(cfg: dict) -> tuple[int, str]:
    """How many numbers a layer config asks for (params and state), computed from its
    sizes without allocating anything, and a short description (``"2 x 3 weights"``)."""
    from . import _validate

    cls = cfg.get("class")
    reps = 1
    for r in _validate.replicas("replicas", cfg.get("replicas")):
        reps *= r
    if cls == "Dense":
        fan_in = _validate.positive_int("fan_in", cfg.get("fan_in"))
        fan_out = _validate.positive_int("fan_out", cfg.get("fan_out"))
        bias = cfg.get("bias", True)
        return reps * (fan_in * fan_out + (fan_out if bias else 0)), f"{fan_in} x {fan_out} weights"
    if cls == "BatchNorm":
        n = _validate.positive_int("n_features", cfg.get("n_features"))
        return reps * 4 * n, f"{n} features"
    return 0, "no numbers"


def _check_sizes(config, arrays: dict, where: str) -> None:
    """Check the sizes a model config declares against the arrays the file holds, before
    anything is built: a config asking for a 10**9 x 10**9 Dense, a negative width, or
    more layers than :data:`MAX_LAYERS` is refused naming the layer."""
    layers = config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layers, list):
        raise ValueError(f"{where} has a damaged model config: 'layers' must be a list; "
                         f"received {str(layers)[:80]}")
    if len(layers) > MAX_LAYERS:
        raise ValueError(f"{where}: the model config declares {len(layers)} layers; the limit is "
                         f"{MAX_LAYERS}")
    held: dict[str, int] = {}
    for key, arr in arrays.items():
        layer = key.partition("/")[2].partition(".")[0]
        held[layer] = held.get(layer, 0) + arr.size
    for i, cfg in enumerate(layers):
        if not isinstance(cfg, dict):
            raise ValueError(f"{where}: layer {i} of the model config must be an object with a "
                             f"'class'; received {str(cfg)[:80]!r}")
        cls = cfg.get("class")
        try:
            need, what = _numbers_needed(cfg)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{where}: layer {i} ({cls}) of the model config: {exc}") from None
        have = held.get(str(i), 0)
        if need > have:  # (fewer is caught, array by array, once the model is built)
            raise ValueError(f"{where}: layer {i} ({cls}) of the model config asks for {what} "
                             f"({need} numbers), but the file holds only {have} for it; "
                             "the file is damaged or was edited")


def _read_arrays(path: Path, where: str) -> dict:
    """Every ``.npy`` entry of the archive, each refused before it is read when its header
    declares more bytes than the entry holds (a forged shape must not allocate terabytes)."""
    from numpy.lib import format as npy

    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
            with archive.open(info) as f:
                version = npy.read_magic(f)
                read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
                shape, _, dtype = read_header(f)
                declared = math.prod(shape) * dtype.itemsize
                if declared > info.file_size:
                    raise ValueError(f"{where}: array {key!r} declares shape {shape} ({declared} bytes) "
                                     f"but the file holds {info.file_size} bytes for it")
            with archive.open(info) as f:
                arrays[key] = npy.read_array(f, allow_pickle=False)
    return arrays


def load(path):
    """Read a model written by :func:`save`.

    Everything is checked before the model is built and returned: the file is an
    ``.npz`` archive with an mlplab header, the config's sizes match the arrays held
    (so a config asking for absurd sizes allocates nothing), and every array has the
    config's name, shape and dtype and finite values. Anything else raises
    ``ValueError`` naming the file; a missing file ``FileNotFoundError``; a directory
    ``IsADirectoryError``.
    """
    from .sequential import Sequential

    path = Path(path)
    where = repr(str(path))
    if path.is_dir():
        raise IsADirectoryError(f"{where} is a directory, not a model file")
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {where}")
    with open(path, "rb") as f:  # (permission denied and the like surface here, as OSError)
        magic = f.read(4)
    if magic not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise ValueError(f"{where} is not a readable mlplab model file: it is not an .npz (zip) archive "
                         "(truncated, damaged, or another kind of file)")
    try:
        arrays = _read_arrays(path, where)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(where):
            raise
        raise ValueError(
            f"{where} is not a readable mlplab model file (.npz): {exc}"
        ) from None
    if _HEADER not in arrays:
        raise ValueError(f"{where} is an .npz file but not an mlplab model (no {_HEADER} entry)")
    try:
        header = json.loads(str(arrays.pop(_HEADER)))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where} has a damaged model header: {exc}") from None
    except RecursionError:
        raise ValueError(f"{where} has a damaged model header: nested too deeply") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(f"{where} is not an mlplab model (format {header!r:.80})")
    if header.get("version") != VERSION:
        raise ValueError(
            f"{where} is an mlplab model of format version {header.get('version')!r}; "
            f"this mlplab reads version {VERSION}"
        )
    meta = header.get("meta") or {}
    if not isinstance(meta, dict):
        raise ValueError(f"{where} has a damaged model header: meta must be an object; "
                         f"received {type(meta).__name__}")
    _check_sizes(header.get("model"), arrays, where)
    try:
        model = Sequential.from_config(header["model"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where} has a model config this mlplab cannot build: {exc}") from None
    expected = {f"param/{n}": p for n, p, _ in model.named_parameters()}
    expected.update({f"state/{n}": s for n, s in model.named_state()})
    if set(expected) != set(arrays):
        missing, extra = set(expected) - set(arrays), set(arrays) - set(expected)
        raise ValueError(f"{where} does not match its config: missing {_some(missing)}, "
                         f"unexpected {_some(extra)}")
    for key, target in expected.items():
        got = arrays[key]
        if got.shape != target.shape or got.dtype != target.dtype:
            raise ValueError(
                f"{where}: array {key!r} has shape {got.shape} and dtype {got.dtype}; "
                f"the config needs shape {target.shape} and dtype {target.dtype}"
            )
        if not np.isfinite(got).all():
            raise ValueError(f"{where}: array {key!r} holds NaN or inf")
    for key, target in expected.items():
        target[...] = arrays[key]
    model.meta = meta
    return model
