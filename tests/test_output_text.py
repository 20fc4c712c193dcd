"""Text that is data stays data: rich markup in a value is shown, not interpreted; control
characters are escaped in Turtle and N-Triples, refused in XML 1.0 (which cannot carry
them), and never reach the terminal raw."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.rdf.export import serialize
from seikg.sparql.results import ResultFormat, Row, SelectResult

from conftest import run_cli

TRICKY = "a\x01b\x1b[31mc\rd\ne\tf\x7fg\x00h"


def graph_with(value: str) -> Graph:
    graph = Graph()
    graph.add((URIRef("http://e/a"), URIRef("http://e/p"), Literal(value)))
    return graph


@pytest.mark.parametrize(
    "fmt", [RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.TRIG, RdfFormat.NQUADS]
)
def test_line_formats_escape_control_characters_and_keep_the_value(fmt):
    data = serialize(graph_with(TRICKY), fmt)
    assert not any(byte < 0x20 and byte not in (0x09, 0x0A) for byte in data), data
    assert 0x7F not in data
    values = [q.object.value for q in ox.parse(data, format=fmt.oxigraph)]
    assert values == [TRICKY]


def test_rdfxml_refuses_a_control_character_naming_the_literal():
    with pytest.raises(BadInputError) as info:
        serialize(graph_with(TRICKY), RdfFormat.RDFXML)
    message = str(info.value)
    assert "XML 1.0 cannot carry" in message and "U+0001" in message and "a\\x01b" in message


def test_rdfxml_keeps_a_carriage_return():
    data = serialize(graph_with("line\r\nnext\ttab"), RdfFormat.RDFXML)
    ET.fromstring(data)  # well-formed XML 1.0
    values = [q.object.value for q in ox.parse(data, format=ox.RdfFormat.RDF_XML)]
    assert values == ["line\r\nnext\ttab"]


def test_export_as_xml_of_such_a_literal_is_one_line_and_exit_2(tmp_path):
    facts = tmp_path / "facts.nt"
    facts.write_text('<http://e/a> <http://e/p> "bell\\u0007" .\n')
    result = run_cli(
        "export", "--format", "xml", "--data", str(facts), "-o", str(tmp_path / "x.rdf")
    )
    assert result.code == 2 and "U+0007" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "x.rdf").exists()


def _result(value: str) -> SelectResult:
    return SelectResult(("x",), (Row(("x",), (Literal(value),)),))


def test_sparql_xml_results_refuse_what_xml_cannot_carry():
    with pytest.raises(BadInputError, match=r"U\+001B"):
        _result(TRICKY.replace("\x01", "")).serialize(ResultFormat.XML)
    text = _result("cr\r here").serialize(ResultFormat.XML)
    assert ET.fromstring(text) is not None and "&#13;" in text


def test_tsv_escapes_control_characters():
    text = _result(TRICKY).serialize(ResultFormat.TSV)
    assert "\\u0001" in text and "\x1b" not in text and "\x00" not in text


@pytest.mark.parametrize("value", ["[/x]", "[bold]loud[/bold]", "[link=http://e/]x[/link]", "\\[x"])
def test_a_table_shows_markup_as_text(value):
    table = _result(value).serialize(ResultFormat.TABLE)
    assert value in table


def test_a_table_never_writes_control_characters():
    table = _result("\x1b]0;title\x07\x1b[2J").serialize(ResultFormat.TABLE)
    assert "\x1b" not in table and "\x07" not in table
    assert "\\x1b]0;title\\x07" in table


def test_markup_in_a_query_result_through_the_command(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text('SELECT ?x WHERE { BIND("[/x] [bold]a" AS ?x) }')
    result = run_cli("query", str(query), "--format", "table")
    assert result.code == 0, result.err
    assert "[/x] [bold]a" in result.out
