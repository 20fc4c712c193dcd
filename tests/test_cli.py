"""The sei-kg command: every subcommand, its outputs and its exit codes."""

from __future__ import annotations

import importlib
import json
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import ROOT
from facts import CENSUS, DERIVED, FIGURES

ALL_FIGURES = len(FIGURES) + len(DERIVED) + len(CENSUS)


def test_every_console_script_target_imports():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for target in scripts.values():
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr))


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ("export", "stats", "query", "queries", "validate"):
        assert command in result.out


def test_version(cli):
    result = cli("--version")
    assert result.code == 0 and "sei-kg" in result.out


def test_usage_error_exits_2(cli):
    result = cli("export", "--format", "yaml")
    assert result.code == 2
    assert "yaml" in result.err


def test_unknown_command_exits_2(cli):
    assert cli("frobnicate").code == 2


def test_stats_table_and_json(cli):
    result = cli("stats")
    assert result.code == 0
    assert "Qingdao" in result.out and "categories" in result.out
    data = json.loads(cli("stats", "--json").out)
    assert data["counts"]["categories"] == 8
    assert data["counts"]["observations"] == ALL_FIGURES
    assert {(r["label"], r["year"]) for r in data["observations_by_area_year"]} == {
        ("Qingdao", "2018"),
        ("Qingdao", "2019"),
        ("People's Republic of China", "2018"),
        ("People's Republic of China", "2023"),
    }


def test_export_to_stdout_is_turtle_of_the_whole_graph(cli, kg):
    result = cli("export")
    assert result.code == 0
    assert isomorphic(Graph().parse(data=result.out, format="turtle"), kg.part())


def test_export_to_file(cli, tmp_path):
    target = tmp_path / "kg.nt"
    result = cli("export", "--format", "nt", "--part", "data", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert len(Graph().parse(target, format="nt")) > 300


def test_export_to_a_folder_is_refused(cli, tmp_path):
    result = cli("export", "-o", str(tmp_path))
    assert result.code == 2
    assert "folder" in result.err and "Traceback" not in result.err


def test_validate_shipped_graph_conforms(cli):
    result = cli("validate")
    assert result.code == 0, result.out
    assert result.out.strip().splitlines()[-1].startswith("Conforms")


def test_validate_bad_turtle_names_file_line_and_column(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d <not an iri> .\n")
    result = cli("validate", str(bad))
    assert result.code == 2
    assert f"{bad}:3:" in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_validate_missing_file(cli, tmp_path):
    result = cli("validate", str(tmp_path / "nope.ttl"))
    assert result.code == 2 and "no such file" in result.err


def test_validate_unknown_extension_gets_a_clear_message(cli, tmp_path):
    odd = tmp_path / "facts.yaml"
    odd.write_text("a: b")
    result = cli("validate", str(odd))
    assert result.code == 2 and ".yaml" in result.err


def test_queries_lists_the_catalogue(cli):
    result = cli("queries")
    assert result.code == 0
    for name in ("figures", "categories", "share-by-year", "city-subgraph"):
        assert name in result.out


def test_query_by_name_with_csv(cli):
    result = cli("query", "categories", "--format", "csv")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "code,english,chinese,sourceWording,category"
    assert len(lines) == 9


def test_query_file(cli, tmp_path):
    q = tmp_path / "n.rq"
    q.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://purl.org/linked-data/cube#Observation> }"
    )
    result = cli("query", str(q), "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["results"]["bindings"][0]["n"]["value"] == str(ALL_FIGURES)


def test_query_param_by_chinese_label(cli):
    english = cli("query", "share-by-year", "--format", "csv", "--param", "city=Qingdao")
    chinese = cli("query", "share-by-year", "--format", "csv", "--param", "city=青岛")
    assert english.code == chinese.code == 0
    assert english.out == chinese.out
    assert "31.8" in english.out


def test_query_unknown_label_exits_2(cli):
    result = cli("query", "share-by-year", "--param", "city=Atlantis")
    assert result.code == 2 and "Atlantis" in result.err


def test_query_unknown_parameter_exits_2(cli):
    result = cli("query", "categories", "--param", "x=1")
    assert result.code == 2 and "unknown parameter" in result.err


def test_query_syntax_error_names_line_and_column(cli, tmp_path):
    q = tmp_path / "bad.rq"
    q.write_text("# comment\nSELECT ?s WHERE {\n  ?s ?p \n}\n")
    result = cli("query", str(q))
    assert result.code == 2
    assert f"{q}:" in result.err and "syntax error" in result.err


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { service silent <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT * WHERE { FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "DROP ALL",
    ],
)
def test_query_refuses_network_and_updates_with_exit_3(cli, tmp_path, text):
    q = tmp_path / "q.rq"
    q.write_text(text)
    result = cli("query", str(q))
    assert result.code == 3, result.err
    assert "refused" in result.err


def test_query_timeout_exits_4(cli, tmp_path):
    q = tmp_path / "slow.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    result = cli("query", str(q), "--timeout", "1")
    assert result.code == 4
    assert "time limit" in result.err


def test_query_limit_says_it_truncated(cli):
    result = cli("query", "figures", "--format", "csv", "--limit", "2")
    assert result.code == 0
    assert len(result.out.splitlines()) == 3
    assert "truncated" in result.err


def test_construct_as_csv_is_refused(cli):
    result = cli("query", "city-subgraph", "--format", "csv")
    assert result.code == 2


def test_construct_turtle_output(cli):
    result = cli("query", "city-subgraph")
    assert result.code == 0
    graph = Graph().parse(data=result.out, format="turtle")
    assert len(graph) > 200


def test_query_output_file_is_written(cli, tmp_path):
    target = tmp_path / "out.csv"
    result = cli("query", "categories", "--format", "csv", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert target.read_text().startswith("code,")


def test_internal_error_gives_short_message_and_exit_5(cli, monkeypatch):
    import seikg.kg

    def boom(*_a, **_k):
        raise RuntimeError("simulated")

    monkeypatch.setattr(seikg.kg.KnowledgeGraph, "stats", boom)
    result = cli("stats")
    assert result.code == 5
    assert "internal error" in result.err and "Traceback" not in result.err
    debug = cli("--debug", "stats")
    assert debug.code == 5 and "Traceback" in debug.err


def test_data_option_replaces_graph(cli, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    data = json.loads(cli("stats", "--json", "--data", str(empty)).out)
    assert data["counts"]["observations"] == 0
    assert data["counts"]["categories"] == 8


def test_readme_mentions_every_command():
    readme = (Path(ROOT) / "README.md").read_text()
    for command in (
        "sei-kg export",
        "sei-kg stats",
        "sei-kg query",
        "sei-kg queries",
        "sei-kg validate",
        "sei-kg serve",
    ):
        assert command in readme


EXTRA_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix ex: <http://example.org/shapes#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:NoObservations a sh:NodeShape ; rdfs:label "A test rule that every observation breaks"@en ;
    sh:targetClass qb:Observation ; sh:severity sh:Violation ;
    sh:property [ sh:path rdfs:seeAlso ; sh:minCount 1 ; sh:message "needs rdfs:seeAlso"@en ] .
"""


def test_validate_with_extra_shapes(cli, tmp_path):
    extra = tmp_path / "extra.shapes.ttl"
    extra.write_text(EXTRA_SHAPE)
    result = cli("validate", "--shapes", str(extra), "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    broken = [r for r in doc["results"] if r["severity"] == "Violation"]
    assert {r["rule_id"] for r in broken} == {"http://example.org/shapes#NoObservations"}
    assert len(broken) == ALL_FIGURES


def test_validate_refuses_shapes_with_service(cli, tmp_path):
    extra = tmp_path / "service.shapes.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://e/S> a sh:NodeShape ; sh:targetNode <http://e/x> ; sh:sparql [ sh:select "
        '"SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> { $this ?p ?o } }" ] .\n'
    )
    result = cli("validate", "--shapes", str(extra))
    assert result.code == 3
    assert "SERVICE" in result.err and "Traceback" not in result.err


def test_validation_never_follows_owl_imports(cli, tmp_path):
    """A data file importing a URL on a local listener: the listener sees no connection."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                seen.append(conn)
                conn.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    data = tmp_path / "imports.ttl"
    data.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://e/onto> a owl:Ontology ; owl:imports <http://127.0.0.1:{port}/onto.ttl> .\n"
    )
    shapes = tmp_path / "imports.shapes.ttl"
    shapes.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://e/shapes> a owl:Ontology ; owl:imports <http://127.0.0.1:{port}/shapes.ttl> .\n"
    )
    try:
        result = cli("validate", str(data), "--shapes", str(shapes))
    finally:
        stop.set()
        thread.join()
        server.close()
    assert result.code in (0, 1), result.err
    assert seen == []


# ---------------------------------------------------------------------------
# The versions and divisions views through the front door

DIVISIONS = ROOT / "graph" / "reference" / "divisions.ttl"
SPARQL_PREFIXES = (
    "PREFIX sei: <https://w3id.org/sei-kg/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
)


def test_divisions_view_without_the_skeleton_is_refused_in_one_line(cli, tmp_path):
    for command in (
        ["viz", "-o", str(tmp_path / "d.png")],
        ["stats", "--graph"],
    ):
        result = cli(*command, "--view", "divisions", "--province", "山东")
        assert result.code == 2, result.err
        assert "add --with divisions" in result.err and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())  # nothing half-written


def test_stats_graph_of_the_versions_and_divisions_views(cli, kg):
    versions = json.loads(cli("stats", "--graph", "--json", "--view", "versions").out)
    schemes = kg.query(
        SPARQL_PREFIXES + "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s sei:instrument ?i }"
    )
    assert versions["view"] == "versions"
    assert versions["nodes by kind"]["scheme"] == int(schemes.rows[0].n)
    divisions = cli(
        "stats", "--graph", "--json", "--view", "divisions", "--province", "370000",
        "--with", "divisions",
    )  # fmt: skip
    assert divisions.code == 0, divisions.err
    inside = (
        Graph()
        .parse(DIVISIONS)
        .query(
            SPARQL_PREFIXES + "SELECT (COUNT(?d) AS ?n) WHERE { ?d sei:locatedIn+ "
            "<https://w3id.org/sei-kg/place/370000> }"
        )
    )
    assert json.loads(divisions.out)["nodes"] == 1 + int(next(iter(inside)).n)


def test_views_on_an_oxigraph_store_are_those_of_the_memory_store(cli, kg_divisions, tmp_path):
    """A store loaded with the skeleton draws the city, versions and divisions views
    byte for byte as the memory store with --with divisions does (no --with needed)."""
    from seikg.views.write import render_view

    location = tmp_path / "kg"
    loaded = cli("load", str(DIVISIONS), "--shipped", "--store", f"oxigraph:{location}")
    assert loaded.code == 0, loaded.err
    for view, focus in (
        ("city", {"city": "青岛"}),
        ("versions", {"category": "新材料"}),
        ("divisions", {"province": "Shandong"}),
    ):
        target = tmp_path / f"{view}.json"
        options = [a for key, value in focus.items() for a in (f"--{key}", value)]
        result = cli(
            "viz", "--view", view, "--lang", "zh", *options, "-o", str(target),
            "--store", f"oxigraph:{location}",
        )  # fmt: skip
        assert result.code == 0, result.err
        memory, _notes = render_view(kg_divisions, "json", view=view, lang="zh", **focus)
        assert target.read_bytes() == memory, view
