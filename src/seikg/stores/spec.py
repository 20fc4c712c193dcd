"""Naming a store: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``, and opening it.

Opening always gives a :class:`~seikg.stores.base.Store`, whatever its kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from seikg.errors import BadInputError
from seikg.stores.base import Store, StoreKind
from seikg.stores.files import shipped_shapes


@dataclass(frozen=True)
class StoreSpec:
    """A store named on the command line: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``.

    >>> StoreSpec.parse("oxigraph:/tmp/kg")
    StoreSpec(kind=<StoreKind.OXIGRAPH: 'oxigraph'>, location='/tmp/kg')
    >>> StoreSpec.parse("sparql:http://127.0.0.1:7878/query").kind
    <StoreKind.SPARQL: 'sparql'>
    >>> StoreSpec.parse("memory").open().kind
    <StoreKind.MEMORY: 'memory'>
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

    @property
    def reads_files(self) -> bool:
        """Whether the store is made from files by each command (the memory store), so that a
        command can add a reference part; the others hold what was loaded into them."""
        return self.kind is StoreKind.MEMORY

    @property
    def reaches_network(self) -> bool:
        """Whether the store is reached over the network (a SPARQL endpoint); the others are
        worked on in a process that has no network at all."""
        return self.kind is StoreKind.SPARQL

    def open(
        self,
        *,
        create: bool = False,
        data: Sequence[Path | str] = (),
        extra_shapes: Sequence[Path | str] = (),
        update_url: str | None = None,
        graph_store_url: str | None = None,
    ) -> Store:
        """Open the store.

        ``data`` files replace the shipped ``graph/`` of the memory store (other
        stores hold their own facts: fill them with ``load``); ``extra_shapes``
        add rules on any store; an Oxigraph store must exist unless ``create``;
        ``update_url`` and ``graph_store_url`` say how a SPARQL store is loaded.
        """
        if self.kind is StoreKind.MEMORY:
            from seikg.stores.memory import MemoryStore

            _only_sparql(update_url, graph_store_url)
            return MemoryStore.shipped(list(data) if data else None, extra_shapes=extra_shapes)
        if data:
            raise BadInputError(
                f"files to read need the memory store; load them into {self} with 'sei-kg load'"
            )
        shapes = shipped_shapes(extra_shapes)
        if self.kind is StoreKind.SPARQL:
            from seikg.stores.remote import SparqlStore

            return SparqlStore(
                self.location, shapes=shapes, update_url=update_url,
                graph_store_url=graph_store_url,
            )  # fmt: skip
        from seikg.stores.oxigraph import OxigraphStore

        _only_sparql(update_url, graph_store_url)
        return OxigraphStore(self.location, shapes=shapes, create=create)

    def __str__(self) -> str:
        return "memory" if self.kind is StoreKind.MEMORY else f"{self.kind.value}:{self.location}"


def _only_sparql(update_url: str | None, graph_store_url: str | None) -> None:
    if update_url or graph_store_url:
        raise BadInputError("--update-url and --graph-store-url are for a sparql: store")


def open_store(name: str, *, create: bool = False) -> Store:
    """Open a store by the name ``--store`` takes: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``.

    >>> import tempfile
    >>> store = open_store(f"oxigraph:{tempfile.mkdtemp()}/kg", create=True)
    >>> store.load([]) > 1000  # the ontology goes into an empty store
    True
    >>> store.validate().conforms
    True
    """
    return StoreSpec.parse(name).open(create=create)
