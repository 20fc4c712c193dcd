"""Workers: a memory ceiling, death with the parent, one line for any crash, warnings sent
back, and a network namespace of their own that no socket leaves."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest

from seikg.errors import LimitError
from seikg.guard import LIMITS, InputWarning, Limits
from seikg.guard.sandbox import Isolation, isolate_network
from seikg.guard.worker import WorkerCrashed, run_with_timeout
from seikg.kg import KnowledgeGraph

from conftest import Listener, run_cli

DOUBLINGS = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(40))
GROWING = f'SELECT (STRLEN(?v40) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?v0) {DOUBLINGS} }}'


@pytest.fixture
def small_memory():
    token = LIMITS.set(Limits(max_memory_mb=2048))
    yield
    LIMITS.reset(token)


def test_the_growing_query_is_small():
    assert len(GROWING) < 1500


def test_memory_ceiling_on_the_memory_store(small_memory, kg):
    with pytest.raises(LimitError, match="more memory than the limit of 2,048 MB"):
        run_with_timeout(lambda: kg.query(GROWING), timeout=120)


def test_memory_ceiling_on_an_embedded_oxigraph_store(small_memory):
    with pytest.raises(LimitError, match="more memory than the limit of 2,048 MB"):
        run_with_timeout(lambda: list(ox.Store().query(GROWING)), timeout=120)


def test_the_default_ceiling_leaves_room_on_a_24_gib_machine():
    assert 4 * 1024 <= Limits().max_memory_mb <= 20 * 1024


def test_a_native_crash_is_one_line_and_exit_5():
    with pytest.raises(WorkerCrashed) as info:
        run_with_timeout(lambda: ctypes.string_at(0), timeout=30, what="query q")
    message = str(info.value)
    assert "query q crashed in its worker (SIGSEGV, a segmentation fault)" in message
    assert "\n" not in message and info.value.exit_code == 5
    assert "Segmentation fault" in info.value.details  # the fault handler's dump, for --debug


def test_a_python_crash_is_one_line_with_the_traceback_kept():
    with pytest.raises(WorkerCrashed) as info:
        run_with_timeout(lambda: {}["missing"], timeout=30)
    assert "KeyError" in str(info.value) and "\n" not in str(info.value)
    assert "Traceback" in info.value.details


def test_runaway_recursion_is_a_limit():
    def deep(n: int) -> int:
        return deep(n + 1) + 1

    with pytest.raises(LimitError, match="recursed too deeply"):
        run_with_timeout(lambda: deep(0), timeout=30)


def test_warnings_come_back_to_the_parent():
    def warn() -> int:
        warnings.warn("something to know", InputWarning, stacklevel=1)
        return 1

    with pytest.warns(InputWarning, match="something to know"):
        assert run_with_timeout(warn, timeout=30) == 1


def test_the_command_says_a_worker_crash_in_one_line(monkeypatch):
    def broken(self, *args, **kwargs):
        raise ValueError("broken on purpose")

    monkeypatch.setattr(KnowledgeGraph, "query", broken)
    result = run_cli("query", "share-by-year")
    assert result.code == 5
    assert result.err.count("\n") == 1 and "ValueError: broken on purpose" in result.err
    debug = run_cli("--debug", "query", "share-by-year")
    assert debug.code == 5 and "Traceback" in debug.err


def test_the_command_says_a_native_crash_in_one_line(monkeypatch):
    monkeypatch.setattr(KnowledgeGraph, "query", lambda self, *a, **k: ctypes.string_at(0))
    result = run_cli("query", "share-by-year")
    assert result.code == 5, result.err
    assert result.err.count("\n") == 1 and "SIGSEGV" in result.err


def test_empty_values_answer_nothing(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { VALUES ?v { } }")
    result = run_cli("query", str(query), "--format", "csv")
    assert result.code == 0, result.err
    assert result.out == "v\r\n"


# ---------------------------------------------------------------------------
# The worker dies with its parent


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has died


PARENT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from seikg.guard.worker import run_with_timeout

    def child():
        Path(sys.argv[1]).write_text(str(os.getpid()))
        time.sleep(120)

    run_with_timeout(child, timeout=120)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGHUP])
def test_the_worker_dies_with_its_parent(tmp_path, sig):
    marker = tmp_path / "worker.pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(marker)])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert _alive(worker)
        parent.send_signal(sig)
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _alive(worker):
            assert time.monotonic() < deadline, f"the worker outlived its parent ({sig.name})"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()


# ---------------------------------------------------------------------------
# A network namespace of its own


@pytest.fixture
def canary():
    """A listener of this test's own: these tests count the connections one test makes."""
    server = Listener()
    yield server
    server.close()


def _connect(port: int) -> str:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return "connected"
    except OSError as exc:
        return f"refused: {exc}"


def test_the_canary_hears_a_worker_that_is_not_isolated(canary):
    assert run_with_timeout(lambda: _connect(canary.port), timeout=30) == "connected"
    time.sleep(0.3)
    assert canary.connections == 1


def test_an_isolated_worker_cannot_reach_the_canary(canary):
    def attempt() -> tuple[Isolation, str]:
        how, _why = isolate_network()
        return how, _connect(canary.port)

    how, outcome = run_with_timeout(attempt, timeout=30)
    assert how is not Isolation.NONE
    assert outcome.startswith("refused")
    time.sleep(0.3)
    assert canary.connections == 0


def test_oxigraph_service_cannot_leave_an_isolated_worker(canary):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }} }}"

    def run() -> str:
        try:
            list(ox.Store().query(query))
        except OSError as exc:
            return f"refused: {exc}"
        return "answered"

    outcome = run_with_timeout(run, timeout=30, isolate_network=True)
    assert outcome.startswith("refused")
    time.sleep(0.3)
    assert canary.connections == 0


def test_the_parent_keeps_its_network(canary):
    run_with_timeout(lambda: isolate_network(), timeout=30)
    assert _connect(canary.port) == "connected"
    assert os.getpid() > 0
