"""The named views, their languages, and the kind of each resource a view can show.

>>> parse_view("overview") is View.OVERVIEW
True
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, SKOS

from seikg.errors import BadInputError
from seikg.namespaces import QB, QUDT, SCHEME, SEI

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph


class View(StrEnum):
    """The named views of the graph."""

    OVERVIEW = "overview"
    CATEGORIES = "categories"
    CITY = "city"
    PROVENANCE = "provenance"
    FULL = "full"


LANGUAGES = ("en", "zh")

# kind, in order of precedence, from the resource's types (or scheme)
_KIND_BY_TYPE: list[tuple[URIRef, str]] = [
    (SEI.Country, "country"),
    (SEI.Province, "province"),
    (SEI.City, "city"),
    (QB.Observation, "observation"),
    (SEI.Indicator, "indicator"),
    (SEI.Scope, "scope"),
    (SKOS.ConceptScheme, "scheme"),
    (SEI.ComparisonClaim, "claim"),
    (SEI.StatedAim, "aim"),
    (SEI.ModelCityStatement, "statement"),
    (FOAF.Document, "source"),
    (DCTERMS.BibliographicResource, "source"),
    (PROV.Agent, "agent"),
    (PROV.Organization, "agent"),
    (PROV.SoftwareAgent, "agent"),
    (QB.DataSet, "dataset"),
    (QB.DataStructureDefinition, "structure"),
    (SEI.ExchangeRateBand, "assumption"),
    (QUDT.Unit, "unit"),
]

KINDS = (
    "country", "province", "city", "observation", "category", "indicator", "scope", "code",
    "scheme", "claim", "aim", "statement", "source", "agent", "dataset", "structure",
    "assumption", "unit", "resource",
)  # fmt: skip


def parse_view(view: View | str) -> View:
    """The view of that name, or :class:`seikg.errors.BadInputError` naming the known ones."""
    try:
        return View(view)
    except ValueError:
        known = ", ".join(v.value for v in View)
        raise BadInputError(f"unknown view {view!r} (known: {known})") from None


def check_language(lang: str) -> None:
    """Refuse a language the views have no labels for."""
    if lang not in LANGUAGES:
        raise BadInputError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")


def resource_kinds(kg: KnowledgeGraph) -> dict[URIRef, str]:
    """Every resource a view can show (never a literal), with its kind."""
    return {node: kind_of(kg, node) for node in _resources(kg)}


def _resources(kg: KnowledgeGraph) -> set[URIRef]:
    data = kg.data
    nodes = {s for s in data.subjects() if isinstance(s, URIRef)}
    nodes |= {o for p, o in data.predicate_objects() if isinstance(o, URIRef) and p != RDF.type}
    ontology = kg.ontology
    for scheme in ontology.subjects(RDF.type, SKOS.ConceptScheme):
        nodes.add(scheme)  # type: ignore[arg-type]
        nodes |= {c for c in ontology.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
    nodes |= {o for o in ontology.objects(None, DCTERMS.publisher) if isinstance(o, URIRef)}
    return nodes


def kind_of(kg: KnowledgeGraph, node: URIRef) -> str:
    """The kind of a resource (one of :data:`KINDS`), from its types or its scheme."""
    graph = kg.graph
    types = set(graph.objects(node, RDF.type))
    if (node, SKOS.inScheme, SCHEME.categories) in graph:
        return "category"
    for rdf_type, kind in _KIND_BY_TYPE:
        if rdf_type in types:
            return kind
    if (node, SKOS.inScheme, None) in graph:
        return "code"
    return "resource"
