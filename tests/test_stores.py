"""The Oxigraph store from the command line, the synthetic data set and its ground truth."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from seikg.bench.synthetic import generate
from seikg.kg import KnowledgeGraph
from seikg.namespaces import SEI
from seikg.stores import OxigraphStore
from seikg.validation import validate

from conftest import ROOT, character_device
from facts import CENSUS, DERIVED, FIGURES


@pytest.fixture
def store(cli, tmp_path):
    location = tmp_path / "kg"
    result = cli("load", "--store", f"oxigraph:{location}")
    assert result.code == 0, result.err
    return f"oxigraph:{location}"


def test_commands_on_the_oxigraph_store(cli, store):
    assert cli("validate", "--store", store).code == 0
    memory = cli("query", "share-by-year", "--format", "csv")
    on_store = cli("query", "share-by-year", "--format", "csv", "--store", store)
    assert on_store.code == 0 and on_store.out == memory.out
    param = cli("query", "figures", "--format", "csv", "--store", store, "-p", "city=青岛")
    assert param.code == 0 and "31.8" in param.out
    stats = json.loads(cli("stats", "--json", "--store", store).out)
    assert stats["counts"]["observations"] == len(FIGURES) + len(DERIVED) + len(CENSUS)
    exported = cli("export", "--format", "nt", "--store", store)
    assert exported.code == 0
    assert len(Graph().parse(data=exported.out, format="nt")) == len(KnowledgeGraph.load().graph)
    assert (
        cli("query", str(ROOT / "tests" / "corpus" / "insert-data.rq"), "--store", store).code == 3
    )


def test_store_is_reopened_without_reloading(cli, store):
    location = store.split(":", 1)[1]
    first = len(OxigraphStore(location))
    assert first > 1000
    assert len(OxigraphStore(location)) == first


def test_a_broken_fact_loaded_into_the_store_is_reported(cli, tmp_path):
    broken = tmp_path / "facts.ttl"
    text = (
        (ROOT / "graph" / "qingdao-2019.ttl")
        .read_text()
        .replace('"3.1"^^xsd:decimal', '"3.5"^^xsd:decimal')
    )
    broken.write_text(text)
    location = tmp_path / "kg"
    others = [
        str(ROOT / "graph" / n) for n in ("places.ttl", "sources.ttl", "exchange-rate-bands.ttl")
    ]
    assert cli("load", *others, str(broken), "--store", f"oxigraph:{location}").code == 0
    result = cli("validate", "--store", f"oxigraph:{location}")
    assert result.code == 1
    assert "A stated change between two years equals the difference" in result.out
    assert "[F2] Qingdao · 2019" in result.out and "paragraph 2" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--store", "postgres:x"], "unknown store"),
        (["validate", "--store", "oxigraph:/nonexistent/store"], "no Oxigraph store here"),
        (["load", "--store", "memory"], "fills a store"),
        (["stats", "--store", "oxigraph:{tmp}", "--data", "x.ttl"], "need the memory store"),
    ],
)
def test_store_bad_input(cli, tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = cli(*args)
    assert result.code == 2 and message in result.err


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    "args",
    [
        ["stats"],
        ["load"],
        ["validate"],
        ["query", "share-by-year"],
        ["export", "--format", "nt"],
    ],
)
def test_another_programs_rocksdb_is_refused_untouched(cli, tmp_path, args):
    """A RocksDB database made by another program (rocksdict: another comparator, no
    Oxigraph column families) is told apart from its files before RocksDB opens it,
    which would write its logs into it and fail with RocksDB's own error."""
    folder = tmp_path / "otherdb"
    shutil.copytree(ROOT / "tests" / "stores" / "foreign-rocksdb", folder)
    before = _files(folder)
    result = cli(*args, "--store", f"oxigraph:{folder}")
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and "is not an Oxigraph store" in result.err
    assert _files(folder) == before


def test_an_oxigraph_store_is_known_by_its_files(tmp_path):
    from seikg.stores.oxigraph import _is_oxigraph_folder

    store = OxigraphStore(tmp_path / "kg")
    store.load([ROOT / "graph" / "places.ttl"], with_ontology=False)
    del store
    assert _is_oxigraph_folder(tmp_path / "kg")
    assert not _is_oxigraph_folder(ROOT / "tests" / "stores" / "foreign-rocksdb")


@pytest.mark.slow
def test_synthetic_data_ground_truth_found_exactly_by_both_engines(tmp_path):
    data = tmp_path / "synthetic.nt"
    made = generate(data, cities=6, years=3, seed=11, error_rate=0.5)
    truth = {(i["rule"], i["focus"]) for i in made.injected}
    assert len(truth) >= 5 and len({i["kind"] for i in made.injected}) >= 4
    kg = KnowledgeGraph.load([data])
    assert validate(kg, meta=False).broken() == truth
    store = OxigraphStore(tmp_path / "store")
    store.load([data])
    assert store.validate(meta=False).broken() == truth


def test_synthetic_data_is_marked_and_never_shipped(tmp_path):
    data = tmp_path / "synthetic.nt"
    generate(data, cities=2, years=2, seed=1, error_rate=0)
    graph = Graph().parse(data, format="nt")
    typed = set(graph.subjects(RDF.type, SEI.Synthetic))
    described = {
        s for s in graph.subjects() if isinstance(s, URIRef) and (s, RDF.type, None) in graph
    }
    assert described <= typed
    assert not any("synthetic" in p.read_text().lower() for p in (ROOT / "graph").glob("*.ttl"))


def test_bench_generate_command(cli, tmp_path):
    target = tmp_path / "syn.nt"
    result = cli(
        "bench", "generate", "--cities", "3", "--years", "2", "--error-rate", "1", "-o", str(target)
    )
    assert result.code == 0 and "injected inconsistencies" in result.out
    truth = json.loads((tmp_path / "syn.nt.truth.json").read_text())
    assert truth["triples"] > 1000 and len(truth["injected"]) >= 6


@pytest.mark.parametrize("truth", ["folder", "hard link", "dangling link", "full device"])
@pytest.mark.parametrize("existing", [False, True])
def test_bench_generate_writes_both_files_or_neither(cli, tmp_path, truth, existing):
    """A ground-truth file the writer refuses is found before the data file is written: a
    new data file is not made, an old one is left as it was, and nothing else is left."""
    target = tmp_path / "syn.nt"
    if existing:
        target.write_bytes(b"the old data\n")
    place = tmp_path / "syn.nt.truth.json"
    if truth == "folder":
        place.mkdir()
    elif truth == "hard link":
        (tmp_path / "other").write_text("{}\n")
        os.link(tmp_path / "other", place)
    elif truth == "dangling link":
        place.symlink_to(tmp_path / "missing" / "truth.json")
    else:
        place.symlink_to(character_device(tmp_path, "full", 1, 7))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("bench", "generate", "--cities", "1", "--years", "1", "-o", str(target))
    assert result.code == 2, result.err
    assert result.err.count("\n") == 1 and "syn.nt.truth.json" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if existing:
        assert target.read_bytes() == b"the old data\n"


def test_files_written_together_are_put_back_when_one_cannot_be_renamed(tmp_path, monkeypatch):
    from seikg.errors import BadInputError
    from seikg.rdf.write import open_outputs

    first, second = tmp_path / "a.nt", tmp_path / "a.nt.truth.json"
    first.write_bytes(b"old a")
    replace = os.replace

    def fail_second(source, target):  # the data file is renamed, then the truth fails
        if target == second:
            raise OSError(28, "No space left on device")
        return replace(source, target)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(BadInputError, match="no space left"), open_outputs(first, second) as outs:
        outs[0].write(b"new a")
        outs[1].write(b"new b")
    assert first.read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nt"]


def _big_ntriples(path, *, last_line: bytes) -> None:
    """An N-Triples file over the size that goes to Oxigraph by path, with a chosen last line."""
    line = b'<http://example.org/s> <http://example.org/p> "%d" .\n'
    with path.open("wb") as out:
        out.write(b"".join(line % i for i in range(40_000)))
        out.write(last_line)
    assert path.stat().st_size > (1 << 20)


@pytest.mark.parametrize(
    ("last_line", "message"),
    [
        (b'<http://example.org/s> <http://example.org/p> "x\xffy" .\n', "not UTF-8 text"),
        (b"<http://example.org/s> <http://example.org/p> .\n", "syntax error"),
    ],
)
def test_a_bad_file_leaves_a_new_store_empty(cli, tmp_path, last_line, message):
    data = tmp_path / "big.nt"
    _big_ntriples(data, last_line=last_line)
    location = tmp_path / "kg"
    result = cli("load", str(data), "--store", f"oxigraph:{location}")
    assert result.code == 2, result.err
    assert "big.nt:40001:" in result.err and message in result.err
    assert "Traceback" not in result.err
    assert len(OxigraphStore(location)) == 0


def test_a_bad_file_leaves_a_filled_store_as_it_was(cli, store, tmp_path):
    location = store.split(":", 1)[1]
    before = len(OxigraphStore(location))
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    _big_ntriples(good, last_line=b"")
    _big_ntriples(bad, last_line=b"<http://example.org/s> <http://example.org/p> .\n")
    result = cli("load", str(good), str(bad), "--store", store)
    assert result.code == 2 and "bad.nt:40001:" in result.err
    assert len(OxigraphStore(location)) == before


def test_a_store_whose_load_did_not_finish_is_refused_however_it_is_opened(cli, store):
    """What a kill -9 during a load leaves: the record says the store is loading.  The
    commands, a read-only opening (as the server's workers open it) and the server itself
    refuse it with one line (exit 6); nothing serves or validates half a load."""
    import subprocess

    from seikg.errors import StoreError

    location = store.removeprefix("oxigraph:")
    (Path(location) / "seikg-store.json").write_text('{"state": "loading"}\n')
    for args in (["query", "figures"], ["validate"], ["stats"]):
        result = cli(*args, "--store", store)
        assert result.code == 6 and "did not finish" in result.err, (args, result.err)
    with pytest.raises(StoreError, match="did not finish"):
        OxigraphStore.read_only(location)
    served = subprocess.run(
        [sys.executable, "-c", "from seikg.cli import main; main()", "serve", "--store", store,
         "--port", "0"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert served.returncode == 6, served.stderr
    assert served.stderr.count("\n") == 1 and "did not finish" in served.stderr
