"""The façade: one object with the verbs users need.

>>> kg = KnowledgeGraph.load()
>>> kg.query("ASK { ?o a <http://purl.org/linked-data/cube#Observation> }").value
True

It wraps rdflib graphs rather than extending them; :attr:`KnowledgeGraph.graph`
is the escape hatch to the rdflib graph of ontology and facts together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg import resources
from seikg.formats import RdfFormat
from seikg.rdf.export import serialize
from seikg.rdf.parsing import parse_files
from seikg.sparql.policy import prepare, query_form
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult

if TYPE_CHECKING:
    from seikg.stats import GraphStats
    from seikg.validation import ValidationReport


class Part(StrEnum):
    """Which part of the knowledge graph to export."""

    ONTOLOGY = "ontology"
    SHAPES = "shapes"
    DATA = "data"
    ALL = "all"


class KnowledgeGraph:
    """The ontology, the shapes and the facts, kept apart, with verbs over them."""

    def __init__(self, ontology: Graph, *, shapes: Graph, data: Graph) -> None:
        self.ontology = ontology
        self.shapes = shapes
        self.data = data
        self._union: Graph | None = None

    @classmethod
    def load(
        cls, data: Sequence[Path | str] | None = None, *, extra_shapes: Sequence[Path | str] = ()
    ) -> KnowledgeGraph:
        """Load the shipped ontology and shapes, and ``data`` (the shipped ``graph/`` if None).

        Files given as ``data`` replace ``graph/``; the ontology always comes along.
        Bad files raise :class:`seikg.errors.BadInputError` naming file, line and column.
        """
        ontology = parse_files(resources.ontology_files())
        shape_paths = [*resources.shapes_files(), *(Path(p) for p in extra_shapes)]
        shapes = parse_files(shape_paths)
        data_paths = resources.graph_files() if data is None else [Path(p) for p in data]
        facts = parse_files(data_paths)
        return cls(ontology, shapes=shapes, data=facts)

    @property
    def graph(self) -> Graph:
        """The rdflib graph of ontology and facts together (what queries run on)."""
        if self._union is None:
            union = Graph()
            for triple in self.ontology:
                union.add(triple)
            for triple in self.data:
                union.add(triple)
            self._union = union
        return self._union

    def part(self, part: Part = Part.ALL) -> Graph:
        """Return one part of the knowledge graph as an rdflib graph."""
        if part is Part.ONTOLOGY:
            return self.ontology
        if part is Part.SHAPES:
            return self.shapes
        if part is Part.DATA:
            return self.data
        everything = Graph()
        for graph in (self.ontology, self.shapes, self.data):
            for triple in graph:
                everything.add(triple)
        return everything

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        source: str = "<query>",
        limit: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on ontology and facts; return a typed result.

        Values in ``bindings`` are bound to the query's variables, never
        pasted into its text.  ``limit`` caps the number of SELECT rows.

        >>> kg = KnowledgeGraph.load()
        >>> r = kg.query("SELECT ?v WHERE { ?o <http://purl.org/dc/terms/identifier> 'F1' ; "
        ...              "<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }")
        >>> str(r.rows[0].v)
        '31.8'
        """
        prepared = prepare(sparql, source=source)
        form = query_form(prepared)
        init: dict[str, Any] = dict(bindings or {})
        result = self.graph.query(prepared, initBindings=init)
        if form == "ASK":
            return AskResult(bool(result.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            for triple in result:
                out.add(triple)  # type: ignore[arg-type]
            return GraphResult(out)
        variables = tuple(str(v) for v in (result.vars or []))
        return SelectResult.collect(variables, (tuple(s) for s in result), limit)  # type: ignore[arg-type]

    def export(self, fmt: RdfFormat = RdfFormat.TURTLE, *, part: Part = Part.ALL) -> bytes:
        """Serialize a part of the knowledge graph deterministically.

        >>> kg = KnowledgeGraph.load()
        >>> kg.export(RdfFormat.NTRIPLES) == kg.export(RdfFormat.NTRIPLES)
        True
        """
        return serialize(self.part(part), fmt)

    def validate(self) -> ValidationReport:
        """Check facts and ontology against every rule (see :mod:`seikg.validation`)."""
        from seikg.validation import validate

        return validate(self)

    def stats(self) -> GraphStats:
        """Count what the graph holds (see :mod:`seikg.stats`)."""
        from seikg.stats import compute_stats

        return compute_stats(self)

    def label(self, node: URIRef, *, lang: str = "en") -> str:
        """Return a readable label of ``node`` in ``lang`` (falling back to English, then the IRI).

        >>> kg = KnowledgeGraph.load()
        >>> kg.label(URIRef("https://w3id.org/sei-kg/place/370200"), lang="zh")
        '青岛市'
        """
        from rdflib.namespace import RDFS, SKOS

        graph = self.graph
        for language in (lang, "en", None):
            for predicate in (SKOS.prefLabel, RDFS.label):
                for value in graph.objects(node, predicate):
                    if language is None or getattr(value, "language", None) == language:
                        return str(value)
        from seikg.sparql.writers import short_text

        return short_text(node)
