"""Where in a file a term is written, for messages about terms found only after parsing.

pyoxigraph's parsers give positions for syntax errors only; a literal that is
well formed but ill typed, or an RDF 1.2 triple term, is found in the parsed
quads.  These functions find where it is written, with the same tokenizers
the input checks use, so the message can name file, line and column.
"""

from __future__ import annotations

import contextlib
import re
from xml.parsers import expat

from seikg.formats import RdfFormat
from seikg.guard.tokens import Token, position, string_value, tokens

Position = tuple[int, int] | None
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def locate_literal(text: str, fmt: RdfFormat, lexical: str, datatype: str) -> Position:
    """Line and column of the first place ``lexical`` is written as a literal of ``datatype``.

    >>> locate_literal('<http://e/a> <http://e/p> "x" .\\n<http://e/a> <http://e/p> "x"^^'
    ...                '<http://www.w3.org/2001/XMLSchema#integer> .', RdfFormat.TURTLE, "x",
    ...                "http://www.w3.org/2001/XMLSchema#integer")
    (2, 27)
    """
    local = re.split(r"[#/:]", datatype)[-1]
    found: Position = None
    if fmt is RdfFormat.RDFXML:
        found = _xml_literal(text, lexical, datatype)
    elif fmt is RdfFormat.JSONLD:
        found = _json_value(text, lexical)
    else:
        found = _turtle_literal(text, lexical, local)
    if found is None:
        offset = text.find(lexical) if lexical else -1
        found = position(text, offset) if offset >= 0 else None
    return found


def _turtle_literal(text: str, lexical: str, local: str) -> Position:
    stream = list(tokens(text))
    loose: Position = None
    for index, token in enumerate(stream):
        if token.kind == "string" and string_value(token.text) == lexical:
            if _typed_as(stream, index, local):
                return position(text, token.start)
            loose = loose or position(text, token.start)
        elif token.kind == "name" and token.text.rstrip(".") == lexical.strip():
            loose = loose or position(text, token.start)
    return loose


def _typed_as(stream: list[Token], index: int, local: str) -> bool:
    if index + 2 >= len(stream) or stream[index + 1].kind != "datatype":
        return False
    named = stream[index + 2].text.rstrip(">")
    return named.endswith(local)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*', re.DOTALL)


def _json_value(text: str, lexical: str) -> Position:
    import json

    for match in _JSON_TOKEN.finditer(text):
        raw = match.group()
        try:
            value = json.loads(raw) if raw.startswith('"') else raw
        except ValueError:
            continue
        if value == lexical:
            return position(text, match.start())
    return None


def _xml_literal(text: str, lexical: str, datatype: str) -> Position:
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[tuple[bool, tuple[int, int], list[str]]] = []
    found: list[tuple[int, int]] = []

    def start(_name: str, attrs: dict[str, str]) -> None:
        typed = attrs.get(_RDF + " datatype") == datatype
        stack.append((typed, (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1), []))

    def data(chunk: str) -> None:
        if stack:
            stack[-1][2].append(chunk)

    def end(_name: str) -> None:
        typed, where, chunks = stack.pop()
        if typed and not found and "".join(chunks) == lexical:
            found.append(where)

    parser.StartElementHandler = start
    parser.CharacterDataHandler = data
    parser.EndElementHandler = end
    with contextlib.suppress(expat.ExpatError):
        parser.Parse(text.encode("utf-8"), True)
    return found[0] if found else None


def locate_triple_term(text: str, fmt: RdfFormat) -> Position:
    """Line and column of the first RDF 1.2 triple term in a file: ``<<`` ... ``>>``, or
    the annotation (``{| ... |}``) or reifier (``~``) syntax, which make one.

    >>> locate_triple_term("<http://e/a> <http://e/p>\\n  << <http://e/s> <http://e/p> 1 >> .",
    ...                    RdfFormat.TURTLE)
    (2, 3)
    >>> locate_triple_term("<http://e/a> <http://e/p> 1 {| <http://e/q> 2 |} .", RdfFormat.TURTLE)
    (1, 29)
    """
    if fmt is RdfFormat.RDFXML:
        match = re.search(r"""parseType\s*=\s*["']Triple["']|rdf:annotation""", text)
        return position(text, match.start()) if match else None
    if fmt is RdfFormat.JSONLD:
        return None
    previous = None
    for token in tokens(text):
        if (token.kind == "open" and token.text.startswith("<<")) or token.text == "~":
            return position(text, token.start)
        if (
            token.text.startswith("|") and previous is not None and previous.text == "{"
            and previous.start + 1 == token.start
        ):  # fmt: skip
            return position(text, previous.start)
        previous = token
    return None
