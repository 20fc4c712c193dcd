"""Views drawn from a store read what they need where the data is, and draw what the memory
store draws."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from seikg.bench.synthetic import generate
from seikg.errors import BadInputError
from seikg.kg import KnowledgeGraph
from seikg.namespaces import QB, SDMX_DIMENSION
from seikg.stores import MemoryStore, OxigraphStore
from seikg.views.kinds import Focus, View
from seikg.views.source import FIGURE_TYPES, PAGE_FIGURES, view_source
from seikg.views.write import render_view

VIEWS = [
    ("city", {"city": "Qingdao"}),
    ("categories", {}),
    ("versions", {"category": "高端装备制造产业"}),
    ("divisions", {"province": "山东"}),
    ("provenance", {}),
    ("overview", {}),
]


@pytest.fixture(scope="module")
def on_store(kg_divisions, tmp_path_factory) -> KnowledgeGraph:
    """The shipped graph and the skeleton of divisions in an Oxigraph store."""
    from seikg import resources

    store = OxigraphStore(tmp_path_factory.mktemp("views") / "store")
    store.load([*resources.graph_files(), resources.reference_files()["divisions"]])
    return KnowledgeGraph(store)


@pytest.mark.parametrize(("view", "focus"), VIEWS, ids=[v for v, _ in VIEWS])
def test_a_view_drawn_from_a_store_is_the_memory_store_view(kg_divisions, on_store, view, focus):
    """The same network file, byte for byte, whichever store it was drawn from."""
    expected, _ = render_view(kg_divisions, "graphml", view=view, **focus)
    drawn, _ = render_view(view_source(on_store, view, Focus(**focus)), "graphml", view=view,
                           **focus)  # fmt: skip
    assert drawn == expected


def test_the_memory_store_draws_from_itself(kg):
    assert view_source(kg, View.OVERVIEW, Focus()) is kg


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> tuple[Path, int]:
    """A synthetic set with more figures than fit on a page, in a store (opened read-only by
    each test, as the commands open it); its figure count."""
    folder = tmp_path_factory.mktemp("synthetic-views")
    data = folder / "synthetic.nt"
    generate(data, cities=20, years=10, seed=3, error_rate=0)
    store = OxigraphStore(folder / "store")
    store.load([data])
    kinds = " ".join(t.n3() for t in FIGURE_TYPES)
    figures = len(_subjects(store, f"?s a ?kind VALUES ?kind {{ {kinds} }}"))
    assert figures > PAGE_FIGURES
    del store  # closed: the tests open it read-only, as the commands do
    gc.collect()
    return folder / "store", figures


def test_a_city_view_copies_only_that_citys_figures(synthetic_store):
    path, figures = synthetic_store
    store = OxigraphStore.read_only(path)
    kg = KnowledgeGraph(store)
    city = min(_subjects(store, "?x sdmx-dimension:refArea ?s"))
    source = view_source(kg, View.CITY, Focus(city=str(city)))
    assert isinstance(source.store, MemoryStore)
    copied = set(source.graph.subjects(RDF.type, QB.Observation))
    own = _subjects(store, f"?s sdmx-dimension:refArea {city.n3()}")
    assert copied and copied <= own and len(copied) < figures
    categories = view_source(kg, View.CATEGORIES, Focus())
    assert not set(categories.graph.subjects(RDF.type, QB.Observation))


@pytest.mark.parametrize("view", ["overview", "provenance", "full"])
def test_a_view_of_every_figure_is_refused_beyond_a_page(synthetic_store, view):
    path, figures = synthetic_store
    with pytest.raises(BadInputError, match=f"would draw {figures:,} figures"):
        view_source(KnowledgeGraph(OxigraphStore.read_only(path)), view, Focus())


def test_viz_on_a_big_store_says_what_to_draw_instead(cli, synthetic_store, tmp_path):
    path, _figures = synthetic_store
    target = tmp_path / "all.svg"
    result = cli("viz", "-o", str(target), "--store", f"oxigraph:{path}")
    assert result.code == 2, result.err
    assert "--view city --city NAME" in result.err and result.err.count("\n") == 1
    assert not target.exists()


def _subjects(store: OxigraphStore, pattern: str) -> set:
    """The values of ?s in ``pattern``, asked of the store."""
    prefixes = f"PREFIX qb: <{QB}> PREFIX sdmx-dimension: <{SDMX_DIMENSION}>"
    return {row["s"] for row in store.select(f"{prefixes} SELECT DISTINCT ?s {{ {pattern} }}")}


def test_the_server_draws_its_view_pages_the_same_way(synthetic_store):
    """A page of one city or of the categories is served from a big store; a page of every
    figure is refused with the line that says what to draw instead."""
    from serving import serving

    path, figures = synthetic_store
    with (
        serving("--store", f"oxigraph:{path}", "--workers", "1") as served,
        served.client() as client,
    ):
        city = client.get("/ui/view", params={"view": "city", "city": "910100"})
        categories = client.get("/ui/view", params={"view": "categories"})
        overview = client.get("/ui/view", params={"view": "overview"})
    assert city.status_code == 200 and "<html" in city.text
    assert categories.status_code == 200
    assert overview.status_code == 400 and f"would draw {figures:,} figures" in overview.text
