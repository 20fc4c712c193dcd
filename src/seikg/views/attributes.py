"""The attributes of a node in a view: kind, IRI, label, name and its literal values.

>>> from seikg.kg import KnowledgeGraph
>>> from seikg.namespaces import SCHEME
>>> kg = KnowledgeGraph.load()
>>> a = node_attributes(kg, SCHEME["nbs-2012"], "scheme", "en")
>>> a["year"], a["yearFrom"]
('2012', 'title')
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from seikg.namespaces import SDMX_ATTRIBUTE, SDMX_DIMENSION, SEI
from seikg.views.kinds import LANGUAGES
from seikg.views.labels import (
    PINYIN,
    PLACE_KINDS,
    is_abolished,
    local_name,
    node_label,
    number_of,
    text_in,
)

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

# literal values kept as text even when they are numbers
_CODES = ("notation", "divisionCode", "refPeriod")
# links whose target's name is an attribute of the node
_NAMED_LINKS = (
    SEI.indicator,
    SEI.scope,
    SDMX_ATTRIBUTE.unitMeasure,
    SDMX_DIMENSION.refArea,
    SEI.bound,
    SEI.divisionType,
    DCTERMS.isReplacedBy,
    SEI.instrument,
)
# the dates of an instrument, and a year in brackets in its title when it has none
_DATES = (DCTERMS.issued, DCTERMS.dateAccepted, DCTERMS.created)
_YEAR_IN_TITLE = re.compile(r"[(（]((?:19|20)[0-9]{2})[)）]")


def node_attributes(kg: KnowledgeGraph, node: URIRef, kind: str, lang: str) -> dict[str, object]:
    """Everything a node carries in a view, its literals in ``lang`` where there is a choice."""
    graph = kg.graph
    attributes: dict[str, object] = {"kind": kind, "iri": str(node)}
    attributes["label"] = node_label(kg, node, kind, lang)
    attributes["name"] = (
        text_in(graph, node, lang, (SKOS.prefLabel, RDFS.label)) or attributes["label"]
    )
    if kind == "observation":
        attributes["derived"] = (node, RDF.type, SEI.DerivedObservation) in graph
    if kind in PLACE_KINDS:
        attributes["abolished"] = is_abolished(graph, node)
    attributes.update(_literal_values(graph, node, lang))
    attributes.update(_linked_names(graph, node, lang))
    division_type = graph.value(node, SEI.divisionType)
    if isinstance(division_type, URIRef):
        attributes["divisionTypeCode"] = local_name(division_type)
    instrument = graph.value(node, SEI.instrument)
    if kind == "scheme" and isinstance(instrument, URIRef):
        attributes.update(_year_of(graph, instrument))
    return attributes


def _year_of(graph: Graph, instrument: URIRef) -> dict[str, str]:
    """The year of the instrument that sets a scheme: its earliest date, else the year its
    title gives in brackets (the trial classification of 2012 has no known date)."""
    years = sorted(str(d)[:4] for p in _DATES for d in graph.objects(instrument, p))
    if years:
        return {"year": years[0], "yearFrom": "date"}
    for title in sorted(
        str(t) for p in (DCTERMS.title, RDFS.label) for t in graph.objects(instrument, p)
    ):
        found = _YEAR_IN_TITLE.search(title)
        if found:
            return {"year": found.group(1), "yearFrom": "title"}
    return {}


def _literal_values(graph: Graph, node: URIRef, lang: str) -> dict[str, object]:
    """One attribute per property with literal values; labels once per language."""
    values: dict[str, list[Literal]] = {}
    for predicate, value in graph.predicate_objects(node):
        if isinstance(value, Literal):
            values.setdefault(local_name(predicate), []).append(value)
    attributes: dict[str, object] = {}
    for key, literals in sorted(values.items()):
        if key in ("label", "prefLabel"):
            for literal in literals:
                if literal.language in LANGUAGES:
                    attributes[f"{key}_{literal.language}"] = str(literal)
                elif (literal.language or "").lower() == PINYIN:
                    attributes[f"{key}_pinyin"] = str(literal)
            continue
        attributes[key] = _value(key, literals, lang)
    return attributes


def _value(key: str, literals: list[Literal], lang: str) -> object:
    """A number when every chosen literal is one (and the key is not a code), else text."""
    chosen = [lit for lit in literals if not lit.language or lit.language == lang] or literals
    numbers = [n for n in (number_of(lit) for lit in chosen) if n is not None]
    if len(numbers) == len(chosen) and key not in _CODES:
        if len(numbers) == 1:
            return float(numbers[0])
        return " | ".join(str(n) for n in sorted(numbers))  # in the same order from every store
    return " | ".join(sorted(str(lit) for lit in chosen))


def _linked_names(graph: Graph, node: URIRef, lang: str) -> dict[str, str]:
    """The names of the indicator, scope, unit, area and bound a node points to."""
    names: dict[str, str] = {}
    for predicate in _NAMED_LINKS:
        target = graph.value(node, predicate)
        if isinstance(target, URIRef):
            names[local_name(predicate)] = text_in(
                graph, target, lang, (SKOS.prefLabel, RDFS.label)
            ) or str(target)
    return names
