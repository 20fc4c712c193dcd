"""A remote SPARQL 1.1 endpoint as a store: queries over HTTP, loading by Update or the
Graph Store Protocol.  Only the endpoints named can be reached; nothing else is."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.serializers.nt import _nt_row  # the row the shared writer writes
from rdflib.term import Node

from seikg.errors import BadInputError, LimitError, StoreError
from seikg.stores.base import NeedsGraph, StoreKind, Triple
from seikg.stores.convert import term, with_values
from seikg.stores.counts import one_count
from seikg.stores.engines import AnswersStore
from seikg.stores.files import checked_files, load_order, shipped_shapes

# Chunks of N-Triples sent in one SPARQL Update request when blank nodes allow splitting.
UPDATE_CHUNK_TRIPLES = 20_000


class SparqlStore(AnswersStore):
    """A remote SPARQL 1.1 endpoint: queries over HTTP, loading by Graph Store Protocol or Update.

    ``update_url`` defaults to the query URL with a last path segment of
    ``query`` or ``sparql`` replaced by ``update`` (Oxigraph server, Jena
    Fuseki); ``graph_store_url``, when given, loads whole files into the
    default graph with the Graph Store Protocol instead, which is much faster.
    Only the endpoints named here can be reached; nothing else is.
    """

    kind = StoreKind.SPARQL

    def __init__(
        self,
        query_url: str,
        *,
        shapes: Graph | None = None,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 300.0,
    ) -> None:
        import httpx

        from seikg.guard import allow_endpoint

        self.shapes = shapes if shapes is not None else shipped_shapes()
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

    def _run(self, text: str, form: str, bindings: Mapping[str, Node] | None = None) -> Any:
        text = with_values(text, bindings or {})
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
            results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(results, ox.QuerySolutions):
                return _ReadSolutions(results)  # read to the end here: a bad row is caught now
            return results
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                f"the SPARQL endpoint {self.query_url} sent an answer that cannot be read: {exc}"
            ) from None

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return one_count(rows, "n", store=self.name, what="the number of triples")

    def triples(self) -> Iterator[Triple]:
        """Every triple of the endpoint's default graph."""
        for t in self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"):
            yield term(t.subject), term(t.predicate), term(t.object)

    def _ntriples_lines(self) -> Iterator[list[bytes]] | None:
        """The endpoint's default graph as one CONSTRUCT answer in N-Triples, read as it
        arrives (blocks of lines, each parsed alone) and written as the shared writer
        writes each triple; a blank node needs the graph writer."""
        return self._constructed_lines()

    def _constructed_lines(self) -> Iterator[list[bytes]]:
        from rdflib import BNode

        from seikg.rdf.export import escape_controls
        from seikg.rdf.terms import canonical_literal

        def lines(block: bytes) -> list[bytes]:
            try:
                parsed = [q.triple for q in ox.parse(block, format=ox.RdfFormat.N_TRIPLES)]
            except SyntaxError as exc:
                raise StoreError(
                    f"the SPARQL endpoint {self.query_url} sent an answer that cannot be read: "
                    f"{exc}"
                ) from None
            rows = []
            for t in parsed:
                s, p, o = term(t.subject), term(t.predicate), term(t.object)
                if isinstance(s, BNode) or isinstance(o, BNode):
                    raise NeedsGraph
                rows.append(_nt_row((s, p, canonical_literal(o))).encode())  # type: ignore[arg-type]
            return escape_controls(b"".join(rows)).splitlines(keepends=True)

        rest = b""
        for block in self._post_stream(
            self.query_url,
            content=b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            content_type="application/sparql-query",
            accept="application/n-triples",
        ):
            cut = block.rfind(b"\n") + 1
            if not cut:
                rest += block
                continue
            complete, rest = rest + block[:cut], block[cut:]
            yield lines(complete)
        if rest.strip():
            yield lines(rest)

    def _post_stream(
        self, url: str, *, content: bytes, content_type: str, accept: str
    ) -> Iterator[bytes]:
        """As :meth:`_post`, the answer's body read block by block as it arrives."""
        import httpx

        headers = {"Content-Type": content_type, "Accept": accept}
        try:
            with self.client.stream("POST", url, content=content, headers=headers) as response:
                if response.status_code >= 400:
                    response.read()
                    detail = " ".join(response.text.split())[:300]
                    raise StoreError(
                        f"the SPARQL endpoint {url} answered {response.status_code} "
                        f"{response.reason_phrase}: {detail}"
                    )
                yield from response.iter_bytes(1 << 20)
        except httpx.TimeoutException:
            raise LimitError(f"the SPARQL endpoint {url} did not answer in time") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None

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
        include = with_ontology
        update_url = None if self.graph_store_url else self._update_endpoint()
        paths = load_order(files, len(self) == 0 if include is None else include)
        # Every file read, parsed and checked as on every other path, as N-Triples.
        documents = [d or b"" for d in checked_files(paths, stream=False)]
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


class _ReadSolutions:
    """The solutions of an answer, read to the end (so that a malformed row is refused at once)."""

    def __init__(self, solutions: ox.QuerySolutions) -> None:
        self.variables = list(solutions.variables)
        self.rows = list(solutions)

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        return iter(self.rows)
