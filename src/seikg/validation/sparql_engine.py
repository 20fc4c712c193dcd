"""The shapes as SPARQL, run on a store: the engine of the Oxigraph and remote stores.

Each constraint, translated by :mod:`seikg.validation.translate`, is one
SELECT whose solutions are the violations.  The checks are independent
read-only queries, so several run at once; their solutions become the same
findings pyshacl's report gives, for the one report builder.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

from rdflib import Graph, Literal
from rdflib.term import Node

from seikg.namespaces import short_text
from seikg.validation.build import Finding
from seikg.validation.messages import fill_message
from seikg.validation.translate import Check, translate_shapes

Solutions = list[dict[str, Node | None]]
RunSelect = Callable[[str], Solutions]
Inspect = Callable[[str], object]
"""A store's query policy: raises when a text may not run."""
Progress = Callable[[int, int], None]


def run_checks(
    shapes: Graph,
    run_select: RunSelect,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    inspect: Inspect | None = None,
) -> list[Finding]:
    """Run every translated constraint of ``shapes`` through ``run_select``.

    With ``inspect`` (the store's query policy), every check is made ready first
    (:func:`checked_text`): nothing runs when one is refused.  ``workers`` checks
    run at once (by default one per CPU); the findings come in the order of the
    checks whatever order they finish in.  ``progress(done, total)`` is called as
    checks finish.
    """
    checks = translate_shapes(shapes)
    texts = [check.query if inspect is None else checked_text(check, inspect) for check in checks]
    workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
    found: list[Finding] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Each check runs in a copy of this context: the network policy applies in every thread.
        futures = [pool.submit(contextvars.copy_context().run, run_select, text) for text in texts]
        if progress is not None:
            for done, _future in enumerate(as_completed(futures), start=1):
                progress(done, len(futures))
        for check, future in zip(checks, futures, strict=True):
            found.extend(_finding(check, solution) for solution in future.result())
    return found


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
    from seikg.errors import BadInputError, PolicyError
    from seikg.sparql.policy import AmbiguousText, decode_escapes
    from seikg.validation.translate import shipped_checks

    if check.query in shipped_checks():
        return check.query
    what = short_text(check.source_shape)
    try:
        text = decode_escapes(check.query, source="shapes")
        inspect(text)
    except AmbiguousText as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise AmbiguousText(f"shapes: the SPARQL of {what} is refused: {reason}") from None
    except PolicyError:
        raise PolicyError(
            f"shapes: the SPARQL of {what} uses SERVICE or FROM; validation never reaches the "
            "network"
        ) from None
    except BadInputError as exc:
        raise BadInputError(
            f"shapes: a SPARQL constraint of {what} does not parse: {exc.reason}"
        ) from None
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
