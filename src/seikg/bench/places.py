"""The places a synthetic data set is about: made-up cities in made-up provinces.

Made-up cities lie in made-up provinces with division codes 91-99, which
GB/T 2260 does not assign; their own triples (types, names, code, parent) are
part of the data set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seikg.bench import terms as t

CJK_DIGITS = "甲乙丙丁戊己庚辛壬癸"
MAX_CITIES = 891
"""Made-up cities: 99 in each of the nine made-up provinces."""


@dataclass(frozen=True)
class Place:
    """A place figures are made up for: its code, its IRI (N-Triples text), its own triples."""

    code: str
    area: str
    described: tuple[str, ...] = ()


def cjk_number(n: int) -> str:
    """``n`` written with the ten heavenly stems as digits (names of made-up places).

    >>> cjk_number(0), cjk_number(91)
    ('甲', '癸乙')
    """
    digits = ""
    while True:
        digits = CJK_DIGITS[n % 10] + digits
        n //= 10
        if n == 0:
            return digits


def made_up_provinces() -> Iterator[str]:
    """The triples of the made-up country and its nine provinces (codes 910000-990000)."""
    country = t.iri(t.PLACE_NS + "synthetic-country")
    yield t.triple(country, t.TYPE, t.COUNTRY)
    yield t.triple(country, t.TYPE, t.SYNTHETIC)
    yield t.triple(country, t.LABEL, t.lit("Synthetic country", lang="en"))
    yield t.triple(country, t.LABEL, t.lit("合成国家", lang="zh"))
    for code in range(91, 100):
        province = t.iri(f"{t.PLACE_NS}{code}0000")
        yield t.triple(province, t.TYPE, t.PROVINCE)
        yield t.triple(province, t.TYPE, t.SYNTHETIC)
        yield t.triple(province, t.LABEL, t.lit(f"Synthetic province {code}", lang="en"))
        yield t.triple(province, t.LABEL, t.lit("合成省" + cjk_number(code), lang="zh"))
        yield t.triple(province, t.DIVISION_CODE, t.lit(f"{code}0000"))
        yield t.triple(province, t.LOCATED_IN, country)


def made_up_city(index: int) -> Place:
    """The ``index``-th made-up city (from 0), with its own triples.

    >>> city = made_up_city(100)
    >>> city.code, city.area, len(city.described)
    ('920200', '<https://w3id.org/sei-kg/place/920200>', 6)
    """
    province = 91 + index // 99
    code = f"{province}{index % 99 + 1:02d}00"
    city = t.iri(t.PLACE_NS + code)
    described = (
        t.triple(city, t.TYPE, t.CITY),
        t.triple(city, t.TYPE, t.SYNTHETIC),
        t.triple(city, t.LABEL, t.lit(f"Synthetic city {code}", lang="en")),
        t.triple(city, t.LABEL, t.lit("合成市" + cjk_number(index), lang="zh")),
        t.triple(city, t.DIVISION_CODE, t.lit(code)),
        t.triple(city, t.LOCATED_IN, t.iri(f"{t.PLACE_NS}{province}0000")),
    )
    return Place(code, city, described)
