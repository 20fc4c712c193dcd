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
    with _sigterm_as_exit():
        pending = _Pending(target, info, name)
        try:
            yield pending.sink  # type: ignore[misc]
            pending.finish()
            pending.commit()
        except BaseException:
            pending.discard()
            raise


class _Pending:
    """A regular target being written: a temporary file in its folder, renamed over the
    target by :meth:`commit` (the old file kept aside by :meth:`keep_old` can be put back
    by :meth:`restore`), or removed by :meth:`discard`."""

    def __init__(self, target: Path, info: os.stat_result | None, name: str) -> None:
        self.target, self.info, self.name = target, info, name
        self.fd, temporary = _temporary(target.parent, target.name, name)
        self.temporary: Path | None = temporary
        self.old: Path | None = None
        try:
            if info is not None:
                _keep_mode(self.fd, info)
        except BaseException:
            self.discard()
            raise
        self.sink = _Sink(self.fd, name)

    def finish(self) -> None:
        """Write what is buffered and sync it: only the rename is left."""
        try:
            self.sink.flush()
        finally:
            self.sink.close()
        try:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1
        except OSError as exc:
            raise BadInputError(f"cannot write: {_reason(exc)}", path=self.name) from None

    def keep_old(self) -> None:
        """Give the file about to be replaced a second, hidden name (to put it back)."""
        if self.info is None:
            return
        for _attempt in range(100):
            old = self.target.parent / f".{self.target.name[:64]}.{secrets.token_hex(4)}.old"
            try:
                os.link(self.target, old)
            except FileExistsError:
                continue
            except OSError as exc:
                raise BadInputError(f"cannot write: {_reason(exc)}", path=self.name) from None
            self.old = old
            return

    def commit(self) -> None:
        assert self.temporary is not None
        try:
            os.replace(self.temporary, self.target)
        except OSError as exc:
            raise BadInputError(f"cannot write: {_reason(exc)}", path=self.name) from None
        self.temporary = None
        _sync_folder(self.target.parent)

    def restore(self) -> None:
        """Undo :meth:`commit`: the old file back, or no file where there was none."""
        with contextlib.suppress(OSError):
            if self.old is not None:
                os.replace(self.old, self.target)
                self.old = None
            elif self.info is None:
                os.unlink(self.target)

    def forget_old(self) -> None:
        if self.old is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.old)
            self.old = None

    def discard(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)
        self.forget_old()


@contextlib.contextmanager
def open_outputs(*paths: Path | str) -> Iterator[list[BinaryIO]]:
    """Handles to write several files that belong together (a data set and its ground
    truth): all of them or none are replaced.

    Every target is checked before anything is written; each regular target is
    written to a temporary file, and the temporary files are renamed only when all
    were written, the files they replace kept aside until every rename succeeded.
    A character device or a pipe among the targets is written directly (it cannot
    be taken back); on any failure no regular target changes.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "b.txt").mkdir()
    >>> with open_outputs(folder / "a.txt", folder / "b.txt") as (a, b):
    ...     pass
    Traceback (most recent call last):
    seikg.errors.BadInputError: ...b.txt: is a folder; give a file name to write to
    >>> sorted(p.name for p in folder.iterdir())
    ['b.txt']
    """
    resolved = [(str(path), *_resolve(Path(path))) for path in paths]  # every check first
    with _sigterm_as_exit(), contextlib.ExitStack() as stack:
        handles: list[BinaryIO] = []
        pending: list[_Pending] = []
        try:
            for name, target, info in resolved:
                if info is not None and (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
                    handles.append(stack.enter_context(_stream_output(target, name)))
                    continue
                pending.append(_Pending(target, info, name))
                handles.append(pending[-1].sink)  # type: ignore[arg-type]
            yield handles
            for handle in handles:  # a device refuses now, before any file is replaced
                handle.flush()
            for item in pending:
                item.finish()
            for item in pending:
                item.keep_old()
            done: list[_Pending] = []
            try:
                for item in pending:
                    item.commit()
                    done.append(item)
            except BaseException:
                for item in reversed(done):
                    item.restore()
                raise
            for item in pending:
                item.forget_old()
        except BaseException:
            for item in pending:
                item.discard()
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
