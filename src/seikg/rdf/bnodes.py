"""Blank nodes: stable labels for deterministic output, and a limit on nesting.

Blank node labels in a parsed file are arbitrary, so the same graph could be
written with different labels on every run.  :func:`stable_labels` names each
blank node after what it holds and where it hangs, in linear time for the
tree-shaped structures RDF files are made of (SHACL property shapes, RDF
lists); graphs whose blank nodes form a cycle fall back to rdflib's full
canonicalization.  :func:`nesting_depth` measures how deeply blank nodes nest
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

    Returns None when blank nodes form a cycle (the caller then canonicalizes
    the slow, general way).

    >>> g = Graph()
    >>> _ = g.parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    >>> h = Graph()
    >>> _ = h.parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
    >>> list(stable_labels(g).values()) == list(stable_labels(h).values())
    True
    """
    nodes, out, incoming = _bnode_edges(graph)
    if not nodes:
        return {}
    children = {b: [o for _p, o in out.get(b, []) if isinstance(o, BNode)] for b in nodes}
    order = _post_order(sorted(nodes, key=str), children)
    if order is None:
        return None
    content: dict[BNode, str] = {}
    for node in order:  # bottom-up: what the blank node holds
        parts = sorted(
            f"{p} {content[o] if isinstance(o, BNode) else o.n3()}" for p, o in out.get(node, [])
        )
        content[node] = _digest("content", *parts)
    final: dict[BNode, str] = {}
    for node in reversed(order):  # top-down: where it hangs
        parts = sorted(
            f"{p} {final[s] if isinstance(s, BNode) else s.n3()}" for s, p in incoming.get(node, [])
        )
        final[node] = _digest(content[node], *parts)
    seen: dict[str, int] = defaultdict(int)
    labels: dict[BNode, BNode] = {}
    for node in sorted(nodes, key=lambda b: (final[b], str(b))):
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
