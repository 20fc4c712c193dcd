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

from seikg.views.layout import Layout, layout_of
from seikg.views.style import (
    KIND_NAMES,
    STYLE,
    TITLES,
    is_hollow,
    label_lines,
    node_classes,
    relation_colours,
    subtitle_of,
    title_of,
    wrap_label,
)

_SHAPES = {"o": "circle", "s": "square", "D": "diamond", "^": "up", "v": "down", "H": "hexagon",
           "h": "hexagon", "p": "pentagon", "P": "plus", "*": "star", "d": "diamond", "X": "cross",
           "8": "octagon", "<": "left", ">": "right", ".": "dot"}  # fmt: skip


# fields of each node's own entry, not repeated among its attributes
_HIDDEN_ATTRIBUTES = {"label", "name", "kind", "derived"}
# pixels per inch of the picture's layout, across and down (the layered layout's columns
# 420 px apart, its rows 46 px)
_PIXELS = (120.0, 46 / 0.44)

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
    """What the page's script draws: nodes placed, edges coloured (and routed where the
    layout routes them, dashed where they are belief), the style and the words."""
    colour_of = relation_colours(graph)
    words = TITLES[lang]
    layout = layout_of(graph)
    classes = node_classes(graph, lang)
    style = {k: {"colour": c, "shape": _SHAPES.get(m, "circle")} for k, (c, m) in STYLE.items()}
    names = dict(KIND_NAMES.get(lang, {}))
    for node_class in classes:
        if node_class.key not in style:
            style[node_class.key] = {
                "colour": node_class.colour,
                "shape": _SHAPES.get(node_class.marker, "circle"),
            }
            names[node_class.key] = node_class.name
    key_of = {n: c.key for c in classes for n in c.nodes}
    edges = []
    for s, o, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        edge: dict[str, object] = {
            "source": s, "target": o, "relation": d["relation"], "colour": colour_of[d["relation"]],
        }  # fmt: skip
        if d.get("belief"):
            edge["belief"] = True
        route = layout.routes.get((s, o, k))
        if route is not None:
            edge["points"] = [_pixels(layout, p) for p in route.points]
            if not route.arrow:
                edge["arrow"] = False
        edges.append(edge)
    return {
        "nodes": _nodes(graph, layout, key_of),
        "edges": edges,
        "style": style,
        "words": {"kinds": words["kinds"], "relations": words["relations"]},
        "kindNames": names,
    }


def _pixels(layout: Layout, point: tuple[float, float]) -> list[float]:
    """A point of the layout on the page, in pixels from the top left."""
    x0, _x1, _y0, y1 = layout.drawn_area() if layout.bounds else (0.0, 0.0, 0.0, layout.height)
    x, y = point
    return [
        round((x - x0) * layout.inches[0] * _PIXELS[0] + 20, 1),
        round((y1 - y) * layout.inches[1] * _PIXELS[1] + 20, 1),
    ]


def _nodes(
    graph: nx.MultiDiGraph, layout: Layout, key_of: dict[str, str]
) -> list[dict[str, object]]:
    """Each node with its place on the page (in pixels), its label cut into lines as the
    picture cuts it, and the attributes shown on hover."""
    lang = str(graph.graph.get("lang", "en"))
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = _pixels(layout, layout.positions[node])
        entry: dict[str, object] = {
            "id": node, "label": str(data["label"]), "name": str(data.get("name") or data["label"]),
            "kind": data["kind"], "hollow": is_hollow(data), "x": x, "y": y,
            "attributes": {
                k: str(v) for k, v in sorted(data.items()) if k not in _HIDDEN_ATTRIBUTES
            },
        }  # fmt: skip
        if key_of.get(node, data["kind"]) != data["kind"]:
            entry["key"] = key_of[node]
        lines = wrap_label(str(data["label"]), lang, lines=label_lines(graph, node)).split("\n")
        if len(lines) > 1:
            entry["lines"] = lines
        nodes.append(entry)
    return nodes


def _asset(name: str) -> str:
    """Read one of the page's parts shipped in seikg/views/web/."""
    from importlib import resources

    return (resources.files("seikg.views") / "web" / name).read_text(encoding="utf-8")
