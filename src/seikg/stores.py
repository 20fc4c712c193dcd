"""Stores behind one interface: rdflib in memory, Oxigraph on disk, any SPARQL 1.1 endpoint.

``memory`` (the default) keeps the shipped behaviour: rdflib graphs and
pyshacl.  ``oxigraph:PATH`` is an embedded, on-disk Oxigraph store: filled
once with ``sei-kg load`` (bulk loaded, after the same strict input checks)
and reopened without reloading.  ``sparql:URL`` is a SPARQL 1.1 query
endpoint of a triple store someone already runs (GraphDB, Virtuoso, Jena
Fuseki, QLever, an Oxigraph server...): queries go over HTTP, and loading
uses the Graph Store Protocol or SPARQL Update.

Both kinds of store answer the same way: queries are inspected here first
(no SERVICE, FROM or update), the consistency rules run as the SPARQL
translation of the shapes (:mod:`seikg.shapes_sparql`), and results come
back as the same objects as on the memory store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg import resources
from seikg.errors import BadInputError, LimitError, StoreError
from seikg.formats import RdfFormat
from seikg.rdf.terms import to_oxigraph, to_rdflib
from seikg.sparql.policy import prepare, query_form
from seikg.sparql.results import AskResult, GraphResult, QueryResult, SelectResult

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph
    from seikg.validation import ValidationReport

Triple = tuple[Node, Node, Node]


class StoreKind(StrEnum):
    """The kinds of store."""

    MEMORY = "memory"
    OXIGRAPH = "oxigraph"
    SPARQL = "sparql"


@dataclass(frozen=True)
class StoreSpec:
    """A store named on the command line: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``.

    >>> StoreSpec.parse("oxigraph:/tmp/kg")
    StoreSpec(kind=<StoreKind.OXIGRAPH: 'oxigraph'>, location='/tmp/kg')
    >>> StoreSpec.parse("sparql:http://127.0.0.1:7878/query").kind
    <StoreKind.SPARQL: 'sparql'>
    """

    kind: StoreKind
    location: str = ""

    @classmethod
    def parse(cls, text: str) -> StoreSpec:
        """Read a store name; refuse anything else clearly."""
        if text == "memory":
            return cls(StoreKind.MEMORY)
        kind, sep, location = text.partition(":")
        if kind == "oxigraph" and sep and location:
            return cls(StoreKind.OXIGRAPH, location)
        if kind == "sparql" and sep:
            parts = urlsplit(location)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise BadInputError(
                    f"sparql store {location!r}: give the endpoint's http(s) URL, "
                    "e.g. sparql:http://127.0.0.1:7878/query"
                )
            return cls(StoreKind.SPARQL, location)
        raise BadInputError(
            f"unknown store {text!r}: use 'memory', 'oxigraph:PATH' or 'sparql:URL'"
        )

    def open(self, *, create: bool = False) -> Store | None:
        """The store (``None`` for memory); an Oxigraph store must exist unless ``create``."""
        if self.kind is StoreKind.MEMORY:
            return None
        if self.kind is StoreKind.SPARQL:
            return SparqlStore(self.location)
        if not create and not Path(self.location).exists():
            raise BadInputError(
                "no Oxigraph store here; fill one with 'sei-kg load FILES --store oxigraph:PATH'",
                path=self.location,
            )
        return OxigraphStore(self.location)


_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def _form_of(result: Any) -> str:
    """The form of a query from what Oxigraph returned for it."""
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"


def _term(term: Any) -> Node:
    """A term read from a store, as rdflib.

    Stores keep decimals as values and give back a canonical lexical form
    (Oxigraph writes 30.0 as "30"); a whole decimal gets back its ".0", as
    the graph files and rdflib write it, so every store gives the same text.

    >>> _term(ox.Literal("30", datatype=ox.NamedNode(_DECIMAL)))
    rdflib.term.Literal('30.0', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    if isinstance(term, ox.Literal) and term.datatype.value == _DECIMAL:
        lexical = term.value
        if "." not in lexical and lexical.lstrip("+-").isdigit():
            return to_rdflib(ox.Literal(f"{lexical}.0", datatype=term.datatype))
    return to_rdflib(term)


# Whole decimals in N-Triples dumped by a store, given back their ".0" (see _term).
_WHOLE_DECIMAL = re.compile(rb'"([+-]?[0-9]+)"\^\^<' + _DECIMAL.encode() + rb">")


def _with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Bind values with a VALUES block opening the WHERE clause (typed terms, N-Triples syntax)."""
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    match = re.search(r"\b(WHERE|ASK)\s*\{", text, flags=re.IGNORECASE)
    if match is None:
        raise BadInputError("cannot bind parameters: the query has no WHERE clause")
    cut = match.end()
    return f"{text[:cut]}\n  VALUES ({names}) {{ ({values}) }}\n{text[cut:]}"


def _checked_input(path: Path) -> tuple[RdfFormat, bytes]:
    """A file's format and bytes, after the input checks (size, encoding, nesting)."""
    from seikg.guard import read_input

    if not path.is_file():
        raise BadInputError("no such file", path=path)
    fmt = RdfFormat.from_path(path)
    data = read_input(path, fmt)
    return fmt, data


def _syntax_error(exc: SyntaxError, path: Path) -> BadInputError:
    if "Invalid UTF-8" in exc.msg:
        return BadInputError(
            "not UTF-8 text; save the file as UTF-8", path=path, line=exc.lineno,
            column=exc.offset,
        )  # fmt: skip
    return BadInputError(f"syntax error: {exc.msg}", path=path, line=exc.lineno, column=exc.offset)


class Store:
    """What every store offers: SPARQL queries, description, export, validation, loading.

    Subclasses say how a query runs (:meth:`_run`, giving pyoxigraph result
    objects) and how files are loaded; everything else is shared.
    """

    name = "store"

    def _run(self, text: str, form: str) -> Any:
        """Run a checked query; pyoxigraph solutions, boolean or triples."""
        raise NotImplementedError

    def _checked_form(self, text: str, source: str) -> str | None:
        """Parse and inspect a query (refusing SERVICE, FROM, updates); give its form."""
        return query_form(prepare(text, source=source))

    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Load files (after the strict input checks) and the ontology: by default only
        into an empty store.  Returns how many triples were added."""
        raise NotImplementedError

    def _paths(self, files: Sequence[Path], with_ontology: bool | None) -> list[Path]:
        if with_ontology is None:
            with_ontology = len(self) == 0
        return [Path(p) for p in (*(resources.ontology_files() if with_ontology else []), *files)]

    def __len__(self) -> int:
        result = self._run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT")
        return int(next(iter(result))["n"].value)

    def triples(self) -> Iterator[Triple]:
        """Every triple of the store's default graph, as rdflib terms."""
        for t in self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"):
            yield _term(t.subject), _term(t.predicate), _term(t.object)

    def select(self, text: str) -> list[dict[str, Node | None]]:
        """Run a SELECT; solutions as dicts of rdflib terms (for the validation engine)."""
        solutions = self._run(text, "SELECT")
        names = [v.value for v in solutions.variables]
        return [{n: (_term(s[n]) if s[n] is not None else None) for n in names} for s in solutions]

    def query(
        self, text: str, *, bindings: Mapping[str, Node] | None = None, source: str = "<query>",
        limit: int | None = None,
    ) -> QueryResult:  # fmt: skip
        """Check a query (no SERVICE, FROM or update), bind values, run it on the store."""
        form = self._checked_form(text, source)
        try:
            result = self._run(_with_values(text, bindings or {}), form or "")
        except SyntaxError as exc:  # from Oxigraph's parser, when it saw the text first
            raise BadInputError(f"SPARQL syntax error: {exc.msg}", path=source) from None
        if form is None:
            form = _form_of(result)
        if form == "ASK":
            return AskResult(bool(result))
        if form in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for t in result:
                graph.add((_term(t.subject), _term(t.predicate), _term(t.object)))
            return GraphResult(graph)
        names = tuple(v.value for v in result.variables)
        solutions = (
            tuple(_term(s[n]) if s[n] is not None else None for n in names) for s in result
        )
        return SelectResult.collect(names, solutions, limit)

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
        for t in self._run(query, "CONSTRUCT"):
            graph.add((_term(t.subject), _term(t.predicate), _term(t.object)))
        return graph

    def export(self, fmt: RdfFormat) -> bytes:
        """The whole store, deterministically, through the same writer as the memory store."""
        from seikg.rdf.export import serialize

        graph = Graph()
        for triple in self.triples():
            graph.add(triple)
        return serialize(graph, fmt)

    def to_knowledge_graph(self) -> KnowledgeGraph:
        """The store's facts as an in-memory knowledge graph (for small stores: stats, views)."""
        from seikg.kg import KnowledgeGraph
        from seikg.rdf.parsing import parse_files

        ontology = parse_files(resources.ontology_files())
        shapes = parse_files(resources.shapes_files())
        data = Graph()
        for triple in self.triples():
            if triple not in ontology:
                data.add(triple)
        return KnowledgeGraph(ontology, shapes=shapes, data=data)

    def validate(self, *, meta: bool = True, progress=None) -> ValidationReport:
        """Validate the store with the shapes translated to SPARQL, run on the store itself."""
        from seikg.kg import KnowledgeGraph
        from seikg.rdf.parsing import parse_files
        from seikg.store_validation import sparql_validate

        kg = KnowledgeGraph(
            parse_files(resources.ontology_files()),
            shapes=parse_files(resources.shapes_files()),
            data=Graph(),
        )
        return sparql_validate(kg, self.select, self.describe, meta=meta, progress=progress)


class OxigraphStore(Store):
    """An on-disk Oxigraph store holding ontology and facts in its default graph."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        try:
            self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise BadInputError(f"cannot open the Oxigraph store: {exc}", path=self.path) from None

    def _run(self, text: str, form: str) -> Any:
        return self.store.query(text)

    def _checked_form(self, text: str, source: str) -> str | None:
        """As for every store, except that a text that cannot hold a refused word at all
        goes straight to Oxigraph's strict parser (after the nesting check), and its
        form is read from the result: inspecting it with rdflib first would cost more
        than a typical query on a million triples."""
        from seikg.guard import LIMITS, check_nesting
        from seikg.sparql.policy import could_be_refused

        if could_be_refused(text):
            return super()._checked_form(text, source)
        check_nesting(Path(source), text, limit=LIMITS.get().max_nesting, json_like=False)
        return None

    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Bulk load files (after the strict input checks); the ontology into an empty store.

        A bad file changes nothing: an empty store is emptied again, and a store
        that already holds data has every file parsed once before loading.
        """
        paths = self._paths(files, with_ontology)
        before = len(self.store)
        if before:
            for path in paths:
                self._load_one(path, check_only=True)
        try:
            for path in paths:
                self._load_one(path)
        except BaseException:
            if before == 0:
                self.store.clear()
            raise
        return len(self.store) - before

    def _load_one(self, path: Path, *, check_only: bool = False) -> None:
        from seikg.guard import streamable_input

        if not path.is_file():
            raise BadInputError("no such file", path=path)
        fmt = RdfFormat.from_path(path)
        source: dict[str, Any] = {}
        if streamable_input(path, fmt):
            source["path"] = str(path)
        else:
            source["input"] = _checked_input(path)[1]
        try:
            if check_only:
                for _quad in ox.parse(format=fmt.oxigraph, **source):
                    pass
            else:
                self.store.bulk_load(format=fmt.oxigraph, to_graph=ox.DefaultGraph(), **source)
        except SyntaxError as exc:
            raise _syntax_error(exc, path) from None

    def __len__(self) -> int:
        return len(self.store)

    def triples(self) -> Iterator[Triple]:
        """Every triple of the default graph, read straight from the store."""
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield _term(quad.subject), _term(quad.predicate), _term(quad.object)

    def export(self, fmt: RdfFormat) -> bytes:
        """Sorted N-Triples straight from Oxigraph when there are no blank nodes, otherwise
        through the same writer as the memory store."""
        if fmt is RdfFormat.NTRIPLES:
            dumped = self.store.dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
            assert dumped is not None
            if b"_:" not in dumped:
                dumped = _WHOLE_DECIMAL.sub(rb'"\1.0"^^<' + _DECIMAL.encode() + rb">", dumped)
                return b"".join(sorted(set(dumped.splitlines(keepends=True))))
        return super().export(fmt)


# Chunks of N-Triples sent in one SPARQL Update request when blank nodes allow splitting.
UPDATE_CHUNK_TRIPLES = 20_000


class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint: queries over HTTP, loading by Graph Store Protocol or Update.

    ``update_url`` defaults to the query URL with a last path segment of
    ``query`` or ``sparql`` replaced by ``update`` (Oxigraph server, Jena
    Fuseki); ``graph_store_url``, when given, loads whole files into the
    default graph with the Graph Store Protocol instead, which is much faster.
    Only the endpoints named here can be reached; nothing else is.
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        import httpx

        from seikg.guard import allow_endpoint

        self.query_url = query_url
        self.name = query_url
        self.update_url = update_url
        self.graph_store_url = graph_store_url
        for url in (query_url, update_url, graph_store_url):
            if url is not None:
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    raise BadInputError(f"not an http(s) endpoint URL: {url!r}")
                default_port = 443 if parts.scheme == "https" else 80
                allow_endpoint(parts.hostname, parts.port or default_port)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)

    def _post(self, url: str, *, content: bytes, content_type: str, accept: str = "*/*") -> bytes:
        import httpx

        try:
            response = self.client.post(
                url, content=content, headers={"Content-Type": content_type, "Accept": accept}
            )
        except httpx.TimeoutException:
            raise LimitError(f"the SPARQL endpoint {url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:300]
            raise StoreError(
                f"the SPARQL endpoint {url} answered {response.status_code} "
                f"{response.reason_phrase}: {detail}"
            )
        return response.content

    def _run(self, text: str, form: str) -> Any:
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = self._post(
            self.query_url,
            content=text.encode("utf-8"),
            content_type="application/sparql-query",
            accept=accept,
        )
        try:
            if graph:
                return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the SPARQL endpoint {self.query_url} sent an answer that cannot be read: {exc}"
            ) from None

    def _update_endpoint(self) -> str:
        if self.update_url:
            return self.update_url
        parts = urlsplit(self.query_url)
        head, _sep, last = parts.path.rstrip("/").rpartition("/")
        if last in ("query", "sparql"):
            return parts._replace(path=f"{head}/update").geturl()
        raise BadInputError(
            f"cannot tell the update endpoint of {self.query_url}; give --update-url "
            "or --graph-store-url"
        )

    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Check and parse every file first, then send them: nothing is sent if one is bad."""
        update_url = None if self.graph_store_url else self._update_endpoint()
        paths = self._paths(files, with_ontology)
        documents: list[bytes] = []
        for path in paths:
            fmt, data = _checked_input(path)
            try:
                triples = [q.triple for q in ox.parse(data, format=fmt.oxigraph)]
            except SyntaxError as exc:
                raise _syntax_error(exc, path) from None
            documents.append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        before = len(self)
        for document in documents:
            if self.graph_store_url:
                joiner = "&" if "?" in self.graph_store_url else "?"
                self._post(
                    f"{self.graph_store_url}{joiner}default",
                    content=document,
                    content_type="application/n-triples",
                )
                continue
            assert update_url is not None
            for chunk in _update_chunks(document):
                self._post(
                    update_url,
                    content=b"INSERT DATA {\n" + chunk + b"}\n",
                    content_type="application/sparql-update",
                )
        return len(self) - before


def _update_chunks(document: bytes) -> Iterator[bytes]:
    """N-Triples in chunks for SPARQL Update; whole when blank nodes tie triples together
    (a blank node label means one node only within one request)."""
    lines = document.splitlines(keepends=True)
    if b"_:" in document:
        yield document
        return
    for start in range(0, len(lines), UPDATE_CHUNK_TRIPLES):
        yield b"".join(lines[start : start + UPDATE_CHUNK_TRIPLES])


def open_store(name: str, *, create: bool = False) -> Store:
    """Open a store by the name ``--store`` takes: ``oxigraph:PATH`` or ``sparql:URL``.

    >>> import tempfile
    >>> store = open_store(f"oxigraph:{tempfile.mkdtemp()}/kg", create=True)
    >>> store.load([]) > 1000  # the ontology goes into an empty store
    True
    >>> store.validate().conforms
    True
    """
    opened = StoreSpec.parse(name).open(create=create)
    if opened is None:
        raise BadInputError("the memory store is seikg.KnowledgeGraph.load(); name another store")
    return opened


__all__ = [
    "OxigraphStore",
    "SparqlStore",
    "Store",
    "StoreKind",
    "StoreSpec",
    "open_store",
    "to_oxigraph",
]
