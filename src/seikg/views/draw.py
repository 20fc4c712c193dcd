"""Pictures of a view with matplotlib (PNG, SVG, PDF), in English or Chinese.

Chinese labels are set in Noto Sans CJK SC, which the ``noto-cjk-sans-otc``
package (a dependency) ships.  If that font cannot be found, the picture is
drawn with English labels and a warning, never with empty boxes.

The picture is drawn in layers, each by one function: edges, nodes by kind,
labels (placed by :func:`seikg.views.layout.layered_layout` so that they do
not overlap), titles and legends; colours and words are in
:mod:`seikg.views.style`.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from typing import Any

import networkx as nx

from seikg.views.layout import Layout, layered_layout
from seikg.views.style import (
    EDGE_COLOURS,
    KIND_NAMES,
    STYLE,
    TITLES,
    relation_colours,
    subtitle_of,
    title_of,
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
_NODE_SIZE = 90
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

    layout = layered_layout(graph)
    width, height = _figure_size(layout)
    family = [_CJK_FAMILY, "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"]
    with plt.rc_context(
        {"font.family": family, "svg.hashsalt": "sei-kg", "axes.unicode_minus": False}
    ):
        fig, ax = _figure(layout, width, height)
        colour_of = relation_colours(graph)
        kinds_present = sorted({k for _n, k in graph.nodes(data="kind")}, key=list(STYLE).index)
        _draw_edges(ax, graph, layout.positions, colour_of)
        _draw_nodes(ax, graph, layout.positions, kinds_present)
        _draw_labels(ax, graph, layout.positions, lang)
        _draw_titles(fig, ax, graph, lang, city_label)
        _draw_legends(fig, graph, lang, kinds_present, colour_of)
        data = _output(fig, fmt, height)
    return data, fig


def _output(fig: Any, fmt: str, height: float) -> bytes:
    """Leave room for the titles and legends, and save the figure without dates."""
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.9 / height, bottom=1.9 / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=110, metadata=_NO_DATES[fmt])
    return buffer.getvalue()


def _figure_size(layout: Layout) -> tuple[float, float]:
    """Width and height in inches: room for every column of labels and every row."""
    column_inches, row_inches = 3.5, 0.44
    width = max(12.0, layout.width * column_inches + 1.0)
    height = max(7.0, layout.height * row_inches + 2.6)
    return width, height


def _figure(layout: Layout, width: float, height: float) -> tuple[Any, Any]:
    """A figure of that size, with bare axes spanning the layout."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(-0.25, layout.width - 0.05)
    ax.set_ylim(-0.6, layout.height + 0.2)
    ax.axis("off")
    return fig, ax


def _draw_edges(ax: Any, graph: nx.MultiDiGraph, pos: Positions, colour_of: dict[str, str]) -> None:
    """Arrows, one colour per relation, drawn a relation at a time."""
    for relation, colour in colour_of.items():
        edges = [(s, o) for s, o, r in graph.edges(data="relation") if r == relation]
        nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            ax=ax,
            edge_color=colour,
            alpha=0.45,
            width=0.9,
            arrows=True,
            arrowstyle="-|>",
            arrowsize=7,
            node_size=_NODE_SIZE,
            connectionstyle="arc3,rad=0.04",
        )


def _draw_nodes(ax: Any, graph: nx.MultiDiGraph, pos: Positions, kinds_present: list[str]) -> None:
    """Markers by kind; derived figures hollow."""
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
            ax.scatter(
                [pos[n][0] for n in nodes],
                [pos[n][1] for n in nodes],
                s=_NODE_SIZE,
                marker=marker,
                c="white" if hollow else colour,
                edgecolors=colour,
                linewidths=1.6,
                zorder=3,
            )


def _draw_labels(ax: Any, graph: nx.MultiDiGraph, pos: Positions, lang: str) -> None:
    """Each node's label, wrapped, to the right of it; the layout keeps them apart."""
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
    kinds_present: list[str],
    colour_of: dict[str, str],
) -> None:
    """The kinds of node at the bottom left, the relations at the bottom right."""
    from matplotlib.lines import Line2D

    words = TITLES[lang]
    kind_handles = _kind_handles(graph, lang, kinds_present)
    edge_handles = [Line2D([], [], color=c, lw=2, label=r) for r, c in colour_of.items()]
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


def _kind_handles(graph: nx.MultiDiGraph, lang: str, kinds_present: list[str]) -> list[Any]:
    """One legend marker per kind in the view, and a hollow one if figures are derived."""
    from matplotlib.lines import Line2D

    names = KIND_NAMES.get(lang, {})

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

    handles = []
    for kind in kinds_present:
        colour, shape = STYLE.get(kind, STYLE["resource"])
        handles.append(marker(names.get(kind, kind), shape, colour, colour))
    if any(d.get("derived") for _n, d in graph.nodes(data=True)):
        handles.append(marker(TITLES[lang]["derived"], "s", "white", STYLE["observation"][0]))
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
