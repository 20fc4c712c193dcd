"""The front door: one object with the verbs users need, over any store.

>>> kg = KnowledgeGraph.load()
>>> kg.query("ASK { ?o a <http://purl.org/linked-data/cube#Observation> }").value
True

A :class:`KnowledgeGraph` wraps a :class:`~seikg.stores.base.Store` (memory,
Oxigraph on disk, a SPARQL endpoint) and answers the same way whatever the
store.  :attr:`KnowledgeGraph.store` is the escape hatch to the store, and on
the memory store :attr:`KnowledgeGraph.graph` to the rdflib graph of ontology
and facts together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg.errors import BadInputError
from seikg.formats import RdfFormat
from seikg.sparql.results import QueryResult
from seikg.stores.base import Part, Store
from seikg.stores.memory import MemoryStore
from seikg.stores.spec import StoreSpec

if TYPE_CHECKING:
    from seikg.stores.stats import GraphStats
    from seikg.validation.report import ValidationReport
    from seikg.validation.sparql_engine import Progress


class KnowledgeGraph:
    """The ontology, the shapes and the facts of a store, with verbs over them."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def load(
        cls, data: Sequence[Path | str] | None = None, *, extra_shapes: Sequence[Path | str] = ()
    ) -> KnowledgeGraph:
        """The memory store: the shipped ontology and shapes, and ``data`` (``graph/`` if None).

        Files given as ``data`` replace ``graph/``; the ontology always comes along.
        Bad files raise :class:`seikg.errors.BadInputError` naming file, line and column.
        """
        return cls(MemoryStore.shipped(data, extra_shapes=extra_shapes))

    @classmethod
    def open(
        cls,
        name: str = "memory",
        *,
        create: bool = False,
        data: Sequence[Path | str] = (),
        extra_shapes: Sequence[Path | str] = (),
        update_url: str | None = None,
        graph_store_url: str | None = None,
    ) -> KnowledgeGraph:
        """The knowledge graph of the store named as ``--store`` names it.

        >>> KnowledgeGraph.open("memory").validate().conforms
        True
        """
        return cls(
            StoreSpec.parse(name).open(
                create=create, data=data, extra_shapes=extra_shapes, update_url=update_url,
                graph_store_url=graph_store_url,
            )
        )  # fmt: skip

    # -- the rdflib graphs of the memory store (the escape hatch)

    def _memory(self) -> MemoryStore:
        if not isinstance(self.store, MemoryStore):
            raise BadInputError(
                f"the rdflib graphs are those of the memory store, not of {self.store.name}; "
                "use .in_memory() for a copy"
            )
        return self.store

    @property
    def graph(self) -> Graph:
        """The rdflib graph of ontology and facts together (memory store)."""
        return self._memory().graph

    @property
    def ontology(self) -> Graph:
        """The ontology as an rdflib graph (memory store)."""
        return self._memory().ontology

    @property
    def data(self) -> Graph:
        """The facts as an rdflib graph (memory store)."""
        return self._memory().data

    @property
    def shapes(self) -> Graph:
        """The data shapes that check the store."""
        return self.store.shapes

    def part(self, part: Part = Part.ALL) -> Graph:
        """Return one part of the knowledge graph as an rdflib graph (memory store)."""
        return self._memory().part(part)

    def in_memory(self) -> KnowledgeGraph:
        """This knowledge graph, or a copy of its store's triples in memory (for pictures)."""
        if isinstance(self.store, MemoryStore):
            return self
        return KnowledgeGraph(MemoryStore.copy_of(self.store))

    # -- the verbs, the same on every store

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
        return self.store.query(sparql, bindings=bindings, source=source, limit=limit)

    def export(self, fmt: RdfFormat = RdfFormat.TURTLE, *, part: Part = Part.ALL) -> bytes:
        """Serialize a part of the knowledge graph deterministically.

        >>> kg = KnowledgeGraph.load()
        >>> kg.export(RdfFormat.NTRIPLES) == kg.export(RdfFormat.NTRIPLES)
        True
        """
        return self.store.export(fmt, part=part)

    def export_to(
        self, output: BinaryIO, *, fmt: RdfFormat = RdfFormat.TURTLE, part: Part = Part.ALL
    ) -> None:
        """Write the export to a binary stream; sorted N-Triples are streamed from a store
        in bounded memory (see :meth:`seikg.stores.base.Store.export_to`).

        >>> import io
        >>> kg, out = KnowledgeGraph.load(), io.BytesIO()
        >>> kg.export_to(out, fmt=RdfFormat.NTRIPLES)
        >>> out.getvalue() == kg.export(RdfFormat.NTRIPLES)
        True
        """
        self.store.export_to(output, fmt=fmt, part=part)

    def validate(self, *, meta: bool = True, progress: Progress | None = None) -> ValidationReport:
        """Check facts and ontology against every rule (see :mod:`seikg.validation`)."""
        return self.store.validate(meta=meta, progress=progress)

    def stats(self) -> GraphStats:
        """Count what the graph holds (see :mod:`seikg.stores.stats`)."""
        return self.store.stats()

    def describe(self, nodes: Sequence[URIRef]) -> Graph:
        """The triples around some resources (theirs, their neighbours', labels)."""
        return self.store.describe(nodes)

    def find_labelled(self, text: str) -> list[URIRef]:
        """The resources labelled ``text`` in any language (see :meth:`Store.find_labelled`)."""
        return self.store.find_labelled(text)

    def add(self, files: Sequence[Path]) -> int:
        """Add files to the store (with the ontology, into an empty store); triples added."""
        return self.store.load(files)

    def label(self, node: URIRef, *, lang: str = "en") -> str:
        """Return a readable label of ``node`` in ``lang`` (falling back to English, then the IRI).

        >>> kg = KnowledgeGraph.load()
        >>> kg.label(URIRef("https://w3id.org/sei-kg/place/370200"), lang="zh")
        '青岛市'
        """
        return self.store.label(node, lang=lang)

    def __len__(self) -> int:
        return len(self.store)


__all__ = ["KnowledgeGraph", "Part"]
