"""Worker processes with deadlines: a runaway query is killed, never waited for.

Every piece of work that touches the graph (a query, a page, a graph for the
Graph Store Protocol, the validation report) runs as a *job* in one of a few
forked worker processes.  The server process only speaks HTTP.  When a job
runs past its deadline its worker is killed (SIGKILL) and a fresh one forked
in its place, and the caller gets a :class:`Deadline` (a LimitError); other
workers keep answering meanwhile.  The number of jobs in flight (running or
waiting for a worker) is bounded: beyond it :class:`Busy` is raised at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from seikg.errors import LimitError, SeiKgError


class Busy(Exception):
    """Too many jobs in flight: the caller should answer 429."""


class Deadline(LimitError):
    """A job ran past its deadline and its worker was killed (or none was free in time)."""


@dataclass
class _Worker:
    process: Any
    conn: Any


def _serve_jobs(
    conn: Any,
    backend: Any,
    jobs: dict[str, Callable[..., Any]],
    fds: Sequence[int],
    isolate: bool = False,
) -> None:
    """The loop of a worker process: receive a job, run it, send back its outcome."""
    from seikg.guard import no_network

    for fd in fds:  # the listening sockets belong to the server process alone
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server process stops the workers
    if isolate:
        _isolate()
    with no_network():
        while True:
            try:
                name, kwargs = pickle.loads(conn.recv_bytes())
            except (EOFError, OSError):
                break
            try:
                payload: tuple[str, Any] = ("ok", jobs[name](backend, **kwargs))
            except SeiKgError as exc:
                payload = ("error", exc)
            except BaseException as exc:  # reported to the server process, which logs it
                payload = ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            try:
                conn.send_bytes(pickle.dumps(payload))
            except Exception as exc:
                conn.send_bytes(pickle.dumps(("crash", f"cannot return the result: {exc}")))
    os._exit(0)


def _isolate() -> None:
    """Move this worker into a network namespace of its own, as the command line's workers
    (:func:`seikg.guard.sandbox.isolate_network`); say so when it cannot be done."""
    from seikg.guard.sandbox import Isolation, isolate_network

    how, why = isolate_network()
    if how is Isolation.NONE:
        print(f"sei-kg: warning: {why}", file=sys.stderr, flush=True)


class WorkerPool:
    """A fixed number of worker processes, each running one job at a time.

    With ``isolate_network`` every worker first moves into an empty network namespace
    (for stores embedded in the worker, whose native code the audit hook cannot watch).
    """

    def __init__(
        self,
        backend: Any,
        jobs: dict[str, Callable[..., Any]],
        *,
        workers: int = 2,
        max_in_flight: int = 8,
        close_fds: Sequence[int] = (),
        isolate_network: bool = False,
    ) -> None:
        self.backend = backend
        self.isolate_network = isolate_network
        self.jobs = jobs
        self.size = workers
        self.max_in_flight = max(max_in_flight, 1)
        self.close_fds = tuple(close_fds)
        self.in_flight = 0
        self.killed = 0
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []
        self._context = multiprocessing.get_context("fork")

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve_jobs,
            args=(child, self.backend, self.jobs, self.close_fds, self.isolate_network),
            daemon=True,
            name="sei-kg-worker",
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    def start(self) -> None:
        """Fork the workers (before the server starts taking requests)."""
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(self._spawn())

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (past its deadline, or left in an unknown state) and fork another."""
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=2)
        worker.conn.close()
        self._all.remove(worker)
        self.killed += 1
        assert self._idle is not None
        self._idle.put_nowait(self._spawn())

    async def run(self, job: str, /, *, timeout: float, **kwargs: Any) -> Any:
        """Run a job in a worker; raise :class:`Busy`, or :class:`Deadline` at the deadline."""
        if self.in_flight >= self.max_in_flight:
            raise Busy(
                f"{self.in_flight} queries are running or waiting, the most this server takes"
            )
        assert self._idle is not None, "start() the pool first"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self.in_flight += 1
        try:
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout)
            except TimeoutError:
                raise Deadline(
                    f"no worker was free within the time limit of {timeout:g} s"
                ) from None
            status, value = await self._exchange(
                worker, job, kwargs, deadline - loop.time(), timeout
            )
        finally:
            self.in_flight -= 1
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise RuntimeError(value)

    async def _exchange(
        self, worker: _Worker, job: str, kwargs: dict[str, Any], remaining: float, timeout: float
    ) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            if not done.done():
                done.set_result(None)

        try:
            worker.conn.send_bytes(pickle.dumps((job, kwargs)))
            loop.add_reader(fd, readable)
            try:
                await asyncio.wait_for(done, max(remaining, 0.001))
            finally:
                loop.remove_reader(fd)
            payload = pickle.loads(worker.conn.recv_bytes())
        except TimeoutError:
            self._retire(worker)
            raise Deadline(
                f"the query ran longer than the time limit of {timeout:g} s and was stopped"
            ) from None
        except BaseException:
            self._retire(worker)  # a cancelled or broken exchange leaves the worker unknown
            raise
        assert self._idle is not None
        self._idle.put_nowait(worker)
        return payload

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._all):
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(timeout=2)
            worker.conn.close()
        self._all.clear()
