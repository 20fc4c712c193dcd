"""The one report builder: what an engine found, explained the same way whatever the engine.

An engine (pyshacl, or the shapes' SPARQL on a store) hands over
:class:`Finding` objects: the focus node, the shape and constraint component,
severity, path, value and the filled-in messages, as RDF terms.  This module
turns them into :class:`~seikg.validation.report.ValidationResult` objects:
it names shapes and rules from the shapes graph, and describes the figures
involved from the triples the store gives back for them (one query, the same
on every store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg.validation.figures import describe_figures
from seikg.validation.report import Severity, ValidationReport, ValidationResult
from seikg.validation.rules import ShapeNames, pick_chinese, pick_english

Describe = Callable[[Sequence[URIRef]], Graph]
"""Given some resources, the graph of the triples around them (see figures.CONTEXT_QUERY)."""


@dataclass(frozen=True)
class Finding:
    """One result as an engine found it, before it is explained."""

    severity: Node
    focus: Node
    source_shape: Node
    component: Node
    path: Node | None
    value: Node | None
    messages: tuple[Node, ...]


def build_results(
    findings: Iterable[Finding],
    *,
    shapes: Graph,
    describe: Describe | None,
    checked: str = "data",
) -> list[ValidationResult]:
    """Explain findings of one shapes graph; ``describe`` fetches the triples around figures
    (``None``: results name no figures, as for the ontology's own checks)."""
    unique = list(dict.fromkeys(findings))
    names = ShapeNames(shapes)
    involved = sorted(
        {n for f in unique for n in (f.focus, f.value) if isinstance(n, URIRef)}, key=str
    )
    context = describe(involved) if describe is not None and involved else Graph()
    results = []
    for finding in unique:
        rule = names.rule_of(finding.source_shape)
        message = pick_english(list(finding.messages)) or "(no message)"
        results.append(
            ValidationResult(
                severity=Severity.from_iri(finding.severity),
                focus_node=names.name(finding.focus),
                rule_id=names.name(rule),
                source_shape=names.name(finding.source_shape),
                constraint_component=names.name(finding.component),
                rule=names.rule_label(rule) or message,
                message=message,
                path=names.path(finding.path),
                value=_value_text(finding.value, names),
                checked=checked,
                figures=describe_figures(context, [finding.focus, finding.value]),
                message_zh=pick_chinese(list(finding.messages)),
                focus_term=finding.focus,
                value_term=finding.value,
            )
        )
    return sorted(set(results), key=ValidationResult.sort_key)


def _value_text(value: Node | None, names: ShapeNames) -> str | None:
    from rdflib import Literal

    from seikg.sparql.numbers import format_number

    if value is None:
        return None
    if isinstance(value, Literal):
        return format_number(value)
    return names.name(value)


def build_report(*parts: list[ValidationResult]) -> ValidationReport:
    """One report of the results of several shapes graphs (the data's, the ontology's)."""
    results: list[ValidationResult] = []
    for part in parts:
        results.extend(part)
    return ValidationReport(sorted(set(results), key=ValidationResult.sort_key))
