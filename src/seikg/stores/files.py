"""Files on their way into a store: the ontology first, every file checked before loading."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from seikg import resources
from seikg.errors import BadInputError


def load_order(files: Sequence[Path], include: bool) -> list[Path]:
    """The files to load: the shipped ontology first when ``include``, then ``files``."""
    return [Path(p) for p in (*(resources.ontology_files() if include else []), *files)]


# The longest the files of one load may take to be read and checked.
CHECK_SECONDS = 3600.0


def checked_files(
    paths: Sequence[Path], *, stream: bool, every_line: bool = False
) -> list[bytes | None]:
    """Every file of a load read by the one reader, parsed and checked as every other path
    checks a file (:func:`seikg.rdf.parsing.checked_ntriples`), before anything is written:
    each as N-Triples, or None for a large line file a loader reads by path (``stream``;
    with ``every_line`` its every line is parsed, else only those that hold what is
    checked beyond syntax, and the loader finds any other syntax error).

    The parsing runs in a worker process, as for every other command: one with a large
    stack, a memory ceiling and no network, whose native crash is one line (exit 4 or 5),
    never the death of the command; the store is then given N-Triples, which no parser
    reads by recursion.
    """
    from seikg.guard import run_with_timeout
    from seikg.guard.reader import is_stdin, read_stdin_now
    from seikg.rdf.parsing import checked_ntriples

    listed = list(paths)

    def check() -> list[bytes | None]:
        return [checked_ntriples(p, stream=stream, every_line=every_line) for p in listed]

    if multiprocessing.current_process().daemon:
        return check()  # already in a worker, which may not fork another
    if any(is_stdin(p) for p in listed):
        read_stdin_now()  # the worker's own standard input is closed
    return run_with_timeout(
        check, timeout=CHECK_SECONDS, what="reading the files", isolate_network=True
    )


def syntax_error(exc: SyntaxError, path: Path) -> BadInputError:
    """A parser's syntax error as one line naming the file, line and column."""
    if "Invalid UTF-8" in exc.msg:
        return BadInputError(
            "not UTF-8 text; save the file as UTF-8", path=path, line=exc.lineno,
            column=exc.offset,
        )  # fmt: skip
    return BadInputError(f"syntax error: {exc.msg}", path=path, line=exc.lineno, column=exc.offset)


def shipped_shapes(extra: Sequence[Path | str] = ()) -> Graph:
    """The shipped data shapes, and those of ``extra`` files."""
    from seikg.rdf.parsing import parse_files

    return parse_files([*resources.shapes_files(), *(Path(p) for p in extra)])
