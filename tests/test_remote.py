"""Every command against a real SPARQL endpoint: an Oxigraph server from PyPI on 127.0.0.1.

Each test starts its own server (the ``oxigraph`` package's ``oxigraph serve``,
in memory, on a free port) and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import socket
import threading
import time

import httpx
import pytest

from seikg.bench.synthetic import generate
from seikg.errors import PolicyError
from seikg.guard import no_network
from seikg.kg import KnowledgeGraph
from seikg.stores import OxigraphStore, SparqlStore

from conftest import ROOT, Server, free_port


@pytest.fixture
def loaded(cli, server) -> Server:
    result = cli("load", "--store", server.store)
    assert result.code == 0, result.err
    return server


def test_every_command_works_unchanged_on_the_endpoint(cli, loaded, tmp_path):
    store = loaded.store
    assert loaded.count() == len(KnowledgeGraph.load().graph)
    assert cli("validate", "--store", store).code == 0
    for name in ("share-by-year", "investment", "money-conversions"):
        memory = cli("query", name, "--format", "csv")
        remote = cli("query", name, "--format", "csv", "--store", store)
        assert remote.code == 0 and remote.out == memory.out, name
    param = cli("query", "figures", "--format", "csv", "--store", store, "-p", "city=青岛")
    assert param.code == 0 and "31.8" in param.out
    stats = json.loads(cli("stats", "--json", "--store", store).out)
    assert stats == json.loads(cli("stats", "--json").out)
    exported = cli("export", "--format", "nt", "--store", store)
    assert exported.code == 0
    parts = (cli("export", "--format", "nt", "--part", p).out for p in ("ontology", "data"))
    assert set(exported.out.splitlines()) == {line for part in parts for line in part.splitlines()}
    embedded = tmp_path / "kg"
    assert cli("load", "--store", f"oxigraph:{embedded}").code == 0
    assert exported.out == cli("export", "--format", "nt", "--store", f"oxigraph:{embedded}").out
    picture = tmp_path / "overview.graphml"
    assert cli("viz", "-o", str(picture), "--store", store).code == 0
    assert picture.read_bytes() == _viz_on_memory(cli, tmp_path)


def _viz_on_memory(cli, tmp_path) -> bytes:
    picture = tmp_path / "memory.graphml"
    assert cli("viz", "-o", str(picture)).code == 0
    return picture.read_bytes()


def test_update_and_graph_store_protocol_load_the_same(cli, server, tmp_path):
    files = [str(p) for p in sorted((ROOT / "graph").glob("*.ttl"))]
    assert cli("load", *files, "--store", server.store, "--graph-store-url",
               f"{server.base}/store").code == 0  # fmt: skip
    by_protocol = cli("export", "--format", "nt", "--store", server.store).out
    embedded = tmp_path / "kg"
    assert cli("load", *files, "--store", f"oxigraph:{embedded}").code == 0
    assert by_protocol == cli("export", "--format", "nt", "--store", f"oxigraph:{embedded}").out


def test_a_broken_fact_is_reported_as_on_the_embedded_store(cli, server, tmp_path):
    broken = tmp_path / "facts.ttl"
    text = (ROOT / "graph" / "qingdao-2019.ttl").read_text()
    assert '"3.1"^^xsd:decimal' in text
    broken.write_text(text.replace('"3.1"^^xsd:decimal', '"3.5"^^xsd:decimal'))
    others = [str(ROOT / "graph" / n) for n in ("places.ttl", "sources.ttl",
                                                "exchange-rate-bands.ttl")]  # fmt: skip
    assert cli("load", *others, str(broken), "--store", server.store).code == 0
    remote = cli("validate", "--store", server.store, "--format", "json")
    embedded = tmp_path / "kg"
    assert cli("load", *others, str(broken), "--store", f"oxigraph:{embedded}").code == 0
    local = cli("validate", "--store", f"oxigraph:{embedded}", "--format", "json")
    assert remote.code == local.code == 1
    assert json.loads(remote.out) == json.loads(local.out)
    text_report = cli("validate", "--store", server.store).out
    assert "[F2] Qingdao · 2019" in text_report and "paragraph 2" in text_report


def test_synthetic_ground_truth_found_exactly_on_the_endpoint(server, tmp_path):
    data = tmp_path / "synthetic.nt"
    made = generate(data, cities=6, years=3, seed=11, error_rate=0.5)
    truth = {(i["rule"], i["focus"]) for i in made.injected}
    remote = SparqlStore(f"{server.base}/query")
    remote.load([data])
    assert remote.validate(meta=False).broken() == truth
    embedded = OxigraphStore(tmp_path / "store")
    embedded.load([data])
    assert len(embedded) == len(remote)


def test_a_bad_file_sends_nothing(cli, server, tmp_path):
    good = ROOT / "graph" / "places.ttl"
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    result = cli("load", str(good), str(bad), "--store", server.store)
    assert result.code == 2 and "bad.ttl:3" in result.err and "Traceback" not in result.err
    assert server.count() == 0


def test_an_unreachable_endpoint_is_a_clear_store_error(cli):
    port = free_port()  # nothing listens there
    result = cli("validate", "--store", f"sparql:http://127.0.0.1:{port}/query")
    assert result.code == 6
    assert "cannot reach the SPARQL endpoint" in result.err and "Traceback" not in result.err


def test_an_endpoint_error_is_reported_with_its_status(cli, server):
    result = cli("query", "share-by-year", "--store", f"sparql:{server.base}/no-such-service")
    assert result.code == 6 and "answered 404" in result.err


def test_load_without_an_update_endpoint_says_what_to_give(cli, server):
    result = cli("load", "--store", f"sparql:{server.base}/somewhere")
    assert result.code == 2 and "--update-url" in result.err


def test_only_the_named_endpoint_is_reachable(loaded):
    """With the network denied, naming the endpoint opens that endpoint and nothing else."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        other = listener.getsockname()[1]
        with no_network():
            store = SparqlStore(f"{loaded.base}/query")
            assert len(store) == loaded.count()
            with pytest.raises(PolicyError):
                socket.create_connection(("127.0.0.1", other), timeout=1)
            with pytest.raises(PolicyError):
                httpx.get(f"http://127.0.0.1:{other}/", timeout=1)


def test_a_federated_query_is_refused_before_it_reaches_the_endpoint(cli, loaded, tmp_path):
    service = tmp_path / "service.rq"
    service.write_text(
        f"SELECT * WHERE {{ SERVICE <{loaded.base}/query> {{ ?s ?p ?o }} }}", encoding="utf-8"
    )
    result = cli("query", str(service), "--store", loaded.store)
    assert result.code == 3 and "SERVICE" in result.err


def _dripping_endpoint() -> tuple[str, threading.Event]:
    """An endpoint that accepts every request and answers one byte a second, forever."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def drip(connection: socket.socket) -> None:
        with contextlib.suppress(OSError), connection:
            connection.recv(65536)
            for byte in itertools.cycle(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"):
                if stop.wait(1):
                    return
                connection.sendall(bytes([byte]))

    def accept() -> None:
        with server:
            server.settimeout(0.2)
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    connection, _address = server.accept()
                    threading.Thread(target=drip, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}/query", stop


def test_load_into_a_dripping_endpoint_stops_at_its_deadline(cli, tmp_path):
    """An endpoint that drips a byte a second cannot hold `load` past --timeout: exit 4, one
    line, no traceback."""
    url, stop = _dripping_endpoint()
    data = tmp_path / "one.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    try:
        started = time.monotonic()
        result = cli("load", "--store", f"sparql:{url}", "--timeout", "2", str(data))
        elapsed = time.monotonic() - started
    finally:
        stop.set()
    assert result.code == 4, result.err
    assert "time limit of 2 s" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert elapsed < 15


# ---- an endpoint that answers a count with nonsense ------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LIES = {
    "a word": {"n": {"type": "literal", "value": "abc"}},
    "an IRI": {"n": {"type": "uri", "value": "http://example.org/5"}},
    "a double": {"n": {"type": "literal", "value": "1e3", "datatype": _XSD + "double"}},
    "5000 digits": {"n": {"type": "literal", "value": "9" * 5000, "datatype": _XSD + "integer"}},
    "a negative count": {"n": {"type": "literal", "value": "-7", "datatype": _XSD + "integer"}},
    "a blank node labelled 42": {"n": {"type": "bnode", "value": "42"}},
    "another variable": {"m": {"type": "literal", "value": "5", "datatype": _XSD + "integer"}},
    "an unbound count": {},
    "no row": None,
    "two rows": "two",
    "a yes/no answer": "boolean",
}


@contextlib.contextmanager
def _lying_endpoint(lie):
    """An endpoint that answers every count query with ``lie`` and every other request as
    an empty store would."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            if self.path.endswith("/update"):
                self.send_response(204)
                self.end_headers()
                return
            count = "COUNT(" in body
            if count and lie == "boolean":
                answer = {"head": {}, "boolean": True}
            elif count:
                rows = [] if lie is None else [_LIES["a word"]] * 2 if lie == "two" else [lie]
                answer = {"head": {"vars": ["n"]}, "results": {"bindings": rows}}
            else:
                answer = {"head": {"vars": []}, "results": {"bindings": []}}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"sparql:http://127.0.0.1:{server.server_address[1]}/lie/sparql"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("lie", list(_LIES))
@pytest.mark.parametrize("command", ["stats", "load"])
def test_a_count_answered_with_nonsense_is_refused(cli, tmp_path, lie, command):
    """Every count is read by one function that takes only a non-negative xsd:integer of
    sane size, in exactly one row, bound to the variable asked for: anything else is a
    store error (exit 6, one line), never a number (a blank node labelled "42" was taken
    for 42, a missing row for 0) nor a crash."""
    data = tmp_path / "one.nt"
    data.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    with _lying_endpoint(_LIES[lie]) as store:
        args = (
            ["stats", "--store", store]
            if command == "stats"
            else ["load", str(data), "--store", store]
        )
        result = cli(*args)
    assert result.code == 6, (result.out, result.err)
    assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err
    assert re.search(
        r"answered .* (where .* was expected|other than a table)|cannot be read", result.err
    )
    assert result.out == ""
