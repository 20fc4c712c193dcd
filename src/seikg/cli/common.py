"""What every command shares: the store options, the one way a command runs, and output.

Every command that reads the graph is one path: open the knowledge graph of
the store the user named (:class:`~seikg.kg.KnowledgeGraph`, whatever the
store), do its work in a worker process with a time limit, and write what it
made through the one writer.  No command asks which kind of store it has.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeVar

import click

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

T = TypeVar("T")

VIEW_NAMES = ["overview", "categories", "city", "provenance", "full", "versions", "divisions"]

CITY_OPTION = click.option(
    "--city", help="The city of the city view (a name in either language, a code or an IRI)."
)
PROVINCE_OPTION = click.option(
    "--province",
    help="The province of the divisions view (a name in either language, a code such as "
    "370000, or an IRI); the view needs --with divisions.",
)
CATEGORY_OPTION = click.option(
    "--category",
    help="versions view: follow this category through the versions (a name in either "
    "language, or an IRI): only what it is mapped to, its area and the area's parts.",
)
MIDDLE_OPTION = click.option(
    "--middle-categories",
    "middle",
    is_flag=True,
    help="versions view: every middle category of NBS-2018 under its area (without it, only "
    "those a mapping reaches).",
)


def view_options(command: Callable[..., T]) -> Callable[..., T]:
    """The options that say what a view is about: --city, --province, --category,
    --middle-categories."""
    for option in (MIDDLE_OPTION, CATEGORY_OPTION, PROVINCE_OPTION, CITY_OPTION):
        command = option(command)
    return command


STORE_OPTION = click.option(
    "--store",
    "store",
    default="memory",
    show_default=True,
    metavar="memory|oxigraph:PATH|sparql:URL",
    help="Where the graph lives: in memory (the shipped graph or --data files), an on-disk "
    "Oxigraph store filled by 'sei-kg load', or a SPARQL 1.1 query endpoint.",
)

DATA_OPTION = click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Use these fact files instead of the shipped graph/ (memory store; repeatable).",
)


WITH_OPTION = click.option(
    "--with",
    "reference",
    multiple=True,
    type=click.Choice(["divisions"]),
    help="Also read a reference part of graph/reference/ (memory store; repeatable): "
    "'divisions' is the national skeleton of 3,215 divisions (about 23,000 triples: "
    "commands start about half a second later, validation takes about a minute).",
)


def with_reference(data: Sequence[Path], reference: Sequence[str]) -> tuple[Path, ...]:
    """The fact files to read: ``data`` (or the shipped graph/) and the reference parts named.

    >>> [p.name for p in with_reference((), ["divisions"])][-1]
    'divisions.ttl'
    """
    from seikg import resources

    if not reference:
        return tuple(data)
    parts = resources.reference_files()
    return (*(data or resources.graph_files()), *(parts[name] for name in reference))


def timeout_option(
    default: float | None, what: str
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A ``--timeout`` option: stop the command's work after so many seconds (exit code 4)."""
    shown = f"{default:g} s" if default is not None else "see below"
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0.1),
        default=default,
        help=f"Stop {what} after this many seconds (exit code 4; default {shown}).",
    )


def run(
    work: Callable[[KnowledgeGraph], T],
    *,
    store: str,
    data: Sequence[Path] = (),
    shapes: Sequence[Path] = (),
    timeout: float,
    what: str,
    reference: Sequence[str] = (),
    started: Callable[[], None] | None = None,
) -> T:
    """Open the knowledge graph of ``store`` and do ``work`` on it, in a worker process that
    is stopped after ``timeout`` seconds; return what ``work`` returned.  A store not
    reached over the network is worked on in a process with no network at all.  ``reference``
    names parts of graph/reference/ to read as well (:func:`with_reference`)."""
    from seikg.guard import run_with_timeout
    from seikg.guard.reader import is_stdin, read_stdin_now
    from seikg.kg import KnowledgeGraph
    from seikg.stores import StoreSpec

    data = with_reference(data, reference)
    if any(is_stdin(p) for p in (*data, *shapes)):
        read_stdin_now()  # the worker's own standard input is closed

    def job() -> T:
        return work(KnowledgeGraph.open(store, data=data, extra_shapes=shapes))

    isolate = not StoreSpec.parse(store).reaches_network  # a second wall for native engines
    return run_with_timeout(
        job, timeout=timeout, what=what, isolate_network=isolate, started=started
    )


def run_into(
    work: Callable[[KnowledgeGraph, BinaryIO], None],
    output: Path | None,
    *,
    store: str,
    data: Sequence[Path] = (),
    timeout: float,
    what: str,
    reference: Sequence[str] = (),
) -> None:
    """As :func:`run`, for work that writes a stream: the worker writes into a pipe, and
    this process copies what arrives to ``output`` (stdout if None) through the one
    writer, so neither process holds the whole output.  A file is replaced only when the
    work succeeded; on any failure it stays as it was."""
    from seikg.rdf.write import STDOUT, open_output

    read_end, write_end = os.pipe()
    copier = _Copier(read_end)

    def started() -> None:
        os.close(write_end)  # the worker's alone now: the pipe ends when the worker does
        copier.start()

    def job(kg: KnowledgeGraph) -> None:
        os.close(read_end)
        with os.fdopen(write_end, "wb", buffering=1 << 16) as sink:
            work(kg, sink)

    with open_output(STDOUT if output is None else output) as handle:
        copier.handle = handle
        try:
            run(
                job, store=store, data=data, timeout=timeout, what=what, started=started,
                reference=reference,
            )  # fmt: skip
        except BaseException:
            copier.finish(quiet=True)
            raise
        copier.finish()


class _Copier:
    """Copies a pipe to a handle on a thread; a write error is kept (the pipe is still
    drained, so the worker is never blocked) and raised by :meth:`finish`."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.handle: BinaryIO | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._copy, name="sei-kg-copy", daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        with os.fdopen(self.fd, "rb", buffering=0) as source:
            while chunk := source.read(1 << 20):
                if self.error is not None:
                    continue
                try:
                    assert self.handle is not None
                    self.handle.write(chunk)
                except BaseException as exc:
                    self.error = exc

    def finish(self, *, quiet: bool = False) -> None:
        if self.thread is None:  # the worker never started: nobody else closes the ends
            with contextlib.suppress(OSError):
                os.close(self.fd)
            return
        self.thread.join()
        if self.error is not None and not quiet:
            raise self.error


def write(data: str | bytes, output: Path | None) -> None:
    """Write to ``output`` through the one writer (atomically), or to stdout."""
    from seikg.rdf.write import atomic_write

    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        atomic_write(output, payload)


@contextlib.contextmanager
def progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A transient progress bar on stderr (only on a terminal); yields ``advance(done, total)``."""
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
