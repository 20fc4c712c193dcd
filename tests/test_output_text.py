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


_LABELS = {
    "markup": "[/x] Qingdao [bold]",
    "escape sequences": "\x1b]8;;https://evil.example/\x07Qingdao\x1b]8;;\x07\x1b[2J",
}


def _places_labelled(tmp_path, label: str):
    """The shipped facts with Qingdao's English label replaced."""
    from seikg import resources

    files = []
    for path in resources.graph_files():
        text = path.read_text(encoding="utf-8")
        if path.name == "places.ttl":
            escaped = label.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
            text = text.replace('"Qingdao"@en', f'"{escaped}"@en', 1)
            assert escaped in text
        target = tmp_path / path.name
        target.write_text(text, encoding="utf-8")
        files.append(str(target))
    return files


def _data_args(files):
    return [arg for path in files for arg in ("--data", path)]


@pytest.mark.parametrize("kind", list(_LABELS))
def test_stats_shows_labels_as_text_on_every_store(tmp_path, kind):
    """A label holding rich markup crashed stats (MarkupError, exit 5), and one holding
    escape sequences reached the terminal raw (a link, a screen clear): stats takes its
    cells from the same function as query tables, on every store."""
    label = _LABELS[kind]
    files = _places_labelled(tmp_path, label)
    location = tmp_path / "kg"
    assert run_cli("load", *files, "--store", f"oxigraph:{location}").code == 0
    shown = label.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
    for store_args in (_data_args(files), ["--store", f"oxigraph:{location}"]):
        result = run_cli("stats", *store_args)
        assert result.code == 0, result.err
        assert shown in result.out and "\x1b" not in result.out and "\x07" not in result.out


def test_validate_and_graph_facts_show_labels_as_text(tmp_path):
    from seikg.views import render_facts

    label = _LABELS["escape sequences"]
    files = _places_labelled(tmp_path, label)
    facts = {
        "view": "full", "nodes": 2, "edges": 1, "weakly connected components": 1,
        "largest component": 2, "density": 0.5, "nodes by kind": {_LABELS["markup"]: 1},
        "edges by relation": {label: 1}, "degree": {"place": [(label, 1)]},
    }  # fmt: skip
    text = render_facts(facts)
    assert _LABELS["markup"] in text
    assert "\x1b" not in text and "\\x1b]8;;https://evil.example/" in text
    broken = [f.replace("qingdao-2019.ttl", "broken.ttl") for f in files]
    text = (
        (tmp_path / "qingdao-2019.ttl")
        .read_text()
        .replace('"3.1"^^xsd:decimal', '"3.5"^^xsd:decimal')
    )
    (tmp_path / "broken.ttl").write_text(text)
    report = run_cli("validate", *broken)
    assert report.code == 1, report.err
    assert "\x1b" not in report.out and "\\x1b]8;;https://evil.example/" in report.out


def test_terminal_text_keeps_line_ends_and_tabs():
    from seikg.terminal import cell, shown

    assert shown("a\tb\nc\rd\x9be") == "a\tb\nc\\x0dd\\x9be"
    assert cell("[bold]x[/bold]").plain == "[bold]x[/bold]"


@pytest.mark.parametrize(
    ("predicate", "writable"),
    [
        ("http://example.org/p/", False),
        ("http://example.org/p/1", False),
        ("http://example.org/p#", False),
        ("urn:x:1", False),
        ("http://example.org/p1", True),
        ("http://example.org/1a", True),
        ("http://example.org/p.q-r_s", True),
        ("http://example.org/青岛", True),
    ],
)
def test_rdfxml_writes_a_predicate_as_an_xml_name_or_refuses_it(tmp_path, predicate, writable):
    """Oxigraph wrote a predicate ending in "/" as <oxprefix: xmlns:oxprefix=...>, which is
    not XML, and the export succeeded; now such a predicate is refused, naming it, on every
    store, and what is written is read back by an XML parser."""
    data = tmp_path / "pred.nt"
    data.write_text(f'<http://example.org/s> <{predicate}> "x" .\n', encoding="utf-8")
    location = tmp_path / "kg"
    assert run_cli("load", str(data), "--store", f"oxigraph:{location}").code == 0
    for store_args in (["--data", str(data)], ["--store", f"oxigraph:{location}"]):
        target = tmp_path / "out.rdf"
        result = run_cli("export", *store_args, "--format", "xml", "-o", str(target))
        if writable:
            assert result.code == 0, result.err
            root = ET.parse(target).getroot()  # well-formed XML, the predicate an element
            assert predicate in {el.tag.replace("{", "").replace("}", "") for el in root.iter()}
            graph = Graph().parse(target, format="xml")
            assert (None, URIRef(predicate), Literal("x")) in graph
            target.unlink()
        else:
            assert result.code == 2, result.err
            assert result.err.count("\n") == 1 and f"<{predicate}>" in result.err
            assert "Turtle, N-Triples or JSON-LD" in result.err
            assert not target.exists()
