"""Validation on any store: the engine finds, the one builder explains.

:func:`with_pyshacl` is the memory store's way (pyshacl on rdflib graphs);
:func:`with_sparql` the other stores' (the shapes as SPARQL, run where the data
is).  Both check the data with the data shapes and the ontology with the
meta-shapes, and return the same :class:`~seikg.validation.report.ValidationReport`.
"""

from __future__ import annotations

from rdflib import Graph

from seikg import resources
from seikg.rdf.parsing import parse_files
from seikg.validation.build import Describe, build_report, build_results
from seikg.validation.pyshacl_engine import run_pyshacl
from seikg.validation.report import ValidationReport, ValidationResult
from seikg.validation.sparql_engine import Inspect, Progress, RunSelect, run_checks


def ontology_results(ontology: Graph) -> list[ValidationResult]:
    """The ontology checked alone against the meta-shapes (labels, definitions, schemes)."""
    meta_shapes = parse_files([resources.meta_shapes_file()])
    found = run_pyshacl(ontology, meta_shapes)
    return build_results(found, shapes=meta_shapes, describe=None, checked="ontology")


def with_pyshacl(
    data: Graph, *, shapes: Graph, ontology: Graph, describe: Describe, meta: bool = True
) -> ValidationReport:
    """Validate ``data`` (facts and ontology together) with pyshacl."""
    found = build_results(run_pyshacl(data, shapes), shapes=shapes, describe=describe)
    return build_report(found, ontology_results(ontology) if meta else [])


def with_sparql(
    run_select: RunSelect,
    *,
    shapes: Graph,
    ontology: Graph,
    describe: Describe,
    meta: bool = True,
    prebinds: bool = False,
    progress: Progress | None = None,
    inspect: Inspect | None = None,
) -> ValidationReport:
    """Validate a store with the shapes translated to SPARQL, run through ``run_select``
    (grouped checks one group at a time where the store ``prebinds`` variables);
    ``inspect`` is the store's query policy, which every text not translated from the
    shipped shapes passes first (:func:`~seikg.validation.sparql_engine.checked_text`)."""
    found = run_checks(shapes, run_select, prebinds=prebinds, progress=progress, inspect=inspect)
    results = build_results(found, shapes=shapes, describe=describe)
    return build_report(results, ontology_results(ontology) if meta else [])
