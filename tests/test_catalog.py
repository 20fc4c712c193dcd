"""The SPARQL catalogue: every query parses and runs with defaults, gives the expected
answers, and agrees with an independent engine (pyoxigraph) run on the export."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.kg import Part
from seikg.rdf.terms import to_rdflib
from seikg.sparql.catalog import CatalogQuery, catalog, find_query
from seikg.sparql.results import AskResult, GraphResult, ResultFormat, SelectResult
from seikg.stores.convert import with_values as _with_values  # the VALUES binding of the stores

QUERIES = catalog()


def test_catalogue_has_at_least_15_queries_with_headers():
    assert len(QUERIES) >= 15
    for query in QUERIES:
        assert query.title and query.title != query.name, query.name
        assert query.description, query.name
        assert query.text.lstrip().startswith("#+ title:"), query.name


def _with_reads(query: CatalogQuery):
    """The shipped graph with the reference parts a query reads (as the query command does)."""
    from seikg import resources
    from seikg.kg import KnowledgeGraph

    parts = resources.reference_files()
    return KnowledgeGraph.load([*resources.graph_files(), *(parts[n] for n in query.reads)])


def _run(kg, query: CatalogQuery, given=None):
    return kg.query(query.text, bindings=query.bindings(given or {}, kg=kg), source=str(query.path))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_runs_with_defaults_and_answers(kg, query):
    if query.reads:
        kg = _with_reads(query)
    result = _run(kg, query)
    if isinstance(result, AskResult):
        assert result.value is True
    else:
        assert len(result) > 0


# ---------------------------------------------------------------------------
# The same answers from pyoxigraph, on the export


def _ox_store(kg) -> ox.Store:
    st = ox.Store()
    for part in (Part.ONTOLOGY, Part.DATA):
        st.load(kg.export(RdfFormat.NTRIPLES, part=part), format=ox.RdfFormat.N_TRIPLES)
    return st


@pytest.fixture(scope="module")
def store(kg):
    return _ox_store(kg)


def _numbers_by_value(graph: Graph) -> Graph:
    """Engines may write the same decimal differently ("4.0", "4"): compare numbers by value."""
    out = Graph()
    for s, p, o in graph:
        if (
            isinstance(o, Literal)
            and o.datatype is not None
            and str(o.datatype).endswith("#decimal")
        ):
            o = Literal(str(Decimal(str(o)).normalize()), datatype=o.datatype)
        out.add((s, p, o))
    return out


def _norm(term) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        try:
            if term.datatype is not None and term.datatype.endswith(
                ("decimal", "integer", "double")
            ):
                return ("number", Decimal(str(term)).normalize())
        except InvalidOperation:
            pass
        parts = tuple(sorted(p for p in re.split(r", | \| ", str(term))))
        return ("literal", parts, term.language, str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return ("bnode",)
    return ("iri", str(term))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_pyoxigraph_gives_the_same_answers_on_the_export(kg, store, query):
    if query.reads:
        kg = _with_reads(query)
        store = _ox_store(kg)
    bindings = query.bindings({}, kg=kg)
    ours = _run(kg, query)
    theirs = store.query(_with_values(query.text, bindings))
    if isinstance(ours, AskResult):
        assert bool(theirs) is ours.value
    elif isinstance(ours, GraphResult):
        graph = Graph()
        for t in theirs:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        assert isomorphic(_numbers_by_value(graph), _numbers_by_value(ours.graph))
    else:
        names = [v.value for v in theirs.variables]
        assert names == list(ours.variables)
        their_rows = sorted(
            (
                tuple(_norm(to_rdflib(s[n]) if s[n] is not None else None) for n in names)
                for s in theirs
            ),
            key=repr,
        )
        our_rows = sorted((tuple(_norm(r[n]) for n in names) for r in ours.rows), key=repr)
        assert their_rows == our_rows


# ---------------------------------------------------------------------------
# Golden answers for the key questions (sets of rows)


def rows(result: SelectResult, *names: str) -> set[tuple[str, ...]]:
    return {tuple(str(r[n]) if r[n] is not None else "" for n in names) for r in result.rows}


def test_golden_categories(kg):
    got = rows(_run(kg, find_query("categories")), "code", "chinese")
    assert got == {
        ("1", "新一代信息技术产业"),
        ("2", "高端装备制造产业"),
        ("3", "新材料产业"),
        ("4", "生物产业"),
        ("5", "新能源汽车产业"),
        ("6", "新能源产业"),
        ("7", "节能环保产业"),
        ("8", "数字创意产业"),
    }


def test_golden_share_by_year(kg):
    got = rows(
        _run(kg, find_query("share-by-year")), "year", "share", "changeFromPreviousYear", "derived"
    )
    assert got == {("2018", "28.7", "", "true"), ("2019", "31.8", "3.1", "false")}


def test_golden_growth_above_threshold(kg):
    query = find_query("growth-above-threshold")
    got = rows(_run(kg, query, {"threshold": "26.6"}), "id", "growthPercent")
    assert got == {("F7", "26.8"), ("F8", "29.7")}
    got = rows(_run(kg, query, {"threshold": "4"}), "id")
    assert got == {("F3",), ("F6",), ("F7",), ("F8",)}


def test_golden_derived_figures(kg):
    got = rows(_run(kg, find_query("derived-figures")), "id", "inputId")
    assert got == {
        ("D1", "F1"),
        ("D1", "F2"),
        ("D2", "F3"),
        ("D2", "F4"),
        ("D3", "F6"),
        ("D3", "F7"),
        ("D3", "F8"),
        ("D4", "F11"),
        ("D4", "F12"),
    }


def test_golden_provenance_chain(kg):
    got = rows(
        _run(kg, find_query("provenance"), {"figure": "D4"}),
        "stepId",
        "paragraph",
        "statisticsFrom",
    )
    assert ("F11", "8", "Qingdao Development and Reform Commission") in got
    assert ("F12", "8", "Qingdao Development and Reform Commission") in got
    assert {g[0] for g in got} == {"D4", "F11", "F12"}


def test_golden_money_conversion(kg):
    result = _run(kg, find_query("money-conversions"))
    assert rows(result, "amountId", "convertedId", "impliedRate") == {("F11", "F12", "7.0671")}


def test_golden_city_year_complete(kg):
    query = find_query("city-year-complete")
    assert _run(kg, query).value is True
    assert _run(kg, query, {"year": "2018"}).value is False
    assert _run(kg, query, {"city": "Shenzhen"}).value is False


def test_golden_places(kg):
    got = rows(_run(kg, find_query("places")), "chinese", "code", "within")
    assert ("青岛市", "370200", "Shandong province") in got
    assert ("深圳市", "440300", "Guangdong province") in got


VERSIONS_OLDEST_FIRST = [
    "Strategic emerging industries of the State Council decision (2010)",
    "Classification of strategic emerging industries (2012) (trial)",
    "Strategic emerging industries of the 13th Five-Year Plan (2016)",
    "Classification of strategic emerging industries (2018)",
    "Strategic emerging industries of the 14th Five-Year Plan outline (2021)",
    "Catalogue of industrial strategic emerging industries (2023)",
]


def test_golden_category_versions_oldest_first(kg):
    """The versions in the order of their years: the year of the instrument where the data
    give it, else the year the version's title names (NBS-2012, whose day is not known)."""
    result = _run(kg, find_query("category-versions"))
    versions = [str(r["version"]) for r in result.rows]
    assert versions == VERSIONS_OLDEST_FIRST
    years = {
        str(r["version"]): str(r["year"]) if r["year"] is not None else "" for r in result.rows
    }
    assert years[VERSIONS_OLDEST_FIRST[1]] == ""  # no date of its instrument is known
    assert [years[v] for v in VERSIONS_OLDEST_FIRST if v != VERSIONS_OLDEST_FIRST[1]] == [
        "2010", "2016", "2018", "2021", "2023"
    ]  # fmt: skip
    named = {str(r["version"]): str(r["titleYear"]) for r in result.rows if r["titleYear"]}
    assert named == {
        VERSIONS_OLDEST_FIRST[1]: "2012",
        VERSIONS_OLDEST_FIRST[3]: "2018",
        VERSIONS_OLDEST_FIRST[5]: "2023",
    }


CENSUS_COLUMNS = ("year", "id", "measure", "matches", "howMatched")
MAPPED = "(mapping attributed to the sei-kg project, evidence: belief)"


def test_golden_census_by_category_from_nbs_2018(kg):
    got = rows(_run(kg, find_query("census-by-category")), *CENSUS_COLUMNS)
    count, share = (
        "number of industrial corporate enterprises above designated size",
        "share of industrial corporate enterprises above designated size",
    )
    assert got == {
        ("2018", "N3", count, "1", "counted by this category"),
        ("2018", "N4", share, "1", "counted by this category"),
        ("2023", "C5", count, "1", f"skos:closeMatch NBS 2018 3 {MAPPED}"),
        ("2023", "C5", share, "1", f"skos:closeMatch NBS 2018 3 {MAPPED}"),
    }


def test_golden_census_by_category_from_a_2023_category_finds_both_years(kg):
    """From the 2023 catalogue, through NBS 2018, to the 2018 figures (and back)."""
    query = find_query("census-by-category")
    got = rows(
        _run(kg, query, {"category": "https://w3id.org/sei-kg/category/nbs-2023/new-material"}),
        "year", "id", "howMatched",
    )  # fmt: skip
    through = f"counted by NBS 2018 3; this category skos:closeMatch NBS 2018 3 {MAPPED}"
    assert got == {
        ("2018", "N3", through),
        ("2018", "N4", through),
        ("2023", "C5", "counted by this category"),
    }


def test_golden_census_by_category_one_row_per_figure(kg):
    """C10 (aviation and aerospace) matches NBS 2018 2.2 and 2.3: one row per measure, which
    says it matched two ways, not two rows that invite adding it twice."""
    query = find_query("census-by-category")
    result = _run(kg, query, {"category": "https://w3id.org/sei-kg/category/2"})
    ids = [str(r["id"]) for r in result.rows]
    assert sorted(ids) == ["C10", "C10", "C11", "C11", "C4", "C4"]
    c10 = {str(r["howMatched"]) for r in result.rows if str(r["id"]) == "C10"}
    assert c10 == {
        f"one figure, matched two ways: skos:narrowMatch NBS 2018 2.2 {MAPPED}; "
        f"and skos:narrowMatch NBS 2018 2.3 {MAPPED}"
    }
    assert {str(r["matches"]) for r in result.rows if str(r["id"]) == "C10"} == {"2"}
    aerospace = _run(
        kg, query, {"category": "https://w3id.org/sei-kg/category/fyp14-2021/aerospace"}
    )
    assert [str(r["id"]) for r in aerospace.rows] == ["C10", "C10"]
    assert {str(r["matches"]) for r in aerospace.rows} == {"2"}


def test_census_by_category_reads_the_evidence_status_from_the_data():
    """How firmly a mapping is held comes from its rdf:Statement, not from the query text."""
    from rdflib.namespace import RDF

    from seikg.kg import KnowledgeGraph
    from seikg.namespaces import SEI

    kg = KnowledgeGraph.load()
    evidence = "https://w3id.org/sei-kg/evidence/"
    closematch = URIRef("http://www.w3.org/2004/02/skos/core#closeMatch")
    new_material = URIRef("https://w3id.org/sei-kg/category/nbs-2023/new-material")
    (statement,) = [
        s for s in kg.graph.subjects(RDF.subject, new_material)
        if (s, RDF.predicate, closematch) in kg.graph
    ]  # fmt: skip
    kg.graph.set((statement, SEI.evidenceStatus, URIRef(evidence + "verified")))
    got = rows(_run(kg, find_query("census-by-category")), "id", "howMatched")
    assert ("C5", "skos:closeMatch NBS 2018 3 (mapping attributed to the sei-kg project, "
                  "evidence: verified)") in got  # fmt: skip
    kg.graph.remove((statement, None, None))
    got = rows(_run(kg, find_query("census-by-category")), "id", "howMatched")
    assert ("C5", "skos:closeMatch NBS 2018 3 (mapping evidence: not recorded)") in got


def test_city_subgraph_holds_the_city_and_its_figures_only(kg):
    result = _run(kg, find_query("city-subgraph"))
    subjects = {str(s) for s in result.graph.subjects()}
    assert "https://w3id.org/sei-kg/place/370200" in subjects
    assert "https://w3id.org/sei-kg/observation/370200-2019-industry-share-sei" in subjects
    assert "https://w3id.org/sei-kg/place/440300" not in subjects
    shenzhen = _run(kg, find_query("city-subgraph"), {"city": "深圳"})
    assert not any("observation" in str(s) for s in shenzhen.graph.subjects())


# ---------------------------------------------------------------------------
# Parameters cannot inject


@pytest.mark.parametrize(
    "value",
    [
        'Qingdao" } UNION { ?s ?p ?o } #',
        "Qingdao> } UNION { ?s ?p ?o",
        "x' . ?s ?p ?o . FILTER('1",
    ],
)
def test_injection_through_a_label_parameter_is_refused(kg, value):
    with pytest.raises(BadInputError):
        find_query("share-by-year").bindings({"city": value}, kg=kg)


def test_injection_through_a_string_parameter_returns_nothing(kg):
    query = find_query("provenance")
    result = _run(kg, query, {"figure": "D1' } UNION { ?step ?p ?o } #"})
    assert len(result) == 0


@pytest.mark.parametrize(
    "value", ["http://e/a> <http://e/b", "http://e/ a", "not an iri", "javascript:alert(1)"]
)
def test_iri_parameters_are_checked_strictly(kg, value):
    with pytest.raises(BadInputError):
        find_query("share-by-year").bindings({"city": value}, kg=kg)


def test_typed_parameters_are_checked(kg):
    with pytest.raises(BadInputError):
        find_query("growth-above-threshold").bindings({"threshold": "ten"}, kg=kg)
    with pytest.raises(BadInputError):
        find_query("figures").bindings({"year": "2019 OR 1=1"}, kg=kg)


def test_iri_parameter(kg):
    result = _run(kg, find_query("share-by-year"), {"city": "https://w3id.org/sei-kg/place/370200"})
    assert len(result) == 2


# ---------------------------------------------------------------------------
# The W3C result formats


def _tricky():
    return SelectResult(
        ("iri", "text", "lang", "num", "blank", "none"),
        tuple(
            [
                __import__("seikg.sparql.results", fromlist=["Row"]).Row(
                    ("iri", "text", "lang", "num", "blank", "none"),
                    (
                        URIRef("http://e/a?x=1&y=2"),
                        Literal('say "hi",\nthen\ttab'),
                        Literal("青岛", lang="zh"),
                        Literal(
                            "31.8", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")
                        ),
                        BNode("b0"),
                        None,
                    ),
                )
            ]
        ),
    )


def test_csv_format_follows_the_w3c_spec():
    text = _tricky().serialize(ResultFormat.CSV)
    assert text.startswith("iri,text,lang,num,blank,none\r\n")
    rows_ = list(csv.reader(io.StringIO(text)))
    assert rows_[1] == ["http://e/a?x=1&y=2", 'say "hi",\nthen\ttab', "青岛", "31.8", "_:b0", ""]


def test_tsv_format_follows_the_w3c_spec():
    lines = _tricky().serialize(ResultFormat.TSV).split("\n")
    assert lines[0] == "?iri\t?text\t?lang\t?num\t?blank\t?none"
    cells = lines[1].split("\t")
    assert cells[0] == "<http://e/a?x=1&y=2>"
    assert cells[1] == '"say \\"hi\\",\\nthen\\ttab"'
    assert cells[2] == '"青岛"@zh'
    assert cells[3] == '"31.8"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert cells[4] == "_:b0" and cells[5] == ""


def test_json_format_follows_the_w3c_spec():
    doc = json.loads(_tricky().serialize(ResultFormat.JSON))
    assert doc["head"]["vars"] == ["iri", "text", "lang", "num", "blank", "none"]
    binding = doc["results"]["bindings"][0]
    assert binding["iri"] == {"type": "uri", "value": "http://e/a?x=1&y=2"}
    assert binding["lang"] == {"type": "literal", "value": "青岛", "xml:lang": "zh"}
    assert binding["num"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert binding["blank"] == {"type": "bnode", "value": "b0"}
    assert "none" not in binding


def test_xml_format_follows_the_w3c_spec():
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(_tricky().serialize(ResultFormat.XML))
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == [
        "iri",
        "text",
        "lang",
        "num",
        "blank",
        "none",
    ]
    result = root.find("s:results/s:result", ns)
    bindings = {b.get("name"): b for b in result.findall("s:binding", ns)}
    assert bindings["iri"].find("s:uri", ns).text == "http://e/a?x=1&y=2"
    assert bindings["text"].find("s:literal", ns).text == 'say "hi",\nthen\ttab'
    lang = bindings["lang"].find("s:literal", ns)
    assert lang.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    assert bindings["num"].find("s:literal", ns).get("datatype").endswith("#decimal")
    assert "none" not in bindings


def test_ask_formats():
    assert json.loads(AskResult(True).serialize(ResultFormat.JSON)) == {"head": {}, "boolean": True}
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert (
        ET.fromstring(AskResult(False).serialize(ResultFormat.XML)).find("s:boolean", ns).text
        == "false"
    )


def test_select_to_pandas(kg):
    pandas = pytest.importorskip("pandas")
    frame = _run(kg, find_query("categories")).to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["code", "english", "chinese", "sourceWording", "category"]
    assert len(frame) == 8
