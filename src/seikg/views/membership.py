"""Which resources belong to each view: by kind, around one city, or every resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.namespaces import SDMX_DIMENSION, SEI
from seikg.views.kinds import View
from seikg.views.relations import HIDDEN_PREDICATES

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

_VIEW_KINDS: dict[View, set[str] | None] = {
    View.OVERVIEW: {
        "country",
        "province",
        "city",
        "observation",
        "category",
        "indicator",
        "scope",
        "source",
    },
    View.CATEGORIES: {"scheme", "category", "indicator", "scope", "agent"},
    View.PROVENANCE: {"observation", "claim", "aim", "statement", "source", "agent"},
    View.CITY: None,
    View.FULL: None,
}

_PLACES = ("country", "province", "city", "prefecture", "county")
# what a figure, claim or aim about the city brings along with it
_ITEM_LINKS = (SEI.indicator, SEI.scope, PROV.wasDerivedFrom, PROV.wasAttributedTo, SEI.model)
_CITING_PREDICATES = (PROV.wasAttributedTo, DCTERMS.publisher, SEI.citesStatisticsFrom)


def view_members(
    kg: KnowledgeGraph, view: View, kinds: Mapping[URIRef, str], city: str | None
) -> set[URIRef]:
    """The resources of ``view``; ``city`` (a name or an IRI) is needed for the city view."""
    if view is View.CITY:
        if not city:
            raise BadInputError("the city view needs --city (a name or an IRI)")
        return _city_members(kg, _find_city(kg, city), kinds)
    if view is View.FULL:
        return _full_members(kg, kinds)
    allowed = _VIEW_KINDS[view] or set()
    members = {n for n, k in kinds.items() if k in allowed}
    if view is View.OVERVIEW:
        return _overview_members(kg, members, kinds)
    if view is View.CATEGORIES:
        return _categories_members(kg, members, kinds)
    if view is View.PROVENANCE:
        return {n for n in members if kinds[n] != "agent" or _is_cited_agent(kg, n)}
    return members


def _overview_members(
    kg: KnowledgeGraph, members: set[URIRef], kinds: Mapping[URIRef, str]
) -> set[URIRef]:
    """Sources that a figure of the view comes from (not, say, an instrument behind an aim),
    and the places a figure is about, the cities they follow, and where those lie (not
    every division of the national skeleton, when the graph holds it)."""
    graph = kg.graph
    figures = [n for n in members if kinds[n] == "observation"]
    places: set[Node] = {p for f in figures for p in graph.objects(f, SDMX_DIMENSION.refArea)}
    places |= {m for p in list(places) for m in graph.objects(p, SEI.followsModelOf)}
    for start in list(places):
        above = graph.value(start, SEI.locatedIn)
        while above is not None and above not in places:
            places.add(above)
            above = graph.value(above, SEI.locatedIn)
    return {
        n for n in members
        if (kinds[n] != "source" or any((m, PROV.wasDerivedFrom, n) in graph for m in members))
        and (kinds[n] not in _PLACES or n in places)
    }  # fmt: skip


def _categories_members(
    kg: KnowledgeGraph, members: set[URIRef], kinds: Mapping[URIRef, str]
) -> set[URIRef]:
    """Agents that publish a scheme, and schemes with at least one concept in the view."""
    graph = kg.graph
    members = {n for n in members if kinds[n] != "agent" or (None, DCTERMS.publisher, n) in graph}
    return {
        n for n in members
        if kinds[n] != "scheme" or any((c, SKOS.inScheme, n) in graph for c in members)
    }  # fmt: skip


def _find_city(kg: KnowledgeGraph, city: str) -> URIRef:
    from seikg.sparql.catalog import Param, to_term

    try:
        node = to_term(city, Param("city", "iri-or-label", None), kg=kg, source="--city")
    except BadInputError:
        raise BadInputError(f"--city: no city called {city!r} in the graph") from None
    if (node, RDF.type, SEI.City) not in kg.graph:
        raise BadInputError(f"--city: {city!r} is not a city in the graph")
    return node  # type: ignore[return-value]


def _city_members(kg: KnowledgeGraph, city: URIRef, kinds: Mapping[URIRef, str]) -> set[URIRef]:
    graph = kg.graph
    members: set[URIRef] = {city}
    place: Node | None = city
    while (place := graph.value(place, SEI.locatedIn)) is not None:
        members.add(place)  # type: ignore[arg-type]
    members |= {m for m in graph.objects(city, SEI.followsModelOf) if isinstance(m, URIRef)}
    about = set(graph.subjects(SDMX_DIMENSION.refArea, city))
    about |= set(graph.subjects(SEI.comparedArea, city)) | set(graph.subjects(SEI.aimOf, city))
    about |= set(graph.subjects(SEI.follower, city))
    for item in about:
        if not isinstance(item, URIRef):
            continue
        members.add(item)
        for predicate in _ITEM_LINKS:
            members |= {o for o in graph.objects(item, predicate) if isinstance(o, URIRef)}
    for document in [m for m in members if kinds.get(m) == "source"]:
        for predicate in (DCTERMS.publisher, SEI.citesStatisticsFrom):
            members |= {o for o in graph.objects(document, predicate) if isinstance(o, URIRef)}
    return {m for m in members if m in kinds}


def _full_members(kg: KnowledgeGraph, kinds: Mapping[URIRef, str]) -> set[URIRef]:
    data = kg.data
    plumbing = {"structure", "unit", "resource"}
    members = {n for n in kinds if (n, None, None) in data and kinds[n] not in plumbing}
    for _s, p, o in data:
        if (
            isinstance(o, URIRef)
            and p not in HIDDEN_PREDICATES
            and kinds.get(o) not in (None, *plumbing)
        ):
            members.add(o)
    return members


def _is_cited_agent(kg: KnowledgeGraph, agent: URIRef) -> bool:
    graph = kg.graph
    return any((None, predicate, agent) in graph for predicate in _CITING_PREDICATES)
