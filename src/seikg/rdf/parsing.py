"""Strict, offline parsing of RDF files into rdflib graphs.

Files are read by the one reader (:mod:`seikg.guard.reader`: regular files and
standard input only, counted against the input limit), checked
(:mod:`seikg.guard.inputs`), and parsed by pyoxigraph's parsers, which check
IRIs and literals strictly, report the line and column of every syntax error,
and never fetch anything (a remote JSON-LD context is refused, not loaded).
The quads are then checked for what the parsers accept but the project does
not (:func:`check_quads`: ill-typed literals, RDF 1.2 triple terms), with the
position where each is written, and handed to rdflib, which the rest of the
project works with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from seikg.errors import BadInputError, LimitError
from seikg.formats import RdfFormat
from seikg.rdf.terms import to_rdflib

Node = URIRef | BNode | Literal


def parse_into(
    graph: Graph, path: Path | str, *, fmt: RdfFormat | None = None, tag: str = ""
) -> int:
    """Parse one file (or standard input, ``-``) into ``graph``; return the triples read.

    Named graphs of TriG and N-Quads files are merged into ``graph``.  Blank
    node labels are prefixed with ``tag`` so that files do not share blank
    nodes by accident.  Syntax errors, ill-typed literals and triple terms raise
    :class:`BadInputError` naming the file, line and column; nothing is added to
    ``graph`` in that case.
    """
    triples = read_triples(path, fmt=fmt, tag=tag)
    for triple in triples:
        graph.add(triple)
    return len(triples)


def read_triples(
    path: Path | str, *, fmt: RdfFormat | None = None, tag: str = ""
) -> list[tuple[Node, Node, Node]]:
    """Read, check and parse one RDF input; its triples as rdflib terms."""
    from seikg.guard import read_rdf
    from seikg.guard.reader import display_name
    from seikg.rdf.literals import quiet_literal_warnings

    quiet_literal_warnings()
    fmt, data = read_rdf(path, fmt)
    name = display_name(path)
    quads = parse_checked(data, fmt, path=name)
    prefix = f"{tag}_" if tag else ""
    return [
        (
            to_rdflib(quad.subject, bnode_prefix=prefix),
            to_rdflib(quad.predicate, bnode_prefix=prefix),
            to_rdflib(quad.object, bnode_prefix=prefix),
        )
        for quad in quads
    ]


def parse_checked(data: bytes, fmt: RdfFormat, *, path: str) -> list[ox.Quad]:
    """Parse checked bytes with pyoxigraph, then :func:`check_quads`; errors name ``path``."""
    from seikg.guard import format_hint

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
    check_quads(quads, path=path, data=data, fmt=fmt)
    return quads


def check_quads(quads: Iterable[ox.Quad], *, path: str, data: bytes, fmt: RdfFormat) -> None:
    """Refuse what the parsers accept but sei-kg does not, with where it is written.

    * an ill-typed literal (``"abc"^^xsd:integer``, month 13, ``"NaN"^^xsd:decimal``):
      exit 2; a number of more than :data:`seikg.rdf.literals.MAX_DIGITS` digits:
      exit 4 (:mod:`seikg.rdf.literals`);
    * an RDF 1.2 triple term (``<< ... >>``): exit 2.

    Any store loader can call this on the quads it parsed, for the same checks.
    """
    from seikg.rdf.literals import TooManyDigits, checked_datatypes, describe, literal_problem

    checked = checked_datatypes()
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if datatype not in checked:
                continue
            try:
                problem = literal_problem(term.value, datatype)
            except TooManyDigits as exc:
                where = _where(path, _text(data), fmt, term.value, datatype)
                raise LimitError(
                    f"{where}a number literal of {exc}; refusing it (a limit of this tool)"
                ) from None
            if problem is not None:
                line, column = _literal_position(_text(data), fmt, term.value, datatype)
                raise BadInputError(
                    f"ill-typed literal {describe(term.value, datatype)}: {problem}",
                    path=path,
                    line=line,
                    column=column,
                )
        elif isinstance(term, ox.Triple) or isinstance(quad.subject, ox.Triple):
            from seikg.rdf.locate import locate_triple_term

            found = locate_triple_term(_text(data), fmt)
            line, column = found if found else (None, None)
            raise BadInputError(
                "RDF 1.2 triple terms (<< ... >>) are not supported; state the triple itself",
                path=path,
                line=line,
                column=column,
            )


_CHUNK_BYTES = 8 << 20
# What a line must hold to have a typed literal, a triple term or a blank node.
_MARKS = re.compile(rb"\^\^|<<|_:")


def check_line_file(path: Path | str, fmt: RdfFormat, *, every_line: bool = False) -> None:
    """The checks every file gets (:func:`check_quads`, and the blank-node depth) on an
    N-Triples or N-Quads file too large to be read whole (it goes to Oxigraph's loader by
    path).  A statement of these formats is one line, so the lines that could hold what is
    checked (a ``^^``, a ``<<``, a ``_:``) are parsed, a chunk at a time, each as it is
    written, and a problem is named with file, line and column; the other lines are left
    to the loader, which refuses a syntax error with its line and column.  Memory stays at
    one chunk, and the triples that link blank nodes, whatever the size of the file.
    With ``every_line``, every line is parsed, so that no syntax error is left for the
    loader to find (for a store that must be left as it was if a file is bad).
    """
    from seikg.guard import LIMITS

    lines_before = 0
    links: list[tuple[Node, Node, Node]] = []
    for chunk in _line_chunks(path):
        lines = chunk.splitlines(keepends=True)
        kept = [i for i, line in enumerate(lines) if every_line or _MARKS.search(line)]
        numbers = [lines_before + i + 1 for i in kept]  # the file's line of each picked line
        picked = b"".join(lines[i] for i in kept)
        lines_before += len(lines)
        if not kept:
            continue
        try:
            quads = list(ox.parse(picked, format=fmt.oxigraph))
            check_quads(quads, path=str(path), data=picked, fmt=fmt)
        except SyntaxError as exc:
            reason = (
                "not UTF-8 text; save the file as UTF-8"
                if "Invalid UTF-8" in str(exc.msg)
                else _syntax_reason(exc)
            )
            line = numbers[exc.lineno - 1] if exc.lineno else None
            raise BadInputError(reason, path=path, line=line, column=exc.offset) from None
        except BadInputError as exc:
            if exc.line is None:
                raise
            raise BadInputError(exc.reason, path=exc.path, line=numbers[exc.line - 1],
                                column=exc.column) from None  # fmt: skip
        except LimitError as exc:
            raise LimitError(_renumbered(str(exc), str(path), numbers)) from None
        links.extend(_blank_links(quads))
    check_blank_depth(str(path), links, limit=LIMITS.get().max_nesting)


def _renumbered(message: str, path: str, numbers: list[int]) -> str:
    """A ``path:line:col:`` message about picked lines, its line that of the file."""
    head, sep, rest = message.partition(": ")
    parts = head.rsplit(":", 2)
    if not sep or len(parts) != 3 or parts[0] != path or not parts[1].isdigit():
        return message
    return f"{path}:{numbers[int(parts[1]) - 1]}:{parts[2]}: {rest}"


def _blank_links(quads: Iterable[ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
    """The triples from a blank node to a blank node (all that blank-node depth depends on)."""
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode) and isinstance(quad.object, ox.BlankNode):
            yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))


def check_blank_depth(name: str, triples: Iterable[tuple[Node, Node, Node]], *, limit: int) -> None:
    """Refuse blank nodes nested deeper than ``limit`` (serializers and exports recurse)."""
    from seikg.rdf.bnodes import nesting_depth

    depth = nesting_depth(list(triples))  # type: ignore[arg-type]
    if depth > limit:
        raise LimitError(
            f"{name}: blank nodes nested {depth} levels deep, more than the limit of {limit}; "
            "flatten the data"
        )


def checked_ntriples(
    path: Path | str, *, stream: bool = False, every_line: bool = False
) -> bytes | None:
    """A file on its way into a store, through the one reader and every check the memory
    store makes (input checks, strict parsing, ill-typed literals, triple terms,
    blank-node depth): its triples as N-Triples, which no loader parses by recursion.

    With ``stream``, a large N-Triples or N-Quads file is checked by chunks
    (:func:`check_line_file`, ``every_line`` passed on) and None is returned: the loader
    reads it by path.
    Named graphs are merged into the default graph, as the stores hold one graph.
    """
    from seikg.guard import LIMITS, read_rdf, streamable_input
    from seikg.guard.reader import display_name, is_stdin
    from seikg.rdf.literals import quiet_literal_warnings

    quiet_literal_warnings()
    if stream and not is_stdin(path):
        fmt = RdfFormat.from_path(Path(path))
        if streamable_input(path, fmt):
            check_line_file(path, fmt, every_line=every_line)
            return None
    fmt, data = read_rdf(path)
    name = display_name(path)
    quads = parse_checked(data, fmt, path=name)
    check_blank_depth(name, _blank_links(quads), limit=LIMITS.get().max_nesting)
    return ox.serialize([quad.triple for quad in quads], format=ox.RdfFormat.N_TRIPLES) or b""


def _line_chunks(path: Path | str) -> Iterator[bytes]:
    """A file in chunks that end at a line break (the last one where the file ends)."""
    with open(path, "rb") as handle:
        rest = b""
        while block := handle.read(_CHUNK_BYTES):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
        if rest:
            yield rest


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _literal_position(
    text: str, fmt: RdfFormat, lexical: str, datatype: str
) -> tuple[int | None, int | None]:
    from seikg.rdf.locate import locate_literal

    found = locate_literal(text, fmt, lexical, datatype)
    return found if found else (None, None)


def _where(path: str, text: str, fmt: RdfFormat, lexical: str, datatype: str) -> str:
    line, column = _literal_position(text, fmt, lexical, datatype)
    return f"{path}:{line}:{column}: " if line is not None else f"{path}: "


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


def parse_files(paths: Iterable[Path | str], *, graph: Graph | None = None) -> Graph:
    """Parse several files into one graph (a new one unless ``graph`` is given).

    >>> from seikg.resources import graph_files
    >>> len(parse_files(graph_files())) > 300
    True
    """
    from seikg.guard import LIMITS
    from seikg.rdf.bnodes import nesting_depth

    target = graph if graph is not None else Graph()
    names = [str(p) for p in paths]
    for index, name in enumerate(names):
        parse_into(target, name if name == "-" else Path(name), tag=f"f{index}")
    depth = nesting_depth(target)
    if depth > LIMITS.get().max_nesting:
        raise LimitError(
            f"{', '.join(names)}: blank nodes nested {depth} levels deep, more than the limit of "
            f"{LIMITS.get().max_nesting}; flatten the data"
        )
    return target
