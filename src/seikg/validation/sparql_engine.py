"""The shapes as SPARQL, run on a store: the engine of the Oxigraph and remote stores.

Each constraint, translated by :mod:`seikg.validation.translate`, is one
SELECT whose solutions are the violations.  The checks are independent
read-only queries, so several run at once; their solutions become the same
findings pyshacl's report gives, for the one report builder.

Checks the shapes group (the rules that join the figures of one area) run
one group at a time on a store that binds variables before evaluating
(``prebinds``): the groups are listed once, and each task runs every grouped
check of one group, so that group's figures are read while they are at hand.
The union of the groups' solutions is the solutions of the whole query,
because every solution of a grouped check binds the group's variable.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from functools import partial

from rdflib import Graph, Literal
from rdflib.term import Node

from seikg.namespaces import short_text
from seikg.validation.build import Finding
from seikg.validation.messages import fill_message
from seikg.validation.translate import Check, Grouping, translate_shapes

Solutions = list[dict[str, Node | None]]
RunSelect = Callable[[str, Mapping[str, Node]], Solutions]
"""Runs a SELECT with some variables bound before evaluation (an empty mapping: none)."""
Inspect = Callable[[str], object]
"""A store's query policy: raises when a text may not run."""
Progress = Callable[[int, int], None]


def run_checks(
    shapes: Graph,
    run_select: RunSelect,
    *,
    prebinds: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    inspect: Inspect | None = None,
) -> list[Finding]:
    """Run every translated constraint of ``shapes`` through ``run_select``.

    With ``prebinds`` (the store binds variables before it evaluates), grouped
    checks run one group at a time; otherwise every check runs whole.  With
    ``inspect`` (the store's query policy), every check and every grouping's
    query is made ready first (:func:`checked_text`): nothing runs when one is
    refused.  ``workers`` tasks run at once (by default one per CPU); the
    findings come in the order of the checks (and of the groups) whatever order
    they finish in.  ``progress(done, total)`` is called as tasks finish.
    """
    checks = [
        (i, check if inspect is None else replace(check, query=checked_text(check, inspect)))
        for i, check in enumerate(translate_shapes(shapes))
    ]
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    grouped = [(i, c) for i, c in checks if c.grouping is not None and prebinds]
    whole = [(i, c) for i, c in checks if c.grouping is None or not prebinds]
    groupings = [
        (g, g.query if inspect is None else _checked(g.query, g.node, inspect))
        for g in _groupings(grouped)
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:

        def submit(task: Callable[[], dict[int, Solutions]]) -> Future[dict[int, Solutions]]:
            # Each task runs in a copy of this context: the network policy applies in every thread.
            return pool.submit(contextvars.copy_context().run, task)

        tasks = [submit(partial(_run_checks, one, bound={}, run=run_select)) for one in whole]
        for grouping, listing in groupings:
            members = [(i, c) for i, c in grouped if c.grouping == grouping]
            for key in _group_keys(grouping.variable, listing, run_select):
                bound = {grouping.variable: key}
                tasks.append(submit(partial(_run_checks, *members, bound=bound, run=run_select)))
        if progress is not None:
            for done, _future in enumerate(as_completed(tasks), start=1):
                progress(done, len(tasks))
        solutions: dict[int, Solutions] = {}
        for task in tasks:  # in the order they were submitted: checks, then groups in order
            for index, found in task.result().items():
                solutions.setdefault(index, []).extend(found)
    return [
        _finding(check, solution)
        for index, check in checks
        for solution in solutions.get(index, [])
    ]


def _run_checks(
    *checks: tuple[int, Check], bound: Mapping[str, Node], run: RunSelect
) -> dict[int, Solutions]:
    """Some checks, one after the other, with ``bound`` bound; their solutions by index."""
    return {index: run(check.query, bound) for index, check in checks}


def _groupings(checks: Sequence[tuple[int, Check]]) -> list[Grouping]:
    """The groupings of some checks, each once, in a stable order."""
    found = {c.grouping for _i, c in checks if c.grouping is not None}
    return sorted(found, key=lambda g: str(g.node))


def _group_keys(variable: str, listing: str, run_select: RunSelect) -> list[Node]:
    """The values of a grouping's ``variable`` that its query ``listing`` lists, in a stable
    order."""
    keys = {row.get(variable) for row in run_select(listing, {})}
    return sorted((k for k in keys if k is not None), key=lambda k: (type(k).__name__, str(k)))


def checked_text(check: Check, inspect: Inspect) -> str:
    """The text of a check as it runs: a text translated from the shipped shapes as it is;
    any other (user shapes, or shapes changed by them) decoded once and inspected by
    ``inspect``, the store's query policy, on the very text that will run.

    >>> from seikg.namespaces import SH
    >>> from rdflib import URIRef
    >>> check = Check(URIRef("http://e/S"), SH.SPARQLConstraintComponent, SH.Violation, (),
    ...               None, "SELECT ?this WHERE { SERVICE <http://e/> { ?this ?p ?o } }")
    >>> from seikg.sparql.policy import prepare
    >>> checked_text(check, lambda text: prepare(text, source="shapes"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.PolicyError: shapes: the SPARQL of <http://e/S> uses SERVICE or FROM; ...
    """
    return _checked(check.query, check.source_shape, inspect)


def _checked(query: str, source: Node, inspect: Inspect) -> str:
    """``query``, from the shapes at ``source``, as it runs: as it is when the shipped shapes
    hold it, else decoded once and passed through ``inspect``."""
    from seikg.sparql.policy import decode_escapes, shape_text_refusals
    from seikg.validation.translate import shipped_checks

    if query in shipped_checks():
        return query
    what = short_text(source)
    with shape_text_refusals(what, unparsable=f"a SPARQL constraint of {what}"):
        text = decode_escapes(query, source="shapes")
        inspect(text)
    return text


def _value(check: Check, solution: dict[str, Node | None], focus: Node) -> Node | None:
    value = solution.get("value")
    if value is None and check.focus_is_value:
        return focus
    return value


def _finding(check: Check, solution: dict[str, Node | None]) -> Finding:
    focus = solution.get("this")
    assert focus is not None, "a translated check always binds ?this"
    return Finding(
        severity=check.severity,
        focus=focus,
        source_shape=check.source_shape,
        component=check.component,
        path=solution.get("path") or check.path,
        value=_value(check, solution, focus),
        messages=tuple(
            Literal(fill_message(str(m), solution), lang=m.language) for m in check.messages
        ),
    )
