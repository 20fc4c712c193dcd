"""Which resources belong to each view: by kind, around one city, the versions of the
classification, the divisions of a province, or every resource.

>>> from seikg.kg import KnowledgeGraph
>>> from seikg.views.kinds import resource_kinds
>>> kg = KnowledgeGraph.load()
>>> traced = view_members(kg, View.VERSIONS, resource_kinds(kg), Focus(category="航空航天"))
>>> sorted(str(n).rsplit("/", 2)[-1] for n in traced if "category" in str(n))[:4]
['2', '2.2', '2.3', '2.5']
>>> sorted(str(n).rsplit("/", 1)[-1] for n in traced if "/fyp14-2021/" in str(n))
['aerospace', 'high-end-equipment', 'marine-equipment']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.namespaces import SDMX_DIMENSION, SEI
from seikg.views.kinds import Focus, View
from seikg.views.relations import HIDDEN_PREDICATES, MAPPINGS

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
    View.VERSIONS: None,
    View.DIVISIONS: None,
}

_PLACES = ("country", "province", "city", "prefecture", "county")
# what a figure, claim or aim about the city brings along with it
_ITEM_LINKS = (SEI.indicator, SEI.scope, PROV.wasDerivedFrom, PROV.wasAttributedTo, SEI.model)
_CITING_PREDICATES = (PROV.wasAttributedTo, DCTERMS.publisher, SEI.citesStatisticsFrom)


def view_members(
    kg: KnowledgeGraph, view: View, kinds: Mapping[URIRef, str], focus: Focus
) -> set[URIRef]:
    """The resources of ``view``; the city view needs ``focus.city``, the divisions view
    ``focus.province`` (see :class:`~seikg.views.kinds.Focus`)."""
    if view is View.CITY:
        if not focus.city:
            raise BadInputError("the city view needs --city (a name or an IRI)")
        return _city_members(kg, _find_city(kg, focus.city), kinds)
    if view is View.FULL:
        return _full_members(kg, kinds)
    if view is View.VERSIONS:
        return _versions_members(kg, focus)
    if view is View.DIVISIONS:
        return _divisions_members(kg, focus)
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


# -- the versions of the classification


def version_schemes(kg: KnowledgeGraph) -> set[URIRef]:
    """The versions of the classification: the concept schemes an instrument sets."""
    graph = kg.graph
    return {
        s for s in graph.subjects(SEI.instrument, None)
        if isinstance(s, URIRef) and (s, RDF.type, SKOS.ConceptScheme) in graph
    }  # fmt: skip


def _versions_members(kg: KnowledgeGraph, focus: Focus) -> set[URIRef]:
    """Every version and its top concepts, the concepts a mapping joins, and (``middle``)
    every concept of each version; with ``category``, only what that category is joined
    to through the versions, with every version still shown."""
    graph = kg.graph
    schemes = version_schemes(kg)
    every = {
        c for scheme in schemes for c in graph.subjects(SKOS.inScheme, scheme)
        if isinstance(c, URIRef)
    }  # fmt: skip
    shown = {c for c in every if any((c, SKOS.topConceptOf, s) in graph for s in schemes)}
    shown |= {
        c for s in schemes for c in graph.objects(s, SKOS.hasTopConcept)
        if isinstance(c, URIRef) and c in every
    }  # fmt: skip
    shown |= {c for c in every for p in MAPPINGS for o in graph.objects(c, p) if o in every}
    shown |= {c for c in every for p in MAPPINGS for s in graph.subjects(p, c) if s in every}
    if focus.middle:
        shown = every
    if focus.category:
        shown &= _traced(kg, _find_concepts(kg, focus.category, every), every)
    return schemes | shown


def _find_concepts(kg: KnowledgeGraph, text: str, concepts: set[URIRef]) -> set[URIRef]:
    """The concepts of the versions named ``text`` (a label in either language, a code, or
    an IRI): several when versions share a name."""
    wanted = text.strip()
    if wanted.startswith(("http://", "https://")):
        found = {URIRef(wanted)}
    else:
        found = set(kg.find_labelled(wanted))
    found &= concepts
    if not found:
        raise BadInputError(
            f"--category: no category of a version of the classification is called {text!r}"
        )
    return found


def _traced(kg: KnowledgeGraph, start: set[URIRef], concepts: set[URIRef]) -> set[URIRef]:
    """``start`` and every concept joined to it by a mapping or by ``skos:broader`` (either
    way), again and again: a category followed through the versions, with its area and
    the area's parts."""
    graph = kg.graph
    seen = set(start)
    todo = list(start)
    while todo:
        concept = todo.pop()
        near = {o for p in (*MAPPINGS, SKOS.broader) for o in graph.objects(concept, p)}
        near |= {s for p in (*MAPPINGS, SKOS.broader) for s in graph.subjects(p, concept)}
        for other in near:
            if isinstance(other, URIRef) and other in concepts and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


# -- the divisions of a province


def _divisions_members(kg: KnowledgeGraph, focus: Focus) -> set[URIRef]:
    """A province and every division that lies in it, however deep (the abolished ones
    too, which keep their place)."""
    graph = kg.graph
    if (None, RDF.type, SEI.CountyLevelDivision) not in graph:
        raise BadInputError(
            "the divisions view needs the national skeleton of divisions, which this graph "
            "does not hold: add --with divisions (or load graph/reference/divisions.ttl "
            "into the store)"
        )
    if not focus.province:
        raise BadInputError("the divisions view needs --province (a name, a code or an IRI)")
    province = _find_province(kg, focus.province)
    members = {province}
    todo = [province]
    while todo:
        place = todo.pop()
        for inside in graph.subjects(SEI.locatedIn, place):
            if isinstance(inside, URIRef) and inside not in members:
                members.add(inside)
                todo.append(inside)
    return members


def _find_province(kg: KnowledgeGraph, province: str) -> URIRef:
    from seikg.sparql.catalog import Param, to_term

    try:
        node = to_term(
            province, Param("province", "iri-or-label", None), kg=kg, source="--province"
        )
    except BadInputError:
        raise BadInputError(f"--province: no province called {province!r} in the graph") from None
    if (node, RDF.type, SEI.Province) not in kg.graph:
        raise BadInputError(f"--province: {province!r} is not a province-level division")
    return node  # type: ignore[return-value]
