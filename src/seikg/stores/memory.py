"""The memory store: rdflib graphs for the ontology, the shapes and the facts, and pyshacl.

It holds the shipped graph (or the files given instead of ``graph/``) and
keeps its three parts apart, so that any of them can be exported alone;
queries run on the ontology and the facts together.

>>> store = MemoryStore.shipped()
>>> store.validate().conforms
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg import resources
from seikg.formats import RdfFormat
from seikg.rdf.parsing import parse_files
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult
from seikg.stores.base import LABEL_PREDICATES, Part, Store, StoreKind, Triple
from seikg.validation.report import ValidationReport
from seikg.validation.sparql_engine import Progress


def _clamp_slices(algebra: Any) -> None:
    """``OFFSET n LIMIT m`` with n + m past the machine's integers: rdflib cuts the solutions
    with ``islice(n, n + m)``, which refuses such a bound, where it means "all after n"."""
    import sys

    from seikg.sparql.policy import _nodes as algebra_nodes

    for node in algebra_nodes(algebra):
        if node.name == "Slice" and node.get("length") is not None:
            start = node.get("start") or 0
            if start + node["length"] > sys.maxsize:
                node["length"] = sys.maxsize - start


def _groups(algebra: Any) -> bool:
    """Whether a query groups (GROUP BY): rdflib answers a grouping of no solutions with one
    solution that binds nothing, where SPARQL gives none (its own results drop every such
    solution, and with them the one an OPTIONAL that matched nothing rightly gives)."""
    from seikg.sparql.policy import _nodes as algebra_nodes

    return any(
        node.name == "AggregateJoin" and node.p.get("expr") is not None
        for node in algebra_nodes(algebra)
    )


class MemoryStore(Store):
    """The ontology, the shapes and the facts as rdflib graphs, validated by pyshacl."""

    kind = StoreKind.MEMORY
    name = "memory"
    keeps_data = False

    def __init__(self, ontology: Graph, *, shapes: Graph, data: Graph) -> None:
        self.ontology = ontology
        self.shapes = shapes
        self.data = data
        self._union: Graph | None = None

    @classmethod
    def shipped(
        cls, data: Sequence[Path | str] | None = None, *, extra_shapes: Sequence[Path | str] = ()
    ) -> MemoryStore:
        """The shipped ontology and shapes, with ``data`` (the shipped ``graph/`` if None).

        Bad files raise :class:`seikg.errors.BadInputError` naming file, line and column.
        """
        ontology = parse_files(resources.ontology_files())
        shapes = parse_files([*resources.shapes_files(), *(Path(p) for p in extra_shapes)])
        data_paths = resources.graph_files() if data is None else [Path(p) for p in data]
        return cls(ontology, shapes=shapes, data=parse_files(data_paths))

    @property
    def graph(self) -> Graph:
        """The rdflib graph of ontology and facts together (what queries run on)."""
        if self._union is None:
            union = Graph()
            for graph in (self.ontology, self.data):
                for triple in graph:
                    union.add(triple)
            self._union = union
        return self._union

    def part(self, part: Part = Part.ALL) -> Graph:
        """One part of the knowledge graph as an rdflib graph (all: ontology, shapes, facts)."""
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

    def _execute(
        self, text: str, form: str | None, bindings: Mapping[str, Node], limit: int | None,
        source: str,
    ) -> QueryResult:  # fmt: skip
        from rdflib import Variable
        from rdflib.plugins.sparql.evaluate import evalQuery

        from seikg.sparql.policy import prepare

        prepared = prepare(text, source=source)  # kept from the policy check: not parsed again
        _clamp_slices(prepared.algebra)
        init: dict[str, Any] = dict(bindings)
        if form == "SELECT":  # every solution, one that binds nothing included (see below)
            answer = evalQuery(self.graph, prepared, init)
            names = tuple(str(v) for v in (answer.get("vars_") or []))
            keys = [Variable(name) for name in names]
            solutions = (tuple(b.get(k) for k in keys) for b in answer["bindings"])
            if _groups(prepared.algebra):  # rdflib's GROUP BY of nothing: one empty solution
                solutions = (row for row in solutions if any(v is not None for v in row))
            return SelectResult.collect(names, solutions, limit)
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

    def triples(self) -> Iterator[Triple]:
        """Every triple of ontology and facts."""
        yield from self.graph

    def __len__(self) -> int:
        return len(self.graph)

    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Add fact files to the data (the ontology is always there)."""
        before = len(self.data)
        parse_files([Path(p) for p in files], graph=self.data)
        self._union = None
        return len(self.data) - before

    def find_labelled(self, text: str) -> list[URIRef]:
        """The resources labelled ``text``, as :meth:`Store.find_labelled` finds them, read from
        rdflib's index instead of a SPARQL filter over every label (4 s with the skeleton of
        divisions, a few milliseconds here).

        >>> MemoryStore.shipped().find_labelled("qingdao")
        [rdflib.term.URIRef('https://w3id.org/sei-kg/place/370200')]
        """
        wanted = text.strip().casefold()
        targets = {wanted, wanted + "市", wanted + "省"}
        graph = self.graph
        found = {
            s
            for predicate in LABEL_PREDICATES
            for s, _p, o in graph.triples((None, predicate, None))
            if isinstance(s, URIRef) and str(o).lower() in targets
        }
        return sorted(found, key=str)

    def part_sizes(self) -> dict[str, int]:
        """Triples in each part, as held."""
        return {"ontology": len(self.ontology), "shapes": len(self.shapes), "data": len(self.data)}

    def export_to(
        self, output: BinaryIO, *, fmt: RdfFormat = RdfFormat.TURTLE, part: Part = Part.ALL
    ) -> None:
        """Serialize a part deterministically (all: ontology, shapes and facts)."""
        from seikg.rdf.export import serialize

        output.write(serialize(self.part(part), fmt))

    def validate(self, *, meta: bool = True, progress: Progress | None = None) -> ValidationReport:
        """pyshacl on ontology and facts with the data shapes; the ontology with the meta-shapes."""
        from seikg.validation.run import with_pyshacl

        return with_pyshacl(
            self.graph, shapes=self.shapes, ontology=self.ontology, describe=self.describe,
            meta=meta,
        )  # fmt: skip

    @classmethod
    def copy_of(cls, store: Store, *, triples: Iterable[Triple] | None = None) -> MemoryStore:
        """A store's triples in memory (or those of them given), with the shipped ontology
        and the store's shapes (for work that needs rdflib graphs, such as the pictures)."""
        ontology = parse_files(resources.ontology_files())
        data = Graph()
        for triple in store.triples() if triples is None else triples:
            if triple not in ontology:
                data.add(triple)
        return cls(ontology, shapes=store.shapes, data=data)
