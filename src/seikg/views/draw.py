"""Pictures of a view with matplotlib (PNG, SVG, PDF), in English or Chinese.

Chinese labels are set in Noto Sans CJK SC, which the ``noto-cjk-sans-otc``
package (a dependency) ships.  If that font cannot be found, the picture is
drawn with English labels and a warning, never with empty boxes.

The picture is drawn in layers, each by one function: edges (as gentle arcs,
or along the routes the layout gives them; dashed where the data holds them as
the project's belief), nodes by class (kind, or type of division), labels
(placed by :func:`seikg.views.layout.layout_of` so that they do not overlap),
titles and legends; colours and words are in :mod:`seikg.views.style`.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import networkx as nx

from seikg.views.layout import Layout, Route, layout_of
from seikg.views.style import (
    EDGE_COLOURS,
    KIND_NAMES,
    LABEL_POINTS,
    STYLE,
    TITLES,
    NodeClass,
    is_hollow,
    label_lines,
    node_classes,
    relation_colours,
    subtitle_of,
    title_of,
    wrap_label,
)

__all__ = [
    "EDGE_COLOURS",
    "KIND_NAMES",
    "STYLE",
    "TITLES",
    "cjk_font_available",
    "label_overlaps",
    "render",
    "subtitle_of",
    "warn_no_cjk",
]

_CJK_FAMILY = "Noto Sans CJK SC"
_LABEL_OFFSET = 0.1575  # inches from a marker's centre to its label
# metadata that would make the same picture differ from one run to the next
_NO_DATES: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}

Positions = dict[str, tuple[float, float]]


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


def render(
    graph: nx.MultiDiGraph, fmt: str, *, lang: str = "en", city_label: str = ""
) -> tuple[bytes, Any]:
    """Draw a view and return the image bytes (``png``, ``svg`` or ``pdf``) and the figure.

    ``city_label`` names what the view is about in its title (by default the view's
    own ``focus_label``).  The caller must make sure the labels are in a language the
    font can show (see :func:`cjk_font_available`).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layout = layout_of(graph)
    width, height = layout.figure_size()
    family = [_CJK_FAMILY, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"]
    with plt.rc_context(
        {"font.family": family, "svg.hashsalt": "sei-kg", "axes.unicode_minus": False}
    ):
        fig, ax = _figure(layout, width, height)
        colour_of = relation_colours(graph)
        classes = node_classes(graph, lang)
        _draw_edges(ax, graph, layout, colour_of)
        _draw_nodes(ax, graph, layout, classes)
        _draw_labels(ax, graph, layout, lang)
        _draw_titles(fig, ax, graph, lang, city_label)
        _draw_legends(fig, graph, lang, classes, colour_of)
        data = _output(fig, fmt, height)
    return data, fig


def _output(fig: Any, fmt: str, height: float) -> bytes:
    """Leave room for the titles and legends, and save the figure without dates."""
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.9 / height, bottom=1.9 / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=110, metadata=_NO_DATES[fmt])
    return buffer.getvalue()


def _figure(layout: Layout, width: float, height: float) -> tuple[Any, Any]:
    """A figure of that size, with bare axes spanning the layout."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    x0, x1, y0, y1 = layout.drawn_area()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.axis("off")
    return fig, ax


def _draw_edges(ax: Any, graph: nx.MultiDiGraph, layout: Layout, colour_of: dict[str, str]) -> None:
    """Edges one relation at a time, in its colour, dashed where they are belief: along the
    layout's routes where it gives them, else as gentle arcs with arrowheads."""
    pos = layout.positions
    for relation, colour in colour_of.items():
        for belief in (False, True):
            edges = [
                (s, o, k) for s, o, k, d in graph.edges(keys=True, data=True)
                if d["relation"] == relation and bool(d.get("belief")) is belief
            ]  # fmt: skip
            routed = [layout.routes[e] for e in edges if e in layout.routes]
            _draw_routes(ax, routed, colour, dashed=belief, node_size=layout.node_size)
            free = [(s, o) for s, o, k in edges if (s, o, k) not in layout.routes]
            if not free:
                continue
            nx.draw_networkx_edges(
                graph,
                pos,
                edgelist=free,
                ax=ax,
                edge_color=colour,
                alpha=0.45,
                width=0.9,
                style="--" if belief else "-",
                arrows=True,
                arrowstyle="-|>",
                arrowsize=7,
                node_size=layout.node_size,
                connectionstyle="arc3,rad=0.04",
            )


def _draw_routes(
    ax: Any, routes: list[Route], colour: str, *, dashed: bool, node_size: float
) -> None:
    """Polylines along the layout's routes, and one arrowhead per distinct ending."""
    if not routes:
        return
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch

    lines = LineCollection(
        [list(r.points) for r in routes],
        colors=colour,
        linewidths=0.9,
        alpha=0.6,
        linestyles=(0, (4, 2.5)) if dashed else "solid",
        zorder=1,
    )
    ax.add_collection(lines)
    radius = (node_size**0.5) / 2 + 1.5  # points from a marker's centre to its edge
    for start, end in sorted({r.points[-2:] for r in routes if r.arrow and len(r.points) > 1}):
        ax.add_patch(
            FancyArrowPatch(
                start, end, arrowstyle="-|>", mutation_scale=7, color=colour, alpha=0.8,
                linewidth=0, shrinkA=0, shrinkB=radius, zorder=2,
            )
        )  # fmt: skip


def _draw_nodes(ax: Any, graph: nx.MultiDiGraph, layout: Layout, classes: list[NodeClass]) -> None:
    """Markers by class (kind, or type of division); derived figures and abolished places
    hollow."""
    pos = layout.positions
    for node_class in classes:
        for hollow in (False, True):
            nodes = [n for n in node_class.nodes if is_hollow(graph.nodes[n]) is hollow]
            if not nodes:
                continue
            ax.scatter(
                [pos[n][0] for n in nodes],
                [pos[n][1] for n in nodes],
                s=layout.node_size,
                marker=node_class.marker,
                c="white" if hollow else node_class.colour,
                edgecolors=node_class.colour,
                linewidths=1.6,
                zorder=3,
            )


def _draw_labels(ax: Any, graph: nx.MultiDiGraph, layout: Layout, lang: str) -> None:
    """Each node's label, wrapped, to the right of it; the layout keeps them apart."""
    offset = _LABEL_OFFSET / layout.inches[0]
    box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75}
    for node, data in graph.nodes(data=True):
        x, y = layout.positions[node]
        ax.text(
            x + offset,
            y,
            wrap_label(str(data["label"]), lang, lines=label_lines(graph, node)),
            fontsize=LABEL_POINTS,
            va="center",
            ha="left",
            zorder=4,
            bbox=box if layout.label_boxes else None,
        )


def _draw_titles(fig: Any, ax: Any, graph: nx.MultiDiGraph, lang: str, city_label: str) -> None:
    """The view's title across the top, its sizes and how to read it under it."""
    fig.suptitle(
        title_of(graph, lang, city_label),
        fontsize=15,
        fontweight="bold" if lang == "en" else "normal",
        x=0.02,
        ha="left",
        y=0.995,
    )
    ax.set_title(subtitle_of(graph, lang), fontsize=9, loc="left", color="#555555")


def _draw_legends(
    fig: Any,
    graph: nx.MultiDiGraph,
    lang: str,
    classes: list[NodeClass],
    colour_of: dict[str, str],
) -> None:
    """The classes of node at the bottom left, the relations at the bottom right."""
    from matplotlib.lines import Line2D

    words = TITLES[lang]
    kind_handles = _class_handles(graph, lang, classes)
    edge_handles = [Line2D([], [], color=c, lw=2, label=r) for r, c in colour_of.items()]
    if any(d.get("belief") for _s, _o, d in graph.edges(data=True)):
        edge_handles.append(Line2D([], [], color="#555555", lw=1.5, ls="--", label=words["belief"]))
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


def _class_handles(graph: nx.MultiDiGraph, lang: str, classes: list[NodeClass]) -> list[Any]:
    """One legend marker per class of node in the view, and a hollow one if figures are
    derived or places abolished."""
    from matplotlib.lines import Line2D

    def marker(label: str, shape: str, face: str, edge: str) -> Any:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker=shape,
            markersize=8,
            markerfacecolor=face,
            markeredgecolor=edge,
            label=label,
        )

    handles = [marker(c.name, c.marker, c.colour, c.colour) for c in classes]
    nodes = [d for _n, d in graph.nodes(data=True)]
    if any(d.get("derived") for d in nodes):
        handles.append(marker(TITLES[lang]["derived"], "s", "white", STYLE["observation"][0]))
    if any(d.get("abolished") for d in nodes):
        handles.append(marker(TITLES[lang]["abolished"], "o", "white", "#555555"))
    return handles


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
