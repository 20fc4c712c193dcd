"""Numbers as sources state them: "31.8", "+3.1", "1,000", "100 billion", "1.2万", "3亿".

A stated value becomes the number in units of its unit (100 billion yuan is
100000000000) and the place value of its last digit, its stated precision
(one billion for "100 billion", 0.1 for "31.8"); a whole number's trailing
zeros count as digits ("30" is stated to 1).

>>> stated = parse_stated("14.15 billion")
>>> stated.value, stated.precision
(Decimal('14150000000.00'), Decimal('10000000.00'))
>>> decimal_lexical(stated.value), decimal_lexical(stated.precision)
('14150000000.0', '10000000.0')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Multiplier words, longest first so that "十亿" is not read as "亿".
MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12,
    "千亿": 10**11,
    "百亿": 10**10,
    "十亿": 10**9,
    "亿": 10**8,
    "千万": 10**7,
    "百万": 10**6,
    "十万": 10**5,
    "万": 10**4,
    "千": 10**3,
    "trillion": 10**12,
    "billion": 10**9,
    "million": 10**6,
    "thousand": 10**3,
}

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


class NotANumber(ValueError):
    """The text is not a number as a source would state it."""


@dataclass(frozen=True)
class Stated:
    """A value as stated: the number in units of the unit, and its stated precision."""

    value: Decimal
    precision: Decimal
    percent_sign: bool = False


def normalize(text: str) -> str:
    """Fold full-width forms and the minus sign, drop surrounding space.

    >>> normalize("３１．８ ")
    '31.8'
    """
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def split_multiplier(text: str) -> tuple[str, int]:
    """Split a trailing (value) or leading (unit) multiplier word off a text.

    >>> split_multiplier("100 billion")
    ('100', 1000000000)
    >>> split_multiplier("亿元")
    ('元', 100000000)
    """
    folded = text.casefold()
    for word, factor in MULTIPLIERS.items():
        if folded.endswith(word):
            return text[: len(text) - len(word)].strip(), factor
        if folded.startswith(word):
            rest = text[len(word) :].strip()
            if rest:
                return rest, factor
    return text, 1


def parse_stated(text: str, *, multiplier: int = 1) -> Stated:
    """Read a stated value; ``multiplier`` comes from the unit ("billion yuan").

    >>> parse_stated("100 billion").precision
    Decimal('1000000000')
    >>> parse_stated("66,214").value
    Decimal('66214')
    >>> parse_stated("31.8%").percent_sign
    True
    """
    raw = normalize(text)
    percent = raw.endswith("%")
    if percent:
        raw = raw[:-1].strip()
    number, factor = split_multiplier(raw)
    number = number.replace(" ", "")
    if _GROUPED.fullmatch(number):
        number = number.replace(",", "")
    if not _NUMBER.fullmatch(number):
        raise NotANumber(text)
    try:
        parsed = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise NotANumber(text) from None
    decimals = len(number.split(".", 1)[1]) if "." in number else 0
    scale = factor * multiplier
    precision = Decimal(1).scaleb(-decimals) * scale
    return Stated(parsed * scale, precision, percent)


def parse_precision(text: str, *, multiplier: int = 1) -> Decimal:
    """Read a stated precision given as a number (in the units of the value as written).

    >>> parse_precision("0.01", multiplier=10**9)
    Decimal('10000000.00')
    """
    raw = normalize(text)
    number, factor = split_multiplier(raw)
    if not _NUMBER.fullmatch(number.replace(" ", "")):
        raise NotANumber(text)
    value = Decimal(number.replace(" ", "")) * factor * multiplier
    if value <= 0:
        raise NotANumber(text)
    return value


def decimal_lexical(value: Decimal) -> str:
    """The canonical xsd:decimal form the graph files use: no exponent, at least one decimal.

    >>> [decimal_lexical(Decimal(x)) for x in ("30", "1E+9", "4.60", "-0", "0.010")]
    ['30.0', '1000000000.0', '4.6', '0.0', '0.01']
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text if "." in text else text + ".0"


def integer_lexical(value: Decimal) -> str | None:
    """The xsd:integer form of a whole number, or None when the value is not whole.

    >>> integer_lexical(Decimal("551.0")), integer_lexical(Decimal("5.5"))
    ('551', None)
    """
    if value != value.to_integral_value():
        return None
    return str(int(value))
