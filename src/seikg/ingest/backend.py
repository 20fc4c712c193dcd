"""The one place the ingest gate touches the graph and its stores.

Everything else in :mod:`seikg.ingest` sees only :class:`Backend`: SELECT
queries for what resolution needs, a check of the new figures together with
what the store holds, and one write.  This module calls, and nothing else of
the package does for the gate:

* ``seikg.KnowledgeGraph.load(files)``, ``kg.query(text)``, ``kg.validate()``
  (the memory store: the shipped graph and the Turtle files already in
  ``--into DIR``);
* ``seikg.open_store(name)``, ``store.query(text)``,
  ``store.load(files)``, ``store.validate(progress=...)``, ``store.describe(nodes)``,
  and, to undo a load whose figures break a rule, the store's own Oxigraph
  handle (``store.store``: ``quads_for_pattern`` and ``remove``).

Retargeting the gate on another store interface means changing this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from seikg.errors import BadInputError, LimitError

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph
    from seikg.stores import Store
    from seikg.validation import ValidationReport

Progress = Callable[[int, int], None]
LOCK_WAIT_SECONDS = 600.0


@dataclass
class Checked:
    """The outcome of a check: the report, and the resources the new triples touch."""

    report: ValidationReport
    touched: set[str]
    new_triples: int


@contextlib.contextmanager
def exclusive(lock_path: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (a folder, or a file created if missing); wait
    for it at most ``wait`` seconds.  Two ingests into one store or folder never interleave."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    if lock_path.is_dir():
        fd = os.open(lock_path, os.O_RDONLY)
    else:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LimitError(
                        f"{lock_path}: another ingest has held this lock for more than "
                        f"{wait:.0f} s; try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class Backend:
    """What the gate needs from where the figures go."""

    name: str = ""

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Serialize ingests into the same place."""
        raise NotImplementedError

    def select(self, text: str) -> Sequence[Mapping[str, Node | None]]:
        """Run a SELECT on what is there now."""
        raise NotImplementedError

    def describe_existing(self, iris: Sequence[str]) -> KnowledgeGraph:
        """The resources as they are before the ingest (to name existing figures)."""
        raise NotImplementedError

    def check(
        self, ntriples: Path, *, new_subjects: frozenset[str] = frozenset(),
        progress: Progress | None = None,
    ) -> Checked:  # fmt: skip
        """Run every rule on the new triples together with what is there.

        ``new_subjects`` are resources the store is known not to hold (observations
        whose IRI the store lacks): their triples need no look-up to be known new.
        """
        raise NotImplementedError

    def commit(self, turtle: Callable[[], bytes], name: str) -> str:
        """Write the checked triples in one step (``turtle()`` gives them as a Turtle file
        named ``name``, for a folder); return where they went."""
        raise NotImplementedError

    def abandon(self) -> None:
        """Undo whatever :meth:`check` did (nothing stays when a rule breaks)."""

    def close(self) -> None:
        """Let go of the store."""


def _ontology_kg(data: Graph) -> KnowledgeGraph:
    from seikg import resources
    from seikg.kg import KnowledgeGraph
    from seikg.rdf.parsing import parse_files
    from seikg.stores.memory import MemoryStore

    return KnowledgeGraph(
        MemoryStore(
            parse_files(resources.ontology_files()),
            shapes=parse_files(resources.shapes_files()),
            data=data,
        )
    )


class FolderBackend(Backend):
    """The memory store: the shipped graph plus the Turtle files already in ``into``.

    The new triples are checked with pyshacl on all of it, then written as one
    Turtle file into ``into`` (never into the installed package).
    """

    def __init__(self, into: Path | None) -> None:
        self.into = Path(into) if into is not None else None
        self.name = str(self.into) if self.into is not None else "the shipped graph"
        if self.into is not None:
            _refuse_package_folder(self.into)
            if self.into.exists() and not self.into.is_dir():
                raise BadInputError(
                    "is not a folder; --into names the folder to write into", path=self.into
                )
        self._files: list[Path] | None = None
        self._before: KnowledgeGraph | None = None

    @property
    def files(self) -> list[Path]:
        """The shipped graph and the Turtle files in the folder, listed once the lock is held."""
        from seikg import resources

        if self._files is None:
            shipped = [p.resolve() for p in resources.graph_files()]
            extra: list[Path] = []
            if self.into is not None and self.into.is_dir():
                extra = [p.resolve() for p in sorted(self.into.glob("*.ttl"))]
            self._files = [*shipped, *(p for p in extra if p not in shipped)]
        return self._files

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Serialize ingests into the same place."""
        if self.into is None:
            return contextlib.nullcontext()
        self.into.mkdir(parents=True, exist_ok=True)  # the folder itself is the lock
        return exclusive(self.into)

    @property
    def before(self) -> KnowledgeGraph:
        """The knowledge graph as it is before the ingest."""
        from seikg.kg import KnowledgeGraph

        if self._before is None:
            self._before = KnowledgeGraph.load(self.files)
        return self._before

    def select(self, text: str) -> Sequence[Mapping[str, Node | None]]:
        """Run a SELECT on what is there now."""
        return self.before.query(text).rows  # type: ignore[union-attr]

    def describe_existing(self, iris: Sequence[str]) -> KnowledgeGraph:
        """The resources as they are before the ingest."""
        return self.before

    def check(
        self, ntriples: Path, *, new_subjects: frozenset[str] = frozenset(),
        progress: Progress | None = None,
    ) -> Checked:  # fmt: skip
        """Load everything with the new triples, and run pyshacl on it."""
        from seikg.kg import KnowledgeGraph

        after = KnowledgeGraph.load([*self.files, ntriples])
        before = self.before.data
        fresh = [t for t in after.data if t not in before]
        touched = {str(s) for s, _p, _o in fresh if isinstance(s, URIRef)}
        return Checked(after.validate(), touched, len(fresh))

    def commit(self, turtle: Callable[[], bytes], name: str) -> str:
        """Write the Turtle file into the folder (unless the same file is there already)."""
        from seikg.rdf.write import atomic_write

        if self.into is None:
            raise BadInputError("nothing to write into: give --into DIR, --store, or --dry-run")
        self.into.mkdir(parents=True, exist_ok=True)
        target = self.into / name
        data = turtle()
        if target.exists() and target.read_bytes() == data:
            return f"{target} (already there, unchanged)"
        atomic_write(target, data)
        return str(target)


def _refuse_package_folder(folder: Path) -> None:
    """Never write into the installed package (its shipped data)."""
    import seikg

    package = Path(seikg.__file__).resolve().parent
    target = folder.resolve()
    if target == package or package in target.parents:
        raise BadInputError(
            "is inside the installed sei-kg package; --into names a folder of your own",
            path=folder,
        )


class OxigraphBackend(Backend):
    """An on-disk Oxigraph store: the new triples are loaded, every rule is run on the
    store, and the load is undone when a rule breaks.

    No other process can open the store meanwhile (Oxigraph locks it), and a lock
    file beside the store makes a second ingest wait for the first.  Before loading,
    the triples the store lacks are written to a journal beside the store; an ingest
    that dies before it ends is undone by the next one.
    """

    def __init__(self, name: str) -> None:
        from seikg.stores import StoreKind, StoreSpec

        spec = StoreSpec.parse(name)
        if spec.kind is not StoreKind.OXIGRAPH:
            raise BadInputError(
                f"ingest writes into an Oxigraph store (--store oxigraph:PATH) or a folder "
                f"(--into DIR); {name!r} is not supported yet"
            )
        self.spec_name = name
        self.path = Path(spec.location)
        if not self.path.exists():
            raise BadInputError(
                "no Oxigraph store here; fill one with 'sei-kg load FILES --store oxigraph:PATH' "
                "(figures need the places it holds)",
                path=self.path,
            )
        self.name = str(self.path)
        self.journal = Path(f"{self.path}.ingest-journal.nt")
        self._store: Store | None = None
        self._added: list[Any] | None = None

    @property
    def store(self) -> Store:
        """The store, opened on first use (inside the lock)."""
        from seikg.stores import open_store

        if self._store is None:
            self._store = open_store(self.spec_name)  # figures need the places a store holds
            self._recover()
        return self._store

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Serialize ingests into the same place."""
        return exclusive(Path(f"{self.path}.lock"))

    def select(self, text: str) -> Sequence[Mapping[str, Node | None]]:
        """Run a SELECT on what is there now."""
        return self.store.query(text).rows  # type: ignore[union-attr]

    def describe_existing(self, iris: Sequence[str]) -> KnowledgeGraph:
        """The resources as they are before the ingest."""
        return _ontology_kg(self.store.describe([URIRef(i) for i in iris]))

    def check(
        self, ntriples: Path, *, new_subjects: frozenset[str] = frozenset(),
        progress: Progress | None = None,
    ) -> Checked:  # fmt: skip
        """Load the new triples (journalled), then run every rule on the store."""
        import pyoxigraph as ox

        raw = self._raw()
        lines = ntriples.read_bytes().splitlines(keepends=True)
        fresh: list[bytes] = []
        maybe: list[bytes] = []
        for line in lines:
            (fresh if _subject(line) in new_subjects else maybe).append(line)
        for line in maybe:  # few: the triples of resources the store may already hold
            quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
            if not _contains(raw, quad):
                fresh.append(line)
        touched = {_subject(line) for line in fresh}
        if fresh:
            self.journal.write_bytes(b"".join(fresh))  # undone by the next ingest if this one dies
            self._added = fresh
            self.store.load([ntriples])
        return Checked(self.store.validate(progress=progress), touched, len(fresh))

    def commit(self, turtle: Callable[[], bytes], name: str) -> str:
        """Write the checked triples in one step; return where they went."""
        self._raw().flush()
        self._added = None
        self.journal.unlink(missing_ok=True)
        return self.name

    def abandon(self) -> None:
        """Undo what :meth:`check` did."""
        if self._added:
            _delete(self._raw(), self._added)
        self._added = None
        self.journal.unlink(missing_ok=True)

    def close(self) -> None:
        """Let go of the store."""
        self._store = None  # Oxigraph closes the store when the last handle goes

    def _raw(self) -> Any:
        return self.store.store  # type: ignore[attr-defined]

    def _recover(self) -> None:
        """Undo an ingest that died between loading and its end."""
        import warnings

        from seikg.guard import InputWarning

        if not self.journal.exists():
            return
        _delete(self._raw(), self.journal.read_bytes().splitlines(keepends=True))
        self.journal.unlink()
        warnings.warn(
            f"{self.path}: an earlier ingest did not finish; its figures were taken out again",
            InputWarning,
            stacklevel=2,
        )


DELETE_CHUNK = 50_000


def _subject(line: bytes) -> str:
    """The subject IRI of an N-Triples line written by the converter."""
    return line[1 : line.index(b">")].decode("utf-8")


def _delete(raw: Any, lines: list[bytes]) -> None:
    """Take triples out again, in a few large SPARQL updates (N-Triples is update syntax)."""
    for start in range(0, len(lines), DELETE_CHUNK):
        chunk = b"".join(lines[start : start + DELETE_CHUNK]).decode("utf-8")
        raw.update("DELETE DATA {\n" + chunk + "}")
    raw.flush()


def _contains(raw: Any, quad: Any) -> bool:
    import pyoxigraph as ox

    return ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()) in raw


def open_backend(store: str, into: Path | None) -> Backend:
    """The backend for ``--store`` and ``--into``."""
    if store == "memory":
        return FolderBackend(into)
    if into is not None:
        raise BadInputError(
            "--into writes a Turtle file for the memory store; with --store the figures go "
            "into the store itself: give one of the two"
        )
    return OxigraphBackend(store)
