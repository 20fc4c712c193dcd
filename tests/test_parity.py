"""Every engine, the same report: pyshacl on the memory store, and the shapes translated to
SPARQL on an Oxigraph store and on an Oxigraph server.  The renderings in text and JSON
must be byte-identical, so everything in them is compared: focus node, source shape,
constraint component, severity, path, value, message and the figures named with their
sources.  The shipped graph here; every rule case (test_shapes.py) and every mutation
(test_mutations.py) check parity on the report they already compute."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from seikg.formats import RdfFormat
from seikg.kg import KnowledgeGraph
from seikg.rdf.terms import to_oxigraph
from seikg.stores import OxigraphStore
from seikg.validation import ReportFormat, ValidationReport


def oxigraph_copy(kg: KnowledgeGraph) -> OxigraphStore:
    """An in-memory Oxigraph store holding what the memory store holds, with its shapes."""
    store = OxigraphStore.temporary(shapes=kg.shapes)
    store.store.extend(
        ox.Quad(*(to_oxigraph(t) for t in triple), ox.DefaultGraph())  # type: ignore[misc]
        for triple in kg.graph
    )
    return store


def assert_same_report(reference: ValidationReport, other: ValidationReport, what: str) -> None:
    """Two reports render to the same bytes, in text and in JSON."""
    for fmt in (ReportFormat.JSON, ReportFormat.TEXT):
        assert other.render(fmt) == reference.render(fmt), (
            f"{what} differs from the memory store ({fmt.value})",
            reference.render(fmt),
            other.render(fmt),
        )


def assert_parity(kg: KnowledgeGraph, reference: ValidationReport | None = None, server=None):
    """The translated shapes on Oxigraph (and on a server, when given) report what pyshacl
    reports, to the byte."""
    reference = reference if reference is not None else kg.validate(meta=False)
    assert_same_report(reference, oxigraph_copy(kg).validate(meta=False), "an Oxigraph store")
    if server is not None:
        assert_same_report(reference, server.validate_copy(kg), "an Oxigraph server")


def test_parity_on_the_shipped_graph():
    kg = KnowledgeGraph.load()
    assert_parity(kg)
    assert oxigraph_copy(kg).validate().conforms


def test_store_round_trip(tmp_path):
    """Load the shipped graph into an on-disk store, reopen it, validate and query it there."""
    from seikg import resources

    store = OxigraphStore(tmp_path / "kg")
    added = store.load(resources.graph_files())
    assert added > 1000
    del store
    reopened = OxigraphStore(tmp_path / "kg", create=False)
    report = reopened.validate()
    assert report.conforms, report.render()
    kg = KnowledgeGraph.load()
    exported = Graph().parse(data=reopened.export(RdfFormat.NTRIPLES), format="nt")
    assert len(exported) == len(kg.graph)
    assert reopened.stats().as_dict() == kg.stats().as_dict()


def test_store_exports_and_counts_as_the_memory_store(tmp_path, monkeypatch):
    """Sorted N-Triples streamed from an Oxigraph store (its dump, sorted externally in
    runs of a few kilobytes here) are the memory store's bytes; stats give the same numbers."""
    from seikg.bench.synthetic import generate
    from seikg.rdf import sorting
    from seikg.stores import MemoryStore

    data = tmp_path / "synthetic.nt"
    generate(data, cities=3, years=2, seed=5, error_rate=0.5)
    kg = KnowledgeGraph.load([data])
    store = OxigraphStore(tmp_path / "kg")
    store.load([data])
    same_triples = MemoryStore(kg.ontology, shapes=Graph(), data=kg.data)
    expected = same_triples.export(RdfFormat.NTRIPLES)
    assert store.export(RdfFormat.NTRIPLES) == expected
    monkeypatch.setattr(sorting, "RUN_BYTES", 4096)  # many runs: the merge is what writes
    assert store.export(RdfFormat.NTRIPLES) == expected
    assert store.stats().as_dict() == kg.stats().as_dict()
