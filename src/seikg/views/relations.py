"""Which relations a view draws as edges, their readable names, and which of them the
project holds only as belief.

>>> from seikg.kg import KnowledgeGraph
>>> from seikg.namespaces import CAT
>>> beliefs = believed_triples(KnowledgeGraph.load())
>>> (CAT["sc-2010/bio"], SKOS.closeMatch, CAT["4"]) in beliefs
True
"""

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
    View.VERSIONS: {
        SKOS.hasTopConcept, SKOS.broader, SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch,
        SKOS.broadMatch, SKOS.relatedMatch, DCTERMS.isReplacedBy,
    },
    View.DIVISIONS: {SEI.locatedIn, DCTERMS.isReplacedBy},
}  # fmt: skip

# the SKOS mapping properties, which join concepts of two versions of a classification
MAPPINGS = frozenset(
    {SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch, SKOS.relatedMatch}
)
BELIEF = URIRef("https://w3id.org/sei-kg/evidence/belief")

# never drawn as edges: typing, bookkeeping and plumbing
HIDDEN_PREDICATES = {
    RDF.type, RDFS.isDefinedBy, SKOS.topConceptOf, SKOS.inScheme, OWL.sameAs, FOAF.page,
    QB.structure, RDFS.seeAlso,
}  # fmt: skip


def add_relations(
    out: nx.MultiDiGraph, kg: KnowledgeGraph, members: Set[URIRef], view: View, lang: str
) -> None:
    """Add the edges of ``view`` between ``members`` to ``out``, in a stable order.

    Each edge carries its relation's name and IRI, and ``belief``: whether the
    triple is one the data marks as the project's belief (an ``rdf:Statement``
    about it with ``sei:evidenceStatus evidence:belief``).
    """
    graph = kg.graph
    predicates = _VIEW_PREDICATES[view]
    beliefs = believed_triples(kg)
    for node in sorted(members, key=str):
        for predicate, obj in sorted(
            graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if not _drawn(kg, node, predicate, obj, members, predicates):
                continue
            name = relation_name(kg, predicate, lang)  # type: ignore[arg-type]
            out.add_edge(
                str(node), str(obj), key=name, relation=name, iri=str(predicate),
                belief=(node, predicate, obj) in beliefs,
            )  # fmt: skip


def believed_triples(kg: KnowledgeGraph) -> set[tuple[Node, Node, Node]]:
    """The triples the data describes as the project's belief (one ``rdf:Statement`` each)."""
    graph = kg.graph
    found = set()
    for statement in graph.subjects(SEI.evidenceStatus, BELIEF):
        if (statement, RDF.type, RDF.Statement) not in graph:
            continue
        triple = tuple(graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        if all(term is not None for term in triple):
            found.add(triple)
    return found  # type: ignore[return-value]


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
