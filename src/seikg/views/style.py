"""How the views look and read, in pictures and on the page: the colour and marker of each
kind of node (and of each type of division), the colours of relations, how labels wrap
and how wide they are, and the titles and kind names in both languages.

>>> print(wrap_label("Emerging software and new information technology services", "en"))
Emerging software and new
information technology services
>>> print(wrap_label("工业战略性新兴产业分类目录（2023）", "zh"))
工业战略性新兴产业分类目录（2023）
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field

import networkx as nx

STYLE: dict[str, tuple[str, str]] = {
    # kind: (colour, matplotlib marker)
    "country": ("#8c564b", "H"),
    "province": ("#c49c94", "h"),
    "city": ("#d62728", "o"),
    "prefecture": ("#ff7f0e", "o"),
    "county": ("#1f77b4", "s"),
    "observation": ("#1f77b4", "s"),
    "category": ("#2ca02c", "D"),
    "concept": ("#98df8a", "D"),
    "indicator": ("#9467bd", "v"),
    "scope": ("#17becf", "^"),
    "code": ("#aec7e8", "."),
    "scheme": ("#393b79", "8"),
    "claim": ("#e377c2", "*"),
    "aim": ("#bcbd22", "d"),
    "statement": ("#f7b6d2", "X"),
    "source": ("#ff7f0e", "p"),
    "agent": ("#7f7f7f", "P"),
    "dataset": ("#c7c7c7", "<"),
    "structure": ("#c7c7c7", ">"),
    "assumption": ("#dbdb8d", "d"),
    "unit": ("#c7c7c7", "."),
    "resource": ("#c7c7c7", "."),
}

TITLES = {
    "en": {
        "overview": "sei-kg: places, figures, indicators, scopes, categories and the source",
        "categories": "sei-kg: the classification schemes (categories, scopes, indicators)",
        "city": "sei-kg: everything about {city}",
        "provenance": "sei-kg: where each figure comes from",
        "full": "sei-kg: every resource of the data graph",
        "versions": "sei-kg: the classification through its versions",
        "versions-focus": "sei-kg: “{focus}” through the versions of the classification",
        "divisions": "sei-kg: the administrative divisions of {focus}",
        "subtitle": "{nodes} nodes, {edges} edges",
        "hollow": "derived figures drawn hollow",
        "hollow-abolished": "abolished divisions drawn hollow",
        "arrows": "arrows point from a resource to what it refers to",
        "read-versions": "versions in columns, oldest first; mappings drawn between them, "
        "dashed where the data holds them as the project's belief",
        "read-divisions": "each division hangs under the one it lies in; colour: type of division",
        "kinds": "kinds of node",
        "relations": "relations",
        "derived": "derived figure",
        "abolished": "abolished",
        "belief": "dashed: the project's belief",
    },
    "zh": {
        "overview": "sei-kg：地区、数字、指标、统计范围、产业类别与来源",
        "categories": "sei-kg：分类体系（产业类别、统计范围、指标）",
        "city": "sei-kg：{city}的全部信息",
        "provenance": "sei-kg：每个数字的来源",
        "full": "sei-kg：数据图中的全部资源",
        "versions": "sei-kg：产业分类的历次版本",
        "versions-focus": "sei-kg：“{focus}”在产业分类历次版本中的对应",
        "divisions": "sei-kg：{focus}的行政区划",
        "subtitle": "{nodes} 个节点，{edges} 条边",
        "hollow": "空心方块为推算数字",
        "hollow-abolished": "空心为已撤销的行政区",
        "arrows": "箭头由资源指向其所引用者",
        "read-versions": "各版本按时间先后分列；版本之间画出对应关系，虚线为本项目的推断（待核实）",
        "read-divisions": "各行政区挂在其上级之下；颜色表示行政区划类型",
        "kinds": "节点类别",
        "relations": "关系",
        "derived": "推算数字",
        "abolished": "已撤销",
        "belief": "虚线：本项目的推断（待核实）",
    },
}

KIND_NAMES = {
    "en": {
        "prefecture": "prefecture-level division",
        "county": "county-level division",
        "concept": "category of a version",
    },
    "zh": {
        "country": "国家",
        "province": "省",
        "city": "城市",
        "prefecture": "地级行政区",
        "county": "县级行政区",
        "observation": "数字（观测值）",
        "category": "产业类别",
        "concept": "各版本的类别",
        "indicator": "指标",
        "scope": "统计范围",
        "code": "代码",
        "scheme": "分类体系",
        "claim": "比较陈述",
        "aim": "发展目标",
        "statement": "榜样陈述",
        "source": "来源文件",
        "agent": "机构",
        "dataset": "数据集",
        "structure": "数据结构",
        "assumption": "项目假设",
        "unit": "单位",
        "resource": "其他资源",
    },
}

EDGE_COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
]


# The divisions view colours each division by its type (the local name of the type's IRI).
DIVISION_COLOURS = {
    "province": "#8c564b",
    "autonomous-region": "#8c564b",
    "municipality": "#8c564b",
    "special-administrative-region": "#8c564b",
    "prefecture-level-city": "#d62728",
    "autonomous-prefecture": "#ff7f0e",
    "prefecture": "#bcbd22",
    "league": "#8c6d31",
    "district": "#1f77b4",
    "county": "#2ca02c",
    "county-level-city": "#9467bd",
    "autonomous-county": "#17becf",
    "banner": "#e377c2",
    "autonomous-banner": "#7b4173",
    "forestry-district": "#637939",
    "special-district": "#843c39",
}
# views whose nodes are coloured by a finer class than their kind
_CLASSED_VIEWS = {"divisions": "divisionTypeCode"}

LABEL_POINTS = 7.5
"""The size of node labels in pictures, in points."""


@dataclass
class NodeClass:
    """The nodes drawn alike (one marker, one colour, one line of the legend)."""

    key: str
    kind: str
    colour: str
    marker: str
    name: str
    nodes: list[str] = field(default_factory=list)


def node_classes(graph: nx.MultiDiGraph, lang: str) -> list[NodeClass]:
    """The classes of node of a view, in legend order: by kind, and in the divisions view by
    type of division, each type named in ``lang``."""
    names = KIND_NAMES.get(lang, {})
    attribute = _CLASSED_VIEWS.get(str(graph.graph.get("view")))
    classes: dict[str, NodeClass] = {}
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        colour, marker = STYLE.get(kind, STYLE["resource"])
        key, name = kind, names.get(kind, kind)
        code = data.get(attribute) if attribute else None
        if code and code in DIVISION_COLOURS:
            key, colour = f"{kind}:{code}", DIVISION_COLOURS[code]
            name = str(data.get("divisionType") or code)
        classes.setdefault(key, NodeClass(key, kind, colour, marker, name)).nodes.append(node)
    order = list(STYLE)
    codes = list(DIVISION_COLOURS)
    return sorted(
        classes.values(),
        key=lambda c: (
            order.index(c.kind) if c.kind in order else len(order),
            codes.index(c.key.split(":", 1)[1]) if ":" in c.key else -1,
        ),
    )


def is_hollow(data: dict[str, object]) -> bool:
    """Derived figures and abolished places are drawn hollow."""
    return bool(data.get("derived") or data.get("abolished"))


def wrap_label(text: str, lang: str, *, lines: int = 2) -> str:
    """A label cut into lines of about 18 characters (Chinese) or 30 (English), a little
    longer if that keeps the whole text within ``lines`` lines; else the last line ends
    in an ellipsis."""
    base = 18 if lang == "zh" else 30
    for width in (base, base + base // 6, base + base // 3):
        wrapped = textwrap.wrap(text, width=width, break_long_words=True) or [""]
        if len(wrapped) <= lines and not any(_only_punctuation(line) for line in wrapped[1:]):
            return "\n".join(wrapped)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1] + "…"]
    return "\n".join(wrapped)


def _only_punctuation(line: str) -> bool:
    """A line that is nothing but a closing bracket or a stop (a widow, in Chinese)."""
    return all(unicodedata.category(c).startswith("P") for c in line.strip())


def label_lines(graph: nx.MultiDiGraph, node: str) -> int:
    """How many lines a node's label may take: three for the versions heading each column."""
    if graph.graph.get("view") == "versions" and graph.nodes[node].get("kind") == "scheme":
        return 3
    return 2


def text_inches(text: str, points: float = LABEL_POINTS) -> tuple[float, float]:
    """About how wide and how tall a label is drawn, in inches (widest line; Chinese
    characters a full em, Latin letters about 0.6 em): an estimate on the generous side,
    which the tests check against the drawn labels.

    >>> w, h = text_inches("历下区")
    >>> round(w, 2), round(h, 2)
    (0.34, 0.16)
    """
    lines = text.split("\n")

    def ems(line: str) -> float:
        total = 0.0
        for char in line:
            if unicodedata.east_asian_width(char) in ("W", "F"):
                total += 1.0
            elif char.isupper() or char in "mwMW":
                total += 0.72
            elif char.isalnum():
                total += 0.6
            else:
                total += 0.4
        return total

    widest = max(ems(line) for line in lines)
    pad = 2 * 0.15 * points  # the label's box
    return (widest * points + pad) / 72, (len(lines) * 1.25 * points + pad) / 72


def relation_colours(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A colour for each relation of the view, the relations in sorted order."""
    relations = sorted({r for _s, _o, r in graph.edges(data="relation")})
    return {r: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, r in enumerate(relations)}


def title_of(graph: nx.MultiDiGraph, lang: str, focus_label: str = "") -> str:
    """The title of the view in ``lang``; the city view names its city, the divisions view
    its province, the versions view the category it traces (if any)."""
    words = TITLES[lang]
    view = str(graph.graph.get("view"))
    focus = focus_label or str(graph.graph.get("focus_label", ""))
    if view == "versions" and focus:
        view = "versions-focus"
    return words.get(view, words["full"]).format(city=focus, focus=focus)


def subtitle_of(graph: nx.MultiDiGraph, lang: str) -> str:
    """Sizes of the view, and how to read it."""
    words = TITLES[lang]
    view = str(graph.graph.get("view"))
    parts = [words["subtitle"].format(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())]
    if any(d.get("derived") for _n, d in graph.nodes(data=True)):
        parts.append(words["hollow"])
    if any(d.get("abolished") for _n, d in graph.nodes(data=True)):
        parts.append(words["hollow-abolished"])
    parts.append(words.get(f"read-{view}", words["arrows"]))
    return " · ".join(parts)
