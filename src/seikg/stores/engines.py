"""Stores whose engine answers in SPARQL result documents: Oxigraph on disk, a remote endpoint.

Both read answers as pyoxigraph results (Oxigraph gives them directly, the
remote endpoint's documents are parsed by pyoxigraph) and validate with the
shapes translated to SPARQL, run on the store itself.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from rdflib import BNode, Graph
from rdflib.term import Node

from seikg import resources
from seikg.errors import BadInputError, StoreError
from seikg.rdf.parsing import parse_files
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult
from seikg.stores.base import Store
from seikg.stores.convert import form_of, n3, term, with_values
from seikg.stores.counts import one_count
from seikg.validation.report import ValidationReport
from seikg.validation.sparql_engine import Progress

# Ontology triples counted per query when a store says how much of it holds the ontology.
_COUNT_CHUNK = 400


_OXIGRAPH_AT = re.compile(r"error at (\d+):(\d+): ")


def _syntax_error(text: str, message: str, source: str) -> BadInputError:
    """A syntax error Oxigraph found, said as on the memory store: Oxigraph names the
    furthest place its parser tried (often the end of the text, far from the mistake), so
    the text is read again by the parser the memory store uses, whose error names the line
    and column of the clause that fails; if that parser reads it, Oxigraph's own place is
    given as file:line:column."""
    from seikg.sparql.policy import prepare

    prepare(text, source=source)  # raises the memory store's error when it finds one
    found = _OXIGRAPH_AT.match(message)
    if found is None:
        return BadInputError(f"SPARQL syntax error: {message}", path=source)
    return BadInputError(
        f"SPARQL syntax error: {message[found.end():]}",
        path=source, line=int(found.group(1)), column=int(found.group(2)),
    )  # fmt: skip


class AnswersStore(Store):
    """A store whose engine answers with pyoxigraph result objects."""

    prebinds = False
    """Whether the engine binds variables before it evaluates a query (so that a bound
    variable narrows every part of the query that projects it, sub-selects included);
    validation then runs the checks the shapes group one group at a time."""

    @abstractmethod
    def _run(self, text: str, form: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run a checked query (``bindings`` bound before evaluation, or joined as VALUES
        where the engine cannot); pyoxigraph solutions, boolean or triples."""

    def _execute(
        self, text: str, form: str | None, bindings: Mapping[str, Node], limit: int | None,
        source: str,
    ) -> QueryResult:  # fmt: skip
        from seikg.sparql.policy import no_escape_left

        if bindings:  # the values are written into the text: the text that runs is inspected
            text = no_escape_left(with_values(text, bindings), source=source)
            form = self._checked_form(text, source) or form
        try:
            result = self._run(text, form or "")
        except SyntaxError as exc:  # from Oxigraph's parser, when it saw the text first
            raise _syntax_error(text, exc.msg, source) from None
        form = form or form_of(result)
        if form == "SELECT":
            result = self._solutions(result)
        if form == "ASK":
            return AskResult(bool(result))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for t in result:
                graph.add((term(t.subject), term(t.predicate), term(t.object)))
            return GraphResult(graph)
        names = tuple(v.value for v in result.variables)
        solutions = (tuple(term(s[n]) if s[n] is not None else None for n in names) for s in result)
        return SelectResult.collect(names, solutions, limit)

    def _solutions(self, result: Any) -> Any:
        """The answer to a SELECT, if it is a table of solutions (a store may answer anything)."""
        if not hasattr(result, "variables"):
            raise StoreError(
                f"the store {self.name} answered a SELECT query with something other than "
                "a table of solutions"
            )
        return result

    def select(
        self, text: str, bindings: Mapping[str, Node] | None = None
    ) -> list[dict[str, Node | None]]:
        """Run a SELECT of the project's own, ``bindings`` bound; solutions as dicts of
        rdflib terms."""
        solutions = self._solutions(self._run(text, "SELECT", bindings))
        names = [v.value for v in solutions.variables]
        return [{n: (term(s[n]) if s[n] is not None else None) for n in names} for s in solutions]

    @cached_property
    def shipped_ontology(self) -> Graph:
        """The shipped ontology (what ``load`` puts into an empty store)."""
        return parse_files(resources.ontology_files())

    def validate(self, *, meta: bool = True, progress: Progress | None = None) -> ValidationReport:
        """The shapes translated to SPARQL, run on the store itself."""
        from seikg.validation.run import with_sparql

        return with_sparql(
            self.select, shapes=self.shapes, ontology=self.shipped_ontology,
            describe=self.describe, meta=meta, prebinds=self.prebinds, progress=progress,
            inspect=lambda text: self._checked_form(text, "shapes"),
        )  # fmt: skip

    def part_sizes(self) -> dict[str, int]:
        """Triples of the ontology found in the store, of the shapes, and of everything else."""
        ontology = sorted(
            (t for t in self.shipped_ontology if not any(isinstance(x, BNode) for x in t)),
            key=lambda t: tuple(x.n3() for x in t),
        )
        held = 0
        for start in range(0, len(ontology), _COUNT_CHUNK):
            rows = " ".join(
                f"({n3(s)} {n3(p)} {n3(o)})" for s, p, o in ontology[start : start + _COUNT_CHUNK]
            )
            found = self.select(
                "SELECT (COUNT(*) AS ?n) WHERE { VALUES (?s ?p ?o) { " + rows + " } ?s ?p ?o }"
            )
            held += one_count(found, "n", store=self.name, what="a count of ontology triples")
        return {"ontology": held, "shapes": len(self.shapes), "data": len(self) - held}
