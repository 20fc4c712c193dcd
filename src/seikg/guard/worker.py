"""Run a function in a forked worker process: a deadline, a memory ceiling, one-line failures.

A query that runs past its time limit cannot be interrupted from inside
rdflib or Oxigraph; the worker is killed instead.  The worker

* is killed at ``timeout`` (:class:`~seikg.errors.LimitError`, exit 4);
* may use at most ``Limits.max_memory_mb`` of address space (``RLIMIT_AS``):
  past it, Python raises ``MemoryError`` and native code aborts; both come
  back as a :class:`~seikg.errors.LimitError` (exit 4);
* dies with its parent whatever kills the parent (``PR_SET_PDEATHSIG``);
* runs the function on a thread with a large stack (native parsers and
  engines recurse; the input checks keep them far from its end);
* sends back the warnings it raised, which the parent raises again;
* reports a crash in one line: a Python exception as its type and message
  (:class:`WorkerCrashed`, exit 5; ``details`` holds the traceback for
  ``--debug``), a native crash (a segmentation fault, exit code -11) by its
  signal, and a stack overflow or an allocation failure that native code
  reports on its way down as the limit it is (exit 4).  What native code
  writes to stderr is caught and never reaches the terminal as such.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import ctypes.util
import faulthandler
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from seikg.errors import ExitCode, LimitError, SeiKgError

T = TypeVar("T")

PR_SET_PDEATHSIG = 1
STACK_BYTES = 256 * 1024 * 1024
NATIVE_KEPT = 64 * 1024

_SIGNALS = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGABRT: "aborted",
    signal.SIGBUS: "a bus error",
    signal.SIGILL: "an illegal instruction",
    signal.SIGFPE: "an arithmetic fault",
    signal.SIGKILL: "killed",
}


class WorkerCrashed(SeiKgError):
    """The worker failed in a way no check foresaw: a bug (exit 5), said in one line.

    ``details`` holds what is needed to find it (the worker's traceback, or what
    native code wrote as it crashed), for ``--debug``.
    """

    exit_code = ExitCode.INTERNAL

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.details = details


def run_with_timeout(
    func: Callable[[], T],
    *,
    timeout: float,
    what: str = "the query",
    isolate_network: bool = False,
    started: Callable[[], None] | None = None,
) -> T:
    """Call ``func`` in a forked worker process; kill it and raise LimitError after ``timeout``
    seconds.  ``isolate_network`` first moves the worker into an empty network namespace
    (:func:`seikg.guard.sandbox.isolate_network`), for engines whose native code the audit
    hook cannot watch (an embedded Oxigraph store); a worker that cannot be isolated says so
    in a warning and relies on the audit hook.  ``started`` is called here once the worker
    runs (to close this process's end of a pipe the worker writes into, and read it: a
    thread started before the fork could hold a lock the worker then waits on for ever).

    >>> run_with_timeout(lambda: 6 * 7, timeout=10)
    42
    """
    from seikg.guard.limits import LIMITS

    memory_mb = LIMITS.get().max_memory_mb
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    native_read, native_write = os.pipe()
    process = context.Process(
        target=_child,
        args=(sender, native_write, func, memory_mb, os.getpid(), isolate_network),
        daemon=True,
    )
    try:
        process.start()
    finally:
        sender.close()
        os.close(native_write)
    native = _Drain(native_read)
    outcome: tuple[str, Any, list[tuple[type[Warning], str]]] | None = None
    timed_out = False
    try:
        if started is not None:
            started()
        if receiver.poll(timeout):
            with contextlib.suppress(EOFError):
                outcome = pickle.loads(receiver.recv_bytes())
            process.join(5)
        else:
            timed_out = True
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
        written = native.finish()
    if timed_out:
        raise LimitError(f"{what} ran longer than the time limit of {timeout:g} s and was stopped")
    if outcome is None:
        raise _crash(what, process.exitcode, written, memory_mb)
    status, value, notes = outcome
    for category, message in notes:
        warnings.warn(message, category, stacklevel=2)
    if written.strip() and status in ("ok", "error"):
        sys.stderr.write(written)  # native code had something to say; do not hide it
    if status == "ok":
        return value  # type: ignore[no-any-return,unused-ignore]
    if status == "error":
        raise value
    if status == "memory":
        raise _memory_error(what, memory_mb)
    if status == "recursion":
        raise LimitError(f"{what} recursed too deeply and was stopped; simplify it")
    summary, details = value
    raise WorkerCrashed(
        f"{what} failed in its worker: {summary} (a bug: run again with --debug for the "
        "traceback, and report it)",
        details=details,
    )


@contextlib.contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Stop the work inside after ``seconds`` with :class:`LimitError`, in this process.

    For work that must stay in the command's own process (a load writes to the store the
    command opened): a real-time alarm interrupts a blocking read of a slow endpoint and
    the load stops with one line.  Native code that holds the interpreter (a bulk load
    into Oxigraph) is stopped as soon as it returns; an Oxigraph load left unfinished is
    recorded as such and refused later.  Outside the main thread nothing is armed.

    >>> with deadline(5, "the load"):
    ...     6 * 7
    42
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise LimitError(f"{what} ran longer than the time limit of {seconds:g} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _memory_error(what: str, memory_mb: int) -> LimitError:
    return LimitError(
        f"{what} needed more memory than the limit of {memory_mb:,} MB and was stopped"
    )


def _crash(what: str, exitcode: int | None, written: str, memory_mb: int) -> SeiKgError:
    """One line for a worker that died without a word (a native crash, a kill)."""
    lowered = written.lower()
    if "memory allocation of" in lowered or "memoryerror" in lowered or "out of memory" in lowered:
        return _memory_error(what, memory_mb)
    if "overflowed its stack" in lowered or "stack overflow" in lowered:
        return LimitError(f"{what} recursed too deeply in native code and was stopped; simplify it")
    if exitcode is not None and exitcode < 0:
        try:
            number = signal.Signals(-exitcode)
            how = f"{number.name}, {_SIGNALS.get(number, 'a signal')}"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit code {exitcode}"
    return WorkerCrashed(
        f"{what} crashed in its worker ({how}); this is a bug: run again with --debug and "
        "report it",
        details=written,
    )


class _Drain:
    """Reads what the worker writes to its file descriptor 2, keeping the last 64 kB."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.kept = bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.kept += chunk
            if len(self.kept) > NATIVE_KEPT:
                del self.kept[: len(self.kept) - NATIVE_KEPT]

    def finish(self) -> str:
        self.thread.join(2)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        return bytes(self.kept).decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# In the worker


def _child(
    conn: Any,
    native_fd: int,
    func: Callable[[], Any],
    memory_mb: int,
    parent: int,
    isolate: bool,
) -> None:
    # What the worker inherited from its parent is never collected here: freeing a
    # parent's store (a database with threads of its own, absent in a forked child)
    # would abort the worker.
    gc.freeze()
    _die_with_parent(parent)
    _catch_native_stderr(native_fd)
    _cap_memory(memory_mb)
    with warnings.catch_warnings(record=True) as caught:
        try:
            if isolate:
                _isolate()
            payload: tuple[str, Any] = ("ok", _on_big_stack(func))
        except SeiKgError as exc:
            payload = ("error", exc)
        except MemoryError:
            payload = ("memory", None)
        except RecursionError:
            payload = ("recursion", None)
        except BaseException as exc:  # reported to the parent, which says it in one line
            first = (str(exc).strip().splitlines() or [""])[0][:300]
            summary = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
            payload = ("crash", (summary, traceback.format_exc()))
    notes = [(_picklable(w.category), str(w.message)) for w in caught]
    try:
        message = pickle.dumps((*payload, notes))
    except Exception as exc:
        message = pickle.dumps(("crash", (f"cannot return the result: {exc}", ""), notes))
    try:
        conn.send_bytes(message)
    finally:
        conn.close()


def _picklable(category: type[Warning]) -> type[Warning]:
    try:
        pickle.dumps(category)
    except Exception:
        return UserWarning
    return category


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies, however it dies."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took hold
        os._exit(1)


def _catch_native_stderr(native_fd: int) -> None:
    """Send what native code writes to fd 2 (and a fatal error's dump) to the parent's pipe;
    Python's own ``sys.stderr`` (progress bars) keeps writing where it did."""
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        on_fd2 = sys.stderr.fileno() == 2
    except (AttributeError, OSError, ValueError):
        on_fd2 = False
    if on_fd2:
        kept = os.dup(2)
        sys.stderr = open(  # noqa: SIM115 (lives as long as the worker)
            kept, "w", buffering=1, encoding="utf-8", errors="backslashreplace", closefd=True
        )
    os.dup2(native_fd, 2)
    os.close(native_fd)
    faulthandler.enable(file=2, all_threads=True)


def _cap_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _isolate() -> None:
    from seikg.guard.sandbox import Isolation, isolate_network

    how, why = isolate_network()
    if how is Isolation.NONE:
        warnings.warn(why, RuntimeWarning, stacklevel=2)


def _on_big_stack(func: Callable[[], Any]) -> Any:
    """Call ``func`` on a thread with a large stack, in this thread's context (the limits and
    the network policy are context variables); fall back to this thread."""
    result: dict[str, Any] = {}
    context = contextvars.copy_context()

    def run() -> None:
        try:
            result["value"] = context.run(func)
        except BaseException as exc:
            result["error"] = exc

    try:
        previous = threading.stack_size(STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="seikg-worker", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    except (RuntimeError, ValueError, MemoryError):
        return func()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
