"""Benchmark ``sei-kg serve`` next to ``oxigraph serve-read-only`` on the same data, same run.

Measured over HTTP on loopback, for each server:

* the latency of a catalogue query (``share-by-year``, its city bound with
  VALUES so that every server gets the same text), median and p99, at 1 and at
  8 concurrent clients;
* how long a small query (``ASK``) waits while a runaway query (a three-way
  cartesian product under a catastrophic regular expression) runs.

The servers: sei-kg on the memory store (the shipped graph), sei-kg on an
Oxigraph store holding the same triples, and Oxigraph's own read-only server on
that store.  Run with ``python benchmarks/bench_serve.py``; results go to
benchmarks/results/serve.json and are printed as a table.  Every request goes
to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import contextlib
import json
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SINGLE_RUNS = 100
CLIENTS = 8
RUNS_PER_CLIENT = 25
SMALL_QUERIES = 10
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
    "FILTER (REGEX(CONCAT(STR(?a), STR(?d), STR(?g)), '^(x+x+)+y$')) }"
)
SMALL = "ASK { ?s ?p ?o }"


def catalogue_text() -> str:
    """The share-by-year query with its city bound (VALUES, the way a remote store is sent it)."""
    from seikg.sparql.catalog import find_query

    text = find_query("share-by-year").text
    match = re.search(r"\bWHERE\s*\{", text)
    assert match is not None
    city = "<https://w3id.org/sei-kg/place/370200>"
    return f"{text[: match.end()]}\n  VALUES ?city {{ {city} }}\n{text[match.end() :]}"


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    """Wait until the endpoint answers ASK {}."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if (
                httpx.get(url, params={"query": "ASK {}"}, timeout=2, trust_env=False).status_code
                == 200
            ):
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def running(argv: list[str], url: str) -> Iterator[str]:
    """Run a server process until the block ends; yield its query URL."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        try:
            wait_ready(url)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def sei_kg(store: str, port: int) -> list[str]:
    """The command line of sei-kg serve on ``store``."""
    exe = Path(sys.executable).with_name("sei-kg")
    return [str(exe), "serve", "--store", store, "--port", str(port), "--timeout", "10",
            "--max-queries", "32"]  # fmt: skip


def ask(client: httpx.Client, url: str, query: str) -> float:
    """Seconds one query takes, over HTTP."""
    start = time.perf_counter()
    response = client.post(url, data={"query": query},
                           headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.text[:200]}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(url: str, query: str, clients: int, runs: int) -> dict[str, float]:
    """Median and p99 latency (ms) of ``query`` with ``clients`` clients at once."""
    times: list[float] = []
    lock = threading.Lock()

    def client_loop() -> None:
        with httpx.Client(timeout=60, trust_env=False) as client:
            ask(client, url, query)  # warm up this connection
            mine = [ask(client, url, query) for _ in range(runs)]
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"median_ms": statistics.median(times) * 1000, "p99_ms": percentile(times, 0.99) * 1000}


def behind_runaway(url: str) -> dict[str, float]:
    """How long small queries take while a runaway query runs (ms), and the runaway's end."""
    outcome: dict[str, float] = {}

    def runaway() -> None:
        with httpx.Client(timeout=60, trust_env=False) as client:
            start = time.perf_counter()
            response = client.post(url, data={"query": RUNAWAY})
            outcome["runaway_s"] = time.perf_counter() - start
            outcome["runaway_status"] = response.status_code

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    with httpx.Client(timeout=60, trust_env=False) as client:
        waits = [ask(client, url, SMALL) for _ in range(SMALL_QUERIES)]
    thread.join()
    return {"small_median_ms": statistics.median(waits) * 1000,
            "small_max_ms": max(waits) * 1000, **outcome}  # fmt: skip


def main() -> None:
    """Fill an Oxigraph store, start the three servers one after another, measure."""
    exe = Path(sys.executable).with_name("sei-kg")
    work = Path(tempfile.mkdtemp(prefix="sei-kg-bench-serve-"))
    store = work / "store"
    subprocess.run([str(exe), "load", "--store", f"oxigraph:{store}"], check=True,
                   capture_output=True)  # fmt: skip
    query = catalogue_text()
    oxigraph = Path(sys.executable).with_name("oxigraph")
    servers = {
        "sei-kg serve (memory)": lambda port: sei_kg("memory", port),
        "sei-kg serve (oxigraph store)": lambda port: sei_kg(f"oxigraph:{store}", port),
        "oxigraph serve-read-only": lambda port: [
            str(oxigraph),
            "serve-read-only",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            "10",
        ],
    }
    results: dict[str, dict[str, object]] = {}
    for name, argv in servers.items():
        port = free_port()
        path = "/sparql" if name.startswith("sei-kg") else "/query"
        with running(argv(port), f"http://127.0.0.1:{port}{path}") as url:
            if name.startswith("sei-kg"):  # let the startup work (font, validation) finish first
                base = url.removesuffix("/sparql")
                httpx.get(base + "/ui/report.json", timeout=600, trust_env=False)
                httpx.get(base + "/ui/font/cjk.woff", timeout=600, trust_env=False)
            results[name] = {
                "1 client": latency(url, query, 1, SINGLE_RUNS),
                f"{CLIENTS} clients": latency(url, query, CLIENTS, RUNS_PER_CLIENT),
                "behind a runaway query": behind_runaway(url),
            }
        print(f"{name}: done", file=sys.stderr)
    out = ROOT / "benchmarks" / "results" / "serve.json"
    out.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                               "results": results}, indent=2) + "\n")  # fmt: skip
    print(
        f"{'server':32} {'1 client med/p99':>20} {'8 clients med/p99':>20} {'small q. behind runaway':>24}"
    )
    for name, r in results.items():
        one, eight, run = r["1 client"], r[f"{CLIENTS} clients"], r["behind a runaway query"]
        print(
            f"{name:32} {one['median_ms']:8.1f} / {one['p99_ms']:6.1f} ms"  # type: ignore[index]
            f" {eight['median_ms']:8.1f} / {eight['p99_ms']:6.1f} ms"  # type: ignore[index]
            f" {run['small_median_ms']:8.1f} ms (max {run['small_max_ms']:.0f})"  # type: ignore[index]
        )


if __name__ == "__main__":
    main()
