"""Every figure and derived fact of the facts file, found with standard vocabularies only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from facts import ARTICLE, CENSUS, DERIVED, FIGURES

STANDARD = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

REPORTED = (
    STANDARD
    + """
SELECT ?obs ?value ?unit ?doc ?title ?area ?period ?indicatorLabel WHERE {
  ?obs a qb:Observation ; dct:identifier ?id ;
       sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit ;
       sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?period ;
       prov:wasDerivedFrom ?doc .
  ?doc dct:title ?title .
  ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
  ?obs ?dim ?concept . ?concept skos:inScheme ?scheme ; skos:prefLabel ?indicatorLabel .
}"""
)

DERIVED_Q = (
    STANDARD
    + """
SELECT ?obs ?value ?unit ?inputId ?doc WHERE {
  ?obs a qb:Observation ; dct:identifier ?id ;
       sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit ;
       prov:wasDerivedFrom ?input .
  ?input a qb:Observation ; dct:identifier ?inputId ; prov:wasDerivedFrom ?doc .
  ?doc dct:title ?title .
}"""
)


@pytest.mark.parametrize("fid", sorted(FIGURES))
def test_reported_figure_found_with_standard_vocabularies(kg, fid):
    value, unit, _paragraph = FIGURES[fid]
    rows = kg.graph.query(REPORTED, initBindings={"id": Literal(fid)})
    rows = list(rows)
    assert rows, f"{fid} not found"
    row = rows[0]
    assert Decimal(str(row.value)) == value
    assert str(row.unit) == unit
    assert str(row.doc) == ARTICLE
    assert str(row.area) == "https://w3id.org/sei-kg/place/370200"
    assert row.period == Literal("2019", datatype=XSD.gYear)


@pytest.mark.parametrize("fid", sorted(FIGURES))
def test_reported_figure_paragraph(kg, fid):
    from seikg.namespaces import SEI

    obs = next(kg.graph.subjects(URIRef("http://purl.org/dc/terms/identifier"), Literal(fid)))
    paragraphs = {int(p) for p in kg.graph.objects(obs, SEI.sourceParagraph)}
    assert paragraphs == {FIGURES[fid][2]}


@pytest.mark.parametrize("did", sorted(DERIVED))
def test_derived_figure_found_with_inputs_and_their_sources(kg, did):
    value, unit, inputs = DERIVED[did]
    rows = list(kg.graph.query(DERIVED_Q, initBindings={"id": Literal(did)}))
    assert rows, f"{did} not found"
    assert {Decimal(str(r.value)) for r in rows} == {value}
    assert {str(r.unit) for r in rows} == {unit}
    assert {str(r.inputId) for r in rows} == inputs
    assert {str(r.doc) for r in rows} == {ARTICLE}


def test_derived_figures_are_marked_and_state_their_rule(kg):
    from rdflib.namespace import RDF

    from seikg.namespaces import SEI

    derived = set(kg.graph.subjects(RDF.type, SEI.DerivedObservation))
    assert len(derived) == len(DERIVED)
    for obs in derived:
        assert kg.graph.value(obs, SEI.derivationRule) is not None
        assert any(lit.language == "en" for lit in kg.graph.objects(obs, SEI.ruleDescription))


def test_no_figure_beyond_the_facts_file(kg):
    from seikg.namespaces import SDMX_MEASURE

    allowed = {v for v, _u, _p in FIGURES.values()} | {v for v, _u, _i in DERIVED.values()}
    allowed |= {value for value, *_rest in CENSUS.values()}
    values = {Decimal(str(v)) for v in kg.data.objects(None, SDMX_MEASURE.obsValue)}
    assert values <= allowed, values - allowed
    assert values == allowed


def test_bounds_and_unstated_base(kg):
    from seikg.namespaces import BOUND, OBS, SBASE, SEI

    assert (
        kg.graph.value(OBS["370200-2019-large-project-investment-sei"], SEI.bound)
        == BOUND["more-than"]
    )
    assert (
        kg.graph.value(OBS["370200-2019-fixed-asset-investment-growth-city"], SEI.bound)
        == BOUND["less-than"]
    )
    assert (
        kg.graph.value(OBS["370200-2019-industry-share-sei"], SEI.shareBase) == SBASE["not-stated"]
    )


def test_fixed_asset_investment_growth_is_never_given_a_value(kg):
    """F9 is a claim; the only figure for that growth is the derived bound D3."""
    from seikg.namespaces import IND, SEI

    figures = list(kg.graph.subjects(SEI.indicator, IND["fixed-asset-investment-growth"]))
    assert len(figures) == 1
    assert kg.graph.value(figures[0], SEI.bound) is not None


def test_eight_categories_with_official_chinese_names(kg):
    rows = kg.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?code ?zh WHERE { ?c skos:inScheme <https://w3id.org/sei-kg/scheme/categories> ; "
        "skos:notation ?code ; skos:prefLabel ?zh . FILTER (LANG(?zh) = 'zh') }"
    ).rows
    names = {str(r.code): str(r.zh) for r in rows}
    assert names == {
        "1": "新一代信息技术产业",
        "2": "高端装备制造产业",
        "3": "新材料产业",
        "4": "生物产业",
        "5": "新能源汽车产业",
        "6": "新能源产业",
        "7": "节能环保产业",
        "8": "数字创意产业",
    }


def test_places_and_identifiers(kg):
    from seikg.namespaces import PLACE, SEI, WD

    qingdao = PLACE["370200"]
    assert str(kg.graph.value(qingdao, SEI.divisionCode)) == "370200"
    assert kg.graph.value(qingdao, SEI.locatedIn) == PLACE["370000"]
    assert kg.graph.value(qingdao, SEI.wikidataEntity) == WD.Q170322
    assert str(kg.graph.value(qingdao, SEI.geonamesFeature)) == "https://sws.geonames.org/1797929/"
    assert kg.graph.value(qingdao, SEI.followsModelOf) == PLACE["440300"]
    assert kg.graph.value(PLACE["440300"], SEI.locatedIn) == PLACE["440000"]
    assert kg.graph.value(PLACE["440000"], SEI.wikidataEntity) is None  # not given: not invented
