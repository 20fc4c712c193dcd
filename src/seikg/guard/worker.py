"""Run a function in a forked worker process with a time limit.

A query that runs past its time limit cannot be interrupted from inside
rdflib; the worker is killed instead, and the caller gets a
:class:`seikg.errors.LimitError`.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import traceback
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from seikg.errors import LimitError, SeiKgError

T = TypeVar("T")


class WorkerCrash(RuntimeError):
    """The work failed inside the worker with an error that is not the project's own (a bug).

    Its text is one line (the error's type and message); ``trace`` keeps the
    worker's traceback for ``--debug``.
    """

    def __init__(self, summary: str, trace: str = "") -> None:
        super().__init__(summary)
        self.trace = trace


def _child(conn: Any, func: Callable[[], Any]) -> None:
    from seikg.guard.inputs import InputWarning

    # What the worker inherited from its parent is never collected here: freeing a
    # parent's store (a database with threads of its own, absent in a forked child)
    # would abort the worker.
    gc.freeze()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            payload: tuple[Any, ...] = ("ok", func())
        except SeiKgError as exc:
            payload = ("error", exc)
        except BaseException as exc:  # reported to the parent, which decides
            payload = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    notes = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    payload = (*payload, notes)
    try:
        conn.send_bytes(pickle.dumps(payload))
    except Exception as exc:
        failure = (f"cannot return the result: {exc}", traceback.format_exc())
        conn.send_bytes(pickle.dumps(("crash", failure, notes)))
    finally:
        conn.close()


def run_with_timeout(func: Callable[[], T], *, timeout: float, what: str = "the query") -> T:
    """Call ``func`` in a forked process; kill it and raise LimitError after ``timeout`` seconds.

    >>> run_with_timeout(lambda: 6 * 7, timeout=10)
    42
    """
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, func), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            process.join()
            raise LimitError(
                f"{what} ran longer than the time limit of {timeout:g} s and was stopped"
            )
        status, value, notes = pickle.loads(parent.recv_bytes())
    except EOFError:
        process.join()
        raise WorkerCrash(f"{what} failed in its worker (exit code {process.exitcode})") from None
    finally:
        parent.close()
    process.join()
    from seikg.guard.inputs import InputWarning

    for note in notes:  # warnings the worker raised, for the parent to show
        warnings.warn(note, InputWarning, stacklevel=2)
    if status == "ok":
        return value  # type: ignore[no-any-return,unused-ignore]
    if status == "error":
        raise value
    summary, trace = value
    raise WorkerCrash(summary, trace)
