"""Network facts of a view: nodes and edges by kind, degrees, components, density."""

from __future__ import annotations

import io

import networkx as nx

# whose degree a view's facts list: how many mappings each category has across the versions,
# how many divisions each prefecture-level division holds
_DEGREE_KINDS = {"versions": ("category", "concept"), "divisions": ("city", "prefecture")}


def graph_facts(graph: nx.MultiDiGraph) -> dict[str, object]:
    """Network facts a graph analyst expects: sizes by kind, degrees, components, density.

    >>> from seikg.kg import KnowledgeGraph
    >>> from seikg.views import to_networkx
    >>> facts = graph_facts(to_networkx(KnowledgeGraph.load()))
    >>> facts["nodes by kind"]["category"]
    8
    """
    by_kind: dict[str, int] = {}
    for _node, kind in graph.nodes(data="kind"):
        by_kind[kind] = by_kind.get(kind, 0) + 1
    edges_by_relation: dict[str, int] = {}
    for _s, _o, relation in graph.edges(data="relation"):
        edges_by_relation[relation] = edges_by_relation.get(relation, 0) + 1
    degree = {
        kind: sorted(
            (
                (data["label"], graph.degree(node))
                for node, data in graph.nodes(data=True)
                if data["kind"] == kind
            ),
            key=lambda pair: (-pair[1], pair[0]),
        )
        for kind in _DEGREE_KINDS.get(str(graph.graph.get("view")), ("category", "indicator"))
    }
    components = list(nx.weakly_connected_components(graph))
    return {
        "view": graph.graph.get("view"),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "nodes by kind": dict(sorted(by_kind.items())),
        "edges by relation": dict(sorted(edges_by_relation.items())),
        "degree": degree,
        "weakly connected components": len(components),
        "largest component": max((len(c) for c in components), default=0),
        "density": round(nx.density(graph), 4) if graph.number_of_nodes() > 1 else 0.0,
    }


def render_facts(facts: dict[str, object]) -> str:
    """Network facts as readable text tables."""

    from rich.console import Console
    from rich.table import Table

    from seikg.terminal import cell

    console = Console(record=True, width=120, file=io.StringIO(), force_terminal=False)
    summary = Table(title=cell(f"Network facts of the {facts['view']} view"), header_style="bold")
    summary.add_column("measure")
    summary.add_column("value", justify="right")
    for key in ("nodes", "edges", "weakly connected components", "largest component", "density"):
        summary.add_row(cell(key), cell(facts[key]))
    console.print(summary)
    for title, key in (
        ("Nodes by kind", "nodes by kind"),
        ("Edges by relation", "edges by relation"),
    ):
        table = Table(title=title, header_style="bold")
        table.add_column(key.split(" by ")[1])
        table.add_column("count", justify="right")
        for name, count in facts[key].items():  # type: ignore[attr-defined]
            table.add_row(cell(name), cell(count))
        console.print(table)
    for kind, pairs in facts["degree"].items():  # type: ignore[attr-defined]
        if not pairs:
            continue
        table = Table(title=cell(f"Degree of each {kind}"), header_style="bold")
        table.add_column(cell(kind))
        table.add_column("degree", justify="right")
        for label, degree in pairs:
            table.add_row(cell(label), cell(degree))
        console.print(table)
    return console.export_text()
