"""Validation on a store: the translated shapes run as SPARQL, giving the same report objects.

pyshacl is the reference engine for the shipped graph; on a large Oxigraph
store the same rules run as the SELECT queries of :mod:`seikg.shapes_sparql`
on the store itself, and their solutions become the same
:class:`~seikg.validation.ValidationResult` objects, explained with the same
figures and sources.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg.namespaces import SH
from seikg.shapes_sparql import Check, fill_message, translate_shapes
from seikg.validation import (
    Severity,
    ValidationReport,
    ValidationResult,
    _is_described,
    describe_figure,
)

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

Solutions = list[dict[str, Node | None]]
RunSelect = Callable[[str], Solutions]
Describe = Callable[[Sequence[URIRef]], Graph]


def _message(check: Check, solution: dict[str, Node | None]) -> str:
    english = [m for m in check.messages if m.language == "en"] or [
        m for m in check.messages if not m.language
    ]
    template = (
        str(english[0]) if english else str(check.messages[0]) if check.messages else "rule broken"
    )
    return fill_message(template, solution)


def sparql_validate(
    kg: KnowledgeGraph,
    run_select: RunSelect,
    describe: Describe,
    *,
    meta: bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Run every translated shape through ``run_select``; explain the results with ``describe``.

    ``kg`` supplies the ontology and shapes (its data may be empty: the facts
    live in the store); ``describe`` returns the triples about some resources
    so that the report can name the figures involved.  The checks are
    independent read-only queries, so ``workers`` of them (by default one per
    CPU) run at once; the report lists results in the order of the checks
    whatever the order they finish in.  ``progress(done, total)`` is called
    as checks finish.
    """
    from seikg.kg import KnowledgeGraph
    from seikg.validation import validate

    checks = translate_shapes(kg.shapes)
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    raw: list[tuple[Check, dict[str, Node | None]]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Each check runs in a copy of this context: the network policy applies in every thread.
        futures = [
            pool.submit(contextvars.copy_context().run, run_select, check.query) for check in checks
        ]
        if progress is not None:
            for done, _future in enumerate(as_completed(futures), start=1):
                progress(done, len(futures))
        for check, future in zip(checks, futures, strict=True):
            raw.extend((check, solution) for solution in future.result())
    involved = sorted(
        {n for _c, s in raw for n in (s.get("this"), s.get("value")) if isinstance(n, URIRef)},
        key=str,
    )
    context = KnowledgeGraph(
        kg.ontology, shapes=kg.shapes, data=describe(involved) if involved else Graph()
    )
    report = ValidationReport()
    for check, solution in raw:
        focus = solution.get("this")
        value = solution.get("value")
        nodes = [n for n in (focus, value) if isinstance(n, URIRef)]
        seen: list[URIRef] = []
        for n in nodes:
            if n not in seen:
                seen.append(n)
        figures = tuple(describe_figure(context, n) for n in seen if _is_described(context, n))
        report.results.append(
            ValidationResult(
                severity=Severity.from_iri(URIRef(check.severity)),
                focus_node=str(focus),
                rule_id=check.rule_id,
                source_shape=check.source_shape,
                constraint_component=check.component,
                rule=_rule_label(kg, check.rule_id) or _message(check, solution),
                message=_message(check, solution),
                path=check.path,
                value=str(value) if value is not None else None,
                checked="data",
                figures=figures,
            )
        )
    if meta:
        ontology_only = KnowledgeGraph(kg.ontology, shapes=Graph(), data=Graph())
        report.results.extend(r for r in validate(ontology_only).results if r.checked == "ontology")
    return report


def _rule_label(kg: KnowledgeGraph, rule_id: str) -> str | None:
    from rdflib.namespace import RDFS

    from seikg.validation import _pick_english

    labels = list(kg.shapes.objects(URIRef(rule_id), RDFS.label))
    if not labels:
        for parent in kg.shapes.subjects(SH.property, URIRef(rule_id)):
            labels = list(kg.shapes.objects(parent, RDFS.label))
    return _pick_english(labels) if labels else None
