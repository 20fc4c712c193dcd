"""Stores behind one interface: rdflib in memory (the default) and Oxigraph on disk.

``memory`` keeps today's behaviour: rdflib graphs and pyshacl.  ``oxigraph:PATH``
is an embedded, on-disk Oxigraph store: filled once with ``sei-kg load``
(bulk loaded, after the same strict input checks), reopened without
reloading, queried by Oxigraph's engine, and validated by the shapes
translated to SPARQL (:mod:`seikg.shapes_sparql`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg import resources
from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.parsing import to_oxigraph, to_rdflib
from seikg.results import AskResult, GraphResult, QueryResult, Row, SelectResult
from seikg.sparql import prepare, query_form


class StoreKind(StrEnum):
    """The kinds of store."""

    MEMORY = "memory"
    OXIGRAPH = "oxigraph"


@dataclass(frozen=True)
class StoreSpec:
    """A store named on the command line: ``memory`` or ``oxigraph:PATH``.

    >>> StoreSpec.parse("oxigraph:/tmp/kg")
    StoreSpec(kind=<StoreKind.OXIGRAPH: 'oxigraph'>, location='/tmp/kg')
    """

    kind: StoreKind
    location: str = ""

    @classmethod
    def parse(cls, text: str) -> StoreSpec:
        """Read ``memory`` or ``oxigraph:PATH``; refuse anything else clearly."""
        if text == "memory":
            return cls(StoreKind.MEMORY)
        kind, sep, location = text.partition(":")
        if kind == "oxigraph" and sep and location:
            return cls(StoreKind.OXIGRAPH, location)
        raise BadInputError(f"unknown store {text!r}: use 'memory' or 'oxigraph:PATH'")


def _with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind values with a VALUES block opening the WHERE clause (typed terms, N-Triples syntax)."""
    if not bindings:
        return text
    import re

    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    match = re.search(r"\b(WHERE|ASK)\s*\{", text, flags=re.IGNORECASE)
    if match is None:
        raise BadInputError("cannot bind parameters: the query has no WHERE clause")
    cut = match.end()
    return f"{text[:cut]}\n  VALUES ({names}) {{ ({values}) }}\n{text[cut:]}"


class OxigraphStore:
    """An on-disk Oxigraph store holding ontology and facts in its default graph."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise BadInputError(f"cannot open the Oxigraph store: {exc}", path=self.path) from None

    def load(self, files: Sequence[Path], *, with_ontology: bool = True) -> int:
        """Bulk load files (after the strict input checks), the ontology too unless told not to."""
        from seikg.guard import read_input

        paths = [*(resources.ontology_files() if with_ontology else []), *files]
        before = len(self.store)
        for path in paths:
            path = Path(path)
            if not path.is_file():
                raise BadInputError("no such file", path=path)
            fmt = RdfFormat.from_path(path)
            data = read_input(path, fmt)
            try:
                self.store.bulk_load(data, format=fmt.oxigraph, to_graph=ox.DefaultGraph())
            except SyntaxError as exc:
                raise BadInputError(
                    f"syntax error: {exc.msg}", path=path, line=exc.lineno, column=exc.offset
                ) from None
        self.store.optimize()
        return len(self.store) - before

    def __len__(self) -> int:
        return len(self.store)

    def select(self, text: str) -> list[dict[str, Node | None]]:
        """Run a SELECT; solutions as dicts of rdflib terms (for the validation engine)."""
        solutions = self.store.query(text)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        return [
            {n: (to_rdflib(s[n]) if s[n] is not None else None) for n in names}
            for s in solutions  # type: ignore[union-attr]
        ]

    def query(
        self, text: str, *, bindings: Mapping[str, Node] | None = None, source: str = "<query>",
        limit: int | None = None,
    ) -> QueryResult:  # fmt: skip
        """Check a query (no SERVICE, FROM or update), bind values, run it on Oxigraph."""
        form = query_form(prepare(text, source=source))
        result = self.store.query(_with_values(text, bindings or {}))
        if form == "ASK":
            return AskResult(bool(result))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for t in result:  # type: ignore[union-attr]
                graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            return GraphResult(graph)
        names = tuple(v.value for v in result.variables)  # type: ignore[union-attr]
        rows: list[Row] = []
        truncated = False
        for solution in result:  # type: ignore[union-attr]
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append(
                Row(
                    names,
                    tuple(
                        to_rdflib(solution[n]) if solution[n] is not None else None for n in names
                    ),
                )
            )
        return SelectResult(names, tuple(rows), truncated)

    def describe(self, nodes: Sequence[URIRef]) -> Graph:
        """The triples about some resources and the resources they point to (for reports)."""
        graph = Graph()
        if not nodes:
            return graph
        values = " ".join(n.n3() for n in nodes)
        query = (
            "CONSTRUCT { ?s ?p ?o . ?o ?p2 ?o2 } WHERE { VALUES ?s { " + values + " } "
            "?s ?p ?o OPTIONAL { ?o ?p2 ?o2 FILTER (isIRI(?o)) } }"
        )
        for t in self.store.query(query):  # type: ignore[union-attr]
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return graph

    def export(self, fmt: RdfFormat) -> bytes:
        """The whole store, deterministically: sorted N-Triples straight from Oxigraph when
        there are no blank nodes, otherwise through the same path as the memory store."""
        from seikg.export import serialize

        if fmt is RdfFormat.NTRIPLES:
            dumped = self.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
            assert dumped is not None
            if b"_:" not in dumped:
                return b"".join(sorted(set(dumped.splitlines(keepends=True))))
        graph = Graph()
        for quad in self.store:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return serialize(graph, fmt)

    def to_knowledge_graph(self):
        """The store's facts as an in-memory knowledge graph (for small stores: stats, views)."""
        from seikg.kg import KnowledgeGraph
        from seikg.parsing import parse_files

        ontology = parse_files(resources.ontology_files())
        shapes = parse_files(resources.shapes_files())
        data = Graph()
        for quad in self.store:
            triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            if triple not in ontology:
                data.add(triple)
        return KnowledgeGraph(ontology, shapes=shapes, data=data)

    def validate(self, *, meta: bool = True):
        """Validate the store with the shapes translated to SPARQL."""
        from seikg.kg import KnowledgeGraph
        from seikg.parsing import parse_files
        from seikg.store_validation import sparql_validate

        kg = KnowledgeGraph(
            parse_files(resources.ontology_files()),
            shapes=parse_files(resources.shapes_files()),
            data=Graph(),
        )
        return sparql_validate(kg, self.select, self.describe, meta=meta)


__all__ = ["OxigraphStore", "StoreKind", "StoreSpec", "to_oxigraph"]
