"""Checks on input files before any parser sees them.

:func:`check_input` refuses files that are too large, not UTF-8, nested too
deeply, or RDF/XML with entity declarations; it accepts a UTF-8 byte-order
mark and warns about empty files.
"""

from __future__ import annotations

import json
import os
import re
import stat
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from seikg.errors import BadInputError, LimitError, PolicyError
from seikg.formats import RdfFormat
from seikg.guard.limits import LIMITS
from seikg.guard.reader import check_regular, display_name, is_stdin, read_limited
from seikg.guard.readings import check_query
from seikg.guard.tokens import bracket_events, position


class InputWarning(UserWarning):
    """Something about the input a person should know, that does not stop the work."""


_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def read_input(path: Path | str, fmt: RdfFormat) -> bytes:
    """Read an RDF file (or standard input, ``-``) through the one reader, then :func:`check_input`.

    Anything but a regular file is refused without being read; the size is
    refused before reading when the file says it is too large, and counted as
    it is read otherwise (standard input, files that grow).
    """
    return check_input(display_name(path), read_limited(path), fmt)


def read_rdf(path: Path | str, fmt: RdfFormat | None = None) -> tuple[RdfFormat, bytes]:
    """Read and check an RDF input; the format from ``fmt``, the extension, or (for
    standard input without one) the content: JSON-LD, RDF/XML, else Turtle."""
    if fmt is None and is_stdin(path):
        data = read_limited(path)
        fmt = sniff_format(data)
        return fmt, check_input(display_name(path), data, fmt)
    fmt = fmt or RdfFormat.from_path(Path(path))
    return fmt, read_input(path, fmt)


def sniff_format(data: bytes) -> RdfFormat:
    """The format of RDF text without a file name: JSON-LD, RDF/XML, else Turtle.

    >>> sniff_format(b'  {"@id": "http://e/a"}'), sniff_format(b"<http://e/a> <http://e/b> 1 .")
    (<RdfFormat.JSONLD: 'jsonld'>, <RdfFormat.TURTLE: 'turtle'>)
    """
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith((b"{", b"[")):
        return RdfFormat.JSONLD
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return RdfFormat.RDFXML
    return RdfFormat.TURTLE


# Line formats above this size go to Oxigraph's parser by path (see streamable_input).
STREAM_ABOVE_BYTES = 1 << 20


def streamable_input(path: Path | str, fmt: RdfFormat) -> bool:
    """Whether a large N-Triples/N-Quads file can go to Oxigraph's parser without being
    read here: checked for kind (a regular file only), size and byte-order mark only,
    since those formats cannot nest and Oxigraph itself refuses bytes that are not
    UTF-8, with their line and column.  Standard input is never streamed."""
    if fmt not in (RdfFormat.NTRIPLES, RdfFormat.NQUADS) or is_stdin(path):
        return False
    info = check_regular(path, limit=LIMITS.get().max_input_bytes)
    if info.st_size <= STREAM_ABOVE_BYTES:
        return False
    head = _head(path)
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            raise BadInputError(f"the file is {encoding}; RDF files must be UTF-8", path=path)
    return not head.startswith(b"\xef\xbb\xbf")  # a UTF-8 BOM is taken off by read_input


def _head(path: Path | str) -> bytes:
    """The first bytes of a regular file (already checked to be one), read without blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BadInputError("is not a regular file; refusing to read it", path=path)
        return os.read(fd, 4)
    finally:
        os.close(fd)


def check_input(path: Path | str, data: bytes, fmt: RdfFormat) -> bytes:
    """Check a file's bytes before parsing; return them without a UTF-8 byte-order mark.

    Raises :class:`BadInputError` (exit 2) for text that is not UTF-8,
    :class:`LimitError` (exit 4) for files too large or nested too deeply
    (brackets; XML elements; chains of JSON-LD term definitions), and
    :class:`PolicyError` (exit 3) for RDF/XML that declares entities.
    """
    limits = LIMITS.get()
    if len(data) > limits.max_input_bytes:
        raise LimitError(
            f"{path}: {len(data):,} bytes is more than the input limit of "
            f"{limits.max_input_bytes:,} bytes (--max-input-mb)"
        )
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            raise BadInputError(f"the file is {encoding}; RDF files must be UTF-8", path=path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadInputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=path,
            line=line,
            column=column,
        ) from None
    if not text.strip():
        warnings.warn(f"{path}: the file is empty", InputWarning, stacklevel=2)
        return data
    if fmt is RdfFormat.RDFXML:
        if re.search(r"<!(DOCTYPE[^>]*\[|ENTITY)", text):
            raise PolicyError(
                f"{path}: RDF/XML with a document type or entity declarations is refused "
                "(entity expansion can blow up; remove the <!DOCTYPE ...> block)"
            )
        check_xml_depth(path, data, limit=2 * limits.max_nesting + 2)
    elif fmt not in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):  # those cannot nest
        json_like = fmt is RdfFormat.JSONLD
        check_nesting(path, text, limit=limits.max_nesting, json_like=json_like, sparql=False)
        if json_like:
            check_jsonld_contexts(path, text, limit=min(limits.max_nesting, MAX_TERM_CHAIN))
    return data


def _too_deep(path: Path | str, text: str, offset: int, what: str) -> LimitError:
    line, column = position(text, offset)
    return LimitError(f"{path}:{line}:{column}: {what}")


def check_nesting(
    path: Path | str, text: str, *, limit: int, json_like: bool, sparql: bool | None = None
) -> None:
    """Refuse brackets nested deeper than ``limit``, outside strings, IRIs and comments.

    Turtle, TriG and SPARQL are read with a real tokenizer (:mod:`seikg.guard.tokens`).
    For SPARQL (``sparql=True``, or by default a source named ``*.rq``, ``*.sparql``
    or ``<...>``) every reading of ``<`` (an IRI, or less-than) is checked, and the
    other ways a query makes a parser recurse count too: runs of unary operators
    (``!!!!?x``) add to the depth, and a query may hold at most ``16 * limit``
    operators and clauses in all (``?a + ?a + ...``, ``BIND ... BIND ...``), see
    :func:`seikg.guard.readings.check_query`.

    >>> check_nesting("q.rq", "SELECT * WHERE { FILTER(?a < " + "(" * 70 + "1" + ")" * 70 + ") }",
    ...               limit=64, json_like=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.LimitError: q.rq:1:...: brackets nested more than 64 levels deep ...
    """
    if sparql is None:
        name = str(path)
        sparql = name.endswith((".rq", ".sparql", ".ru")) or name.startswith("<")
    if sparql:
        check_query(path, text, limit=limit)
        return
    depth = 0
    for opening, offset in bracket_events(text, json=json_like):
        if opening:
            depth += 1
            if depth > limit:
                raise _too_deep(path, text, offset, _deep_message(limit))
        else:
            depth = max(depth - 1, 0)


def _deep_message(limit: int) -> str:
    return f"brackets nested more than {limit} levels deep (the nesting limit); flatten the data"


# The JSON-LD processor defines a term by first defining the terms its definition
# refers to, recursively: a long chain of such definitions overflows the native stack.
MAX_TERM_CHAIN = 1000


def check_jsonld_contexts(path: Path | str, text: str, *, limit: int) -> None:
    """Refuse a JSON-LD ``@context`` whose term definitions chain deeper than ``limit``.

    A term whose IRI is a compact IRI (``"a": "b:x"``) or another term
    (``"a": {"@id": "b"}``) is defined only after the term it refers to: the
    processor recurses along such chains, and a chain of some thousands
    overflows its stack (a crash, not an error).  JSON nesting has been checked
    already, so reading the JSON here is safe.

    >>> ctx = {f"t{i}": f"t{i + 1}:x" for i in range(100)}
    >>> check_jsonld_contexts("c.jsonld", json.dumps({"@context": ctx}), limit=64)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.LimitError: c.jsonld:1:2: @context term definitions chained 100 deep, ...
    """
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return  # the parser reports it, with its position
    for context in _contexts(doc):
        depth = _chain_depth(context)
        if depth > limit:
            offset = max(text.find('"@context"'), 0)
            raise _too_deep(
                path,
                text,
                offset,
                f"@context term definitions chained {depth} deep, more than the limit of "
                f"{limit} (each refers to the next); flatten the context",
            )


def _contexts(doc: object) -> Iterator[dict[str, Any]]:
    """Every local context object in a JSON-LD document (iteratively)."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if isinstance(context, dict):
                            yield context
                stack.append(value)


def _references(context: dict[str, Any], term: str) -> set[str]:
    """The terms of the same context that the definition of ``term`` may need first.

    A processor may expand any string of a definition against the context (``@id``,
    ``@type``, ``@reverse``, ``@index``, ``@nest``, ``@container`` values, a keyword
    alias used as a key, a compact IRI's prefix, a scoped context's own strings), so
    every string in it, key or value, at any depth, that names a term of the context or
    has one as its prefix counts; so does the prefix of the term itself.
    """
    found: set[str] = set()

    def refer(value: str) -> None:
        if value in context and value != term:
            found.add(value)
        prefix = value.split(":", 1)[0] if ":" in value else None
        if prefix is not None and prefix in context and prefix != term:
            found.add(prefix)

    refer(term)
    stack: list[object] = [context[term]]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            refer(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                refer(key)
                stack.append(value)
    return found


def _chain_depth(context: dict[str, Any]) -> int:
    """The longest chain of term definitions that wait on each other (cycles cut)."""
    terms = [t for t in context if not t.startswith("@")]
    edges = {t: sorted(_references(context, t)) for t in terms}
    depth: dict[str, int] = {}
    for root in terms:
        if root in depth:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path = {root}
        while stack:
            term, index = stack[-1]
            children = edges.get(term, [])
            if index < len(children):
                stack[-1] = (term, index + 1)
                child = children[index]
                if child not in depth and child not in on_path and child in edges:
                    on_path.add(child)
                    stack.append((child, 0))
            else:
                stack.pop()
                on_path.discard(term)
                depth[term] = 1 + max((depth.get(c, 0) for c in children), default=0)
    return max(depth.values(), default=0)


class _TooDeep(Exception):
    pass


def check_xml_depth(path: Path | str, data: bytes, *, limit: int) -> None:
    """Refuse XML elements nested deeper than ``limit`` (Oxigraph's RDF/XML parser takes
    time quadratic in the depth: 200,000 levels, 9 MB, take minutes).

    >>> check_xml_depth("a.rdf", b"<a>" * 10 + b"</a>" * 10, limit=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.LimitError: a.rdf:1:16: XML elements nested more than 5 levels deep ...
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    depth = [0]
    where = [(1, 1)]

    def start(_name: str, _attrs: object) -> None:
        depth[0] += 1
        if depth[0] > limit:
            where[0] = (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            raise _TooDeep

    def end(_name: str) -> None:
        depth[0] -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _TooDeep:
        line, column = where[0]
        raise LimitError(
            f"{path}:{line}:{column}: XML elements nested more than {limit} levels deep "
            "(twice the nesting limit and two); flatten the data"
        ) from None
    except expat.ExpatError:
        return  # the RDF/XML parser reports it


def format_hint(text: str, fmt: RdfFormat) -> str:
    """A hint when a file seems to be in another format than its extension says.

    >>> format_hint('{"@context": {}}', RdfFormat.TURTLE)
    ' (the file looks like JSON-LD; is the extension right?)'
    """
    head = text.lstrip()[:2000]
    guess = None
    if head.startswith(("{", "[")):
        guess = RdfFormat.JSONLD
    elif head.startswith(("<?xml", "<rdf:RDF")):
        guess = RdfFormat.RDFXML
    elif re.search(r"^\s*(@prefix|PREFIX|@base)\b", head, re.M | re.I):
        guess = RdfFormat.TURTLE
    elif re.match(r"\s*<[^>\s]+>\s+<[^>\s]+>\s+\S.*\.\s*$", head.splitlines()[0] if head else ""):
        guess = RdfFormat.NTRIPLES
    if (
        guess is None
        or guess is fmt
        or {guess, fmt} <= {RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.TRIG}
    ):
        return ""
    names = {RdfFormat.JSONLD: "JSON-LD", RdfFormat.RDFXML: "RDF/XML", RdfFormat.TURTLE: "Turtle",
             RdfFormat.NTRIPLES: "N-Triples"}  # fmt: skip
    return f" (the file looks like {names[guess]}; is the extension right?)"
