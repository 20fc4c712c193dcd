"""The one place where the server touches the graph: a thin adapter over the package.

Everything the server asks of a store goes through :class:`Backend`: queries
(with an optional dataset: graphs the store holds, picked by ``FROM`` or the
protocol's ``default-graph-uri`` / ``named-graph-uri``), the parts of the
graph for the Graph Store Protocol, validation, labels, and an in-memory
knowledge graph for the views.  Today it wraps :meth:`seikg.KnowledgeGraph.load`
(the ``memory`` store) and :func:`seikg.open_store` (``oxigraph:PATH`` and
``sparql:URL``); retarget it here when the store interface changes.

A backend is opened in the server process and used in its worker processes
(:mod:`seikg.serve.pool`): the memory store is loaded before the workers are
forked and shared with them; an Oxigraph store is opened read-only by each
worker, on first use, so that several workers read it at once.

>>> b = Backend.open("memory")
>>> b.query("ASK { ?s ?p ?o }").value
True
>>> sorted(b.graph_names())[0]
'https://w3id.org/sei-kg/graph/data'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from seikg.errors import PolicyError
from seikg.namespaces import BASE
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

    from seikg.kg import KnowledgeGraph
    from seikg.stores import Store
    from seikg.validation import ValidationReport
    from seikg.views.kinds import Focus

PARTS = ("ontology", "shapes", "data")
"""The parts of the knowledge graph, served by the Graph Store Protocol."""


def part_graph(part: str) -> str:
    """The IRI that names a part of the knowledge graph (as a named graph).

    >>> part_graph("ontology")
    'https://w3id.org/sei-kg/graph/ontology'
    """
    return f"{BASE}graph/{part}"


@dataclass(frozen=True)
class DatasetChoice:
    """The graphs a query runs on, when it (or the request) names them."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


@dataclass
class Backend:
    """A store as the server sees it (see the module docstring)."""

    name: str
    data: tuple[Path, ...] = ()
    _kg: KnowledgeGraph | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _datasets: dict[DatasetChoice, Dataset] = field(default_factory=dict, repr=False)
    _label_kg: KnowledgeGraph | None = field(default=None, repr=False)
    _materialized: KnowledgeGraph | None = field(default=None, repr=False)

    @classmethod
    def open(cls, name: str = "memory", *, data: Sequence[Path] = ()) -> Backend:
        """Name a store as ``--store`` does; the memory store is loaded now, others on use."""
        from seikg.errors import BadInputError
        from seikg.stores import StoreKind, StoreSpec

        spec = StoreSpec.parse(name)
        backend = cls(name, tuple(Path(p) for p in data))
        if spec.kind is StoreKind.MEMORY:
            from seikg.kg import KnowledgeGraph

            backend._kg = KnowledgeGraph.load(list(data) if data else None)
        elif data:
            raise BadInputError(f"files to read need the memory store; load them into {name}")
        elif spec.kind is StoreKind.OXIGRAPH:
            from seikg.stores.oxigraph import refuse_unfinished

            if not Path(spec.location).exists():
                raise BadInputError(
                    "no Oxigraph store here; fill one with 'sei-kg load FILES --store "
                    "oxigraph:PATH'",
                    path=spec.location,
                )
            refuse_unfinished(Path(spec.location))  # before serving half a load
        return backend

    @property
    def kind(self) -> str:
        """``memory``, ``oxigraph`` or ``sparql``."""
        return "memory" if self._kg is not None else self.name.partition(":")[0]

    def store(self) -> Store:
        """The store behind a non-memory backend, opened in this process on first use."""
        if self._store is None:
            from seikg.stores import StoreKind, StoreSpec, open_store

            spec = StoreSpec.parse(self.name)
            if spec.kind is StoreKind.OXIGRAPH:
                self._store = _read_only_oxigraph(spec.location)
            else:
                self._store = open_store(self.name)
        return self._store

    # -- queries -----------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        dataset: DatasetChoice | None = None,
        prepared: Query | None = None,
        limit: int | None = None,
        source: str = "<query>",
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a query; with a ``dataset``, on the graphs it names (which the store must hold).

        Without a dataset this is the package's own ``query`` (SERVICE, FROM
        and updates refused).  With one, ``prepared`` is the query already
        inspected by :mod:`seikg.serve.sparql` with its dataset clause taken
        out, so that no graph is ever loaded from anywhere.
        """
        if not dataset:
            if self._kg is not None:
                return self._kg.query(text, bindings=bindings, source=source, limit=limit)
            return self.store().query(text, bindings=bindings, source=source, limit=limit)
        unknown = [g for g in (*dataset.default, *dataset.named) if g not in self.graph_names()]
        if unknown:
            raise PolicyError(
                f"{source}: the graph <{unknown[0]}> is not in this store; a dataset may only "
                "name graphs the store holds, and nothing is ever fetched"
            )
        if self._kg is not None:
            assert prepared is not None
            init: dict[str, Any] = dict(bindings or {})
            return _rdflib_result(self._dataset(dataset).query(prepared, initBindings=init), limit)
        return self._oxigraph_query(text, dataset, limit, base_iri=base_iri, source=source)

    def _dataset(self, choice: DatasetChoice) -> Dataset:
        """An rdflib dataset of the memory store's parts: the default graph and named graphs."""
        if choice not in self._datasets:
            assert self._kg is not None
            from seikg.kg import Part

            dataset = Dataset()
            for iri in choice.default:
                for triple in self._kg.part(Part(iri.rsplit("/", 1)[1])):
                    dataset.default_graph.add(triple)
            for iri in choice.named:
                named = dataset.graph(URIRef(iri))
                for triple in self._kg.part(Part(iri.rsplit("/", 1)[1])):
                    named.add(triple)
            self._datasets = {choice: dataset}  # one kept: the parts are small, datasets not
        return self._datasets[choice]

    def _oxigraph_query(
        self, text: str, choice: DatasetChoice, limit: int | None, *, base_iri: str | None,
        source: str,
    ) -> QueryResult:  # fmt: skip
        import pyoxigraph as ox

        from seikg.errors import BadInputError
        from seikg.stores.convert import form_of as _form_of
        from seikg.stores.convert import term as _term

        store = self.store()
        if not hasattr(store, "store"):
            raise PolicyError("this store takes no dataset: FROM and named graphs are refused")
        try:
            result = store.store.query(
                text,
                base_iri=base_iri,
                default_graph=[ox.NamedNode(g) for g in choice.default],
                named_graphs=[ox.NamedNode(g) for g in choice.named],
            )
        except SyntaxError as exc:
            raise BadInputError(f"SPARQL syntax error: {exc.msg}", path=source) from None
        form = _form_of(result)
        if form == "ASK":
            return AskResult(bool(result))
        if form == "CONSTRUCT":
            graph = Graph()
            for t in result:
                graph.add((_term(t.subject), _term(t.predicate), _term(t.object)))
            return GraphResult(graph)
        names = tuple(v.value for v in result.variables)
        rows = (tuple(_term(s[n]) if s[n] is not None else None for n in names) for s in result)
        return SelectResult.collect(names, rows, limit)

    def graph_names(self) -> list[str]:
        """The named graphs a dataset may pick: the parts (memory) or the store's graphs."""
        if self._kg is not None:
            return [part_graph(p) for p in PARTS]
        store = self.store()
        if hasattr(store, "store"):
            return sorted(g.value for g in store.store.named_graphs())
        return []

    # -- whole graphs --------------------------------------------------------------

    def part(self, part: str) -> Graph:
        """One part of the knowledge graph (``ontology``, ``shapes``, ``data``) or ``all``
        (the default graph: what queries run on)."""
        from seikg import resources
        from seikg.kg import Part
        from seikg.rdf.parsing import parse_files

        if self._kg is not None:
            return self._kg.graph if part == "all" else self._kg.part(Part(part))
        if part == "ontology":
            return parse_files(resources.ontology_files())
        if part == "shapes":
            return parse_files(resources.shapes_files())
        if part == "data":
            return self.knowledge_graph().data
        graph = Graph()
        for triple in self.store().triples():
            graph.add(triple)
        return graph

    def named_graph(self, iri: str) -> Graph:
        """A named graph the store holds (see :meth:`graph_names`)."""
        if self._kg is not None or iri in (part_graph(p) for p in PARTS):
            return self.part(iri.rsplit("/", 1)[1])
        result = self.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            dataset=DatasetChoice(named=(iri,)),
        )
        assert isinstance(result, GraphResult)
        return result.graph

    def knowledge_graph(self) -> KnowledgeGraph:
        """The knowledge graph in memory (a store is materialized: moderate sizes only)."""
        if self._kg is not None:
            return self._kg
        if self._materialized is None:
            from seikg.kg import KnowledgeGraph

            self._materialized = KnowledgeGraph(self.store()).in_memory()
        return self._materialized

    def view_source(self, view: str, focus: Focus) -> KnowledgeGraph:
        """What a view is drawn from, read where the data is
        (:func:`seikg.views.source.view_source`): no store is copied whole for a view."""
        from seikg.kg import KnowledgeGraph
        from seikg.views.source import view_source

        kg = self._kg if self._kg is not None else KnowledgeGraph(self.store())
        return view_source(kg, view, focus)

    def validate(self) -> ValidationReport:
        """Check every rule: pyshacl on the memory store, the shapes as SPARQL on a store."""
        if self._kg is not None:
            return self._kg.validate()
        return self.store().validate()

    def catalogue_bindings(self, entry: Any, given: dict[str, str]) -> dict[str, Node]:
        """Typed values for a catalogue query's parameters (labels looked up in the store
        queried, as the CLI does)."""
        return dict(entry.bindings(given, kg=self._kg if self._kg is not None else self.store()))


def _read_only_oxigraph(location: str) -> Store:
    """An Oxigraph store opened read-only, so that every worker process can open it."""
    from seikg.stores import OxigraphStore

    return OxigraphStore.read_only(location)


def _rdflib_result(result: Any, limit: int | None) -> QueryResult:
    """An rdflib query result as the package's typed result."""
    if result.type == "ASK":
        return AskResult(bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph()
        for triple in result:
            graph.add(triple)
        return GraphResult(graph)
    names = tuple(str(v) for v in (result.vars or []))
    return SelectResult.collect(names, (tuple(row) for row in result), limit)
