"""Both engines, the same violations: pyshacl on rdflib, and the shapes translated to SPARQL
running on an Oxigraph store.  The shipped graph here; every rule case (test_shapes.py) and
every mutation (test_mutations.py) check parity on the same report they already compute."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from seikg.formats import RdfFormat
from seikg.kg import KnowledgeGraph
from seikg.rdf.terms import to_rdflib
from seikg.store_validation import sparql_validate
from seikg.validation import validate


def _oxigraph_report(kg: KnowledgeGraph):
    store = ox.Store()
    for triple in kg.graph:
        from seikg.rdf.terms import to_oxigraph

        store.add(ox.Quad(*(to_oxigraph(t) for t in triple)))

    def select(query):
        solutions = store.query(query)
        names = [v.value for v in solutions.variables]
        return [
            {n: (to_rdflib(s[n]) if s[n] is not None else None) for n in names} for s in solutions
        ]

    def describe(nodes):
        graph = Graph()
        for node in nodes:
            for s, p, o in kg.data.triples((node, None, None)):
                graph.add((s, p, o))
        return graph

    return sparql_validate(kg, select, describe, meta=False)


def _identities(report):
    return {(r.severity.value, r.rule_id, r.focus_node) for r in report.results}


def assert_parity(kg: KnowledgeGraph, reference=None) -> None:
    """The translated shapes on Oxigraph report what pyshacl reports."""
    reference = reference if reference is not None else validate(kg, meta=False)
    translated = _oxigraph_report(kg)
    assert _identities(translated) == _identities(reference), (
        reference.render(),
        translated.render(),
    )


def test_parity_on_the_shipped_graph():
    kg = KnowledgeGraph.load()
    assert_parity(kg)
    assert _oxigraph_report(kg).conforms


def test_store_round_trip(tmp_path):
    """Load the shipped graph into an on-disk store, reopen it, validate and query it there."""
    from seikg import resources
    from seikg.stores import OxigraphStore

    store = OxigraphStore(tmp_path / "kg")
    added = store.load(resources.graph_files())
    assert added > 1000
    del store
    reopened = OxigraphStore(tmp_path / "kg")
    report = reopened.validate()
    assert report.conforms, report.render()
    kg = KnowledgeGraph.load()
    exported = Graph().parse(data=reopened.export(RdfFormat.NTRIPLES), format="nt")
    assert len(exported) == len(kg.graph)
