"""What a node is called: short labels for drawing, names in a language, figures in words.

>>> _humanize(Decimal("100000000000"), "en"), _humanize(Decimal("100000000000"), "zh")
('100 bn', '1000 亿')
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from seikg.namespaces import QUDT, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

_BOUND_SIGNS = {"more-than": "> ", "at-least": "≥ ", "less-than": "< ", "at-most": "≤ "}
# a place's name in pinyin stands in for an English name where no reviewed one exists
PINYIN = "zh-latn-pinyin"
PLACE_KINDS = ("country", "province", "city", "prefecture", "county")
_ABOLISHED = {"en": "{name} (abolished {end})", "zh": "{name}（{end} 撤销）"}
_ABOLISHED_UNDATED = {"en": "{name} (abolished)", "zh": "{name}（已撤销）"}


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
    text = text_in(graph, node, lang, (SKOS.prefLabel, RDFS.label, DCTERMS.title))
    if kind == "category":
        code = graph.value(node, SKOS.notation)
        return f"{code}. {text}" if code is not None and text else (text or local_name(node))
    if kind in ("claim", "aim", "statement"):
        ident = graph.value(node, DCTERMS.identifier)
        return f"{ident}: {text}" if ident is not None and text else (text or local_name(node))
    if kind in PLACE_KINDS and is_abolished(graph, node):
        end = abolished_in(graph, node)
        words = _ABOLISHED if end else _ABOLISHED_UNDATED
        return words[lang].format(name=text or local_name(node), end=end)
    return text or local_name(node)


def text_in(graph: Graph, node: Node, lang: str, predicates: Iterable[URIRef]) -> str | None:
    """The first value of ``predicates`` in ``lang``, else in English, else untagged; in
    English, a name in pinyin (``@zh-Latn-pinyin``) before an untagged one.

    >>> from seikg.namespaces import PLACE
    >>> g = Graph()
    >>> _ = g.add((PLACE["370102"], RDFS.label, Literal("历下区", lang="zh")))
    >>> _ = g.add((PLACE["370102"], RDFS.label, Literal("Lixia", lang="zh-Latn-pinyin")))
    >>> [text_in(g, PLACE["370102"], lang, (RDFS.label,)) for lang in ("en", "zh")]
    ['Lixia', '历下区']
    """
    languages = (lang, "en", PINYIN, "") if lang == "en" else (lang, "en", "")
    for language in languages:
        for predicate in predicates:
            for value in graph.objects(node, predicate):
                if isinstance(value, Literal) and (value.language or "").lower() == language:
                    return str(value)
    return None


def is_abolished(graph: Graph, node: Node) -> bool:
    """Whether a place no longer exists: another took it over, or its validity ended."""
    return (node, DCTERMS.isReplacedBy, None) in graph or bool(abolished_in(graph, node))


def abolished_in(graph: Graph, node: Node) -> str:
    """When a place's validity ended (the ``end=`` of its ``dct:valid`` period), or ''.

    >>> from seikg.namespaces import PLACE
    >>> g = Graph().add((PLACE["371200"], DCTERMS.valid, Literal("start=1992; end=2019-01")))
    >>> abolished_in(g, PLACE["371200"])
    '2019-01'
    """
    for period in graph.objects(node, DCTERMS.valid):
        for part in str(period).split(";"):
            key, _, value = part.strip().partition("=")
            if key.strip() == "end" and value.strip():
                return value.strip()
    return ""


def local_name(term: Node) -> str:
    """The last part of an IRI, after its ``#`` or last ``/``."""
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def number_of(literal: Literal) -> Decimal | None:
    """The exact value of a numeric literal; None for any other literal."""
    if literal.datatype is None or not str(literal.datatype).endswith(
        ("#decimal", "#integer", "#double", "#float")
    ):
        return None
    try:
        return Decimal(str(literal))
    except InvalidOperation:
        return None


def _figure_label(kg: KnowledgeGraph, node: URIRef, lang: str) -> str:
    graph = kg.graph
    ident = graph.value(node, DCTERMS.identifier)
    period = graph.value(node, SDMX_DIMENSION.refPeriod)
    value = graph.value(node, SDMX_MEASURE.obsValue)
    unit = graph.value(node, SDMX_ATTRIBUTE.unitMeasure)
    bound = graph.value(node, SEI.bound)
    symbol = graph.value(unit, QUDT.symbol) if unit is not None else None
    number = number_of(value) if isinstance(value, Literal) else None
    amount = _humanize(number, lang) if number is not None else str(value)
    sign = _BOUND_SIGNS.get(local_name(bound) if bound is not None else "", "")
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
    return format(number.normalize(), "f")
