"""The validation report: typed results, and their renderings as text, JSON and a SHACL graph.

Every engine (pyshacl on the memory store, the shapes translated to SPARQL on
the other stores) produces the same :class:`ValidationReport`, built in one
place (:mod:`seikg.validation.build`); the renderings below depend on the
report alone, so the same data gives the same bytes whatever ran the rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from seikg.namespaces import SH
from seikg.sparql.writers import short_text


class Severity(StrEnum):
    """SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | str | None) -> Severity:
        """Map ``sh:Violation`` / ``sh:Warning`` / ``sh:Info`` to a severity.

        >>> Severity.from_iri(SH.Warning)
        <Severity.WARNING: 'Warning'>
        """
        if iri is not None and str(iri) == str(SH.Warning):
            return cls.WARNING
        if iri is not None and str(iri) == str(SH.Info):
            return cls.INFO
        return cls.VIOLATION

    @property
    def iri(self) -> URIRef:
        """The SHACL IRI of the severity."""
        return SH[self.value]


class ReportFormat(StrEnum):
    """Output formats of a validation report."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


@dataclass(frozen=True)
class Figure:
    """A figure (observation) or a sourced claim named in a result, described for a reader."""

    iri: str
    identifier: str | None
    what: str
    value: str
    unit: str
    source: str

    def line(self) -> str:
        """One line: what the figure is, its value and unit, and its source."""
        ident = f"[{self.identifier}] " if self.identifier else ""
        amount = f"{self.value} {self.unit}".strip()
        return f"{ident}{self.what}: {amount} (source: {self.source})"


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result, with the figures it involves.

    The string fields name things as the report writes them: IRIs in full,
    blank-node shapes by a label that depends only on the shapes, values by
    their text.  ``focus_term`` and ``value_term`` keep the RDF terms.
    """

    severity: Severity
    focus_node: str
    rule_id: str
    source_shape: str
    constraint_component: str
    rule: str
    message: str
    path: str | None = None
    value: str | None = None
    checked: str = "data"
    figures: tuple[Figure, ...] = ()
    message_zh: str | None = field(default=None, compare=False)
    focus_term: Node | None = field(default=None, compare=False, repr=False)
    value_term: Node | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        """Return the result as plain data (for JSON)."""
        return {
            "severity": self.severity.value,
            "rule": self.rule,
            "rule_id": self.rule_id,
            "shape": self.source_shape,
            "constraint_component": self.constraint_component,
            "focus_node": self.focus_node,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "checked": self.checked,
            "figures": [f.__dict__ for f in self.figures],
        }

    def sort_key(self) -> tuple[str, ...]:
        """The order results are listed in: by rule, focus node, value and message."""
        return (self.rule_id, self.focus_node, self.value or "", self.message, self.source_shape,
                self.constraint_component, self.path or "", self.checked)  # fmt: skip


@dataclass
class ValidationReport:
    """The outcome of validating the knowledge graph."""

    results: list[ValidationResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no result is a violation."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def broken(self, severity: Severity | None = None) -> set[tuple[str, str]]:
        """The (rule, focus node) pairs of the results of one severity (violations by default).

        >>> ValidationReport().broken()
        set()
        """
        wanted = severity or Severity.VIOLATION
        return {(r.rule_id, r.focus_node) for r in self.results if r.severity is wanted}

    def by_rule(self) -> dict[str, list[ValidationResult]]:
        """Group results by the rule (shape) they break, in a stable order."""
        groups: dict[str, list[ValidationResult]] = defaultdict(list)
        for result in sorted(self.results, key=ValidationResult.sort_key):
            groups[result.rule_id].append(result)
        return dict(groups)

    def summary(self) -> str:
        """One line: conforms or not, and how many results of each severity.

        >>> ValidationReport().summary()
        'Conforms: every rule holds.'
        """
        counts = {s: sum(1 for r in self.results if r.severity is s) for s in Severity}
        rules = len(self.by_rule())
        if self.conforms and not self.results:
            return "Conforms: every rule holds."
        parts = [f"{n} {s.value.lower()}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
        verdict = "Conforms" if self.conforms else "Does not conform"
        return f"{verdict}: {', '.join(parts)} of {rules} rule{'s' if rules != 1 else ''}."

    @property
    def report_graph(self) -> Graph:
        """The report as a SHACL validation report graph (``sh:ValidationReport``)."""
        return report_graph(self)

    def render(self, fmt: ReportFormat = ReportFormat.TEXT) -> str:
        """Write the report as text for people, JSON, or the SHACL report graph in Turtle."""
        if fmt is ReportFormat.TURTLE:
            from seikg.formats import RdfFormat
            from seikg.rdf.export import serialize

            return serialize(report_graph(self), RdfFormat.TURTLE).decode("utf-8")
        if fmt is ReportFormat.JSON:
            doc = {
                "conforms": self.conforms,
                "summary": self.summary(),
                "results": [
                    r.as_dict() for r in sorted(self.results, key=ValidationResult.sort_key)
                ],
            }
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        return render_text(self)


def render_text(report: ValidationReport) -> str:
    """The report for people: results grouped by rule, each with the figures involved
    (text from the data shown, never obeyed: see :func:`seikg.terminal.shown`)."""
    from seikg.terminal import shown

    return shown(_text(report))


def _text(report: ValidationReport) -> str:
    lines: list[str] = []
    for rule_id, results in report.by_rule().items():
        first = results[0]
        lines.append(f"{first.severity.value.upper()}: {first.rule}")
        lines.append(f"  rule {_short(rule_id)} ({_short(first.constraint_component)})")
        merged: dict[tuple[str, str], list[ValidationResult]] = defaultdict(list)
        for result in results:
            merged[(result.focus_node, result.message)].append(result)
        for (focus, message), same in merged.items():
            lines.append(f"  - {message}")
            figures = _unique_figures(f for r in same for f in r.figures)
            for figure in figures:
                lines.append(f"      {figure.line()}")
            if not figures:
                where = ("" if same[0].checked == "data" else f"the {same[0].checked}: ") + _short(
                    focus
                )
                if same[0].path:
                    where += f", property {_short(same[0].path)}"
                lines.append(f"      at {where}")
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def _short(name: str) -> str:
    if name.startswith("^"):  # an inverse path
        return "^" + _short(name[1:])
    return short_text(URIRef(name)) if name.startswith(("http:", "https:", "urn:")) else name


def _unique_figures(figures: Iterable[Figure]) -> list[Figure]:
    seen: dict[str, Figure] = {}
    for figure in figures:
        seen.setdefault(figure.iri, figure)
    return list(seen.values())


def _named(name: str) -> Node:
    return BNode(name[2:]) if name.startswith("_:") else URIRef(name)


def report_graph(report: ValidationReport) -> Graph:
    """Build the SHACL report graph of a report: one ``sh:ValidationResult`` per result.

    >>> len(report_graph(ValidationReport()))
    2
    """
    from seikg.rdf.bnodes import _digest

    graph = Graph()
    root = BNode("report")
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for result in sorted(set(report.results), key=ValidationResult.sort_key):
        node = BNode("r" + _digest(*result.sort_key())[:24])
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, result.severity.iri))
        focus = result.focus_term if result.focus_term is not None else _named(result.focus_node)
        graph.add((node, SH.focusNode, focus))
        graph.add((node, SH.sourceShape, _named(result.source_shape)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(result.constraint_component)))
        if result.path and result.path.startswith("^"):
            inverse = BNode("p" + _digest(result.path)[:24])
            graph.add((node, SH.resultPath, inverse))
            graph.add((inverse, SH.inversePath, URIRef(result.path[1:])))
        elif result.path:
            graph.add((node, SH.resultPath, _named(result.path)))
        if result.value_term is not None:
            graph.add((node, SH.value, result.value_term))
        graph.add((node, SH.resultMessage, Literal(result.message, lang="en")))
        if result.message_zh:
            graph.add((node, SH.resultMessage, Literal(result.message_zh, lang="zh")))
    return graph
