"""An embedded, on-disk Oxigraph store: bulk loaded once, reopened without reloading.

The folder holds Oxigraph's database and a small record of the project's
(``seikg-store.json``): a load marks the store unfinished before it starts
and finished when it is done, so a store whose load was killed half-way is
refused by every command instead of answering from half the data.  A folder
that is not an Oxigraph store is never turned into one, except by ``load``
into a folder that does not exist yet or is empty.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from seikg.errors import BadInputError, StoreError
from seikg.formats import RdfFormat
from seikg.rdf.write import atomic_write
from seikg.stores.base import NeedsGraph, StoreKind, Triple
from seikg.stores.convert import canonical_numbers, lateral, term
from seikg.stores.engines import AnswersStore
from seikg.stores.files import checked_files, load_order, shipped_shapes, syntax_error

_BLOCK = 1 << 20  # bytes of the dump read at once

RECORD = "seikg-store.json"
"""The project's record inside an Oxigraph store's folder."""


_FAMILIES = frozenset(
    ("id2str", "spog", "posg", "ospg", "gspo", "gpos", "gosp", "dspo", "dpos", "dosp", "graphs")
)
"""The column families of an Oxigraph store's RocksDB database (named in its options file)."""

_OPTIONS = re.compile(r"OPTIONS-(\d+)")
_OPTIONS_MAX_BYTES = 1 << 20


def _is_oxigraph_folder(path: Path) -> bool:
    """Whether a folder holds an Oxigraph store, told from its files without opening it.

    RocksDB writes its log into any database it opens, and another program's database
    (another comparator, other column families) fails only after that; so the newest
    options file RocksDB keeps must name Oxigraph's column families and the byte-wise
    comparator before the folder is handed to Oxigraph.
    """
    if not (path / "CURRENT").is_file() or not (path / "IDENTITY").is_file():
        return False
    numbered = [
        (int(match.group(1)), child)
        for child in path.iterdir()
        if (match := _OPTIONS.fullmatch(child.name)) and child.is_file()
    ]
    if not numbered:
        return False
    try:
        with max(numbered)[1].open("rb") as handle:
            text = handle.read(_OPTIONS_MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    families = set(re.findall(r'^\[CFOptions "([^"]*)"\]', text, re.MULTILINE))
    comparators = set(re.findall(r"^\s*comparator=(\S*)\s*$", text, re.MULTILINE))
    return families >= _FAMILIES and comparators == {"leveldb.BytewiseComparator"}


def refuse_unfinished(path: Path) -> None:
    """Refuse a store whose last load did not finish (its record says it is loading): every
    way of opening a store (read-write, read-only, by the server) asks this first.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / RECORD).write_text('{"state": "loading"}')
    >>> refuse_unfinished(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.StoreError: ...: the last load into this store did not finish (it was stopped); ...
    """
    try:
        record = json.loads((path / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(record, dict) and record.get("state") == "loading":
        raise StoreError(
            f"{path}: the last load into this store did not finish (it was stopped); "
            "its data is incomplete: load the files again into a new store"
        )


class OxigraphStore(AnswersStore):
    """An on-disk Oxigraph store holding ontology and facts in its default graph.

    ``create`` allows a new store in a missing or empty folder (what ``load`` does);
    ``shapes`` are the data shapes that check it (by default the shipped ones).
    """

    kind = StoreKind.OXIGRAPH
    path: Path | None

    def __init__(
        self, path: Path | str, *, shapes: Graph | None = None, create: bool = True
    ) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.shapes = shapes if shapes is not None else shipped_shapes()
        self._check_folder(create)
        try:
            self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the Oxigraph store: {exc}") from None
        refuse_unfinished(self.path)

    @classmethod
    def temporary(cls, *, shapes: Graph | None = None) -> OxigraphStore:
        """An Oxigraph store in memory, gone with the object (for tests and one-off checks)."""
        store = cls.__new__(cls)
        store.path = None
        store.name = "oxigraph:(in memory)"
        store.shapes = shapes if shapes is not None else shipped_shapes()
        store.store = ox.Store()
        return store

    @classmethod
    def read_only(cls, path: Path | str, *, shapes: Graph | None = None) -> OxigraphStore:
        """An existing store opened read-only: several processes may open it at once."""
        store = cls.__new__(cls)
        store.path = Path(path)
        store.name = str(path)
        store.shapes = shapes if shapes is not None else shipped_shapes()
        store._check_folder(create=False)
        refuse_unfinished(store.path)
        try:
            store.store = ox.Store.read_only(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the Oxigraph store: {exc}") from None
        return store

    def _check_folder(self, create: bool) -> None:
        path = Path(self.name)
        if path.exists() and not path.is_dir():
            raise BadInputError("is a file, not an Oxigraph store (a folder)", path=path)
        empty = not path.exists() or not any(path.iterdir())
        if empty and not create:
            raise BadInputError(
                "no Oxigraph store here; fill one with 'sei-kg load FILES --store oxigraph:PATH'",
                path=path,
            )
        if not empty and not _is_oxigraph_folder(path):
            raise BadInputError(
                "this folder is not an Oxigraph store; give a new or empty folder to load into",
                path=path,
            )

    def _set_record(self, **record: Any) -> None:
        if self.path is None:
            return
        atomic_write(self.path / RECORD, (json.dumps(record, sort_keys=True) + "\n").encode())

    prebinds = True

    def _run(self, text: str, form: str, bindings: Mapping[str, Node] | None = None) -> Any:
        return self.store.query(lateral(text, bindings) if bindings else text)

    def _checked_form(self, text: str, source: str) -> str | None:
        """As for every store, except that a text that cannot hold a refused word at all
        goes straight to Oxigraph's strict parser (after the nesting check), and its
        form is read from the result: inspecting it with rdflib first would cost more
        than a typical query on a million triples."""
        from seikg.guard import LIMITS, check_query
        from seikg.sparql.policy import could_be_refused

        if could_be_refused(text):
            return super()._checked_form(text, source)
        check_query(source, text, limit=LIMITS.get().max_nesting)
        return None

    def load(self, files: Sequence[Path], *, with_ontology: bool | None = None) -> int:
        """Bulk load files (after the checks every file gets); the ontology into an empty store.

        Every file is read, parsed and checked in a worker process before anything is
        written (:func:`~seikg.stores.files.checked_files`), so a bad file changes
        nothing; the store is marked unfinished while it loads, and an empty store is
        emptied again when the load fails.
        """
        before = len(self.store)
        paths = _load_list(files, with_ontology, empty=before == 0)
        # A filled store must stay as it was if a file is bad: every line of a large file is
        # parsed first.  An empty one is emptied again, so its loader may find syntax errors.
        documents = checked_files(paths, stream=True, every_line=before > 0)
        self._set_record(state="loading")
        try:
            for path, document in zip(paths, documents, strict=True):
                self._load_one(path, document)
        except BaseException:
            if before == 0:  # nothing was there: nothing stays (a filled store stays marked)
                self.store.clear()
                self._set_record(state="complete")
            raise
        self.store.flush()
        self._set_record(state="complete")
        return len(self.store) - before

    def _load_one(self, path: Path, document: bytes | None) -> None:
        """Load one checked file: its N-Triples, or (a large line file) the file by path."""
        source: dict[str, Any] = {"input": document, "format": ox.RdfFormat.N_TRIPLES}
        if document is None:
            source = {"path": str(path), "format": RdfFormat.from_path(path).oxigraph}
        try:
            self.store.bulk_load(to_graph=ox.DefaultGraph(), **source)
        except SyntaxError as exc:
            raise syntax_error(exc, path) from None

    def __len__(self) -> int:
        return len(self.store)

    def triples(self) -> Iterator[Triple]:
        """Every triple of the default graph, read straight from the store."""
        for quad in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield term(quad.subject), term(quad.predicate), term(quad.object)

    def _ntriples_lines(self) -> Iterator[list[bytes]] | None:
        """Oxigraph's own N-Triples dump, read while it is written (on a thread, through a
        pipe), in batches of lines with numbers in the canonical form (``canonical_numbers``);
        a blank node label (``_:`` anywhere) needs the graph writer instead."""
        return _dumped_lines(self.store)


def _dumped_lines(store: ox.Store) -> Iterator[list[bytes]]:
    read_end, write_end = os.pipe()
    failed: list[BaseException] = []

    def dump() -> None:
        try:
            with os.fdopen(write_end, "wb", buffering=_BLOCK) as sink:
                store.dump(sink, format=ox.RdfFormat.N_QUADS, from_graph=ox.DefaultGraph())
        except BaseException as exc:  # raised where the lines are read (when all were read)
            failed.append(exc)

    writer = threading.Thread(target=dump, name="oxigraph-dump", daemon=True)
    writer.start()
    try:
        with os.fdopen(read_end, "rb", buffering=0) as source:
            rest = b""
            while block := source.read(_BLOCK):
                cut = block.rfind(b"\n") + 1
                if not cut:
                    rest += block
                    continue
                complete, rest = rest + block[:cut], block[cut:]
                if b"_:" in complete:
                    raise NeedsGraph
                yield canonical_numbers(complete).splitlines(keepends=True)
            if rest:
                if b"_:" in rest:
                    raise NeedsGraph
                yield canonical_numbers(rest).splitlines(keepends=True)
    finally:
        writer.join()
    if failed:
        raise failed[0]


def _load_list(files: Sequence[Path], include: bool | None, *, empty: bool) -> list[Path]:
    return load_order(files, empty if include is None else include)
