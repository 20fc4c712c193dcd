"""Rows of the templates become observations, claims, data sets and sources, as N-Triples.

The model is that of the shipped facts (``graph/qingdao-2019.ttl``): each
figure is a ``qb:Observation`` of the data set named after its source
(``ds:ID``), with area, year, indicator and scope, value, unit, stated
precision, bound and share base, ``prov:wasDerivedFrom`` its document and
attributed to the agent the statistics come from, with the paragraph, page or
table it stands in.

Observation IRIs say what the figure is, as the shipped ones do:
``obs:AREA-YEAR-INDICATOR-SCOPE`` (``obs:370200-2019-industry-share-sei``), so
that the same figure ingested twice is the same observation.  When that IRI
is already held by an observation of another data set (another source, or a
figure the project derived), the figure is an observation of its own,
``obs:AREA-YEAR-INDICATOR-SCOPE-SOURCE``, so that the two can be compared.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import URIRef
from rdflib.namespace import XSD

from seikg.ingest.numbers import (
    NotANumber,
    decimal_lexical,
    integer_lexical,
    normalize,
    parse_precision,
    parse_stated,
)
from seikg.ingest.tables import Problems, Row, Table
from seikg.ingest.vocab import Indicator, Place, StoreFacts, Vocabulary, fold, local_name
from seikg.namespaces import (
    AGENT,
    BASE,
    CLAIM,
    DS,
    DSD,
    OBS,
    PROV,
    QB,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SEI,
    UNIT,
)

SOURCE = BASE + "source/"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCT = "http://purl.org/dc/terms/"
_FOAF = "http://xmlns.com/foaf/0.1/"
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_XSD_STRING = str(XSD.string)
_PLAIN = re.compile(r'[^\\"\x00-\x1f]*')
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def iri(value: str) -> str:
    """An IRI in N-Triples."""
    return f"<{value}>"


def literal(text: str, *, datatype: URIRef | str | None = None, lang: str | None = None) -> str:
    """A literal in N-Triples, escaped.

    >>> literal('say "hi"\\n', lang="en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if _PLAIN.fullmatch(text):
        escaped = text
    else:
        escaped = "".join(_ESCAPES.get(c, c if c >= " " else f"\\u{ord(c):04X}") for c in text)
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype is not None and datatype != _XSD_STRING:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def text_literal(text: str, lang: str | None = None) -> str:
    """A text in its language: the one given, else Chinese if it holds Chinese characters."""
    return literal(text, lang=lang or ("zh" if _CJK.search(text) else "en"))


# N-Triples terms used for every row, made once.
_PROV_WASATTRIBUTEDTO = iri(str(PROV.wasAttributedTo))
_PROV_WASDERIVEDFROM = iri(str(PROV.wasDerivedFrom))
_QB_OBSERVATION = iri(str(QB.Observation))
_QB_DATASET = iri(str(QB.dataSet))
_QB_STRUCTURE = iri(str(QB.structure))
_SDMX_ATTRIBUTE_UNITMEASURE = iri(str(SDMX_ATTRIBUTE.unitMeasure))
_SDMX_DIMENSION_REFAREA = iri(str(SDMX_DIMENSION.refArea))
_SDMX_DIMENSION_REFPERIOD = iri(str(SDMX_DIMENSION.refPeriod))
_SDMX_MEASURE_OBSVALUE = iri(str(SDMX_MEASURE.obsValue))
_SEI_COMPARISONCLAIM = iri(str(SEI.ComparisonClaim))
_SEI_BOUND = iri(str(SEI.bound))
_SEI_CITESSTATISTICSFROM = iri(str(SEI.citesStatisticsFrom))
_SEI_COMPARATOR = iri(str(SEI.comparator))
_SEI_COMPAREDAREA = iri(str(SEI.comparedArea))
_SEI_COMPAREDINDICATOR = iri(str(SEI.comparedIndicator))
_SEI_COMPAREDPERIOD = iri(str(SEI.comparedPeriod))
_SEI_COMPAREDSCOPE = iri(str(SEI.comparedScope))
_SEI_COVERSOBSERVATION = iri(str(SEI.coversObservation))
_SEI_GREATERTHAN = iri(str(SEI.greaterThan))
_SEI_INDICATOR = iri(str(SEI.indicator))
_SEI_REFERENCETIME = iri(str(SEI.referenceTime))
_SEI_SCOPE = iri(str(SEI.scope))
_SEI_SHAREBASE = iri(str(SEI.shareBase))
_SEI_SOURCETABLE = iri(str(SEI.sourceTable))
_SEI_STATEDPRECISION = iri(str(SEI.statedPrecision))
_RDFS_LABEL = iri(_RDFS + "label")
_RDFS_COMMENT = iri(_RDFS + "comment")
_DCT_IDENTIFIER = iri(_DCT + "identifier")
_DCT_TITLE = iri(_DCT + "title")
_DCT_PUBLISHER = iri(_DCT + "publisher")
_DCT_DATE = iri(_DCT + "date")
_DCT_LANGUAGE = iri(_DCT + "language")
_DCT_TYPE = iri(_DCT + "type")
_FOAF_PAGE = iri(_FOAF + "page")
_LOCATORS = (("paragraph", iri(str(SEI.sourceParagraph))), ("page", iri(str(SEI.sourcePage))))
_XSD_INTEGER = str(XSD.integer)
_XSD_DECIMAL = str(XSD.decimal)
_XSD_GYEAR = str(XSD.gYear)
_XSD_DATE = str(XSD.date)


@dataclass
class Origin:
    """Where a resource of the batch comes from: the rows that state it."""

    kind: str  # "figure", "claim", "source"
    rows: list[Row] = field(default_factory=list)


@dataclass
class Batch:
    """What the rows become: N-Triples lines, and for each resource the rows behind it."""

    lines: list[str] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    figures: int = 0
    claims: int = 0
    sources: int = 0
    datasets: set[str] = field(default_factory=set)
    indicators: dict[str, str] = field(default_factory=dict)  # observation → its indicator

    def add(self, s: str, p: str, o: str) -> None:
        """Add one triple (N-Triples terms)."""
        self.lines.append(f"{s} {p} {o} .\n")

    def origin(self, resource: str, kind: str, row: Row) -> None:
        """Record that a row states a resource."""
        self.origins.setdefault(resource, Origin(kind)).rows.append(row)

    def ntriples(self) -> bytes:
        """The batch as N-Triples, each triple once, sorted (deterministic)."""
        return "".join(sorted(set(self.lines))).encode("utf-8")

    def digest(self) -> str:
        """A short hash of the content (names the Turtle file of the batch)."""
        return hashlib.sha256(self.ntriples()).hexdigest()[:12]


@dataclass
class _Source:
    """A source a row may cite: its data set, document and the agent figures are attributed to."""

    id: str
    dataset: str
    document: str
    attributed_to: str | None


@dataclass
class _Figure:
    row: Row
    place: Place
    year: str
    indicator: Indicator
    scope: URIRef
    source: _Source

    @property
    def cell(self) -> str:
        return f"{self.place.code}-{self.year}-{self.indicator.local}-{local_name(self.scope)}"


Progress = Callable[[int], None]


def convert(
    tables: Iterable[Table],
    vocab: Vocabulary,
    facts: StoreFacts,
    problems: Problems,
    *,
    progress: Progress | None = None,
) -> Batch:
    """Turn the rows of every table into a batch; every problem goes to ``problems``."""
    batch = Batch()
    by_kind: dict[str, list[Table]] = defaultdict(list)
    for table in tables:
        by_kind[table.template.name].append(table)
    agents = _Agents(facts, batch)
    sources = _sources(by_kind["sources"], facts, agents, batch, problems)
    figures = _figures(by_kind["figures"], vocab, facts, sources, batch, problems, progress)
    _claims(by_kind["claims"], vocab, facts, sources, figures, batch, problems)
    return batch


# ---------------------------------------------------------------------------
# Agents


class _Agents:
    """Agents by name: an agent of the store, or a new one described in the batch."""

    def __init__(self, facts: StoreFacts, batch: Batch) -> None:
        self.facts = facts
        self.batch = batch
        self.minted: dict[str, str] = {}

    def resolve(self, text: str, row: Row, column: str, problems: Problems) -> str | None:
        name = text.strip()
        if re.match(r"^https?://", name):
            if URIRef(name) in self.facts.agent_iris:
                return iri(name)
            problems.add(
                row.where(column),
                f"{name} is not an agent of the graph; expected the name of an agent "
                "(a new one is described from its name) or the IRI of a known one",
            )
            return None
        found = self.facts.agents.find(name)
        if len(found) > 1:
            problems.add(
                row.where(column),
                f"{name!r} names several agents ({', '.join(str(f) for f in found)}); "
                "expected the IRI of one of them",
            )
            return None
        key = fold(name)
        if key not in self.minted:
            if found:
                agent = iri(found[0])
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-")
                if not slug or not name.isascii():
                    slug = "x-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
                agent = iri(AGENT[slug])
            # The agent is described by its name whether it is new or not, so that the same
            # rows give the same triples whatever the store holds.
            self.minted[key] = agent
            for kind in (PROV.Agent, PROV.Organization, URIRef(_FOAF + "Organization")):
                self.batch.add(agent, _RDF_TYPE, iri(kind))
            self.batch.add(agent, _RDFS_LABEL, text_literal(name))
        return self.minted[key]


# ---------------------------------------------------------------------------
# Sources


def _sources(
    tables: list[Table], facts: StoreFacts, agents: _Agents, batch: Batch, problems: Problems
) -> dict[str, _Source]:
    known: dict[str, _Source] = {
        sid: _Source(
            sid, iri(s.dataset), iri(s.document), iri(s.attributed_to) if s.attributed_to else None
        )
        for sid, s in facts.sources.items()
    }
    seen: set[str] = set()
    for table in tables:
        for row in table.rows:
            source = _source(row, agents, batch, problems, seen)
            if source is not None:
                known[source.id] = source
    return known


def _source(
    row: Row, agents: _Agents, batch: Batch, problems: Problems, seen: set[str]
) -> _Source | None:
    ok = True
    sid = row.get("id")
    if not _SOURCE_ID.fullmatch(sid):
        problems.add(
            row.where("id"),
            f"source id {sid!r} cannot name a data set; expected letters, digits, '.', '-' or '_' "
            "(qingdao-2019)",
        )
        ok = False
    elif sid in seen:
        problems.add(
            row.where("id"), f"source {sid!r} is described twice; expected one row per source"
        )
        ok = False
    seen.add(sid)
    for column in ("title", "publisher", "date"):
        if not row.get(column):
            problems.add(
                row.where(column), f"the {column} of the source is empty; expected it filled"
            )
            ok = False
    date = normalize(row.get("date"))
    if date and not _DATE.fullmatch(date):
        problems.add(
            row.where("date"),
            f"{row.get('date')!r} is not a date; expected YYYY-MM-DD (2020-04-08)",
        )
        ok = False
    address = row.get("address")
    if address and not _valid_http(address):
        problems.add(row.where("address"), f"{address!r} is not an http(s) address; expected a URL")
        ok = False
    language = row.get("language")
    if language and not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*", language):
        problems.add(
            row.where("language"), f"{language!r} is not a language tag; expected en or zh"
        )
        ok = False
    publisher = (
        agents.resolve(row.get("publisher"), row, "publisher", problems)
        if row.get("publisher")
        else None
    )
    stats = (
        agents.resolve(row.get("statistics_from"), row, "statistics_from", problems)
        if row.get("statistics_from")
        else None
    )
    if not ok or publisher is None:
        return None
    document = iri(address) if address else iri(SOURCE + sid)
    dataset = iri(DS[sid])
    lang = language.lower() if language and language.lower() in ("en", "zh") else None
    for kind in (PROV.Entity, URIRef(_FOAF + "Document"), URIRef(_DCT + "BibliographicResource")):
        batch.add(document, _RDF_TYPE, iri(kind))
    batch.add(document, _DCT_TITLE, text_literal(row.get("title"), lang))
    batch.add(document, _DCT_PUBLISHER, publisher)
    batch.add(document, _PROV_WASATTRIBUTEDTO, publisher)
    batch.add(document, _DCT_DATE, literal(date, datatype=_XSD_DATE))
    if stats:
        batch.add(document, _SEI_CITESSTATISTICSFROM, stats)
    if address:
        batch.add(document, _FOAF_PAGE, iri(address))
    if language:
        batch.add(document, _DCT_LANGUAGE, literal(language))
    if row.get("kind"):
        batch.add(document, _DCT_TYPE, text_literal(row.get("kind")))
    if row.get("note"):
        batch.add(document, _RDFS_COMMENT, text_literal(row.get("note")))
    for kind in (QB.DataSet, PROV.Entity):
        batch.add(dataset, _RDF_TYPE, iri(kind))
    batch.add(dataset, _QB_STRUCTURE, iri(DSD["sei-figures"]))
    batch.add(dataset, _PROV_WASDERIVEDFROM, document)
    batch.add(dataset, _RDFS_LABEL, text_literal(row.get("title"), lang))
    batch.origin(document[1:-1], "source", row)
    batch.origin(dataset[1:-1], "source", row)
    batch.sources += 1
    return _Source(sid, dataset, document, stats or publisher)


def _valid_http(text: str) -> bool:
    import pyoxigraph as ox

    if not re.match(r"^https?://[^\s/]+", text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------
# Resolution of codes, shared by figures and claims


def _one(
    found: list[Any], what: str, text: str, row: Row, column: str, problems: Problems,
    expected: str,
) -> Any:  # fmt: skip
    if len(found) == 1:
        return found[0]
    if not found:
        problems.add(row.where(column), f"unknown {what} {text!r}; expected {expected}")
    else:
        names = ", ".join(x.describe() if isinstance(x, Place) else str(x) for x in found)
        problems.add(
            row.where(column),
            f"{what} {text!r} names {len(found)} of them ({names}); expected a name or code that "
            "names exactly one",
        )
    return None


def _place(text: str, facts: StoreFacts, row: Row, column: str, problems: Problems) -> Place | None:
    if not text:
        problems.add(
            row.where(column), "the area is empty; expected a division code or a place name"
        )
        return None
    found = facts.place(text)
    return _one(
        found, "area", text, row, column, problems,
        "a division code (370200) or a name in Chinese or English of a place in the graph",
    )  # fmt: skip


def _indicator(
    text: str, vocab: Vocabulary, row: Row, column: str, problems: Problems
) -> Indicator | None:
    found = vocab.indicator_names.find(text) if text else []
    chosen = _one(
        found, "indicator", text, row, column, problems,
        "an indicator's notation (IND01), IRI or label: "
        + ", ".join(i.notation for i in vocab.indicators.values()),
    )  # fmt: skip
    return vocab.indicators[chosen] if chosen is not None else None


def _scope(
    text: str, indicator: Indicator | None, vocab: Vocabulary, row: Row, column: str,
    problems: Problems,
) -> URIRef | None:  # fmt: skip
    found = vocab.scope_names.find(text) if text else []
    if len(found) == 1 and (indicator is None or found[0] in indicator.scopes):
        return found[0]
    applicable = indicator.scopes if indicator is not None else ()
    expected = (
        ", ".join(_notation(vocab, s) for s in applicable) or "a scope's notation, IRI or label"
    )
    chosen = _one(found, "scope", text, row, column, problems, f"one of {expected}")
    if chosen is not None and indicator is not None:
        problems.add(
            row.where(column),
            f"scope {text!r} is not one indicator {indicator.notation} ({indicator.label}) is "
            f"measured for; expected {expected}",
        )
    return None


def _notation(vocab: Vocabulary, node: URIRef) -> str:
    from rdflib.namespace import SKOS

    value = vocab.ontology.value(node, SKOS.notation)
    return str(value) if value is not None else local_name(node)


def _year(text: str, row: Row, column: str, problems: Problems) -> str | None:
    year = normalize(text)
    if not _YEAR.fullmatch(year):
        problems.add(row.where(column), f"{text!r} is not a year; expected four digits (2019)")
        return None
    return year


def _cited(text: str, sources: dict[str, _Source], row: Row, problems: Problems) -> _Source | None:
    if not text:
        problems.add(
            row.where("source"), "the source is empty; expected the id of a described source"
        )
        return None
    if text not in sources:
        problems.add(
            row.where("source"),
            f"source {text!r} is not described; expected its row in a sources table "
            "(id, title, publisher, date) or a source already in the graph",
        )
        return None
    return sources[text]


def _locator(row: Row, subject: str, batch: Batch, problems: Problems) -> bool:
    found = False
    for column, prop in _LOCATORS:
        text = normalize(row.get(column))
        if not text:
            continue
        if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
            problems.add(
                row.where(column),
                f"{row.get(column)!r} is not a {column} number; expected a whole number from 1",
            )
            continue
        batch.add(subject, prop, literal(str(int(text)), datatype=_XSD_INTEGER))
        found = True
    if row.get("table"):
        batch.add(subject, _SEI_SOURCETABLE, literal(row.get("table")))
        found = True
    if not found and not any(row.get(c) for c in ("paragraph", "page")):
        problems.add(
            row.where("paragraph"),
            "where in the source is not said; expected a paragraph, a page or a table",
        )
    return found


def _texts(row: Row, subject: str, batch: Batch) -> None:
    if row.get("id"):
        batch.add(subject, _DCT_IDENTIFIER, literal(row.get("id")))
    if row.get("label_en"):
        batch.add(subject, _RDFS_LABEL, literal(row.get("label_en"), lang="en"))
    if row.get("label_zh"):
        batch.add(subject, _RDFS_LABEL, literal(row.get("label_zh"), lang="zh"))
    if row.get("note"):
        batch.add(subject, _RDFS_COMMENT, text_literal(row.get("note")))


# ---------------------------------------------------------------------------
# Figures


def _figures(
    tables: list[Table],
    vocab: Vocabulary,
    facts: StoreFacts,
    sources: dict[str, _Source],
    batch: Batch,
    problems: Problems,
    progress: Progress | None,
) -> dict[tuple[str, str], str]:
    """Convert figure rows; return (source id, figure id) → observation IRI, for claims."""
    resolved: list[_Figure] = []
    count = 0
    for table in tables:
        for row in table.rows:
            figure = _resolve_figure(row, vocab, facts, sources, problems)
            if figure is not None:
                resolved.append(figure)
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(1000)
    if progress is not None:
        progress(count % 1000)
    owners = _owners(resolved, facts)
    ids: dict[tuple[str, str], str] = {}
    id_rows: dict[tuple[str, str], Row] = {}
    for figure in resolved:
        subject = iri(owners[(figure.cell, figure.source.id)])
        if _emit_figure(figure, subject, vocab, batch, problems):
            batch.origin(subject[1:-1], "figure", figure.row)
            batch.figures += 1
        figure_id = figure.row.get("id")
        if figure_id:
            key = (figure.source.id, figure_id)
            if key in id_rows and ids[key] != subject:
                problems.add(
                    figure.row.where("id"),
                    f"figure id {figure_id!r} is also given to the figure of "
                    f"{id_rows[key].where()}; expected ids unique within a source",
                )
            ids[key], id_rows[key] = subject, figure.row
    return ids


def _owners(figures: list[_Figure], facts: StoreFacts) -> dict[tuple[str, str], str]:
    """Each figure's IRI: its cell's, unless another data set already holds that IRI."""
    holders: dict[str, set[str]] = defaultdict(set)
    for figure in figures:
        holders[figure.cell].add(figure.source.id)
    owners: dict[tuple[str, str], str] = {}
    for cell, source_ids in holders.items():
        base = str(OBS[cell])
        existing = {local_name(d) for d in facts.observation_datasets.get(URIRef(base), set())}
        # The IRI stays with the data set that holds it; a free one goes to the first source id.
        owner = next(iter(sorted(existing & source_ids)), None) if existing else min(source_ids)
        for sid in source_ids:
            owners[(cell, sid)] = base if sid == owner else f"{base}-{sid}"
    return owners


def _resolve_figure(
    row: Row, vocab: Vocabulary, facts: StoreFacts, sources: dict[str, _Source], problems: Problems
) -> _Figure | None:
    before = len(problems.found)
    place = _place(row.get("area"), facts, row, "area", problems)
    year = _year(row.get("year"), row, "year", problems)
    indicator = _indicator(row.get("indicator"), vocab, row, "indicator", problems)
    scope = _scope(row.get("scope"), indicator, vocab, row, "scope", problems)
    source = _cited(row.get("source"), sources, row, problems)
    if row.get("category") or row.get("category_scheme"):
        _category(row, vocab, problems)
    if len(problems.found) > before or None in (place, year, indicator, scope, source):
        _check_rest(row, vocab, indicator, problems)
        return None
    assert place and year and indicator and scope and source
    return _Figure(row, place, year, indicator, scope, source)


def _check_rest(
    row: Row, vocab: Vocabulary, indicator: Indicator | None, problems: Problems
) -> None:
    """Check the value, unit and attributes of a row that cannot be converted, so that one
    run reports every problem of the row."""
    batch = Batch()
    if indicator is not None:
        _value(row, vocab, indicator, "<urn:x>", batch, problems)
    else:
        _unit(row, vocab, None, problems)
        try:
            parse_stated(row.get("value"))
        except NotANumber:
            problems.add(
                row.where("value"),
                f"{row.get('value')!r} is not a number; expected a number as stated "
                "(31.8, 1,000, 100 billion)",
            )
    _locator(row, "<urn:x>", batch, problems)


def _category(row: Row, vocab: Vocabulary, problems: Problems) -> None:
    code, scheme_text = row.get("category"), row.get("category_scheme")
    if not code or not scheme_text:
        missing = "category_scheme" if code else "category"
        problems.add(
            row.where(missing),
            "a category needs both its code and its scheme version; "
            "expected both filled or both empty",
        )
        return
    schemes = vocab.scheme_names.find(scheme_text)
    if len(schemes) != 1:
        problems.add(
            row.where("category_scheme"),
            f"unknown category scheme {scheme_text!r}; expected a scheme of the graph "
            "(its IRI, name or version, e.g. NBS-2018)",
        )
        return
    if vocab.category(schemes[0], code) is None:
        problems.add(
            row.where("category"),
            f"no category {code!r} in {scheme_text}; expected one of its codes",
        )
        return
    problems.add(
        row.where("category"),
        "figures about one category cannot be stored yet: the cube structure has no category "
        "dimension; expected the column empty",
    )


def _unit(
    row: Row, vocab: Vocabulary, indicator: Indicator | None, problems: Problems
) -> int | None:
    text = row.get("unit")
    if not text:
        problems.add(row.where("unit"), "the unit is empty; expected the indicator's unit")
        return None
    units, factor = vocab.unit(text)
    if units and (indicator is None or indicator.unit in units):
        return factor
    expected = (
        f"{vocab.label(indicator.unit)} ({local_name(indicator.unit)})"
        if indicator
        else "a unit of the graph"
    )
    if not units:
        problems.add(row.where("unit"), f"unknown unit {text!r}; expected {expected}")
    else:
        assert indicator is not None
        problems.add(
            row.where("unit"),
            f"unit {text!r} does not fit indicator {indicator.notation} ({indicator.label}), "
            f"which is measured in {vocab.label(indicator.unit)}; expected {expected}",
        )
    return None


def _value(
    row: Row,
    vocab: Vocabulary,
    indicator: Indicator,
    subject: str,
    batch: Batch,
    problems: Problems,
) -> bool:
    factor = _unit(row, vocab, indicator, problems)
    text = row.get("value")
    try:
        stated = parse_stated(text, multiplier=factor or 1)
    except NotANumber:
        problems.add(
            row.where("value"),
            f"{text!r} is not a number; expected a number as stated "
            "(31.8, +3.1, 1,000, 100 billion)"
            if text
            else "the value is empty; expected the number the source states",
        )
        return False
    if stated.percent_sign and indicator.unit != UNIT.PERCENT:
        problems.add(
            row.where("value"),
            f"{text!r} has a percent sign but {indicator.notation} is not in percent; "
            "expected a plain number",
        )
        return False
    if factor is None:
        return False
    precision = stated.precision
    if row.get("precision"):
        try:
            precision = parse_precision(row.get("precision"), multiplier=factor)
        except NotANumber:
            problems.add(
                row.where("precision"),
                f"{row.get('precision')!r} is not a precision; "
                "expected a positive number (0.1, 1, 1000000000)",
            )
            return False
    else:
        batch.notices.append(
            f"{row.where('precision')}: no stated precision; "
            f"inferred {_plain(precision)} from the digits of {text!r}"
        )
    if indicator.datatype == XSD.integer and integer_lexical(stated.value) is not None:
        value = literal(integer_lexical(stated.value) or "", datatype=_XSD_INTEGER)
    else:
        value = literal(decimal_lexical(stated.value), datatype=_XSD_DECIMAL)
    batch.add(subject, _SDMX_MEASURE_OBSVALUE, value)
    batch.add(subject, _SDMX_ATTRIBUTE_UNITMEASURE, iri(indicator.unit))
    batch.add(
        subject, _SEI_STATEDPRECISION, literal(decimal_lexical(precision), datatype=_XSD_DECIMAL)
    )
    ok = True
    if row.get("bound"):
        side = normalize(row.get("bound"))
        if fold(side) not in ("exact", "=", "确切", "精确"):
            found = vocab.bound_names.find(side)
            chosen = _one(
                found, "bound", side, row, "bound", problems,
                "more than, at least, less than, at most, or exact",
            )  # fmt: skip
            if chosen is None:
                ok = False
            else:
                batch.add(subject, _SEI_BOUND, iri(chosen))
    if row.get("share_base"):
        found = vocab.share_base_names.find(row.get("share_base"))
        chosen = _one(
            found, "share base", row.get("share_base"), row, "share_base", problems,
            "a share base's notation (NS, INV), IRI or label",
        )  # fmt: skip
        if chosen is None:
            ok = False
        else:
            batch.add(subject, _SEI_SHAREBASE, iri(chosen))
    return ok


def _plain(value: Decimal) -> str:
    text = decimal_lexical(value)
    return text[:-2] if text.endswith(".0") else text


def _emit_figure(
    figure: _Figure, subject: str, vocab: Vocabulary, batch: Batch, problems: Problems
) -> bool:
    row = figure.row
    before = len(problems.found)
    lines_before = len(batch.lines)
    ok = _value(row, vocab, figure.indicator, subject, batch, problems)
    located = _locator(row, subject, batch, problems)
    reference = normalize(row.get("reference_time"))
    if reference:
        match = _DATE.fullmatch(reference)
        if not match:
            problems.add(
                row.where("reference_time"),
                f"{row.get('reference_time')!r} is not a date; expected YYYY-MM-DD",
            )
            ok = False
        elif match.group(1) != figure.year:
            problems.add(
                row.where("reference_time"),
                f"reference time {reference} is not in the reference year {figure.year}; "
                f"expected a day of {figure.year}",
            )
            ok = False
        else:
            batch.add(subject, _SEI_REFERENCETIME, literal(reference, datatype=_XSD_DATE))
    if not ok or not located or len(problems.found) > before:
        del batch.lines[lines_before:]
        return False
    batch.add(subject, _RDF_TYPE, _QB_OBSERVATION)
    batch.add(subject, _QB_DATASET, figure.source.dataset)
    batch.add(subject, _SDMX_DIMENSION_REFAREA, iri(figure.place.iri))
    batch.add(subject, _SDMX_DIMENSION_REFPERIOD, literal(figure.year, datatype=_XSD_GYEAR))
    batch.add(subject, _SEI_INDICATOR, iri(figure.indicator.iri))
    batch.add(subject, _SEI_SCOPE, iri(figure.scope))
    batch.add(subject, _PROV_WASDERIVEDFROM, figure.source.document)
    if figure.source.attributed_to:
        batch.add(subject, _PROV_WASATTRIBUTEDTO, figure.source.attributed_to)
    _texts(row, subject, batch)
    batch.datasets.add(figure.source.dataset[1:-1])
    batch.indicators[subject[1:-1]] = str(figure.indicator.iri)
    return True


# ---------------------------------------------------------------------------
# Claims


def _claims(
    tables: list[Table],
    vocab: Vocabulary,
    facts: StoreFacts,
    sources: dict[str, _Source],
    figures: dict[tuple[str, str], str],
    batch: Batch,
    problems: Problems,
) -> None:
    for table in tables:
        for row in table.rows:
            _claim(row, vocab, facts, sources, figures, batch, problems)


def _claim(
    row: Row,
    vocab: Vocabulary,
    facts: StoreFacts,
    sources: dict[str, _Source],
    figures: dict[tuple[str, str], str],
    batch: Batch,
    problems: Problems,
) -> None:
    before = len(problems.found)
    source = _cited(row.get("source"), sources, row, problems)
    comparator = fold(normalize(row.get("comparator")))
    if comparator not in (
        "higher than",
        "greater than",
        "above",
        "高于",
        "greaterthan",
        fold(str(SEI.greaterThan)),
    ):
        problems.add(
            row.where("comparator"),
            f"unknown comparator {row.get('comparator')!r}; expected higher than",
        )
    place = _place(row.get("compared_area"), facts, row, "compared_area", problems)
    year = _year(row.get("compared_year"), row, "compared_year", problems)
    indicator = _indicator(
        row.get("compared_indicator"), vocab, row, "compared_indicator", problems
    )
    scope = _scope(row.get("compared_scope"), indicator, vocab, row, "compared_scope", problems)
    covered: list[str] = []
    covered_indicators: set[str] = set()
    refs = [r.strip() for r in re.split(r"[;,；，]", row.get("covers")) if r.strip()]
    if not refs:
        problems.add(
            row.where("covers"),
            "the claim covers no figure; expected figure ids (F6; F7; F8) or IRIs",
        )
    for ref in refs:
        obs = _covered(ref, source, facts, figures)
        if obs is None:
            problems.add(
                row.where("covers"),
                f"{ref!r} is not a figure of source {row.get('source')!r} in these files or the "
                "graph; expected a figure id of that source or an observation IRI",
            )
            continue
        covered.append(obs)
        ind = _covered_indicator(obs, facts, batch)
        if ind:
            covered_indicators.add(local_name(ind))
    batch_lines = len(batch.lines)
    if len(problems.found) > before or None in (source, place, year, indicator, scope):
        _locator(row, "<urn:x>", Batch(), problems)
        return
    assert source and place and year and indicator and scope
    covering = "-".join(sorted(covered_indicators)) or "figures"
    name = f"{place.code}-{year}-{covering}-above-{indicator.local}"
    if len(indicator.scopes) != 1:
        name += f"-{local_name(scope)}"
    subject = iri(CLAIM[name])
    if not _locator(row, subject, batch, problems):
        del batch.lines[batch_lines:]
        return
    batch.add(subject, _RDF_TYPE, _SEI_COMPARISONCLAIM)
    batch.add(subject, _SEI_COMPARATOR, _SEI_GREATERTHAN)
    for obs in covered:
        batch.add(subject, _SEI_COVERSOBSERVATION, iri(obs))
    batch.add(subject, _SEI_COMPAREDAREA, iri(place.iri))
    batch.add(subject, _SEI_COMPAREDPERIOD, literal(year, datatype=_XSD_GYEAR))
    batch.add(subject, _SEI_COMPAREDINDICATOR, iri(indicator.iri))
    batch.add(subject, _SEI_COMPAREDSCOPE, iri(scope))
    batch.add(subject, _PROV_WASDERIVEDFROM, source.document)
    if source.attributed_to:
        batch.add(subject, _PROV_WASATTRIBUTEDTO, source.attributed_to)
    _texts(row, subject, batch)
    batch.origin(subject[1:-1], "claim", row)
    batch.claims += 1


def _covered(
    ref: str, source: _Source | None, facts: StoreFacts, figures: dict[tuple[str, str], str]
) -> str | None:
    if re.match(r"^https?://", ref):
        known = URIRef(ref) in facts.observation_datasets or any(
            v == f"<{ref}>" for v in figures.values()
        )
        return ref if known else None
    if source is None:
        return None
    if (source.id, ref) in figures:
        return figures[(source.id, ref)][1:-1]
    found = facts.identified.get((URIRef(source.dataset[1:-1]), ref))
    return str(found) if found is not None else None


def _covered_indicator(obs: str, facts: StoreFacts, batch: Batch) -> str | None:
    known = facts.observation_indicator.get(URIRef(obs))
    return str(known) if known is not None else batch.indicators.get(obs)
