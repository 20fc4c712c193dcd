"""The tokenizer behind the nesting checks: brackets are counted where the grammars have
them, and nowhere else; the other ways a parser recurses are bounded too."""

from __future__ import annotations

import json
import time

import pytest

from seikg.errors import BadInputError, LimitError
from seikg.guard import check_nesting, check_query
from seikg.guard.inputs import check_jsonld_contexts, check_xml_depth
from seikg.guard.tokens import string_value, tokens

DEEP = "(" * 70 + "1" + ")" * 70


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in tokens(text)]


def test_less_than_hides_no_brackets():
    hidden = f"SELECT * WHERE {{ ?a ?p ?b FILTER(?a < {DEEP} > ?b) }}"
    with pytest.raises(LimitError, match="brackets nested more than 64"):
        check_query("q.rq", hidden, limit=64)


OPEN = "(" * 70


@pytest.mark.parametrize(
    "text",
    [
        f"ASK {{ ?a ?p ?b FILTER(?a <{OPEN}1>?b) }}",  # an IRI to the tokenizer, less-than to engines
        f"ASK {{ ?a ?p ?b FILTER(?a <{'!' * 70}1>?b) }}",  # a run of unary operators in it
        f"ASK {{ ?a ?p ?b FILTER regex(?a <{OPEN}1>?b) }}",  # a function as the constraint
        f"ASK {{ ?a ?p ?b BIND(?a <{OPEN}1> AS ?c) }}",
        f"SELECT (?a <{OPEN}1> AS ?c) WHERE {{ ?a ?p ?b }}",
        f"SELECT * WHERE {{ ?a ?p ?b }} ORDER BY (?a <{OPEN}1>)",
        f'ASK {{ FILTER(?a <(#> """\n{OPEN}\n""") }}',  # as less-than, the # is a comment
        f"ASK {{ FILTER(?a <x'> '{OPEN}' ) }}",  # as less-than, the ' opens a string
        f"ASK {{ ?s ?p <a'''> FILTER(?a <(#> '''\n{OPEN}\n''') }}",  # one of each reading
        f"ASK {{ ?s ?p ?o # comment\r{OPEN} }}",  # a comment ends at a carriage return
    ],
    ids=[
        "parentheses",
        "unary",
        "function",
        "bind",
        "projection",
        "order by",
        "comment",
        "string",
        "mixed",
        "carriage return",
    ],
)
def test_every_reading_of_less_than_is_checked(text):
    with pytest.raises(LimitError, match="nested more than 64"):
        check_query("q.rq", text, limit=64)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { VALUES (?p ?o) {\n"
        + "\n".join(f"  (<http://e/p#{i}> <http://e/o#{i}>)" for i in range(200))
        + "\n} ?s ?p ?o }",
        "SELECT * WHERE {\n"
        + "\n".join(
            f"  ?s{i} <http://e/p> (<http://e/a#{i}> <http://e/b#{i}>) ." for i in range(200)
        )
        + "\n}",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN ("
        + ", ".join(f"<http://e/o#{i}>" for i in range(500))
        + ")) }",
        "SELECT * WHERE { ?s <http://e/p#((((> ?o FILTER(?o < <http://e/(a)#b>) }",
    ],
    ids=["values rows", "collections", "in", "iri after an operator"],
)
def test_iris_that_are_iris_are_read_once(text):
    check_query("q.rq", text, limit=64)


def test_readings_meet_again():
    """Two thousand ambiguous IRIs, each read both ways, are checked in about the time of one
    reading: the two readings are one again after each."""
    text = "SELECT * WHERE { ?s ?p ?o\n" + "FILTER(?o <x>1)\n" * 2000 + "}"
    started = time.monotonic()
    with pytest.raises(LimitError, match="chains more than"):  # 2,000 FILTERs are a chain
        check_query("q.rq", text, limit=64)
    check_query("q.rq", text, limit=1000)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<http://e/a>", [("iri", "<http://e/a>")]),
        ("?a <?b>", [("var", "?a"), ("iri", "<?b>")]),
        ("?a < ?b", [("var", "?a"), ("op", "<"), ("var", "?b")]),
        ("?a <= 3", [("var", "?a"), ("op", "<="), ("name", "3")]),
        ('"a \\" ( b"', [("string", '"a \\" ( b"')]),
        ("'''x\n(\n'''", [("string", "'''x\n(\n'''")]),
        ('"""a "" ( """', [("string", '"""a "" ( """')]),
        ("# ( comment\n)", [("close", ")")]),
        ("# ( comment\r)", [("close", ")")]),
        ("<http://e/a#(>", [("iri", "<http://e/a#(>")]),
        ("ex:a\\(b", [("name", "ex:a\\(b")]),
        ("<< <http://e/s> >>", [("open", "<<"), ("iri", "<http://e/s>"), ("close", ">>")]),
        ("1.5e-3 .", [("name", "1.5e-3"), ("punct", ".")]),
        ('"x"^^xsd:integer', [("string", '"x"'), ("datatype", "^^"), ("name", "xsd:integer")]),
        ('"x"@zh-Hans', [("string", '"x"'), ("lang", "@zh-Hans")]),
    ],
)
def test_tokens(text, expected):
    assert kinds(text) == expected


def test_an_iri_holds_no_space():
    assert kinds("< http://e/a >")[0] == ("op", "<")


def test_unterminated_short_string_ends_at_the_line():
    assert kinds('"never closed ( (\n)') == [("string", '"never closed ( ('), ("close", ")")]


def test_string_values():
    assert string_value(r'"a\nb\u00e9\U0001F600"') == "a\nbé\U0001f600"
    assert string_value("'''long\n'''") == "long\n"


@pytest.mark.parametrize("fmt_json", [False, True])
def test_brackets_in_strings_and_comments_do_not_count(fmt_json):
    if fmt_json:
        text = json.dumps({"@id": "http://e/a", "http://e/p": "[" * 500})
    else:
        text = '<http://e/a> <http://e/p> "' + "(" * 500 + '" . # ' + "(" * 500 + "\n"
    check_nesting("f", text, limit=64, json_like=fmt_json, sparql=False)


def test_turtle_depth_names_line_and_column():
    text = "<http://e/a> <http://e/b>\n  " + "(" * 65 + ")" * 65 + " ."
    with pytest.raises(LimitError, match=r"^f\.ttl:2:67: brackets nested more than 64"):
        check_nesting("f.ttl", text, limit=64, json_like=False)


def test_a_run_of_unary_operators_counts_as_nesting():
    with pytest.raises(LimitError, match="unary operators"):
        check_query("q.rq", "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 100 + "?o) }", limit=64)
    check_query("q.rq", "SELECT * WHERE { ?s ?p ?o FILTER(!!?o && ?o != -1) }", limit=64)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT (" + " + ".join(["?o"] * 2000) + " AS ?x) WHERE { ?s ?p ?o }",
        "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?b{k})" for k in range(2000)) + " }",
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 2000) + " }",
        "SELECT * WHERE { " + " ".join(f"?s{k} ?p ?s{k + 1} ." for k in range(2000)) + " }",
    ],
    ids=["operators", "binds", "unions", "triple patterns"],
)
def test_long_chains_are_refused(text):
    with pytest.raises(LimitError, match="chains more than 1,024"):
        check_query("q.rq", text, limit=64)


def test_a_long_value_list_is_not_a_chain():
    check_query(
        "q.rq",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(["1"] * 5000) + ")) }",
        limit=64,
    )


@pytest.mark.parametrize("word", ["LIMIT", "limit", "OFFSET"])
def test_limit_beyond_the_machine_integers(word):
    text = f"SELECT * WHERE {{ ?s ?p ?o }}\n{word} 99999999999999999999999"
    with pytest.raises(BadInputError, match=rf"q\.rq:2:\d+: {word.upper()} 9+ is larger"):
        check_query("q.rq", text, limit=64)
    check_query("q.rq", f"SELECT * WHERE {{ ?s ?p ?o }} {word} 9223372036854775807", limit=64)


def test_a_chain_of_jsonld_term_definitions_is_refused():
    context = {f"t{i}": f"t{i + 1}:x" for i in range(200)}
    with pytest.raises(LimitError, match="@context term definitions chained 200 deep"):
        check_jsonld_contexts("c.jsonld", json.dumps({"@context": context}), limit=64)


def test_term_definitions_as_objects_and_nested_contexts_count_too():
    context = {f"t{i}": {"@id": f"t{i + 1}", "@type": "@id"} for i in range(100)}
    doc = {"@graph": [{"@context": context, "@id": "http://e/a"}]}
    with pytest.raises(LimitError, match="chained 100 deep"):
        check_jsonld_contexts("c.jsonld", json.dumps(doc), limit=64)


def _chain(make):
    return {f"t{i}": make(i) for i in range(100)}


@pytest.mark.parametrize(
    "context",
    [
        _chain(lambda i: {"@id": f"http://e/p{i}", "@container": "@index", "@index": f"t{i + 1}"}),
        _chain(lambda i: {"@id": f"http://e/p{i}", "@index": f"t{i + 1}"}),
        _chain(lambda i: {"@nest": f"t{i + 1}"}),
        _chain(lambda i: {"@id": f"http://e/p{i}", "@type": f"t{i + 1}:x"}),
        _chain(lambda i: {"@id": f"http://e/p{i}", "@container": ["@set", f"t{i + 1}"]}),
        _chain(lambda i: {f"t{i + 1}": f"http://e/p{i}"}),  # a keyword alias as a key
        _chain(lambda i: {"@id": f"http://e/p{i}", "@context": {"x": f"t{i + 1}:y"}}),
        {f"t{i}:x": f"t{i + 1}:x" for i in range(100)},
    ],
    ids=[
        "index container",
        "index",
        "nest",
        "type prefix",
        "container list",
        "alias key",
        "scoped context",
        "compact keys",
    ],
)
def test_every_way_a_term_definition_refers_to_another_counts(context):
    with pytest.raises(LimitError, match=r"chained 10[01] deep"):
        check_jsonld_contexts("c.jsonld", json.dumps({"@context": context}), limit=64)


def test_ordinary_contexts_pass():
    context = {"ex": "http://e/", "xsd": "http://www.w3.org/2001/XMLSchema#",
               "value": {"@id": "ex:value", "@type": "xsd:decimal"}, "cyclic": "cyclic:x"}  # fmt: skip
    check_jsonld_contexts("c.jsonld", json.dumps({"@context": context}), limit=64)


def test_deep_xml_is_refused_quickly():
    data = b"<a>" * 200_000 + b"</a>" * 200_000
    with pytest.raises(LimitError, match="XML elements nested more than 130"):
        check_xml_depth("a.rdf", data, limit=130)
