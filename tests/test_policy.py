"""One parse decides: the text an engine runs is the text the policy inspected.

SPARQL decodes ``\\u`` escapes once, over the whole text, before parsing; rdflib
decodes them again when it parses, Oxigraph only inside strings and IRIs.  A
text that still holds an escape once decoded would be read one way by the
policy and another by the engine, so it is refused (exit 3), and every store
is handed the decoded text.  Each case runs on the memory store, an Oxigraph
store and a SPARQL endpoint (an Oxigraph server), as a query and inside user
shapes, and a loopback listener named in the hidden ``SERVICE`` must see no
connection at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seikg.errors import PolicyError
from seikg.sparql.policy import AmbiguousText, decode_escapes, prepare

from conftest import CliResult, Listener, run_cli

# {canary} is replaced by the listener's URL.  Exit codes: 3 refused by the policy; 0 the
# text decoded once hides SERVICE inside a string for every engine alike.
QUERIES = {
    "an escape that decodes to an escape": (
        'SELECT * WHERE { BIND("\\u005Cu0022" AS ?a) SERVICE <{canary}/double> { ?s ?p ?o } '
        'BIND("\\u005Cu0022" AS ?b) }',
        3,
    ),
    "an escaped u that completes an escape": (
        'SELECT * WHERE { BIND("\\\\u00750022" AS ?a) SERVICE <{canary}/u> { ?s ?p ?o } '
        'BIND("\\\\u00750022" AS ?b) }',
        3,
    ),
    "a short \\U that rdflib reads": (
        'SELECT * WHERE { BIND("\\U0022" AS ?a) SERVICE <{canary}/short> { ?s ?p ?o } '
        'BIND("\\U0022" AS ?b) }',
        3,
    ),
    "eight digits after \\u (rdflib would read one character)": (
        'SELECT * WHERE { BIND("x\\u00000022 AS ?a) SERVICE <{canary}/eight> { ?s ?p ?o } '
        'BIND(\\u00000022" AS ?b) }',
        0,
    ),
    "one escape, read alike by every engine": (
        'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <{canary}/once> { ?s ?p ?o } '
        'BIND("\\u0022" AS ?b) }',
        0,
    ),
    "a keyword written in codepoints": (
        "SELECT * WHERE { \\u0053ERVICE <{canary}/keyword> { ?s ?p ?o } }",
        3,
    ),
}

SHAPES = {
    "an escape that decodes to an escape": (
        'BIND("\\\\u005Cu0022" AS ?a) SERVICE <{canary}/shape> { ?s ?p ?o } '
        'BIND("\\\\u005Cu0022" AS ?b)',
        {3},
    ),
    "one escape in Turtle, one in the query": (
        'BIND("\\\\u0022" AS ?a) SERVICE <{canary}/shape2> { ?s ?p ?o } BIND("\\\\u0022" AS ?b)',
        # pyshacl refuses the word SERVICE even inside a string (2); a store runs it (0, 1)
        {0, 1, 2},
    ),
    "a live SERVICE": ("SERVICE <{canary}/live> { ?s ?p ?o }", {3}),
}

COMMENTED_WHERE = (
    "SELECT $this # WHERE { SERVICE <{canary}/comment> { ?s ?p ?o } }\nWHERE { $this ?p ?o }"
)


@pytest.fixture(params=["memory", "oxigraph", "sparql"])
def store(request, oxigraph_store):
    if request.param == "memory":
        return "memory"
    if request.param == "oxigraph":
        return oxigraph_store
    return request.getfixturevalue("shared_server").store


@pytest.mark.parametrize("name", QUERIES)
def test_a_query_is_inspected_as_every_engine_reads_it(name, store, canary, tmp_path):
    text, code = QUERIES[name]
    query = tmp_path / "q.rq"
    query.write_text(text.replace("{canary}", f"http://127.0.0.1:{canary.port}"))
    result = run_cli("query", str(query), "--store", store)
    assert result.code == code, result.err
    if code == 3 and "escape" in name:
        assert "q.rq:1:24: once its escapes are decoded" in result.err, result.err
    assert "Traceback" not in result.err
    canary.assert_quiet()


def _validate(shapes: Path, store: str) -> CliResult:
    """Validate with extra shapes; on the memory store over one small fact (pyshacl on the
    whole graph takes long, and the policy is what is tested here)."""
    if store != "memory":
        return run_cli("validate", "--shapes", str(shapes), "--store", store)
    data = shapes.with_name("x.ttl")
    data.write_text("<http://example.org/x> <http://example.org/p> 1 .\n")
    return run_cli("validate", str(data), "--shapes", str(shapes))


def _shapes(select_body: str, canary: Listener) -> str:
    body = select_body.replace("{canary}", f"http://127.0.0.1:{canary.port}")
    return (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ;\n"
        f'  sh:sparql [ sh:select """SELECT $this WHERE {{ {body} }}""" ] .\n'
    )


@pytest.mark.parametrize("name", SHAPES)
def test_shapes_go_through_the_same_policy_on_every_store(name, store, canary, tmp_path):
    body, codes = SHAPES[name]
    shapes = tmp_path / "s.ttl"
    shapes.write_text(_shapes(body, canary))
    result = _validate(shapes, store)
    assert result.code in codes, result.err
    assert "Traceback" not in result.err
    canary.assert_quiet()


def test_a_where_in_a_comment_is_not_where_the_target_goes(oxigraph_store, canary, tmp_path):
    """The target pattern is joined into the WHERE clause, not into a comment that says WHERE
    (which would have made the rest of the comment a live SERVICE): the translation of the
    shapes for a store (an endpoint gets the same text)."""
    store = oxigraph_store
    shapes = tmp_path / "s.ttl"
    text = COMMENTED_WHERE.replace("{canary}", f"http://127.0.0.1:{canary.port}")
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ;\n"
        f'  sh:sparql [ sh:select """{text}""" ] .\n'
    )
    result = _validate(shapes, store)
    assert result.code in (0, 1), result.err
    canary.assert_quiet()


def test_decoding_twice_changes_nothing():
    once = decode_escapes('SELECT * WHERE { ?s ?p "\\u00e9\\u005C" }')
    assert once == 'SELECT * WHERE { ?s ?p "é\\" }'
    assert decode_escapes(once) == once


def test_the_position_of_an_escape_left_is_where_it_was_written():
    with pytest.raises(AmbiguousText) as info:
        decode_escapes('ASK {\n  \\u0041 "\\u005Cu0022" }', source="q.rq")
    assert str(info.value).startswith("q.rq:2:11: ")


def test_prepare_refuses_an_escape_left_as_policy():
    with pytest.raises(PolicyError):
        prepare('ASK { FILTER("\\u005Cu0041" = "A") }')


def test_values_bound_into_the_text_cannot_bring_an_escape(oxigraph_store):
    from rdflib import Literal

    from seikg.stores import open_store

    store = open_store(oxigraph_store)
    with pytest.raises(AmbiguousText):
        store.query("SELECT ?v WHERE { ?s ?p ?v }", bindings={"v": Literal("\\u0022")})


@pytest.mark.parametrize("store", ["memory", "oxigraph"], indirect=True)
def test_a_declared_namespace_cannot_write_into_the_query(store, canary, tmp_path):
    """pyshacl and the translation (for an Oxigraph store and an endpoint alike) write every
    declared prefix before the shapes' texts, the shipped ones too: a namespace that is not
    an IRI is refused, never written."""
    url = f"http://127.0.0.1:{canary.port}/prefix"
    shapes = tmp_path / "s.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/sei-kg/ontology> sh:declare [ sh:prefix "zz" ; sh:namespace '
        f'"http://e/> SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} #"^^xsd:anyURI ] .\n'
    )
    result = _validate(shapes, store)
    assert result.code == 2, result.err
    assert "a prefix must be a name and a namespace an IRI" in result.err
    canary.assert_quiet()
