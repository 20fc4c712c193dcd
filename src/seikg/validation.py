"""Consistency checking with pyshacl, and reports a person can act on.

The data shapes (``ontology/*.shapes.ttl``) check the facts together with
the ontology; the meta-shapes (``ontology/meta.shapes.ttl``) check the
ontology itself.  The SHACL report graph is read (never its text) into
:class:`ValidationResult` objects, and each result is explained with the
figures involved: what they are, their values and units, and where each one
comes from.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError, PolicyError
from seikg.namespaces import QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, SEI, SH
from seikg.results import short_text
from seikg.sparql import prepare

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph


class Severity(StrEnum):
    """SHACL severities, most serious first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        """Map ``sh:Violation`` / ``sh:Warning`` / ``sh:Info`` to a severity."""
        if iri == SH.Warning:
            return cls.WARNING
        if iri == SH.Info:
            return cls.INFO
        return cls.VIOLATION


class ReportFormat(StrEnum):
    """Output formats of a validation report."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


@dataclass(frozen=True)
class Figure:
    """A figure (observation) named in a result, described for a reader."""

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
    """One SHACL validation result, with the figures it involves."""

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


@dataclass
class ValidationReport:
    """The outcome of validating the knowledge graph."""

    results: list[ValidationResult] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph, repr=False)

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
        for result in sorted(self.results, key=_sort_key):
            groups[result.rule_id].append(result)
        return dict(groups)

    def summary(self) -> str:
        """One line: conforms or not, and how many results of each severity."""
        counts = {s: sum(1 for r in self.results if r.severity is s) for s in Severity}
        rules = len(self.by_rule())
        if self.conforms and not self.results:
            return "Conforms: every rule holds."
        parts = [f"{n} {s.value.lower()}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
        verdict = "Conforms" if self.conforms else "Does not conform"
        return f"{verdict}: {', '.join(parts)} of {rules} rule{'s' if rules != 1 else ''}."

    def render(self, fmt: ReportFormat = ReportFormat.TEXT) -> str:
        """Write the report as text for people, JSON, or the SHACL report graph in Turtle."""
        if fmt is ReportFormat.TURTLE:
            from seikg.export import serialize
            from seikg.formats import RdfFormat

            return serialize(self.report_graph, RdfFormat.TURTLE).decode("utf-8")
        if fmt is ReportFormat.JSON:
            doc = {
                "conforms": self.conforms,
                "summary": self.summary(),
                "results": [r.as_dict() for r in sorted(self.results, key=_sort_key)],
            }
            return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        return self._render_text()

    def _render_text(self) -> str:
        lines: list[str] = []
        for rule_id, results in self.by_rule().items():
            first = results[0]
            lines.append(f"{first.severity.value.upper()}: {first.rule}")
            lines.append(
                f"  rule {short_text(URIRef(rule_id)) if rule_id.startswith('http') else rule_id}"
                f" ({short_text(URIRef(first.constraint_component))})"
            )
            merged: dict[tuple[str, str], list[ValidationResult]] = defaultdict(list)
            for result in results:
                merged[(result.focus_node, result.message)].append(result)
            for (focus, message), same in merged.items():
                lines.append(f"  - {message}")
                figures = _unique_figures(f for r in same for f in r.figures)
                for figure in figures:
                    lines.append(f"      {figure.line()}")
                if not figures:
                    name = short_text(URIRef(focus)) if focus.startswith("http") else focus
                    where = f"{self._checked_label(same[0])}{name}"
                    if same[0].path:
                        where += f", property {_path_text(same[0].path)}"
                    lines.append(f"      at {where}")
            lines.append("")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    @staticmethod
    def _checked_label(result: ValidationResult) -> str:
        return "" if result.checked == "data" else f"the {result.checked}: "


def _path_text(path: str) -> str:
    """A result path for people: a prefixed name, with ``^`` before an inverse one.

    >>> _path_text("^http://www.w3.org/2004/02/skos/core#inScheme")
    '^skos:inScheme'
    """
    if path.startswith("^"):
        return "^" + short_text(URIRef(path[1:]))
    return short_text(URIRef(path))


def _sort_key(result: ValidationResult) -> tuple[str, str, str, str]:
    return (result.rule_id, result.focus_node, result.value or "", result.message)


def _unique_figures(figures: Iterable[Figure]) -> list[Figure]:
    seen: dict[str, Figure] = {}
    for figure in figures:
        seen.setdefault(figure.iri, figure)
    return list(seen.values())


# ---------------------------------------------------------------------------
# Running pyshacl


def check_shapes_policy(shapes: Graph) -> None:
    """Refuse shapes whose SPARQL would reach the network (``SERVICE``, ``FROM``).

    Every ``sh:select``, ``sh:ask`` and ``sh:construct`` is parsed, with the
    prefixes the shapes declare, and inspected before pyshacl sees it.
    """
    from seikg.namespaces import sparql_prologue

    declared = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in shapes.objects(None, SH.declare)
        if shapes.value(d, SH.prefix) is not None and shapes.value(d, SH.namespace) is not None
    )
    for predicate in (SH.select, SH.ask, SH.construct):
        for node, text in shapes.subject_objects(predicate):
            try:
                _checked(sparql_prologue() + declared + str(text))
            except PolicyError:
                what = "a constraint" if isinstance(node, BNode) else short_text(node)
                raise PolicyError(
                    f"shapes: the SPARQL of {what} "
                    "uses SERVICE or FROM; validation never reaches the network"
                ) from None
            except BadInputError as exc:
                raise BadInputError(
                    f"shapes: a SPARQL constraint does not parse: {exc.reason}"
                ) from None


class _QueryText(str):
    """A query string whose parsing is deferred to the cached translation."""


_PREFIX_LINE = re.compile(r"[ \t]*PREFIX[ \t]+([^\s:]*):[ \t]*<[^>\s]*>[ \t]*\r?\n", re.I)


def _sorted_prologue(text: str) -> str:
    r"""The query with its leading PREFIX lines sorted, when no prefix is declared twice.

    pyshacl prepends the prefixes a shape declares in the order it happens to find
    them, which changes whenever the shapes are parsed again; sorted, the same query
    is one text, parsed once.  (Order matters only for a prefix declared twice.)

    >>> _sorted_prologue("PREFIX b: <http://b/>\nPREFIX a: <http://a/>\nSELECT * {}")
    'PREFIX a: <http://a/>\nPREFIX b: <http://b/>\nSELECT * {}'
    """
    lines, names, pos = [], [], 0
    while (match := _PREFIX_LINE.match(text, pos)) is not None:
        lines.append(match.group(0).strip())
        names.append(match.group(1))
        pos = match.end()
    if len(set(names)) != len(names):
        return text
    return "".join(f"{line}\n" for line in sorted(lines)) + text[pos:]


@functools.lru_cache(maxsize=1024)
def _translated(text: str, base: str | None, init_ns: tuple[tuple[str, str], ...]) -> Any:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    return translateQuery(parseQuery(text), base, dict(init_ns) or None)


@contextmanager
def reuse_parsed_queries() -> Iterator[None]:
    """Parse each distinct SPARQL text once while pyshacl runs.

    pyshacl hands rdflib the text of a SPARQL constraint once per focus node,
    and rdflib parses it every time: on the shipped graph that parsing is
    nine tenths of the validation time.  Inside this block, rdflib's query
    processor reuses the translated query for each distinct text (translated
    queries are reusable with different bindings, which is what rdflib's own
    ``prepareQuery`` relies on).  The translations are kept in a bounded
    cache, so validating again in the same process parses nothing.
    """
    from rdflib.plugins.sparql import processor

    original_parse = processor.parseQuery
    original_translate = processor.translateQuery

    def parse(text: str) -> Any:
        return _QueryText(text)

    def translate(parsed: Any, base: str | None = None, init_ns: Any = None) -> Any:
        if not isinstance(parsed, _QueryText):
            return original_translate(parsed, base, init_ns)
        key = tuple(sorted((str(k), str(v)) for k, v in (init_ns or {}).items()))
        return _translated(_sorted_prologue(str(parsed)), base, key)

    processor.parseQuery = parse  # type: ignore[assignment]
    processor.translateQuery = translate  # type: ignore[assignment]
    try:
        yield
    finally:
        processor.parseQuery = original_parse
        processor.translateQuery = original_translate


@functools.lru_cache(maxsize=1024)
def _checked(text: str) -> None:
    prepare(text, source="shapes")


def _run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    import pyshacl

    check_shapes_policy(shapes)
    with reuse_parsed_queries():
        _conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            do_owl_imports=False,
        )
    assert isinstance(report_graph, Graph)
    return report_graph


def validate(kg: KnowledgeGraph, *, meta: bool = True) -> ValidationReport:
    """Validate facts and ontology together against the data shapes, and the ontology
    alone against the meta-shapes; return one report.

    The shapes are passed to pyshacl as the shapes graph, never added to the
    data; OWL/RDFS inference is off and ``owl:imports`` are not followed.

    >>> from seikg.kg import KnowledgeGraph
    >>> validate(KnowledgeGraph.load()).conforms
    True
    """
    from seikg import resources
    from seikg.parsing import parse_files

    report = ValidationReport()
    data_report = _run_pyshacl(kg.graph, kg.shapes)
    report.results.extend(read_results(data_report, kg, shapes=kg.shapes, checked="data"))
    merged = Graph()
    for triple in data_report:
        merged.add(triple)
    if meta:
        meta_shapes = parse_files([resources.meta_shapes_file()])
        meta_report = _run_pyshacl(kg.ontology, meta_shapes)
        report.results.extend(read_results(meta_report, kg, shapes=meta_shapes, checked="ontology"))
        for triple in meta_report:
            merged.add(triple)
    _reset_conforms(merged, report.conforms)
    report.report_graph = merged
    return report


def _reset_conforms(graph: Graph, conforms: bool) -> None:
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    for extra in reports[1:]:
        for triple in list(graph.triples((extra, None, None))):
            graph.remove(triple)
    if reports:
        graph.set((reports[0], SH.conforms, Literal(conforms)))
        for result in graph.subjects(RDF.type, SH.ValidationResult):
            graph.add((reports[0], SH.result, result))


def read_results(
    report: Graph, kg: KnowledgeGraph, *, shapes: Graph, checked: str
) -> list[ValidationResult]:
    """Turn a SHACL report graph into :class:`ValidationResult` objects.

    ``shapes`` is the shapes graph the report came from (to name the rules).
    """
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        messages = list(report.objects(node, SH.resultMessage))
        message = _pick_english(messages) or "(no message)"
        rule_node = rule_shape(shape, shapes)
        rule = _rule_name(rule_node, shapes) or message
        involved = [n for n in (focus, value) if isinstance(n, URIRef)]
        figures = tuple(describe_figure(kg, n) for n in _unique(involved) if _is_described(kg, n))
        out.append(
            ValidationResult(
                severity=Severity.from_iri(report.value(node, SH.resultSeverity)),
                focus_node=_name(focus),
                rule_id=_name(rule_node),
                source_shape=_name(shape),
                constraint_component=_name(report.value(node, SH.sourceConstraintComponent)),
                rule=rule,
                message=message,
                path=_result_path(path, shape, shapes),
                value=_name(value) if value is not None else None,
                checked=checked,
                figures=figures,
            )
        )
    return out


def _result_path(path: Node | None, shape: Node | None, shapes: Graph) -> str | None:
    """The result path as text: a property IRI, or ``^`` and the IRI for an inverse path
    (read from the shape, as the report may not copy the path's own triples)."""
    if path is None:
        return None
    if isinstance(path, BNode) and shape is not None:
        from seikg.shapes_sparql import path_name

        return path_name(shapes, shape) or _name(path)
    return _name(path)


def rule_shape(shape: Node | None, shapes: Graph) -> Node | None:
    """Return the nearest named shape: the shape itself, or the named shape holding a blank one."""
    seen: set[Node] = set()
    current = shape
    while isinstance(current, BNode) and current not in seen:
        seen.add(current)
        parent = next(
            (
                s
                for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
                for s in shapes.subjects(p, current)
            ),
            None,
        )
        if parent is None:
            for list_node in shapes.subjects(RDF.first, current):
                head = list_node
                while (prev := next(shapes.subjects(RDF.rest, head), None)) is not None:
                    head = prev
                parent = next(shapes.subjects(None, head), None)
        if parent is None:
            break
        current = parent
    return current


def _unique(nodes: list[URIRef]) -> list[URIRef]:
    seen: list[URIRef] = []
    for n in nodes:
        if n not in seen:
            seen.append(n)
    return seen


def _name(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _pick_english(messages: list[Node]) -> str | None:
    """Pick the English text: tagged @en, else (pyshacl drops tags when it fills in
    message templates) the untagged one without Chinese characters."""
    literals = [m for m in messages if isinstance(m, Literal)]
    for m in literals:
        if m.language == "en":
            return str(m)
    for m in literals:
        if not m.language and not _CJK.search(str(m)):
            return str(m)
    return str(literals[0]) if literals else None


def _rule_name(shape: Node | None, shapes: Graph) -> str | None:
    if shape is None:
        return None
    for candidate in (shape, *shapes.subjects(SH.property, shape)):
        for predicate in (RDFS.label, SH.name):
            label = _pick_english(list(shapes.objects(candidate, predicate)))
            if label:
                return label
    return None


def _is_described(kg: KnowledgeGraph, node: URIRef) -> bool:
    """Whether the node is a figure or a sourced statement, described in the report."""
    data = kg.data
    return (
        (node, RDF.type, QB.Observation) in data
        or (node, SDMX_MEASURE.obsValue, None) in data
        or (node, SEI.comparator, None) in data
    )


def describe_figure(kg: KnowledgeGraph, obs: URIRef) -> Figure:
    """Describe a figure for a reader: area · year · indicator (scope), value, unit, source."""
    data = kg.data
    graph = kg.graph

    def label(node: Node | None) -> str:
        return kg.label(node) if isinstance(node, URIRef) else ("?" if node is None else str(node))

    if (obs, SEI.comparator, None) in data and (obs, SDMX_MEASURE.obsValue, None) not in data:
        identifier = data.value(obs, URIRef("http://purl.org/dc/terms/identifier"))
        labels = [v for v in data.objects(obs, RDFS.label)]
        return Figure(
            iri=str(obs),
            identifier=str(identifier) if identifier is not None else None,
            what=_pick_english(labels) or short_text(obs),
            value="(a claim)",
            unit="",
            source=describe_source(kg, obs, graph),
        )
    area = data.value(obs, SDMX_DIMENSION.refArea)
    period = data.value(obs, SDMX_DIMENSION.refPeriod)
    indicator = data.value(obs, SEI.indicator)
    scope = data.value(obs, SEI.scope)
    what = f"{label(area)} · {period if period is not None else '?'} · {label(indicator)}"
    if scope is not None:
        what += f" ({label(scope)})"
    bound = data.value(obs, SEI.bound)
    value = data.value(obs, SDMX_MEASURE.obsValue)
    value_text = str(value) if value is not None else "(no value)"
    if bound is not None:
        value_text = f"{label(bound).split(' (')[0]} {value_text}"
    unit = data.value(obs, SDMX_ATTRIBUTE.unitMeasure)
    unit_text = label(unit) if unit is not None else "(no unit)"
    identifier = data.value(obs, URIRef("http://purl.org/dc/terms/identifier"))
    return Figure(
        iri=str(obs),
        identifier=str(identifier) if identifier is not None else None,
        what=what,
        value=value_text,
        unit=unit_text,
        source=describe_source(kg, obs, graph),
    )


def describe_source(kg: KnowledgeGraph, obs: URIRef, graph: Graph) -> str:
    """Say where a figure comes from: document and paragraph, or its derivation inputs."""
    data = kg.data
    parts = []
    identifier = URIRef("http://purl.org/dc/terms/identifier")
    derived_from = sorted(
        data.objects(obs, PROV.wasDerivedFrom), key=lambda n: str(data.value(n, identifier) or n)
    )
    for source in derived_from:
        if (source, RDF.type, QB.Observation) in data:
            ident = data.value(source, URIRef("http://purl.org/dc/terms/identifier"))
            parts.append(f"derived from {ident or short_text(source)}")
        else:
            title = graph.value(source, URIRef("http://purl.org/dc/terms/title"))
            publisher = graph.value(source, URIRef("http://purl.org/dc/terms/publisher"))
            pub = kg.label(publisher) if isinstance(publisher, URIRef) else ""
            doc = f"{pub}, '{title}'" if title is not None else short_text(source)
            paragraphs = sorted(int(str(p)) for p in data.objects(obs, SEI.sourceParagraph))
            if paragraphs:
                doc += ", paragraph " + ", ".join(str(p) for p in paragraphs)
            parts.append(doc)
    rule = _pick_english(list(data.objects(obs, SEI.ruleDescription)))
    if rule:
        parts.append(f"rule: {rule}")
    if not parts:
        return "no source recorded"
    _ = SKOS
    return "; ".join(parts)
