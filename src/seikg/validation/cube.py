"""The 21 integrity constraints of the W3C RDF Data Cube Recommendation (section 11).

The graph is first normalized as the Recommendation prescribes (type and
property closure, then pushing attachments down to observations), on a copy;
then each constraint's ASK query runs, and a ``true`` answer is a violation.
IC-20 and IC-21 are templates instantiated once per ``qb:parentChildProperty``
found in the graph.  The query texts are in :mod:`seikg.validation.cube_queries`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from seikg.validation.cube_queries import (
    CONSTRAINTS,
    IC20,
    IC20_INSTANCES,
    IC21,
    IC21_INSTANCES,
    NORMALIZATION,
    PREFIXES,
    TITLES,
)

__all__ = [
    "CONSTRAINTS",
    "NORMALIZATION",
    "TITLES",
    "IntegrityResult",
    "check_integrity",
    "normalized_copy",
]


@dataclass(frozen=True)
class IntegrityResult:
    """The outcome of one Data Cube integrity constraint."""

    constraint: str
    title: str
    holds: bool


def normalized_copy(graph: Graph) -> Graph:
    """Return a copy of ``graph`` normalized as section 10 of the Data Cube Recommendation says."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for update in NORMALIZATION:
        copy.update(PREFIXES + update)
    return copy


def check_integrity(graph: Graph) -> list[IntegrityResult]:
    """Run all 21 integrity constraints on a normalized copy of ``graph``.

    >>> from seikg.kg import KnowledgeGraph
    >>> results = check_integrity(KnowledgeGraph.load().graph)
    >>> len(results), all(r.holds for r in results)
    (21, True)
    """
    normal = normalized_copy(graph)
    results = []
    for name, (title, query) in CONSTRAINTS.items():
        violated = bool(normal.query(PREFIXES + query).askAnswer)
        results.append(IntegrityResult(name, title, not violated))
    for name, template, instances in (
        ("IC-20", IC20, IC20_INSTANCES),
        ("IC-21", IC21, IC21_INSTANCES),
    ):
        violated = False
        for row in normal.query(PREFIXES + instances):
            prop = row[0]  # type: ignore[index]
            assert isinstance(prop, URIRef)
            query = template.replace("$p", str(prop))
            violated = violated or bool(normal.query(PREFIXES + query).askAnswer)
        results.append(IntegrityResult(name, TITLES[name], not violated))
    return results
