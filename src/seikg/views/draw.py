"""Pictures of a view with matplotlib (PNG, SVG, PDF), in English or Chinese.

Chinese labels are set in Noto Sans CJK SC, which the ``noto-cjk-sans-otc``
package (a dependency) ships.  If that font cannot be found, the picture is
drawn with English labels and a warning, never with empty boxes.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from typing import Any

import networkx as nx

from seikg.views.layout import layered_layout

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
        "overview": "sei-kg: places, figures, indicators, scopes, categories and sources",
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

_CJK_FAMILY = "Noto Sans CJK SC"
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


def cjk_font_available() -> bool:
    """Register the packaged Noto Sans CJK font with matplotlib; say whether it worked."""
    try:
        import noto_cjk_sans_otc
        from matplotlib import font_manager
    except ImportError:
        return False
    path = str(noto_cjk_sans_otc.FONT_PATH)
    if not any(f.name == _CJK_FAMILY for f in font_manager.fontManager.ttflist):
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError):
            return False
    return any(f.name == _CJK_FAMILY for f in font_manager.fontManager.ttflist)


def _wrap(text: str, lang: str, *, lines: int = 2) -> str:
    width = 18 if lang == "zh" else 30
    wrapped = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1] + "…"]
    return "\n".join(wrapped)


def render(
    graph: nx.MultiDiGraph, fmt: str, *, lang: str = "en", city_label: str = ""
) -> tuple[bytes, Any]:
    """Draw a view and return the image bytes (``png``, ``svg`` or ``pdf``) and the figure.

    The caller must make sure the labels are in a language the font can show
    (see :func:`cjk_font_available`).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    layout = layered_layout(graph)
    column_inches, row_inches = 3.5, 0.44
    width = max(12.0, layout.width * column_inches + 1.0)
    height = max(7.0, layout.height * row_inches + 2.6)
    family = [_CJK_FAMILY, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"]
    with plt.rc_context(
        {"font.family": family, "svg.hashsalt": "sei-kg", "axes.unicode_minus": False}
    ):
        fig, ax = plt.subplots(figsize=(width, height))
        ax.set_xlim(-0.25, layout.width - 0.05)
        ax.set_ylim(-0.6, layout.height + 0.2)
        ax.axis("off")
        pos = layout.positions
        relations = sorted({r for _s, _o, r in graph.edges(data="relation")})
        colour_of = {r: EDGE_COLOURS[i % len(EDGE_COLOURS)] for i, r in enumerate(relations)}
        for relation in relations:
            edges = [(s, o) for s, o, r in graph.edges(data="relation") if r == relation]
            nx.draw_networkx_edges(
                graph,
                pos,
                edgelist=edges,
                ax=ax,
                edge_color=colour_of[relation],
                alpha=0.45,
                width=0.9,
                arrows=True,
                arrowstyle="-|>",
                arrowsize=7,
                node_size=90,
                connectionstyle="arc3,rad=0.04",
            )
        kinds_present = sorted({k for _n, k in graph.nodes(data="kind")}, key=list(STYLE).index)
        for kind in kinds_present:
            colour, marker = STYLE.get(kind, STYLE["resource"])
            for hollow in (False, True):
                nodes = [
                    n
                    for n, d in graph.nodes(data=True)
                    if d["kind"] == kind and bool(d.get("derived")) is hollow
                ]
                if not nodes:
                    continue
                xs = [pos[n][0] for n in nodes]
                ys = [pos[n][1] for n in nodes]
                ax.scatter(
                    xs,
                    ys,
                    s=90,
                    marker=marker,
                    c="white" if hollow else colour,
                    edgecolors=colour,
                    linewidths=1.6,
                    zorder=3,
                )
        for node, data in graph.nodes(data=True):
            x, y = pos[node]
            ax.text(
                x + 0.045,
                y,
                _wrap(str(data["label"]), lang),
                fontsize=7.5,
                va="center",
                ha="left",
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
        words = TITLES[lang]
        view = str(graph.graph.get("view"))
        title = words.get(view, words["full"]).format(city=city_label)
        subtitle = subtitle_of(graph, lang)
        fig.suptitle(
            title,
            fontsize=15,
            fontweight="bold" if lang == "en" else "normal",
            x=0.02,
            ha="left",
            y=0.995,
        )
        ax.set_title(subtitle, fontsize=9, loc="left", color="#555555")
        names = KIND_NAMES.get(lang, {})
        kind_handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=STYLE.get(k, STYLE["resource"])[1],
                markersize=8,
                markerfacecolor=STYLE.get(k, STYLE["resource"])[0],
                markeredgecolor=STYLE.get(k, STYLE["resource"])[0],
                label=names.get(k, k),
            )
            for k in kinds_present
        ]
        if any(d.get("derived") for _n, d in graph.nodes(data=True)):
            colour = STYLE["observation"][0]
            kind_handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker="s",
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=colour,
                    label=words["derived"],
                )
            )
        edge_handles = [Line2D([], [], color=colour_of[r], lw=2, label=r) for r in relations]
        first = fig.legend(
            handles=kind_handles,
            title=words["kinds"],
            loc="lower left",
            fontsize=8,
            title_fontsize=9,
            ncol=min(len(kind_handles), 6),
            frameon=False,
            bbox_to_anchor=(0.01, 0.0),
        )
        fig.add_artist(first)
        fig.legend(
            handles=edge_handles,
            title=words["relations"],
            loc="lower right",
            fontsize=8,
            title_fontsize=9,
            ncol=min(max(len(edge_handles) // 4, 1), 4),
            frameon=False,
            bbox_to_anchor=(0.99, 0.0),
        )
        fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.9 / height, bottom=1.9 / height)
        buffer = io.BytesIO()
        metadata: dict[str, Any] = {
            "png": {"Software": None},
            "svg": {"Date": None},
            "pdf": {"CreationDate": None, "ModDate": None},
        }[fmt]
        fig.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    return buffer.getvalue(), fig


def subtitle_of(graph: nx.MultiDiGraph, lang: str) -> str:
    """Sizes of the view, and how to read it."""
    words = TITLES[lang]
    parts = [words["subtitle"].format(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())]
    if any(d.get("derived") for _n, d in graph.nodes(data=True)):
        parts.append(words["hollow"])
    parts.append(words["arrows"])
    return " · ".join(parts)


def label_overlaps(fig: Any) -> list[tuple[str, str]]:
    """Return the pairs of node labels whose boxes overlap in a drawn figure."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts]
    overlaps = []
    for i, (text_a, box_a) in enumerate(boxes):
        for text_b, box_b in boxes[i + 1 :]:
            if box_a.overlaps(box_b):
                overlaps.append((text_a, text_b))
    return overlaps


def warn_no_cjk() -> None:
    """Warn that Chinese labels fall back to English."""
    warnings.warn(
        "no font for Chinese characters was found (the noto-cjk-sans-otc package is missing); "
        "drawing with English labels instead",
        stacklevel=2,
    )
