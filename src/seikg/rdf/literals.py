"""Typed literals checked against their datatype's lexical space before anyone reads them.

RDF lets a file say ``"abc"^^xsd:integer``; Oxigraph keeps such a literal
as it is, and rdflib logs a traceback for it and treats it as a value it is
not.  sei-kg refuses it where it is written (file, line and column, exit 2),
as it refuses every other syntax error.  A number with more digits than
:data:`MAX_DIGITS` is refused as past a limit (exit 4): Python cannot turn
it into an integer, and no figure needs it.

>>> literal_problem("abc", XSD + "integer")
'not a valid xsd:integer'
>>> literal_problem("2019-13-01", XSD + "date")
'not a valid xsd:date'
>>> literal_problem("NaN", XSD + "decimal")
'not a valid xsd:decimal'
>>> literal_problem("NaN", XSD + "double") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_XMLLITERAL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral"

# Python refuses to turn longer digit strings into integers (sys.get_int_max_str_digits).
MAX_DIGITS = 4300

_TZ = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_DOUBLE = _DECIMAL + r"(?:[eE][+-]?[0-9]+)?|[+-]?INF|NaN"
_DURATION = (
    r"-?P(?=[0-9]|T[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?"
    r"(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\.[0-9]+)?S)?)?"
)

_PATTERNS: dict[str, str] = {
    "boolean": r"true|false|1|0",
    "decimal": _DECIMAL,
    "double": _DOUBLE,
    "float": _DOUBLE,
    "date": rf"{_YEAR}-{_MONTH}-{_DAY}{_TZ}",
    "dateTime": rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}",
    "dateTimeStamp": rf"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ.removesuffix('?')}",
    "time": rf"{_TIME}{_TZ}",
    "gYear": rf"{_YEAR}{_TZ}",
    "gYearMonth": rf"{_YEAR}-{_MONTH}{_TZ}",
    "gMonth": rf"--{_MONTH}{_TZ}",
    "gDay": rf"---{_DAY}{_TZ}",
    "gMonthDay": rf"--{_MONTH}-{_DAY}{_TZ}",
    "duration": _DURATION,
    "dayTimeDuration": r"-?P(?=[0-9]|T[0-9])(?:[0-9]+D)?(?:T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?"
    r"(?:[0-9]+(?:\.[0-9]+)?S)?)?",
    "yearMonthDuration": r"-?P(?=[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?",
    "hexBinary": r"(?:[0-9a-fA-F]{2})*",
    "base64Binary": r"(?:[A-Za-z0-9+/] ?)*(?:= ?){0,2}",
}

# Integer types: their bounds (None: unbounded).
_INTEGERS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}

_COMPILED = {XSD + name: re.compile(pattern) for name, pattern in _PATTERNS.items()}
_COMPILED.update({XSD + name: re.compile(_INTEGER) for name in _INTEGERS})
_WHITESPACE = " \t\n\r"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class TooManyDigits(ValueError):
    """A number literal with more digits than :data:`MAX_DIGITS`."""


def checked_datatypes() -> frozenset[str]:
    """The datatypes whose literals are checked (XSD numbers, dates, times, ..., XML)."""
    return frozenset((*_COMPILED, RDF_XMLLITERAL))


def literal_problem(lexical: str, datatype: str) -> str | None:
    """What is wrong with a typed literal, or None when it is a valid value of its type.

    Raises :class:`TooManyDigits` for a number beyond :data:`MAX_DIGITS` digits.

    >>> literal_problem("300", XSD + "byte")
    'out of the range of xsd:byte'
    >>> literal_problem(" 5 ", XSD + "integer") is None
    True
    """
    pattern = _COMPILED.get(datatype)
    local = datatype.removeprefix(XSD)
    if pattern is not None:
        value = lexical.strip(_WHITESPACE)
        if not pattern.fullmatch(value):
            return f"not a valid xsd:{local}"
        if local in _INTEGERS or local == "decimal":
            digits = sum(c.isdigit() for c in value)
            if digits > MAX_DIGITS:
                raise TooManyDigits(f"{digits:,} digits, more than the limit of {MAX_DIGITS:,}")
        if local in _INTEGERS:
            low, high = _INTEGERS[local]
            number = int(value)
            if (low is not None and number < low) or (high is not None and number > high):
                return f"out of the range of xsd:{local}"
        elif local in ("date", "dateTime", "dateTimeStamp", "gMonthDay") and not _real_day(value):
            return f"not a valid xsd:{local} (no such day)"
    elif datatype != RDF_XMLLITERAL:
        return None
    return _readable(lexical, datatype)


def _real_day(value: str) -> bool:
    """Whether the month and day of a date (or ``--MM-DD``) exist (29 February in leap years)."""
    if value.startswith("--"):
        month, day = int(value[2:4]), int(value[5:7])
        return day <= _DAYS[month - 1]
    match = re.match(r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})", value)
    assert match is not None
    year, month, day = (int(g) for g in match.groups())
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1]


def _converter(datatype: str) -> Callable[[str], Any] | None:
    from rdflib import URIRef
    from rdflib.term import _toPythonMapping

    return _toPythonMapping.get(URIRef(datatype))


def _readable(lexical: str, datatype: str) -> str | None:
    """Whether rdflib can read the value (it cannot, for instance, hold a date before
    year 1 or after 9999); rdflib would log a traceback for it otherwise."""
    convert = _converter(datatype)
    if convert is None:
        return None
    try:
        convert(lexical)
    except Exception:
        local = datatype.removeprefix(XSD) if datatype.startswith(XSD) else "rdf:XMLLiteral"
        if local == "rdf:XMLLiteral":
            return "not well-formed XML (rdf:XMLLiteral)"
        return f"a valid xsd:{local} this tool cannot read (out of the range of its values)"
    return None


def describe(lexical: str, datatype: str) -> str:
    """A literal as it would be written, shortened for messages.

    >>> describe("abc", XSD + "integer")
    '"abc"^^xsd:integer'
    """
    shown = lexical if len(lexical) <= 40 else lexical[:30] + "…" + lexical[-5:]
    shown = shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown
    kind = "xsd:" + datatype.removeprefix(XSD) if datatype.startswith(XSD) else f"<{datatype}>"
    return f'"{shown}"^^{kind}'


_CONVERSION_WARNING = "Failed to convert Literal lexical form to value"


def _drop_conversion_warning(record: Any) -> bool:
    return not str(record.msg).startswith(_CONVERSION_WARNING)


def quiet_literal_warnings() -> None:
    """Keep rdflib from logging a traceback for each ill-typed literal it meets.

    Files are checked before rdflib sees them (ill-typed literals are refused
    with their position), but a query can still make one (``STRDT("abc",
    xsd:integer)``) and a store can hold one: rdflib then keeps the literal as
    it is, and this filter keeps its warning, a traceback, off stderr.  Safe to
    call more than once.
    """
    import logging

    logger = logging.getLogger("rdflib.term")
    if _drop_conversion_warning not in logger.filters:
        logger.addFilter(_drop_conversion_warning)
