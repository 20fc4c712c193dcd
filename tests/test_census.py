"""The national census figures: each exactly once, with unit, precision, source and category."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from seikg.validation import Severity

from facts import CENSUS, CENSUS_SOURCES, SHARES_OF_COUNTS

QUERY = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sei: <https://w3id.org/sei-kg/ontology#>
SELECT ?obs ?value ?unit ?precision ?period ?time ?doc ?kind ?scheme WHERE {
  ?obs a qb:Observation ; dct:identifier ?id ; qb:dataSet ?ds ;
       sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit ;
       sei:statedPrecision ?precision ; sei:referenceTime ?time ;
       sdmx-dimension:refArea <https://w3id.org/sei-kg/place/CN> ;
       sdmx-dimension:refPeriod ?period ; prov:wasDerivedFrom ?doc ;
       sei:indicator/sei:indicatorKind ?kind .
  ?ds sei:classification ?scheme .
  ?doc dct:title ?title ; dct:publisher ?publisher ; dct:issued ?issued .
}"""

KINDS = {
    "count": "https://w3id.org/sei-kg/ontology#CountKind",
    "share": "https://w3id.org/sei-kg/ontology#ShareKind",
}
SCHEMES = {
    2018: "https://w3id.org/sei-kg/scheme/nbs-2018",
    2023: "https://w3id.org/sei-kg/scheme/nbs-2023",
}


@pytest.mark.parametrize("key", sorted(CENSUS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_census_figure_once_with_unit_precision_source(kg, key):
    fid, kind = key
    value, unit, precision, year, _category = CENSUS[key]
    rows = [
        r
        for r in kg.graph.query(QUERY, initBindings={"id": Literal(fid)})
        if str(r.kind) == KINDS[kind]
    ]
    assert len(rows) == 1, f"{fid} ({kind}) is in the graph {len(rows)} times"
    row = rows[0]
    assert Decimal(str(row.value)) == value
    assert str(row.unit) == unit
    assert Decimal(str(row.precision)) == precision
    assert str(row.period) == str(year)
    assert str(row.time) == f"{year}-12-31"
    assert str(row.doc) == CENSUS_SOURCES[year]
    assert str(row.scheme) == SCHEMES[year]


@pytest.mark.parametrize("key", sorted(CENSUS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_census_figure_counts_a_category_of_its_version(kg, key):
    """An industry figure's scope comprises exactly its category, a concept of its census's
    classification; a whole comprises several categories (or, for services, none)."""
    from seikg.namespaces import SEI

    fid, kind = key
    *_rest, year, category = CENSUS[key]
    obs = next(
        o
        for o in kg.graph.subjects(URIRef("http://purl.org/dc/terms/identifier"), Literal(fid))
        if str(kg.graph.value(kg.graph.value(o, SEI.indicator), SEI.indicatorKind)) == KINDS[kind]
    )
    comprised = set(kg.graph.objects(kg.graph.value(obs, SEI.scope), SEI.comprisesCategory))
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    for concept in comprised:
        assert (concept, in_scheme, URIRef(SCHEMES[year])) in kg.graph, concept
    if category is not None:
        assert comprised == {URIRef(category)}
    else:
        assert len(comprised) != 1


def test_no_census_figure_beyond_the_facts_file(kg):
    from seikg.namespaces import QB, SDMX_DIMENSION

    country = URIRef("https://w3id.org/sei-kg/place/CN")
    national = {
        o for o in kg.graph.subjects(SDMX_DIMENSION.refArea, country)
        if (o, None, QB.Observation) in kg.graph
    }  # fmt: skip
    assert len(national) == len(CENSUS)


@pytest.mark.parametrize("share,count,total", SHARES_OF_COUNTS)
def test_share_names_its_count_and_total(kg, share, count, total):
    from seikg.namespaces import SEI

    ids = URIRef("http://purl.org/dc/terms/identifier")

    def figure(fid: str, kind: str) -> URIRef:
        return next(
            o
            for o in kg.graph.subjects(ids, Literal(fid))
            if str(kg.graph.value(kg.graph.value(o, SEI.indicator), SEI.indicatorKind))
            == KINDS[kind]
        )

    node = figure(share, "share")
    assert kg.graph.value(node, SEI.shareCount) == figure(count, "count")
    assert kg.graph.value(node, SEI.shareTotal) == figure(total, "count")


def test_the_known_discrepancy_is_acknowledged_and_listed(kg):
    """N4 (21.3) does not follow from N3 / N1 (21.25): shipped as stated, listed as an
    acknowledged warning, and the graph still conforms."""
    from seikg.validation import Severity

    report = kg.validate(meta=False)
    warnings = [r for r in report.results if r.severity is Severity.WARNING]
    assert report.conforms, report.render()
    acknowledged = [r for r in warnings if r.rule_id.endswith("AcknowledgedShareShape")]
    assert {r.focus_node for r in acknowledged} == {
        "https://w3id.org/sei-kg/observation/CN-2018-industrial-enterprise-share-nbs-2018-3"
    }, report.render()
    (message,) = {r.message for r in acknowledged}  # one discrepancy, one message
    for needle in ("N4", "N3", "N1", "21.3", "21.25", "Acknowledged"):
        assert needle in message, message
    # The figures involved are the three the facts name: the share, its count and its total.
    assert {f.identifier for r in acknowledged for f in r.figures} == {"N4", "N3", "N1"}
    text = report.render()
    assert [line.split("]")[0].strip() for line in text.splitlines() if "] " in line] == [
        "[N4",
        "[N3",
        "[N1",
    ], text


def test_without_the_acknowledgement_the_graph_fails(tmp_path):
    from seikg import resources
    from seikg.kg import KnowledgeGraph

    files = []
    for path in resources.graph_files():
        text = path.read_text(encoding="utf-8")
        if path.name == "national-census.ttl":
            start = text.index("ack:CN-2018-industrial-enterprise-share-nbs-2018-3 a")
            text = text[:start]
        copy = tmp_path / path.name
        copy.write_text(text, encoding="utf-8")
        files.append(copy)
    report = KnowledgeGraph.load(files).validate(meta=False)
    assert not report.conforms
    assert {r for r, _f in report.broken()} == {"https://w3id.org/sei-kg/shapes#ShareOfCountShape"}


def _census_with(tmp_path, old: str, new: str):
    """The shipped graph with one edit of graph/national-census.ttl."""
    from seikg import resources
    from seikg.kg import KnowledgeGraph

    files = []
    for path in resources.graph_files():
        text = path.read_text(encoding="utf-8")
        if path.name == "national-census.ttl":
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        copy = tmp_path / path.name
        copy.write_text(text, encoding="utf-8")
        files.append(copy)
    return KnowledgeGraph.load(files)


N4_VALUE = 'sdmx-measure:obsValue "21.3"^^xsd:decimal ;\n    sdmx-attribute:unitMeasure unit:PERCENT ;\n    sei:statedPrecision "0.1"^^xsd:decimal ;\n    sei:shareBase sbase:sei-industrial-enterprises ;\n    sei:shareCount obs:CN-2018-industrial-enterprise-count-nbs-2018-3'
ACK = "https://w3id.org/sei-kg/acknowledgement/CN-2018-industrial-enterprise-share-nbs-2018-3"
N4 = "https://w3id.org/sei-kg/observation/CN-2018-industrial-enterprise-share-nbs-2018-3"
SHAPES = "https://w3id.org/sei-kg/shapes#"


def test_the_acknowledgement_records_the_values_it_was_noted_for(kg):
    """N4 = 21.3 against N3 = 14068 and N1 = 66214, each as an rdf:Statement."""
    from rdflib.namespace import RDF

    from seikg.namespaces import SDMX_MEASURE, SEI

    ack = URIRef(ACK)
    recorded = {
        (str(kg.graph.value(s, RDF.subject)).rsplit("/", 1)[-1], Decimal(str(kg.graph.value(s, RDF.object))))
        for s in kg.graph.objects(ack, SEI.acknowledgedStatement)
        if kg.graph.value(s, RDF.predicate) == SDMX_MEASURE.obsValue
        and (s, RDF.type, RDF.Statement) in kg.graph
    }  # fmt: skip
    assert recorded == {
        ("CN-2018-industrial-enterprise-share-nbs-2018-3", Decimal("21.3")),
        ("CN-2018-industrial-enterprise-count-nbs-2018-3", Decimal("14068")),
        ("CN-2018-industrial-enterprise-count-sei", Decimal("66214")),
    }


def test_another_disagreeing_value_is_not_covered_by_the_acknowledgement(tmp_path):
    """N4 set to 25.0: a violation (the acknowledgement is of 21.3), and the acknowledgement
    itself is reported as no longer matching its figure."""
    kg = _census_with(tmp_path, N4_VALUE, N4_VALUE.replace('"21.3"', '"25.0"'))
    report = kg.validate(meta=False)
    assert not report.conforms
    assert report.broken() == {
        (SHAPES + "ShareOfCountShape", N4),
        (SHAPES + "AcknowledgementMatchesShape", ACK),
    }, report.render()
    assert not report.broken(Severity.WARNING)
    (stale,) = [r for r in report.results if r.focus_node == ACK]
    for needle in ("N4", "21.3", "25"):
        assert needle in stale.message, stale.message
    assert {f.identifier for f in stale.figures} == {"N4"}
    unacknowledged = [r for r in report.results if r.focus_node == N4]
    assert all("Acknowledged" not in r.message for r in unacknowledged)


def test_a_consistent_value_leaves_a_stale_acknowledgement(tmp_path):
    """N4 set to 21.2, which agrees with N3 / N1: no disagreement, but the acknowledgement,
    which records 21.3, is reported."""
    kg = _census_with(tmp_path, N4_VALUE, N4_VALUE.replace('"21.3"', '"21.2"'))
    report = kg.validate(meta=False)
    assert report.broken() == {(SHAPES + "AcknowledgementMatchesShape", ACK)}, report.render()
    assert not report.broken(Severity.WARNING)
