"""Each rule, broken by a small data case: the whole report it must give.

In the style of the W3C SHACL test suite: one Turtle file per case in
tests/shapes/, holding the data and the author's intent (t:expect: the rule
and focus node that must fire), and tests/shapes/manifest.ttl holding each
case's whole expected report (focus, severity, component, source shape, path,
value), compared in full; messages are compared across engines by the parity
test.  Every case is validated together with tests/shapes/_base.ttl, in place
of graph/.  ``SEIKG_REGENERATE_CASES=1`` rewrites the manifest from the results.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from seikg.kg import KnowledgeGraph
from seikg.validation import Severity, validate

from case_manifest import expected_keys, report_keys, write_manifest
from test_parity import assert_parity

CASES = Path(__file__).parent / "shapes"
T = Namespace("https://w3id.org/sei-kg/test#")
CASE_FILES = sorted(
    p for p in CASES.glob("*.ttl") if not p.name.startswith("_") and p.name != "manifest.ttl"
)


def _expected(path: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]], bool]:
    graph = Graph().parse(path)
    case = T.case
    violations = {
        (str(graph.value(e, T.rule)), str(graph.value(e, T.focus)))
        for e in graph.objects(case, T.expect)
    }
    warnings = {
        (str(graph.value(e, T.rule)), str(graph.value(e, T.focus)))
        for e in graph.objects(case, T.warning)
    }
    conforms = graph.value(case, T.conforms)
    return (
        violations,
        warnings,
        bool(conforms.toPython()) if conforms is not None else not violations,
    )


REGENERATE = os.environ.get("SEIKG_REGENERATE_CASES") == "1"
_REPORTS: dict[str, object] = {}


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_rule_case(path, shared_server):
    expected, expected_warnings, conforms = _expected(path)
    kg = KnowledgeGraph.load([CASES / "_base.ttl", path])
    report = validate(kg, meta=False)
    got = report.broken()
    got_warnings = report.broken(Severity.WARNING)
    text = report.render()
    assert got == expected, text
    assert got_warnings == expected_warnings, text
    assert report.conforms is conforms, text
    assert_parity(kg, report, server=shared_server)
    if REGENERATE:
        _REPORTS[path.stem] = report
        if len(_REPORTS) == len(CASE_FILES):
            write_manifest(_REPORTS)  # type: ignore[arg-type]
        return
    expected_report = expected_keys(path.stem)
    assert expected_report is not None, f"{path.stem}: no entry in tests/shapes/manifest.ttl"
    assert report_keys(report) == expected_report, text


def test_every_data_rule_has_a_case():
    """Each named node shape of the data shapes is exercised by at least one case."""
    from seikg import resources
    from seikg.namespaces import SH

    shapes = Graph()
    for path in resources.shapes_files():
        shapes.parse(path)
    named = {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = set()
    for path in CASE_FILES:
        graph = Graph().parse(path)
        covered |= {
            str(graph.value(e, T.rule))
            for p in (T.expect, T.warning)
            for e in graph.objects(T.case, p)
        }
    mutation_covered = {  # exercised on the shipped graph by test_mutations.py
        "https://w3id.org/sei-kg/shapes#CategorySchemeShape",
        "https://w3id.org/sei-kg/shapes#CategoryShape",
        "https://w3id.org/sei-kg/shapes#ProvinceShape",
        "https://w3id.org/sei-kg/shapes#ObservationShape",
        "https://w3id.org/sei-kg/shapes#DerivedAreaShape",
        "https://w3id.org/sei-kg/shapes#DerivedPeriodShape",
        "https://w3id.org/sei-kg/shapes#DerivedQuantityShape",
    }
    missing = named - covered - mutation_covered
    assert not missing, sorted(missing)
