"""One self-contained interactive HTML page for a view: pan, zoom, hover, legend.

Everything the page needs is inside it: the graph as JSON, the style and a
small script that draws SVG.  No script, style, font or image is fetched, so
the page works with the network off.
"""

from __future__ import annotations

import html
import io
import json
import string

import networkx as nx

from seikg.views.layout import layered_layout
from seikg.views.style import KIND_NAMES, STYLE, TITLES, relation_colours, subtitle_of, title_of

_SHAPES = {"o": "circle", "s": "square", "D": "diamond", "^": "up", "v": "down", "H": "hexagon",
           "h": "hexagon", "p": "pentagon", "P": "plus", "*": "star", "d": "diamond", "X": "cross",
           "8": "octagon", "<": "left", ">": "right", ".": "dot"}  # fmt: skip


# fields of each node's own entry, not repeated among its attributes
_HIDDEN_ATTRIBUTES = {"label", "name", "kind", "derived"}

_HELP = {
    "en": "drag to pan, scroll to zoom, hover a node for details, tick kinds or relations off",
    "zh": "拖动平移，滚轮缩放，悬停节点查看详情，勾选以显示或隐藏类别与关系",
}


def _font_face(text: str) -> str:
    """An @font-face rule embedding Noto Sans CJK SC, cut down to the characters of the page.

    Chinese labels then render on any machine, with the network off and no
    Chinese font installed.  Empty when the font package is not installed.
    """
    import base64

    try:
        import noto_cjk_sans_otc
        from fontTools import subset
        from fontTools.ttLib import TTCollection
    except ImportError:
        return ""
    path = str(noto_cjk_sans_otc.FONT_PATH)
    collection = TTCollection(path, lazy=True)
    index = next(
        (
            i
            for i, font in enumerate(collection.fonts)
            if font["name"].getDebugName(1) == "Noto Sans CJK SC"
        ),
        0,
    )
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.font_number = index
    font = subset.load_font(path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        '  @font-face { font-family: "Noto Sans CJK SC"; '
        f'src: url(data:font/woff;base64,{encoded}) format("woff"); }}'
    )


def html_page(graph: nx.MultiDiGraph, *, lang: str = "en", city_label: str = "") -> str:
    """Return a self-contained interactive HTML page of the view.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> page = html_page(to_networkx(KnowledgeGraph.load(), view="categories"))
    >>> "<script src" in page, "新一代信息技术产业" in page or "New-generation" in page
    (False, True)
    """
    data = json.dumps(_payload(graph, lang), ensure_ascii=False, sort_keys=True)
    data = data.replace("</", "<\\/")  # no "</script>" inside the script
    title = title_of(graph, lang, city_label)
    subtitle = subtitle_of(graph, lang)
    page_text = data + title + subtitle + _HELP[lang]
    template = string.Template(_asset("page.html"))
    return template.substitute(
        css=_asset("page.css"),
        font_face=_font_face(page_text) if lang == "zh" else "",
        lang="zh-Hans" if lang == "zh" else "en",
        title=html.escape(title),
        subtitle=html.escape(subtitle),
        help=html.escape(_HELP[lang]),
        data=data,
        script=_asset("page.js"),
    )


def _payload(graph: nx.MultiDiGraph, lang: str) -> dict[str, object]:
    """What the page's script draws: nodes placed, edges coloured, the style and the words."""
    colour_of = relation_colours(graph)
    words = TITLES[lang]
    return {
        "nodes": _nodes(graph),
        "edges": [
            {"source": s, "target": o, "relation": r, "colour": colour_of[r]}
            for s, o, r in sorted(graph.edges(data="relation"))
        ],
        "style": {
            k: {"colour": c, "shape": _SHAPES.get(m, "circle")} for k, (c, m) in STYLE.items()
        },
        "words": {"kinds": words["kinds"], "relations": words["relations"]},
        "kindNames": KIND_NAMES.get(lang, {}),
    }


def _nodes(graph: nx.MultiDiGraph) -> list[dict[str, object]]:
    """Each node with its place on the page (in pixels) and the attributes shown on hover."""
    layout = layered_layout(graph)
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = layout.positions[node]
        nodes.append({
            "id": node, "label": str(data["label"]), "name": str(data.get("name") or data["label"]),
            "kind": data["kind"], "derived": bool(data.get("derived")),
            "x": round(x * 420 + 20, 1), "y": round((layout.height - y) * 46 + 20, 1),
            "attributes": {
                k: str(v) for k, v in sorted(data.items()) if k not in _HIDDEN_ATTRIBUTES
            },
        })  # fmt: skip
    return nodes


def _asset(name: str) -> str:
    """Read one of the page's parts shipped in seikg/views/web/."""
    from importlib import resources

    return (resources.files("seikg.views") / "web" / name).read_text(encoding="utf-8")
