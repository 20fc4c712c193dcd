"""Numbers written by the project, not by the engine that computed them.

Engines divide decimals to different precisions (rdflib to 28 significant
digits, Oxigraph to 18 fractional digits) and write whole decimals
differently ("30" or "30.0").  Everything a person reads (report messages,
tables) goes through :func:`format_number`, so the same figure reads the same
whatever ran the query.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

DECIMAL_PLACES = 6
"""Fractional digits kept when a computed decimal has more."""

_NUMERIC = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger,
            XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger}  # fmt: skip


def canonical_decimal(text: str) -> str | None:
    """The canonical lexical form of an ``xsd:decimal`` (XSD 1.0): ``None`` if ``text`` is not one.

    >>> canonical_decimal("6.40"), canonical_decimal("+30"), canonical_decimal("-0.0")
    ('6.4', '30.0', '0.0')
    """
    stripped = text.strip()
    if not stripped or stripped.lower().lstrip("+-") in ("nan", "inf", "infinity", "snan"):
        return None
    if any(c in stripped for c in "eE"):
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation:
        return None
    return _decimal_text(value)


def _decimal_text(value: Decimal) -> str:
    if value == 0:
        return "0.0"
    text = format(value.normalize(), "f")
    if "." not in text:
        return text + ".0"
    return text


def format_number(term: Node | None) -> str:
    """Write a term for people; numbers in one form whatever engine computed them.

    Decimals are written canonically, rounded half-even to six fractional
    digits when they have more; integers canonically; anything else as its text.

    >>> format_number(Literal("7.0671378091872791519434628975", datatype=XSD.decimal))
    '7.067138'
    >>> format_number(Literal("7.067137809187279151", datatype=XSD.decimal))
    '7.067138'
    >>> whole, count = Literal("30", datatype=XSD.decimal), Literal("007", datatype=XSD.integer)
    >>> format_number(whole), format_number(count)
    ('30.0', '7')
    """
    if term is None:
        return ""
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        text = str(term).strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            return str(term)
        if not value.is_finite():
            return str(term)
        if term.datatype != XSD.decimal:
            return str(int(value)) if value == value.to_integral_value() else text
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > DECIMAL_PLACES:
            value = value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_EVEN)
        return _decimal_text(value)
    return str(term)
