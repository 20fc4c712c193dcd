"""Stores whose engine answers in SPARQL result documents: Oxigraph on disk, a remote endpoint.

Both read answers as pyoxigraph results (Oxigraph gives them directly, the
remote endpoint's documents are parsed by pyoxigraph) and validate with the
shapes translated to SPARQL, run on the store itself.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from rdflib import BNode, Graph
from rdflib.term import Node

from seikg import resources
from seikg.errors import BadInputError
from seikg.rdf.parsing import parse_files
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult
from seikg.stores.base import Store
from seikg.stores.convert import form_of, n3, term, with_values
from seikg.validation.report import ValidationReport
from seikg.validation.sparql_engine import Progress

# Ontology triples counted per query when a store says how much of it holds the ontology.
_COUNT_CHUNK = 400


class AnswersStore(Store):
    """A store whose engine answers with pyoxigraph result objects."""

    @abstractmethod
    def _run(self, text: str, form: str) -> Any:
        """Run a checked query; pyoxigraph solutions, boolean or triples."""

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
            raise BadInputError(f"SPARQL syntax error: {exc.msg}", path=source) from None
        form = form or form_of(result)
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

    def select(self, text: str) -> list[dict[str, Node | None]]:
        """Run a SELECT of the project's own; solutions as dicts of rdflib terms."""
        solutions = self._run(text, "SELECT")
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
            describe=self.describe, meta=meta, progress=progress,
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
            held += int(str(found[0]["n"])) if found and found[0].get("n") is not None else 0
        return {"ontology": held, "shapes": len(self.shapes), "data": len(self) - held}
