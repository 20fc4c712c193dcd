"""The places a synthetic data set is about: made-up cities, or the real county-level divisions.

Made-up cities lie in made-up provinces with division codes 91-99, which
GB/T 2260 does not assign; their own triples (types, names, code, parent) are
part of the data set.  The county-level divisions are those of the committed
skeleton (``graph/reference/divisions.ttl``), read with the project's own
checked reader: the data set names them by their IRIs and repeats none of
their triples, so it is loaded next to the skeleton.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seikg.bench import terms as t
from seikg.errors import BadInputError

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


def skeleton_file() -> Path:
    """The committed skeleton of divisions; refused (exit 2) when this installation lacks it.

    >>> skeleton_file().name
    'divisions.ttl'
    """
    from seikg import resources

    try:
        found = resources.reference_files().get("divisions")
    except FileNotFoundError:
        found = None
    if found is None or not found.is_file():
        raise BadInputError(
            "the county level needs the skeleton of divisions (graph/reference/divisions.ttl), "
            "which this installation does not have"
        )
    return found


def county_divisions(skeleton: Path | None = None) -> list[Place]:
    """The current county-level divisions of the skeleton (none replaced), in code order.

    They are read from ``skeleton`` (by default the committed file) with the
    project's strict reader and pyoxigraph's parser.

    >>> counties = county_divisions()
    >>> len(counties), counties[0].area
    (2847, '<https://w3id.org/sei-kg/place/110101>')
    """
    import pyoxigraph as ox

    from seikg.guard import read_rdf
    from seikg.rdf.parsing import parse_checked

    path = skeleton or skeleton_file()
    fmt, data = read_rdf(path)
    county = ox.NamedNode(t.SEI_NS + "CountyLevelDivision")
    rdf_type, code_of = ox.NamedNode(t.RDF_TYPE_IRI), ox.NamedNode(t.SEI_NS + "divisionCode")
    replaced_by = ox.NamedNode(t.DCT + "isReplacedBy")
    counties: set[object] = set()
    replaced: set[object] = set()
    codes: dict[object, str] = {}
    for quad in parse_checked(data, fmt, path=str(path)):
        s, p, o = quad.subject, quad.predicate, quad.object
        if p == rdf_type and o == county:
            counties.add(s)
        elif p == code_of and isinstance(o, ox.Literal):
            codes[s] = o.value
        elif p == replaced_by:
            replaced.add(s)
    current = (s for s in counties - replaced if isinstance(s, ox.NamedNode) and s in codes)
    return sorted((Place(codes[s], t.iri(s.value)) for s in current), key=lambda p: p.code)


def spread(places: list[Place], count: int) -> list[Place]:
    """``count`` of ``places``, evenly spread over them (so over every province), in order.

    >>> [p.code for p in spread([Place(str(n), "") for n in range(10)], 3)]
    ['0', '3', '6']
    """
    if not 1 <= count <= len(places):
        raise ValueError(f"there are {len(places)} places: choose 1 to {len(places)}, not {count}")
    return [places[i * len(places) // count] for i in range(count)]
