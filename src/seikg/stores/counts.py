"""Reading a count from a store's answer, checked: the one way every count is read.

A store that answers nonsense to a count query (a word, an IRI, a blank node,
a negative or a double, a number of thousands of digits, no row, two rows, a
row without the variable asked for, a yes/no answer) is refused with one
line naming the store (exit 6), never taken for a number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from seikg.errors import StoreError

MAX_DIGITS = 18
"""The most digits a count may have (a quintillion triples is more than any store holds)."""

_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "integer", "nonNegativeInteger", "positiveInteger", "long", "int", "short", "byte",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
_DIGITS = re.compile(rf"\+?[0-9]{{1,{MAX_DIGITS}}}")


def read_count(value: Node | None, *, store: str, what: str = "a count") -> int:
    """The number a count is, if it is a non-negative xsd:integer literal of sane size.

    >>> read_count(Literal(42), store="s")
    42
    >>> read_count(Literal("-7", datatype=XSD.integer), store="s")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    seikg.errors.StoreError: the store s answered '-7' (a negative integer) where a count ...
    """
    if isinstance(value, Literal) and value.datatype in _INTEGER_TYPES:
        lexical = str(value)
        if _DIGITS.fullmatch(lexical):
            return int(lexical)
        shown = f"{lexical[:40]!r}" + ("..." if len(lexical) > 40 else "")
        if lexical.startswith("-") and lexical[1:].isdigit():
            kind = "a negative integer"
        elif lexical.lstrip("+").isdigit():
            kind = f"an integer of more than {MAX_DIGITS} digits"
        else:
            kind = "not an integer"
        raise _refused(store, what, f"{shown} ({kind})")
    if value is None:
        raise _refused(store, what, "no value")
    if isinstance(value, Literal):
        kind = (
            f"a literal of type <{value.datatype}>"
            if value.datatype
            else "a literal of no number type"
        )
        raise _refused(store, what, f"{str(value)[:40]!r} ({kind})")
    raise _refused(store, what, f"{type(value).__name__} {str(value)[:60]!r}")


def one_count(
    rows: Sequence[Mapping[str, Node | None]], variable: str, *, store: str, what: str = "a count"
) -> int:
    """The count of an answer that must hold exactly one row binding ``variable``."""
    if len(rows) != 1:
        raise _refused(store, what, f"{len(rows)} rows")
    row = rows[0]
    if variable not in row:
        raise _refused(store, what, f"a row without ?{variable}")
    return read_count(row[variable], store=store, what=what)


def solutions_of(result: Any, *, store: str, what: str) -> Any:
    """``result`` if it is a table of solutions (it has variables), else a refusal."""
    if not hasattr(result, "variables"):
        raise _refused(store, what, "something other than a table of solutions")
    return result


def _refused(store: str, what: str, answer: str) -> StoreError:
    expected = "a count was expected (a non-negative xsd:integer)"
    if what != "a count":
        expected = f"{what} was expected (a non-negative xsd:integer)"
    return StoreError(f"the store {store} answered {answer} where {expected}")
