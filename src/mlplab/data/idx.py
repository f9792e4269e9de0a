"""The IDX file format of MNIST and Fashion-MNIST.

An IDX file is a big-endian header followed by the raw array:

    bytes 0-1  zero
    byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
               0x0D float32, 0x0E float64
    byte  3    number of dimensions d
    then d big-endian uint32 sizes, then prod(sizes) elements (big-endian).

MNIST's images are magic 2051 (uint8, 3 dimensions), its labels magic 2049
(uint8, 1 dimension). Files may be gzip-compressed (``.gz``).
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class IDXError(ValueError):
    """A file that is not valid IDX (bad magic, truncated, wrong size)."""


#: the most dimensions and bytes an IDX header may promise (MNIST: 3 and 47 MB)
MAX_DIMS = 8
MAX_BYTES = 2**31


def _header(head: bytes, name: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """``(shape, dtype, header length)`` from the first bytes of an IDX file, checked
    before anything the header promises is read or allocated."""
    if len(head) < 4:
        raise IDXError(f"{name}: {len(head)} bytes is too short for an IDX header")
    zero, code, ndim = struct.unpack(">HBB", head[:4])
    if zero != 0 or code not in _TYPES or ndim == 0:
        raise IDXError(f"{name}: bad IDX magic number {int.from_bytes(head[:4], 'big')} "
                       "(expected 2049 for labels or 2051 for images)")
    if ndim > MAX_DIMS:
        raise IDXError(f"{name}: the IDX header declares {ndim} dimensions; at most {MAX_DIMS} "
                       "are accepted (the file is damaged or is not IDX)")
    header = 4 + 4 * ndim
    if len(head) < header:
        raise IDXError(f"{name}: truncated IDX header ({len(head)} of {header} bytes)")
    shape = struct.unpack(f">{ndim}I", head[4:header])
    dtype = np.dtype(_TYPES[code])
    size = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
    if size > MAX_BYTES:
        raise IDXError(f"{name}: the IDX header promises shape {shape} ({size} bytes); at most "
                       f"{MAX_BYTES} bytes are accepted (the file is damaged or is not IDX)")
    return shape, dtype, header


def parse_idx(raw: bytes, name: str = "data") -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into an array."""
    shape, dtype, header = _header(raw[:4 + 4 * MAX_DIMS], name)
    expected = header + math.prod(shape) * dtype.itemsize
    if len(raw) != expected:
        raise IDXError(f"{name}: the header promises shape {shape} ({expected} bytes) but the "
                       f"file holds {len(raw)} bytes: {'truncated' if len(raw) < expected else 'extra data'}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path) -> np.ndarray:
    """Read an IDX file, gzip-compressed or raw (decided by the first bytes).

    The header is read and checked first (:data:`MAX_DIMS`, :data:`MAX_BYTES`), then at
    most the promised number of bytes (plus one, to notice extra data): a damaged header
    or a gzip bomb cannot make this allocate more than the header honestly promises.
    """
    path = Path(path)
    if path.is_dir():
        raise IDXError(f"{path}: is a directory, not an IDX file")
    with open(path, "rb") as raw_file:
        gz = raw_file.read(2) == b"\x1f\x8b"
        raw_file.seek(0)
        f = gzip.GzipFile(fileobj=raw_file) if gz else raw_file
        try:
            head = f.read(4 + 4 * MAX_DIMS)
            shape, dtype, header = _header(head, str(path))
            promised = header + math.prod(shape) * dtype.itemsize
            raw = head + f.read(max(promised - len(head), 0) + 1)  # + 1: notice extra data
        except (OSError, EOFError, zlib.error) as exc:
            raise IDXError(f"{path}: damaged gzip data ({exc})") from None
    return parse_idx(raw, str(path))


def write_idx(path, array: np.ndarray, compress: bool | None = None) -> Path:
    """Write ``array`` as IDX (gzip-compressed when the name ends in ``.gz``)."""
    path = Path(path)
    array = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in _TYPES.items()}
    code = codes.get(array.dtype)
    if code is None:
        raise ValueError(f"array dtype {array.dtype} has no IDX type code")
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    raw = header + array.astype(_TYPES[code]).tobytes()
    if compress if compress is not None else path.suffix == ".gz":
        raw = gzip.compress(raw)
    path.write_bytes(raw)
    return path
