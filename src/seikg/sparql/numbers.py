"""The project's number formatter: the same number prints the same from every engine.

Engines agree on values but not on digits: rdflib divides decimals to 28
significant digits, Oxigraph to 18 fractional ones, and each writes decimals
its own way (``30.0`` and ``30``).  :func:`format_number` prints a number
for people (report messages, tables): the canonical form of XSD 1.0 for
decimals and integers, and a decimal with more than six fractional digits
rounded half-even to six, trailing zeros taken off.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from rdflib import Literal
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
FRACTION_DIGITS = 6
_SIXTH = Decimal(1).scaleb(-FRACTION_DIGITS)
_INTEGERS = frozenset(
    XSD + name
    for name in (
        "integer", "nonPositiveInteger", "negativeInteger", "nonNegativeInteger",
        "positiveInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte",
    )
)  # fmt: skip
_FLOATS = frozenset((XSD + "double", XSD + "float"))


def format_number(term: Node | None) -> str:
    """A number literal as text for people; any other term as its plain text.

    >>> from rdflib.namespace import XSD as X
    >>> def show(lexical, datatype=X.decimal):
    ...     return format_number(Literal(lexical, datatype=datatype))
    >>> show("6.40"), show("30"), show("-0.0")
    ('6.4', '30.0', '0.0')
    >>> show("7.067137809187279151943462898"), show("7.067137809187279151")  # rdflib, Oxigraph
    ('7.067138', '7.067138')
    >>> show("0.00000049"), show("-0.0000001"), show("2.0000005")  # half-even
    ('0.0', '0.0', '2.0')
    >>> show("007", X.integer), show("1.5E2", X.double)
    ('7', '150.0')
    >>> format_number(Literal("青岛"))
    '青岛'
    """
    if term is None:
        return ""
    if not isinstance(term, Literal) or term.datatype is None:
        return str(term)
    datatype = str(term.datatype)
    lexical = str(term).strip()
    if datatype in _INTEGERS:
        try:
            return str(int(lexical))
        except ValueError:
            return lexical
    if datatype == XSD + "decimal":
        try:
            return _decimal_text(Decimal(lexical))
        except InvalidOperation:
            return lexical
    if datatype in _FLOATS:
        try:
            value = float(lexical)
        except ValueError:
            return lexical
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return _decimal_text(Decimal(repr(value)))
    return str(term)


def _decimal_text(value: Decimal) -> str:
    """Canonical decimal text, at most six fractional digits (half-even), at least one."""
    if not value.is_finite():
        return str(value)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -FRACTION_DIGITS:
        value = value.quantize(_SIXTH, rounding=ROUND_HALF_EVEN)
    text = f"{value:f}"
    whole, _sep, fraction = text.partition(".")
    whole = whole.lstrip("+")
    negative = whole.startswith("-")
    digits = whole.lstrip("-").lstrip("0") or "0"
    fraction = fraction.rstrip("0") or "0"
    if digits == "0" and fraction == "0":
        negative = False
    return f"{'-' if negative else ''}{digits}.{fraction}"
