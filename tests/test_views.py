"""networkx views, pictures in both languages, and the files for Gephi, Cytoscape and the web."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import networkx as nx
import pytest

from seikg.errors import BadInputError
from seikg.views.draw import cjk_font_available, label_overlaps, render
from seikg.views.facts import graph_facts
from seikg.views.projection import View, to_networkx
from seikg.views.write import render_view

from facts import CENSUS, CENSUS_SOURCES, DERIVED, FIGURES

CJK = re.compile("[\u4e00-\u9fff]")
VIEWS = [v.value for v in View]


def _view(kg, view, lang="en"):
    return to_networkx(kg, view=view, lang=lang, city="Qingdao" if view == "city" else None)


@pytest.mark.parametrize("view", VIEWS)
def test_view_nodes_and_edges_are_well_formed(kg, view):
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
def test_views_label_in_both_languages(kg, view):
    english, chinese = _view(kg, view, "en"), _view(kg, view, "zh")
    assert set(english.nodes) == set(chinese.nodes)
    for kind in ("city", "province", "category", "indicator", "scope"):
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
def test_pictures_have_no_overlapping_labels(kg, view, lang):
    assert cjk_font_available()
    graph = _view(kg, view, lang)
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
