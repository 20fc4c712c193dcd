"""The one store interface: what every store offers, and what they share.

A store holds the ontology and the facts and answers SPARQL; it also knows
the data shapes that check it.  Three kinds implement :class:`Store`: memory
(rdflib graphs, pyshacl), an on-disk Oxigraph store, and a remote SPARQL
endpoint.  Everything above the stores (the :class:`~seikg.kg.KnowledgeGraph`
façade, the command line, the server) talks to this interface only.

Queries are inspected here before any engine sees them (no SERVICE, FROM or
update); results come back as the same typed objects from every store.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.namespaces import SEI
from seikg.sparql.results import GraphResult, QueryResult, SelectResult
from seikg.stores.convert import with_value_list

if TYPE_CHECKING:
    from seikg.stores.stats import GraphStats
    from seikg.validation.report import ValidationReport
    from seikg.validation.sparql_engine import Progress

Triple = tuple[Node, Node, Node]

# Resources described per query when a report names figures (keeps request sizes sane).
DESCRIBE_CHUNK = 500


class NeedsGraph(Exception):
    """Raised by a stream of N-Triples lines that met a blank node: the export needs the
    graph writer (blank node labels depend on the whole graph)."""


class StoreKind(StrEnum):
    """The kinds of store."""

    MEMORY = "memory"
    OXIGRAPH = "oxigraph"
    SPARQL = "sparql"


class Part(StrEnum):
    """Which part of the knowledge graph to export."""

    ONTOLOGY = "ontology"
    SHAPES = "shapes"
    DATA = "data"
    ALL = "all"


_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?p ?label WHERE { ?node ?p ?label . FILTER (?p IN (skos:prefLabel, rdfs:label)) }
"""

LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation, SEI.divisionCode)
"""What a resource can be found by (:meth:`Store.find_labelled`): the properties of _LABELLED."""

_LABELLED = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sei: <https://w3id.org/sei-kg/ontology#>
SELECT DISTINCT ?s WHERE {
  ?s rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|sei:divisionCode ?l .
  FILTER (isIRI(?s))
  BIND (LCASE(STR(?l)) AS ?t)
  FILTER (?t = ?wanted || ?t = CONCAT(?wanted, "市") || ?t = CONCAT(?wanted, "省"))
}
"""


def _pick(found: list[tuple[str, Literal]], lang: str) -> str | None:
    """The label to show: a prefLabel before an rdfs:label, in ``lang``, then English, then
    any; among equals the first in code point order."""
    ordered = sorted(
        found,
        key=lambda pair: (
            pair[0] != "http://www.w3.org/2004/02/skos/core#prefLabel",
            str(pair[1]),
        ),
    )
    for language in (lang, "en", None):
        for _predicate, value in ordered:
            if language is None or value.language == language:
                return str(value)
    return None


class Store(ABC):
    """What every store offers: SPARQL queries, description, export, validation, stats, loading.

    Subclasses say how a checked query runs (:meth:`_execute`), how the store is
    validated, how files are loaded and how its triples are read; the rest is
    shared, so every store answers alike.
    """

    kind: StoreKind
    name: str
    keeps_data = True
    """Whether what is loaded stays (on disk or at an endpoint) for later commands."""
    shapes: Graph
    """The data shapes that check this store (the shipped ones and any added)."""

    # -- what each kind of store says for itself

    @abstractmethod
    def _execute(
        self, text: str, form: str | None, bindings: Mapping[str, Node], limit: int | None,
        source: str,
    ) -> QueryResult:  # fmt: skip
        """Run a query that passed the policy check; ``form`` is None when not yet known."""

    @abstractmethod
    def triples(self) -> Iterator[Triple]:
        """Every triple of the store (ontology and facts), as rdflib terms."""

    @abstractmethod
    def __len__(self) -> int:
        """How many triples the store holds (ontology and facts)."""

    @abstractmethod
    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Add files (after the strict input checks); returns how many triples were added."""

    @abstractmethod
    def validate(self, *, meta: bool = True, progress: Progress | None = None) -> ValidationReport:
        """Check the store against every rule (and the ontology against the meta-shapes)."""

    @abstractmethod
    def part_sizes(self) -> dict[str, int]:
        """Triples in each part: ontology, shapes and data."""

    def _checked_form(self, text: str, source: str) -> str | None:
        """Parse and inspect a query (refusing SERVICE, FROM, updates); give its form."""
        from seikg.sparql.policy import prepare, query_form

        return query_form(prepare(text, source=source))

    # -- shared by every store

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        source: str = "<query>",
        limit: int | None = None,
    ) -> QueryResult:
        """Check a query (no SERVICE, FROM or update), bind values, run it; a typed result.

        Values in ``bindings`` are bound to the query's variables, never pasted
        into its text; ``limit`` caps the number of SELECT rows.  The columns of
        ``SELECT *`` come in the order the variables first appear in the text.
        """
        from seikg.sparql.columns import in_text_order, star_columns
        from seikg.sparql.policy import decode_escapes

        text = decode_escapes(text, source=source)  # what is inspected is what the engine runs
        form = self._checked_form(text, source)
        result = self._execute(text, form, dict(bindings or {}), limit, source)
        if isinstance(result, SelectResult):  # SELECT *: the columns in one order everywhere
            order = star_columns(text)
            if order is not None:
                result = result.with_columns(in_text_order(result.variables, order))
        return result

    def describe(self, nodes: Sequence[URIRef]) -> Graph:
        """The triples around some resources, as reports need them to describe figures."""
        from seikg.validation.figures import CONTEXT_QUERY

        graph = Graph()
        ordered = sorted(set(nodes), key=str)
        for start in range(0, len(ordered), DESCRIBE_CHUNK):
            text = with_value_list(CONTEXT_QUERY, "s", ordered[start : start + DESCRIBE_CHUNK])
            result = self.query(text, source="<describe>")
            assert isinstance(result, GraphResult)
            for triple in result.graph:
                graph.add(triple)
        return graph

    def label(self, node: Node, *, lang: str = "en") -> str:
        """A readable label of ``node`` in ``lang`` (then English, then any), or its short name."""
        if not isinstance(node, URIRef):
            return str(node)
        return self.labels([node], lang=lang)[node]

    def labels(self, nodes: Sequence[URIRef], *, lang: str = "en") -> dict[URIRef, str]:
        """:meth:`label` of many resources, asked in a few queries (one per 500 resources)."""
        from seikg.sparql.writers import short_text

        found: dict[URIRef, list[tuple[str, Literal]]] = {}
        ordered = sorted(set(nodes), key=str)
        for start in range(0, len(ordered), DESCRIBE_CHUNK):
            text = with_value_list(_LABELS, "node", ordered[start : start + DESCRIBE_CHUNK])
            result = self.query(text, source="<labels>")
            assert isinstance(result, SelectResult)
            for row in result:
                if isinstance(row.node, URIRef) and isinstance(row.label, Literal):
                    found.setdefault(row.node, []).append((str(row.p), row.label))
        picked = {node: _pick(found.get(node, []), lang) for node in ordered}
        return {node: short_text(node) if text is None else text for node, text in picked.items()}

    def find_labelled(self, text: str) -> list[URIRef]:
        """The resources labelled ``text`` (any language, case-insensitively; a place also by
        its name without 市 or 省, or by its division code)."""
        wanted = Literal(text.strip().casefold())
        result = self.query(_LABELLED, bindings={"wanted": wanted}, source="<labels>")
        assert isinstance(result, SelectResult)
        return sorted({r.s for r in result if isinstance(r.s, URIRef)}, key=str)

    def export(self, fmt: RdfFormat = RdfFormat.TURTLE, *, part: Part = Part.ALL) -> bytes:
        """The export of :meth:`export_to`, as bytes in hand."""
        buffer = io.BytesIO()
        self.export_to(buffer, fmt=fmt, part=part)
        return buffer.getvalue()

    def export_to(
        self, output: BinaryIO, *, fmt: RdfFormat = RdfFormat.TURTLE, part: Part = Part.ALL
    ) -> None:
        """Write the whole store to ``output``, deterministically, as every store writes it.

        N-Triples are streamed from the store and sorted in bounded memory (see
        :mod:`seikg.rdf.sorting`) when the store gives its lines
        (:meth:`_ntriples_lines`) and they hold no blank node; the other formats,
        and triples with blank nodes (whose labels depend on the whole graph), go
        through one rdflib graph and the writer every store shares.
        """
        from seikg.rdf.export import serialize
        from seikg.rdf.sorting import write_sorted_unique

        if part is not Part.ALL:
            raise BadInputError("--part needs the memory store; a store exports all it holds")
        if fmt is RdfFormat.NTRIPLES:
            lines = self._ntriples_lines()
            if lines is not None:
                try:
                    write_sorted_unique(lines, output)  # writes nothing if the lines fail
                    return
                except NeedsGraph:
                    pass
        graph = Graph()
        for triple in self.triples():
            graph.add(triple)
        output.write(serialize(graph, fmt))

    def _ntriples_lines(self) -> Iterator[list[bytes]] | None:
        """The store's triples as the N-Triples lines the shared writer gives them, in
        batches, in any order (duplicates allowed), raising :class:`NeedsGraph` at a blank
        node; None when the store cannot give them (then the graph writer is used)."""
        return None

    def stats(self) -> GraphStats:
        """Count what the store holds, with SPARQL aggregates run on the store itself."""
        from seikg.stores.stats import compute_stats

        return compute_stats(self)
