"""pyshacl on rdflib graphs, the engine of the memory store.

The shapes are checked first (no SPARQL that could reach the network), each
SPARQL text is parsed once however many focus nodes it runs for, messages are
filled in by the project's own formatter (:func:`seikg.validation.messages.fill_message`),
and the SHACL report graph is read (never its text) into findings for the one
report builder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.namespaces import SH
from seikg.sparql.policy import prepare
from seikg.sparql.writers import short_text
from seikg.validation.build import Finding
from seikg.validation.messages import fill_message

_SPARQL_TEXTS = (SH.select, SH.ask, SH.construct)


def check_shapes_policy(shapes: Graph) -> None:
    """Refuse shapes whose SPARQL would reach the network (``SERVICE``, ``FROM``).

    Every ``sh:select``, ``sh:ask`` and ``sh:construct`` that is not one of the
    shipped shapes' own texts is decoded once
    (:func:`~seikg.sparql.policy.decode_escapes`), parsed with the prefixes the
    shapes declare, and inspected before pyshacl sees it; pyshacl then runs the
    decoded texts (:func:`decoded_shapes`), so what runs is what was inspected.
    Every declared prefix must be a prefix name and an IRI (pyshacl writes them
    before each text, the shipped ones' too).
    """
    from seikg.namespaces import sparql_prologue
    from seikg.sparql.policy import shape_text_refusals

    declared = _declared_prefixes(shapes)
    trusted = _shipped_texts()
    for predicate in _SPARQL_TEXTS:
        for node, text in shapes.subject_objects(predicate):
            if str(text) in trusted:
                continue
            what = "a constraint" if isinstance(node, BNode) else short_text(node)
            with shape_text_refusals(what, unparsable="a SPARQL constraint"):
                _checked(sparql_prologue() + declared + str(text))


def _declared_prefixes(shapes: Graph) -> str:
    """The PREFIX lines of every ``sh:declare`` (each checked, see
    :func:`~seikg.validation.translate.prefix_line`)."""
    from seikg.validation.translate import prefix_line

    lines = []
    for declaration in shapes.objects(None, SH.declare):
        prefix = shapes.value(declaration, SH.prefix)
        namespace = shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            lines.append(prefix_line(str(prefix), str(namespace)) + "\n")
    return "".join(lines)


@functools.lru_cache(maxsize=1)
def _shipped_texts() -> frozenset[str]:
    """The SPARQL texts of the shipped shapes and meta-shapes: the project's own, not parsed
    a second time here (pyshacl parses each once as it runs it)."""
    from seikg import resources
    from seikg.rdf.parsing import parse_files

    shapes = parse_files([*resources.shapes_files(), resources.meta_shapes_file()])
    return frozenset(str(text) for p in _SPARQL_TEXTS for text in shapes.objects(None, p))


def decoded_shapes(shapes: Graph) -> Graph:
    """A copy of ``shapes`` whose SPARQL texts have their escapes decoded, as inspected.

    rdflib decodes escapes again when it parses a text, and not as the policy does
    (``\\u`` with eight digits is one character to rdflib): handed the decoded
    text, which holds no escape any more, it reads what was inspected.
    """
    from seikg.sparql.policy import decode_escapes

    copy = Graph()
    for s, p, o in shapes:
        if p in _SPARQL_TEXTS and isinstance(o, Literal):
            o = Literal(decode_escapes(str(o), source="shapes"), lang=o.language,
                        datatype=o.datatype)  # fmt: skip
        copy.add((s, p, o))
    return copy


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


class _QueryText(str):
    """A query string whose parsing is deferred to the cached translation."""


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


@contextmanager
def project_messages() -> Iterator[None]:
    """Let pyshacl fill message templates with the project's formatter (numbers written once)."""
    from pyshacl.constraints.constraint_component import ConstraintComponent

    original = ConstraintComponent._format_sparql_based_result_message

    def fill(self: Any, msg: str, bound_vars: Any) -> str:
        return fill_message(msg, _bindings(bound_vars))

    ConstraintComponent._format_sparql_based_result_message = fill  # type: ignore[method-assign]
    try:
        yield
    finally:
        ConstraintComponent._format_sparql_based_result_message = original  # type: ignore[method-assign]


def _bindings(bound_vars: Any) -> dict[str, Node | None]:
    """pyshacl's bound variables (a dict, or ``(this, path, value[, dict])``) as one dict."""
    out: dict[str, Node | None] = {}
    if isinstance(bound_vars, dict):
        out.update(bound_vars)
    elif isinstance(bound_vars, tuple | list):
        if len(bound_vars) == 4:
            out.update(bound_vars[3])
        for name, term in zip(("this", "path", "value"), bound_vars[:3], strict=False):
            if term is not None:
                out[name] = term
    return {str(k): v for k, v in out.items()}


def run_pyshacl(data: Graph, shapes: Graph) -> list[Finding]:
    """Validate ``data`` against ``shapes`` with pyshacl; the findings of its report graph.

    The shapes are passed as the shapes graph, never added to the data;
    OWL/RDFS inference is off and ``owl:imports`` are not followed.
    """
    import pyshacl

    check_shapes_policy(shapes)
    # pyshacl writes into the shapes graph it is given (RDFS axioms about owl:Class and
    # owl:DatatypeProperty): it gets a copy, so the store's shapes stay as they were loaded;
    # its SPARQL texts are the decoded ones the policy inspected.
    copy = decoded_shapes(shapes)
    with reuse_parsed_queries(), project_messages():
        _conforms, report_graph, _text = pyshacl.validate(
            data,
            shacl_graph=copy,
            inference="none",
            advanced=True,
            allow_warnings=True,
            do_owl_imports=False,
        )
    if not isinstance(report_graph, Graph):  # pyshacl's own refusal of the shapes, as an object
        reason = str(report_graph).removeprefix("Validation Failure - ").strip()
        raise BadInputError(f"shapes: pyshacl cannot run them: {reason}")
    return findings(report_graph)


def findings(report: Graph) -> list[Finding]:
    """Read a SHACL report graph into findings."""
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        out.append(
            Finding(
                severity=report.value(node, SH.resultSeverity) or SH.Violation,
                focus=report.value(node, SH.focusNode),  # type: ignore[arg-type]
                source_shape=report.value(node, SH.sourceShape),  # type: ignore[arg-type]
                component=report.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                path=report.value(node, SH.resultPath),
                value=report.value(node, SH.value),
                messages=tuple(sorted(report.objects(node, SH.resultMessage), key=str)),
            )
        )
    return out
