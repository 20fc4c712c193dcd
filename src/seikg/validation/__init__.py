"""Consistency checking, and reports a person can act on.

The data shapes (``ontology/*.shapes.ttl``) check the facts together with the
ontology; the meta-shapes (``ontology/meta.shapes.ttl``) check the ontology
itself.  pyshacl runs them on the memory store, their SPARQL translation
(:mod:`~seikg.validation.translate`) on the other stores; either way the one
builder (:mod:`~seikg.validation.build`) turns what was found into the same
:class:`ValidationReport`, each result explained with the figures involved.

>>> from seikg.kg import KnowledgeGraph
>>> validate(KnowledgeGraph.load()).conforms
True
"""

from __future__ import annotations

from typing import Protocol

from seikg.validation.report import (
    Figure,
    ReportFormat,
    Severity,
    ValidationReport,
    ValidationResult,
)


class _Validates(Protocol):
    def validate(self, *, meta: bool = ...) -> ValidationReport: ...


def validate(kg: _Validates, *, meta: bool = True) -> ValidationReport:
    """Validate a knowledge graph (or a store): the same as ``kg.validate(meta=meta)``."""
    return kg.validate(meta=meta)


__all__ = [
    "Figure",
    "ReportFormat",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "validate",
]
