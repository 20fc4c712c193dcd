"""Where each node of a view goes: a layered layout that keeps labels readable (kinds in
columns, crossings reduced), or, for the views that are trees, the layouts of
:mod:`seikg.views.trees`; :func:`layout_of` picks the one for a view.

In the layered layout, nodes are placed in columns by kind (places, figures,
indicators, ...), in the order the view reads from left to right; within a
column, nodes are ordered by the barycentre of their neighbours (a few sweeps
of the classic Sugiyama heuristic), so most edges run straight across.  Labels
sit to the right of their node; columns are spaced so that no label reaches
the next column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

# Which kinds share a column, left to right, per view.
COLUMNS: dict[str, list[set[str]]] = {
    "overview": [
        {"country", "province", "city", "source"},
        {"observation"},
        {"indicator"},
        {"scope"},
        {"category"},
    ],
    "categories": [{"scheme", "agent"}, {"indicator", "scope"}, {"category"}],
    "city": [
        {"country", "province", "city"},
        {"claim", "aim", "statement"},
        {"observation"},
        {"indicator", "scope"},
        {"source", "agent"},
    ],
    "provenance": [
        {"derived"},
        {"observation", "claim", "aim", "statement"},
        {"source"},
        {"agent"},
    ],
    "full": [
        {"country", "province", "city", "assumption"},
        {"claim", "aim", "statement", "dataset"},
        {"observation"},
        {"indicator", "scope", "code", "category", "scheme"},
        {"source", "agent", "unit", "resource", "structure"},
    ],
}


Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """The path an edge is drawn along (a polyline), and whether it ends in an arrowhead."""

    points: tuple[Point, ...]
    arrow: bool = True


@dataclass(frozen=True)
class Layout:
    """Positions (x, y) per node, and the size of the drawing in layout units.

    A layout may also route edges (``routes``, keyed by source, target and edge
    key; the others are drawn as gentle arcs), say how many inches a unit is
    across and up (``inches``), the figure's size in inches (``size``; by default
    it grows with the columns and rows) and the drawn area (``bounds``: x and y
    from and to), the size of the markers in points squared, and whether labels need
    a white box to stand out from the edges that may run under them.
    """

    positions: dict[str, Point]
    columns: list[list[str]]
    width: float
    height: float
    routes: dict[tuple[str, str, str], Route] = field(default_factory=dict)
    inches: tuple[float, float] = (3.5, 0.44)
    size: tuple[float, float] | None = None
    bounds: tuple[float, float, float, float] | None = None
    node_size: float = 90.0
    label_boxes: bool = True

    def figure_size(self) -> tuple[float, float]:
        """Width and height in inches: room for every column of labels and every row."""
        if self.size is not None:
            return self.size
        width = max(12.0, self.width * self.inches[0] + 1.0)
        height = max(7.0, self.height * self.inches[1] + 2.6)
        return width, height

    def drawn_area(self) -> tuple[float, float, float, float]:
        """The x and y limits of the drawing, in layout units."""
        if self.bounds is not None:
            return self.bounds
        return -0.25, self.width - 0.05, -0.6, self.height + 0.2


def layout_of(graph: nx.MultiDiGraph) -> Layout:
    """The layout of a view: a tree in columns for the versions and divisions views, the
    layered layout for the others.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> layout = layout_of(to_networkx(KnowledgeGraph.load(), view="versions"))
    >>> [c[0].rsplit("/", 1)[-1] for c in layout.columns]
    ['sc-2010', 'nbs-2012', 'fyp13-2016', 'nbs-2018', 'fyp14-2021', 'nbs-2023']
    """
    from seikg.views import trees

    view = graph.graph.get("view")
    if view == "versions":
        return trees.versions_layout(graph)
    if view == "divisions":
        return trees.divisions_layout(graph)
    return layered_layout(graph)


def _column_key(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    if (
        data.get("kind") == "observation"
        and data.get("derived")
        and graph.graph.get("view") == "provenance"
    ):
        return "derived"
    return str(data.get("kind"))


def layered_layout(graph: nx.MultiDiGraph, *, sweeps: int = 6) -> Layout:
    """Place the nodes of a view in kind columns with few crossings.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> layout = layered_layout(to_networkx(KnowledgeGraph.load()))
    >>> len(layout.columns)
    5
    """
    view = str(graph.graph.get("view", "full"))
    groups = COLUMNS.get(view, COLUMNS["full"])
    columns: list[list[str]] = [[] for _ in groups]
    for node in graph.nodes:
        key = _column_key(graph, node)
        index = next((i for i, kinds in enumerate(groups) if key in kinds), len(groups) - 1)
        columns[index].append(node)
    columns = [sorted(col, key=lambda n: _initial_key(graph, n)) for col in columns if col]
    undirected = graph.to_undirected(as_view=True)
    for sweep in range(sweeps):
        order = range(1, len(columns)) if sweep % 2 == 0 else range(len(columns) - 2, -1, -1)
        for i in order:
            rank = {n: r / max(len(col) - 1, 1) for col in columns for r, n in enumerate(col)}
            neighbours_col = columns[i - 1] if sweep % 2 == 0 else columns[i + 1]
            fixed = set(neighbours_col)

            def barycentre(
                node: str, fixed: set[str] = fixed, rank: dict[str, float] = rank
            ) -> float:
                near = [rank[m] for m in undirected.neighbors(node) if m in fixed]
                return sum(near) / len(near) if near else rank[node]

            columns[i] = sorted(columns[i], key=lambda n: (barycentre(n), _initial_key(graph, n)))
    tallest = max(len(col) for col in columns)
    positions: dict[str, tuple[float, float]] = {}
    for x, col in enumerate(columns):
        step = tallest / len(col)
        for r, node in enumerate(col):
            positions[node] = (float(x), float(tallest - (r + 0.5) * step))
    return Layout(positions, columns, float(len(columns)), float(tallest))


def _initial_key(graph: nx.MultiDiGraph, node: str) -> tuple[str, str, str]:
    data = graph.nodes[node]
    kind_rank = str(["country", "province", "city"].index(data["kind"])) if data["kind"] in (
        "country", "province", "city") else "9"  # fmt: skip
    return (
        kind_rank,
        str(data.get("notation") or data.get("identifier") or ""),
        str(data.get("label")),
    )
