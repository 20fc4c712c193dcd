"""``load`` reads and checks every file as every other path does, on every store.

The same reader, the same input checks, the same strict parsing and the same
checks after parsing (ill-typed literals, RDF 1.2 triple terms, blank-node
depth), with the same message and exit code as the memory store gives; the
parsing runs in a worker process, whose native crash would be one line; and a
refused file leaves the store as it was.
"""

from __future__ import annotations

import json

import pytest
from test_literals import FORMATS

from conftest import run_cli

XSD = "http://www.w3.org/2001/XMLSchema#"

TRIPLE_TERMS = {
    "tt.nt": "<http://e/r> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n",
    "tt.nq": '<http://e/r> <http://e/p> <<( <http://e/a> <http://e/b> "c" )>> <http://e/g> .\n',
    "tt.trig": "<http://e/g> { <http://e/r> <http://e/p> <<( <http://e/a> <http://e/b> 1 )>> . }\n",
    "nested.ttl": "@prefix e: <http://e/> .\ne:r e:p <<( e:a e:b <<( e:x e:y e:z )>> )>> .\n",
    "annotation.ttl": "@prefix e: <http://e/> .\ne:a e:b e:c {| e:saidBy e:d |} .\n",
    "reifier.ttl": "@prefix e: <http://e/> .\ne:a e:b e:c ~ e:r1 {| e:saidBy e:d |} .\n",
}


@pytest.fixture(params=["oxigraph", "sparql"])
def store(request, tmp_path):
    if request.param == "oxigraph":
        return f"oxigraph:{tmp_path / 'store'}"
    return request.getfixturevalue("shared_server").store


def _on_stores(names: list[str], on_endpoint: set[str]) -> list[object]:
    """Every case on an Oxigraph store, some on an endpoint too (the same checks run for
    both, in the same worker, before either is touched)."""
    return [
        *(pytest.param(name, "oxigraph", id=f"{name}-oxigraph") for name in names),
        *(
            pytest.param(name, "sparql", id=f"{name}-sparql")
            for name in names
            if name in on_endpoint
        ),
    ]


def _count(store: str, request: pytest.FixtureRequest) -> int | None:
    if store.startswith("sparql:"):
        return int(request.getfixturevalue("shared_server").count())
    return None


def _same_as_memory(path, store, request) -> str:
    """Load ``path`` into ``store``; it must fail exactly as reading it into memory fails,
    and leave the store as it was.  Returns the message."""
    memory = run_cli("validate", str(path))
    before = _count(store, request)
    loaded = run_cli("load", "--store", store, "--no-shipped", str(path))
    assert memory.code in (2, 4), memory.err
    assert (loaded.code, loaded.err) == (memory.code, memory.err)
    assert _count(store, request) == before
    return loaded.err


@pytest.mark.parametrize(("extension", "store"), _on_stores(list(FORMATS), {"nt", "jsonld"}),
                         indirect=["store"])  # fmt: skip
def test_an_ill_typed_literal_is_refused_by_load_as_everywhere(extension, store, request, tmp_path):
    write, line = FORMATS[extension]
    path = tmp_path / f"facts.{extension}"
    path.write_text(write("abc", "integer"))
    message = _same_as_memory(path, store, request)
    assert f"facts.{extension}:{line}:" in message and "ill-typed literal" in message


@pytest.mark.parametrize(("name", "store"), _on_stores(list(TRIPLE_TERMS), {"tt.nq", "annotation.ttl"}),
                         indirect=["store"])  # fmt: skip
def test_a_triple_term_is_refused_by_load_with_its_position(name, store, request, tmp_path):
    path = tmp_path / name
    path.write_text(TRIPLE_TERMS[name])
    message = _same_as_memory(path, store, request)
    assert f"{name}:" in message and "RDF 1.2 triple terms" in message
    assert f"{path}: RDF" not in message  # with its line and column


def test_blank_nodes_nested_deeply_are_refused_by_load(store, request, tmp_path):
    path = tmp_path / "chain.nt"
    path.write_text("".join(f"_:n{i + 1} <http://e/p> _:n{i} .\n" for i in range(3000)))
    assert "blank nodes nested 3001 levels deep" in _same_as_memory(path, store, request)


def test_a_chain_of_index_term_definitions_is_refused_by_load(store, request, tmp_path):
    """20,000 definitions linked by @index segfaulted load (exit 139, no word)."""
    context = {
        f"t{i}": {"@id": f"http://e/p{i}", "@container": "@index", "@index": f"t{i + 1}"}
        for i in range(20_000)
    }
    path = tmp_path / "index.jsonld"
    path.write_text(json.dumps({"@context": context, "@id": "http://e/a", "t0": {"x": "v"}}))
    assert "@context term definitions chained" in _same_as_memory(path, store, request)


@pytest.mark.parametrize(
    "bad",
    [
        f'"abc"^^<{XSD}integer>',
        '"abc"^^<http://www.w3.org/2001/XMLSchema\\u0023integer>',  # the IRI written with an escape
        f'"abc" ^^ <{XSD}integer>',  # white space around ^^
        f'"2019-13-45"^^<{XSD}d\\u0061te>',
        "<<( <http://e/a> <http://e/b> <http://e/c> )>>",
    ],
)
def test_a_large_line_file_is_checked_as_it_is_parsed(bad, tmp_path):
    """Above the streaming size an N-Triples file goes to Oxigraph by path; it is checked by
    parsing it, not by matching patterns that a spelling can escape."""
    good = [f'<http://e/s{i}> <http://e/p> "v{i}" .\n' for i in range(30_000)]
    path = tmp_path / "big.nt"
    path.write_text(
        "".join([*good[:20_000], f"<http://e/x> <http://e/p> {bad} .\n", *good[20_000:]])
    )
    assert path.stat().st_size > (1 << 20)
    loaded = run_cli("load", "--store", f"oxigraph:{tmp_path / 'store'}", "--no-shipped", str(path))
    assert loaded.code == 2, loaded.err
    assert "big.nt:20001:27: " in loaded.err, loaded.err


def test_a_large_line_file_with_a_deep_blank_node_chain_is_refused(tmp_path):
    path = tmp_path / "chain.nt"
    path.write_text("".join(f"_:n{i + 1} <http://e/p> _:n{i} .\n" for i in range(40_000)))
    assert path.stat().st_size > (1 << 20)
    loaded = run_cli("load", "--store", f"oxigraph:{tmp_path / 'store'}", "--no-shipped", str(path))
    assert loaded.code == 4, loaded.err
    assert "blank nodes nested 40001 levels deep" in loaded.err
