"""sei-kg serve: the real server on a free loopback port, spoken to by real clients.

Covers the SPARQL 1.1 Protocol (the W3C protocol suite in ../shared/conformance,
the W3C result-format tests), content negotiation, the service description,
the read-only Graph Store Protocol, the query policy, every limit, the Host
allow-list and CORS, the request log, the resource pages and the report, and
real clients: SPARQLWrapper, rdflib's SPARQLStore and ``--store sparql:URL``.
The browser UI is tested in test_serve_browser.py.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, run_cli
from facts import CENSUS, DERIVED, FIGURES
from serving import Served, serving

ALL_FIGURES = len(FIGURES) + len(DERIVED) + len(CENSUS)

CONFORMANCE = ROOT.parent / "shared" / "conformance" / "w3c-sparql11"
OBS = "http://purl.org/linked-data/cube#Observation"
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
    "FILTER (REGEX(CONCAT(STR(?a), STR(?d), STR(?g)), '^(x+x+)+y$')) }"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    with serving("--workers", "2") as served:
        yield served


def ask_json(served: Served, query: str, **headers: str):
    with served.client() as client:
        return client.post("/sparql", data={"query": query}, headers=headers)


# -- the protocol --------------------------------------------------------------------------------


def test_get_post_form_and_direct_give_the_same_answer(server):
    query = f"SELECT ?o WHERE {{ ?o a <{OBS}> }} ORDER BY ?o"
    with server.client() as client:
        got = [
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post("/sparql", content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"}),
        ]  # fmt: skip
    assert {r.status_code for r in got} == {200}
    assert len({r.content for r in got}) == 1
    assert len(got[0].json()["results"]["bindings"]) == ALL_FIGURES


@pytest.mark.parametrize(
    ("accept", "fmt", "expected"),
    [
        (None, None, "application/sparql-results+json"),
        ("*/*", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv;q=0.5, text/tab-separated-values", None, "text/tab-separated-values"),
        ("text/csv, text/tab-separated-values;q=0.2", None, "text/csv"),
        ("application/json", None, "application/json"),
        ("text/*;q=0.9, text/csv;q=0", None, "text/tab-separated-values"),
        ("text/html", "json", "application/sparql-results+json"),
        (None, "xml", "application/sparql-results+xml"),
        (None, "text/csv", "text/csv"),
    ],
)
def test_select_content_negotiation(server, accept, fmt, expected):
    params = {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"}
    if fmt:
        params["format"] = fmt
    headers = {"Accept": accept} if accept else {}
    with server.client() as client:
        response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/sparql-results+xml, application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_construct_content_negotiation(server, accept, expected):
    query = f"CONSTRUCT {{ ?o a <{OBS}> }} WHERE {{ ?o a <{OBS}> }}"
    headers = {"Accept": accept} if accept else {}
    with server.client() as client:
        response = client.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    graph = Graph().parse(data=response.content, format={
        "text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
        "application/rdf+xml": "xml"}[expected])  # fmt: skip
    assert len(graph) == ALL_FIGURES


def test_what_cannot_be_given_is_406(server):
    with server.client() as client:
        select = client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"}
        )
        graph = client.post("/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                            headers={"Accept": "text/csv"})  # fmt: skip
        param = client.get("/sparql", params={"query": "ASK {}", "output": "turtle"})
    assert (select.status_code, graph.status_code, param.status_code) == (406, 406, 406)


def test_result_formats_are_the_clis(server, tmp_path):
    query = "SELECT ?place ?year ?share WHERE { ?o <https://w3id.org/sei-kg/ontology#indicator> <https://w3id.org/sei-kg/indicator/industry-share> ; <http://purl.org/linked-data/sdmx/2009/dimension#refPeriod> ?year ; <http://purl.org/linked-data/sdmx/2009/dimension#refArea> ?place ; <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?share } ORDER BY ?year"
    path = tmp_path / "query.rq"
    path.write_text(query, encoding="utf-8")
    for fmt, accept in (("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                        ("json", "application/sparql-results+json"),
                        ("xml", "application/sparql-results+xml")):  # fmt: skip
        cli = run_cli("query", str(path), "--format", fmt)
        with server.client() as client:
            response = client.post("/sparql", data={"query": query}, headers={"Accept": accept})
        assert cli.code == 0, cli.err
        assert response.text == cli.out, fmt


def test_service_description_at_the_endpoint(server):
    with server.client() as client:
        response = client.get("/sparql", headers={"Accept": "text/turtle"})
        page = client.get("/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "endpoint"), URIRef(server.endpoint)) in graph
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (None, URIRef(sd + "feature"), URIRef(sd + "DereferencesURIs")) not in graph
    names = set(graph.objects(None, URIRef(sd + "name")))
    assert URIRef("https://w3id.org/sei-kg/graph/data") in names
    assert page.headers["content-type"].startswith("text/html")


def test_graph_store_protocol_reads_every_part(kg, server):
    from seikg import Part, RdfFormat

    with server.client() as client:
        default = client.get("/store?default", headers={"Accept": "application/n-triples"})
        parts = {
            part: client.get("/store", params={"graph": f"https://w3id.org/sei-kg/graph/{part}"},
                             headers={"Accept": "application/n-triples"})
            for part in ("ontology", "shapes", "data")
        }  # fmt: skip
        direct = client.get("/store/shapes", headers={"Accept": "text/turtle"})
        missing = client.get("/store", params={"graph": "http://example.org/none"})
        writes = [client.request(m, "/store?default", content=b"<a:b> <a:c> <a:d> .",
                                 headers={"Content-Type": "application/n-triples"})
                  for m in ("PUT", "POST", "DELETE")]  # fmt: skip
    assert default.status_code == 200
    assert len(Graph().parse(data=default.text, format="nt")) == len(kg.graph)
    for part, response in parts.items():
        assert response.content == kg.export(RdfFormat.NTRIPLES, part=Part(part)), part
    assert direct.status_code == 200 and "sh:NodeShape" in direct.text
    assert missing.status_code == 404
    assert [w.status_code for w in writes] == [403, 403, 403]


def test_a_dataset_names_graphs_the_store_holds(server):
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    with server.client() as client:
        shapes = client.post("/sparql", data={"query": count.format(
            "FROM <https://w3id.org/sei-kg/graph/shapes>")})  # fmt: skip
        protocol = client.post("/sparql", data={
            "query": count.format(""), "default-graph-uri": "https://w3id.org/sei-kg/graph/shapes"})  # fmt: skip
        named = client.post("/sparql", data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                             "named-graph-uri": "https://w3id.org/sei-kg/graph/data"})  # fmt: skip
    value = shapes.json()["results"]["bindings"][0]["n"]["value"]
    assert int(value) > 500
    assert protocol.json() == shapes.json()
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [
        "https://w3id.org/sei-kg/graph/data"
    ]


# -- the policy ----------------------------------------------------------------------------------


@contextlib.contextmanager
def listener():
    """A loopback port that counts the connections made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                accepted.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join()
        sock.close()


def test_nothing_is_fetched_and_updates_are_refused(server):
    with listener() as (port, accepted), server.client() as client:
        url = f"http://127.0.0.1:{port}/graph"
        answers = {
            "from": client.post("/sparql", data={"query": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}"}),
            "from named": client.post("/sparql", data={"query": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
            "protocol": client.post("/sparql", data={"query": "ASK {}", "default-graph-uri": url}),
            "service": client.post("/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"}),
            "load": client.post("/sparql", content=f"LOAD <{url}>".encode(),
                                headers={"Content-Type": "application/sparql-update"}),
            "update form": client.post("/sparql", data={"update": f"LOAD <{url}>"}),
            "update as query": client.post("/sparql", data={"query": "INSERT DATA { <a:b> <a:c> 1 }"}),
            "update by GET": client.get("/sparql", params={"update": "CLEAR ALL"}),
        }  # fmt: skip
        injected = client.get(
            f"/place/x%3E%20%7D%20SERVICE%20%3C{url}%3E%20%7B%20?s%20?p%20?o%20%7D%20%7B"
        )
        time.sleep(0.3)
    assert injected.status_code == 404
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 403)
    assert accepted == []
    assert "not in this store" in answers["from"].text


def test_bad_requests(server):
    with server.client() as client:
        assert client.get("/sparql", params={"query": "ASK {"}).status_code == 400
        assert client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
        assert (
            client.post(
                "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}
            ).status_code
            == 415
        )
        assert (
            client.post("/sparql", content=b"ASK {}", headers={"Content-Type": ""}).status_code
            == 415
        )
        assert (
            client.post(
                "/sparql",
                content="ASK {}".encode("utf-16"),
                headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
            ).status_code
            == 415
        )
        assert client.put("/sparql?query=ASK%7B%7D").status_code == 405


def test_host_header_that_is_not_loopback_is_refused(server):
    with server.client() as client:
        evil = client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"Host": "evil.example:7878"}
        )
        rebound = client.get("/", headers={"Host": "attacker.test"})
        ok = client.get("/sparql", params={"query": "ASK {}"}, headers={"Host": "localhost"})
        foreign = client.post(
            "/sparql", data={"query": "ASK {}"}, headers={"Origin": "http://evil.example"}
        )
    assert (evil.status_code, rebound.status_code, ok.status_code) == (403, 403, 200)
    assert foreign.status_code == 403
    assert "access-control-allow-origin" not in ok.headers


def test_cors_only_for_the_origin_named():
    origin = "http://notebook.example:8888"
    with serving("--workers", "1", "--cors", origin) as served, served.client() as client:
        preflight = client.options("/sparql", headers={"Origin": origin,
                                                       "Access-Control-Request-Method": "POST"})  # fmt: skip
        allowed = client.post("/sparql", data={"query": "ASK {}"}, headers={"Origin": origin})
        other = client.post(
            "/sparql", data={"query": "ASK {}"}, headers={"Origin": "http://other.example"}
        )
    assert preflight.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == origin
    assert other.status_code == 403


# -- the limits ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited():
    with serving("--max-rows", "3", "serve", "--workers", "2", "--max-queries", "2",
                 "--timeout", "3", "--max-body-kb", "4", "--max-query-kb", "2") as served:  # fmt: skip
        yield served


def test_a_runaway_query_is_stopped_with_503_and_a_small_one_answered_meanwhile(limited):
    outcome = {}

    def runaway():
        with limited.client() as client:
            started = time.monotonic()
            outcome["response"] = client.post("/sparql", data={"query": RUNAWAY})
            outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    with limited.client() as client:
        started = time.monotonic()
        small = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
        waited = time.monotonic() - started
    thread.join()
    assert small.status_code == 200 and small.json()["boolean"] is True
    assert waited < 2.0, f"the small query waited {waited:.2f} s behind the runaway one"
    response = outcome["response"]
    assert response.status_code == 503
    assert response.text.startswith("Error 503: ") and "time limit of 3 s" in response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert 2.5 < outcome["seconds"] < 10
    with limited.client() as client:  # the killed worker was replaced
        assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
    assert " 503 " in limited.log() and "outcome=timeout" in limited.log()


def test_more_concurrent_queries_than_allowed_get_429(limited):
    answers = []

    def runaway():
        with limited.client() as client:
            answers.append(client.post("/sparql", data={"query": RUNAWAY}).status_code)

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.7)
    with limited.client() as client:
        third = client.post("/sparql", data={"query": "ASK {}"})
    for thread in threads:
        thread.join()
    assert third.status_code == 429 and third.headers["retry-after"] == "1"
    assert sorted(answers) == [503, 503]


def test_results_over_the_row_limit_are_cut_and_say_so(limited):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    with limited.client() as client:
        as_json = client.post("/sparql", data={"query": query})
        as_xml = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+xml"}
        )
        as_csv = client.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
        graph = client.post("/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                            headers={"Accept": "text/turtle"})  # fmt: skip
        small = client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"})
    doc = as_json.json()
    assert len(doc["results"]["bindings"]) == 3
    assert as_json.headers["sei-kg-truncated"] == "rows=3"
    assert doc["head"]["link"] == [limited.url + "/ui/limits#rows"]
    assert "<link href=" in as_xml.text and as_xml.headers["sei-kg-truncated"] == "rows=3"
    assert len(list(ox.parse_query_results(as_xml.content, format=ox.QueryResultsFormat.XML))) == 3
    assert (
        len(as_csv.text.strip().splitlines()) == 4
        and as_csv.headers["sei-kg-truncated"] == "rows=3"
    )
    assert graph.headers["sei-kg-truncated"] == "triples=3" and graph.text.startswith(
        "# sei-kg: truncated"
    )
    assert len(Graph().parse(data=graph.text, format="turtle")) == 3
    assert "sei-kg-truncated" not in small.headers and "link" not in small.json()["head"]


def test_request_and_query_size_limits(limited):
    long_query = "ASK { " + "?s ?p ?o . " * 300 + "}"
    with limited.client() as client:
        body = client.post("/sparql", data={"query": "ASK {} #" + "x" * 5000})
        get = client.get("/sparql", params={"query": long_query})
        direct = client.post("/sparql", content=long_query.encode(),
                             headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert body.status_code == 413
    assert get.status_code == 414
    assert direct.status_code == 413


def test_every_request_is_logged_without_the_clients_data(limited):
    secret = "TOKEN-1f6d2a"
    with limited.client() as client:
        client.post("/sparql", data={"query": f'SELECT ?s WHERE {{ ?s ?p "{secret}" }}'})
        client.get("/place/370200", params={"lang": secret})
    time.sleep(0.3)
    log = limited.log()
    assert secret not in log
    lines = [line for line in log.splitlines() if " POST /sparql " in line]
    assert lines and all(" outcome=" in line and "ms " in line for line in lines)
    assert all(" q=" in line for line in lines if " 200 " in line)
    assert any("form=SELECT rows=0" in line for line in lines)


# -- pages ---------------------------------------------------------------------------------------


def test_a_page_for_every_resource(server):
    with server.client() as client:
        html = client.get("/place/370200", headers={"Accept": "text/html"})
        chinese = client.get(
            "/place/370200", params={"lang": "zh"}, headers={"Accept": "text/html"}
        )
        turtle = client.get("/place/370200", headers={"Accept": "text/turtle"})
        jsonld = client.get("/place/370200", params={"format": "jsonld"})
        nt = client.get("/place/370200", headers={"Accept": "application/n-triples"})
        missing = client.get("/place/000000", headers={"Accept": "text/html"})
        ontology = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["vary"] == "Accept"
    assert 'rel="alternate"; type="text/turtle"' in html.headers["link"]
    assert "Qingdao" in html.text and "青岛市" in html.text
    assert "31.8" in html.text and 'href="/observation/370200-2019-industry-share-sei"' in html.text
    assert "China Daily" in html.text
    assert "<h1>青岛市</h1>" in chinese.text
    graph = Graph().parse(data=turtle.text, format="turtle")
    place = URIRef("https://w3id.org/sei-kg/place/370200")
    assert (
        place,
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        Literal("青岛市", lang="zh"),
    ) in graph
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    assert len(Graph().parse(data=nt.text, format="nt")) == len(graph)
    assert missing.status_code == 404
    assert 'id="Indicator"' in ontology.text


def test_a_figures_page_shows_its_rule_checks(server):
    with server.client() as client:
        page = client.get(
            "/observation/370200-2019-industry-share-sei", headers={"Accept": "text/html"}
        )
    assert page.status_code == 200
    assert "Rule checks" in page.text and "holds" in page.text and "broken" not in page.text
    assert "percent" in page.text and "paragraph 2" in page.text


def test_the_report_page_links_every_figure(server):
    with server.client() as client:
        page = client.get("/ui/report")
        data = client.get("/ui/report.json").json()
    assert data["conforms"] is True
    assert "Conforms: 2 warnings of 1 rule." in page.text
    assert page.text.count('href="/observation/') >= 15


def test_a_broken_figure_is_linked_from_the_report(tmp_path):
    facts = (ROOT / "graph" / "qingdao-2019.ttl").read_text(encoding="utf-8")
    stated = 'sdmx-measure:obsValue "3.1"^^xsd:decimal ;'
    assert stated in facts
    (tmp_path / "qingdao-2019.ttl").write_text(
        facts.replace(stated, stated.replace("3.1", "3.5"), 1), encoding="utf-8"
    )
    files = [str(p) for p in sorted((ROOT / "graph").glob("*.ttl")) if p.name != "qingdao-2019.ttl"]
    args = ["--workers", "1"]
    for f in [*files, str(tmp_path / "qingdao-2019.ttl")]:
        args += ["--data", f]
    with serving(*args) as served, served.client() as client:
        report = client.get("/ui/report")
        figure = client.get(
            "/observation/370200-2019-industry-share-change-sei", headers={"Accept": "text/html"}
        )
    assert "Does not conform" in report.text
    assert 'href="/observation/370200-2019-industry-share-change-sei"' in report.text
    assert "broken" in figure.text and "3.5" in figure.text


def test_the_graph_view_is_served_with_its_script_allowed(server):
    with server.client() as client:
        page = client.get("/ui/view", params={"view": "overview", "lang": "zh"})
    assert page.status_code == 200 and "青岛市" in page.text
    assert "'sha256-" in page.headers["content-security-policy"]


# -- real clients ---------------------------------------------------------------------------------


def test_sparqlwrapper_gets_what_it_asks_for(server):
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(f"SELECT ?o WHERE {{ ?o a <{OBS}> }}")
    client.setReturnFormat(JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == ALL_FIGURES
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == ALL_FIGURES
    client.setQuery("ASK { ?s ?p ?o }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(f"CONSTRUCT {{ ?o a <{OBS}> }} WHERE {{ ?o a <{OBS}> }}")
    client.setReturnFormat(TURTLE)
    assert len(Graph().parse(data=client.queryAndConvert(), format="turtle")) == ALL_FIGURES
    client.setMethod("POST")
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert()) == ALL_FIGURES


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(query_endpoint=server.endpoint))
    rows = list(graph.query(f"SELECT ?o WHERE {{ ?o a <{OBS}> }}"))
    assert len(rows) == ALL_FIGURES
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    built = graph.query(f"CONSTRUCT {{ ?o a <{OBS}> }} WHERE {{ ?o a <{OBS}> }}")
    assert len(built.graph) == ALL_FIGURES


def test_the_clis_own_sparql_store_gets_the_same_answers(server):
    store = f"sparql:{server.endpoint}"
    for args in (("query", "share-by-year", "--format", "csv"),
                 ("query", "growth-above-threshold", "-p", "city=青岛", "-p", "threshold=5",
                  "--format", "json")):  # fmt: skip
        remote = run_cli(*args, "--store", store)
        local = run_cli(*args)
        assert remote.code == 0, remote.err
        assert remote.out == local.out
    check = run_cli("validate", "--store", store)
    assert check.code == 0, check.out + check.err


# -- the W3C suites --------------------------------------------------------------------------------

KASEI = "http://kasei.us/2009/09/sparql/data/"
SUITE = "https://w3c.github.io/rdf-tests/sparql/sparql11/"


def _need_conformance() -> Path:
    if not (CONFORMANCE / "run_protocol_tests.py").exists():
        pytest.skip(f"the W3C SPARQL 1.1 suite is not at {CONFORMANCE} (../shared/conformance)")
    return CONFORMANCE


@pytest.fixture(scope="module")
def conformance_server(tmp_path_factory):
    suite = _need_conformance()
    location = tmp_path_factory.mktemp("w3c") / "store"
    loaded = run_cli("load", "--store", f"oxigraph:{location}")
    assert loaded.code == 0, loaded.err
    store = ox.Store(str(location))
    for n in (1, 2, 3):
        store.load(path=str(suite / "protocol" / f"data{n}.nt"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(f"{KASEI}data{n}.rdf"))  # fmt: skip
    store.add_graph(ox.NamedNode(f"{KASEI}data0.rdf"))  # named by the tests, empty there too
    for folder in ("csv-tsv-res", "json-res"):
        for data in (suite / folder).glob("data*.ttl"):
            store.load(path=str(data), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(f"{SUITE}{folder}/{data.name}"))  # fmt: skip
    store.flush()
    del store
    with serving("--store", f"oxigraph:{location}", "--workers", "2") as served:
        yield served


def test_w3c_protocol_suite_passes_in_full(conformance_server):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "run_protocol_tests", CONFORMANCE / "run_protocol_tests.py"
    )
    assert spec is not None and spec.loader is not None
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ok = harness.run(str(CONFORMANCE / "protocol" / "manifest.ttl"), conformance_server.endpoint,
                         None, True)  # fmt: skip
    report = out.getvalue()
    assert ok, report
    assert "34 passed, 0 failed" in report, report


def _results_by_kind(body: bytes, kind: str):
    fmt = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON,
           "xml": ox.QueryResultsFormat.XML}[kind]  # fmt: skip
    results = ox.parse_query_results(body, format=fmt)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    names = [v.value for v in results.variables]
    return names, [[_comparable(s[n]) for n in names] for s in results]


_NUMBERS = {"integer", "decimal", "double", "float", "negativeInteger", "nonNegativeInteger",
            "positiveInteger", "nonPositiveInteger", "long", "int", "short", "byte"}  # fmt: skip


def _comparable(term):
    """A term as compared here: blank nodes alike, numbers by value (Oxigraph keeps
    "-3"^^xsd:negativeInteger as an xsd:integer, rdflib writes 1.0E6 as 1000000.0)."""
    from decimal import Decimal

    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.datatype.value.rsplit("#", 1)[-1] in _NUMBERS:
        return ("number", float(Decimal(term.value)))
    return str(term)


def _manifest_tests(folder: str):
    graph = Graph().parse(CONFORMANCE / folder / "manifest.ttl", format="turtle")
    mf = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
    qt = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
    for test in graph.subjects(URIRef(mf + "action"), None):
        action = graph.value(test, URIRef(mf + "action"))
        query = Path(str(graph.value(action, URIRef(qt + "query"))).removeprefix("file://"))
        data = Path(str(graph.value(action, URIRef(qt + "data"))).removeprefix("file://"))
        result = Path(str(graph.value(test, URIRef(mf + "result"))).removeprefix("file://"))
        yield str(test).rsplit("#", 1)[-1], query, data, result


def test_w3c_result_format_suites_pass(conformance_server):
    accept = {".csv": "text/csv", ".tsv": "text/tab-separated-values",
              ".srj": "application/sparql-results+json"}  # fmt: skip
    names = []
    with conformance_server.client() as client:
        for folder in ("csv-tsv-res", "json-res"):
            for name, query, data, result in _manifest_tests(folder):
                response = client.post("/sparql", data={
                    "query": query.read_text(encoding="utf-8"),
                    "default-graph-uri": f"{SUITE}{folder}/{data.name}"},
                    headers={"Accept": accept[result.suffix]})  # fmt: skip
                assert response.status_code == 200, (name, response.text)
                expected = result.read_bytes()
                if result.suffix == ".csv":
                    got_rows = list(csv.reader(io.StringIO(response.text)))
                    want_rows = list(csv.reader(io.StringIO(expected.decode("utf-8"))))
                    assert [[_blank(c) for c in r] for r in got_rows] == [
                        [_blank(c) for c in r] for r in want_rows
                    ], name
                else:
                    kind = "tsv" if result.suffix == ".tsv" else "json"
                    assert _results_by_kind(response.content, kind) == _results_by_kind(
                        expected, kind
                    ), name
                names.append(name)
    assert len(names) == 10, names


def _blank(cell: str) -> object:
    """A CSV cell as the tests compare them: blank nodes alike, numbers by value (rdflib
    writes a double's canonical form: 1.0E6 comes back as 1000000.0)."""
    if cell.startswith("_:"):
        return "_:"
    try:
        return ("number", float(cell)) if any(c.isdigit() for c in cell) else cell
    except ValueError:
        return cell


def test_json_results_parse_as_sparql_json(server):
    response = ask_json(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5")
    assert _results_by_kind(response.content, "json")[0] == ["s", "p", "o"]
    assert json.loads(response.text)["head"]["vars"] == ["s", "p", "o"]
