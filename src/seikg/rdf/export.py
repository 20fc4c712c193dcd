"""Deterministic serialization and atomic file writes.

The same graph always exports to the same bytes: blank nodes get stable
labels (see :mod:`seikg.bnodes`), triples are written in sorted order, and
N-Triples lines are sorted.
"""

from __future__ import annotations

import json

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from seikg.formats import RdfFormat
from seikg.namespaces import PREFIXES
from seikg.rdf.bnodes import stable_labels


def canonical_copy(graph: Graph) -> Graph:
    """Return a copy of ``graph`` with canonical blank nodes, triples added in sorted order.

    >>> g = Graph()
    >>> _ = g.parse(data="[] <http://e/p> 1 .", format="turtle")
    >>> c1, c2 = canonical_copy(g), canonical_copy(g)
    >>> set(c1) == set(c2)
    True
    """
    labels = stable_labels(graph)
    if labels is None:  # blank nodes in a cycle: the general (slow) canonicalization
        triples = list(to_canonical_graph(graph))
    else:
        triples = [
            (labels.get(s, s), p, labels.get(o, o))  # type: ignore[call-overload]
            for s, p, o in graph
        ]
    out = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(triples, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out


def serialize(graph: Graph, fmt: RdfFormat = RdfFormat.TURTLE) -> bytes:
    """Serialize ``graph`` deterministically in ``fmt`` and return the bytes.

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/b> <http://e/p> 2 . <http://e/a> <http://e/p> 1 .",
    ...             format="turtle")
    >>> print(serialize(g, RdfFormat.NTRIPLES).decode(), end="")
    <http://e/a> <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    <http://e/b> <http://e/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    canonical = canonical_copy(graph)
    if fmt is RdfFormat.NTRIPLES:
        lines = canonical.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(set(lines)))
    if fmt.is_dataset:
        from rdflib import Dataset

        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        default = dataset.default_graph
        for triple in canonical:
            default.add(triple)
        text: str | bytes = dataset.serialize(format=fmt.rdflib_name)
    elif fmt is RdfFormat.RDFXML:
        text = _oxigraph_serialize(canonical, fmt)
    elif fmt is RdfFormat.JSONLD:
        text = _stable_jsonld(canonical.serialize(format="json-ld"))
    else:
        text = canonical.serialize(format=fmt.rdflib_name)
    data = text.encode("utf-8") if isinstance(text, str) else text
    if fmt is RdfFormat.NQUADS:
        data = b"".join(sorted(data.splitlines(keepends=True)))
    return data


def _oxigraph_serialize(graph: Graph, fmt: RdfFormat) -> bytes:
    """Serialize with pyoxigraph, which writes triples in the order given (already sorted)."""
    import pyoxigraph as ox

    from seikg.rdf.terms import to_oxigraph

    ordered = sorted(graph, key=lambda t: tuple(term.n3() for term in t))
    triples = [
        ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in ordered
    ]
    used = {str(t.predicate.value) for t in triples}
    prefixes = {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}
    out = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)
    assert out is not None
    return out


def _stable_jsonld(text: str) -> str:
    """Sort JSON-LD nodes by ``@id`` (and keys, and value lists) so the output is stable."""
    doc = json.loads(text)

    def order(value: object, *, keep: bool = False) -> object:
        if isinstance(value, dict):
            return {k: order(v, keep=(k == "@list")) for k, v in value.items()}
        if isinstance(value, list) and keep:
            return [order(v) for v in value]
        if isinstance(value, list):
            items = [order(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    if isinstance(doc, dict) and "@graph" in doc:
        doc["@graph"] = order(doc["@graph"])
    else:
        doc = order(doc)
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
