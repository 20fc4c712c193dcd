"""Strict, offline parsing of RDF files into rdflib graphs.

Files are read by pyoxigraph's parsers, which check IRIs and literals
strictly, report the line and column of every syntax error, and never fetch
anything (a remote JSON-LD context is refused, not loaded).  The triples are
then handed to rdflib, which the rest of the project works with.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from seikg.errors import BadInputError, LimitError
from seikg.formats import RdfFormat
from seikg.rdf.terms import to_rdflib

Node = URIRef | BNode | Literal


def parse_into(graph: Graph, path: Path, *, fmt: RdfFormat | None = None, tag: str = "") -> int:
    """Parse one file into ``graph`` and return the number of triples read.

    Named graphs of TriG and N-Quads files are merged into ``graph``.  Blank
    node labels are prefixed with ``tag`` so that files do not share blank
    nodes by accident.  Syntax errors raise :class:`BadInputError` naming the
    file, line and column; nothing is added to ``graph`` in that case.
    """
    path = Path(path)
    fmt = fmt or RdfFormat.from_path(path)
    if not path.exists():
        raise BadInputError("no such file", path=path)
    if path.is_dir():
        raise BadInputError("is a folder, not an RDF file", path=path)
    triples = list(_read(path, fmt, tag))
    for triple in triples:
        graph.add(triple)
    return len(triples)


def _read(path: Path, fmt: RdfFormat, tag: str) -> Iterable[tuple[Node, Node, Node]]:
    from seikg.guard import format_hint, read_input

    data = read_input(path, fmt)
    try:
        quads = list(ox.parse(data, format=fmt.oxigraph))
    except SyntaxError as exc:
        reason = _syntax_reason(exc) + format_hint(data.decode("utf-8", "replace"), fmt)
        line, column = exc.lineno, exc.offset
        if line is None and fmt is RdfFormat.RDFXML:
            line, column = _xml_position(data)
        raise BadInputError(reason, path=path, line=line, column=column) from None
    except (OSError, ValueError) as exc:
        raise BadInputError(f"cannot read: {exc}", path=path) from None
    prefix = f"{tag}_" if tag else ""
    for quad in quads:
        yield (
            to_rdflib(quad.subject, bnode_prefix=prefix),
            to_rdflib(quad.predicate, bnode_prefix=prefix),
            to_rdflib(quad.object, bnode_prefix=prefix),
        )


def _xml_position(data: bytes) -> tuple[int | None, int | None]:
    """Where an XML parser first stumbles (pyoxigraph's RDF/XML errors carry no position)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return exc.lineno, exc.offset + 1
    return None, None


def _syntax_reason(exc: SyntaxError) -> str:
    """Strip pyoxigraph's own position prefix; the caller adds file:line:col."""
    text = str(exc.msg if exc.msg else exc)
    if text.startswith("Parser error at line") and ": " in text:
        text = text.split(": ", 1)[1]
    return "syntax error: " + text


def parse_files(paths: Iterable[Path], *, graph: Graph | None = None) -> Graph:
    """Parse several files into one graph (a new one unless ``graph`` is given).

    >>> from seikg.resources import graph_files
    >>> len(parse_files(graph_files())) > 300
    True
    """
    from seikg.guard import LIMITS
    from seikg.rdf.bnodes import nesting_depth

    target = graph if graph is not None else Graph()
    paths = [Path(p) for p in paths]
    for index, path in enumerate(paths):
        parse_into(target, path, tag=f"f{index}")
    depth = nesting_depth(target)
    if depth > LIMITS.get().max_nesting:
        names = ", ".join(str(p) for p in paths)
        raise LimitError(
            f"{names}: blank nodes nested {depth} levels deep, more than the limit of "
            f"{LIMITS.get().max_nesting}; flatten the data"
        )
    return target
