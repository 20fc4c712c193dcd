"""The server's policy is the command line's: one decoding, one inspection, no network.

A query posted to ``sei-kg serve`` is decoded once, inspected and run as the
decoded text, with or without a dataset (``FROM`` a graph the store holds, or
``default-graph-uri``); and the workers of a store embedded in them run in a
network namespace of their own, so that not even the engine's own client can
reach a loopback listener.
"""

from __future__ import annotations

import asyncio

import pyoxigraph as ox
import pytest

from conftest import run_cli
from serving import serving

GRAPH = "http://e/g"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An Oxigraph store that holds a named graph as well, served."""
    location = tmp_path_factory.mktemp("serve-policy") / "kg"
    loaded = run_cli("load", "--store", f"oxigraph:{location}")
    assert loaded.code == 0, loaded.err
    store = ox.Store(str(location))
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1"),
                      ox.NamedNode(GRAPH)))  # fmt: skip
    store.flush()
    del store
    with serving("--store", f"oxigraph:{location}", "--workers", "1") as server:
        yield server


def _hidden(url: str, escape: str) -> str:
    return (f'SELECT * WHERE {{ BIND("{escape}" AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} '
            f'BIND("{escape}" AS ?b) }}')  # fmt: skip


@pytest.mark.parametrize(
    ("how", "escape", "status"),
    [
        ("from", "\\u0022", 200),  # decoded once, the SERVICE is inside a string for every engine
        ("protocol", "\\u0022", 200),
        ("plain", "\\u0022", 200),
        ("from", "\\u005Cu0022", 403),  # an escape that decodes to an escape
        ("protocol", "\\u005Cu0022", 403),
        ("plain", "\\u005Cu0022", 403),
    ],
)
def test_a_query_is_decoded_once_and_run_as_inspected(served, canary, how, escape, status):
    text = _hidden(f"http://127.0.0.1:{canary.port}/serve-{how}", escape)
    data = {"query": text}
    if how == "from":
        data["query"] = text.replace("SELECT * WHERE", f"SELECT * FROM <{GRAPH}> WHERE", 1)
    elif how == "protocol":
        data["default-graph-uri"] = GRAPH
    with served.client() as client:
        answer = client.post("/sparql", data=data)
    assert answer.status_code == status, answer.text
    canary.assert_quiet()


def test_an_escaped_service_is_refused_with_a_dataset(served, canary):
    url = f"http://127.0.0.1:{canary.port}/escaped"
    query = f"SELECT * FROM <{GRAPH}> WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"
    with served.client() as client:
        answer = client.post("/sparql", data={"query": query})
    assert answer.status_code == 403, answer.text
    canary.assert_quiet()


def _oxigraph_service_job(_backend: object, *, port: int) -> str:
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/pool> {{ ?s ?p ?o }} }}"
    try:
        list(ox.Store().query(query))
    except OSError as exc:
        return f"refused: {exc}"
    return "answered"


def test_a_worker_of_an_embedded_store_has_no_network(canary):
    """Oxigraph's own HTTP client (native code, out of the audit hook's reach) finds no
    route out of a worker of the pool."""
    from seikg.serve.pool import WorkerPool

    jobs = {"service": _oxigraph_service_job}

    async def run() -> str:
        pool = WorkerPool(None, jobs, workers=1, isolate_network=True)
        pool.start()
        try:
            return str(await pool.run("service", timeout=30, port=canary.port))
        finally:
            pool.close()

    assert asyncio.run(run()).startswith("refused")
    canary.assert_quiet()
