"""The versioned classifications in the shipped graph, checked against the reference facts.

The expected tables are copied here from the project's reference facts on the
classifications (they are not read at test time): the NBS-2018 areas and
middle categories with their official Chinese names, the six schemes with
their issuers and dates, every mapping onto NBS-2018, and which facts are
held as belief.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from seikg.kg import KnowledgeGraph
from seikg.namespaces import SEI
from seikg.validation import validate

BASE = "https://w3id.org/sei-kg/"
SCHEME = Namespace(BASE + "scheme/")
CAT = Namespace(BASE + "category/")
AGENT = Namespace(BASE + "agent/")
EVIDENCE = Namespace(BASE + "evidence/")
ORIGIN = Namespace(BASE + "label-origin/")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")

NBS_2018 = {
    "1": "新一代信息技术产业", "1.1": "下一代信息网络产业", "1.2": "电子核心产业",
    "1.3": "新兴软件和新型信息技术服务", "1.4": "互联网与云计算、大数据服务", "1.5": "人工智能",
    "2": "高端装备制造产业", "2.1": "智能制造装备产业", "2.2": "航空装备产业",
    "2.3": "卫星及应用产业", "2.4": "轨道交通装备产业", "2.5": "海洋工程装备产业",
    "3": "新材料产业", "3.1": "先进钢铁材料", "3.2": "先进有色金属材料",
    "3.3": "先进石化化工新材料", "3.4": "先进无机非金属材料", "3.5": "高性能纤维及制品和复合材料",
    "3.6": "前沿新材料", "3.7": "新材料相关服务",
    "4": "生物产业", "4.1": "生物医药产业", "4.2": "生物医学工程产业",
    "4.3": "生物农业及相关产业", "4.4": "生物质能产业", "4.5": "其他生物业",
    "5": "新能源汽车产业", "5.1": "新能源汽车整车制造", "5.2": "新能源汽车装置、配件制造",
    "5.3": "新能源汽车相关设施制造", "5.4": "新能源汽车相关服务",
    "6": "新能源产业", "6.1": "核电产业", "6.2": "风能产业", "6.3": "太阳能产业",
    "6.4": "生物质能及其他新能源产业", "6.5": "智能电网产业",
    "7": "节能环保产业", "7.1": "高效节能产业", "7.2": "先进环保产业", "7.3": "资源循环利用产业",
    "8": "数字创意产业", "8.1": "数字创意技术设备制造", "8.2": "数字文化创意活动",
    "8.3": "设计服务", "8.4": "数字创意与融合服务",
    "9": "相关服务业", "9.1": "新技术与创新创业服务", "9.2": "其他相关服务",
}  # fmt: skip

# scheme: (issuer, instrument title in Chinese or None, identifier or None, issued or None)
SCHEMES = {
    "sc-2010": (AGENT["state-council"], "国务院关于加快培育和发展战略性新兴产业的决定",
                "国发〔2010〕32号", Literal("2010-10-18", datatype=XSD.date)),
    "nbs-2012": (AGENT.nbs, "战略性新兴产业分类（2012）（试行）", None, None),
    "fyp13-2016": (AGENT["state-council"], '"十三五"国家战略性新兴产业发展规划',
                   "国发〔2016〕67号", Literal("2016-12-19", datatype=XSD.date)),
    "nbs-2018": (AGENT.nbs, "战略性新兴产业分类（2018）", "国家统计局令第23号",
                 Literal("2018-11-26", datatype=XSD.date)),
    "fyp14-2021": (AGENT.npc, None, None, None),
    "nbs-2023": (AGENT.nbs, "工业战略性新兴产业分类目录（2023）", None, None),
}  # fmt: skip

SEVEN = {"节能环保": "7", "新一代信息技术": "1", "生物": "4", "高端装备制造": "2",
         "新能源": "6", "新材料": "3", "新能源汽车": "5"}  # fmt: skip
FYP13_DOMAINS = {"新一代信息技术", "高端制造", "生物", "绿色低碳", "数字创意"}
FYP13_INDUSTRIES = {"新一代信息技术": "1", "高端装备": "2", "新材料": "3", "生物": "4",
                    "新能源汽车": "5", "新能源": "6", "节能环保": "7", "数字创意": "8"}  # fmt: skip
# Chinese name: [(mapping property, NBS-2018 code)]
FYP14 = {
    "新一代信息技术": [(SKOS.closeMatch, "1")], "生物技术": [(SKOS.closeMatch, "4")],
    "新能源": [(SKOS.closeMatch, "6")], "新材料": [(SKOS.closeMatch, "3")],
    "高端装备": [(SKOS.closeMatch, "2")], "新能源汽车": [(SKOS.closeMatch, "5")],
    "绿色环保": [(SKOS.closeMatch, "7")],
    "航空航天": [(SKOS.narrowMatch, "2.2"), (SKOS.narrowMatch, "2.3")],
    "海洋装备": [(SKOS.narrowMatch, "2.5")],
}  # fmt: skip
NBS_2023_ENGLISH = {
    "new generation of information technology": "1", "high-end equipment manufacturing": "2",
    "new material": "3", "bio-tech": "4", "new-energy vehicle": "5", "new energy": "6",
    "green and environmental protection": "7", "aviation and aerospace": "2.2 2.3",
    "marine equipment": "2.5",
}  # fmt: skip
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)


@pytest.fixture(scope="module")
def g() -> Graph:
    kg = KnowledgeGraph.load()
    graph = Graph()
    for triple in kg.ontology:
        graph.add(triple)
    for triple in kg.data:
        graph.add(triple)
    return graph


def _members(g: Graph, slug: str) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, SCHEME[slug]))


def _label(g: Graph, concept, lang: str) -> str:
    found = [o for o in g.objects(concept, SKOS.prefLabel) if o.language == lang]
    assert len(found) == 1, (concept, lang, found)
    return str(found[0])


def _by_zh(g: Graph, slug: str) -> dict[str, URIRef]:
    members = _members(g, slug)
    return {_label(g, c, "zh"): c for c in members}


def _believed(g: Graph, s, p, o) -> bool:
    """Whether an rdf:Statement describes the triple and holds it as belief."""
    return any(
        (st, RDF.predicate, p) in g
        and (st, RDF.object, o) in g
        and (st, SEI.evidenceStatus, EVIDENCE.belief) in g
        and g.value(st, SKOS.editorialNote) is not None
        for st in g.subjects(RDF.subject, s)
    )


def test_nbs_2018_codes_and_chinese_names(g):
    members = _members(g, "nbs-2018")
    got = {str(g.value(c, SKOS.notation)): _label(g, c, "zh") for c in members}
    assert got == NBS_2018
    assert len([c for c in got if "." not in c]) == 9 and len([c for c in got if "." in c]) == 40
    for code in NBS_2018:
        concept = CAT[code]
        assert concept in members
        assert (concept, SKOS.notation, Literal(code)) in g
        assert "." not in code or code.count(".") == 1  # no small categories


def test_nbs_2018_hierarchy(g):
    for code in NBS_2018:
        concept = CAT[code]
        if "." in code:
            assert set(g.objects(concept, SKOS.broader)) == {CAT[code.split(".")[0]]}
            assert (concept, SKOS.topConceptOf, SCHEME["nbs-2018"]) not in g
        else:
            assert (concept, SKOS.topConceptOf, SCHEME["nbs-2018"]) in g
            assert (SCHEME["nbs-2018"], SKOS.hasTopConcept, concept) in g
            assert not list(g.objects(concept, SKOS.broader))


def test_the_eight_designated_categories_are_unchanged(g):
    assert _members(g, "categories") == {CAT[str(i)] for i in range(1, 9)}
    for i in range(1, 9):
        concept = CAT[str(i)]
        assert (concept, SKOS.topConceptOf, SCHEME.categories) in g
        assert _label(g, concept, "zh") == NBS_2018[str(i)]
        assert len([o for o in g.objects(concept, SKOS.prefLabel) if o.language == "en"]) == 1
    assert (CAT["9"], SKOS.inScheme, SCHEME.categories) not in g


def test_each_concept_has_one_preferred_label_per_language_matching_its_skosxl_label(g):
    for concept in set(g.subjects(RDF.type, SKOS.Concept)):
        plain = sorted(g.objects(concept, SKOS.prefLabel), key=str)
        assert len({o.language for o in plain}) == len(plain), concept
        xl = list(g.objects(concept, SKOSXL.prefLabel))
        if xl:
            forms = sorted((g.value(x, SKOSXL.literalForm) for x in xl), key=str)
            assert forms == plain, concept
            for x in xl:
                assert g.value(x, SEI.labelOrigin) in {
                    ORIGIN.official,
                    ORIGIN.journalistic,
                    ORIGIN.project,
                }
        for x in g.objects(concept, SKOSXL.altLabel):
            assert (concept, SKOS.altLabel, g.value(x, SKOSXL.literalForm)) in g
            assert g.value(x, SEI.labelOrigin) is not None


def test_middle_categories_say_their_english_is_the_projects(g):
    for code in NBS_2018:
        if "." in code:
            (xl,) = [
                x
                for x in g.objects(CAT[code], SKOSXL.prefLabel)
                if g.value(x, SKOSXL.literalForm).language == "en"
            ]
            assert g.value(xl, SEI.labelOrigin) == ORIGIN.project
            assert any("translation" in str(n) for n in g.objects(CAT[code], SKOS.note))


def test_nbs_english_names_of_the_areas(g):
    def official(code):
        return {
            (str(g.value(x, SKOSXL.literalForm)), g.value(x, SEI.evidenceStatus))
            for x in g.objects(CAT[code], SKOSXL.altLabel)
            if g.value(x, SEI.labelOrigin) == ORIGIN.official
        }

    assert official("4") == {("bio-industries", EVIDENCE.verified), ("bio-tech", EVIDENCE.verified)}
    assert official("7") == {("energy conservation and environment protection", EVIDENCE.verified)}
    assert official("8") == {("digital creative", EVIDENCE.belief)}
    assert official("9") == {("related services", EVIDENCE.belief)}
    years = {
        str(g.value(x, SKOSXL.literalForm)): {str(y) for y in g.objects(x, SEI.attestedYear)}
        for x in g.objects(CAT["4"], SKOSXL.altLabel)
    }
    assert years["bio-industries"] == {"2019"} and years["bio-tech"] == {"2024"}
    assert _believed(g, CAT["8"], SKOS.altLabel, Literal("digital creative", lang="en"))
    assert _believed(g, CAT["9"], SKOS.altLabel, Literal("related services", lang="en"))


@pytest.mark.parametrize("slug", sorted(SCHEMES))
def test_each_scheme_has_its_instrument_issuer_and_dates(g, slug):
    issuer, title, identifier, issued = SCHEMES[slug]
    scheme = SCHEME[slug]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert {o.language for o in g.objects(scheme, SKOS.prefLabel)} == {"en", "zh"}
    doc = g.value(scheme, SEI.instrument)
    assert doc is not None and str(doc).startswith(BASE + "document/")
    assert (doc, DCTERMS.publisher, issuer) in g and (scheme, DCTERMS.publisher, issuer) in g
    if title is not None:
        assert (doc, DCTERMS.title, Literal(title, lang="zh")) in g
    assert set(g.objects(doc, DCTERMS.identifier)) == (
        {Literal(identifier)} if identifier else set()
    )
    assert set(g.objects(doc, DCTERMS.issued)) == ({issued} if issued else set())
    assert g.value(scheme, SEI.evidenceStatus) == EVIDENCE.verified
    assert g.value(scheme, SEI.membersDisjoint) == Literal(False)
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == {
        c for c in _members(g, slug) if (c, SKOS.topConceptOf, scheme) in g
    }


def test_instruments_dates_of_nbs_2018_and_fyp14(g):
    nbs = g.value(SCHEME["nbs-2018"], SEI.instrument)
    assert (nbs, DCTERMS.dateAccepted, Literal("2018-10-12", datatype=XSD.date)) in g
    fyp14 = g.value(SCHEME["fyp14-2021"], SEI.instrument)
    assert (fyp14, DCTERMS.dateAccepted, Literal("2021-03", datatype=XSD.gYearMonth)) in g


def test_the_facts_held_as_belief_are_marked(g):
    sc = g.value(SCHEME["sc-2010"], SEI.instrument)
    assert _believed(g, sc, DCTERMS.created, Literal("2010-10-10", datatype=XSD.date))
    fyp13 = g.value(SCHEME["fyp13-2016"], SEI.instrument)
    assert _believed(g, fyp13, DCTERMS.identifier, Literal("国发〔2016〕67号"))
    fyp14 = g.value(SCHEME["fyp14-2021"], SEI.instrument)
    assert _believed(g, fyp14, DCTERMS.dateAccepted, Literal("2021-03-11", datatype=XSD.date))
    nbs23 = g.value(SCHEME["nbs-2023"], SEI.instrument)
    assert _believed(g, nbs23, DCTERMS.created, Literal("2023", datatype=XSD.gYear))
    for concept in _members(g, "nbs-2023"):
        zh = next(o for o in g.objects(concept, SKOS.prefLabel) if o.language == "zh")
        assert _believed(g, concept, SKOS.prefLabel, zh)
    # and nothing verified is described as belief
    sc_issued = Literal("2010-10-18", datatype=XSD.date)
    assert not _believed(g, sc, DCTERMS.issued, sc_issued)


def test_schemes_without_codes_give_none(g):
    for slug in ("sc-2010", "nbs-2012", "fyp13-2016", "fyp14-2021", "nbs-2023"):
        assert g.value(SCHEME[slug], SEI.codesGiven) == Literal(False)
        assert not [c for c in _members(g, slug) if g.value(c, SKOS.notation) is not None]


def _mapped(g: Graph, concept) -> set[tuple[URIRef, str]]:
    return {(p, str(g.value(o, SKOS.notation))) for p in MAPPINGS for o in g.objects(concept, p)}


@pytest.mark.parametrize("slug", ["sc-2010", "nbs-2012"])
def test_seven_map_to_nbs_2018_by_close_match(g, slug):
    found = _by_zh(g, slug)
    assert set(found) == set(SEVEN)
    for zh, code in SEVEN.items():
        assert _mapped(g, found[zh]) == {(SKOS.closeMatch, code)}


def test_fyp13_domains_and_industries(g):
    found = _by_zh(g, "fyp13-2016")  # a name shared by a domain and an industry: see collections
    domains = set(g.objects(CAT["fyp13-2016/domains"], SKOS.member))
    industries = set(g.objects(CAT["fyp13-2016/industries"], SKOS.member))
    assert not domains & industries and len(domains) == 5 and len(industries) == 8
    assert domains | industries == _members(g, "fyp13-2016")
    assert {_label(g, c, "zh") for c in domains} == FYP13_DOMAINS
    assert {_label(g, c, "zh") for c in industries} == set(FYP13_INDUSTRIES)
    for concept in domains:
        assert _mapped(g, concept) == set()
    for concept in industries:
        assert _mapped(g, concept) == {
            (SKOS.closeMatch, FYP13_INDUSTRIES[_label(g, concept, "zh")])
        }
    assert found  # every member has one Chinese label


def test_fyp14_maps_as_listed(g):
    found = _by_zh(g, "fyp14-2021")
    assert set(found) == set(FYP14)
    for zh, maps in FYP14.items():
        assert _mapped(g, found[zh]) == set(maps)


def test_nbs_2023_has_the_nbs_english_names_and_maps_like_fyp14(g):
    members = _members(g, "nbs-2023")
    by_en = {_label(g, c, "en"): c for c in members}
    assert set(by_en) == set(NBS_2023_ENGLISH)
    for en, codes in NBS_2023_ENGLISH.items():
        assert {code for _p, code in _mapped(g, by_en[en])} == set(codes.split())
    fyp14 = {_label(g, c, "zh"): _mapped(g, c) for c in _members(g, "fyp14-2021")}
    for concept in members:
        assert _mapped(g, concept) == fyp14[_label(g, concept, "zh")]
        (xl,) = [
            x
            for x in g.objects(concept, SKOSXL.prefLabel)
            if g.value(x, SKOSXL.literalForm).language == "en"
        ]
        assert g.value(xl, SEI.labelOrigin) == ORIGIN.official
        assert g.value(xl, SEI.evidenceStatus) == EVIDENCE.verified


def test_nbs_2023_chinese_names_are_the_projects_reading_held_as_belief(g):
    """The Chinese names of NBS-2023 are taken from the FYP14-2021 list by the project's
    reading (the facts hold them as belief): not official, not published by NBS."""
    fyp14 = g.value(SCHEME["fyp14-2021"], SEI.instrument)
    for concept in _members(g, "nbs-2023"):
        (xl,) = [
            x
            for x in g.objects(concept, SKOSXL.prefLabel)
            if g.value(x, SKOSXL.literalForm).language == "zh"
        ]
        assert g.value(xl, SEI.labelOrigin) == ORIGIN.project, xl
        assert g.value(xl, SEI.evidenceStatus) == EVIDENCE.belief, xl
        assert (xl, DCTERMS.publisher, AGENT.nbs) not in g, xl
        assert g.value(xl, PROV.wasAttributedTo) == AGENT["sei-kg"], xl
        assert g.value(xl, DCTERMS.source) == fyp14, xl
        assert g.value(xl, SKOS.editorialNote) is not None, xl


def test_every_mapping_is_belief_and_none_is_exact(g):
    count = 0
    for p in MAPPINGS:
        for s, o in g.subject_objects(p):
            count += 1
            assert _believed(g, s, p, o), (s, p, o)
    assert count == 7 + 7 + 8 + 10 + 10
    assert not list(g.subject_objects(SKOS.exactMatch))


def test_national_targets_are_stated_aims_of_the_issuer(g):
    aims = {
        str(a): g.value(a, URIRef("http://www.w3.org/ns/prov#wasAttributedTo"))
        for a in g.subjects(RDF.type, SEI.StatedAim)
        if str(a).startswith(BASE + "aim/cn-")
    }
    assert len(aims) == 3 and set(aims.values()) == {AGENT["state-council"]}


def test_a_concept_of_a_coded_scheme_still_needs_its_code():
    kg = KnowledgeGraph.load()
    kg.ontology.remove((CAT["2.2"], SKOS.notation, None))
    report = validate(kg)
    hits = {r.focus_node for r in report.results if r.checked == "ontology"}
    assert hits == {str(CAT["2.2"])}, report.render()
