"""Preparing SPARQL queries safely: syntax errors with positions, and policy.

Every query is parsed and inspected before it runs.  Refused by policy
(:class:`PolicyError`, exit code 3): ``SERVICE`` anywhere in the query,
``FROM`` / ``FROM NAMED`` (no file or URL is ever read) and updates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from seikg.errors import BadInputError, LimitError, PolicyError


def prepare(text: str, *, source: str = "<query>") -> Query:
    """Parse and check a SPARQL query; return it ready to run on rdflib.

    >>> q = prepare("SELECT ?s WHERE { ?s ?p ?o }")
    >>> q.algebra.name
    'SelectQuery'
    >>> prepare("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.PolicyError: <query>: SERVICE (federated query) is refused: ...

    The text is decoded first (:func:`decode_escapes`): what rdflib parses is the
    decoded text, which holds no escape any parser could decode again.  The checked
    query is kept (for the last 256 texts), so running the same text again does not
    pay for parsing and inspection a second time.
    """
    from seikg.guard import LIMITS

    return _prepare(decode_escapes(text, source=source), source, LIMITS.get().max_nesting)


@functools.lru_cache(maxsize=256)
def _prepare(text: str, source: str, max_nesting: int) -> Query:
    from seikg.guard import check_query
    from seikg.rdf.literals import quiet_literal_warnings

    quiet_literal_warnings()
    check_query(source, text, limit=max_nesting)
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise PolicyError(
                f"{source}: SPARQL updates are refused: the graph is read-only here"
            ) from None
        raise BadInputError(
            f"SPARQL syntax error: {_describe(exc)}", path=source, line=exc.lineno, column=exc.col
        ) from None
    except RecursionError:
        raise _too_deep(source) from None
    except Exception as exc:  # rdflib raises a few other kinds on malformed input
        raise BadInputError(f"SPARQL syntax error: {exc}", path=source) from None
    try:
        query = translateQuery(parsed)
    except RecursionError:
        raise _too_deep(source) from None
    except Exception as exc:
        raise BadInputError(f"invalid SPARQL query: {exc}", path=source) from None
    check_policy(query, source=source)
    _empty_values_are_empty(query.algebra)
    return query


class AmbiguousText(PolicyError):
    """A text that parsers would read differently (exit 3): one that still holds a codepoint
    escape once its escapes are decoded, or a carriage return that does not end a line."""


@contextmanager
def shape_text_refusals(what: str, *, unparsable: str) -> Iterator[None]:
    """Refusals of a shape's SPARQL text, said as the shape's (``what`` names it): ambiguous
    escapes, ``SERVICE`` or ``FROM``, and a text that does not parse (``unparsable`` says
    which text), whichever engine the shapes are run by.

    >>> with shape_text_refusals("<http://e/S>", unparsable="a SPARQL constraint"):
    ...     raise PolicyError("SERVICE")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.errors.PolicyError: shapes: the SPARQL of <http://e/S> uses SERVICE or FROM; ...
    """
    try:
        yield
    except AmbiguousText as exc:
        reason = str(exc).split(": ", 1)[-1]
        raise AmbiguousText(f"shapes: the SPARQL of {what} is refused: {reason}") from None
    except PolicyError:
        raise PolicyError(
            f"shapes: the SPARQL of {what} uses SERVICE or FROM; validation never reaches the "
            "network"
        ) from None
    except BadInputError as exc:
        raise BadInputError(f"shapes: {unparsable} does not parse: {exc.reason}") from None


def _too_deep(source: str) -> LimitError:
    return LimitError(
        f"{source}: the query is nested or chained too deeply to be read; split it up"
    )


def _nodes(root: Any) -> Iterator[CompValue]:
    """Every algebra node under ``root``, iteratively (a deep algebra must not recurse)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
            stack.extend(vars(node).values())  # rdflib keeps a translated EXISTS pattern here
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple | set):
            stack.extend(node)


def _empty_values_are_empty(algebra: Any) -> None:
    """``VALUES ?v { }`` has no solutions; rdflib's algebra holds a bare list for it,
    on which its evaluator fails.  Give it the table it has for every other VALUES."""
    for node in _nodes(algebra):
        if node.name == "ToMultiSet" and isinstance(node.get("p"), list):
            node["p"] = CompValue("values", res=node["p"])


# Every word a refused query needs (SERVICE, FROM, and the update operations), matched
# anywhere in the text: inside names, strings and comments too.
_REFUSABLE = re.compile(
    r"service|from|insert|delete|load|clear|drop|create|add|move|copy|with", re.I
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What any parser might still take for a codepoint escape (rdflib reads \u and \U alike,
# with four or eight digits): none may be left once the text is decoded.
_LEFT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
# A comment ends at a line feed for rdflib, at a carriage return too for Oxigraph (and the
# grammar): a carriage return alone would end a comment for one and not the other.
_LONE_CR = re.compile(r"\r(?!\n)")


def decode_escapes(text: str, *, source: str = "<query>") -> str:
    r"""A query text with its codepoint escapes decoded once, as the SPARQL grammar reads it.

    SPARQL decodes ``\u`` and ``\U`` escapes over the whole text before parsing it;
    engines do not all agree (Oxigraph decodes them only inside strings and IRIs,
    rdflib everywhere, again), so every store is handed the decoded text, the one the
    policy inspected.  A decoded text that still holds something a parser could take
    for an escape (``\u005Cu0022`` decodes to ``\u0022``) would be read differently by
    the next parser: it is refused (:class:`AmbiguousText`, a :class:`PolicyError`, exit 3),
    so that one reading decides.  So is a carriage return that does not end a line (rdflib
    reads a comment on past it, Oxigraph stops there).

    >>> decode_escapes(r"SELECT * WHERE { \u0053ERVICE <http://x/> { ?s ?p ?o } }")[17:24]
    'SERVICE'
    >>> decode_escapes(r'ASK { BIND("\u005Cu0022" AS ?a) }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.sparql.policy.AmbiguousText: <query>:1:13: once its escapes are decoded the text ...
    """
    replaced: list[tuple[int, int, int]] = []  # where each escape went: decoded, original, length
    decoded = _decoded(text, source, replaced) if "\\u" in text or "\\U" in text else text
    left = _LEFT_ESCAPE.search(decoded)
    if left is not None:
        line, column = _where(text, left.start(), replaced)
        raise AmbiguousText(
            f"{source}:{line}:{column}: once its escapes are decoded the text still holds one "
            f"({left.group()}); SPARQL decodes escapes once, and a parser that decoded this "
            "again would read another query than the one inspected: write the character itself"
        )
    lone = _LONE_CR.search(decoded)
    if lone is not None:
        line, column = _where(text, lone.start(), replaced)
        raise AmbiguousText(
            f"{source}:{line}:{column}: a carriage return that is not followed by a line feed; "
            "rdflib reads a comment on past it and Oxigraph does not, so they would read "
            "different queries: end lines with a line feed (in a string, write \\r)"
        )
    return decoded


def _decoded(text: str, source: str, replaced: list[tuple[int, int, int]]) -> str:
    """``text`` with its codepoint escapes decoded; ``replaced`` says where each went."""

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise BadInputError(f"{match.group(0)} is not a character", path=source)
        return chr(code)

    pieces: list[str] = []
    done = length = 0
    for match in _CODEPOINT.finditer(text):
        pieces.append(text[done : match.start()])
        length += match.start() - done
        replaced.append((length, match.start(), len(match.group())))
        pieces.append(char(match))
        length += 1
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _where(text: str, offset: int, replaced: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Line and column, in the original text, of a character of the decoded text."""
    from seikg.guard.tokens import position

    return position(text, _original_offset(offset, replaced))


def _original_offset(offset: int, replaced: list[tuple[int, int, int]]) -> int:
    """Where a character of the decoded text was written in the original text."""
    before = [r for r in replaced if r[0] <= offset]
    if not before:
        return offset
    decoded_at, original_at, length = before[-1]
    return original_at if offset == decoded_at else original_at + length + offset - decoded_at - 1


def no_escape_left(text: str, *, source: str = "<query>") -> str:
    r"""``text`` unchanged, or :class:`AmbiguousText` when it holds what a parser could take
    for a codepoint escape: for texts made after the check (values bound into a query),
    which no engine may decode into something the policy did not see.

    >>> no_escape_left(r'ASK { VALUES ?v { "\\u0041" } }')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seikg.sparql.policy.AmbiguousText: <query>: a value holds what a SPARQL parser could read ...
    """
    left = _LEFT_ESCAPE.search(text)
    if left is not None:
        raise AmbiguousText(
            f"{source}: a value holds what a SPARQL parser could read as an escape "
            f"({left.group()}); refused, so that no engine reads another query"
        )
    return text


def could_be_refused(text: str) -> bool:
    """Whether a query text could hold SERVICE, FROM or an update at all.

    A cheap, conservative screen: codepoint escapes are decoded first (SPARQL
    decodes them before parsing), then any occurrence of a refused word, even
    inside a longer name, a string or a comment, means yes.  When it says no,
    the query cannot reach outside the graph and an engine with its own strict
    parser (Oxigraph) can run it without the slower inspection by rdflib.

    >>> could_be_refused("SELECT ?v WHERE { ?o <http://e/value> ?v }")
    False
    >>> could_be_refused("SELECT * WHERE { \\\\u0053ERVICE <http://x/> { ?s ?p ?o } }")
    True
    >>> could_be_refused("SELECT ?address WHERE { ?s ?p ?address }")  # 'add': look closer
    True
    """
    try:
        decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    except (ValueError, OverflowError):
        return True
    return _REFUSABLE.search(decoded) is not None


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _describe(exc: ParseException) -> str:
    line = exc.line.strip()
    found = line[exc.col - 1 : exc.col + 19].strip() if line else ""
    message = str(exc.msg)
    return f"{message} (near '{found}')" if found else message


def check_policy(query: Query, *, source: str = "<query>") -> None:
    """Refuse queries that would reach outside the graph (SERVICE, FROM, FROM NAMED)."""
    dataset_clause = getattr(query.algebra, "datasetClause", None)
    if dataset_clause:
        raise PolicyError(
            f"{source}: FROM / FROM NAMED is refused: queries run on the loaded graph only, "
            "no file or URL is read"
        )
    if _contains(query.algebra, "ServiceGraphPattern"):
        raise PolicyError(
            f"{source}: SERVICE (federated query) is refused: queries never reach the network"
        )


def _contains(node: Any, name: str) -> bool:
    return any(n.name == name for n in _nodes(node))


def query_form(query: Query) -> str:
    """Return ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` for a prepared query.

    >>> query_form(prepare("ASK { ?s ?p ?o }"))
    'ASK'
    """
    return str(query.algebra.name).removesuffix("Query").upper()
