"""Shared fixtures: the shipped knowledge graph and a CLI runner."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from seikg.cli import main
from seikg.kg import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package 'oxigraph', in the test extras) is missing")
    return found


@dataclass
class Server:
    base: str

    @property
    def store(self) -> str:
        return f"sparql:{self.base}/query"

    def count(self) -> int:
        answer = httpx.post(
            f"{self.base}/query",
            content="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json",
            },
        )
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    def validate_copy(self, kg):
        """Replace what the server holds with the triples of ``kg``; validate it there."""
        from seikg.formats import RdfFormat
        from seikg.rdf.export import serialize
        from seikg.stores import SparqlStore

        httpx.post(
            f"{self.base}/update",
            content="CLEAR DEFAULT",
            headers={"Content-Type": "application/sparql-update"},
        ).raise_for_status()
        httpx.put(
            f"{self.base}/store?default",
            content=serialize(kg.graph, RdfFormat.NTRIPLES),
            headers={"Content-Type": "application/n-triples"},
        ).raise_for_status()
        return SparqlStore(f"{self.base}/query", shapes=kg.shapes).validate(meta=False)


def start_server(tmp_path: Path) -> Iterator[Server]:
    """An Oxigraph server (PyPI package 'oxigraph'), in memory, on a free loopback port."""
    port = free_port()
    log = (tmp_path / "oxigraph.log").open("wb")
    process = subprocess.Popen(
        [_oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"the oxigraph server did not start: {(tmp_path / 'oxigraph.log').read_text()}"
                    )
                time.sleep(0.1)
        yield Server(base)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    yield from start_server(tmp_path)


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory) -> Iterator[Server]:
    """One Oxigraph server for a whole test session (tests replace what it holds)."""
    yield from start_server(tmp_path_factory.mktemp("oxigraph-server"))


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, input: bytes | str | None = None) -> CliResult:
    """Run ``sei-kg`` in-process, as the console script does, and capture everything
    (``input``: what standard input holds)."""
    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        stdout, stderr = streams[0], streams[1]
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = stdout.getvalue(), stderr.getvalue()
    return CliResult(code, out.decode("utf-8"), err.decode("utf-8"))


def character_device(folder: Path, name: str, major: int, minor: int) -> Path:
    """A private device node (as /dev/null 1,3, /dev/zero 1,5, /dev/full 1,7) in a test's own
    folder: tests never aim the tool at a system path."""
    path = folder / name
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    return path


def fifo(folder: Path, name: str) -> Path:
    """A named pipe in a test's own folder."""
    path = folder / name
    os.mkfifo(path)
    return path


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def assert_quiet(self) -> None:
        """No connection has reached the listener (one a command made is accepted by now)."""
        time.sleep(0.3)
        assert self.connections == 0, "a connection reached the loopback listener"

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def canary() -> Iterator[Listener]:
    """A loopback listener that no command may reach: the policy's canary."""
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def oxigraph_store(tmp_path_factory) -> str:
    """The shipped graph loaded into an Oxigraph store, as ``--store`` names it."""
    location = tmp_path_factory.mktemp("store") / "kg"
    loaded = run_cli("load", "--store", f"oxigraph:{location}")
    assert loaded.code == 0, loaded.err
    return f"oxigraph:{location}"


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.load()


@pytest.fixture(scope="session")
def kg_divisions() -> KnowledgeGraph:
    """The shipped graph with the national skeleton of divisions (as ``--with divisions``)."""
    from seikg import resources

    return KnowledgeGraph.load([*resources.graph_files(), resources.reference_files()["divisions"]])


@pytest.fixture
def cli():
    return run_cli
