"""Projections of the RDF graph onto networkx: named views for people and network tools.

Each view is a :class:`networkx.MultiDiGraph`.  Nodes are resources (never
literals): they carry a ``kind`` (city, observation, category, ...), a
``label`` in the chosen language, their IRI, and their literal values as
attributes.  Edges carry the relation as a readable name and its IRI.

>>> from seikg.kg import KnowledgeGraph
>>> g = to_networkx(KnowledgeGraph.load(), view=View.OVERVIEW, lang="zh")
>>> g.nodes["https://w3id.org/sei-kg/place/370200"]["label"]
'青岛市'
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.namespaces import QB, QUDT, SCHEME, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI

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

_VIEW_PREDICATES: dict[View, set[URIRef] | None] = {
    View.OVERVIEW: {
        SDMX_DIMENSION.refArea, SEI.indicator, SEI.scope, SEI.category, PROV.wasDerivedFrom,
        SEI.locatedIn, SEI.comprisesCategory, SKOS.broader, SEI.followsModelOf,
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
_HIDDEN_PREDICATES = {
    RDF.type, RDFS.isDefinedBy, SKOS.topConceptOf, SKOS.inScheme, OWL.sameAs, FOAF.page,
    QB.structure, RDFS.seeAlso,
}  # fmt: skip


def to_networkx(
    kg: KnowledgeGraph,
    *,
    view: View | str = View.OVERVIEW,
    lang: str = "en",
    city: str | None = None,
) -> nx.MultiDiGraph:
    """Project the knowledge graph onto a networkx multigraph for one named view.

    ``city`` (a label in either language, or an IRI) is required for the
    ``city`` view.  Unknown views, languages or cities raise
    :class:`seikg.errors.BadInputError`.
    """
    view = _view(view)
    if lang not in LANGUAGES:
        raise BadInputError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    graph = kg.graph
    kinds = {node: _kind(kg, node) for node in _resources(kg)}
    if view is View.CITY:
        if not city:
            raise BadInputError("the city view needs --city (a name or an IRI)")
        members = _city_members(kg, _find_city(kg, city), kinds)
    elif view is View.FULL:
        members = _full_members(kg, kinds)
    else:
        allowed = _VIEW_KINDS[view] or set()
        members = {n for n, k in kinds.items() if k in allowed}
        if view is View.CATEGORIES:
            members = {
                n for n in members if kinds[n] != "agent" or (None, DCTERMS.publisher, n) in graph
            }
        if view is View.PROVENANCE:
            members = {n for n in members if kinds[n] != "agent" or _is_cited_agent(kg, n)}
        if view is View.OVERVIEW:  # the sources of figures, not the instruments behind aims
            members = {
                n for n in members
                if kinds[n] != "source"
                or any((o, RDF.type, QB.Observation) in kg.data
                       for o in kg.data.subjects(PROV.wasDerivedFrom, n))
            }  # fmt: skip
    if view is View.CATEGORIES:
        members = {
            n for n in members
            if kinds[n] != "scheme" or any((c, SKOS.inScheme, n) in graph for c in members)
        }  # fmt: skip
    out = nx.MultiDiGraph(view=str(view), lang=lang)
    for node in sorted(members, key=str):
        out.add_node(str(node), **_node_attributes(kg, node, kinds[node], lang))
    predicates = _VIEW_PREDICATES[view]
    for node in sorted(members, key=str):
        for predicate, obj in sorted(
            graph.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if obj not in members or predicate in _HIDDEN_PREDICATES or not isinstance(obj, URIRef):
                continue
            if predicates is not None and predicate not in predicates:
                continue
            if predicates is None and _is_subproperty_duplicate(kg, node, predicate, obj):  # type: ignore[arg-type]
                continue
            name = _relation_name(kg, predicate, lang)  # type: ignore[arg-type]
            out.add_edge(str(node), str(obj), key=name, relation=name, iri=str(predicate))
    if view in (View.CATEGORIES, View.PROVENANCE):
        out.remove_nodes_from(
            [n for n, d in out.nodes(data=True) if d["kind"] == "agent" and out.degree(n) == 0]
        )
    return out


def _view(view: View | str) -> View:
    try:
        return View(view)
    except ValueError:
        known = ", ".join(v.value for v in View)
        raise BadInputError(f"unknown view {view!r} (known: {known})") from None


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


def _kind(kg: KnowledgeGraph, node: URIRef) -> str:
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


def _find_city(kg: KnowledgeGraph, city: str) -> URIRef:
    from seikg.sparql.catalog import Param, to_term

    try:
        node = to_term(city, Param("city", "iri-or-label", None), kg=kg, source="--city")
    except BadInputError:
        raise BadInputError(f"--city: no city called {city!r} in the graph") from None
    if (node, RDF.type, SEI.City) not in kg.graph:
        raise BadInputError(f"--city: {city!r} is not a city in the graph")
    return node  # type: ignore[return-value]


def _city_members(kg: KnowledgeGraph, city: URIRef, kinds: dict[URIRef, str]) -> set[URIRef]:
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
        for predicate in (
            SEI.indicator,
            SEI.scope,
            PROV.wasDerivedFrom,
            PROV.wasAttributedTo,
            SEI.model,
        ):
            members |= {o for o in graph.objects(item, predicate) if isinstance(o, URIRef)}
    for document in [m for m in members if kinds.get(m) == "source"]:
        for predicate in (DCTERMS.publisher, SEI.citesStatisticsFrom):
            members |= {o for o in graph.objects(document, predicate) if isinstance(o, URIRef)}
    return {m for m in members if m in kinds}


def _full_members(kg: KnowledgeGraph, kinds: dict[URIRef, str]) -> set[URIRef]:
    data = kg.data
    plumbing = {"structure", "unit", "resource"}
    members = {n for n in kinds if (n, None, None) in data and kinds[n] not in plumbing}
    for _s, p, o in data:
        if (
            isinstance(o, URIRef)
            and p not in _HIDDEN_PREDICATES
            and kinds.get(o) not in (None, *plumbing)
        ):
            members.add(o)
    return members


def _is_cited_agent(kg: KnowledgeGraph, agent: URIRef) -> bool:
    graph = kg.graph
    return any(
        (None, predicate, agent) in graph
        for predicate in (PROV.wasAttributedTo, DCTERMS.publisher, SEI.citesStatisticsFrom)
    )


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


def _relation_name(kg: KnowledgeGraph, predicate: URIRef, lang: str) -> str:
    label = _text(kg.graph, predicate, lang, (RDFS.label,))
    if label:
        return label
    text = str(predicate)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(graph: Graph, node: Node, lang: str, predicates: Iterable[URIRef]) -> str | None:
    for language in (lang, "en", ""):
        for predicate in predicates:
            for value in graph.objects(node, predicate):
                if isinstance(value, Literal) and (value.language or "") == language:
                    return str(value)
    return None


def _node_attributes(kg: KnowledgeGraph, node: URIRef, kind: str, lang: str) -> dict[str, object]:
    graph = kg.graph
    attributes: dict[str, object] = {"kind": kind, "iri": str(node)}
    attributes["label"] = node_label(kg, node, kind, lang)
    attributes["name"] = (
        _text(graph, node, lang, (SKOS.prefLabel, RDFS.label)) or attributes["label"]
    )
    if kind == "observation":
        attributes["derived"] = (node, RDF.type, SEI.DerivedObservation) in graph
    values: dict[str, list[Literal]] = {}
    for predicate, value in graph.predicate_objects(node):
        if isinstance(value, Literal):
            values.setdefault(_local(predicate), []).append(value)
    for key, literals in sorted(values.items()):
        if key in ("label", "prefLabel"):
            for literal in literals:
                if literal.language in LANGUAGES:
                    attributes[f"{key}_{literal.language}"] = str(literal)
            continue
        chosen = [lit for lit in literals if not lit.language or lit.language == lang] or literals
        numbers = [n for n in (_number(lit) for lit in chosen) if n is not None]
        if len(numbers) == len(chosen) and key not in ("notation", "divisionCode", "refPeriod"):
            attributes[key] = (
                float(numbers[0]) if len(numbers) == 1 else " | ".join(str(n) for n in numbers)
            )
        else:
            attributes[key] = " | ".join(sorted(str(lit) for lit in chosen))
    for predicate in (
        SEI.indicator,
        SEI.scope,
        SDMX_ATTRIBUTE.unitMeasure,
        SDMX_DIMENSION.refArea,
        SEI.bound,
    ):
        target = graph.value(node, predicate)
        if isinstance(target, URIRef):
            attributes[_local(predicate)] = _text(
                graph, target, lang, (SKOS.prefLabel, RDFS.label)
            ) or str(target)
    return attributes


def _local(predicate: Node) -> str:
    return str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _number(literal: Literal) -> Decimal | None:
    if literal.datatype is None or not str(literal.datatype).endswith(
        ("#decimal", "#integer", "#double", "#float")
    ):
        return None
    try:
        return Decimal(str(literal))
    except InvalidOperation:
        return None


def node_label(kg: KnowledgeGraph, node: URIRef, kind: str, lang: str) -> str:
    """A short label for drawing: names for most resources, id and value for figures.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.namespaces import OBS
    >>> kg = KnowledgeGraph.load()
    >>> node_label(kg, OBS["370200-2019-large-project-investment-sei"], "observation", "en")
    'F11 2019: > 100 bn CNY'
    >>> node_label(kg, OBS["370200-2019-large-project-investment-sei"], "observation", "zh")
    'F11 2019：> 1000 亿 CNY'
    """
    graph = kg.graph
    if kind == "observation":
        return _figure_label(kg, node, lang)
    text = _text(graph, node, lang, (SKOS.prefLabel, RDFS.label, DCTERMS.title))
    if kind == "category":
        code = graph.value(node, SKOS.notation)
        return f"{code}. {text}" if code is not None and text else (text or _local(node))
    if kind == "claim" or kind == "aim" or kind == "statement":
        ident = graph.value(node, DCTERMS.identifier)
        return f"{ident}: {text}" if ident is not None and text else (text or _local(node))
    return text or _local(node)


def _figure_label(kg: KnowledgeGraph, node: URIRef, lang: str) -> str:
    graph = kg.graph
    ident = graph.value(node, DCTERMS.identifier)
    period = graph.value(node, SDMX_DIMENSION.refPeriod)
    value = graph.value(node, SDMX_MEASURE.obsValue)
    unit = graph.value(node, SDMX_ATTRIBUTE.unitMeasure)
    bound = graph.value(node, SEI.bound)
    symbol = graph.value(unit, QUDT.symbol) if unit is not None else None
    number = _number(value) if isinstance(value, Literal) else None
    amount = _humanize(number, lang) if number is not None else str(value)
    sign = {"more-than": "> ", "at-least": "≥ ", "less-than": "< ", "at-most": "≤ "}.get(
        _local(bound) if bound is not None else "", ""
    )
    unit_text = "" if symbol is None else (str(symbol) if str(symbol) == "%" else f" {symbol}")
    colon = "：" if lang == "zh" else ": "
    head = f"{ident} {period}" if ident is not None else f"{period}"
    return f"{head}{colon}{sign}{amount}{unit_text}"


def _humanize(number: Decimal, lang: str) -> str:
    """Large amounts in words: 100 bn (English), 1000 亿 (Chinese)."""
    if abs(number) >= 10**8:
        if lang == "zh":
            return f"{_trim(number / 10**8)} 亿"
        if abs(number) >= 10**9:
            return f"{_trim(number / 10**9)} bn"
        return f"{_trim(number / 10**6)} m"
    return _trim(number)


def _trim(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text
