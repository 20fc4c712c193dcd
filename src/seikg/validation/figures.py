"""The figures a result involves, described for a reader from the triples around them.

A report names each figure with what it is (area · year · indicator, scope),
its value and unit, and where it comes from (document and paragraph, or the
figures it is derived from).  What is needed for that is fetched from the
store with one CONSTRUCT query (:data:`CONTEXT_QUERY`), the same on every
store, and the figures are described from that graph alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.namespaces import QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI
from seikg.sparql.numbers import format_number
from seikg.sparql.writers import short_text
from seikg.validation.report import Figure
from seikg.validation.rules import pick_english

CONTEXT_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?s ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?label . }
WHERE {
  ?s ?p ?o .
  OPTIONAL {
    ?o ?p2 ?o2 .
    FILTER (isIRI(?o))
    OPTIONAL { ?o2 ?p3 ?label . FILTER (isIRI(?o2) && ?p3 IN (rdfs:label, skos:prefLabel)) }
  }
}
"""
"""The triples around some resources (``?s``): theirs, their neighbours', and the labels one
step further (the publisher of a source document)."""


def label(graph: Graph, node: Node | None, *, lang: str = "en") -> str:
    """A readable label of ``node`` in ``lang`` (then English, then any), or its short name.

    >>> g = Graph()
    >>> _ = g.add((URIRef("http://e/a"), RDFS.label, __import__("rdflib").Literal("A", lang="en")))
    >>> label(g, URIRef("http://e/a")), label(g, URIRef("http://e/b"))
    ('A', '<http://e/b>')
    """
    if node is None:
        return "?"
    if not isinstance(node, URIRef):
        return format_number(node)
    for language in (lang, "en", None):
        for predicate in (SKOS.prefLabel, RDFS.label):
            for value in sorted(graph.objects(node, predicate), key=_text_key):
                if language is None or getattr(value, "language", None) == language:
                    return str(value)
    return short_text(node)


def _text_key(term: Node) -> tuple[str, str]:
    return (str(getattr(term, "language", None) or ""), str(term))


def is_described(graph: Graph, node: Node) -> bool:
    """Whether a node is a figure or a sourced claim, which reports describe."""
    return (
        (node, RDF.type, QB.Observation) in graph
        or (node, SDMX_MEASURE.obsValue, None) in graph
        or (node, SEI.comparator, None) in graph
    )


def describe_figures(graph: Graph, nodes: Sequence[Node | None]) -> tuple[Figure, ...]:
    """The figures among ``nodes`` (in their order, once each), described from ``graph``."""
    seen: list[URIRef] = []
    for node in nodes:
        if isinstance(node, URIRef) and node not in seen and is_described(graph, node):
            seen.append(node)
    return tuple(describe_figure(graph, node) for node in seen)


def describe_figure(graph: Graph, obs: URIRef) -> Figure:
    """Describe a figure: area · year · indicator (scope), value, unit, source."""
    identifier = graph.value(obs, DCTERMS.identifier)
    ident = str(identifier) if identifier is not None else None
    if (obs, SEI.comparator, None) in graph and (obs, SDMX_MEASURE.obsValue, None) not in graph:
        what = pick_english(sorted(graph.objects(obs, RDFS.label), key=_text_key)) or short_text(
            obs
        )
        return Figure(str(obs), ident, what, "(a claim)", "", describe_source(graph, obs))
    period = graph.value(obs, SDMX_DIMENSION.refPeriod)
    what = (
        f"{label(graph, graph.value(obs, SDMX_DIMENSION.refArea))} · "
        f"{period if period is not None else '?'} · {label(graph, graph.value(obs, SEI.indicator))}"
    )
    scope = graph.value(obs, SEI.scope)
    if scope is not None:
        what += f" ({label(graph, scope)})"
    value = graph.value(obs, SDMX_MEASURE.obsValue)
    value_text = format_number(value) if value is not None else "(no value)"
    bound = graph.value(obs, SEI.bound)
    if bound is not None:
        value_text = f"{label(graph, bound).split(' (')[0]} {value_text}"
    unit = graph.value(obs, SDMX_ATTRIBUTE.unitMeasure)
    unit_text = label(graph, unit) if unit is not None else "(no unit)"
    return Figure(str(obs), ident, what, value_text, unit_text, describe_source(graph, obs))


def describe_source(graph: Graph, obs: URIRef) -> str:
    """Say where a figure comes from: document and paragraph, or its derivation inputs."""
    parts = []
    sources = sorted(
        graph.objects(obs, PROV.wasDerivedFrom),
        key=lambda n: str(graph.value(n, DCTERMS.identifier) or n),
    )
    for source in sources:
        if (source, RDF.type, QB.Observation) in graph:
            ident = graph.value(source, DCTERMS.identifier)
            parts.append(f"derived from {ident or short_text(source)}")
            continue
        title = graph.value(source, DCTERMS.title)
        publisher = graph.value(source, DCTERMS.publisher)
        pub = label(graph, publisher) if isinstance(publisher, URIRef) else ""
        doc = f"{pub}, '{title}'" if title is not None else short_text(source)
        paragraphs = sorted(int(str(p)) for p in graph.objects(obs, SEI.sourceParagraph))
        if paragraphs:
            doc += ", paragraph " + ", ".join(str(p) for p in paragraphs)
        parts.append(doc)
    rule = pick_english(sorted(graph.objects(obs, SEI.ruleDescription), key=_text_key))
    if rule:
        parts.append(f"rule: {rule}")
    return "; ".join(parts) if parts else "no source recorded"
