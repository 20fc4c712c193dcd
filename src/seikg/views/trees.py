"""Layouts of the views that are trees in columns, so that big views stay readable.

**Versions** (:func:`versions_layout`): one column per version of the
classification, oldest first, headed by its scheme, its concepts hanging under
it (NBS-2018's middle categories under their areas).  The version that most
mappings reach (NBS-2018) sets the rows; every other concept sits on the row of
the concept it is mapped to, so that one category reads across a row, and each
mapping runs in the gap beside that row, never through a label.

**Divisions** (:func:`divisions_layout`): the province at the top left, then
one column per prefecture-level division with its county-level divisions
hanging under it, like an organisation chart; the columns are wrapped into
bands when there are many, so that the picture stays about half again as wide
as it is tall, and the county-level divisions a province governs directly get
columns of their own.  An abolished division stands just left of the column
that holds its successor.

The unit is the inch: a label is as wide in the layout as it is drawn, and
columns are as wide as their widest label.  Every edge is routed along the
tree or through the gaps between rows, so no line runs under a label.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from rdflib.namespace import DCTERMS, SKOS

from seikg.namespaces import SEI
from seikg.views.layout import Layout, Point, Route
from seikg.views.relations import MAPPINGS
from seikg.views.style import label_lines, text_inches, wrap_label

ROW = {"versions": 0.46, "divisions": 0.27}
"""Inches from one row to the next (a version's labels take two lines)."""
INDENT = 0.17
"""Inches from a parent's marker to its children's."""
LABEL_OFFSET = 0.1575
"""Inches from a marker's centre to the start of its label (as the pictures draw them)."""
GAP = 0.3
"""Inches between the end of a column's widest label and the next column."""
ASPECT = 1.5
"""The width over the height the divisions view aims for when it wraps its columns."""
NODE_SIZE = 55.0

_PARENT_IS_TARGET = {str(SKOS.broader), str(SEI.locatedIn)}
_PARENT_IS_SOURCE = {str(SKOS.hasTopConcept)}
_MAPPINGS = {str(p) for p in MAPPINGS}
_REPLACED = str(DCTERMS.isReplacedBy)

Edge = tuple[str, str, str]


@dataclass
class _Column:
    """A column: its head (None for a column of divisions directly under the province) and
    the nodes under it, in order, each with its depth (1: a child of the head)."""

    head: str | None
    rows: list[tuple[str, int]]
    width: float = 0.0


def _parents(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each node's parent in the tree the view draws (the first, if a node has several)."""
    parent: dict[str, str] = {}
    for source, target, iri in sorted(graph.edges(data="iri")):
        if iri in _PARENT_IS_TARGET and source != target:
            parent.setdefault(source, target)
        elif iri in _PARENT_IS_SOURCE and source != target:
            parent.setdefault(target, source)
    return parent


def _order_key(graph: nx.MultiDiGraph, node: str) -> tuple[tuple[int, ...], str, str]:
    """Siblings in the order of their codes (1, 2, ..., 1.1, 1.2; division codes), then names."""
    data = graph.nodes[node]
    code = str(data.get("notation") or data.get("divisionCode") or "")
    parts = tuple(int(p) if p.isdigit() else 10**9 for p in code.split(".")) if code else (10**9,)
    return parts, str(data.get("label")), node


def _children(graph: nx.MultiDiGraph, parent: dict[str, str]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for child, above in parent.items():
        children[above].append(child)
    for kids in children.values():
        kids.sort(key=lambda n: _order_key(graph, n))
    return children


def _block(node: str, children: dict[str, list[str]], depth: int) -> list[tuple[str, int]]:
    """A node and everything under it, depth first, with their depths."""
    rows = [(node, depth)]
    for child in children.get(node, []):
        rows += _block(child, children, depth + 1)
    return rows


def _label_width(graph: nx.MultiDiGraph, node: str) -> float:
    lang = str(graph.graph.get("lang", "en"))
    text = wrap_label(str(graph.nodes[node]["label"]), lang, lines=label_lines(graph, node))
    return text_inches(text)[0]


def _column_width(graph: nx.MultiDiGraph, column: _Column) -> float:
    nodes = ([(column.head, 0)] if column.head else []) + column.rows
    return max(d * INDENT + LABEL_OFFSET + _label_width(graph, n) for n, d in nodes) + GAP


def _tree_route(child: Point, parent: Point, *, parent_first: bool) -> Route:
    """A child joined to its parent's trunk: across to below the parent, then up to it."""
    points = (child, (parent[0], child[1]), parent)
    return Route(points[::-1] if parent_first else points, arrow=False)


def _finish(
    positions: dict[str, Point],
    columns: list[list[str]],
    routes: dict[Edge, Route],
    bounds: tuple[float, float, float, float],
) -> Layout:
    """The layout, its figure sized so that one unit is an inch either way (a small drawing
    keeps to the top left of the smallest figure, 12 by 7 inches, rather than spreading)."""
    x0, x1, y0, y1 = bounds
    x1 = max(x1, x0 + 12.0 * 0.98)
    y0 = min(y0, y1 - (7.0 - 2.8))
    bounds = (x0, x1, y0, y1)
    size = ((x1 - x0) / 0.98, (y1 - y0) + 2.8)
    return Layout(
        positions, columns, x1 - x0, y1 - y0, routes=routes, inches=(1.0, 1.0), size=size,
        bounds=bounds, node_size=NODE_SIZE, label_boxes=False,
    )  # fmt: skip


# -- the versions of the classification


def versions_layout(graph: nx.MultiDiGraph) -> Layout:
    """The versions of the classification side by side, oldest first, one category a row.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> g = to_networkx(KnowledgeGraph.load(), view="versions")
    >>> layout = versions_layout(g)
    >>> cat = "https://w3id.org/sei-kg/category/"
    >>> old = cat + "sc-2010/energy-saving-environmental-protection"
    >>> layout.positions[old][1] == layout.positions[cat + "7"][1]  # one row
    True
    """
    row = ROW["versions"]
    parent = _parents(graph)
    children = _children(graph, parent)
    schemes = sorted(
        (n for n, d in graph.nodes(data=True) if d["kind"] == "scheme"),
        key=lambda n: (str(graph.nodes[n].get("year") or "9999"), str(graph.nodes[n]["label"])),
    )
    blocks = {s: [_block(c, children, 1) for c in children.get(s, [])] for s in schemes}
    placed = set(schemes) | {n for bs in blocks.values() for b in bs for n, _d in b}
    stray = sorted((n for n in graph.nodes if n not in placed), key=lambda n: _order_key(graph, n))
    mappings = [
        (s, o, k) for s, o, k, iri in graph.edges(keys=True, data="iri") if iri in _MAPPINGS
    ]
    ends = [n for s, o, _k in mappings for n in (s, o)]

    def reach(scheme: str) -> int:
        inside = {n for b in blocks[scheme] for n, _d in b}
        return sum(n in inside for n in ends)

    hub = max(schemes, key=lambda s: (reach(s), -schemes.index(s)), default=None)
    row_of: dict[str, int] = {}
    if hub is not None:
        for index, (node, _depth) in enumerate((r for b in blocks[hub] for r in b), start=1):
            row_of[node] = index
    partners: dict[str, list[int]] = defaultdict(list)
    for source, target, _key in mappings:
        for near, far in ((source, target), (target, source)):
            if far in row_of and near not in row_of:
                partners[near].append(row_of[far])
    columns: list[_Column] = []
    for scheme in schemes:
        column = _Column(scheme, [])
        if scheme == hub:
            column.rows = [r for b in blocks[scheme] for r in b]
        else:
            column.rows = _aligned(graph, blocks[scheme], partners, row_of)
        columns.append(column)
    if stray:
        columns.append(_Column(None, [(n, 1) for n in stray]))
    return _place_versions(graph, columns, row_of, mappings, row)


def _aligned(
    graph: nx.MultiDiGraph,
    blocks: list[list[tuple[str, int]]],
    partners: dict[str, list[int]],
    row_of: dict[str, int],
) -> list[tuple[str, int]]:
    """A version's concepts, each block on the row of its concept's partner in the version
    that sets the rows (the first free row below, if taken), the unmapped ones after them."""
    inf = math.inf

    def wanted(block: list[tuple[str, int]]) -> float:
        return min((min(partners[n]) for n, _d in block if partners.get(n)), default=inf)

    rows: list[tuple[str, int]] = []
    free = 1
    for block in sorted(blocks, key=lambda b: (wanted(b), _order_key(graph, b[0][0]))):
        start = free if wanted(block) == inf else max(int(wanted(block)), free)
        for offset, (node, depth) in enumerate(block):
            row_of[node] = start + offset
            rows.append((node, depth))
        free = start + len(block)
    return rows


def _place_versions(
    graph: nx.MultiDiGraph,
    columns: list[_Column],
    row_of: dict[str, int],
    mappings: list[Edge],
    row: float,
) -> Layout:
    """Positions in inches, and the routes: trees down each column, mappings in the gaps."""
    for column in columns:
        for index, (node, _depth) in enumerate(column.rows, start=1):
            row_of.setdefault(node, index)
        column.width = _column_width(graph, column)
    last = max((row_of[n] for c in columns for n, _d in c.rows), default=0)

    def y(index: int) -> float:
        return (last - index) * row

    positions: dict[str, Point] = {}
    x = 0.0
    for column in columns:
        if column.head:
            positions[column.head] = (x, y(0))
        for node, depth in column.rows:
            positions[node] = (x + depth * INDENT, y(row_of[node]))
        x += column.width
    routes: dict[Edge, Route] = {}
    for source, target, key, iri in graph.edges(keys=True, data="iri"):
        a, b = positions[source], positions[target]
        if iri in _PARENT_IS_SOURCE or iri in _PARENT_IS_TARGET:
            parent_first = iri in _PARENT_IS_SOURCE
            child, above = (b, a) if parent_first else (a, b)
            routes[(source, target, key)] = _tree_route(child, above, parent_first=parent_first)
        elif iri in _MAPPINGS or iri == _REPLACED:
            routes[(source, target, key)] = _gap_route(a, b, row)
    bounds = (-0.3, x - GAP + 0.1, -0.6 * row, y(0) + 0.75 * row)
    return _finish(positions, [[c.head or "", *(n for n, _d in c.rows)] for c in columns],
                   routes, bounds)  # fmt: skip


def _gap_route(source: Point, target: Point, row: float) -> Route:
    """From ``source`` half a row up (or down) into the gap beside the target's row, along
    it, and into the target: never through a label, which sits on its row."""
    (xs, ys), (xt, yt) = source, target
    gap = yt + row / 2 if ys >= yt - 1e-9 else yt - row / 2
    return Route((source, (xs, gap), (xt, gap), target))


# -- the divisions of a province


def divisions_layout(graph: nx.MultiDiGraph) -> Layout:
    """A province's divisions as an organisation chart, wrapped into bands.

    >>> from seikg import resources
    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> skeleton = resources.reference_files()["divisions"]
    >>> kg = KnowledgeGraph.load([*resources.graph_files(), skeleton])
    >>> layout = divisions_layout(to_networkx(kg, view="divisions", province="370000"))
    >>> place = "https://w3id.org/sei-kg/place/"
    >>> laiwu, jinan = layout.positions[place + "371200"], layout.positions[place + "370100"]
    >>> laiwu[1] == jinan[1] and laiwu[0] < jinan[0]  # Laiwu stands just before Jinan
    True
    """
    row = ROW["divisions"]
    parent = _parents(graph)
    children = _children(graph, parent)
    roots = sorted((n for n in graph.nodes if n not in parent), key=lambda n: _order_key(graph, n))
    root = next((n for n in roots if graph.nodes[n]["kind"] == "province"), roots[0])
    under_root = children.get(root, [])
    heads = [c for c in under_root if children.get(c) or graph.nodes[c]["kind"] != "county"]
    leaves = [c for c in under_root if c not in heads]
    successor = {s: o for s, o, iri in graph.edges(data="iri") if iri == _REPLACED}
    heads = _before_successors(heads, successor, parent)
    columns = [_Column(h, _block(h, children, 0)[1:]) for h in heads]
    cap = max([len(c.rows) for c in columns] + [12])
    chunks = math.ceil(len(leaves) / cap)
    per = math.ceil(len(leaves) / chunks) if chunks else 0
    columns += [
        _Column(None, [(leaf, 1) for leaf in leaves[i : i + per]])
        for i in range(0, len(leaves), per or 1)
    ]
    for column in columns:
        column.width = _column_width(graph, column)
    bands = _bands(columns, successor, row)
    return _place_divisions(graph, root, [c for c in roots if c != root], bands, successor, row)


def _before_successors(
    heads: list[str], successor: dict[str, str], parent: dict[str, str]
) -> list[str]:
    """The heads in code order, an abolished one moved just before the head of the column
    that holds its successor."""
    column_of: dict[str, str] = {}
    for head in heads:
        column_of[head] = head
    for node in parent:
        top = node
        while top in parent and top not in column_of:
            top = parent[top]
        if top in column_of:
            column_of[node] = column_of[top]
    order = list(heads)
    for head in heads:
        target = column_of.get(successor.get(head, ""))
        if target and target != head:
            order.remove(head)
            order.insert(order.index(target), head)
    return order


def _bands(columns: list[_Column], successor: dict[str, str], row: float) -> list[list[_Column]]:
    """The columns cut into consecutive bands, as many as bring the picture nearest
    :data:`ASPECT` (an abolished division stays in the band of its successor's column)."""
    if not columns:
        return []
    best: tuple[float, list[list[_Column]]] | None = None
    for count in range(1, len(columns) + 1):
        per = math.ceil(len(columns) / count)
        bands: list[list[_Column]] = []
        start = 0
        while start < len(columns):
            end = min(start + per, len(columns))
            if end < len(columns) and columns[end - 1].head in successor:
                end += 1  # keep an abolished division with the column after it
            bands.append(columns[start:end])
            start = end
        width = max(sum(c.width for c in band) for band in bands)
        height = sum((max(len(c.rows) for c in band) + 2.6) * row for band in bands)
        score = abs(math.log(width / height / ASPECT))
        if best is None or score < best[0] - 1e-9:
            best = (score, bands)
    assert best is not None
    return best[1]


def _place_divisions(
    graph: nx.MultiDiGraph,
    root: str,
    others: list[str],
    bands: list[list[_Column]],
    successor: dict[str, str],
    row: float,
) -> Layout:
    """Positions in inches and the routes: each band under a bus from the province's spine,
    each column a trunk with its divisions on stubs."""
    positions: dict[str, Point] = {root: (0.0, 0.0)}
    routes: dict[Edge, Route] = {}
    bus_of: dict[str, float] = {}
    trunk_of: dict[str, float] = {}
    cursor = 0.0
    widest = 0.0
    for band in bands:
        bus = cursor - row
        head_y = bus - 0.6 * row
        x = 0.35
        for column in band:
            if column.head:
                positions[column.head] = (x, head_y)
                bus_of[column.head] = bus
            for index, (node, depth) in enumerate(column.rows, start=1):
                positions[node] = (x + depth * INDENT, head_y - index * row)
                bus_of[node] = bus
                trunk_of[node] = x
            x += column.width
        widest = max(widest, x)
        cursor = head_y - max(len(c.rows) for c in band) * row - 0.5 * row
    for index, other in enumerate(others, start=1):  # nothing else should be here; kept visible
        positions[other] = (widest + 0.35, -index * row)
    spine = positions[root]
    for source, target, key, iri in graph.edges(keys=True, data="iri"):
        a = positions[source]
        if iri in _PARENT_IS_TARGET and target == root:
            trunk = trunk_of.get(source, a[0])
            bus = bus_of.get(source, a[1])
            points = (a, (trunk, a[1]), (trunk, bus), (spine[0], bus), spine)
            routes[(source, target, key)] = Route(tuple(dict.fromkeys(points)), arrow=False)
        elif iri in _PARENT_IS_TARGET:
            routes[(source, target, key)] = _tree_route(a, positions[target], parent_first=False)
        elif iri == _REPLACED and bus_of.get(source) == bus_of.get(target):
            route = _successor_route(source, target, positions, trunk_of, row)
            if route is not None:
                routes[(source, target, key)] = route
    ys = [p[1] for p in positions.values()]
    bounds = (-0.3, max(widest, 1.0) - GAP + 0.1, min(ys) - 0.45 * row, 0.45 * row)
    columns = [[c.head or "", *(n for n, _d in c.rows)] for band in bands for c in band]
    return _finish(positions, [[root], *columns], routes, bounds)


def _successor_route(
    source: str, target: str, positions: dict[str, Point], trunk_of: dict[str, float], row: float
) -> Route | None:
    """An abolished division to its successor in the next column: down its own (empty)
    column, along the gap under the successor's row, and up into it."""
    (xs, ys), (xt, yt) = positions[source], positions[target]
    trunk = trunk_of.get(target)
    if source in trunk_of or trunk is None or not (xs < trunk < xt) or yt > ys:
        return None
    gap = yt - row / 2
    return Route(((xs, ys), (xs, gap), (xt, gap), (xt, yt)))
