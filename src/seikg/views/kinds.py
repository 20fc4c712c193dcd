"""The named views, their languages, what a view is about, and the kind of each resource a
view can show.

>>> parse_view("overview") is View.OVERVIEW
True
>>> from seikg.kg import KnowledgeGraph
>>> from seikg.namespaces import CAT
>>> kg = KnowledgeGraph.load()
>>> kind_of(kg, CAT["7"]), kind_of(kg, CAT["7.1"]), kind_of(kg, CAT["sc-2010/bio"])
('category', 'concept', 'concept')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    VERSIONS = "versions"
    DIVISIONS = "divisions"


@dataclass(frozen=True)
class Focus:
    """What a view is about, where it is about one thing.

    ``city`` (the city view) and ``province`` (the divisions view) are a label
    in either language, a division code or an IRI; ``category`` (the versions
    view, optional) is the category traced through the versions, named the same
    ways; ``middle`` asks the versions view for every middle category of a
    version, not only those a mapping reaches.
    """

    city: str | None = None
    province: str | None = None
    category: str | None = None
    middle: bool = False


LANGUAGES = ("en", "zh")

# kind, in order of precedence, from the resource's types (or scheme)
_KIND_BY_TYPE: list[tuple[URIRef, str]] = [
    (SEI.Country, "country"),
    (SEI.Province, "province"),
    (SEI.City, "city"),
    (SEI.PrefectureLevelDivision, "prefecture"),
    (SEI.CountyLevelDivision, "county"),
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
    "country", "province", "city", "prefecture", "county", "observation", "category",
    "concept", "indicator", "scope", "code", "scheme", "claim", "aim", "statement", "source",
    "agent", "dataset", "structure", "assumption", "unit", "resource",
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


def resource_kinds(kg: KnowledgeGraph) -> ResourceKinds:
    """Every resource a view can show (never a literal), with its kind.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.namespaces import PLACE
    >>> resource_kinds(KnowledgeGraph.load())[PLACE["370200"]]
    'city'
    """
    return ResourceKinds(kg)


class ResourceKinds(Mapping[URIRef, str]):
    """The kind of every resource a view can show, each worked out when first asked for:
    a view of a few nodes in a graph of thousands (the skeleton of divisions) asks for
    few.  ``in`` (and iterating) is over the resources a view can show; the kind of any
    other IRI can still be asked for."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self._kg = kg
        self._known: dict[URIRef, str] = {}
        self._all: set[URIRef] | None = None

    def _resources(self) -> set[URIRef]:
        if self._all is None:
            self._all = _resources(self._kg)
        return self._all

    def __getitem__(self, node: URIRef) -> str:
        if node not in self._known:
            self._known[node] = kind_of(self._kg, node)
        return self._known[node]

    def get(self, node: URIRef, default: str | None = None) -> str | None:  # type: ignore[override]
        """The kind of a resource a view can show, else ``default``."""
        return self[node] if node in self._resources() else default

    def __contains__(self, node: object) -> bool:
        return node in self._resources()

    def __iter__(self) -> Iterator[URIRef]:
        return iter(self._resources())

    def __len__(self) -> int:
        return len(self._resources())


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
    """The kind of a resource (one of :data:`KINDS`), from its types or its scheme.

    A concept of one of the eight designated categories is a ``category``; any
    other concept of a version of the classification (a scheme set by an
    instrument) is a ``concept``; a concept of any other scheme is a ``code``.
    """
    graph = kg.graph
    types = set(graph.objects(node, RDF.type))
    if (node, SKOS.inScheme, SCHEME.categories) in graph:
        return "category"
    for rdf_type, kind in _KIND_BY_TYPE:
        if rdf_type in types:
            return kind
    schemes = list(graph.objects(node, SKOS.inScheme))
    if any((scheme, SEI.instrument, None) in graph for scheme in schemes):
        return "concept"
    if schemes:
        return "code"
    return "resource"
