"""The checks a SPARQL text gets before any parser sees it, on every way it can be read.

SPARQL has one ambiguous character for a tokenizer: ``<`` begins an IRI where
a term can stand, and is the less-than operator after an operand inside an
expression.  ``FILTER(?a <((((1>?b)`` holds a valid IRIREF (``(`` may stand in
an IRI), yet the engines read it as ``?a < ((((1 > ?b``, and a million
parentheses there crash Oxigraph.  So the text is scanned in every reading an
engine could take: where an IRI follows an operand inside an expression's
parentheses, the scan forks, one reading taking the IRI and the other taking
``<`` as less-than and going on inside it (where ``#`` may then begin a
comment, and ``'`` a string).  Readings that meet again at the same place go
on as one, keeping the larger counts.  A text is refused when any reading
goes past a limit.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from seikg.errors import BadInputError, LimitError
from seikg.guard.tokens import TOKEN, position

_CLAUSES = frozenset(
    ("union", "optional", "minus", "bind", "filter", "graph", "service", "values", "exists")
)
_UNARY_AFTER = frozenset(("op", "open", "punct", "datatype"))
_OPERAND = frozenset(("var", "iri", "string", "name", "lang", "close"))
# Keywords a parenthesis in a group pattern opens an expression after (else a collection).
_EXPRESSION_AFTER = frozenset(("FILTER", "BIND"))
# The most readings followed at once; a text that needs more is refused.
MAX_READINGS = 64


@dataclass
class _Reading:
    """One way of reading the text so far: where it stands and what it has counted."""

    pos: int = 0
    unary: int = 0
    chained: int = 0
    parens: int = 0
    previous: str = "open"
    previous_text: str = ""
    before_text: str = ""
    stack: list[str] = field(default_factory=list)
    select_clause: bool = False
    values_next: bool = False
    modifier: str = ""

    def fork(self, pos: int) -> _Reading:
        return replace(self, pos=pos, stack=list(self.stack))

    def join(self, other: _Reading) -> _Reading:
        """Two readings at the same place go on as one, with the larger counts."""
        deeper = self if len(self.stack) >= len(other.stack) else other
        joined = deeper.fork(self.pos)
        joined.unary = max(self.unary, other.unary)
        joined.chained = max(self.chained, other.chained)
        joined.parens = max(self.parens, other.parens)
        if other.previous in _UNARY_AFTER:
            joined.previous = other.previous
        if self.previous in _UNARY_AFTER:
            joined.previous = self.previous
        joined.select_clause = self.select_clause or other.select_clause
        joined.values_next = self.values_next or other.values_next
        return joined


def check_query(path: Path | str, text: str, *, limit: int) -> None:
    """The checks a SPARQL text gets before any parser sees it, in every reading of ``<``.

    * brackets (and triple-term quotes) nested deeper than ``limit``, where a run
      of unary operators (``!``, ``-``, ``+``, ``^``) counts as that many levels;
    * more than ``16 * limit`` operators and clauses (``UNION``, ``OPTIONAL``,
      ``MINUS``, ``BIND``, ``FILTER``, ...) and triple patterns in all: parsers and
      engines build these into trees as deep as they are long, and native ones
      crash past a few thousand (exit 4, with the line and column of the first
      token past the limit);
    * ``LIMIT`` and ``OFFSET`` beyond the machine's integers (exit 2).

    >>> check_query("q.rq", "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999", limit=64)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.BadInputError: q.rq:1:35: LIMIT 99999999999999999999 is larger than ...
    >>> check_query("q.rq", "ASK { FILTER(?a <" + "(" * 70 + "1>?b) }", limit=64)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.LimitError: q.rq:1:...: brackets nested more than 64 levels deep ...
    """
    pending: dict[int, _Reading] = {0: _Reading()}
    while pending:
        start = min(pending)
        reading = pending.pop(start)
        while True:
            match = TOKEN.match(text, reading.pos)
            if match is None:
                break
            kind = match.lastgroup
            assert kind is not None
            reading.pos = match.end()
            if kind in ("space", "comment"):
                continue
            token = match.group()
            if kind == "iri" and _may_be_less_than(reading):
                other = reading.fork(match.start() + 1)
                _step(path, text, other, "op", "<", match.start(), limit)
                _add(pending, other)
            _step(path, text, reading, kind, token, match.start(), limit)
            if pending and reading.pos >= min(pending):
                break
        if match is not None:
            _add(pending, reading)


def _add(pending: dict[int, _Reading], reading: _Reading) -> None:
    there = pending.get(reading.pos)
    pending[reading.pos] = reading if there is None else there.join(reading)
    if len(pending) > MAX_READINGS:
        raise LimitError(
            "the query can be read in too many ways around '<' (less-than or an IRI); "
            "put spaces around a '<' that means less than"
        )


def _may_be_less_than(reading: _Reading) -> bool:
    """Whether an IRI here could be read as less-than: after an operand, inside an
    expression's parentheses."""
    return bool(reading.stack) and reading.stack[-1] == "e" and reading.previous in _OPERAND


def _step(
    path: Path | str, text: str, reading: _Reading, kind: str, token: str, at: int, limit: int
) -> None:
    """Count one token of a reading; raise when it goes past a limit."""
    if kind == "open":
        reading.stack.append(_bracket(reading, token))
        reading.parens += token == "("
        if len(reading.stack) + reading.unary > limit:
            raise _too_deep(path, text, at, _deep_message(limit))
    elif kind == "close":
        if reading.stack:
            reading.stack.pop()
        reading.parens = max(reading.parens - (token == ")"), 0)
    upper = token.upper() if kind == "name" else ""
    if upper == "VALUES":
        reading.values_next = True
    elif upper == "SELECT":
        reading.select_clause = True
    elif upper == "WHERE":
        reading.select_clause = False
    counted = (
        kind == "op"
        or (kind == "name" and upper.lower() in _CLAUSES)
        or (kind == "punct" and (token != "," or not reading.parens))
    )
    if counted:
        reading.chained += 1
        if reading.chained > 16 * limit:
            raise _too_deep(
                path,
                text,
                at,
                f"the query chains more than {16 * limit:,} operators, clauses and triple "
                "patterns (16 times the nesting limit); split it up",
            )
    if kind == "op" and token in "!-+^" and reading.previous in _UNARY_AFTER:
        reading.unary += 1
        if len(reading.stack) + reading.unary > limit:
            raise _too_deep(
                path,
                text,
                at,
                f"brackets and unary operators (! - + ^) nested more than {limit} levels "
                "deep (the nesting limit); simplify the expression",
            )
    elif kind != "op":
        reading.unary = 0
    if reading.modifier and kind == "name":
        _check_modifier(path, text, reading.modifier, token, at)
    reading.modifier = upper if upper in ("LIMIT", "OFFSET") else ""
    reading.before_text = reading.previous_text
    reading.previous_text = upper or token
    reading.previous = kind


def _bracket(reading: _Reading, token: str) -> str:
    """What an opening bracket opens: ``e`` an expression's parenthesis, ``c`` a
    collection's, ``v`` a VALUES row or variable list, ``V`` a VALUES block, ``t`` a
    triple term, or the bracket itself (``{``, ``[``)."""
    inner = reading.stack[-1] if reading.stack else ""
    if token == "{":
        opened = "V" if reading.values_next else "{"
        reading.values_next = False
        reading.select_clause = False
        return opened
    if token != "(":
        return "t" if token.startswith("<<") else token
    if reading.previous_text == "VALUES" or inner in ("V", "v"):
        return "v"
    if inner in ("", "e") or reading.select_clause:
        return "e"
    if inner == "t":
        return "c"
    # In a group pattern (or a collection): FILTER( and BIND( open expressions, and so
    # does a function called as a FILTER's constraint; any other parenthesis is a list.
    if reading.previous_text in _EXPRESSION_AFTER or reading.before_text == "FILTER":
        return "e"
    return "c"


def _too_deep(path: Path | str, text: str, offset: int, what: str) -> LimitError:
    line, column = position(text, offset)
    return LimitError(f"{path}:{line}:{column}: {what}")


def _deep_message(limit: int) -> str:
    return f"brackets nested more than {limit} levels deep (the nesting limit); flatten the data"


def _check_modifier(path: Path | str, text: str, modifier: str, token: str, at: int) -> None:
    if token.isdigit() and int(token) > sys.maxsize:
        line, column = position(text, at)
        raise BadInputError(
            f"{modifier} {token} is larger than the largest this tool handles ({sys.maxsize})",
            path=path,
            line=line,
            column=column,
        )
