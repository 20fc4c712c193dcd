"""The one writer: every file the command writes goes through :func:`atomic_write`.

Files are written to a temporary file in the target's folder, synced, then
renamed over the target, so a failed write never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from seikg.errors import BadInputError


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: temporary file, fsync, rename.

    A folder, a dangling symbolic link or a missing parent folder is refused
    with :class:`BadInputError`; the old file stays intact on any failure.
    """
    path = Path(path)
    if path.is_dir():
        raise BadInputError("is a folder; give a file name to write to", path=path)
    if path.is_symlink() and not path.exists():
        raise BadInputError("is a dangling symbolic link; refusing to write through it", path=path)
    parent = path.resolve().parent
    if not parent.is_dir():
        raise BadInputError("the folder to write into does not exist", path=path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise BadInputError(f"cannot write here: {exc.strerror}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path.resolve())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise BadInputError(f"cannot write: {exc.strerror}", path=path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
