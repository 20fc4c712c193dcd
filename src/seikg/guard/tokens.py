"""A small, real tokenizer for SPARQL and Turtle (and TriG, N-Triples), and one for JSON.

It knows what the grammars know about where brackets are not brackets:

* an IRI ``<...>`` only where one can start, that is when what follows ``<``
  up to the next ``>`` holds none of the characters an IRI cannot hold (no
  spaces, no ``<"{}|^`\\``); otherwise ``<`` is less-than (``FILTER(?a < (``);
* strings in single and double quotes, short and long (``'''``, ``\"\"\"``),
  with their escapes; a short string ends at the end of its line at the latest;
* comments from ``#`` to the end of the line, a line feed or a carriage return (outside
  IRIs and strings);
* ``\\`` escapes in prefixed names (``ex:a\\(b`` holds no bracket);
* RDF 1.2 triple terms ``<<`` ... ``>>``, which nest like brackets.

>>> [t.text for t in tokens('{ ?a <http://e/p> "x(" FILTER(?a < (1)) }')]
['{', '?a', '<http://e/p>', '"x("', 'FILTER', '(', '?a', '<', '(', '1', ')', ')', '}']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Characters a name (prefixed name, keyword, number, blank node label) is made of.  The
# patterns repeat runs of plain characters, not single ones: Python's regular expressions
# keep a little memory for every repetition, hundreds of megabytes for a 1 MB name.
_PLAIN = r"[\w:%\-\u00B7\u0300-\u036F\u203F-\u2040]"
_NAME_CHAR = rf"{_PLAIN}|\\[^\n]"
_NAME = rf"(?:{_NAME_CHAR})(?:{_PLAIN}+|\\[^\n]|\.(?=(?:{_NAME_CHAR})))*"
_IRI_PLAIN = r"[^\x00-\x20<>\"{}|^`\\]*"
_IRI = rf"<{_IRI_PLAIN}(?:(?:\\u[0-9A-Fa-f]{{4}}|\\U[0-9A-Fa-f]{{8}}){_IRI_PLAIN})*>"
_LONG_STRINGS = (
    r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*(?:"""|\Z)'
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*(?:'''|\Z)"
)
# A short string ends at its closing quote or, unterminated, at the end of its line
# (a line ends at a line feed or a carriage return, as in the grammars).
_SHORT_STRINGS = r'"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"?' + r"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'?"

TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\r\n\f\v]+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>{_LONG_STRINGS}|{_SHORT_STRINGS})
  | (?P<open><<\(?|[(\[{{])
  | (?P<close>\)?>>|[)\]}}])
  | (?P<iri>{_IRI})
  | (?P<datatype>\^\^)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<name>{_NAME})
  | (?P<op>\|\||&&|!=|<=|>=|[<>=!+\-*/|^?])
  | (?P<punct>[.;,])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

# Only what brackets hide behind: enough for the nesting check of data files, and fast.
_BRACKETS = re.compile(
    rf"(?P<string>{_LONG_STRINGS}|{_SHORT_STRINGS})|(?P<comment>\#[^\n\r]*)|(?P<iri>{_IRI})"
    r"|\\[^\n]|(?P<open><<\(?|[(\[{])|(?P<close>\)?>>|[)\]}])"
)

_JSON = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|(?P<open>[\[{])|(?P<close>[\]}])', re.DOTALL)


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text and where it starts (an offset into the text)."""

    kind: str
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL or Turtle text, without white space and comments.

    Kinds: ``string``, ``iri``, ``open`` and ``close`` (brackets and triple-term
    quotes), ``datatype`` (``^^``), ``var``, ``lang``, ``name`` (keywords, prefixed
    names, numbers, blank nodes), ``op``, ``punct`` (``. ; ,``) and ``other``.

    >>> [(t.kind, t.text) for t in tokens("ex:a\\\\(b 'it''s' # (")]
    [('name', 'ex:a\\\\(b'), ('string', "'it'"), ('string', "'s'")]
    """
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        if kind in ("space", "comment"):
            continue
        yield Token(kind, match.group(), match.start())


def bracket_events(text: str, *, json: bool = False) -> Iterator[tuple[bool, int]]:
    """Each opening (True) and closing (False) bracket outside strings, IRIs and comments,
    with its offset: the fast path of the nesting check for data files.

    >>> [o for o, _ in bracket_events('<http://e/a> <http://e/b> ( "(" ) .')]
    [True, False]
    """
    pattern = _JSON if json else _BRACKETS
    for match in pattern.finditer(text):
        if match.group("open") is not None:
            yield True, match.start()
        elif match.group("close") is not None:
            yield False, match.start()


def position(text: str, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, columns in characters) of an offset.

    >>> position("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)


def string_value(token_text: str) -> str:
    """The value of a string token: quotes taken off, escapes decoded.

    >>> string_value(r'"a\\tb\\u00e9"')
    'a\\tbé'
    """
    quote = token_text[:3] if token_text[:3] in ('"""', "'''") else token_text[:1]
    body = token_text[len(quote) :]
    if body.endswith(quote):
        body = body[: -len(quote)]

    def decode(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code is not None:
            try:
                return chr(int(code, 16))
            except (ValueError, OverflowError):
                return match.group()
        return _ECHAR.get(match.group(3), match.group())

    return _ESCAPE.sub(decode, body)
