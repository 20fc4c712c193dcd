"""Blank nodes: stable labels for deterministic output, and a limit on nesting.

Blank node labels in a parsed file are arbitrary, so the same graph could be
written with different labels on every run.  :func:`stable_labels` names each
blank node after what it holds and where it hangs, in linear time for the
tree-shaped structures RDF files are made of (SHACL property shapes, RDF
lists); :func:`canonical_labels` labels the blank nodes of cycles with the
bounded search of :mod:`seikg.rdf.canon` and those of trees as before.
:func:`nesting_depth` measures how deeply blank nodes nest
(list continuation does not count), which serializers handle by recursion.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


Edges = dict[BNode, list[tuple[str, Node]]]
Incoming = dict[BNode, list[tuple[Node, str]]]


def _bnode_edges(graph: Graph) -> tuple[set[BNode], Edges, Incoming]:
    nodes: set[BNode] = set()
    out: dict[BNode, list[tuple[str, Node]]] = defaultdict(list)
    incoming: dict[BNode, list[tuple[Node, str]]] = defaultdict(list)
    for s, p, o in graph:
        if isinstance(s, BNode):
            nodes.add(s)
            out[s].append((str(p), o))
        if isinstance(o, BNode):
            nodes.add(o)
            incoming[o].append((s, str(p)))
    return nodes, out, incoming


def _post_order(roots: list[BNode], children: dict[BNode, list[BNode]]) -> list[BNode] | None:
    """Children before parents, iteratively; None if the blank nodes form a cycle."""
    state: dict[BNode, int] = {}
    order: list[BNode] = []
    for root in roots:
        if root in state:
            continue
        stack: list[tuple[BNode, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            kids = children.get(node, [])
            if index < len(kids):
                stack[-1] = (node, index + 1)
                child = kids[index]
                if state.get(child) == 1:
                    return None
                if child not in state:
                    state[child] = 1
                    stack.append((child, 0))
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
    return order


def stable_labels(graph: Graph) -> dict[BNode, BNode] | None:
    """Map each blank node to a label that depends only on the graph, not on parsing.

    Returns None when blank nodes form a cycle (:func:`canonical_labels` labels
    every graph).

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    >>> h = Graph()
    >>> _ = h.parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    >>> list(stable_labels(g).values()) == list(stable_labels(h).values())
    True
    """
    return _tree_labels(*_bnode_edges(graph))


def canonical_labels(graph: Graph) -> dict[BNode, BNode]:
    """Map each blank node to a label that depends only on the graph: the blank nodes of
    trees as :func:`stable_labels` names them, those of cycles by
    :func:`seikg.rdf.canon.cyclic_labels` (bounded work; a :class:`LimitError` beyond).

    >>> g = Graph()
    >>> _ = g.parse(data="_:a <http://e/p> _:b . _:b <http://e/p> _:a . [] <http://e/q> 1 .",
    ...             format="turtle")
    >>> sorted(str(label)[0] for label in canonical_labels(g).values())
    ['b', 'c', 'c']
    """
    from seikg.rdf.canon import cyclic_labels

    nodes, out, incoming = _bnode_edges(graph)
    labels = _tree_labels(nodes, out, incoming)
    if labels is not None:
        return labels
    trees: set[BNode] = set()
    others: list[list[BNode]] = []
    for component in _components(nodes, out):
        if _tree_labels(set(component), out, incoming, check_only=True) is None:
            others.append(component)
        else:
            trees.update(component)
    labels = _tree_labels(trees, out, incoming) or {}
    labels.update(cyclic_labels(others, out, incoming))
    return labels


def _components(nodes: set[BNode], out: Edges) -> list[list[BNode]]:
    """The blank nodes in groups joined by triples between blank nodes (in any direction)."""
    parent = {node: node for node in nodes}

    def root(node: BNode) -> BNode:
        while parent[node] is not node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, edges in out.items():
        for _p, o in edges:
            if isinstance(o, BNode):
                parent[root(s)] = root(o)
    groups: dict[BNode, list[BNode]] = defaultdict(list)
    for node in sorted(nodes, key=str):
        groups[root(node)].append(node)
    return list(groups.values())


def _tree_labels(
    nodes: set[BNode], out: Edges, incoming: Incoming, *, check_only: bool = False
) -> dict[BNode, BNode] | None:
    """:func:`stable_labels` of ``nodes`` (whole components); None unless they form trees
    (no cycle, and no blank node held by two blank nodes).

    A blank node is named after what it holds and where it hangs; equal names are told
    apart by a number, given a level at a time from the top, in the order of the parent's
    label: equal nodes under one parent can be swapped (with all they hold) without
    changing the graph, so whichever gets which number, the bytes written are the same.
    """
    if not nodes:
        return {}
    parents = {b: {s for s, _p in incoming.get(b, []) if isinstance(s, BNode)} for b in nodes}
    if any(len(held_by) > 1 for held_by in parents.values()):
        return None
    children = {b: [o for _p, o in out.get(b, []) if isinstance(o, BNode)] for b in nodes}
    order = _post_order(sorted(nodes, key=str), children)
    if order is None:
        return None
    if check_only:
        return {}
    content: dict[BNode, str] = {}
    for node in order:  # bottom-up: what the blank node holds
        parts = sorted(
            f"{p} {content[o] if isinstance(o, BNode) else o.n3()}" for p, o in out.get(node, [])
        )
        content[node] = _digest("content", *parts)
    final: dict[BNode, str] = {}
    depth: dict[BNode, int] = {}
    for node in reversed(order):  # top-down: where it hangs
        parts = sorted(
            f"{p} {final[s] if isinstance(s, BNode) else s.n3()}" for s, p in incoming.get(node, [])
        )
        final[node] = _digest(content[node], *parts)
        depth[node] = max((depth[s] + 1 for s in parents[node]), default=0)
    levels: dict[int, list[BNode]] = defaultdict(list)
    for node in order:
        levels[depth[node]].append(node)
    seen: dict[str, int] = defaultdict(int)
    labels: dict[BNode, BNode] = {}
    for level in sorted(levels):
        for node in sorted(
            levels[level],
            key=lambda b: (final[b], *(str(labels[s]) for s in parents[b])),
        ):
            index = seen[final[node]]
            seen[final[node]] += 1
            labels[node] = BNode(f"b{final[node][:24]}{index or ''}")
    return labels


def nesting_depth(graph: Graph) -> int:
    """How deeply blank nodes nest inside each other (the tail of an RDF list does not count).

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/a> <http://e/p> [ <http://e/q> [ <http://e/r> 1 ] ] .",
    ...             format="turtle")
    >>> nesting_depth(g)
    2
    """
    nodes, out, _incoming = _bnode_edges(graph)
    if not nodes:
        return 0
    children = {b: [o for _p, o in out.get(b, []) if isinstance(o, BNode)] for b in nodes}
    order = _post_order(sorted(nodes, key=str), children)
    if order is None:
        return len(nodes)  # a cycle: as deep as it can get
    depth: dict[BNode, int] = {}
    rest = str(RDF.rest)
    for node in order:
        best = 1
        for p, o in out.get(node, []):
            if isinstance(o, BNode):
                best = max(best, depth[o] + (0 if p == rest else 1))
        depth[node] = best
    return max(depth.values())
