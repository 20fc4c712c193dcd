"""The synthetic county-level data set: made-up figures about the real county-level divisions
of the skeleton, marked synthetic, with a ground truth that validation finds exactly."""

from __future__ import annotations

import hashlib
import json
import sys

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from seikg import resources
from seikg.bench.synthetic import KINDS, generate_counties
from seikg.kg import KnowledgeGraph
from seikg.namespaces import SDMX_DIMENSION, SEI
from seikg.validation import validate

from conftest import ROOT

SKELETON = ROOT / "graph" / "reference" / "divisions.ttl"


@pytest.fixture(scope="module")
def skeleton() -> Graph:
    return Graph().parse(SKELETON)


def _current_counties(skeleton: Graph) -> set[URIRef]:
    return {
        d
        for d in skeleton.subjects(RDF.type, SEI.CountyLevelDivision)
        if isinstance(d, URIRef) and (d, DCTERMS.isReplacedBy, None) not in skeleton
    }


def _fingerprint(folder) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_areas_are_real_county_level_divisions_named_not_copied(tmp_path, skeleton):
    data = tmp_path / "county.nt"
    made = generate_counties(data, divisions=40, years=2, seed=3, error_rate=0.5)
    graph = Graph().parse(data, format="nt")
    assert len(graph) == made.triples
    areas = set(graph.objects(None, SDMX_DIMENSION.refArea))
    counties = _current_counties(skeleton)
    assert len(counties) == 2847
    assert len(areas) == 40 and areas <= counties
    assert set(graph.objects(None, SEI.comparedArea)) <= counties
    # spread over the country, not the first 40 codes (which are all in Beijing)
    assert len({str(a).rsplit("/", 1)[1][:2] for a in areas}) >= 20
    # the skeleton's triples are not repeated: no generated triple is about a division
    assert not set(graph.subjects()) & set(skeleton.subjects())
    assert (None, SEI.divisionCode, None) not in graph


def test_every_generated_resource_is_synthetic_and_graph_is_untouched(tmp_path):
    before = _fingerprint(ROOT / "graph")
    data = tmp_path / "county.nt"
    generate_counties(data, divisions=5, years=2, seed=1, error_rate=1)
    graph = Graph().parse(data, format="nt")
    assert set(graph.subjects()) == set(graph.subjects(RDF.type, SEI.Synthetic))
    assert _fingerprint(ROOT / "graph") == before
    shipped = [*(ROOT / "graph").rglob("*.ttl")]
    assert not any("synthetic" in p.read_text().lower() for p in shipped)


def test_deterministic_for_a_seed(tmp_path):
    paths = [tmp_path / name for name in ("a.nt", "b.nt", "c.nt")]
    for path, seed in zip(paths, (4, 4, 5), strict=True):
        generate_counties(path, divisions=6, years=3, seed=seed, error_rate=0.3)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_truth_is_what_validation_finds_on_an_oxigraph_store(cli, tmp_path):
    """Generated, loaded next to the skeleton and the shipped graph with the documented
    commands, validated on the store: the violations are the injected ones, no more; the
    place rules hold on the skeleton with the synthetic figures."""
    data = tmp_path / "county.nt"
    made = cli(
        "bench", "generate", "--level", "county", "--places", "12", "--years", "3",
        "--seed", "11", "--error-rate", "0.5", "-o", str(data),
    )  # fmt: skip
    assert made.code == 0, made.err
    truth = json.loads((tmp_path / "county.nt.truth.json").read_text())
    expected = {(i["rule"], i["focus"]) for i in truth["injected"]}
    assert len(expected) >= 10 and len({i["kind"] for i in truth["injected"]}) >= 4
    assert {i["kind"] for i in truth["injected"]} <= set(KINDS)
    store = f"oxigraph:{tmp_path / 'kg'}"
    loaded = cli("load", str(data), "--shipped", "--with", "divisions", "--store", store)
    assert loaded.code == 0, loaded.err
    checked = cli("validate", "--store", store, "--format", "json")
    assert checked.code == 1, checked.err
    results = json.loads(checked.out)["results"]
    found = {(r["rule_id"], r["focus_node"]) for r in results if r["severity"] == "Violation"}
    assert found == expected, checked.out


def test_the_county_level_refuses_without_the_skeleton(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "reference_files", lambda: {})
    target = tmp_path / "county.nt"
    result = cli("bench", "generate", "--level", "county", "--years", "2", "-o", str(target))
    assert result.code == 2
    assert result.err.count("\n") == 1 and "skeleton of divisions" in result.err
    assert not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "county", "--places", "2848"], "1 to 2847"),
        (["--level", "city", "--places", "883"], "1 to 882"),
        (["--level", "city"], "needs --places"),
    ],
)
def test_bad_numbers_of_places(cli, tmp_path, args, message):
    result = cli("bench", "generate", *args, "--years", "2", "-o", str(tmp_path / "x.nt"))
    assert result.code == 2 and message in result.err


def test_help_names_both_levels(cli):
    result = cli("bench", "generate", "--help")
    assert "--level [city|county]" in result.out and "--places, --cities" in result.out


@pytest.mark.slow
def test_truth_is_what_pyshacl_finds_on_the_memory_store(tmp_path):
    """The same on the memory store, with the skeleton and the shipped graph (pyshacl: slow)."""
    data = tmp_path / "county.nt"
    made = generate_counties(data, divisions=3, years=2, seed=2, error_rate=1)
    kg = KnowledgeGraph.load([*resources.graph_files(), SKELETON, data])
    assert validate(kg, meta=False).broken() == {(i["rule"], i["focus"]) for i in made.injected}


@pytest.mark.slow
def test_benchmark_county_smoke():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_scale
    import peers

    # The peers read the size's several files (the shipped graph and the skeleton too).
    result = bench_scale.one_size(
        "county-smoke", peers=peers.Options(("sei-kg", "bare", "topbraid"), runs=1)
    )
    assert result["level"] == "county" and result["injected"] > 0
    assert result["found exactly the injected"] is True
    assert result["store triples"] > result["data triples"] + 23_000  # with the skeleton
    for label, entry in result["peers"].items():
        if label in ("limits", "ratios") or entry["status"].startswith("not installed here"):
            continue
        assert entry["status"] == "ran", (label, entry)
        assert entry["found exactly the injected"] is True, (label, entry)
