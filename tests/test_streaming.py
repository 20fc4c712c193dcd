"""Exports written as streams: the external sort, the blank node fallback, the command."""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest
from rdflib import Graph

from seikg.formats import RdfFormat
from seikg.kg import KnowledgeGraph
from seikg.rdf.sorting import write_sorted_unique
from seikg.stores import MemoryStore, OxigraphStore


@pytest.mark.parametrize("run_bytes", [1, 100, 10_000, 1 << 20])
def test_the_external_sort_is_sorted_set(run_bytes):
    rng = random.Random(run_bytes)
    lines = [
        f'<http://e/{rng.randrange(300)}> "{rng.random():.2f}" .\n'.encode() for _ in range(900)
    ]
    batches = [lines[i : i + 37] for i in range(0, len(lines), 37)]
    out = io.BytesIO()
    count = write_sorted_unique(batches, out, run_bytes=run_bytes)
    expected = b"".join(sorted(set(lines)))
    assert out.getvalue() == expected and count == len(set(lines))


def test_nothing_is_written_when_the_lines_fail():
    def batches():
        yield [b"a .\n"]
        raise RuntimeError("the store went away")

    out = io.BytesIO()
    with pytest.raises(RuntimeError):
        write_sorted_unique(batches(), out, run_bytes=1)
    assert out.getvalue() == b""


def test_blank_nodes_go_through_the_graph_writer():
    """A store with a blank node gives the labels the shared writer gives (not Oxigraph's)."""
    text = '<http://e/a> <http://e/p> [ <http://e/q> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> ] .'
    graph = Graph().parse(data=text, format="turtle")
    store = OxigraphStore.temporary()
    store.store.load(text.encode(), format=ox.RdfFormat.TURTLE)
    expected = MemoryStore(Graph(), shapes=Graph(), data=graph).export(RdfFormat.NTRIPLES)
    assert store.export(RdfFormat.NTRIPLES) == expected
    assert b"_:" in expected and b'"1.5"' in expected


def test_export_command_streams_the_store_to_a_file_and_to_stdout(cli, tmp_path):
    location = tmp_path / "kg"
    assert cli("load", "--store", f"oxigraph:{location}").code == 0
    expected = OxigraphStore.read_only(location).export(RdfFormat.NTRIPLES)
    target = tmp_path / "out.nt"
    done = cli("export", "--format", "nt", "--store", f"oxigraph:{location}", "-o", str(target))
    assert done.code == 0, done.err
    assert target.read_bytes() == expected
    shown = cli("export", "--format", "nt", "--store", f"oxigraph:{location}")
    assert shown.code == 0 and shown.out.encode() == expected
    assert cli("export", "--format", "nt").out.encode() == KnowledgeGraph.load().export(
        RdfFormat.NTRIPLES
    )


def test_an_endpoint_streams_what_the_graph_writer_writes(server, tmp_path):
    """A CONSTRUCT answer read as it arrives, line by line, gives the bytes the shared
    graph writer gives for the endpoint's triples (and an Oxigraph store's)."""
    from seikg.bench.synthetic import generate
    from seikg.rdf.export import serialize
    from seikg.stores import SparqlStore

    data = tmp_path / "synthetic.nt"
    generate(data, cities=2, years=2, seed=9, error_rate=0.5)
    remote = SparqlStore(server.store.split(":", 1)[1])
    remote.load([data])
    graph = Graph()
    for triple in remote.triples():
        graph.add(triple)
    streamed = remote.export(RdfFormat.NTRIPLES)
    assert streamed == serialize(graph, RdfFormat.NTRIPLES)
    embedded = OxigraphStore(tmp_path / "kg")
    embedded.load([data])
    assert streamed == embedded.export(RdfFormat.NTRIPLES)
