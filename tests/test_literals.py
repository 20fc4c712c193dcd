"""Literals: ill-typed ones refused where they are written, in every format; one canonical
form for decimals and integers; one way to print a number."""

from __future__ import annotations

import logging

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from seikg.errors import BadInputError, LimitError
from seikg.rdf.literals import literal_problem, quiet_literal_warnings
from seikg.rdf.parsing import parse_into
from seikg.rdf.terms import canonical_lexical, canonical_literal, to_rdflib
from seikg.sparql.numbers import format_number

from conftest import run_cli

X = "http://www.w3.org/2001/XMLSchema#"


def _turtle(value: str, datatype: str) -> str:
    return f'@prefix xsd: <{X}> .\n<http://e/a> <http://e/p> "ok" ;\n  <http://e/q> "{value}"^^xsd:{datatype} .\n'


def _ntriples(value: str, datatype: str) -> str:
    return f'<http://e/a> <http://e/p> "ok" .\n<http://e/a> <http://e/q> "{value}"^^<{X}{datatype}> .\n'


def _jsonld(value: str, datatype: str) -> str:
    return (
        '{"@id": "http://e/a",\n "http://e/p": "ok",\n'
        f' "http://e/q": {{"@value": "{value}", "@type": "{X}{datatype}"}}}}\n'
    )


def _rdfxml(value: str, datatype: str) -> str:
    return (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:e="http://e/">\n  <rdf:Description rdf:about="http://e/a">\n'
        f'    <e:q rdf:datatype="{X}{datatype}">{value}</e:q>\n  </rdf:Description>\n</rdf:RDF>\n'
    )


FORMATS = {
    "ttl": (_turtle, 3),
    "trig": (_turtle, 3),
    "nt": (_ntriples, 2),
    "jsonld": (_jsonld, 3),
    "rdf": (_rdfxml, 4),
}
ILL_TYPED = [
    ("abc", "integer"),
    ("2019-13-01", "date"),
    ("NaN", "decimal"),
    ("2019-02-30", "date"),
    ("12:61:00", "time"),
    ("yes", "boolean"),
    ("300", "byte"),
    ("1_000", "integer"),
    ("٣", "integer"),
    ("abc", "double"),
    ("2019-1", "gYearMonth"),
]


@pytest.mark.parametrize("extension", list(FORMATS))
@pytest.mark.parametrize(("value", "datatype"), ILL_TYPED, ids=[f"{v}-{d}" for v, d in ILL_TYPED])
def test_an_ill_typed_literal_is_refused_with_file_line_and_column(
    tmp_path, extension, value, datatype
):
    write, line = FORMATS[extension]
    path = tmp_path / f"facts.{extension}"
    path.write_text(write(value, datatype))
    with pytest.raises(BadInputError) as info:
        parse_into(Graph(), path)
    error = info.value
    assert error.path == str(path) and error.line == line and error.column is not None
    assert f'ill-typed literal "{value}"^^xsd:{datatype}' in error.reason


def test_a_5000_digit_integer_is_refused_as_a_limit_with_its_position(tmp_path):
    path = tmp_path / "big.ttl"
    path.write_text(
        "<http://e/a> <http://e/p> 1 .\n<http://e/a> <http://e/q> " + "7" * 5000 + " .\n"
    )
    with pytest.raises(LimitError, match=r"big\.ttl:2:27: a number literal of 5,000 digits"):
        parse_into(Graph(), path)


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("1", "decimal"), ("-0.0", "decimal"), (" 5 ", "integer"), ("INF", "double"), ("-INF", "float"),
     ("2020-02-29", "date"), ("2019-12-31T23:59:59.5Z", "dateTime"), ("P1Y2M", "duration"),
     ("--02-29", "gMonthDay"), ("0", "boolean"), ("00FF", "hexBinary")],
)  # fmt: skip
def test_valid_literals_pass(value, datatype):
    assert literal_problem(value, X + datatype) is None


@pytest.mark.parametrize(
    ("value", "datatype"), [("2019-12-31T24:00:00", "dateTime"), ("0000-01-01", "date")]
)
def test_valid_values_rdflib_cannot_hold_are_refused_too(value, datatype):
    assert "cannot read" in literal_problem(value, X + datatype)


def test_a_triple_term_is_refused_with_its_position(tmp_path):
    path = tmp_path / "star.ttl"
    path.write_text("<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p>\n"
                    "    << <http://e/s> <http://e/p> <http://e/o> >> .\n")  # fmt: skip
    with pytest.raises(BadInputError) as info:
        parse_into(Graph(), path)
    assert (info.value.path, info.value.line, info.value.column) == (str(path), 3, 5)
    assert "triple terms" in info.value.reason


def test_the_command_says_it_in_one_line(tmp_path):
    path = tmp_path / "facts.ttl"
    path.write_text(_turtle("abc", "integer"))
    result = run_cli("validate", str(path))
    assert result.code == 2
    assert (
        result.err
        == f'sei-kg: error: {path}:3:16: ill-typed literal "abc"^^xsd:integer: not a valid xsd:integer\n'
    )


def test_rdflib_never_prints_a_traceback_for_an_ill_typed_literal(kg, capsys, caplog):
    quiet_literal_warnings()
    with caplog.at_level(logging.WARNING, logger="rdflib.term"):
        result = kg.query(f'SELECT ?x WHERE {{ BIND(STRDT("abc", <{X}integer>) AS ?x) }}')
    assert str(result.rows[0].x) == "abc"
    assert "Traceback" not in capsys.readouterr().err
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]


# ---------------------------------------------------------------------------
# One canonical form


@pytest.mark.parametrize(
    ("lexical", "canonical"),
    [("6.40", "6.4"), ("1", "1.0"), ("+5.0", "5.0"), ("-0.0", "0.0"), ("0.0", "0.0"), (".5", "0.5"),
     ("-.50", "-0.5"), ("007.100", "7.1"), ("5.", "5.0"), ("100000000000.0", "100000000000.0"),
     ("abc", "abc")],
)  # fmt: skip
def test_canonical_decimals(lexical, canonical):
    assert canonical_lexical(lexical, X + "decimal") == canonical


@pytest.mark.parametrize(
    ("lexical", "canonical"), [("007", "7"), ("+5", "5"), ("-0", "0"), ("-012", "-12"), ("0", "0")]
)
def test_canonical_integers(lexical, canonical):
    assert canonical_lexical(lexical, X + "integer") == canonical


def test_other_datatypes_are_left_alone():
    assert canonical_literal(Literal("007", datatype=XSD.int)) == Literal("007", datatype=XSD.int)
    assert canonical_lexical("1.50E0", X + "boolean") == "1.50E0"


@pytest.mark.parametrize(
    ("lexical", "datatype", "canonical"),
    [
        ("1.50E0", "double", "1.5E0"),
        ("1e1", "double", "1.0E1"),
        ("10", "double", "1.0E1"),
        ("-0.00012", "double", "-1.2E-4"),
        ("NaN", "double", "NaN"),
        ("-INF", "float", "-INF"),
        ("1e39", "float", "INF"),
        ("abc", "double", "abc"),
    ],
)
def test_canonical_doubles_and_floats(lexical, datatype, canonical):
    """XSD's canonical form, which rdflib ("10.0", "inf") and Oxigraph ("10") both miss."""
    assert canonical_lexical(lexical, X + datatype) == canonical
    literal = canonical_literal(Literal(lexical, datatype=XSD[datatype], normalize=False))
    assert str(literal) == canonical


def test_every_parse_gives_the_canonical_form():
    for lexical, expected in (("6.40", "6.4"), ("30", "30.0"), ("+5.0", "5.0")):
        term = to_rdflib(ox.Literal(lexical, datatype=ox.NamedNode(X + "decimal")))
        assert str(term) == expected


def test_the_same_value_from_a_file_and_from_oxigraph(tmp_path):
    path = tmp_path / "n.ttl"
    path.write_text(f'<http://e/a> <http://e/p> "6.40"^^<{X}decimal> , "007"^^<{X}integer> .\n')
    graph = Graph()
    parse_into(graph, path)
    store = ox.Store()
    store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
    from_store = {str(to_rdflib(q.object)) for q in store}
    assert {str(o) for o in graph.objects()} == from_store == {"6.4", "7"}


# ---------------------------------------------------------------------------
# The number formatter


@pytest.mark.parametrize(
    ("lexical", "datatype", "text"),
    [("7.067137809187279151943462898", "decimal", "7.067138"),  # rdflib, 28 digits
     ("7.067137809187279151", "decimal", "7.067138"),  # Oxigraph, 18 fractional digits
     ("0.1234565", "decimal", "0.123456"), ("0.1234575", "decimal", "0.123458"),  # half-even
     ("30", "decimal", "30.0"), ("6.400000", "decimal", "6.4"), ("-0.0000004", "decimal", "0.0"),
     ("007", "integer", "7"), ("2.5E0", "double", "2.5"), ("NaN", "double", "NaN")],
)  # fmt: skip
def test_format_number(lexical, datatype, text):
    assert format_number(Literal(lexical, datatype=URIRef(X + datatype))) == text


@pytest.mark.parametrize(
    "bad, message",
    [
        ('"abc"^^<http://www.w3.org/2001/XMLSchema#integer>', "ill-typed literal"),
        ('"2019-13-01"^^<http://www.w3.org/2001/XMLSchema#date>', "ill-typed literal"),
        ('"N\\u0061N"^^<http://www.w3.org/2001/XMLSchema#decimal>', "ill-typed literal"),
        ("<<( <http://e/a> <http://e/b> <http://e/c> )>>", "triple terms"),
    ],
)
def test_a_large_line_file_streamed_to_oxigraph_is_checked_too(cli, tmp_path, bad, message):
    """N-Triples above the streaming size go to Oxigraph by path; the same literal and term
    checks apply, with the line and column, and nothing is loaded."""
    good = [
        f'<http://e/s{i}> <http://e/p> "{i}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        for i in range(30000)
    ]
    lines = [*good[:29990], f"<http://e/x> <http://e/p> {bad} .\n", *good[29990:]]
    data = tmp_path / "big.nt"
    data.write_text("".join(lines), encoding="utf-8")
    assert data.stat().st_size > (1 << 20)
    store = tmp_path / "store"
    result = cli("load", "--store", f"oxigraph:{store}", "--no-shipped", str(data))
    assert result.code == 2, result.err
    assert f"{data}:29991:27: " in result.err and message in result.err, result.err
    if store.exists():  # an empty store that was created for the load is emptied again
        from seikg.kg import KnowledgeGraph

        assert len(KnowledgeGraph.open(f"oxigraph:{store}")) == 0
