"""Files on their way into a store: the ontology first, every file checked before loading."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from seikg import resources
from seikg.errors import BadInputError
from seikg.formats import RdfFormat


def load_order(files: Sequence[Path], include: bool) -> list[Path]:
    """The files to load: the shipped ontology first when ``include``, then ``files``."""
    return [Path(p) for p in (*(resources.ontology_files() if include else []), *files)]


def checked_input(path: Path) -> tuple[RdfFormat, bytes]:
    """A file's format and bytes, after the input checks (size, encoding, nesting)."""
    from seikg.guard import read_rdf

    return read_rdf(path)  # the one reader: a regular file or standard input, within the limit


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
