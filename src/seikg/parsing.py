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
from rdflib.namespace import XSD

from seikg.errors import BadInputError, LimitError
from seikg.formats import RdfFormat

_XSD_STRING = str(XSD.string)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Node = URIRef | BNode | Literal


def to_rdflib(term: object, *, bnode_prefix: str = "") -> Node:
    """Convert a pyoxigraph term to the equal rdflib term.

    Plain strings become rdflib literals without a datatype, so graphs
    compare equal to those rdflib parses itself.

    >>> to_rdflib(ox.Literal("31.8", datatype=ox.NamedNode(str(XSD.decimal))))
    rdflib.term.Literal('31.8', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> to_rdflib(ox.Literal("x"))
    rdflib.term.Literal('x')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(bnode_prefix + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise BadInputError(f"unsupported RDF term {term!r} (RDF-star is not supported)")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term.

    >>> to_oxigraph(Literal("青岛", lang="zh"))
    <Literal value=青岛 language=zh>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


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
    from seikg.bnodes import nesting_depth
    from seikg.guard import LIMITS

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
