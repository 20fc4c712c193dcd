"""Each rule, broken by a small data case: the rule that fires and its focus node.

In the style of the W3C SHACL test suite: one Turtle file per case in
tests/shapes/, holding the data and the expected results (t:expect), compared
on rule (the named shape) and focus node, never on message text.  Every case
is validated together with tests/shapes/_base.ttl, in place of graph/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from seikg.kg import KnowledgeGraph
from seikg.validation import Severity, validate

from test_parity import assert_parity

CASES = Path(__file__).parent / "shapes"
T = Namespace("https://w3id.org/sei-kg/test#")
CASE_FILES = sorted(p for p in CASES.glob("*.ttl") if not p.name.startswith("_"))


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


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_rule_case(path):
    expected, expected_warnings, conforms = _expected(path)
    kg = KnowledgeGraph.load([CASES / "_base.ttl", path])
    report = validate(kg, meta=False)
    got = report.broken()
    got_warnings = report.broken(Severity.WARNING)
    text = report.render()
    assert got == expected, text
    assert got_warnings == expected_warnings, text
    assert report.conforms is conforms, text
    assert_parity(kg, report)


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
