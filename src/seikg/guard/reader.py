"""The one reader: every user file the package reads comes through :func:`read_limited`.

An input is a regular file or standard input (``-``).  A folder, a named pipe,
a device or a socket is refused with one line (exit 2) before anything reads
from it, and without waiting: the kind is taken from ``os.stat`` and the file
is opened with ``O_NONBLOCK``, then checked again on the open descriptor (so a
file swapped for a pipe in between is caught too).  Bytes are counted as they
are read, so standard input, or a file that grows while it is read, stops at
the input limit (exit 4) whatever its size said.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from contextvars import ContextVar
from pathlib import Path

from seikg.errors import BadInputError, LimitError

STDIN = "-"
CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file; refusing to read it"),
    (stat.S_ISCHR, "is a character device, not a regular file; refusing to read it"),
    (stat.S_ISBLK, "is a block device, not a regular file; refusing to read it"),
    (stat.S_ISSOCK, "is a socket, not a regular file; refusing to read it"),
)


def is_stdin(path: Path | str) -> bool:
    """Whether a path names standard input (``-``).

    >>> is_stdin("-"), is_stdin("a.ttl")
    (True, False)
    """
    return str(path) == STDIN


def display_name(path: Path | str) -> str:
    """How an input is named in messages: ``<stdin>`` for ``-``, else the path as given."""
    return "<stdin>" if is_stdin(path) else str(path)


def _refuse_kind(mode: int, path: Path | str) -> None:
    for test, reason in _KINDS:
        if test(mode):
            raise BadInputError(reason, path=path)
    if not stat.S_ISREG(mode):
        raise BadInputError("is not a regular file; refusing to read it", path=path)


def _too_large(name: str, size: int, limit: int, *, read: bool = False) -> LimitError:
    said = f"more than {limit:,} bytes" if read else f"{size:,} bytes"
    return LimitError(
        f"{name}: {said} is more than the input limit of {limit:,} bytes (--max-input-mb)"
    )


def check_regular(path: Path | str, *, limit: int | None = None) -> os.stat_result:
    """Stat a file and refuse anything but a regular file, or one larger than ``limit``.

    Nothing is opened: for callers that hand the path to another reader
    (Oxigraph's parser reads large N-Triples files by path).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise BadInputError("no such file", path=path) from None
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    _refuse_kind(info.st_mode, path)
    if limit is not None and info.st_size > limit:
        raise _too_large(str(path), info.st_size, limit)
    return info


_READ_STDIN: ContextVar[bytes | None] = ContextVar("seikg_read_stdin", default=None)


def read_stdin_now() -> None:
    """Read standard input here, within the limit, for work done in a worker process later
    (a forked worker's standard input is closed); :func:`read_limited` then gives those bytes."""
    _READ_STDIN.set(read_limited("-"))


def read_limited(path: Path | str, *, limit: int | None = None) -> bytes:
    """Read a regular file, or standard input for ``-``, refusing more than ``limit`` bytes.

    ``limit`` defaults to the input limit of the command (``--max-input-mb``).

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> read_limited(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: /...: is a folder, not a file
    """
    if limit is None:
        from seikg.guard.limits import LIMITS

        limit = LIMITS.get().max_input_bytes
    if is_stdin(path):
        already = _READ_STDIN.get()
        if already is not None:
            return already
        return _read_stream(sys.stdin.buffer.fileno() if _has_fd() else None, limit)
    check_regular(path, limit=limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        info = os.fstat(fd)
        _refuse_kind(info.st_mode, path)  # swapped between stat and open
        if info.st_size > limit:
            raise _too_large(str(path), info.st_size, limit)
        return _read_fd(fd, limit, name=str(path))
    finally:
        os.close(fd)


def _has_fd() -> bool:
    try:
        sys.stdin.buffer.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _read_stream(fd: int | None, limit: int) -> bytes:
    if fd is not None:
        return _read_fd(fd, limit, name="<stdin>")
    chunks: list[bytes] = []
    total = 0
    while True:  # a standard input without a descriptor (tests, embedding programs)
        chunk = sys.stdin.buffer.read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _too_large("<stdin>", total, limit, read=True)
        chunks.append(chunk)


def _read_fd(fd: int, limit: int, *, name: str) -> bytes:
    """Read to the end of a descriptor, counting: never more than ``limit`` + one chunk."""
    with contextlib.suppress(OSError):
        os.set_blocking(fd, True)
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
        except OSError as exc:
            raise BadInputError(f"cannot read: {exc.strerror or exc}", path=name) from None
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _too_large(name, total, limit, read=True)
        chunks.append(chunk)
