"""Which relations a view draws as edges, and their readable names."""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.namespaces import QB, SDMX_DIMENSION, SEI
from seikg.views.kinds import View
from seikg.views.labels import local_name, text_in

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

_VIEW_PREDICATES: dict[View, set[URIRef] | None] = {
    View.OVERVIEW: {
        SDMX_DIMENSION.refArea, SEI.indicator, SEI.scope, PROV.wasDerivedFrom, SEI.locatedIn,
        SEI.comprisesCategory, SKOS.broader, SEI.followsModelOf,
    },
    View.CATEGORIES: {SKOS.hasTopConcept, SKOS.broader, SEI.comprisesCategory, DCTERMS.publisher},
    View.PROVENANCE: {
        PROV.wasDerivedFrom, PROV.wasAttributedTo, DCTERMS.publisher, SEI.citesStatisticsFrom,
        SEI.justifiedBy, SEI.coversObservation,
    },
    View.CITY: {
        SDMX_DIMENSION.refArea, SEI.indicator, SEI.scope, PROV.wasDerivedFrom, SEI.locatedIn,
        SEI.followsModelOf, SEI.aimOf, SEI.comparedArea, SEI.coversObservation, SEI.justifiedBy,
        PROV.wasAttributedTo, DCTERMS.publisher, SEI.citesStatisticsFrom, SEI.follower, SEI.model,
    },
    View.FULL: None,
}  # fmt: skip

# never drawn as edges: typing, bookkeeping and plumbing
HIDDEN_PREDICATES = {
    RDF.type, RDFS.isDefinedBy, SKOS.topConceptOf, SKOS.inScheme, OWL.sameAs, FOAF.page,
    QB.structure, RDFS.seeAlso,
}  # fmt: skip


def add_relations(
    out: nx.MultiDiGraph, kg: KnowledgeGraph, members: Set[URIRef], view: View, lang: str
) -> None:
    """Add the edges of ``view`` between ``members`` to ``out``, in a stable order."""
    graph = kg.graph
    predicates = _VIEW_PREDICATES[view]
    for node in sorted(members, key=str):
        for predicate, obj in sorted(
            graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if not _drawn(kg, node, predicate, obj, members, predicates):
                continue
            name = relation_name(kg, predicate, lang)  # type: ignore[arg-type]
            out.add_edge(str(node), str(obj), key=name, relation=name, iri=str(predicate))


def _drawn(
    kg: KnowledgeGraph,
    node: URIRef,
    predicate: Node,
    obj: Node,
    members: Set[URIRef],
    predicates: set[URIRef] | None,
) -> bool:
    """Whether the triple (node, predicate, obj) is an edge of the view."""
    if obj not in members or predicate in HIDDEN_PREDICATES or not isinstance(obj, URIRef):
        return False
    if predicates is not None:
        return predicate in predicates
    return not _is_subproperty_duplicate(kg, node, predicate, obj)  # type: ignore[arg-type]


def _is_subproperty_duplicate(
    kg: KnowledgeGraph, node: URIRef, predicate: URIRef, obj: URIRef
) -> bool:
    """prov:wasDerivedFrom edges restated by a more specific sub-property are drawn once."""
    if predicate != PROV.wasDerivedFrom:
        return False
    ontology = kg.ontology
    return any(
        (node, sub, obj) in kg.data
        for sub in ontology.subjects(RDFS.subPropertyOf, PROV.wasDerivedFrom)
    )


def relation_name(kg: KnowledgeGraph, predicate: URIRef, lang: str) -> str:
    """The label of a property in ``lang`` (or English), else its local name."""
    label = text_in(kg.graph, predicate, lang, (RDFS.label,))
    if label:
        return label
    return local_name(predicate)
