"""networkx views, pictures in both languages, and the files for Gephi, Cytoscape and the web."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from seikg.errors import BadInputError
from seikg.namespaces import CAT, PLACE, SEI
from seikg.views.draw import cjk_font_available, label_overlaps, render
from seikg.views.facts import graph_facts
from seikg.views.layout import layout_of
from seikg.views.projection import View, to_networkx
from seikg.views.write import render_view

from facts import CENSUS, CENSUS_SOURCES, DERIVED, FIGURES

CJK = re.compile("[\u4e00-\u9fff]")
VIEWS = [v.value for v in View]
# what each view that is about one thing is shown about here
FOCUS = {"city": {"city": "Qingdao"}, "divisions": {"province": "山东"}}


def _graph_for(request, view):
    """The knowledge graph a view is drawn from: with the skeleton for the divisions view."""
    return request.getfixturevalue("kg_divisions" if view == "divisions" else "kg")


def _view(kg, view, lang="en"):
    return to_networkx(kg, view=view, lang=lang, **FOCUS.get(view, {}))


@pytest.mark.parametrize("view", VIEWS)
def test_view_nodes_and_edges_are_well_formed(request, view):
    kg = _graph_for(request, view)
    graph = _view(kg, view)
    assert isinstance(graph, nx.MultiDiGraph) and graph.number_of_nodes() > 5
    from rdflib import Literal

    literal_values = {str(o) for o in kg.graph.objects() if isinstance(o, Literal)}
    for node, data in graph.nodes(data=True):
        assert node.startswith(("http://", "https://")), node  # resources only, never literals
        assert node not in literal_values
        assert data["kind"] and data["label"] and data["iri"] == node
    for _s, _o, data in graph.edges(data=True):
        assert data["relation"] and data["iri"].startswith("http")


@pytest.mark.parametrize("view", VIEWS)
def test_views_label_in_both_languages(request, view):
    kg = _graph_for(request, view)
    english, chinese = _view(kg, view, "en"), _view(kg, view, "zh")
    assert set(english.nodes) == set(chinese.nodes)
    kinds = (
        "city",
        "province",
        "prefecture",
        "county",
        "category",
        "concept",
        "indicator",
        "scope",
    )
    for kind in kinds:
        nodes = [n for n, d in english.nodes(data=True) if d["kind"] == kind]
        for node in nodes:
            assert not CJK.search(english.nodes[node]["label"]), english.nodes[node]["label"]
            assert CJK.search(chinese.nodes[node]["label"]), chinese.nodes[node]["label"]


def test_overview_holds_places_categories_indicators_figures_and_sources(kg):
    facts = graph_facts(_view(kg, "overview"))
    kinds = facts["nodes by kind"]
    figures = len(FIGURES) + len(DERIVED) + len(CENSUS)
    assert kinds["category"] == 8 and kinds["indicator"] == 15 and kinds["observation"] == figures
    assert kinds["source"] == 1 + len(CENSUS_SOURCES) and kinds["city"] == 2
    assert facts["weakly connected components"] == 1


def test_overview_with_the_skeleton_draws_only_the_places_of_its_figures(kg, kg_divisions):
    """The skeleton adds 3,215 divisions; the overview still shows the places its figures
    are about, the city Qingdao follows, and where they lie."""
    plain, skeleton = to_networkx(kg), to_networkx(kg_divisions)
    assert set(skeleton.nodes) == set(plain.nodes)
    assert skeleton.number_of_edges() == plain.number_of_edges()


def test_categories_view_is_a_forest_of_schemes(kg):
    graph = _view(kg, "categories")
    schemes = [n for n, d in graph.nodes(data=True) if d["kind"] == "scheme"]
    categories = [n for n, d in graph.nodes(data=True) if d["kind"] == "category"]
    assert len(categories) == 8
    root = next(s for s in schemes if s.endswith("/scheme/categories"))
    assert {o for _s, o in graph.out_edges(root)} >= set(categories)


def test_city_view_needs_a_known_city(kg):
    with pytest.raises(BadInputError):
        to_networkx(kg, view="city")
    with pytest.raises(BadInputError):
        to_networkx(kg, view="city", city="Atlantis")
    with pytest.raises(BadInputError):
        to_networkx(kg, view="city", city="Shandong province")  # a province, not a city
    zh = to_networkx(kg, view="city", city="青岛")
    assert "https://w3id.org/sei-kg/place/370200" in zh


def test_provenance_view_links_every_figure_to_a_source(kg):
    graph = _view(kg, "provenance")
    sources = {n for n, d in graph.nodes(data=True) if d["kind"] == "source"}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "observation":
            assert any(s in sources for s in nx.descendants(graph, node)), node


def test_unknown_view_and_language(kg):
    with pytest.raises(BadInputError):
        to_networkx(kg, view="everything")
    with pytest.raises(BadInputError):
        to_networkx(kg, lang="fr")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pictures_have_no_overlapping_labels(request, view, lang):
    assert cjk_font_available()
    graph = _view(_graph_for(request, view), view, lang)
    _data, fig = render(graph, "png", lang=lang, city_label="Qingdao")
    try:
        assert label_overlaps(fig) == []
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def test_chinese_labels_have_glyphs(kg):
    """The font used for Chinese holds every character of the zh labels (no boxes)."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    assert cjk_font_available()
    path = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    font = FT2Font(path)
    text = "".join(d["label"] for _n, d in _view(kg, "overview", "zh").nodes(data=True))
    missing = {c for c in text if CJK.match(c) and font.get_char_index(ord(c)) == 0}
    assert not missing


def test_missing_chinese_font_falls_back_to_english_with_a_warning(kg, monkeypatch):
    import seikg.views.draw

    monkeypatch.setattr(seikg.views.draw, "cjk_font_available", lambda: False)
    data, notes = render_view(kg, "svg", view="overview", lang="zh")
    assert notes and "English" in notes[0]
    assert not CJK.search(data.decode("utf-8"))


# ---------------------------------------------------------------------------
# The versions of the classification

MAPPINGS = ("exactMatch", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch")
PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX sei: <https://w3id.org/sei-kg/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
"""


def _rows(kg, sparql, **bindings):
    return list(kg.query(PREFIXES + sparql, bindings=bindings or None))


def _versions(kg):
    return {
        str(r.s)
        for r in _rows(kg, "SELECT ?s WHERE { ?s a skos:ConceptScheme ; sei:instrument ?i }")
    }


def _mappings(kg):
    """Every mapping between concepts of two versions, and whether the data holds it as belief."""
    rows = _rows(kg, """
        SELECT ?s ?p ?o (BOUND(?st) AS ?belief) WHERE {
          VALUES ?p { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch
                      skos:relatedMatch }
          ?s ?p ?o ; skos:inScheme/sei:instrument ?x . ?o skos:inScheme/sei:instrument ?y .
          OPTIONAL { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                         sei:evidenceStatus <https://w3id.org/sei-kg/evidence/belief> }
        }""")  # fmt: skip
    return {(str(r.s), str(r.p), str(r.o)): r.belief.toPython() for r in rows}


def _edges(graph):
    return {(s, d["iri"], o): d for s, o, d in graph.edges(data=True)}


def test_versions_view_holds_every_version_and_every_mapping(kg):
    graph = to_networkx(kg, view="versions")
    versions = _versions(kg)
    assert versions and {n for n, d in graph.nodes(data=True) if d["kind"] == "scheme"} == versions
    mappings = _mappings(kg)
    assert mappings and any(mappings.values())
    edges = _edges(graph)
    assert {e for e in edges if e[1].rsplit("#", 1)[-1] in MAPPINGS} == set(mappings)
    for triple, belief in mappings.items():
        assert edges[triple]["belief"] is belief, triple  # dashed exactly where the data says
        assert edges[triple]["relation"] == triple[1].rsplit("#", 1)[-1]  # named by the property
    tops = {
        str(r.c)
        for r in _rows(kg, "SELECT ?c WHERE { ?v sei:instrument ?i ; skos:hasTopConcept ?c }")
    }
    assert tops <= set(graph.nodes)
    ends = {n for s, _p, o in mappings for n in (s, o)}
    assert set(graph.nodes) == versions | tops | ends  # no middle category a mapping does not reach


def test_versions_view_can_show_every_middle_category(kg):
    graph = to_networkx(kg, view="versions", middle=True)
    every = {str(r.c) for r in _rows(kg, "SELECT ?c WHERE { ?c skos:inScheme/sei:instrument ?i }")}
    assert set(graph.nodes) == _versions(kg) | every
    broader = _rows(
        kg, "SELECT ?c ?a WHERE { ?c skos:broader ?a ; skos:inScheme/sei:instrument ?i }"
    )
    edges = _edges(graph)
    assert broader and all((str(r.c), str(SKOS.broader), str(r.a)) in edges for r in broader)


def _year(kg, version):
    """The year of a version's instrument: its earliest date, else the year in its title."""
    dates = _rows(kg, "SELECT ?d WHERE { ?v sei:instrument/(dct:issued|dct:dateAccepted|dct:created) ?d }",
                  v=URIRef(version))  # fmt: skip
    if dates:
        return min(str(r.d)[:4] for r in dates)
    titles = _rows(kg, "SELECT ?t WHERE { ?v sei:instrument/dct:title ?t }", v=URIRef(version))
    return min(re.search(r"(?:19|20)[0-9]{2}", str(r.t)).group(0) for r in titles)


def test_versions_are_columns_in_date_order_and_a_category_reads_across_a_row(kg):
    graph = to_networkx(kg, view="versions")
    layout = layout_of(graph)
    heads = [column[0] for column in layout.columns]
    years = {v: _year(kg, v) for v in _versions(kg)}
    assert heads == sorted(years, key=lambda v: (years[v], v))
    assert [years[h] for h in heads] == sorted(years.values())
    for (source, iri, target), _belief in _mappings(kg).items():
        if iri == str(SKOS.closeMatch):  # the same field in other words: on the same row
            assert layout.positions[source][1] == layout.positions[target][1], source


def test_a_category_traced_through_the_versions(kg):
    everything = to_networkx(kg, view="versions")
    traced = to_networkx(kg, view="versions", category="节能环保")
    start = {str(r.c) for r in _rows(kg, 'SELECT ?c WHERE { ?c skos:prefLabel "节能环保"@zh }')}
    joined = _rows(kg, """
        SELECT DISTINCT ?c WHERE {
          ?start (skos:closeMatch|^skos:closeMatch|skos:narrowMatch|^skos:narrowMatch|
                  skos:broadMatch|^skos:broadMatch|skos:exactMatch|^skos:exactMatch|
                  skos:broader|^skos:broader)* ?c .
        }""", start=URIRef(sorted(start)[0]))  # fmt: skip
    expected = {str(r.c) for r in joined} & set(everything.nodes)
    assert start <= expected and str(CAT["7"]) in expected and str(CAT["1"]) not in expected
    assert set(traced.nodes) == expected | _versions(kg)  # every version stays, even without it
    english = _rows(
        kg,
        """SELECT ?l WHERE { ?c skos:prefLabel "节能环保"@zh , ?l
                                            FILTER (LANG(?l) = "en") }""",
    )
    assert traced.graph["focus_label"] in {str(r.l) for r in english}  # the title's own language
    assert set(to_networkx(kg, view="versions", category=str(CAT["7"])).nodes) == set(traced.nodes)
    with pytest.raises(BadInputError, match="--category"):
        to_networkx(kg, view="versions", category="Atlantis")


# ---------------------------------------------------------------------------
# The divisions of a province


def _inside(kg, province):
    rows = _rows(kg, "SELECT ?d WHERE { ?d sei:locatedIn+ ?p }", p=URIRef(province))
    return {province} | {str(r.d) for r in rows}


def test_divisions_view_holds_the_province_and_every_division_in_it(kg_divisions):
    kg = kg_divisions
    shandong, laiwu = str(PLACE["370000"]), str(PLACE["371200"])
    graph = to_networkx(kg, view="divisions", province="山东")
    assert set(graph.nodes) == _inside(kg, shandong) and laiwu in graph
    located = _rows(kg, "SELECT ?a ?b WHERE { ?a sei:locatedIn ?b . ?b sei:locatedIn* ?p }",
                    p=URIRef(shandong))  # fmt: skip
    edges = _edges(graph)
    assert {(str(r.a), str(SEI.locatedIn), str(r.b)) for r in located} == {
        e for e in edges if e[1] == str(SEI.locatedIn)
    }
    types = _rows(kg, "SELECT ?d ?t WHERE { ?d sei:locatedIn* ?p ; sei:divisionType ?t }",
                  p=URIRef(shandong))  # fmt: skip
    for row in types:
        assert graph.nodes[str(row.d)]["divisionTypeCode"] == str(row.t).rsplit("/", 1)[-1]
    replaced = _rows(kg, "SELECT ?a ?b WHERE { ?a sei:locatedIn+ ?p ; dct:isReplacedBy ?b }",
                     p=URIRef(shandong))  # fmt: skip
    assert {str(r.a) for r in replaced} == {n for n, d in graph.nodes(data=True) if d["abolished"]}
    assert (laiwu, str(DCTERMS.isReplacedBy), str(PLACE["370116"])) in edges
    assert "abolished" in graph.nodes[laiwu]["label"]
    assert (
        "撤销"
        in to_networkx(kg, view="divisions", province="山东", lang="zh").nodes[laiwu]["label"]
    )


def test_a_province_is_found_by_name_code_or_iri(kg_divisions):
    names = ["山东", "山东省", "Shandong", "370000", str(PLACE["370000"])]
    views = [to_networkx(kg_divisions, view="divisions", province=n) for n in names]
    assert all(set(v.nodes) == set(views[0].nodes) for v in views)
    assert views[0].graph["focus_label"] == "Shandong province"
    with pytest.raises(BadInputError, match="not a province"):
        to_networkx(kg_divisions, view="divisions", province="青岛")


def test_divisions_view_needs_the_skeleton(kg):
    with pytest.raises(BadInputError, match="add --with divisions"):
        to_networkx(kg, view="divisions", province="山东")


def _routes_through_labels(fig, graph, layout):
    """The routed edges that cross a label other than their own ends' (all routes run
    across and down, so each piece is tested against each label's box)."""
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [(n, t.get_window_extent(renderer)) for n, t in zip(graph.nodes, ax.texts, strict=True)]
    crossing = []
    for (source, target, _key), route in layout.routes.items():
        points = ax.transData.transform(route.points)
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            for node, box in boxes:
                if node in (source, target):
                    continue
                across = min(x1, x2) < box.x1 - 1 and max(x1, x2) > box.x0 + 1
                up = min(y1, y2) < box.y1 - 1 and max(y1, y2) > box.y0 + 1
                if across and up:
                    crossing.append((source, target, node))
    return crossing


def _biggest_province(kg):
    rows = _rows(kg, """
        SELECT ?p (COUNT(?d) AS ?n) WHERE { ?p a sei:Province . ?d sei:locatedIn+ ?p }
        GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1""")  # fmt: skip
    return str(rows[0].p)


@pytest.mark.parametrize(
    ("province", "lang"), [("biggest", "en"), ("河北", "zh"), (None, "en"), (None, "zh")]
)
def test_tree_pictures_stay_readable(request, kg_divisions, province, lang):
    """The province with the most divisions (and Hebei, in Chinese) and the versions, with
    every middle category: no labels overlap, none is cut off or shrunk, no line runs
    through a label, and the figure stays a size a screen or a page can show."""
    assert cjk_font_available()
    if province is None:
        graph = to_networkx(kg_divisions, view="versions", lang=lang, middle=True)
    else:
        name = _biggest_province(kg_divisions) if province == "biggest" else province
        graph = to_networkx(kg_divisions, view="divisions", province=name, lang=lang)
        assert graph.number_of_nodes() > 150
    layout = layout_of(graph)
    _data, fig = render(graph, "png", lang=lang)
    try:
        assert label_overlaps(fig) == []
        assert _routes_through_labels(fig, graph, layout) == []
        renderer = fig.canvas.get_renderer()
        for text in fig.axes[0].texts:
            assert text.get_fontsize() >= 7
            box = text.get_window_extent(renderer)
            assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, text.get_text()
            assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, text.get_text()
        width, height = fig.get_size_inches()
        assert width <= 24 and height <= 28 and width * height <= 400
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


# ---------------------------------------------------------------------------
# Every format, written and read back


@pytest.fixture(scope="module")
def written(kg, tmp_path_factory):
    from seikg.views.write import write_view

    out = tmp_path_factory.mktemp("viz")
    paths = {}
    for ext in ("png", "svg", "pdf", "graphml", "gexf", "json", "html"):
        paths[ext] = out / f"overview.{ext}"
        write_view(kg, paths[ext], view="overview")
    paths["zh.html"] = out / "overview-zh.html"
    write_view(kg, paths["zh.html"], view="overview", lang="zh")
    return paths


def test_png(written):
    data = written["png"].read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 1200 and height >= 700


def test_svg(written):
    root = ET.parse(written["svg"]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_pdf(written):
    assert written["pdf"].read_bytes().startswith(b"%PDF-")


def _every_resource(kg):
    from rdflib.namespace import RDF, SKOS

    from seikg.namespaces import QB, SCHEME, SEI

    g = kg.graph
    return {
        "category": {str(c) for c in g.subjects(SKOS.inScheme, SCHEME.categories)},
        "indicator": {str(i) for i in g.subjects(RDF.type, SEI.Indicator)},
        "observation": {str(o) for o in g.subjects(RDF.type, QB.Observation)},
        "source": {
            "http://shandong.chinadaily.com.cn/2020-04/08/c_487092.htm",
            *CENSUS_SOURCES.values(),
        },
    }


def test_graphml_opens_in_networkx_with_everything(kg, written):
    graph = nx.read_graphml(written["graphml"])
    for kind, expected in _every_resource(kg).items():
        got = {n for n, d in graph.nodes(data=True) if d.get("kind") == kind}
        assert got == expected, kind
    values = [d["obsValue"] for _n, d in graph.nodes(data=True) if d.get("kind") == "observation"]
    assert all(isinstance(v, float) for v in values)  # typed, so Gephi can filter by value
    assert all("relation" in d for _s, _o, d in graph.edges(data=True))


def test_gexf_opens_in_networkx(kg, written):
    graph = nx.read_gexf(written["gexf"])
    assert {n for n, d in graph.nodes(data=True) if d.get("kind") == "category"} == _every_resource(
        kg
    )["category"]


def test_node_link_json(written):
    doc = json.loads(written["json"].read_text())
    assert {"nodes", "links"} <= set(doc)
    assert all("kind" in n and "label" in n for n in doc["nodes"])


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]


@pytest.mark.parametrize("name", ["html", "zh.html"])
def test_html_page_fetches_nothing(written, name):
    page = written[name].read_text()
    parser = _Refs()
    parser.feed(page)
    assert parser.refs == []
    assert not re.search(r"url\(\s*[\"']?(?!data:|#)", page)  # only embedded data and #fragments
    assert "@import" not in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="needs Chromium (installed by .ci/run)"
)
@pytest.mark.parametrize("name", ["html", "zh.html"])
def test_html_page_works_in_a_browser_with_the_network_off(written, name, tmp_path):
    assert CHROMIUM, "Chromium is missing: .ci/run installs it"
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--virtual-time-budget=3000",
        "--dump-dom",
        written[name].as_uri(),
    ]
    dom = subprocess.run(args, capture_output=True, text=True, timeout=120).stdout
    nodes = re.findall(r'<g data-id="', dom)
    # the page draws every node of the view it was written from (the census figures included)
    assert len(nodes) == nx.read_graphml(written["graphml"]).number_of_nodes() > 46
    assert dom.count('type="checkbox"') >= 10  # the legend was built by the page's script
    assert 'viewBox="' in dom


def test_stats_graph(cli):
    result = cli("stats", "--graph")
    assert result.code == 0 and "Degree of each category" in result.out
    doc = json.loads(cli("stats", "--graph", "--json", "--view", "provenance").out)
    assert doc["view"] == "provenance" and doc["nodes"] > 15


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.bmp"], ".bmp"),
        (["-o", "x.png", "--view", "nope"], "nope"),
        (["-o", "x.png", "--view", "city", "--city", "Atlantis"], "Atlantis"),
        (["-o", "x.png", "--view", "city"], "--city"),
        (["-o", "x.png", "--lang", "fr"], "fr"),
        (["-o", "x.png", "--view", "divisions"], "--province"),
        (["-o", "x.png", "--view", "versions", "--category", "Atlantis"], "Atlantis"),
        (
            ["-o", "x.png", "--view", "divisions", "--province", "Atlantis", "--with", "divisions"],
            "Atlantis",
        ),
    ],
)
def test_viz_bad_input_exits_2(cli, tmp_path, args, message):
    args = [a if a not in ("x.bmp", "x.png") else str(tmp_path / a) for a in args]
    result = cli("viz", *args)
    assert result.code == 2 and message in result.err
    assert not any(tmp_path.iterdir())  # nothing half-written


def test_viz_command_writes_a_picture(cli, tmp_path):
    target = tmp_path / "overview.png"
    result = cli("viz", "-o", str(target))
    assert result.code == 0 and target.read_bytes().startswith(b"\x89PNG")


# ---------------------------------------------------------------------------
# The new views in every format and both languages

NEW_VIEWS = {"versions": {"category": None}, "divisions": {"province": "山东"}}
FORMATS = ("png", "svg", "pdf", "graphml", "gexf", "json", "html")


@pytest.fixture(scope="module")
def written_new(kg, kg_divisions, tmp_path_factory):
    from seikg.views.write import write_view

    out = tmp_path_factory.mktemp("viz-new")
    paths = {}
    for view, focus in NEW_VIEWS.items():
        source = kg_divisions if view == "divisions" else kg
        for ext in FORMATS:
            for lang in ("en", "zh") if ext in ("png", "html") else ("en",):
                paths[(view, lang, ext)] = out / f"{view}-{lang}.{ext}"
                assert write_view(source, paths[(view, lang, ext)], view=view, lang=lang,
                                  **focus) == []  # fmt: skip
    return paths


@pytest.mark.parametrize("view", NEW_VIEWS)
def test_new_views_in_every_format(request, written_new, view):
    kg = _graph_for(request, view)
    expected = to_networkx(kg, view=view, **NEW_VIEWS[view])
    nodes, edges = set(expected.nodes), expected.number_of_edges()
    for lang in ("en", "zh"):
        data = written_new[(view, lang, "png")].read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 1200 <= width <= 24 * 110 and 700 <= height <= 28 * 110
    assert ET.parse(written_new[(view, "en", "svg")]).getroot().tag.endswith("svg")
    assert written_new[(view, "en", "pdf")].read_bytes().startswith(b"%PDF-")
    graphml = nx.read_graphml(written_new[(view, "en", "graphml")])
    assert set(graphml.nodes) == nodes and graphml.number_of_edges() == edges
    assert {d["belief"] for _s, _o, d in graphml.edges(data=True)} <= {"True", "False"}
    gexf = nx.read_gexf(written_new[(view, "en", "gexf")])
    assert set(gexf.nodes) == nodes
    doc = json.loads(written_new[(view, "en", "json")].read_text())
    assert {n["id"] for n in doc["nodes"]} == nodes and len(doc["links"]) == edges
    for lang in ("en", "zh"):
        page = written_new[(view, lang, "html")].read_text()
        parser = _Refs()
        parser.feed(page)
        assert parser.refs == [] and "@import" not in page
        found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
        payload = json.loads(found.group(1).replace("<\\/", "</"))
        assert {n["id"] for n in payload["nodes"]} == nodes
        assert all("points" in e for e in payload["edges"])  # every edge of a tree is routed
        assert all(bool(CJK.search(n["label"])) is (lang == "zh") for n in payload["nodes"])


def test_viz_command_draws_the_new_views(cli, tmp_path):
    target = tmp_path / "equipment.png"
    result = cli("viz", "-o", str(target), "--view", "versions", "--category", "高端装备制造产业",
                 "--middle-categories", "--lang", "zh")  # fmt: skip
    assert result.code == 0 and result.err == "" and target.read_bytes().startswith(b"\x89PNG")
    target = tmp_path / "shandong.html"
    result = cli("viz", "-o", str(target), "--view", "divisions", "--province", "山东",
                 "--with", "divisions")  # fmt: skip
    assert result.code == 0 and "Laiwu (abolished 2019-01)" in target.read_text()
