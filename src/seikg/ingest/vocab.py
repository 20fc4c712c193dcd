"""What a cell of a template can name, resolved against the graph.

The ontology (indicators, scopes, units, bounds, share bases, category
schemes) is read from the shipped files; places, agents, described sources
and existing observations come from the store the figures go into, through
the backend's SELECT queries.  Every lookup returns ``None`` or a list of
candidates, so the caller can say what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from seikg.ingest.numbers import split_multiplier
from seikg.namespaces import QUDT, SCHEME, SEI, sparql_prologue

Select = Callable[[str], Sequence[Mapping[str, object]]]


def fold(text: str) -> str:
    """Names compare case-insensitively, full-width forms folded, spaces squeezed.

    >>> fold(" Qingdao　City ")
    'qingdao city'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def local_name(iri: str) -> str:
    """The last segment of an IRI (after / or #).

    >>> local_name("https://w3id.org/sei-kg/indicator/industry-share")
    'industry-share'
    """
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _short(label: str) -> str:
    """A label without its parenthesised gloss: "yuan (CNY)" → "yuan", "元（人民币）" → "元"."""
    return re.split(r"\s*[(（]", label, maxsplit=1)[0].strip()


@dataclass
class Indicator:
    """An indicator as the ontology declares it."""

    iri: URIRef
    notation: str
    label: str
    unit: URIRef
    datatype: URIRef
    kind: URIRef | None
    scopes: tuple[URIRef, ...]

    @property
    def local(self) -> str:
        """The local name used in observation IRIs."""
        return local_name(self.iri)


class Names:
    """An index from names (notation, local name, labels, IRI) to resources."""

    def __init__(self) -> None:
        self._index: dict[str, set[URIRef]] = defaultdict(set)

    def add(self, resource: URIRef, *names: object) -> None:
        """Index a resource under names."""
        self._index[fold(str(resource))].add(resource)
        for name in names:
            if name is not None and str(name).strip():
                self._index[fold(str(name))].add(resource)

    def find(self, text: str) -> list[URIRef]:
        """Every resource of that name, sorted."""
        return sorted(self._index.get(fold(text), set()), key=str)


@dataclass
class Vocabulary:
    """The code lists of the ontology, indexed by every name a person may use."""

    ontology: Graph
    indicators: dict[URIRef, Indicator] = field(default_factory=dict)
    indicator_names: Names = field(default_factory=Names)
    scope_names: Names = field(default_factory=Names)
    unit_names: Names = field(default_factory=Names)
    bound_names: Names = field(default_factory=Names)
    share_base_names: Names = field(default_factory=Names)
    scheme_names: Names = field(default_factory=Names)

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Vocabulary:
        """Index the ontology's indicators, scopes, units, bound sides, share bases, schemes."""
        vocab = cls(ontology)
        g = ontology
        for ind in sorted(g.subjects(RDF.type, SEI.Indicator), key=str):
            assert isinstance(ind, URIRef)
            info = Indicator(
                iri=ind,
                notation=str(g.value(ind, SKOS.notation) or ""),
                label=str(_label(g, ind)),
                unit=g.value(ind, SEI.unit),  # type: ignore[arg-type]
                datatype=g.value(ind, SEI.valueDatatype),  # type: ignore[arg-type]
                kind=g.value(ind, SEI.indicatorKind),  # type: ignore[arg-type]
                scopes=tuple(sorted(g.objects(ind, SEI.applicableScope), key=str)),  # type: ignore[arg-type]
            )
            vocab.indicators[ind] = info
            vocab.indicator_names.add(
                ind, info.notation, info.local, *g.objects(ind, SKOS.prefLabel)
            )
        for scope in g.subjects(RDF.type, SEI.Scope):
            assert isinstance(scope, URIRef)
            vocab.scope_names.add(
                scope, g.value(scope, SKOS.notation), local_name(scope), *_labels(g, scope)
            )
        for unit in g.subjects(RDF.type, QUDT.Unit):
            assert isinstance(unit, URIRef)
            names: list[object] = [
                *_labels(g, unit),
                g.value(unit, QUDT.symbol),
                g.value(unit, QUDT.currencyCode),
            ]
            for label in list(_labels(g, unit)):
                short = _short(str(label))
                names += [short, short + "s"] if re.search("[a-z]$", short) else [short]
            vocab.unit_names.add(unit, *names, *_UNIT_ALIASES.get(local_name(unit), ()))
        for side in g.subjects(SKOS.inScheme, SCHEME.bounds):
            assert isinstance(side, URIRef)
            names = [
                str(g.value(side, SKOS.notation)),
                local_name(side),
                *map(str, _labels(g, side)),
            ]
            names += [_short(str(label)) for label in _labels(g, side)]
            vocab.bound_names.add(side, *names, *_BOUND_ALIASES.get(local_name(side), ()))
        for base in g.subjects(SKOS.inScheme, SCHEME["share-bases"]):
            assert isinstance(base, URIRef)
            vocab.share_base_names.add(
                base, g.value(base, SKOS.notation), local_name(base), *_labels(g, base)
            )
        for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
            assert isinstance(scheme, URIRef)
            titles = [*g.objects(scheme, DCTERMS.title), *_labels(g, scheme)]
            years = [m for t in titles for m in re.findall(r"\((\d{4})\)|（(\d{4})）", str(t))]
            versions = [f"NBS-{y}" for pair in years for y in pair if y]
            vocab.scheme_names.add(
                scheme, local_name(scheme), g.value(scheme, SKOS.notation), *titles, *versions
            )
        return vocab

    def unit(self, text: str) -> tuple[list[URIRef], int]:
        """The units a unit cell names, and the multiplier it carries ("billion yuan")."""
        found = self.unit_names.find(text)
        if found:
            return found, 1
        rest, factor = split_multiplier(unicodedata.normalize("NFKC", text).strip())
        return (self.unit_names.find(rest) if rest and factor != 1 else []), factor

    def label(self, node: URIRef, lang: str = "en") -> str:
        """A label of a code for messages."""
        return str(_label(self.ontology, node, lang))

    def category(self, scheme: URIRef, code: str) -> URIRef | None:
        """The concept of a scheme with that notation."""
        for concept in self.ontology.subjects(SKOS.inScheme, scheme):
            if str(self.ontology.value(concept, SKOS.notation) or "") == code.strip():
                return concept  # type: ignore[return-value]
        return None


_UNIT_ALIASES = {
    "PERCENT": ("per cent", "pct"),
    "PercentagePoint": ("pp", "pct point", "percentage points", "个百分点"),
    "CCY_CNY": ("rmb", "renminbi", "人民币", "人民币元", "yuan"),
    "CCY_USD": ("$", "us$", "dollar", "dollars", "us dollars", "美元"),
    "NUM": ("count", "项", "家"),
}
_BOUND_ALIASES = {
    "more-than": (">", "over", "above", "多于", "大于"),
    "at-least": (">=", "≥", "not less than", "至少"),
    "less-than": ("<", "less than", "under", "不足", "小于"),
    "at-most": ("<=", "≤", "not more than", "至多"),
}


def _labels(g: Graph, node: URIRef) -> list[Literal]:
    return [
        label  # type: ignore[misc]
        for p in (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
        for label in g.objects(node, p)
    ]


def _label(g: Graph, node: URIRef, lang: str = "en") -> str:
    labels = _labels(g, node)
    for label in labels:
        if label.language == lang:
            return str(label)
    return str(labels[0]) if labels else local_name(node)


# ---------------------------------------------------------------------------
# What the store already holds


@dataclass(frozen=True)
class Place:
    """A place of the store: IRI, division code (or local name), labels."""

    iri: URIRef
    code: str
    labels: tuple[str, ...]

    def describe(self) -> str:
        """How a message names the place."""
        return f"{self.code} ({', '.join(self.labels)})" if self.labels else self.code


@dataclass(frozen=True)
class Source:
    """A source document the store already describes, by the data set named after it."""

    dataset: URIRef
    document: URIRef
    attributed_to: URIRef | None


@dataclass
class StoreFacts:
    """Places, agents, described sources and observations of the store, for resolution."""

    places: dict[URIRef, Place] = field(default_factory=dict)
    place_names: Names = field(default_factory=Names)
    agents: Names = field(default_factory=Names)
    agent_iris: set[URIRef] = field(default_factory=set)
    sources: dict[str, Source] = field(default_factory=dict)
    observation_datasets: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    observation_indicator: dict[URIRef, URIRef] = field(default_factory=dict)
    identified: dict[tuple[URIRef, str], URIRef] = field(default_factory=dict)

    @classmethod
    def read(cls, select: Select) -> StoreFacts:
        """Ask the store, through ``select``, for what resolution needs."""
        facts = cls()
        codes: dict[URIRef, str] = {}
        labels: dict[URIRef, list[str]] = defaultdict(list)
        for row in select(sparql_prologue() + _PLACES):
            place = row["place"]
            assert isinstance(place, URIRef)
            labels.setdefault(place, [])
            if row.get("code") is not None:
                codes[place] = str(row["code"])
            if row.get("label") is not None and str(row["label"]) not in labels[place]:
                labels[place].append(str(row["label"]))
        for place, names in labels.items():
            code = codes.get(place, local_name(place))
            facts.places[place] = Place(place, code, tuple(sorted(names)))
            short = [n.rstrip("市省") for n in names if re.search("[市省]$", n)]
            english = [re.sub(r"\s+(province|city)$", "", n, flags=re.I) for n in names]
            facts.place_names.add(place, code, *names, *short, *english)
        for row in select(sparql_prologue() + _AGENTS):
            agent = row["agent"]
            assert isinstance(agent, URIRef)
            facts.agent_iris.add(agent)
            facts.agents.add(agent, local_name(agent), row.get("label"))
        for row in select(sparql_prologue() + _SOURCES):
            dataset, document = row["dataset"], row["document"]
            assert isinstance(dataset, URIRef) and isinstance(document, URIRef)
            who = row.get("stats") or row.get("publisher")
            facts.sources.setdefault(
                local_name(dataset),
                Source(dataset, document, who if isinstance(who, URIRef) else None),
            )
        for row in select(sparql_prologue() + _OBSERVATIONS):
            obs, dataset = row["obs"], row.get("dataset")
            if not isinstance(obs, URIRef):
                continue
            datasets = facts.observation_datasets.setdefault(obs, set())
            if not isinstance(dataset, URIRef):
                continue
            datasets.add(dataset)
            if isinstance(row.get("indicator"), URIRef):
                facts.observation_indicator[obs] = row["indicator"]  # type: ignore[assignment]
            if row.get("id") is not None:
                facts.identified[(dataset, str(row["id"]))] = obs
        return facts

    def place(self, text: str) -> list[Place]:
        """The places a name or code names."""
        return [self.places[p] for p in self.place_names.find(text) if p in self.places]


_PLACES = """SELECT ?place ?code ?label WHERE {
  ?place a/rdfs:subClassOf* sei:Place .
  OPTIONAL { ?place sei:divisionCode ?code }
  OPTIONAL { ?place rdfs:label ?label }
}"""
_AGENTS = """SELECT ?agent ?label WHERE {
  ?agent a prov:Agent .
  OPTIONAL { ?agent rdfs:label ?label }
}"""
_SOURCES = """SELECT ?dataset ?document ?publisher ?stats WHERE {
  ?dataset a qb:DataSet ; prov:wasDerivedFrom ?document .
  ?document dct:title ?title ; dct:publisher ?publisher .
  OPTIONAL { ?document sei:citesStatisticsFrom ?stats }
}"""
_OBSERVATIONS = """SELECT ?obs ?dataset ?indicator ?id WHERE {
  { ?obs qb:dataSet ?dataset } UNION { ?obs a qb:Observation }
  UNION { ?obs sdmx-measure:obsValue [] }
  OPTIONAL { ?obs sei:indicator ?indicator }
  OPTIONAL { ?obs dct:identifier ?id }
}"""


def unique_names(values: Iterable[str]) -> str:
    """A readable list of names for messages."""
    return ", ".join(sorted(set(values)))
