"""How the views look and read, in pictures and on the page: the colour and marker of each
kind of node, the colours of relations, and the titles and kind names in both languages.
"""

from __future__ import annotations

import networkx as nx

STYLE: dict[str, tuple[str, str]] = {
    # kind: (colour, matplotlib marker)
    "country": ("#8c564b", "H"),
    "province": ("#c49c94", "h"),
    "city": ("#d62728", "o"),
    "observation": ("#1f77b4", "s"),
    "category": ("#2ca02c", "D"),
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
        "subtitle": "{nodes} nodes, {edges} edges",
        "hollow": "derived figures drawn hollow",
        "arrows": "arrows point from a resource to what it refers to",
        "kinds": "kinds of node",
        "relations": "relations",
        "derived": "derived figure",
    },
    "zh": {
        "overview": "sei-kg：地区、数字、指标、统计范围、产业类别与来源",
        "categories": "sei-kg：分类体系（产业类别、统计范围、指标）",
        "city": "sei-kg：{city}的全部信息",
        "provenance": "sei-kg：每个数字的来源",
        "full": "sei-kg：数据图中的全部资源",
        "subtitle": "{nodes} 个节点，{edges} 条边",
        "hollow": "空心方块为推算数字",
        "arrows": "箭头由资源指向其所引用者",
        "kinds": "节点类别",
        "relations": "关系",
        "derived": "推算数字",
    },
}

KIND_NAMES = {
    "zh": {
        "country": "国家",
        "province": "省",
        "city": "城市",
        "observation": "数字（观测值）",
        "category": "产业类别",
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


def relation_colours(graph: nx.MultiDiGraph) -> dict[str, str]:
    """A colour for each relation of the view, the relations in sorted order."""
    relations = sorted({r for _s, _o, r in graph.edges(data="relation")})
    return {r: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, r in enumerate(relations)}


def title_of(graph: nx.MultiDiGraph, lang: str, city_label: str) -> str:
    """The title of the view in ``lang``; the city view names its city."""
    words = TITLES[lang]
    view = str(graph.graph.get("view"))
    return words.get(view, words["full"]).format(city=city_label)


def subtitle_of(graph: nx.MultiDiGraph, lang: str) -> str:
    """Sizes of the view, and how to read it."""
    words = TITLES[lang]
    parts = [words["subtitle"].format(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())]
    if any(d.get("derived") for _n, d in graph.nodes(data=True)):
        parts.append(words["hollow"])
    parts.append(words["arrows"])
    return " · ".join(parts)
