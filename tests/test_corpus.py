"""The bad-input corpus: every case ends with its exit code and message, within its time
bound, without a traceback, and a loopback listener sees no connection at all."""

from __future__ import annotations

import json
import os
import re
import time
import tomllib
from pathlib import Path

import pytest

from conftest import character_device, fifo, run_cli

CORPUS = Path(__file__).parent / "corpus"
CASES = tomllib.loads((CORPUS / "manifest.toml").read_text())["case"]


def _setup(name: str, work: Path) -> None:
    if name == "big-file":
        line = b'<http://example.org/s> <http://example.org/p> "' + b"x" * 100 + b'" .\n'
        (work / "big.ttl").write_bytes(line * 21_000)
    elif name == "deep-turtle":
        (work / "deep.ttl").write_text(
            "<http://e/a> <http://e/b> " + "(" * 5000 + ")" * 5000 + " .\n"
        )
    elif name == "deep-jsonld":
        (work / "deep.jsonld").write_text(
            '{"@id": "http://e/a", "http://e/b": ' + "[" * 5000 + "]" * 5000 + "}\n"
        )
    elif name == "deep-ntriples":
        lines = [f"_:b{i} <http://e/next> _:b{i + 1} .\n" for i in range(500)]
        (work / "deep.nt").write_text("<http://e/a> <http://e/next> _:b0 .\n" + "".join(lines))
    elif name == "blank-node-cycles":  # five 3-cycles and eight 2-cycles: minutes unchecked
        lines = [
            f"_:s{size}c{k}x{i} <http://example.org/p> _:s{size}c{k}x{(i + 1) % size} .\n"
            for size, count in ((3, 5), (2, 8))
            for k in range(count)
            for i in range(size)
        ]
        (work / "cycles.nt").write_text("".join(lines))
    elif name == "deep-query":
        (work / "deep.rq").write_text(
            "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000 + "\n"
        )
    elif name == "dangling-link":
        (work / "dangling.ttl").symlink_to(work / "nowhere" / "target.ttl")
    else:
        _setup_more(name, work)


def _setup_more(name: str, work: Path) -> None:
    if name == "long-name":
        (work / "long-name").symlink_to(work / ("x" * 300))  # a name no folder can hold
    elif name == "devices":
        character_device(work, "null", 1, 3)
        character_device(work, "full", 1, 7)
    elif name == "hard-link":
        (work / "linked.ttl").write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
        os.link(work / "linked.ttl", work / "other-name.ttl")
    elif name == "specials":
        fifo(work, "fifo.ttl")
        fifo(work, "fifo.rq")
        fifo(work, "fifo.csv")
        character_device(work, "zero.ttl", 1, 5)
        character_device(work, "zero.csv", 1, 5)
        (work / "link-to-zero.nt").symlink_to(work / "zero.ttl")
        (work / "folder.ttl").mkdir()
    elif name == "big-integer":
        (work / "big-integer.ttl").write_text("<http://e/a> <http://e/p> " + "7" * 5000 + " .\n")
    elif name == "less-than-depth":
        depth = "(" * 100 + "1" + ")" * 100
        (work / "less-than.rq").write_text(
            f"SELECT * WHERE {{ ?a ?p ?b FILTER(?a < {depth} > ?b) }}\n"
        )
    elif name == "less-than-iri":  # a valid IRIREF to a tokenizer, less-than to the engines
        (work / "less-than-iri.rq").write_text(
            "SELECT * WHERE { ?a ?p ?b FILTER(?a <" + "(" * 1_000_000 + "1>?b) }\n"
        )
    elif name == "carriage-return":  # rdflib reads the comment on, Oxigraph stops at \r
        (work / "carriage-return.rq").write_bytes(
            b"SELECT * WHERE { ?s ?p ?o # a comment\r SERVICE <http://127.0.0.1:9/sparql> "
            b"{ ?a ?b ?c }\n}\n"
        )
    elif name == "unary-chain":
        (work / "unary.rq").write_text(
            "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 100_000 + "?o) }\n"
        )
    elif name == "operator-chain":
        (work / "chain.rq").write_text(
            "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 100_000) + ") }\n"
        )
    elif name == "bind-chain":
        binds = "\n".join(f"  BIND(1 AS ?b{k})" for k in range(20_000))
        (work / "binds.rq").write_text(f"SELECT * WHERE {{ ?s ?p ?o\n{binds}\n}}\n")
    elif name == "jsonld-chain":  # some 240 kB: segfaulted the JSON-LD processor unchecked
        context = {f"t{i}": f"t{i + 1}:x" for i in range(12_000)}
        context["t12000"] = "http://example.org/"
        doc = {"@context": context, "@id": "http://example.org/a", "t0": "v"}
        (work / "chain.jsonld").write_text(json.dumps(doc))
    elif name == "jsonld-index-chain":  # some 1.3 MB: segfaulted load (exit 139) unchecked
        context = {
            f"t{i}": {
                "@id": f"http://example.org/p{i}",
                "@container": "@index",
                "@index": f"t{i + 1}",
            }
            for i in range(20_000)
        }
        doc = {"@context": context, "@id": "http://example.org/a", "t0": {"x": "v"}}
        (work / "index.jsonld").write_text(json.dumps(doc))
    elif name == "deep-xml":  # took minutes unchecked (time grows with the depth squared)
        levels = 200_000
        (work / "deep.rdf").write_text(
            '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns:e="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
            + "<e:p><rdf:Description>" * levels
            + "</rdf:Description></e:p>" * levels
            + "</rdf:Description></rdf:RDF>\n"
        )
    else:
        raise AssertionError(f"unknown setup {name}")


@pytest.fixture(scope="module")
def work(tmp_path_factory, canary):
    folder = tmp_path_factory.mktemp("corpus")
    for template in CORPUS.glob("*.in"):
        text = template.read_text().replace("{port}", str(canary.port))
        (folder / template.name.removesuffix(".in")).write_text(text)
    return folder


def _run_case(case, work, canary, tmp_path, extra=()):
    scratch = tmp_path / "w"
    scratch.mkdir()
    for item in work.iterdir():
        (scratch / item.name).write_bytes(item.read_bytes())
    if "setup" in case:
        _setup(case["setup"], scratch)
    args = [
        a.replace("{corpus}", str(CORPUS))
        .replace("{work}", str(scratch))
        .replace("{port}", str(canary.port))
        for a in case["args"]
    ]
    start = time.monotonic()
    result = run_cli(*args, *extra)
    elapsed = time.monotonic() - start
    assert result.code == case["exit"], result.err
    assert "Traceback" not in result.err
    assert elapsed < case.get("seconds", 60), f"took {elapsed:.1f} s"  # ends: never hangs
    assert canary.connections == 0, "a connection reached the loopback listener"
    return result


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_corpus_case(case, work, canary, tmp_path):
    result = _run_case(case, work, canary, tmp_path)
    assert re.search(case["stderr"], result.err), result.err
    if "stdout" in case:
        assert re.search(case["stdout"], result.out), result.out


QUERY_CASES = [c for c in CASES if "query" in c["args"][:3]]


@pytest.mark.parametrize("case", QUERY_CASES, ids=[c["name"] for c in QUERY_CASES])
def test_corpus_query_case_on_the_oxigraph_store(case, work, canary, tmp_path, oxigraph_store):
    """Queries on a store are refused and limited exactly as on the memory store, and
    answer alike."""
    result = _run_case(case, work, canary, tmp_path, extra=("--store", oxigraph_store))
    assert re.search(case["stderr"], result.err), result.err
    if "stdout" in case:
        assert re.search(case["stdout"], result.out), result.out


def test_manifest_names_every_corpus_file():
    used = " ".join(" ".join(c["args"]) for c in CASES)
    for path in CORPUS.iterdir():
        if path.name == "manifest.toml":
            continue
        assert path.name.removesuffix(".in") in used, path.name


def test_audit_hook_stops_rdflib_service_even_without_the_query_check(canary):
    """Defence in depth: rdflib itself would run SERVICE; inside no_network it cannot connect."""
    from rdflib import Graph

    from seikg.errors import PolicyError
    from seikg.guard import no_network

    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/sparql> {{ ?s ?p ?o }} }}"
    with no_network(), pytest.raises((PolicyError, Exception)) as info:
        list(Graph().query(query))
    assert "network access refused" in str(info.value) or isinstance(info.value, PolicyError)
    assert canary.connections == 0
