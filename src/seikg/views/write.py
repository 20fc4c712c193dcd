"""Write a view to a file, the format taken from the extension.

``.png``, ``.svg`` and ``.pdf`` are pictures (matplotlib); ``.graphml`` and
``.gexf`` are for Gephi and Cytoscape, with typed attributes; ``.json`` is
node-link JSON for D3 and other web tools; ``.html`` is one self-contained
interactive page that works offline.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from seikg.errors import BadInputError
from seikg.rdf.write import atomic_write
from seikg.views.projection import View, to_networkx

if TYPE_CHECKING:
    from seikg.kg import KnowledgeGraph

FORMATS = ("png", "svg", "pdf", "graphml", "gexf", "json", "html")


def viz_format(path: Path) -> str:
    """The output format named by a file's extension, or a clear refusal.

    >>> viz_format(Path("overview.PNG"))
    'png'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        known = ", ".join("." + f for f in FORMATS)
        raise BadInputError(
            f"cannot tell the picture or file format from '.{suffix}' (known: {known})", path=path
        )
    return suffix


def render_view(
    kg: KnowledgeGraph,
    fmt: str,
    *,
    view: View | str = View.OVERVIEW,
    lang: str = "en",
    city: str | None = None,
    province: str | None = None,
    category: str | None = None,
    middle: bool = False,
) -> tuple[bytes, list[str]]:
    """Build a view and serialize it in ``fmt``; return the bytes and any warnings.

    ``city``, ``province``, ``category`` and ``middle`` say what the view is about
    (see :func:`seikg.views.to_networkx`).

    >>> from seikg.kg import KnowledgeGraph
    >>> data, notes = render_view(KnowledgeGraph.load(), "json", view="versions", lang="zh")
    >>> '"relation": "narrowMatch"' in data.decode("utf-8"), notes
    (True, [])
    """
    notes: list[str] = []
    if fmt in ("png", "svg", "pdf") and lang == "zh":
        from seikg.views.draw import cjk_font_available

        if not cjk_font_available():
            notes.append(
                "no font for Chinese characters was found; the picture uses English labels"
            )
            lang = "en"
    graph = to_networkx(
        kg, view=view, lang=lang, city=city, province=province, category=category, middle=middle
    )
    city_label = str(graph.graph.get("focus_label", ""))
    if fmt in ("png", "svg", "pdf"):
        from seikg.views.draw import render

        data, _fig = render(graph, fmt, lang=lang, city_label=city_label)
        import matplotlib.pyplot as plt

        plt.close(_fig)
        return data, notes
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(_typed(graph), buffer, named_key_ids=True)
        return buffer.getvalue(), notes
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(_typed(graph), buffer)
        return buffer.getvalue(), notes
    if fmt == "json":
        doc = nx.node_link_data(graph, edges="links")
        return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
            "utf-8"
        ), notes
    if fmt == "html":
        from seikg.views.page import html_page

        return html_page(graph, lang=lang, city_label=city_label).encode("utf-8"), notes
    raise BadInputError(f"unknown format {fmt!r}")


def _typed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes have one type per key across all nodes (as GraphML and GEXF need)."""
    out = nx.MultiDiGraph()
    out.graph.update({k: str(v) for k, v in graph.graph.items()})
    kinds: dict[str, type] = {}
    for _n, data in graph.nodes(data=True):
        for key, value in data.items():
            kinds[key] = (
                kinds.get(key, type(value)) if type(value) is kinds.get(key, type(value)) else str
            )
    # Nodes, edges and attributes in sorted order: the same file whatever the hash seed
    # or the order a store gave the triples in.
    for node, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        attributes = {}
        for key in sorted(data):
            if data[key] is None:
                continue
            attributes[key] = data[key] if kinds[key] is not str else str(data[key])
        out.add_node(node, **attributes)
    edges = sorted(
        graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    )
    for source, target, key, data in edges:
        out.add_edge(source, target, key=key, **{k: str(data[k]) for k in sorted(data)})
    return out


def write_view(
    kg: KnowledgeGraph,
    path: Path,
    *,
    view: View | str = View.OVERVIEW,
    lang: str = "en",
    city: str | None = None,
    province: str | None = None,
    category: str | None = None,
    middle: bool = False,
) -> list[str]:
    """Write a view to ``path`` atomically, in the format of its extension; return warnings."""
    fmt = viz_format(path)
    data, notes = render_view(
        kg, fmt, view=view, lang=lang, city=city, province=province, category=category,
        middle=middle,
    )  # fmt: skip
    atomic_write(Path(path), data)
    return notes
