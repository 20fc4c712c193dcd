"""Mutation suite: corrupt one fact of the shipped graph at a time and require the right rule.

Each mutation changes one figure, unit, label, code, period or link.  The
validation must fail, the expected rule must be among those reported, and the
report must name the mutated resource (as focus or as an involved figure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from seikg.kg import KnowledgeGraph
from seikg.namespaces import (
    CAT,
    IND,
    OBS,
    PLACE,
    PROV,
    QB,
    SCHEME,
    SCOPE,
    SDMX_ATTRIBUTE,
    SDMX_DIMENSION,
    SDMX_MEASURE,
    SEI,
    SEISH,
    UNIT,
)
from seikg.validation import Severity, ValidationReport, validate

from test_parity import assert_parity, oxigraph_copy

F = {
    "F1": OBS["370200-2019-industry-share-sei"],
    "F2": OBS["370200-2019-industry-share-change-sei"],
    "F3": OBS["370200-2019-value-added-growth-sei-manufacturing"],
    "F4": OBS["370200-2019-value-added-growth-gap-sei-manufacturing"],
    "F5": OBS["370200-2019-investment-share-sei"],
    "F6": OBS["370200-2019-investment-growth-sei"],
    "F7": OBS["370200-2019-investment-growth-high-tech-manufacturing"],
    "F8": OBS["370200-2019-investment-growth-industrial-upgrading"],
    "F10": OBS["370200-2019-large-project-count-sei"],
    "F11": OBS["370200-2019-large-project-investment-sei"],
    "F12": OBS["370200-2019-large-project-investment-usd-sei"],
    "D1": OBS["370200-2018-industry-share-sei"],
    "D2": OBS["370200-2019-value-added-growth-industry-above-designated-size"],
    "D3": OBS["370200-2019-fixed-asset-investment-growth-city"],
    "D4": OBS["370200-2019-implied-exchange-rate-sei"],
}
CLAIM = URIRef(
    "https://w3id.org/sei-kg/claim/370200-2019-investment-growth-above-fixed-asset-investment-growth"
)


def dec(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@dataclass(frozen=True)
class Mutation:
    name: str
    subject: URIRef
    predicate: URIRef
    new: object  # a term, or None to delete
    rule: URIRef
    in_ontology: bool = False
    named: URIRef | None = None  # what the report must name, if not the subject

    def apply(self, kg: KnowledgeGraph) -> None:
        graph = kg.ontology if self.in_ontology else kg.data
        if self.predicate == RDF.nil:  # add a whole copy of the subject under a new IRI
            for p, o in list(graph.predicate_objects(self.subject)):
                graph.add((URIRef(str(self.subject) + "-copy"), p, o))
            return
        graph.remove((self.subject, self.predicate, None))
        if isinstance(self.new, list):
            for term in self.new:
                graph.add((self.subject, self.predicate, term))
        elif self.new is not None:
            graph.add((self.subject, self.predicate, self.new))  # type: ignore[arg-type]


V = SDMX_MEASURE.obsValue
MUTATIONS = [
    # figures
    Mutation("F1 share changed", F["F1"], V, dec("35.0"), SEISH.ChangeEqualsDifferenceShape),
    Mutation("F1 share over 100", F["F1"], V, dec("131.8"), SEISH.ShareRangeShape),
    Mutation("F2 change changed", F["F2"], V, dec("3.5"), SEISH.ChangeEqualsDifferenceShape),
    Mutation("F2 change breaks D1", F["F2"], V, dec("2.0"), SEISH.DifferenceRuleShape),
    Mutation("F3 growth changed", F["F3"], V, dec("5.6"), SEISH.GapEqualsDifferenceShape),
    Mutation("F4 gap changed", F["F4"], V, dec("2.0"), SEISH.GapEqualsDifferenceShape),
    Mutation("F5 share negative", F["F5"], V, dec("-30.0"), SEISH.ShareRangeShape),
    Mutation("F6 growth lowered below D3", F["F6"], V, dec("20.0"), SEISH.MinimumRuleShape),
    Mutation("F7 growth lowered below D3", F["F7"], V, dec("25.0"), SEISH.MinimumRuleShape),
    Mutation("F8 growth lowered below D3", F["F8"], V, dec("12.3"), SEISH.MinimumRuleShape),
    Mutation("F10 count negative", F["F10"], V, Literal(-551), SEISH.CountShape),
    Mutation("F10 count not whole", F["F10"], V, dec("551.5"), SEISH.DatatypeOfIndicatorShape),
    Mutation(
        "F11 amount off by ten", F["F11"], V, dec("1000000000000.0"), SEISH.CurrencyConversionShape
    ),
    Mutation("F11 amount breaks D4", F["F11"], V, dec("110000000000.0"), SEISH.RatioRuleShape),
    Mutation(
        "F12 amount in millions", F["F12"], V, dec("14150000.0"), SEISH.CurrencyConversionShape
    ),
    Mutation("F11 amount zero", F["F11"], V, dec("0.0"), SEISH.PositiveAmountShape),
    Mutation("D1 derived share changed", F["D1"], V, dec("27.0"), SEISH.DifferenceRuleShape),
    Mutation("D2 derived growth changed", F["D2"], V, dec("1.6"), SEISH.DifferenceRuleShape),
    Mutation("D3 bound not the minimum", F["D3"], V, dec("29.7"), SEISH.MinimumRuleShape),
    Mutation("D4 rate changed", F["D4"], V, dec("7.5"), SEISH.RatioRuleShape),
    Mutation("D4 rate slightly off", F["D4"], V, dec("7.1"), SEISH.RatioRuleShape),
    # units
    Mutation(
        "F1 share in yuan",
        F["F1"],
        SDMX_ATTRIBUTE.unitMeasure,
        UNIT.CCY_CNY,
        SEISH.UnitOfIndicatorShape,
    ),
    Mutation(
        "F11 money in percent",
        F["F11"],
        SDMX_ATTRIBUTE.unitMeasure,
        UNIT.PERCENT,
        SEISH.UnitOfIndicatorShape,
    ),
    Mutation(
        "F2 change in percent",
        F["F2"],
        SDMX_ATTRIBUTE.unitMeasure,
        UNIT.PERCENT,
        SEISH.UnitOfIndicatorShape,
    ),
    Mutation("F6 unit removed", F["F6"], SDMX_ATTRIBUTE.unitMeasure, None, SEISH.ObservationUnit),
    # periods
    Mutation(
        "F1 period 2020",
        F["F1"],
        SDMX_DIMENSION.refPeriod,
        Literal("2020", datatype=XSD.gYear),
        SEISH.PeriodBeforeSourceShape,
    ),
    Mutation(
        "F1 period 2018",
        F["F1"],
        SDMX_DIMENSION.refPeriod,
        Literal("2018", datatype=XSD.gYear),
        SEISH.ExactFiguresAgreeShape,
    ),
    Mutation(
        "F2 period 2018",
        F["F2"],
        SDMX_DIMENSION.refPeriod,
        Literal("2018", datatype=XSD.gYear),
        SEISH.DerivedPeriodShape,
    ),
    Mutation(
        "F6 period 2018",
        F["F6"],
        SDMX_DIMENSION.refPeriod,
        Literal("2018", datatype=XSD.gYear),
        SEISH.DerivedPeriodShape,
    ),
    Mutation(
        "D1 period 2017",
        F["D1"],
        SDMX_DIMENSION.refPeriod,
        Literal("2017", datatype=XSD.gYear),
        SEISH.DerivedPeriodShape,
    ),
    Mutation(
        "F3 period a string",
        F["F3"],
        SDMX_DIMENSION.refPeriod,
        Literal("2019"),
        SEISH.ObservationPeriod,
    ),
    # dimensions and links
    Mutation(
        "F7 scope made SEI (duplicate of F6)",
        F["F7"],
        SEI.scope,
        SCOPE.sei,
        SEISH.UniqueObservationShape,
    ),
    Mutation(
        "F1 scope not applicable", F["F1"], SEI.scope, SCOPE.city, SEISH.ScopeOfIndicatorShape
    ),
    Mutation(
        "F6 indicator changed",
        F["F6"],
        SEI.indicator,
        IND["fixed-asset-investment-growth"],
        SEISH.ScopeOfIndicatorShape,
    ),
    Mutation(
        "F1 area Shenzhen", F["F1"], SDMX_DIMENSION.refArea, PLACE["440300"], SEISH.DerivedAreaShape
    ),
    Mutation("F1 area removed", F["F1"], SDMX_DIMENSION.refArea, None, SEISH.ObservationArea),
    Mutation("F1 source removed", F["F1"], PROV.wasDerivedFrom, None, SEISH.ObservationSource),
    Mutation("F1 data set removed", F["F1"], QB.dataSet, None, SEISH.ObservationDataSet),
    Mutation(
        "F5 paragraph zero", F["F5"], SEI.sourceParagraph, Literal(0), SEISH.ObservationParagraph
    ),
    Mutation("D1 minuend changed", F["D1"], SEI.minuend, F["F3"], SEISH.DifferenceRuleShape),
    Mutation(
        "D2 scope changed",
        F["D2"],
        SEI.scope,
        SCOPE["sei-manufacturing"],
        SEISH.DerivedQuantityShape,
    ),
    Mutation(
        "D1 derived from the article",
        F["D1"],
        PROV.wasDerivedFrom,
        URIRef("http://shandong.chinadaily.com.cn/2020-04/08/c_487092.htm"),
        SEISH.DerivedObservationShape,
    ),
    Mutation("D3 rule removed", F["D3"], SEI.derivationRule, None, SEISH.DerivedObservationShape),
    Mutation(
        "F12 bound side unknown",
        F["F12"],
        SEI.bound,
        URIRef("https://w3id.org/sei-kg/bound/about"),
        SEISH.ObservationBound,
    ),
    Mutation("F1 duplicated", F["F1"], RDF.nil, None, SEISH.UniqueObservationShape),
    Mutation(
        "claim covers nothing", CLAIM, SEI.coversObservation, None, SEISH.ComparisonClaimHoldsShape
    ),
    # places: codes, labels, links
    Mutation(
        "Qingdao code of Guangdong",
        PLACE["370200"],
        SEI.divisionCode,
        Literal("440200"),
        SEISH.CityShape,
    ),
    Mutation(
        "Qingdao code five digits",
        PLACE["370200"],
        SEI.divisionCode,
        Literal("37020"),
        SEISH.PlaceShape,
    ),
    Mutation(
        "Shandong code not a province code",
        PLACE["370000"],
        SEI.divisionCode,
        Literal("370100"),
        SEISH.ProvinceShape,
    ),
    Mutation("Qingdao in a country", PLACE["370200"], SEI.locatedIn, PLACE.CN, SEISH.CityShape),
    Mutation(
        "Qingdao Chinese name in Latin",
        PLACE["370200"],
        RDFS.label,
        [Literal("Qingdao", lang="en"), Literal("Qingdao", lang="zh")],
        SEISH.PlaceShape,
    ),
    Mutation(
        "Qingdao English name removed",
        PLACE["370200"],
        RDFS.label,
        [Literal("青岛市", lang="zh")],
        SEISH.PlaceShape,
    ),
    Mutation(
        "Wikidata link malformed",
        PLACE["370200"],
        SEI.wikidataEntity,
        URIRef("https://www.wikidata.org/wiki/Q170322"),
        SEISH.PlaceShape,
    ),
    # categories (in the ontology)
    Mutation(
        "category code out of range",
        CAT["3"],
        SKOS.notation,
        Literal("9"),
        SEISH.CategoryShape,
        True,
    ),
    Mutation(
        "category code duplicated", CAT["3"], SKOS.notation, Literal("2"), SEISH.CategoryShape, True
    ),
    Mutation(
        "category Chinese label removed",
        CAT["5"],
        SKOS.prefLabel,
        [Literal("New energy vehicle industry", lang="en")],
        SEISH.CategoryShape,
        True,
    ),
    Mutation(
        "category labels swapped languages",
        CAT["4"],
        SKOS.prefLabel,
        [Literal("Bio-industry", lang="zh"), Literal("生物产业", lang="en")],
        SEISH.CategoryShape,
        True,
    ),
    Mutation(
        "a ninth category",
        CAT["9"],
        SKOS.inScheme,
        SCHEME.categories,
        SEISH.CategorySchemeShape,
        True,
    ),
    Mutation(
        "a category dropped",
        CAT["8"],
        SKOS.inScheme,
        None,
        SEISH.CategorySchemeShape,
        True,
        SCHEME.categories,
    ),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_single_corruption_is_reported_with_the_right_rule(mutation):
    """Each corruption is caught by the right rule, naming the right figure (on an Oxigraph
    store; pyshacl, and the parity of the two, in the slow test below)."""
    kg = KnowledgeGraph.load()
    mutation.apply(kg)
    _assert_reported(mutation, oxigraph_copy(kg).validate(meta=False))


@pytest.mark.slow
@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_pyshacl_and_every_store_report_each_corruption_alike(mutation, shared_server):
    kg = KnowledgeGraph.load()
    mutation.apply(kg)
    report = validate(kg, meta=False)
    _assert_reported(mutation, report)
    assert_parity(kg, report, server=shared_server)


def _assert_reported(mutation: Mutation, report: ValidationReport) -> None:
    rules = {r.rule_id for r in report.results if r.severity is Severity.VIOLATION}
    text = report.render()
    assert not report.conforms, f"{mutation.name}: not detected"
    assert str(mutation.rule) in rules, text
    named = {r.focus_node for r in report.results} | {
        f.iri for r in report.results for f in r.figures
    }
    expected = str(mutation.named or mutation.subject)
    assert expected in named or expected + "-copy" in named, text


def _add_fixed_asset_investment_growth(kg: KnowledgeGraph, value: str) -> URIRef:
    """Add the figure F9 compares with (which the source does not give), as if a new source did."""
    new = OBS["370200-2019-fixed-asset-investment-growth-city-reported"]
    source = URIRef("http://shandong.chinadaily.com.cn/2020-04/08/c_487092.htm")
    for p, o in [
        (RDF.type, QB.Observation),
        (QB.dataSet, URIRef("https://w3id.org/sei-kg/dataset/qingdao-2019")),
        (SDMX_DIMENSION.refArea, PLACE["370200"]),
        (SDMX_DIMENSION.refPeriod, Literal("2019", datatype=XSD.gYear)),
        (SEI.indicator, IND["fixed-asset-investment-growth"]),
        (SEI.scope, SCOPE.city),
        (SDMX_MEASURE.obsValue, dec(value)),
        (SDMX_ATTRIBUTE.unitMeasure, UNIT.PERCENT),
        (SEI.statedPrecision, dec("0.1")),
        (PROV.wasDerivedFrom, source),
        (SEI.sourceParagraph, Literal(7)),
    ]:
        kg.data.add((new, p, o))
    return new


def test_a_value_for_fixed_asset_investment_growth_breaks_the_claim():
    """F9 is checked the moment the compared figure appears: 27.0 is above F6 (26.5)."""
    kg = KnowledgeGraph.load()
    new = _add_fixed_asset_investment_growth(kg, "27.0")
    report = validate(kg, meta=False)
    claim_results = [r for r in report.results if r.rule_id == str(SEISH.ComparisonClaimHoldsShape)]
    assert claim_results and {r.focus_node for r in claim_results} == {str(CLAIM)}
    involved = {f.iri for r in claim_results for f in r.figures}
    assert str(new) in involved and str(F["F6"]) in involved
    assert str(F["F7"]) in involved  # 26.8 is not higher than 27.0 either
    assert str(F["F8"]) not in involved  # 29.7 still is
    bound_results = [r for r in report.results if r.rule_id == str(SEISH.BoundHoldsShape)]
    assert {r.focus_node for r in bound_results} == {str(F["D3"])}


def test_a_consistent_value_for_fixed_asset_investment_growth_conforms():
    kg = KnowledgeGraph.load()
    _add_fixed_asset_investment_growth(kg, "20.0")
    report = validate(kg, meta=False)
    assert report.conforms, report.render()


META = [
    (
        "class without Chinese label",
        SEI.City,
        RDFS.label,
        [Literal("city", lang="en")],
        SEISH.TermChineseLabel,
    ),
    ("property without definition", SEI.locatedIn, SKOS.definition, None, SEISH.TermDefinition),
    (
        "concept outside any scheme",
        IND["industry-share"],
        SKOS.inScheme,
        None,
        SEISH.ConceptInSchemeShape,
    ),
    (
        "indicator without unit",
        IND["industry-share"],
        SEI.unit,
        None,
        SEISH.IndicatorDeclarationShape,
    ),
]


@pytest.mark.parametrize(
    ("name", "subject", "predicate", "new", "rule"), META, ids=[m[0] for m in META]
)
def test_meta_shapes_check_the_ontology(name, subject, predicate, new, rule):
    kg = KnowledgeGraph.load()
    kg.ontology.remove((subject, predicate, None))
    for term in new or []:
        kg.ontology.add((subject, predicate, term))
    report = validate(kg)
    hits = [r for r in report.results if r.rule_id == str(rule) and r.checked == "ontology"]
    assert hits and {r.focus_node for r in hits} == {str(subject)}, report.render()


def test_report_reads_well(cli, tmp_path):
    """The text report names the rule in words, the figures, their values, units and sources."""
    data = Graph()
    kg = KnowledgeGraph.load()
    for triple in kg.data:
        data.add(triple)
    data.set((F["F2"], SDMX_MEASURE.obsValue, dec("3.5")))
    path = tmp_path / "facts.ttl"
    data.serialize(path, format="turtle")
    result = cli("validate", str(path))
    assert result.code == 1
    out = result.out
    assert "A stated change between two years equals the difference of the two years' values" in out
    assert "[F2] Qingdao · 2019 · change of the share in industries above designated size" in out
    assert "3.5 percentage point" in out
    assert "China Daily, 'Qingdao brings emerging industries to the fore', paragraph 2" in out
    assert "[D1] Qingdao · 2018" in out and "derived from F1" in out
    assert out.strip().splitlines()[-1].startswith("Does not conform")
    as_json = cli("validate", str(path), "--format", "json")
    assert as_json.code == 1 and '"conforms": false' in as_json.out
    as_turtle = cli("validate", str(path), "--format", "turtle")
    report_graph = Graph().parse(data=as_turtle.out, format="turtle")
    from seikg.namespaces import SH

    assert (None, SH.conforms, Literal(False)) in report_graph
