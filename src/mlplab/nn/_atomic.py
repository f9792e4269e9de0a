"""Writing a file so that it is either complete or absent, and checking a target first."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path, *, create_parents: bool = True, what: str = "file") -> Path:
    """Refuse, before any work is done, a ``path`` that cannot be written as a file.

    - ``path`` is a directory: ``IsADirectoryError``;
    - a component of its parent is a file: ``NotADirectoryError``;
    - its parent does not exist and ``create_parents`` is false: ``FileNotFoundError``;
    - the nearest existing folder is not writable: ``PermissionError``.

    Every message names the path (and the component at fault). Returns ``Path(path)``.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"cannot write the {what} {str(path)!r}: it is a directory; "
                                f"give a file name inside it")
    folder = path.parent
    while not folder.exists():
        if not create_parents:
            raise FileNotFoundError(f"cannot write the {what} {str(path)!r}: the folder "
                                    f"{str(folder)!r} does not exist")
        if folder == folder.parent:
            break
        folder = folder.parent
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"cannot write the {what} {str(path)!r}: {str(folder)!r} is a file, "
                                 f"not a folder")
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"cannot write the {what} {str(path)!r}: no permission to write in "
                              f"{str(folder)!r}")
    return path


@contextmanager
def atomic_file(path, mode: str = "wb", *, check=None, **open_kwargs):
    """Open a temporary file beside ``path``; on success rename it to ``path``.

    If the block raises (or is interrupted), or ``check(temporary_path)`` raises once
    the file is complete, the temporary file is removed and ``path`` keeps whatever
    it held before. The target is checked first (:func:`check_target`): a directory,
    or a parent that is a file, is refused before anything is written. The new file
    gets the usual permissions (0666 less the umask), not mkstemp's private 0600.
    """
    path = check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as f:
            yield f
        if check is not None:
            check(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
