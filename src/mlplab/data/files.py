"""Finding, verifying and downloading data files.

Files are looked for, in order, in

1. the ``directory`` the caller names,
2. ``$MLPLAB_DATA`` (and its sub-folder named after the dataset),
3. the cache, ``$MLPLAB_CACHE`` or ``~/.cache/mlplab`` (and the same sub-folder).

Downloads go to the cache through a temporary file that is renamed into place only
once its checksum is right, so an interrupted or broken download never leaves a
file that looks complete.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import urllib.request
from pathlib import Path

from ..nn._atomic import atomic_file


class DataNotFoundError(FileNotFoundError):
    """The files of a dataset are not on this machine (and could not be fetched)."""


def read_text(path, what: str = "file") -> str:
    """The UTF-8 text of ``path`` (a leading byte-order mark is dropped).

    A file that is not UTF-8 raises ``ValueError`` naming the file, the byte, its
    offset and its line, e.g. ``data.csv: not UTF-8 text: byte 0xe9 at offset 23
    (line 3) ...``, instead of a bare ``UnicodeDecodeError``.
    """
    path = Path(path)
    raw = path.read_bytes()
    bom = b"\xef\xbb\xbf"
    skip = len(bom) if raw.startswith(bom) else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        raise ValueError(
            f"{path}: the {what} is not UTF-8 text: byte 0x{raw[offset]:02x} at offset {offset} "
            f"(line {line}, column {column}) cannot be decoded ({exc.reason}); save it as UTF-8 "
            f"(a spreadsheet's 'CSV UTF-8' option, or iconv -f latin1 -t utf-8)"
        ) from None


def cache_dir() -> Path:
    """Where downloads go: ``$MLPLAB_CACHE`` or ``~/.cache/mlplab``."""
    return Path(os.environ.get("MLPLAB_CACHE") or Path.home() / ".cache" / "mlplab")


def search_dirs(dataset: str, directory=None) -> list[Path]:
    """The folders searched for ``dataset``'s files, in order."""
    dirs = []
    if directory is not None:
        dirs += [Path(directory), Path(directory) / dataset]
    if os.environ.get("MLPLAB_DATA"):
        root = Path(os.environ["MLPLAB_DATA"])
        dirs += [root, root / dataset]
    dirs += [cache_dir() / dataset]
    return dirs


def md5sum(path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find(filename: str, dataset: str, directory=None, md5: str | None = None) -> Path | None:
    """The first ``filename`` in the search folders whose checksum is right.

    A file with the right name but the wrong checksum raises ``ValueError`` (it is
    damaged or another dataset's), rather than being silently skipped.
    """
    for folder in search_dirs(dataset, directory):
        path = folder / filename
        if path.is_file():
            if md5 is not None and md5sum(path) != md5:
                raise ValueError(
                    f"{path} has the wrong checksum (md5 {md5sum(path)}, expected {md5}): "
                    "the file is damaged or is not the original; delete it and fetch it again"
                )
            return path
    return None


def download(url: str, dest, md5: str | None = None, *, progress=True, timeout: float = 30.0) -> Path:
    """Fetch ``url`` to ``dest`` atomically, checking ``md5`` before the file appears.

    The bytes go to a temporary file beside ``dest``; it is renamed to ``dest`` only
    when the transfer finished, its length matches the server's, and its checksum is
    right. On any failure the temporary file is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    stream = sys.stderr if progress is True else progress or None
    with atomic_file(dest) as out, urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0)
        done, last = 0, 0.0
        digest = hashlib.md5()
        while True:
            block = response.read(1 << 16)
            if not block:
                break
            out.write(block)
            digest.update(block)
            done += len(block)
            if stream and time.monotonic() - last > 0.2:
                last = time.monotonic()
                _report(stream, dest.name, done, total)
        if stream:
            _report(stream, dest.name, done, total, end="\n")
        if total and done != total:
            raise OSError(f"download of {url} stopped at {done} of {total} bytes")
        if md5 is not None and digest.hexdigest() != md5:
            raise OSError(f"download of {url} has md5 {digest.hexdigest()}, expected {md5}")
    return dest


def _report(stream, name, done, total, end="\r"):
    if total:
        text = f"downloading {name}: {100 * done / total:5.1f}% of {total / 1e6:.1f} MB"
    else:
        text = f"downloading {name}: {done / 1e6:.1f} MB"
    print(text, end=end, file=stream, flush=True)


def locate(files: dict, dataset: str, urls: list[str], directory=None, fetch: bool = True,
           progress=True) -> dict[str, Path]:
    """Paths of every file in ``files`` (name -> md5), downloading missing ones.

    Raises :class:`DataNotFoundError` naming the folders searched and how to provide
    the files when one is missing and cannot be fetched.
    """
    found, missing = {}, []
    for name, md5 in files.items():
        path = find(name, dataset, directory, md5)
        if path is None:
            missing.append(name)
        else:
            found[name] = path
    errors = []
    if missing and fetch:
        for name in list(missing):
            for base in urls:
                try:
                    found[name] = download(base + name, cache_dir() / dataset / name, files[name],
                                           progress=progress)
                    missing.remove(name)
                    break
                except (OSError, ValueError) as exc:  # network refused, 404, bad checksum
                    errors.append(f"{base + name}: {exc}")
    if missing:
        where = "\n  ".join(str(d) for d in search_dirs(dataset, directory))
        tried = ("\nDownloading failed:\n  " + "\n  ".join(errors[:4])) if errors else ""
        raise DataNotFoundError(
            f"{dataset}: missing {', '.join(missing)}. Looked in:\n  {where}{tried}\n"
            f"Put the files (gzip or raw) in one of those folders, point MLPLAB_DATA at a folder "
            f"holding them (or a '{dataset}' sub-folder), or pass directory=..."
        )
    return found
