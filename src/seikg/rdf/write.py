"""The one writer: every file the command writes goes through :func:`open_output`
(:func:`atomic_write` for bytes in hand, :func:`open_text_output` to stream text).

What a target is decides how it is written:

* a new file, or an existing **regular file**: written to a temporary file in
  the same folder, flushed and synced, then renamed over the target, so the
  target is either the old file or the whole new one, never a part.  The
  temporary file is removed on every failure (an error, ``KeyboardInterrupt``,
  ``SIGTERM``); only ``SIGKILL`` or a power cut can leave one behind, as a
  hidden ``.NAME.*.tmp`` next to the target, and the target itself is intact
  even then.  A file that is replaced keeps its mode (and, where allowed, its
  owner); a new file gets the mode the umask gives;
* a **symbolic link** to a file: written through, to its target (the link
  stays a link); a dangling link is refused;
* a regular file with **more than one hard link**: refused.  Renaming over it
  would cut it off from its other names, and writing into it in place could
  leave it half written;
* a **character device** (``/dev/null``, ``/dev/full``, a terminal) or a **named
  pipe**: written directly, never renamed over (``-o /dev/null`` discards;
  ``/dev/full`` fails with "no space left on device", exit 2).  A pipe nobody
  reads from is refused instead of waited on;
* a folder, a block device or a socket: refused;
* ``-``: standard output.

Every refusal and write error is a :class:`BadInputError` (exit 2) naming the
target.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from seikg.errors import BadInputError

STDOUT = "-"


def atomic_write(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` as :func:`open_output` does; the old file stays intact
    on any failure.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(target, b"one")
    >>> target.read_bytes()
    b'one'
    """
    with open_output(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def open_text_output(path: Path | str) -> Iterator[TextIO]:
    """:func:`open_output` for text: UTF-8, ``\\n`` line ends."""
    with open_output(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()


@contextlib.contextmanager
def open_output(path: Path | str) -> Iterator[BinaryIO]:
    """A binary handle to write ``path`` with, committed when the block ends without error.

    On a regular file (or a new one), what was written replaces the target only
    at the end, in one rename; on an error the target is untouched and the
    temporary file removed.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with open_output(target) as handle:
    ...     _ = handle.write(b"two")
    >>> target.read_bytes()
    b'two'
    """
    name = str(path)
    if name == STDOUT:
        yield _StdoutSink(sys.stdout.buffer)  # type: ignore[misc]
        return
    target, info = _resolve(Path(path))
    if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        with _stream_output(target, name) as handle:
            yield handle
        return
    with _replacing_output(target, info, name) as handle:
        yield handle


def _resolve(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file to write (a link's target) and what it is now (None: it does not exist)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise BadInputError(f"cannot write: {_reason(exc)}", path=path) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        try:
            info = os.stat(target)
        except FileNotFoundError:
            raise BadInputError(
                "is a dangling symbolic link; refusing to write through it", path=path
            ) from None
        except OSError as exc:
            raise BadInputError(f"cannot write: {_reason(exc)}", path=path) from None
    else:
        target = path
    if info is None:
        if not target.parent.is_dir():
            raise BadInputError("the folder to write into does not exist", path=path)
        return target, None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise BadInputError("is a folder; give a file name to write to", path=path)
    if stat.S_ISBLK(mode):
        raise BadInputError("is a block device (a disk); refusing to write to it", path=path)
    if stat.S_ISSOCK(mode):
        raise BadInputError("is a socket; refusing to write to it", path=path)
    if stat.S_ISREG(mode) and info.st_nlink > 1:
        raise BadInputError(
            f"has {info.st_nlink} hard links; replacing it would cut it off from its other "
            "names and writing it in place could leave it half written: remove the other "
            "links or write elsewhere",
            path=path,
        )
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise BadInputError("is not a regular file; refusing to write to it", path=path)
    return target, info


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


class _Sink(io.RawIOBase):
    """A write-only, buffered file on a descriptor whose write errors are one clear line.

    Closing it drops what was not flushed: only an explicit :meth:`flush` writes,
    so an unfinished output is never completed by the garbage collector.
    """

    def __init__(self, fd: int, name: str, size: int = 1 << 16) -> None:
        self.fd = fd
        self.shown = name
        self.size = size
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        if self.closed:
            raise ValueError("write to a closed output")
        chunk = bytes(data)  # type: ignore[call-overload]
        self.pending += chunk
        if len(self.pending) >= self.size:
            self._drain()
        return len(chunk)

    def flush(self) -> None:
        if not self.closed:
            self._drain()

    def _drain(self) -> None:
        data, self.pending = bytes(self.pending), bytearray()
        view = memoryview(data)
        done = 0
        while done < len(view):
            try:
                done += os.write(self.fd, view[done:])
            except OSError as exc:
                raise BadInputError(f"cannot write: {_reason(exc)}", path=self.shown) from None

    def close(self) -> None:
        self.pending = bytearray()
        super().close()


class _StdoutSink(io.RawIOBase):
    """Standard output as a target: written and flushed, never closed."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        self.stream.write(bytes(data))  # type: ignore[call-overload]
        self.stream.flush()
        return len(memoryview(data))  # type: ignore[arg-type]


@contextlib.contextmanager
def _stream_output(target: Path, name: str) -> Iterator[BinaryIO]:
    """A character device or a named pipe: opened as it is (no create, no truncate)."""
    flags = os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY | os.O_NONBLOCK
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise BadInputError(
                "is a named pipe nothing reads from; refusing to wait on it", path=name
            ) from None
        raise BadInputError(f"cannot write: {_reason(exc)}", path=name) from None
    try:
        info = os.fstat(fd)
        if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise BadInputError("changed while it was opened; refusing to write", path=name)
        os.set_blocking(fd, True)
        sink = _Sink(fd, name)
        try:
            yield sink  # type: ignore[misc]
            sink.flush()
        finally:
            sink.close()
    finally:
        os.close(fd)


@contextlib.contextmanager
def _replacing_output(target: Path, info: os.stat_result | None, name: str) -> Iterator[BinaryIO]:
    folder = target.parent
    with _sigterm_as_exit():
        fd, temporary = _temporary(folder, target.name, name)
        try:
            if info is not None:
                _keep_mode(fd, info)
            sink = _Sink(fd, name)
            try:
                yield sink  # type: ignore[misc]
                sink.flush()
            finally:
                sink.close()
            try:
                os.fsync(fd)
                os.close(fd)
                fd = -1
                os.replace(temporary, target)
            except OSError as exc:
                raise BadInputError(f"cannot write: {_reason(exc)}", path=name) from None
            _sync_folder(folder)
        except BaseException:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _temporary(folder: Path, target_name: str, name: str) -> tuple[int, Path]:
    """Create a hidden temporary file in ``folder`` (mode 0o666 less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOCTTY
    for _attempt in range(100):
        temporary = folder / f".{target_name[:64]}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except OSError as exc:
            raise BadInputError(f"cannot write here: {_reason(exc)}", path=name) from None
    raise BadInputError("cannot write here: no free temporary name", path=name)


def _keep_mode(fd: int, info: os.stat_result) -> None:
    """Give the new file the mode (and, where allowed, the owner) of the one it replaces."""
    with contextlib.suppress(OSError):
        os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """While a temporary file exists, SIGTERM unwinds (so it is removed) instead of killing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield  # someone else handles SIGTERM; leave it to them
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
