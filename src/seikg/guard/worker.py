"""Run a function in a forked worker process with a time limit.

A query that runs past its time limit cannot be interrupted from inside
rdflib; the worker is killed instead, and the caller gets a
:class:`seikg.errors.LimitError`.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from seikg.errors import LimitError, SeiKgError

T = TypeVar("T")


def _child(conn: Any, func: Callable[[], Any]) -> None:
    try:
        payload = ("ok", func())
    except SeiKgError as exc:
        payload = ("error", exc)
    except BaseException as exc:  # reported to the parent, which decides
        payload = ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    try:
        conn.send_bytes(pickle.dumps(payload))
    except Exception as exc:
        conn.send_bytes(pickle.dumps(("crash", f"cannot return the result: {exc}")))
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
        status, value = pickle.loads(parent.recv_bytes())
    except EOFError:
        process.join()
        raise RuntimeError(f"{what} failed in its worker (exit code {process.exitcode})") from None
    finally:
        parent.close()
    process.join()
    if status == "ok":
        return value  # type: ignore[no-any-return,unused-ignore]
    if status == "error":
        raise value
    raise RuntimeError(value)
